use std::collections::HashSet;
use std::sync::Mutex;
use std::time::Duration;

use hookctl::signature::{Scheme, Verdict};
use serde_json::Value;

use super::listening::{Listening, lines};
use super::server::{Received, Reply, TestServer};
use super::{assert_contains, check_card, hookctl, stdout_with_code};

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
    check_card(url, &[&["--secret", SECRET], extra].concat())
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
    let mut expected = ["pass"; 16];
    // Stripe's libraries take a timestamp ahead of the clock: check 11 does not apply.
    expected[10] = "skip";
    // Nothing is refused, so nothing needs a retry; stripe neither batches nor signs the URL.
    expected[13..].fill("skip");
    assert_eq!(marks_of(&marks), expected);
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
    // Any age at all: a timestamp ahead of the clock (check 11) passes too.
    assert_eq!(failed(&marks), [5, 11]);
    assert_eq!(code, 1);
}

#[test]
fn a_5xx_to_a_refused_request_is_named_by_what_was_wrong() {
    let server = TestServer::start(|_, r| match verifies(Scheme::Standard, r, Some(300)) {
        true => Reply::ok(),
        false => Reply::status(500),
    });
    let (code, card) = card(&server.url, &["--scheme", "standard", "--only", "2,3,5,11"]);
    assert_eq!(code, 1);
    let fixes: Vec<&str> = card["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["fix"].as_str().unwrap_or_default())
        .collect();
    let retried = ": a 5xx makes the provider retry it";
    assert_eq!(
        fixes,
        [
            format!("reject a wrong signature with 401 or 403{retried}"),
            format!("reject a body that does not match its signature with 401 or 403{retried}"),
            format!("reject a stale timestamp with 401 or 403{retried}"),
            format!("reject a timestamp ahead of the clock with 401 or 403{retried}"),
        ],
        "{card}"
    );
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
    assert_eq!(marks.len(), 14, "--skip leaves checks 7 and 8 out");
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
            "fail", "skip", "skip", "skip", "skip", "skip", "skip", "pass", "skip", "skip", "skip",
            "skip", "skip", "skip", "skip", "skip"
        ],
        "every check that needs the endpoint is skipped; the URL check still runs: {card}"
    );
    assert_eq!(card["passed"], false);
    assert!(
        card["checks"][0]["got"]
            .as_str()
            .unwrap()
            .starts_with(&format!("no answer: connection refused (port {port})")),
        "{card}"
    );
    assert_eq!(
        card["checks"][0]["fix"],
        format!("nothing listens on port {port}: start the server, or correct the URL's port")
    );
    assert_eq!(
        card["checks"][1]["got"], "skipped: check 1 could not connect (connection refused)",
        "the skip says why: {card}"
    );
}

#[test]
fn a_timeout_in_check_1_is_the_reason_the_rest_is_skipped() {
    let server = TestServer::slow(Duration::from_secs(2));
    let args = ["--timeout", "300ms", "--only", "1,2,8"];
    let (code, card) = card(&server.url, &args);
    assert_eq!(code, 1);
    assert_eq!(
        marks_of(&marks_on(&card)),
        ["fail", "skip", "pass"],
        "{card}"
    );
    assert_eq!(card["checks"][0]["status"], Value::Null, "{card}");
    assert!(card["checks"][0]["latency_ms"].as_f64().unwrap() >= 300.0);
    assert_eq!(
        card["checks"][1]["got"], "skipped: check 1 timed out after 300 ms",
        "{card}"
    );
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
            // The lifecycle checks (13-16) send other types than the one asked.
            &[
                &["--event", "sms.sent", "--strict", "--skip", "13,14,15,16"],
                extra,
            ]
            .concat(),
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
            "pass", "pass", "pass", "pass", "skip", "pass", "pass", "pass", "pass", "pass", "skip",
            "skip"
        ],
        "{renamed}"
    );
    assert_eq!((code, &renamed["passed"]), (0, &Value::Bool(true)));
    l.interrupt();
    let (_, out, _) = l.finish();
    let got = lines(&out);
    assert_eq!(
        got.len(),
        2 * 14,
        "checks 1-7 make 11 deliveries a run, 9 and 10 three more: {out}"
    );
    let renamed_run = &got[14..];
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
        9,
        "checks 1, 6 (twice), 7 (five times) and 10: {out}"
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
    let got = refused["checks"][0]["got"].as_str().unwrap();
    assert!(got.contains("TLS handshake failed"), "{refused}");
    assert_eq!(
        refused["checks"][1]["got"], "skipped: check 1's TLS handshake failed",
        "{refused}"
    );
    let text = stdout_with_code(
        hookctl().args([
            "check",
            "--url",
            &server.url,
            "--secret",
            SECRET,
            "--only",
            "1",
        ]),
        1,
    );
    assert!(
        text.contains("fix: the endpoint's certificate is not trusted")
            && text
                .contains("hint: for a self-signed certificate on a test server, pass --insecure"),
        "{text}"
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
    refused_before_sending(
        &[
            "--secret", SECRET, "--scheme", "keplars", "--event", "sms.sent",
        ],
        &["Keplars sends email events only"],
    );
}

