//! Twilio's `X-Twilio-Signature`: base64 HMAC-SHA1 (auth token) of the full URL the provider
//! requested, followed by each form parameter sorted by name, name then value.
//!
//! As twilio-python's `RequestValidator` (twilio 9.13.0, `twilio/request_validator.py`) computes
//! it: distinct names sorted, each name's distinct values sorted, empty values included. The
//! library accepts the URL with its port removed or with the scheme's default port added, and
//! nothing else. A JSON body is signed through the URL: Twilio adds `bodySHA256=<hex SHA-256 of
//! the body>` to the query and signs the URL alone. Twilio documents this in "Webhooks security"
//! (twilio.com/docs/usage/webhooks/webhooks-security).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};

use super::signed_url::{self, Change, Params, SignedUrl};
use super::{
    Family, Headers, ParseError, Policy, Request, Scheme, Secret, SignError, Signed, Stamp,
    Verdict, excerpt, mac, single,
};

/// The header Twilio signs with.
pub const HEADER: &str = "X-Twilio-Signature";

/// The header that says a SharedKey signed the request, and with which hash.
pub const SETTINGS: &str = "X-Twilio-Webhooks-Signature-Settings";

/// The header that carries Twilio's id of a delivery, the same on each of its retries.
pub const IDEMPOTENCY: &str = "I-Twilio-Idempotency-Token";

/// The query parameter that carries a JSON body's hash.
const BODY_HASH: &str = "bodySHA256";

/// Twilio's signature bound to an auth token.
#[derive(Clone)]
pub struct TwilioSigner {
    token: Vec<u8>,
}

impl std::fmt::Debug for TwilioSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TwilioSigner")
            .field("token", &"<redacted>")
            .finish()
    }
}

/// The hash of a Twilio signature: HMAC-SHA1 with the auth token, unless the request carries
/// `X-Twilio-Webhooks-Signature-Settings: key=…,algorithm=HMAC_SHA256` (a SharedKey signed it;
/// twilio 9.13.0's `get_signature_algorithm`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Algorithm {
    Sha1,
    Sha256,
}

/// A received signature, and the hash its settings header names.
struct Claim<'a> {
    signature: &'a str,
    algorithm: Algorithm,
    /// Whether a SharedKey signed it (the settings header is there).
    shared_key: bool,
}

impl<'a> Claim<'a> {
    /// Reads the signature and settings headers; a verdict when they say no more is to check.
    fn read(headers: &'a Headers, token: &[u8]) -> Result<Self, Verdict> {
        let signature = match single(headers, HEADER) {
            Ok(value) => value,
            Err(ParseError::Missing(_)) => return Err(Verdict::Unsigned),
            Err(ParseError::Malformed(reason)) => return Err(Verdict::invalid(reason, None)),
        };
        let settings = headers.get_all(SETTINGS).next();
        let named = settings.and_then(|value| {
            value.split(',').find_map(|part| {
                let (name, value) = part.split_once('=')?;
                (name.trim() == "algorithm" && !value.trim().is_empty()).then(|| value.trim())
            })
        });
        let algorithm = match named.map(str::to_ascii_uppercase).as_deref() {
            None | Some("HMAC_SHA1") => Algorithm::Sha1,
            Some("HMAC_SHA256") => Algorithm::Sha256,
            Some(_) => {
                return Err(Verdict::invalid(
                    format!(
                        "{SETTINGS} names algorithm `{}`, which Twilio's libraries do not know",
                        excerpt(named.unwrap_or_default())
                    ),
                    Some("twilio's libraries verify HMAC_SHA1 and HMAC_SHA256 only".to_string()),
                ));
            }
        };
        let length = match algorithm {
            Algorithm::Sha1 => 20,
            Algorithm::Sha256 => 32,
        };
        if STANDARD
            .decode(signature)
            .map_or(true, |tag| tag.len() != length)
        {
            // The reason would quote the header: never when it holds the token itself.
            if mac::contains(signature.as_bytes(), token) {
                return Err(Verdict::invalid(
                    format!("{HEADER} carries the auth token itself, not a signature"),
                    Some("never send the token: send the HMAC of the URL and parameters made with it (`hookctl sign` shows it)".to_string()),
                ));
            }
            return Err(Verdict::invalid(
                format!("{HEADER} is not a base64 HMAC of {length} bytes: `{}`", excerpt(signature)),
                Some("Twilio sends the base64 HMAC of the URL and parameters (28 characters for HMAC-SHA1, 44 for HMAC-SHA256)".to_string()),
            ));
        }
        Ok(Self {
            signature,
            algorithm,
            shared_key: settings.is_some(),
        })
    }
}

