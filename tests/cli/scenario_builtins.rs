//! Every built-in lifecycle of the eight real providers, run against a listener that verifies
//! the provider's own signature: every delivery 2xx and valid, the chain's ids shared the way
//! the provider shares them, times rising, an event id of its own where the provider has one.

use serde_json::Value;

use super::keys::keygen;
use super::listening::{Listening, SECRET, lines};
use super::{hookctl, stdout_of};

const USER: &str = "postmark-hooks";
const PASSWORD: &str = "builtins-Pa55";

/// One provider's expectations.
struct Provider {
    name: &'static str,
    /// Its built-ins, in `scenario list` order.
    builtins: &'static [&'static str],
    /// Paths of ids a chain shares: each is the same wherever it appears in one run, and the
    /// first that the first step carries is in every step.
    shared: &'static [&'static str],
    /// Where a body says when its event happened: the first path present.
    times: &'static [&'static str],
    /// Whether every delivery carries an event id of its own (in the body or a header).
    event_ids: bool,
}

const SMS_AND_CALLS: &[&str] = &[
    "sms-delivered",
    "sms-failed",
    "sms-inbound",
    "call-completed",
    "call-busy",
    "call-no-answer",
];
const EMAIL: &[&str] = &["email-engaged", "email-bounced", "email-complained"];

/// The listener's flags and the run's, signing as the provider does.
pub fn signing(provider: &str, dir: &tempfile::TempDir) -> (Vec<String>, Vec<String>) {
    let own = |flags: &[&str]| flags.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    match provider {
        "sendgrid" | "telnyx" => {
            let (private, public) = keygen(dir, provider);
            let private = private.to_str().unwrap().to_string();
            (
                own(&["--public-key", &public]),
                own(&["--private-key", &private]),
            )
        }
        "postmark" => (
            own(&["--basic-auth", &format!("{USER}:{PASSWORD}")]),
            vec![],
        ),
        _ => (own(&["--secret", SECRET]), own(&["--secret", SECRET])),
    }
}

/// Runs every built-in of `p` in turn against one verifying listener; checks each run.
fn every_builtin_verifies_and_shares_its_ids(p: &Provider) {
    let listed: Value = serde_json::from_str(&stdout_of(hookctl().args([
        "scenario",
        "list",
        "--provider",
        p.name,
        "--json",
    ])))
    .unwrap();
    let listed = listed.as_array().unwrap();
    let names: Vec<&str> = listed.iter().map(|b| b["name"].as_str().unwrap()).collect();
    assert_eq!(names, p.builtins, "{}'s built-ins", p.name);
    let steps: Vec<usize> = listed
        .iter()
        .map(|b| b["steps"].as_array().unwrap().len())
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let (listen, run) = signing(p.name, &dir);
    let total = steps.iter().sum::<usize>().to_string();
    let mut args = vec!["--provider", p.name, "--json", "--max-events", &total];
    args.extend(listen.iter().map(String::as_str));
    let listening = Listening::start(&args);
    let url = match p.name {
        "postmark" => listening
            .url
            .replacen("http://", &format!("http://{USER}:{PASSWORD}@"), 1),
        _ => listening.url.clone(),
    };
    for name in p.builtins {
        hookctl()
            .args(["scenario", "run", name, "--provider", p.name, "--url", &url])
            .args(&run)
            .assert()
            .success();
    }
    let (code, stdout, stderr) = listening.finish();
    assert_eq!(code, 0, "{stderr}");
    let records = lines(&stdout);
    let mut at = 0;
    for (name, count) in p.builtins.iter().zip(steps) {
        let chain = &records[at..at + count];
        at += count;
        check_chain(p, name, chain);
    }
    assert_eq!(at, records.len());
}

fn check_chain(p: &Provider, name: &str, chain: &[Value]) {
    let what = format!("{}/{name}", p.name);
    let provider = hookctl::providers::by_name(p.name).unwrap();
    let bodies: Vec<Value> = chain.iter().map(|r| body(provider, r)).collect();
    for record in chain {
        assert_eq!(record["status"], 200, "{what}: {record}");
        assert_eq!(record["signature"]["status"], "valid", "{what}: {record}");
    }
    for path in p.shared {
        let values: Vec<&Value> = bodies.iter().filter_map(|b| at(b, path)).collect();
        assert!(
            values.windows(2).all(|w| w[0] == w[1]),
            "{what}: one {path} across the chain: {values:?}"
        );
    }
    if let Some(id) = p.shared.iter().find(|path| at(&bodies[0], path).is_some()) {
        assert!(
            bodies.iter().all(|b| at(b, id).is_some()),
            "{what}: every step carries {id}"
        );
    }
    assert!(
        !(chain.len() > 1 && p.shared.iter().all(|path| at(&bodies[0], path).is_none())),
        "{what}: the first step carries none of {:?}",
        p.shared
    );
    let times: Vec<f64> = bodies.iter().filter_map(|b| time(b, p.times)).collect();
    assert!(
        times.windows(2).all(|w| w[0] <= w[1]),
        "{what}: times never go back: {times:?}"
    );
    if times.len() > 1 {
        assert!(
            times[0] < times[times.len() - 1],
            "{what}: times rise: {times:?}"
        );
    }
    let now = jiff::Timestamp::now().as_millisecond() as f64 / 1000.0;
    assert!(
        times.iter().all(|t| *t <= now + 1.0),
        "{what}: none in the future"
    );
    let ids: Vec<&str> = chain.iter().filter_map(|r| r["id"].as_str()).collect();
    if p.event_ids {
        assert_eq!(ids.len(), chain.len(), "{what}: every event has an id");
    }
    let mut distinct = ids.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(
        distinct.len(),
        ids.len(),
        "{what}: each event its own id: {ids:?}"
    );
}

