//! The sending side: one signed POST, retries as a provider does them, and the bulk runner.

pub mod bulk;
mod retry;
mod wire;

use std::time::{Duration, Instant};

use base64::Engine;
use bytes::Bytes;
use http::StatusCode;
use reqwest::header::{
    AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, USER_AGENT,
};

pub use retry::{RetryPolicy, WaitReason};
pub use wire::{Target, Wire};

use crate::catalog::new_id;
use crate::signature::{Headers, NotAHeaderValue, Request, SignError, Signer, Stamp, check_values};

/// Headers that describe one hop of a connection: never relayed or replayed.
pub const HOP_BY_HOP: [&str; 6] = [
    "host",
    "content-length",
    "connection",
    "transfer-encoding",
    "keep-alive",
    "upgrade",
];

/// How much of a response body is kept for display.
pub const BODY_KEEP: usize = 64 * 1024;

/// Errors setting up an endpoint.
#[derive(Debug, thiserror::Error)]
pub enum EndpointError {
    /// Not a URL at all.
    #[error("`{url}` is not a valid URL ({reason}); write it like http://127.0.0.1:8080/webhook")]
    BadUrl {
        /// What was given.
        url: String,
        /// The parser's complaint.
        reason: String,
    },
    /// A URL of another scheme.
    #[error("`{0}` is not an http:// or https:// URL; webhooks are delivered over HTTP")]
    NotHttp(String),
    /// An extra header that HTTP cannot carry (raw: it may hold a secret, the caller hides it).
    #[error("the {name} header cannot be sent: HTTP allows no control character in a header")]
    BadHeader {
        /// The header's name as given.
        name: String,
        /// Its value as given.
        value: String,
    },
    /// A header made for a delivery that HTTP cannot carry (an event id with a line break).
    #[error(transparent)]
    NotAHeaderValue(#[from] NotAHeaderValue),
    /// More headers than one request can carry.
    #[error("too many headers for one request")]
    TooManyHeaders,
    /// The request cannot be signed as the scheme requires.
    #[error(transparent)]
    Sign(#[from] SignError),
    /// The HTTP client could not be built.
    #[error("cannot set up the HTTP client: {0}")]
    Client(String),
}

/// Milliseconds for people: one decimal below 10 ms (`2.3 ms`, `23 ms`).
pub fn millis(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 10.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{ms:.0} ms")
    }
}

/// A budget, as `5 s` or `300 ms`.
pub fn budget(d: Duration) -> String {
    if d.subsec_millis() == 0 && d >= Duration::from_secs(1) {
        format!("{} s", d.as_secs())
    } else {
        format!("{} ms", d.as_millis())
    }
}

/// Parses and checks an endpoint URL: http or https, with a host.
pub fn parse_url(text: &str) -> Result<reqwest::Url, EndpointError> {
    // The error echoes what was given: never its password.
    let shown = || crate::redact::url_text(text).into_owned();
    let url = reqwest::Url::parse(text.trim()).map_err(|e| EndpointError::BadUrl {
        url: shown(),
        reason: e.to_string(),
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(EndpointError::NotHttp(shown()));
    }
    Ok(url)
}

/// Whether the URL's host is this machine (plain HTTP is fine there).
pub fn is_loopback(url: &reqwest::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        // `::ffff:127.0.0.1` is the IPv4 loopback written as IPv6.
        Some(url::Host::Ipv6(ip)) => ip.to_canonical().is_loopback(),
        None => false,
    }
}

/// Client settings for an endpoint.
#[derive(Debug, Clone)]
pub struct EndpointConfig {
    /// Where to POST.
    pub url: reqwest::Url,
    /// Signs each attempt; `None` sends unsigned.
    pub signer: Option<Signer>,
    /// The bodies' `Content-Type` (the provider's).
    pub content_type: &'static str,
    /// Extra `(name, value)` headers, after the defaults (they may replace Content-Type).
    pub headers: Vec<(String, String)>,
    /// Budget for one attempt, answer and body included.
    pub timeout: Duration,
    /// Accept self-signed and otherwise invalid certificates.
    pub insecure: bool,
    /// Idle connections kept for reuse.
    pub pool: usize,
}

/// A webhook endpoint and a client to reach it.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// Built on first use: a burst never needs it, and loading the system's certificates
    /// costs more than a burst's whole start-up.
    client: std::sync::OnceLock<Result<reqwest::Client, String>>,
    pool: usize,
    url: reqwest::Url,
    /// The URL the provider signs, when a proxy or tunnel in front makes it differ from `url`.
    public_url: Option<reqwest::Url>,
    signer: Option<Signer>,
    headers: HeaderMap,
    timeout: Duration,
    insecure: bool,
}

