//! How the listener shows what it receives: a human block per request, or one JSON line.

use std::borrow::Cow;

use base64::Engine;
use serde::Serialize;
use serde::ser::SerializeMap;
use serde_json::value::RawValue;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::delivery::{excerpt, failure_of, millis, round3, status_text, wait};
use super::words::{self, plural};
use super::{palette, pretty, sanitize};
use crate::delivery::Outcome;
use crate::listener::{Config, Forwarded, HOPS_HEADER, Kind, Record, Refusal, Tally};
use crate::providers::{self, Provider};
use crate::redact::Redactor;
use crate::signature::{Scheme, Verdict, span};

/// What to include in the human display.
#[derive(Debug, Clone, Copy)]
pub struct Detail {
    /// Leave out the pretty body.
    pub compact: bool,
    /// Add the request headers.
    pub verbose: bool,
}

/// The human block for one request; `redactor` hides credential headers (`None` shows them).
pub fn record_text(record: &Record, detail: Detail, redactor: Option<&Redactor>) -> String {
    let time = record
        .received_at
        .to_zoned(jiff::tz::TimeZone::system())
        .strftime("%H:%M:%S")
        .to_string();
    let head = format!(
        "{}  {} {}",
        palette::dim(&time),
        palette::plain(record.method.as_str()),
        palette::plain(&shown_path(redactor, &record.path))
    );
    if let Some(refusal) = &record.refused {
        let why = match refusal {
            Refusal::Method => "method not allowed: webhooks are POSTed".to_string(),
            Refusal::Path => "not the webhook path".to_string(),
            Refusal::TooLarge { limit } => {
                format!("body over {} (--max-body)", size(*limit as u64))
            }
            Refusal::SlowBody => "the body did not arrive in time".to_string(),
            Refusal::Unreadable(e) => format!("the body could not be read: {e}"),
            Refusal::Loop { hops } => {
                format!("forwarding loop: relayed {hops} times already ({HOPS_HEADER})")
            }
            Refusal::Malformed(e) => format!("malformed request: {e}"),
        };
        let refused = palette::fail(&format!("{} {why}", record.answered));
        return format!("{head}  {refused}\n");
    }
    let mut lines = Vec::new();
    let mut parts = vec![head];
    let kind = record.event_type().map(palette::event_type);
    let id = record.event_id().map(palette::dim);
    let event: Vec<String> = kind.into_iter().chain(id).collect();
    if !event.is_empty() {
        parts.push(event.join(" "));
    }
    parts.push(badge(record.signature.as_ref()));
    parts.push(palette::status(
        record.answered,
        &format!("→ {}", record.answered),
    ));
    lines.push(parts.join("  "));
    if record.abandoned {
        let gone = "the sender hung up before the answer (its timeout): kept all the same";
        lines.push(format!("  {}", palette::warn(gone)));
    }
    if let Some(Verdict::Invalid(m)) = &record.signature
        && let Some(hint) = words::advice(m, "--public-url")
    {
        lines.push(format!("  {}", palette::hint(&hint)));
    }
    if let Some(caveat) = record.caveat {
        let note = format!("note: {}", words::caveat(caveat));
        lines.push(format!("  {}", palette::warn(&note)));
    }
    let fields = record.fields();
    if let Some(glance) = fields.as_ref().and_then(|f| glance(record.provider, f)) {
        lines.push(format!("  {glance}"));
    }
    if let Some(forwarded) = &record.forwarded {
        lines.push(format!(
            "  {}",
            forward_line(forwarded, record.answered, redactor)
        ));
    }
    match &record.saved {
        Some(Ok(path)) if detail.verbose => lines.push(format!(
            "  {}",
            palette::dim(&format!("saved {}", path.display()))
        )),
        Some(Err(e)) => lines.push(format!(
            "  {}",
            palette::fail(&format!(
                "not saved: {e}; answered 503 so the sender retries"
            ))
        )),
        _ => {}
    }
    if detail.verbose {
        for (name, value) in &record.headers {
            let value = String::from_utf8_lossy(value.as_bytes());
            let value = shown(redactor, name.as_str(), &value);
            lines.push(format!(
                "  {} {}: {}",
                palette::dim("<"),
                palette::plain(name.as_str()),
                palette::plain(&value)
            ));
        }
    }
    match &fields {
        Some(Value::Object(params)) if record.shape.form && !detail.compact => {
            for (name, value) in params {
                let value = match value {
                    Value::String(s) => palette::plain(s),
                    other => palette::plain(&other.to_string()),
                };
                lines.push(format!("  {} {value}", palette::dim(&format!("{name}:"))));
            }
        }
        Some(value) if !detail.compact => {
            for line in pretty::json(value).lines() {
                lines.push(format!("  {line}"));
            }
        }
        Some(_) => {}
        None if record.shape.json => {
            if !detail.compact {
                lines.extend(as_received(&record.body));
            }
        }
        None => lines.push(format!("  {}", palette::warn(&not_json(&record.body)))),
    }
    lines.join("\n") + "\n"
}