/// What one check signs: the URL, and the parameters (none for JSON bodies).
struct Signable {
    url: String,
    params: Params,
}

impl TwilioSigner {
    /// Binds the auth token (the secret, used as written).
    pub fn new(secret: &Secret) -> Self {
        Self {
            token: secret.expose().as_bytes().to_vec(),
        }
    }

    /// base64 HMAC (SHA-1, or SHA-256 for a SharedKey that names it) of `url` and `params`.
    fn signature(&self, algorithm: Algorithm, url: &str, params: &Params) -> String {
        let data = signed_string(url, params);
        match algorithm {
            Algorithm::Sha1 => {
                let mut mac = Hmac::<Sha1>::new_from_slice(&self.token)
                    .expect("HMAC takes keys of any length");
                mac.update(&data);
                STANDARD.encode(mac.finalize().into_bytes())
            }
            Algorithm::Sha256 => STANDARD.encode(mac::Key::new(&self.token).tag(b"", &data)),
        }
    }

    /// Whether the claimed signature is that of `url` (in either of its port forms, as Python
    /// rebuilds it: what `RequestValidator.validate` checks) and `params`.
    fn matches(&self, claim: &Claim<'_>, url: &SignedUrl, params: &Params) -> bool {
        url.as_python_rebuilds().port_forms().iter().any(|form| {
            let expected = self.signature(claim.algorithm, form, params);
            mac::ct_eq(expected.as_bytes(), claim.signature.as_bytes())
        })
    }

    fn verify_request(&self, request: &Request<'_>) -> Verdict {
        let claim = match Claim::read(request.headers, &self.token) {
            Ok(claim) => claim,
            Err(verdict) => return verdict,
        };
        let Some(url) = request.url.and_then(SignedUrl::parse) else {
            return Verdict::invalid(
                "Twilio signs the URL it requested, and no URL was given to check against",
                Some("give the full URL the provider is configured with (scheme, host, path and query)".to_string()),
            );
        };
        let json = signed_url::is_json(request.headers, request.body);
        if json {
            return self.verify_json(&claim, &url, request.body);
        }
        let params = signed_url::form_params(request.body);
        if self.matches(&claim, &url, &params) {
            return Verdict::Valid;
        }
        self.explain(&claim, &url, &params, request.body)
    }

    /// A JSON body: the URL carries the body's hash and the URL alone is signed.
    fn verify_json(&self, claim: &Claim<'_>, url: &SignedUrl, body: &[u8]) -> Verdict {
        let hash = hex::encode(Sha256::digest(body));
        let none = Params::new();
        let Some(carried) = url.query_param(BODY_HASH) else {
            let reason =
                "the body is JSON, and the URL carries no bodySHA256 for Twilio's JSON signature";
            let with_hash = url.with_query_param(BODY_HASH, &hash);
            if self.matches(claim, &with_hash, &none) {
                let checked = url.to_string();
                return signed_url::url_mismatch(
                    reason,
                    &with_hash,
                    &checked,
                    &[Change::BodyHashAdded],
                );
            }
            return Verdict::invalid(
                reason,
                Some("Twilio adds bodySHA256=<hex SHA-256 of the body> to the URL of a JSON webhook; give the URL with its query".to_string()),
            );
        };
        let signed = self.matches(claim, url, &none);
        if !mac::ct_eq(carried.as_bytes(), hash.as_bytes()) {
            let reason = if signed {
                "the URL's signature matches, but its bodySHA256 is not this body's SHA-256"
            } else {
                "signature does not match, and the URL's bodySHA256 is not this body's SHA-256"
            };
            return Verdict::invalid(reason, Some(body_hash_hint(&carried, body)));
        }
        if signed {
            return Verdict::Valid;
        }
        self.explain_url(claim, url, &none)
    }

    /// The verdict for form parameters that did not match: another URL, then other parameters.
    fn explain(&self, claim: &Claim<'_>, url: &SignedUrl, params: &Params, body: &[u8]) -> Verdict {
        if let Some(verdict) = self.find_url(claim, url, params) {
            return verdict;
        }
        let other = signed_url::param_variants(body)
            .into_iter()
            .find(|(variant, _)| self.matches(claim, url, variant));
        match other {
            Some((_, hint)) => Verdict::invalid(
                "signature does not match the parameters",
                Some(hint.to_string()),
            ),
            None => unexplained(claim, url),
        }
    }

