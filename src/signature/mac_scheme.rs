//! The HMAC schemes (EKDSend, Keplars, GitHub, Standard Webhooks `v1`, Svix, Stripe): one shared
//! secret, an HMAC-SHA256 of an optional prefix and the body.

use std::io::{self, Read};

use super::mac::{self, Tag};
use super::{
    Claim, Headers, ParseError, Policy, Quirk, Remedy, Scheme, Secret, SignerError, Stamp, Verdict,
    diagnose, hex_digest, parse_header_line, standard, stripe,
};

/// An HMAC scheme bound to its secret: signs bodies and verifies requests, and explains a
/// mismatch by the usual mistakes.
#[derive(Clone)]
pub struct MacSigner {
    pub(super) scheme: Scheme,
    header: String,
    key: Vec<u8>,
    /// `key`, ready to sign with.
    pub(super) keyed: mac::Key,
    /// The key a common secret mix-up would have used (whsec_ raw versus decoded).
    pub(super) alt_key: Option<Vec<u8>>,
}

impl std::fmt::Debug for MacSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MacSigner")
            .field("scheme", &self.scheme)
            .field("header", &self.header)
            .field("key", &"<redacted>")
            .finish()
    }
}

impl MacSigner {
    /// Binds `scheme` to `secret`; `header` renames the signature header where allowed.
    pub fn new(scheme: Scheme, secret: &Secret, header: Option<&str>) -> Result<Self, SignerError> {
        if !Scheme::MAC.contains(&scheme) {
            return Err(SignerError::NotMac(scheme));
        }
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
            // Every other scheme has its own family: `MacSigner::new` refuses them.
            other => unreachable!("MacSigner::new refuses {other}"),
        }
    }

    /// Reads what the request's headers claim.
    pub fn parse(&self, headers: &Headers) -> Result<Claim, ParseError> {
        match self.scheme {
            Scheme::Ekdsend | Scheme::Github => hex_digest::parse(headers, &self.header, true),
            Scheme::Keplars => hex_digest::parse(headers, &self.header, false),
            Scheme::Standard | Scheme::Svix => {
                let family = self.scheme.family().expect("a Standard Webhooks scheme");
                standard::parse(headers, family, "v1")
            }
            Scheme::Stripe => stripe::parse(headers, &self.header),
            // Every other scheme has its own family: `MacSigner::new` refuses them.
            other => unreachable!("MacSigner::new refuses {other}"),
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

    /// Like [`MacSigner::verify`] for a body read in constant memory; a mismatch is not diagnosed.
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
                Some(other) if other != self.scheme => Verdict::invalid_unless(
                    format!("no {} header", self.header),
                    format!(
                        "the headers carry a signature of scheme {other} ({})",
                        other.signature_header()
                    ),
                    Remedy::Scheme(other),
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
                    mac::contains(value, key)
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
        let Some(ts) = claim.timestamp else {
            return Some(Verdict::Valid);
        };
        // Stripe's libraries limit only the age: a timestamp ahead of the clock passes there.
        Some(super::by_age(ts, policy, self.scheme.limits_future()))
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

impl super::Family for MacSigner {
    fn sign(
        &self,
        request: &super::Request<'_>,
        stamp: &Stamp,
    ) -> Result<super::Signed, super::SignError> {
        Ok(super::Signed {
            headers: MacSigner::sign(self, request.body, stamp),
            body: None,
        })
    }

    fn verify(&self, request: &super::Request<'_>, policy: &Policy) -> Verdict {
        MacSigner::verify(self, request.headers, request.body, policy)
    }

    fn sign_reader(
        &self,
        body: &mut dyn Read,
        stamp: &Stamp,
    ) -> Option<io::Result<Vec<(String, String)>>> {
        Some(MacSigner::sign_reader(self, body, stamp))
    }

    fn verify_reader(
        &self,
        headers: &Headers,
        body: &mut dyn Read,
        policy: &Policy,
    ) -> Option<io::Result<Verdict>> {
        Some(MacSigner::verify_reader(self, headers, body, policy))
    }
}
