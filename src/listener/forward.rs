//! `--forward-to`: relay a webhook, headers and body unchanged, to a local app and answer the
//! sender with the app's answer (502 when the app is down or its answer is too large).

use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::response::Response;
use bytes::Bytes;
use http::{HeaderMap, HeaderValue, StatusCode, header};

use crate::delivery::{
    Answer, BODY_KEEP, BodyStart, Failure, HOP_BY_HOP, Outcome, classify, client_builder,
};

/// How long the app may take; the sender itself gives up after its own budget (5 s).
pub const RELAY_TIMEOUT: Duration = Duration::from_secs(10);

/// The header that counts how many times hookctl has relayed a webhook.
pub const HOPS_HEADER: &str = "hookctl-forwarded";

/// A webhook relayed this many times already is not relayed again: it is going round in a loop.
pub const MAX_HOPS: u32 = 3;

/// The largest app answer relayed back to the sender, as `--max-body` bounds what comes in.
pub const ANSWER_LIMIT: usize = 1024 * 1024;

/// What the app answered to a relayed webhook.
#[derive(Debug, Clone)]
pub struct Forwarded {
    /// Where it was relayed, its password hidden.
    pub url: String,
    /// The app's answer (the start of its body), or why there was none.
    pub outcome: Outcome,
    /// How long the app took.
    pub latency: Duration,
}

/// How many times `headers` say the request has been relayed; an unreadable count is taken as
/// too many, since only hookctl writes it.
pub fn hops(headers: &HeaderMap) -> u32 {
    headers
        .get_all(HOPS_HEADER)
        .iter()
        .map(|v| v.to_str().ok().and_then(|v| v.trim().parse().ok()))
        .map(|n| n.unwrap_or(u32::MAX))
        .max()
        .unwrap_or(0)
}

/// Whether relaying to `target` would reach the listener on `listening` itself. Host names are
/// never resolved: `localhost` is taken as loopback, other names as elsewhere.
pub fn is_own_address(target: &reqwest::Url, listening: SocketAddr) -> bool {
    if target.port_or_known_default() != Some(listening.port()) {
        return false;
    }
    let bound = listening.ip().to_canonical();
    match target.host() {
        Some(url::Host::Domain(d)) => {
            d.eq_ignore_ascii_case("localhost") && (bound.is_loopback() || bound.is_unspecified())
        }
        Some(url::Host::Ipv4(ip)) => reaches(IpAddr::V4(ip), bound),
        Some(url::Host::Ipv6(ip)) => reaches(ip.to_canonical(), bound),
        None => false,
    }
}

/// Whether a connection to `target` lands on a socket bound to `bound` (same port).
fn reaches(target: IpAddr, bound: IpAddr) -> bool {
    let local = target.is_loopback() || target.is_unspecified();
    match bound {
        b if b == target => true,
        IpAddr::V4(b) if b.is_unspecified() => local && target.is_ipv4(),
        // A `[::]` socket takes IPv4 connections too.
        IpAddr::V6(b) if b.is_unspecified() => local,
        // Connecting to 0.0.0.0 (or ::) reaches this machine's loopback.
        b => target.is_unspecified() && b.is_loopback() && target.is_ipv4() == b.is_ipv4(),
    }
}

/// The app's answer, read up to [`ANSWER_LIMIT`].
enum Exchange {
    Answered(StatusCode, HeaderMap, Bytes),
    TooLarge,
}

pub(super) struct Relay {
    client: reqwest::Client,
    url: reqwest::Url,
    /// The target as every record shows it: never with its password.
    shown: String,
}

impl Relay {
    pub(super) fn new(url: reqwest::Url) -> Self {
        let client = client_builder()
            .build()
            .expect("a client without custom TLS settings builds");
        let shown = crate::redact::Redactor::default().url(&url);
        Self { client, url, shown }
    }

    pub(super) async fn relay(&self, headers: &HeaderMap, body: Bytes) -> (Forwarded, Response) {
        let mut relayed = headers.clone();
        for name in HOP_BY_HOP {
            relayed.remove(name);
        }
        relayed.insert(
            HOPS_HEADER,
            HeaderValue::from(hops(headers).saturating_add(1)),
        );
        let started = Instant::now();
        let exchange = self.exchange(relayed, body);
        // The budget covers the whole exchange, as for a delivery's attempt.
        let result = tokio::time::timeout(RELAY_TIMEOUT, exchange).await;
        let latency = started.elapsed();
        let (outcome, response) = match result {
            Ok(Ok(Exchange::Answered(status, headers, bytes))) => answered(status, headers, bytes),
            Ok(Ok(Exchange::TooLarge)) => (
                Outcome::Failed(Failure::TooLarge {
                    limit: ANSWER_LIMIT,
                }),
                bad_gateway("the answer of the app behind hookctl is too large"),
            ),
            Ok(Err(e)) => (
                Outcome::Failed(classify(&e, &self.url)),
                bad_gateway("the app behind hookctl did not answer"),
            ),
            Err(_) => (
                Outcome::Failed(Failure::Timeout(RELAY_TIMEOUT)),
                bad_gateway("the app behind hookctl did not answer"),
            ),
        };
        let forwarded = Forwarded {
            url: self.shown.clone(),
            outcome,
            latency,
        };
        (forwarded, response)
    }