/// A body to deliver and the id its attempts share.
#[derive(Debug, Clone, Default)]
pub struct Outgoing {
    /// The exact bytes sent and signed.
    pub body: Bytes,
    /// The event id (Standard Webhooks signs it as `webhook-id`); the same on every attempt.
    pub id: String,
    /// Headers of this delivery only (a replayed request's), over the endpoint's.
    pub headers: HeaderMap,
}

impl Outgoing {
    /// `body` under the event's own `id`, or a fresh `msg_` id when it has none.
    pub fn new(body: Bytes, id: Option<&str>) -> Self {
        Self {
            body,
            id: id.map_or_else(|| new_id("msg_"), str::to_string),
            headers: HeaderMap::new(),
        }
    }
}

/// What the endpoint answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// HTTP status code.
    pub status: u16,
    /// The status's canonical reason phrase.
    pub reason: &'static str,
    /// Response headers as received.
    pub headers: HeaderMap,
    /// The start of the body (at most [`BODY_KEEP`] bytes).
    pub body: Bytes,
    /// Whether the body was longer than what is kept.
    pub body_truncated: bool,
}

impl Answer {
    /// The first value of a response header, shown lossily when it is not UTF-8.
    pub fn header(&self, name: &str) -> Option<std::borrow::Cow<'_, str>> {
        let value = self.headers.get(name)?;
        Some(String::from_utf8_lossy(value.as_bytes()))
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// Why an attempt got no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// No answer within the budget.
    Timeout(Duration),
    /// Nothing listens on that port.
    Refused {
        /// The port tried.
        port: u16,
    },
    /// The host name does not resolve.
    Dns {
        /// The host tried.
        host: String,
    },
    /// The TLS handshake failed (certificate, protocol).
    Tls(String),
    /// The connection was reset or closed before a complete answer.
    Dropped(String),
    /// Anything else, with the underlying message.
    Other(String),
    /// An answer over the size that is relayed back (`listen --forward-to`).
    TooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// The listener stopped waiting before the answer came (`listen --forward-to`, Ctrl-C).
    Cut,
}

impl Failure {
    /// Whether a failed TLS handshake got an answer that is not TLS at all, most likely plain
    /// HTTP on an `https://` URL: rustls names the record type it could not read
    /// (`received corrupt message of type InvalidContentType`).
    pub fn is_plain_http(&self) -> bool {
        matches!(self, Failure::Tls(e) if e.contains("InvalidContentType"))
    }

    /// A short stable name for statistics and JSON: `timeout`, `refused`, `dns`, `tls`, `dropped`,
    /// `other`, `too_large`, `cut`.
    pub fn kind(&self) -> &'static str {
        match self {
            Failure::Timeout(_) => "timeout",
            Failure::Refused { .. } => "refused",
            Failure::Dns { .. } => "dns",
            Failure::Tls(_) => "tls",
            Failure::Dropped(_) => "dropped",
            Failure::Other(_) => "other",
            Failure::TooLarge { .. } => "too_large",
            Failure::Cut => "cut",
        }
    }
}

/// An attempt's result: an answer, or a failure to get one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The endpoint answered (any status).
    Answered(Answer),
    /// No answer.
    Failed(Failure),
}

impl Outcome {
    /// Whether the endpoint answered 2xx.
    pub fn is_success(&self) -> bool {
        matches!(self, Outcome::Answered(a) if a.is_success())
    }

    /// The status code, when there was an answer.
    pub fn status(&self) -> Option<u16> {
        match self {
            Outcome::Answered(a) => Some(a.status),
            Outcome::Failed(_) => None,
        }
    }
}

/// One request of a delivery.
#[derive(Debug, Clone)]
pub struct Attempt {
    /// 1-based attempt number.
    pub number: u32,
    /// Attempts allowed in all (retries + 1).
    pub of: u32,
    /// The headers sent (defaults, extras, signature).
    pub request_headers: HeaderMap,
    /// What happened.
    pub outcome: Outcome,
    /// From sending the request to the end of the answer.
    pub latency: Duration,
    /// The wait before the next attempt, when there is one.
    pub next: Option<(Duration, WaitReason)>,
}

