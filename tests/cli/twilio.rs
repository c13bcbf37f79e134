//! Twilio: `X-Twilio-Signature` over the URL and the sorted form parameters, through the real
//! binary: sign and verify, send to a listener, the URL a proxy or tunnel changes, and twilio's
//! own `RequestValidator` on what hookctl sends and signs.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

use super::interop::provider_library;
use super::listening::{Listening, lines, post};
use super::server::{Reply, TestServer};
use super::{assert_contains, hookctl, stdout_of, temp_file};

const TOKEN: &str = "twilio-auth-token-0123";
const FORM: &str = "application/x-www-form-urlencoded";

/// What `hookctl sign --json` prints for a fresh `event` of `provider` signed for `url`: the
/// headers and the body.
pub fn signed_sample(
    provider: &str,
    token: &str,
    url: &str,
    event: &str,
) -> (Vec<(String, String)>, Vec<u8>) {
    let out = stdout_of(hookctl().args([
        "sign",
        event,
        "--provider",
        provider,
        "--secret",
        token,
        "--url",
        url,
        "--json",
    ]));
    let doc: Value = serde_json::from_str(&out).unwrap();
    let headers = doc["headers"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(n, v)| (n.clone(), v.as_str().unwrap().to_string()))
        .collect();
    (headers, doc["body"].as_str().unwrap().as_bytes().to_vec())
}

/// `hookctl verify --json` of `body` with `headers` at `url`: (valid, reason, hint).
pub fn verify_at(
    scheme: &str,
    token: &str,
    url: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> (bool, String, String) {
    let (_dir, payload) = temp_file("body", body);
    let mut cmd = hookctl();
    cmd.args([
        "verify",
        "--json",
        "--scheme",
        scheme,
        "--secret",
        token,
        "--url",
        url,
        "--payload",
        payload,
    ]);
    for (name, value) in headers {
        cmd.args(["-H", &format!("{name}: {value}")]);
    }
    let out = cmd.output().unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    (
        doc["valid"] == true,
        text(&doc["reason"]),
        text(&doc["hint"]),
    )
}

/// The listener's JSON line for its one delivery: the signature object.
pub fn listener_signature(listening: Listening) -> Value {
    let (_, out, err) = listening.finish();
    let line = lines(&out)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no record: {err}"));
    line["signature"].clone()
}

/// A listener for one delivery of `provider`, verified with `token`, printing JSON lines.
pub fn one_delivery(provider: &str, token: &str, extra: &[&str]) -> Listening {
    let mut args = vec![
        "--provider",
        provider,
        "--secret",
        token,
        "--json",
        "--max-events",
        "1",
    ];
    args.extend_from_slice(extra);
    Listening::start(&args)
}

/// `hookctl send EVENT --provider P` to `url`, which must succeed.
pub fn send(provider: &str, token: &str, event: &str, url: &str) {
    stdout_of(hookctl().args([
        "send",
        event,
        "--provider",
        provider,
        "--secret",
        token,
        "--url",
        url,
    ]));
}

/// Sends `event` of `provider` to a listener for it at `path`: the listener's JSON line.
pub fn sent_to_a_listener(provider: &str, token: &str, event: &str, path: &str) -> Value {
    let l = one_delivery(provider, token, &[]);
    send(provider, token, event, &at(&l, path));
    let (_, out, _) = l.finish();
    lines(&out).remove(0)
}

/// The listener's URL with `path` (no leading slash).
pub fn at(listening: &Listening, path: &str) -> String {
    format!("{}/{path}", listening.url.trim_end_matches('/'))
}

fn with_form_type(headers: &[(String, String)]) -> Vec<(String, String)> {
    let mut all = headers.to_vec();
    all.push(("Content-Type".into(), FORM.into()));
    all
}

#[test]
fn twilio_sign_then_verify_round_trips() {
    let url = "https://h.example/sms?tenant=7";
    let (headers, body) = signed_sample("twilio", TOKEN, url, "message.received");
    assert_eq!(headers[0].0, "X-Twilio-Signature");
    assert!(verify_at("twilio", TOKEN, url, &headers, &body).0);
}

#[test]
fn twilio_sign_and_verify_need_the_url() {
    let err = hookctl()
        .args(["sign", "--provider", "twilio", "--secret", TOKEN])
        .output()
        .unwrap();
    assert_eq!(err.status.code(), Some(2));
    let text = String::from_utf8_lossy(&err.stderr);
    assert!(
        text.lines().next().unwrap().contains("no --url was given"),
        "{text}"
    );
    let (_dir, payload) = temp_file("body", b"A=1");
    let err = hookctl()
        .args([
            "verify",
            "--provider",
            "twilio",
            "--secret",
            TOKEN,
            "--payload",
            payload,
            "-H",
            "X-Twilio-Signature: x",
        ])
        .output()
        .unwrap();
    assert_eq!(err.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&err.stderr).contains("--url"));
}

