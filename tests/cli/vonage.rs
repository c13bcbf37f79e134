//! Vonage: `Authorization: Bearer <JWT>` (HS256 with the signature secret, the body's SHA-256 in
//! `payload_hash`), through the real binary: sign and verify, send to a listener, tampering,
//! and vonage-jwt (plus the payload_hash check Vonage's docs describe) on what hookctl sends.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::{Value, json};

use super::interop::provider_library;
use super::listening::{Listening, lines};
use super::server::{Reply, TestServer};
use super::twilio::{at, one_delivery, signed_sample, verify_at};
use super::{hookctl, stdout_of, stdout_with_code};

const SECRET: &str = "vonage-signature-secret-0123456789";
const URL: &str = "https://h.example/webhooks/status";

/// `hookctl COMMAND --provider vonage --secret SECRET`.
fn with_provider(command: &str) -> assert_cmd::Command {
    let mut cmd = hookctl();
    cmd.args([command, "--provider", "vonage", "--secret", SECRET]);
    cmd
}

fn signed(event: &str) -> (Vec<(String, String)>, Vec<u8>) {
    signed_sample("vonage", SECRET, URL, event)
}

fn verify(headers: &[(String, String)], body: &[u8]) -> (bool, String, String) {
    verify_at("vonage", SECRET, URL, headers, body)
}

