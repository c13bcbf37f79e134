//! Webhook signature schemes: sign a body into headers, parse signature headers, verify them
//! against the raw body, and explain a mismatch. All are HMAC-SHA256 compared in constant time.

mod diagnose;
mod headers;
mod hex_digest;
pub mod mac;
mod secret;
mod standard;
mod stripe;

use std::io::{self, Read};

pub use headers::{Headers, NotAHeaderValue, check_values, is_header_value, parse_header_line};
pub use secret::{Secret, SecretError};

use mac::Tag;

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
}

impl Scheme {
    /// Every scheme, in the order the documentation lists them.
    pub const ALL: [Scheme; 6] = [
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
        self.family().map(|f| f.timestamp)
    }

    /// Whether the signature covers a timestamp (and so goes stale).
    pub fn is_timestamped(self) -> bool {
        matches!(self, Scheme::Standard | Scheme::Svix | Scheme::Stripe)
    }

    /// Whether a timestamp ahead of the clock is refused beyond the tolerance (Stripe's libraries
    /// only refuse one that is too old).
    pub fn limits_future(self) -> bool {
        self != Scheme::Stripe
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
            .any(|h| h.eq_ignore_ascii_case(name))
        })
    }

    /// Whether the header name can be changed (schemes that use one header).
    pub fn has_one_header(self) -> bool {
        !self.is_standard()
    }

    /// The scheme whose signature header appears in `headers`, if exactly one does.
    pub fn detect(headers: &Headers) -> Option<Scheme> {
        let mut found = Scheme::ALL
            .into_iter()
            .filter(|s| headers.contains(s.signature_header()));
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
    /// One line: what probably caused it, or what to do.
    pub hint: Option<String>,
}

impl Verdict {
    fn invalid(reason: impl Into<String>, hint: impl Into<Option<String>>) -> Self {
        Verdict::Invalid(Mismatch {
            reason: reason.into(),
            hint: hint.into(),
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
        "scheme {0} uses three fixed headers ({id}, {timestamp}, {signature}), so its header name cannot be changed",
        id = .0.id_header().unwrap_or_default(),
        timestamp = .0.timestamp_header().unwrap_or_default(),
        signature = .0.signature_header()
    )]
    FixedHeaders(Scheme),
    /// The header name is not a valid HTTP header name.
    #[error("`{0}` is not a valid header name")]
    BadHeaderName(String),
}

/// A scheme bound to a key: signs bodies and verifies requests.
#[derive(Clone)]
pub struct Signer {
    scheme: Scheme,
    header: String,
    key: Vec<u8>,
    /// `key`, ready to sign with.
    keyed: mac::Key,
    /// The key a common secret mix-up would have used (whsec_ raw versus decoded).
    alt_key: Option<Vec<u8>>,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("scheme", &self.scheme)
            .field("header", &self.header)
            .field("key", &"<redacted>")
            .finish()
    }
}

impl Signer {
    /// Binds `scheme` to `secret`; `header` renames the signature header where allowed.
    pub fn new(scheme: Scheme, secret: &Secret, header: Option<&str>) -> Result<Self, SignerError> {
        let header = match header {
            None => scheme.signature_header().to_string(),
            Some(_) if !scheme.has_one_header() => return Err(SignerError::FixedHeaders(scheme)),
            Some(name) => match parse_header_line(&format!("{name}: x")) {
                Some((n, _)) if n == name => n,
                _ => return Err(SignerError::BadHeaderName(name.to_string())),
            },
        };
        let (key, alt_key) = secret.keys_for(scheme)?;
        Ok(Self {
            scheme,
            header,
            keyed: mac::Key::new(&key),
            key,
            alt_key,
        })
    }

    /// The scheme.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The signature header's name as sent.
    pub fn header(&self) -> &str {
        &self.header
    }

    /// The headers that sign `body` (in memory).
    pub fn sign(&self, body: &[u8], stamp: &Stamp) -> Vec<(String, String)> {
        let tag = self
            .keyed
            .tag(&self.scheme.prefix(&stamp.id, stamp.timestamp), body);
        self.render(&tag, stamp)
    }

