//! SendGrid: ECDSA P-256 over timestamp + body (CRLF included), through the binary, checked by
//! sendgrid's own `EventWebhook` where the interop virtualenv is present.

use serde_json::json;

use super::interop::python;
use super::keys::{b64, header_map, keygen, library, sent_with_key};
use super::listening::{Listening, lines};
use super::{hookctl, stdout_of, stdout_with_code};

const SIGNATURE: &str = "X-Twilio-Email-Event-Webhook-Signature";
const TIMESTAMP: &str = "X-Twilio-Email-Event-Webhook-Timestamp";

/// sendgrid-python `test/unit/test_eventwebhook.py`: PUBLIC_KEY, SIGNATURE, TIMESTAMP and
/// PAYLOAD (`json.dumps([...], sort_keys=True, separators=(',', ':')) + '\r\n'`).
const VECTOR_KEY: &str = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g==";
const VECTOR_SIGNATURE: &str = "MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQAbPIqHh89M15TluLtEZtM=";
const VECTOR_PAYLOAD: &str = "[{\"email\":\"hello@world.com\",\"event\":\"dropped\",\"reason\":\"Bounced Address\",\"sg_event_id\":\"ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA\",\"sg_message_id\":\"LRzXl_NHStOGhQ4kofSm_A.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0\",\"smtp-id\":\"<LRzXl_NHStOGhQ4kofSm_A@ismtpd0039p1iad1.sendgrid.net>\",\"timestamp\":1600112492}]\r\n";

