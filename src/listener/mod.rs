//! The receiving side: an HTTP server that reads each webhook whole, verifies it against the raw
//! bytes, saves it, decides the answer (or relays it to a local app), hands a [`Record`] of it to
//! the [`Recorder`], and sends the answer once that record is written: a 2xx is never lost.

mod forward;
mod recorder;
pub mod saved;
mod server;
mod tally;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use serde_json::value::RawValue;
use serde_json::{Value, json};
use tokio::sync::oneshot;
use tokio_util::sync::CancellationToken;

pub use forward::{
    ANSWER_LIMIT, Forwarded, HOPS_HEADER, MAX_HOPS, RELAY_TIMEOUT, hops, is_own_address,
};
pub use recorder::{Entry, Recorder, Records, Room, TurnedAway, recorder};
pub use server::{Stops, serve};
pub use tally::{Kind, Tally};

use crate::providers::{BodyKind, Provider};
use crate::signature::{self, Caveat, Headers, Key, Policy, Scheme, Signer, Verdict};

/// Event ids remembered for `--fail-first` (and tokens, to tell a replay); past that, the
/// memory starts over.
const FAIL_FIRST_IDS: usize = 100_000;

/// The status of a normal answer: 200 to 599, the range a webhook answer can have (1xx are
/// interim answers, not a final one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Status(StatusCode);

/// A status outside 200..=599.
#[derive(Debug, thiserror::Error)]
#[error("{0} is not in 200..=599")]
pub struct StatusOutOfRange(u16);

impl TryFrom<u16> for Status {
    type Error = StatusOutOfRange;

    fn try_from(code: u16) -> Result<Self, Self::Error> {
        match StatusCode::from_u16(code) {
            Ok(status) if (200..=599).contains(&code) => Ok(Status(status)),
            _ => Err(StatusOutOfRange(code)),
        }
    }
}

impl Status {
    /// The status as HTTP's type.
    pub fn code(self) -> StatusCode {
        self.0
    }
}

impl Default for Status {
    fn default() -> Self {
        Status(StatusCode::OK)
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0.as_u16())
    }
}

/// How the listener answers.
#[derive(Debug, Clone)]
pub struct Reply {
    /// Status of a normal answer.
    pub status: Status,
    /// Body of a normal answer.
    pub body: String,
    /// Wait this long before answering.
    pub delay: Duration,
    /// Answer 500 to the first N deliveries of each event id.
    pub fail_first: u32,
    /// Answer 401 to a bad or missing signature.
    pub reject_invalid: bool,
}

impl Default for Reply {
    fn default() -> Self {
        Self {
            status: Status::default(),
            body: r#"{"received":true}"#.to_string(),
            delay: Duration::ZERO,
            fail_first: 0,
            reject_invalid: false,
        }
    }
}

/// Everything the listener needs to know.
#[derive(Debug, Clone)]
pub struct Config {
    /// Only this path is a webhook; `None` accepts every path.
    pub path: Option<String>,
    /// The provider whose events are expected: where a body names its type and id, and what
    /// is shown at a glance.
    pub provider: &'static Provider,
    /// Verifies signatures; `None` leaves them unchecked.
    pub signer: Option<Signer>,
    /// When no provider or scheme was named: the key to verify a request under the scheme its
    /// headers carry, when they name one other than `signer`'s.
    pub detect: Option<Key>,
    /// The URL the provider was configured with (a tunnel's or proxy's public URL): URL-signed
    /// schemes verify against it. `None`: the URL the request was sent to.
    pub public_url: Option<reqwest::Url>,
    /// Timestamp tolerance for timestamped schemes; `None` accepts any age.
    pub tolerance: Option<u64>,
    /// How to answer.
    pub reply: Reply,
    /// Relay each webhook to this URL and answer with its answer.
    pub forward: Option<reqwest::Url>,
    /// Largest body accepted; larger ones get 413.
    pub max_body: usize,
    /// Save every request into this directory.
    pub save: Option<PathBuf>,
    /// A client must send its headers within this time (slowloris guard).
    pub header_timeout: Duration,
    /// And its body within this time, or it gets 408.
    pub body_timeout: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            path: None,
            provider: crate::providers::default(),
            signer: None,
            detect: None,
            public_url: None,
            tolerance: Some(crate::signature::DEFAULT_TOLERANCE_SECS),
            reply: Reply::default(),
            forward: None,
            max_body: 1024 * 1024,
            save: None,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
        }
    }
}

