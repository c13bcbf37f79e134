//! Postmark: nothing signed; the webhook URL's user name and password travel as HTTP basic auth.
//! `send` sends the URL's credentials, `listen --basic-auth` and `verify --basic-auth` check
//! them, `check` tests that an endpoint refuses missing and wrong ones.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::listening::{Listening, lines, post};
use super::server::TestServer;
use super::{assert_contains, hookctl, stdout_of, stdout_with_code, temp_file};

const USER: &str = "postmark";
const PASSWORD: &str = "hunter2-Zq8vX";

/// `http://USER:PASSWORD@HOST:PORT/…` of a listener's URL.
fn with_credentials(url: &str, user: &str, password: &str) -> String {
    url.replacen("http://", &format!("http://{user}:{password}@"), 1)
}

fn basic(user: &str, password: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{user}:{password}")))
}

#[test]
fn the_listener_checks_the_credentials_send_takes_from_the_url() {
    let auth = format!("{USER}:{PASSWORD}");
    let listening = Listening::start(&[
        "--provider",
        "postmark",
        "--basic-auth",
        &auth,
        "--json",
        "--max-events",
        "3",
    ]);
    hookctl()
        .args(["send", "Bounce", "--provider", "postmark"])
        .args(["--url", &with_credentials(&listening.url, USER, PASSWORD)])
        .assert()
        .success();
    let body = br#"{"RecordType":"Delivery","MessageID":"883953f4-6105-42a2-a16a-77a8eac79483"}"#;
    post(&listening.url, &[], body);
    let wrong = vec![("Authorization".to_string(), basic(USER, "guess"))];
    post(&listening.url, &wrong, body);
    let (code, stdout, stderr) = listening.finish();
    assert_eq!(code, 1, "invalid deliveries were seen: {stderr}");
    assert!(
        stderr.contains("checking HTTP basic auth credentials in Authorization"),
        "{stderr}"
    );
    let records = lines(&stdout);
    assert_eq!(records.len(), 3, "{stdout}");
    assert_eq!(records[0]["type"], "Bounce");
    assert_eq!(records[0]["signature"]["status"], "valid", "{}", records[0]);
    assert!(
        records[0]["signature"]["note"]
            .as_str()
            .unwrap()
            .contains("the body is not signed")
    );
    assert_eq!(records[1]["signature"]["status"], "invalid");
    assert!(
        records[1]["signature"]["reason"]
            .as_str()
            .unwrap()
            .starts_with("no credentials")
    );
    assert_eq!(
        records[2]["signature"]["reason"],
        "the password does not match"
    );
    for text in [&stdout, &stderr] {
        assert!(
            !text.contains(PASSWORD),
            "the password is never shown: {text}"
        );
        assert!(
            !text.contains(&STANDARD.encode(&auth)),
            "nor its base64: {text}"
        );
    }
}

#[test]
fn reject_invalid_answers_401_to_missing_and_wrong_credentials() {
    let auth = format!("{USER}:{PASSWORD}");
    let listening = Listening::start(&[
        "--provider",
        "postmark",
        "--basic-auth",
        &auth,
        "--reject-invalid",
        "-v",
        "--max-events",
        "3",
    ]);
    let body = br#"{"RecordType":"Open"}"#;
    let right = vec![("Authorization".to_string(), basic(USER, PASSWORD))];
    let wrong = vec![("Authorization".to_string(), basic("mallory", PASSWORD))];
    assert_eq!(post(&listening.url, &right, body).status, 200);
    assert_eq!(post(&listening.url, &[], body).status, 401);
    assert_eq!(post(&listening.url, &wrong, body).status, 401);
    let (_, stdout, _) = listening.finish();
    assert_contains(
        &stdout,
        &[
            "✓ valid",
            "invalid: no credentials: the request has no Authorization header",
            "invalid: the user name does not match",
            "authorization: <redacted>",
        ],
    );
    assert!(!stdout.contains(PASSWORD), "{stdout}");
}

