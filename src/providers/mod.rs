//! Providers as data: who sends webhooks, what their events look like, and how they sign them.
//!
//! Each provider is one file holding a [`Provider`] value: its name, the content type of its
//! bodies, its event catalog as templates (see [`render`]), where a received body names its
//! type and id, what the listener shows at a glance, and its signature scheme. Adding a provider
//! whose scheme exists means adding its file and one line to [`ALL`].

mod ekdsend;
mod keplars;
mod mailgun;
mod plivo;
mod postmark;
pub mod render;
mod resend;
mod sendgrid;
mod telnyx;
mod twilio;
mod vonage;

use jiff::Timestamp;
use serde_json::Value;

use crate::patch::{Assignment, PatchError};
use crate::signature::Scheme;
pub use render::{Generated, IdKind, Rendered, TemplateError};

/// Every provider, the default first.
pub static ALL: &[&Provider] = &[
    &ekdsend::PROVIDER,
    &keplars::PROVIDER,
    &twilio::PROVIDER,
    &plivo::PROVIDER,
    &resend::PROVIDER,
    &vonage::PROVIDER,
    &mailgun::PROVIDER,
    &postmark::PROVIDER,
    &sendgrid::PROVIDER,
    &telnyx::PROVIDER,
];

/// The default provider: EKDSend.
pub fn default() -> &'static Provider {
    ALL[0]
}

/// The provider whose own scheme `scheme` is, the first listed when several share it.
pub fn of_scheme(scheme: Scheme) -> Option<&'static Provider> {
    ALL.iter().copied().find(|p| p.scheme == scheme)
}

/// The first provider whose scheme signs with a key pair of `algorithm`.
pub fn of_key_pair(algorithm: crate::signature::Algorithm) -> Option<&'static Provider> {
    ALL.iter()
        .copied()
        .find(|p| p.scheme.key_pair() == Some(algorithm))
}

/// The first provider whose catalog has the event `body` names (Mailgun's signature travels in
/// the body, so its requests carry no header that names it).
pub fn of_body(body: &[u8]) -> Option<&'static Provider> {
    ALL.iter().copied().find(|p| {
        p.read(body)
            .and_then(|v| p.type_of(p.first(&v)))
            .is_some_and(|t| p.event(&t).is_ok())
    })
}

/// A provider by its command-line name.
pub fn by_name(name: &str) -> Option<&'static Provider> {
    ALL.iter()
        .copied()
        .find(|p| p.name.eq_ignore_ascii_case(name))
}

/// What a provider's bodies are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// One JSON object per delivery.
    JsonObject,
    /// A JSON array of events: a batch of one or more per delivery.
    JsonArray,
    /// `application/x-www-form-urlencoded` parameters; the template is an object of strings.
    Form,
}

impl BodyKind {
    /// The `Content-Type` a provider sends such bodies with.
    pub fn content_type(self) -> &'static str {
        match self {
            BodyKind::JsonObject | BodyKind::JsonArray => "application/json",
            BodyKind::Form => "application/x-www-form-urlencoded",
        }
    }
}

/// A provider that sends webhooks.
#[derive(Debug)]
pub struct Provider {
    /// The command-line name, such as `twilio`.
    pub name: &'static str,
    /// The name as the provider writes it, such as `Twilio`.
    pub title: &'static str,
    /// One line: what it is.
    pub description: &'static str,
    /// What its bodies are.
    pub body: BodyKind,
    /// Bytes it ends every body with, part of what it signs (SendGrid: `\r\n`).
    pub trailer: &'static str,
    /// How it signs.
    pub scheme: Scheme,
    /// What its catalog covers, when it is a part of the field ("email events only").
    pub scope: Option<&'static str>,
    /// Its events, in the documentation's order.
    pub events: &'static [Event],
    /// The event sent when none is named.
    pub default_event: &'static str,
    /// Where a received event names its type: the first rule whose field is present decides.
    pub types: &'static [TypeRule],
    /// Dot path of the event's own id, the one receivers dedupe on, when the body carries one.
    pub event_id: Option<&'static str>,
    /// Fields the listener shows at a glance, in order.
    pub glance: &'static [Glance],
}

