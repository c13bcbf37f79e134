//! Key pairs for the public-key schemes: Ed25519 (Telnyx, Standard Webhooks `v1a`) and ECDSA
//! P-256 (SendGrid). A private key signs; the public key it pairs with verifies. Keys are read
//! from PEM (PKCS#8 private, SubjectPublicKeyInfo public) and from each provider's own format:
//! SendGrid shows base64 of the DER SubjectPublicKeyInfo, Telnyx base64 of the 32 raw Ed25519
//! bytes, Standard Webhooks `whsk_`/`whpk_` and base64 (libraries/go/webhook_asymmetric.go:
//! the `whsk_` part is the 32-byte seed).

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};

/// Standard Webhooks marks an Ed25519 secret (signing) key with this prefix.
pub const WHSK: &str = "whsk_";
/// Standard Webhooks marks an Ed25519 public key with this prefix.
pub const WHPK: &str = "whpk_";

/// The algorithm of a key pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    /// Ed25519 (Telnyx, Standard Webhooks `v1a`).
    Ed25519,
    /// ECDSA over NIST P-256 with SHA-256 (SendGrid).
    P256,
}

impl std::fmt::Display for Algorithm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Algorithm::Ed25519 => "Ed25519",
            Algorithm::P256 => "ECDSA P-256",
        })
    }
}

/// How a provider writes a public key for the receiver to paste.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublicFormat {
    /// Base64 of the DER SubjectPublicKeyInfo (SendGrid's dashboard).
    Spki,
    /// Base64 of the 32 raw bytes (Telnyx's portal).
    Raw,
    /// `whpk_` and base64 of the 32 raw bytes (Standard Webhooks).
    Whpk,
}

/// A private (signing) key. `Debug` never shows it, and there is no `Display`.
#[derive(Clone)]
pub struct PrivateKey(Private);

#[derive(Clone)]
enum Private {
    Ed25519(ed25519_dalek::SigningKey),
    P256(p256::ecdsa::SigningKey),
}

/// A public (verifying) key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey(Public);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Public {
    Ed25519(ed25519_dalek::VerifyingKey),
    P256(p256::ecdsa::VerifyingKey),
}

impl std::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PrivateKey({}, <redacted>)", self.algorithm())
    }
}

/// Why text is not the key that was needed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// A public key where signing needs the private one.
    #[error("this is a public key, and signing needs the private key it pairs with")]
    PublicNotPrivate,
    /// A private key where a receiver should hold the public one.
    #[error("this is a private key, and a receiver holds only the public key it pairs with")]
    PrivateNotPublic,
    /// A shared secret where a key pair is needed.
    #[error("this is a shared secret (whsec_), not a key pair: the scheme signs with a key pair")]
    SharedSecret,
    /// A PEM block hookctl does not read.
    #[error(
        "a PEM block labelled `{0}` is not read; give a PKCS#8 `PRIVATE KEY` or a `PUBLIC KEY` (openssl pkey converts)"
    )]
    PemLabel(String),
    /// PEM or base64 that holds no Ed25519 or P-256 key.
    #[error("not an Ed25519 or ECDSA P-256 key: {0}")]
    Unreadable(&'static str),
}

impl Algorithm {
    fn of_private(key: &Private) -> Self {
        match key {
            Private::Ed25519(_) => Algorithm::Ed25519,
            Private::P256(_) => Algorithm::P256,
        }
    }
}

impl PrivateKey {
    /// A fresh random key.
    pub fn generate(algorithm: Algorithm) -> Self {
        Self(match algorithm {
            Algorithm::Ed25519 => {
                Private::Ed25519(ed25519_dalek::SigningKey::from_bytes(&rand::random::<
                    [u8; 32],
                >()))
            }
            // A random 32-byte string is a valid scalar but for a chance of about 2^-32.
            Algorithm::P256 => Private::P256(loop {
                if let Ok(key) = p256::ecdsa::SigningKey::from_slice(&rand::random::<[u8; 32]>()) {
                    break key;
                }
            }),
        })
    }

