//! Plivo: SMS and voice callbacks, form-encoded with Plivo's parameter names, signed with
//! `X-Plivo-Signature-V3` and `X-Plivo-Signature-V2` (see `signature::plivo`).
//!
//! Sources (the parameter lists): "Message Status Callbacks"
//! (plivo.com/docs/messaging/api/message/message-status-callbacks); "Handling incoming
//! SMS/MMS" (plivo.com/docs/messaging/api/message/handling-incoming); the voice request
//! parameters and the hangup URL's additions ("XML request", plivo.com/docs/voice/xml/request,
//! and the Call object's hangup fields, plivo.com/docs/voice/api/call/the-call-object); a
//! call's ring and answer URLs, "Make a call" (plivo.com/docs/voice/api/call/make-a-call:
//! `ring_url` is notified when the call starts ringing, `answer_url` when it is answered) and
//! the parameters the Application page lists for the answer URL (CallUUID, From, To,
//! CallStatus `ringing` or `in-progress`, Direction, ALegUUID, ALegRequestUUID;
//! plivo.com/docs/account/api/application), with `Event` `Ring` and `StartApp` as Plivo names
//! those requests. Ids are UUIDs. Bodies name no event type: hookctl names it from `Status`
//! (message status callbacks), `Event` (`Hangup`, `Ring`, `StartApp`; else `CallStatus`) and
//! `Type` (an inbound message carries no status).

use super::{BodyKind, Event, Glance, Provider, TypeRule};
use crate::signature::Scheme;

/// A message status callback: what Plivo posts to a message's status `url`.
macro_rules! message_status {
    ($status:literal, $description:literal, $extra:literal) => {
        Event {
            name: concat!("message.", $status),
            description: $description,
            template: concat!(
                r#"{"From":"14155550100","MessageUUID":"{{uuid@msg}}","ParentMessageUUID":"{{uuid@msg}}","PartInfo":"1 of 1","Sequence":"1","Status":""#,
                $status,
                r#"","To":"14155550123","Type":"sms","Units":"1","TotalRate":"0.00500","TotalAmount":"0.00500","MCC":"310","MNC":"260","#,
                $extra,
                r#""MessageTime":"{{now-4s:datetimeus}}","QueuedTime":"{{now-4s:datetimeus}}","PowerpackUUID":""}"#
            ),
        }
    };
}

/// Plivo's SMS and voice events.
static EVENTS: &[Event] = &[
    message_status!(
        "queued",
        "Plivo accepted the message and queued it for sending",
        ""
    ),
    message_status!(
        "sent",
        "Plivo handed the message to the carrier",
        r#""SentTime":"{{now:datetimeus}}","#
    ),
    message_status!(
        "delivered",
        "The carrier confirmed delivery to the handset",
        r#""SentTime":"{{now-2s:datetimeus}}","DeliveryReportTime":"{{now:datetimeus}}","#
    ),
    message_status!(
        "undelivered",
        "The carrier reported the message undelivered (ErrorCode says why)",
        r#""ErrorCode":"80","SentTime":"{{now-2s:datetimeus}}","DeliveryReportTime":"{{now:datetimeus}}","#
    ),
    message_status!(
        "failed",
        "The message could not be sent (ErrorCode says why)",
        r#""ErrorCode":"900","#
    ),
    Event {
        name: "message.received",
        description: "An inbound message to one of your Plivo numbers",
        template: r#"{"From":"14155550123","To":"14155550100","Type":"sms","Text":"Hi! Is my order on its way?","MessageUUID":"{{uuid}}","Units":"1","TotalRate":"0.00000","TotalAmount":"0.00000","MessageIntent":"","PowerpackUUID":""}"#,
    },
    Event {
        name: "call.ringing",
        description: "An outbound call is ringing (the call's ring URL)",
        template: r#"{"CallStatus":"ringing","CallUUID":"{{uuid@call}}","Direction":"outbound","Event":"Ring","From":"14155550100","RequestUUID":"{{uuid@request}}","SessionStart":"{{now:datetimeus}}","To":"14155550123"}"#,
    },
    Event {
        name: "call.answered",
        description: "An outbound call was answered: Plivo asks the answer URL what to do",
        template: r#"{"ALegRequestUUID":"{{uuid@request}}","ALegUUID":"{{uuid@call}}","CallStatus":"in-progress","CallUUID":"{{uuid@call}}","Direction":"outbound","Event":"StartApp","From":"14155550100","RequestUUID":"{{uuid@request}}","SessionStart":"{{now-6s:datetimeus}}","To":"14155550123"}"#,
    },
    Event {
        name: "call.hangup",
        description: "A call ended: its duration, cost and hangup cause (the hangup URL)",
        template: r#"{"ALegRequestUUID":"{{uuid@request}}","ALegUUID":"{{uuid@call}}","AnswerTime":"{{now-47s:datetime}}","BillDuration":"60","BillRate":"0.00850","CallStatus":"completed","CallUUID":"{{uuid@call}}","Direction":"outbound","Duration":"47","EndTime":"{{now:datetime}}","Event":"Hangup","From":"14155550100","HangupCause":"NORMAL_CLEARING","HangupCauseCode":"4000","HangupCauseName":"Normal Hangup","HangupSource":"Callee","RequestUUID":"{{uuid@request}}","SessionStart":"{{now-53s:datetimeus}}","StartTime":"{{now-53s:datetime}}","To":"14155550123","TotalCost":"0.00850"}"#,
    },
];

/// Plivo.
pub static PROVIDER: Provider = Provider {
    name: "plivo",
    title: "Plivo",
    description: "SMS and voice: message status, inbound messages and call hangups, form-encoded",
    body: BodyKind::Form,
    trailer: "",
    scheme: Scheme::Plivo,
    scope: Some("SMS and voice events only"),
    events: EVENTS,
    default_event: "message.delivered",
    types: &[
        TypeRule {
            field: "Event=Hangup",
            prefix: "call.hangup",
        },
        TypeRule {
            field: "Event=Ring",
            prefix: "call.ringing",
        },
        TypeRule {
            field: "Event=StartApp",
            prefix: "call.answered",
        },
        TypeRule {
            field: "CallStatus=ringing",
            prefix: "call.ringing",
        },
        TypeRule {
            field: "CallStatus=in-progress",
            prefix: "call.answered",
        },
        TypeRule {
            field: "Status",
            prefix: "message.",
        },
        TypeRule {
            field: "Type=sms",
            prefix: "message.received",
        },
        TypeRule {
            field: "Type=mms",
            prefix: "message.received",
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
            path: "Text",
            quoted: true,
        },
        Glance {
            path: "ErrorCode",
            quoted: false,
        },
        Glance {
            path: "HangupCause",
            quoted: false,
        },
        Glance {
            path: "Duration",
            quoted: false,
        },
    ],
};
