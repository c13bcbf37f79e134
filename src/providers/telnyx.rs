//! Telnyx: messaging and call-control events in
//! `{"data":{"event_type","id","occurred_at","payload":{…},"record_type":"event"},"meta":{…}}`,
//! signed with Ed25519 (see `signature::telnyx`). Field names from Telnyx's API reference
//! (https://developers.telnyx.com/api-reference/callbacks/delivery-update, the inbound message
//! and Call Control webhook pages).

use super::{BodyKind, Event, Glance, Provider, TypeRule};
use crate::signature::Scheme;

/// A Telnyx event: the envelope around `$payload` (JSON text of `data.payload`).
macro_rules! event {
    ($name:literal, $description:literal, $payload:expr) => {
        Event {
            name: $name,
            description: $description,
            template: concat!(
                r#"{"data":{"event_type":""#,
                $name,
                r#"","id":"{{uuid}}","occurred_at":"{{now:rfc3339us}}","payload":{"#,
                $payload,
                r#"},"record_type":"event"},"meta":{"attempt":1,"delivered_to":"https://www.example.com/hooks"}}"#
            ),
        }
    };
}

/// A message's payload: `$direction`, the two ends, the recipient's `$status`, then `$extra`.
macro_rules! message {
    ($direction:literal, $from:literal, $to:literal, $status:literal, $extra:literal) => {
        concat!(
            r#""cc":[],"completed_at":null,"cost":{"amount":"0.0040","currency":"USD"},"direction":""#,
            $direction,
            r#"","encoding":"GSM-7","errors":[],"from":{"carrier":"Telnyx","line_type":"Wireless","phone_number":""#,
            $from,
            r#""},"id":"{{uuid@message}}","media":[],"messaging_profile_id":"{{uuid@profile}}","organization_id":"{{uuid@org}}","parts":1,"received_at":"{{now-2s:rfc3339ms}}","record_type":"message","#,
            $extra,
            r#""tags":[],"text":"Your verification code is 482913","to":[{"carrier":"T-MOBILE USA, INC.","line_type":"Wireless","phone_number":""#,
            $to,
            r#"","status":""#,
            $status,
            r#""}],"type":"SMS","valid_until":null,"webhook_failover_url":null,"webhook_url":"https://www.example.com/hooks""#
        )
    };
}

/// A call's payload: the ids every call event carries, then `$extra`.
macro_rules! call {
    ($extra:literal) => {
        concat!(
            r#""call_control_id":"v3:{{b62:}}","call_leg_id":"{{uuid@leg}}","call_session_id":"{{uuid@session}}","client_state":null,"connection_id":"1684641123236054244","from":"+18005550199","to":"+18005550100","#,
            $extra
        )
    };
}

static EVENTS: &[Event] = &[
    event!(
        "message.sent",
        "An outbound message was sent to the carrier",
        message!(
            "outbound",
            "+18445550001",
            "+18665550001",
            "sent",
            r#""sent_at":"{{now:rfc3339ms}}","#
        )
    ),
    event!(
        "message.finalized",
        "An outbound message reached its final status (delivered, failed, …)",
        message!(
            "outbound",
            "+18445550001",
            "+18665550001",
            "delivered",
            r#""sent_at":"{{now-3s:rfc3339ms}}","#
        )
    ),
    event!(
        "message.received",
        "An inbound message arrived at one of your numbers",
        message!(
            "inbound",
            "+18665550001",
            "+18445550001",
            "webhook_delivered",
            r#""sent_at":null,"#
        )
    ),
    event!(
        "call.initiated",
        "A call was placed or arrived at a Call Control application",
        call!(r#""direction":"incoming","start_time":"{{now:rfc3339us}}","state":"parked""#)
    ),
    event!(
        "call.answered",
        "A call was answered",
        call!(r#""start_time":"{{now-6s:rfc3339us}}""#)
    ),
    event!(
        "call.hangup",
        "A call ended",
        call!(
            r#""end_time":"{{now:rfc3339us}}","hangup_cause":"normal_clearing","hangup_source":"caller","sip_hangup_cause":"200","start_time":"{{now-94s:rfc3339us}}""#
        )
    ),
];

static GLANCE: &[Glance] = &[
    Glance {
        path: "data.payload.from.phone_number",
        quoted: false,
    },
    Glance {
        path: "data.payload.to.0.status",
        quoted: false,
    },
    Glance {
        path: "data.payload.text",
        quoted: true,
    },
    Glance {
        path: "data.payload.hangup_cause",
        quoted: false,
    },
];

/// Telnyx.
pub static PROVIDER: Provider = Provider {
    name: "telnyx",
    title: "Telnyx",
    description: "Messaging and voice API, signed with Ed25519",
    body: BodyKind::JsonObject,
    trailer: "",
    scheme: Scheme::Telnyx,
    scope: Some("SMS and call events only"),
    events: EVENTS,
    default_event: "message.finalized",
    types: &[TypeRule {
        field: "data.event_type",
        prefix: "",
    }],
    event_id: Some("data.id"),
    glance: GLANCE,
};
