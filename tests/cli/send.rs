use std::collections::HashSet;
use std::time::{Duration, Instant};

use hookctl::signature::{Scheme, Verdict};
use predicates::prelude::*;
use predicates::str::contains;
use serde_json::Value;

use super::server::{Reply, TestServer, closed_port};
use super::{hookctl, interrupt, stdout_of, stdout_with_code};

const SECRET: &str = "whsec_c2VuZC10ZXN0LXNlY3JldC1rZXk=";

/// `hookctl send --url URL --secret SECRET`, ready for more arguments.
fn send_to(url: &str) -> assert_cmd::Command {
    let mut cmd = hookctl();
    cmd.args(["send", "--url", url, "--secret", SECRET]);
    cmd
}

/// The distinct event ids among `received`.
fn ids(received: &[super::server::Received]) -> HashSet<String> {
    received.iter().map(|r| r.id()).collect()
}

#[test]
fn the_body_received_is_the_body_signed_for_every_scheme() {
    for scheme in Scheme::MAC {
        let name = scheme.name();
        let server = TestServer::ok();
        send_to(&server.url)
            .args(["email.delivered", "--scheme", name])
            .assert()
            .success()
            .stdout(contains("✓ 200 OK in"));
        let got = server.received();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].verdict(scheme, SECRET), Verdict::Valid, "{name}");
        assert_eq!(got[0].json()["type"], "email.delivered");
        assert_eq!(got[0].header("content-type"), Some("application/json"));
        assert!(got[0].header("user-agent").unwrap().starts_with("hookctl/"));
        if let Some(id_header) = scheme.id_header() {
            assert_eq!(
                got[0].header(id_header),
                got[0].json()["id"].as_str(),
                "webhook-id is the event id"
            );
        }
    }
}

#[test]
fn set_payload_and_extra_headers_reach_the_wire() {
    let server = TestServer::ok();
    send_to(&server.url)
        .args(["email.bounced", "--set", "data.bounce_type=soft"])
        .args(["-H", "X-Test-Run: 42"])
        .assert()
        .success();
    let dir = tempfile::tempdir().unwrap();
    let payload = dir.path().join("p.json");
    std::fs::write(
        &payload,
        b"{ \"id\": \"evt_fixed\",\n  \"type\": \"custom\" }\n",
    )
    .unwrap();
    send_to(&server.url)
        .arg("--payload")
        .arg(&payload)
        .assert()
        .success();
    let got = server.received();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].json()["data"]["bounce_type"], "soft");
    assert_eq!(got[0].header("x-test-run"), Some("42"));
    assert_eq!(
        got[1].body,
        std::fs::read(&payload).unwrap(),
        "the payload is sent verbatim"
    );
    assert_eq!(got[1].verdict(Scheme::Ekdsend, SECRET), Verdict::Valid);
}

