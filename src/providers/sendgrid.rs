//! SendGrid's Event Webhook: a JSON array of email events (a batch of one or more per delivery),
//! ending in `\r\n`, signed with ECDSA P-256 (see `signature::sendgrid`). Field names and
//! values from the Event Webhook Reference
//! (https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/event) and the body of
//! sendgrid-python's `test/unit/test_eventwebhook.py`.

use super::{BodyKind, Event, Glance, Provider, TypeRule};
use crate::signature::Scheme;

/// One SendGrid event in a batch of one: the fields every event carries, then `$extra`.
macro_rules! event {
    ($name:literal, $description:literal, $extra:literal) => {
        Event {
            name: $name,
            description: $description,
            template: concat!(
                r#"[{"email":"user@example.com","timestamp":"{{now:unix}}","smtp-id":"<{{b62@msg:}}@ismtpd0039p1iad1.sendgrid.net>","event":""#,
                $name,
                r#"","category":["welcome"],"sg_event_id":"{{b62:}}","sg_message_id":"{{b62@msg:}}.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0""#,
                $extra,
                "}]"
            ),
        }
    };
}

static EVENTS: &[Event] = &[
    event!(
        "processed",
        "Message has been received and is ready to be delivered",
        r#","pool":{"name":"transactional","id":210}"#
    ),
    event!(
        "deferred",
        "Receiving server temporarily rejected the message",
        r#","response":"400 try again later","attempt":"5""#
    ),
    event!(
        "delivered",
        "Message has been successfully delivered to the receiving server",
        r#","response":"250 OK","ip":"168.1.1.1","tls":1"#
    ),
    event!(
        "open",
        "Recipient has opened the HTML message",
        r#","useragent":"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36","ip":"203.0.113.24","sg_machine_open":false"#
    ),
    event!(
        "click",
        "Recipient clicked on a link within the message",
        r#","useragent":"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36","ip":"203.0.113.24","url":"https://www.example.com/welcome","url_offset":{"index":0,"type":"html"}"#
    ),
    event!(
        "bounce",
        "Receiving server could not or would not accept the message",
        r#","reason":"550 5.1.1 The email account that you tried to reach does not exist","status":"5.1.1","type":"bounce","bounce_classification":"Invalid Address","ip":"168.1.1.1","tls":1"#
    ),
    event!(
        "dropped",
        "SendGrid did not send the message (a bounced, unsubscribed or invalid address)",
        r#","reason":"Bounced Address","status":"5.0.0""#
    ),
    event!("spamreport", "Recipient marked the message as spam", ""),
    event!(
        "unsubscribe",
        "Recipient clicked the link to unsubscribe from all email",
        ""
    ),
    event!(
        "group_unsubscribe",
        "Recipient unsubscribed from a suppression group",
        r#","asm_group_id":10,"useragent":"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36","ip":"203.0.113.24","url":"https://www.example.com/unsubscribe""#
    ),
];

static GLANCE: &[Glance] = &[
    Glance {
        path: "email",
        quoted: false,
    },
    Glance {
        path: "status",
        quoted: false,
    },
    Glance {
        path: "reason",
        quoted: true,
    },
    Glance {
        path: "response",
        quoted: true,
    },
    Glance {
        path: "url",
        quoted: true,
    },
];

/// SendGrid.
pub static PROVIDER: Provider = Provider {
    name: "sendgrid",
    title: "SendGrid",
    description: "Twilio SendGrid's Event Webhook: batched email events, signed with ECDSA P-256",
    body: BodyKind::JsonArray,
    // The Event Webhook's body ends in CRLF, and the signature covers it
    // (sendgrid-python test/unit/test_eventwebhook.py: "include the trailing carriage return").
    trailer: "\r\n",
    scheme: Scheme::Sendgrid,
    scope: Some("email events only"),
    events: EVENTS,
    default_event: "delivered",
    types: &[TypeRule {
        field: "event",
        prefix: "",
    }],
    event_id: Some("sg_event_id"),
    glance: GLANCE,
};
