//! Webhook signature schemes: sign a request into headers (or a body), verify a received request,
//! and explain a mismatch.
//!
//! A scheme belongs to a family (one [`Family`] implementation per way of signing: HMAC of the
//! body, HMAC of the URL and parameters, public-key signatures, tokens); a [`Signer`] is a scheme
//! bound to a typed [`Key`]. Every family sees the whole [`Request`]: method, URL, headers and
//! body. Comparisons of secret-derived values are constant time.

pub mod basic;
mod diagnose;
mod headers;
mod hex_digest;
pub mod keys;
pub mod mac;
mod mac_scheme;
pub mod mailgun;
mod pair;
pub mod plivo;
mod ring_p256;
mod secret;
mod sendgrid;
mod signed_url;
mod standard;
mod stripe;
mod telnyx;
pub mod twilio;
mod urlparse;
mod v1a;
pub mod vonage;

use std::io::{self, Read};

pub use basic::{BasicAuth, Credentials, CredentialsError};
pub use headers::{Headers, NotAHeaderValue, check_values, is_header_value, parse_header_line};
pub use keys::{Algorithm, KeyError, PrivateKey, PublicFormat, PublicKey};
pub use mac_scheme::MacSigner;
pub use mailgun::MailgunSigner;
pub use plivo::PlivoSigner;
pub use secret::{Secret, SecretError};
pub use twilio::TwilioSigner;
pub use vonage::VonageSigner;

/// How long a timestamped signature stays acceptable, either way from now, unless told otherwise.
pub const DEFAULT_TOLERANCE_SECS: u64 = 300;

/// A signature scheme: how a provider turns the secret and the body into headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// EKDSend: `X-EKDSend-Signature: sha256=<hex HMAC of the body>`.
    Ekdsend,
    /// Keplars: bare hex HMAC of the body in `X-Keplars-Signature`.
    Keplars,
    /// GitHub: `X-Hub-Signature-256: sha256=<hex HMAC of the body>`.
    Github,
    /// Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64>`.
    Standard,
    /// Svix and Resend: Standard Webhooks under `svix-id`, `svix-timestamp`, `svix-signature`.
    Svix,
    /// Stripe: `Stripe-Signature: t=<unix>,v1=<hex HMAC of "t.body">`.
    Stripe,
    /// Twilio: `X-Twilio-Signature: <base64 HMAC-SHA1 of the URL and the sorted parameters>`.
    Twilio,
    /// Plivo: `X-Plivo-Signature-V3` (URL, query, parameters, nonce) and `X-Plivo-Signature-V2`
    /// (URL and nonce), base64 HMAC-SHA256, each with its nonce header.
    Plivo,
    /// Vonage: `Authorization: Bearer <JWT, HS256 with the signature secret>` whose claims carry
    /// the body's SHA-256 (`payload_hash`).
    Vonage,
    /// Mailgun: `{"signature":{"timestamp","token","signature"},…}` in the body, the hex HMAC of
    /// `timestamp + token`; the event data is not signed.
    Mailgun,
    /// HTTP basic auth (Postmark): no signature, `Authorization: Basic <base64 user:password>`.
    Basic,
    /// SendGrid: ECDSA P-256 over timestamp + body, DER, base64, with its timestamp header.
    Sendgrid,
    /// Telnyx: Ed25519 over `timestamp|body`, base64, with its timestamp header.
    Telnyx,
}

impl Scheme {
    /// Every scheme, in the order the documentation lists them.
    pub const ALL: [Scheme; 13] = [
        Scheme::Ekdsend,
        Scheme::Keplars,
        Scheme::Github,
        Scheme::Standard,
        Scheme::Svix,
        Scheme::Stripe,
        Scheme::Twilio,
        Scheme::Plivo,
        Scheme::Vonage,
        Scheme::Mailgun,
        Scheme::Basic,
        Scheme::Sendgrid,
        Scheme::Telnyx,
    ];

