//! The shared secret, kept out of every printout, and the key each scheme derives from it.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};

use super::Scheme;

/// Standard Webhooks marks its base64 secrets with this prefix.
const WHSEC: &str = "whsec_";

/// A webhook signing secret. `Debug` never shows it, and there is no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// Why a secret cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    /// Nothing to sign with.
    #[error("the secret is empty")]
    Empty,
    /// Standard Webhooks secrets are base64, optionally prefixed `whsec_`.
    #[error(
        "the secret is not valid base64; scheme standard expects `whsec_<base64>` as the provider shows it"
    )]
    NotBase64,
}

impl Secret {
    /// Wraps a secret; an empty one is refused.
    pub fn new(value: impl Into<String>) -> Result<Self, SecretError> {
        let value = value.into();
        if value.is_empty() {
            return Err(SecretError::Empty);
        }
        Ok(Self(value))
    }

    /// A fresh random secret in the form `scheme`'s providers issue: `whsec_<base64>` for
    /// Standard Webhooks, `whsec_<hex>` for Stripe, bare hex otherwise.
    pub fn random(scheme: Scheme) -> Self {
        let bytes: [u8; 24] = rand::random();
        Self(match scheme {
            Scheme::Standard | Scheme::Svix => format!("{WHSEC}{}", STANDARD.encode(bytes)),
            Scheme::Stripe => format!("{WHSEC}{}", hex::encode(bytes)),
            _ => hex::encode(bytes),
        })
    }

    /// The secret's bytes, for callers that must hide it from output (redaction).
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Every way the secret may be written out, so output can hide each: as given, the base64
    /// part of a `whsec_` secret, the key that part decodes to (as text, hex and base64), and the
    /// secret itself in hex, base64 and URL-encoded. Empty spellings are left out.
    pub fn spellings(&self) -> Vec<String> {
        let raw = self.0.as_bytes();
        let mut out = vec![self.0.clone()];
        let mut written = |bytes: &[u8]| {
            out.extend([
                hex::encode(bytes),
                hex::encode_upper(bytes),
                STANDARD.encode(bytes),
                STANDARD_NO_PAD.encode(bytes),
            ]);
        };
        written(raw);
        if let Some(part) = self.0.strip_prefix(WHSEC) {
            if let Some(key) = decode_base64(part) {
                written(&key);
                out.extend(String::from_utf8(key).ok());
            }
            out.push(part.to_string());
        }
        out.push(url::form_urlencoded::byte_serialize(raw).collect());
        out.retain(|s| !s.is_empty());
        // Longest first, so a spelling inside another is never left half hidden.
        out.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        out.dedup();
        out
    }

    /// The key `scheme` signs with, and the key a whsec_ mix-up would have used instead.
    pub(super) fn keys_for(
        &self,
        scheme: Scheme,
    ) -> Result<(Vec<u8>, Option<Vec<u8>>), SecretError> {
        let raw = self.0.as_bytes().to_vec();
        let decoded = decode_base64(self.0.strip_prefix(WHSEC).unwrap_or(&self.0));
        if scheme.is_standard() {
            let key = decoded
                .filter(|k| !k.is_empty())
                .ok_or(SecretError::NotBase64)?;
            return Ok((key, Some(raw)));
        }
        let alt = self.0.starts_with(WHSEC).then_some(decoded).flatten();
        Ok((raw, alt))
    }
}

fn decode_base64(text: &str) -> Option<Vec<u8>> {
    STANDARD
        .decode(text)
        .or_else(|_| STANDARD_NO_PAD.decode(text))
        .ok()
}