/// Why a request was answered without being taken as a delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Not a POST (405).
    Method,
    /// Not the configured path (404).
    Path,
    /// Body over the limit (413).
    TooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// The body did not arrive in time (408).
    SlowBody,
    /// The body could not be read (400).
    Unreadable(String),
    /// Already relayed [`MAX_HOPS`] times when forwarding: a loop (508).
    Loop {
        /// The relays it had been through.
        hops: u32,
    },
    /// The HTTP layer could not parse the request and answered it itself (400, 414, 431).
    Malformed(String),
}

/// One request as received and answered.
#[derive(Debug, Clone)]
pub struct Record {
    /// Arrival order, from 1.
    pub seq: u64,
    /// When it arrived.
    pub received_at: jiff::Timestamp,
    /// HTTP method.
    pub method: String,
    /// Path and query.
    pub path: String,
    /// Headers as received.
    pub headers: HeaderMap,
    /// The raw body (empty when refused before reading).
    pub body: Bytes,
    /// The provider it is read as: the listener's, or the one its signature headers name.
    pub provider: &'static Provider,
    /// Whether the body is JSON, and the event's type and id.
    pub shape: Shape,
    /// The signature verdict; `None` when no secret was given.
    pub signature: Option<Verdict>,
    /// What a valid verdict leaves unproven (Mailgun's unsigned event data).
    pub caveat: Option<Caveat>,
    /// Set when the request was not taken as a delivery.
    pub refused: Option<Refusal>,
    /// The status answered.
    pub answered: u16,
    /// What the relay target answered, when forwarding.
    pub forwarded: Option<Forwarded>,
    /// Where it was saved, or why saving failed.
    pub saved: Option<Result<PathBuf, String>>,
    /// The sender hung up before the answer (its own timeout): read whole and kept all the same.
    pub abandoned: bool,
}

impl Record {
    /// Whether it counts as a delivery (read whole and shown; 404/405/408/413 do not count).
    pub fn is_delivery(&self) -> bool {
        self.refused.is_none()
    }

    /// The event's `type`, when the body is a JSON object that has one.
    pub fn event_type(&self) -> Option<&str> {
        self.shape.kind.as_deref()
    }

    /// The event's `id`, when the body has one.
    pub fn event_id(&self) -> Option<&str> {
        self.shape.id.as_deref()
    }

    /// The body as a JSON tree, when it is JSON (built on demand: only the display needs it).
    pub fn json(&self) -> Option<Value> {
        if !self.shape.json {
            return None;
        }
        serde_json::from_slice(&self.body).ok()
    }

    /// The body's fields: its JSON tree, or a form's parameters as an object of strings.
    pub fn fields(&self) -> Option<Value> {
        match self.shape.form {
            true => crate::providers::parse_form(&self.body),
            false => self.json(),
        }
    }
}

/// What a body is, read without building its JSON tree: whether it is JSON, and the event's
/// `type` and `id` when it is an object whose fields of those names are strings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shape {
    /// The body is one JSON value.
    pub json: bool,
    /// The body is form-encoded parameters (a form provider's).
    pub form: bool,
    /// The `type` field.
    pub kind: Option<String>,
    /// The `id` field.
    pub id: Option<String>,
}

impl Shape {
    /// Reads `body`'s shape as `provider` writes its events.
    pub fn read(provider: &Provider, body: &[u8]) -> Self {
        if provider.names_type_and_id_at_top() {
            return Self::of(body);
        }
        let Some(value) = provider.read(body) else {
            return Shape {
                json: serde_json::from_slice::<serde::de::IgnoredAny>(body).is_ok(),
                ..Shape::default()
            };
        };
        let event = provider.first(&value);
        Shape {
            json: provider.body != BodyKind::Form,
            form: provider.body == BodyKind::Form,
            kind: provider.type_of(event),
            id: provider.id_of(event).map(str::to_string),
        }
    }

