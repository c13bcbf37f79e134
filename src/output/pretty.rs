//! Pretty-printed JSON, coloured when colour is on (two-space indent either way).

use std::fmt::Write;

use serde_json::Value;

use super::palette;
use crate::json;

/// `value` indented by two spaces, keys and scalars coloured when colour is on.
pub fn json(value: &Value) -> String {
    if !super::colored() {
        return String::from_utf8(json::pretty(value)).expect("serde_json writes UTF-8");
    }
    let mut out = String::new();
    write_value(&mut out, value, 0);
    out
}

fn write_value(out: &mut String, value: &Value, depth: usize) {
    let pad = |n: usize| "  ".repeat(n);
    match value {
        Value::Null => write!(out, "{}", palette::literal("null")),
        Value::Bool(b) => write!(out, "{}", palette::literal(&b.to_string())),
        Value::Number(_) => {
            let text = String::from_utf8(json::compact(value)).expect("UTF-8");
            write!(out, "{}", palette::number(&text))
        }
        Value::String(s) => write!(out, "{}", palette::string(&quoted(s))),
        Value::Array(items) if items.is_empty() => write!(out, "[]"),
        Value::Object(map) if map.is_empty() => write!(out, "{{}}"),
        Value::Array(items) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                out.push_str(&pad(depth + 1));
                write_value(out, item, depth + 1);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            write!(out, "{}]", pad(depth))
        }
        Value::Object(map) => {
            out.push_str("{\n");
            for (i, (k, v)) in map.iter().enumerate() {
                write!(out, "{}{}: ", pad(depth + 1), palette::key(&quoted(k))).expect("String");
                write_value(out, v, depth + 1);
                out.push_str(if i + 1 < map.len() { ",\n" } else { "\n" });
            }
            write!(out, "{}}}", pad(depth))
        }
    }
    .expect("writing to a String cannot fail");
}

fn quoted(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}
