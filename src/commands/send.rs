//! `hookctl send`: the "Test Endpoint" button, with retries, a dry run and a bulk mode.

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Result, bail};
use serde_json::Value;
use tokio_util::sync::CancellationToken;

use super::{build_event, runtime};
use crate::cli::{DeliveryArgs, SendArgs};
use crate::config::{self, Payload};
use crate::delivery::bulk::{self, Plan, Progress};
use crate::delivery::{
    self, Attempt, Endpoint, EndpointConfig, EndpointError, Outgoing, RetryPolicy,
};
use crate::error::{Exit, hinted};
use crate::output::{self, delivery as show, palette, progress, stream};
use crate::providers::{Event, Provider};
use crate::redact::Redactor;
use crate::signature::{Credentials, Scheme};
use crate::template::Templates;

/// One body to send, with what the report says about it.
pub(crate) struct Item {
    /// The event type, when known.
    pub kind: Option<String>,
    /// What goes on the wire.
    pub outgoing: Outgoing,
    /// The payload file, for `curl --data-binary @FILE` in a dry run.
    pub file: Option<String>,
}

impl Item {
    /// `body` as is, named by the type and id `provider` reads in `event` (the parsed body).
    pub(crate) fn new(
        provider: &Provider,
        body: Vec<u8>,
        event: Option<&Value>,
        file: Option<String>,
    ) -> Self {
        let id = event.and_then(|e| provider.id_of(provider.first(e)));
        Self {
            kind: event.and_then(|e| provider.type_of(provider.first(e))),
            outgoing: Outgoing::new(body.into(), id),
            file,
        }
    }
}

/// Deliveries in flight at once in bulk mode unless `--concurrency` says otherwise.
const DEFAULT_CONCURRENCY: u64 = 8;

/// Sends the requested events (or the payload) and reports each delivery.
pub fn run(args: &SendArgs) -> Result<ExitCode> {
    if args.count.is_some() && args.delivery.verbose {
        bail!(hinted(
            "-v shows each delivery's headers, and bulk mode (--count) prints only a summary",
            "drop -v, or drop --count to see each delivery",
        ));
    }
    let url = delivery::parse_url(&args.url)?;
    let key = config::signing_key(&args.secret, &args.private)?;
    let secret = config::secret_of(key.as_ref()).cloned();
    let provider = config::provider_of(&args.scheme);
    let signer = config::signer_if(&args.scheme, key.as_ref())?;
    let events = events(args, provider)?;
    let redactor = Redactor::new(&secret);
    let file = args.headers_file.as_deref();
    let endpoint = Endpoint::new(EndpointConfig {
        url,
        signer,
        content_type: provider.body.content_type(),
        headers: config::header_lines(&args.headers, file, &redactor)?,
        timeout: args.delivery.timeout,
        insecure: args.delivery.insecure,
        pool: concurrency(args) as usize,
    })
    .map_err(|e| endpoint_error(e, &redactor))?;

    // Inputs first: a payload or --set that cannot be used is reported alone, before any warning.
    let items = match (&args.payload, args.count) {
        (_, Some(_)) => {
            // One event of each type, so a --set that does not fit fails before the burst starts.
            for e in &events {
                signed_headers(&endpoint, &sample_item(provider, e, args)?)?;
            }
            Vec::new()
        }
        (Some(arg), None) => vec![payload_item(provider, arg)?],
        (None, None) => events
            .iter()
            .map(|e| sample_item(provider, e, args))
            .collect::<Result<_>>()?,
    };
    for item in &items {
        signed_headers(&endpoint, item)?;
    }

    warn_before_sending(&endpoint, &args.scheme, key.is_some(), &redactor)?;

    if let Some(count) = args.count {
        return burst(args, endpoint, provider, &events, count, &redactor);
    }
    if args.dry_run {
        return dry_run(&endpoint, &items, &redactor);
    }
    deliver_all(
        &endpoint,
        items.into_iter().map(Ok),
        &args.delivery,
        &redactor,
    )
}

/// Warns on stderr about an unsigned run, a plain-HTTP URL off this machine, or basic auth
/// without credentials in the URL.
pub(crate) fn warn_before_sending(
    endpoint: &Endpoint,
    scheme: &crate::cli::SchemeArgs,
    signed: bool,
    redactor: &Redactor,
) -> Result<()> {
    // Basic auth signs nothing: the URL's user:password is what authenticates.
    let basic = config::scheme(scheme) == Scheme::Basic;
    warn_about(endpoint.url(), signed || basic, redactor)?;
    if basic && Credentials::of_url(endpoint.url()).is_none() {
        let warning = format!(
            "the URL carries no user:password: {} sends the webhook URL's credentials as basic auth (https://user:pass@host/…)",
            config::provider_of(scheme).title
        );
        writeln!(stream::stderr(), "{}", palette::warn(&warning))?;
    }
    Ok(())
}