    /// Reads `body`'s shape: a JSON object's top-level `type` and `id`.
    pub fn of(body: &[u8]) -> Self {
        #[derive(serde::Deserialize)]
        struct Envelope<'a> {
            #[serde(rename = "type", borrow)]
            kind: Option<&'a RawValue>,
            #[serde(borrow)]
            id: Option<&'a RawValue>,
        }
        let text = |raw: Option<&RawValue>| serde_json::from_str::<String>(raw?.get()).ok();
        let Ok(body) = std::str::from_utf8(body) else {
            return Shape::default();
        };
        // serde reads a struct from an array too (`["email.sent","evt_1"]`): only an object has fields.
        let object = body
            .trim_start_matches([' ', '\t', '\n', '\r'])
            .starts_with('{');
        match serde_json::from_str::<Envelope>(body) {
            Ok(envelope) if object => Shape {
                json: true,
                form: false,
                kind: text(envelope.kind),
                id: text(envelope.id),
            },
            // Not an object, or an object with a repeated `id` or `type`: JSON all the same?
            _ => Shape {
                json: serde_json::from_str::<serde::de::IgnoredAny>(body).is_ok(),
                ..Shape::default()
            },
        }
    }
}

pub(crate) struct Shared {
    config: Config,
    recorder: Recorder,
    seq: AtomicU64,
    /// Signers made for schemes the headers named (see [`Config::detect`]).
    detected: std::sync::Mutex<Vec<(Scheme, Signer)>>,
    /// Deliveries seen per event id, for --fail-first.
    seen: std::sync::Mutex<HashMap<IdKey, u32>>,
    /// Tokens of valid signatures that carry one (Mailgun's), to tell a replay.
    tokens: std::sync::Mutex<std::collections::HashSet<String>>,
    forward: Option<forward::Relay>,
    /// Cancelled at the end of the grace: `--delay` waits and relays end with 503.
    cut: CancellationToken,
    /// Cancelled when the server closes what is still open: nobody waits for a record any more.
    give_up: CancellationToken,
    /// Deliveries being answered.
    in_flight: Arc<server::InFlight>,
}

impl Shared {
    fn new(config: Config, recorder: Recorder) -> Self {
        let forward = config.forward.clone().map(forward::Relay::new);
        Self {
            config,
            recorder,
            seq: AtomicU64::new(0),
            detected: std::sync::Mutex::new(Vec::new()),
            seen: std::sync::Mutex::new(HashMap::new()),
            tokens: std::sync::Mutex::default(),
            forward,
            cut: CancellationToken::new(),
            give_up: CancellationToken::new(),
            in_flight: Arc::default(),
        }
    }

    /// The provider a request is read as and the signer that verifies it: the listener's, unless
    /// it was told neither and the headers carry another scheme's signature.
    fn pick(&self, headers: &Headers) -> (&'static Provider, Option<Signer>) {
        let config = &self.config;
        let fixed = (config.provider, config.signer.clone());
        // The usual case, decided first: a request signed as the listener was told.
        let own = |s: &Signer| headers.contains(s.header());
        if config.detect.is_none() || config.signer.as_ref().is_some_and(own) {
            return fixed;
        }
        let (Some(key), Some(scheme)) = (&config.detect, Scheme::detect(headers)) else {
            return fixed;
        };
        // A scheme whose signature here would leave the body unproven (Plivo's V2 alone) is
        // never taken on the headers' word: it would let a captured signature carry any body.
        if config.signer.as_ref().is_some_and(|s| s.scheme() == scheme)
            || scheme.caveat_for(headers).is_some()
        {
            return fixed;
        }
        let provider = crate::providers::of_scheme(scheme).unwrap_or(config.provider);
        let mut detected = self.detected.lock().expect("no panics while held");
        if let Some((_, signer)) = detected.iter().find(|(s, _)| *s == scheme) {
            return (provider, Some(signer.clone()));
        }
        match Signer::with_key(scheme, key, None) {
            Ok(signer) => {
                detected.push((scheme, signer.clone()));
                (provider, Some(signer))
            }
            // The key does not suit that scheme: verified as the listener was told.
            Err(_) => fixed,
        }
    }

