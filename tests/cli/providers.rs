//! `--provider`: one flag picks the catalog, the body format and the signature, on every
//! command; every provider is listed; a listener told nothing reads the scheme from the headers.

use predicates::prelude::PredicateBooleanExt;
use serde_json::Value;

use super::listening::{Listening, SECRET, lines};
use super::server::TestServer;
use super::{hookctl, stdout_of};

#[test]
fn events_lists_the_chosen_providers_catalog() {
    let keplars = stdout_of(hookctl().args(["events", "--provider", "keplars", "--json"]));
    let list: Vec<Value> = serde_json::from_str(&keplars).unwrap();
    assert_eq!(list.len(), 7, "Keplars sends its 7 email events: {keplars}");
    assert!(
        list.iter()
            .all(|e| e["type"].as_str().unwrap().starts_with("email."))
    );
}

#[test]
fn events_all_names_each_provider() {
    let all = stdout_of(hookctl().args(["events", "--all", "--json"]));
    let list: Vec<Value> = serde_json::from_str(&all).unwrap();
    for provider in ["ekdsend", "keplars"] {
        assert!(
            list.iter().any(|e| e["provider"] == provider),
            "{provider}: {all}"
        );
    }
    let text = stdout_of(hookctl().args(["events", "--all"]));
    assert!(
        text.contains("ekdsend — ") && text.contains("keplars — "),
        "{text}"
    );
}

#[test]
fn an_unknown_provider_is_refused_with_the_list() {
    hookctl()
        .args(["sample", "email.sent", "--provider", "mailchimpz"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("ekdsend").and(predicates::str::contains("keplars")));
}

#[test]
fn provider_picks_the_envelope_and_the_signature() {
    let server = TestServer::ok();
    hookctl()
        .args([
            "send",
            "email.opened",
            "--provider",
            "keplars",
            "--url",
            &server.url,
        ])
        .args(["--secret", "s3cr3t"])
        .assert()
        .success();
    let got = &server.received()[0];
    let event: Value = serde_json::from_slice(&got.body).unwrap();
    assert_eq!(event["data"]["status"], "opened", "Keplars' envelope");
    assert!(
        got.headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("x-keplars-signature")),
        "Keplars' signature: {:?}",
        got.headers
    );
}

#[test]
fn scheme_signs_a_providers_events_another_way() {
    let server = TestServer::ok();
    hookctl()
        .args([
            "send",
            "email.opened",
            "--provider",
            "keplars",
            "--scheme",
            "stripe",
        ])
        .args(["--url", &server.url, "--secret", "s3cr3t"])
        .assert()
        .success();
    let got = &server.received()[0];
    let event: Value = serde_json::from_slice(&got.body).unwrap();
    assert_eq!(event["data"]["status"], "opened");
    assert!(
        got.headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("stripe-signature"))
    );
}

#[test]
fn a_listener_told_no_scheme_verifies_the_one_the_headers_carry() {
    let listening = Listening::start(&["--secret", SECRET, "--json", "--max-events", "2"]);
    for scheme in ["stripe", "github"] {
        hookctl()
            .args([
                "send",
                "--scheme",
                scheme,
                "--url",
                &listening.url,
                "--secret",
                SECRET,
            ])
            .assert()
            .success();
    }
    let (code, stdout, stderr) = listening.finish();
    assert_eq!(code, 0);
    assert!(
        stderr.contains("(or the scheme a request's headers carry)"),
        "the banner says so: {stderr}"
    );
    let records = lines(&stdout);
    assert_eq!(records.len(), 2, "{stdout}");
    for record in &records {
        assert_eq!(record["signature"]["status"], "valid", "{record}");
    }
}

#[test]
fn a_listener_told_its_scheme_keeps_to_it() {
    let listening = Listening::start(&[
        "--secret",
        SECRET,
        "--scheme",
        "ekdsend",
        "--json",
        "--max-events",
        "1",
    ]);
    hookctl()
        .args([
            "send",
            "--scheme",
            "stripe",
            "--url",
            &listening.url,
            "--secret",
            SECRET,
        ])
        .assert()
        .success();
    let (_, stdout, stderr) = listening.finish();
    assert!(!stderr.contains("or the scheme"), "{stderr}");
    let record = &lines(&stdout)[0];
    assert_eq!(record["signature"]["status"], "invalid", "{record}");
    assert!(
        record["signature"]["hint"]
            .as_str()
            .unwrap()
            .contains("--scheme stripe"),
        "{record}"
    );
}

#[test]
fn verify_takes_the_providers_scheme() {
    let signed = stdout_of(hookctl().args(["sign", "--provider", "keplars", "--secret", "s3cr3t"]));
    let (headers, body) = signed.split_once("\n\n").unwrap();
    let (_dir, payload) = super::temp_file("body.json", body.trim_end().as_bytes());
    let out = stdout_of(
        hookctl()
            .args(["verify", "--provider", "keplars", "--secret", "s3cr3t"])
            .args(["--payload", payload, "-H", headers]),
    );
    assert!(
        out.contains("valid (keplars, X-Keplars-Signature)"),
        "{out}"
    );
}