#[test]
fn several_types_and_all_are_sent_one_after_another() {
    let server = TestServer::ok();
    send_to(&server.url)
        .args(["sms.sent", "call.failed"])
        .assert()
        .success();
    let all = stdout_of(send_to(&server.url).args(["--all", "--json"]));
    let types: Vec<String> = server
        .received()
        .iter()
        .map(|r| r.json()["type"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(&types[..2], ["sms.sent", "call.failed"]);
    assert_eq!(types.len(), 2 + 15);
    let listed = super::catalog::TYPES;
    assert_eq!(
        &types[2..],
        listed,
        "--all sends every catalog type once, in order"
    );
    let reports: Vec<Value> = all
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(reports.len(), 15, "one JSON object per delivery: {all}");
    for (report, kind) in reports.iter().zip(&listed) {
        assert_eq!(
            (&report["type"], &report["ok"], &report["status"]),
            (&Value::from(*kind), &Value::Bool(true), &Value::from(200)),
            "{report}"
        );
    }
}

#[test]
fn a_slow_endpoint_fails_the_budget_with_advice() {
    let server = TestServer::slow(Duration::from_secs(3));
    send_to(&server.url)
        .args(["--timeout", "300ms"])
        .assert()
        .code(1)
        .stdout(contains("✗ took longer than 300 ms").and(contains("answer first, process later")));
}

/// A server that answers 500 `failures` times, then 200 `{"received":true}`.
fn failing_first(failures: usize) -> TestServer {
    TestServer::start(move |n, _| {
        if n < failures {
            Reply::status(500)
        } else {
            Reply::ok()
        }
    })
}

#[test]
fn retries_until_success_with_the_same_id() {
    let server = failing_first(2);
    send_to(&server.url)
        .args(["--retries", "5", "--backoff", "10ms"])
        .assert()
        .success()
        .stdout(
            contains("attempt 1/6: 500 Internal Server Error")
                .and(contains("✓ 200 OK in"))
                .and(contains("after 3 attempts")),
        );
    let got = server.received();
    assert_eq!(got.len(), 3, "k failures then success is k+1 attempts");
    assert_eq!(
        ids(&got).len(),
        1,
        "every attempt carries the same event id"
    );
}

#[test]
fn gives_up_after_the_last_retry() {
    let server = TestServer::start(|_, _| Reply::status(502));
    let out = stdout_with_code(
        send_to(&server.url).args(["--retries", "2", "--backoff", "5ms", "--json"]),
        1,
    );
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (
            doc["attempts"].as_u64(),
            doc["status"].as_u64(),
            doc["ok"].as_bool()
        ),
        (Some(3), Some(502), Some(false))
    );
    assert_eq!(server.received().len(), 3);
}

#[test]
fn client_errors_are_not_retried() {
    let server = TestServer::start(|_, _| Reply::status(400));
    send_to(&server.url)
        .args(["--retries", "3", "--backoff", "5ms"])
        .assert()
        .code(1)
        .stdout(contains("✗ 400 Bad Request"));
    assert_eq!(server.received().len(), 1);
}

#[test]
fn retry_after_is_honoured_and_timestamped_schemes_re_sign() {
    let server = TestServer::start(|n, _| {
        if n == 0 {
            Reply {
                headers: vec![("retry-after", "1".into())],
                ..Reply::status(503)
            }
        } else {
            Reply::ok()
        }
    });
    send_to(&server.url)
        .args(["--scheme", "stripe", "--retries", "1", "--backoff", "1ms"])
        .assert()
        .success()
        .stdout(contains("retrying in 1.0 s (Retry-After)"));
    let got = server.received();
    assert_eq!(got.len(), 2);
    assert!(
        got[1].at - got[0].at >= Duration::from_millis(950),
        "waited {:?}",
        got[1].at - got[0].at
    );
    assert_ne!(
        got[0].header("stripe-signature"),
        got[1].header("stripe-signature"),
        "re-signed with a fresh timestamp"
    );
    assert_eq!(got[1].verdict(Scheme::Stripe, SECRET), Verdict::Valid);
}

#[test]
fn connection_refused_names_the_port() {
    let port = closed_port();
    send_to(&format!("http://127.0.0.1:{port}/hook"))
        .assert()
        .code(1)
        .stdout(
            contains("✗ connection refused")
                .and(contains(format!("is your server running on port {port}?"))),
        );
}

#[test]
fn redirects_are_reported_not_followed() {
    let server = TestServer::start(|_, _| Reply {
        headers: vec![("location", "https://example.com/new".into())],
        ..Reply::status(301)
    });
    send_to(&server.url)
        .assert()
        .code(1)
        .stdout(contains("✗ 301 Moved Permanently").and(contains(
            "providers do not follow redirects: point the webhook at https://example.com/new",
        )));
    assert_eq!(server.received().len(), 1);
}

#[test]
fn dry_run_prints_the_request_and_curl_and_sends_nothing() {
    let server = TestServer::ok();
    let out = stdout_of(send_to(&server.url).arg("--dry-run"));
    assert!(out.starts_with(&format!("POST {}\n", server.url)), "{out}");
    assert!(
        out.contains("x-ekdsend-signature: sha256=") && out.contains("curl -X POST"),
        "{out}"
    );
    assert!(!out.contains(SECRET));
    std::thread::sleep(Duration::from_millis(100));
    assert!(server.received().is_empty());
}

#[test]
fn bad_urls_are_usage_errors() {
    for (url, want) in [
        ("not a url", "is not a valid URL"),
        ("ftp://127.0.0.1/x", "is not an http:// or https:// URL"),
    ] {
        hookctl()
            .args(["send", "--url", url])
            .assert()
            .code(2)
            .stderr(contains(want));
    }
}

#[test]
fn without_a_secret_it_sends_unsigned_and_says_so() {
    let server = TestServer::ok();
    hookctl()
        .args(["send", "--url", &server.url])
        .assert()
        .success()
        .stderr(contains("sending unsigned"));
    assert!(server.received()[0].header("x-ekdsend-signature").is_none());
}

#[test]
fn verbose_shows_headers_and_the_whole_body() {
    let long = "x".repeat(500);
    let body = long.clone();
    let server = TestServer::start(move |_, _| Reply {
        body: body.clone(),
        ..Reply::ok()
    });
    let out = stdout_of(send_to(&server.url).arg("-v"));
    assert!(
        out.contains("> x-ekdsend-signature: sha256=") && out.contains("< content-length: 500"),
        "{out}"
    );
    assert!(out.contains(&long));
    let short = stdout_of(&mut send_to(&server.url));
    assert!(!short.contains(&long) && short.contains(&"x".repeat(200)));
}

#[test]
fn a_renamed_signature_header_is_the_only_one_sent() {
    let server = TestServer::ok();
    send_to(&server.url)
        .args(["--header", "X-Acme-Signature", "--scheme", "github"])
        .assert()
        .success();
    let got = server.received();
    assert_eq!(got.len(), 1);
    let value = got[0]
        .header("x-acme-signature")
        .expect("the renamed header");
    assert!(value.starts_with("sha256="), "{value}");
    for scheme in Scheme::MAC {
        assert_eq!(
            got[0].header(scheme.signature_header()),
            None,
            "{scheme}'s own header is not sent as well"
        );
    }
    // Under its usual name, the same value verifies as GitHub's.
    let mut renamed = got[0].clone();
    renamed
        .headers
        .push(("X-Hub-Signature-256".into(), value.to_string()));
    assert_eq!(renamed.verdict(Scheme::Github, SECRET), Verdict::Valid);

    hookctl()
        .args(["send", "--url", &server.url, "--secret", SECRET])
        .args(["--scheme", "standard", "--header", "X-Sig"])
        .assert()
        .code(2)
        .stderr(contains("its header name cannot be changed"));
    assert_eq!(server.received().len(), 1, "nothing sent after the error");
}

#[test]
fn bulk_mode_delivers_exactly_n_unique_ids_and_counts_what_the_server_saw() {
    let server = TestServer::start(|n, _| {
        if n % 10 == 9 {
            Reply::status(500)
        } else {
            Reply::ok()
        }
    });
    let out = stdout_with_code(
        send_to(&server.url)
            .args(["email.delivered", "sms.sent", "--count", "300"])
            .args(["--concurrency", "16", "--json"]),
        1,
    );
    let summary: Value = serde_json::from_str(&out).unwrap();
    let got = server.received();
    assert_eq!(got.len(), 300);
    assert_eq!(ids(&got).len(), 300, "each event has its own id");
    let sms = got
        .iter()
        .filter(|r| r.json()["type"] == "sms.sent")
        .count();
    assert_eq!(sms, 150, "round-robin over the types");
    assert!(
        got.iter()
            .all(|r| r.verdict(Scheme::Ekdsend, SECRET) == Verdict::Valid)
    );
    assert_eq!(summary["sent"], 300);
    assert_eq!(summary["ok"], 270);
    assert_eq!(summary["statuses"]["200"], 270);
    assert_eq!(summary["statuses"]["500"], 30);
    assert!(summary["latency_ms"]["p50"].as_f64().unwrap() > 0.0);
}

#[test]
fn bulk_mode_retries_each_event_under_its_own_id() {
    // Every event's first delivery gets 500, its second 200.
    let seen = std::sync::Mutex::new(HashSet::new());
    let server = TestServer::start(move |_, r| {
        if seen.lock().unwrap().insert(r.id()) {
            Reply::status(500)
        } else {
            Reply::ok()
        }
    });
    let out = stdout_of(
        send_to(&server.url)
            .args(["--count", "6", "--concurrency", "3", "--json"])
            .args(["--retries", "1", "--backoff", "1ms", "-H", "X-Run: bulk"]),
    );
    let summary: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (&summary["sent"], &summary["requests"], &summary["ok"]),
        (&Value::from(6), &Value::from(12), &Value::from(6)),
        "{summary}"
    );
    assert_eq!(
        summary["statuses"],
        serde_json::json!({"200": 6}),
        "final statuses only"
    );
    let got = server.received();
    assert_eq!(got.len(), 12);
    assert_eq!(ids(&got).len(), 6, "a retry repeats its event's id");
    assert!(
        got.iter().all(|r| r.header("x-run") == Some("bulk")
            && r.verdict(Scheme::Ekdsend, SECRET) == Verdict::Valid),
        "every request, retries included, is signed and carries the -H header"
    );
}

