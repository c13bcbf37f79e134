//! Pretty-printed JSON with styled keys and scalars (two-space indent, `JSON.stringify` order);
//! strings are shown with unsafe characters as `\uXXXX` escapes, so the text stays valid JSON.

use std::fmt::Write;

use serde_json::Value;

use super::{palette, sanitize};
use crate::json;

/// `value` indented by two spaces, keys and scalars styled.
pub fn json(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, &json::js_ordered(value), 0);
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
        Value::String(s) => write!(out, "{}", palette::string(&sanitize::json_string(s))),
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
                let k = palette::key(&sanitize::json_string(k));
                write!(out, "{}{k}: ", pad(depth + 1)).expect("String");
                write_value(out, v, depth + 1);
                out.push_str(if i + 1 < map.len() { ",\n" } else { "\n" });
            }
            write!(out, "{}}}", pad(depth))
        }
    }
    .expect("writing to a String cannot fail");
}
