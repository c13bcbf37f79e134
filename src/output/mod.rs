//! The only code that knows about terminals: whether to colour, and how things look.

pub mod check;
pub mod delivery;
pub mod junit;
pub mod listen;
pub mod palette;
pub mod pretty;
pub mod progress;
pub mod sanitize;
pub mod scenario;
pub mod stream;
pub mod words;

use std::io::IsTerminal;

pub use stream::configure;

/// `value` as one line of JSON, with the characters JSON lets through raw but a terminal acts on
/// or hides (DEL, C1 controls, bidirectional and invisible format characters) as `\uXXXX`.
pub fn json_line(value: &impl serde::Serialize) -> String {
    let text = serde_json::to_string(value).expect("serialising to memory cannot fail");
    sanitize::json_text(&text).into_owned()
}

/// Whether standard output is a terminal (pretty output) rather than a pipe or file.
pub fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}
