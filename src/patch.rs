//! `--set PATH=VALUE`: override or add one field of an event by dot path.

use serde_json::Value;

/// Most segments a path may have: far beyond any event's depth, and shallow enough that building,
/// printing and dropping the nested objects it creates cannot exhaust the stack.
pub const MAX_SEGMENTS: usize = 64;

/// One `PATH=VALUE` override.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// Dot path, such as `data.to`; numeric segments index arrays.
    pub path: String,
    /// The value: JSON when `VALUE` is valid JSON, else the text as a string.
    pub value: Value,
}

/// `--set-str PATH=VALUE`: an assignment whose value is the text itself, never JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct Literal(pub Assignment);

/// Why an assignment cannot be parsed or applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PatchError {
    /// No `=`.
    #[error("`{0}` is not PATH=VALUE; write it like `data.to=me@example.com`")]
    NoEquals(String),
    /// An empty path or segment.
    #[error(
        "`{0}` has an empty path segment; write segments separated by single dots, like `data.to`"
    )]
    EmptySegment(String),
    /// A value that looks like JSON (a number, an array, an object, a string) but is not valid.
    #[error(
        "the value of `{path}` looks like JSON but does not parse ({why}); fix it, or pass --set-str {path}=… for a literal string"
    )]
    BadJson {
        /// The path assigned.
        path: String,
        /// The parser's complaint.
        why: String,
    },
    /// More than [`MAX_SEGMENTS`] segments.
    #[error("the path has {0} segments; at most {MAX_SEGMENTS} are supported")]
    TooDeep(usize),
    /// The path runs through a value that has no fields.
    #[error("cannot set `{path}`: `{parent}` is {kind}, not an object or array")]
    NotAContainer {
        /// The whole path.
        path: String,
        /// The part of the path that is a scalar.
        parent: String,
        /// What it is (`a string`, `a number`, …).
        kind: &'static str,
    },
    /// An array index that is not a number or is past the end.
    #[error("cannot set `{path}`: `{parent}` is an array of {len}; use an index from 0 to {len}")]
    BadIndex {
        /// The whole path.
        path: String,
        /// The array's path.
        parent: String,
        /// Its length.
        len: usize,
    },
}

impl std::str::FromStr for Assignment {
    type Err = PatchError;

    fn from_str(text: &str) -> Result<Self, PatchError> {
        let (path, raw) = split(text)?;
        let value = match serde_json::from_str(raw) {
            Ok(value) => value,
            Err(e) if looks_like_json(raw) => {
                return Err(PatchError::BadJson {
                    path: path.to_string(),
                    why: e.to_string(),
                });
            }
            Err(_) => Value::String(raw.to_string()),
        };
        Ok(Assignment {
            path: path.to_string(),
            value,
        })
    }
}

impl std::str::FromStr for Literal {
    type Err = PatchError;

    fn from_str(text: &str) -> Result<Self, PatchError> {
        let (path, raw) = split(text)?;
        Ok(Literal(Assignment {
            path: path.to_string(),
            value: Value::String(raw.to_string()),
        }))
    }
}

/// `PATH=VALUE` split at the first `=`, the path checked.
fn split(text: &str) -> Result<(&str, &str), PatchError> {
    let (path, raw) = text
        .split_once('=')
        .ok_or_else(|| PatchError::NoEquals(text.to_string()))?;
    let path = path.trim();
    if path.split('.').any(str::is_empty) {
        return Err(PatchError::EmptySegment(text.to_string()));
    }
    let segments = path.split('.').count();
    if segments > MAX_SEGMENTS {
        return Err(PatchError::TooDeep(segments));
    }
    Ok((path, raw))
}

/// Whether the user evidently meant JSON: an array, object or quoted string, or a number
/// (`007`, `1e400`, `+5`), so that a typo there is reported rather than sent as text.
fn looks_like_json(raw: &str) -> bool {
    let t = raw.trim();
    t.starts_with(['[', '{', '"']) || is_number_like(t)
}

