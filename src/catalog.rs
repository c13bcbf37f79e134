//! The event types the seed providers send, and realistic sample events for each.

use jiff::Timestamp;
use serde_json::{Map, Value, json};

/// One of the 15 event types of the EKDSend and Keplars documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventType {
    EmailSent,
    EmailDelivered,
    EmailOpened,
    EmailClicked,
    EmailBounced,
    EmailComplained,
    EmailFailed,
    SmsSent,
    SmsDelivered,
    SmsFailed,
    SmsReceived,
    CallInitiated,
    CallAnswered,
    CallCompleted,
    CallFailed,
}

/// The envelope a provider wraps its events in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Envelope {
    /// `{"id","type","created_at","data":{"message_id",…}}` (EKDSend, and the default).
    Ekdsend,
    /// `{"id","type","timestamp","data":{"email_id",…,"status"}}` (Keplars; email events only).
    Keplars,
}

/// How an event turned out, for colouring: good news, engagement, or trouble.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// sent, delivered, answered, completed.
    Success,
    /// opened, clicked, received, initiated.
    Activity,
    /// bounced, failed, complained.
    Problem,
    /// A type this catalog does not know.
    Unknown,
}

/// An event type name that is not in the catalog.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown event type `{name}`{}", did_you_mean(.suggestions))]
pub struct UnknownEvent {
    /// What was asked for.
    pub name: String,
    /// The nearest known types, best first.
    pub suggestions: Vec<EventType>,
}

fn did_you_mean(suggestions: &[EventType]) -> String {
    match suggestions {
        [] => "; run `hookctl events` for the list".to_string(),
        list => {
            let names: Vec<&str> = list.iter().map(|t| t.name()).collect();
            format!("; did you mean {}?", names.join(", "))
        }
    }
}

