//! `--forward-to`: relay a webhook, headers and body unchanged, to a local app and answer the
//! sender with the app's answer (502 when the app is down).

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::response::Response;
use bytes::Bytes;
use http::{HeaderMap, HeaderValue, StatusCode, header};

use crate::delivery::{BODY_KEEP, Failure, HOP_BY_HOP, classify, client_builder};

/// How long the app may take; the sender itself gives up after its own budget (5 s).
pub const RELAY_TIMEOUT: Duration = Duration::from_secs(10);

/// What the app answered to a relayed webhook.
#[derive(Debug, Clone)]
pub struct Forwarded {
    /// Where it was relayed.
    pub url: String,
    /// The app's status, reason and the start of its body; or why there was no answer.
    pub outcome: Result<(u16, String, Bytes), Failure>,
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
            .timeout(RELAY_TIMEOUT)
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
        let result = async {
            let response = self
                .client
                .post(self.url.clone())
                .headers(relayed)
                .body(body)
                .send()
                .await?;
            let status = response.status();
            let content_type = response.headers().get(header::CONTENT_TYPE).cloned();
            let bytes = response.bytes().await?;
            Ok::<_, reqwest::Error>((status, content_type, bytes))
        }
        .await;
        let latency = started.elapsed();
        let url = self.url.to_string();
        match result {
            Ok((status, content_type, bytes)) => {
                let mut answer = Response::new(Body::from(bytes.clone()));
                *answer.status_mut() =
                    StatusCode::from_u16(status.as_u16()).unwrap_or(StatusCode::BAD_GATEWAY);
                if let Some(ct) = content_type {
                    answer.headers_mut().insert(header::CONTENT_TYPE, ct);
                }
                let kept = bytes.slice(..bytes.len().min(BODY_KEEP));
                let reason = status.canonical_reason().unwrap_or("").to_string();
                (
                    Forwarded {
                        url,
                        outcome: Ok((status.as_u16(), reason, kept)),
                        latency,
                    },
                    answer,
                )
            }
            Err(e) => {
                let failure = match classify(&e, &self.url) {
                    Failure::Timeout(_) => Failure::Timeout(RELAY_TIMEOUT),
                    other => other,
                };
                let mut answer = Response::new(Body::from(
                    r#"{"error":"the app behind hookctl did not answer"}"#,
                ));
                *answer.status_mut() = StatusCode::BAD_GATEWAY;
                answer.headers_mut().insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                );
                (
                    Forwarded {
                        url,
                        outcome: Err(failure),
                        latency,
                    },
                    answer,
                )
            }
        }
    }
}
