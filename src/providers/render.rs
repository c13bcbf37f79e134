//! Sample templates: a provider's events written as JSON text with placeholders, rendered into a
//! fresh event with new ids and the current time.
//!
//! A placeholder is `{{NAME}}` or `{{NAME:ARG}}` inside a JSON string:
//!
//! | placeholder | renders as |
//! |---|---|
//! | `{{b62:evt_}}` | the prefix and 24 random base-62 characters |
//! | `{{hex:SM}}` | the prefix and 32 random lowercase hex digits (Twilio's SIDs) |
//! | `{{HEX:}}` | the prefix and 32 random uppercase hex digits |
//! | `{{uuid}}` | a random (version 4) UUID, lowercase |
//! | `{{now:FORMAT}}`, `{{now-137s:FORMAT}}` | the time, or that many seconds before (`+` after) |
//!
//! Time formats: `rfc3339` (`2024-01-15T10:30:00Z`), `rfc3339ms` (`…:00.123Z`), `rfc3339us`
//! (`…:00.123456Z`), `unix` and `unixms` (numbers), `unixf` (seconds with six decimals, a
//! number), `unix_text` (seconds, as text), `rfc2822` (`Mon, 15 Jan 2024 10:30:00 +0000`, Twilio's
//! voice timestamps), `yymmddhhmm` (`2401151030`, Twilio's `RawDlrDoneDate`), `datetime` (`2024-01-15 10:30:00`) and `datetimeus` (`…:00.123456`), Plivo's.
//!
//! An id placeholder may carry a label, `{{uuid@call}}` or `{{hex@msg:SM}}`: every placeholder
//! with the same label in one event renders the same value (Twilio's `MessageSid` and `SmsSid`). A string that is exactly
//! one numeric placeholder becomes a JSON number.

use jiff::{SignedDuration, Timestamp};
use serde_json::Value;

/// How many random characters follow a `b62` id's prefix.
pub const B62_TAIL: usize = 24;

/// The kind of a generated id: how many random characters, from which alphabet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    /// 24 characters of `0-9A-Za-z`.
    Base62,
    /// 32 characters of `0-9a-f`.
    Hex,
    /// 32 characters of `0-9A-F`.
    UpperHex,
    /// A version 4 UUID: 36 characters.
    Uuid,
}

impl IdKind {
    /// The length of the random part.
    pub fn tail_len(self) -> usize {
        match self {
            IdKind::Base62 => B62_TAIL,
            IdKind::Hex | IdKind::UpperHex => 32,
            IdKind::Uuid => 36,
        }
    }

    /// Overwrites `tail` (exactly [`IdKind::tail_len`] bytes) with fresh random characters.
    pub fn fill(self, tail: &mut [u8]) {
        const B62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        const HEX: &[u8] = b"0123456789abcdef";
        const UPPER: &[u8] = b"0123456789ABCDEF";
        let random: [u8; 36] = rand::random();
        match self {
            // 256 is not a multiple of 62: the slight bias is harmless for test ids.
            IdKind::Base62 => fill_from(tail, &random, B62),
            IdKind::Hex => fill_from(tail, &random, HEX),
            IdKind::UpperHex => fill_from(tail, &random, UPPER),
            IdKind::Uuid => {
                fill_from(tail, &random, HEX);
                for at in [8, 13, 18, 23] {
                    tail[at] = b'-';
                }
                tail[14] = b'4';
                tail[19] = HEX[usize::from(8 | (random[19] & 3))];
            }
        }
    }
}

fn fill_from(tail: &mut [u8], random: &[u8], alphabet: &[u8]) {
    for (c, b) in tail.iter_mut().zip(random) {
        *c = alphabet[usize::from(*b) % alphabet.len()];
    }
}

/// An id the renderer generated: its value and the kind of its random tail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// The whole id, prefix included.
    pub value: String,
    /// The random tail's kind (it ends the value).
    pub kind: IdKind,
}

/// A rendered event and the ids generated for it.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The event.
    pub value: Value,
    /// Each distinct generated id, in order of first appearance.
    pub ids: Vec<Generated>,
}

