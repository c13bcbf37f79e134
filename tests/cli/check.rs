use std::collections::HashSet;
use std::sync::Mutex;
use std::time::Duration;

use hookctl::signature::{Headers, Policy, Scheme, Secret, Signer, Verdict};
use serde_json::Value;

use super::hookctl;
use super::server::{Received, Reply, TestServer};

const SECRET: &str = "whsec_Y2hlY2stdGVzdC1zZWNyZXQ=";

/// Whether the request verifies under `scheme`, with or without the 5-minute tolerance.
fn verifies(scheme: Scheme, r: &Received, tolerance: Option<u64>) -> bool {
    let signer = Signer::new(scheme, &Secret::new(SECRET).unwrap(), None).unwrap();
    let headers: Headers = r.headers.iter().cloned().collect();
    let policy = Policy {
        now: jiff::Timestamp::now().as_second(),
        tolerance,
    };
    signer.verify(&headers, &r.body, &policy) == Verdict::Valid
}

fn verifying(scheme: Scheme) -> TestServer {
    TestServer::start(move |_, r| {
        if verifies(scheme, r, Some(300)) {
            Reply::ok()
        } else {
            Reply::status(401)
        }
    })
}

/// Runs check --json; returns (exit code, marks by check number).
fn check(server: &TestServer, scheme: &str, extra: &[&str]) -> (i32, Vec<(u64, String)>) {
    let out = hookctl()
        .args([
            "check",
            "--url",
            &server.url,
            "--secret",
            SECRET,
            "--scheme",
            scheme,
            "--json",
        ])
        .args(extra)
        .output()
        .unwrap();
    let card: Value = serde_json::from_slice(&out.stdout).unwrap();
    let marks = card["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["number"].as_u64().unwrap(),
                c["mark"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (out.status.code().unwrap(), marks)
}

fn marks_of(marks: &[(u64, String)]) -> Vec<&str> {
    marks.iter().map(|(_, m)| m.as_str()).collect()
}

#[test]
fn a_correct_endpoint_passes_every_check() {
    let server = verifying(Scheme::Stripe);
    let (code, marks) = check(&server, "stripe", &[]);
    assert_eq!(marks_of(&marks), ["pass"; 8]);
    assert_eq!(code, 0);
    let ids: Vec<String> = server
        .received()
        .iter()
        .map(|r| r.json()["id"].as_str().unwrap().to_string())
        .collect();
    assert!(
        ids.iter().all(|id| id.starts_with("evt_test_")),
        "check events are recognisable: {ids:?}"
    );
}

#[test]
fn an_endpoint_that_accepts_everything_fails_checks_2_to_4() {
    let server = TestServer::ok();
    let out = hookctl()
        .args(["check", "--url", &server.url, "--secret", SECRET])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("✓ 1  a signed event is answered 2xx"),
        "{text}"
    );
    for n in 2..=4 {
        assert!(
            text.contains(&format!("✗ {n}  ")),
            "check {n} should fail:\n{text}"
        );
    }
    assert!(
        text.contains("fix: verify X-EKDSend-Signature before trusting the body"),
        "{text}"
    );
    assert!(
        text.contains("- 5  a stale timestamp is rejected"),
        "ekdsend signs no timestamp: {text}"
    );
}

#[test]
fn a_slow_endpoint_fails_check_1() {
    let server = TestServer::start(|_, _| Reply {
        delay: Duration::from_secs(2),
        ..Reply::ok()
    });
    let (code, marks) = check(&server, "ekdsend", &["--timeout", "300ms", "--only", "1"]);
    assert_eq!(marks, [(1, "fail".to_string())]);
    assert_eq!(code, 1);
}

#[test]
fn an_endpoint_that_accepts_stale_timestamps_fails_check_5() {
    let server = TestServer::start(|_, r| {
        if verifies(Scheme::Standard, r, None) {
            Reply::ok()
        } else {
            Reply::status(401)
        }
    });
    let (code, marks) = check(&server, "standard", &[]);
    let failed: Vec<u64> = marks
        .iter()
        .filter(|(_, m)| m == "fail")
        .map(|(n, _)| *n)
        .collect();
    assert_eq!(failed, [5]);
    assert_eq!(code, 1);
}

#[test]
fn an_endpoint_that_fails_on_duplicates_fails_check_6() {
    let seen = Mutex::new(HashSet::new());
    let server = TestServer::start(move |_, r| {
        if !verifies(Scheme::Ekdsend, r, Some(300)) {
            return Reply::status(401);
        }
        let id = r.json()["id"].as_str().unwrap().to_string();
        if seen.lock().unwrap().insert(id) {
            Reply::ok()
        } else {
            Reply::status(409)
        }
    });
    let (code, marks) = check(&server, "ekdsend", &["--skip", "7,8"]);
    let failed: Vec<u64> = marks
        .iter()
        .filter(|(_, m)| m == "fail")
        .map(|(n, _)| *n)
        .collect();
    assert_eq!(failed, [6]);
    assert_eq!(marks.len(), 6, "--skip leaves checks 7 and 8 out");
    assert_eq!(code, 1);
}

#[test]
fn an_unreachable_endpoint_fails_check_1_and_skips_the_rest() {
    let port = super::server::closed_port();
    let out = hookctl()
        .args([
            "check",
            "--url",
            &format!("http://127.0.0.1:{port}/"),
            "--secret",
            SECRET,
            "--json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let card: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(card["checks"][0]["mark"], "fail");
    assert_eq!(card["checks"][1]["mark"], "skip");
}

#[test]
fn demo_runs_end_to_end_and_verifies_every_event() {
    for scheme in ["ekdsend", "standard"] {
        let out = hookctl()
            .args(["demo", "--scheme", scheme])
            .timeout(Duration::from_secs(30))
            .assert()
            .success();
        let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
        assert!(
            text.contains("✓ 15 of 15 events verified and answered 200"),
            "{text}"
        );
        assert_eq!(text.matches("✓ valid  → 200").count(), 15, "{text}");
        assert!(text.contains("0 failed"), "{text}");
        assert!(text.contains("What next"), "{text}");
    }
}
