//! Plivo: `X-Plivo-Signature-V3` (URL, query, parameters and nonce) and `X-Plivo-Signature-V2`
//! (URL and nonce) through the real binary: sign and verify, send to a listener, tampering, and
//! plivo's own `validate_v3_signature` and `validate_signature` on what hookctl sends and signs.

use serde_json::{Map, Value, json};

use super::interop::provider_library;
use super::listening::post;
use super::server::{Reply, TestServer};
use super::twilio::{
    at, listener_signature, one_delivery, send, sent_to_a_listener, signed_sample, verify_at,
};

const TOKEN: &str = "MAplivo-auth-token-0123456789";

fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no {name} in {headers:?}"))
}

fn only(headers: &[(String, String)], version: &str) -> Vec<(String, String)> {
    headers
        .iter()
        .filter(|(n, _)| n.contains(version))
        .cloned()
        .collect()
}

#[test]
fn plivo_sign_then_verify_round_trips_under_v3_and_v2() {
    let url = "https://h.example/hangup?leg=a";
    let (headers, body) = signed_sample("plivo", TOKEN, url, "call.hangup");
    let names: Vec<&str> = headers.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "X-Plivo-Signature-V3",
            "X-Plivo-Signature-V3-Nonce",
            "X-Plivo-Signature-V2",
            "X-Plivo-Signature-V2-Nonce"
        ]
    );
    assert!(verify_at("plivo", TOKEN, url, &headers, &body).0);
    assert!(verify_at("plivo", TOKEN, url, &only(&headers, "V3"), &body).0);
    assert!(verify_at("plivo", TOKEN, url, &only(&headers, "V2"), &body).0);
}

// Source: plivo-python tests/resources/test_signature.py (validate_signature, V2).
#[test]
fn plivo_python_published_v2_vector_verifies() {
    let headers = [
        (
            "X-Plivo-Signature-V2".to_string(),
            "ehV3IKhLysWBxC1sy8INm0qGoQYdYsHwuoKjsX7FsXc=".to_string(),
        ),
        (
            "X-Plivo-Signature-V2-Nonce".to_string(),
            "12345".to_string(),
        ),
    ];
    assert!(
        verify_at(
            "plivo",
            "my_auth_token",
            "https://answer.url",
            &headers,
            b""
        )
        .0
    );
    assert!(
        !verify_at(
            "plivo",
            "my_auth_tokens",
            "https://answer.url",
            &headers,
            b""
        )
        .0
    );
}

#[test]
fn plivo_send_to_a_listener_shows_valid() {
    let line = sent_to_a_listener("plivo", TOKEN, "message.undelivered", "status?tenant=7");
    assert_eq!(line["signature"]["status"], "valid", "{line}");
    assert_eq!(line["type"], "message.undelivered", "{line}");
}

#[test]
fn plivo_tampering_is_invalid_with_the_hint_that_names_it() {
    let url = "https://h.example/hangup";
    let (headers, body) = signed_sample("plivo", TOKEN, url, "call.hangup");

    // The body: V3 covers it, V2 does not, and the verdict says so.
    let tampered = String::from_utf8(body.clone())
        .unwrap()
        .replace("Duration=47", "Duration=48");
    let (valid, reason, hint) = verify_at("plivo", TOKEN, url, &headers, tampered.as_bytes());
    assert!(!valid);
    assert_eq!(
        reason,
        "X-Plivo-Signature-V3 does not match, but X-Plivo-Signature-V2 (which covers the URL alone) does"
    );
    assert!(hint.starts_with("the body or the query changed"), "{hint}");

    // The URL: http behind a TLS-terminating proxy.
    let (valid, reason, hint) =
        verify_at("plivo", TOKEN, "http://h.example/hangup", &headers, &body);
    assert!(!valid);
    assert_eq!(reason, "the URL differs from the one signed");
    assert!(
        hint.starts_with(
            "signed for https://h.example/hangup, not http://h.example/hangup (https, not http)"
        ),
        "{hint}"
    );

    // The nonce (what Plivo signs instead of a timestamp).
    let mut renonced = only(&headers, "V3");
    renonced[1].1 = "12345678901234567890".into();
    let (valid, reason, _) = verify_at("plivo", TOKEN, url, &renonced, &body);
    assert!(!valid);
    assert_eq!(reason, "signature does not match");

    // The key.
    let (valid, _, hint) = verify_at("plivo", "another-token", url, &headers, &body);
    assert!(!valid);
    assert!(
        hint.starts_with("no variant of https://h.example/hangup"),
        "{hint}"
    );
}

