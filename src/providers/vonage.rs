//! Vonage: Messages API status and inbound-message webhooks, and Voice API call events, each a
//! flat JSON object as Vonage sends it, signed `Authorization: Bearer <JWT>` (HS256 with the
//! account's signature secret, the body's SHA-256 in the `payload_hash` claim).
//!
//! Sources: the Messages API reference (`message_uuid, to, from, timestamp, status, channel,
//! client_ref, usage{currency,price}, destination{network_code}, sms{count_total}, error{type,
//! title, detail, instance}`; statuses submitted, delivered, rejected, undeliverable, read), as
//! the Vonage Java SDK models and tests them (`MessageStatus`, `InboundMessage`: `message_type`,
//! `text`, `sms{num_messages, keyword}`); the Voice API webhook reference for call events (`uuid,
//! conversation_uuid, status, direction, timestamp`, and on completion `start_time, end_time,
//! duration, rate, price, network`; the statuses started, ringing, answered, busy, timeout,
//! completed among others, as that reference and the Vonage Node SDK's `CallStatus` list them).
//! Vonage's bodies name no event type and carry no event id
//! (`message_uuid` and a call's `uuid` repeat across its statuses): hookctl names message
//! statuses `message.<status>`, inbound messages `message.inbound` and call events
//! `call.<status>`, told apart by `conversation_uuid`, which only call events carry.

use super::{BodyKind, Event, Glance, Provider, TypeRule};
use crate::signature::Scheme;

/// A Messages API status callback for an SMS; `$extra` is JSON text with a leading comma.
macro_rules! status {
    ($status:literal, $description:literal, $extra:literal) => {
        Event {
            name: concat!("message.", $status),
            description: $description,
            template: concat!(
                r#"{"message_uuid":"{{uuid}}","to":"447700900000","from":"447700900001","timestamp":"{{now:rfc3339ms}}","status":""#,
                $status,
                r#"","channel":"sms","client_ref":"order-1234""#,
                $extra,
                "}"
            ),
        }
    };
}

/// A Voice API call event; `$extra` is JSON text with a trailing comma.
macro_rules! call {
    ($status:literal, $description:literal, $extra:literal) => {
        Event {
            name: concat!("call.", $status),
            description: $description,
            template: concat!(
                r#"{"#,
                $extra,
                r#""from":"447700900001","to":"447700900000","uuid":"{{uuid@leg}}","conversation_uuid":"CON-{{uuid@conversation}}","status":""#,
                $status,
                r#"","direction":"outbound","timestamp":"{{now:rfc3339ms}}"}"#
            ),
        }
    };
}

/// Vonage's message and call events, in its documentation's order.
static EVENTS: &[Event] = &[
    status!(
        "submitted",
        "The message was sent to the carrier or channel",
        r#","usage":{"currency":"EUR","price":"0.0333"},"sms":{"count_total":"1"}"#
    ),
    status!(
        "delivered",
        "The carrier or channel confirmed delivery to the handset",
        r#","usage":{"currency":"EUR","price":"0.0333"},"destination":{"network_code":"23410"},"sms":{"count_total":"1"}"#
    ),
    status!(
        "rejected",
        "Vonage rejected the message before sending it",
        r#","error":{"type":"https://developer.nexmo.com/api-errors/messages-olympus#1000","title":1000,"detail":"Throttled - You have exceeded the submission capacity allowed on this account. Please wait and retry","instance":"bf0ca0bf927b3b52e3cb03217e1a1ddf"}"#
    ),
    status!(
        "undeliverable",
        "The carrier or channel could not deliver the message",
        r#","destination":{"network_code":"23410"},"sms":{"count_total":"1"}"#
    ),
    status!(
        "read",
        "The recipient read the message (channels that report it, such as WhatsApp)",
        ""
    ),
    Event {
        name: "message.inbound",
        description: "A message arrived on one of your numbers or channels",
        template: r#"{"channel":"sms","message_uuid":"{{uuid}}","to":"447700900001","from":"447700900000","timestamp":"{{now:rfc3339ms}}","text":"YES, please confirm my appointment","sms":{"num_messages":"1","keyword":"YES"},"usage":{"price":"0.0057","currency":"EUR"},"message_type":"text"}"#,
    },
    call!("started", "The call was created", ""),
    call!("ringing", "The destination is ringing", ""),
    call!(
        "answered",
        "The call was answered",
        r#""start_time":null,"rate":null,"network":null,"#
    ),
    call!("busy", "The destination's line was busy", ""),
    call!(
        "timeout",
        "The call was not answered before its ringing timer ran out",
        ""
    ),
    call!(
        "completed",
        "The call ended",
        r#""end_time":"{{now:rfc3339ms}}","network":"23410","duration":"137","start_time":"{{now-137s:rfc3339ms}}","rate":"0.01270000","price":"0.02899167","disconnected_by":"user","#
    ),
];

/// Vonage.
pub static PROVIDER: Provider = Provider {
    name: "vonage",
    title: "Vonage",
    description: "Messages (SMS, WhatsApp, …) and Voice APIs (JWT-signed webhooks)",
    body: BodyKind::JsonObject,
    trailer: "",
    scheme: Scheme::Vonage,
    scope: Some("message status, inbound message and call events"),
    events: EVENTS,
    default_event: "message.delivered",
    // Call events carry conversation_uuid; message statuses carry status; inbound messages
    // carry message_type alone.
    types: &[
        TypeRule {
            field: "conversation_uuid&status",
            prefix: "call.",
        },
        TypeRule {
            field: "status",
            prefix: "message.",
        },
        TypeRule {
            field: "message_type&",
            prefix: "message.inbound",
        },
    ],
    event_id: None,
    glance: &[
        Glance {
            path: "to",
            quoted: false,
        },
        Glance {
            path: "channel",
            quoted: false,
        },
        Glance {
            path: "text",
            quoted: true,
        },
        Glance {
            path: "error.detail",
            quoted: true,
        },
        Glance {
            path: "duration",
            quoted: false,
        },
    ],
};
