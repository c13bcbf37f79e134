//! Values with references: `${steps.NAME.PATH}`, `${vars.NAME}`, `${env:VAR|default}` and the
//! generators (`${b62:evt_}`, `${now+5m:unix}`, `${phone}`, …), resolved into JSON.

use jiff::{SignedDuration, Timestamp};
use serde_json::Value;

use super::Problem;
use crate::providers::render::{self, IdKind};

/// A value as written in the file: strings keep their line, for errors.
#[derive(Debug, Clone)]
pub(super) enum Tpl {
    /// A string, which may hold references.
    Text { text: String, line: usize },
    /// A number, boolean or date: taken as is.
    Plain(Value),
    /// An array.
    List(Vec<Tpl>),
    /// A table, in written order.
    Table(Vec<(String, Tpl)>),
}

/// What references can see while one value is resolved.
pub(super) struct Scope<'a> {
    /// `step "delivered"` or `var "message"`: who is asking, for messages.
    pub within: String,
    /// Every step's name, in written order.
    pub names: &'a [String],
    /// The bodies of the steps before this one, by name.
    pub earlier: &'a [(String, Value)],
    /// The vars defined so far.
    pub vars: &'a [(String, Value)],
    /// The environment.
    pub env: &'a dyn Fn(&str) -> Option<String>,
    /// What `${now}` means.
    pub now: Timestamp,
}

/// A problem and the line it is on.
pub(super) type Fault = (usize, Box<Problem>);

impl Tpl {
    /// The JSON value, every reference resolved.
    pub fn resolve(&self, scope: &Scope) -> Result<Value, Fault> {
        Ok(match self {
            Tpl::Text { text, line } => scope.text(text).map_err(|p| (*line, Box::new(p)))?,
            Tpl::Plain(value) => value.clone(),
            Tpl::List(items) => Value::Array(
                items
                    .iter()
                    .map(|i| i.resolve(scope))
                    .collect::<Result<_, _>>()?,
            ),
            Tpl::Table(entries) => {
                let mut map = serde_json::Map::new();
                for (key, item) in entries {
                    map.insert(key.clone(), item.resolve(scope)?);
                }
                Value::Object(map)
            }
        })
    }
}