    /// The schemes that HMAC the body alone (with an optional prefix): [`MacSigner`]'s.
    pub const MAC: [Scheme; 6] = [
        Scheme::Ekdsend,
        Scheme::Keplars,
        Scheme::Github,
        Scheme::Standard,
        Scheme::Svix,
        Scheme::Stripe,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Ekdsend => "ekdsend",
            Scheme::Keplars => "keplars",
            Scheme::Github => "github",
            Scheme::Standard => "standard",
            Scheme::Svix => "svix",
            Scheme::Stripe => "stripe",
            Scheme::Twilio => "twilio",
            Scheme::Plivo => "plivo",
            Scheme::Vonage => "vonage",
            Scheme::Mailgun => "mailgun",
            Scheme::Basic => "basic",
            Scheme::Sendgrid => "sendgrid",
            Scheme::Telnyx => "telnyx",
        }
    }

    /// The header that carries the signature itself.
    pub fn signature_header(self) -> &'static str {
        match self {
            Scheme::Ekdsend => "X-EKDSend-Signature",
            Scheme::Keplars => "X-Keplars-Signature",
            Scheme::Github => "X-Hub-Signature-256",
            Scheme::Standard => standard::WEBHOOK.signature,
            Scheme::Svix => standard::SVIX.signature,
            Scheme::Stripe => "Stripe-Signature",
            Scheme::Twilio => twilio::HEADER,
            Scheme::Plivo => plivo::V3,
            Scheme::Vonage => vonage::HEADER,
            Scheme::Mailgun => mailgun::PLACE,
            Scheme::Basic => basic::HEADER,
            Scheme::Sendgrid => sendgrid::SIGNATURE,
            Scheme::Telnyx => telnyx::SIGNATURE,
        }
    }

    /// Whether the signature travels inside the body rather than in a header (Mailgun).
    pub fn signs_inside_body(self) -> bool {
        self == Scheme::Mailgun
    }

    /// What a valid signature leaves unproven, for schemes that do not cover the whole body.
    pub fn caveat(self) -> Option<Caveat> {
        match self {
            Scheme::Mailgun => Some(Caveat::EventDataUnsigned),
            Scheme::Basic => Some(Caveat::NothingSigned),
            _ => None,
        }
    }

    /// What a valid signature carried by `headers` leaves unproven: Plivo's V2 signature, read
    /// when no V3 one is there, covers the URL and a nonce, not the body.
    pub fn caveat_for(self, headers: &Headers) -> Option<Caveat> {
        match self {
            // The main account's V3 header is read as V3 too (`plivo::PlivoSigner`).
            Scheme::Plivo if !headers.contains(plivo::V3) && !headers.contains(plivo::MA_V3) => {
                Some(Caveat::BodyUnsigned)
            }
            _ => self.caveat(),
        }
    }

    /// The tolerance a verification uses unless told otherwise: what the scheme's official
    /// library uses (Mailgun's SDK: 900 s either way), else [`DEFAULT_TOLERANCE_SECS`].
    pub fn default_tolerance(self) -> u64 {
        match self {
            Scheme::Mailgun => mailgun::TOLERANCE_SECS,
            _ => DEFAULT_TOLERANCE_SECS,
        }
    }

    /// Whether it is Standard Webhooks, under either family of header names.
    pub fn is_standard(self) -> bool {
        matches!(self, Scheme::Standard | Scheme::Svix)
    }

    /// The header names of a Standard Webhooks scheme.
    fn family(self) -> Option<&'static standard::Family> {
        match self {
            Scheme::Standard => Some(&standard::WEBHOOK),
            Scheme::Svix => Some(&standard::SVIX),
            _ => None,
        }
    }

    /// The header that carries the signed message id, for schemes that sign one.
    pub fn id_header(self) -> Option<&'static str> {
        self.family().map(|f| f.id)
    }

    /// The header that carries the signed timestamp apart from the signature, where one does.
    pub fn timestamp_header(self) -> Option<&'static str> {
        match self {
            Scheme::Sendgrid => Some(sendgrid::TIMESTAMP),
            Scheme::Telnyx => Some(telnyx::TIMESTAMP),
            _ => self.family().map(|f| f.timestamp),
        }
    }

    /// Whether the signature covers a timestamp (and so goes stale).
    pub fn is_timestamped(self) -> bool {
        matches!(
            self,
            Scheme::Standard
                | Scheme::Svix
                | Scheme::Stripe
                | Scheme::Vonage
                | Scheme::Mailgun
                | Scheme::Telnyx
        )
    }

    /// The algorithm of the key pair the scheme signs with, for public-key schemes; `None` for
    /// schemes that take a shared secret (Standard Webhooks takes either: `v1a` signs with
    /// Ed25519). SendGrid signs a timestamp its receivers never judge: not timestamped above.
    pub fn key_pair(self) -> Option<Algorithm> {
        match self {
            Scheme::Sendgrid => Some(Algorithm::P256),
            Scheme::Telnyx => Some(Algorithm::Ed25519),
            _ => None,
        }
    }

    /// How the scheme's provider writes a public key for its receivers.
    pub fn public_format(self) -> PublicFormat {
        match self {
            Scheme::Sendgrid => PublicFormat::Spki,
            Scheme::Telnyx => PublicFormat::Raw,
            _ => PublicFormat::Whpk,
        }
    }

    /// Whether a timestamp ahead of the clock is refused beyond the tolerance (Stripe's libraries
    /// only refuse one that is too old).
    pub fn limits_future(self) -> bool {
        self != Scheme::Stripe
    }

    /// Whether the scheme signs the URL it is sent to (and so needs it to sign and verify).
    pub fn signs_url(self) -> bool {
        matches!(self, Scheme::Twilio | Scheme::Plivo)
    }

    /// Headers the scheme sends besides its signature, id and timestamp headers (Plivo's V2
    /// signature, nonces and main-account signatures).
    pub fn other_headers(self) -> &'static [&'static str] {
        match self {
            Scheme::Plivo => &[
                plivo::V3_NONCE,
                plivo::MA_V3,
                plivo::V2,
                plivo::V2_NONCE,
                plivo::MA_V2,
            ],
            _ => &[],
        }
    }

    /// Whether `name` is a signature header of any scheme (`webhook-*` and `svix-*` included).
    pub fn is_signature_header(name: &str) -> bool {
        Scheme::ALL.iter().any(|s| {
            [
                Some(s.signature_header()),
                s.id_header(),
                s.timestamp_header(),
            ]
            .into_iter()
            .flatten()
            .chain(s.other_headers().iter().copied())
            .any(|h| h.eq_ignore_ascii_case(name))
        })
    }

    /// Whether the header name can be changed (schemes that use one header of their own and
    /// sign the body; not Vonage's `Authorization`, which its receivers read).
    pub fn has_one_header(self) -> bool {
        self.timestamp_header().is_none()
            && !self.signs_url()
            && !matches!(self, Scheme::Vonage | Scheme::Mailgun | Scheme::Basic)
    }

    /// The scheme whose signature header appears in `headers`, if exactly one does (Plivo's V2
    /// header counts as Plivo's; Vonage's `Authorization` counts when it holds a token issued
    /// by Vonage). Mailgun (no header) and basic auth (`Authorization` names no provider) are
    /// never detected.
    pub fn detect(headers: &Headers) -> Option<Scheme> {
        let mut found = Scheme::ALL.into_iter().filter(|s| match s {
            Scheme::Plivo => headers.contains(plivo::V3) || headers.contains(plivo::V2),
            Scheme::Vonage => vonage::carries_token(headers),
            Scheme::Mailgun | Scheme::Basic => false,
            _ => headers.contains(s.signature_header()),
        });
        let first = found.next()?;
        found.next().is_none().then_some(first)
    }

    /// The bytes signed before the body.
    fn prefix(self, id: &str, timestamp: i64) -> Vec<u8> {
        match self {
            Scheme::Standard | Scheme::Svix => format!("{id}.{timestamp}.").into_bytes(),
            Scheme::Stripe => format!("{timestamp}.").into_bytes(),
            _ => Vec::new(),
        }
    }
}

