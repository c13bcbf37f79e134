//! Telnyx: Ed25519 over `timestamp|body` with a 300 s window, through the binary, checked by
//! telnyx's own `verify_webhook_signature` where the interop virtualenv is present.

use serde_json::json;

use super::interop::python;
use super::keys::{b64, header_map, keygen, library, sent_with_key};
use super::listening::{Listening, lines};
use super::{hookctl, stdout_of, stdout_with_code};

const SIGNATURE: &str = "telnyx-signature-ed25519";
const TIMESTAMP: &str = "telnyx-timestamp";

fn verify(public: &str, body: &[u8], signature: &str, timestamp: &str, code: i32) -> String {
    stdout_with_code(
        hookctl()
            .args([
                "verify",
                "--provider",
                "telnyx",
                "--public-key",
                public,
                "--payload",
                "-",
            ])
            .args(["-H", &format!("{SIGNATURE}: {signature}")])
            .args(["-H", &format!("{TIMESTAMP}: {timestamp}")])
            .write_stdin(body.to_vec()),
        code,
    )
}

fn now() -> i64 {
    jiff::Timestamp::now().as_second()
}

#[test]
fn sign_then_verify_round_trips_and_tampering_fails() {
    let dir = tempfile::tempdir().unwrap();
    let (private, public) = keygen(&dir, "telnyx");
    let json: serde_json::Value = serde_json::from_str(&stdout_of(
        hookctl()
            .args([
                "sign",
                "--provider",
                "telnyx",
                "--json",
                "call.hangup",
                "--private-key",
            ])
            .arg(&private),
    ))
    .unwrap();
    let body = json["body"].as_str().unwrap();
    let signature = json["headers"][SIGNATURE].as_str().unwrap();
    let timestamp = json["headers"][TIMESTAMP].as_str().unwrap();
    let out = verify(&public, body.as_bytes(), signature, timestamp, 0);
    assert!(out.starts_with("✓ valid (telnyx"), "{out}");
    let tampered = body.replace("normal_clearing", "call_rejected");
    verify(&public, tampered.as_bytes(), signature, timestamp, 1);
    let elsewhere = tempfile::tempdir().unwrap();
    let (_, stranger) = keygen(&elsewhere, "telnyx");
    verify(&stranger, body.as_bytes(), signature, timestamp, 1);
}

#[test]
fn a_stale_timestamp_is_named_and_any_age_accepts_it() {
    let dir = tempfile::tempdir().unwrap();
    let (private, public) = keygen(&dir, "telnyx");
    let old = (now() - 1_000).to_string();
    let signed = header_map(&stdout_of(
        hookctl()
            .args([
                "sign",
                "--provider",
                "telnyx",
                "--timestamp",
                &old,
                "--private-key",
            ])
            .arg(&private)
            .args(["--payload", "-"])
            .write_stdin("{}"),
    ));
    let signature = signed[SIGNATURE].as_str().unwrap();
    let out = verify(&public, b"{}", signature, &old, 1);
    assert!(
        out.contains("signature matches, but its timestamp is 16 min old"),
        "{out}"
    );
    stdout_of(
        hookctl()
            .args([
                "verify",
                "--provider",
                "telnyx",
                "--public-key",
                &public,
                "--tolerance",
                "off",
            ])
            .args(["--payload", "-", "-H", &format!("{SIGNATURE}: {signature}")])
            .args(["-H", &format!("{TIMESTAMP}: {old}")])
            .write_stdin("{}"),
    );
}

#[test]
fn send_to_a_listener_holding_the_public_key_is_valid() {
    let dir = tempfile::tempdir().unwrap();
    let (private, public) = keygen(&dir, "telnyx");
    let listening = Listening::start(&[
        "--provider",
        "telnyx",
        "--public-key",
        &public,
        "--json",
        "--max-events",
        "1",
    ]);
    hookctl()
        .args([
            "send",
            "--provider",
            "telnyx",
            "message.received",
            "--private-key",
        ])
        .arg(&private)
        .args(["--url", &listening.url])
        .assert()
        .success();
    let (_, stdout, _) = listening.finish();
    let record = &lines(&stdout)[0];
    assert_eq!(record["signature"]["status"], "valid", "{stdout}");
    assert_eq!(record["type"], "message.received", "{stdout}");
}

#[test]
fn telnyxs_verifier_accepts_what_send_delivers_and_sign_prints() {
    let Some(python) = python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (private, public) = keygen(&dir, "telnyx");
    let received = sent_with_key(&["--provider", "telnyx"], &private);
    assert_eq!(received.len(), 6);
    for got in &received {
        let answer = library(
            &python,
            "telnyx-verify",
            &json!({
                "public_key": public,
                "body_b64": b64(&got.body),
                "signature": got.header(SIGNATURE).unwrap(),
                "timestamp": got.header(TIMESTAMP).unwrap(),
            }),
        );
        assert_eq!(answer["valid"], true, "{answer}");
    }
    let signed = header_map(&stdout_of(
        hookctl()
            .args(["sign", "--provider", "telnyx", "--private-key"])
            .arg(&private)
            .args(["--payload", "-"])
            .write_stdin("{\"data\":{}}"),
    ));
    let answer = library(
        &python,
        "telnyx-verify",
        &json!({
            "public_key": public,
            "body_b64": b64(b"{\"data\":{}}"),
            "signature": signed[SIGNATURE],
            "timestamp": signed[TIMESTAMP],
        }),
    );
    assert_eq!(answer["valid"], true, "{answer}");
}

#[test]
fn verify_accepts_what_cryptography_signs_for_a_telnyx_key() {
    let Some(python) = python() else { return };
    let pair = library(&python, "telnyx-keygen", &json!({}));
    let body = b"{\"data\":{\"event_type\":\"call.answered\"}}";
    let at = now().to_string();
    let signed = library(
        &python,
        "telnyx-sign",
        &json!({"private_key_pem": pair["private_key_pem"], "body_b64": b64(body), "timestamp": at}),
    );
    verify(
        pair["public_key"].as_str().unwrap(),
        body,
        signed["signature"].as_str().unwrap(),
        &at,
        0,
    );
}
