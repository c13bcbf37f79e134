//! `scenario from`: requests saved by `listen --save` turned into a scenario file that replays
//! them as templates.
//!
//! Each request becomes a step whose `body` is the saved body, except where the provider's
//! catalog template generates a value (an id, a timestamp: its `{{…}}` placeholders): there the
//! saved value gives way to the equivalent `${…}` generator, so every run is fresh. A generated
//! value that comes back (one message id across a chain) is written once and referred to after:
//! `${steps.FIRST.PATH}` when the first request holds it whole, else a `[vars]` entry.

mod found;
mod template;

use jiff::Timestamp;
use serde_json::Value;

use super::write;
use crate::providers::Provider;
use crate::signature::Scheme;
use found::{Found, Out};
use template::Slots;

/// One saved request.
#[derive(Debug, Clone)]
pub struct Capture {
    /// Where it came from, for the file's header comment.
    pub file: String,
    /// When the listener received it, when known.
    pub received: Option<Timestamp>,
    /// The body exactly as received.
    pub body: Vec<u8>,
}

/// A saved body the provider does not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file} does not hold a {title} body ({expected})")]
pub struct Unreadable {
    /// The saved request.
    pub file: String,
    /// The provider's title.
    pub title: &'static str,
    /// What its bodies are.
    pub expected: &'static str,
}

/// The scenario file (TOML text) that replays `captures`, in their order, as `provider` sends.
pub fn fixture(provider: &Provider, captures: &[Capture]) -> Result<String, Unreadable> {
    let bodies = captures
        .iter()
        .map(|c| read(provider, c))
        .collect::<Result<Vec<_>, _>>()?;
    let names = step_names(provider, &bodies);
    let mut found = Found::default();
    let trees: Vec<Out> = bodies
        .iter()
        .enumerate()
        .map(|(step, body)| {
            let slots = Slots::of(provider, body);
            found.walk(step, body, "", &slots)
        })
        .collect();
    let plan = found.decide(&names);
    let steps = trees
        .iter()
        .zip(&names)
        .zip(afters(captures))
        .map(|((tree, name), after)| write::Step {
            name: name.clone(),
            after,
            body: tree.render(&plan),
        })
        .collect();
    Ok(write::document(&write::Document {
        header: header(captures),
        description: format!("Requests captured by listen --save: {}", names.join(", ")),
        provider: provider.name,
        vars: plan.vars,
        steps,
    }))
}

/// The body as JSON (a form's parameters as an object), without a signature it carries.
fn read(provider: &Provider, capture: &Capture) -> Result<Value, Unreadable> {
    let mut value = provider.read(&capture.body).ok_or_else(|| Unreadable {
        file: capture.file.clone(),
        title: provider.title,
        expected: match provider.body {
            crate::providers::BodyKind::Form => "form-encoded parameters",
            _ => "JSON",
        },
    })?;
    // Mailgun signs inside the body; the run signs afresh, so the saved one goes.
    if provider.scheme == Scheme::Mailgun
        && let Value::Object(map) = &mut value
    {
        map.shift_remove("signature");
    }
    Ok(value)
}

/// Each step's name: its event type (or `request`), with `-2`, `-3`… when taken.
fn step_names(provider: &Provider, bodies: &[Value]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for body in bodies {
        let base = provider
            .type_of(provider.first(body))
            .unwrap_or_else(|| "request".to_string());
        let mut name = base.clone();
        let mut n = 1;
        while names.contains(&name) {
            n += 1;
            name = format!("{base}-{n}");
        }
        names.push(name);
    }
    names
}

/// The time between each request and the one before, as `after` writes it (none for the first
/// or when a time is unknown).
fn afters(captures: &[Capture]) -> Vec<Option<String>> {
    let mut previous: Option<Timestamp> = None;
    captures
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let gap = match (i, previous, c.received) {
                (0, _, _) => None,
                (_, Some(a), Some(b)) => Some(b.duration_since(a).as_millis().max(0)),
                _ => None,
            };
            previous = c.received;
            gap.map(|ms| match ms % 1000 {
                0 => format!("{}s", ms / 1000),
                _ => format!("{ms}ms"),
            })
        })
        .collect()
}

fn header(captures: &[Capture]) -> Vec<String> {
    let mut lines = vec![format!(
        "Made by `hookctl scenario from` from {} request{} saved by `hookctl listen --save`:",
        captures.len(),
        if captures.len() == 1 { "" } else { "s" }
    )];
    // A control character in a file name would end the comment line.
    let shown = |name: &str| name.replace(|c: char| c.is_control(), "?");
    lines.extend(captures.iter().map(|c| format!("  {}", shown(&c.file))));
    lines.push(
        "Ids and times the catalog generates are fresh on every run; a value an earlier request"
            .into(),
    );
    lines.push("carried again is a reference to it, so shared ids stay shared.".into());
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_between_received_times_become_afters() {
        let at = |s: &str| Some(s.parse::<Timestamp>().unwrap());
        let capture = |received| Capture {
            file: "f".into(),
            received,
            body: Vec::new(),
        };
        let captures = [
            capture(at("2024-01-15T10:30:00Z")),
            capture(at("2024-01-15T10:30:02Z")),
            capture(at("2024-01-15T10:30:02.250Z")),
            capture(None),
        ];
        assert_eq!(
            afters(&captures),
            vec![None, Some("2s".into()), Some("250ms".into()), None]
        );
    }
}

