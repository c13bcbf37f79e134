//! `check`: grade an endpoint the way a provider would exercise it. Each check sends real
//! requests and comes back as a plain [`CheckResult`]; nothing here prints.

mod answer;
mod lifecycle;
mod signatures;

pub use answer::ANSWER_KEEP;
pub use lifecycle::forwarded_headers;

use std::time::Duration;

use bytes::Bytes;
use http::HeaderMap;
use serde_json::Value;

use crate::catalog::new_id;
use crate::delivery::{
    Endpoint, Failure, Outcome, Outgoing, budget, is_loopback, millis, signature_headers,
};
use crate::patch::Assignment;
use crate::providers::{self, Event, Provider};
use crate::redact::url_without_password;
use crate::signature::{Credentials, Key, Scheme, Signer, Stamp};

/// How many deliveries the latency check makes.
const LATENCY_SAMPLES: usize = 5;
/// Median latency above this earns a warning.
const SLOW_MEDIAN: Duration = Duration::from_secs(1);

/// The checks, by number: 1, 2, … in order, each with what it checks.
pub const CHECKS: &[(u8, &str)] = &[
    (1, "a signed event is answered 2xx within the budget"),
    (2, "a wrong signature is rejected"),
    (3, "a tampered body is rejected"),
    (4, "a missing signature is rejected"),
    (5, "a stale timestamp is rejected"),
    (6, "a duplicate delivery is answered 2xx"),
    (7, "latency stays well inside the budget"),
    (8, "the URL uses HTTPS (or is on this machine)"),
    (9, "a malformed signature is rejected with 4xx"),
    (10, "a body serialised differently is accepted"),
    (11, "a timestamp ahead of the clock is rejected"),
    (
        12,
        "an unknown signature listed with the right one is accepted",
    ),
    (13, "a lifecycle's later event before its first is answered"),
    (
        14,
        "an event refused before is accepted when delivered again",
    ),
    (15, "a large batch is answered 2xx within the budget"),
    (
        16,
        "the public URL a proxy or tunnel puts in front is signed for",
    ),
];

/// A check's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// As a provider expects.
    Pass,
    /// Something to fix.
    Fail,
    /// Works, but worth a look.
    Warn,
    /// Not applicable or not run.
    Skip,
}

/// The highest check number.
pub const LAST_CHECK: u8 = CHECKS[CHECKS.len() - 1].0;

/// One line of the report card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckResult {
    /// Its number in [`CHECKS`].
    pub number: u8,
    /// What it checks.
    pub name: &'static str,
    /// The verdict.
    pub mark: Mark,
    /// What was sent.
    pub sent: String,
    /// What came back.
    pub got: String,
    /// For a failure or warning: what to fix, in one sentence.
    pub fix: Option<String>,
    /// The status of the request the verdict rests on (for a check that sent several, the
    /// decisive one); `None` when nothing answered or nothing was sent.
    pub status: Option<u16>,
    /// How long that request took, answered or not.
    pub latency: Option<Duration>,
    /// For a failure or warning: the start of that answer's body (at most [`ANSWER_KEEP`] bytes,
    /// as text; `…` ends it when there was more), when it had one. Network text: sanitise it.
    pub answer: Option<String>,
    /// Why that request got no answer, when it got none.
    pub failure: Option<Failure>,
    /// How long the whole check took.
    pub elapsed: Duration,
}

impl CheckResult {
    /// A result that rests on no request (yet): see [`CheckResult::judged`].
    pub fn new(
        number: u8,
        name: &'static str,
        mark: Mark,
        sent: String,
        got: String,
        fix: Option<String>,
    ) -> Self {
        CheckResult {
            number,
            name,
            mark,
            sent,
            got,
            fix,
            status: None,
            latency: None,
            answer: None,
            failure: None,
            elapsed: Duration::ZERO,
        }
    }

    /// This result resting on `outcome`, which took `latency`: its status, latency, failure, and,
    /// for a failure or warning, the start of its body.
    pub fn judged(mut self, outcome: &Outcome, latency: Duration) -> Self {
        self.latency = Some(latency);
        match outcome {
            Outcome::Answered(a) => {
                self.status = Some(a.status);
                if matches!(self.mark, Mark::Fail | Mark::Warn) {
                    self.answer = answer::start(a);
                }
            }
            Outcome::Failed(f) => self.failure = Some(f.clone()),
        }
        self
    }
}

