//! Twilio: SMS and voice webhooks, form-encoded with Twilio's parameter names, signed with
//! `X-Twilio-Signature` over the URL and the sorted parameters.
//!
//! Sources (the parameter lists): messaging status callbacks, "Track the message status of
//! outbound messages" (twilio.com/docs/messaging/guides/track-outbound-message-status); inbound
//! messages, "Messaging webhook request" (twilio.com/docs/messaging/guides/webhook-request); voice
//! status callbacks, the Call resource's `StatusCallback` section
//! (twilio.com/docs/voice/api/call-resource#statuscallback) and "Voice webhooks"
//! (twilio.com/docs/usage/webhooks/voice-webhooks). SIDs are two letters and 32 hex digits
//! (`AC` account, `SM` message, `MG` messaging service, `CA` call). Bodies name no event type:
//! hookctl names it from `CallStatus`, `MessageStatus` or `SmsStatus`.

use super::{BodyKind, Event, Glance, Provider, TypeRule};
use crate::signature::Scheme;

/// A messaging status callback: what Twilio posts to a message's `StatusCallback`.
macro_rules! message_status {
    ($status:literal, $description:literal, $extra:literal) => {
        Event {
            name: concat!("message.", $status),
            description: $description,
            template: concat!(
                r#"{"AccountSid":"{{hex@account:AC}}","ApiVersion":"2010-04-01","#,
                $extra,
                r#""From":"+14155550100","MessageSid":"{{hex@msg:SM}}","MessageStatus":""#,
                $status,
                r#"","MessagingServiceSid":"{{hex:MG}}","SmsSid":"{{hex@msg:SM}}","SmsStatus":""#,
                $status,
                r#"","To":"+14155550123"}"#
            ),
        }
    };
}

/// A voice status callback (`StatusCallbackEvent` initiated, ringing, answered, completed).
macro_rules! call_status {
    ($status:literal, $sequence:literal, $description:literal, $extra:literal) => {
        Event {
            name: concat!("call.", $status),
            description: $description,
            template: concat!(
                r#"{"Called":"+14155550123","ToState":"CA","CallerCountry":"US","Direction":"outbound-api","Timestamp":"{{now:rfc2822}}","CallbackSource":"call-progress-events","SequenceNumber":""#,
                $sequence,
                r#"","CallSid":"{{hex:CA}}","To":"+14155550123","ToZip":"94105","ToCountry":"US","ApiVersion":"2010-04-01","CallStatus":""#,
                $status,
                r#"","From":"+14155550100","AccountSid":"{{hex:AC}}","Caller":"+14155550100","FromCountry":"US","#,
                $extra,
                r#""FromState":"CA"}"#
            ),
        }
    };
}

/// Twilio's SMS and voice events.
static EVENTS: &[Event] = &[
    message_status!(
        "queued",
        "Twilio accepted the message and queued it for sending",
        ""
    ),
    message_status!(
        "sent",
        "Twilio handed the message to the nearest carrier",
        ""
    ),
    message_status!(
        "delivered",
        "The carrier confirmed delivery to the handset",
        r#""RawDlrDoneDate":"{{now:yymmddhhmm}}","#
    ),
    message_status!(
        "undelivered",
        "The carrier reported the message undelivered (ErrorCode says why)",
        r#""ErrorCode":"30003","RawDlrDoneDate":"{{now:yymmddhhmm}}","#
    ),
    message_status!(
        "failed",
        "The message could not be sent (ErrorCode says why)",
        r#""ErrorCode":"21610","#
    ),
    Event {
        name: "message.received",
        description: "An inbound message to one of your Twilio numbers",
        template: r#"{"ToCountry":"US","ToState":"CA","SmsMessageSid":"{{hex@msg:SM}}","NumMedia":"0","ToCity":"SAN FRANCISCO","FromZip":"94016","SmsSid":"{{hex@msg:SM}}","FromState":"CA","SmsStatus":"received","FromCity":"SAN FRANCISCO","Body":"Hi! Is my order on its way?","FromCountry":"US","To":"+14155550100","MessagingServiceSid":"{{hex:MG}}","ToZip":"94105","NumSegments":"1","MessageSid":"{{hex@msg:SM}}","AccountSid":"{{hex:AC}}","From":"+14155550123","ApiVersion":"2010-04-01"}"#,
    },
    call_status!("initiated", "0", "Twilio started dialling the call", ""),
    call_status!("ringing", "1", "The called party's phone is ringing", ""),
    call_status!(
        "in-progress",
        "2",
        "The call was answered and is in progress",
        ""
    ),
    call_status!(
        "completed",
        "3",
        "The call was answered and has ended normally",
        r#""CallDuration":"42","Duration":"1","SipResponseCode":"200","#
    ),
    call_status!(
        "busy",
        "2",
        "The called party's line was busy",
        r#""CallDuration":"0","SipResponseCode":"486","#
    ),
    call_status!(
        "no-answer",
        "2",
        "The called party did not answer",
        r#""CallDuration":"0","SipResponseCode":"487","#
    ),
    call_status!(
        "failed",
        "1",
        "The call could not be placed (an invalid number, say)",
        r#""CallDuration":"0","SipResponseCode":"404","#
    ),
];

/// Twilio.
pub static PROVIDER: Provider = Provider {
    name: "twilio",
    title: "Twilio",
    description: "SMS and voice: status callbacks and inbound messages, form-encoded",
    body: BodyKind::Form,
    trailer: "",
    scheme: Scheme::Twilio,
    scope: Some("SMS and voice events only"),
    events: EVENTS,
    default_event: "message.delivered",
    types: &[
        TypeRule {
            field: "CallStatus",
            prefix: "call.",
        },
        TypeRule {
            field: "MessageStatus",
            prefix: "message.",
        },
        TypeRule {
            field: "SmsStatus",
            prefix: "message.",
        },
    ],
    event_id: None,
    glance: &[
        Glance {
            path: "From",
            quoted: false,
        },
        Glance {
            path: "To",
            quoted: false,
        },
        Glance {
            path: "Body",
            quoted: true,
        },
        Glance {
            path: "ErrorCode",
            quoted: false,
        },
        Glance {
            path: "CallDuration",
            quoted: false,
        },
    ],
};
