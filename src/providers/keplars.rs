//! Keplars, the second seed provider: email events only, in
//! `{"id","type","timestamp","data":{"email_id","to","subject","status",…}}`, signed with the
//! bare hex HMAC in `X-Keplars-Signature`.

use super::{BodyKind, Event, Provider, TypeRule};
use crate::signature::Scheme;

/// A Keplars event: the envelope and the documented fields, then `$details` (JSON text).
macro_rules! event {
    ($name:literal, $status:literal, $description:literal, $details:literal) => {
        Event {
            name: $name,
            description: $description,
            template: concat!(
                r#"{"id":"{{b62:evt_}}","type":""#,
                $name,
                r#"","timestamp":"{{now:rfc3339}}","data":{"email_id":"{{b62:email_}}","to":"user@example.com","subject":"Welcome!","status":""#,
                $status,
                r#"","#,
                $details,
                "}}"
            ),
        }
    };
}

/// The seed's email events, as Keplars shapes them.
static EVENTS: &[Event] = &[
    event!(
        "email.sent",
        "sent",
        "Email was successfully sent",
        r#""sent_at":"{{now:rfc3339}}""#
    ),
    event!(
        "email.delivered",
        "delivered",
        "Email was delivered to recipient",
        r#""delivered_at":"{{now:rfc3339}}""#
    ),
    event!(
        "email.opened",
        "opened",
        "Recipient opened the email",
        r#""opened_at":"{{now:rfc3339}}","user_agent":"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148","ip":"203.0.113.24""#
    ),
    event!(
        "email.clicked",
        "clicked",
        "Recipient clicked a link",
        r#""url":"https://yourdomain.com/welcome?utm_source=email","clicked_at":"{{now:rfc3339}}","user_agent":"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148","ip":"203.0.113.24""#
    ),
    event!(
        "email.bounced",
        "bounced",
        "Email bounced (hard/soft)",
        r#""bounce_type":"hard","bounce_reason":"550 5.1.1 The email account that you tried to reach does not exist","bounced_at":"{{now:rfc3339}}""#
    ),
    event!(
        "email.complained",
        "complained",
        "Recipient marked as spam",
        r#""feedback_type":"abuse","complained_at":"{{now:rfc3339}}""#
    ),
    event!(
        "email.failed",
        "failed",
        "Email delivery failed",
        r#""error_code":"domain_not_verified","reason":"The sending domain yourdomain.com is not verified","failed_at":"{{now:rfc3339}}""#
    ),
];

/// Keplars.
pub static PROVIDER: Provider = Provider {
    name: "keplars",
    title: "Keplars",
    description: "Email API (the second seed provider)",
    body: BodyKind::JsonObject,
    trailer: "",
    scheme: Scheme::Keplars,
    scope: Some("email events only"),
    events: EVENTS,
    default_event: "email.delivered",
    types: &[TypeRule {
        field: "type",
        prefix: "",
    }],
    event_id: Some("id"),
    glance: super::ekdsend::GLANCE,
};
