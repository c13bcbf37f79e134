use std::time::{Duration, Instant};

use hookctl::signature::Scheme;
use predicates::prelude::*;
use serde_json::Value;

use super::listening::{Listening, SECRET, lines, post, request, signed, signed_at};
use super::server::{Reply, TestServer, closed_port};
use super::{assert_contains, hookctl};

const EVENT: &[u8] = br#"{"id":"evt_1","type":"email.delivered","created_at":"2026-01-01T00:00:00Z","data":{"to":"a@example.com"}}"#;

#[test]
fn badges_for_every_scheme_valid_invalid_and_unsigned() {
    for scheme in Scheme::MAC {
        let name = scheme.name();
        let l = Listening::start(&[
            "--secret",
            SECRET,
            "--scheme",
            name,
            "--json",
            "--max-events",
            "3",
        ]);
        post(&l.url, &signed(scheme, SECRET, EVENT), EVENT);
        post(&l.url, &signed(scheme, "whsec_d3Jvbmc=", EVENT), EVENT);
        post(&l.url, &[], EVENT);
        let (code, out, _) = l.finish();
        let statuses: Vec<Value> = lines(&out)
            .iter()
            .map(|l| l["signature"]["status"].clone())
            .collect();
        assert_eq!(statuses, ["valid", "invalid", "unsigned"], "{name}");
        assert_eq!(
            code, 1,
            "{name}: a failed verification makes the exit code 1"
        );
    }
    let l = Listening::start(&["--json", "--max-events", "1"]);
    post(&l.url, &[], EVENT);
    let (code, out, err) = l.finish();
    assert_eq!(lines(&out)[0]["signature"]["status"], "unchecked");
    assert_eq!(code, 0);
    assert!(err.contains("not verifying signatures: no secret given"));
}

#[test]
fn json_lines_carry_the_request_and_the_answer() {
    let l = Listening::start(&["--secret", SECRET, "--json", "--max-events", "1"]);
    let mut headers = signed(Scheme::Ekdsend, SECRET, EVENT);
    headers.push(("X-Custom".into(), "yes".into()));
    let answer = post(&format!("{}hooks/email?src=test", l.url), &headers, EVENT);
    assert_eq!(
        (answer.status, answer.body.as_str()),
        (200, r#"{"received":true}"#)
    );
    let (code, out, err) = l.finish();
    let line = &lines(&out)[0];
    assert_eq!(code, 0);
    assert_eq!(line["method"], "POST");
    assert_eq!(line["path"], "/hooks/email?src=test");
    assert_eq!(line["headers"]["x-custom"], "yes");
    assert_eq!(
        line["body"],
        serde_json::from_slice::<Value>(EVENT).unwrap()
    );
    assert_eq!(
        (line["type"].as_str(), line["id"].as_str()),
        (Some("email.delivered"), Some("evt_1"))
    );
    assert_eq!(line["status"], 200);
    assert!(
        line["received_at"]
            .as_str()
            .unwrap()
            .parse::<jiff::Timestamp>()
            .is_ok()
    );
    assert!(
        err.contains("1 delivery received") && err.contains("✓ 1 valid"),
        "summary on stderr in --json mode: {err}"
    );
}

#[test]
fn answers_as_told_status_body_and_delay() {
    let l = Listening::start(&[
        "--status",
        "202",
        "--response-body",
        "queued",
        "--delay",
        "300",
        "--max-events",
        "1",
    ]);
    let started = Instant::now();
    let answer = post(&l.url, &[], EVENT);
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!((answer.status, answer.body.as_str()), (202, "queued"));
    let (code, out, err) = l.finish();
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("answering 202 queued after 300 ms"), "{err}");
    assert!(
        out.contains("email.delivered evt_1  · not checked (no secret)  → 202"),
        "{out}"
    );
}

#[test]
fn fail_first_pairs_with_send_retries() {
    let l = Listening::start(&["--fail-first", "2", "--json", "--max-events", "3"]);
    hookctl()
        .args([
            "send",
            "--url",
            &l.url,
            "--retries",
            "5",
            "--backoff",
            "5ms",
        ])
        .assert()
        .success()
        .stdout(
            predicates::str::contains("attempt 2/6: 500")
                .and(predicates::str::contains("after 3 attempts")),
        );
    let (_, out, _) = l.finish();
    let answered: Vec<u64> = lines(&out)
        .iter()
        .map(|l| l["status"].as_u64().unwrap())
        .collect();
    assert_eq!(
        answered,
        [500, 500, 200],
        "the first two deliveries of an id fail, the third passes"
    );
}

