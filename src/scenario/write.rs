//! A scenario written out as TOML text, a body's nested fields as dotted keys so they stay in
//! the order they were received (a `[table]` would put nested tables after the plain values).

use std::fmt::Write as _;

use serde_json::Value;

/// A scenario file to write.
#[derive(Debug)]
pub struct Document {
    /// Comment lines at the top, without `# `.
    pub header: Vec<String>,
    /// The one-line description.
    pub description: String,
    /// The provider's command-line name.
    pub provider: &'static str,
    /// `[vars]`: name and value text.
    pub vars: Vec<(String, String)>,
    /// The steps.
    pub steps: Vec<Step>,
}

/// One `[[steps]]` entry with a whole `body`.
#[derive(Debug)]
pub struct Step {
    /// Its name.
    pub name: String,
    /// Its `after`, when it has one.
    pub after: Option<String>,
    /// Its body: strings as they are to be written (references included).
    pub body: Value,
}

/// The TOML text of `doc`.
pub fn document(doc: &Document) -> String {
    let mut out = String::new();
    for line in &doc.header {
        let _ = writeln!(out, "# {line}");
    }
    let _ = writeln!(out, "description = {}", string(&doc.description));
    let _ = writeln!(out, "provider = {}", string(doc.provider));
    if !doc.vars.is_empty() {
        out.push_str("\n[vars]\n");
        for (name, value) in &doc.vars {
            let _ = writeln!(out, "{} = {}", key(name), string(value));
        }
    }
    for step in &doc.steps {
        out.push_str("\n[[steps]]\n");
        let _ = writeln!(out, "name = {}", string(&step.name));
        if let Some(after) = &step.after {
            let _ = writeln!(out, "after = {}", string(after));
        }
        body(&mut out, &step.body);
    }
    out
}

/// The body: an object as a `[steps.body]` table, a batch of objects as `[[steps.body]]`
/// tables, one field a line (nested fields as dotted keys, which keep their order).
fn body(out: &mut String, body: &Value) {
    match body {
        Value::Object(map) => {
            out.push_str("\n[steps.body]\n");
            fields(out, "", map);
        }
        // An empty batch has no tables to write: it is `body = []` below.
        Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_object) => {
            for item in items.iter().filter_map(Value::as_object) {
                out.push_str("\n[[steps.body]]\n");
                fields(out, "", item);
            }
        }
        other => {
            let _ = writeln!(out, "body = {}", inline(other));
        }
    }
}

/// `a.b = value` lines for each leaf of `map` under `prefix`.
fn fields(out: &mut String, prefix: &str, map: &serde_json::Map<String, Value>) {
    for (name, item) in map {
        let path = format!("{prefix}{}", key(name));
        match item {
            Value::Object(inner) if !inner.is_empty() => fields(out, &format!("{path}."), inner),
            other => {
                let _ = writeln!(out, "{path} = {}", inline(other));
            }
        }
    }
}

/// A value on one line: inline tables and arrays.
fn inline(value: &Value) -> String {
    match value {
        Value::String(s) => string(s),
        Value::Number(n) => number(n),
        Value::Bool(b) => b.to_string(),
        // Callers write nulls as `${null}`; TOML has no null of its own.
        Value::Null => string("${null}"),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(inline).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(map) if map.is_empty() => "{}".to_string(),
        Value::Object(map) => {
            let entries: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{} = {}", key(k), inline(v)))
                .collect();
            format!("{{ {} }}", entries.join(", "))
        }
    }
}

/// A JSON number as TOML: an integer, or a float with its point (an integer beyond i64 is
/// written as a float, the nearest TOML has).
fn number(n: &serde_json::Number) -> String {
    if n.is_i64() {
        return n.to_string();
    }
    let text = n.to_string();
    match text.contains(['.', 'e', 'E']) {
        true => text,
        false => format!("{text}.0"),
    }
}

/// A key: bare when it can be, else quoted.
fn key(name: &str) -> String {
    let bare = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    match bare {
        true => name.to_string(),
        false => string(name),
    }
}

/// A TOML basic string.
fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Saved text as a scenario value: a `${` in it is written `$${`, so it stays literal.
pub fn escape(text: &str) -> String {
    text.replace("${", "$${")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn awkward_keys_and_strings_are_quoted_and_escaped() {
        assert_eq!(key("smtp-id"), "smtp-id");
        assert_eq!(key("event-data.id"), "\"event-data.id\"");
        assert_eq!(key(""), "\"\"");
        assert_eq!(string("a\"b\\c\nd\u{1}"), "\"a\\\"b\\\\c\\nd\\u0001\"");
        assert_eq!(escape("cost ${5}"), "cost $${5}");
        assert_eq!(
            number(&serde_json::Number::from(u64::MAX)),
            "18446744073709551615.0"
        );
        assert_eq!(
            inline(&serde_json::json!({"a": [1, 2.5, true], "b": {}})),
            "{ a = [1, 2.5, true], b = {} }"
        );
    }

    #[test]
    fn an_empty_body_is_still_written() {
        for (saved, written) in [
            (serde_json::json!([]), "body = []"),
            (serde_json::json!({}), "[steps.body]"),
        ] {
            let mut out = String::new();
            body(&mut out, &saved);
            assert_eq!(out.trim(), written);
        }
    }
}