/// One event type of a provider's catalog.
#[derive(Debug)]
pub struct Event {
    /// The name, such as `email.delivered`; for providers whose bodies name no type, the name
    /// hookctl gives it (`message.delivered` for Twilio's `MessageStatus=delivered`).
    pub name: &'static str,
    /// One line, from the provider's documentation.
    pub description: &'static str,
    /// A realistic sample, as a template (see [`render`]).
    pub template: &'static str,
}

impl std::fmt::Display for Event {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

/// Where a received event names its type.
#[derive(Debug)]
pub struct TypeRule {
    /// Dot path of the field that decides, when it is present and a string; `PATH=VALUE` decides
    /// only when the field holds exactly that value, and then `prefix` alone is the type (Plivo's
    /// `Event=Hangup` is `call.hangup`). `GUARD&RULE` applies `RULE` only when the field at
    /// `GUARD` is present (Vonage's call events, told from its message statuses by
    /// `conversation_uuid`); `GUARD&` alone makes `prefix` the type.
    pub field: &'static str,
    /// Put before the field's value (`call.` for Twilio's `CallStatus`).
    pub prefix: &'static str,
}

/// A field shown at a glance.
#[derive(Debug)]
pub struct Glance {
    /// Dot path.
    pub path: &'static str,
    /// Whether a string is shown in quotes (free text) or bare (an address, a status).
    pub quoted: bool,
}

/// An event name the provider does not send.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UnknownEvent {
    /// No provider has it.
    #[error("unknown event type `{name}`{}", did_you_mean(.suggestions))]
    Unknown {
        /// What was asked for.
        name: String,
        /// The nearest names, best first.
        suggestions: Vec<&'static str>,
    },
    /// Another provider sends it, this one does not.
    #[error("{title} sends {scope}, not `{name}`")]
    NotSent {
        /// The provider's title.
        title: &'static str,
        /// What it sends.
        scope: &'static str,
        /// What was asked for.
        name: String,
    },
}

fn did_you_mean(suggestions: &[&str]) -> String {
    match suggestions {
        [] => String::new(),
        list => format!("; did you mean {}?", list.join(", ")),
    }
}