#[test]
fn plivo_v3_list_entries_after_a_space_are_named_not_accepted() {
    let url = "https://h.example/answer";
    let (headers, body) = signed_sample("plivo", TOKEN, url, "call.hangup");
    let mut listed = only(&headers, "V3");
    listed[0].1 = format!("c29tZXRoaW5nIGVsc2U=, {}", listed[0].1);
    let (valid, reason, _) = verify_at("plivo", TOKEN, url, &listed, &body);
    assert!(!valid);
    assert!(reason.contains("a space follows a comma"), "{reason}");
    listed[0].1 = listed[0].1.replace(", ", ",");
    assert!(verify_at("plivo", TOKEN, url, &listed, &body).0);
}

#[test]
fn plivo_listener_with_a_public_url_verifies_a_tunnel_delivery() {
    let public = "https://abc.tunnel.example";
    let (headers, body) = signed_sample("plivo", TOKEN, &format!("{public}/hangup"), "call.hangup");
    let l = one_delivery("plivo", TOKEN, &["--public-url", public]);
    post(&at(&l, "hangup"), &headers, &body);
    assert_eq!(listener_signature(l)["status"], "valid");
}

/// A form body's parameters as plivo's helpers take them (a name → its value).
fn params(body: &[u8]) -> Value {
    let map: Map<String, Value> = url::form_urlencoded::parse(body)
        .map(|(n, v)| (n.into_owned(), Value::from(v.into_owned())))
        .collect();
    Value::Object(map)
}