#[test]
fn network_text_cannot_drive_the_terminal() {
    let l = Listening::start(&["--max-events", "1", "--color", "always"]);
    let body = r#"{"id":"evt_\u001b[2J","type":"email.sent\u001b]0;pwned\u0007"}"#;
    post(&l.url, &[], body.as_bytes());
    let (_, out, _) = l.finish();
    assert!(
        !out.contains("\u{1b}[2J") && !out.contains("\u{1b}]0;"),
        "raw escape sequences reached the terminal: {out:?}"
    );
    assert!(out.contains("\\u{1b}[2J"), "shown escaped instead: {out:?}");
    assert!(
        out.contains("\u{1b}["),
        "--color always colours the display, so escapes do get through: {out:?}"
    );
}

#[test]
fn reject_invalid_answers_401_to_bad_and_missing_signatures() {
    let l = Listening::start(&[
        "--secret",
        SECRET,
        "--reject-invalid",
        "--json",
        "--max-events",
        "3",
    ]);
    assert_eq!(
        post(&l.url, &signed(Scheme::Ekdsend, SECRET, EVENT), EVENT).status,
        200
    );
    assert_eq!(
        post(&l.url, &signed(Scheme::Ekdsend, "other", EVENT), EVENT).status,
        401
    );
    assert_eq!(post(&l.url, &[], EVENT).status, 401);
    let (_, out, _) = l.finish();
    let answered: Vec<u64> = lines(&out)
        .iter()
        .map(|l| l["status"].as_u64().unwrap())
        .collect();
    assert_eq!(answered, [200, 401, 401]);
}

#[test]
fn forwards_to_an_app_and_answers_with_its_answer() {
    let app = TestServer::start(|_, _| Reply {
        body: "app says hi".into(),
        ..Reply::status(201)
    });
    let l = Listening::start(&[
        "--secret",
        SECRET,
        "--forward-to",
        &app.url,
        "--max-events",
        "1",
    ]);
    let headers = signed(Scheme::Ekdsend, SECRET, EVENT);
    let answer = post(&l.url, &headers, EVENT);
    assert_eq!((answer.status, answer.body.as_str()), (201, "app says hi"));
    let (_, out, _) = l.finish();
    assert!(
        out.contains(&format!("↳ {}  201 Created in", app.url)) && out.contains("app says hi"),
        "{out}"
    );
    let got = app.received();
    assert_eq!(got[0].body, EVENT, "the body is relayed unchanged");
    assert_eq!(
        got[0].header("x-ekdsend-signature"),
        Some(headers[0].1.as_str()),
        "and the headers too"
    );
}

#[test]
fn forwarding_to_an_app_that_is_down_answers_502() {
    let port = closed_port();
    let l = Listening::start(&[
        "--forward-to",
        &format!("http://127.0.0.1:{port}/"),
        "--max-events",
        "1",
    ]);
    assert_eq!(post(&l.url, &[], EVENT).status, 502);
    let (_, out, _) = l.finish();
    assert!(
        out.contains("connection refused") && out.contains("answered 502"),
        "{out}"
    );
}