#[test]
fn verify_checks_an_authorization_header_against_the_credentials() {
    let (_dir, payload) = temp_file("body.json", br#"{"RecordType":"Delivery"}"#);
    let auth = format!("{USER}:{PASSWORD}");
    let run = |header: String, code| {
        stdout_with_code(
            hookctl()
                .args(["verify", "--provider", "postmark", "--basic-auth", &auth])
                .args([
                    "--payload",
                    payload,
                    "-H",
                    &format!("Authorization: {header}"),
                ]),
            code,
        )
    };
    let out = run(basic(USER, PASSWORD), 0);
    assert_contains(
        &out,
        &[
            "valid (basic, Authorization)",
            "note: basic auth proves who sent it, not what",
        ],
    );
    let out = run(basic(USER, "guess"), 1);
    assert_contains(&out, &["invalid: the password does not match"]);
    assert!(!out.contains(PASSWORD));

    let out = hookctl()
        .args(["verify", "--provider", "postmark", "--payload", payload])
        .args(["-H", &format!("Authorization: {}", basic(USER, PASSWORD))])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("pass --basic-auth USER:PASSWORD"), "{err}");
}

#[test]
fn check_fails_an_endpoint_that_takes_any_credentials_and_passes_one_that_checks() {
    let lenient = TestServer::ok();
    let out = stdout_with_code(
        hookctl()
            .args(["check", "--provider", "postmark"])
            .args(["--url", &with_credentials(&lenient.url, USER, PASSWORD)]),
        1,
    );
    assert_contains(
        &out,
        &[
            "✗ 2  wrong credentials are rejected",
            "✗ 4  missing credentials are rejected",
            "- 3  a tampered body is rejected",
        ],
    );
    assert!(!out.contains(PASSWORD), "{out}");
    let sent = lenient.received();
    let expected = basic(USER, PASSWORD);
    assert_eq!(sent[0].header("authorization"), Some(expected.as_str()));
    assert!(sent.iter().any(|r| r.header("authorization").is_none()));

    let auth = format!("{USER}:{PASSWORD}");
    let strict = Listening::start(&[
        "--provider",
        "postmark",
        "--basic-auth",
        &auth,
        "--reject-invalid",
    ]);
    let out = stdout_of(
        hookctl()
            .args(["check", "--provider", "postmark"])
            .args(["--url", &with_credentials(&strict.url, USER, PASSWORD)]),
    );
    assert_contains(
        &out,
        &[
            "✓ 1  an event with the right credentials is answered 2xx within the budget",
            "✓ 2  wrong credentials are rejected",
            "✓ 4  missing credentials are rejected",
        ],
    );
    strict.interrupt();
    strict.finish();
}

#[test]
fn misused_keys_and_missing_credentials_are_one_clear_line() {
    let out = hookctl()
        .args(["sign", "--provider", "postmark"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("Postmark signs nothing"), "{err}");

    let out = hookctl()
        .args([
            "check",
            "--provider",
            "postmark",
            "--url",
            "http://127.0.0.1:9/hook",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("this URL has none"));

    let out = hookctl()
        .args([
            "listen",
            "--provider",
            "postmark",
            "--secret",
            "s3cr3t",
            "--port",
            "0",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--basic-auth USER:PASSWORD"));

    let server = TestServer::ok();
    let out = hookctl()
        .args(["send", "--provider", "postmark", "--url", &server.url])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("the URL carries no user:password"), "{err}");
    assert!(!err.contains("no secret given"), "{err}");
}

#[test]
fn demo_runs_a_postmark_receiver_end_to_end() {
    let out = stdout_of(hookctl().args(["demo", "--provider", "postmark"]));
    assert_contains(
        &out,
        &[
            "6 of 6 events verified",
            "8 checks passed",
            "--basic-auth user:pass",
        ],
    );
}

#[test]
fn replay_sends_the_urls_credentials_in_place_of_the_saved_ones() {
    let dir = tempfile::tempdir().unwrap();
    let saving = Listening::saving(dir.path(), &["--max-events", "1"]);
    hookctl()
        .args(["send", "Open", "--provider", "postmark"])
        .args([
            "--url",
            &with_credentials(&saving.url, "old", "old-password"),
        ])
        .assert()
        .success();
    saving.finish();

    let server = TestServer::ok();
    hookctl()
        .args(["replay", "--provider", "postmark"])
        .arg(dir.path())
        .args(["--url", &with_credentials(&server.url, USER, PASSWORD)])
        .assert()
        .success();
    let received = server.received();
    assert_eq!(received.len(), 1);
    let expected = basic(USER, PASSWORD);
    assert_eq!(received[0].header("authorization"), Some(expected.as_str()));
    assert_eq!(received[0].json()["RecordType"], "Open");
}
