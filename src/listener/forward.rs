//! `--forward-to`: relay a webhook, headers and body unchanged, to a local app and answer the
//! sender with the app's answer (502 when the app is down).

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::response::Response;
use bytes::Bytes;
use http::{HeaderMap, StatusCode, header};

use crate::delivery::{Answer, BODY_KEEP, Failure, HOP_BY_HOP, Outcome, classify, client_builder};

/// How long the app may take; the sender itself gives up after its own budget (5 s).
pub const RELAY_TIMEOUT: Duration = Duration::from_secs(10);

/// What the app answered to a relayed webhook.
#[derive(Debug, Clone)]
pub struct Forwarded {
    /// Where it was relayed.
    pub url: String,
    /// The app's answer (the start of its body), or why there was none.
    pub outcome: Outcome,
    /// How long the app took.
    pub latency: Duration,
}

pub(super) struct Relay {
    client: reqwest::Client,
    url: reqwest::Url,
}

impl Relay {
    pub(super) fn new(url: reqwest::Url) -> Self {
        let client = client_builder()
            .build()
            .expect("a client without custom TLS settings builds");
        Self { client, url }
    }

    pub(super) async fn relay(&self, headers: &HeaderMap, body: Bytes) -> (Forwarded, Response) {
        let mut relayed = headers.clone();
        for name in HOP_BY_HOP {
            relayed.remove(name);
        }
        let started = Instant::now();
        let exchange = async {
            let mut response = self
                .client
                .post(self.url.clone())
                .headers(relayed)
                .body(body)
                .send()
                .await?;
            let status = response.status();
            let headers = std::mem::take(response.headers_mut());
            let bytes = response.bytes().await?;
            Ok::<_, reqwest::Error>((status, headers, bytes))
        };
        // The budget covers the whole exchange, as for a delivery's attempt.
        let result = tokio::time::timeout(RELAY_TIMEOUT, exchange).await;
        let latency = started.elapsed();
        let (outcome, response) = match result {
            Ok(Ok((status, headers, bytes))) => {
                let mut response = Response::new(Body::from(bytes.clone()));
                *response.status_mut() = status;
                if let Some(content_type) = headers.get(header::CONTENT_TYPE) {
                    response
                        .headers_mut()
                        .insert(header::CONTENT_TYPE, content_type.clone());
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
            Ok(Err(e)) => (Outcome::Failed(classify(&e, &self.url)), bad_gateway()),
            Err(_) => (
                Outcome::Failed(Failure::Timeout(RELAY_TIMEOUT)),
                bad_gateway(),
            ),
        };
        let forwarded = Forwarded {
            // Shown in every record: never with its password.
            url: crate::redact::url_without_password(&self.url),
            outcome,
            latency,
        };
        (forwarded, response)
    }
}

fn bad_gateway() -> Response {
    super::plain(
        StatusCode::BAD_GATEWAY,
        r#"{"error":"the app behind hookctl did not answer"}"#.into(),
    )
}
