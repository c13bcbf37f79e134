use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = hookctl::cli::Cli::parse();
    hookctl::run(cli).unwrap_or_else(|error| hookctl::error::report(&error))
}
