use serde_json::Value;

use super::{hookctl, stdout_of};

/// The catalog, in the order `hookctl events` lists it.
pub const TYPES: [&str; 15] = [
    "email.sent",
    "email.delivered",
    "email.opened",
    "email.clicked",
    "email.bounced",
    "email.complained",
    "email.failed",
    "sms.sent",
    "sms.delivered",
    "sms.failed",
    "sms.received",
    "call.initiated",
    "call.answered",
    "call.completed",
    "call.failed",
];

fn sample(args: &[&str]) -> (String, Value) {
    let text = stdout_of(hookctl().arg("sample").args(args));
    let value = serde_json::from_str(&text).expect("sample prints JSON");
    (text, value)
}

#[test]
fn events_lists_the_fifteen_seed_types_with_descriptions() {
    let table = stdout_of(hookctl().arg("events"));
    for t in TYPES {
        assert!(table.contains(t), "{t} missing from\n{table}");
    }
    assert!(table.contains("Email bounced (hard/soft)"));
    let json: Value =
        serde_json::from_str(&stdout_of(hookctl().args(["events", "--json"]))).unwrap();
    let listed: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(listed, TYPES);
    assert_eq!(json[10]["description"], "Incoming SMS received");
}

#[test]
fn every_sample_has_the_envelope_in_order_and_a_fresh_id() {
    for t in TYPES {
        let (text, first) = sample(&[t]);
        let keys: Vec<&String> = first.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["id", "type", "created_at", "data"], "{t}");
        assert_eq!(first["type"], t);
        let created = first["created_at"].as_str().unwrap();
        assert!(created.parse::<jiff::Timestamp>().is_ok(), "{created}");
        assert!(
            created.len() == 20 && created.ends_with('Z'),
            "RFC 3339 UTC to the second: {created}"
        );
        assert!(first["id"].as_str().unwrap().starts_with("evt_"));
        // Piped output is the exact compact bytes, with no trailing newline.
        assert!(!text.ends_with('\n') && !text.contains(": "), "{text}");
        let (_, second) = sample(&[t]);
        assert_ne!(
            first["id"], second["id"],
            "{t}: ids must be unique per event"
        );
    }
}

#[test]
fn samples_carry_the_fields_a_provider_sends() {
    let field = |t: &str, path: &str| {
        let (_, v) = sample(&[t]);
        v.pointer(path)
            .cloned()
            .unwrap_or_else(|| panic!("{t} lacks {path}: {v}"))
    };
    assert_eq!(field("email.delivered", "/data/to"), "user@example.com");
    assert!(
        field("email.delivered", "/data/message_id")
            .as_str()
            .unwrap()
            .starts_with("msg_")
    );
    field("email.delivered", "/data/delivered_at");
    field("email.opened", "/data/user_agent");
    field("email.opened", "/data/ip");
    field("email.clicked", "/data/url");
    assert_eq!(field("email.bounced", "/data/bounce_type"), "hard");
    field("email.bounced", "/data/bounce_reason");
    field("email.complained", "/data/feedback_type");
    field("email.failed", "/data/reason");
    assert!(
        field("sms.sent", "/data/to")
            .as_str()
            .unwrap()
            .starts_with("+1")
    );
    assert_eq!(field("sms.sent", "/data/segments"), 1);
    field("sms.failed", "/data/error_code");
    field("sms.received", "/data/text");
    field("call.completed", "/data/duration_seconds")
        .as_i64()
        .unwrap();
    field("call.failed", "/data/reason");
    field("call.initiated", "/data/direction");
}

#[test]
fn set_overrides_and_adds_fields_by_dot_path() {
    let (_, v) = sample(&[
        "email.bounced",
        "--set",
        "data.bounce_type=soft",
        "--set",
        "data.to=me@example.com",
        "--set",
        "data.attempts=3",
        "--set",
        "data.meta.tags=[\"a\"]",
    ]);
    assert_eq!(v["data"]["bounce_type"], "soft");
    assert_eq!(v["data"]["to"], "me@example.com");
    assert_eq!(v["data"]["attempts"], 3);
    assert_eq!(v["data"]["meta"]["tags"][0], "a");
}

#[test]
fn set_path_through_a_string_is_a_clear_usage_error() {
    hookctl()
        .args(["sample", "email.sent", "--set", "data.to.name=x"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("`data.to` is a string"));
}

#[test]
fn unknown_type_lists_the_nearest_known_types() {
    hookctl()
        .args(["sample", "email.deliverd"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("did you mean email.delivered"));
}

#[test]
fn keplars_scheme_builds_keplars_shaped_email_events() {
    let (_, v) = sample(&["email.bounced", "--scheme", "keplars"]);
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["id", "type", "timestamp", "data"]);
    assert_eq!(v["data"]["status"], "bounced");
    assert!(
        v["data"]["email_id"]
            .as_str()
            .unwrap()
            .starts_with("email_")
    );
    hookctl()
        .args(["sample", "sms.sent", "--scheme", "keplars"])
        .assert()
        .code(2);
}

/// The EKDSend handler verifies `JSON.stringify(req.body)`: our bytes must survive that round trip.
#[test]
fn compact_output_equals_javascript_restringify() {
    let (text, _) = sample(&[
        "sms.received",
        "--set",
        "data.ratio=1.0",
        "--set",
        "data.url=https://x.test/a/b",
        "--set",
        "data.note=\"é\\u2028\\u0001\"",
        "--set",
        "data.big=1e21",
    ]);
    // What JSON.stringify writes for these values (ECMA-262 JSON.stringify and
    // Number::toString): checked here without node, and against node below when it is installed.
    assert!(
        text.ends_with(
            "\"ratio\":1,\"url\":\"https://x.test/a/b\",\"note\":\"é\u{2028}\\u0001\",\"big\":1e+21}}"
        ),
        "{text}"
    );
    let Ok(node) = which_node() else {
        eprintln!("node not installed: JavaScript cross-check skipped");
        return;
    };
    let out = std::process::Command::new(node)
        .args(["-e", "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>process.stdout.write(JSON.stringify(JSON.parse(s))))"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(text.as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), text);
}

fn which_node() -> Result<String, ()> {
    let ok = std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if ok { Ok("node".into()) } else { Err(()) }
}