    /// Whether an earlier valid delivery carried the token of `body`'s signature object; the
    /// token is remembered either way. Bounded whatever senders make up: past the limit, the
    /// memory starts over.
    fn replays_token(&self, body: &[u8]) -> bool {
        let Some(token) = signature::mailgun::token_of(body) else {
            return false;
        };
        let mut tokens = self.tokens.lock().expect("no panics while held");
        if tokens.len() >= FAIL_FIRST_IDS && !tokens.contains(&token) {
            tokens.clear();
        }
        !tokens.insert(token)
    }

    /// A record for a request that just arrived, numbered in arrival order.
    fn new_record(&self, received_at: jiff::Timestamp, method: &str, path: &str) -> Record {
        Record {
            seq: self.seq.fetch_add(1, Ordering::Relaxed) + 1,
            received_at,
            method: method.to_string(),
            path: path.to_string(),
            headers: HeaderMap::new(),
            body: Bytes::new(),
            provider: self.config.provider,
            shape: Shape::default(),
            signature: None,
            caveat: None,
            refused: None,
            answered: 0,
            forwarded: None,
            saved: None,
            abandoned: false,
        }
    }
}

/// The URL a provider signed for a request that arrived at `path` (path and query): the public
/// URL's origin with that path when the public URL names no path of its own, else the public URL
/// as given; without one, the URL the sender addressed (its `Host`). `None` without a `Host`.
fn signed_url(public: Option<&reqwest::Url>, headers: &HeaderMap, path: &str) -> Option<String> {
    match public {
        Some(url) => Some(public_url_for(url, path)),
        None => {
            let host = headers.get(header::HOST)?.to_str().ok()?;
            Some(format!("http://{host}{path}"))
        }
    }
}

/// The public URL a request to `path` (path and query, as received) was addressed to: the
/// public URL's scheme and host, then the path and query the request arrived with (a tunnel
/// forwards them unchanged). A path in the public URL counts where the proxy may have cut it:
/// when it ends with the received path (`/hooks/sms` for `/sms`) it is the path, and when it ends
/// with `/` it is put before the received path (a proxy mounting the listener under `/hooks/`).
pub fn public_url_for(public: &reqwest::Url, path: &str) -> String {
    let origin = public.origin().ascii_serialization();
    let (received, query) = match path.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (path, None),
    };
    let configured = public.path();
    let path = if configured.len() > 1 && configured.ends_with(received) {
        configured.to_string()
    } else if configured.len() > 1 && configured.ends_with('/') {
        format!("{}{received}", configured.trim_end_matches('/'))
    } else {
        received.to_string()
    };
    match query {
        Some(q) => format!("{origin}{path}?{q}"),
        None => format!("{origin}{path}"),
    }
}

/// Binds `host:port` (port 0 picks a free one).
pub async fn bind(host: &str, port: u16) -> std::io::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind((host, port)).await
}

