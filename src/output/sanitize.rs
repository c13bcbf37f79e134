//! The one sanitiser for text that came from the network or from a file, before it reaches a
//! terminal: every character that could move the cursor, start an escape sequence, break a line
//! or reorder what is shown is written as a visible escape instead.

use std::borrow::Cow;

pub use crate::text::is_unsafe;

/// `text` with every unsafe character written as a visible escape (`\n`, `\u{1b}`, `\u{202e}`);
/// borrowed when there is nothing to escape. The escapes are printable ASCII, so escaping twice
/// changes nothing more.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '\n' => escaped.push_str("\\n"),
            '\r' => escaped.push_str("\\r"),
            '\t' => escaped.push_str("\\t"),
            c if is_unsafe(c) => escaped.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => escaped.push(c),
        }
    }
    Cow::Owned(escaped)
}

/// `text` as a quoted JSON string in which unsafe characters are `\uXXXX` escapes: still valid
/// JSON with the same value, and safe to show.
pub fn json_string(text: &str) -> String {
    let quoted = serde_json::to_string(text).expect("a string serialises");
    json_text(&quoted).into_owned()
}

/// JSON text with the unsafe characters that JSON allows raw inside strings (DEL, C1, format
/// characters) written as `\uXXXX` escapes. Outside strings JSON allows only ASCII, so the
/// value is unchanged.
pub fn json_text(json: &str) -> Cow<'_, str> {
    if is_json_safe(json) {
        return Cow::Borrowed(json);
    }
    let mut escaped = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if is_unsafe_in_json(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                escaped.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            escaped.push(c);
        }
    }
    Cow::Owned(escaped)
}

/// Whether [`json_text`] leaves `json` as it is.
pub fn is_json_safe(json: &str) -> bool {
    !json.chars().any(is_unsafe_in_json)
}

/// Unsafe characters other than the whitespace JSON puts between tokens (already escaped inside
/// strings by every JSON writer).
fn is_unsafe_in_json(c: char) -> bool {
    is_unsafe(c) && !matches!(c, '\n' | '\r' | '\t')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_class_is_escaped_visibly() {
        let cases = [
            ("a\nb", "a\\nb"),
            ("a\r\tb", "a\\r\\tb"),
            ("\u{1b}[2J", "\\u{1b}[2J"),
            ("\u{7f}", "\\u{7f}"),
            ("\u{9b}31m", "\\u{9b}31m"),
            ("evt_1\u{202e}gnp.exe", "evt_1\\u{202e}gnp.exe"),
            (
                "\u{200b}\u{2066}\u{feff}\u{61c}",
                "\\u{200b}\\u{2066}\\u{feff}\\u{61c}",
            ),
            ("\u{e0041}", "\\u{e0041}"),
            ("\u{3164}\u{fe0f}", "\\u{3164}\\u{fe0f}"),
        ];
        for (raw, shown) in cases {
            assert_eq!(escape(raw), shown, "{raw:?}");
        }
    }

    #[test]
    fn safe_text_is_borrowed_and_escaping_twice_changes_nothing() {
        assert!(matches!(
            escape("email.delivered ✓ é 日本"),
            Cow::Borrowed(_)
        ));
        let once = escape("a\n\u{202e}b").into_owned();
        assert_eq!(escape(&once), once);
    }

    #[test]
    fn json_keeps_its_value_and_loses_the_unsafe_characters() {
        let raw = "x\u{202e}\u{9b}\u{7f}\n\u{e0041}";
        let shown = json_string(raw);
        assert!(!shown.chars().any(is_unsafe), "{shown}");
        assert_eq!(serde_json::from_str::<String>(&shown).unwrap(), raw);
    }
}
