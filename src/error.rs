//! Exit codes, and the one place errors are printed.

use std::io::{self, Write};
use std::process::ExitCode;

use crate::output::{palette, stream};

/// The exit codes hookctl documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything checked out.
    Success = 0,
    /// A negative verdict: invalid signature, failed delivery, failed check.
    Negative = 1,
    /// Bad usage or an I/O error.
    Usage = 2,
}

impl Exit {
    /// Success when `ok`, else a negative verdict.
    pub fn verdict(ok: bool) -> ExitCode {
        if ok { Exit::Success } else { Exit::Negative }.into()
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        ExitCode::from(exit as u8)
    }
}

/// An error that knows the likeliest fix, printed as a `hint:` line under the error.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct Hinted {
    /// What went wrong.
    pub message: String,
    /// What to do about it.
    pub hint: String,
}

/// Builds a [`Hinted`] error.
pub fn hinted(message: impl Into<String>, hint: impl Into<String>) -> anyhow::Error {
    Hinted {
        message: message.into(),
        hint: hint.into(),
    }
    .into()
}

/// Prints `hookctl: error: …` (and a hint line) on stderr and picks the exit code.
/// A closed pipe on stdout (`hookctl … | head`) is not an error.
pub fn report(error: &anyhow::Error) -> ExitCode {
    if error
        .chain()
        .filter_map(|e| e.downcast_ref::<io::Error>())
        .any(|e| e.kind() == io::ErrorKind::BrokenPipe)
    {
        return Exit::Success.into();
    }
    // Errors quote what they were given (a header, a file's content): shown sanitised, on one line.
    let mut stderr = stream::stderr().lock();
    let message = palette::plain(&format!("{error:#}"));
    let _ = writeln!(stderr, "{} {message}", palette::error_label());
    if let Some(h) = error.chain().find_map(|e| e.downcast_ref::<Hinted>()) {
        let _ = writeln!(stderr, "  {}", palette::hint(&h.hint));
    }
    Exit::Usage.into()
}

/// What clap found wrong with the command line, as one [`Hinted`] error: clap's first paragraph
/// on one line, and its tip (or where to find the usage) as the hint.
pub fn usage(error: &clap::Error) -> anyhow::Error {
    let text = error.render().to_string();
    let mut paragraphs = text.split("\n\n").map(str::trim);
    let first = paragraphs.next().unwrap_or_default();
    let message = first.strip_prefix("error: ").unwrap_or(first);
    let rest: Vec<&str> = paragraphs.collect();
    let tip = rest.iter().find_map(|p| p.strip_prefix("tip: "));
    let command = rest
        .iter()
        .find_map(|p| p.strip_prefix("Usage: "))
        .map(command_words)
        .or_else(command_in_args)
        .unwrap_or_else(|| "hookctl".to_string());
    let hint = match tip {
        Some(tip) => one_line(tip),
        None => format!("see '{command} --help'"),
    };
    hinted(one_line(message), hint)
}

/// Clap's indented continuation lines joined into one line; any other line break (inside a
/// value the user gave) is kept, for the sanitiser to show as `\n`.
fn one_line(text: &str) -> String {
    let mut pieces = text.split('\n');
    let mut joined = pieces.next().unwrap_or_default().to_string();
    for piece in pieces {
        let rest = piece.trim_start_matches(' ');
        joined.push(if rest.len() < piece.len() { ' ' } else { '\n' });
        joined.push_str(rest);
    }
    joined
}

/// `hookctl listen` when the command line names the subcommand `listen`.
fn command_in_args() -> Option<String> {
    use clap::CommandFactory;
    let cli = crate::cli::Cli::command();
    let named = std::env::args()
        .skip(1)
        .find(|a| cli.find_subcommand(a).is_some())?;
    Some(format!("hookctl {named}"))
}

/// `hookctl send` from `hookctl send [OPTIONS] --url <URL> [TYPE]...`.
fn command_words(usage: &str) -> String {
    usage
        .split_whitespace()
        .take_while(|w| !w.starts_with(['[', '<', '-']))
        .collect::<Vec<_>>()
        .join(" ")
}
