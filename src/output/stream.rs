//! Standard output and standard error, each with its own colour decision: the palette always
//! styles, and a stream that is not to be coloured (a pipe, a file, `NO_COLOR`, `--color never`)
//! has the styles stripped as it is written.

use std::io::{self, IsTerminal};
use std::sync::atomic::{AtomicBool, Ordering};

use anstream::{AutoStream, ColorChoice as Emit};

use crate::cli::ColorChoice;

/// Whether standard output keeps its styles.
static STDOUT_COLOUR: AtomicBool = AtomicBool::new(false);
/// Whether standard error keeps its styles.
static STDERR_COLOUR: AtomicBool = AtomicBool::new(false);

/// Decides colour for each stream once, from `--color`, `NO_COLOR`, `TERM` and whether that
/// stream is a terminal (so a redirected stderr is plain while a terminal stdout is coloured).
pub fn configure(choice: ColorChoice) {
    let decide = |terminal: bool| match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => terminal && environment_allows_colour(),
    };
    STDOUT_COLOUR.store(decide(io::stdout().is_terminal()), Ordering::Relaxed);
    STDERR_COLOUR.store(decide(io::stderr().is_terminal()), Ordering::Relaxed);
}

fn environment_allows_colour() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
}

/// Standard output for styled text: styles kept or stripped as decided for it.
pub fn stdout() -> AutoStream<io::Stdout> {
    AutoStream::new(io::stdout(), emit(&STDOUT_COLOUR))
}

/// Standard error for styled text: styles kept or stripped as decided for it.
pub fn stderr() -> AutoStream<io::Stderr> {
    AutoStream::new(io::stderr(), emit(&STDERR_COLOUR))
}

/// Standard output for text that never carries styles (JSON lines), written through unchanged.
pub fn plain_stdout() -> AutoStream<io::Stdout> {
    AutoStream::always_ansi(io::stdout())
}

fn emit(colour: &AtomicBool) -> Emit {
    if colour.load(Ordering::Relaxed) {
        Emit::AlwaysAnsi
    } else {
        Emit::Never
    }
}
