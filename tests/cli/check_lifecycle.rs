//! `check` 13 to 16 through the binary: a lifecycle out of order, a refused event delivered
//! again, a large SendGrid batch, and the public URL of Twilio and Plivo behind a proxy. Each
//! check meets a server that fails it and one that passes.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hookctl::signature::{Headers, Policy, Request, Scheme, Stamp, Verdict};
use serde_json::{Value, json};

use super::interop::{provider_library, python};
use super::keys::keygen;
use super::listening::signer;
use super::server::{Received, Reply, TestServer};
use super::{assert_contains, check_card, check_result, hookctl};

const SECRET: &str = "whsec_bGlmZWN5Y2xlLWNoZWNrLXNlY3JldA==";
const TOKEN: &str = "twilio-auth-token-0123";
const PUBLIC: &str = "https://hooks.example.com/sms";

/// Runs `check --json` plus `args` against `url`; (exit code, the card).
fn card(url: &str, args: &[&str]) -> (i32, Value) {
    check_card(url, args)
}

fn mark(card: &Value, number: u64) -> &str {
    check_result(card, number)["mark"].as_str().unwrap()
}

fn text(card: &Value, number: u64, field: &str) -> String {
    check_result(card, number)[field]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// An EKDSend event's type, id and message id.
fn ekdsend(r: &Received) -> (String, String, String) {
    let body = r.json();
    let field = |v: &Value| v.as_str().unwrap().to_string();
    (
        field(&body["type"]),
        field(&body["id"]),
        field(&body["data"]["message_id"]),
    )
}

/// How a handler answers an email event of a message it has not seen the first event
/// (`email.sent`) of.
#[derive(Clone, Copy)]
enum Unseen {
    Accept,
    Refuse,
    Hang,
}

/// A handler that verifies EKDSend signatures, then answers events of an unseen message as
/// `unseen` says. `dedupe_early`: it records an event id before processing it, and answers 409
/// to an id it has recorded (the retry of what it refused).
fn lifecycle_server(unseen: Unseen, dedupe_early: bool) -> TestServer {
    let seen_messages = Mutex::new(HashSet::new());
    let seen_events = Mutex::new(HashSet::new());
    TestServer::start(move |_, r| {
        if r.verdict(Scheme::Ekdsend, SECRET) != Verdict::Valid {
            return Reply::status(401);
        }
        let (kind, id, message) = ekdsend(r);
        if dedupe_early && !seen_events.lock().unwrap().insert(id) {
            return Reply::status(409);
        }
        let mut messages = seen_messages.lock().unwrap();
        if kind == "email.sent" || messages.contains(&message) {
            messages.insert(message);
            return Reply::ok();
        }
        match unseen {
            Unseen::Accept => Reply::ok(),
            Unseen::Refuse => Reply {
                body: format!("no message {message} yet: retry later"),
                ..Reply::status(500)
            },
            // Far past the budget: a busy machine cannot make it look answered.
            Unseen::Hang => Reply {
                delay: Duration::from_secs(30),
                ..Reply::ok()
            },
        }
    })
}

fn ekdsend_card(server: &TestServer, only: &str) -> (i32, Value) {
    card(
        &server.url,
        // Room for a loaded machine's loopback answers; a hang still takes only this long.
        &["--secret", SECRET, "--only", only, "--timeout", "3s"],
    )
}

#[test]
fn an_event_before_its_first_that_hangs_fails_check_13() {
    let server = lifecycle_server(Unseen::Hang, false);
    let (code, card) = ekdsend_card(&server, "13");
    assert_eq!(mark(&card, 13), "fail", "{card}");
    assert_eq!(code, 1);
    assert!(
        text(&card, 13, "got").starts_with("no answer within"),
        "{card}"
    );
    assert_contains(
        &text(&card, 13, "fix"),
        &["at least once and in no guaranteed order", "within 3 s"],
    );
}

#[test]
fn an_event_before_its_first_answered_2xx_passes_check_13_and_shares_the_message() {
    let server = lifecycle_server(Unseen::Accept, false);
    let (code, card) = ekdsend_card(&server, "13,14");
    assert_eq!(
        (mark(&card, 13), mark(&card, 14)),
        ("pass", "skip"),
        "{card}"
    );
    assert_eq!(code, 0);
    assert_eq!(
        text(&card, 14, "got"),
        "skipped: the endpoint accepted every event, so nothing needed a retry"
    );
    let got: Vec<_> = server.received().iter().map(ekdsend).collect();
    assert_eq!(got.len(), 2, "{got:?}");
    assert_ne!(
        got[0].0, "email.sent",
        "the later event goes first: {got:?}"
    );
    assert_eq!(got[1].0, "email.sent", "{got:?}");
    assert_eq!(got[0].2, got[1].2, "one message across the lifecycle");
    assert_ne!(got[0].1, got[1].1, "each event has its own id");
}

#[test]
fn a_refused_event_warns_on_13_and_its_retry_answered_2xx_passes_14() {
    let server = lifecycle_server(Unseen::Refuse, false);
    let (code, card) = ekdsend_card(&server, "13,14");
    assert_eq!(
        (mark(&card, 13), mark(&card, 14)),
        ("warn", "pass"),
        "{card}"
    );
    assert_eq!(code, 0, "a warning passes without --strict");
    assert!(
        text(&card, 13, "got").starts_with("500 Internal Server Error"),
        "{card}"
    );
    assert!(
        text(&card, 13, "answer").starts_with("no message msg_"),
        "the warning shows what the endpoint answered: {card}"
    );
    assert_eq!(check_result(&card, 13)["status"], 500);
    let received = server.received();
    let got: Vec<_> = received.iter().map(ekdsend).collect();
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(
        got[2], got[0],
        "the retry is the refused event, its id unchanged"
    );
    assert_eq!(received[2].body, received[0].body);
    assert_eq!(received[2].verdict(Scheme::Ekdsend, SECRET), Verdict::Valid);
}

#[test]
fn a_retry_answered_409_after_an_early_dedupe_fails_14() {
    let server = lifecycle_server(Unseen::Refuse, true);
    let (code, card) = ekdsend_card(&server, "13,14");
    assert_eq!(
        (mark(&card, 13), mark(&card, 14)),
        ("warn", "fail"),
        "{card}"
    );
    assert_eq!(code, 1);
    assert_contains(
        &text(&card, 14, "got"),
        &["500 Internal Server Error", "409 Conflict", "to the retry"],
    );
    assert_contains(
        &text(&card, 14, "fix"),
        &[
            "dedupe on the event id only after processing succeeded",
            "409",
        ],
    );
}

#[test]
fn check_14_alone_delivers_out_of_order_itself() {
    let server = lifecycle_server(Unseen::Refuse, true);
    let (code, card) = ekdsend_card(&server, "14");
    assert_eq!(mark(&card, 14), "fail", "{card}");
    assert_eq!(code, 1);
    let kinds: Vec<_> = server.received().iter().map(|r| ekdsend(r).0).collect();
    assert_eq!(kinds.len(), 3, "later, first, then the retry: {kinds:?}");
    assert_eq!(kinds[1], "email.sent");
    assert_eq!(kinds[0], kinds[2]);
}

/// A SendGrid key pair in `dir`: (the private key file, the public key).
fn sendgrid_key(dir: &tempfile::TempDir) -> (String, String) {
    let (private, public) = keygen(dir, "sendgrid");
    (private.to_str().unwrap().to_string(), public)
}

/// Whether a SendGrid request verifies under `public` (base64 DER), by `hookctl verify`.
fn sendgrid_verifies(public: &str, r: &Received) -> bool {
    let (_dir, payload) = super::temp_file("batch", &r.body);
    let mut cmd = hookctl();
    cmd.args(["verify", "--provider", "sendgrid", "--public-key", public])
        .args(["--payload", payload]);
    for name in [
        "X-Twilio-Email-Event-Webhook-Signature",
        "X-Twilio-Email-Event-Webhook-Timestamp",
    ] {
        cmd.args(["-H", &format!("{name}: {}", r.header(name).unwrap())]);
    }
    cmd.output().unwrap().status.success()
}

#[test]
fn a_large_sendgrid_batch_answered_in_time_passes_15() {
    let dir = tempfile::tempdir().unwrap();
    let (private, public) = sendgrid_key(&dir);
    let server = TestServer::ok();
    let args = [
        "--provider",
        "sendgrid",
        "--private-key",
        &private,
        "--only",
        "15",
    ];
    let (code, card) = card(&server.url, &args);
    assert_eq!(mark(&card, 15), "pass", "{card}");
    assert_eq!(code, 0);
    let received = server.received();
    let batch = received[0].json();
    let events = batch.as_array().unwrap();
    assert_eq!(events.len(), 500);
    let kinds: HashSet<_> = events
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert!(kinds.len() > 5, "mixed types: {kinds:?}");
    let ids: HashSet<_> = events
        .iter()
        .map(|e| e["sg_event_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 500, "every event its own id");
    assert!(
        sendgrid_verifies(&public, &received[0]),
        "the batch is signed"
    );
    assert!(text(&card, 15, "sent").contains("500 events"), "{card}");
}

#[test]
fn a_handler_slow_on_a_large_batch_fails_15() {
    let dir = tempfile::tempdir().unwrap();
    let (private, _) = sendgrid_key(&dir);
    // Fast on one event, 20 ms per event on a batch: 10 s for 500, far past the budget.
    let server = TestServer::start(|_, r| Reply {
        delay: Duration::from_millis(20 * r.json().as_array().map_or(0, Vec::len) as u64),
        ..Reply::ok()
    });
    let args = [
        "--provider",
        "sendgrid",
        "--private-key",
        &private,
        "--only",
        "1,15",
        "--timeout",
        "3s",
    ];
    let (code, card) = card(&server.url, &args);
    assert_eq!(
        (mark(&card, 1), mark(&card, 15)),
        ("pass", "fail"),
        "{card}"
    );
    assert_eq!(code, 1);
    assert_contains(
        &text(&card, 15, "fix"),
        &["answer a whole batch within 3 s", "a queue"],
    );
}

#[test]
fn a_batch_over_expresss_body_limit_fails_15_naming_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let (private, _) = sendgrid_key(&dir);
    // express.json()'s default limit: 100 KB.
    let server = TestServer::start(|_, r| match r.body.len() > 100 * 1024 {
        true => Reply::status(413),
        false => Reply::ok(),
    });
    let args = [
        "--provider",
        "sendgrid",
        "--private-key",
        &private,
        "--only",
        "15",
    ];
    let (_, card) = card(&server.url, &args);
    assert_eq!(mark(&card, 15), "fail", "{card}");
    assert_contains(&text(&card, 15, "fix"), &["768 KB", "100 KB"]);
}

#[test]
fn providers_that_do_not_batch_skip_15_and_unsigned_urls_skip_16() {
    let server = TestServer::ok();
    let (_, card) = card(&server.url, &["--secret", SECRET, "--only", "15,16"]);
    assert_eq!(
        text(&card, 15, "got"),
        "skipped: EKDSend sends one event per request, so there is no batch to grow"
    );
    assert_eq!(mark(&card, 16), "skip");
    assert!(
        text(&card, 16, "got").contains("does not sign the URL"),
        "{card}"
    );
}

#[test]
fn postmarks_skip_of_16_names_the_checks_that_cover_basic_auth() {
    let server = TestServer::ok();
    let url = server.url.replace("http://", "http://hook:pw@");
    let (_, card) = card(&url, &["--provider", "postmark", "--only", "16"]);
    assert_eq!(mark(&card, 16), "skip");
    assert_contains(&text(&card, 16, "got"), &["checks 2 and 4"]);
}

/// What a Twilio handler checks a request's signature against.
#[derive(Clone, Copy)]
enum Against {
    /// The URL the request arrived at (its own address).
    Received,
    /// The public URL, through hookctl's verifier (with and without the default port).
    Public,
    /// The public URL exactly as written: the port variant is refused.
    ExactPublic,
    /// The public URL, through twilio-python's RequestValidator.
    Library,
}

fn url_valid(scheme: Scheme, own: &str, against: Against, r: &Received) -> bool {
    let headers: Headers = r.headers.iter().cloned().collect();
    let url = match against {
        Against::Received => own,
        _ => PUBLIC,
    };
    let signer = signer(scheme, TOKEN);
    match against {
        Against::ExactPublic => {
            let request = Request::post(&headers, &r.body).at(Some(PUBLIC));
            let stamp = Stamp {
                id: String::new(),
                timestamp: 0,
            };
            let signed = signer.sign_request(&request, &stamp).unwrap();
            let mine = &signed
                .headers
                .iter()
                .find(|(n, _)| n == "X-Twilio-Signature")
                .unwrap()
                .1;
            r.header("X-Twilio-Signature") == Some(mine.as_str())
        }
        Against::Library => {
            let input = json!({
                "auth_token": TOKEN,
                "url": PUBLIC,
                "body_b64": STANDARD.encode(&r.body),
                "content_type": r.header("content-type").unwrap_or_default(),
                "signature": r.header("X-Twilio-Signature").unwrap_or_default(),
            });
            let verdict = provider_library("twilio-verify", &input).expect("the venv");
            verdict["valid"] == true
        }
        _ => {
            let request = Request::post(&headers, &r.body).at(Some(url));
            let policy = Policy {
                now: jiff::Timestamp::now().as_second(),
                tolerance: None,
            };
            signer.verify_request(&request, &policy) == Verdict::Valid
        }
    }
}

/// A handler of `scheme` (Twilio, Plivo) that answers 2xx when the signature holds `against`
/// its URL, else 403.
fn url_server(scheme: Scheme, against: Against) -> TestServer {
    let own: Arc<OnceLock<String>> = Arc::default();
    let url = own.clone();
    let server = TestServer::start(move |_, r| {
        match url_valid(scheme, url.get().expect("set before any check"), against, r) {
            true => Reply::ok(),
            false => Reply::status(403),
        }
    });
    own.set(server.url.clone()).unwrap();
    server
}

fn twilio_server(against: Against) -> TestServer {
    url_server(Scheme::Twilio, against)
}

fn url_card(provider: &str, server: &TestServer, extra: &[&str]) -> (i32, Value) {
    let args = [
        &["--provider", provider, "--secret", TOKEN, "--only", "1,16"][..],
        extra,
    ]
    .concat();
    card(&server.url, &args)
}

fn twilio_card(server: &TestServer, extra: &[&str]) -> (i32, Value) {
    url_card("twilio", server, extra)
}

#[test]
fn a_twilio_handler_that_validates_the_url_it_received_fails_16_behind_a_proxy() {
    let server = twilio_server(Against::Received);
    let (code, card) = twilio_card(&server, &["--public-url", PUBLIC]);
    assert_eq!(mark(&card, 16), "fail", "{card}");
    assert_eq!(code, 1);
    assert_contains(
        &text(&card, 16, "fix"),
        &[
            "validate against the URL Twilio was given (https://hooks.example.com/sms)",
            "X-Forwarded-Proto",
        ],
    );
    let first = &server.received()[0];
    assert_eq!(first.header("X-Forwarded-Proto"), Some("https"));
    assert_eq!(first.header("X-Forwarded-Host"), Some("hooks.example.com"));
    // Without a public URL it passes: the endpoint is addressed directly.
    let (code, card) = twilio_card(&server, &[]);
    assert_eq!(
        (mark(&card, 1), mark(&card, 16)),
        ("pass", "skip"),
        "{card}"
    );
    assert_eq!(code, 0);
    assert_eq!(
        text(&card, 16, "got"),
        format!(
            "skipped: no public URL was given, and {} names its port, so the URL signed is the one addressed",
            server.url
        )
    );
}

#[test]
fn the_https_check_judges_the_public_url_the_provider_connects_to() {
    let server = TestServer::ok();
    let args = |public| ["--secret", SECRET, "--only", "8", "--public-url", public];
    let (_, https) = card(&server.url, &args(PUBLIC));
    assert_eq!(mark(&https, 8), "pass", "{https}");
    assert_eq!(text(&https, 8, "sent"), PUBLIC);
    assert_eq!(text(&https, 8, "got"), "HTTPS");
    let (_, http) = card(&server.url, &args("http://hooks.example.com/sms"));
    assert_eq!(mark(&http, 8), "warn", "a plain HTTP tunnel: {http}");
}

#[test]
fn a_public_url_s_password_stays_off_the_card() {
    let server = twilio_server(Against::Received);
    let public = "https://bob:hunter2@hooks.example.com/sms";
    let args = ["--provider", "twilio", "--secret", TOKEN, "--only", "8,16"];
    let (_, card) = card(
        &server.url,
        &[&args[..], &["--public-url", public]].concat(),
    );
    // 16 fails (the handler checks the URL it received), so its fix names the public URL too.
    assert_eq!(
        (mark(&card, 8), mark(&card, 16)),
        ("pass", "fail"),
        "{card}"
    );
    assert_eq!(
        text(&card, 8, "sent"),
        "https://bob:***@hooks.example.com/sms"
    );
    assert_contains(
        &text(&card, 16, "fix"),
        &["(https://bob:***@hooks.example.com/sms)"],
    );
    let shown = hookctl()
        .args(["check", "--url", &server.url, "--public-url", public])
        .args(args)
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&shown.stdout);
    assert_contains(
        &shown,
        &["signed over https://bob:***@hooks.example.com/sms"],
    );
    assert!(
        !format!("{card}{shown}").contains("hunter2"),
        "{card}\n{shown}"
    );
}

#[test]
fn a_twilio_handler_that_validates_the_public_url_passes_1_and_16() {
    let server = twilio_server(Against::Public);
    let (code, card) = twilio_card(&server, &["--public-url", PUBLIC]);
    assert_eq!(
        (mark(&card, 1), mark(&card, 16)),
        ("pass", "pass"),
        "{card}"
    );
    assert_eq!(code, 0);
    assert_contains(
        &text(&card, 16, "sent"),
        &[
            "signed over https://hooks.example.com/sms,",
            "signed over https://hooks.example.com:443/sms",
        ],
    );
}

#[test]
fn a_twilio_handler_refusing_the_default_port_warns_on_16() {
    let server = twilio_server(Against::ExactPublic);
    let (code, card) = twilio_card(&server, &["--public-url", PUBLIC]);
    assert_eq!(
        (mark(&card, 1), mark(&card, 16)),
        ("pass", "warn"),
        "{card}"
    );
    assert_eq!(code, 0);
    assert_contains(
        &text(&card, 16, "fix"),
        &["with and without its default port", "RequestValidator"],
    );
}

#[test]
fn twilios_request_validator_accepts_both_signatures_of_16() {
    if python().is_none() {
        return;
    }
    let server = twilio_server(Against::Library);
    let (code, card) = twilio_card(&server, &["--public-url", PUBLIC]);
    assert_eq!(
        (mark(&card, 1), mark(&card, 16)),
        ("pass", "pass"),
        "{card}"
    );
    assert_eq!(code, 0);
    // The library refuses a signature over another URL: the one the request arrived at.
    let (_, card) = twilio_card(&server, &[]);
    assert_eq!(mark(&card, 1), "fail", "{card}");
}

#[test]
fn a_plivo_handler_fails_16_on_the_url_it_received_and_passes_on_the_public_one() {
    let naive = url_server(Scheme::Plivo, Against::Received);
    let (_, card) = url_card("plivo", &naive, &["--public-url", PUBLIC]);
    assert_eq!(mark(&card, 16), "fail", "{card}");
    assert!(
        text(&card, 16, "fix").contains("the URL Plivo was given"),
        "{card}"
    );
    let right = url_server(Scheme::Plivo, Against::Public);
    let (code, card) = url_card("plivo", &right, &["--public-url", PUBLIC]);
    assert_eq!(
        (mark(&card, 1), mark(&card, 16)),
        ("pass", "pass"),
        "{card}"
    );
    assert_eq!(code, 0);
    assert!(
        !text(&card, 16, "sent").contains(":443"),
        "only Twilio's libraries try the default port: {card}"
    );
}

#[test]
fn a_public_url_that_is_not_a_url_is_refused_before_sending() {
    let server = TestServer::ok();
    let out = hookctl()
        .args([
            "check",
            "--provider",
            "twilio",
            "--secret",
            TOKEN,
            "--url",
            &server.url,
        ])
        .args(["--public-url", "abc.ngrok.app/sms"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_contains(&err, &["--public-url", "e.g. https://abc.ngrok.app/sms"]);
    assert!(server.received().is_empty(), "nothing is sent");
}