    /// The headers that sign everything `body` yields, read in constant memory.
    pub fn sign_reader(
        &self,
        body: &mut dyn Read,
        stamp: &Stamp,
    ) -> io::Result<Vec<(String, String)>> {
        let prefix = self.scheme.prefix(&stamp.id, stamp.timestamp);
        let tag = self.keyed.tag_reader(&prefix, body)?;
        Ok(self.render(&tag, stamp))
    }

    fn render(&self, tag: &Tag, stamp: &Stamp) -> Vec<(String, String)> {
        match self.scheme {
            Scheme::Ekdsend | Scheme::Github => {
                vec![(self.header.clone(), format!("sha256={}", hex::encode(tag)))]
            }
            Scheme::Keplars => vec![(self.header.clone(), hex::encode(tag))],
            Scheme::Standard | Scheme::Svix => {
                let family = self.scheme.family().expect("a Standard Webhooks scheme");
                standard::render(tag, stamp, family)
            }
            Scheme::Stripe => vec![(self.header.clone(), stripe::render(tag, stamp))],
        }
    }

    /// Reads what the request's headers claim.
    pub fn parse(&self, headers: &Headers) -> Result<Claim, ParseError> {
        match self.scheme {
            Scheme::Ekdsend | Scheme::Github => hex_digest::parse(headers, &self.header, true),
            Scheme::Keplars => hex_digest::parse(headers, &self.header, false),
            Scheme::Standard | Scheme::Svix => {
                let family = self.scheme.family().expect("a Standard Webhooks scheme");
                standard::parse(headers, family)
            }
            Scheme::Stripe => stripe::parse(headers, &self.header),
        }
    }

    /// Checks `headers` against the raw `body`; on a mismatch, tries the usual mistakes to explain it.
    pub fn verify(&self, headers: &Headers, body: &[u8], policy: &Policy) -> Verdict {
        let claim = match self.parse(headers) {
            Ok(claim) => claim,
            Err(e) => return self.unreadable(headers, e),
        };
        let prefix = self.claim_prefix(&claim);
        let tag = self.keyed.tag(&prefix, body);
        self.judge(&claim, &tag, policy)
            .or_else(|| self.slipped(&claim, &tag))
            .unwrap_or_else(|| diagnose::explain(self, &claim, &prefix, body))
    }

    /// Like [`Signer::verify`] for a body read in constant memory; a mismatch is not diagnosed.
    pub fn verify_reader(
        &self,
        headers: &Headers,
        body: &mut dyn Read,
        policy: &Policy,
    ) -> io::Result<Verdict> {
        let claim = match self.parse(headers) {
            Ok(claim) => claim,
            Err(e) => return Ok(self.unreadable(headers, e)),
        };
        let tag = self.keyed.tag_reader(&self.claim_prefix(&claim), body)?;
        let verdict = self
            .judge(&claim, &tag, policy)
            .or_else(|| self.slipped(&claim, &tag));
        Ok(verdict.unwrap_or_else(|| {
            Verdict::invalid(
                "signature does not match",
                Some("the payload is too large to try the usual mistakes; the secret or the payload differs from what was signed".to_string()),
            )
        }))
    }

    fn unreadable(&self, headers: &Headers, error: ParseError) -> Verdict {
        match error {
            ParseError::Missing(_) if headers.contains(self.header.as_str()) => {
                Verdict::invalid(error.to_string(), None)
            }
            ParseError::Missing(_) => match Scheme::detect(headers) {
                Some(other) if other != self.scheme => Verdict::invalid(
                    format!("no {} header", self.header),
                    Some(format!(
                        "the headers carry a signature of scheme {other} ({}); pass --scheme {other}",
                        other.signature_header()
                    )),
                ),
                _ => Verdict::Unsigned,
            },
            // The reason would quote the header: never when it holds the secret itself.
            ParseError::Malformed(_) if self.carries_key(headers) => Verdict::invalid(
                format!("{} carries the secret itself, not a signature", self.header),
                Some("never send the secret: send the HMAC of the payload made with it (`hookctl sign` shows it)".to_string()),
            ),
            ParseError::Malformed(reason) => Verdict::invalid(reason, None),
        }
    }