impl Scope<'_> {
    /// A string with its references replaced; exactly one reference keeps its value's type.
    fn text(&self, text: &str) -> Result<Value, Problem> {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find('$') {
            out.push_str(&rest[..start]);
            let after = &rest[start..];
            if let Some(tail) = after.strip_prefix("$${") {
                out.push_str("${");
                rest = tail;
            } else if let Some(tail) = after.strip_prefix("${") {
                let end = tail.find('}').ok_or_else(|| Problem::Unterminated {
                    within: self.within.clone(),
                })?;
                let value = self.reference(&tail[..end])?;
                let whole = start == 0 && end + 1 == tail.len() && out.is_empty();
                if whole {
                    return Ok(value);
                }
                match value {
                    Value::String(s) => out.push_str(&s),
                    other => out.push_str(&other.to_string()),
                }
                rest = &tail[end + 1..];
            } else {
                out.push('$');
                rest = &after[1..];
            }
        }
        out.push_str(rest);
        Ok(Value::String(out))
    }

    /// The value of one reference (the text between `${` and `}`).
    fn reference(&self, reference: &str) -> Result<Value, Problem> {
        let expr = reference.trim();
        if let Some(rest) = expr.strip_prefix("steps.") {
            return self.step(reference, rest);
        }
        if let Some(rest) = expr.strip_prefix("vars.") {
            return self.var(reference, rest);
        }
        if let Some(rest) = expr.strip_prefix("env:") {
            let (var, default) = match rest.split_once('|') {
                Some((var, default)) => (var, Some(default)),
                None => (rest, None),
            };
            return match ((self.env)(var.trim()), default) {
                (Some(value), _) => Ok(Value::String(value)),
                (None, Some(default)) => Ok(Value::String(default.to_string())),
                (None, None) => Err(Problem::UnsetEnv {
                    within: self.within.clone(),
                    var: var.trim().to_string(),
                }),
            };
        }
        if let Some(rest) = expr.strip_prefix("now") {
            return self.time(reference, rest);
        }
        generated(expr).ok_or_else(|| Problem::UnknownReference {
            within: self.within.clone(),
            reference: reference.to_string(),
        })
    }

    /// `${steps.NAME.PATH}`: the longest step name that `rest` starts with (names may hold dots).
    fn step(&self, reference: &str, rest: &str) -> Result<Value, Problem> {
        let named = self
            .names
            .iter()
            .filter(|n| rest == n.as_str() || rest.starts_with(&format!("{n}.")))
            .max_by_key(|n| n.len());
        let found = named.and_then(|n| self.earlier.iter().find(|(e, _)| e == n));
        let Some((name, body)) = found else {
            let name = named.map_or_else(|| rest.split('.').next().unwrap_or(rest), String::as_str);
            return Err(Problem::UnknownStep {
                within: self.within.clone(),
                reference: reference.to_string(),
                name: name.to_string(),
                earlier: self.earlier.iter().map(|(n, _)| n.clone()).collect(),
            });
        };
        let path = rest[name.len()..].trim_start_matches('.');
        self.at_path(reference, body, path, format!("step \"{name}\"'s body"))
    }

    /// `${vars.NAME}` or `${vars.NAME.PATH}`.
    fn var(&self, reference: &str, rest: &str) -> Result<Value, Problem> {
        let (name, path) = rest.split_once('.').unwrap_or((rest, ""));
        let Some((_, value)) = self.vars.iter().find(|(n, _)| n == name) else {
            return Err(Problem::UnknownVar {
                within: self.within.clone(),
                reference: reference.to_string(),
                name: name.to_string(),
                known: self.vars.iter().map(|(n, _)| n.clone()).collect(),
            });
        };
        self.at_path(reference, value, path, format!("var \"{name}\""))
    }

    fn at_path(
        &self,
        reference: &str,
        value: &Value,
        path: &str,
        whose: String,
    ) -> Result<Value, Problem> {
        if path.is_empty() {
            return Ok(value.clone());
        }
        crate::providers::lookup(value, path)
            .cloned()
            .ok_or_else(|| Problem::UnknownPath {
                within: self.within.clone(),
                reference: reference.to_string(),
                whose,
                path: path.to_string(),
                fields: fields_where_lost(value, path),
            })
    }

    /// `${now}`, `${now+5m}`, `${now-30s:unix}`: `rest` follows `now`.
    fn time(&self, reference: &str, rest: &str) -> Result<Value, Problem> {
        let bad = || Problem::BadTime {
            within: self.within.clone(),
            reference: reference.to_string(),
        };
        let (offset, format) = rest.split_once(':').unwrap_or((rest, "rfc3339"));
        let offset = offset_of(offset).ok_or_else(bad)?;
        let at = self.now.checked_add(offset).map_err(|_| bad())?;
        render::time(at, format).ok_or_else(bad)
    }
}

/// The keys of the last object `path` reaches before it stops matching.
fn fields_where_lost(value: &Value, path: &str) -> Vec<String> {
    let mut node = value;
    for segment in path.split('.') {
        let next = match node {
            Value::Object(map) => map.get(segment),
            Value::Array(items) => segment.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        };
        match next {
            Some(next) => node = next,
            None => break,
        }
    }
    match node {
        Value::Object(map) => map.keys().cloned().collect(),
        Value::Array(items) => vec![format!("0 to {}", items.len().saturating_sub(1))],
        _ => Vec::new(),
    }
}

/// `""`, `+5m` or `-30s`: a whole number of seconds, minutes, hours or days.
fn offset_of(text: &str) -> Option<SignedDuration> {
    if text.is_empty() {
        return Some(SignedDuration::ZERO);
    }
    let (sign, rest) = match (text.strip_prefix('+'), text.strip_prefix('-')) {
        (Some(rest), _) => (1, rest),
        (_, Some(rest)) => (-1, rest),
        _ => return None,
    };
    let last = rest
        .len()
        .checked_sub(1)
        .filter(|&i| rest.is_char_boundary(i))?;
    let (digits, unit) = rest.split_at(last);
    let unit = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return None,
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: i64 = digits.parse().ok()?;
    Some(SignedDuration::from_secs(sign * n.checked_mul(unit)?))
}

/// A generated value: a fresh id, a phone number or an email address.
fn generated(expr: &str) -> Option<Value> {
    let (head, prefix) = expr.split_once(':').unwrap_or((expr, ""));
    let kind = match head {
        "b62" => IdKind::Base62,
        "hex" => IdKind::Hex,
        "HEX" => IdKind::UpperHex,
        "uuid" if prefix.is_empty() => IdKind::Uuid,
        "phone" if prefix.is_empty() => return Some(phone().into()),
        "email" if prefix.is_empty() => return Some(email().into()),
        // TOML has no null: `scenario from` writes a saved null as `${null}`.
        "null" if prefix.is_empty() => return Some(Value::Null),
        _ => return None,
    };
    Some(render::fresh(prefix, kind).into())
}

