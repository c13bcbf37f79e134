//! One bare HTTP/1.1 connection per bulk worker, kept alive from request to request.
//!
//! Bulk mode sends thousands of requests over a handful of connections. The general client
//! (reqwest) re-parses the URL, checks a pool out and back in and runs its middleware for each
//! request, which cost more CPU than the request itself; a worker that owns its connection does
//! none of that. Failures are sorted by the same [`classify`](super::classify) as the client's.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::header::{CONNECTION, HOST};
use http::{HeaderMap, HeaderValue, Request, Uri};
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;
use rustls::pki_types::ServerName;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;

use super::{Answer, BodyStart, EndpointError, Failure, classify, install_ring};

/// A connection idle for longer is not reused: servers close idle keep-alive connections
/// (Node.js after 5 s), and a request racing that close would fail for nothing.
const IDLE_REUSE: Duration = Duration::from_secs(1);

/// Where the wires of one burst connect, worked out once.
pub struct Target {
    url: reqwest::Url,
    host: String,
    port: u16,
    authority: HeaderValue,
    path: Uri,
    tls: Option<(tokio_rustls::TlsConnector, ServerName<'static>)>,
}

impl Target {
    /// Prepares connections to `url`; HTTPS verifies certificates as the platform does, or
    /// not at all when `insecure`.
    pub fn new(url: &reqwest::Url, insecure: bool) -> Result<Self, EndpointError> {
        let client = |e: &dyn std::fmt::Display| EndpointError::Client(e.to_string());
        let host = url.host_str().unwrap_or_default();
        // An IPv6 address without its brackets, as sockets and TLS take it.
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        let port = url.port_or_known_default().unwrap_or(80);
        let authority = match url.port() {
            Some(p) => format!("{host}:{p}"),
            None => host.to_string(),
        };
        let path = &url[url::Position::BeforePath..url::Position::AfterQuery];
        let tls = if url.scheme() == "https" {
            let name = ServerName::try_from(bare.to_string()).map_err(|e| client(&e))?;
            Some((
                tokio_rustls::TlsConnector::from(tls_config(insecure)?),
                name,
            ))
        } else {
            None
        };
        Ok(Self {
            url: url.clone(),
            host: bare.to_string(),
            port,
            authority: HeaderValue::from_str(&authority).map_err(|e| client(&e))?,
            path: Uri::try_from(if path.is_empty() { "/" } else { path })
                .map_err(|e| client(&e))?,
            tls,
        })
    }

    async fn connect(&self) -> Result<SendRequest<Full<Bytes>>, Failure> {
        let fail = |e: &(dyn std::error::Error + 'static)| classify(e, &self.url);
        let tcp = TcpStream::connect((self.host.as_str(), self.port))
            .await
            .map_err(|e| fail(&e))?;
        tcp.set_nodelay(true).map_err(|e| fail(&e))?;
        match &self.tls {
            None => handshake(tcp).await,
            Some((connector, name)) => {
                let tls = connector
                    .connect(name.clone(), tcp)
                    .await
                    .map_err(|e| fail(&e))?;
                handshake(tls).await
            }
        }
        .map_err(|e| fail(&e))
    }
}

async fn handshake<T>(io: T) -> Result<SendRequest<Full<Bytes>>, hyper::Error>
where
    T: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (sender, connection) = http1::handshake(TokioIo::new(io)).await?;
    tokio::spawn(async move {
        // Its errors reach the request that was in flight.
        let _ = connection.await;
    });
    Ok(sender)
}

fn tls_config(insecure: bool) -> Result<Arc<rustls::ClientConfig>, EndpointError> {
    install_ring();
    let mut config = if insecure {
        rustls::ClientConfig::builder()
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AnyCertificate))
            .with_no_client_auth()
    } else {
        use rustls_platform_verifier::ConfigVerifierExt;
        rustls::ClientConfig::with_platform_verifier()
            .map_err(|e| EndpointError::Client(e.to_string()))?
    };
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// `--insecure`: any certificate is accepted, but handshake signatures are still checked.
#[derive(Debug)]
struct AnyCertificate;

impl rustls::client::danger::ServerCertVerifier for AnyCertificate {
    fn verify_server_cert(
        &self,
        _: &rustls::pki_types::CertificateDer<'_>,
        _: &[rustls::pki_types::CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &algorithms())
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &algorithms())
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        algorithms().supported_schemes()
    }
}

fn algorithms() -> rustls::crypto::WebPkiSupportedAlgorithms {
    rustls::crypto::ring::default_provider().signature_verification_algorithms
}

/// A worker's connection: opened on first use, reopened after the server closes it.
pub struct Wire {
    target: Arc<Target>,
    open: Option<(SendRequest<Full<Bytes>>, Instant)>,
}

impl Wire {
    /// A wire to `target`; nothing is connected yet.
    pub fn new(target: Arc<Target>) -> Self {
        Self { target, open: None }
    }

    /// POSTs `body`; the connection is kept for the next request when the exchange completed
    /// and the server did not ask to close it. Dropping the future drops the connection.
    pub async fn post(&mut self, mut headers: HeaderMap, body: Bytes) -> Result<Answer, Failure> {
        let fail = |e: &(dyn std::error::Error + 'static)| classify(e, &self.target.url);
        let reused = match self.open.take() {
            Some((mut sender, used)) if used.elapsed() < IDLE_REUSE => {
                sender.ready().await.is_ok().then_some(sender)
            }
            _ => None,
        };
        let mut sender = match reused {
            Some(sender) => sender,
            None => {
                let mut sender = self.target.connect().await?;
                sender.ready().await.map_err(|e| fail(&e))?;
                sender
            }
        };
        headers.insert(HOST, self.target.authority.clone());
        let mut request = Request::new(Full::new(body));
        *request.method_mut() = http::Method::POST;
        *request.uri_mut() = self.target.path.clone();
        *request.headers_mut() = headers;
        let response = sender.send_request(request).await.map_err(|e| fail(&e))?;
        let (parts, mut incoming) = response.into_parts();
        let mut body = BodyStart::default();
        while let Some(frame) = incoming.frame().await {
            if let Ok(chunk) = frame.map_err(|e| fail(&e))?.into_data() {
                body.push(&chunk);
            }
        }
        let closing = parts
            .headers
            .get(CONNECTION)
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"close"));
        if !closing {
            self.open = Some((sender, Instant::now()));
        }
        Ok(body.answer(parts.status, parts.headers))
    }
}
