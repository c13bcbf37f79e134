//! Checks 13 to 16, the habits of real deliveries: a lifecycle's events out of order, a refused
//! event delivered again, a large batch, and the public URL a proxy or tunnel puts in front.

use std::time::Duration;

use bytes::Bytes;
use http::HeaderMap;
use serde_json::Value;

use super::{CheckResult, Mark, Plan, got, send, sign_now, test_event, with_test_id};
use crate::catalog::new_id;
use crate::delivery::{Endpoint, Failure, Outcome, budget, signature_headers};
use crate::providers::{BodyKind, Provider};
use crate::redact::url_without_password;
use crate::scenario::{Planned, builtin};
use crate::signature::{Scheme, Signer, Stamp};

/// How many events the large batch carries: hundreds, as a busy account's batch does.
const BATCH_EVENTS: usize = 500;

/// SendGrid posts a batch every 30 seconds or once it reaches 768 KB, whichever comes first
/// ("Getting started with the Event Webhook", twilio.com/docs/sendgrid).
const BATCH_LIMIT_KB: usize = 768;

/// What the out-of-order delivery left for the retry check.
#[derive(Debug, Default)]
pub(super) struct Memory {
    disorder: Option<Disorder>,
}

/// How the endpoint took a lifecycle delivered last event first.
#[derive(Debug, Clone)]
enum Disorder {
    /// No lifecycle of two events to deliver.
    Unavailable(String),
    /// Both events answered 2xx.
    Accepted,
    /// The later event drew a 4xx or 5xx: it is to be delivered again.
    Refused { later: Delivery, answer: String },
    /// The later event drew no answer within the budget.
    Unanswered,
}

/// One event as a provider delivers it: its unsigned body, its id, its type.
#[derive(Debug, Clone)]
struct Delivery {
    body: Bytes,
    id: String,
    event: String,
}

/// The first and the last event of one lifecycle, sharing its ids.
struct Chain {
    first: Delivery,
    last: Delivery,
}

/// Runs check `number` (13 to 16).
pub(super) async fn run(
    memory: &mut Memory,
    endpoint: &Endpoint,
    plan: &Plan,
    number: u8,
    name: &'static str,
) -> CheckResult {
    let card = Card { number, name };
    match number {
        13 => out_of_order(memory, endpoint, plan, card).await,
        14 => retry(memory, endpoint, plan, card).await,
        15 => batch(endpoint, plan, card).await,
        _ => public_url(endpoint, plan, card).await,
    }
}

/// The number and name a result is filed under.
#[derive(Clone, Copy)]
struct Card {
    number: u8,
    name: &'static str,
}

impl Card {
    fn result(self, mark: Mark, sent: String, got: String, fix: Option<String>) -> CheckResult {
        CheckResult::new(self.number, self.name, mark, sent, got, fix)
    }

    fn skip(self, reason: String) -> CheckResult {
        let got = format!("skipped: {reason}");
        self.result(Mark::Skip, "nothing".into(), got, None)
    }
}

/// A request's outcome and how long it took.
type Answered = (Outcome, Duration);

/// What the out-of-order delivery sent and got.
struct Report {
    disorder: Disorder,
    sent: String,
    got: String,
    /// The later event's answer, then the first event's (when it was sent).
    later: Answered,
    first: Option<Answered>,
}

/// Check 13: the lifecycle's last event, then its first.
async fn out_of_order(
    memory: &mut Memory,
    endpoint: &Endpoint,
    plan: &Plan,
    card: Card,
) -> CheckResult {
    let report = match disorder(endpoint, plan).await {
        Ok(report) => report,
        Err(reason) => {
            memory.disorder = Some(Disorder::Unavailable(reason.clone()));
            return card.skip(reason);
        }
    };
    memory.disorder = Some(report.disorder.clone());
    let unordered = "providers deliver at least once and in no guaranteed order";
    let first_refused = report.first.as_ref().filter(|(o, _)| !o.is_success());
    let (mark, fix, (outcome, latency)) = match (&report.disorder, first_refused) {
        (Disorder::Unanswered, _) => (
            Mark::Fail,
            Some(format!(
                "{unordered}: answer an event whose predecessor has not arrived within {} (store it and answer 2xx, or refuse it at once), never wait for the predecessor",
                budget(endpoint.timeout())
            )),
            &report.later,
        ),
        (_, Some(first)) => (
            Mark::Fail,
            Some(format!(
                "{unordered}: accept an earlier event that arrives after a later one (record it, keep the later state), do not refuse it"
            )),
            first,
        ),
        (Disorder::Refused { .. }, None) => (
            Mark::Warn,
            Some(format!(
                "{unordered}: a refused event comes back as a retry (check 14), but storing it until its predecessor arrives and answering 2xx saves the retry and its delay"
            )),
            &report.later,
        ),
        _ => (Mark::Pass, None, &report.later),
    };
    card.result(mark, report.sent, report.got, fix)
        .judged(outcome, *latency)
}

