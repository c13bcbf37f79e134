//! What any webhook body says, whoever sent it: its type's outcome, its id, and fresh ids.

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

/// The id a receiver dedupes on: the event's own, else Standard Webhooks' `svix-id` or
/// `webhook-id` header, else Twilio's `I-Twilio-Idempotency-Token`.
pub fn delivery_id(event_id: Option<&str>, headers: &http::HeaderMap) -> Option<String> {
    let header = |name: &str| headers.get(name)?.to_str().ok();
    event_id
        .or_else(|| header("svix-id"))
        .or_else(|| header("webhook-id"))
        .or_else(|| header(crate::signature::twilio::IDEMPOTENCY))
        .map(str::to_string)
}

/// The outcome a type name announces, known to a catalog or not (`anything.failed` is a
/// problem), by its last part, in any case: the providers' own words included (`Bounce`,
/// `no-answer`, `spamreport`).
pub fn outcome(type_name: &str) -> Outcome {
    let last = type_name
        .rsplit('.')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    match last.as_str() {
        "sent" | "delivered" | "answered" | "completed" | "delivery" | "processed"
        | "finalized" | "read" | "accepted" | "hangup" => Outcome::Success,
        "opened" | "clicked" | "received" | "initiated" | "open" | "click" | "queued"
        | "ringing" | "in-progress" | "started" | "submitted" | "inbound" | "sending"
        | "subscriptionchange" => Outcome::Activity,
        "bounced" | "failed" | "complained" | "bounce" | "spamcomplaint" | "spamreport"
        | "undelivered" | "undeliverable" | "rejected" | "dropped" | "deferred" | "busy"
        | "no-answer" | "timeout" | "canceled" | "permanent" | "temporary" | "delivery_delayed"
        | "unsubscribed" | "unsubscribe" | "group_unsubscribe" => Outcome::Problem,
        _ => Outcome::Unknown,
    }
}

/// `prefix` followed by 24 random base-62 characters (about 143 bits).
pub fn new_id(prefix: &str) -> String {
    crate::providers::render::fresh(prefix, crate::providers::IdKind::Base62)
}