/// The claims of the token in `Authorization: Bearer <token>`, read without checking it.
fn claims(authorization: &str) -> Value {
    let token = authorization.strip_prefix("Bearer ").unwrap();
    let part = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

#[test]
fn vonage_sign_then_verify_round_trips_with_vonages_claims() {
    for event in ["message.delivered", "message.inbound", "call.completed"] {
        let (headers, body) = signed(event);
        assert_eq!(headers.len(), 1, "{headers:?}");
        assert_eq!(headers[0].0, "Authorization");
        let claims = claims(&headers[0].1);
        assert_eq!(claims["iss"], "Vonage");
        assert_eq!(claims["payload_hash"], sha256_hex(&body));
        assert_eq!(claims["api_key"], "abcd1234");
        assert_eq!(
            claims["jti"].as_str().unwrap().len(),
            36,
            "a UUID: {claims}"
        );
        let (valid, reason, _) = verify(&headers, &body);
        assert!(valid, "{event}: {reason}");
    }
}

#[test]
fn vonage_tampering_is_invalid_with_the_hint_that_names_it() {
    let (headers, body) = signed("message.delivered");

    // The body: the token is genuine, its payload_hash names another body.
    let text = String::from_utf8(body.clone()).unwrap();
    let tampered = text.replace("447700900000", "447700900999");
    let (valid, reason, hint) = verify(&headers, tampered.as_bytes());
    assert!(!valid);
    assert_eq!(
        reason,
        "the token is valid but its payload_hash does not match the body: the body was changed after signing"
    );
    assert_eq!(hint, "the body was changed after signing");
    let pretty =
        serde_json::to_vec_pretty(&serde_json::from_slice::<Value>(&body).unwrap()).unwrap();
    let (_, _, hint) = verify(&headers, &pretty);
    assert!(hint.contains("re-formatted"), "{hint}");

    // The key: another secret (the API secret, say).
    let (valid, reason, hint) = verify_at("vonage", "the-api-secret", URL, &headers, &body);
    assert!(!valid);
    assert_eq!(reason, "the token's signature does not match");
    assert!(
        hint.contains("use the signature secret of the account it names (api_key abcd1234), not the API secret"),
        "{hint}"
    );

    // The timestamp: a token issued 16 minutes ago.
    let old = jiff::Timestamp::now().as_second() - 960;
    let out = stdout_of(with_provider("sign").args(["--timestamp", &old.to_string(), "--json"]));
    let doc: Value = serde_json::from_str(&out).unwrap();
    let headers = [(
        "Authorization".to_string(),
        doc["headers"]["Authorization"]
            .as_str()
            .unwrap()
            .to_string(),
    )];
    let body = doc["body"].as_str().unwrap().as_bytes();
    let (valid, reason, hint) = verify(&headers, body);
    assert!(!valid);
    assert_eq!(
        reason,
        "the token is valid, but it was issued 16 min ago (iat; tolerance 5 min)"
    );
    assert!(hint.contains("--tolerance off"), "{hint}");
}

#[test]
fn vonage_verify_refuses_unsigned_tokens_and_says_when_none_is_there() {
    let (headers, body) = signed("message.submitted");
    let token = headers[0].1.strip_prefix("Bearer ").unwrap();
    let claims = token.split('.').nth(1).unwrap();
    let none = format!(
        "{}.{claims}.",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#)
    );
    let (valid, reason, _) = verify(&[("Authorization".into(), format!("Bearer {none}"))], &body);
    assert!(!valid);
    assert_eq!(reason, "the token is unsigned (`alg: none`)");

    let (valid, reason, _) = verify(&[("X-Other".into(), "1".into())], &body);
    assert!(!valid);
    assert_eq!(reason, "no Authorization header among the given headers");

    // --signature takes the bare token, as a receiver logs it.
    let (_dir, payload) = super::temp_file("body", &body);
    let out = stdout_of(with_provider("verify").args(["--payload", payload, "--signature", token]));
    assert_eq!(out.trim(), "✓ valid (vonage, Authorization)");
}

#[test]
fn vonage_send_to_a_listener_shows_valid_types_and_never_the_token() {
    for (event, channel) in [("message.delivered", "sms"), ("call.answered", "")] {
        let l = one_delivery("vonage", SECRET, &[]);
        let url = at(&l, "webhooks/event");
        stdout_of(with_provider("send").args([event, "--url", &url]));
        let (_, out, err) = l.finish();
        let line = &lines(&out)[0];
        assert_eq!(line["signature"]["status"], "valid", "{out}{err}");
        assert_eq!(line["type"], event, "{out}");
        assert!(channel.is_empty() || out.contains(channel), "{out}");
        assert!(
            !out.contains("eyJ") && !err.contains("eyJ"),
            "the token is shown: {out}{err}"
        );
    }

    // Told no provider, the listener reads Vonage's token from the headers.
    let server = Listening::start(&["--secret", SECRET, "--json", "--max-events", "1", "-v"]);
    stdout_of(with_provider("send").args(["message.inbound", "--url", &server.url]));
    let (_, out, err) = server.finish();
    let line = &lines(&out)[0];
    assert_eq!(line["signature"]["status"], "valid", "{out}{err}");
    assert_eq!(line["type"], "message.inbound", "{out}");
    assert!(
        !out.contains("eyJ") && !err.contains("eyJ"),
        "the token is shown: {out}{err}"
    );
}

#[test]
fn vonage_check_passes_against_a_listener_that_verifies_tokens() {
    let l = Listening::start(&[
        "--provider",
        "vonage",
        "--secret",
        SECRET,
        "--reject-invalid",
    ]);
    let out = stdout_with_code(with_provider("check").args(["--url", &l.url]), 0);
    l.interrupt();
    assert!(
        out.contains("✓ 5  a stale timestamp is rejected"),
        "the stale-token check runs: {out}"
    );
    assert!(out.contains("12 checks passed"), "{out}");
}

fn library_verdict(authorization: &str, body: &[u8]) -> Option<Value> {
    provider_library(
        "vonage-verify",
        &json!({"signature_secret": SECRET, "authorization": authorization, "body_b64": STANDARD.encode(body)}),
    )
}

#[test]
fn vonage_jwt_accepts_what_send_delivers_and_sign_prints() {
    let server = TestServer::start(|_, _| Reply::ok());
    stdout_of(with_provider("send").args(["call.completed", "--url", &server.url]));
    let got = server.received().remove(0);
    let authorization = got.header("Authorization").unwrap().to_string();
    let Some(verdict) = library_verdict(&authorization, &got.body) else {
        return;
    };
    assert_eq!(verdict, json!({"valid": true}), "send");

    let (headers, body) = signed("message.rejected");
    assert_eq!(
        library_verdict(&headers[0].1, &body).unwrap(),
        json!({"valid": true}),
        "sign"
    );
    let verdict = library_verdict(&headers[0].1, b"{}").unwrap();
    assert_eq!(
        verdict["valid"], false,
        "the library sees the changed body: {verdict}"
    );
}

#[test]
fn hookctl_verify_accepts_a_token_pyjwt_signs() {
    let body = br#"{"message_uuid":"aaaaaaaa-bbbb-cccc-dddd-0123456789ab","to":"447700900000","from":"447700900001","timestamp":"2025-01-01T12:00:00.000Z","status":"read","channel":"whatsapp"}"#;
    let Some(signed) = provider_library(
        "vonage-sign",
        &json!({"signature_secret": SECRET, "body_b64": STANDARD.encode(body)}),
    ) else {
        return;
    };
    let authorization = signed["authorization"].as_str().unwrap().to_string();
    let (valid, reason, _) = verify(&[("Authorization".into(), authorization)], body);
    assert!(valid, "{reason}");
}

/// Tokens PyJWT signs with time claims that vonage-jwt reads by PyJWT's rules: a float iat is
/// accepted, a future nbf and a float exp already past are refused, by the library and by hookctl.
#[test]
fn hookctl_verify_reads_time_claims_as_vonage_jwt_does() {
    let body = br#"{"message_uuid":"aaaaaaaa-bbbb-cccc-dddd-0123456789ab","status":"read"}"#;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    let cases = [
        (json!({"iat": now}), true),
        (json!({"nbf": now.trunc() + 3600.0}), false),
        (json!({"exp": now - 60.5}), false),
    ];
    for (claims, valid) in cases {
        let Some(signed) = provider_library(
            "vonage-sign",
            &json!({"signature_secret": SECRET, "body_b64": STANDARD.encode(body), "claims": claims}),
        ) else {
            return;
        };
        let authorization = signed["authorization"].as_str().unwrap().to_string();
        let library = library_verdict(&authorization, body).unwrap();
        assert_eq!(library["valid"], valid, "vonage-jwt on {claims}: {library}");
        let (ours, reason, _) = verify(&[("Authorization".into(), authorization)], body);
        assert_eq!(ours, valid, "hookctl on {claims}: {reason}");
    }
}