/// Plivo's V2 headers (and only those) for a POST to `url`, and the form body they were made for.
fn plivo_v2_only(url: &str) -> (Vec<(String, String)>, String) {
    let doc: Value = serde_json::from_str(&stdout_of(hookctl().args([
        "sign",
        "--provider",
        "plivo",
        "--secret",
        SECRET,
        "--url",
        url,
        "--json",
    ])))
    .unwrap();
    let headers = doc["headers"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(name, _)| name.starts_with("X-Plivo-Signature-V2"))
        .map(|(n, v)| (n.clone(), v.as_str().unwrap().to_string()))
        .collect();
    (headers, doc["body"].as_str().unwrap().to_string())
}

#[test]
fn a_listener_told_no_scheme_never_takes_a_signature_that_leaves_the_body_unsigned() {
    let listening = Listening::start(&[
        "--secret",
        SECRET,
        "--reject-invalid",
        "--json",
        "--max-events",
        "1",
    ]);
    let url = format!("{}hook", listening.url);
    let (headers, _) = plivo_v2_only(&url);
    // V2 covers the URL and a nonce: a captured pair would carry any body.
    let forged = br#"{"id":"evt_forged","type":"email.delivered"}"#;
    let answer = super::listening::post(&url, &headers, forged);
    assert_eq!(answer.status, 401, "{}", answer.body);
    let (_, stdout, _) = listening.finish();
    let record = &lines(&stdout)[0];
    assert_eq!(record["signature"]["status"], "invalid", "{record}");
    assert!(
        record["signature"]["hint"]
            .as_str()
            .unwrap()
            .contains("--scheme plivo"),
        "{record}"
    );
}

#[test]
fn a_plivo_v2_signature_is_valid_with_a_note_that_the_body_is_unsigned() {
    let url = "https://example.com/plivo/sms";
    let (headers, _) = plivo_v2_only(url);
    let (_dir, payload) = super::temp_file("body.txt", b"Status=delivered&To=attacker");
    let mut verify = hookctl();
    verify.args([
        "verify",
        "--provider",
        "plivo",
        "--secret",
        SECRET,
        "--url",
        url,
    ]);
    verify.args(["--payload", payload, "--json"]);
    for (name, value) in &headers {
        verify.args(["-H", &format!("{name}: {value}")]);
    }
    let doc: Value = serde_json::from_str(&stdout_of(&mut verify)).unwrap();
    assert_eq!(doc["valid"], true, "{doc}");
    assert!(
        doc["note"]
            .as_str()
            .unwrap()
            .contains("the body is not signed"),
        "{doc}"
    );
}

#[test]
fn a_url_hint_never_shows_the_urls_password() {
    let signed = stdout_of(hookctl().args([
        "sign",
        "--provider",
        "twilio",
        "--secret",
        SECRET,
        "--url",
        "https://u:hunter22pw@h.example/sms",
    ]));
    let (headers, body) = signed.split_once("\n\n").unwrap();
    let (_dir, payload) = super::temp_file("body.txt", body.trim_end().as_bytes());
    let out = hookctl()
        .args(["verify", "--provider", "twilio", "--secret", SECRET])
        .args([
            "--url",
            "http://u:hunter22pw@h.example/sms",
            "--payload",
            payload,
            "-H",
            headers,
        ])
        .output()
        .unwrap();
    let all =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        all.contains("signed for https://"),
        "the URL hint is there: {all}"
    );
    assert!(!all.contains("hunter22pw"), "{all}");
}

#[test]
fn an_authorization_of_another_kind_is_never_quoted() {
    let (_dir, payload) = super::temp_file("body.json", b"{}");
    let out = hookctl()
        .args([
            "verify",
            "--provider",
            "vonage",
            "--secret",
            SECRET,
            "--payload",
            payload,
        ])
        .args([
            "-H",
            "Authorization: sk_live_51Habcdefghijklmnopqrstuvwxyz0123456789",
        ])
        .output()
        .unwrap();
    let all =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(all.contains("credentials of another kind"), "{all}");
    assert!(!all.contains("sk_live"), "{all}");
}

#[test]
fn a_delivery_named_in_a_header_shows_its_id_at_the_listener() {
    let listening = Listening::start(&[
        "--provider",
        "twilio",
        "--secret",
        SECRET,
        "--json",
        "--max-events",
        "2",
    ]);
    let url = format!("{}sms", listening.url);
    hookctl()
        .args([
            "send",
            "--provider",
            "twilio",
            "--url",
            &url,
            "--secret",
            SECRET,
        ])
        .args(["message.delivered", "message.sent"])
        .assert()
        .success();
    let (_, stdout, _) = listening.finish();
    let records = lines(&stdout);
    let ids: Vec<&str> = records
        .iter()
        .map(|r| r["id"].as_str().unwrap_or(""))
        .collect();
    assert!(
        ids.iter().all(|id| id.starts_with("msg_")),
        "I-Twilio-Idempotency-Token: {ids:?}"
    );
    assert_ne!(ids[0], ids[1]);
    assert!(records.iter().all(|r| r["signature"]["status"] == "valid"));
}