#[test]
fn saved_requests_replay_byte_for_byte_or_re_signed() {
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("captured");
    let l = Listening::saving(
        &save,
        &["--secret", SECRET, "--max-events", "3", "--compact"],
    );
    let bodies: [&[u8]; 3] = [
        EVENT,
        b"{\n  \"id\": \"evt_2\", \"type\": \"sms.sent\"\n}\n",
        b"\xff\x00 not utf-8",
    ];
    let mut sent_headers = Vec::new();
    for body in bodies {
        let headers = signed(Scheme::Ekdsend, SECRET, body);
        sent_headers.push(headers[0].1.clone());
        assert_eq!(post(&l.url, &headers, body).status, 200);
    }
    l.finish();
    assert_eq!(
        std::fs::read_dir(&save).unwrap().count(),
        3,
        "one file per request, no temporaries left"
    );
    // Replays everything saved to a fresh server; what it received.
    let replay = |extra: &[&str]| {
        let app = TestServer::ok();
        hookctl()
            .arg("replay")
            .arg(&save)
            .args(["--url", &app.url])
            .args(extra)
            .assert()
            .success();
        let got = app.received();
        assert_eq!(got.len(), 3, "{extra:?}: every saved request replayed");
        got
    };

    let got = replay(&["--as-is"]);
    let replayed: Vec<&[u8]> = got.iter().map(|r| r.body.as_slice()).collect();
    assert_eq!(replayed, bodies, "byte-identical bodies, in arrival order");
    let signatures: Vec<&str> = got
        .iter()
        .map(|r| r.header("x-ekdsend-signature").unwrap())
        .collect();
    assert_eq!(
        signatures, sent_headers,
        "--as-is keeps the saved signature"
    );

    for (r, body) in replay(&["--secret", "a-new-secret", "--json"])
        .iter()
        .zip(bodies)
    {
        assert_eq!(r.body, body);
        assert_eq!(
            r.header("x-ekdsend-signature").unwrap(),
            signed(Scheme::Ekdsend, "a-new-secret", body)[0].1
        );
    }

    // Re-signed under another scheme: the saved signature does not go along.
    for (r, body) in replay(&["--secret", SECRET, "--scheme", "stripe"])
        .iter()
        .zip(bodies)
    {
        assert_eq!(r.body, body);
        assert_eq!(
            r.header("x-ekdsend-signature"),
            None,
            "the old signature is dropped"
        );
        assert_eq!(
            r.verdict(Scheme::Stripe, SECRET),
            hookctl::signature::Verdict::Valid
        );
    }
}

#[test]
fn oversized_bodies_and_other_methods_are_shown_but_not_counted() {
    let l = Listening::start(&["--max-body", "150", "--max-events", "1"]);
    assert_eq!(post(&l.url, &[], &[b'x'; 200]).status, 413);
    assert_eq!(request("GET", &l.url, &[], b"").status, 405);
    assert_eq!(post(&l.url, &[], EVENT).status, 200);
    let (code, out, _) = l.finish();
    assert_eq!(code, 0);
    assert_contains(
        &out,
        &[
            "POST /  ✗ 413 body over 150 B (--max-body)",
            "GET /  ✗ 405 method not allowed",
            "1 delivery received, 2 other requests refused",
        ],
    );
}

#[test]
fn json_that_cannot_become_a_tree_is_shown_as_received_never_called_not_json() {
    let bodies: [&[u8]; 2] = [
        br#"{"id":"evt_1","type":"email.sent","n":1e400}"#,
        b"{\n  \"id\": \"evt_2\",\n  \"to\": \"\\ud800\\u202e\"\n}",
    ];
    let l = Listening::start(&["--max-events", "2"]);
    for body in bodies {
        post(&l.url, &[], body);
    }
    let (code, out, _) = l.finish();
    assert_eq!(code, 0);
    assert!(!out.contains("not JSON"), "{out}");
    assert_contains(
        &out,
        &[
            "email.sent evt_1",
            "JSON shown as received",
            r#"  {"id":"evt_1","type":"email.sent","n":1e400}"#,
            r#"    "to": "\ud800\u202e""#,
        ],
    );
}

#[test]
fn bodies_that_are_not_json_or_not_utf8_are_flagged_not_fatal() {
    let l = Listening::start(&["--max-events", "3"]);
    post(&l.url, &[], b"plain text");
    post(&l.url, &[], b"\xc3\x28 broken");
    post(&l.url, &[], b"");
    let (code, out, _) = l.finish();
    assert_eq!(code, 0);
    assert_contains(
        &out,
        &[
            "body is not JSON (10 bytes): plain text",
            "body is not UTF-8 (9 bytes): \\xc3( broken",
            "empty body",
        ],
    );
    let l = Listening::start(&["--json", "--max-events", "2"]);
    post(&l.url, &[], b"plain text");
    post(&l.url, &[], b"\xff\xfe");
    let (_, out, _) = l.finish();
    let encodings: Vec<Value> = lines(&out)
        .iter()
        .map(|l| l["body_encoding"].clone())
        .collect();
    assert_eq!(encodings, ["text", "base64"]);
}