#[test]
fn bulk_text_summary_reports_rate_and_latency() {
    let server = TestServer::ok();
    let out = stdout_of(send_to(&server.url).args(["--count", "50"]));
    assert!(
        out.contains("Sent 50 events to")
            && out.contains("requests/s")
            && out.contains("Latency  p50"),
        "{out}"
    );
    assert!(out.contains("Over the 5 s budget: 0"), "{out}");
}

#[test]
fn rate_spaces_out_the_starts_of_a_burst() {
    let server = TestServer::ok();
    let started = Instant::now();
    let out = stdout_of(send_to(&server.url).args([
        "--count",
        "6",
        "--rate",
        "10",
        "--concurrency",
        "6",
        "--json",
    ]));
    let elapsed = started.elapsed();
    let summary: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (&summary["sent"], &summary["ok"]),
        (&Value::from(6), &Value::from(6))
    );
    let got = server.received();
    assert_eq!(got.len(), 6);
    // Starts at 0, 100, …, 500 ms: six workers are free, but the rate holds them back.
    let span = got[5].at - got[0].at;
    assert!(
        span >= Duration::from_millis(400),
        "6 events at 10/s arrived within {span:?}"
    );
    assert!(elapsed < Duration::from_secs(3), "took {elapsed:?}");
}