impl Provider {
    /// The event named `name`; on failure, the nearest names.
    pub fn event(&self, name: &str) -> Result<&'static Event, UnknownEvent> {
        let wanted = name.trim().to_ascii_lowercase();
        let events: &'static [Event] = self.events;
        if let Some(e) = events.iter().find(|e| e.name.eq_ignore_ascii_case(&wanted)) {
            return Ok(e);
        }
        let elsewhere = ALL.iter().any(|p| {
            p.events
                .iter()
                .any(|e| e.name.eq_ignore_ascii_case(&wanted))
        });
        if let (true, Some(scope)) = (elsewhere, self.scope) {
            return Err(UnknownEvent::NotSent {
                title: self.title,
                scope,
                name: name.to_string(),
            });
        }
        Err(UnknownEvent::Unknown {
            name: name.to_string(),
            suggestions: nearest(events, &wanted),
        })
    }

    /// The event sent when none is named.
    pub fn default_event(&self) -> &'static Event {
        let events: &'static [Event] = self.events;
        events
            .iter()
            .find(|e| e.name == self.default_event)
            .unwrap_or(&events[0])
    }

    /// A fresh sample of `event`, created at `now`.
    pub fn sample(&self, event: &Event, now: Timestamp) -> Rendered {
        render::render(event.template, now).expect("catalog templates are checked by tests")
    }

    /// The exact bytes of `value` as this provider sends it.
    pub fn encode(&self, value: &Value) -> Vec<u8> {
        let mut bytes = match self.body {
            BodyKind::JsonObject | BodyKind::JsonArray => crate::json::compact(value),
            BodyKind::Form => form(value).into_bytes(),
        };
        bytes.extend_from_slice(self.trailer.as_bytes());
        bytes
    }

    /// Applies `--set` overrides to a sample; in a batch (a JSON array), a path that does not
    /// start with an index applies to every event.
    pub fn apply(&self, value: &mut Value, set: &[Assignment]) -> Result<(), PatchError> {
        for assignment in set {
            let indexed = assignment
                .path
                .split('.')
                .next()
                .is_some_and(|first| first.parse::<usize>().is_ok());
            match value {
                Value::Array(events) if !indexed => {
                    for event in events {
                        assignment.apply(event)?;
                    }
                }
                _ => assignment.apply(value)?,
            }
        }
        Ok(())
    }

    /// A body's parsed value: JSON, or for a form provider its parameters; `None` when it is
    /// neither.
    pub fn read(&self, body: &[u8]) -> Option<Value> {
        match self.body {
            BodyKind::Form => parse_form(body),
            BodyKind::JsonObject | BodyKind::JsonArray => serde_json::from_slice(body).ok(),
        }
    }

    /// The event that names a delivery: the first of a batch, else the body itself.
    pub fn first<'a>(&self, value: &'a Value) -> &'a Value {
        match value {
            Value::Array(events) => events.first().unwrap_or(value),
            other => other,
        }
    }

    /// The type a received event names, by the provider's rules.
    pub fn type_of(&self, event: &Value) -> Option<String> {
        self.types.iter().find_map(|rule| {
            let field = match rule.field.split_once('&') {
                Some((guard, _)) if lookup(event, guard).is_none() => return None,
                Some((_, "")) => return Some(rule.prefix.to_string()),
                Some((_, field)) => field,
                None => rule.field,
            };
            match field.split_once('=') {
                Some((path, wanted)) => {
                    (lookup(event, path)?.as_str()? == wanted).then(|| rule.prefix.to_string())
                }
                None => {
                    let value = lookup(event, field)?.as_str()?;
                    Some(format!("{}{value}", rule.prefix))
                }
            }
        })
    }

    /// Whether a body names its type and id in the top-level `type` and `id` of a JSON object
    /// (the seeds' envelope), which the listener reads without building the tree.
    pub fn names_type_and_id_at_top(&self) -> bool {
        self.body == BodyKind::JsonObject
            && matches!(
                self.types,
                [TypeRule {
                    field: "type",
                    prefix: ""
                }]
            )
            && self.event_id == Some("id")
    }

    /// The event's own id, when the body carries one.
    pub fn id_of<'a>(&self, event: &'a Value) -> Option<&'a str> {
        lookup(event, self.event_id?)?.as_str()
    }
}

