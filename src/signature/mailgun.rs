//! Mailgun: the signature travels inside the JSON body, beside the event data it does not cover:
//! `{"signature":{"timestamp","token","signature"},"event-data":{…}}`, where `signature` is the
//! hex HMAC-SHA256 of `timestamp + token` under the webhook signing key.
//!
//! As mailgun-python 1.10.0 `mailgun.security.SecurityGuard.verify_webhook` checks it: the key is
//! the signing key's UTF-8 bytes as given; the message is the timestamp exactly as sent, then the
//! token; the lowercase hex strings are compared in constant time; a timestamp more than 900 s
//! from now, either way, is refused. Mailgun sends the timestamp as a string of Unix seconds and
//! a fresh 50-hex-digit token with every delivery.

use serde_json::{Map, Value, json};

use super::mac::{self, Tag};
use super::{Family, Policy, Request, Scheme, Secret, SignError, Signed, Stamp, Verdict};

/// Where the signature is, as messages name it.
pub const PLACE: &str = "the body's signature object";

/// Mailgun's SDK refuses timestamps further than this from now (`max_age_seconds`).
pub const TOLERANCE_SECS: u64 = 900;

/// Hex digits in a token Mailgun issues.
const TOKEN_LEN: usize = 50;

/// How far either side of a claimed timestamp a mismatch looks for the one really signed.
const EDITED_TIMESTAMP_SEARCH: i64 = 1_800;

/// What a received body's signature object holds.
struct Claim {
    /// The timestamp exactly as sent (signed as text).
    timestamp: String,
    /// The same, as a number.
    unix: i64,
    token: String,
    signature: String,
}

/// Mailgun's signing, bound to a webhook signing key.
#[derive(Clone)]
pub struct MailgunSigner {
    keyed: mac::Key,
    /// The key has the `key-` prefix of Mailgun's (older) API keys: a usual mix-up.
    api_key_like: bool,
}

impl std::fmt::Debug for MailgunSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MailgunSigner(<redacted>)")
    }
}

impl MailgunSigner {
    /// Binds the webhook signing key, used as the text given.
    pub fn new(secret: &Secret) -> Self {
        Self {
            keyed: mac::Key::new(secret.expose().as_bytes()),
            api_key_like: secret.expose().starts_with("key-"),
        }
    }

    fn tag(&self, timestamp: &str, token: &str) -> Tag {
        self.keyed.tag(timestamp.as_bytes(), token.as_bytes())
    }

    /// The hint for a signature that matches nothing, after the usual mistakes were tried.
    fn explain(&self, claim: &Claim, body: &[u8]) -> Verdict {
        let reason = "signature does not match";
        let Some(tag) = hex_tag(&claim.signature) else {
            return Verdict::invalid(
                "signature.signature is not a hex SHA-256 (64 hex digits)",
                Some("it was changed after signing, or made another way than Mailgun's hex HMAC-SHA256 of timestamp + token".to_string()),
            );
        };
        let made = |message: &[u8]| mac::ct_eq(&self.keyed.tag(b"", message), &tag);
        let hint = if let Some(signed) = self.edited_timestamp(claim, &tag) {
            format!(
                "the signature matches timestamp {signed}, not {}: the timestamp was changed after signing",
                claim.timestamp
            )
        } else if made(format!("{}{}", claim.token, claim.timestamp).as_bytes()) {
            "the signature covers token + timestamp; Mailgun signs the timestamp first, then the token".to_string()
        } else if made(body) {
            "the signature covers the whole body; Mailgun signs only timestamp + token".to_string()
        } else if !is_token(&claim.token) {
            format!(
                "signature.token is not {TOKEN_LEN} hex digits as Mailgun issues them: it was changed after signing"
            )
        } else if self.api_key_like {
            "the key starts with `key-`, as Mailgun's API keys do; webhooks are signed with the HTTP webhook signing key, shown apart on the Webhooks page".to_string()
        } else {
            "the signing key differs, or the token or signature was changed after signing (no nearby timestamp matches)".to_string()
        };
        Verdict::invalid(reason, Some(hint))
    }

    /// A timestamp within [`EDITED_TIMESTAMP_SEARCH`] of the claimed one that the signature
    /// matches with the claimed token.
    fn edited_timestamp(&self, claim: &Claim, tag: &Tag) -> Option<i64> {
        (1..=EDITED_TIMESTAMP_SEARCH)
            .flat_map(|d| [claim.unix.checked_sub(d), claim.unix.checked_add(d)])
            .flatten()
            .find(|t| mac::ct_eq(&self.tag(&t.to_string(), &claim.token), tag))
    }
}

impl Family for MailgunSigner {
    fn sign(&self, request: &Request<'_>, stamp: &Stamp) -> Result<Signed, SignError> {
        let timestamp = stamp.timestamp.to_string();
        let token = hex::encode(rand::random::<[u8; TOKEN_LEN / 2]>());
        let signature = hex::encode(self.tag(&timestamp, &token));
        let object = json!({"timestamp": timestamp, "token": token, "signature": signature});
        let body = with_signature(request.body, &object).ok_or(SignError::Body {
            scheme: Scheme::Mailgun,
            expected: "JSON object",
        })?;
        Ok(Signed {
            headers: Vec::new(),
            body: Some(body),
        })
    }

