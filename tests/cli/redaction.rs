//! No credential printed: a URL's password, a secret in a URL, credential headers and headers
//! that hold the secret in any spelling, whatever its length, in every human and JSON output.

use std::process::Output;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::Value;

use super::hookctl;
use super::listening::{Listening, lines, post};
use super::server::{Reply, TestServer};

const PASSWORD: &str = "pw-Qx7Lk2";
/// Shorter than any length rule would have hidden.
const SHORT: &str = "k3y5x";

/// `url` with `alice:PASSWORD@` in front of its host.
fn with_password(url: &str) -> String {
    url.replacen("http://", &format!("http://alice:{PASSWORD}@"), 1)
}

/// Stdout and stderr of a run that ends with `code`, as one text.
fn both(code: i32, cmd: &mut assert_cmd::Command) -> String {
    let out: Output = cmd.output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(code), "{text}");
    text
}

fn assert_hidden(text: &str, secret: &str) {
    assert!(!text.contains(secret), "`{secret}` shown in:\n{text}");
}

#[test]
fn send_shows_a_url_password_as_stars_in_every_output() {
    let server = TestServer::ok();
    let url = with_password(&server.url);
    let send = |extra: &[&str]| {
        let mut cmd = hookctl();
        cmd.args(["send", "--url", &url, "--secret", "s3cr3t-xyz"])
            .args(extra);
        cmd
    };
    for extra in [
        &[][..],
        &["-v"],
        &["--json"],
        &["--dry-run"],
        &["--count", "3"],
        &["--count", "3", "--json"],
    ] {
        let text = both(0, &mut send(extra));
        assert_hidden(&text, PASSWORD);
        assert!(text.contains("alice:***@127.0.0.1"), "{extra:?}: {text}");
    }
    let json: Value = serde_json::from_str(&both(0, &mut send(&["--json"]))).unwrap();
    assert_eq!(
        json["url"],
        server.url.replacen("http://", "http://alice:***@", 1)
    );
}

#[test]
fn a_plain_http_warning_and_a_bad_url_never_echo_the_password() {
    let text = both(
        0,
        hookctl()
            .args(["send", "--dry-run", "--url"])
            .arg(format!("http://alice:{PASSWORD}@example.invalid/hook")),
    );
    assert_hidden(&text, PASSWORD);
    assert!(text.contains("is plain HTTP"), "{text}");
    for bad in [
        format!("http://alice:{PASSWORD}@[bad/hook"),
        format!("ftp://alice:{PASSWORD}@127.0.0.1/hook"),
    ] {
        let text = both(2, hookctl().args(["send", "--url", &bad]));
        assert_hidden(&text, PASSWORD);
        assert!(text.contains("alice:***@"), "{text}");
    }
}

#[test]
fn bulk_mode_sends_the_url_user_and_password_as_basic_auth_like_a_single_send() {
    let server = TestServer::ok();
    let url = with_password(&server.url);
    let expected = format!("Basic {}", BASE64.encode(format!("alice:{PASSWORD}")));
    both(0, hookctl().args(["send", "--url", &url]));
    both(0, hookctl().args(["send", "--url", &url, "--count", "3"]));
    let got = server.received();
    assert_eq!(got.len(), 4);
    for r in &got {
        assert_eq!(r.header("authorization"), Some(expected.as_str()));
    }
}

#[test]
fn a_secret_in_the_url_query_is_hidden() {
    let server = TestServer::ok();
    let url = format!("{}?token={SHORT}&other=1", server.url);
    for extra in [&[][..], &["--json"], &["--dry-run"], &["--count", "2"]] {
        let text = both(
            0,
            hookctl()
                .args(["send", "--url", &url, "--secret", SHORT])
                .args(extra),
        );
        assert_hidden(&text, SHORT);
        assert!(text.contains("token=***&other=1"), "{text}");
    }
}

