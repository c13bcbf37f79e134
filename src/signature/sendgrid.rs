//! SendGrid's Event Webhook: ECDSA P-256 with SHA-256 over the timestamp header's text followed
//! by the raw body (which ends in `\r\n`), DER-encoded and base64 in
//! `X-Twilio-Email-Event-Webhook-Signature`; the timestamp in
//! `X-Twilio-Email-Event-Webhook-Timestamp`. Sources: SendGrid's "Getting Started with the Event
//! Webhook Security Features" and sendgrid-python `sendgrid/helpers/eventwebhook/__init__.py`
//! (`verify_signature`: `timestamp + payload`, no age limit).

use super::keys::Algorithm;
use super::pair::{self, Pair};
use super::{Family, Key, Policy, Request, Scheme, SignError, Signed, SignerError, Stamp, Verdict};

/// The header carrying the signature.
pub(super) const SIGNATURE: &str = "X-Twilio-Email-Event-Webhook-Signature";
/// The header carrying the signed timestamp.
pub(super) const TIMESTAMP: &str = "X-Twilio-Email-Event-Webhook-Timestamp";

const NO_EXPLANATION: &str =
    "the public key, the timestamp or the payload differs from what was signed";

/// SendGrid's signing, bound to a P-256 key pair.
#[derive(Debug, Clone)]
pub(super) struct Sendgrid {
    keys: Pair,
}

impl Sendgrid {
    pub(super) fn new(key: &Key) -> Result<Self, SignerError> {
        Ok(Self {
            keys: Pair::new(Scheme::Sendgrid, key, Algorithm::P256)?,
        })
    }

    /// Why `signature` does not verify `body`: a raw r‖s signature, or a body whose trailing
    /// CRLF was lost or gained a newline on the way.
    fn explain(&self, timestamp: &str, signature: &[u8], body: &[u8]) -> Verdict {
        let public = &self.keys.public;
        if public.verifies_raw_ecdsa(&message(timestamp, body), signature) {
            return Verdict::invalid(
                "the signature is a raw r‖s pair (64 bytes, IEEE P1363), and SendGrid sends DER",
                Some("encode (r, s) as an ASN.1 DER SEQUENCE, as SendGrid does; its EventWebhook library reads no other form".to_string()),
            );
        }
        let hint = variants(body)
            .into_iter()
            .find(|(variant, _)| self.keys.verifies(&message(timestamp, variant), signature))
            .map_or(NO_EXPLANATION, |(_, hint)| hint);
        Verdict::invalid("signature does not match", Some(hint.to_string()))
    }
}

/// The signed bytes: the timestamp as sent, then the body.
fn message(timestamp: &str, body: &[u8]) -> Vec<u8> {
    [timestamp.as_bytes(), body].concat()
}

/// Bodies the sender may really have signed, each with the hint that names the slip.
fn variants(body: &[u8]) -> Vec<(Vec<u8>, &'static str)> {
    let mut out = Vec::new();
    if let Some(before) = body.strip_suffix(b"\r\n\n") {
        out.push((
            [before, b"\r\n"].concat(),
            "a newline follows SendGrid's trailing \\r\\n (an editor adds one on save); use the exact bytes received",
        ));
    }
    if !body.ends_with(b"\r\n") {
        let bare = body.strip_suffix(b"\n").unwrap_or(body);
        out.push((
            [bare, b"\r\n"].concat(),
            "the signed payload ends with \\r\\n, which SendGrid includes and this body lacks (stripped, or turned into \\n); verify the raw bytes received",
        ));
    }
    if let Some(bare) = body.strip_suffix(b"\r\n") {
        out.push((
            bare.to_vec(),
            "the signature covers the payload without its trailing \\r\\n, and SendGrid signs the body with it; sign the exact bytes that are sent",
        ));
    }
    out
}

impl Family for Sendgrid {
    fn sign(&self, request: &Request<'_>, stamp: &Stamp) -> Result<Signed, SignError> {
        let timestamp = stamp.timestamp.to_string();
        let message = message(&timestamp, request.body);
        self.keys
            .sign_stamped(&message, timestamp, (SIGNATURE, TIMESTAMP))
    }

    fn verify(&self, request: &Request<'_>, _policy: &Policy) -> Verdict {
        let claim = match pair::read(request.headers, SIGNATURE, TIMESTAMP) {
            Ok(claim) => claim,
            Err(e) => return pair::unreadable(Scheme::Sendgrid, request.headers, e),
        };
        // SendGrid's library limits no age: the timestamp is signed, never judged.
        let signed = message(claim.timestamp, request.body);
        if self.keys.verifies(&signed, &claim.signature) {
            return Verdict::Valid;
        }
        self.explain(claim.timestamp, &claim.signature, request.body)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Headers, PublicKey, Signer};
    use super::*;

    /// sendgrid-python `test/unit/test_eventwebhook.py` (PUBLIC_KEY, SIGNATURE, TIMESTAMP,
    /// PAYLOAD: `json.dumps(…, sort_keys=True, separators=(',', ':')) + '\r\n'`).
    const PUBLIC_KEY: &str = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g==";
    const SIGNATURE_B64: &str = "MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQAbPIqHh89M15TluLtEZtM=";
    const PAYLOAD: &str = "[{\"email\":\"hello@world.com\",\"event\":\"dropped\",\"reason\":\"Bounced Address\",\"sg_event_id\":\"ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA\",\"sg_message_id\":\"LRzXl_NHStOGhQ4kofSm_A.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0\",\"smtp-id\":\"<LRzXl_NHStOGhQ4kofSm_A@ismtpd0039p1iad1.sendgrid.net>\",\"timestamp\":1600112492}]\r\n";

    fn verdict(body: &str) -> Verdict {
        let key = Key::Public(PublicKey::parse(PUBLIC_KEY).unwrap());
        let signer = Signer::with_key(Scheme::Sendgrid, &key, None).unwrap();
        let mut headers = Headers::default();
        headers.push(SIGNATURE, SIGNATURE_B64.to_string());
        headers.push(TIMESTAMP, "1600112502".to_string());
        let policy = Policy {
            now: 0,
            tolerance: Some(300),
        };
        signer.verify(&headers, body.as_bytes(), &policy)
    }

    #[test]
    fn the_published_vector_verifies_and_a_stripped_crlf_is_named() {
        // Its `s` is above n/2 (a high-S signature, as OpenSSL makes them): SEQUENCE { INTEGER
        // r (32 bytes), INTEGER s (33 bytes: 0x00, then s from 0xc8) }; `ring` must accept it.
        use base64::Engine;
        let der = base64::engine::general_purpose::STANDARD.decode(SIGNATURE_B64);
        assert_eq!(&der.unwrap()[36..40], &[0x02, 0x21, 0x00, 0xc8]);
        assert_eq!(verdict(PAYLOAD), Verdict::Valid);
        let Verdict::Invalid(m) = verdict(PAYLOAD.trim_end()) else {
            panic!("a stripped body verified")
        };
        assert!(m.hint.unwrap().contains("ends with \\r\\n"));
    }
}