/// JSON that cannot become a tree without changing it (a number beyond a double, a lone
/// surrogate escape): its text as received, line by line, sanitised.
fn as_received(body: &[u8]) -> Vec<String> {
    let note =
        "JSON shown as received: it holds a number or escape that cannot be laid out exactly";
    let text = String::from_utf8_lossy(body);
    let body_lines = text
        .trim_end()
        .lines()
        .map(|l| format!("  {}", palette::plain(l)));
    std::iter::once(format!("  {}", palette::dim(note)))
        .chain(body_lines)
        .collect()
}

/// A received header's value as shown: whole, or hidden when it is a credential.
fn shown<'a>(redactor: Option<&Redactor>, name: &str, value: &'a str) -> Cow<'a, str> {
    match redactor {
        Some(r) => r.header(name, value),
        None => Cow::Borrowed(value),
    }
}

/// The relay target as shown: a secret in it hidden unless credentials are shown.
fn shown_url<'a>(redactor: Option<&Redactor>, url: &'a str) -> Cow<'a, str> {
    redactor.map_or(Cow::Borrowed(url), |r| r.url_text(url))
}

/// The request target as shown: a secret in its query hidden unless credentials are shown.
fn shown_path<'a>(redactor: Option<&Redactor>, path: &'a str) -> Cow<'a, str> {
    redactor.map_or(Cow::Borrowed(path), |r| r.path(path))
}

fn badge(verdict: Option<&Verdict>) -> String {
    match verdict {
        None => palette::dim("· not checked (no secret)"),
        Some(Verdict::Valid) => palette::pass("valid"),
        Some(Verdict::Unsigned) => palette::absent("unsigned"),
        Some(Verdict::Invalid(m)) => palette::fail(&format!("invalid: {}", m.reason)),
    }
}