#[test]
fn verbose_send_hides_credential_headers_and_the_secret_whatever_its_length() {
    let server = TestServer::start(|_, _| Reply {
        headers: vec![("set-cookie", "session=srv-Cookie-9".into())],
        ..Reply::ok()
    });
    let text = both(
        0,
        hookctl()
            .args(["send", "--url", &server.url, "--secret", SHORT, "-v"])
            .args(["-H", &format!("Authorization: Bearer {SHORT}")])
            .args(["-H", "Cookie: c=client-Cookie-7"])
            .args(["-H", &format!("X-Api-Key: id-{SHORT}")]),
    );
    for secret in [SHORT, "client-Cookie-7", "srv-Cookie-9"] {
        assert_hidden(&text, secret);
    }
    for shown in [
        "> authorization: <redacted>",
        "> cookie: <redacted>",
        "> x-api-key: <redacted>",
        "< set-cookie: <redacted>",
    ] {
        assert!(text.contains(shown), "`{shown}` in:\n{text}");
    }
}

#[test]
fn every_spelling_of_a_whsec_secret_in_a_header_is_hidden() {
    let server = TestServer::ok();
    let part = "Y2FuYXJ5LWJhc2U2NC1wYXJ0";
    let secret = format!("whsec_{part}");
    let key = BASE64.decode(part).unwrap();
    for value in [
        part.to_string(),
        hex::encode(&key),
        String::from_utf8(key).unwrap(),
    ] {
        let text = both(
            0,
            hookctl()
                .args(["send", "--url", &server.url, "--secret", &secret, "-v"])
                .args(["--scheme", "standard"])
                .args(["-H", &format!("X-Key: {value}")]),
        );
        assert_hidden(&text, &value);
        assert!(text.contains("> x-key: <redacted>"), "{text}");
    }
}

#[test]
fn check_never_shows_a_url_password() {
    let server = TestServer::ok();
    let url = with_password(&server.url);
    for json in [false, true] {
        let text = both(
            1,
            hookctl()
                .args(["check", "--url", &url, "--secret", "s3cr3t-xyz"])
                .args(json.then_some("--json")),
        );
        assert_hidden(&text, PASSWORD);
        assert!(text.contains("alice:***@"), "{text}");
    }
    // A secret in the query: `***` in the heading and the card alike, as `send` shows it.
    let url = format!("{}?k=s3cr3t-xyz", server.url);
    let text = both(
        0,
        hookctl().args([
            "check",
            "--url",
            &url,
            "--secret",
            "s3cr3t-xyz",
            "--only",
            "8",
        ]),
    );
    assert!(!text.contains("<redacted>"), "{text}");
    assert_eq!(text.matches("?k=***").count(), 2, "{text}");
}

#[test]
fn the_forward_banner_and_records_never_show_the_app_password() {
    let app = TestServer::ok();
    let target = with_password(&app.url);
    let l = Listening::start(&["--forward-to", &target, "--json", "--max-events", "1"]);
    post(&l.url, &[], b"{}");
    let (code, out, err) = l.finish();
    assert_eq!(code, 0, "{out}{err}");
    assert_hidden(&out, PASSWORD);
    assert_hidden(&err, PASSWORD);
    assert!(err.contains("forwarding to http://alice:***@"), "{err}");
    assert_eq!(
        lines(&out)[0]["forwarded"]["url"],
        app.url.replacen("http://", "http://alice:***@", 1)
    );
}

/// Headers a sender may put credentials in, and the secret the listener verifies with.
fn credential_headers(secret: &str) -> Vec<(String, String)> {
    vec![
        ("Authorization".into(), "Bearer tok-Auth-1".into()),
        ("Proxy-Authorization".into(), "Basic tok-Proxy-2".into()),
        ("Cookie".into(), "s=tok-Cookie-3".into()),
        ("X-Api-Key".into(), secret.into()),
    ]
}

const TOKENS: [&str; 3] = ["tok-Auth-1", "tok-Proxy-2", "tok-Cookie-3"];

