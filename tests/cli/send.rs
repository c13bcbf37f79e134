use std::collections::HashSet;
use std::time::Duration;

use hookctl::signature::{Headers, Policy, Scheme, Secret, Signer, Verdict};
use predicates::prelude::*;
use predicates::str::contains;
use serde_json::Value;

use super::server::{Reply, TestServer, closed_port};
use super::{hookctl, stdout_of};

const SECRET: &str = "whsec_c2VuZC10ZXN0LXNlY3JldC1rZXk=";

fn verdict(scheme: Scheme, r: &super::server::Received) -> Verdict {
    let signer = Signer::new(scheme, &Secret::new(SECRET).unwrap(), None).unwrap();
    let headers: Headers = r.headers.iter().cloned().collect();
    let policy = Policy {
        now: jiff::Timestamp::now().as_second(),
        tolerance: Some(300),
    };
    signer.verify(&headers, &r.body, &policy)
}

#[test]
fn the_body_received_is_the_body_signed_for_every_scheme() {
    for (scheme, name) in [
        (Scheme::Ekdsend, "ekdsend"),
        (Scheme::Keplars, "keplars"),
        (Scheme::Github, "github"),
        (Scheme::Standard, "standard"),
        (Scheme::Stripe, "stripe"),
    ] {
        let server = TestServer::ok();
        hookctl()
            .args([
                "send",
                "email.delivered",
                "--url",
                &server.url,
                "--secret",
                SECRET,
                "--scheme",
                name,
            ])
            .assert()
            .success()
            .stdout(contains("✓ 200 OK in"));
        let got = server.received();
        assert_eq!(got.len(), 1);
        assert_eq!(verdict(scheme, &got[0]), Verdict::Valid, "{name}");
        assert_eq!(got[0].json()["type"], "email.delivered");
        assert_eq!(got[0].header("content-type"), Some("application/json"));
        assert!(got[0].header("user-agent").unwrap().starts_with("hookctl/"));
        if scheme == Scheme::Standard {
            assert_eq!(
                got[0].header("webhook-id"),
                got[0].json()["id"].as_str(),
                "webhook-id is the event id"
            );
        }
    }
}

#[test]
fn set_payload_and_extra_headers_reach_the_wire() {
    let server = TestServer::ok();
    hookctl()
        .args([
            "send",
            "email.bounced",
            "--url",
            &server.url,
            "--secret",
            SECRET,
        ])
        .args(["--set", "data.bounce_type=soft", "-H", "X-Test-Run: 42"])
        .assert()
        .success();
    let dir = tempfile::tempdir().unwrap();
    let payload = dir.path().join("p.json");
    std::fs::write(
        &payload,
        b"{ \"id\": \"evt_fixed\",\n  \"type\": \"custom\" }\n",
    )
    .unwrap();
    hookctl()
        .args([
            "send",
            "--url",
            &server.url,
            "--secret",
            SECRET,
            "--payload",
            payload.to_str().unwrap(),
        ])
        .assert()
        .success();
    let got = server.received();
    assert_eq!(got[0].json()["data"]["bounce_type"], "soft");
    assert_eq!(got[0].header("x-test-run"), Some("42"));
    assert_eq!(
        got[1].body,
        std::fs::read(&payload).unwrap(),
        "the payload is sent verbatim"
    );
    assert_eq!(verdict(Scheme::Ekdsend, &got[1]), Verdict::Valid);
}