/// Delivers each item in turn and reports it; exit 1 unless every one ended 2xx.
pub(crate) fn deliver_all(
    endpoint: &Endpoint,
    items: impl IntoIterator<Item = Result<Item>>,
    args: &DeliveryArgs,
    redactor: &Redactor,
) -> Result<ExitCode> {
    let policy = retry_policy(args);
    let rt = runtime()?;
    let mut all_ok = true;
    for item in items {
        // Loaded one at a time (replay): only the request in flight is held in memory.
        let item = item?;
        signed_headers(endpoint, &item)?;
        all_ok &= rt.block_on(deliver_one(endpoint, &policy, &item, args, redactor))?;
    }
    Ok(Exit::verdict(all_ok))
}

/// The headers `item` goes out with, or why it cannot be sent (an id with a line break).
fn signed_headers(endpoint: &Endpoint, item: &Item) -> Result<http::HeaderMap> {
    signed_request(endpoint, item).map(|(headers, _)| headers)
}

/// The headers and body `item` goes out with (a scheme may sign inside the body), or why it
/// cannot be sent.
pub(crate) fn signed_request(
    endpoint: &Endpoint,
    item: &Item,
) -> Result<(http::HeaderMap, bytes::Bytes)> {
    endpoint
        .signed_request(&item.outgoing, jiff::Timestamp::now().as_second())
        .map_err(|e| match e {
            EndpointError::NotAHeaderValue(_) => hinted(e.to_string(), super::ID_HINT),
            EndpointError::Sign(e) => super::sign_error(e),
            other => other.into(),
        })
}

/// Why the endpoint cannot be set up, in words; a header that cannot be sent is echoed with
/// `redactor` hiding a credential or a secret in it.
pub(crate) fn endpoint_error(error: EndpointError, redactor: &Redactor) -> anyhow::Error {
    match error {
        EndpointError::BadHeader { name, value } => {
            let line = format!("{name}: {value}");
            anyhow::anyhow!(
                "`{}` is not a valid header; write it as 'Name: value'",
                redactor.header_line(&line)
            )
        }
        other => other.into(),
    }
}

/// `--concurrency`, else the default.
fn concurrency(args: &SendArgs) -> u64 {
    args.concurrency.unwrap_or(DEFAULT_CONCURRENCY)
}

/// The retry policy the delivery flags describe.
pub(crate) fn retry_policy(args: &DeliveryArgs) -> RetryPolicy {
    RetryPolicy {
        retries: args.retries,
        backoff: args.backoff,
        max_wait: args.max_backoff,
    }
}

/// Warns on stderr about an unsigned run or a plain-HTTP URL off this machine.
pub(crate) fn warn_about(url: &reqwest::Url, signed: bool, redactor: &Redactor) -> Result<()> {
    let mut err = stream::stderr().lock();
    if !signed {
        writeln!(
            err,
            "{}",
            palette::warn(
                "no secret given: sending unsigned (pass --secret, --secret-file or set HOOKCTL_SECRET to sign)"
            )
        )?;
    }
    if url.scheme() == "http" && !delivery::is_loopback(url) {
        writeln!(
            err,
            "{}",
            palette::warn(&format!(
                "{} is plain HTTP: providers require HTTPS endpoints; use https:// outside local tests",
                redactor.url(url)
            ))
        )?;
    }
    Ok(())
}