/// What to check.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The scheme the endpoint verifies, bound to its secret.
    pub signer: Signer,
    /// The provider whose events are sent.
    pub provider: &'static Provider,
    /// The event to send, one of the provider's.
    pub event: &'static Event,
    /// Which checks to run (numbers 1 to 8).
    pub selected: Vec<u8>,
    /// The endpoint's URL as the card shows it (no password, no secret in it).
    pub shown_url: String,
}

/// Whether the card passes: no failure, and no warning under `strict`.
pub fn passed(results: &[CheckResult], strict: bool) -> bool {
    results
        .iter()
        .all(|r| r.mark != Mark::Fail && !(strict && r.mark == Mark::Warn))
}

/// Checks that only read the URL: they run even when the endpoint cannot be reached.
const URL_ONLY: &[u8] = &[8];

/// Runs the selected checks against `endpoint` (built without a signer: each check sets its own
/// signature headers), hands each result to `report` as soon as it is known, and returns them
/// all, in order.
pub async fn run(
    endpoint: &Endpoint,
    plan: &Plan,
    mut report: impl FnMut(&CheckResult),
) -> Vec<CheckResult> {
    let mut results = Vec::new();
    // Why the rest is skipped, once check 1 got no answer at all.
    let mut unreached: Option<String> = None;
    let mut memory = lifecycle::Memory::default();
    for &(number, name) in CHECKS {
        if !plan.selected.contains(&number) {
            continue;
        }
        let started = std::time::Instant::now();
        let mut result = match &unreached {
            Some(why) if !URL_ONLY.contains(&number) => CheckResult::new(
                number,
                name,
                Mark::Skip,
                "nothing".into(),
                format!("skipped: {why}"),
                None,
            ),
            _ if number >= 13 => lifecycle::run(&mut memory, endpoint, plan, number, name).await,
            _ => run_one(endpoint, plan, number, name).await,
        };
        result.elapsed = started.elapsed();
        if number == 1
            && let Some(failure) = &result.failure
        {
            unreached = Some(unreached_because(failure));
        }
        report(&result);
        results.push(result);
    }
    results
}

/// The reason the checks after check 1 are skipped, when it got no answer.
fn unreached_because(failure: &Failure) -> String {
    match failure {
        Failure::Timeout(d) => format!("check 1 timed out after {}", budget(*d)),
        Failure::Tls(_) => "check 1's TLS handshake failed".into(),
        Failure::Refused { .. } => "check 1 could not connect (connection refused)".into(),
        Failure::Dns { .. } => "check 1 could not connect (the host name does not resolve)".into(),
        Failure::Dropped(_) => "check 1's connection closed before an answer".into(),
        _ => "check 1 got no answer".into(),
    }
}

/// Builds a check's card line from its mark, what was sent, what came back, and the fix.
type Card<'a> = &'a dyn Fn(Mark, String, String, Option<String>) -> CheckResult;

