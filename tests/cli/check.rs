use std::collections::HashSet;
use std::sync::Mutex;
use std::time::Duration;

use hookctl::signature::{Scheme, Verdict};
use serde_json::Value;

use super::listening::{Listening, lines};
use super::server::{Received, Reply, TestServer};
use super::{hookctl, stdout_with_code};

const SECRET: &str = "whsec_Y2hlY2stdGVzdC1zZWNyZXQ=";

/// Whether the request verifies under `scheme`, with or without the 5-minute tolerance.
fn verifies(scheme: Scheme, r: &Received, tolerance: Option<u64>) -> bool {
    r.verdict_within(scheme, SECRET, tolerance) == Verdict::Valid
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

/// Runs `check --url URL --secret SECRET --json` plus `extra`; returns (exit code, the card).
fn card(url: &str, extra: &[&str]) -> (i32, Value) {
    let out = hookctl()
        .args(["check", "--url", url, "--secret", SECRET, "--json"])
        .args(extra)
        .output()
        .unwrap();
    let card = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("no card: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap(), card)
}

/// `(number, mark)` of each check on a card.
fn marks_on(card: &Value) -> Vec<(u64, String)> {
    card["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["number"].as_u64().unwrap(),
                c["mark"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Runs check --json under `scheme`; returns (exit code, marks by check number).
fn check(server: &TestServer, scheme: &str, extra: &[&str]) -> (i32, Vec<(u64, String)>) {
    let (code, card) = card(&server.url, &[&["--scheme", scheme], extra].concat());
    (code, marks_on(&card))
}

fn marks_of(marks: &[(u64, String)]) -> Vec<&str> {
    marks.iter().map(|(_, m)| m.as_str()).collect()
}

/// The numbers of the checks that failed.
fn failed(marks: &[(u64, String)]) -> Vec<u64> {
    marks
        .iter()
        .filter(|(_, m)| m == "fail")
        .map(|(n, _)| *n)
        .collect()
}

#[test]
fn a_correct_endpoint_passes_every_check() {
    let server = verifying(Scheme::Stripe);
    let (code, marks) = check(&server, "stripe", &[]);
    assert_eq!(marks_of(&marks), ["pass"; 8]);
    assert_eq!(code, 0);
    let ids: Vec<String> = server.received().iter().map(Received::id).collect();
    assert!(
        ids.len() >= 11,
        "checks 1-7 make at least 11 deliveries: {ids:?}"
    );
    assert!(
        ids.iter().all(|id| id.starts_with("evt_test_")),
        "check events are recognisable: {ids:?}"
    );
}

#[test]
fn an_endpoint_that_accepts_everything_fails_checks_2_to_4() {
    let server = TestServer::ok();
    let text = stdout_with_code(
        hookctl().args(["check", "--url", &server.url, "--secret", SECRET]),
        1,
    );
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
    let server = TestServer::slow(Duration::from_secs(2));
    let args = ["--scheme", "ekdsend", "--timeout", "300ms", "--only", "1"];
    let (code, card) = card(&server.url, &args);
    assert_eq!(marks_on(&card), [(1, "fail".to_string())]);
    assert_eq!(code, 1);
    let fix = card["checks"][0]["fix"].as_str().unwrap();
    assert!(
        fix.starts_with("answer within 300 ms:"),
        "the fix names the budget in force: {fix}"
    );
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
    assert_eq!(failed(&marks), [5]);
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
    let (code, card) = card(&server.url, &["--scheme", "ekdsend", "--skip", "7,8"]);
    let marks = marks_on(&card);
    assert_eq!(failed(&marks), [6]);
    assert_eq!(marks.len(), 6, "--skip leaves checks 7 and 8 out");
    assert_eq!(code, 1);
    let got = card["checks"][5]["got"].as_str().unwrap();
    assert!(
        got.starts_with("409 Conflict in ") && got.ends_with(" to the duplicate"),
        "the card says what the duplicate got: {got}"
    );
}

#[test]
fn an_unreachable_endpoint_fails_check_1_and_skips_the_rest() {
    let port = super::server::closed_port();
    let (code, card) = card(&format!("http://127.0.0.1:{port}/"), &[]);
    assert_eq!(code, 1);
    assert_eq!(card["checks"][0]["mark"], "fail");
    assert_eq!(card["checks"][1]["mark"], "skip");
    assert_eq!(
        marks_of(&marks_on(&card)),
        [
            "fail", "skip", "skip", "skip", "skip", "skip", "skip", "pass"
        ],
        "every check that needs the endpoint is skipped; the URL check still runs: {card}"
    );
    assert_eq!(card["passed"], false);
}

#[test]
fn demo_runs_end_to_end_and_verifies_every_event() {
    // Keplars sends email events only: its demo has the 7 of them.
    for (scheme, events) in [("ekdsend", 15), ("standard", 15), ("keplars", 7)] {
        let out = hookctl()
            .args(["demo", "--scheme", scheme])
            .timeout(Duration::from_secs(30))
            .assert()
            .success();
        let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
        assert!(
            text.contains(&format!(
                "✓ {events} of {events} events verified and answered 200"
            )),
            "{text}"
        );
        assert_eq!(text.matches("✓ valid  → 200").count(), events, "{text}");
        assert!(text.contains("0 failed"), "{text}");
        assert!(text.contains("What next"), "{text}");
    }
}

#[test]
fn strict_fails_a_card_with_a_warning() {
    // Check 7 alone: three of its five deliveries take over a second, so the median warns.
    let slow_then_fast = || {
        TestServer::start(|n, _| Reply {
            delay: Duration::from_millis(if n < 3 { 1_050 } else { 0 }),
            ..Reply::ok()
        })
    };
    let (lenient, strict) = std::thread::scope(|scope| {
        let lenient = scope.spawn(|| check(&slow_then_fast(), "ekdsend", &["--only", "7"]));
        let strict =
            scope.spawn(|| check(&slow_then_fast(), "ekdsend", &["--only", "7", "--strict"]));
        (lenient.join().unwrap(), strict.join().unwrap())
    });
    assert_eq!(
        lenient,
        (0, vec![(7, "warn".to_string())]),
        "a warning alone passes"
    );
    assert_eq!(
        strict,
        (1, vec![(7, "warn".to_string())]),
        "--strict: warnings fail too"
    );
}

#[test]
fn a_listener_with_a_renamed_header_passes_a_check_of_another_event_type() {
    let l = Listening::start(&[
        "--secret",
        SECRET,
        "--header",
        "X-Acme-Signature",
        "--reject-invalid",
        "--json",
    ]);
    let card = |extra: &[&str]| {
        card(
            &l.url,
            &[&["--event", "sms.sent", "--strict"], extra].concat(),
        )
    };
    // Checked under the usual header name, the listener rejects even correct signatures.
    let (code, wrong_header) = card(&[]);
    assert_eq!(code, 1, "{wrong_header}");
    assert_eq!(wrong_header["checks"][0]["mark"], "fail", "{wrong_header}");
    let (code, renamed) = card(&["--header", "X-Acme-Signature"]);
    assert_eq!(
        marks_of(&marks_on(&renamed)),
        [
            "pass", "pass", "pass", "pass", "skip", "pass", "pass", "pass"
        ],
        "{renamed}"
    );
    assert_eq!((code, &renamed["passed"]), (0, &Value::Bool(true)));
    l.interrupt();
    let (_, out, _) = l.finish();
    let got = lines(&out);
    assert_eq!(
        got.len(),
        2 * 11,
        "checks 1-7 make 11 deliveries a run: {out}"
    );
    let renamed_run = &got[11..];
    assert!(
        renamed_run.iter().all(|l| l["type"] == "sms.sent"),
        "--event picks the type: {out}"
    );
    let valid: Vec<&Value> = renamed_run
        .iter()
        .filter(|l| l["signature"]["status"] == "valid")
        .collect();
    assert_eq!(
        valid.len(),
        8,
        "checks 1, 6 (twice) and 7 (five times): {out}"
    );
    assert!(
        valid
            .iter()
            .all(|l| l["headers"]["x-acme-signature"].is_string()
                && l["headers"]["x-ekdsend-signature"].is_null()),
        "signed under the renamed header only: {out}"
    );
}

#[test]
fn a_self_signed_https_endpoint_is_checked_with_insecure() {
    let server = TestServer::start_tls(|_, r| {
        if verifies(Scheme::Ekdsend, r, Some(300)) {
            Reply::ok()
        } else {
            Reply::status(401)
        }
    });
    let (code, refused) = card(&server.url, &["--only", "1,2,8"]);
    assert_eq!(code, 1);
    assert_eq!(
        marks_of(&marks_on(&refused)),
        ["fail", "skip", "pass"],
        "{refused}"
    );
    assert!(
        refused["checks"][0]["got"]
            .as_str()
            .unwrap()
            .contains("tls"),
        "{refused}"
    );
    assert!(
        server.received().is_empty(),
        "nothing got past the handshake"
    );
    let (code, checked) = card(&server.url, &["--only", "1,2,8", "--insecure"]);
    assert_eq!(
        (code, marks_of(&marks_on(&checked))),
        (0, vec!["pass", "pass", "pass"]),
        "{checked}"
    );
    assert_eq!(checked["checks"][2]["got"], "HTTPS");
}

#[test]
fn an_event_the_scheme_cannot_carry_is_refused_not_swapped() {
    let server = TestServer::ok();
    hookctl()
        .args(["check", "--url", &server.url, "--secret", SECRET])
        .args(["--scheme", "keplars", "--event", "sms.sent"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("Keplars sends email events only"));
    assert!(server.received().is_empty(), "nothing is sent");
}