/// The provider's glance fields that `fields` has, as `name value · …`.
fn glance(provider: &Provider, fields: &Value) -> Option<String> {
    let event = provider.first(fields);
    let parts: Vec<String> = provider
        .glance
        .iter()
        .filter_map(|g| {
            let value = match providers::lookup(event, g.path)? {
                Value::String(s) if !g.quoted => palette::plain(s),
                Value::String(s) => palette::plain(&format!("{s:?}")),
                other => palette::plain(&other.to_string()),
            };
            let name = g.path.rsplit('.').next().unwrap_or(g.path);
            Some(format!("{} {value}", palette::dim(name)))
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join(" · "))
}

fn forward_line(forwarded: &Forwarded, answered: u16, redactor: Option<&Redactor>) -> String {
    let arrow = format!("↳ {}", palette::plain(&shown_url(redactor, &forwarded.url)));
    match &forwarded.outcome {
        Outcome::Answered(answer) => {
            let excerpt = excerpt(&answer.body, 120);
            format!(
                "{arrow}  {} in {}  {}",
                palette::status(answer.status, &status_text(answer)),
                millis(forwarded.latency),
                palette::dim(&excerpt)
            )
        }
        Outcome::Failed(f) => {
            let (text, hint) = failure_of(f, "your app");
            let hint = hint.map(|h| format!(" ({h})")).unwrap_or_default();
            format!(
                "{arrow}  {}",
                palette::fail(&format!("{text}{hint}; answered {answered}"))
            )
        }
    }
}

fn not_json(body: &[u8]) -> String {
    if body.is_empty() {
        return "empty body".to_string();
    }
    // Escaped bytes are ASCII: 200 of them are 200 characters, and the rest is never escaped.
    let shown: String = body.escape_ascii().take(200).map(char::from).collect();
    match std::str::from_utf8(body) {
        Ok(_) => format!("body is not JSON ({}): {shown}", bytes(body)),
        Err(_) => format!("body is not UTF-8 ({}): {shown}", bytes(body)),
    }
}

/// A body's length: `1 byte`, `21 bytes`.
fn bytes(body: &[u8]) -> String {
    plural(body.len() as u64, "byte", "bytes")
}

/// Writes one JSON line for a request, serialised straight from the record: no JSON tree is
/// built, and the body's exact bytes can always be recovered from the line.
pub fn write_record_json(
    out: &mut impl std::io::Write,
    record: &Record,
    redactor: Option<&Redactor>,
) -> std::io::Result<()> {
    let (body, body_encoding) = exact_body(record);
    let signature = record.is_delivery().then(|| match &record.signature {
        None => Signature::new("unchecked", None, None),
        Some(Verdict::Valid) => Signature {
            note: record.caveat.map(words::caveat),
            ..Signature::new("valid", None, None)
        },
        Some(Verdict::Unsigned) => Signature::new("unsigned", Some("no signature header"), None),
        Some(Verdict::Invalid(m)) => {
            Signature::new("invalid", Some(&m.reason), words::advice(m, "--public-url"))
        }
    });
    let line = Line {
        seq: record.seq,
        received_at: record.received_at.to_string(),
        method: &record.method,
        path: shown_path(redactor, &record.path),
        headers: HeadersJson(&record.headers, redactor),
        body,
        body_encoding,
        body_sha256: hex::encode(Sha256::digest(&record.body)),
        kind: record.event_type(),
        id: record.event_id(),
        signature,
        status: record.answered,
        refused: record.refused.as_ref().map(|r| match r {
            Refusal::Method => "method",
            Refusal::Path => "path",
            Refusal::TooLarge { .. } => "too_large",
            Refusal::SlowBody => "slow_body",
            Refusal::Unreadable(_) => "unreadable",
            Refusal::Loop { .. } => "loop",
            Refusal::Malformed(_) => "malformed",
        }),
        forwarded: record.forwarded.as_ref().map(|f| {
            let latency_ms = round3(f.latency.as_secs_f64() * 1000.0);
            match &f.outcome {
                Outcome::Answered(a) => {
                    json!({"url": shown_url(redactor, &f.url), "status": a.status, "latency_ms": latency_ms})
                }
                Outcome::Failed(e) => {
                    json!({"url": shown_url(redactor, &f.url), "error": e.kind(), "latency_ms": latency_ms})
                }
            }
        }),
        saved: match &record.saved {
            Some(Ok(path)) => Some(path.display().to_string()),
            _ => None,
        },
        save_error: match &record.saved {
            Some(Err(e)) => Some(e),
            _ => None,
        },
        abandoned: record.abandoned,
    };
    out.write_all(super::json_line(&line).as_bytes())?;
    out.write_all(b"\n")
}

#[derive(Serialize)]
struct Line<'a> {
    seq: u64,
    received_at: String,
    method: &'a str,
    path: Cow<'a, str>,
    headers: HeadersJson<'a>,
    body: Body<'a>,
    body_encoding: &'static str,
    body_sha256: String,
    #[serde(rename = "type")]
    kind: Option<&'a str>,
    id: Option<&'a str>,
    signature: Option<Signature<'a>>,
    status: u16,
    refused: Option<&'static str>,
    forwarded: Option<Value>,
    saved: Option<String>,
    save_error: Option<&'a String>,
    abandoned: bool,
}

#[derive(Serialize)]
struct Signature<'a> {
    status: &'static str,
    reason: Option<&'a str>,
    hint: Option<String>,
    /// What a valid verdict leaves unproven; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'static str>,
}

impl<'a> Signature<'a> {
    fn new(status: &'static str, reason: Option<&'a str>, hint: Option<String>) -> Self {
        Self {
            status,
            reason,
            hint,
            note: None,
        }
    }
}

