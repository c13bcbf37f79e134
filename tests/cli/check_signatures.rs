//! `check` 9 to 12: malformed signatures, a body serialised differently, a timestamp ahead of the
//! clock, and a signature list during a key's rotation. Each has a server that fails it the way
//! real handlers do, and endpoints that pass.

use serde_json::{Value, json};

use super::interop::{provider_library, python};
use super::keys::keygen;
use super::listening::Listening;
use super::server::{Received, Reply, TestServer};
use super::{assert_contains, check_card, hookctl, stdout_with_code};
use hookctl::signature::{Scheme, Verdict};

const SECRET: &str = "whsec_Y2hlY2stdGVzdC1zZWNyZXQ=";

/// The card of `check --only N,… --json` against `url` under `scheme` (`provider:NAME` for
/// `--provider NAME`) plus `extra`.
fn card(url: &str, scheme: &str, only: &str, extra: &[&str]) -> (i32, Value) {
    let select = match scheme.strip_prefix("provider:") {
        Some(provider) => ["--provider", provider],
        None => ["--scheme", scheme],
    };
    check_card(url, &[&["--only", only], &select[..], extra].concat())
}

fn marks(card: &Value) -> Vec<&str> {
    card["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["mark"].as_str().unwrap())
        .collect()
}

/// The text card of `check --only N` under `scheme`, which must end with exit code `code`.
fn text_card(url: &str, scheme: &str, only: &str, code: i32) -> String {
    stdout_with_code(
        hookctl().args([
            "check", "--url", url, "--scheme", scheme, "--secret", SECRET, "--only", only,
        ]),
        code,
    )
}

fn valid(scheme: Scheme, r: &Received) -> bool {
    r.verdict(scheme, SECRET) == Verdict::Valid
}

/// A handler as the seed's sample is written: `crypto.timingSafeEqual(Buffer.from(signature),
/// Buffer.from('sha256=' + expected))`, which throws (a 500) when the lengths differ.
fn crashing_on_short_signatures() -> TestServer {
    TestServer::start(|_, r| {
        let signature = r.header("X-EKDSend-Signature").unwrap_or("");
        if signature.len() != "sha256=".len() + 64 {
            return Reply {
                body: "RangeError: Input buffers must have the same byte length\n    at timingSafeEqual (node:internal/crypto/util:125:3)".into(),
                ..Reply::status(500)
            };
        }
        if valid(Scheme::Ekdsend, r) {
            Reply::ok()
        } else {
            Reply::status(401)
        }
    })
}

#[test]
fn a_handler_that_crashes_on_a_short_signature_fails_check_9() {
    let server = crashing_on_short_signatures();
    let text = text_card(&server.url, "ekdsend", "1,9", 1);
    assert_contains(
        &text,
        &[
            "✓ 1  a signed event is answered 2xx within the budget",
            "✗ 9  a malformed signature is rejected with 4xx\n       sent the event with X-EKDSend-Signature `sha256=abc` (short), then `sha256=zzzzzzzzzzzzzzzzz…` (not hex) · got 500 Internal Server Error in ",
            " to `sha256=abc` (short)\n       answer: RangeError: Input buffers must have the same byte length\\n    at timingSafeEqual (node:internal/crypto/util:125:3)\n       fix: reject a malformed signature with 401, not 5xx: a 5xx makes the provider retry a forgery; check its length and encoding before comparing (crypto.timingSafeEqual throws on unequal lengths)\n",
        ],
    );
    let sent: Vec<String> = server.received()[1..]
        .iter()
        .map(|r| r.header("X-EKDSend-Signature").unwrap().to_string())
        .collect();
    assert_eq!(
        sent,
        [
            "sha256=abc".to_string(),
            format!("sha256={}", "z".repeat(64))
        ]
    );
}

#[test]
fn a_handler_that_takes_any_signature_fails_check_9_naming_the_first() {
    let server = TestServer::ok();
    let (code, card) = card(&server.url, "stripe", "9", &["--secret", SECRET]);
    assert_eq!((code, marks(&card)), (1, vec!["fail"]));
    let check = &card["checks"][0];
    let got = check["got"].as_str().unwrap();
    assert!(
        got.starts_with("200 OK in ") && got.ends_with(",v1=abc` (short)"),
        "{check}"
    );
    let fix = check["fix"].as_str().unwrap();
    assert!(
        fix.starts_with("verify Stripe-Signature and refuse what does not match: `t=")
            && fix.ends_with(",v1=abc` (short) was accepted"),
        "{fix}"
    );
}

/// A listener's key flags, and check's.
type Keys<'a> = (&'a [&'a str], &'a [&'a str]);

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

/// What `listen --reject-invalid` (which verifies as the providers' libraries do) earns on checks
/// 9 to 12, for every scheme; `keys` are the listener's and check's key flags.
fn marks_at_a_verifying_listener(scheme: &str, keys: Keys) -> Vec<String> {
    let (listen_keys, check_keys) = keys;
    let select = match scheme.strip_prefix("provider:") {
        Some(provider) => ["--provider", provider],
        None => ["--scheme", scheme],
    };
    let l = Listening::start(&[&select[..], &["--reject-invalid"], listen_keys].concat());
    let url = match scheme {
        "provider:postmark" => l.url.replacen("http://", "http://ann:pw@", 1),
        _ => l.url.clone(),
    };
    let (code, card) = card(&url, scheme, "9,10,11,12", check_keys);
    l.interrupt();
    l.finish();
    assert_eq!(code, 0, "{scheme}: {card}");
    marks(&card).into_iter().map(str::to_string).collect()
}

#[test]
fn an_endpoint_that_verifies_as_the_libraries_do_passes_or_skips_each_scheme() {
    let secret: Keys = (&["--secret", SECRET], &["--secret", SECRET]);
    let dir = tempfile::tempdir().unwrap();
    let (telnyx_key, telnyx_public) = keygen(&dir, "telnyx");
    let (sendgrid_key, sendgrid_public) = keygen(&dir, "sendgrid");
    let pair = |private: &std::path::Path, public: &str| {
        (
            vec!["--public-key".to_string(), public.to_string()],
            vec![
                "--private-key".to_string(),
                private.to_str().unwrap().to_string(),
            ],
        )
    };
    let (telnyx_l, telnyx_c) = pair(&telnyx_key, &telnyx_public);
    let (sendgrid_l, sendgrid_c) = pair(&sendgrid_key, &sendgrid_public);
    let (telnyx_l, telnyx_c) = (strs(&telnyx_l), strs(&telnyx_c));
    let (sendgrid_l, sendgrid_c) = (strs(&sendgrid_l), strs(&sendgrid_c));
    let basic: Keys = (&["--basic-auth", "ann:pw"], &[]);
    let cases: [(&str, Keys, [&str; 4]); 13] = [
        ("ekdsend", secret, ["pass", "pass", "skip", "skip"]),
        ("keplars", secret, ["pass", "pass", "skip", "skip"]),
        ("github", secret, ["pass", "pass", "skip", "skip"]),
        ("standard", secret, ["pass", "pass", "pass", "pass"]),
        ("svix", secret, ["pass", "pass", "pass", "pass"]),
        ("stripe", secret, ["pass", "pass", "skip", "pass"]),
        ("provider:twilio", secret, ["pass", "skip", "skip", "skip"]),
        ("provider:plivo", secret, ["pass", "skip", "skip", "pass"]),
        ("vonage", secret, ["pass", "pass", "pass", "skip"]),
        ("provider:mailgun", secret, ["pass", "skip", "pass", "skip"]),
        ("provider:postmark", basic, ["pass", "skip", "skip", "skip"]),
        (
            "provider:telnyx",
            (&telnyx_l, &telnyx_c),
            ["pass", "pass", "pass", "skip"],
        ),
        (
            "provider:sendgrid",
            (&sendgrid_l, &sendgrid_c),
            ["pass", "pass", "skip", "skip"],
        ),
    ];
    for (scheme, keys, expected) in cases {
        assert_eq!(
            marks_at_a_verifying_listener(scheme, keys),
            expected,
            "{scheme}"
        );
    }
}

#[test]
fn skipped_checks_give_their_reasons() {
    let server = TestServer::ok();
    let (_, twilio) = card(
        &server.url,
        "provider:twilio",
        "10,11,12",
        &["--secret", SECRET],
    );
    let got: Vec<&str> = twilio["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["got"].as_str().unwrap())
        .collect();
    assert_eq!(
        got,
        [
            "skipped: twilio signs the URL and the form parameters, not the body's bytes",
            "skipped: the twilio scheme signs no timestamp",
            "skipped: twilio sends one signature per request, never a list",
        ]
    );
    let (_, stripe) = card(&server.url, "stripe", "11", &["--secret", SECRET]);
    assert_eq!(
        stripe["checks"][0]["got"],
        "skipped: stripe's own libraries refuse only old timestamps, so one ahead of the clock passes there too"
    );
    assert!(server.received().is_empty(), "skipped checks send nothing");
}

/// A handler as the seed's sample is written: it verifies `JSON.stringify(req.body)`, the body
/// parsed and serialised again, instead of the bytes received.
fn verifying_a_reserialised_body() -> TestServer {
    TestServer::start(|_, r| {
        let again = hookctl::json::restringify(&r.body).unwrap();
        let reparsed = Received {
            body: again,
            ..r.clone()
        };
        if valid(Scheme::Ekdsend, &reparsed) {
            Reply::ok()
        } else {
            Reply::status(401)
        }
    })
}

#[test]
fn a_handler_that_verifies_a_reserialised_body_fails_check_10() {
    let server = verifying_a_reserialised_body();
    let text = text_card(&server.url, "ekdsend", "1,10", 1);
    assert_contains(
        &text,
        &[
            "✓ 1  a signed event is answered 2xx within the budget",
            "✗ 10  a body serialised differently is accepted\n       sent the event indented, keys in reverse order, data.subject with é as \\u00e9, a trailing newline, signed over exactly those bytes · got 401 Unauthorized in ",
            "\n       fix: verify the raw request bytes as received, never a re-serialised body (JSON.stringify(req.body), json.dumps(request.json)): the provider may change its serialiser\n",
        ],
    );
    let body = String::from_utf8(server.received()[1].body.clone()).unwrap();
    assert!(body.starts_with("{\n  \""), "indented: {body}");
    assert!(body.ends_with("}\n"), "a trailing newline: {body}");
    assert!(
        body.contains("Caf\\u00e9 Zo\\u00eb") && body.is_ascii(),
        "{body}"
    );
    let event: Value = serde_json::from_str(&body).unwrap();
    assert!(
        event["data"]["subject"]
            .as_str()
            .unwrap()
            .ends_with("(Café Zoë)")
    );
    let first: Value = server.received()[0].json();
    let mut keys: Vec<&String> = first.as_object().unwrap().keys().collect();
    keys.reverse();
    let reordered: Vec<&String> = event.as_object().unwrap().keys().collect();
    assert_eq!(reordered, keys, "keys in reverse order");
}

#[test]
fn a_handler_that_verifies_the_raw_bytes_passes_check_10() {
    let server = TestServer::start(|_, r| match valid(Scheme::Vonage, r) {
        true => Reply::ok(),
        false => Reply::status(401),
    });
    let (code, card) = card(&server.url, "vonage", "10", &["--secret", SECRET]);
    assert_eq!((code, marks(&card)), (0, vec!["pass"]), "{card}");
}

#[test]
fn a_handler_that_only_refuses_old_timestamps_fails_check_11() {
    // Any timestamp age verifies; only the past is then refused, as Stripe's libraries do.
    let server = TestServer::start(|_, r| {
        let signed_at: i64 = r.header("webhook-timestamp").unwrap().parse().unwrap();
        let old = jiff::Timestamp::now().as_second() - signed_at > 300;
        let verdict = r.verdict_within(Scheme::Standard, SECRET, None);
        match (verdict == Verdict::Valid, old) {
            (true, false) => Reply::ok(),
            _ => Reply::status(401),
        }
    });
    let (code, card) = card(&server.url, "standard", "5,11", &["--secret", SECRET]);
    assert_eq!((code, marks(&card)), (1, vec!["pass", "fail"]), "{card}");
    let check = &card["checks"][1];
    assert_eq!(
        check["sent"],
        "a correctly signed event with a timestamp 10 minutes ahead"
    );
    assert_eq!(
        check["fix"],
        "reject signatures whose timestamp is more than 5 minutes from now, ahead as well as behind (a forger's clock is no excuse)"
    );
    let ahead: i64 = server.received()[1]
        .header("webhook-timestamp")
        .unwrap()
        .parse()
        .unwrap();
    let by = ahead - jiff::Timestamp::now().as_second();
    assert!((590..=600).contains(&by), "10 minutes ahead: {by} s");
}

/// `value` with only its first signature kept, as a handler that tries one reads it.
fn first_signature(scheme: Scheme, value: &str) -> String {
    match scheme {
        Scheme::Stripe => {
            let mut pairs = value.split(',');
            let t = pairs.next().unwrap();
            format!("{t},{}", pairs.next().unwrap())
        }
        _ => value.split(' ').next().unwrap().to_string(),
    }
}

#[test]
fn a_handler_that_tries_only_the_first_signature_fails_check_12() {
    for (scheme, name, header) in [
        (Scheme::Standard, "standard", "webhook-signature"),
        (Scheme::Stripe, "stripe", "Stripe-Signature"),
    ] {
        let server = TestServer::start(move |_, r| {
            let mut first = r.clone();
            for (n, v) in &mut first.headers {
                if n.eq_ignore_ascii_case(header) {
                    *v = first_signature(scheme, v);
                }
            }
            match valid(scheme, &first) {
                true => Reply::ok(),
                false => Reply::status(401),
            }
        });
        let (code, card) = card(&server.url, name, "1,12", &["--secret", SECRET]);
        assert_eq!((code, marks(&card)), (1, vec!["pass", "fail"]), "{card}");
        assert_eq!(
            card["checks"][1]["sent"],
            format!("{header} listing a signature made with another secret, then the right one")
        );
        let fix = card["checks"][1]["fix"].as_str().unwrap().to_string();
        assert!(fix.starts_with("accept when any "), "{fix}");
    }
}

/// What check 12 sends under `scheme` to a recording server at its URL plus `path`: the URL
/// checked and the request.
fn rotation_request(scheme: &str, path: &str) -> (String, Received) {
    let server = TestServer::ok();
    let url = format!("{}{path}", server.url);
    let (code, card) = card(&url, scheme, "12", &["--secret", SECRET]);
    assert_eq!((code, marks(&card)), (0, vec!["pass"]), "{card}");
    (url, server.received().remove(0))
}

/// The svix library's verdict on the request with `signature` in place of its list.
fn svix_says(r: &Received, signature: &str) -> Value {
    let headers: serde_json::Map<String, Value> = r
        .headers
        .iter()
        .filter(|(n, _)| n.starts_with("webhook-"))
        .map(|(n, v)| match n.as_str() {
            "webhook-signature" => (n.clone(), json!(signature)),
            _ => (n.clone(), json!(v)),
        })
        .collect();
    let input =
        json!({"secret": SECRET, "body_b64": super::keys::b64(&r.body), "headers": headers});
    provider_library("svix-verify", &input).unwrap()
}

#[test]
fn the_standard_webhooks_library_accepts_what_check_12_sends_and_not_its_unknown_signature() {
    let (_, r) = rotation_request("standard", "");
    let list = r.header("webhook-signature").unwrap().to_string();
    let (unknown, right) = list.split_once(' ').expect("two entries");
    assert!(
        unknown.starts_with("v1,") && right.starts_with("v1,"),
        "{list}"
    );
    if python().is_none() {
        return;
    }
    assert_eq!(svix_says(&r, &list), json!({"valid": true}), "{list}");
    assert_eq!(svix_says(&r, unknown)["valid"], false, "{unknown}");
}

#[test]
fn the_stripe_library_accepts_what_check_12_sends_and_not_its_unknown_signature() {
    let (_, r) = rotation_request("stripe", "");
    let header = r.header("Stripe-Signature").unwrap().to_string();
    let pairs: Vec<&str> = header.split(',').collect();
    assert!(
        pairs.len() == 3
            && pairs[0].starts_with("t=")
            && pairs[1..].iter().all(|p| p.starts_with("v1=")),
        "{header}"
    );
    let Some(python) = python() else { return };
    let (_dir, payload) = super::temp_file("event.json", &r.body);
    let stripe = |header: &str| {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/interop/official.py");
        let out = std::process::Command::new(&python)
            .args([script, "stripe-verify", SECRET, payload, header])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    assert_eq!(stripe(&header), "valid", "{header}");
    let unknown_only = format!("{},{}", pairs[0], pairs[1]);
    assert!(
        stripe(&unknown_only).starts_with("invalid"),
        "{unknown_only}"
    );
}

#[test]
fn the_plivo_library_accepts_what_check_12_sends_and_not_its_unknown_signature() {
    let (url, r) = rotation_request("provider:plivo", "/hangup?leg=a");
    let list = r.header("X-Plivo-Signature-V3").unwrap().to_string();
    let (unknown, _) = list.split_once(',').expect("two signatures");
    let params: serde_json::Map<String, Value> = url::form_urlencoded::parse(&r.body)
        .map(|(n, v)| (n.into_owned(), json!(v)))
        .collect();
    let plivo = |signature: &str| {
        provider_library(
            "plivo-verify-v3",
            &json!({"auth_token": SECRET, "method": "POST", "url": url, "nonce": r.header("X-Plivo-Signature-V3-Nonce").unwrap(), "signature": signature, "params": params}),
        )
    };
    let Some(verdict) = plivo(&list) else { return };
    assert_eq!(verdict, json!({"valid": true}), "{list}");
    assert_eq!(plivo(unknown).unwrap()["valid"], false, "{unknown}");
}