#[test]
fn the_listener_hides_credential_headers_in_its_display_and_json_lines() {
    for mode in ["-v", "--json"] {
        let l = Listening::start(&["--secret", SHORT, mode, "--max-events", "1"]);
        post(&l.url, &credential_headers(SHORT), b"{}");
        let (_, out, err) = l.finish();
        for token in TOKENS.iter().chain([&SHORT]) {
            assert_hidden(&out, token);
            assert_hidden(&err, token);
        }
        if mode == "--json" {
            let headers = &lines(&out)[0]["headers"];
            for name in [
                "authorization",
                "proxy-authorization",
                "cookie",
                "x-api-key",
            ] {
                assert_eq!(headers[name], "<redacted>", "{name}: {out}");
            }
        } else {
            assert!(out.contains("< authorization: <redacted>"), "{out}");
        }
    }
}

#[test]
fn show_credentials_shows_them_and_save_always_keeps_them() {
    let dir = tempfile::tempdir().unwrap();
    let l = Listening::saving(
        dir.path(),
        &[
            "--secret",
            SHORT,
            "--json",
            "--show-credentials",
            "--max-events",
            "1",
        ],
    );
    post(&l.url, &credential_headers(SHORT), b"{}");
    let (_, out, _) = l.finish();
    let headers = &lines(&out)[0]["headers"];
    assert_eq!(headers["authorization"], "Bearer tok-Auth-1");
    assert_eq!(headers["x-api-key"], SHORT);

    let l = Listening::saving(dir.path(), &["--secret", SHORT, "--max-events", "1"]);
    post(&l.url, &credential_headers(SHORT), b"{}");
    l.finish();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let saved = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for token in TOKENS {
            assert!(saved.contains(token), "saved whole: {saved}");
        }
    }
}

#[test]
fn a_one_letter_secret_is_hidden_where_it_stands_alone_without_garbling_the_rest() {
    let server = TestServer::ok();
    let url = format!("{}?k=s", server.url);
    let send = |extra: &[&str]| {
        let mut cmd = hookctl();
        cmd.args(["send", "--url", &url, "--secret", "s", "-H", "X-Key: s"])
            .args(extra);
        cmd
    };
    let text = both(0, &mut send(&["-v"]));
    for shown in [
        "> x-key: <redacted>",
        "> content-type: application/json",
        "?k=***",
        "✓ 200 OK",
    ] {
        assert!(text.contains(shown), "`{shown}` in:\n{text}");
    }
    let json: Value = serde_json::from_str(&both(0, &mut send(&["--json"]))).unwrap();
    assert_eq!(
        (json["status"].as_u64(), json["ok"].as_bool()),
        (Some(200), Some(true))
    );
    assert!(
        json["url"].as_str().unwrap().ends_with("/webhook?k=***"),
        "{json}"
    );
}

#[test]
fn a_header_error_names_a_credential_header_but_never_echoes_its_value() {
    for (line, shown) in [
        (
            "Authorization Bearer tok-Err-1",
            "-H `Authorization <redacted>` is not a header line",
        ),
        (
            "Proxy-Authorization: Basic tok-Err-1\u{1}",
            "`Proxy-Authorization: <redacted>` is not a valid header",
        ),
    ] {
        let text = both(
            2,
            hookctl().args(["send", "--url", "http://127.0.0.1:9/", "-H", line]),
        );
        assert_hidden(&text, "tok-Err-1");
        assert!(text.contains(shown), "`{shown}` in:\n{text}");
    }
}

#[test]
fn a_short_secret_sent_as_the_signature_is_named_never_quoted() {
    let (_dir, payload) = super::temp_file("event.json", b"{}");
    for json in [false, true] {
        let text = both(
            1,
            hookctl()
                .args(["verify", "--secret", SHORT, "--signature", SHORT])
                .args(["--payload", payload])
                .args(json.then_some("--json")),
        );
        assert_hidden(&text, SHORT);
        assert!(text.contains("carries the secret itself"), "{text}");
    }
    let l = Listening::start(&["--secret", SHORT, "--json", "--max-events", "1"]);
    let headers = [("X-EKDSend-Signature".to_string(), format!("sha256={SHORT}"))];
    post(&l.url, &headers, b"{}");
    let (_, out, err) = l.finish();
    assert_hidden(&out, SHORT);
    assert_hidden(&err, SHORT);
    let reason = &lines(&out)[0]["signature"]["reason"];
    assert!(
        reason
            .as_str()
            .unwrap()
            .contains("carries the secret itself"),
        "{out}"
    );
}

