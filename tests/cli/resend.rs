//! Resend: Standard Webhooks under the `svix-*` header names with a `whsec_` secret, through the
//! real binary: sign and verify, send to a listener (which dedupes on `svix-id`, the body having
//! no event id), tampering, the Svix documentation vector, and the `resend` and `svix`
//! libraries on what hookctl sends and signs.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

use super::interop::provider_library;
use super::listening::lines;
use super::server::{Reply, TestServer};
use super::twilio::{at, one_delivery, signed_sample, verify_at};
use super::{hookctl, stdout_of, temp_file};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const URL: &str = "https://h.example/webhooks/resend";

/// `hookctl COMMAND --provider resend --secret SECRET`.
fn with_provider(command: &str) -> assert_cmd::Command {
    let mut cmd = hookctl();
    cmd.args([command, "--provider", "resend", "--secret", SECRET]);
    cmd
}

fn signed(event: &str) -> (Vec<(String, String)>, Vec<u8>) {
    signed_sample("resend", SECRET, URL, event)
}

fn verify(headers: &[(String, String)], body: &[u8]) -> (bool, String, String) {
    verify_at("svix", SECRET, URL, headers, body)
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    &headers.iter().find(|(n, _)| n == name).unwrap().1
}

#[test]
fn resend_sign_then_verify_round_trips_under_svix_headers() {
    let (headers, body) = signed("email.bounced");
    let names: Vec<&str> = headers.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["svix-id", "svix-timestamp", "svix-signature"]);
    assert!(
        header(&headers, "svix-id").starts_with("msg_"),
        "{headers:?}"
    );
    let event: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(event["type"], "email.bounced");
    assert_eq!(event["data"]["to"], json!(["delivered@example.com"]));
    assert_eq!(event["data"]["bounce"]["type"], "Permanent");
    assert_eq!(event["data"]["email_id"].as_str().unwrap().len(), 36);
    assert!(verify(&headers, &body).0);
}

