//! Mailgun: the signature inside the body (hex HMAC-SHA256 of timestamp + token), the event data
//! unsigned; sign, verify, send, listen, check and demo, and mailgun's own verifier
//! (`mailgun.security.SecurityGuard.verify_webhook`, through tests/interop/providers.py).

use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::{Value, json};

use super::interop::python;
use super::listening::{Listening, lines, post};
use super::server::TestServer;
use super::{assert_contains, hookctl, stdout_of, stdout_with_code, temp_file};

/// A webhook signing key as Mailgun's dashboard shows one (hex, dashes).
const KEY: &str = "8c2a5b1e7f0d4c3ba9e6f1d2c4b7a8e9-2b9d3f4a-6c1e8d7f";

/// `hookctl sign --provider mailgun` of a fresh `event`: the signed body.
fn signed_body(event: &str) -> Vec<u8> {
    let out = stdout_of(hookctl().args(["sign", event, "--provider", "mailgun", "--secret", KEY]));
    out.trim_end().as_bytes().to_vec()
}

/// `hookctl verify --provider mailgun --json` of `body` under `key`: the JSON verdict.
fn verify(body: &[u8], key: &str) -> Value {
    let (_dir, payload) = temp_file("body.json", body);
    let out = hookctl()
        .args(["verify", "--provider", "mailgun", "--json", "--secret", key])
        .args(["--payload", payload])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A Mailgun listener under [`KEY`] that prints JSON lines and stops after `deliveries`.
fn listener(deliveries: u32) -> Listening {
    let max = deliveries.to_string();
    Listening::start(&[
        "--provider",
        "mailgun",
        "--secret",
        KEY,
        "--json",
        "--max-events",
        &max,
    ])
}

/// `body` with the signature field `name` set to `value`, re-serialised.
fn with_signature_field(body: &[u8], name: &str, value: &str) -> Vec<u8> {
    let mut doc: Value = serde_json::from_slice(body).unwrap();
    doc["signature"][name] = value.into();
    serde_json::to_vec(&doc).unwrap()
}

#[test]
fn sign_puts_the_signature_in_the_body_and_verify_says_the_event_data_is_unsigned() {
    let body = signed_body("clicked");
    let doc: Value = serde_json::from_slice(&body).unwrap();
    let signature = &doc["signature"];
    assert_eq!(signature["token"].as_str().unwrap().len(), 50);
    assert_eq!(signature["signature"].as_str().unwrap().len(), 64);
    assert!(
        signature["timestamp"]
            .as_str()
            .unwrap()
            .parse::<i64>()
            .is_ok()
    );
    assert_eq!(doc["event-data"]["event"], "clicked");

    let (_dir, payload) = temp_file("body.json", &body);
    let out = stdout_of(
        hookctl()
            .args(["verify", "--provider", "mailgun", "--secret", KEY])
            .args(["--payload", payload]),
    );
    assert_contains(
        &out,
        &[
            "valid (mailgun, the body's signature object)",
            "note: only the timestamp and token are signed: the event data is not",
        ],
    );
    let verdict = verify(&body, KEY);
    assert_eq!(verdict["valid"], true, "{verdict}");
    assert!(
        verdict["note"]
            .as_str()
            .unwrap()
            .contains("event data is not")
    );
}

#[test]
fn sign_json_gives_the_body_and_no_headers() {
    let out =
        stdout_of(hookctl().args(["sign", "--provider", "mailgun", "--secret", KEY, "--json"]));
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["headers"], json!({}));
    let body: Value = serde_json::from_str(doc["body"].as_str().unwrap()).unwrap();
    assert_eq!(body["event-data"]["event"], "delivered");
    assert!(body["signature"]["signature"].is_string());
}

