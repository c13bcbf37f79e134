//! JSON written exactly as JavaScript's `JSON.stringify` writes it, so a receiver that verifies
//! `JSON.stringify(req.body)` (as the EKDSend sample handler does) sees the bytes that were signed.

use std::io;

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter};
use serde_json::{Map, Value};

/// Largest integer JavaScript represents exactly (2^53 - 1).
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// `JSON.stringify(value)`: compact, JavaScript number formatting and key order.
pub fn compact(value: &Value) -> Vec<u8> {
    write(value, JsNumbers(CompactFormatter))
}

/// `JSON.stringify(value, null, 2)`.
pub fn pretty(value: &Value) -> Vec<u8> {
    write(value, JsNumbers(PrettyFormatter::with_indent(b"  ")))
}

/// `text` with every character beyond ASCII written as a `\uXXXX` escape (UTF-16, lowercase
/// hex), as Python's `json.dumps` writes it by default. Valid for JSON text: outside strings,
/// JSON has no such characters.
pub fn ascii_escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut units = [0u16; 2];
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
            continue;
        }
        for unit in c.encode_utf16(&mut units) {
            out.push_str(&format!("\\u{unit:04x}"));
        }
    }
    out
}

/// `JSON.stringify(JSON.parse(bytes))`, or `None` when the bytes are not JSON.
pub fn restringify(bytes: &[u8]) -> Option<Vec<u8>> {
    serde_json::from_slice::<Value>(bytes)
        .ok()
        .map(|v| compact(&v))
}

fn write<F: Formatter>(value: &Value, formatter: F) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, formatter);
    js_ordered(value)
        .serialize(&mut ser)
        .expect("serialising a Value to memory cannot fail");
    out
}

/// JavaScript puts array-index keys ("0", "17") first, ascending, then the rest in insertion order.
pub fn js_ordered(value: &Value) -> std::borrow::Cow<'_, Value> {
    use std::borrow::Cow;
    match value {
        Value::Object(map) if needs_reorder(value) => {
            let mut index_keys: Vec<(u32, &String)> = map
                .keys()
                .filter_map(|k| array_index(k).map(|i| (i, k)))
                .collect();
            index_keys.sort_unstable();
            let mut out = Map::with_capacity(map.len());
            for (_, k) in &index_keys {
                out.insert((*k).clone(), js_ordered(&map[k.as_str()]).into_owned());
            }
            for (k, v) in map.iter().filter(|(k, _)| array_index(k).is_none()) {
                out.insert(k.clone(), js_ordered(v).into_owned());
            }
            Cow::Owned(Value::Object(out))
        }
        Value::Array(items) if needs_reorder(value) => Cow::Owned(Value::Array(
            items.iter().map(|v| js_ordered(v).into_owned()).collect(),
        )),
        _ => Cow::Borrowed(value),
    }
}

fn needs_reorder(value: &Value) -> bool {
    match value {
        Value::Object(map) => {
            map.keys().any(|k| array_index(k).is_some()) || map.values().any(needs_reorder)
        }
        Value::Array(items) => items.iter().any(needs_reorder),
        _ => false,
    }
}

/// A canonical array index: decimal, no leading zero, below 2^32 - 1.
fn array_index(key: &str) -> Option<u32> {
    if key.is_empty() || (key.len() > 1 && key.starts_with('0')) {
        return None;
    }
    if !key.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    key.parse::<u32>().ok().filter(|&i| i != u32::MAX)
}