/// The names in `events` nearest `wanted`: within three edits, or sharing a dot-separated part.
fn nearest(events: &'static [Event], wanted: &str) -> Vec<&'static str> {
    let mut scored: Vec<(usize, &'static str)> = events
        .iter()
        .filter_map(|e| {
            let distance = strsim::levenshtein(wanted, e.name);
            let shares_part = !wanted.is_empty() && e.name.split('.').any(|part| part == wanted);
            (distance <= 3 || shares_part)
                .then_some((if shares_part { 0 } else { distance }, e.name))
        })
        .collect();
    scored.sort_by_key(|(d, _)| *d);
    scored.into_iter().take(4).map(|(_, n)| n).collect()
}

/// The value at a dot path (numeric segments index arrays).
pub fn lookup<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(value, |v, segment| match v {
        Value::Object(map) => map.get(segment),
        Value::Array(items) => items.get(segment.parse::<usize>().ok()?),
        _ => None,
    })
}

/// An object's fields as `application/x-www-form-urlencoded`, in order; an array value repeats
/// its name, other values are written as their JSON text.
pub fn form(value: &Value) -> String {
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    if let Value::Object(map) = value {
        for (name, item) in map {
            match item {
                Value::Array(items) => {
                    for item in items {
                        out.append_pair(name, &form_text(item));
                    }
                }
                other => {
                    out.append_pair(name, &form_text(other));
                }
            }
        }
    }
    out.finish()
}

fn form_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A form body's parameters as a JSON object of strings (a repeated name becomes an array), or
/// `None` when it is not form-encoded text.
pub fn parse_form(body: &[u8]) -> Option<Value> {
    let text = std::str::from_utf8(body).ok()?;
    if text.trim().is_empty() || text.contains(['{', '\n']) {
        return None;
    }
    let mut map = serde_json::Map::new();
    for (name, value) in url::form_urlencoded::parse(body) {
        match map.get_mut(name.as_ref()) {
            Some(Value::Array(items)) => items.push(value.into_owned().into()),
            Some(first) => *first = Value::Array(vec![first.take(), value.into_owned().into()]),
            None => {
                map.insert(name.into_owned(), value.into_owned().into());
            }
        }
    }
    Some(Value::Object(map))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_renders_into_its_providers_body() {
        let now = Timestamp::now();
        for provider in ALL {
            assert!(
                provider.event(provider.default_event).is_ok(),
                "{}",
                provider.name
            );
            for event in provider.events {
                let rendered = render::render(event.template, now)
                    .unwrap_or_else(|e| panic!("{} {}: {e}", provider.name, event.name));
                let value = rendered.value;
                match provider.body {
                    BodyKind::JsonObject => assert!(value.is_object()),
                    BodyKind::JsonArray => assert!(value.is_array()),
                    BodyKind::Form => assert!(
                        value
                            .as_object()
                            .is_some_and(|m| m.values().all(|v| v.is_string())),
                        "{} {}: form templates hold strings only",
                        provider.name,
                        event.name
                    ),
                }
                let first = match &value {
                    Value::Array(items) => &items[0],
                    other => other,
                };
                assert_eq!(
                    provider.type_of(first).as_deref(),
                    Some(event.name),
                    "{}: the type rules name each sample",
                    provider.name
                );
                assert!(
                    provider.event_id.is_none() || provider.id_of(first).is_some(),
                    "{} {}: the event id is where the provider says",
                    provider.name,
                    event.name
                );
            }
        }
    }

    #[test]
    fn vonage_types_tell_call_events_from_message_statuses() {
        let vonage = by_name("vonage").unwrap();
        let type_of = |v: serde_json::Value| vonage.type_of(&v);
        let call =
            serde_json::json!({"uuid": "u", "conversation_uuid": "CON-u", "status": "rejected"});
        assert_eq!(type_of(call).as_deref(), Some("call.rejected"));
        let message = serde_json::json!({"message_uuid": "u", "status": "rejected"});
        assert_eq!(type_of(message).as_deref(), Some("message.rejected"));
        let inbound = serde_json::json!({"message_uuid": "u", "message_type": "image"});
        assert_eq!(type_of(inbound).as_deref(), Some("message.inbound"));
        assert_eq!(type_of(serde_json::json!({"message_uuid": "u"})), None);
    }

    #[test]
    fn form_bodies_round_trip() {
        let value = serde_json::json!({"Body": "Hi & bye = 1+1", "To": "+14155550123", "Media": ["a", "b"]});
        let body = form(&value);
        assert_eq!(
            body,
            "Body=Hi+%26+bye+%3D+1%2B1&To=%2B14155550123&Media=a&Media=b"
        );
        assert_eq!(parse_form(body.as_bytes()).unwrap(), value);
    }

    #[test]
    fn unknown_names_get_suggestions() {
        let ekdsend = default();
        let err = ekdsend.event("email.deliverd").unwrap_err();
        assert!(
            err.to_string().contains("did you mean email.delivered"),
            "{err}"
        );
        let err = by_name("keplars").unwrap().event("sms.sent").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("Keplars sends email events only"),
            "{err}"
        );
    }
}