/// An event type the chosen envelope cannot carry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Keplars sends email events only, not `{0}`; pick an email.* type or another --scheme")]
pub struct NotInEnvelope(pub &'static str);

impl EventType {
    /// Every type, in the documentation's order.
    pub const ALL: [EventType; 15] = [
        EventType::EmailSent,
        EventType::EmailDelivered,
        EventType::EmailOpened,
        EventType::EmailClicked,
        EventType::EmailBounced,
        EventType::EmailComplained,
        EventType::EmailFailed,
        EventType::SmsSent,
        EventType::SmsDelivered,
        EventType::SmsFailed,
        EventType::SmsReceived,
        EventType::CallInitiated,
        EventType::CallAnswered,
        EventType::CallCompleted,
        EventType::CallFailed,
    ];

    /// Every type a provider of `envelope` sends, in the documentation's order.
    pub fn of(envelope: Envelope) -> Vec<EventType> {
        Self::ALL
            .into_iter()
            .filter(|t| t.sample(envelope, Timestamp::UNIX_EPOCH).is_ok())
            .collect()
    }

    /// The wire name, such as `email.delivered`.
    pub fn name(self) -> &'static str {
        self.entry().0
    }

    /// The documentation's one-line description.
    pub fn description(self) -> &'static str {
        self.entry().1
    }

    fn entry(self) -> (&'static str, &'static str) {
        match self {
            EventType::EmailSent => ("email.sent", "Email was successfully sent"),
            EventType::EmailDelivered => ("email.delivered", "Email was delivered to recipient"),
            EventType::EmailOpened => ("email.opened", "Recipient opened the email"),
            EventType::EmailClicked => ("email.clicked", "Recipient clicked a link"),
            EventType::EmailBounced => ("email.bounced", "Email bounced (hard/soft)"),
            EventType::EmailComplained => ("email.complained", "Recipient marked as spam"),
            EventType::EmailFailed => ("email.failed", "Email delivery failed"),
            EventType::SmsSent => ("sms.sent", "SMS was sent to carrier"),
            EventType::SmsDelivered => ("sms.delivered", "SMS was delivered"),
            EventType::SmsFailed => ("sms.failed", "SMS delivery failed"),
            EventType::SmsReceived => ("sms.received", "Incoming SMS received"),
            EventType::CallInitiated => ("call.initiated", "Call was initiated"),
            EventType::CallAnswered => ("call.answered", "Call was answered"),
            EventType::CallCompleted => ("call.completed", "Call ended"),
            EventType::CallFailed => ("call.failed", "Call failed to connect"),
        }
    }

    /// Looks a type up by its wire name; on failure, suggests the nearest names.
    pub fn parse(name: &str) -> Result<Self, UnknownEvent> {
        let wanted = name.trim().to_ascii_lowercase();
        if let Some(t) = Self::ALL.into_iter().find(|t| t.name() == wanted) {
            return Ok(t);
        }
        let mut scored: Vec<(usize, EventType)> = Self::ALL
            .into_iter()
            .filter_map(|t| {
                let distance = strsim::levenshtein(&wanted, t.name());
                let (channel, verb) = t.name().split_once('.').expect("names have a dot");
                let shares_part = !wanted.is_empty() && (wanted == verb || wanted == channel);
                (distance <= 3 || shares_part)
                    .then_some((if shares_part { 0 } else { distance }, t))
            })
            .collect();
        scored.sort_by_key(|(d, _)| *d);
        Err(UnknownEvent {
            name: name.to_string(),
            suggestions: scored.into_iter().take(4).map(|(_, t)| t).collect(),
        })
    }

    /// A fresh sample event of this type in `envelope`, created at `now`, with a unique id.
    pub fn sample(self, envelope: Envelope, now: Timestamp) -> Result<Value, NotInEnvelope> {
        let created = rfc3339(now);
        match envelope {
            Envelope::Ekdsend => Ok(json!({
                "id": new_id("evt_"),
                "type": self.name(),
                "created_at": created,
                "data": self.ekdsend_data(now),
            })),
            Envelope::Keplars => {
                let data = self.keplars_data(now).ok_or(NotInEnvelope(self.name()))?;
                Ok(json!({
                    "id": new_id("evt_"),
                    "type": self.name(),
                    "timestamp": created,
                    "data": data,
                }))
            }
        }
    }

    fn ekdsend_data(self, now: Timestamp) -> Value {
        use EventType::*;
        let at = rfc3339(now);
        let mut data = Map::new();
        let mut put = |k: &str, v: Value| {
            data.insert(k.to_string(), v);
        };
        match self {
            EmailSent | EmailDelivered | EmailOpened | EmailClicked | EmailBounced
            | EmailComplained | EmailFailed => {
                put("message_id", new_id("msg_").into());
                put("to", "user@example.com".into());
                put("from", "hello@yourdomain.com".into());
                put("subject", "Welcome!".into());
            }
            SmsSent | SmsDelivered | SmsFailed => {
                put("message_id", new_id("sms_").into());
                put("to", "+14155550123".into());
                put("from", "+14155550100".into());
            }
            SmsReceived => {
                put("message_id", new_id("sms_").into());
                put("to", "+14155550100".into());
                put("from", "+14155550123".into());
            }
            CallInitiated | CallAnswered | CallCompleted | CallFailed => {
                put("call_id", new_id("call_").into());
                put("direction", "outbound".into());
                put("to", "+14155550123".into());
                put("from", "+14155550100".into());
            }
        }
        match self {
            EmailSent => put("sent_at", at.into()),
            EmailDelivered => put("delivered_at", at.into()),
            EmailOpened | EmailClicked => {
                if self == EmailClicked {
                    put(
                        "url",
                        "https://yourdomain.com/welcome?utm_source=email".into(),
                    );
                    put("clicked_at", at.into());
                } else {
                    put("opened_at", at.into());
                }
                put(
                    "user_agent",
                    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148"
                        .into(),
                );
                put("ip", "203.0.113.24".into());
            }
            EmailBounced => {
                put("bounce_type", "hard".into());
                put(
                    "bounce_reason",
                    "550 5.1.1 The email account that you tried to reach does not exist".into(),
                );
                put("bounced_at", at.into());
            }
            EmailComplained => {
                put("feedback_type", "abuse".into());
                put("complained_at", at.into());
            }
            EmailFailed => {
                put("error_code", "domain_not_verified".into());
                put(
                    "reason",
                    "The sending domain yourdomain.com is not verified".into(),
                );
                put("failed_at", at.into());
            }
            SmsSent => {
                put("body", "Your verification code is 482913".into());
                put("segments", 1.into());
                put("sent_at", at.into());
            }
            SmsDelivered => {
                put("segments", 1.into());
                put("delivered_at", at.into());
            }
            SmsFailed => {
                put("segments", 1.into());
                put("error_code", "30003".into());
                put("reason", "Unreachable destination handset".into());
                put("failed_at", at.into());
            }
            SmsReceived => {
                put(
                    "text",
                    "YES, please confirm my appointment for tomorrow at 10am".into(),
                );
                put("segments", 1.into());
                put("received_at", at.into());
            }
            CallInitiated => put("initiated_at", at.into()),
            CallAnswered => put("answered_at", at.into()),
            CallCompleted => {
                let duration: i64 = 137;
                let started = now
                    .checked_sub(jiff::SignedDuration::from_secs(duration))
                    .unwrap_or(now);
                put("status", "completed".into());
                put("started_at", rfc3339(started).into());
                put("ended_at", at.into());
                put("duration_seconds", duration.into());
            }
            CallFailed => {
                put("status", "busy".into());
                put("reason", "The callee's line was busy (SIP 486)".into());
                put("sip_code", 486.into());
                put("failed_at", at.into());
            }
        }
        Value::Object(data)
    }

    /// Keplars' documented fields (`email_id`, `to`, `subject`, `status`) plus the event's details.
    fn keplars_data(self, now: Timestamp) -> Option<Value> {
        let mut data = json!({
            "email_id": new_id("email_"),
            "to": "user@example.com",
            "subject": "Welcome!",
            "status": self.name().strip_prefix("email.")?,
        });
        let details = match self.ekdsend_data(now) {
            Value::Object(map) => map,
            _ => unreachable!("ekdsend_data builds an object"),
        };
        let skip = ["message_id", "to", "from", "subject"];
        let obj = data.as_object_mut().expect("built as an object");
        for (k, v) in details
            .into_iter()
            .filter(|(k, _)| !skip.contains(&k.as_str()))
        {
            obj.insert(k, v);
        }
        Some(data)
    }
}

