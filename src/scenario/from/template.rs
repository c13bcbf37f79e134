//! The catalog's templates read back: where a body's template generates values, and a saved
//! string split along a template's `{{…}}` placeholders into text and generators.

use std::collections::HashMap;

use serde_json::Value;

use crate::providers::Provider;

/// Where a body's catalog template generates values: dot paths (array indices as `#`) to the
/// template text there, or `None` where the template has a plain value.
pub(super) struct Slots(HashMap<String, Option<String>>);

impl Slots {
    /// The template of the body's own event first, then every other event of the provider for
    /// paths it does not have (an event the catalog lacks still has the envelope's ids).
    pub(super) fn of(provider: &Provider, body: &Value) -> Self {
        let mut slots = HashMap::new();
        let own = provider
            .type_of(provider.first(body))
            .and_then(|t| provider.event(&t).ok());
        for event in own.into_iter().chain(provider.events.iter()) {
            if let Ok(template) = serde_json::from_str::<Value>(event.template) {
                leaves(&template, String::new(), &mut |path, text| {
                    slots.entry(path).or_insert(text);
                });
            }
        }
        Slots(slots)
    }

    pub(super) fn at(&self, path: &str) -> Option<&str> {
        self.0.get(&normal(path))?.as_deref()
    }
}

/// Calls `found` with each leaf's normalised path and, for a string with a placeholder, its text.
fn leaves(value: &Value, path: String, found: &mut dyn FnMut(String, Option<String>)) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                leaves(item, join(&path, key), found);
            }
        }
        Value::Array(items) => {
            for item in items {
                leaves(item, join(&path, "#"), found);
            }
        }
        Value::String(s) if s.contains("{{") => {
            found(path, Some(s.clone()));
        }
        _ => found(path, None),
    }
}

pub(super) fn join(path: &str, key: &str) -> String {
    match path {
        "" => key.to_string(),
        _ => format!("{path}.{key}"),
    }
}

fn normal(path: &str) -> String {
    path.split('.')
        .map(|s| match s.parse::<usize>() {
            Ok(_) => "#",
            Err(_) => s,
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// What a generated value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Kind {
    Id,
    Time,
}

/// A part of a saved string matched against its template.
#[derive(Debug, PartialEq)]
pub(super) enum Part {
    Literal(String),
    /// The saved text, what it is, and the generator that makes a fresh one.
    Generated(String, Kind, String),
}

/// `saved` split along `template`'s placeholders, or `None` when its literal text differs.
pub(super) fn matched(template: &str, saved: &str) -> Option<Vec<Part>> {
    let pieces = split(template)?;
    let mut parts = Vec::new();
    let mut rest = saved;
    for (i, piece) in pieces.iter().enumerate() {
        match piece {
            Ok(text) => {
                rest = rest.strip_prefix(text.as_str())?;
                parts.push(Part::Literal(text.clone()));
            }
            Err((kind, generator)) => {
                let end = match pieces.get(i + 1) {
                    Some(Ok(next)) => rest.find(next.as_str())?,
                    _ => rest.len(),
                };
                parts.push(Part::Generated(
                    rest[..end].to_string(),
                    *kind,
                    generator.clone(),
                ));
                rest = &rest[end..];
            }
        }
    }
    rest.is_empty().then_some(parts)
}

/// A template string as literal text (`Ok`) and placeholders (`Err`: kind and generator).
type TemplatePiece = Result<String, (Kind, String)>;

fn split(template: &str) -> Option<Vec<TemplatePiece>> {
    let mut pieces = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let len = rest[start..].find("}}")?;
        if start > 0 {
            pieces.push(Ok(rest[..start].to_string()));
        }
        pieces.push(Err(generator(&rest[start + 2..start + len])?));
        rest = &rest[start + len + 2..];
    }
    if !rest.is_empty() {
        pieces.push(Ok(rest.to_string()));
    }
    Some(pieces)
}

/// A template placeholder's scenario generator: `hex@msg:SM` is `${hex:SM}`.
fn generator(placeholder: &str) -> Option<(Kind, String)> {
    let (head, arg) = placeholder.split_once(':').unwrap_or((placeholder, ""));
    if head.starts_with("now") {
        return Some((Kind::Time, format!("${{{placeholder}}}")));
    }
    let kind = head.split('@').next()?;
    match kind {
        "uuid" => Some((Kind::Id, "${uuid}".to_string())),
        "b62" | "hex" | "HEX" => Some((Kind::Id, format!("${{{kind}:{arg}}}"))),
        _ => None,
    }
}

/// The generator of a template that is one time placeholder, such as `{{now:unix}}`.
pub(super) fn lone_time(template: &str) -> Option<String> {
    match split(template)?.as_slice() {
        [Err((Kind::Time, generator))] => Some(generator.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_splits_a_saved_string_into_text_and_generators() {
        let parts = matched(
            "<{{b62@msg:}}@ismtpd.sendgrid.net>",
            "<abc123@ismtpd.sendgrid.net>",
        )
        .unwrap();
        assert_eq!(
            parts,
            vec![
                Part::Literal("<".into()),
                Part::Generated("abc123".into(), Kind::Id, "${b62:}".into()),
                Part::Literal("@ismtpd.sendgrid.net>".into()),
            ]
        );
        assert_eq!(matched("x-{{uuid}}", "y-1"), None);
        let time = matched("{{now-4s:datetimeus}}", "2024-01-15 10:30:00.1").unwrap();
        assert_eq!(
            time,
            vec![Part::Generated(
                "2024-01-15 10:30:00.1".into(),
                Kind::Time,
                "${now-4s:datetimeus}".into()
            )]
        );
        assert_eq!(lone_time("{{now:unix}}").as_deref(), Some("${now:unix}"));
        assert_eq!(lone_time("{{hex:SM}}"), None);
    }
}