    /// Whether any header value holds the secret, raw or decoded: anywhere in it, or for a key
    /// under 6 bytes (which would turn up in hex by chance) as a whole word. In constant time per
    /// position: the values are the sender's, the key is not.
    fn carries_key(&self, headers: &Headers) -> bool {
        let keys = std::iter::once(&self.key).chain(&self.alt_key);
        keys.filter(|k| !k.is_empty()).any(|key| {
            headers.iter().any(|(_, value)| {
                let value = value.as_bytes();
                if key.len() >= 6 {
                    value.windows(key.len()).any(|w| mac::ct_eq(w, key))
                } else {
                    value
                        .split(|b| b.is_ascii_whitespace() || b",;=".contains(b))
                        .any(|word| mac::ct_eq(word, key))
                }
            })
        })
    }

    fn claim_prefix(&self, claim: &Claim) -> Vec<u8> {
        self.scheme.prefix(
            claim.id.as_deref().unwrap_or(""),
            claim.timestamp.unwrap_or(0),
        )
    }

    /// The verdict when a signature the scheme's libraries skip equals `tag`.
    fn slipped(&self, claim: &Claim, tag: &Tag) -> Option<Verdict> {
        let slip = claim.slips.iter().find(|s| mac::ct_eq(&s.tag, tag))?;
        Some(quirk_verdict(self.scheme, &self.header, slip.quirk))
    }

    /// The verdict when one of the claimed tags equals `tag`; `None` when none does.
    fn judge(&self, claim: &Claim, tag: &Tag, policy: &Policy) -> Option<Verdict> {
        if !claim.tags.iter().any(|t| mac::ct_eq(t, tag)) {
            return None;
        }
        if let Some(quirk) = claim.quirk {
            return Some(quirk_verdict(self.scheme, &self.header, quirk));
        }
        let (Some(ts), Some(tolerance)) = (claim.timestamp, policy.tolerance) else {
            return Some(Verdict::Valid);
        };
        // i128: a signed timestamp may be anywhere in i64.
        let skew = i128::from(policy.now) - i128::from(ts);
        let distance = u64::try_from(skew.unsigned_abs()).unwrap_or(u64::MAX);
        // Stripe's libraries limit only the age: a timestamp ahead of the clock passes there.
        if distance <= tolerance || (skew < 0 && !self.scheme.limits_future()) {
            return Some(Verdict::Valid);
        }
        let when = if skew > 0 {
            format!("{} old", span(distance))
        } else {
            format!("{} in the future", span(distance))
        };
        Some(Verdict::invalid(
            format!("signature matches, but its timestamp is {when} (tolerance {})", span(tolerance)),
            Some("a delayed or replayed delivery: sign it again with a fresh timestamp, or pass --tolerance off to ignore its age".to_string()),
        ))
    }
}

fn quirk_verdict(scheme: Scheme, header: &str, quirk: Quirk) -> Verdict {
    match quirk {
        Quirk::MissingPrefix => Verdict::invalid(
            format!("the hex digest matches, but {header} lacks the `sha256=` prefix"),
            Some(format!(
                "{scheme} sends `{header}: sha256=<hex>`; compare against the whole value"
            )),
        ),
        Quirk::ExtraPrefix => Verdict::invalid(
            format!("the hex digest matches, but {header} carries a `sha256=` prefix"),
            Some(format!(
                "{scheme} sends the bare hex digest; drop the `sha256=` prefix"
            )),
        ),
        Quirk::Uppercase if scheme == Scheme::Stripe => Verdict::invalid(
            "the digest matches, but it is written in uppercase hex",
            Some("Stripe's libraries compare the lowercase hex string and reject it; lowercase it".to_string()),
        ),
        Quirk::Uppercase => Verdict::invalid(
            "the digest matches, but it is written in uppercase hex",
            Some(format!(
                "{scheme} receivers compare the lowercase hex string; lowercase it"
            )),
        ),
        Quirk::AfterUnreadableEntry => Verdict::invalid(
            format!("the signature matches, but an unreadable entry comes before it in {header}"),
            Some("the svix library stops at the first entry that is not `v1,<base64>` and rejects the request; send only such entries, one space apart".to_string()),
        ),
        Quirk::SpaceAfterComma => Verdict::invalid(
            format!("the digest matches, but ` v1=` follows a space in {header}"),
            Some("Stripe's libraries split on `,` without trimming, so they never read it; remove the space".to_string()),
        ),
    }
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