fn sha256_hex(body: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(body))
}

#[test]
fn vonage_signs_and_verifies_a_payload_too_large_to_hold_as_it_streams() {
    // Over the 8 MiB that verify and sign read whole: hashed as it is read.
    let mut body = vec![b'x'; 9 * 1024 * 1024];
    let (_dir, payload) = super::temp_file("big", &body);
    let out = stdout_of(with_provider("sign").args(["--payload", payload]));
    let headers: Vec<(String, String)> = out
        .lines()
        .filter_map(|l| l.split_once(": "))
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    assert_eq!(claims(&headers[0].1)["payload_hash"], sha256_hex(&body));
    assert!(verify(&headers, &body).0);
    body[4_000_000] = b'y';
    let (valid, reason, _) = verify(&headers, &body);
    assert!(!valid);
    assert!(
        reason.contains("payload_hash does not match the body"),
        "{reason}"
    );
}

#[test]
fn vonage_replay_signs_a_saved_request_again_with_a_fresh_token() {
    let dir = tempfile::tempdir().unwrap();
    let saving = Listening::saving(
        dir.path(),
        &[
            "--provider",
            "vonage",
            "--secret",
            SECRET,
            "--max-events",
            "1",
        ],
    );
    stdout_of(with_provider("send").args(["call.completed", "--url", &saving.url]));
    saving.finish();

    let server = TestServer::start(|_, _| Reply::ok());
    let saved = dir.path().to_str().unwrap();
    stdout_of(with_provider("replay").args(["--url", &server.url, saved]));
    let got = server.received().remove(0);
    let authorizations: Vec<&str> = got
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("authorization"))
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(
        authorizations.len(),
        1,
        "the saved token is replaced: {authorizations:?}"
    );
    let headers = [("Authorization".to_string(), authorizations[0].to_string())];
    assert!(verify(&headers, &got.body).0);
}

#[test]
fn vonage_listener_names_a_changed_body_and_lists_its_events() {
    let l = one_delivery("vonage", SECRET, &[]);
    let (headers, body) = signed("message.undeliverable");
    let changed = String::from_utf8(body)
        .unwrap()
        .replace("order-1234", "order-9999");
    super::listening::post(&l.url, &headers, changed.as_bytes());
    let signature = super::twilio::listener_signature(l);
    assert_eq!(signature["status"], "invalid");
    assert_eq!(
        signature["reason"],
        "the token is valid but its payload_hash does not match the body: the body was changed after signing"
    );

    let events = stdout_of(hookctl().args(["events", "--provider", "vonage", "--json"]));
    let names: Vec<String> = serde_json::from_str::<Vec<Value>>(&events)
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        names,
        [
            "message.submitted",
            "message.delivered",
            "message.rejected",
            "message.undeliverable",
            "message.read",
            "message.inbound",
            "call.started",
            "call.ringing",
            "call.answered",
            "call.busy",
            "call.timeout",
            "call.completed"
        ]
    );
}

#[test]
fn demo_runs_vonage_and_resend_end_to_end() {
    let out = stdout_of(hookctl().args(["demo", "--provider", "vonage"]));
    super::assert_contains(
        &out,
        &[
            "verifies vonage signatures (Authorization)",
            "call.completed  ✓ valid",
            "12 of 12 events verified and answered 200",
            "12 checks passed",
        ],
    );
    let out = stdout_of(hookctl().args(["demo", "--provider", "resend"]));
    super::assert_contains(
        &out,
        &[
            // Resend's bodies carry no id: the listener shows the delivery's svix-id.
            "email.delivery_delayed msg_",
            "7 of 7 events verified and answered 200",
            "13 checks passed",
        ],
    );
}

/// The statuses a `--fail-first 1` listener of `provider` answers when each of `events` is sent
/// with one retry: 500 then 200 per event when the listener tells events apart.
pub fn fail_first_statuses(provider: &str, secret: &str, events: &[&str]) -> Vec<Value> {
    let max = (events.len() * 2).to_string();
    let l = Listening::start(&[
        "--provider",
        provider,
        "--secret",
        secret,
        "--json",
        "--fail-first",
        "1",
        "--max-events",
        &max,
    ]);
    for event in events {
        stdout_of(hookctl().args([
            "send",
            event,
            "--provider",
            provider,
            "--secret",
            secret,
            "--url",
            &l.url,
            "--retries",
            "1",
            "--backoff",
            "10ms",
        ]));
    }
    let (_, out, _) = l.finish();
    lines(&out).iter().map(|r| r["status"].clone()).collect()
}

#[test]
fn vonage_fail_first_knows_each_event_by_its_body_and_accepts_its_retry() {
    // Vonage's bodies carry no event id; a retry re-signs the same bytes.
    let statuses = fail_first_statuses("vonage", SECRET, &["message.delivered", "call.started"]);
    assert_eq!(statuses, [500, 200, 500, 200]);
}