/// Every attempt of one event, summed up.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// The last attempt.
    pub last: Attempt,
    /// How many attempts were made.
    pub attempts: u32,
}

impl Delivery {
    /// Whether the delivery ended 2xx.
    pub fn is_success(&self) -> bool {
        self.last.outcome.is_success()
    }
}

/// Makes ring the process's TLS crypto provider. Several clients may be set up in one process;
/// only the first install counts.
pub(crate) fn install_ring() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// An HTTP client as a provider's: no redirects followed, no proxy, rustls with ring.
pub(crate) fn client_builder() -> reqwest::ClientBuilder {
    install_ring();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .tcp_nodelay(true)
}

impl Endpoint {
    /// Checks the settings; the client is built once, on first use, and reused (with its
    /// connection pool) by every delivery.
    pub fn new(config: EndpointConfig) -> Result<Self, EndpointError> {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(config.content_type));
        headers.insert(
            USER_AGENT,
            HeaderValue::from_static(concat!("hookctl/", env!("CARGO_PKG_VERSION"))),
        );
        for (name, value) in &config.headers {
            let bad = || EndpointError::BadHeader {
                name: name.clone(),
                value: value.clone(),
            };
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| bad())?;
            let value = HeaderValue::from_str(value).map_err(|_| bad())?;
            headers
                .try_insert(name, value)
                .map_err(|_| EndpointError::TooManyHeaders)?;
        }
        // Every request carries the URL's user:password, over the shared client and a burst's
        // own connections alike; an Authorization given with -H wins.
        if let Some(auth) = basic_auth(&config.url)
            && !headers.contains_key(AUTHORIZATION)
        {
            headers.insert(AUTHORIZATION, auth);
        }
        Ok(Self {
            client: std::sync::OnceLock::new(),
            pool: config.pool.max(1),
            url: config.url,
            public_url: None,
            signer: config.signer,
            headers,
            timeout: config.timeout,
            insecure: config.insecure,
        })
    }

    fn client(&self) -> Result<&reqwest::Client, Failure> {
        let built = self.client.get_or_init(|| {
            client_builder()
                .pool_max_idle_per_host(self.pool)
                .tls_danger_accept_invalid_certs(self.insecure)
                .build()
                .map_err(|e| EndpointError::Client(e.to_string()).to_string())
        });
        built.as_ref().map_err(|e| Failure::Other(e.clone()))
    }

    /// The headers every delivery carries (`Content-Type` among them).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The URL deliveries go to.
    pub fn url(&self) -> &reqwest::Url {
        &self.url
    }

    /// The same endpoint behind a proxy or tunnel that the provider addresses as `public`: the
    /// schemes that sign the URL sign that one.
    pub fn behind(mut self, public: Option<reqwest::Url>) -> Self {
        self.public_url = public;
        self
    }

    /// The URL a provider signs: the public one in front of the endpoint, else its own.
    pub fn signed_url(&self) -> &reqwest::Url {
        self.public_url.as_ref().unwrap_or(&self.url)
    }

    /// The public URL in front of the endpoint, when there is one.
    pub fn public_url(&self) -> Option<&reqwest::Url> {
        self.public_url.as_ref()
    }

    /// The per-attempt budget.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The headers and body one attempt sends for `outgoing`, signed now; an error when a
    /// signature header cannot carry what it would hold (an event id with a line break).
    pub fn signed_request(
        &self,
        outgoing: &Outgoing,
        now: i64,
    ) -> Result<(HeaderMap, Bytes), EndpointError> {
        let mut headers = self.headers.clone();
        // A delivery's own headers replace the endpoint's, repeated ones kept whole.
        for name in outgoing.headers.keys() {
            headers.remove(name);
        }
        let full = |_| EndpointError::TooManyHeaders;
        for (name, value) in &outgoing.headers {
            headers.try_append(name, value.clone()).map_err(full)?;
        }
        let mut body = outgoing.body.clone();
        if let Some(signer) = &self.signer {
            let stamp = Stamp {
                id: outgoing.id.clone(),
                timestamp: now,
            };
            let (signed, signed_body) = signature_headers(
                signer,
                self.signed_url().as_str(),
                &headers,
                &outgoing.body,
                &stamp,
            )?;
            for (name, value) in signed {
                headers.try_insert(name, value).map_err(full)?;
            }
            if let Some(signed_body) = signed_body {
                body = signed_body;
            }
        }
        Ok((headers, body))
    }

    /// Where a burst's own connections go (see [`Wire`]).
    pub fn target(&self) -> Result<Target, EndpointError> {
        Target::new(&self.url, self.insecure)
    }

    /// One request: POST, read the answer within the budget, classify what went wrong.
    /// It goes over `wire` when given, else through the shared client.
    pub async fn attempt(
        &self,
        wire: Option<&mut Wire>,
        outgoing: &Outgoing,
    ) -> (HeaderMap, Outcome, Duration) {
        let started = Instant::now();
        let (headers, body) = match self.signed_request(outgoing, now_unix()) {
            Ok(signed) => signed,
            // Commands check the headers before delivering; this is the last line of defence.
            Err(e) => {
                return (
                    HeaderMap::new(),
                    Outcome::Failed(Failure::Other(e.to_string())),
                    started.elapsed(),
                );
            }
        };
        let exchange = async {
            match wire {
                Some(wire) => wire.post(headers.clone(), body).await,
                None => {
                    let request = self
                        .client()?
                        .post(self.url.clone())
                        .headers(headers.clone())
                        .body(body);
                    exchange(request).await.map_err(|e| classify(&e, &self.url))
                }
            }
        };
        let outcome = match tokio::time::timeout(self.timeout, exchange).await {
            Ok(Ok(answer)) => Outcome::Answered(answer),
            Ok(Err(failure)) => Outcome::Failed(failure),
            Err(_) => Outcome::Failed(Failure::Timeout(self.timeout)),
        };
        (headers, outcome, started.elapsed())
    }

    /// Delivers `outgoing` with retries, over `wire` when given; `on_attempt` sees each
    /// attempt as it ends.
    pub async fn deliver(
        &self,
        mut wire: Option<&mut Wire>,
        outgoing: &Outgoing,
        policy: &RetryPolicy,
        on_attempt: &mut (dyn FnMut(&Attempt) + Send),
    ) -> Delivery {
        let of = policy.retries + 1;
        let mut number = 1;
        loop {
            let (headers, outcome, latency) = self.attempt(wire.as_deref_mut(), outgoing).await;
            let next = (number < of && RetryPolicy::retryable(&outcome))
                .then(|| policy.wait(number, &outcome));
            let attempt = Attempt {
                number,
                of,
                request_headers: headers,
                outcome,
                latency,
                next,
            };
            on_attempt(&attempt);
            match next {
                Some((wait, _)) => tokio::time::sleep(wait).await,
                None => {
                    return Delivery {
                        last: attempt,
                        attempts: number,
                    };
                }
            }
            number += 1;
        }
    }
}

