//! Bulk mode's events: a sample rendered once, then copied with fresh ids for each delivery.
//!
//! Building and serialising a sample costs more than sending it over a kept-alive connection,
//! so a burst renders each event type once per second (timestamps stay current) and gives
//! every copy its own random ids in place. A copy is the same event `sample` would build,
//! byte for byte, except for the ids' random characters.

use std::ops::Range;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use serde_json::Value;

use crate::catalog::{Envelope, EventType, ID_TAIL, fill_id_tail, identify, new_id};
use crate::json;
use crate::patch::{Assignment, PatchError};

/// Fields the catalog fills with fresh ids: the event's own, and the message's or call's.
const ID_FIELDS: [&str; 4] = ["message_id", "sms_id", "call_id", "email_id"];

/// A burst's events: each type in turn, its template rendered again when the second changes.
pub struct Templates {
    envelope: Envelope,
    set: Vec<Assignment>,
    slots: Vec<(EventType, Slot)>,
}

/// A type's latest template and the second it was rendered in.
type Slot = Mutex<Option<(i64, Arc<Template>)>>;

impl Templates {
    /// Templates for `types` in `envelope`; `set` must already have been checked against each
    /// type (a sample of it built and patched).
    pub fn new(types: &[EventType], envelope: Envelope, set: Vec<Assignment>) -> Self {
        let slots = types.iter().map(|t| (*t, Mutex::new(None))).collect();
        Self {
            envelope,
            set,
            slots,
        }
    }

    /// Event number `index` of the burst, with fresh ids: the event id and the body.
    pub fn copy(&self, index: u64) -> (String, Bytes) {
        let (kind, slot) = &self.slots[(index % self.slots.len() as u64) as usize];
        let now = jiff::Timestamp::now();
        let template = {
            let mut slot = slot.lock().expect("never poisoned");
            match &*slot {
                Some((second, template)) if *second == now.as_second() => template.clone(),
                _ => {
                    let sample = kind
                        .sample(self.envelope, now)
                        .expect("checked before the burst");
                    let fresh = Arc::new(
                        Template::new(sample, &self.set).expect("checked before the burst"),
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
    /// Offsets of the random tails to refresh in each copy.
    tails: Vec<usize>,
    id: EventId,
}

/// The event id of each copy.
#[derive(Debug, Clone)]
enum EventId {
    /// Refreshed with the tails: where it lies in the body.
    Fresh(Range<usize>),
    /// Fixed by `--set`.
    Fixed(String),
    /// Removed by `--set`, or not a string: a fresh `msg_` id per copy, as a single send
    /// uses (Standard Webhooks signs it as `webhook-id`).
    Missing,
}

impl Template {
    /// Renders `sample` (fresh from the catalog) after `set`; the ids the catalog generated
    /// and `set` left alone are refreshed in every copy.
    fn new(mut sample: Value, set: &[Assignment]) -> Result<Self, PatchError> {
        let generated: Vec<String> = std::iter::once(sample.get("id"))
            .chain(
                ID_FIELDS
                    .iter()
                    .map(|f| sample.get("data").and_then(|d| d.get(*f))),
            )
            .filter_map(|v| Some(v?.as_str()?.to_string()))
            .filter(|s| s.len() > ID_TAIL && s.is_ascii())
            .collect();
        for assignment in set {
            assignment.apply(&mut sample)?;
        }
        let body = json::compact(&sample);
        let event_id = identify(Some(&sample)).1.map(str::to_string);
        let mut tails = Vec::new();
        let mut fresh = None;
        for id in &generated {
            let quoted = format!("\"{id}\"");
            let Some(at) = find(&body, quoted.as_bytes()) else {
                continue; // replaced by --set
            };
            let start = at + 1;
            tails.push(start + id.len() - ID_TAIL);
            if event_id.as_ref() == Some(id) {
                fresh = Some(start..start + id.len());
            }
        }
        let id = match fresh {
            Some(span) => EventId::Fresh(span),
            None => event_id.map_or(EventId::Missing, EventId::Fixed),
        };
        Ok(Self { body, tails, id })
    }

    /// A copy with fresh ids: the event id and the body.
    fn copy(&self) -> (String, Bytes) {
        let mut body = self.body.clone();
        for &at in &self.tails {
            fill_id_tail(&mut body[at..at + ID_TAIL]);
        }
        let id = match &self.id {
            EventId::Fresh(span) => String::from_utf8_lossy(&body[span.clone()]).into_owned(),
            EventId::Fixed(id) => id.clone(),
            EventId::Missing => new_id("msg_"),
        };
        (id, Bytes::from(body))
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Envelope, EventType};

    fn template(kind: EventType, set: &[&str]) -> Template {
        let sample = kind
            .sample(Envelope::Ekdsend, jiff::Timestamp::now())
            .unwrap();
        let set: Vec<Assignment> = set.iter().map(|s| s.parse().unwrap()).collect();
        Template::new(sample, &set).unwrap()
    }

    #[test]
    fn copies_differ_only_in_their_ids() {
        let t = template(EventType::EmailDelivered, &["data.to=me@example.com"]);
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
        let t = template(EventType::SmsSent, &["id=null"]);
        let (a, b) = (t.copy().0, t.copy().0);
        assert!(a.starts_with("msg_") && b.starts_with("msg_"), "{a} {b}");
        assert_ne!(a, b);
    }

    #[test]
    fn an_id_fixed_by_set_stays_fixed() {
        let t = template(EventType::CallCompleted, &["id=evt_fixed"]);
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