    fn verify(&self, request: &Request<'_>, policy: &Policy) -> Verdict {
        let claim = match read(request.body) {
            Ok(claim) => claim,
            Err(verdict) => return verdict,
        };
        let expected = hex::encode(self.tag(&claim.timestamp, &claim.token));
        if mac::ct_eq(expected.as_bytes(), claim.signature.as_bytes()) {
            return super::by_age(claim.unix, policy, true);
        }
        if expected.eq_ignore_ascii_case(&claim.signature) {
            return Verdict::invalid(
                "the signature matches, but it is written in uppercase hex",
                Some("Mailgun's SDK compares the lowercase hex string; lowercase it".to_string()),
            );
        }
        self.explain(&claim, request.body)
    }
}

/// The token of a body's signature object, for a receiver that remembers tokens to refuse a
/// replay (as Mailgun advises); `None` when there is none.
pub fn token_of(body: &[u8]) -> Option<String> {
    let value: Value = serde_json::from_slice(body).ok()?;
    Some(value.pointer("/signature/token")?.as_str()?.to_string())
}

/// The verdict on a valid signature whose token an earlier delivery already carried.
pub fn replayed() -> Verdict {
    Verdict::invalid(
        "the signature matches, but an earlier delivery carried the same token: a replay",
        Some("Mailgun sends a fresh token with every delivery, retries included; remember tokens and refuse a repeat".to_string()),
    )
}

/// `body` (a JSON object) with `signature` as its `signature` field: first, ahead of the event
/// data's bytes left as they are; or in place of one already there (the body re-serialised).
fn with_signature(body: &[u8], signature: &Value) -> Option<Vec<u8>> {
    let mut object: Map<String, Value> = serde_json::from_slice(body).ok()?;
    if object.is_empty() || object.contains_key("signature") {
        object.insert("signature".into(), signature.clone());
        return serde_json::to_vec(&object).ok();
    }
    let text = body.trim_ascii_start();
    let mut out = br#"{"signature":"#.to_vec();
    out.extend(serde_json::to_vec(signature).ok()?);
    out.push(b',');
    out.extend(&text[1..]);
    Some(out)
}

/// The signature object's fields, or the verdict on a body that does not carry them.
fn read(body: &[u8]) -> Result<Claim, Verdict> {
    const SHAPE: &str = r#"Mailgun sends a JSON object {"signature":{"timestamp","token","signature"},"event-data":{…}}: the signature travels inside the body"#;
    let shape = |reason: String| Verdict::invalid(reason, Some(SHAPE.to_string()));
    let value: Value = serde_json::from_slice(body)
        .map_err(|_| shape("the body is not JSON, so it carries no Mailgun signature".into()))?;
    let Value::Object(object) = value else {
        return Err(shape("the body is not a JSON object".into()));
    };
    let Some(signature) = object.get("signature") else {
        if object.contains_key("event-data") {
            return Err(Verdict::Unsigned);
        }
        return Err(shape(
            "the body is not Mailgun's: it has neither `signature` nor `event-data`".into(),
        ));
    };
    let Value::Object(fields) = signature else {
        return Err(shape(
            "`signature` is not an object of timestamp, token and signature".into(),
        ));
    };
    let text = |name: &str| match fields.get(name) {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(shape(format!("signature.{name} is not a string"))),
        None => Err(shape(format!("signature.{name} is missing"))),
    };
    let timestamp = match fields.get("timestamp") {
        // The SDK signs `str(timestamp)`: a JSON integer signs as its digits.
        Some(Value::Number(n)) if n.is_i64() => n.to_string(),
        _ => text("timestamp")?,
    };
    let unix = timestamp.parse().map_err(|_| {
        shape("signature.timestamp is not a Unix time in seconds, as Mailgun sends it".into())
    })?;
    Ok(Claim {
        unix,
        timestamp,
        token: text("token")?,
        signature: text("signature")?,
    })
}

/// The 32 bytes a 64-hex-digit signature spells (either case).
fn hex_tag(signature: &str) -> Option<Tag> {
    let mut tag = [0u8; 32];
    hex::decode_to_slice(signature, &mut tag).ok()?;
    Some(tag)
}