/// Check 14: the event the endpoint refused out of order, delivered again after its predecessor.
async fn retry(memory: &mut Memory, endpoint: &Endpoint, plan: &Plan, card: Card) -> CheckResult {
    let disorder = match memory.disorder.take() {
        Some(known) => known,
        None => match disorder(endpoint, plan).await {
            Ok(report) => report.disorder,
            Err(reason) => Disorder::Unavailable(reason),
        },
    };
    let (later, answer) = match disorder {
        Disorder::Unavailable(reason) => return card.skip(reason),
        Disorder::Accepted => {
            return card
                .skip("the endpoint accepted every event, so nothing needed a retry".into());
        }
        Disorder::Unanswered => {
            return card.skip(
                "the out-of-order event drew no answer within the budget (check 13), so no refusal asked for a retry"
                    .into(),
            );
        }
        Disorder::Refused { later, answer } => (later, answer),
    };
    let (outcome, latency) = deliver(endpoint, &plan.signer, &later).await;
    let sent = format!(
        "{} again ({}, freshly signed) after its predecessor",
        later.event, later.id
    );
    let got_text = format!(
        "{answer} the first time, {} to the retry",
        got(&outcome, latency)
    );
    let (mark, fix) = match outcome.is_success() {
        true => (Mark::Pass, None),
        false => (
            Mark::Fail,
            Some("a retry must be processed like a first delivery: dedupe on the event id only after processing succeeded, and never answer a retry 409 or another 4xx".into()),
        ),
    };
    card.result(mark, sent, got_text, fix)
        .judged(&outcome, latency)
}

/// Delivers a lifecycle's last event, then its first; why not, when the provider has no
/// lifecycle to deliver.
async fn disorder(endpoint: &Endpoint, plan: &Plan) -> Result<Report, String> {
    let chain = chain(plan.provider).ok_or_else(|| {
        format!(
            "{} has no built-in lifecycle of two events or more",
            plan.provider.title
        )
    })?;
    let sent = format!(
        "{} before its {} (one lifecycle)",
        chain.last.event, chain.first.event
    );
    let later = deliver(endpoint, &plan.signer, &chain.last).await;
    let later_got = format!("{} to {}", got(&later.0, later.1), chain.last.event);
    if let Outcome::Failed(_) = later.0 {
        return Ok(Report {
            disorder: Disorder::Unanswered,
            sent,
            got: later_got,
            later,
            first: None,
        });
    }
    let first = deliver(endpoint, &plan.signer, &chain.first).await;
    let first_got = format!("{} to {}", got(&first.0, first.1), chain.first.event);
    let disorder = match later.0.is_success() {
        true => Disorder::Accepted,
        false => Disorder::Refused {
            later: chain.last,
            answer: later_got.clone(),
        },
    };
    Ok(Report {
        disorder,
        sent,
        got: format!("{later_got}, then {first_got}"),
        later,
        first: Some(first),
    })
}

/// The first and last events of the provider's first built-in lifecycle (`email-engaged`,
/// `sms-delivered`, …), sharing its ids as the provider's do.
fn chain(provider: &'static Provider) -> Option<Chain> {
    let scenario = builtin::of(provider.name).next()?.scenario();
    // Built-ins read no environment.
    let steps = scenario
        .plan(provider, jiff::Timestamp::now(), &|_| None)
        .ok()?;
    let delivery = |step: &Planned| {
        let event = step.event.as_deref().unwrap_or(&step.name);
        delivery_of(provider, event, step.value.clone())
    };
    match steps.as_slice() {
        [first, .., last] => Some(Chain {
            first: delivery(first),
            last: delivery(last),
        }),
        _ => None,
    }
}

/// A delivery of `value`, an event of type `event`, under a fresh test id.
fn delivery_of(provider: &Provider, event: &str, value: Value) -> Delivery {
    let (body, id) = with_test_id(provider, value);
    Delivery {
        body,
        id,
        event: event.to_string(),
    }
}

