//! What the public-key families share: the key pair a signer holds, and reading a signature
//! that travels with its timestamp in a header of its own (SendGrid, Telnyx).

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;

use super::keys::{Algorithm, PrivateKey, PublicKey};
use super::ring_p256::RingP256;
use super::{
    Headers, Key, ParseError, Remedy, Scheme, SignError, Signed, SignerError, Verdict, single,
};

/// The keys a public-key signer holds: the private key when it signs, always the public one;
/// for P-256, also as `ring` objects, built once, that sign and verify DER signatures.
#[derive(Debug, Clone)]
pub(super) struct Pair {
    pub(super) scheme: Scheme,
    private: Option<PrivateKey>,
    pub(super) public: PublicKey,
    ring: Option<RingP256>,
}

impl Pair {
    /// The pair `key` gives `scheme`, which signs with `algorithm`.
    pub(super) fn new(
        scheme: Scheme,
        key: &Key,
        algorithm: Algorithm,
    ) -> Result<Self, SignerError> {
        let (private, public) = match key {
            Key::Private(k) => (Some(k.clone()), k.public()),
            Key::Public(k) => (None, k.clone()),
            Key::Secret(_) | Key::Basic(_) => return Err(super::wrong_key(scheme, key)),
        };
        if public.algorithm() != algorithm {
            return Err(super::wrong_key(scheme, key));
        }
        let ring = match algorithm {
            Algorithm::P256 => RingP256::new(private.as_ref(), &public),
            Algorithm::Ed25519 => None,
        };
        Ok(Self {
            scheme,
            private,
            public,
            ring,
        })
    }

    /// Signs `message`, covering `timestamp`, into two headers: the base64 signature under
    /// `signature`, the timestamp under `timestamp_header`.
    pub(super) fn sign_stamped(
        &self,
        message: &[u8],
        timestamp: String,
        (signature, timestamp_header): (&str, &str),
    ) -> Result<Signed, SignError> {
        Ok(Signed {
            headers: vec![
                (signature.to_string(), BASE64.encode(self.sign(message)?)),
                (timestamp_header.to_string(), timestamp),
            ],
            body: None,
        })
    }

    /// Signs `message`, when the pair holds its private key.
    pub(super) fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        let key = self
            .private
            .as_ref()
            .ok_or(SignError::NeedsPrivateKey(self.scheme))?;
        let fast = self.ring.as_ref().and_then(|ring| ring.sign(message));
        Ok(fast.unwrap_or_else(|| key.sign(message)))
    }

    /// Whether `signature` is the public key's valid signature of `message` (DER for ECDSA).
    pub(super) fn verifies(&self, message: &[u8], signature: &[u8]) -> bool {
        match &self.ring {
            Some(ring) => ring.verifies(message, signature),
            None => self.public.verifies(message, signature),
        }
    }
}

/// What a scheme that signs with `algorithm` needs, in words.
pub(super) fn needs(algorithm: Algorithm) -> &'static str {
    match algorithm {
        Algorithm::Ed25519 => "an Ed25519 key pair",
        Algorithm::P256 => "an ECDSA P-256 key pair",
    }
}

/// A key of `algorithm`, in words.
pub(super) fn given(algorithm: Algorithm) -> &'static str {
    match algorithm {
        Algorithm::Ed25519 => "an Ed25519 key",
        Algorithm::P256 => "an ECDSA P-256 key",
    }
}

/// A signature and the timestamp text it covers, each in its own header.
pub(super) struct Stamped<'a> {
    pub(super) timestamp: &'a str,
    pub(super) signature: Vec<u8>,
}

/// Reads the `signature` header (base64) and its companion `timestamp` header.
pub(super) fn read<'a>(
    headers: &'a Headers,
    signature: &str,
    timestamp: &str,
) -> Result<Stamped<'a>, ParseError> {
    let encoded = single(headers, signature)?;
    let timestamp = single(headers, timestamp).map_err(|e| match e {
        ParseError::Missing(_) => ParseError::Malformed(format!(
            "{signature} is present but {timestamp} is missing; the signature covers the timestamp"
        )),
        other => other,
    })?;
    let signature = BASE64.decode(encoded).map_err(|_| {
        ParseError::Malformed(format!(
            "{signature} is not base64: `{}`",
            super::excerpt(encoded)
        ))
    })?;
    Ok(Stamped {
        timestamp,
        signature,
    })
}

/// The verdict on headers that could not be read: unsigned, signed under another scheme, or
/// malformed.
pub(super) fn unreadable(scheme: Scheme, headers: &Headers, error: ParseError) -> Verdict {
    match error {
        ParseError::Missing(_) => match Scheme::detect(headers) {
            Some(other) if other != scheme => Verdict::invalid_unless(
                format!("no {} header", scheme.signature_header()),
                format!(
                    "the headers carry a signature of scheme {other} ({})",
                    other.signature_header()
                ),
                Remedy::Scheme(other),
            ),
            _ => Verdict::Unsigned,
        },
        ParseError::Malformed(reason) => Verdict::invalid(reason, None),
    }
}