#[cfg(test)]
mod round_trip {
    use super::template::join;
    use super::*;
    use crate::scenario::{builtin, parse};

    /// What a builtin run sends, captured a second apart.
    fn captured(provider: &str, name: &str) -> (&'static Provider, Vec<Capture>, Vec<Value>) {
        let scenario = builtin::find(provider, name).unwrap().scenario();
        let provider = scenario.provider(None).unwrap();
        let start: Timestamp = "2024-01-15T10:30:00Z".parse().unwrap();
        let steps = scenario.plan(provider, start, &|_| None).unwrap();
        let captures = steps
            .iter()
            .enumerate()
            .map(|(i, s)| Capture {
                file: format!("{i}.http"),
                received: Some(start + jiff::SignedDuration::from_secs(i as i64)),
                body: s.body.clone(),
            })
            .collect();
        (
            provider,
            captures,
            steps.into_iter().map(|s| s.value).collect(),
        )
    }

    #[test]
    fn every_non_seed_builtin_captured_replays_fresh_with_its_ids_still_shared() {
        for b in builtin::ALL
            .iter()
            .filter(|b| !["ekdsend", "keplars"].contains(&b.provider))
        {
            let (provider, captures, before) = captured(b.provider, b.name);
            let text = fixture(provider, &captures).unwrap();
            let again = parse(&text, "captured.toml")
                .unwrap_or_else(|e| panic!("{}: {e}\n{text}", b.origin()));
            let after: Vec<Value> = again
                .plan(provider, Timestamp::now(), &|_| None)
                .unwrap_or_else(|e| panic!("{}: {e}\n{text}", b.origin()))
                .into_iter()
                .map(|s| s.value)
                .collect();
            assert_eq!(before.len(), after.len());
            for (x, y) in before.iter().zip(&after) {
                assert_eq!(shape(x), shape(y), "{}\n{text}", b.origin());
                let id = |v| provider.id_of(provider.first(v));
                assert!(
                    id(x).is_none() || id(x) != id(y),
                    "{}: a fresh event id",
                    b.origin()
                );
            }
            for (i, j, path, earlier) in shared(&before) {
                let (now, then) = (leaf(&after[i], &path), leaf(&after[j], &earlier));
                assert_eq!(
                    now,
                    then,
                    "{}: {path} still shares {earlier}\n{text}",
                    b.origin()
                );
            }
        }
    }

    /// Each id-like string a step repeats from an earlier one: the steps and both paths.
    fn shared(steps: &[Value]) -> Vec<(usize, usize, String, String)> {
        let all: Vec<Vec<(String, String)>> = steps.iter().map(|s| strings(s, "")).collect();
        let mut found = Vec::new();
        for (i, leaves) in all.iter().enumerate() {
            for (path, text) in leaves
                .iter()
                .filter(|(_, t)| t.len() >= 20 && !t.contains(' '))
            {
                let earlier = all[..i].iter().enumerate().find_map(|(j, l)| {
                    l.iter()
                        .find(|(_, t)| t == text)
                        .map(|(p, _)| (j, p.clone()))
                });
                if let Some((j, p)) = earlier {
                    found.push((i, j, path.clone(), p));
                }
            }
        }
        found
    }

    fn strings(value: &Value, path: &str) -> Vec<(String, String)> {
        match value {
            Value::Object(map) => map
                .iter()
                .flat_map(|(k, v)| strings(v, &join(path, k)))
                .collect(),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .flat_map(|(i, v)| strings(v, &join(path, &i.to_string())))
                .collect(),
            Value::String(s) => vec![(path.to_string(), s.clone())],
            _ => Vec::new(),
        }
    }

    fn leaf<'a>(value: &'a Value, path: &str) -> &'a Value {
        crate::providers::lookup(value, path).unwrap()
    }

    fn shape(value: &Value) -> Value {
        match value {
            Value::Object(map) => {
                Value::Object(map.iter().map(|(k, v)| (k.clone(), shape(v))).collect())
            }
            Value::Array(items) => Value::Array(items.iter().map(shape).collect()),
            Value::String(_) => "string".into(),
            Value::Number(_) => "number".into(),
            other => other.clone(),
        }
    }
}