/// A template that does not parse, or a placeholder the renderer does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// The template is not JSON.
    #[error("the template is not JSON: {0}")]
    NotJson(String),
    /// An unknown placeholder.
    #[error("unknown placeholder `{{{{{0}}}}}`")]
    Unknown(String),
}

/// Renders `template` at `now`.
pub fn render(template: &str, now: Timestamp) -> Result<Rendered, TemplateError> {
    let mut value: Value =
        serde_json::from_str(template).map_err(|e| TemplateError::NotJson(e.to_string()))?;
    let mut state = State {
        now,
        labels: Vec::new(),
        ids: Vec::new(),
    };
    state.walk(&mut value)?;
    Ok(Rendered {
        value,
        ids: state.ids,
    })
}

struct State {
    now: Timestamp,
    labels: Vec<(String, String)>,
    ids: Vec<Generated>,
}

impl State {
    fn walk(&mut self, value: &mut Value) -> Result<(), TemplateError> {
        match value {
            Value::String(s) if s.contains("{{") => *value = self.string(s)?,
            Value::Array(items) => {
                for item in items {
                    self.walk(item)?;
                }
            }
            Value::Object(map) => {
                for (_, item) in map.iter_mut() {
                    self.walk(item)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// A string with its placeholders replaced; a lone numeric placeholder becomes a number.
    fn string(&mut self, text: &str) -> Result<Value, TemplateError> {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("{{") {
            let Some(len) = rest[start..].find("}}") else {
                break;
            };
            let name = &rest[start + 2..start + len];
            let piece = self.placeholder(name)?;
            if start == 0 && start + len + 2 == rest.len() && out.is_empty() {
                return Ok(piece);
            }
            out.push_str(&rest[..start]);
            match piece {
                Value::String(s) => out.push_str(&s),
                other => out.push_str(&other.to_string()),
            }
            rest = &rest[start + len + 2..];
        }
        out.push_str(rest);
        Ok(Value::String(out))
    }

    fn placeholder(&mut self, name: &str) -> Result<Value, TemplateError> {
        let unknown = || TemplateError::Unknown(name.to_string());
        let (head, arg) = name.split_once(':').unwrap_or((name, ""));
        if let Some(offset) = head.strip_prefix("now") {
            let at = self.now + offset_of(offset).ok_or_else(unknown)?;
            return time(at, arg).ok_or_else(unknown);
        }
        let (kind, label) = match head.split_once('@') {
            Some((kind, label)) => (kind, Some(label)),
            None => (head, None),
        };
        let kind = match kind {
            "b62" => IdKind::Base62,
            "hex" => IdKind::Hex,
            "HEX" => IdKind::UpperHex,
            "uuid" => IdKind::Uuid,
            _ => return Err(unknown()),
        };
        if let Some(label) = label
            && let Some((_, value)) = self.labels.iter().find(|(l, _)| l == label)
        {
            return Ok(Value::String(value.clone()));
        }
        let value = fresh(arg, kind);
        if let Some(label) = label {
            self.labels.push((label.to_string(), value.clone()));
        }
        self.ids.push(Generated {
            value: value.clone(),
            kind,
        });
        Ok(Value::String(value))
    }
}

/// `prefix` followed by a fresh random tail of `kind`.
pub fn fresh(prefix: &str, kind: IdKind) -> String {
    let mut id = prefix.as_bytes().to_vec();
    id.resize(prefix.len() + kind.tail_len(), 0);
    kind.fill(&mut id[prefix.len()..]);
    String::from_utf8(id).expect("the prefix is text and the tail ASCII")
}

/// `""`, `-137s` or `+5s` as a duration.
fn offset_of(text: &str) -> Option<SignedDuration> {
    if text.is_empty() {
        return Some(SignedDuration::ZERO);
    }
    let secs: i64 = text.strip_suffix('s')?.parse().ok()?;
    Some(SignedDuration::from_secs(secs))
}

/// The time formats [`time`] knows.
pub const TIME_FORMATS: &[&str] = &[
    "rfc3339",
    "rfc3339ms",
    "rfc3339us",
    "unix",
    "unixms",
    "unixf",
    "unix_text",
    "rfc2822",
    "yymmddhhmm",
    "datetime",
    "datetimeus",
];

/// `at` in one of the time formats above (`rfc3339`, `unix`, …); `None` for an unknown format.
pub fn time(at: Timestamp, format: &str) -> Option<Value> {
    let text = |f: &str| Value::String(at.strftime(f).to_string());
    Some(match format {
        "rfc3339" => text("%Y-%m-%dT%H:%M:%SZ"),
        "rfc3339ms" => text("%Y-%m-%dT%H:%M:%S%.3fZ"),
        "rfc3339us" => text("%Y-%m-%dT%H:%M:%S%.6fZ"),
        "unix" => at.as_second().into(),
        "unixms" => at.as_millisecond().into(),
        "unix_text" => at.as_second().to_string().into(),
        "rfc2822" => text("%a, %d %b %Y %H:%M:%S +0000"),
        "yymmddhhmm" => text("%y%m%d%H%M"),
        "datetime" => text("%Y-%m-%d %H:%M:%S"),
        "datetimeus" => text("%Y-%m-%d %H:%M:%S%.6f"),
        "unixf" => {
            let micros = at.as_microsecond();
            let text = format!(
                "{}.{:06}",
                micros.div_euclid(1_000_000),
                micros.rem_euclid(1_000_000)
            );
            Value::Number(text.parse().ok()?)
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> Timestamp {
        "2024-01-15T10:30:00.123456Z".parse().unwrap()
    }

    #[test]
    fn ids_are_fresh_and_labels_repeat() {
        let r = render(
            r#"{"a":"{{hex@m:SM}}","b":"{{hex@m:SM}}","c":"{{uuid}}","d":"x-{{b62:evt_}}"}"#,
            at(),
        )
        .unwrap();
        let v = &r.value;
        assert_eq!(v["a"], v["b"]);
        assert_eq!(v["a"].as_str().unwrap().len(), 34);
        assert!(v["a"].as_str().unwrap().starts_with("SM"));
        let uuid = v["c"].as_str().unwrap();
        assert_eq!((uuid.len(), &uuid[14..15], &uuid[8..9]), (36, "4", "-"));
        assert!(v["d"].as_str().unwrap().starts_with("x-evt_"));
        assert_eq!(r.ids.len(), 3, "one per distinct id: {:?}", r.ids);
    }

    #[test]
    fn times_render_in_each_format() {
        let r = render(
            r#"{"a":"{{now:rfc3339}}","b":"{{now-137s:rfc3339ms}}","c":"{{now:unix}}","d":"{{now:unixf}}","e":"at {{now:unix}}","f":"{{now:unix_text}}","g":"{{now+1s:rfc3339us}}"}"#,
            at(),
        )
        .unwrap();
        let v = r.value;
        assert_eq!(v["a"], "2024-01-15T10:30:00Z");
        assert_eq!(v["b"], "2024-01-15T10:27:43.123Z");
        assert_eq!(v["c"], 1705314600);
        assert_eq!(v["d"].to_string(), "1705314600.123456");
        assert_eq!(v["e"], "at 1705314600");
        assert_eq!(v["f"], "1705314600");
        assert_eq!(v["g"], "2024-01-15T10:30:01.123456Z");
        let r = render(
            r#"{"a":"{{now:rfc2822}}","b":"{{now:datetime}}","c":"{{now:datetimeus}}","d":"{{now:yymmddhhmm}}"}"#,
            at(),
        )
        .unwrap();
        assert_eq!(r.value["a"], "Mon, 15 Jan 2024 10:30:00 +0000");
        assert_eq!(r.value["b"], "2024-01-15 10:30:00");
        assert_eq!(r.value["c"], "2024-01-15 10:30:00.123456");
        assert_eq!(r.value["d"], "2401151030");
    }

    #[test]
    fn unknown_placeholders_are_refused() {
        assert!(render(r#"{"a":"{{nope}}"}"#, at()).is_err());
        assert!(render(r#"{"a":"{{now:julian}}"}"#, at()).is_err());
        assert!(render(r#"{"a":"{{now-5m:unix}}"}"#, at()).is_err());
    }
}
