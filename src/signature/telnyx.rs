//! Telnyx: Ed25519 over `timestamp|body`, base64 in `telnyx-signature-ed25519`, unix seconds in
//! `telnyx-timestamp`, refused beyond 300 s either way. Sources: Telnyx's "Webhook signing"
//! documentation and telnyx-python `telnyx/lib/webhook_verification.py`
//! (`verify_webhook_signature`, `TIMESTAMP_TOLERANCE_SECONDS = 300`).

use super::keys::Algorithm;
use super::pair::{self, Pair};
use super::{
    Family, Key, ParseError, Policy, Request, Scheme, SignError, Signed, SignerError, Stamp,
    Verdict, diagnose, excerpt,
};

/// The header carrying the signature.
pub(super) const SIGNATURE: &str = "telnyx-signature-ed25519";
/// The header carrying the signed timestamp.
pub(super) const TIMESTAMP: &str = "telnyx-timestamp";

/// Telnyx's signing, bound to an Ed25519 key pair.
#[derive(Debug, Clone)]
pub(super) struct Telnyx {
    keys: Pair,
}

impl Telnyx {
    pub(super) fn new(key: &Key) -> Result<Self, SignerError> {
        Ok(Self {
            keys: Pair::new(Scheme::Telnyx, key, Algorithm::Ed25519)?,
        })
    }

    /// Why `signature` does not verify: a body changed on the way, or another separator.
    fn explain(&self, timestamp: &str, signature: &[u8], body: &[u8]) -> Verdict {
        let public = &self.keys.public;
        let separators: [(&[u8], &str); 2] = [
            (
                b"",
                "the signature covers the timestamp and the payload with no `|` between them; Telnyx signs `timestamp|payload`",
            ),
            (
                b".",
                "the signature covers `timestamp.payload`; Telnyx signs `timestamp|payload`",
            ),
        ];
        let hint = separators
            .into_iter()
            .find(|(sep, _)| {
                public.verifies(&[timestamp.as_bytes(), sep, body].concat(), signature)
            })
            .map(|(_, hint)| hint)
            .or_else(|| {
                diagnose::body_variants(body)
                    .into_iter()
                    .find(|(variant, _)| public.verifies(&message(timestamp, variant), signature))
                    .map(|(_, hint)| hint)
            })
            .unwrap_or("the public key, the timestamp or the payload differs from what was signed");
        Verdict::invalid("signature does not match", Some(hint.to_string()))
    }
}

/// The signed bytes: `timestamp|body`.
fn message(timestamp: &str, body: &[u8]) -> Vec<u8> {
    [timestamp.as_bytes(), b"|", body].concat()
}

impl Family for Telnyx {
    fn sign(&self, request: &Request<'_>, stamp: &Stamp) -> Result<Signed, SignError> {
        let timestamp = stamp.timestamp.to_string();
        let message = message(&timestamp, request.body);
        self.keys
            .sign_stamped(&message, timestamp, (SIGNATURE, TIMESTAMP))
    }

    fn verify(&self, request: &Request<'_>, policy: &Policy) -> Verdict {
        let claim = match pair::read(request.headers, SIGNATURE, TIMESTAMP) {
            Ok(claim) => claim,
            Err(e) => return pair::unreadable(Scheme::Telnyx, request.headers, e),
        };
        let Ok(at) = claim.timestamp.parse::<i64>() else {
            let reason = format!(
                "{TIMESTAMP} should be unix seconds, got `{}`",
                excerpt(claim.timestamp)
            );
            return pair::unreadable(
                Scheme::Telnyx,
                request.headers,
                ParseError::Malformed(reason),
            );
        };
        if claim.signature.len() != 64 {
            return Verdict::invalid(
                format!(
                    "{SIGNATURE} holds {} bytes, and an Ed25519 signature is 64",
                    claim.signature.len()
                ),
                None,
            );
        }
        if self
            .keys
            .public
            .verifies(&message(claim.timestamp, request.body), &claim.signature)
        {
            return super::by_age(at, policy, true);
        }
        self.explain(claim.timestamp, &claim.signature, request.body)
    }
}