// Source: twilio-python tests/unit/test_request_validator.py (token "12345"): the form vector,
// the port variants the library tries, and the JSON body signed through bodySHA256.
#[test]
fn twilio_python_published_vectors_verify() {
    let uri = "https://mycompany.com/myapp.php?foo=1&bar=2";
    let body = b"CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234&From=%2B14158675309&To=%2B18005551212";
    let sig = |s: &str| with_form_type(&[("X-Twilio-Signature".into(), s.into())]);
    for (url, signature) in [
        (uri.to_string(), "RSOYDt4T1cUTdK1PDd93/VVr8B8="),
        (
            uri.replace(".com", ".com:1234"),
            "RSOYDt4T1cUTdK1PDd93/VVr8B8=",
        ),
        (
            uri.replace(".com", ".com:1234").replace("https", "http"),
            "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=",
        ),
        (uri.to_string(), "kvajT1Ptam85bY51eRf/AJRuM3w="),
        (uri.replace("https", "http"), "0ZXoZLH/DfblKGATFgpif+LLRf4="),
    ] {
        let verdict = verify_at("twilio", "12345", &url, &sig(signature), body);
        assert!(verdict.0, "{url} {signature}: {verdict:?}");
    }
    let json_body = br#"{"property": "value", "boolean": true}"#;
    let url = format!(
        "{uri}&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"
    );
    let headers = [
        (
            "X-Twilio-Signature".to_string(),
            "a9nBmqA0ju/hNViExpshrM61xv4=".to_string(),
        ),
        ("Content-Type".to_string(), "application/json".to_string()),
    ];
    assert!(verify_at("twilio", "12345", &url, &headers, json_body).0);
}

#[test]
fn twilio_send_to_a_listener_shows_valid() {
    let line = sent_to_a_listener("twilio", TOKEN, "call.completed", "sms?tenant=7");
    assert_eq!(line["signature"]["status"], "valid", "{line}");
    assert_eq!(line["type"], "call.completed", "{line}");
}

#[test]
fn twilio_tampering_is_invalid_with_the_hint_that_names_it() {
    let url = "https://h.example/sms";
    let (headers, body) = signed_sample("twilio", TOKEN, url, "message.received");
    let headers = with_form_type(&headers);

    // The body: another parameter value.
    let tampered = String::from_utf8(body.clone())
        .unwrap()
        .replace("NumMedia=0", "NumMedia=1");
    let (valid, reason, hint) = verify_at("twilio", TOKEN, url, &headers, tampered.as_bytes());
    assert!(!valid);
    assert_eq!(reason, "signature does not match");
    assert!(
        hint.starts_with("no variant of https://h.example/sms"),
        "{hint}"
    );

    // The URL: behind a TLS-terminating proxy the app sees http; a trailing slash; a query.
    for (seen, reason_hint) in [
        (
            "http://h.example/sms",
            "signed for https://h.example/sms, not http://h.example/sms (https, not http): the provider signed the public URL",
        ),
        (
            "https://h.example/sms/",
            "signed for https://h.example/sms, not https://h.example/sms/ (without the trailing slash)",
        ),
        (
            "https://h.example/sms?utm=1",
            "signed for https://h.example/sms, not https://h.example/sms?utm=1 (without the query string)",
        ),
        (
            "https://h.example:443/sms",
            "signed for https://h.example/sms, not https://h.example:443/sms",
        ),
    ] {
        let (valid, reason, hint) = verify_at("twilio", TOKEN, seen, &headers, &body);
        if seen.contains(":443") {
            // twilio's RequestValidator tries the URL without its port: so does hookctl.
            assert!(valid, "{seen}: {hint}");
            continue;
        }
        assert!(!valid);
        assert_eq!(reason, "the URL differs from the one signed");
        assert!(hint.starts_with(reason_hint), "{hint}");
        assert!(
            hint.ends_with(": pass --url https://h.example/sms"),
            "{hint}"
        );
    }

    // The key.
    let (valid, _, hint) = verify_at("twilio", "another-token", url, &headers, &body);
    assert!(!valid);
    assert!(hint.starts_with("no variant of"), "{hint}");
}