    /// Reads a private key: PKCS#8 or SEC1 PEM, PKCS#8 DER in base64, or `whsk_<base64 seed>`.
    pub fn parse(text: &str) -> Result<Self, KeyError> {
        match parse(text)? {
            Parsed::Private(key) => Ok(key),
            Parsed::Public(_) => Err(KeyError::PublicNotPrivate),
        }
    }

    /// The algorithm.
    pub fn algorithm(&self) -> Algorithm {
        Algorithm::of_private(&self.0)
    }

    /// The public key it pairs with.
    pub fn public(&self) -> PublicKey {
        PublicKey(match &self.0 {
            Private::Ed25519(k) => Public::Ed25519(k.verifying_key()),
            Private::P256(k) => Public::P256(*k.verifying_key()),
        })
    }

    /// The key as a PKCS#8 PEM document, to write to a file only its owner reads.
    pub fn to_pem(&self) -> String {
        let pem = match &self.0 {
            // PKCS#8 v1 (the seed alone), as `openssl genpkey -algorithm ed25519` writes it:
            // OpenSSL 3.0, Python's cryptography and Node do not read the v2 form that also
            // embeds the public key.
            Private::Ed25519(k) => ed25519_dalek::pkcs8::KeypairBytes {
                secret_key: k.to_bytes(),
                public_key: None,
            }
            .to_pkcs8_pem(Default::default()),
            Private::P256(k) => k.to_pkcs8_pem(Default::default()),
        };
        pem.expect("an in-memory key encodes").to_string()
    }

    /// Signs `message`: a 64-byte Ed25519 signature, or a DER-encoded ECDSA signature.
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        use ed25519_dalek::Signer as _;
        match &self.0 {
            Private::Ed25519(k) => k.sign(message).to_bytes().to_vec(),
            Private::P256(k) => {
                let signature: p256::ecdsa::Signature =
                    p256::ecdsa::signature::Signer::sign(k, message);
                signature.to_der().as_bytes().to_vec()
            }
        }
    }

    /// A P-256 key as PKCS#8 DER (zeroed when dropped), the form `ring` reads.
    pub(super) fn p256_pkcs8(&self) -> Option<p256::pkcs8::SecretDocument> {
        match &self.0 {
            Private::P256(k) => Some(k.to_pkcs8_der().expect("an in-memory key encodes")),
            Private::Ed25519(_) => None,
        }
    }

    /// Every way the key may be written out, so output can hide each.
    pub fn spellings(&self) -> Vec<String> {
        let raw = match &self.0 {
            Private::Ed25519(k) => k.to_bytes().to_vec(),
            Private::P256(k) => k.to_bytes().to_vec(),
        };
        vec![
            BASE64.encode(&raw),
            hex::encode(&raw),
            format!("{WHSK}{}", BASE64.encode(&raw)),
        ]
    }
}

impl PublicKey {
    /// Reads a public key: SubjectPublicKeyInfo PEM, base64 of its DER (SendGrid), base64 of 32
    /// raw Ed25519 bytes (Telnyx), or `whpk_<base64>` (Standard Webhooks).
    pub fn parse(text: &str) -> Result<Self, KeyError> {
        match parse(text)? {
            Parsed::Public(key) => Ok(key),
            Parsed::Private(_) => Err(KeyError::PrivateNotPublic),
        }
    }

    /// The algorithm.
    pub fn algorithm(&self) -> Algorithm {
        match self.0 {
            Public::Ed25519(_) => Algorithm::Ed25519,
            Public::P256(_) => Algorithm::P256,
        }
    }

    /// The key as a provider shows it.
    pub fn encode(&self, format: PublicFormat) -> String {
        match (&self.0, format) {
            (Public::Ed25519(k), PublicFormat::Raw) => BASE64.encode(k.as_bytes()),
            (Public::Ed25519(k), PublicFormat::Whpk) => {
                format!("{WHPK}{}", BASE64.encode(k.as_bytes()))
            }
            (Public::Ed25519(k), PublicFormat::Spki) => BASE64.encode(
                k.to_public_key_der()
                    .expect("an in-memory key encodes")
                    .as_bytes(),
            ),
            (Public::P256(k), _) => BASE64.encode(
                k.to_public_key_der()
                    .expect("an in-memory key encodes")
                    .as_bytes(),
            ),
        }
    }