async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let received_at = jiff::Timestamp::now();
    let (parts, body) = request.into_parts();
    let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let mut record = shared.new_record(received_at, parts.method.as_str(), path);
    record.headers = parts.headers;
    let early = refusal_before_body(&shared, &parts.method, parts.uri.path(), &record.headers);
    // A place to record it is taken before the body is read, and budget as the body arrives:
    // memory stays bounded when the display falls behind, and the sender is told to retry.
    let Some(mut room) = shared.recorder.reserve().await else {
        return unavailable("the listener cannot record more right now");
    };
    if !shared.recorder.hold(&mut room, head_size(&record)).await {
        return unavailable("the listener cannot record more right now");
    }
    let refusal = match early {
        Some(refusal) => Some(refusal),
        None => match read_body(&shared, &mut room, body).await {
            Ok(Some(bytes)) => {
                record.body = bytes;
                None
            }
            Ok(None) => return unavailable("the listener cannot record more right now"),
            Err(refusal) => Some(refusal),
        },
    };
    if let Some(refusal) = refusal {
        let response = refusal_response(&refusal);
        record.answered = response.status().as_u16();
        record.refused = Some(refusal);
        room.note(record);
        return response;
    }
    // Read whole: from here on it runs on its own, so a sender that hangs up does not take the
    // delivery with it.
    let (answer, answered) = oneshot::channel();
    let busy = shared.in_flight.enter();
    tokio::spawn(async move {
        let _busy = busy;
        let response = deliver(&shared, record, room, &answer).await;
        let _ = answer.send(response);
    });
    answered
        .await
        .unwrap_or_else(|_| unavailable("the listener is stopping"))
}

/// A refusal decided from the head alone: method, path, announced length.
fn refusal_before_body(
    shared: &Shared,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
) -> Option<Refusal> {
    let config = &shared.config;
    if method != Method::POST {
        Some(Refusal::Method)
    } else if config.path.as_deref().is_some_and(|p| p != path) {
        Some(Refusal::Path)
    } else if shared.forward.is_some() && hops(headers) >= MAX_HOPS {
        Some(Refusal::Loop {
            hops: hops(headers),
        })
    } else if content_length(headers).is_some_and(|n| n > config.max_body as u64) {
        Some(Refusal::TooLarge {
            limit: config.max_body,
        })
    } else {
        None
    }
}

/// Reads the body whole within the time allowed, holding budget for each chunk as it arrives;
/// `Ok(None)` when the budget had no room for it.
async fn read_body(shared: &Shared, room: &mut Room, body: Body) -> Result<Option<Bytes>, Refusal> {
    let config = &shared.config;
    let read = read_chunks(shared, room, body);
    tokio::time::timeout(config.body_timeout, read)
        .await
        .unwrap_or(Err(Refusal::SlowBody))
}