/// plivo's verdicts, V3 then V2, on a request hookctl signed; `None` without the virtualenv.
fn plivo_library_verdicts(
    url: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> Option<[Value; 2]> {
    let v3 = provider_library(
        "plivo-verify-v3",
        &json!({"auth_token": TOKEN, "method": "POST", "url": url, "nonce": header(headers, "X-Plivo-Signature-V3-Nonce"), "signature": header(headers, "X-Plivo-Signature-V3"), "params": params(body)}),
    )?;
    let v2 = provider_library(
        "plivo-verify-v2",
        &json!({"auth_token": TOKEN, "url": url, "nonce": header(headers, "X-Plivo-Signature-V2-Nonce"), "signature": header(headers, "X-Plivo-Signature-V2")}),
    )?;
    Some([v3, v2])
}

#[test]
fn plivo_library_accepts_what_send_delivers_and_sign_prints() {
    let server = TestServer::start(|_, _| Reply::ok());
    let url = format!("{}/hangup?leg=a&b=2", server.url.trim_end_matches('/'));
    send("plivo", TOKEN, "call.hangup", &url);
    let got = server.received().remove(0);
    assert_eq!(
        got.header("Content-Type"),
        Some("application/x-www-form-urlencoded")
    );
    let Some(verdicts) = plivo_library_verdicts(&url, &got.headers, &got.body) else {
        return;
    };
    assert_eq!(
        verdicts,
        [json!({"valid": true}), json!({"valid": true})],
        "send"
    );

    let url = "https://h.example/status?x=1";
    let (headers, body) = signed_sample("plivo", TOKEN, url, "message.received");
    let verdicts = plivo_library_verdicts(url, &headers, &body).unwrap();
    assert_eq!(
        verdicts,
        [json!({"valid": true}), json!({"valid": true})],
        "sign"
    );
}

/// plivo-python rebuilds the URL with urlparse/urlunparse, which drop the last path segment's
/// `;params`: what hookctl signs for such a URL, the library accepts, and the reverse.
#[test]
fn a_url_with_path_params_is_signed_as_the_plivo_library_reads_it() {
    let url = "https://h.example/a;v=1/hangup;jsessionid=42?leg=a";
    let (headers, body) = signed_sample("plivo", TOKEN, url, "call.hangup");
    let Some(verdicts) = plivo_library_verdicts(url, &headers, &body) else {
        return;
    };
    assert_eq!(verdicts, [json!({"valid": true}), json!({"valid": true})]);
    let nonce = "05429567804466091622";
    let signed = provider_library(
        "plivo-sign-v3",
        &json!({"auth_token": TOKEN, "method": "POST", "url": url, "nonce": nonce, "params": params(&body)}),
    )
    .unwrap();
    let headers = [
        (
            "X-Plivo-Signature-V3".to_string(),
            signed["signature"].as_str().unwrap().to_string(),
        ),
        ("X-Plivo-Signature-V3-Nonce".to_string(), nonce.to_string()),
    ];
    let verdict = verify_at("plivo", TOKEN, url, &headers, &body);
    assert!(verdict.0, "{verdict:?}");
}

#[test]
fn hookctl_verify_accepts_what_the_plivo_library_signs() {
    let url = "https://h.example/answer?b=2&a=1";
    let body = b"CallUUID=0b2a&From=14155550100&Text=Hi+%26+bye&Empty=";
    let nonce = "05429567804466091622";
    let Some(signed) = provider_library(
        "plivo-sign-v3",
        &json!({"auth_token": TOKEN, "method": "POST", "url": url, "nonce": nonce, "params": params(body)}),
    ) else {
        return;
    };
    let headers = [
        (
            "X-Plivo-Signature-V3".to_string(),
            signed["signature"].as_str().unwrap().to_string(),
        ),
        ("X-Plivo-Signature-V3-Nonce".to_string(), nonce.to_string()),
    ];
    let verdict = verify_at("plivo", TOKEN, url, &headers, body);
    assert!(verdict.0, "{verdict:?}");
}

#[test]
fn the_listener_accepts_what_the_plivo_library_signs() {
    let l = one_delivery("plivo", TOKEN, &[]);
    let url = at(&l, "hangup?leg=b");
    let body = b"CallUUID=0b2a&CallStatus=completed&Event=Hangup&HangupCause=NORMAL_CLEARING";
    let nonce = "31415926535897932384";
    let Some(signed) = provider_library(
        "plivo-sign-v3",
        &json!({"auth_token": TOKEN, "method": "POST", "url": url, "nonce": nonce, "params": params(body)}),
    ) else {
        l.interrupt();
        l.finish();
        return;
    };
    let headers = [
        (
            "X-Plivo-Signature-V3".to_string(),
            signed["signature"].as_str().unwrap().to_string(),
        ),
        ("X-Plivo-Signature-V3-Nonce".to_string(), nonce.to_string()),
    ];
    post(&url, &headers, body);
    let signature = listener_signature(l);
    assert_eq!(signature["status"], "valid", "{signature}");
}

#[test]
fn a_plivo_signature_without_its_nonce_is_named() {
    let headers = [(
        "X-Plivo-Signature-V3".to_string(),
        "ehV3IKhLysWBxC1sy8INm0qGoQYdYsHwuoKjsX7FsXc=".to_string(),
    )];
    let (valid, reason, _) = verify_at("plivo", TOKEN, "https://h.example/a", &headers, b"A=1");
    assert!(!valid);
    assert_eq!(
        reason,
        "X-Plivo-Signature-V3 comes without X-Plivo-Signature-V3-Nonce, which it signs"
    );
}

#[test]
fn verify_signature_alone_is_refused_for_plivo_which_signs_a_nonce() {
    let (_dir, payload) = super::temp_file("body", b"A=1");
    let out = super::hookctl()
        .args([
            "verify",
            "--provider",
            "plivo",
            "--secret",
            TOKEN,
            "--url",
            "https://h.example/a",
            "--payload",
            payload,
            "--signature",
            "abc=",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--signature alone cannot be checked"), "{err}");
    assert!(err.contains("-H 'X-Plivo-Signature-V3-Nonce: …'"), "{err}");
}

#[test]
fn a_main_account_v3_signature_alone_proves_the_body() {
    let url = "https://h.example/hangup";
    let (headers, body) = signed_sample("plivo", TOKEN, url, "call.hangup");
    let main_account: Vec<(String, String)> = only(&headers, "V3")
        .into_iter()
        .map(|(n, v)| {
            (
                n.replace("Signature-V3", "Signature-Ma-V3")
                    .replace("Ma-V3-Nonce", "V3-Nonce"),
                v,
            )
        })
        .collect();
    let (_dir, payload) = super::temp_file("body", &body);
    let mut cmd = super::hookctl();
    cmd.args([
        "verify",
        "--provider",
        "plivo",
        "--secret",
        TOKEN,
        "--url",
        url,
        "--payload",
        payload,
    ]);
    for (name, value) in &main_account {
        cmd.args(["-H", &format!("{name}: {value}")]);
    }
    let out = super::stdout_of(&mut cmd);
    assert!(out.contains("valid (plivo, X-Plivo-Signature-V3)"), "{out}");
    assert!(!out.contains("the body is not signed"), "{out}");
}