#[test]
fn twilio_signing_of_json_bodies_is_refused_before_sending_not_a_panic() {
    // Twilio signs a JSON body through a bodySHA256 in the URL: no one URL fits every check.
    refused_before_sending(
        &["--secret", SECRET, "--scheme", "twilio"],
        &[
            "the twilio scheme signs a JSON body through a bodySHA256 in the URL",
            "--provider twilio",
        ],
    );
}

#[test]
fn demo_refuses_twilio_signing_of_json_events_before_it_starts() {
    // Not failing half-way through: nothing is printed but the error.
    hookctl()
        .args(["demo", "--scheme", "twilio"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::contains("--provider twilio"));
    let out = hookctl()
        .args(["demo", "--provider", "twilio"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
}

#[test]
fn the_json_card_carries_each_checks_status_and_latency() {
    let server = verifying(Scheme::Stripe);
    let (code, card) = card(&server.url, &["--scheme", "stripe"]);
    assert_eq!(code, 0, "{card}");
    let checks = card["checks"].as_array().unwrap();
    let statuses: Vec<Value> = checks.iter().map(|c| c["status"].clone()).collect();
    assert_eq!(
        statuses,
        [200, 401, 401, 401, 401, 200, 200]
            .map(Value::from)
            .into_iter()
            .chain([Value::Null])
            .chain([401, 200].map(Value::from))
            .chain([Value::Null, Value::from(200)])
            .chain([Value::from(200), Value::Null, Value::Null, Value::Null])
            .collect::<Vec<_>>(),
        "the status each verdict rests on; check 8 sends nothing, stripe skips 11: {card}"
    );
    for c in &checks[..7] {
        let ms = c["latency_ms"].as_f64().unwrap();
        assert!(ms > 0.0 && ms < 5_000.0, "{c}");
        assert_eq!(c["answer"], Value::Null, "a pass shows no answer: {c}");
    }
    assert_eq!(checks[7]["latency_ms"], Value::Null);
}

/// What a crashing Node handler answers: a stack trace, with colour codes and the secret in it.
fn stack_trace() -> String {
    format!(
        "TypeError [ERR_INVALID_ARG_TYPE]: The first argument must be of type string. Received undefined\n    \
         at \u{1b}[31mBuffer.from\u{1b}[0m (node:buffer:324:9)\n    at verify (secret {SECRET}) (/app/server.js:14:22)\n{}",
        "    at Layer.handle (/app/node_modules/express/lib/router/layer.js:95:5)\n".repeat(5)
    )
}

#[test]
fn a_failed_check_shows_the_start_of_the_answer_safely() {
    let server = TestServer::start(|_, r| match r.header("x-ekdsend-signature") {
        None => Reply {
            body: stack_trace(),
            ..Reply::status(500)
        },
        Some(_) if verifies(Scheme::Ekdsend, r, Some(300)) => Reply::ok(),
        Some(_) => Reply::status(401),
    });
    let text = stdout_with_code(
        hookctl().args([
            "check",
            "--url",
            &server.url,
            "--secret",
            SECRET,
            "--only",
            "1,4",
        ]),
        1,
    );
    let answer = text
        .lines()
        .find(|l| l.trim_start().starts_with("answer:"))
        .unwrap_or_else(|| panic!("no answer line: {text}"));
    assert!(
        answer.starts_with(
            "       answer: TypeError [ERR_INVALID_ARG_TYPE]: The first argument must be of type string. Received undefined\\n    at \\u{1b}[31mBuffer.from"
        ),
        "escaped, on one line: {answer}"
    );
    assert!(answer.contains("secret <redacted>"), "{answer}");
    assert!(
        !text.contains(SECRET) && !text.contains("check-test-secret"),
        "{text}"
    );
    assert!(
        answer.ends_with('…') && answer.len() < 260,
        "cut short: {answer}"
    );
    assert_eq!(
        text.matches("answer:").count(),
        1,
        "a pass shows none: {text}"
    );
    let lines: Vec<&str> = text.lines().collect();
    let at = lines.iter().position(|l| *l == answer).unwrap();
    assert!(lines[at - 1].contains("sent the event without X-EKDSend-Signature · got 500"));
    assert!(lines[at + 1].contains("fix: reject requests that carry no X-EKDSend-Signature with 401, checking for it before using it"));

    let (_, card) = card(&server.url, &["--only", "4"]);
    let json_answer = card["checks"][0]["answer"].as_str().unwrap();
    assert!(
        json_answer.starts_with("TypeError [ERR_INVALID_ARG_TYPE]") && json_answer.contains("\n"),
        "the JSON string keeps the text: {card}"
    );
    assert!(!json_answer.contains(SECRET), "{card}");
    assert_eq!(card["checks"][0]["status"], 500);
}

/// The last check number, as `check --help` lists them.
fn last_check_number() -> u8 {
    let help = super::stdout_of(hookctl().args(["check", "--help"]));
    let list = help.split("Checks (").nth(1).unwrap();
    let list = list.split("\n\n").next().unwrap();
    list.lines()
        .skip(1)
        .map(|l| l.split_whitespace().next().unwrap().parse::<u8>().unwrap())
        .enumerate()
        .map(|(i, n)| {
            assert_eq!(usize::from(n), i + 1, "numbered in order: {list}");
            n
        })
        .last()
        .unwrap()
}

#[test]
fn only_and_skip_take_every_listed_check_number_and_no_other() {
    let last = last_check_number();
    assert!(last >= 8);
    let server = verifying(Scheme::Ekdsend);
    let (_, card) = card(&server.url, &["--only", &last.to_string()]);
    assert_eq!(marks_on(&card).len(), 1, "{card}");
    assert_eq!(card["checks"][0]["number"], last, "{card}");
    for flag in ["--only", "--skip"] {
        let beyond = (last + 1).to_string();
        hookctl()
            .args([
                "check",
                "--url",
                &server.url,
                "--secret",
                SECRET,
                flag,
                &beyond,
            ])
            .assert()
            .code(2)
            .stderr(predicates::str::contains(format!("1..={last}")));
    }
}

#[test]
fn each_check_is_printed_as_soon_as_it_finishes() {
    use std::io::{BufRead, BufReader};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    // Everything after check 1's request waits until the test has read check 1's lines.
    let read = Arc::new(AtomicBool::new(false));
    let released = read.clone();
    let server = TestServer::start(move |n, _| {
        let waited = std::time::Instant::now();
        while n > 0 && !released.load(Ordering::SeqCst) && waited.elapsed().as_secs() < 10 {
            std::thread::sleep(Duration::from_millis(5));
        }
        Reply::ok()
    });
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_hookctl"))
        .args([
            "check",
            "--url",
            &server.url,
            "--secret",
            SECRET,
            "--only",
            "1,2,6",
        ])
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let heading = lines.next().unwrap().unwrap();
    assert!(heading.starts_with("Checking "), "{heading}");
    let first = lines.next().unwrap().unwrap();
    assert!(first.contains("✓ 1  a signed event"), "{first}");
    let seen = server.received().len();
    read.store(true, Ordering::SeqCst);
    let rest: Vec<String> = lines.map(Result::unwrap).collect();
    child.wait().unwrap();
    assert!(
        seen <= 2 && server.received().len() == 4,
        "check 1 was printed while check 2 still waited for its answer ({seen} of 4 requests): {rest:?}"
    );
    assert!(
        rest.iter().any(|l| l.contains("✗ 2  a wrong signature")),
        "{rest:?}"
    );
    assert!(
        rest.last()
            .unwrap()
            .starts_with("2 checks passed · 1 failed"),
        "the tally comes last: {rest:?}"
    );
}

/// The JUnit report at `path` as a real XML parser reads it: the suite's attributes, then per
/// test case its name, time, and the tag, message and text of its failure or skipped element.
fn junit_as_python_reads_it(path: &std::path::Path) -> Value {
    const READ: &str = r#"
import json, sys, xml.etree.ElementTree as ET
suite = ET.parse(sys.argv[1]).getroot()
cases = []
for case in suite.findall("testcase"):
    inner = [{"tag": e.tag, "message": e.get("message"), "text": e.text} for e in case]
    cases.append({"name": case.get("name"), "time": float(case.get("time")), "inner": inner})
print(json.dumps({"tag": suite.tag, "attrib": suite.attrib, "cases": cases}))
"#;
    let out = std::process::Command::new("python3")
        .args(["-c", READ])
        .arg(path)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn junit_writes_a_report_a_real_xml_parser_reads() {
    let server = TestServer::start(|_, r| match r.header("x-ekdsend-signature") {
        None => Reply {
            body: format!("<b>crash</b> & \"{SECRET}\" ]]> \u{1}"),
            ..Reply::status(500)
        },
        Some(_) if verifies(Scheme::Ekdsend, r, Some(300)) => Reply::ok(),
        Some(_) => Reply::status(401),
    });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("check.xml");
    let text = stdout_with_code(
        hookctl()
            .args(["check", "--url", &server.url, "--secret", SECRET])
            .args(["--only", "1,2,4,5,8", "--junit"])
            .arg(&path),
        1,
    );
    assert!(
        text.contains("✗ 4  "),
        "the card is printed as usual: {text}"
    );
    let xml = std::fs::read_to_string(&path).unwrap();
    assert!(!xml.contains(SECRET), "{xml}");
    let report = junit_as_python_reads_it(&path);
    assert_eq!(report["tag"], "testsuite");
    let suite = &report["attrib"];
    assert_eq!(
        (
            &suite["name"],
            &suite["tests"],
            &suite["failures"],
            &suite["skipped"]
        ),
        (
            &"hookctl-check".into(),
            &"5".into(),
            &"1".into(),
            &"1".into()
        ),
        "{report}"
    );
    assert!(suite["time"].as_str().unwrap().parse::<f64>().unwrap() > 0.0);
    let cases = report["cases"].as_array().unwrap();
    let names: Vec<&str> = cases.iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "1 a signed event is answered 2xx within the budget",
            "2 a wrong signature is rejected",
            "4 a missing signature is rejected",
            "5 a stale timestamp is rejected",
            "8 the URL uses HTTPS (or is on this machine)",
        ]
    );
    assert_eq!(cases[0]["inner"], serde_json::json!([]), "a pass is empty");
    let failure = &cases[2]["inner"][0];
    assert_eq!(failure["tag"], "failure");
    assert_eq!(
        failure["message"],
        "reject requests that carry no X-EKDSend-Signature with 401, checking for it before using it: a 5xx (often a crash on the missing value) makes the provider retry"
    );
    let body = failure["text"].as_str().unwrap();
    assert!(
        body.contains("got 500 Internal Server Error in ")
            && body.contains("answer: <b>crash</b> & \"<redacted>\" ]]> \\u{1}")
            && body.contains("fix: reject requests that carry no X-EKDSend-Signature"),
        "{body}"
    );
    let skipped = &cases[3]["inner"][0];
    assert_eq!(skipped["tag"], "skipped");
    assert_eq!(
        skipped["message"],
        "skipped: the ekdsend scheme signs no timestamp"
    );
}

#[test]
fn a_selection_that_leaves_no_check_is_refused_before_sending() {
    let all: Vec<String> = (1..=16).map(|n| n.to_string()).collect();
    for (selection, error) in [
        (
            vec!["--only", "1,2", "--skip", "2,1"],
            "--skip takes out every check --only picks, so there is nothing to check",
        ),
        (
            vec!["--skip", &all.join(",")],
            "--skip leaves no check to run",
        ),
    ] {
        let args = [&["--secret", SECRET][..], &selection].concat();
        refused_before_sending(&args, &[error]);
    }
}

#[test]
fn basic_auth_asked_of_a_provider_that_signs_names_the_scheme() {
    refused_before_sending(
        &["--scheme", "basic"],
        &["basic auth authenticates with the user name and password of the webhook URL"],
    );
}

#[test]
fn a_junit_path_that_cannot_be_written_is_refused_before_sending() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("missing/check.xml");
    let report = report.to_str().unwrap();
    refused_before_sending(
        &["--secret", SECRET, "--junit", report],
        &["cannot write the JUnit report to"],
    );
}

/// Runs check with `args` against a server of its own: exit 2, nothing on stdout, each of
/// `errors` on stderr, and nothing sent.
fn refused_before_sending(args: &[&str], errors: &[&str]) {
    let server = TestServer::ok();
    let out = hookctl()
        .args(["check", "--url", &server.url])
        .args(args)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
    assert_contains(&String::from_utf8_lossy(&out.stderr), errors);
    assert!(server.received().is_empty(), "nothing is sent");
}

#[test]
fn an_https_url_to_a_plain_http_server_is_told_apart() {
    let server = TestServer::ok();
    let url = server.url.replace("http://", "https://");
    let (code, card) = card(&url, &["--only", "1,2"]);
    assert_eq!(code, 1);
    let fix = card["checks"][0]["fix"].as_str().unwrap();
    assert!(
        fix.contains("most likely it serves plain HTTP on this port: use an http:// URL"),
        "{card}"
    );
    assert_eq!(
        card["checks"][1]["got"], "skipped: check 1's TLS handshake failed",
        "{card}"
    );
}

#[test]
fn a_server_that_hangs_up_is_told_apart() {
    // Accepts each connection and closes it at once, as a crashing process would.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            drop(stream);
        }
    });
    let (code, card) = card(&format!("http://127.0.0.1:{port}/"), &["--only", "1,2"]);
    assert_eq!(code, 1);
    assert!(
        card["checks"][0]["fix"]
            .as_str()
            .unwrap()
            .starts_with("the connection closed before an answer"),
        "{card}"
    );
    assert_eq!(
        card["checks"][1]["got"], "skipped: check 1's connection closed before an answer",
        "{card}"
    );
}
