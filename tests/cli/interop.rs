//! Verdicts that match the official libraries: what hookctl signs, the providers' own Python
//! libraries (`svix`, `stripe`, pinned in .ci/run) accept, and what they sign, hookctl accepts;
//! where hookctl's verdict could differ from theirs (Stripe's parsing, Svix's header names), the
//! same header is judged by both.
//!
//! .ci/run installs the libraries into a virtualenv and names its Python in
//! `HOOKCTL_INTEROP_PYTHON`. Without it the library half of a test is skipped, except under
//! `CI=true`, where a missing virtualenv fails the test.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

use super::listening::{Listening, lines, post, signed};
use super::server::TestServer;
use super::{header_args, hookctl, stdout_of, temp_file};
use hookctl::signature::Scheme;

const WHSEC: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const STRIPE_SECRET: &str = "whsec_stripe-test-secret-0123";
const EVENT: &[u8] =
    br#"{"id":"evt_interop_1","type":"email.delivered","data":{"to":"a@example.com"}}"#;

/// The virtualenv's Python, or `None` (outside CI) when it is not set up.
pub fn python() -> Option<PathBuf> {
    match std::env::var_os("HOOKCTL_INTEROP_PYTHON") {
        Some(path) => Some(PathBuf::from(path)),
        None if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("HOOKCTL_INTEROP_PYTHON is not set: .ci/run installs the official libraries")
        }
        None => {
            eprintln!(
                "HOOKCTL_INTEROP_PYTHON is not set: the official libraries are not consulted"
            );
            None
        }
    }
}