async fn run_one(endpoint: &Endpoint, plan: &Plan, number: u8, name: &'static str) -> CheckResult {
    let signer = &plan.signer;
    let header = signer.header();
    let event = || test_event(plan);
    let basic = signer.scheme() == Scheme::Basic;
    let name = match (basic, number) {
        (true, 1) => "an event with the right credentials is answered 2xx within the budget",
        (true, 2) => "wrong credentials are rejected",
        (true, 4) => "missing credentials are rejected",
        _ => name,
    };
    let result = |mark, sent: String, got: String, fix: Option<String>| {
        CheckResult::new(number, name, mark, sent, got, fix)
    };
    match number {
        1 => signed_event(endpoint, plan, &result).await,
        2 => {
            let (body, id) = event();
            let (outcome, latency) = send(
                endpoint,
                &id,
                sign_now(&wrong_key(signer), endpoint, &body, &id),
            )
            .await;
            let refused = match basic {
                true => "wrong credentials",
                false => "a wrong signature",
            };
            let (sent, fix) = match basic {
                true => (
                    "the event with other credentials".into(),
                    "compare the Authorization header's user name and password before trusting the body".into(),
                ),
                false if signer.key_pair().is_some() => (
                    "the event signed with another key pair".into(),
                    format!("verify {header} before trusting the body"),
                ),
                false => (
                    "the event signed with another secret".into(),
                    format!("verify {header} before trusting the body"),
                ),
            };
            rejected(result, (&outcome, latency), refused, sent, fix)
        }
        3 if basic => result(
            Mark::Skip,
            "nothing".into(),
            "skipped: basic auth signs no body, so a changed body cannot be told".into(),
            None,
        ),
        3 => {
            let (body, id) = event();
            let (signed, headers) = sign_now(signer, endpoint, &body, &id);
            let (tampered, field) = tamper(plan.provider, signer.scheme(), &signed);
            let (outcome, latency) = send(endpoint, &id, (tampered, headers)).await;
            rejected(
                result,
                (&outcome, latency),
                "a body that does not match its signature",
                format!("the signed event with {field} changed, original signature"),
                match signer.scheme().signs_inside_body() {
                    true => "compute the HMAC of signature.timestamp + signature.token and compare it to signature.signature".to_string(),
                    false => format!(
                        "compute the HMAC over the raw body as received and compare it to {header}"
                    ),
                },
            )
        }
        4 => {
            let (body, id) = event();
            let (outcome, latency) = send(endpoint, &id, (body, HeaderMap::new())).await;
            let (sent, fix) = match (basic, signer.scheme().signs_inside_body()) {
                (true, _) => (
                    "the event without credentials".into(),
                    "reject requests that carry no Authorization header".into(),
                ),
                (_, true) => (
                    "the event data without its signature object".into(),
                    "reject bodies that carry no signature object".into(),
                ),
                _ => (
                    format!("the event without {header}"),
                    format!("reject requests that carry no {header}"),
                ),
            };
            let refused = "a request without its signature";
            let mut card = rejected(result, (&outcome, latency), refused, sent, fix.clone());
            // A 5xx here is most often a crash on the absent value (`Buffer.from(undefined)`).
            if card.status.is_some_and(|s| s >= 500) {
                card.fix = Some(format!(
                    "{fix} with 401, checking for it before using it: a 5xx (often a crash on the missing value) makes the provider retry"
                ));
            }
            card
        }
        5 if !signer.scheme().is_timestamped() => result(
            Mark::Skip,
            "nothing".into(),
            match signer.scheme().timestamp_header() {
                // SendGrid signs one, but its receivers never judge its age.
                Some(_) => format!(
                    "skipped: {} receivers do not limit the signed timestamp's age",
                    signer.scheme()
                ),
                None => format!("skipped: the {} scheme signs no timestamp", signer.scheme()),
            },
            None,
        ),
        5 => {
            let (body, id) = event();
            // Twice what the scheme's own library accepts: old to any receiver that uses it.
            let tolerance = signer.scheme().default_tolerance();
            let stale_by = tolerance * 2;
            let stale = jiff::Timestamp::now().as_second() - stale_by as i64;
            let (outcome, latency) =
                send(endpoint, &id, sign(signer, endpoint, &body, &id, stale)).await;
            rejected(
                result,
                (&outcome, latency),
                "a stale timestamp",
                format!(
                    "a correctly signed event with a timestamp {} minutes old",
                    stale_by / 60
                ),
                format!(
                    "reject signatures whose timestamp is more than {} minutes from now (replay protection)",
                    tolerance / 60
                ),
            )
        }
        6 => duplicate(endpoint, plan, &result).await,
        7 => latency(endpoint, plan, &result).await,
        9..=12 => signatures::run(endpoint, plan, number, name).await,
        _ => https(endpoint, plan, &result),
    }
}

/// Check 1: a correctly signed event (the right credentials) is answered 2xx within the budget.
async fn signed_event(endpoint: &Endpoint, plan: &Plan, card: Card<'_>) -> CheckResult {
    let signer = &plan.signer;
    let header = signer.header();
    let basic = signer.scheme() == Scheme::Basic;
    let limit = endpoint.timeout();
    let (body, id) = test_event(plan);
    let (outcome, latency) = send(endpoint, &id, sign_now(signer, endpoint, &body, &id)).await;
    let fix = match &outcome {
        Outcome::Answered(a) if a.is_success() => None,
        Outcome::Failed(f) => Some(unanswered_fix(f, limit)),
        Outcome::Answered(a) if (a.status == 401 || a.status == 403) && basic => Some(
            "the endpoint rejects the right credentials: check the user name and password it expects"
                .to_string(),
        ),
        Outcome::Answered(a) if a.status == 401 || a.status == 403 => Some(format!(
            "the endpoint rejects a correct signature: check its secret and that it verifies the raw body against {header} ({} scheme)",
            signer.scheme()
        )),
        Outcome::Answered(_) => Some(
            "answer 2xx to a valid event; any other status makes the provider retry and finally give up"
                .to_string(),
        ),
    };
    let mark = if outcome.is_success() {
        Mark::Pass
    } else {
        Mark::Fail
    };
    let sent = match basic {
        true => format!("{} with the right credentials", plan.event.name),
        false => format!("a correctly signed {}", plan.event.name),
    };
    card(mark, sent, got(&outcome, latency), fix).judged(&outcome, latency)
}

