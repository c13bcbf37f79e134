//! Postmark: one JSON object per event, named by `RecordType`; nothing is signed (see
//! `signature::basic`): Postmark sends the user name and password of the webhook URL as HTTP
//! basic auth.
//!
//! Fields from Postmark's webhook documentation (postmarkapp.com/developer/webhooks: delivery,
//! bounce, spam complaint, open tracking, click, subscription change webhooks). `MessageID` is
//! the message's UUID, shared by every event about that message, so the events carry no id of
//! their own; bounces and spam complaints name the address `Email`, the others `Recipient`.
//! Postmark writes times with seven decimals (.NET); hookctl writes six.

use super::{BodyKind, Event, Glance, Provider, TypeRule};
use crate::signature::Scheme;

/// What every Postmark event carries besides its own fields.
macro_rules! event {
    ($name:literal, $description:literal, $fields:expr) => {
        Event {
            name: $name,
            description: $description,
            template: concat!(
                r#"{"RecordType":""#,
                $name,
                r#"","MessageStream":"outbound","MessageID":"{{uuid}}","Tag":"welcome-email","Metadata":{"user_id":"1042"},"#,
                $fields,
                "}"
            ),
        }
    };
}

/// The reader's client, as opens and clicks show it.
macro_rules! client {
    ($fields:literal) => {
        concat!(
            r#""Recipient":"john@example.com","ReceivedAt":"{{now:rfc3339us}}","Platform":"Mobile","UserAgent":"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148","Client":{"Name":"Mobile Safari","Company":"Apple Inc.","Family":"Mobile Safari"},"OS":{"Name":"iOS 17.4","Company":"Apple Inc.","Family":"iOS"},"Geo":{"CountryISOCode":"US","Country":"United States","RegionISOCode":"CA","Region":"California","City":"San Francisco","Zip":"94103","Coords":"37.7749,-122.4194","IP":"203.0.113.24"},"#,
            $fields
        )
    };
}

/// Postmark's webhook events, in its documentation's order.
static EVENTS: &[Event] = &[
    event!(
        "Delivery",
        "The recipient's server accepted the message",
        r#""ServerID":23,"Recipient":"john@example.com","DeliveredAt":"{{now:rfc3339us}}","Details":"smtp;250 2.0.0 OK""#
    ),
    event!(
        "Bounce",
        "The message bounced (hard or soft) or was blocked",
        r#""ServerID":23,"ID":4323372036854775807,"Type":"HardBounce","TypeCode":1,"Name":"Hard bounce","Description":"The server was unable to deliver your message (ex: unknown user, mailbox not found).","Details":"smtp;550 5.1.1 The email account that you tried to reach does not exist.","Email":"john@example.com","From":"sender@yourdomain.com","BouncedAt":"{{now:rfc3339us}}","DumpAvailable":true,"Inactive":true,"CanActivate":true,"Subject":"Welcome!""#
    ),
    event!(
        "SpamComplaint",
        "The recipient marked the message as spam",
        r#""ServerID":23,"ID":42,"Type":"SpamComplaint","TypeCode":512,"Name":"Spam complaint","Description":"The subscriber explicitly marked this message as spam.","Details":"","Email":"john@example.com","From":"sender@yourdomain.com","BouncedAt":"{{now:rfc3339us}}","DumpAvailable":true,"Inactive":true,"CanActivate":false,"Subject":"Welcome!""#
    ),
    event!(
        "Open",
        "The recipient opened the message",
        client!(r#""FirstOpen":true,"ReadSeconds":5"#)
    ),
    event!(
        "Click",
        "The recipient clicked a tracked link",
        client!(r#""ClickLocation":"HTML","OriginalLink":"https://yourdomain.com/welcome""#)
    ),
    event!(
        "SubscriptionChange",
        "The recipient's subscription changed: suppressed or reactivated",
        r#""ServerID":23,"ChangedAt":"{{now:rfc3339us}}","Recipient":"john@example.com","Origin":"Recipient","SuppressSending":true,"SuppressionReason":"ManualSuppression""#
    ),
];

/// Postmark.
pub static PROVIDER: Provider = Provider {
    name: "postmark",
    title: "Postmark",
    description: "Email API: no signature, HTTP basic auth in the webhook URL",
    body: BodyKind::JsonObject,
    trailer: "",
    scheme: Scheme::Basic,
    scope: Some("email events only"),
    events: EVENTS,
    default_event: "Delivery",
    types: &[TypeRule {
        field: "RecordType",
        prefix: "",
    }],
    event_id: None,
    glance: &[
        Glance {
            path: "Recipient",
            quoted: false,
        },
        Glance {
            path: "Email",
            quoted: false,
        },
        Glance {
            path: "Type",
            quoted: false,
        },
    ],
};