/// Sends `delivery` signed now over the URL the provider signs.
async fn deliver(endpoint: &Endpoint, signer: &Signer, delivery: &Delivery) -> Answered {
    let signed = sign_now(signer, endpoint, &delivery.body, &delivery.id);
    send(endpoint, &delivery.id, signed).await
}

/// The body to send and its signature headers, signed now over `url` (not the one the endpoint
/// signs for: check 16's variant of it).
fn sign_over(
    signer: &Signer,
    endpoint: &Endpoint,
    url: &str,
    body: &Bytes,
    id: &str,
) -> (Bytes, HeaderMap) {
    let stamp = Stamp {
        id: id.to_string(),
        timestamp: jiff::Timestamp::now().as_second(),
    };
    let (headers, signed) = signature_headers(signer, url, endpoint.headers(), body, &stamp)
        .expect("check's own ids are header-safe");
    (
        signed.unwrap_or_else(|| body.clone()),
        headers.into_iter().collect(),
    )
}

/// The headers a proxy or tunnel in front of the endpoint adds to each request: the scheme and
/// host the provider addressed at `public`.
pub fn forwarded_headers(public: &reqwest::Url) -> Vec<(String, String)> {
    let Some(host) = public.host_str() else {
        return Vec::new();
    };
    let host = match public.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    };
    vec![
        ("X-Forwarded-Proto".into(), public.scheme().into()),
        ("X-Forwarded-Host".into(), host),
    ]
}

/// Check 15: hundreds of events of mixed types in one signed batch.
async fn batch(endpoint: &Endpoint, plan: &Plan, card: Card) -> CheckResult {
    let provider = plan.provider;
    if provider.body != BodyKind::JsonArray {
        return card.skip(format!(
            "{} sends one event per request, so there is no batch to grow",
            provider.title
        ));
    }
    let now = jiff::Timestamp::now();
    let events: Vec<Value> = (0..BATCH_EVENTS)
        .flat_map(|i| {
            let event = &provider.events[i % provider.events.len()];
            let at = now - Duration::from_secs((BATCH_EVENTS - i) as u64);
            match provider.sample(event, at).value {
                Value::Array(items) => items,
                one => vec![one],
            }
        })
        .collect();
    let body = Bytes::from(provider.encode(&Value::Array(events)));
    let delivery = Delivery {
        id: new_id("evt_test_"),
        event: String::new(),
        body,
    };
    let size = delivery.body.len().div_ceil(1024);
    let sent = format!("a signed batch of {BATCH_EVENTS} events of mixed types ({size} KB)");
    let (outcome, latency) = deliver(endpoint, &plan.signer, &delivery).await;
    let got_text = got(&outcome, latency);
    let limit = budget(endpoint.timeout());
    let fix = match &outcome {
        Outcome::Answered(a) if a.is_success() => None,
        Outcome::Answered(a) if a.status == 413 => Some(format!(
            "accept bodies up to {BATCH_LIMIT_KB} KB, the size at which {} posts a batch (Express's express.json() and express.raw() stop at 100 KB by default)",
            provider.title
        )),
        Outcome::Failed(Failure::Timeout(_)) => Some(format!(
            "answer a whole batch within {limit}: acknowledge it first and process its events afterwards (a queue), not one by one inside the request"
        )),
        _ => Some(format!(
            "answer 2xx to a batch of any size up to {BATCH_LIMIT_KB} KB: {} retries the whole batch otherwise",
            provider.title
        )),
    };
    let mark = match fix {
        None => Mark::Pass,
        Some(_) => Mark::Fail,
    };
    card.result(mark, sent, got_text, fix)
        .judged(&outcome, latency)
}