#[test]
fn human_display_shows_the_event_and_a_summary() {
    let l = Listening::start(&["--secret", SECRET, "--max-events", "2"]);
    post(&l.url, &signed(Scheme::Ekdsend, SECRET, EVENT), EVENT);
    post(
        &l.url,
        &signed(Scheme::Ekdsend, SECRET, EVENT),
        b"{\"id\":\"evt_1\"}",
    );
    let (code, out, err) = l.finish();
    assert!(
        err.starts_with("hookctl listening on http://127.0.0.1:")
            && err.contains("verifying ekdsend signatures in X-EKDSend-Signature"),
        "{err}"
    );
    assert_contains(
        &out,
        &["email.delivered evt_1  ✓ valid  → 200", "to a@example.com"],
    );
    assert!(
        out.contains("\"type\": \"email.delivered\""),
        "the body is pretty-printed: {out}"
    );
    assert!(out.contains("✗ invalid: signature does not match"), "{out}");
    assert!(
        !out.contains("< x-ekdsend-signature"),
        "headers only with -v: {out}"
    );
    assert!(
        out.contains("2 deliveries received") && out.contains("✓ 1 valid  ✗ 1 invalid"),
        "{out}"
    );
    assert_eq!(code, 1);
    for stream in [&out, &err] {
        assert!(
            !stream.contains("bGlzdGVuLXRlc3Qtc2VjcmV0"),
            "the secret was printed"
        );
    }
}

#[test]
fn timeout_stops_an_idle_listener() {
    let started = Instant::now();
    let l = Listening::start(&["--timeout", "500ms"]);
    let (code, out, _) = l.finish();
    assert_eq!(code, 0);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(out.contains("0 deliveries received"), "{out}");
}