/// The body as received: JSON copied through, exact text, or base64.
#[derive(Serialize)]
#[serde(untagged)]
enum Body<'a> {
    Raw(&'a RawValue),
    Text(&'a str),
    Base64(String),
}

/// The body and its `body_encoding`. Only JSON that fits a JSON line as it is (one line, no
/// space around it) is copied through; anything else is carried as a string, never re-encoded,
/// so numbers, repeated keys and escapes survive byte for byte.
fn exact_body(record: &Record) -> (Body<'_>, &'static str) {
    let Ok(text) = std::str::from_utf8(&record.body) else {
        let encoded = base64::engine::general_purpose::STANDARD.encode(&record.body);
        return (Body::Base64(encoded), "base64");
    };
    // A body the line would escape (bidi, C1, DEL) is carried as text: escaped in a string, its
    // value is still the exact body.
    if record.shape.json
        && !text.contains(['\n', '\r'])
        && sanitize::is_json_safe(text)
        && let Ok(raw) = serde_json::from_str::<&RawValue>(text)
        && raw.get() == text
    {
        return (Body::Raw(raw), "json");
    }
    (Body::Text(text), "text")
}

/// A header value as text, lossily when it is not visible ASCII.
fn text(value: &http::HeaderValue) -> std::borrow::Cow<'_, str> {
    match value.to_str() {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(value.as_bytes()),
    }
}

/// Headers as an object, repeated names joined with ", " as HTTP allows, credentials hidden
/// unless there is no redactor.
struct HeadersJson<'a>(&'a http::HeaderMap, Option<&'a Redactor>);

impl Serialize for HeadersJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.keys_len()))?;
        // The map yields every value of a name one after another.
        let mut pairs = self.0.iter().peekable();
        while let Some((name, first)) = pairs.next() {
            let mut value = text(first);
            while let Some((_, more)) = pairs.next_if(|(next, _)| *next == name) {
                let joined = value.to_mut();
                joined.push_str(", ");
                joined.push_str(&text(more));
            }
            map.serialize_entry(name.as_str(), &shown(self.1, name.as_str(), &value))?;
        }
        map.end()
    }
}

/// A summary note: its count, the noun (one, many), the words after it, and its style.
type Note<'a> = (u64, [&'a str; 2], &'a str, fn(&str) -> String);

/// The exit summary.
pub fn summary_lines(tally: &Tally, checked: bool) -> Vec<String> {
    let mut lines = vec![format!(
        "{} received{}",
        plural(tally.deliveries(), "delivery", "deliveries"),
        if tally.refused > 0 {
            format!(
                ", {} refused",
                plural(tally.refused, "other request", "other requests")
            )
        } else {
            String::new()
        }
    )];
    // What did not go as usual, one line each when it happened: count, nouns, words, style.
    let notes: [Note; 4] = [
        (
            tally.unsaved,
            ["delivery", "deliveries"],
            "not saved (answered 503 so the sender retries)",
            palette::fail,
        ),
        (
            tally.abandoned,
            ["delivery", "deliveries"],
            "abandoned by the sender (hung up before the answer), kept all the same",
            palette::plain,
        ),
        (
            tally.unrecorded,
            ["request", "requests"],
            "not recorded: the output was closed; answered 503 so the sender retries",
            palette::warn,
        ),
        (
            tally.turned_away,
            ["request", "requests"],
            "turned away with 503: no room to record them (output slow, stuck or closed)",
            palette::warn,
        ),
    ];
    for (count, [one, many], words, style) in notes {
        if count > 0 {
            let n = plural(count, one, many);
            lines.push(format!("  {}", style(&format!("{n} {words}"))));
        }
    }
    for (kind, n) in &tally.by_type {
        let kind = match kind {
            Kind::NoType => "(no type)",
            Kind::NotJson => "(not JSON)",
            Kind::OtherTypes => "(other types)",
            Kind::Named(name) => name,
        };
        lines.push(format!("  {:>6}  {}", n, palette::event_type(kind)));
    }
    if checked {
        // A zero count keeps its mark but not its colour.
        let valid = palette::pass(&format!("{} valid", tally.valid));
        let invalid = format!("{} invalid", tally.invalid);
        let invalid = match tally.invalid {
            0 => format!("✗ {invalid}"),
            _ => palette::fail(&invalid),
        };
        let unsigned = format!("{} unsigned", tally.unsigned);
        let unsigned = match tally.unsigned {
            0 => format!("– {unsigned}"),
            _ => palette::absent(&unsigned),
        };
        lines.push(format!("Signatures: {valid}  {invalid}  {unsigned}"));
    } else {
        lines.push(format!(
            "Signatures: {} not checked (no secret)",
            tally.unchecked
        ));
    }
    lines
}

