//! The only code that knows about terminals: whether to colour, and how things look.

pub mod check;
pub mod delivery;
pub mod listen;
pub mod palette;
pub mod pretty;
pub mod progress;
pub mod words;

use std::io::IsTerminal;

use crate::cli::ColorChoice;

/// Decides colour once for the whole run; later `colored` calls follow this decision.
pub fn configure(choice: ColorChoice) {
    let on = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
        }
    };
    colored::control::set_override(on);
}

/// Whether colour was switched on by [`configure`].
pub fn colored() -> bool {
    colored::control::SHOULD_COLORIZE.should_colorize()
}

/// Whether standard output is a terminal (pretty output) rather than a pipe or file.
pub fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}