#[test]
fn replay_re_signs_as_the_saved_request_was_signed() {
    let dir = tempfile::tempdir().unwrap();
    let saving = Listening::saving(
        dir.path(),
        &[
            "--provider",
            "twilio",
            "--secret",
            SECRET,
            "--max-events",
            "1",
        ],
    );
    hookctl()
        .args([
            "send",
            "--provider",
            "twilio",
            "--url",
            &format!("{}sms", saving.url),
        ])
        .args(["--secret", SECRET])
        .assert()
        .success();
    saving.finish();
    let listening = Listening::start(&[
        "--provider",
        "twilio",
        "--secret",
        SECRET,
        "--json",
        "--max-events",
        "1",
    ]);
    hookctl()
        .args([
            "replay",
            "--url",
            &format!("{}sms", listening.url),
            "--secret",
            SECRET,
        ])
        .arg(dir.path())
        .assert()
        .success();
    let (_, stdout, _) = listening.finish();
    let record = &lines(&stdout)[0];
    assert_eq!(
        record["signature"]["status"], "valid",
        "re-signed as Twilio: {record}"
    );
}

#[test]
fn a_private_key_given_as_the_public_one_is_refused_without_being_echoed() {
    let dir = tempfile::tempdir().unwrap();
    let pem = dir.path().join("sg.pem");
    hookctl()
        .args([
            "keygen",
            "--provider",
            "sendgrid",
            "--out",
            pem.to_str().unwrap(),
        ])
        .assert()
        .success();
    let private = std::fs::read_to_string(&pem).unwrap();
    let out = hookctl()
        .args([
            "listen",
            "--port",
            "0",
            "--provider",
            "sendgrid",
            "--public-key",
            &private,
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("this is a private key"), "{stderr}");
    assert!(
        !stderr.contains("BEGIN") && !stderr.contains(&private[40..80]),
        "{stderr}"
    );
}

#[test]
fn keygen_force_replaces_a_key_file_but_never_follows_a_link() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("notes.txt");
    std::fs::write(&target, "keep me").unwrap();
    let link = dir.path().join("link.pem");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    hookctl()
        .args([
            "keygen",
            "--provider",
            "telnyx",
            "--force",
            "--out",
            link.to_str().unwrap(),
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not a regular file"));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");

    let key = dir.path().join("telnyx.pem");
    std::fs::write(&key, "old").unwrap();
    hookctl()
        .args([
            "keygen",
            "--provider",
            "telnyx",
            "--force",
            "--out",
            key.to_str().unwrap(),
        ])
        .assert()
        .success();
    let written = std::fs::read_to_string(&key).unwrap();
    assert!(
        written.starts_with("-----BEGIN PRIVATE KEY-----"),
        "{written}"
    );
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&key).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 3, "no temporary file is left behind");
}

#[test]
fn verify_takes_a_sendgrid_signature_and_its_timestamp_as_flags() {
    let dir = tempfile::tempdir().unwrap();
    let pem = dir.path().join("sg.pem");
    let public = stdout_of(hookctl().args([
        "keygen",
        "--provider",
        "sendgrid",
        "--out",
        pem.to_str().unwrap(),
    ]));
    let signed: Value = serde_json::from_str(&stdout_of(hookctl().args([
        "sign",
        "--provider",
        "sendgrid",
        "--private-key",
        pem.to_str().unwrap(),
        "--json",
    ])))
    .unwrap();
    let (_body_dir, payload) =
        super::temp_file("batch.json", signed["body"].as_str().unwrap().as_bytes());
    let headers = &signed["headers"];
    let out = stdout_of(
        hookctl().args([
            "verify",
            "--provider",
            "sendgrid",
            "--public-key",
            public.trim(),
            "--payload",
            payload,
            "--signature",
            headers["X-Twilio-Email-Event-Webhook-Signature"]
                .as_str()
                .unwrap(),
            "--timestamp",
            headers["X-Twilio-Email-Event-Webhook-Timestamp"]
                .as_str()
                .unwrap(),
        ]),
    );
    assert!(out.contains("valid (sendgrid"), "{out}");
}

#[test]
fn a_listener_given_only_a_public_key_verifies_the_provider_of_its_kind() {
    let dir = tempfile::tempdir().unwrap();
    let pem = dir.path().join("ed.pem");
    let pem = pem.to_str().unwrap();
    let public = stdout_of(hookctl().args(["keygen", "--provider", "telnyx", "--out", pem]));
    let listening =
        Listening::start(&["--public-key", public.trim(), "--json", "--max-events", "2"]);
    // An Ed25519 key is Telnyx's, or Standard Webhooks' v1a when the headers say so.
    for scheme in ["telnyx", "standard"] {
        hookctl()
            .args([
                "send",
                "--scheme",
                scheme,
                "--private-key",
                pem,
                "--url",
                &listening.url,
            ])
            .assert()
            .success();
    }
    let (code, stdout, stderr) = listening.finish();
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("verifying telnyx signatures"), "{stderr}");
    let records = lines(&stdout);
    assert_eq!(records.len(), 2, "{stdout}");
    for record in &records {
        assert_eq!(record["signature"]["status"], "valid", "{record}");
    }
}