/// Whether `token` has the shape of Mailgun's: 50 lowercase hex digits.
fn is_token(token: &str) -> bool {
    token.len() == TOKEN_LEN
        && token
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signature::Headers;

    const KEY: &str = "4a5f3e1b2c8d9e0f1a2b3c4d5e6f7a8b-5d9e4c4b-ea4b5c7f";

    fn signer() -> MailgunSigner {
        MailgunSigner::new(&Secret::new(KEY).unwrap())
    }

    fn policy(now: i64) -> Policy {
        Policy {
            now,
            tolerance: Some(TOLERANCE_SECS),
        }
    }

    fn signed(body: &str, at: i64) -> Vec<u8> {
        let headers = Headers::new();
        let stamp = Stamp {
            id: String::new(),
            timestamp: at,
        };
        signer()
            .sign(&Request::post(&headers, body.as_bytes()), &stamp)
            .unwrap()
            .body
            .unwrap()
    }

    fn verify(body: &[u8], now: i64) -> Verdict {
        let headers = Headers::new();
        signer().verify(&Request::post(&headers, body), &policy(now))
    }

    fn hint(verdict: Verdict) -> String {
        match verdict {
            Verdict::Invalid(m) => m.hint.unwrap_or_default(),
            other => panic!("not invalid: {other:?}"),
        }
    }

    #[test]
    fn the_signature_goes_first_and_the_event_data_keeps_its_bytes() {
        let body = signed(
            "{\"event-data\": {\"event\": \"delivered\"}}",
            1_700_000_000,
        );
        let text = String::from_utf8(body.clone()).unwrap();
        assert!(text.starts_with(r#"{"signature":{"timestamp":"1700000000","token":""#));
        assert!(
            text.ends_with(",\"event-data\": {\"event\": \"delivered\"}}"),
            "{text}"
        );
        let value: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(value["signature"]["token"].as_str().unwrap().len(), 50);
        assert_eq!(verify(&body, 1_700_000_000), Verdict::Valid);
    }

    #[test]
    fn each_signing_draws_a_fresh_token_and_resigning_replaces_the_signature() {
        let first = signed(r#"{"event-data":{}}"#, 1_700_000_000);
        let again = signed(std::str::from_utf8(&first).unwrap(), 1_700_000_000);
        let (a, b): (Value, Value) = (
            serde_json::from_slice(&first).unwrap(),
            serde_json::from_slice(&again).unwrap(),
        );
        assert_ne!(a["signature"]["token"], b["signature"]["token"]);
        assert_eq!(b.as_object().unwrap().len(), 2);
        assert_eq!(verify(&again, 1_700_000_000), Verdict::Valid);
    }

    #[test]
    fn the_event_data_is_not_signed() {
        let body = signed(
            r#"{"event-data":{"recipient":"alice@example.com"}}"#,
            1_700_000_000,
        );
        let edited = String::from_utf8(body)
            .unwrap()
            .replace("alice@", "mallory@");
        assert_eq!(verify(edited.as_bytes(), 1_700_000_000), Verdict::Valid);
        assert_eq!(
            Scheme::Mailgun.caveat(),
            Some(crate::signature::Caveat::EventDataUnsigned)
        );
    }

    #[test]
    fn an_edited_timestamp_names_the_one_signed() {
        let body = signed(r#"{"event-data":{}}"#, 1_700_000_000);
        let edited = String::from_utf8(body)
            .unwrap()
            .replace("\"1700000000\"", "\"1700000600\"");
        let hint = hint(verify(edited.as_bytes(), 1_700_000_600));
        assert!(
            hint.contains("matches timestamp 1700000000, not 1700000600"),
            "{hint}"
        );
    }

    #[test]
    fn an_old_timestamp_is_refused_after_fifteen_minutes_either_way() {
        let body = signed(r#"{"event-data":{}}"#, 1_700_000_000);
        assert_eq!(verify(&body, 1_700_000_900), Verdict::Valid);
        assert!(matches!(verify(&body, 1_700_000_901), Verdict::Invalid(_)));
        assert!(matches!(verify(&body, 1_699_999_099), Verdict::Invalid(_)));
    }

    #[test]
    fn bodies_that_are_not_mailguns_say_so() {
        assert_eq!(verify(br#"{"event-data":{}}"#, 0), Verdict::Unsigned);
        for (body, reason) in [
            (&b"token=1"[..], "not JSON"),
            (b"[1]", "not a JSON object"),
            (
                br#"{"id":"evt_1","type":"email.sent"}"#,
                "neither `signature` nor `event-data`",
            ),
            (
                br#"{"signature":{"timestamp":"1","token":"t"}}"#,
                "signature.signature is missing",
            ),
            (
                br#"{"signature":{"timestamp":"soon","token":"t","signature":"s"}}"#,
                "not a Unix time",
            ),
        ] {
            match verify(body, 0) {
                Verdict::Invalid(m) => assert!(m.reason.contains(reason), "{}", m.reason),
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn an_api_key_in_place_of_the_signing_key_is_named() {
        let body = signed(r#"{"event-data":{}}"#, 1_700_000_000);
        let api = MailgunSigner::new(&Secret::new("key-3ax6xnjp29jd6fds4gc373sgvjxteol0").unwrap());
        let headers = Headers::new();
        let verdict = api.verify(&Request::post(&headers, &body), &policy(1_700_000_000));
        assert!(hint(verdict).contains("HTTP webhook signing key"));
    }
}