#[test]
fn twilio_json_body_without_its_hash_in_the_url_is_explained() {
    let (_dir, payload) = temp_file("body.json", br#"{"a":1}"#);
    let out = hookctl()
        .args([
            "sign",
            "--scheme",
            "twilio",
            "--secret",
            TOKEN,
            "--url",
            "https://h.example/hook",
            "--payload",
            payload,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_contains(
        &err,
        &[
            "signs a JSON body through its SHA-256",
            "pass --url 'https://h.example/hook?bodySHA256=015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862'",
        ],
    );
}

#[test]
fn listen_public_url_verifies_what_a_tunnel_delivers() {
    // Twilio signs the tunnel's public URL; the tunnel delivers to the listener's own.
    let public = "https://abc.tunnel.example";
    let (headers, body) = signed_sample(
        "twilio",
        TOKEN,
        &format!("{public}/sms"),
        "message.delivered",
    );
    let headers = with_form_type(&headers);

    let l = one_delivery("twilio", TOKEN, &["--public-url", public]);
    post(&at(&l, "sms"), &headers, &body);
    assert_eq!(listener_signature(l)["status"], "valid");

    // Told the public URL with the wrong scheme: the hint names the one that matches.
    let l = one_delivery(
        "twilio",
        TOKEN,
        &["--public-url", "http://abc.tunnel.example"],
    );
    post(&at(&l, "sms"), &headers, &body);
    let signature = listener_signature(l);
    assert_eq!(signature["status"], "invalid");
    assert!(
        signature["hint"].as_str().unwrap().starts_with("signed for https://abc.tunnel.example/sms, not http://abc.tunnel.example/sms (https, not http)"),
        "{signature}"
    );
    assert!(
        signature["hint"]
            .as_str()
            .unwrap()
            .ends_with("give the public URL: pass --public-url https://abc.tunnel.example/sms"),
        "{signature}"
    );

    // Not told: the listener's own URL is not what was signed.
    let l = one_delivery("twilio", TOKEN, &[]);
    post(&at(&l, "sms"), &headers, &body);
    let signature = listener_signature(l);
    assert_eq!(signature["status"], "invalid");
    assert!(
        signature["hint"]
            .as_str()
            .unwrap()
            .contains("give the public URL the provider is configured with"),
        "{signature}"
    );
}

#[test]
fn the_listener_banner_says_which_url_it_verifies_against() {
    let l = Listening::start(&[
        "--provider",
        "twilio",
        "--secret",
        TOKEN,
        "--public-url",
        "https://abc.tunnel.example",
        "--max-events",
        "1",
    ]);
    l.interrupt();
    let (_, _, err) = l.finish();
    assert!(
        err.contains("verifying twilio signatures in X-Twilio-Signature, against the public URL https://abc.tunnel.example/ with the path and query each request arrived with"),
        "{err}"
    );
}

fn twilio_library_verdict(
    url: &str,
    body: &[u8],
    content_type: &str,
    signature: &str,
) -> Option<Value> {
    provider_library(
        "twilio-verify",
        &json!({"auth_token": TOKEN, "url": url, "body_b64": STANDARD.encode(body), "content_type": content_type, "signature": signature}),
    )
}

#[test]
fn twilio_request_validator_accepts_what_send_delivers_and_sign_prints() {
    let server = TestServer::start(|_, _| Reply::ok());
    let url = format!("{}/sms?tenant=7", server.url.trim_end_matches('/'));
    send("twilio", TOKEN, "message.received", &url);
    let got = server.received().remove(0);
    let signature = got.header("X-Twilio-Signature").unwrap().to_string();
    let content_type = got.header("Content-Type").unwrap().to_string();
    assert_eq!(content_type, FORM);
    let Some(verdict) = twilio_library_verdict(&url, &got.body, &content_type, &signature) else {
        return;
    };
    assert_eq!(verdict, json!({"valid": true}), "send");

    let (headers, body) =
        signed_sample("twilio", TOKEN, "https://h.example/voice", "call.no-answer");
    let verdict =
        twilio_library_verdict("https://h.example/voice", &body, FORM, &headers[0].1).unwrap();
    assert_eq!(verdict, json!({"valid": true}), "sign");
}

/// RequestValidator.validate checks `urlparse(url).geturl()`, which lowercases the scheme and
/// drops a bare `?`: what hookctl signs for such a URL, the library accepts.
#[test]
fn twilio_request_validator_accepts_a_url_python_rebuilds() {
    let url = "HTTPS://h.example/sms?";
    let (headers, body) = signed_sample("twilio", TOKEN, url, "message.received");
    assert!(verify_at("twilio", TOKEN, url, &with_form_type(&headers), &body).0);
    let Some(verdict) = twilio_library_verdict(url, &body, FORM, &headers[0].1) else {
        return;
    };
    assert_eq!(verdict, json!({"valid": true}));
}

#[test]
fn hookctl_verify_accepts_what_the_twilio_library_signs() {
    let url = "https://h.example/sms?x=1";
    let body = b"Body=Hello+%26+goodbye+1%2B1&From=%2B14155550123&To=%2B14155550100&Empty=&Digits=2&Digits=1";
    let Some(signed) = provider_library(
        "twilio-sign",
        &json!({"auth_token": TOKEN, "url": url, "body_b64": STANDARD.encode(body), "content_type": FORM}),
    ) else {
        return;
    };
    let signature = signed["signature"].as_str().unwrap();
    let headers = with_form_type(&[("X-Twilio-Signature".into(), signature.into())]);
    assert!(verify_at("twilio", TOKEN, url, &headers, body).0);
    // JSON: the library signs the URL carrying the body's hash.
    let json_body = br#"{"event":"x"}"#;
    let with_hash = format!("{url}&bodySHA256={}", sha256_hex(json_body));
    let signed = provider_library(
        "twilio-sign",
        &json!({"auth_token": TOKEN, "url": with_hash, "body_b64": STANDARD.encode(json_body), "content_type": "application/json"}),
    )
    .unwrap();
    let headers = [
        (
            "X-Twilio-Signature".to_string(),
            signed["signature"].as_str().unwrap().to_string(),
        ),
        ("Content-Type".to_string(), "application/json".to_string()),
    ];
    assert!(verify_at("twilio", TOKEN, &with_hash, &headers, json_body).0);
}

fn sha256_hex(body: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(body))
}

#[test]
fn check_provider_twilio_passes_against_a_verifying_listener() {
    let l = Listening::start(&[
        "--provider",
        "twilio",
        "--secret",
        TOKEN,
        "--reject-invalid",
    ]);
    let url = at(&l, "sms");
    let out = hookctl()
        .args([
            "check",
            "--provider",
            "twilio",
            "--secret",
            TOKEN,
            "--url",
            &url,
        ])
        .output()
        .unwrap();
    l.interrupt();
    l.finish();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert_contains(
        &text,
        &[
            "(twilio, X-Twilio-Signature, message.delivered)",
            "✓ 2  a wrong signature is rejected",
            "✓ 3  a tampered body is rejected",
            "skipped: the twilio scheme signs no timestamp",
            "9 checks passed · 0 failed",
        ],
    );
}

#[test]
fn a_shared_key_signature_with_hmac_sha256_verifies_as_twilios_library_signs_it() {
    let url = "https://h.example/voice";
    let body = b"CallSid=CA0123&CallStatus=ringing";
    let settings = "key=webhooks_sharedkey_0123,algorithm=HMAC_SHA256";
    let Some(signed) = provider_library(
        "twilio-sign",
        &json!({"auth_token": TOKEN, "url": url, "body_b64": STANDARD.encode(body), "content_type": FORM, "signature_settings": settings}),
    ) else {
        return;
    };
    let signature = signed["signature"].as_str().unwrap();
    assert_eq!(signature.len(), 44, "HMAC-SHA256 in base64");
    let headers = with_form_type(&[
        ("X-Twilio-Signature".into(), signature.into()),
        (
            "X-Twilio-Webhooks-Signature-Settings".into(),
            settings.into(),
        ),
    ]);
    assert!(verify_at("twilio", TOKEN, url, &headers, body).0);
    // Checked with the auth token instead of the SharedKey's secret: the hint says which key.
    let (valid, _, hint) = verify_at("twilio", "the-auth-token", url, &headers, body);
    assert!(!valid);
    assert!(
        hint.starts_with("X-Twilio-Webhooks-Signature-Settings says a SharedKey signed it"),
        "{hint}"
    );
}

#[test]
fn the_listener_accepts_what_the_twilio_library_signs() {
    let l = one_delivery("twilio", TOKEN, &[]);
    let url = at(&l, "sms?tenant=7");
    let body =
        b"Body=Caf%C3%A9+%2B+cr%C3%A8me&From=%2B14155550123&SmsStatus=received&To=%2B14155550100";
    let Some(signed) = provider_library(
        "twilio-sign",
        &json!({"auth_token": TOKEN, "url": url, "body_b64": STANDARD.encode(body), "content_type": FORM}),
    ) else {
        l.interrupt();
        l.finish();
        return;
    };
    let signature = signed["signature"].as_str().unwrap();
    post(
        &url,
        &with_form_type(&[("X-Twilio-Signature".into(), signature.into())]),
        body,
    );
    let (_, out, _) = l.finish();
    let line = &lines(&out)[0];
    assert_eq!(line["signature"]["status"], "valid", "{out}");
    assert_eq!(line["type"], "message.received", "{out}");
}

#[test]
fn malformed_twilio_headers_are_named_and_the_token_never_echoed() {
    let url = "https://h.example/sms";
    let body = b"A=1";
    let header = |value: &str| vec![("X-Twilio-Signature".to_string(), value.to_string())];
    let mut twice = header("RSOYDt4T1cUTdK1PDd93/VVr8B8=");
    twice.extend(header("RSOYDt4T1cUTdK1PDd93/VVr8B8="));
    let mut unknown = header("RSOYDt4T1cUTdK1PDd93/VVr8B8=");
    unknown.push((
        "X-Twilio-Webhooks-Signature-Settings".into(),
        "key=k,algorithm=HMAC_MD5".into(),
    ));
    for (headers, wanted) in [
        (
            header(TOKEN),
            "X-Twilio-Signature carries the auth token itself, not a signature",
        ),
        (
            header("not base64!"),
            "X-Twilio-Signature is not a base64 HMAC of 20 bytes: `not base64!`",
        ),
        (
            twice,
            "2 X-Twilio-Signature headers; a provider sends exactly one",
        ),
        (
            unknown,
            "X-Twilio-Webhooks-Signature-Settings names algorithm `HMAC_MD5`, which Twilio's libraries do not know",
        ),
    ] {
        let (valid, reason, hint) = verify_at("twilio", TOKEN, url, &headers, body);
        assert!(!valid);
        assert_eq!(reason, wanted);
        assert!(
            !reason.contains(TOKEN) && !hint.contains(TOKEN),
            "{reason} {hint}"
        );
    }
}

#[test]
fn a_json_body_sent_to_the_url_with_its_hash_is_what_twilios_library_accepts() {
    let server = TestServer::start(|_, _| Reply::ok());
    let body = br#"{"event":"message.delivered","sid":"SM0123"}"#;
    let (_dir, payload) = temp_file("body.json", body);
    let base = format!("{}/hook", server.url.trim_end_matches('/'));
    let send_json = |url: &str| {
        let mut cmd = hookctl();
        cmd.args([
            "send",
            "--scheme",
            "twilio",
            "--secret",
            TOKEN,
            "--payload",
            payload,
            "--url",
            url,
        ]);
        cmd.output().unwrap()
    };
    // Without the hash, send names the URL to use.
    let out = send_json(&base);
    assert_eq!(out.status.code(), Some(2));
    let url = format!("{base}?bodySHA256={}", sha256_hex(body));
    assert!(String::from_utf8_lossy(&out.stderr).contains(&format!("pass --url '{url}'")));
    assert!(send_json(&url).status.success());
    let got = server.received().remove(0);
    assert_eq!(got.header("Content-Type"), Some("application/json"));
    let signature = got.header("X-Twilio-Signature").unwrap().to_string();
    let headers = [
        ("X-Twilio-Signature".to_string(), signature.clone()),
        ("Content-Type".to_string(), "application/json".to_string()),
    ];
    assert!(verify_at("twilio", TOKEN, &url, &headers, &got.body).0);
    let Some(verdict) = twilio_library_verdict(&url, &got.body, "application/json", &signature)
    else {
        return;
    };
    assert_eq!(verdict, json!({"valid": true}));
}
