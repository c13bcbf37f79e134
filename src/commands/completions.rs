//! `hookctl completions`: shell completion scripts from the clap definition.

use std::process::ExitCode;

use anyhow::Result;
use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::error::Exit;

/// The completion script for `shell`, as checked in under `completions/`.
pub fn script(shell: clap_complete::Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "hookctl", &mut out);
    out
}

/// Prints the completion script for the requested shell.
pub fn run(args: &CompletionsArgs) -> Result<ExitCode> {
    use std::io::Write;
    std::io::stdout().lock().write_all(&script(args.shell))?;
    Ok(Exit::Success.into())
}