/// A record's body as the provider's JSON (a form's parameters as an object).
fn body(provider: &hookctl::providers::Provider, record: &Value) -> Value {
    match &record["body"] {
        Value::String(text) => provider
            .read(text.as_bytes())
            .unwrap_or_else(|| panic!("{} cannot read {text}", provider.name)),
        other => other.clone(),
    }
}

fn at<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    hookctl::providers::lookup(value, path).filter(|v| !v.is_null())
}

/// Seconds since the epoch at the first of `paths` present: a Unix number, RFC 3339, RFC 2822
/// or Plivo's `2024-01-15 10:30:00.123456` (UTC).
fn time(body: &Value, paths: &[&str]) -> Option<f64> {
    let value = paths.iter().find_map(|p| at(body, p))?;
    if let Some(seconds) = value.as_f64() {
        return Some(seconds);
    }
    let text = value.as_str()?;
    let stamp = text
        .parse::<jiff::Timestamp>()
        .ok()
        .or_else(|| jiff::fmt::rfc2822::parse(text).ok().map(|z| z.timestamp()))
        .or_else(|| {
            let civil = text.parse::<jiff::civil::DateTime>().ok()?;
            civil
                .to_zoned(jiff::tz::TimeZone::UTC)
                .ok()
                .map(|z| z.timestamp())
        })
        .unwrap_or_else(|| panic!("not a time: {text}"));
    Some(stamp.as_microsecond() as f64 / 1e6)
}

#[test]
fn twilio_builtins() {
    every_builtin_verifies_and_shares_its_ids(&Provider {
        name: "twilio",
        builtins: SMS_AND_CALLS,
        shared: &[
            "MessageSid",
            "CallSid",
            "SmsSid",
            "AccountSid",
            "MessagingServiceSid",
        ],
        times: &["Timestamp"],
        event_ids: true,
    });
}

#[test]
fn twilio_call_sequence_numbers_count_from_zero() {
    let server = super::server::TestServer::ok();
    hookctl()
        .args(["scenario", "run", "call-completed", "--provider", "twilio"])
        .args(["--secret", SECRET, "--url", &server.url])
        .assert()
        .success();
    let provider = hookctl::providers::by_name("twilio").unwrap();
    let numbers: Vec<String> = server
        .received()
        .iter()
        .map(|r| {
            provider.read(&r.body).unwrap()["SequenceNumber"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(numbers, ["0", "1", "2", "3"]);
}

#[test]
fn plivo_builtins() {
    every_builtin_verifies_and_shares_its_ids(&Provider {
        name: "plivo",
        builtins: SMS_AND_CALLS,
        shared: &["MessageUUID", "CallUUID", "RequestUUID", "QueuedTime"],
        times: &[
            "EndTime",
            "DeliveryReportTime",
            "SentTime",
            "QueuedTime",
            "SessionStart",
        ],
        event_ids: false,
    });
}

#[test]
fn sendgrid_builtins() {
    every_builtin_verifies_and_shares_its_ids(&Provider {
        name: "sendgrid",
        builtins: EMAIL,
        shared: &["0.sg_message_id", "0.smtp-id"],
        times: &["0.timestamp"],
        event_ids: true,
    });
}

#[test]
fn mailgun_builtins() {
    every_builtin_verifies_and_shares_its_ids(&Provider {
        name: "mailgun",
        builtins: EMAIL,
        shared: &["event-data.message.headers.message-id"],
        times: &["event-data.timestamp"],
        event_ids: true,
    });
}

#[test]
fn postmark_builtins() {
    every_builtin_verifies_and_shares_its_ids(&Provider {
        name: "postmark",
        builtins: EMAIL,
        shared: &["MessageID"],
        times: &["DeliveredAt", "BouncedAt", "ReceivedAt"],
        event_ids: false,
    });
}

#[test]
fn resend_builtins() {
    every_builtin_verifies_and_shares_its_ids(&Provider {
        name: "resend",
        builtins: EMAIL,
        shared: &["data.email_id", "data.created_at"],
        times: &["created_at"],
        event_ids: true,
    });
}

#[test]
fn telnyx_builtins() {
    every_builtin_verifies_and_shares_its_ids(&Provider {
        name: "telnyx",
        builtins: SMS_AND_CALLS,
        shared: &[
            "data.payload.id",
            "data.payload.call_control_id",
            "data.payload.call_session_id",
            "data.payload.call_leg_id",
        ],
        times: &["data.occurred_at"],
        event_ids: true,
    });
}

#[test]
fn vonage_builtins() {
    every_builtin_verifies_and_shares_its_ids(&Provider {
        name: "vonage",
        builtins: SMS_AND_CALLS,
        shared: &["message_uuid", "uuid", "conversation_uuid", "client_ref"],
        times: &["timestamp"],
        event_ids: false,
    });
}