impl std::fmt::Display for EventType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A webhook body's `type` and `id`, when it is a JSON object that has them.
pub fn identify(value: Option<&Value>) -> (Option<&str>, Option<&str>) {
    let field = |k| value?.get(k)?.as_str();
    (field("type"), field("id"))
}

/// The id a receiver dedupes on: the body's `id`, else Standard Webhooks' `svix-id` or
/// `webhook-id` header.
pub fn delivery_id(event_id: Option<&str>, headers: &http::HeaderMap) -> Option<String> {
    let header = |name: &str| headers.get(name)?.to_str().ok();
    event_id
        .or_else(|| header("svix-id"))
        .or_else(|| header("webhook-id"))
        .map(str::to_string)
}

/// The outcome a type name announces, known to the catalog or not (`anything.failed` is a problem).
pub fn outcome(type_name: &str) -> Outcome {
    match type_name.rsplit('.').next().unwrap_or("") {
        "sent" | "delivered" | "answered" | "completed" => Outcome::Success,
        "opened" | "clicked" | "received" | "initiated" => Outcome::Activity,
        "bounced" | "failed" | "complained" => Outcome::Problem,
        _ => Outcome::Unknown,
    }
}

/// RFC 3339 in UTC to the second, as the seeds write it: `2024-01-15T10:30:00Z`.
pub fn rfc3339(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// How many random characters follow an id's prefix.
pub const ID_TAIL: usize = 24;

/// `prefix` followed by [`ID_TAIL`] random base-62 characters (about 143 bits).
pub fn new_id(prefix: &str) -> String {
    let mut id = prefix.as_bytes().to_vec();
    id.resize(prefix.len() + ID_TAIL, 0);
    fill_id_tail(&mut id[prefix.len()..]);
    String::from_utf8(id).expect("the prefix is text and the tail ASCII")
}

/// Overwrites the first [`ID_TAIL`] bytes of `tail` with random base-62 characters.
pub fn fill_id_tail(tail: &mut [u8]) {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let bytes: [u8; ID_TAIL] = rand::random();
    // 256 is not a multiple of 62: the slight bias is harmless for test ids.
    for (c, b) in tail.iter_mut().zip(bytes) {
        *c = ALPHABET[(b % 62) as usize];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_type_suggests_neighbours() {
        let e = EventType::parse("email.deliverd").unwrap_err();
        assert_eq!(e.suggestions[0], EventType::EmailDelivered);
        let e = EventType::parse("delivered").unwrap_err();
        assert!(e.suggestions.contains(&EventType::SmsDelivered));
        assert!(e.to_string().contains("did you mean"));
    }

    #[test]
    fn keplars_envelope_refuses_sms() {
        let now = Timestamp::now();
        assert!(EventType::SmsSent.sample(Envelope::Keplars, now).is_err());
        let v = EventType::EmailBounced
            .sample(Envelope::Keplars, now)
            .unwrap();
        assert_eq!(v["data"]["status"], "bounced");
        assert!(v.get("timestamp").is_some() && v.get("created_at").is_none());
    }
}