#[test]
fn a_secret_in_the_forward_url_is_hidden_in_the_banner_and_records() {
    let app = TestServer::ok();
    let secret = "fwd-s3cr3t-Q9";
    let target = format!("{}?key={secret}", app.url);
    for mode in ["--json", "-v"] {
        let l = Listening::start(&[
            "--forward-to",
            &target,
            "--secret",
            secret,
            mode,
            "--max-events",
            "1",
        ]);
        post(&l.url, &[], b"{}");
        let (_, out, err) = l.finish();
        assert_hidden(&out, secret);
        assert_hidden(&err, secret);
        // As `send` and `check` show a URL, in the records and the banner alike.
        assert!(out.contains("?key=***"), "{mode}: {out}");
        assert!(err.contains("?key=*** and answering"), "{mode}: {err}");
    }
    assert_eq!(
        app.received().len(),
        2,
        "the app is reached with its real URL"
    );
}

#[test]
fn ctrl_c_during_a_slow_relay_never_shows_the_app_password() {
    let app = TestServer::slow(std::time::Duration::from_secs(8));
    let target = with_password(&app.url);
    for (seen, mode) in [None, Some("--json")].into_iter().enumerate() {
        let mut args = vec!["--forward-to", &target];
        args.extend(mode);
        let l = Listening::start(&args);
        let url = l.url.clone();
        let sender = std::thread::spawn(move || post(&url, &[], b"{}"));
        // Ctrl-C once the app holds the relayed request.
        while app.received().len() == seen {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        l.interrupt();
        assert_eq!(sender.join().unwrap().status, 503, "{mode:?}");
        let (_, out, err) = l.finish();
        assert_hidden(&out, PASSWORD);
        assert_hidden(&err, PASSWORD);
        let shown = app.url.replacen("http://", "http://alice:***@", 1);
        match mode {
            Some(_) => assert_eq!(lines(&out)[0]["forwarded"]["url"], shown, "{out}"),
            None => assert!(out.contains(&format!("↳ {shown}")), "{out}"),
        }
    }
}

#[test]
fn a_secret_in_the_query_of_a_received_request_is_hidden_unless_asked() {
    let target = format!("?token={SHORT}&page=2");
    for mode in ["-v", "--json"] {
        let l = Listening::start(&["--secret", SHORT, mode, "--max-events", "1"]);
        post(&format!("{}{target}", l.url), &[], b"{}");
        let (_, out, err) = l.finish();
        assert_hidden(&out, SHORT);
        assert_hidden(&err, SHORT);
        assert!(out.contains("?token=***&page=2"), "{mode}: {out}");
    }
    let args = ["--secret", SHORT, "--json", "--show-credentials"];
    let l = Listening::start(&[&args[..], &["--max-events", "1"]].concat());
    post(&format!("{}{target}", l.url), &[], b"{}");
    let (_, out, _) = l.finish();
    assert!(
        lines(&out)[0]["path"].as_str().unwrap().ends_with(&target),
        "{out}"
    );
}

#[test]
fn a_header_error_never_echoes_a_secret_held_in_the_value() {
    let secret = "s3cr3t-Hdr-9";
    let (_dir, payload) = super::temp_file("body.json", b"{}");
    for key in [secret, SHORT] {
        let text = both(
            2,
            hookctl()
                .args(["send", "--url", "http://127.0.0.1:9/", "--secret", key])
                .args(["-H", &format!("X-Api-Key: {key}\u{1}")]),
        );
        assert_hidden(&text, key);
        assert!(
            text.contains("`X-Api-Key: <redacted>` is not a valid header"),
            "{text}"
        );
        let text = both(
            2,
            hookctl()
                .args(["verify", "--secret", key, "--payload", payload])
                .args(["-H", &format!("X-Api-Key {key}")]),
        );
        assert_hidden(&text, key);
        assert!(text.contains("`X-Api-Key <redacted>`"), "{text}");
    }
}