impl std::fmt::Display for Scheme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What a timestamped scheme signs besides the body: the message id and the unix time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// Message id (Standard Webhooks' `webhook-id`); other schemes ignore it.
    pub id: String,
    /// Unix time in seconds.
    pub timestamp: i64,
}

/// What the signature headers of a request claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// Message id, for schemes that sign one.
    pub id: Option<String>,
    /// Unix time, for timestamped schemes.
    pub timestamp: Option<i64>,
    /// Candidate tags: any one matching is enough.
    pub tags: Vec<Vec<u8>>,
    /// A formatting slip that a strict receiver would reject even when the tag matches.
    pub quirk: Option<Quirk>,
    /// Signatures a lenient reader would take but the scheme's own libraries do not: a match
    /// among them is explained, never accepted.
    pub slips: Vec<Slip>,
}

/// A signature written in a way the scheme's official library does not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slip {
    /// The decoded tag.
    pub tag: Vec<u8>,
    /// Why the library skips it.
    pub quirk: Quirk,
}

/// A formatting slip in an otherwise decodable signature header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quirk {
    /// `sha256=` is missing where the scheme sends it.
    MissingPrefix,
    /// `sha256=` is present where the scheme sends bare hex.
    ExtraPrefix,
    /// Uppercase hex where the receiver compares the lowercase string.
    Uppercase,
    /// A pair after `, ` where the receiver splits on `,` without trimming.
    SpaceAfterComma,
    /// A Standard Webhooks entry after one the receiver cannot read (and stops at).
    AfterUnreadableEntry,
}

