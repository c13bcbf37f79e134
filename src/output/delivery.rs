//! How deliveries, attempts and burst summaries look in a terminal and as JSON.

use std::time::Duration;

use http::{HeaderMap, HeaderValue};
use serde_json::{Value, json};

use super::words::plural;
use super::{palette, sanitize};
use crate::delivery::bulk::Stats;
use crate::delivery::{Answer, Attempt, BODY_KEEP, Delivery, Failure, Outcome, WaitReason};
pub use crate::delivery::{budget, millis};
use crate::redact::Redactor;

/// Response bodies are shown up to this many characters unless verbose.
const EXCERPT_CHARS: usize = 200;

/// `email.delivered evt_… → http://…` heading a delivery.
pub fn heading(kind: &str, id: &str, url: &str) -> String {
    format!(
        "{} {}  {} {}",
        palette::event_type(kind),
        palette::dim(id),
        palette::dim("→"),
        palette::plain(url)
    )
}

/// A wait, as `812 ms` or `2.5 s`.
pub fn wait(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{} ms", d.as_millis())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// One line per attempt: `attempt 1/6: 500 Internal Server Error in 3 ms; retrying in 812 ms`.
pub fn attempt_line(attempt: &Attempt) -> String {
    let what = match &attempt.outcome {
        Outcome::Answered(a) => format!(
            "{} in {}",
            palette::status(a.status, &status_text(a)),
            millis(attempt.latency)
        ),
        Outcome::Failed(f) => palette::bad(&failure(f).0),
    };
    let next = match attempt.next {
        Some((d, WaitReason::RetryAfter)) => format!("; retrying in {} (Retry-After)", wait(d)),
        Some((d, WaitReason::Backoff)) => format!("; retrying in {}", wait(d)),
        None => String::new(),
    };
    format!("attempt {}/{}: {what}{next}", attempt.number, attempt.of)
}

/// The verdict line: `✓ 200 OK in 23 ms` or `✗ …` with the reason, plus a hint when one helps.
pub fn verdict(delivery: &Delivery) -> (String, Option<String>) {
    let last = &delivery.last;
    let tries = match (delivery.attempts, delivery.is_success()) {
        (1, _) => String::new(),
        (n, true) => format!(" after {n} attempts"),
        (n, false) if last.number < last.of => format!(" ({n} attempts; not retried)"),
        (n, false) => format!(" (gave up after {n} attempts)"),
    };
    match &last.outcome {
        Outcome::Answered(a) => {
            let text = format!("{} in {}{tries}", status_text(a), millis(last.latency));
            if a.is_success() {
                return (palette::pass(&text), None);
            }
            let hint = match a.status {
                300..=399 => Some(match a.header("location") {
                    Some(to) => {
                        format!("providers do not follow redirects: point the webhook at {to}")
                    }
                    None => "providers do not follow redirects: point the webhook at the final URL"
                        .to_string(),
                }),
                401 | 403 => Some(
                    "the endpoint refused the request: check the secret and the scheme it verifies"
                        .to_string(),
                ),
                _ => None,
            };
            (palette::fail_status(a.status, &text), hint)
        }
        Outcome::Failed(f) => {
            let (text, hint) = failure(f);
            (palette::fail(&format!("{text}{tries}")), hint)
        }
    }
}

/// A failure in words, and what to do about it.
pub fn failure(f: &Failure) -> (String, Option<String>) {
    failure_of(f, "your server")
}

/// [`failure`] for a relay target: `server` names what should be listening (`your app`).
pub fn failure_of(f: &Failure, server: &str) -> (String, Option<String>) {
    match f {
        Failure::Timeout(d) => (
            format!(
                "took longer than {}; the provider would treat this as failed — answer first, process later",
                budget(*d)
            ),
            None,
        ),
        Failure::Refused { port } => (
            "connection refused".to_string(),
            Some(format!("is {server} running on port {port}?")),
        ),
        Failure::Dns { host } => (
            format!("cannot resolve host {host}"),
            Some("check the host name in --url".to_string()),
        ),
        Failure::Tls(_) if f.is_plain_http() => (
            "TLS handshake failed: the server answered in plain HTTP, not TLS".to_string(),
            Some("use an http:// URL for this server, or serve HTTPS on this port".to_string()),
        ),
        Failure::Tls(e) => (
            format!("TLS handshake failed: {e}"),
            Some("for a self-signed certificate pass --insecure".to_string()),
        ),
        Failure::Dropped(e) => (
            format!("the connection closed before a complete answer ({e})"),
            None,
        ),
        Failure::Other(e) => (format!("request failed: {e}"), None),
        Failure::Cut => (
            "the listener stopped before the app answered".to_string(),
            None,
        ),
        Failure::TooLarge { limit } => (
            format!("answer too large (over {} KiB)", limit / 1024),
            Some(format!("{server} should answer a webhook briefly")),
        ),
    }
}

/// `200 OK`.
pub fn status_text(a: &Answer) -> String {
    format!("{} {}", a.status, a.reason).trim_end().to_string()
}

/// The response body as lines to show under the verdict: one line cut to a glance, or with
/// `full` every line of it behind a `│` gutter, so no line of it can pass for one of hookctl's.
pub fn body_lines(a: &Answer, full: bool) -> Vec<String> {
    if a.body.is_empty() {
        return Vec::new();
    }
    if !full {
        let mut cut = excerpt(&a.body, EXCERPT_CHARS);
        if a.body_truncated && !cut.ends_with('…') {
            cut.push('…');
        }
        return vec![palette::dim(&cut)];
    }
    let gutter = palette::dim("│");
    let mut lines: Vec<String> = String::from_utf8_lossy(&a.body)
        .lines()
        .map(|line| format!("{gutter} {}", palette::plain(line)))
        .collect();
    if a.body_truncated {
        lines.push(palette::dim(&format!(
            "… (cut at {} KiB)",
            BODY_KEEP / 1024
        )));
    }
    lines
}

/// A body on one line, runs of white space as one space, cut at `max` characters (with `…`),
/// unsafe characters escaped.
pub fn excerpt(body: &[u8], max: usize) -> String {
    let lossy = String::from_utf8_lossy(body);
    let line = lossy.split_whitespace().collect::<Vec<_>>().join(" ");
    let line = sanitize::escape(&line);
    let mut cut: String = line.chars().take(max).collect();
    if line.chars().count() > max {
        cut.push('…');
    }
    cut
}

/// Header lines prefixed with `>` (sent) or `<` (received), values shown lossily when they are
/// not UTF-8, credentials and secrets hidden.
pub fn header_lines(marker: char, headers: &HeaderMap, redactor: &Redactor) -> Vec<String> {
    let marker = palette::dim(&marker.to_string());
    headers
        .iter()
        .map(|(n, v)| {
            let value = lossy(v);
            let shown = redactor.header(n.as_str(), &value);
            format!(
                "{marker} {}: {}",
                palette::plain(n.as_str()),
                palette::plain(&shown)
            )
        })
        .collect()
}

fn lossy(value: &HeaderValue) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(value.as_bytes())
}