/// Check 6: the same event twice is answered 2xx both times.
async fn duplicate(endpoint: &Endpoint, plan: &Plan, card: Card<'_>) -> CheckResult {
    let signer = &plan.signer;
    let (body, id) = test_event(plan);
    let (first, first_latency) = send(endpoint, &id, sign_now(signer, endpoint, &body, &id)).await;
    let (second, latency) = send(endpoint, &id, sign_now(signer, endpoint, &body, &id)).await;
    // The id is shown where the request carries it: in the body, or in a header.
    let sent = match (plan.provider.event_id, plan.signer.scheme().id_header()) {
        (Some(_), _) => format!("the same event ({id}) twice"),
        (None, Some(header)) => format!("the same delivery ({header} {id}) twice"),
        (None, None) => "the same delivery twice".to_string(),
    };
    if !first.is_success() {
        let got = format!("{} to the first delivery", got(&first, first_latency));
        let fix = "answer 2xx to a valid event";
        card(Mark::Fail, sent, got, Some(fix.into())).judged(&first, first_latency)
    } else if !second.is_success() {
        let got = format!("{} to the duplicate", got(&second, latency));
        let fix =
            "providers deliver at least once: dedupe on the event id and answer 2xx to a repeat";
        card(Mark::Fail, sent, got, Some(fix.into())).judged(&second, latency)
    } else {
        let got = format!("2xx both times ({})", got(&second, latency));
        card(Mark::Pass, sent, got, None).judged(&second, latency)
    }
}

/// Check 7: signed events are answered well inside the budget.
async fn latency(endpoint: &Endpoint, plan: &Plan, card: Card<'_>) -> CheckResult {
    let signer = &plan.signer;
    let limit = endpoint.timeout();
    let mut samples = Vec::new();
    for _ in 0..LATENCY_SAMPLES {
        let (body, id) = test_event(plan);
        samples.push(send(endpoint, &id, sign_now(signer, endpoint, &body, &id)).await);
    }
    let failures = samples.iter().filter(|(o, _)| !o.is_success()).count();
    let mut latencies: Vec<Duration> = samples.iter().map(|(_, l)| *l).collect();
    latencies.sort();
    let median = latencies[latencies.len() / 2];
    let max = *latencies.last().expect("samples were taken");
    // The decisive sample: the first not answered 2xx, else the slowest.
    let (decisive, decisive_latency) = samples
        .iter()
        .find(|(o, _)| !o.is_success())
        .or_else(|| samples.iter().max_by_key(|(_, l)| *l))
        .expect("samples were taken");
    let sent = format!("{LATENCY_SAMPLES} signed events");
    let mut got = format!("median {}, max {}", millis(median), millis(max));
    if failures > 0 {
        got = format!("{got}; {failures} not answered 2xx");
    }
    let (mark, fix) = if max > limit || failures > 0 {
        let fix = format!(
            "every delivery must be answered 2xx within {}: answer first, process later",
            budget(limit)
        );
        (Mark::Fail, Some(fix))
    } else if median > SLOW_MEDIAN {
        let fix = format!(
            "a median over 1 s leaves little margin under the {} budget: move work out of the request",
            budget(limit)
        );
        (Mark::Warn, Some(fix))
    } else {
        (Mark::Pass, None)
    };
    card(mark, sent, got, fix).judged(decisive, *decisive_latency)
}

/// Check 8: the URL the provider connects to uses HTTPS, or is on this machine.
fn https(endpoint: &Endpoint, plan: &Plan, card: Card<'_>) -> CheckResult {
    // Behind a proxy or tunnel, the provider connects to the public URL.
    let url = endpoint.signed_url();
    let sent = match endpoint.public_url() {
        // A URL with basic auth credentials in it keeps its password off the card.
        Some(public) => url_without_password(public),
        None => plan.shown_url.clone(),
    };
    if url.scheme() == "https" {
        card(Mark::Pass, sent, "HTTPS".into(), None)
    } else if is_loopback(url) {
        card(
            Mark::Pass,
            sent,
            "plain HTTP on this machine (fine for local tests)".into(),
            None,
        )
    } else {
        card(
            Mark::Warn,
            sent,
            "plain HTTP".into(),
            Some("providers require an https:// endpoint: serve it over TLS".into()),
        )
    }
}

