//! Bulk mode's events: a sample rendered once, then copied with fresh ids for each delivery.
//!
//! Building and serialising a sample costs more than sending it over a kept-alive connection,
//! so a burst renders each event type once per second (timestamps stay current) and gives
//! every copy its own random ids in place. A copy is the same event `sample` would build,
//! byte for byte, except for the ids' random characters.

use std::ops::Range;
use std::sync::{Arc, Mutex};

use bytes::Bytes;

use crate::catalog::new_id;
use crate::patch::{Assignment, PatchError};
use crate::providers::{Event, IdKind, Provider};

/// A burst's events: each type in turn, its template rendered again when the second changes.
pub struct Templates {
    provider: &'static Provider,
    set: Vec<Assignment>,
    slots: Vec<(&'static Event, Slot)>,
}

/// A type's latest template and the second it was rendered in.
type Slot = Mutex<Option<(i64, Arc<Template>)>>;

impl Templates {
    /// Templates for `events` of `provider`; `set` must already have been checked against each
    /// (a sample of it built and patched).
    pub fn new(
        provider: &'static Provider,
        events: &[&'static Event],
        set: Vec<Assignment>,
    ) -> Self {
        let slots = events.iter().map(|e| (*e, Mutex::new(None))).collect();
        Self {
            provider,
            set,
            slots,
        }
    }

    /// Event number `index` of the burst, with fresh ids: the event id and the body.
    pub fn copy(&self, index: u64) -> (String, Bytes) {
        let (event, slot) = &self.slots[(index % self.slots.len() as u64) as usize];
        let now = jiff::Timestamp::now();
        let template = {
            let mut slot = slot.lock().expect("never poisoned");
            match &*slot {
                Some((second, template)) if *second == now.as_second() => template.clone(),
                _ => {
                    let fresh = Arc::new(
                        Template::new(self.provider, event, now, &self.set)
                            .expect("checked before the burst"),
                    );
                    *slot = Some((now.as_second(), fresh.clone()));
                    fresh
                }
            }
        };
        // Copied outside the lock, so workers on the same type do not wait for each other.
        template.copy()
    }
}

/// A rendered event and where its generated ids lie.
#[derive(Debug, Clone)]
struct Template {
    body: Vec<u8>,
    /// Each generated id still in the body: the kind of its random tail, and where each of its
    /// occurrences' tails lie (a repeated id is refreshed alike everywhere).
    ids: Vec<(IdKind, Vec<usize>)>,
    id: EventId,
}

/// The event id of each copy.
#[derive(Debug, Clone)]
enum EventId {
    /// Refreshed with the tails: where it lies in the body.
    Fresh(Range<usize>),
    /// Fixed by `--set`, or not generated.
    Fixed(String),
    /// The body carries none, or `--set` removed it: a fresh `msg_` id per copy, as a single
    /// send uses (Standard Webhooks signs it as `webhook-id`).
    Missing,
}

impl Template {
    /// Renders `event` at `now` after `set`; the ids the template generated and `set` left alone
    /// are refreshed in every copy.
    fn new(
        provider: &Provider,
        event: &Event,
        now: jiff::Timestamp,
        set: &[Assignment],
    ) -> Result<Self, PatchError> {
        let rendered = provider.sample(event, now);
        let mut value = rendered.value;
        provider.apply(&mut value, set)?;
        let body = provider.encode(&value);
        let event_id = provider.id_of(provider.first(&value)).map(str::to_string);
        let mut ids = Vec::new();
        let mut fresh = None;
        for generated in &rendered.ids {
            let tail = generated.kind.tail_len();
            let starts = find_all(&body, generated.value.as_bytes());
            if starts.is_empty() {
                continue; // replaced by --set
            }
            if event_id.as_deref() == Some(generated.value.as_str()) {
                fresh = Some(starts[0]..starts[0] + generated.value.len());
            }
            let tails = starts
                .iter()
                .map(|start| start + generated.value.len() - tail)
                .collect();
            ids.push((generated.kind, tails));
        }
        let id = match fresh {
            Some(span) => EventId::Fresh(span),
            None => event_id.map_or(EventId::Missing, EventId::Fixed),
        };
        Ok(Self { body, ids, id })
    }

    /// A copy with fresh ids: the event id and the body.
    fn copy(&self) -> (String, Bytes) {
        let mut body = self.body.clone();
        for (kind, tails) in &self.ids {
            let len = kind.tail_len();
            let (first, rest) = tails.split_first().expect("ids are kept only where found");
            kind.fill(&mut body[*first..first + len]);
            for at in rest {
                body.copy_within(*first..first + len, *at);
            }
        }
        let id = match &self.id {
            EventId::Fresh(span) => String::from_utf8_lossy(&body[span.clone()]).into_owned(),
            EventId::Fixed(id) => id.clone(),
            EventId::Missing => new_id("msg_"),
        };
        (id, Bytes::from(body))
    }
}

/// Where each occurrence of `needle` starts in `haystack`.
fn find_all(haystack: &[u8], needle: &[u8]) -> Vec<usize> {
    haystack
        .windows(needle.len())
        .enumerate()
        .filter_map(|(i, w)| (w == needle).then_some(i))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;
    use serde_json::Value;

    fn template(kind: &str, set: &[&str]) -> Template {
        let provider = crate::providers::default();
        let event = provider.event(kind).unwrap();
        let set: Vec<Assignment> = set.iter().map(|s| s.parse().unwrap()).collect();
        Template::new(provider, event, jiff::Timestamp::now(), &set).unwrap()
    }

    #[test]
    fn copies_differ_only_in_their_ids() {
        let t = template("email.delivered", &["data.to=me@example.com"]);
        let (id_a, a) = t.copy();
        let (id_b, b) = t.copy();
        assert_ne!(id_a, id_b);
        let (va, vb): (Value, Value) = (
            serde_json::from_slice(&a).unwrap(),
            serde_json::from_slice(&b).unwrap(),
        );
        assert_eq!(va["id"], id_a.as_str());
        assert_ne!(va["data"]["message_id"], vb["data"]["message_id"]);
        assert_eq!(va["data"]["to"], "me@example.com");
        assert_eq!(va["created_at"], vb["created_at"]);
        assert_eq!(json::compact(&va), &a[..], "still JSON.stringify-exact");
    }

    #[test]
    fn an_event_without_an_id_gets_a_fresh_message_id_per_copy() {
        let t = template("sms.sent", &["id=null"]);
        let (a, b) = (t.copy().0, t.copy().0);
        assert!(a.starts_with("msg_") && b.starts_with("msg_"), "{a} {b}");
        assert_ne!(a, b);
    }

    #[test]
    fn an_id_fixed_by_set_stays_fixed() {
        let t = template("call.completed", &["id=evt_fixed"]);
        let (id, body) = t.copy();
        assert_eq!(id, "evt_fixed");
        let v: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["id"], "evt_fixed");
        let w: Value = serde_json::from_slice(&t.copy().1).unwrap();
        assert_ne!(
            v["data"]["call_id"], w["data"]["call_id"],
            "other ids are still fresh"
        );
    }
}
