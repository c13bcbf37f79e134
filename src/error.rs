//! Exit codes, and the one place errors are printed.

use std::io::{self, Write};
use std::process::ExitCode;

use crate::output::palette;

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
    let mut stderr = io::stderr().lock();
    let _ = writeln!(stderr, "{} {error:#}", palette::error_label());
    if let Some(h) = error.chain().find_map(|e| e.downcast_ref::<Hinted>()) {
        let _ = writeln!(stderr, "  {} {}", palette::hint_label(), h.hint);
    }
    Exit::Usage.into()
}