/// Why signature headers could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// The signature header is absent.
    #[error("no {0} header")]
    Missing(String),
    /// The header is there but does not have the scheme's format.
    #[error("{0}")]
    Malformed(String),
}

/// The outcome of checking a request's signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The signature matches the body and, where timestamped, is fresh.
    Valid,
    /// The request carries no signature header for the scheme.
    Unsigned,
    /// The signature is malformed, does not match, or is stale.
    Invalid(Mismatch),
}

/// Why a signature was rejected, and the likeliest fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// One line: what is wrong.
    pub reason: String,
    /// One line: what probably caused it, or what to do, in the webhook's own terms.
    pub hint: Option<String>,
    /// A setting of the receiver that would accept the request, when that is the fix: the
    /// caller turns it into its own words (a command line names a flag).
    pub remedy: Option<Remedy>,
}

/// A change of the receiver's settings that a mismatch calls for.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Remedy {
    /// Verify under this scheme: the headers carry its signature.
    Scheme(Scheme),
    /// Accept any timestamp age.
    AnyAge,
    /// Verify against this URL: the one the provider signed (URL-signed schemes).
    Url(String),
}

/// What a valid verdict leaves unproven, for schemes that do not sign the whole body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Caveat {
    /// Only the timestamp and token are signed (Mailgun): the event data could have been changed.
    EventDataUnsigned,
    /// Nothing is signed: the credentials prove who sent it, not what (HTTP basic auth).
    NothingSigned,
    /// The URL and a nonce are signed, the body is not (Plivo's V2 signature).
    BodyUnsigned,
}

impl Verdict {
    fn invalid(reason: impl Into<String>, hint: impl Into<Option<String>>) -> Self {
        Verdict::Invalid(Mismatch {
            reason: reason.into(),
            hint: hint.into(),
            remedy: None,
        })
    }

    /// An invalid verdict whose fix is a setting of the receiver.
    fn invalid_unless(reason: impl Into<String>, hint: impl Into<String>, remedy: Remedy) -> Self {
        Verdict::Invalid(Mismatch {
            reason: reason.into(),
            hint: Some(hint.into()),
            remedy: Some(remedy),
        })
    }
}

/// The clock and the freshness rule a verification runs under.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// Current unix time in seconds.
    pub now: i64,
    /// Accepted distance between a signed timestamp and `now`; `None` accepts any age.
    pub tolerance: Option<u64>,
}

