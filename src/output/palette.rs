//! Colours for the things hookctl prints. Nothing else picks a colour.

use colored::{ColoredString, Colorize};

use crate::catalog::{Outcome, outcome};

/// An event type coloured by what it announces: green good news, blue activity, red trouble.
pub fn event_type(name: &str) -> ColoredString {
    match outcome(name) {
        Outcome::Success => name.green().bold(),
        Outcome::Activity => name.blue().bold(),
        Outcome::Problem => name.red().bold(),
        Outcome::Unknown => name.bold(),
    }
}

/// `✓ text` in green.
pub fn pass(text: &str) -> ColoredString {
    format!("✓ {text}").green()
}

/// `✗ text` in red.
pub fn fail(text: &str) -> ColoredString {
    format!("✗ {text}").red()
}

/// Text in red: a problem named without the `✗` mark (error kinds, a failure's reason).
pub fn bad(text: &str) -> ColoredString {
    text.red()
}

/// `– text` in yellow: something expected is missing (a signature).
pub fn absent(text: &str) -> ColoredString {
    format!("– {text}").yellow()
}

/// `✗ text` for an answer with this status: yellow for a redirect, red otherwise.
pub fn fail_status(code: u16, text: &str) -> ColoredString {
    match code {
        300..=399 => format!("✗ {text}").yellow(),
        _ => fail(text),
    }
}

/// The `hookctl: error:` prefix.
pub fn error_label() -> ColoredString {
    "hookctl: error:".red().bold()
}

/// Text from the network made safe for a terminal: control characters other than newline and
/// tab are shown escaped, so a hostile body or header cannot move the cursor or change colours.
pub fn clean(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            escaped.extend(c.escape_default());
        } else {
            escaped.push(c);
        }
    }
    std::borrow::Cow::Owned(escaped)
}

/// `! text` in yellow.
pub fn warn(text: &str) -> ColoredString {
    format!("! {text}").yellow()
}

/// A heading, in bold.
pub fn title(text: &str) -> ColoredString {
    text.bold()
}

/// Secondary detail, dimmed.
pub fn dim(text: &str) -> ColoredString {
    text.dimmed()
}

/// A hint line's label.
pub fn hint_label() -> ColoredString {
    "hint:".cyan().bold()
}

/// A fix line's label.
pub fn fix_label() -> ColoredString {
    "fix:".cyan().bold()
}

/// An HTTP status coloured by class: 2xx green, 3xx yellow, 4xx and 5xx red.
pub fn status(code: u16, text: &str) -> ColoredString {
    match code {
        200..=299 => text.green().bold(),
        300..=399 => text.yellow().bold(),
        _ => text.red().bold(),
    }
}

pub(super) fn key(text: &str) -> ColoredString {
    text.blue()
}

pub(super) fn string(text: &str) -> ColoredString {
    text.green()
}

pub(super) fn number(text: &str) -> ColoredString {
    text.cyan()
}

pub(super) fn literal(text: &str) -> ColoredString {
    text.magenta()
}