/// Runs tests/interop/official.py; its one line of output.
fn official(python: &PathBuf, args: &[&str]) -> String {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/interop/official.py");
    let out = Command::new(python)
        .arg(script)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "official.py {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// Runs `tests/interop/providers.py COMMAND` (a provider's official library) on `input`; its
/// answer, or `None` when the virtualenv is not set up (outside CI).
pub fn provider_library(command: &str, input: &Value) -> Option<Value> {
    use std::io::Write;
    let python = python()?;
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/interop/providers.py");
    let mut child = Command::new(python)
        .args([script, command])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(input.to_string().as_bytes()).unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "providers.py {command}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

/// `(name, value)` pairs as the JSON object official.py takes.
fn headers_json(headers: &[(String, String)]) -> String {
    let map: serde_json::Map<String, Value> = headers
        .iter()
        .map(|(n, v)| (n.clone(), Value::from(v.as_str())))
        .collect();
    Value::Object(map).to_string()
}

/// `Name: value` lines as (name, value) pairs.
fn pairs(lines: &str) -> Vec<(String, String)> {
    lines
        .lines()
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(": "))
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect()
}

/// hookctl's verdict (`verify --json`): whether valid, and the hint.
fn hookctl_verdict(
    secret: &str,
    scheme: Option<&str>,
    payload: &str,
    headers: &[String],
) -> (bool, String) {
    let mut cmd = hookctl();
    cmd.args(["verify", "--json", "--secret", secret, "--payload", payload])
        .args(headers);
    if let Some(scheme) = scheme {
        cmd.args(["--scheme", scheme]);
    }
    let out = cmd.output().unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    (
        doc["valid"] == true,
        format!("{} {}", doc["reason"], doc["hint"]),
    )
}

/// What `hookctl sign` prints for `payload`.
fn sign(scheme: &str, secret: &str, payload: &str) -> String {
    stdout_of(hookctl().args([
        "sign",
        "--scheme",
        scheme,
        "--secret",
        secret,
        "--payload",
        payload,
    ]))
}

fn now() -> i64 {
    jiff::Timestamp::now().as_second()
}

#[test]
fn the_listener_reads_svix_header_names_under_scheme_standard() {
    // What Svix's hosted service and Resend send: Standard Webhooks under svix-* names.
    let svix: Vec<(String, String)> = signed(Scheme::Standard, WHSEC, EVENT)
        .into_iter()
        .map(|(n, v)| (n.replace("webhook-", "svix-"), v))
        .collect();
    for scheme in ["standard", "svix"] {
        let l = Listening::start(&[
            "--secret",
            WHSEC,
            "--scheme",
            scheme,
            "--reject-invalid",
            "--json",
            "--max-events",
            "1",
        ]);
        assert_eq!(post(&l.url, &svix, EVENT).status, 200, "{scheme}");
        let (code, out, _) = l.finish();
        assert_eq!(
            lines(&out)[0]["signature"]["status"],
            "valid",
            "{scheme}: {out}"
        );
        assert_eq!(code, 0);
    }
}

#[test]
fn verify_and_check_read_and_send_svix_header_names() {
    let (_dir, payload) = temp_file("event.json", EVENT);
    let signed = sign("svix", WHSEC, payload);
    assert!(
        signed.starts_with("svix-id: evt_interop_1\nsvix-timestamp: "),
        "{signed}"
    );
    for scheme in [None, Some("standard"), Some("svix")] {
        let (valid, why) = hookctl_verdict(WHSEC, scheme, payload, &header_args(&signed));
        assert!(valid, "{scheme:?}: {why}");
    }
    // check speaks svix-* to an endpoint that reads them.
    let l = Listening::start(&[
        "--secret",
        WHSEC,
        "--scheme",
        "standard",
        "--reject-invalid",
    ]);
    hookctl()
        .args([
            "check", "--url", &l.url, "--scheme", "svix", "--secret", WHSEC, "--skip", "8",
        ])
        .assert()
        .success();
    l.interrupt();
    l.finish();
}

#[test]
fn what_hookctl_signs_and_sends_the_svix_library_accepts() {
    let (_dir, payload) = temp_file("event.json", EVENT);
    let server = TestServer::ok();
    let mut requests: Vec<Vec<(String, String)>> = ["standard", "svix"]
        .iter()
        .map(|scheme| pairs(&sign(scheme, WHSEC, payload)))
        .collect();
    hookctl()
        .args([
            "send",
            "--url",
            &server.url,
            "--scheme",
            "svix",
            "--secret",
            WHSEC,
            "--payload",
            payload,
        ])
        .assert()
        .success();
    let sent = &server.received()[0];
    assert_eq!(sent.body, EVENT);
    requests.push(sent.headers.clone());
    let Some(python) = python() else { return };
    for headers in requests {
        let verdict = official(
            &python,
            &["svix-verify", WHSEC, payload, &headers_json(&headers)],
        );
        assert_eq!(verdict, "valid", "{headers:?}");
    }
}

#[test]
fn what_the_svix_library_signs_hookctl_accepts() {
    let Some(python) = python() else { return };
    let (_dir, payload) = temp_file("event.json", EVENT);
    let ts = now().to_string();
    let signature = official(&python, &["svix-sign", WHSEC, payload, "msg_lib_1", &ts]);
    for family in ["svix", "webhook"] {
        let headers = [
            format!("{family}-id: msg_lib_1"),
            format!("{family}-timestamp: {ts}"),
            format!("{family}-signature: {signature}"),
        ];
        let args: Vec<String> = headers
            .iter()
            .flat_map(|h| ["-H".to_string(), h.clone()])
            .collect();
        let (valid, why) = hookctl_verdict(WHSEC, Some("standard"), payload, &args);
        assert!(valid, "{family}: {why}");
    }
}

#[test]
fn stripe_signatures_round_trip_through_the_stripe_library() {
    let (_dir, payload) = temp_file("event.json", EVENT);
    let ours = pairs(&sign("stripe", STRIPE_SECRET, payload));
    let Some(python) = python() else { return };
    assert_eq!(
        official(
            &python,
            &["stripe-verify", STRIPE_SECRET, payload, &ours[0].1]
        ),
        "valid"
    );
    let theirs = official(
        &python,
        &["stripe-sign", STRIPE_SECRET, payload, &now().to_string()],
    );
    let args = ["-H".to_string(), format!("Stripe-Signature: {theirs}")];
    let (valid, why) = hookctl_verdict(STRIPE_SECRET, Some("stripe"), payload, &args);
    assert!(valid, "{why}");
}

/// A Stripe-Signature value, hookctl's expected verdict, words its reason or hint must hold, and
/// whether stripe-python's verdict is the same (where Stripe's libraries disagree, it is not).
struct StripeCase {
    name: &'static str,
    header: String,
    valid: bool,
    says: &'static str,
    python_agrees: bool,
}

/// `t=<at>,v1=<hex>` for EVENT under STRIPE_SECRET.
fn stripe_header(at: i64) -> (String, String) {
    let signed = hookctl::signature::Signer::new(
        Scheme::Stripe,
        &hookctl::signature::Secret::new(STRIPE_SECRET).unwrap(),
        None,
    )
    .unwrap()
    .sign(
        EVENT,
        &hookctl::signature::Stamp {
            id: String::new(),
            timestamp: at,
        },
    );
    let value = signed.unwrap().headers[0].1.clone();
    let (t, v1) = value.split_once(',').unwrap();
    (t.to_string(), v1.to_string())
}

fn stripe_cases() -> Vec<StripeCase> {
    let (t, v1) = stripe_header(now());
    let (future_t, future_v1) = stripe_header(now() + 3_600);
    let (old_t, old_v1) = stripe_header(now() - 3_600);
    let case = |name, header: String, valid, says, python_agrees| StripeCase {
        name,
        header,
        valid,
        says,
        python_agrees,
    };
    vec![
        case("as Stripe sends it", format!("{t},{v1}"), true, "", true),
        case(
            "uppercase hex",
            format!("{t},{}", v1.to_uppercase().replace("V1=", "v1=")),
            false,
            "Stripe's libraries compare the lowercase hex string and reject it",
            true,
        ),
        case(
            "a space after the comma",
            format!("{t}, {v1}"),
            false,
            "remove the space",
            true,
        ),
        case(
            "a space before t=",
            format!("{v1}, {t}"),
            false,
            "without trimming",
            true,
        ),
        case(
            "another pair after a space",
            format!("{t},{v1}, v0=abc"),
            true,
            "",
            true,
        ),
        case(
            "an hour ahead of the clock",
            format!("{future_t},{future_v1}"),
            true,
            "",
            true,
        ),
        case(
            "an hour old",
            format!("{old_t},{old_v1}"),
            false,
            "min old",
            true,
        ),
        case("the same t= twice", format!("{t},{t},{v1}"), true, "", true),
        case(
            "a stray `=` after v1",
            format!("{t},{v1}=x"),
            true,
            "",
            true,
        ),
        // stripe-python reads the first t=, stripe-node the last: no single verdict, so invalid.
        case(
            "two different t=, the first signed",
            format!("{t},t=1,{v1}"),
            false,
            "two different t= timestamps",
            false,
        ),
        case(
            "a part that is not key=value",
            format!("{t},{v1},junk"),
            true,
            "",
            true,
        ),
    ]
}

#[test]
fn stripe_verdicts_match_the_stripe_library() {
    let (_dir, payload) = temp_file("event.json", EVENT);
    let python = python();
    for c in stripe_cases() {
        let args = ["-H".to_string(), format!("Stripe-Signature: {}", c.header)];
        let (valid, why) = hookctl_verdict(STRIPE_SECRET, Some("stripe"), payload, &args);
        assert_eq!(valid, c.valid, "{}: {why}", c.name);
        assert!(why.contains(c.says), "{}: `{}` in {why}", c.name, c.says);
        if let Some(python) = &python {
            let theirs = official(
                python,
                &["stripe-verify", STRIPE_SECRET, payload, &c.header],
            );
            let agree = (theirs == "valid") == c.valid;
            assert_eq!(
                agree, c.python_agrees,
                "{}: stripe-python says {theirs}",
                c.name
            );
        }
    }
}

#[test]
fn svix_signature_lists_get_the_svix_library_verdict() {
    let (_dir, payload) = temp_file("event.json", EVENT);
    let signed = pairs(&sign("svix", WHSEC, payload));
    let sig = signed[2].1.clone();
    let decoy = "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    // (list, valid, words the reason or hint holds)
    let cases = [
        (format!("{decoy} {sig}"), true, ""),
        (format!("{sig} junk"), true, ""),
        (format!("v1a,xyz {sig}"), true, ""),
        (format!("junk {sig}"), false, "stops at the first entry"),
        (format!("{decoy}  {sig}"), false, "stops at the first entry"),
        (format!("v1,a,b {sig}"), false, "stops at the first entry"),
    ];
    let python = python();
    for (list, valid, says) in cases {
        let mut headers = signed.clone();
        headers[2].1 = list.clone();
        let args: Vec<String> = headers
            .iter()
            .flat_map(|(n, v)| ["-H".to_string(), format!("{n}: {v}")])
            .collect();
        let (got, why) = hookctl_verdict(WHSEC, Some("svix"), payload, &args);
        assert_eq!(got, valid, "`{list}`: {why}");
        assert!(why.contains(says), "`{list}`: `{says}` in {why}");
        if let Some(python) = &python {
            let theirs = official(
                python,
                &["svix-verify", WHSEC, payload, &headers_json(&headers)],
            );
            assert_eq!(
                theirs == "valid",
                valid,
                "`{list}`: the svix library says {theirs}"
            );
        }
    }
}