/// Sign, digits, at most one point, an optional exponent: what a number looks like, leniently.
fn is_number_like(t: &str) -> bool {
    let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e.strip_prefix(['+', '-']).unwrap_or(e))),
        None => (unsigned, None),
    };
    let digits = mantissa.replacen('.', "", 1);
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && exponent.is_none_or(|e| !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit()))
}

impl Assignment {
    /// Sets the field in `event`, creating missing objects on the way.
    pub fn apply(&self, event: &mut Value) -> Result<(), PatchError> {
        let segments: Vec<&str> = self.path.split('.').collect();
        let mut node = event;
        for (i, segment) in segments.iter().enumerate() {
            let last = i + 1 == segments.len();
            let parent = || {
                if i == 0 {
                    "the event".to_string()
                } else {
                    segments[..i].join(".")
                }
            };
            node = match node {
                Value::Object(map) => {
                    let slot = map.entry(segment.to_string()).or_insert(Value::Null);
                    if !last && slot.is_null() {
                        *slot = Value::Object(Default::default());
                    }
                    slot
                }
                Value::Array(items) => {
                    let len = items.len();
                    let bad = || PatchError::BadIndex {
                        path: self.path.clone(),
                        parent: parent(),
                        len,
                    };
                    let index: usize = segment.parse().map_err(|_| bad())?;
                    if index == len {
                        items.push(if last {
                            Value::Null
                        } else {
                            Value::Object(Default::default())
                        });
                    }
                    items.get_mut(index).ok_or_else(bad)?
                }
                other => {
                    return Err(PatchError::NotAContainer {
                        path: self.path.clone(),
                        parent: parent(),
                        kind: kind(other),
                    });
                }
            };
        }
        *node = self.value.clone();
        Ok(())
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn set(event: &mut Value, text: &str) -> Result<(), PatchError> {
        text.parse::<Assignment>()?.apply(event)
    }

    #[test]
    fn values_are_json_when_they_parse_and_strings_otherwise() {
        let mut e = json!({"data": {"to": "a"}});
        set(&mut e, "data.to=me@example.com").unwrap();
        set(&mut e, "data.segments=2").unwrap();
        set(&mut e, "data.meta.tags=[\"x\"]").unwrap();
        set(&mut e, "data.meta.tags.1=y").unwrap();
        set(&mut e, "data.date=2026-01-01").unwrap();
        set(&mut e, "data.version=1.2.3").unwrap();
        assert_eq!(
            e,
            json!({"data": {"to": "me@example.com", "segments": 2,
            "meta": {"tags": ["x", "y"]}, "date": "2026-01-01", "version": "1.2.3"}})
        );
    }

    #[test]
    fn values_that_look_like_json_must_parse() {
        for text in [
            "data.tags=[\"a\",]",
            "data.code=007",
            "data.n=1e400",
            "data.phone=+15551234567",
            "data.o={\"a\":}",
            "data.s=\"open",
            "data.f=.5",
        ] {
            assert!(
                matches!(text.parse::<Assignment>(), Err(PatchError::BadJson { .. })),
                "{text}"
            );
        }
        let literal: Literal = "data.code=007".parse().unwrap();
        assert_eq!(literal.0.value, json!("007"));
    }

    #[test]
    fn paths_that_do_not_fit_are_named() {
        let mut e = json!({"data": {"to": "a", "list": [1]}});
        let err = set(&mut e, "data.to.name=x").unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot set `data.to.name`: `data.to` is a string, not an object or array"
        );
        assert!(matches!(
            set(&mut e, "data.list.5=1"),
            Err(PatchError::BadIndex { len: 1, .. })
        ));
        assert!(matches!(
            set(&mut e, "data..to=1"),
            Err(PatchError::EmptySegment(_))
        ));
        assert!(matches!(
            set(&mut e, "data.to"),
            Err(PatchError::NoEquals(_))
        ));
        let deep = format!("{}=1", vec!["a"; MAX_SEGMENTS + 1].join("."));
        assert_eq!(
            deep.parse::<Assignment>(),
            Err(PatchError::TooDeep(MAX_SEGMENTS + 1))
        );
        let deepest = format!("{}=1", vec!["a"; MAX_SEGMENTS].join("."));
        assert!(set(&mut e, &deepest).is_ok());
    }
}