async fn read_chunks(
    shared: &Shared,
    room: &mut Room,
    body: Body,
) -> Result<Option<Bytes>, Refusal> {
    use http_body_util::BodyExt;
    let limit = shared.config.max_body;
    let mut body = http_body_util::Limited::new(body, limit);
    let mut bytes = bytes::BytesMut::new();
    while let Some(frame) = body.frame().await {
        let frame =
            frame.map_err(
                |e| match e.downcast_ref::<http_body_util::LengthLimitError>() {
                    Some(_) => Refusal::TooLarge { limit },
                    None => Refusal::Unreadable(e.to_string()),
                },
            )?;
        let Ok(chunk) = frame.into_data() else {
            continue;
        };
        if !shared.recorder.hold(room, chunk.len()).await {
            return Ok(None);
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(Some(bytes.freeze()))
}

/// Verifies, saves and answers a delivery read whole; the answer goes out once it is recorded.
async fn deliver(
    shared: &Shared,
    mut record: Record,
    mut room: Room,
    sender: &oneshot::Sender<Response>,
) -> Response {
    let config = &shared.config;
    let checking = config.signer.is_some() || config.detect.is_some();
    let headers = match checking {
        true => Headers::from(&record.headers),
        false => Headers::new(),
    };
    let (provider, signer) = shared.pick(&headers);
    record.provider = provider;
    record.shape = Shape::read(provider, &record.body);
    // A provider whose bodies carry no event id names the delivery in a header (svix-id,
    // I-Twilio-Idempotency-Token).
    if provider.event_id.is_none() {
        record.shape.id = crate::catalog::delivery_id(None, &record.headers);
    }
    record.signature = signer.as_ref().map(|signer| {
        let policy = Policy {
            now: record.received_at.as_second(),
            tolerance: config.tolerance,
        };
        // Only URL-signed schemes read it: others are spared building it.
        let url = signer
            .scheme()
            .signs_url()
            .then(|| signed_url(config.public_url.as_ref(), &record.headers, &record.path))
            .flatten();
        let request = signature::Request {
            method: &record.method,
            url: url.as_deref(),
            headers: &headers,
            body: &record.body,
        };
        signer.verify_request(&request, &policy)
    });
    if let (Some(Verdict::Valid), Some(signer)) = (&record.signature, &signer) {
        record.caveat = signer.scheme().caveat_for(&headers);
        if signer.scheme().signs_inside_body() && shared.replays_token(&record.body) {
            record.signature = Some(signature::mailgun::replayed());
            record.caveat = None;
        }
    }

    if let Some(dir) = &config.save {
        let name = saved::file_name(record.received_at, record.seq, record.event_id());
        let bytes = saved::encode(&record.method, &record.path, &record.headers, &record.body);
        let dir = dir.clone();
        let result = tokio::task::spawn_blocking(move || saved::store(&dir, &name, &bytes))
            .await
            .map_err(|e| e.to_string())
            .and_then(|r| r.map_err(|e| e.to_string()));
        record.saved = Some(result);
    }

    let mut response = answer(shared, &mut record).await;
    // A relayed answer waits in memory with the record: it holds budget like the body.
    let answer_size = usize::try_from(axum::body::HttpBody::size_hint(response.body()).lower());
    if !shared
        .recorder
        .hold(&mut room, answer_size.unwrap_or(usize::MAX))
        .await
    {
        response = unavailable("the listener cannot record more right now");
    }
    record.answered = response.status().as_u16();
    record.abandoned = sender.is_closed();
    if room.record(record, &shared.give_up).await {
        response
    } else {
        // Never acknowledge what could not be recorded: the sender will retry.
        unavailable("the listener could not record this delivery")
    }
}

/// Decides the answer for a delivery read whole.
async fn answer(shared: &Shared, record: &mut Record) -> Response {
    let reply = &shared.config.reply;
    if !reply.delay.is_zero() {
        tokio::select! {
            _ = tokio::time::sleep(reply.delay) => {}
            _ = shared.cut.cancelled() => return unavailable("the listener is stopping"),
        }
    }
    if let Some(Err(e)) = &record.saved {
        // Never acknowledge what could not be kept: 503 so the sender retries.
        return unavailable(&format!("could not save the request: {e}"));
    }
    if reply.reject_invalid
        && matches!(
            record.signature,
            Some(Verdict::Invalid(_) | Verdict::Unsigned)
        )
    {
        return plain(
            StatusCode::UNAUTHORIZED,
            r#"{"error":"invalid signature"}"#.into(),
        );
    }
    if reply.fail_first > 0 {
        // A body that names no id (Vonage's) is known by its bytes: a retry sends them again.
        let key = match crate::catalog::delivery_id(record.event_id(), &record.headers) {
            Some(id) => id_key(id.as_bytes()),
            None => id_key(&record.body),
        };
        let seen = {
            let mut seen = shared.seen.lock().expect("no panics while held");
            // Bounded whatever ids senders make up: past the limit, every id starts over.
            if seen.len() >= FAIL_FIRST_IDS && !seen.contains_key(&key) {
                seen.clear();
            }
            let n = seen.entry(key).or_default();
            *n += 1;
            *n
        };
        if seen <= reply.fail_first {
            return plain(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!(
                    "{{\"error\":\"failing delivery {seen} of this event on purpose (--fail-first {})\"}}",
                    reply.fail_first
                ),
            );
        }
    }
    if let Some(relay) = &shared.forward {
        let started = std::time::Instant::now();
        let (forwarded, response) = tokio::select! {
            relayed = relay.relay(&record.headers, record.body.clone()) => relayed,
            _ = shared.cut.cancelled() => (
                relay.cut_short(started.elapsed()),
                unavailable("the listener is stopping"),
            ),
        };
        record.forwarded = Some(forwarded);
        return response;
    }
    let status = reply.status.code();
    if matches!(status, StatusCode::NO_CONTENT | StatusCode::NOT_MODIFIED) {
        // HTTP forbids a body on these.
        let mut response = Response::new(Body::empty());
        *response.status_mut() = status;
        return response;
    }
    plain(status, reply.body.clone())
}

/// A delivery id as `--fail-first` remembers it: its SHA-256, so a sender's id of a megabyte
/// costs 32 bytes.
type IdKey = [u8; 32];

fn id_key(id: &[u8]) -> IdKey {
    use sha2::Digest;
    sha2::Sha256::digest(id).into()
}

/// 503 with Retry-After: the sender should come back (a provider retries on its own).
fn unavailable(why: &str) -> Response {
    let mut response = plain(
        StatusCode::SERVICE_UNAVAILABLE,
        json!({ "error": format!("{why}; retry") }).to_string(),
    );
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    response
}

fn plain(status: StatusCode, body: String) -> Response {
    let content_type = if body.starts_with('{') || body.starts_with('[') {
        "application/json"
    } else {
        "text/plain; charset=utf-8"
    };
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

fn refusal_response(refusal: &Refusal) -> Response {
    match refusal {
        Refusal::Method => {
            let mut r = plain(
                StatusCode::METHOD_NOT_ALLOWED,
                r#"{"error":"webhooks are POSTed"}"#.into(),
            );
            r.headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("POST"));
            r
        }
        Refusal::Path => plain(
            StatusCode::NOT_FOUND,
            r#"{"error":"no webhook at this path"}"#.into(),
        ),
        Refusal::TooLarge { limit } => plain(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("{{\"error\":\"body over {limit} bytes\"}}"),
        ),
        Refusal::SlowBody => plain(
            StatusCode::REQUEST_TIMEOUT,
            r#"{"error":"body not received in time"}"#.into(),
        ),
        Refusal::Unreadable(_) | Refusal::Malformed(_) => plain(
            StatusCode::BAD_REQUEST,
            r#"{"error":"body could not be read"}"#.into(),
        ),
        Refusal::Loop { .. } => plain(
            StatusCode::LOOP_DETECTED,
            format!(
                "{{\"error\":\"relayed {MAX_HOPS} times already ({HOPS_HEADER}): a forwarding loop\"}}"
            ),
        ),
    }
}

/// The bytes a record keeps of a request's head: its path and headers.
fn head_size(record: &Record) -> usize {
    let headers: usize = record
        .headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len())
        .sum();
    record.path.len() + headers
}

fn content_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::{Status, public_url_for};

    #[test]
    fn the_public_url_takes_the_path_and_query_each_request_arrived_with() {
        let url = |text: &str| reqwest::Url::parse(text).unwrap();
        let tunnel = url("https://abc.ngrok.app");
        assert_eq!(
            public_url_for(&tunnel, "/sms?x=1"),
            "https://abc.ngrok.app/sms?x=1"
        );
        let configured = url("https://abc.ngrok.app/sms");
        assert_eq!(
            public_url_for(&configured, "/sms"),
            "https://abc.ngrok.app/sms"
        );
        assert_eq!(
            public_url_for(&configured, "/voice"),
            "https://abc.ngrok.app/voice"
        );
        let mounted = url("https://example.com/hooks/sms");
        assert_eq!(
            public_url_for(&mounted, "/sms?a=b"),
            "https://example.com/hooks/sms?a=b"
        );
        let prefix = url("https://example.com:8443/hooks/");
        assert_eq!(
            public_url_for(&prefix, "/sms"),
            "https://example.com:8443/hooks/sms"
        );
    }

    #[test]
    fn a_reply_status_is_a_final_answer_from_200_to_599() {
        for code in [0, 100, 101, 103, 199, 600, 999] {
            assert!(Status::try_from(code).is_err(), "{code}");
        }
        for code in [200, 204, 304, 503, 599] {
            assert_eq!(Status::try_from(code).unwrap().code().as_u16(), code);
        }
    }
}
