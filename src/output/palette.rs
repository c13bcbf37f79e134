//! Colours for the things hookctl prints. Nothing else picks a colour.
//!
//! Every function here takes text that may have come from the network or a file and passes it
//! through the [sanitiser](super::sanitize) before styling it, so raw text cannot reach the
//! terminal through a style, and a style never spans a line end. Styles are always written;
//! each output [stream](super::stream) keeps or strips them by its own colour decision.

use anstyle::{AnsiColor, Style};

use super::sanitize;
use crate::catalog::{Outcome, outcome};

const GREEN: Style = AnsiColor::Green.on_default();
const RED: Style = AnsiColor::Red.on_default();
const YELLOW: Style = AnsiColor::Yellow.on_default();
const BLUE: Style = AnsiColor::Blue.on_default();
const CYAN: Style = AnsiColor::Cyan.on_default();
const MAGENTA: Style = AnsiColor::Magenta.on_default();
const BOLD: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();

/// `text`, sanitised, between `style` and its reset.
fn paint(style: Style, text: &str) -> String {
    format!("{style}{}{style:#}", sanitize::escape(text))
}

/// `text` sanitised and unstyled: for untrusted text that needs no colour.
pub fn plain(text: &str) -> String {
    sanitize::escape(text).into_owned()
}

/// An event type coloured by what it announces: green good news, blue activity, red trouble.
pub fn event_type(name: &str) -> String {
    let style = match outcome(name) {
        Outcome::Success => GREEN.bold(),
        Outcome::Activity => BLUE.bold(),
        Outcome::Problem => RED.bold(),
        Outcome::Unknown => BOLD,
    };
    paint(style, name)
}

/// A heading in bold.
pub fn bold(text: &str) -> String {
    paint(BOLD, text)
}

/// `✓ text` in green.
pub fn pass(text: &str) -> String {
    paint(GREEN, &format!("✓ {text}"))
}

/// `✗ text` in red.
pub fn fail(text: &str) -> String {
    paint(RED, &format!("✗ {text}"))
}

/// Text in red: a problem named without the `✗` mark (error kinds, a failure's reason).
pub fn bad(text: &str) -> String {
    paint(RED, text)
}

/// `– text` in yellow: something expected is missing (a signature).
pub fn absent(text: &str) -> String {
    paint(YELLOW, &format!("– {text}"))
}

/// `✗ text` for an answer with this status: yellow for a redirect, red otherwise.
pub fn fail_status(code: u16, text: &str) -> String {
    match code {
        300..=399 => paint(YELLOW, &format!("✗ {text}")),
        _ => fail(text),
    }
}

/// The `hookctl: error:` prefix.
pub fn error_label() -> String {
    paint(RED.bold(), "hookctl: error:")
}

/// `! text` in yellow.
pub fn warn(text: &str) -> String {
    paint(YELLOW, &format!("! {text}"))
}

/// A heading, in bold.
pub fn title(text: &str) -> String {
    paint(BOLD, text)
}

/// Secondary detail, dimmed.
pub fn dim(text: &str) -> String {
    paint(DIM, text)
}

/// `hint: text`, the label in bold cyan.
pub fn hint(text: &str) -> String {
    format!("{} {}", paint(CYAN.bold(), "hint:"), plain(text))
}

/// `fix: text`, the label in bold cyan.
pub fn fix(text: &str) -> String {
    format!("{} {}", paint(CYAN.bold(), "fix:"), plain(text))
}

/// An HTTP status coloured by class: 2xx green, 3xx yellow, 4xx and 5xx red.
pub fn status(code: u16, text: &str) -> String {
    let style = match code {
        200..=299 => GREEN.bold(),
        300..=399 => YELLOW.bold(),
        _ => RED.bold(),
    };
    paint(style, text)
}

/// A JSON key (quoted and escaped already).
pub(super) fn key(json: &str) -> String {
    paint(BLUE, json)
}

/// A JSON string (quoted and escaped already).
pub(super) fn string(json: &str) -> String {
    paint(GREEN, json)
}

/// A JSON number.
pub(super) fn number(json: &str) -> String {
    paint(CYAN, json)
}

/// `true`, `false` or `null`.
pub(super) fn literal(json: &str) -> String {
    paint(MAGENTA, json)
}
