//! Standard Webhooks' asymmetric signatures: Ed25519 over `id.timestamp.body`, written
//! `v1a,<base64>` in the same space-separated list as `v1`, with `whsk_` secret keys and `whpk_`
//! public keys. Source: the specification (standard-webhooks `spec/standard-webhooks.md`) and
//! its Go library, `libraries/go/webhook_asymmetric.go`.

use super::keys::Algorithm;
use super::pair::{self, Pair};
use super::standard::{self, Family as Names};
use super::{
    Family, Key, ParseError, Policy, Request, Scheme, SignError, Signed, SignerError, Stamp,
    Verdict, diagnose,
};

/// The version tag of an Ed25519 entry.
const VERSION: &str = "v1a";

/// Standard Webhooks `v1a`, bound to an Ed25519 key pair, under either family of names.
#[derive(Debug, Clone)]
pub(super) struct V1a {
    keys: Pair,
    names: &'static Names,
}

impl V1a {
    pub(super) fn new(scheme: Scheme, key: &Key) -> Result<Self, SignerError> {
        Ok(Self {
            keys: Pair::new(scheme, key, Algorithm::Ed25519)?,
            names: scheme.family().expect("a Standard Webhooks scheme"),
        })
    }

    fn verifies(&self, id: &str, timestamp: i64, body: &[u8], signature: &[u8]) -> bool {
        self.keys
            .public
            .verifies(&message(id, timestamp, body), signature)
    }
}

/// The signed bytes: `id.timestamp.body`.
fn message(id: &str, timestamp: i64, body: &[u8]) -> Vec<u8> {
    [format!("{id}.{timestamp}.").as_bytes(), body].concat()
}

impl Family for V1a {
    fn sign(&self, request: &Request<'_>, stamp: &Stamp) -> Result<Signed, SignError> {
        let signature = self
            .keys
            .sign(&message(&stamp.id, stamp.timestamp, request.body))?;
        Ok(Signed {
            headers: standard::render_as(VERSION, &signature, stamp, self.names),
            body: None,
        })
    }

    fn verify(&self, request: &Request<'_>, policy: &Policy) -> Verdict {
        let claim = match standard::parse(request.headers, self.names, VERSION) {
            Ok(claim) => claim,
            Err(ParseError::Malformed(reason)) if reason.contains("has no v1a signature") => {
                return Verdict::invalid(
                    reason,
                    Some("the list holds symmetric signatures only: verify with the whsec_ secret, or have the sender sign with its whsk_ key".to_string()),
                );
            }
            Err(e) => return pair::unreadable(self.keys.scheme, request.headers, e),
        };
        let id = claim.id.as_deref().unwrap_or_default();
        let at = claim.timestamp.unwrap_or_default();
        let signatures = claim.tags.iter().chain(claim.slips.iter().map(|s| &s.tag));
        let signatures = signatures.collect::<Vec<_>>();
        if signatures
            .iter()
            .any(|s| self.verifies(id, at, request.body, s))
        {
            return super::by_age(at, policy, true);
        }
        let hint = diagnose::body_variants(request.body)
            .into_iter()
            .find(|(variant, _)| signatures.iter().any(|s| self.verifies(id, at, variant, s)))
            .map_or(
                "the public key, the id, the timestamp or the payload differs from what was signed",
                |(_, hint)| hint,
            );
        Verdict::invalid("signature does not match", Some(hint.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Headers, PrivateKey, Signer};
    use super::*;

    /// standard-webhooks `libraries/go/webhook_asymmetric_test.go`, `TestAsymmetricWebhookSign`.
    #[test]
    fn the_published_vector_signs_as_the_go_library_does() {
        let key = Key::Private(
            PrivateKey::parse("whsk_VEVTVFNJR05JTkdLRVlET05PVFVTRVRISVNGT1JBTlk=").unwrap(),
        );
        let signer = Signer::with_key(Scheme::Standard, &key, None).unwrap();
        let stamp = Stamp {
            id: "msg_p5jXN8AQM9LWM0D4loKWxJek".into(),
            timestamp: 1614265330,
        };
        let signed = signer.sign(br#"{"test": 2432232314}"#, &stamp).unwrap();
        assert_eq!(
            signed.headers[2].1,
            "v1a,tQ9V2XOqn7jL/DQenEFpqIugdBVtiMmER5mhSkXBNwM0mkATuDe6KYYUuxqtaiHeYGb7KaaBRdM5WqyeFiL8Ag=="
        );
        let headers: Headers = signed.headers.iter().cloned().collect();
        let policy = Policy {
            now: 1614265330,
            tolerance: Some(300),
        };
        assert_eq!(
            signer.verify(&headers, br#"{"test": 2432232314}"#, &policy),
            Verdict::Valid
        );
    }
}
