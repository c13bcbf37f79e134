//! EKDSend, the first seed provider and the default: email, SMS and voice events in
//! `{"id","type","created_at","data":{…}}`, signed `X-EKDSend-Signature: sha256=<hex>`.

use super::{BodyKind, Event, Glance, Provider, TypeRule};
use crate::signature::Scheme;

/// An EKDSend event: the envelope around `$data` (the fields of `data`, as JSON text).
macro_rules! event {
    ($name:literal, $description:literal, $data:expr) => {
        Event {
            name: $name,
            description: $description,
            template: concat!(
                r#"{"id":"{{b62:evt_}}","type":""#,
                $name,
                r#"","created_at":"{{now:rfc3339}}","data":{"#,
                $data,
                "}}"
            ),
        }
    };
}

/// What the seed's email events share.
macro_rules! email {
    ($name:literal, $description:literal, $data:literal) => {
        event!(
            $name,
            $description,
            concat!(
                r#""message_id":"{{b62:msg_}}","to":"user@example.com","from":"hello@yourdomain.com","subject":"Welcome!","#,
                $data
            )
        )
    };
}

/// What the seed's outbound SMS events share.
macro_rules! sms {
    ($name:literal, $description:literal, $data:literal) => {
        event!(
            $name,
            $description,
            concat!(
                r#""message_id":"{{b62:sms_}}","to":"+14155550123","from":"+14155550100","#,
                $data
            )
        )
    };
}

/// What the seed's call events share.
macro_rules! call {
    ($name:literal, $description:literal, $data:literal) => {
        event!(
            $name,
            $description,
            concat!(
                r#""call_id":"{{b62:call_}}","direction":"outbound","to":"+14155550123","from":"+14155550100","#,
                $data
            )
        )
    };
}

/// The seed's 15 event types, in its documentation's order.
static EVENTS: &[Event] = &[
    email!(
        "email.sent",
        "Email was successfully sent",
        r#""sent_at":"{{now:rfc3339}}""#
    ),
    email!(
        "email.delivered",
        "Email was delivered to recipient",
        r#""delivered_at":"{{now:rfc3339}}""#
    ),
    email!(
        "email.opened",
        "Recipient opened the email",
        r#""opened_at":"{{now:rfc3339}}","user_agent":"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148","ip":"203.0.113.24""#
    ),
    email!(
        "email.clicked",
        "Recipient clicked a link",
        r#""url":"https://yourdomain.com/welcome?utm_source=email","clicked_at":"{{now:rfc3339}}","user_agent":"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148","ip":"203.0.113.24""#
    ),
    email!(
        "email.bounced",
        "Email bounced (hard/soft)",
        r#""bounce_type":"hard","bounce_reason":"550 5.1.1 The email account that you tried to reach does not exist","bounced_at":"{{now:rfc3339}}""#
    ),
    email!(
        "email.complained",
        "Recipient marked as spam",
        r#""feedback_type":"abuse","complained_at":"{{now:rfc3339}}""#
    ),
    email!(
        "email.failed",
        "Email delivery failed",
        r#""error_code":"domain_not_verified","reason":"The sending domain yourdomain.com is not verified","failed_at":"{{now:rfc3339}}""#
    ),
    sms!(
        "sms.sent",
        "SMS was sent to carrier",
        r#""body":"Your verification code is 482913","segments":1,"sent_at":"{{now:rfc3339}}""#
    ),
    sms!(
        "sms.delivered",
        "SMS was delivered",
        r#""segments":1,"delivered_at":"{{now:rfc3339}}""#
    ),
    sms!(
        "sms.failed",
        "SMS delivery failed",
        r#""segments":1,"error_code":"30003","reason":"Unreachable destination handset","failed_at":"{{now:rfc3339}}""#
    ),
    event!(
        "sms.received",
        "Incoming SMS received",
        r#""message_id":"{{b62:sms_}}","to":"+14155550100","from":"+14155550123","text":"YES, please confirm my appointment for tomorrow at 10am","segments":1,"received_at":"{{now:rfc3339}}""#
    ),
    call!(
        "call.initiated",
        "Call was initiated",
        r#""initiated_at":"{{now:rfc3339}}""#
    ),
    call!(
        "call.answered",
        "Call was answered",
        r#""answered_at":"{{now:rfc3339}}""#
    ),
    call!(
        "call.completed",
        "Call ended",
        r#""status":"completed","started_at":"{{now-137s:rfc3339}}","ended_at":"{{now:rfc3339}}","duration_seconds":137"#
    ),
    call!(
        "call.failed",
        "Call failed to connect",
        r#""status":"busy","reason":"The callee's line was busy (SIP 486)","sip_code":486,"failed_at":"{{now:rfc3339}}""#
    ),
];

/// The fields the listener has always shown for the seed providers, under `data`.
pub(super) static GLANCE: &[Glance] = &[
    Glance {
        path: "data.to",
        quoted: false,
    },
    Glance {
        path: "data.subject",
        quoted: true,
    },
    Glance {
        path: "data.status",
        quoted: false,
    },
    Glance {
        path: "data.bounce_type",
        quoted: false,
    },
    Glance {
        path: "data.bounce_reason",
        quoted: true,
    },
    Glance {
        path: "data.reason",
        quoted: true,
    },
    Glance {
        path: "data.error_code",
        quoted: true,
    },
    Glance {
        path: "data.url",
        quoted: true,
    },
    Glance {
        path: "data.text",
        quoted: true,
    },
    Glance {
        path: "data.duration_seconds",
        quoted: true,
    },
];

/// EKDSend.
pub static PROVIDER: Provider = Provider {
    name: "ekdsend",
    title: "EKDSend",
    description: "Email, SMS and voice API (the first seed provider, and the default)",
    body: BodyKind::JsonObject,
    trailer: "",
    scheme: Scheme::Ekdsend,
    scope: None,
    events: EVENTS,
    default_event: "email.delivered",
    types: &[TypeRule {
        field: "type",
        prefix: "",
    }],
    event_id: Some("id"),
    glance: GLANCE,
};
