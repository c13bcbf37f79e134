//! ECDSA P-256 / SHA-256 (SendGrid) through `ring`, several times faster than the pure Rust
//! `p256` that still reads every key format: a signer's keys are handed over once, as PKCS#8 DER
//! (private) and the 65-byte uncompressed point (public), and kept for every request.
//! `ring` verifies a high-S signature like a low-S one, as SendGrid's and OpenSSL's verifiers do.

use std::sync::Arc;

use ring::rand::SystemRandom;
use ring::signature::{
    ECDSA_P256_SHA256_ASN1, ECDSA_P256_SHA256_ASN1_SIGNING, EcdsaKeyPair, UnparsedPublicKey,
};

use super::keys::{PrivateKey, PublicKey};

/// A P-256 key pair held as `ring` objects: the private key when it signs, always the public one.
#[derive(Debug, Clone)]
pub(super) struct RingP256 {
    signing: Option<Arc<EcdsaKeyPair>>,
    verifying: UnparsedPublicKey<Vec<u8>>,
    random: SystemRandom,
}

impl RingP256 {
    /// The `ring` form of `public` (and of `private`, which pairs with it), or `None` for a key
    /// that is not P-256 or that `ring` does not take.
    pub(super) fn new(private: Option<&PrivateKey>, public: &PublicKey) -> Option<Self> {
        let random = SystemRandom::new();
        let verifying = UnparsedPublicKey::new(&ECDSA_P256_SHA256_ASN1, public.p256_point()?);
        let signing = match private {
            Some(key) => Some(Arc::new(
                EcdsaKeyPair::from_pkcs8(
                    &ECDSA_P256_SHA256_ASN1_SIGNING,
                    key.p256_pkcs8()?.as_bytes(),
                    &random,
                )
                .ok()?,
            )),
            None => None,
        };
        Some(Self {
            signing,
            verifying,
            random,
        })
    }

    /// A DER signature of `message`, when the private key is held.
    pub(super) fn sign(&self, message: &[u8]) -> Option<Vec<u8>> {
        let key = self.signing.as_ref()?;
        let signature = key
            .sign(&self.random, message)
            .expect("the system's random source works");
        Some(signature.as_ref().to_vec())
    }

    /// Whether `signature` (DER) is a valid signature of `message`.
    pub(super) fn verifies(&self, message: &[u8], signature: &[u8]) -> bool {
        self.verifying.verify(message, signature).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::super::keys::Algorithm;
    use super::*;

    #[test]
    fn ring_and_p256_accept_each_others_signatures() {
        let private = PrivateKey::generate(Algorithm::P256);
        let public = private.public();
        let ring = RingP256::new(Some(&private), &public).expect("ring takes p256's PKCS#8");
        let message = b"1600112502[]\r\n";
        assert!(public.verifies(message, &ring.sign(message).unwrap()));
        assert!(ring.verifies(message, &private.sign(message)));
        assert!(!ring.verifies(b"other", &private.sign(message)));
        let verifier = RingP256::new(None, &public).unwrap();
        assert_eq!(verifier.sign(message), None);
        assert!(verifier.verifies(message, &ring.sign(message).unwrap()));
    }
}