    /// A P-256 key as its 65-byte uncompressed SEC1 point, the form `ring` reads.
    pub(super) fn p256_point(&self) -> Option<Vec<u8>> {
        match &self.0 {
            Public::P256(k) => Some(k.to_sec1_point(false).as_bytes().to_vec()),
            Public::Ed25519(_) => None,
        }
    }

    /// Whether `signature` is a valid Ed25519 signature of `message` (64 bytes) or a valid
    /// DER-encoded ECDSA signature, by the key's algorithm.
    pub fn verifies(&self, message: &[u8], signature: &[u8]) -> bool {
        match &self.0 {
            Public::Ed25519(k) => ed25519_dalek::Signature::from_slice(signature)
                .is_ok_and(|s| k.verify_strict(message, &s).is_ok()),
            Public::P256(k) => p256::ecdsa::Signature::from_der(signature)
                .is_ok_and(|s| p256_verifies(k, message, &s)),
        }
    }

    /// Whether `signature` is a raw `r‖s` (IEEE P1363, 64 bytes) ECDSA signature of `message`,
    /// the form SendGrid does not send.
    pub fn verifies_raw_ecdsa(&self, message: &[u8], signature: &[u8]) -> bool {
        match &self.0 {
            Public::P256(k) => p256::ecdsa::Signature::from_slice(signature)
                .is_ok_and(|s| p256_verifies(k, message, &s)),
            Public::Ed25519(_) => false,
        }
    }
}

fn p256_verifies(
    key: &p256::ecdsa::VerifyingKey,
    message: &[u8],
    signature: &p256::ecdsa::Signature,
) -> bool {
    use p256::ecdsa::signature::Verifier as _;
    key.verify(message, signature).is_ok()
}

enum Parsed {
    Private(PrivateKey),
    Public(PublicKey),
}

/// Reads any key this module knows, telling private from public.
fn parse(text: &str) -> Result<Parsed, KeyError> {
    let text = text.trim();
    if let Some(block) = pem_block(text) {
        let (label, block) = block?;
        return parse_pem(label, block);
    }
    if text.starts_with("whsec_") {
        return Err(KeyError::SharedSecret);
    }
    if let Some(seed) = text.strip_prefix(WHSK) {
        let seed: [u8; 32] = decode(seed)?
            .try_into()
            .map_err(|_| KeyError::Unreadable("a whsk_ key holds 32 bytes"))?;
        let key = ed25519_dalek::SigningKey::from_bytes(&seed);
        return Ok(Parsed::Private(PrivateKey(Private::Ed25519(key))));
    }
    if let Some(raw) = text.strip_prefix(WHPK) {
        return ed25519_raw(&decode(raw)?).map(Parsed::Public);
    }
    let der = decode(text)?;
    if der.len() == 32 {
        return ed25519_raw(&der).map(Parsed::Public);
    }
    public_der(&der)
        .map(Parsed::Public)
        .or_else(|| private_der(&der).map(Parsed::Private))
        .ok_or(KeyError::Unreadable(
            "the base64 holds neither a DER public key nor 32 raw Ed25519 bytes",
        ))
}

/// The PEM labels [`parse_pem`] reads.
const PEM_LABELS: [&str; 3] = ["PRIVATE KEY", "EC PRIVATE KEY", "PUBLIC KEY"];

/// The first PEM block whose label this module reads, with its label; text around it
/// (`openssl pkcs12`'s `Bag Attributes`) and other blocks (the `EC PARAMETERS` that
/// `openssl ecparam -genkey` writes first, a certificate) are passed over. `None` when the text
/// holds no PEM block; an error naming the first other label when it holds none of ours.
fn pem_block(text: &str) -> Option<Result<(&str, &str), KeyError>> {
    const BEGIN: &str = "-----BEGIN ";
    let mut others = Vec::new();
    for (start, _) in text.match_indices(BEGIN) {
        let Some((label, _)) = text[start + BEGIN.len()..].split_once("-----") else {
            continue;
        };
        if !PEM_LABELS.contains(&label) {
            others.push(label);
            continue;
        }
        let end = format!("-----END {label}-----");
        let block = match text[start..].find(&end) {
            Some(at) => &text[start..start + at + end.len()],
            None => &text[start..],
        };
        return Some(Ok((label, block)));
    }
    let named = others.iter().find(|l| **l != "EC PARAMETERS");
    named
        .or(others.first())
        .map(|label| Err(KeyError::PemLabel(label.to_string())))
}