    fn explain_url(&self, claim: &Claim<'_>, url: &SignedUrl, params: &Params) -> Verdict {
        self.find_url(claim, url, params)
            .unwrap_or_else(|| unexplained(claim, url))
    }

    /// The verdict naming the variant of `url` that was signed, if one was.
    fn find_url(&self, claim: &Claim<'_>, url: &SignedUrl, params: &Params) -> Option<Verdict> {
        let (signed, changes) = url
            .variants()
            .into_iter()
            .find(|(variant, _)| self.matches(claim, variant, params))?;
        Some(signed_url::url_mismatch(
            "the URL differs from the one signed",
            &signed,
            &url.to_string(),
            &changes,
        ))
    }

    /// What `request` signs, or why it cannot be signed. The URL is signed as twilio-python's
    /// validator rebuilds it (`HTTPS://h/sms?` as `https://h/sms`), so that it accepts it.
    fn signable(request: &Request<'_>) -> Result<Signable, SignError> {
        let url = request.url.ok_or(SignError::NeedsUrl(Scheme::Twilio))?;
        let parsed = SignedUrl::parse(url).ok_or(SignError::NeedsUrl(Scheme::Twilio))?;
        let rebuilt = parsed.as_python_rebuilds().to_string();
        if !signed_url::is_json(request.headers, request.body) {
            return Ok(Signable {
                url: rebuilt,
                params: signed_url::form_params(request.body),
            });
        }
        let hash = hex::encode(Sha256::digest(request.body));
        if parsed.query_param(BODY_HASH).as_deref() != Some(hash.as_str()) {
            return Err(SignError::UrlNeedsBodyHash {
                scheme: Scheme::Twilio,
                url: parsed.with_query_param(BODY_HASH, &hash).to_string(),
            });
        }
        Ok(Signable {
            url: rebuilt,
            params: Params::new(),
        })
    }
}

/// The verdict when neither another URL nor other parameters explain a mismatch.
fn unexplained(claim: &Claim<'_>, url: &SignedUrl) -> Verdict {
    let hint = if claim.shared_key {
        format!(
            "{SETTINGS} says a SharedKey signed it: verify with that key's secret, not the auth token; else {}",
            signed_url::no_url_hint(&url.to_string())
        )
    } else {
        signed_url::no_url_hint(&url.to_string())
    };
    Verdict::invalid("signature does not match", Some(hint))
}

/// What Twilio signs: the URL, then each distinct name sorted with each of its distinct values
/// sorted, name then value (twilio-python's `compute_signature`).
fn signed_string(url: &str, params: &Params) -> Vec<u8> {
    let mut out = url.as_bytes().to_vec();
    let mut names: Vec<&str> = params.iter().map(|(n, _)| n.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    for name in names {
        let mut values: Vec<&str> = params
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect();
        values.sort_unstable();
        values.dedup();
        for value in values {
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(value.as_bytes());
        }
    }
    out
}

/// Why a JSON body's hash differs from the one in the URL: a re-formatted body, or another body.
fn body_hash_hint(carried: &str, body: &[u8]) -> String {
    let reformatted = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|value| {
            [crate::json::compact(&value), crate::json::pretty(&value)]
                .into_iter()
                .find(|variant| hex::encode(Sha256::digest(variant)) == carried)
        });
    match reformatted {
        Some(_) => "the URL's bodySHA256 is the hash of the same JSON formatted differently: the body was re-formatted on the way; hash the exact bytes received".to_string(),
        None => "the body changed after Twilio hashed it, or the URL belongs to another delivery".to_string(),
    }
}

impl Family for TwilioSigner {
    fn sign(&self, request: &Request<'_>, stamp: &Stamp) -> Result<Signed, SignError> {
        let signable = Self::signable(request)?;
        Ok(Signed {
            headers: vec![
                (
                    HEADER.to_string(),
                    self.signature(Algorithm::Sha1, &signable.url, &signable.params),
                ),
                // Not signed: Twilio's id of the delivery, the same on each retry of it.
                (IDEMPOTENCY.to_string(), stamp.id.clone()),
            ],
            body: None,
        })
    }