/// A byte count as `1 MiB`, `512 KiB` or `300 B`.
fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b} B"),
    }
}

/// For a URL-signed scheme, the URL it verifies against.
fn signed_url_words(
    scheme: crate::signature::Scheme,
    config: &Config,
    addr: std::net::SocketAddr,
    redactor: &Redactor,
) -> String {
    if !scheme.signs_url() {
        return String::new();
    }
    match &config.public_url {
        Some(url) => format!(
            ", against the public URL {} with the path and query each request arrived with",
            palette::plain(&redactor.url(url))
        ),
        None => format!(
            ", against this listener's URL as each request addressed it (http://{addr}/…); behind a tunnel or proxy pass --public-url"
        ),
    }
}

/// The listener's banner: where it listens, what it verifies, how it answers, how it stops; the
/// `--forward-to` URL shown as every other URL is (`redactor`).
pub fn banner_lines(
    addr: std::net::SocketAddr,
    config: &Config,
    stop: (Option<u64>, Option<std::time::Duration>),
    redactor: &Redactor,
) -> Vec<String> {
    let (max_events, timeout) = stop;
    let path = config.path.as_deref().unwrap_or("/");
    let scope = if config.path.is_some() {
        ""
    } else {
        " (any path)"
    };
    let path = palette::plain(path);
    let mut lines = vec![format!("hookctl listening on http://{addr}{path}{scope}")];
    if !addr.ip().is_loopback() {
        let warning = "listening beyond this machine: anyone who can reach it can send to it";
        lines.push(format!("  {}", palette::warn(warning)));
    }
    lines.push(match &config.signer {
        Some(s) => {
            let tolerance = match (s.scheme().is_timestamped(), config.tolerance) {
                (false, _) => String::new(),
                (true, Some(t)) if !s.scheme().limits_future() => {
                    format!(", timestamps at most {} old", span(t))
                }
                (true, Some(t)) => format!(", timestamps within {}", span(t)),
                (true, None) => ", any timestamp age".to_string(),
            };
            let others = match config.detect {
                Some(_) => " (or the scheme a request's headers carry)",
                None => "",
            };
            match s.scheme() {
                Scheme::Basic => format!(
                    "  checking HTTP basic auth credentials in {} (nothing is signed)",
                    s.header()
                ),
                scheme => format!(
                    "  verifying {scheme} signatures in {}{others}{tolerance}{}",
                    s.header(),
                    signed_url_words(scheme, config, addr, redactor)
                ),
            }
        }
        None if config.provider.scheme == Scheme::Basic => format!(
            "  {}",
            palette::warn(
                "not checking credentials: none given (pass --basic-auth USER:PASSWORD to check them)"
            )
        ),
        None => format!(
            "  {}",
            palette::warn(
                "not verifying signatures: no secret given (pass --secret to check them)"
            )
        ),
    });
    let reply = &config.reply;
    let mut answer = format!(
        "  answering {} {}",
        reply.status,
        palette::plain(&reply.body)
    );
    if !reply.delay.is_zero() {
        answer.push_str(&format!(" after {}", wait(reply.delay)));
    }
    if reply.fail_first > 0 {
        let first = match reply.fail_first {
            1 => "delivery".to_string(),
            n => format!("{n} deliveries"),
        };
        answer.push_str(&format!("; 500 to the first {first} of each event"));
    }
    if reply.reject_invalid {
        answer.push_str("; 401 to a bad or missing signature");
    }
    lines.push(answer);
    if let Some(url) = &config.forward {
        lines.push(format!(
            "  forwarding to {} and answering with its answer",
            palette::plain(&redactor.url(url))
        ));
    }
    if let Some(dir) = &config.save {
        lines.push(format!(
            "  saving every request to {}",
            palette::plain(&dir.display().to_string())
        ));
    }
    let mut stop = "  stop with Ctrl-C".to_string();
    if let Some(n) = max_events {
        stop.push_str(&format!(
            ", or after {}",
            plural(n, "delivery", "deliveries")
        ));
    }
    if let Some(t) = timeout {
        stop.push_str(&format!(", or after {}", humantime::format_duration(t)));
    }
    lines.push(stop);
    lines
}