/// `Basic base64(user:password)` from the URL's user info, percent-decoded as a browser does.
fn basic_auth(url: &reqwest::Url) -> Option<HeaderValue> {
    if url.username().is_empty() && url.password().is_none() {
        return None;
    }
    let decode = |s: &str| percent_encoding::percent_decode_str(s).collect::<Vec<u8>>();
    let mut pair = decode(url.username());
    pair.push(b':');
    pair.extend(decode(url.password().unwrap_or("")));
    let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
    let mut value = HeaderValue::try_from(format!("Basic {encoded}")).ok()?;
    value.set_sensitive(true);
    Some(value)
}

/// Signature headers, ready to send.
pub(crate) type SignatureHeaders = Vec<(HeaderName, HeaderValue)>;

/// The current Unix time in seconds.
fn now_unix() -> i64 {
    jiff::Timestamp::now().as_second()
}

/// The headers that sign a POST of `body` to `url` as `stamp`, ready to send, and the body to
/// send instead when the scheme signs inside it; an error, never a header silently left out,
/// when one cannot be sent.
pub(crate) fn signature_headers(
    signer: &Signer,
    url: &str,
    sent: &HeaderMap,
    body: &[u8],
    stamp: &Stamp,
) -> Result<(SignatureHeaders, Option<Bytes>), EndpointError> {
    // What a scheme may read of the rest of the request: the body's type, which the URL-signed
    // schemes tell a JSON body from a form by (others are spared copying it, in bursts too).
    let mut seen = Headers::new();
    if signer.scheme().signs_url()
        && let Some(kind) = sent.get(CONTENT_TYPE).and_then(|v| v.to_str().ok())
    {
        seen.push("Content-Type", kind);
    }
    let request = Request::post(&seen, body).at(Some(url));
    let signed = signer.sign_request(&request, stamp)?;
    check_values(&signed.headers)?;
    let headers = signed
        .headers
        .into_iter()
        // Names were checked when the signer was built, values just above.
        .filter_map(|(name, value)| {
            Some((
                HeaderName::try_from(name).ok()?,
                HeaderValue::try_from(value).ok()?,
            ))
        })
        .collect();
    Ok((headers, signed.body.map(Bytes::from)))
}