/// `+1`, an area code, then `555-01xx`: the range reserved for fiction.
fn phone() -> String {
    let [a, b, c]: [u16; 3] = rand::random();
    format!("+1{}555{:04}", 200 + a % 800, 100 + (b ^ c) % 100)
}

/// `user-` and 8 random lowercase letters and digits, at example.com.
fn email() -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let random: [u8; 8] = rand::random();
    let tail: String = random
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect();
    format!("user-{tail}@example.com")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn scope<'a>(
        earlier: &'a [(String, Value)],
        names: &'a [String],
        vars: &'a [(String, Value)],
    ) -> Scope<'a> {
        Scope {
            within: "step \"x\"".into(),
            names,
            earlier,
            vars,
            env: &|v| (v == "HOME_URL").then(|| "https://h.example".to_string()),
            now: "2024-01-15T10:30:00Z".parse().unwrap(),
        }
    }

    #[test]
    fn a_lone_reference_keeps_its_type_and_a_spliced_one_becomes_text() {
        let earlier = vec![("email.sent".to_string(), json!({"data": {"n": 3}}))];
        let names = vec!["email.sent".to_string(), "x".to_string()];
        let s = scope(&earlier, &names, &[]);
        assert_eq!(s.text("${steps.email.sent.data.n}").unwrap(), json!(3));
        assert_eq!(
            s.text("n=${steps.email.sent.data.n}").unwrap(),
            json!("n=3")
        );
        assert_eq!(s.text("$${literal}").unwrap(), json!("${literal}"));
        assert_eq!(s.text("${null}").unwrap(), Value::Null);
        assert_eq!(s.text("${now+5m:unix}").unwrap(), json!(1705314900));
        assert_eq!(s.text("${now-1d}").unwrap(), json!("2024-01-14T10:30:00Z"));
        assert_eq!(
            s.text("${env:HOME_URL}/a").unwrap(),
            json!("https://h.example/a")
        );
        assert_eq!(s.text("${env:NOPE|d}").unwrap(), json!("d"));
        assert_eq!(s.text("cost $5").unwrap(), json!("cost $5"));
    }

    #[test]
    fn generators_make_the_documented_shapes() {
        let s = scope(&[], &[], &[]);
        let phone = s.text("${phone}").unwrap();
        let phone = phone.as_str().unwrap();
        assert!(phone.starts_with("+1") && phone.len() == 12 && &phone[5..9] == "5550");
        let email = s.text("${email}").unwrap();
        assert!(email.as_str().unwrap().ends_with("@example.com"));
        assert_eq!(s.text("${hex:SM}").unwrap().as_str().unwrap().len(), 34);
        assert_ne!(s.text("${uuid}").unwrap(), s.text("${uuid}").unwrap());
    }

    #[test]
    fn bad_references_are_named() {
        let earlier = vec![("sent".to_string(), json!({"data": {"id": 1}}))];
        let names = vec!["sent".to_string(), "x".to_string(), "later".to_string()];
        let s = scope(&earlier, &names, &[]);
        let err = s.text("${steps.snet.data.id}").unwrap_err().to_string();
        assert_eq!(
            err,
            "step \"x\" refers to ${steps.snet.data.id}, and no earlier step is named \"snet\" (earlier steps: sent)"
        );
        assert!(matches!(
            s.text("${steps.later.id}"),
            Err(Problem::UnknownStep { .. })
        ));
        let err = s.text("${steps.sent.data.idd}").unwrap_err().to_string();
        assert!(
            err.ends_with("has no `data.idd` (fields there: id)"),
            "{err}"
        );
        assert!(matches!(
            s.text("${env:NOPE}"),
            Err(Problem::UnsetEnv { .. })
        ));
        assert!(matches!(
            s.text("${nope}"),
            Err(Problem::UnknownReference { .. })
        ));
        assert!(matches!(s.text("${now+5y}"), Err(Problem::BadTime { .. })));
        for odd in ["${nowé}", "${now+5é}", "${now+-5s}", "${now+}", "${now+s}"] {
            assert!(matches!(s.text(odd), Err(Problem::BadTime { .. })), "{odd}");
        }
        assert!(matches!(
            s.text("${now:julian}"),
            Err(Problem::BadTime { .. })
        ));
        assert!(matches!(
            s.text("${vars.v}"),
            Err(Problem::UnknownVar { .. })
        ));
        assert!(matches!(
            s.text("a ${uuid"),
            Err(Problem::Unterminated { .. })
        ));
    }
}