/// Formats a number as JavaScript's `Number.prototype.toString` does.
pub fn js_number(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    if x.fract() == 0.0 && x.abs() <= MAX_SAFE_INTEGER as f64 {
        return format!("{}", x as i64);
    }
    let sign = if x < 0.0 { "-" } else { "" };
    // Rust's `{:e}` gives the shortest digits that round-trip, as JavaScript uses.
    let sci = format!("{:e}", x.abs());
    let (mantissa, exp) = sci.split_once('e').expect("{:e} has an exponent");
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let k = digits.len() as i32;
    let n = exp.parse::<i32>().expect("{:e} exponent is an integer") + 1;
    let body = if k <= n && n <= 21 {
        format!("{digits}{}", "0".repeat((n - k) as usize))
    } else if 0 < n && n <= 21 {
        format!("{}.{}", &digits[..n as usize], &digits[n as usize..])
    } else if -6 < n && n <= 0 {
        format!("0.{}{digits}", "0".repeat((-n) as usize))
    } else {
        let tail = if k > 1 {
            format!(".{}", &digits[1..])
        } else {
            String::new()
        };
        let e = n - 1;
        let e_sign = if e < 0 { '-' } else { '+' };
        format!("{}{tail}e{e_sign}{}", &digits[..1], e.abs())
    };
    format!("{sign}{body}")
}

/// Wraps a formatter so numbers come out as JavaScript prints them.
struct JsNumbers<F>(F);

impl<F: Formatter> Formatter for JsNumbers<F> {
    fn write_f64<W: ?Sized + io::Write>(&mut self, w: &mut W, value: f64) -> io::Result<()> {
        w.write_all(js_number(value).as_bytes())
    }
    fn write_f32<W: ?Sized + io::Write>(&mut self, w: &mut W, value: f32) -> io::Result<()> {
        self.write_f64(w, f64::from(value))
    }
    fn write_u64<W: ?Sized + io::Write>(&mut self, w: &mut W, value: u64) -> io::Result<()> {
        if value <= MAX_SAFE_INTEGER {
            self.0.write_u64(w, value)
        } else {
            self.write_f64(w, value as f64)
        }
    }
    fn write_i64<W: ?Sized + io::Write>(&mut self, w: &mut W, value: i64) -> io::Result<()> {
        if value.unsigned_abs() <= MAX_SAFE_INTEGER {
            self.0.write_i64(w, value)
        } else {
            self.write_f64(w, value as f64)
        }
    }
    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn js(text: &str) -> String {
        String::from_utf8(restringify(text.as_bytes()).unwrap()).unwrap()
    }

    // Expected: what Python's `json.dumps` prints for "é" and "😀" (ensure_ascii, the default).
    #[test]
    fn non_ascii_is_escaped_as_python_writes_it() {
        assert_eq!(
            ascii_escaped(r#"{"subject":"Café 😀"}"#),
            r#"{"subject":"Caf\u00e9 \ud83d\ude00"}"#
        );
    }

    // Expected strings are what `JSON.stringify(JSON.parse(text))` prints in Node.js 20.
    #[test]
    fn numbers_print_as_javascript_prints_them() {
        assert_eq!(
            js("[1.0, 1.5, 1e3, 0.000001, 1e-7, 1e21, 123456789012345678901, -0.0]"),
            "[1,1.5,1000,0.000001,1e-7,1e+21,123456789012345680000,0]"
        );
        assert_eq!(
            js("[12345678901234567890, 9007199254740993, 2.5e-10]"),
            "[12345678901234567000,9007199254740992,2.5e-10]"
        );
    }

    #[test]
    fn index_keys_come_first_as_in_javascript() {
        assert_eq!(
            js(r#"{"b":1,"2":0,"a":{"10":1,"01":2,"1":3}}"#),
            r#"{"2":0,"b":1,"a":{"1":3,"10":1,"01":2}}"#
        );
    }

    #[test]
    fn strings_keep_slashes_and_unicode_and_escape_controls() {
        assert_eq!(
            js(r#"{"u":"https:\/\/x.test/é\u2028","c":"\u0001\n"}"#),
            "{\"u\":\"https://x.test/é\u{2028}\",\"c\":\"\\u0001\\n\"}"
        );
    }

    #[test]
    fn pretty_matches_two_space_indent() {
        let v = json!({"a": [1, {}], "b": []});
        assert_eq!(
            String::from_utf8(pretty(&v)).unwrap(),
            "{\n  \"a\": [\n    1,\n    {}\n  ],\n  \"b\": []\n}"
        );
    }
}