fn parse_pem(label: &str, text: &str) -> Result<Parsed, KeyError> {
    let unreadable = KeyError::Unreadable("the PEM block does not decode as one");
    match label {
        "PRIVATE KEY" => ed25519_dalek::SigningKey::from_pkcs8_pem(text)
            .map(Private::Ed25519)
            .or_else(|_| p256::ecdsa::SigningKey::from_pkcs8_pem(text).map(Private::P256))
            .map(|k| Parsed::Private(PrivateKey(k)))
            .map_err(|_| unreadable),
        "EC PRIVATE KEY" => p256::SecretKey::from_sec1_pem(text)
            .map(|k| Parsed::Private(PrivateKey(Private::P256(k.into()))))
            .map_err(|_| unreadable),
        "PUBLIC KEY" => ed25519_dalek::VerifyingKey::from_public_key_pem(text)
            .map(Public::Ed25519)
            .or_else(|_| p256::ecdsa::VerifyingKey::from_public_key_pem(text).map(Public::P256))
            .map(|k| Parsed::Public(PublicKey(k)))
            .map_err(|_| unreadable),
        other => Err(KeyError::PemLabel(other.to_string())),
    }
}

fn public_der(der: &[u8]) -> Option<PublicKey> {
    ed25519_dalek::VerifyingKey::from_public_key_der(der)
        .map(Public::Ed25519)
        .or_else(|_| p256::ecdsa::VerifyingKey::from_public_key_der(der).map(Public::P256))
        .ok()
        .map(PublicKey)
}

fn private_der(der: &[u8]) -> Option<PrivateKey> {
    ed25519_dalek::SigningKey::from_pkcs8_der(der)
        .map(Private::Ed25519)
        .or_else(|_| p256::ecdsa::SigningKey::from_pkcs8_der(der).map(Private::P256))
        .ok()
        .map(PrivateKey)
}

fn ed25519_raw(bytes: &[u8]) -> Result<PublicKey, KeyError> {
    let bytes: &[u8; 32] = bytes
        .try_into()
        .map_err(|_| KeyError::Unreadable("an Ed25519 public key holds 32 bytes"))?;
    ed25519_dalek::VerifyingKey::from_bytes(bytes)
        .map(|k| PublicKey(Public::Ed25519(k)))
        .map_err(|_| KeyError::Unreadable("the 32 bytes are not an Ed25519 point"))
}