    fn verify(&self, request: &Request<'_>, _policy: &Policy) -> Verdict {
        self.verify_request(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer(token: &str) -> TwilioSigner {
        TwilioSigner::new(&Secret::new(token).unwrap())
    }

    fn params(pairs: &[(&str, &str)]) -> Params {
        pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    fn verify(
        s: &TwilioSigner,
        url: &str,
        content_type: &str,
        body: &[u8],
        signature: &str,
    ) -> Verdict {
        let headers: Headers = [(HEADER, signature), ("Content-Type", content_type)]
            .into_iter()
            .collect();
        let request = Request::post(&headers, body).at(Some(url));
        s.verify_request(&request)
    }

    const FORM: &str = "application/x-www-form-urlencoded";

    // Source: twilio-python tests/unit/test_request_validator.py (token "12345").
    const URI: &str = "https://mycompany.com/myapp.php?foo=1&bar=2";
    const BODY: &[u8] = b"CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234&From=%2B14158675309&To=%2B18005551212";

    // twilio-python's validate(URL, {"From": "+1", "Body": "hi"}, signature) with token "12345"
    // is True for the signature compute_signature gives "https://h.example/sms", and False for
    // the one it gives the URL as written: urlparse(URL).geturl() lowercases the scheme and drops
    // the bare `?`.
    #[test]
    fn a_url_is_signed_and_checked_as_twilio_pythons_validator_rebuilds_it() {
        let url = "HTTPS://h.example/sms?";
        let body = b"From=%2B1&Body=hi";
        let s = signer("12345");
        let headers = Headers::new();
        let request = Request::post(&headers, body).at(Some(url));
        let signable = TwilioSigner::signable(&request).unwrap();
        assert_eq!(signable.url, "https://h.example/sms");
        let valid = "oSVB9BWmDcjzMAGXJlc0Au90hhg=";
        assert_eq!(
            s.signature(Algorithm::Sha1, &signable.url, &signable.params),
            valid
        );
        assert_eq!(verify(&s, url, FORM, body, valid), Verdict::Valid);
        let as_written = s.signature(Algorithm::Sha1, url, &signable.params);
        assert_ne!(verify(&s, url, FORM, body, &as_written), Verdict::Valid);
    }

    #[test]
    fn twilio_python_vectors() {
        let s = signer("12345");
        let p = signed_url::form_params(BODY);
        assert_eq!(
            s.signature(Algorithm::Sha1, URI, &p),
            "RSOYDt4T1cUTdK1PDd93/VVr8B8="
        );
        let duplicates = params(&[
            ("Sid", "CA123"),
            ("SidAccount", "AC123"),
            ("Digits", "5678"),
            ("Digits", "1234"),
        ]);
        assert_eq!(
            s.signature(Algorithm::Sha1, URI, &duplicates),
            "IK+Dwps556ElfBT0I3Rgjkr1wJU="
        );
        // The port variants and the JSON vector are checked through the binary
        // (tests/cli/twilio.rs); here the JSON one, which takes the bodySHA256 path.
        // test_validation_of_body_succeeds.
        let body = br#"{"property": "value", "boolean": true}"#;
        let uri = format!(
            "{URI}&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"
        );
        assert_eq!(
            verify(
                &s,
                &uri,
                "application/json",
                body,
                "a9nBmqA0ju/hNViExpshrM61xv4="
            ),
            Verdict::Valid
        );
    }

    fn hint(verdict: Verdict) -> String {
        match verdict {
            Verdict::Invalid(m) => m.hint.unwrap_or_default(),
            other => panic!("expected invalid, got {other:?}"),
        }
    }

    #[test]
    fn an_http_url_behind_a_tls_proxy_names_the_https_one() {
        let s = signer("12345");
        let signature = s.signature(
            Algorithm::Sha1,
            "https://h.example/sms",
            &signed_url::form_params(BODY),
        );
        let hint = hint(verify(&s, "http://h.example/sms", FORM, BODY, &signature));
        assert!(
            hint.starts_with(
                "signed for https://h.example/sms, not http://h.example/sms (https, not http)"
            ),
            "{hint}"
        );
    }

    #[test]
    fn a_plus_left_unescaped_is_named() {
        let s = signer("t");
        let signature = s.signature(Algorithm::Sha1, "https://h/x", &params(&[("Body", "1+1")]));
        let hint = hint(verify(&s, "https://h/x", FORM, b"Body=1+1", &signature));
        assert!(hint.contains("`+` was not escaped"), "{hint}");
    }

    #[test]
    fn a_json_body_needs_its_hash_in_the_url() {
        let s = signer("t");
        let request_headers = Headers::new();
        let request = Request::post(&request_headers, br#"{"a":1}"#).at(Some("https://h/x"));
        match s.sign(
            &request,
            &Stamp {
                id: String::new(),
                timestamp: 0,
            },
        ) {
            Err(SignError::UrlNeedsBodyHash { url, .. }) => {
                assert!(url.starts_with("https://h/x?bodySHA256="), "{url}")
            }
            other => panic!("{other:?}"),
        }
    }
}