/// What to do when a correctly signed event got no answer at all.
fn unanswered_fix(failure: &Failure, limit: Duration) -> String {
    match failure {
        Failure::Timeout(_) => format!(
            "answer within {}: acknowledge first, process the event afterwards (a queue or background job)",
            budget(limit)
        ),
        Failure::Refused { port } => format!(
            "nothing listens on port {port}: start the server, or correct the URL's port"
        ),
        Failure::Dns { .. } => "the host name does not resolve: correct the URL's host".into(),
        f if f.is_plain_http() => {
            "the server did not answer the TLS handshake in TLS, most likely it serves plain HTTP on this port: use an http:// URL, or serve HTTPS there".into()
        }
        Failure::Tls(e) if is_certificate_problem(e) => {
            "the endpoint's certificate is not trusted: serve one a public CA signed".into()
        }
        Failure::Tls(_) => {
            "the TLS handshake failed: check the server's TLS setup (protocol versions, certificate chain)".into()
        }
        Failure::Dropped(_) => {
            "the connection closed before an answer: does the handler crash on this request? see its log".into()
        }
        _ => "make the endpoint reachable from here (is the server running, is the URL right?)".into(),
    }
}

/// Whether a TLS failure is about the certificate (self-signed, expired, wrong name) rather than
/// the protocol.
pub fn is_certificate_problem(tls_error: &str) -> bool {
    tls_error.to_ascii_lowercase().contains("certificate")
}

/// Pass when the endpoint answered 4xx; fail on 2xx (it accepted a forgery) and on the rest.
/// `refused` names what should have been refused (`a wrong signature`), for a 5xx's fix.
fn rejected(
    result: impl Fn(Mark, String, String, Option<String>) -> CheckResult,
    (outcome, latency): (&Outcome, Duration),
    refused: &str,
    sent: String,
    fix: String,
) -> CheckResult {
    let got_text = got(outcome, latency);
    let result = |mark, sent, got, fix| result(mark, sent, got, fix).judged(outcome, latency);
    match outcome {
        Outcome::Answered(a) if (400..500).contains(&a.status) => {
            result(Mark::Pass, sent, got_text, None)
        }
        Outcome::Answered(a) if a.is_success() => result(Mark::Fail, sent, got_text, Some(fix)),
        Outcome::Answered(a) if a.status >= 500 => result(
            Mark::Fail,
            sent,
            got_text,
            Some(format!(
                "reject {refused} with 401 or 403: a 5xx makes the provider retry it"
            )),
        ),
        _ => result(Mark::Fail, sent, got_text, Some(fix)),
    }
}

/// What came back, in a few words: `401 Unauthorized in 2.1 ms`, `no answer within 5000 ms`.
fn got(outcome: &Outcome, latency: Duration) -> String {
    match outcome {
        Outcome::Answered(a) => format!("{} {} in {}", a.status, a.reason, millis(latency)),
        Outcome::Failed(Failure::Timeout(d)) => format!("no answer within {}", millis(*d)),
        Outcome::Failed(Failure::Refused { port }) => {
            format!("no answer: connection refused (port {port})")
        }
        Outcome::Failed(Failure::Tls(e)) => format!("no answer: TLS handshake failed ({e})"),
        Outcome::Failed(Failure::Dropped(e)) => {
            format!("no answer: the connection closed ({e})")
        }
        Outcome::Failed(Failure::Other(e)) => format!("no answer: {e}"),
        Outcome::Failed(f) => format!("no answer: {}", f.kind()),
    }
}

/// Whether the plan's events can be signed for the endpoint at all, asked before anything is
/// sent: Twilio's scheme signs a JSON body only through a `bodySHA256` in the URL, and every
/// check sends another body, so no one URL can carry it.
pub fn signable(endpoint: &Endpoint, plan: &Plan) -> Result<(), crate::delivery::EndpointError> {
    let (body, id) = test_event(plan);
    let stamp = Stamp {
        id,
        timestamp: jiff::Timestamp::now().as_second(),
    };
    let url = endpoint.signed_url();
    signature_headers(
        &plan.signer,
        url.as_str(),
        endpoint.headers(),
        &body,
        &stamp,
    )
    .map(|_| ())
}