#[test]
fn several_types_and_all_are_sent_one_after_another() {
    let server = TestServer::ok();
    hookctl()
        .args([
            "send",
            "sms.sent",
            "call.failed",
            "--url",
            &server.url,
            "--secret",
            SECRET,
        ])
        .assert()
        .success();
    hookctl()
        .args([
            "send",
            "--all",
            "--url",
            &server.url,
            "--secret",
            SECRET,
            "--json",
        ])
        .assert()
        .success();
    let types: Vec<String> = server
        .received()
        .iter()
        .map(|r| r.json()["type"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(&types[..2], ["sms.sent", "call.failed"]);
    assert_eq!(types.len(), 2 + 15);
}

#[test]
fn a_slow_endpoint_fails_the_budget_with_advice() {
    let server = TestServer::start(|_, _| Reply {
        delay: Duration::from_secs(3),
        ..Reply::ok()
    });
    hookctl()
        .args([
            "send",
            "--url",
            &server.url,
            "--secret",
            SECRET,
            "--timeout",
            "300ms",
        ])
        .assert()
        .code(1)
        .stdout(contains("✗ took longer than 300 ms").and(contains("answer first, process later")));
}

#[test]
fn retries_until_success_with_the_same_id() {
    let server = TestServer::start(|n, _| {
        if n < 2 {
            Reply::status(500)
        } else {
            Reply::ok()
        }
    });
    hookctl()
        .args([
            "send",
            "--url",
            &server.url,
            "--secret",
            SECRET,
            "--retries",
            "5",
            "--backoff",
            "10ms",
        ])
        .assert()
        .success()
        .stdout(
            contains("attempt 1/6: 500 Internal Server Error")
                .and(contains("✓ 200 OK in"))
                .and(contains("after 3 attempts")),
        );
    let got = server.received();
    assert_eq!(got.len(), 3, "k failures then success is k+1 attempts");
    let ids: HashSet<_> = got.iter().map(|r| r.json()["id"].clone()).collect();
    assert_eq!(ids.len(), 1, "every attempt carries the same event id");
}

#[test]
fn gives_up_after_the_last_retry() {
    let server = TestServer::start(|_, _| Reply::status(502));
    let out = hookctl()
        .args([
            "send",
            "--url",
            &server.url,
            "--secret",
            SECRET,
            "--retries",
            "2",
            "--backoff",
            "5ms",
            "--json",
        ])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let doc: Value = serde_json::from_slice(&out).unwrap();
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
    hookctl()
        .args([
            "send",
            "--url",
            &server.url,
            "--secret",
            SECRET,
            "--retries",
            "3",
            "--backoff",
            "5ms",
        ])
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
    hookctl()
        .args([
            "send",
            "--url",
            &server.url,
            "--secret",
            SECRET,
            "--scheme",
            "stripe",
            "--retries",
            "1",
            "--backoff",
            "1ms",
        ])
        .assert()
        .success()
        .stdout(contains("retrying in 1.0 s (Retry-After)"));
    let got = server.received();
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
    assert_eq!(verdict(Scheme::Stripe, &got[1]), Verdict::Valid);
}

#[test]
fn connection_refused_names_the_port() {
    let port = closed_port();
    hookctl()
        .args([
            "send",
            "--url",
            &format!("http://127.0.0.1:{port}/hook"),
            "--secret",
            SECRET,
        ])
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
    hookctl()
        .args(["send", "--url", &server.url, "--secret", SECRET])
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
    let out = stdout_of(hookctl().args([
        "send",
        "--url",
        &server.url,
        "--secret",
        SECRET,
        "--dry-run",
    ]));
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
    let out = stdout_of(hookctl().args(["send", "--url", &server.url, "--secret", SECRET, "-v"]));
    assert!(
        out.contains("> x-ekdsend-signature: sha256=") && out.contains("< content-length: 500"),
        "{out}"
    );
    assert!(out.contains(&long));
    let short = stdout_of(hookctl().args(["send", "--url", &server.url, "--secret", SECRET]));
    assert!(!short.contains(&long) && short.contains(&"x".repeat(200)));
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
    let out = stdout_of_code(
        hookctl()
            .args([
                "send",
                "email.delivered",
                "sms.sent",
                "--count",
                "300",
                "--concurrency",
                "16",
            ])
            .args(["--url", &server.url, "--secret", SECRET, "--json"]),
        1,
    );
    let summary: Value = serde_json::from_str(&out).unwrap();
    let got = server.received();
    assert_eq!(got.len(), 300);
    let ids: HashSet<_> = got
        .iter()
        .map(|r| r.json()["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 300, "each event has its own id");
    let sms = got
        .iter()
        .filter(|r| r.json()["type"] == "sms.sent")
        .count();
    assert_eq!(sms, 150, "round-robin over the types");
    assert!(
        got.iter()
            .all(|r| verdict(Scheme::Ekdsend, r) == Verdict::Valid)
    );
    assert_eq!(summary["sent"], 300);
    assert_eq!(summary["ok"], 270);
    assert_eq!(summary["statuses"]["200"], 270);
    assert_eq!(summary["statuses"]["500"], 30);
    assert!(summary["latency_ms"]["p50"].as_f64().unwrap() > 0.0);
}

#[test]
fn bulk_text_summary_reports_rate_and_latency() {
    let server = TestServer::ok();
    let out = stdout_of(hookctl().args([
        "send",
        "--count",
        "50",
        "--url",
        &server.url,
        "--secret",
        SECRET,
    ]));
    assert!(
        out.contains("Sent 50 events to")
            && out.contains("requests/s")
            && out.contains("Latency  p50"),
        "{out}"
    );
    assert!(out.contains("Over the 5 s budget: 0"), "{out}");
}

fn stdout_of_code(cmd: &mut assert_cmd::Command, code: i32) -> String {
    String::from_utf8(cmd.assert().code(code).get_output().stdout.clone()).unwrap()
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
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
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
    hookctl()
        .args([
            "send",
            "--url",
            "http://127.0.0.1:9/",
            "--count",
            "5",
            "--dry-run",
        ])
        .assert()
        .code(2)
        .stderr(contains("cannot be used with"));
    hookctl()
        .args(["send", "--url", "http://127.0.0.1:9/", "--rate", "5"])
        .assert()
        .code(2);
    hookctl()
        .args([
            "send",
            "--url",
            "http://127.0.0.1:9/",
            "--count",
            "5",
            "--rate",
            "inf",
        ])
        .assert()
        .code(2);
}

#[test]
fn self_signed_https_fails_with_advice_and_insecure_accepts_it() {
    let server = TestServer::start_tls(|_, _| Reply::ok());
    assert!(server.url.starts_with("https://127.0.0.1:"));
    hookctl()
        .args(["send", "--url", &server.url, "--secret", SECRET])
        .assert()
        .code(1)
        .stdout(contains("TLS").and(contains("--insecure")));
    assert!(
        server.received().is_empty(),
        "nothing got past the handshake"
    );
    hookctl()
        .args([
            "send",
            "--url",
            &server.url,
            "--secret",
            SECRET,
            "--insecure",
        ])
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
    let summary = |extra: &[&str]| -> serde_json::Value {
        let mut cmd = hookctl();
        cmd.args(["send", "sms.sent", "--count", "5", "--concurrency", "2"])
            .args(["--url", &server.url, "--secret", SECRET, "--json"])
            .args(extra);
        serde_json::from_slice(&cmd.assert().get_output().stdout).unwrap()
    };
    let refused = summary(&[]);
    assert_eq!(refused["errors"]["tls"], 5, "{refused}");
    assert!(server.received().is_empty());
    let sent = summary(&["--insecure"]);
    assert_eq!(sent["ok"], 5, "{sent}");
    let ids: std::collections::HashSet<String> = server
        .received()
        .iter()
        .map(|r| r.json()["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 5, "each event of the burst has its own id");
}

#[test]
fn verbose_output_redacts_a_secret_passed_in_a_header() {
    let server = TestServer::ok();
    let out = stdout_of(hookctl().args([
        "send",
        "--url",
        &server.url,
        "--secret",
        SECRET,
        "-v",
        "-H",
        &format!("Authorization: Bearer {SECRET}"),
    ]));
    assert!(!out.contains(SECRET), "{out}");
    assert!(out.contains("authorization: Bearer <redacted>"), "{out}");
    let sent = server.received();
    assert_eq!(
        sent[0].header("authorization"),
        Some(format!("Bearer {SECRET}").as_str()),
        "only the display is redacted"
    );
}