#[test]
fn a_payload_is_signed_by_adding_the_signature_and_resigned_with_a_fresh_token() {
    let (_dir, payload) = temp_file("event.json", br#"{"event-data":{"event":"opened"}}"#);
    let sign = || {
        stdout_of(
            hookctl()
                .args(["sign", "--provider", "mailgun", "--secret", KEY])
                .args(["--payload", payload]),
        )
    };
    let (first, second) = (sign(), sign());
    assert!(
        first.starts_with(r#"{"signature":{"timestamp":""#),
        "{first}"
    );
    assert!(
        first
            .trim_end()
            .ends_with(r#","event-data":{"event":"opened"}}"#),
        "{first}"
    );
    let token = |s: &str| serde_json::from_str::<Value>(s).unwrap()["signature"]["token"].clone();
    assert_ne!(token(&first), token(&second), "a fresh token per signing");
}

#[test]
fn edited_event_data_still_verifies_and_is_flagged_unsigned() {
    let body = String::from_utf8(signed_body("delivered")).unwrap();
    let edited = body.replace("alice@example.com", "mallory@example.com");
    assert_ne!(edited, body);
    let verdict = verify(edited.as_bytes(), KEY);
    assert_eq!(verdict["valid"], true, "{verdict}");
    assert!(
        verdict["note"]
            .as_str()
            .unwrap()
            .contains("could have been changed")
    );
}

#[test]
fn tampering_is_invalid_with_the_hint_that_fits() {
    let body = signed_body("delivered");
    let doc: Value = serde_json::from_slice(&body).unwrap();
    let timestamp: i64 = doc["signature"]["timestamp"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let signature = doc["signature"]["signature"].as_str().unwrap();
    let flipped = format!(
        "{}{}",
        if signature.starts_with('0') { "1" } else { "0" },
        &signature[1..]
    );
    let cases: [(Vec<u8>, &str, &str); 5] = [
        (
            with_signature_field(&body, "timestamp", &(timestamp + 60).to_string()),
            KEY,
            &format!(
                "the signature matches timestamp {timestamp}, not {}",
                timestamp + 60
            ),
        ),
        (
            with_signature_field(&body, "token", "0123456789abcdef"),
            KEY,
            "signature.token is not 50 hex digits as Mailgun issues them",
        ),
        (
            with_signature_field(&body, "signature", &flipped),
            KEY,
            "the signing key differs, or the token or signature was changed after signing",
        ),
        (
            body.clone(),
            "another-signing-key",
            "the signing key differs, or the token or signature was changed after signing",
        ),
        (
            body.clone(),
            "key-3ax6xnjp29jd6fds4gc373sgvjxteol0",
            "webhooks are signed with the HTTP webhook signing key",
        ),
    ];
    for (body, key, hint) in cases {
        let verdict = verify(&body, key);
        assert_eq!(verdict["valid"], false, "{verdict}");
        assert_eq!(verdict["reason"], "signature does not match", "{verdict}");
        assert!(
            verdict["hint"].as_str().unwrap().contains(hint),
            "{verdict}"
        );
    }
}

#[test]
fn timestamps_follow_the_sdks_fifteen_minutes_either_way() {
    let now = jiff::Timestamp::now().as_second();
    let at = |t: i64| {
        let out = stdout_of(
            hookctl()
                .args([
                    "sign",
                    "--provider",
                    "mailgun",
                    "--secret",
                    KEY,
                    "--timestamp",
                ])
                .arg(t.to_string()),
        );
        out.trim_end().as_bytes().to_vec()
    };
    assert_eq!(verify(&at(now - 800), KEY)["valid"], true);
    let stale = verify(&at(now - 1000), KEY);
    assert_eq!(stale["valid"], false);
    assert!(
        stale["reason"]
            .as_str()
            .unwrap()
            .contains("(tolerance 15 min)"),
        "{stale}"
    );
    assert_eq!(verify(&at(now + 1000), KEY)["valid"], false);
}

#[test]
fn bodies_that_are_not_mailguns_are_explained() {
    let not_mailgun = verify(br#"{"id":"evt_1","type":"email.sent"}"#, KEY);
    assert_eq!(not_mailgun["valid"], false);
    assert!(
        not_mailgun["reason"]
            .as_str()
            .unwrap()
            .contains("neither `signature` nor `event-data`")
    );
    assert!(
        not_mailgun["hint"]
            .as_str()
            .unwrap()
            .contains("inside the body")
    );

    let (_dir, payload) = temp_file("event.json", br#"{"event-data":{"event":"opened"}}"#);
    let out = stdout_with_code(
        hookctl()
            .args(["verify", "--provider", "mailgun", "--secret", KEY])
            .args(["--payload", payload]),
        1,
    );
    assert_contains(
        &out,
        &[
            "invalid: the body carries no signature",
            "hookctl sign --provider mailgun",
        ],
    );
}

#[test]
fn send_delivers_what_the_listener_verifies_with_the_unsigned_note() {
    let listening = listener(2);
    for event in ["failed.permanent", "failed.temporary"] {
        hookctl()
            .args(["send", event, "--provider", "mailgun", "--secret", KEY])
            .args(["--url", &listening.url])
            .assert()
            .success();
    }
    let (code, stdout, stderr) = listening.finish();
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(
            "verifying mailgun signatures in the body's signature object, timestamps within 15 min"
        ),
        "{stderr}"
    );
    let records = lines(&stdout);
    assert_eq!(records.len(), 2, "{stdout}");
    for (record, kind) in records.iter().zip(["failed.permanent", "failed.temporary"]) {
        assert_eq!(record["type"], kind, "{record}");
        assert_eq!(record["signature"]["status"], "valid", "{record}");
        assert!(
            record["signature"]["note"]
                .as_str()
                .unwrap()
                .contains("event data is not")
        );
        assert_eq!(record["id"], record["body"]["event-data"]["id"], "{record}");
    }
}

#[test]
fn check_and_demo_grade_a_mailgun_receiver() {
    let out = stdout_of(hookctl().args(["demo", "--provider", "mailgun"]));
    assert_contains(
        &out,
        &[
            "sent the signed event with signature.token changed, original signature",
            "sent the event data without its signature object",
            "a timestamp 30 minutes old",
            "11 checks passed",
        ],
    );

    let lenient = TestServer::ok();
    let out = stdout_with_code(
        hookctl()
            .args(["check", "--provider", "mailgun", "--secret", KEY])
            .args(["--url", &lenient.url]),
        1,
    );
    assert_contains(&out, &["✗ 2", "✗ 3", "✗ 4", "✗ 5"]);
}

/// mailgun's own `SecurityGuard.verify_webhook` on a signed body's signature object.
fn mailgun_accepts(python: &PathBuf, body: &[u8], key: &str) -> Value {
    let doc: Value = serde_json::from_slice(body).unwrap();
    let s = &doc["signature"];
    let input = json!({
        "signing_key": key,
        "timestamp": s["timestamp"],
        "token": s["token"],
        "signature": s["signature"],
    });
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/interop/providers.py");
    let mut child = Command::new(python)
        .args([script, "mailgun-verify"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(
        &mut child.stdin.take().unwrap(),
        input.to_string().as_bytes(),
    )
    .unwrap();
    let out = child.wait_with_output().unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn mailguns_verifier_accepts_what_sign_prints_and_send_delivers() {
    let Some(python) = python() else { return };
    let printed = signed_body("unsubscribed");
    assert_eq!(
        mailgun_accepts(&python, &printed, KEY),
        json!({"valid": true})
    );
    assert_eq!(
        mailgun_accepts(&python, &printed, "another-key")["valid"],
        false,
        "the library is not a yes-machine"
    );

    let server = TestServer::ok();
    hookctl()
        .args(["send", "--all", "--provider", "mailgun", "--secret", KEY])
        .args(["--url", &server.url])
        .assert()
        .success();
    let received = server.received();
    assert_eq!(received.len(), 8);
    for request in received {
        assert_eq!(request.header("content-type"), Some("application/json"));
        assert_eq!(
            mailgun_accepts(&python, &request.body, KEY),
            json!({"valid": true})
        );
    }
}

#[test]
fn a_burst_signs_each_delivery_with_its_own_token_and_a_dry_run_shows_the_signed_body() {
    let listening = listener(12);
    hookctl()
        .args([
            "send",
            "--provider",
            "mailgun",
            "--secret",
            KEY,
            "--count",
            "12",
        ])
        .args(["--concurrency", "4", "--url", &listening.url])
        .assert()
        .success();
    let (_, stdout, _) = listening.finish();
    let records = lines(&stdout);
    assert_eq!(records.len(), 12, "{stdout}");
    let tokens: std::collections::HashSet<_> = records
        .iter()
        .map(|r| {
            assert_eq!(r["signature"]["status"], "valid", "{r}");
            r["body"]["signature"]["token"].to_string()
        })
        .collect();
    assert_eq!(tokens.len(), 12, "a fresh token per delivery");

    let out = stdout_of(
        hookctl()
            .args([
                "send",
                "--provider",
                "mailgun",
                "--secret",
                KEY,
                "--dry-run",
            ])
            .args(["--url", "http://127.0.0.1:9/hook"]),
    );
    assert!(
        out.contains(r#"--data-binary '{"signature":{"timestamp":""#),
        "{out}"
    );
}

#[test]
fn the_listener_refuses_a_token_it_has_seen_as_a_replay() {
    let listening = listener(3);
    let body = signed_body("delivered");
    let first = post(&listening.url, &[], &body);
    let again = post(&listening.url, &[], &body);
    let fresh = post(&listening.url, &[], &signed_body("delivered"));
    assert_eq!((first.status, again.status, fresh.status), (200, 200, 200));
    let (_, stdout, _) = listening.finish();
    let records = lines(&stdout);
    assert_eq!(records[0]["signature"]["status"], "valid");
    assert_eq!(records[1]["signature"]["status"], "invalid");
    assert!(
        records[1]["signature"]["reason"]
            .as_str()
            .unwrap()
            .contains("an earlier delivery carried the same token: a replay"),
        "{}",
        records[1]
    );
    assert_eq!(
        records[2]["signature"]["status"], "valid",
        "a fresh token passes"
    );
}