/// The start of a response body, kept as it arrives: at most a limit ([`BODY_KEEP`] unless told).
pub(crate) struct BodyStart {
    kept: Vec<u8>,
    limit: usize,
    truncated: bool,
}

impl Default for BodyStart {
    fn default() -> Self {
        Self::up_to(BODY_KEEP)
    }
}

impl BodyStart {
    /// Keeps at most `limit` bytes.
    pub(crate) fn up_to(limit: usize) -> Self {
        Self {
            kept: Vec::new(),
            limit,
            truncated: false,
        }
    }

    /// Keeps what fits of the next chunk.
    pub(crate) fn push(&mut self, chunk: &[u8]) {
        let room = self.limit.saturating_sub(self.kept.len());
        self.truncated |= chunk.len() > room;
        self.kept.extend_from_slice(&chunk[..chunk.len().min(room)]);
    }

    /// Whether the body went past the limit.
    pub(crate) fn truncated(&self) -> bool {
        self.truncated
    }

    /// What was kept.
    pub(crate) fn into_bytes(self) -> bytes::Bytes {
        self.kept.into()
    }

    /// Reads `response`'s body into this; with `stop_past_limit`, stops at the first chunk past
    /// the limit instead of reading (and dropping) the rest.
    pub(crate) async fn read(
        &mut self,
        response: &mut reqwest::Response,
        stop_past_limit: bool,
    ) -> reqwest::Result<()> {
        while let Some(chunk) = response.chunk().await? {
            self.push(&chunk);
            if stop_past_limit && self.truncated {
                break;
            }
        }
        Ok(())
    }

    /// The answer of `status` and `headers` with this body.
    pub(crate) fn answer(self, status: StatusCode, headers: HeaderMap) -> Answer {
        Answer {
            status: status.as_u16(),
            reason: status.canonical_reason().unwrap_or(""),
            headers,
            body: self.kept.into(),
            body_truncated: self.truncated,
        }
    }
}

async fn exchange(request: reqwest::RequestBuilder) -> Result<Answer, reqwest::Error> {
    let mut response = request.send().await?;
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let mut body = BodyStart::default();
    body.read(&mut response, false).await?;
    Ok(body.answer(status, headers))
}

/// Sorts a connection, TLS or HTTP error into the failure a user can act on.
pub(crate) fn classify(error: &(dyn std::error::Error + 'static), url: &reqwest::Url) -> Failure {
    let mut source = Some(error);
    let mut messages = Vec::new();
    while let Some(e) = source {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            // io::Error::source skips the error it wraps, so look at it directly.
            if let Some(tls) = io.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) {
                return Failure::Tls(tls.to_string());
            }
            match io.kind() {
                std::io::ErrorKind::ConnectionRefused => {
                    return Failure::Refused {
                        port: url.port_or_known_default().unwrap_or(0),
                    };
                }
                std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::ConnectionAborted => {
                    return Failure::Dropped("the connection was reset".into());
                }
                // A body cut short: "end of file before message length reached".
                std::io::ErrorKind::UnexpectedEof => return Failure::Dropped(io.to_string()),
                _ => {}
            }
        }
        if let Some(tls) = e.downcast_ref::<rustls::Error>() {
            return Failure::Tls(tls.to_string());
        }
        messages.push(e.to_string());
        source = e.source();
    }
    let text = messages.last().cloned().unwrap_or_default();
    let all = messages.join(": ").to_ascii_lowercase();
    if all.contains("dns error") || all.contains("failed to lookup address") {
        return Failure::Dns {
            host: url.host_str().unwrap_or("").to_string(),
        };
    }
    if all.contains("connection closed before message completed")
        || all.contains("incomplete")
        || all.contains("reset")
        || all.contains("unexpected eof")
    {
        return Failure::Dropped(text);
    }
    // A plain HTTP server's answer to the handshake: rustls cannot read it as a TLS record.
    if all.contains("certificate")
        || all.contains("tls handshake")
        || all.contains("invalidcontenttype")
    {
        return Failure::Tls(text);
    }
    Failure::Other(text)
}