#[test]
fn a_burst_on_a_terminal_shows_a_progress_bar_and_a_pipe_does_not() {
    let server = TestServer::ok();
    let args = format!(
        "'{}' send --count 20 --rate 20 --url '{}' --secret '{SECRET}'",
        env!("CARGO_BIN_EXE_hookctl"),
        server.url
    );
    // `script` runs the command on a pseudo-terminal and copies what it shows.
    let out = std::process::Command::new("script")
        .args(["-qfec", &args, "/dev/null"])
        .env("NO_COLOR", "1")
        .env_remove("HOOKCTL_SECRET")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("util-linux `script` runs the command on a terminal");
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{shown}");
    assert!(
        shown.contains("/20 "),
        "no `n/20` progress on the terminal: {shown:?}"
    );
    assert!(
        shown.contains("\x1b[2K"),
        "the bar is redrawn in place and cleared: {shown:?}"
    );
    assert!(shown.contains("Sent 20 events to"), "{shown:?}");
    assert_eq!(server.received().len(), 20);

    let piped = hookctl()
        .args([
            "send",
            "--count",
            "20",
            "--url",
            &server.url,
            "--secret",
            SECRET,
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&piped.stderr);
    assert!(piped.status.success(), "{err}");
    assert!(
        !err.contains("/20") && !err.contains('\x1b'),
        "a bar drawn into a pipe: {err:?}"
    );
}

#[test]
fn ctrl_c_stops_a_rate_limited_burst_and_still_prints_the_summary() {
    let server = TestServer::ok();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_hookctl"))
        .args([
            "send",
            "--count",
            "100000",
            "--rate",
            "50",
            "--json",
            "--url",
            &server.url,
            "--secret",
            SECRET,
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    interrupt(child.id());
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "an interrupted burst did not deliver everything"
    );
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["interrupted"], true);
    let sent = summary["sent"].as_u64().unwrap();
    assert!(
        (20..=120).contains(&sent),
        "--rate 50 for ~1.5 s sent {sent}"
    );
    // A request in flight when the signal lands reached the server but is not counted as sent.
    let got = server.received().len() as u64;
    assert!(
        (sent..=sent + 8).contains(&got),
        "server saw {got}, summary says {sent}"
    );
}

#[test]
fn dry_run_cannot_be_combined_with_a_burst_and_rate_needs_count() {
    let url = "http://127.0.0.1:9/";
    hookctl()
        .args(["send", "--url", url, "--count", "5", "--dry-run"])
        .assert()
        .code(2)
        .stderr(contains("cannot be used with"));
    hookctl()
        .args(["send", "--url", url, "--rate", "5"])
        .assert()
        .code(2)
        .stderr(contains("--count"));
    hookctl()
        .args(["send", "--url", url, "--count", "5", "--rate", "inf"])
        .assert()
        .code(2)
        .stderr(contains("is not a rate"));
}

#[test]
fn an_https_url_to_a_plain_http_server_says_so() {
    let server = TestServer::ok();
    let url = server.url.replace("http://", "https://");
    let out = send_to(&url).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("the server answered in plain HTTP, not TLS")
            && stdout.contains("use an http:// URL")
            && !stdout.contains("--insecure"),
        "{stdout}"
    );
    let json = stdout_with_code(send_to(&url).arg("--json"), 1);
    let delivery: Value = serde_json::from_str(json.lines().next().unwrap()).unwrap();
    assert_eq!(delivery["error_kind"], "tls", "{json}");
}