/// One JSON object per delivery.
pub fn delivery_json(kind: Option<&str>, id: &str, url: &str, delivery: &Delivery) -> Value {
    let last = &delivery.last;
    let (status, reason, error, error_kind) = match &last.outcome {
        Outcome::Answered(a) => (Some(a.status), Some(a.reason), None, None),
        Outcome::Failed(f) => {
            let (text, hint) = failure(f);
            let message = match hint {
                Some(h) => format!("{text}; {h}"),
                None => text,
            };
            (None, None, Some(message), Some(f.kind()))
        }
    };
    json!({
        "type": kind,
        "id": id,
        "url": url,
        "ok": delivery.is_success(),
        "status": status,
        "reason": reason,
        "latency_ms": round3(last.latency.as_secs_f64() * 1000.0),
        "attempts": delivery.attempts,
        "error": error,
        "error_kind": error_kind,
    })
}

/// `x` to 3 decimals, as every latency in JSON output.
pub(super) fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// A burst's summary as one JSON object.
pub fn summary_json(stats: &Stats, url: &str, concurrency: usize, budget: Duration) -> Value {
    let statuses: serde_json::Map<String, Value> = stats
        .statuses
        .iter()
        .map(|(k, v)| (k.to_string(), json!(v)))
        .collect();
    json!({
        "url": url,
        "sent": stats.sent,
        "requests": stats.requests,
        "ok": stats.ok,
        "statuses": statuses,
        "errors": stats.errors,
        "elapsed_ms": round3(stats.elapsed.as_secs_f64() * 1000.0),
        "requests_per_second": round3(stats.requests_per_second()),
        "concurrency": concurrency,
        "latency_ms": {
            "p50": round3(stats.latency_ms(0.50)),
            "p90": round3(stats.latency_ms(0.90)),
            "p99": round3(stats.latency_ms(0.99)),
            "max": round3(stats.latency_ms(1.0)),
        },
        "budget_ms": budget.as_millis() as u64,
        "over_budget": stats.over_budget,
        "interrupted": stats.interrupted,
    })
}