/// Errors building a signer.
#[derive(Debug, thiserror::Error)]
pub enum SignerError {
    /// The secret cannot be used with the scheme.
    #[error(transparent)]
    Secret(#[from] SecretError),
    /// `--header` was given for a scheme with several headers.
    #[error(
        "scheme {0} uses fixed headers ({names}), so its header name cannot be changed",
        names = [.0.id_header(), .0.timestamp_header(), Some(.0.signature_header())].into_iter().flatten().collect::<Vec<_>>().join(", ")
    )]
    FixedHeaders(Scheme),
    /// `--header` was given for a scheme whose receivers read a fixed name (URL-signed schemes,
    /// Vonage's `Authorization`).
    #[error(
        "scheme {0} sends its signature in {header}, as its receivers read it, so its header name cannot be changed",
        header = .0.signature_header()
    )]
    FixedHeader(Scheme),
    /// `--header` was given for a scheme whose signature is not in a header of its own.
    #[error(
        "scheme {0} carries its signature in {place}, so there is no header name to change",
        place = .0.signature_header()
    )]
    FixedPlace(Scheme),
    /// The scheme does not HMAC the body alone, so [`MacSigner`] cannot sign it.
    #[error("scheme {0} does not sign the body alone")]
    NotMac(Scheme),
    /// The header name is not a valid HTTP header name.
    #[error("`{0}` is not a valid header name")]
    BadHeaderName(String),
    /// The key is not the kind the scheme uses.
    #[error("scheme {scheme} needs {needs}, not {given}")]
    WrongKey {
        /// The scheme.
        scheme: Scheme,
        /// What it needs, such as `basic auth credentials`.
        needs: &'static str,
        /// What it was given.
        given: &'static str,
    },
}

/// A request as a provider signs it, or as a receiver got it: what any scheme may cover.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The HTTP method, `POST` for webhooks.
    pub method: &'a str,
    /// The full URL the provider addresses (for a receiver, the URL it is configured under, which
    /// behind a proxy or tunnel differs from the one it listens on); `None` when unknown.
    pub url: Option<&'a str>,
    /// The headers: received ones when verifying; when signing, the ones sent besides the
    /// signature (`Content-Type`).
    pub headers: &'a Headers,
    /// The exact body bytes.
    pub body: &'a [u8],
}

impl<'a> Request<'a> {
    /// A `POST` of `body` with `headers`, URL unknown.
    pub fn post(headers: &'a Headers, body: &'a [u8]) -> Self {
        Self {
            method: "POST",
            url: None,
            headers,
            body,
        }
    }

    /// The same request at `url`.
    pub fn at(self, url: Option<&'a str>) -> Self {
        Self { url, ..self }
    }
}

/// What signing a request produces.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Signed {
    /// Headers to add, in order.
    pub headers: Vec<(String, String)>,
    /// The body to send instead, when the scheme signs inside it (Mailgun).
    pub body: Option<Vec<u8>>,
}

/// Why a request cannot be signed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    /// The scheme signs the URL, and none was given.
    #[error("the {0} scheme signs the URL the request is sent to, and none was given")]
    NeedsUrl(Scheme),
    /// The scheme signs a JSON body through the body's hash in the URL (Twilio's
    /// `bodySHA256`), and the URL does not carry this body's.
    #[error(
        "the {scheme} scheme signs a JSON body through its SHA-256 in the URL's query; sign and send to {url}"
    )]
    UrlNeedsBodyHash {
        /// The scheme.
        scheme: Scheme,
        /// The URL with the body's hash in its query.
        url: String,
    },
    /// The scheme reads the body as something it is not.
    #[error("the {scheme} scheme signs {expected} bodies, and this one is not")]
    Body {
        /// The scheme.
        scheme: Scheme,
        /// What it needs, such as `JSON object`.
        expected: &'static str,
    },
    /// The key can verify but not sign (a public key).
    #[error("the {0} scheme needs a private key to sign, and was given a public one")]
    NeedsPrivateKey(Scheme),
}

