use std::process::ExitCode;

use clap::Parser;
use hookctl::error::{report, usage};

fn main() -> ExitCode {
    match hookctl::cli::Cli::try_parse() {
        Ok(cli) => hookctl::run(cli).unwrap_or_else(|error| report(&error)),
        // --help and --version, and the help shown for a bare `hookctl`, as clap prints them.
        Err(e)
            if !e.use_stderr()
                || e.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand =>
        {
            let _ = e.print();
            ExitCode::from(e.exit_code() as u8)
        }
        Err(e) => {
            hookctl::output::configure(hookctl::cli::ColorChoice::Auto);
            report(&usage(&e))
        }
    }
}
