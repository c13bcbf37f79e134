//! hookctl: sign, send, verify and receive webhook events the way email, SMS and voice
//! providers send them.
//!
//! The core (`catalog`, `patch`, `json`, `signature`) returns plain values and typed errors and
//! never prints; `commands` and `output` are the terminal side.

pub mod bounded;
pub mod catalog;
pub mod check;
pub mod cli;
pub mod commands;
pub mod config;
pub mod delivery;
pub mod error;
pub mod json;
pub mod listener;
pub mod output;
pub mod patch;
pub mod providers;
pub mod redact;
pub mod scenario;
pub mod signature;
pub mod template;
pub mod text;

use std::process::ExitCode;

use cli::{Cli, Command};

/// Runs one parsed command line and returns the process exit code.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    output::configure(cli.color);
    match cli.command {
        Command::Events(args) => commands::events::run(&args),
        Command::Sample(args) => commands::sample::run(&args),
        Command::Sign(args) => commands::sign::run(&args),
        Command::Verify(args) => commands::verify::run(&args),
        Command::Send(args) => commands::send::run(&args),
        Command::Listen(args) => commands::listen::run(&args),
        Command::Replay(args) => commands::replay::run(&args),
        Command::Check(args) => commands::check::run(&args),
        Command::Demo(args) => commands::demo::run(&args),
        Command::Scenario(command) => commands::scenario::run(&command),
        Command::Keygen(args) => commands::keygen::run(&args),
        Command::Completions(args) => commands::completions::run(&args),
    }
}