/// A key, typed by what it is: the scheme says which it needs.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Key {
    /// A shared secret: HMAC schemes, token secrets.
    Secret(Secret),
    /// HTTP basic auth credentials (Postmark).
    Basic(Credentials),
    /// The private half of a key pair: signs, and verifies through its public half.
    Private(PrivateKey),
    /// The public half of a key pair: verifies only.
    Public(PublicKey),
}

/// One way of signing: every scheme of a family signs and verifies through it.
pub trait Family: Send + Sync + std::fmt::Debug {
    /// The headers (or body) that sign `request` as `stamp`.
    fn sign(&self, request: &Request<'_>, stamp: &Stamp) -> Result<Signed, SignError>;

    /// Checks a received request; on a mismatch, says why as precisely as it can.
    fn verify(&self, request: &Request<'_>, policy: &Policy) -> Verdict;

    /// Signs a body read in constant memory, for families that can; `None` when the family needs
    /// the whole request.
    fn sign_reader(
        &self,
        _body: &mut dyn Read,
        _stamp: &Stamp,
    ) -> Option<io::Result<Vec<(String, String)>>> {
        None
    }

    /// Verifies a body read in constant memory, for families that can.
    fn verify_reader(
        &self,
        _headers: &Headers,
        _body: &mut dyn Read,
        _policy: &Policy,
    ) -> Option<io::Result<Verdict>> {
        None
    }
}

/// A scheme bound to a key: signs requests and verifies them.
#[derive(Debug, Clone)]
pub struct Signer {
    scheme: Scheme,
    header: String,
    family: std::sync::Arc<dyn Family>,
    /// The algorithm of its key pair; `None` for a shared secret.
    pair: Option<Algorithm>,
}

impl Signer {
    /// Binds `scheme` to `secret`; `header` renames the signature header where allowed.
    pub fn new(scheme: Scheme, secret: &Secret, header: Option<&str>) -> Result<Self, SignerError> {
        Self::with_key(scheme, &Key::Secret(secret.clone()), header)
    }

    /// Binds `scheme` to `key`; `header` renames the signature header where allowed.
    pub fn with_key(scheme: Scheme, key: &Key, header: Option<&str>) -> Result<Self, SignerError> {
        if (scheme.signs_url() || scheme == Scheme::Vonage) && header.is_some() {
            return Err(SignerError::FixedHeader(scheme));
        }
        if header.is_some() && matches!(scheme, Scheme::Mailgun | Scheme::Basic) {
            return Err(SignerError::FixedPlace(scheme));
        }
        let family: std::sync::Arc<dyn Family> = match (scheme, key) {
            (Scheme::Sendgrid | Scheme::Telnyx, _)
            | (Scheme::Standard | Scheme::Svix, Key::Private(_) | Key::Public(_)) => {
                return Self::with_pair(scheme, key, header);
            }
            (_, Key::Private(_) | Key::Public(_)) => return Err(wrong_key(scheme, key)),
            (Scheme::Basic, Key::Basic(credentials)) => {
                std::sync::Arc::new(BasicAuth::new(credentials.clone()))
            }
            (Scheme::Basic, Key::Secret(_)) => return Err(wrong_key(scheme, key)),
            (_, Key::Basic(_)) => return Err(wrong_key(scheme, key)),
            (Scheme::Twilio, Key::Secret(secret)) => std::sync::Arc::new(TwilioSigner::new(secret)),
            (Scheme::Plivo, Key::Secret(secret)) => std::sync::Arc::new(PlivoSigner::new(secret)),
            (Scheme::Vonage, Key::Secret(secret)) => std::sync::Arc::new(VonageSigner::new(secret)),
            (Scheme::Mailgun, Key::Secret(secret)) => {
                std::sync::Arc::new(MailgunSigner::new(secret))
            }
            (_, Key::Secret(secret)) => {
                let mac = MacSigner::new(scheme, secret, header)?;
                return Ok(Self {
                    scheme,
                    header: mac.header().to_string(),
                    family: std::sync::Arc::new(mac),
                    pair: None,
                });
            }
        };
        Ok(Self {
            scheme,
            header: scheme.signature_header().to_string(),
            family,
            pair: None,
        })
    }

    /// Binds a public-key scheme (or Standard Webhooks `v1a`) to a half of a key pair.
    fn with_pair(scheme: Scheme, key: &Key, header: Option<&str>) -> Result<Self, SignerError> {
        if header.is_some() {
            return Err(SignerError::FixedHeaders(scheme));
        }
        let family: std::sync::Arc<dyn Family> = match scheme {
            Scheme::Sendgrid => std::sync::Arc::new(sendgrid::Sendgrid::new(key)?),
            Scheme::Telnyx => std::sync::Arc::new(telnyx::Telnyx::new(key)?),
            _ => std::sync::Arc::new(v1a::V1a::new(scheme, key)?),
        };
        let pair = match key {
            Key::Private(k) => Some(k.algorithm()),
            Key::Public(k) => Some(k.algorithm()),
            Key::Secret(_) | Key::Basic(_) => None,
        };
        Ok(Self {
            scheme,
            header: scheme.signature_header().to_string(),
            family,
            pair,
        })
    }

    /// The same scheme and header bound to a fresh random key of the same kind: what a stranger
    /// signs with. Not for basic auth, which signs nothing.
    pub fn stranger(&self) -> Signer {
        let key = match self.pair {
            Some(algorithm) => Key::Private(PrivateKey::generate(algorithm)),
            None => Key::Secret(Secret::random(self.scheme)),
        };
        let header = self.scheme.has_one_header().then_some(self.header.as_str());
        Signer::with_key(self.scheme, &key, header).expect("a fresh key of the same kind fits")
    }

    /// Whether it signs with a key pair (and so verifies with its public half).
    pub fn key_pair(&self) -> Option<Algorithm> {
        self.pair
    }

    /// The scheme.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The signature header's name as sent.
    pub fn header(&self) -> &str {
        &self.header
    }

    /// What signs `request` as `stamp`.
    pub fn sign_request(&self, request: &Request<'_>, stamp: &Stamp) -> Result<Signed, SignError> {
        self.family.sign(request, stamp)
    }

    /// The headers that sign `body` (in memory), for schemes that sign the body alone.
    pub fn sign(&self, body: &[u8], stamp: &Stamp) -> Result<Signed, SignError> {
        let headers = Headers::default();
        self.sign_request(&Request::post(&headers, body), stamp)
    }

    /// The headers that sign everything `body` yields, read in constant memory; `None` when the
    /// scheme needs the whole request.
    pub fn sign_reader(
        &self,
        body: &mut dyn Read,
        stamp: &Stamp,
    ) -> Option<io::Result<Vec<(String, String)>>> {
        self.family.sign_reader(body, stamp)
    }

    /// Signs `request` as a provider rotating its key does: the signature header lists one made
    /// with another key (unknown to the receiver) first, then this signer's. `None` for schemes
    /// whose header carries a single signature.
    pub fn sign_rotating(
        &self,
        request: &Request<'_>,
        stamp: &Stamp,
    ) -> Option<Result<Signed, SignError>> {
        let listed: fn(&str, &str) -> String = match self.scheme {
            Scheme::Standard | Scheme::Svix => standard::listed,
            Scheme::Stripe => stripe::listed,
            Scheme::Plivo => plivo::listed,
            _ => return None,
        };
        let older = match self.stranger().sign_request(request, stamp) {
            Ok(signed) => signed,
            Err(e) => return Some(Err(e)),
        };
        let mut signed = match self.sign_request(request, stamp) {
            Ok(signed) => signed,
            Err(e) => return Some(Err(e)),
        };
        let header = self.header.as_str();
        let old = older
            .headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(header))
            .map(|(_, value)| value.clone());
        for (name, value) in &mut signed.headers {
            if let (true, Some(old)) = (name.eq_ignore_ascii_case(header), &old) {
                *value = listed(old, value);
            }
        }
        Some(Ok(signed))
    }

    /// Checks a received request.
    pub fn verify_request(&self, request: &Request<'_>, policy: &Policy) -> Verdict {
        self.family.verify(request, policy)
    }

    /// Checks `headers` against the raw `body`, URL unknown.
    pub fn verify(&self, headers: &Headers, body: &[u8], policy: &Policy) -> Verdict {
        self.verify_request(&Request::post(headers, body), policy)
    }

    /// Like [`Signer::verify`] for a body read in constant memory; `None` when the scheme needs
    /// the whole request.
    pub fn verify_reader(
        &self,
        headers: &Headers,
        body: &mut dyn Read,
        policy: &Policy,
    ) -> Option<io::Result<Verdict>> {
        self.family.verify_reader(headers, body, policy)
    }
}

/// The error for a key of the wrong kind.
pub(super) fn wrong_key(scheme: Scheme, key: &Key) -> SignerError {
    let kind = |key: &Key| match key {
        Key::Secret(_) => "a shared secret",
        Key::Basic(_) => "basic auth credentials",
        Key::Private(k) => pair::given(k.algorithm()),
        Key::Public(k) => pair::given(k.algorithm()),
    };
    let needs = match (scheme, scheme.key_pair()) {
        (Scheme::Basic, _) => "basic auth credentials (user:password)",
        (_, Some(algorithm)) => pair::needs(algorithm),
        _ => "a shared secret",
    };
    SignerError::WrongKey {
        scheme,
        needs,
        given: kind(key),
    }
}

/// The verdict on a signature that matched, by the age of its timestamp `ts` (Unix seconds):
/// valid within the policy's tolerance, else stale. `limits_future`: whether a timestamp ahead of
/// the clock is refused too.
pub(crate) fn by_age(ts: i64, policy: &Policy, limits_future: bool) -> Verdict {
    let Some(tolerance) = policy.tolerance else {
        return Verdict::Valid;
    };
    // i128: a signed timestamp may be anywhere in i64.
    let skew = i128::from(policy.now) - i128::from(ts);
    let distance = u64::try_from(skew.unsigned_abs()).unwrap_or(u64::MAX);
    if distance <= tolerance || (skew < 0 && !limits_future) {
        return Verdict::Valid;
    }
    let when = if skew > 0 {
        format!("{} old", span(distance))
    } else {
        format!("{} in the future", span(distance))
    };
    Verdict::invalid_unless(
        format!(
            "signature matches, but its timestamp is {when} (tolerance {})",
            span(tolerance)
        ),
        "a delayed or replayed delivery: sign it again with a fresh timestamp",
        Remedy::AnyAge,
    )
}

/// A duration in seconds, rounded to the largest unit that fits: `45 s`, `12 min`, `3 h`, `2 days`.
pub fn span(secs: u64) -> String {
    match secs {
        0..120 => format!("{secs} s"),
        120..7_200 => format!("{} min", secs / 60),
        7_200..172_800 => format!("{} h", secs / 3_600),
        _ => format!("{} days", secs / 86_400),
    }
}

/// The single value of `name`: missing, duplicated and empty headers are reported.
fn single<'a>(headers: &'a Headers, name: &str) -> Result<&'a str, ParseError> {
    let mut values = headers.get_all(name);
    let first = values
        .next()
        .ok_or_else(|| ParseError::Missing(name.to_string()))?;
    let extra = values.count();
    if extra > 0 {
        return Err(ParseError::Malformed(format!(
            "{} {name} headers; a provider sends exactly one",
            extra + 1
        )));
    }
    let value = first.trim();
    if value.is_empty() {
        return Err(ParseError::Malformed(format!("the {name} header is empty")));
    }
    Ok(value)
}

/// A header value quoted for an error message: at most 40 characters, as received (the output
/// escapes what a terminal would act on).
fn excerpt(value: &str) -> String {
    let mut out: String = value.chars().take(40).collect();
    if value.chars().count() > 40 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests;