/// A fresh sample with a recognisable test id (`evt_test_…`, where the provider's events carry
/// an id), as the bytes the provider sends.
fn test_event(plan: &Plan) -> (Bytes, String) {
    let provider = plan.provider;
    let value = provider.sample(plan.event, jiff::Timestamp::now()).value;
    with_test_id(provider, value)
}

/// `value` with a fresh test id where the provider's events carry their id, as the bytes the
/// provider sends; and that id.
fn with_test_id(provider: &Provider, mut value: Value) -> (Bytes, String) {
    let id = new_id("evt_test_");
    if let Some(path) = provider.event_id {
        let first = if value.is_array() { "0." } else { "" };
        let assignment = Assignment {
            path: format!("{first}{path}"),
            value: Value::String(id.clone()),
        };
        assignment
            .apply(&mut value)
            .expect("the id path exists in the sample");
    }
    (Bytes::from(provider.encode(&value)), id)
}

/// A signer of the same scheme with a fresh key: another secret, or other credentials.
fn wrong_key(signer: &Signer) -> Signer {
    match signer.scheme() {
        Scheme::Basic => Signer::with_key(Scheme::Basic, &Key::Basic(Credentials::random()), None)
            .expect("fresh credentials fit basic auth"),
        _ => signer.stranger(),
    }
}

/// The body with one field changed, and that field's path: the recipient where there is one; for
/// a scheme that signs inside the body (Mailgun), the signed token, since the event data is not
/// signed at all.
fn tamper(provider: &Provider, scheme: Scheme, body: &[u8]) -> (Bytes, String) {
    if scheme.signs_inside_body()
        && let Ok(mut value) = serde_json::from_slice::<Value>(body)
        && let Some(token) = value.pointer_mut("/signature/token")
    {
        *token = Value::String(hex::encode(rand::random::<[u8; 25]>()));
        return (
            Bytes::from(provider.encode(&value)),
            "signature.token".into(),
        );
    }
    let forged = Value::String("attacker@example.com".into());
    let (mut value, form) = match serde_json::from_slice::<Value>(body) {
        Ok(value) => (value, false),
        Err(_) => (providers::parse_form(body).unwrap_or_default(), true),
    };
    let event = match &mut value {
        Value::Array(events) if !events.is_empty() => &mut events[0],
        other => other,
    };
    let path = TAMPERED
        .iter()
        .find(|p| providers::lookup(event, p).is_some_and(Value::is_string))
        .copied()
        .unwrap_or("tampered");
    Assignment {
        path: path.to_string(),
        value: forged,
    }
    .apply(event)
    .expect("the path is a string field or a new top-level one");
    let bytes = if form {
        providers::form(&value).into_bytes()
    } else {
        provider.encode(&value)
    };
    (Bytes::from(bytes), path.to_string())
}

/// Fields a forger would change, in order of preference: the recipient, by each provider's name.
const TAMPERED: [&str; 8] = [
    "data.to",
    "To",
    "email",
    "Recipient",
    "event-data.recipient",
    "data.payload.to.0.phone_number",
    "to",
    "type",
];

fn sign_now(signer: &Signer, endpoint: &Endpoint, body: &Bytes, id: &str) -> (Bytes, HeaderMap) {
    sign(
        signer,
        endpoint,
        body,
        id,
        jiff::Timestamp::now().as_second(),
    )
}

/// The body to send (the scheme may sign inside it) and the signature headers for `body`
/// posted to the endpoint under `id`, timestamped `at` (Unix seconds).
fn sign(
    signer: &Signer,
    endpoint: &Endpoint,
    body: &Bytes,
    id: &str,
    at: i64,
) -> (Bytes, HeaderMap) {
    let stamp = Stamp {
        id: id.to_string(),
        timestamp: at,
    };
    let (headers, signed) = signature_headers(
        signer,
        endpoint.signed_url().as_str(),
        endpoint.headers(),
        body,
        &stamp,
    )
    .expect("check's own evt_test_ ids are header-safe");
    (
        signed.unwrap_or_else(|| body.clone()),
        headers.into_iter().collect(),
    )
}

async fn send(
    endpoint: &Endpoint,
    id: &str,
    (body, headers): (Bytes, HeaderMap),
) -> (Outcome, Duration) {
    let outgoing = Outgoing {
        body,
        id: id.to_string(),
        headers,
    };
    let (_, outcome, latency) = endpoint.attempt(None, &outgoing).await;
    (outcome, latency)
}