#[test]
fn self_signed_https_fails_with_advice_and_insecure_accepts_it() {
    let server = TestServer::start_tls(|_, _| Reply::ok());
    assert!(server.url.starts_with("https://127.0.0.1:"));
    send_to(&server.url)
        .assert()
        .code(1)
        .stdout(contains("TLS").and(contains("--insecure")));
    assert!(
        server.received().is_empty(),
        "nothing got past the handshake"
    );
    send_to(&server.url)
        .arg("--insecure")
        .assert()
        .success()
        .stdout(contains("✓ 200 OK"));
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert!(received[0].header("x-ekdsend-signature").is_some());
}

#[test]
fn a_burst_reaches_https_with_insecure_and_reports_tls_failures_without() {
    let server = TestServer::start_tls(|_, _| Reply::ok());
    let summary = |extra: &[&str], code: i32| -> Value {
        let out = stdout_with_code(
            send_to(&server.url)
                .args(["sms.sent", "--count", "5", "--concurrency", "2", "--json"])
                .args(extra),
            code,
        );
        serde_json::from_str(&out).unwrap()
    };
    let refused = summary(&[], 1);
    assert_eq!(refused["errors"]["tls"], 5, "{refused}");
    assert!(server.received().is_empty());
    let sent = summary(&["--insecure"], 0);
    assert_eq!(sent["ok"], 5, "{sent}");
    assert_eq!(
        ids(&server.received()).len(),
        5,
        "each event of the burst has its own id"
    );
}

#[test]
fn verbose_output_redacts_a_secret_passed_in_a_header() {
    let server = TestServer::ok();
    let out = stdout_of(
        send_to(&server.url)
            .arg("-v")
            .args(["-H", &format!("Authorization: Bearer {SECRET}")]),
    );
    assert!(!out.contains(SECRET), "{out}");
    // A credential header is hidden whole: even its scheme word says nothing worth showing.
    assert!(out.contains("authorization: <redacted>"), "{out}");
    let sent = server.received();
    assert_eq!(
        sent[0].header("authorization"),
        Some(format!("Bearer {SECRET}").as_str()),
        "only the display is redacted"
    );
}

#[test]
fn plain_http_warns_only_off_this_machine() {
    let warning = "plain HTTP: providers require HTTPS";
    for url in [
        "http://127.0.0.1:9/hook",
        "http://[::1]:9/hook",
        "http://[::ffff:127.0.0.1]:9/hook",
        "http://localhost:9/hook",
    ] {
        hookctl()
            .args(["send", "--dry-run", "--secret", SECRET, "--url", url])
            .assert()
            .success()
            .stderr(contains(warning).not());
    }
    // --dry-run sends nothing, so a documentation address is safe here.
    hookctl()
        .args(["send", "--dry-run", "--secret", SECRET])
        .args(["--url", "http://192.0.2.10/hook"])
        .assert()
        .success()
        .stderr(contains(warning));
}
