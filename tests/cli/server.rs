//! A recording HTTP server on 127.0.0.1:0, run inside the test process.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use hookctl::signature::{Scheme, Verdict};

/// One request the server received.
#[derive(Debug, Clone)]
pub struct Received {
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub at: Instant,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("the body is JSON")
    }

    /// The event's `id`.
    pub fn id(&self) -> String {
        self.json()["id"].as_str().expect("an event id").to_string()
    }

    /// Our own verdict on the request under `scheme` and `secret`, with the 5-minute tolerance.
    pub fn verdict(&self, scheme: Scheme, secret: &str) -> Verdict {
        self.verdict_within(scheme, secret, Some(300))
    }

    /// The same with `tolerance` seconds (`None`: any timestamp age).
    pub fn verdict_within(&self, scheme: Scheme, secret: &str, tolerance: Option<u64>) -> Verdict {
        super::listening::verdict(scheme, secret, &self.headers, &self.body, tolerance)
    }
}

/// What the server answers to its n-th request (0-based).
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
    pub delay: Duration,
}

impl Reply {
    pub fn status(status: u16) -> Self {
        Reply {
            status,
            headers: vec![],
            body: String::new(),
            delay: Duration::ZERO,
        }
    }

    pub fn ok() -> Self {
        Reply {
            body: r#"{"received":true}"#.into(),
            ..Reply::status(200)
        }
    }
}

type Responder = dyn Fn(usize, &Received) -> Reply + Send + Sync;

#[derive(Clone)]
struct Shared {
    log: Arc<Mutex<Vec<Received>>>,
    respond: Arc<Responder>,
}

pub struct TestServer {
    pub url: String,
    log: Arc<Mutex<Vec<Received>>>,
    _rt: tokio::runtime::Runtime,
}

impl TestServer {
    /// Answers every request with `respond(n, request)`.
    pub fn start(respond: impl Fn(usize, &Received) -> Reply + Send + Sync + 'static) -> Self {
        Self::serve(respond, None)
    }

    /// The same server behind HTTPS with a fresh self-signed certificate for 127.0.0.1.
    pub fn start_tls(respond: impl Fn(usize, &Received) -> Reply + Send + Sync + 'static) -> Self {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let issued = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string()]).unwrap();
        let key =
            rustls::pki_types::PrivateKeyDer::try_from(issued.signing_key.serialize_der()).unwrap();
        let config = rustls::ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(vec![issued.cert.der().clone()], key)
            .unwrap();
        Self::serve(
            respond,
            Some(tokio_rustls::TlsAcceptor::from(Arc::new(config))),
        )
    }

    fn serve(
        respond: impl Fn(usize, &Received) -> Reply + Send + Sync + 'static,
        tls: Option<tokio_rustls::TlsAcceptor>,
    ) -> Self {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let shared = Shared {
            log: log.clone(),
            respond: Arc::new(respond),
        };
        let listener = rt
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let port = listener.local_addr().unwrap().port();
        let app = axum::Router::new().fallback(handle).with_state(shared);
        let scheme = if tls.is_some() { "https" } else { "http" };
        match tls {
            None => {
                rt.spawn(async move { axum::serve(listener, app).await.unwrap() });
            }
            Some(acceptor) => {
                rt.spawn(serve_tls(listener, acceptor, app));
            }
        }
        TestServer {
            url: format!("{scheme}://127.0.0.1:{port}/webhook"),
            log,
            _rt: rt,
        }
    }

    /// Answers 200 `{"received":true}` to everything.
    pub fn ok() -> Self {
        Self::start(|_, _| Reply::ok())
    }

    /// Answers 200 `{"received":true}` to everything, each after `delay`.
    pub fn slow(delay: Duration) -> Self {
        Self::start(move |_, _| Reply {
            delay,
            ..Reply::ok()
        })
    }

    pub fn received(&self) -> Vec<Received> {
        self.log.lock().unwrap().clone()
    }
}

async fn handle(State(shared): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let received = Received {
        headers: headers
            .iter()
            .map(|(n, v)| {
                (
                    n.to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: body.to_vec(),
        at: Instant::now(),
    };
    let n = {
        let mut log = shared.log.lock().unwrap();
        log.push(received.clone());
        log.len() - 1
    };
    let reply = (shared.respond)(n, &received);
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    let mut response = (StatusCode::from_u16(reply.status).unwrap(), reply.body).into_response();
    for (name, value) in reply.headers {
        response.headers_mut().insert(name, value.parse().unwrap());
    }
    response
}

/// Accepts TLS connections and serves `app` on each; failed handshakes are dropped.
async fn serve_tls(
    listener: tokio::net::TcpListener,
    acceptor: tokio_rustls::TlsAcceptor,
    app: axum::Router,
) {
    loop {
        let Ok((tcp, _)) = listener.accept().await else {
            continue;
        };
        let (acceptor, app) = (acceptor.clone(), app.clone());
        tokio::spawn(async move {
            let Ok(tls) = acceptor.accept(tcp).await else {
                return;
            };
            let service = hyper_util::service::TowerToHyperService::new(app);
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(tls), service)
                .await;
        });
    }
}

/// A loopback port with nothing listening on it.
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}