    /// Posts to the app and reads its answer, never more than [`ANSWER_LIMIT`] of it.
    async fn exchange(&self, headers: HeaderMap, body: Bytes) -> reqwest::Result<Exchange> {
        let request = self.client.post(self.url.clone()).headers(headers);
        let mut response = request.body(body).send().await?;
        if response
            .content_length()
            .is_some_and(|n| n > ANSWER_LIMIT as u64)
        {
            return Ok(Exchange::TooLarge);
        }
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let mut body = BodyStart::up_to(ANSWER_LIMIT);
        body.read(&mut response, true).await?;
        if body.truncated() {
            return Ok(Exchange::TooLarge);
        }
        Ok(Exchange::Answered(status, headers, body.into_bytes()))
    }
}

impl Relay {
    /// What is recorded for a relay the listener stopped waiting for (it answered 503).
    pub(super) fn cut_short(&self, latency: Duration) -> Forwarded {
        Forwarded {
            url: self.shown.clone(),
            outcome: Outcome::Failed(Failure::Cut),
            latency,
        }
    }
}

/// The sender's answer: the app's status, body, content type, `Location` (a redirect's, or a
/// 201's) and `Retry-After` (so the provider waits as the app asks), and what the display keeps.
fn answered(status: StatusCode, headers: HeaderMap, bytes: Bytes) -> (Outcome, Response) {
    let mut response = Response::new(Body::from(bytes.clone()));
    *response.status_mut() = status;
    for name in [header::CONTENT_TYPE, header::LOCATION, header::RETRY_AFTER] {
        if let Some(value) = headers.get(&name) {
            response.headers_mut().insert(name, value.clone());
        }
    }
    let answer = Answer {
        status: status.as_u16(),
        reason: status.canonical_reason().unwrap_or(""),
        headers,
        body: bytes.slice(..bytes.len().min(BODY_KEEP)),
        body_truncated: bytes.len() > BODY_KEEP,
    };
    (Outcome::Answered(answer), response)
}

fn bad_gateway(why: &str) -> Response {
    super::plain(
        StatusCode::BAD_GATEWAY,
        serde_json::json!({ "error": why }).to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn own(target: &str, listening: &str) -> bool {
        is_own_address(&target.parse().unwrap(), listening.parse().unwrap())
    }

    #[test]
    fn the_listeners_own_port_on_any_name_for_this_machine_is_its_own_address() {
        for target in [
            "http://127.0.0.1:8080/",
            "http://localhost:8080/hook",
            "http://LOCALHOST:8080/",
            "http://0.0.0.0:8080/",
            "http://[::ffff:127.0.0.1]:8080/",
        ] {
            assert!(own(target, "127.0.0.1:8080"), "{target}");
        }
        assert!(own("http://[::1]:8080/", "[::1]:8080"));
        assert!(own("http://127.0.0.1:8080/", "0.0.0.0:8080"));
        assert!(own("http://127.0.0.1:8080/", "[::]:8080"));
        assert!(own("http://192.0.2.7:8080/", "192.0.2.7:8080"));
    }

    #[test]
    fn another_port_or_another_host_is_not() {
        assert!(!own("http://127.0.0.1:8081/", "127.0.0.1:8080"));
        assert!(!own("http://127.0.0.1/", "127.0.0.1:8080"));
        assert!(!own("http://[::1]:8080/", "127.0.0.1:8080"));
        assert!(!own("http://[::1]:8080/", "0.0.0.0:8080"));
        assert!(!own("http://192.0.2.7:8080/", "127.0.0.1:8080"));
        assert!(!own("http://app.internal:8080/", "127.0.0.1:8080"));
    }

    #[test]
    fn the_hop_count_is_read_and_an_unreadable_one_is_too_many() {
        let mut headers = HeaderMap::new();
        assert_eq!(hops(&headers), 0);
        headers.insert(HOPS_HEADER, HeaderValue::from_static("2"));
        assert_eq!(hops(&headers), 2);
        headers.insert(HOPS_HEADER, HeaderValue::from_static("two"));
        assert_eq!(hops(&headers), u32::MAX);
    }
}