#[test]
fn path_takes_webhooks_on_that_path_only_and_refuses_the_rest_with_404() {
    // Given without its leading slash: the listener adds it.
    let l = Listening::start(&["--path", "hooks/email", "--json", "--max-events", "1"]);
    assert!(l.url.ends_with("/hooks/email"), "{}", l.url);
    let elsewhere = post(&format!("http://{}/", l.addr()), &[], EVENT);
    assert_eq!(
        (elsewhere.status, elsewhere.body.as_str()),
        (404, r#"{"error":"no webhook at this path"}"#)
    );
    assert_eq!(
        post(&format!("{}?src=test", l.url), &[], EVENT).status,
        200,
        "the query is not part of the path"
    );
    let (code, out, err) = l.finish();
    assert_eq!(code, 0, "{err}");
    let got = lines(&out);
    assert_eq!(got.len(), 2, "{out}");
    assert_eq!(
        (&got[0]["path"], &got[0]["status"], &got[0]["refused"]),
        (&Value::from("/"), &Value::from(404), &Value::from("path"))
    );
    assert_eq!(
        (&got[1]["path"], &got[1]["status"], &got[1]["id"]),
        (
            &Value::from("/hooks/email?src=test"),
            &Value::from(200),
            &Value::from("evt_1")
        )
    );
    let banner = err.lines().next().unwrap();
    assert!(
        banner.starts_with("hookctl listening on http://127.0.0.1:")
            && banner.ends_with("/hooks/email"),
        "the banner names the path, not `(any path)`: {err}"
    );
    assert!(
        err.contains("1 delivery received, 1 other request refused"),
        "{err}"
    );
}

#[test]
fn host_binds_the_ipv6_loopback() {
    let l = Listening::start(&["--host", "::1", "--json", "--max-events", "1"]);
    assert!(l.url.starts_with("http://[::1]:"), "{}", l.url);
    let host = l.addr();
    assert_eq!(post(&l.url, &[], EVENT).status, 200);
    let (code, out, err) = l.finish();
    assert_eq!(code, 0, "{err}");
    assert!(
        !err.contains("listening beyond this machine"),
        "::1 is this machine: {err}"
    );
    assert_eq!(lines(&out)[0]["headers"]["host"], host.as_str());
}

#[test]
fn verbose_shows_the_request_headers_and_compact_leaves_out_the_body() {
    let dir = tempfile::tempdir().unwrap();
    let l = Listening::saving(
        dir.path(),
        &["--secret", SECRET, "-v", "--compact", "--max-events", "1"],
    );
    let mut headers = signed(Scheme::Ekdsend, SECRET, EVENT);
    headers.push(("X-Trace".into(), "abc 123".into()));
    assert_eq!(post(&l.url, &headers, EVENT).status, 200);
    let (code, out, _) = l.finish();
    assert_eq!(code, 0, "{out}");
    assert_contains(
        &out,
        &[
            "email.delivered evt_1  ✓ valid  → 200",
            "  to a@example.com",
            &format!("  < x-ekdsend-signature: {}", headers[0].1),
            "  < x-trace: abc 123",
            "  < content-length: ",
            &format!("  saved {}", dir.path().display()),
        ],
    );
    assert!(
        !out.contains("\"type\": \"email.delivered\""),
        "--compact leaves out the pretty body:\n{out}"
    );
}

#[test]
fn tolerance_widens_or_lifts_the_timestamp_window() {
    let now = jiff::Timestamp::now().as_second();
    for (tolerance, age, want) in [
        (None, 600, "invalid"),
        (Some("15m"), 600, "valid"),
        (Some("15m"), 1200, "invalid"),
        (Some("off"), 30 * 86_400, "valid"),
    ] {
        let mut args = vec!["--secret", SECRET, "--scheme", "stripe", "--json"];
        args.extend(["--max-events", "1"]);
        args.extend(tolerance.iter().flat_map(|t| ["--tolerance", t]));
        let l = Listening::start(&args);
        let headers = signed_at(Scheme::Stripe, SECRET, now - age, EVENT);
        assert_eq!(post(&l.url, &headers, EVENT).status, 200);
        let (code, out, err) = l.finish();
        let line = &lines(&out)[0];
        assert_eq!(
            line["signature"]["status"], want,
            "--tolerance {tolerance:?}, {age} s old: {line}"
        );
        assert_eq!(code, i32::from(want == "invalid"), "{err}");
        if tolerance == Some("off") {
            assert!(err.contains("any timestamp age"), "{err}");
        }
    }
}

#[test]
fn max_events_zero_is_a_usage_error_not_a_listener_that_never_stops() {
    hookctl()
        .args(["listen", "--port", "0", "--max-events", "0"])
        .timeout(Duration::from_secs(10))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--max-events"));
}

#[test]
fn status_outside_200_to_599_is_a_usage_error_and_204_goes_out_without_a_body() {
    for status in ["100", "101", "103", "199", "600"] {
        let err = hookctl()
            .args(["listen", "--port", "0", "--status", status])
            .assert()
            .code(2)
            .get_output()
            .stderr
            .clone();
        let err = String::from_utf8(err).unwrap();
        assert!(err.contains("200..=599"), "--status {status}: {err}");
    }
    for status in ["204", "304"] {
        let l = Listening::start(&["--status", status, "--max-events", "1"]);
        let mut stream = std::net::TcpStream::connect(l.addr()).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let request = format!(
            "POST / HTTP/1.1\r\nhost: {}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            l.addr(),
            EVENT.len()
        );
        std::io::Write::write_all(&mut stream, request.as_bytes()).unwrap();
        std::io::Write::write_all(&mut stream, EVENT).unwrap();
        let mut answer = String::new();
        let _ = std::io::Read::read_to_string(&mut stream, &mut answer);
        let (head, body) = answer.split_once("\r\n\r\n").unwrap();
        assert!(
            head.starts_with(&format!("HTTP/1.1 {status} ")),
            "{answer:?}"
        );
        assert_eq!(body, "", "--status {status} answered with a body");
        let (code, _, err) = l.finish();
        assert_eq!(code, 0, "{err}");
    }
}

#[test]
fn delay_and_timeout_out_of_range_are_usage_errors() {
    for (flag, value, want) in [
        ("--delay", "18446744073709551615s", "at most 1h"),
        ("--delay", "18446744073709551615", "at most 1h"),
        ("--delay", "2h", "at most 1h"),
        ("--timeout", "0s", "above zero"),
    ] {
        let out = hookctl()
            .args(["listen", "--port", "0", flag, value])
            .assert()
            .code(2)
            .get_output()
            .clone();
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains(want), "{flag} {value}: {err}");
        assert!(out.stdout.is_empty() && !err.contains("panicked"), "{err}");
    }
}