// Source: Svix docs, "Verifying webhooks manually" (the same vector as the Standard Webhooks
// libraries' tests): whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw, msg_p5jXN8AQM9LWM0D4loKWxJek,
// 1614265330, `{"test": 2432232314}`.
#[test]
fn the_svix_documentation_vector_verifies_as_resend() {
    let (_dir, payload) = temp_file("body", br#"{"test": 2432232314}"#);
    let out = stdout_of(with_provider("verify").args([
        "--payload",
        payload,
        "--tolerance",
        "off",
        "-H",
        "svix-id: msg_p5jXN8AQM9LWM0D4loKWxJek",
        "-H",
        "svix-timestamp: 1614265330",
        "-H",
        "svix-signature: v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    ]));
    assert_eq!(out.trim(), "✓ valid (svix, svix-signature)");
}

#[test]
fn resend_tampering_is_invalid_with_the_hint_that_names_it() {
    let (headers, body) = signed("email.delivered");

    let tampered = String::from_utf8(body.clone())
        .unwrap()
        .replace("delivered@example.com", "attacker@example.com");
    let (valid, reason, hint) = verify(&headers, tampered.as_bytes());
    assert!(!valid);
    assert_eq!(reason, "signature does not match");
    assert_eq!(
        hint,
        "the secret or the payload differs from what was signed"
    );

    let mut newline = body.clone();
    newline.push(b'\n');
    let (valid, _, hint) = verify(&headers, &newline);
    assert!(!valid);
    assert!(hint.contains("newline"), "{hint}");

    // The key: the whsec_ secret used as a plain string.
    let (_dir, payload) = temp_file("body", &body);
    let raw = SECRET.as_bytes();
    let ts = header(&headers, "svix-timestamp");
    let id = header(&headers, "svix-id");
    let wrong = {
        use hmac::{Hmac, KeyInit, Mac};
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(raw).unwrap();
        mac.update(format!("{id}.{ts}.").as_bytes());
        mac.update(&body);
        STANDARD.encode(mac.finalize().into_bytes())
    };
    let mut cmd = with_provider("verify");
    cmd.args(["--json", "--payload", payload])
        .args([
            "-H",
            &format!("svix-id: {id}"),
            "-H",
            &format!("svix-timestamp: {ts}"),
        ])
        .args(["-H", &format!("svix-signature: v1,{wrong}")]);
    let doc: Value = serde_json::from_slice(&cmd.output().unwrap().stdout).unwrap();
    assert_eq!(doc["valid"], false);
    assert!(
        doc["hint"]
            .as_str()
            .unwrap()
            .contains("whsec_ secret used as a plain string"),
        "{doc}"
    );

    // The timestamp: signed 16 minutes ago.
    let old = (jiff::Timestamp::now().as_second() - 960).to_string();
    let out = stdout_of(with_provider("sign").args(["--timestamp", &old, "--json"]));
    let doc: Value = serde_json::from_str(&out).unwrap();
    let headers: Vec<(String, String)> = doc["headers"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(n, v)| (n.clone(), v.as_str().unwrap().to_string()))
        .collect();
    let (valid, reason, hint) = verify(&headers, doc["body"].as_str().unwrap().as_bytes());
    assert!(!valid);
    assert!(reason.contains("16 min old (tolerance 5 min)"), "{reason}");
    assert!(hint.contains("fresh timestamp"), "{hint}");
}

#[test]
fn resend_send_to_a_listener_shows_valid_and_a_retry_keeps_its_svix_id() {
    let l = one_delivery("resend", SECRET, &[]);
    stdout_of(with_provider("send").args(["email.clicked", "--url", &at(&l, "resend")]));
    let (_, out, _) = l.finish();
    let line = &lines(&out)[0];
    assert_eq!(line["signature"]["status"], "valid", "{out}");
    assert_eq!(line["type"], "email.clicked", "{out}");

    // The listener fails the first delivery of each id (for Resend, its svix-id): each event's
    // retry carries its own svix-id again and is accepted, and the next event is failed anew.
    let statuses =
        super::vonage::fail_first_statuses("resend", SECRET, &["email.opened", "email.sent"]);
    assert_eq!(statuses, [500, 200, 500, 200]);
}

fn library_verdicts(headers: &[(String, String)], body: &[u8]) -> Option<(Value, Value)> {
    let map: serde_json::Map<String, Value> = headers
        .iter()
        .map(|(n, v)| (n.clone(), Value::from(v.as_str())))
        .collect();
    let input = json!({"secret": SECRET, "headers": map, "body_b64": STANDARD.encode(body)});
    let resend = provider_library("resend-verify", &input)?;
    let svix = provider_library("svix-verify", &input)?;
    Some((resend, svix))
}

#[test]
fn the_resend_and_svix_libraries_accept_what_send_delivers_and_sign_prints() {
    let server = TestServer::start(|_, _| Reply::ok());
    stdout_of(with_provider("send").args(["email.complained", "--url", &server.url]));
    let got = server.received().remove(0);
    let headers: Vec<(String, String)> = ["svix-id", "svix-timestamp", "svix-signature"]
        .iter()
        .map(|n| (n.to_string(), got.header(n).unwrap().to_string()))
        .collect();
    let Some(verdicts) = library_verdicts(&headers, &got.body) else {
        return;
    };
    let valid = (json!({"valid": true}), json!({"valid": true}));
    assert_eq!(verdicts, valid, "send");

    let (headers, body) = signed("email.delivery_delayed");
    assert_eq!(library_verdicts(&headers, &body).unwrap(), valid, "sign");
    let (resend, svix) = library_verdicts(&headers, b"{\"type\":\"email.sent\"}").unwrap();
    assert_eq!(
        (&resend["valid"], &svix["valid"]),
        (&json!(false), &json!(false))
    );
}

#[test]
fn hookctl_verify_accepts_what_the_svix_library_signs_for_resend() {
    let (_, body) = signed("email.sent");
    let ts = jiff::Timestamp::now().as_second();
    let Some(signed) = provider_library(
        "svix-sign",
        &json!({"secret": SECRET, "msg_id": "msg_2b7XQ2q8mJk1", "timestamp": ts, "body_b64": STANDARD.encode(&body)}),
    ) else {
        return;
    };
    let headers = [
        ("svix-id".to_string(), "msg_2b7XQ2q8mJk1".to_string()),
        ("svix-timestamp".to_string(), ts.to_string()),
        (
            "svix-signature".to_string(),
            signed["signature"].as_str().unwrap().to_string(),
        ),
    ];
    let (valid, reason, _) = verify(&headers, &body);
    assert!(valid, "{reason}");
}