fn verify(public: &str, body: &[u8], signature: &str, timestamp: &str, code: i32) -> String {
    stdout_with_code(
        hookctl()
            .args([
                "verify",
                "--provider",
                "sendgrid",
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

#[test]
fn the_published_sendgrid_python_vector_verifies() {
    let out = verify(
        VECTOR_KEY,
        VECTOR_PAYLOAD.as_bytes(),
        VECTOR_SIGNATURE,
        "1600112502",
        0,
    );
    assert!(out.starts_with("✓ valid (sendgrid"), "{out}");
}

#[test]
fn a_stripped_crlf_or_an_editors_newline_is_named() {
    let stripped = VECTOR_PAYLOAD.trim_end();
    let out = verify(
        VECTOR_KEY,
        stripped.as_bytes(),
        VECTOR_SIGNATURE,
        "1600112502",
        1,
    );
    assert!(
        out.contains("ends with \\r\\n, which SendGrid includes"),
        "{out}"
    );
    let added = format!("{VECTOR_PAYLOAD}\n");
    let out = verify(
        VECTOR_KEY,
        added.as_bytes(),
        VECTOR_SIGNATURE,
        "1600112502",
        1,
    );
    assert!(
        out.contains("a newline follows SendGrid's trailing \\r\\n"),
        "{out}"
    );
}

#[test]
fn a_raw_r_s_signature_is_named_as_not_der() {
    let der = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, VECTOR_SIGNATURE)
        .unwrap();
    let raw = p256::ecdsa::Signature::from_der(&der).unwrap().to_bytes();
    let raw = b64(&raw);
    let out = verify(VECTOR_KEY, VECTOR_PAYLOAD.as_bytes(), &raw, "1600112502", 1);
    assert!(
        out.contains("raw r‖s pair (64 bytes, IEEE P1363), and SendGrid sends DER"),
        "{out}"
    );
}

#[test]
fn sign_then_verify_round_trips_and_a_changed_timestamp_fails() {
    let dir = tempfile::tempdir().unwrap();
    let (private, public) = keygen(&dir, "sendgrid");
    let json: serde_json::Value = serde_json::from_str(&stdout_of(
        hookctl()
            .args([
                "sign",
                "--provider",
                "sendgrid",
                "--json",
                "bounce",
                "--private-key",
            ])
            .arg(&private),
    ))
    .unwrap();
    let body = json["body"].as_str().unwrap();
    assert!(body.ends_with("}]\r\n"), "{body:?}");
    let signature = json["headers"][SIGNATURE].as_str().unwrap();
    let timestamp = json["headers"][TIMESTAMP].as_str().unwrap();
    verify(&public, body.as_bytes(), signature, timestamp, 0);
    let later = (timestamp.parse::<i64>().unwrap() + 1).to_string();
    verify(&public, body.as_bytes(), signature, &later, 1);
}

#[test]
fn send_to_a_listener_holding_the_public_key_is_valid_and_tampering_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let (private, public) = keygen(&dir, "sendgrid");
    let listening = Listening::start(&[
        "--provider",
        "sendgrid",
        "--public-key",
        &public,
        "--json",
        "--max-events",
        "2",
    ]);
    hookctl()
        .args(["send", "--provider", "sendgrid", "open", "--private-key"])
        .arg(&private)
        .args(["--url", &listening.url])
        .assert()
        .success();
    let signed = stdout_of(
        hookctl()
            .args(["sign", "--provider", "sendgrid", "--private-key"])
            .arg(&private)
            .args(["--payload", "-"])
            .write_stdin("[{\"event\":\"open\"}]\r\n"),
    );
    let headers: Vec<(String, String)> = header_map(&signed)
        .into_iter()
        .map(|(n, v)| (n, v.as_str().unwrap().to_string()))
        .collect();
    super::listening::post(&listening.url, &headers, b"[{\"event\":\"click\"}]\r\n");
    let (_, stdout, _) = listening.finish();
    let records = lines(&stdout);
    assert_eq!(records[0]["signature"]["status"], "valid", "{stdout}");
    assert_eq!(records[0]["type"], "open", "{stdout}");
    assert_eq!(records[1]["signature"]["status"], "invalid", "{stdout}");
}

#[test]
fn sendgrids_event_webhook_accepts_what_send_delivers_and_sign_prints() {
    let Some(python) = python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (private, public) = keygen(&dir, "sendgrid");
    let received = sent_with_key(&["--provider", "sendgrid"], &private);
    assert_eq!(received.len(), 10);
    for got in &received {
        let answer = library(
            &python,
            "sendgrid-verify",
            &json!({
                "public_key": public,
                "body_b64": b64(&got.body),
                "signature": got.header(SIGNATURE).unwrap(),
                "timestamp": got.header(TIMESTAMP).unwrap(),
            }),
        );
        assert_eq!(answer["valid"], true, "{answer}");
    }
    let body = "[{\"email\":\"a@example.com\",\"event\":\"delivered\"}]\r\n";
    let signed = header_map(&stdout_of(
        hookctl()
            .args(["sign", "--provider", "sendgrid", "--private-key"])
            .arg(&private)
            .args(["--payload", "-"])
            .write_stdin(body),
    ));
    let answer = library(
        &python,
        "sendgrid-verify",
        &json!({
            "public_key": public,
            "body_b64": b64(body.as_bytes()),
            "signature": signed[&SIGNATURE.to_ascii_lowercase()],
            "timestamp": signed[&TIMESTAMP.to_ascii_lowercase()],
        }),
    );
    assert_eq!(answer["valid"], true, "{answer}");
}

#[test]
fn verify_accepts_what_cryptography_signs_for_a_sendgrid_key() {
    let Some(python) = python() else { return };
    let pair = library(&python, "sendgrid-keygen", &json!({}));
    let body = b"[{\"email\":\"a@example.com\",\"event\":\"processed\"}]\r\n";
    let signed = library(
        &python,
        "sendgrid-sign",
        &json!({"private_key_pem": pair["private_key_pem"], "body_b64": b64(body), "timestamp": "1700000000"}),
    );
    verify(
        pair["public_key"].as_str().unwrap(),
        body,
        signed["signature"].as_str().unwrap(),
        "1700000000",
        0,
    );
    // And hookctl signs with the key the library made.
    let dir = tempfile::tempdir().unwrap();
    let key = super::file(
        &dir,
        "key.pem",
        pair["private_key_pem"].as_str().unwrap().as_bytes(),
    );
    stdout_of(
        hookctl()
            .args(["sign", "--provider", "sendgrid", "--private-key"])
            .arg(&key)
            .args(["--payload", "-"])
            .write_stdin(body.to_vec()),
    );
}