/// Check 16: the URL a proxy or tunnel puts in front, for the schemes that sign the URL.
async fn public_url(endpoint: &Endpoint, plan: &Plan, card: Card) -> CheckResult {
    let scheme = plan.signer.scheme();
    if scheme == Scheme::Basic {
        return card.skip(
            "basic auth signs no URL; wrong and missing credentials are checks 2 and 4".into(),
        );
    }
    if !scheme.signs_url() {
        return card.skip(format!(
            "the {scheme} scheme does not sign the URL, so a proxy or tunnel in front changes nothing it checks"
        ));
    }
    let mut parts = Vec::new();
    if let Some(public) = endpoint.public_url() {
        parts.push(behind_proxy(endpoint, plan, public).await);
    }
    let url = endpoint.signed_url();
    if scheme == Scheme::Twilio
        && let Some(with_port) = with_default_port(url)
    {
        parts.push(default_port(endpoint, plan, &with_port).await);
    }
    if parts.is_empty() {
        return card.skip(format!(
            "no public URL was given, and {} names its port, so the URL signed is the one addressed",
            plan.shown_url
        ));
    }
    let join = |f: fn(&Part) -> &str| parts.iter().map(f).collect::<Vec<_>>().join("; ");
    let sent = join(|p| &p.sent);
    let got_text = join(|p| &p.got);
    // The verdict rests on the worse half (a failure, else a warning), the first of equals.
    let decisive = parts
        .iter()
        .rev()
        .max_by_key(|p| match p.mark {
            Mark::Fail => 2,
            Mark::Warn => 1,
            _ => 0,
        })
        .expect("one part at least");
    let (outcome, latency) = &decisive.answered;
    card.result(decisive.mark, sent, got_text, decisive.fix.clone())
        .judged(outcome, *latency)
}

/// One half of check 16.
struct Part {
    mark: Mark,
    sent: String,
    got: String,
    fix: Option<String>,
    answered: Answered,
}

/// (a): signed over the public URL, sent to the endpoint with a proxy's forwarding headers.
async fn behind_proxy(endpoint: &Endpoint, plan: &Plan, public: &reqwest::Url) -> Part {
    let (body, id) = test_event(plan);
    let delivery = Delivery {
        body,
        id,
        event: plan.event.name.to_string(),
    };
    let (outcome, latency) = deliver(endpoint, &plan.signer, &delivery).await;
    // Its password (Twilio's URLs may carry basic auth credentials) stays off the card.
    let public = url_without_password(public);
    let sent = format!(
        "{} signed over {public}, through a proxy (X-Forwarded-Proto, X-Forwarded-Host)",
        plan.event.name
    );
    let (mark, fix) = match outcome.is_success() {
        true => (Mark::Pass, None),
        false => (
            Mark::Fail,
            Some(format!(
                "validate against the URL {} was given ({public}), not the one the request arrived at: behind a proxy or tunnel the scheme, host and port differ (configure it, or rebuild it from X-Forwarded-Proto and X-Forwarded-Host)",
                plan.provider.title
            )),
        ),
    };
    Part {
        mark,
        sent,
        got: got(&outcome, latency),
        fix,
        answered: (outcome, latency),
    }
}

/// (b), Twilio: signed over the URL with its default port written out, as Twilio may sign it.
async fn default_port(endpoint: &Endpoint, plan: &Plan, with_port: &str) -> Part {
    let (body, id) = test_event(plan);
    let signed = sign_over(&plan.signer, endpoint, with_port, &body, &id);
    let (outcome, latency) = send(endpoint, &id, signed).await;
    let (mark, fix) = match outcome.is_success() {
        true => (Mark::Pass, None),
        false => (
            Mark::Warn,
            Some("accept the signature over the URL with and without its default port (:443 or :80): Twilio's official libraries (RequestValidator, validateRequest) try both".into()),
        ),
    };
    Part {
        mark,
        sent: format!("{} signed over {with_port}", plan.event.name),
        got: got(&outcome, latency),
        fix,
        answered: (outcome, latency),
    }
}

/// `url` with its scheme's default port written out (`https://host:443/…`), when it names none;
/// `None` when it names a port of its own or its scheme has no default.
fn with_default_port(url: &reqwest::Url) -> Option<String> {
    if url.port().is_some() {
        return None;
    }
    let port = url.port_or_known_default()?;
    let host = url.host_str()?;
    let rest = &url[url::Position::BeforePath..];
    Some(format!("{}://{host}:{port}{rest}", url.scheme()))
}

#[cfg(test)]
mod tests {
    use super::with_default_port;

    #[test]
    fn the_default_port_is_written_out_only_where_the_url_names_none() {
        let url = |s: &str| reqwest::Url::parse(s).unwrap();
        assert_eq!(
            with_default_port(&url("https://abc.ngrok.app/sms?x=1")).as_deref(),
            Some("https://abc.ngrok.app:443/sms?x=1")
        );
        assert_eq!(
            with_default_port(&url("http://h.example/voice")).as_deref(),
            Some("http://h.example:80/voice")
        );
        assert_eq!(
            with_default_port(&url("https://h.example:443/sms")).as_deref(),
            Some("https://h.example:443/sms")
        );
        assert_eq!(with_default_port(&url("http://127.0.0.1:3000/sms")), None);
    }
}