/// A burst's summary as lines of text.
pub fn summary_lines(
    stats: &Stats,
    url: &str,
    concurrency: usize,
    budget: Duration,
) -> Vec<String> {
    let mut lines = Vec::new();
    let stopped = if stats.interrupted {
        " (interrupted)"
    } else {
        ""
    };
    lines.push(format!(
        "Sent {} to {} in {:.2} s: {:.0} requests/s at concurrency {concurrency}{stopped}",
        plural(stats.sent, "event", "events"),
        palette::plain(url),
        stats.elapsed.as_secs_f64(),
        stats.requests_per_second(),
    ));
    for (code, n) in &stats.statuses {
        let label = palette::status(*code, &code.to_string());
        lines.push(format!("  {label}  {n}"));
    }
    for (kind, n) in &stats.errors {
        lines.push(format!("  {}  {n}", palette::bad(kind)));
    }
    if stats.requests > stats.sent {
        lines.push(format!(
            "  {} requests in all, retries included",
            stats.requests
        ));
    }
    lines.push(format!(
        "Latency  p50 {} ms  p90 {} ms  p99 {} ms  max {} ms",
        round3(stats.latency_ms(0.5)),
        round3(stats.latency_ms(0.9)),
        round3(stats.latency_ms(0.99)),
        round3(stats.latency_ms(1.0)),
    ));
    let over = format!(
        "Over the {} budget: {}",
        self::budget(budget),
        stats.over_budget
    );
    lines.push(if stats.over_budget > 0 {
        palette::bad(&over)
    } else {
        over
    });
    lines
}

/// The exact request and a ready-to-paste curl command for it, with credentials and secrets
/// hidden (`url` is shown as given: pass it redacted). The request is shown sanitised (the body
/// keeps its lines); the curl command carries the exact bytes, shell-escaped.
pub fn dry_run(
    url: &str,
    headers: &HeaderMap,
    body: &[u8],
    file: Option<&str>,
    redactor: &Redactor,
) -> String {
    let shown: Vec<String> = headers
        .iter()
        .map(|(n, v)| format!("{n}: {}", redactor.header(n.as_str(), &lossy(v))))
        .collect();
    let mut text = format!("POST {}\n", palette::plain(url));
    for line in &shown {
        text.push_str(&format!("{}\n", palette::plain(line)));
    }
    let body_text = String::from_utf8_lossy(body);
    for line in redactor.text(&body_text).split('\n') {
        text.push_str(&format!("\n{}", palette::plain(line)));
    }
    text.push_str("\n\n");
    text.push_str(&format!("curl -X POST {}", shell_word(url.as_bytes())));
    for line in &shown {
        text.push_str(&format!(" \\\n  -H {}", shell_word(line.as_bytes())));
    }
    let data = match file {
        Some(path) => shell_word(format!("@{path}").as_bytes()),
        None => match redactor.text(&body_text) {
            std::borrow::Cow::Borrowed(_) => shell_word(body),
            std::borrow::Cow::Owned(hidden) => shell_word(hidden.as_bytes()),
        },
    };
    text.push_str(&format!(" \\\n  --data-binary {data}"));
    text
}

/// A shell word for these exact bytes: single quotes for printable UTF-8, else `$'…'` with escapes
/// (bash, zsh), so curl sends the bytes that were signed.
pub fn shell_word(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) if !text.chars().any(sanitize::is_unsafe) => {
            format!("'{}'", text.replace('\'', r"'\''"))
        }
        _ => {
            let mut out = String::from("$'");
            for &b in bytes {
                match b {
                    b'\'' => out.push_str("\\'"),
                    b'\\' => out.push_str("\\\\"),
                    0x20..=0x7e => out.push(b as char),
                    _ => out.push_str(&format!("\\x{b:02x}")),
                }
            }
            out.push('\'');
            out
        }
    }
}
