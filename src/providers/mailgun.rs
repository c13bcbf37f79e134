//! Mailgun: email events in `{"signature":{…},"event-data":{…}}`, the signature inside the body
//! (see `signature::mailgun`). The catalog holds the event data; signing puts the signature
//! object in front of it, as Mailgun sends it.
//!
//! Fields from Mailgun's "Webhook Payloads" page
//! (documentation.mailgun.com/docs/mailgun/user-manual/webhooks/webhook-payloads) and its events
//! reference: `event-data.event` names the event, `severity` tells a permanent failure from a
//! temporary one, `id` is the event's own id, `timestamp` a float of Unix seconds. Mailgun's ids
//! are 22 base-62 characters; hookctl's are 24.

use super::{BodyKind, Event, Glance, Provider, TypeRule};
use crate::signature::Scheme;

/// A Mailgun event: what every event carries, then `$event` and `$fields` (JSON text).
macro_rules! event {
    ($name:literal, $event:literal, $level:literal, $description:literal, $fields:expr) => {
        Event {
            name: $name,
            description: $description,
            template: concat!(
                r#"{"event-data":{"id":"{{b62:}}","timestamp":"{{now:unixf}}","log-level":""#,
                $level,
                r#"","event":""#,
                $event,
                r#"","recipient":"alice@example.com","recipient-domain":"example.com","tags":["welcome"],"campaigns":[],"user-variables":{"user_id":"1042"},"flags":{"is-routed":false,"is-authenticated":true,"is-system-test":false,"is-test-mode":false},"#,
                $fields,
                "}}"
            ),
        }
    };
}

/// The message as a sending event shows it (accepted, delivered, failed).
macro_rules! sent {
    ($fields:literal) => {
        concat!(
            r#""envelope":{"transport":"smtp","sender":"bob@mg.yourdomain.com","sending-ip":"209.61.154.250","targets":"alice@example.com"},"message":{"headers":{"to":"Alice <alice@example.com>","message-id":"{{hex:}}@mg.yourdomain.com","from":"Bob <bob@mg.yourdomain.com>","subject":"Welcome!"},"attachments":[],"size":4312},"storage":{"url":"https://storage-us-east4.api.mailgun.net/v3/domains/mg.yourdomain.com/messages/{{b62@key:}}","key":"{{b62@key:}}"}"#,
            $fields
        )
    };
}

/// The message and the reader's client, as an engagement event shows them.
macro_rules! engaged {
    ($fields:literal) => {
        concat!(
            r#""message":{"headers":{"message-id":"{{hex:}}@mg.yourdomain.com"}},"ip":"203.0.113.24","geolocation":{"country":"US","region":"CA","city":"San Francisco"},"client-info":{"client-os":"iOS","device-type":"mobile","client-name":"Mobile Safari","client-type":"mobile browser","user-agent":"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148"}"#,
            $fields
        )
    };
}

/// Mailgun's webhook events, in the order of its webhook settings.
static EVENTS: &[Event] = &[
    event!(
        "accepted",
        "accepted",
        "info",
        "Mailgun accepted the request to send the email and queued it",
        sent!(r#","method":"HTTP""#)
    ),
    event!(
        "delivered",
        "delivered",
        "info",
        "The recipient's email server accepted the email",
        sent!(
            r#","delivery-status":{"tls":true,"mx-host":"smtp-in.example.com","code":250,"description":"","session-seconds":0.43,"utf8":true,"attempt-no":1,"message":"OK","certificate-verified":true}"#
        )
    ),
    event!(
        "opened",
        "opened",
        "info",
        "The recipient opened the email (with images shown)",
        engaged!("")
    ),
    event!(
        "clicked",
        "clicked",
        "info",
        "The recipient clicked a tracked link in the email",
        engaged!(r#","url":"https://yourdomain.com/welcome?utm_source=email""#)
    ),
    event!(
        "failed.permanent",
        "failed",
        "error",
        "Delivery failed for good (a hard bounce): Mailgun stops trying",
        sent!(
            r#","severity":"permanent","reason":"bounce","delivery-status":{"tls":true,"mx-host":"smtp-in.example.com","code":550,"bounce-type":"hard","description":"","session-seconds":0.52,"attempt-no":1,"message":"5.1.1 The email account that you tried to reach does not exist.","certificate-verified":true}"#
        )
    ),
    event!(
        "failed.temporary",
        "failed",
        "warn",
        "Delivery failed for now (a soft bounce): Mailgun will try again",
        sent!(
            r#","severity":"temporary","reason":"generic","delivery-status":{"tls":true,"mx-host":"smtp-in.example.com","code":452,"bounce-type":"soft","description":"","session-seconds":0.61,"attempt-no":1,"retry-seconds":600,"message":"4.2.2 The email account that you tried to reach is over quota.","certificate-verified":true}"#
        )
    ),
    event!(
        "complained",
        "complained",
        "warn",
        "The recipient reported the email as spam",
        r#""message":{"headers":{"to":"Alice <alice@example.com>","message-id":"{{hex:}}@mg.yourdomain.com","from":"Bob <bob@mg.yourdomain.com>","subject":"Welcome!"},"attachments":[],"size":4312}"#
    ),
    event!(
        "unsubscribed",
        "unsubscribed",
        "info",
        "The recipient clicked the unsubscribe link",
        engaged!("")
    ),
];

/// Mailgun.
pub static PROVIDER: Provider = Provider {
    name: "mailgun",
    title: "Mailgun",
    description: "Email API: the signature inside the body, the event data unsigned",
    body: BodyKind::JsonObject,
    trailer: "",
    scheme: Scheme::Mailgun,
    scope: Some("email events only"),
    events: EVENTS,
    default_event: "delivered",
    // A failure's severity says which kind it is; every other event names itself.
    types: &[
        TypeRule {
            field: "event-data.severity",
            prefix: "failed.",
        },
        TypeRule {
            field: "event-data.event",
            prefix: "",
        },
    ],
    event_id: Some("event-data.id"),
    glance: &[
        Glance {
            path: "event-data.recipient",
            quoted: false,
        },
        Glance {
            path: "event-data.reason",
            quoted: false,
        },
        Glance {
            path: "event-data.url",
            quoted: false,
        },
    ],
};