fn decode(text: &str) -> Result<Vec<u8>, KeyError> {
    BASE64
        .decode(text)
        .map_err(|_| KeyError::Unreadable("neither PEM nor base64"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_format_reads_back_as_the_same_key() {
        for algorithm in [Algorithm::Ed25519, Algorithm::P256] {
            let private = PrivateKey::generate(algorithm);
            let public = private.public();
            let again = PrivateKey::parse(&private.to_pem()).unwrap();
            assert_eq!(again.public(), public);
            for format in [PublicFormat::Spki, PublicFormat::Raw, PublicFormat::Whpk] {
                if algorithm == Algorithm::P256 && format != PublicFormat::Spki {
                    continue;
                }
                assert_eq!(PublicKey::parse(&public.encode(format)).unwrap(), public);
            }
            assert_eq!(
                PublicKey::parse(&private.to_pem()),
                Err(KeyError::PrivateNotPublic)
            );
            assert_eq!(
                PrivateKey::parse(&public.encode(PublicFormat::Spki)).unwrap_err(),
                KeyError::PublicNotPrivate
            );
            let message = b"1600112502[]\r\n";
            assert!(public.verifies(message, &private.sign(message)));
            assert!(!public.verifies(b"other", &private.sign(message)));
        }
    }

    #[test]
    fn debug_never_shows_a_private_key() {
        let key = PrivateKey::generate(Algorithm::Ed25519);
        let shown = format!("{key:?}");
        assert_eq!(shown, "PrivateKey(Ed25519, <redacted>)");
        for spelling in key.spellings() {
            assert!(!shown.contains(&spelling));
        }
    }

    #[test]
    fn a_shared_secret_is_not_a_key_pair() {
        assert_eq!(
            PublicKey::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
            Err(KeyError::SharedSecret)
        );
    }
}

#[cfg(test)]
mod pem_form {
    use super::*;

    #[test]
    fn an_ed25519_key_is_written_as_pkcs8_v1_which_openssl_reads() {
        let pem = PrivateKey::generate(Algorithm::Ed25519).to_pem();
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        let der = base64::engine::general_purpose::STANDARD
            .decode(body)
            .unwrap();
        // RFC 8410's v1 form, as `openssl genpkey -algorithm ed25519` writes: 48 bytes.
        assert_eq!(der.len(), 48);
    }
}

#[cfg(test)]
mod pem_files {
    use super::*;

    // Keys generated once with Python's `cryptography` (test keys, never used elsewhere).
    const SEC1: &str = "-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIEZcWfNMEyl+0RzpfG0Kpj8nL9xRi3zzcIoKf5XCTUEAoAoGCCqGSM49
AwEHoUQDQgAENicTzzG2xd+zxgq8uSgOJt3bXNAMUs1NGdkBZe04uTw5JbHnRLsR
BsU5XpKDv2T/aiwDTwHruMM/A8MRTwl7pA==
-----END EC PRIVATE KEY-----
";
    const SEC1_PUBLIC: &str = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAENicTzzG2xd+zxgq8uSgOJt3bXNAMUs1NGdkBZe04uTw5JbHnRLsRBsU5XpKDv2T/aiwDTwHruMM/A8MRTwl7pA==";
    /// What `openssl ecparam -name prime256v1` writes before the key with `-genkey`.
    const EC_PARAMETERS: &str = "-----BEGIN EC PARAMETERS-----
BggqhkjOPQMBBw==
-----END EC PARAMETERS-----
";
    const PKCS8_ED25519: &str = "-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIPPLnW642IqNqE78TWpNGOB6KZbwfXbcOO3l83fU3ccV
-----END PRIVATE KEY-----
";
    const ED25519_PUBLIC: &str = "vKv9fl/k/OXWEwLXrKWu1ixIOUYjnpiosaxP85fal40=";

    #[test]
    fn openssl_ecparam_genkey_output_reads_past_its_ec_parameters() {
        let key = PrivateKey::parse(&format!("{EC_PARAMETERS}{SEC1}")).unwrap();
        assert_eq!(key.public().encode(PublicFormat::Spki), SEC1_PUBLIC);
    }

    #[test]
    fn openssl_pkcs12_output_reads_past_its_bag_attributes() {
        let text = format!(
            "Bag Attributes\n    localKeyID: 01 00 00 00 \nKey Attributes: <No Attributes>\n\
             {PKCS8_ED25519}"
        );
        let key = PrivateKey::parse(&text).unwrap();
        assert_eq!(key.public().encode(PublicFormat::Raw), ED25519_PUBLIC);
    }

    #[test]
    fn a_certificate_before_the_key_is_passed_over_and_named_when_alone() {
        let certificate =
            "subject=CN = x\n-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        let key = PrivateKey::parse(&format!("{certificate}{PKCS8_ED25519}")).unwrap();
        assert_eq!(key.public().encode(PublicFormat::Raw), ED25519_PUBLIC);
        let refused = PrivateKey::parse(&format!("{EC_PARAMETERS}{certificate}")).unwrap_err();
        assert_eq!(refused, KeyError::PemLabel("CERTIFICATE".into()));
        assert_eq!(
            PrivateKey::parse(EC_PARAMETERS).unwrap_err().to_string(),
            "a PEM block labelled `EC PARAMETERS` is not read; give a PKCS#8 `PRIVATE KEY` or a \
             `PUBLIC KEY` (openssl pkey converts)"
        );
    }
}
