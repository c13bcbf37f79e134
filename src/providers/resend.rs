//! Resend: email events in `{"type","created_at","data":{"email_id","from","to":[…],"subject",…}}`,
//! signed as Standard Webhooks under the `svix-*` header names with a `whsec_` secret.
//!
//! Sources: Resend's docs, "Webhooks › Event types" and "Body parameters" (resend.com/docs,
//! `dashboard/webhooks/body-parameters`: the common `data` fields, `bounce.diagnosticCode`,
//! `bounce.message`, `bounce.subType`, `bounce.type`, `click.ipAddress`, `click.link`,
//! `click.timestamp`, `click.userAgent`, tags as `{name, value}` objects). The body carries no id
//! of the event: the delivery's id is its `svix-id` header, which receivers dedupe on.

use super::{BodyKind, Event, Glance, Provider, TypeRule};
use crate::signature::Scheme;

/// A Resend email event: the envelope and the common `data` fields, then `$extra` (JSON text
/// with a leading comma, or empty).
macro_rules! email {
    ($name:literal, $description:literal) => {
        email!($name, $description, "")
    };
    ($name:literal, $description:literal, $extra:literal) => {
        Event {
            name: $name,
            description: $description,
            template: concat!(
                r#"{"type":""#,
                $name,
                r#"","created_at":"{{now:rfc3339ms}}","data":{"created_at":"{{now-2s:rfc3339us}}","email_id":"{{uuid}}","from":"Acme <onboarding@yourdomain.com>","to":["delivered@example.com"],"subject":"Welcome to Acme","tags":[{"name":"category","value":"confirm_email"}]"#,
                $extra,
                "}}"
            ),
        }
    };
}

/// Resend's email events, in its documentation's order.
static EVENTS: &[Event] = &[
    email!(
        "email.sent",
        "The API request was successful and Resend will attempt to deliver the email"
    ),
    email!(
        "email.delivered",
        "Resend delivered the email to the recipient's mail server"
    ),
    email!(
        "email.delivery_delayed",
        "The email could not be delivered yet, for a temporary reason (a full inbox, a busy server)"
    ),
    email!("email.complained", "The recipient marked the email as spam"),
    email!(
        "email.bounced",
        "The recipient's mail server permanently rejected the email",
        r#","bounce":{"diagnosticCode":["smtp; 550 5.1.1 The email account that you tried to reach does not exist"],"message":"The recipient's email address does not exist. Remove it from your list.","subType":"General","type":"Permanent"}"#
    ),
    email!("email.opened", "The recipient opened the email"),
    email!(
        "email.clicked",
        "The recipient clicked a link in the email",
        r#","click":{"ipAddress":"203.0.113.24","link":"https://yourdomain.com/welcome?utm_source=email","timestamp":"{{now:rfc3339ms}}","userAgent":"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148"}"#
    ),
];

/// Resend.
pub static PROVIDER: Provider = Provider {
    name: "resend",
    title: "Resend",
    description: "Email API for developers (Standard Webhooks signatures under svix-* headers)",
    body: BodyKind::JsonObject,
    trailer: "",
    scheme: Scheme::Svix,
    scope: Some("email events only"),
    events: EVENTS,
    default_event: "email.delivered",
    types: &[TypeRule {
        field: "type",
        prefix: "",
    }],
    event_id: None,
    glance: &[
        Glance {
            path: "data.to",
            quoted: false,
        },
        Glance {
            path: "data.subject",
            quoted: true,
        },
        Glance {
            path: "data.bounce.type",
            quoted: false,
        },
        Glance {
            path: "data.bounce.message",
            quoted: true,
        },
        Glance {
            path: "data.click.link",
            quoted: true,
        },
    ],
};