fn events(args: &SendArgs, provider: &'static Provider) -> Result<Vec<&'static Event>> {
    if args.all {
        return Ok(provider.events.iter().collect());
    }
    if args.events.is_empty() {
        return Ok(vec![provider.default_event()]);
    }
    args.events
        .iter()
        .map(|n| config::event(provider, n))
        .collect()
}

fn sample_item(provider: &Provider, event: &Event, args: &SendArgs) -> Result<Item> {
    let value = build_event(provider, event, &args.set)?;
    Ok(Item::new(
        provider,
        provider.encode(&value),
        Some(&value),
        None,
    ))
}

fn payload_item(provider: &Provider, arg: &str) -> Result<Item> {
    let payload = Payload::new(arg);
    let body = payload.read()?;
    let value = provider.read(&body);
    let file = match payload {
        Payload::File(p) => Some(p.display().to_string()),
        Payload::Stdin => None,
    };
    Ok(Item::new(provider, body, value.as_ref(), file))
}

/// Delivers one item and reports it (text, or one JSON object); `true` when it ended 2xx.
async fn deliver_one(
    endpoint: &Endpoint,
    policy: &RetryPolicy,
    item: &Item,
    args: &DeliveryArgs,
    redactor: &Redactor,
) -> Result<bool> {
    let url = &redactor.url(endpoint.url());
    let kind = item.kind.as_deref().unwrap_or("(payload)");
    let text = !args.json;
    if text {
        writeln!(
            stream::stdout(),
            "{}",
            show::heading(kind, &item.outgoing.id, url)
        )?;
    }
    let verbose = args.verbose;
    let retries = policy.retries > 0;
    let mut on_attempt = |a: &Attempt| {
        if !text {
            return;
        }
        // A closed stdout surfaces at the verdict line; here it is ignored.
        let mut out = stream::stdout().lock();
        if verbose && a.number == 1 {
            for line in show::header_lines('>', &a.request_headers, redactor) {
                let _ = writeln!(out, "  {line}");
            }
        }
        if retries {
            let _ = writeln!(out, "  {}", redactor.text(&show::attempt_line(a)));
        }
    };
    let delivery = endpoint
        .deliver(None, &item.outgoing, policy, &mut on_attempt)
        .await;
    let mut out = stream::stdout().lock();
    if !text {
        let mut doc = show::delivery_json(item.kind.as_deref(), &item.outgoing.id, url, &delivery);
        redactor.json(&mut doc);
        writeln!(out, "{}", output::json_line(&doc))?;
        return Ok(delivery.is_success());
    }
    let (verdict, hint) = show::verdict(&delivery);
    writeln!(out, "  {}", redactor.text(&verdict))?;
    if let delivery::Outcome::Answered(answer) = &delivery.last.outcome {
        if verbose {
            for line in show::header_lines('<', &answer.headers, redactor) {
                writeln!(out, "  {line}")?;
            }
        }
        for line in show::body_lines(answer, verbose) {
            writeln!(out, "  {line}")?;
        }
    }
    if let Some(hint) = hint {
        writeln!(out, "  {}", palette::hint(&redactor.text(&hint)))?;
    }
    Ok(delivery.is_success())
}

fn dry_run(endpoint: &Endpoint, items: &[Item], redactor: &Redactor) -> Result<ExitCode> {
    let mut out = stream::stdout().lock();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        let (headers, body) = signed_request(endpoint, item)?;
        // `--data-binary @FILE` only while the file holds what is sent.
        let file = item.file.as_deref().filter(|_| body == item.outgoing.body);
        let text = show::dry_run(
            &redactor.url(endpoint.url()),
            &headers,
            &body,
            file,
            redactor,
        );
        writeln!(out, "{text}")?;
    }
    Ok(Exit::Success.into())
}

fn burst(
    args: &SendArgs,
    endpoint: Endpoint,
    provider: &'static Provider,
    events: &[&'static Event],
    count: u64,
    redactor: &Redactor,
) -> Result<ExitCode> {
    let templates = Templates::new(provider, events, args.set.assignments());
    let make = move |index: u64| {
        let (id, body) = templates.copy(index);
        Outgoing {
            id,
            body,
            ..Outgoing::default()
        }
    };
    let plan = Plan {
        count,
        // Workers beyond the number of events would have nothing to send.
        concurrency: concurrency(args).min(count) as usize,
        rate: args.rate,
        retry: retry_policy(&args.delivery),
    };
    let budget = endpoint.timeout();
    let url = redactor.url(endpoint.url());
    let target = Arc::new(endpoint.target()?);
    let endpoint = Arc::new(endpoint);
    let progress = Arc::new(Progress::default());
    let stop = CancellationToken::new();
    let bar = (!args.delivery.json)
        .then(|| progress::Bar::new(count, progress.clone()))
        .flatten();
    let rt = runtime()?;
    let stats = rt.block_on(async {
        super::cancel_on_ctrl_c(&stop);
        let ticker = bar.as_ref().map(|bar| bar.follow());
        let stats = bulk::run(endpoint, target, plan, make, progress.clone(), stop.clone()).await;
        if let Some(t) = ticker {
            t.abort();
        }
        stats
    });
    if let Some(bar) = bar {
        bar.finish();
    }
    let mut out = stream::stdout().lock();
    if args.delivery.json {
        writeln!(
            out,
            "{}",
            output::json_line(&show::summary_json(&stats, &url, plan.concurrency, budget))
        )?;
    } else {
        for line in show::summary_lines(&stats, &url, plan.concurrency, budget) {
            writeln!(out, "{line}")?;
        }
    }
    Ok(Exit::verdict(stats.ok == count))
}
