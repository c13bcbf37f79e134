//! Plivo's signatures, V3 and V2, both base64 HMAC-SHA256 with the auth token.
//!
//! As plivo-python computes them (plivo 4.63.0, `plivo/utils/signature_v3.py` and
//! `plivo/utils/__init__.py`):
//! - V3 (`X-Plivo-Signature-V3`, a comma-separated list any of which may match, with
//!   `X-Plivo-Signature-V3-Nonce`): over `base.nonce`, where for a POST `base` is
//!   `scheme://host/path`, then `?` and the sorted query `k=v&…` when there is a query or any
//!   form parameter, then `.` when there are both, then the sorted form parameters `k1v1k2v2…`.
//! - V2 (`X-Plivo-Signature-V2` with `X-Plivo-Signature-V2-Nonce`): over `scheme://host/path` and
//!   the nonce, no separator; it covers neither the query nor the body.
//!
//! Plivo's docs ("Validating requests", docs.plivo.com/docs/voice/xml/request/validation and
//! docs/messaging/concepts/signature-validation) say voice requests carry V3 and messaging
//! callbacks V2; the `-Ma-` headers carry the same signature made with the main account's token.
//! Signing writes both V3 and V2 (each with its own random nonce), so either kind of receiver
//! can check it; verifying reads V3 when present, else V2.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::signed_url::{self, Params, SignedUrl};
use super::{
    Family, Headers, Policy, Request, Scheme, Secret, SignError, Signed, Stamp, Verdict, mac,
};

/// The V3 signature header.
pub const V3: &str = "X-Plivo-Signature-V3";
/// The V3 signature made with the main account's token.
pub const MA_V3: &str = "X-Plivo-Signature-Ma-V3";
/// The V3 nonce header.
pub const V3_NONCE: &str = "X-Plivo-Signature-V3-Nonce";
/// The V2 signature header.
pub const V2: &str = "X-Plivo-Signature-V2";
/// The V2 signature made with the main account's token.
pub const MA_V2: &str = "X-Plivo-Signature-Ma-V2";
/// The V2 nonce header.
pub const V2_NONCE: &str = "X-Plivo-Signature-V2-Nonce";

/// A V3 signature list: `older` (made with another token) before `newer`, comma-separated, as
/// `validate_v3_signature` splits it (any entry may match).
pub(super) fn listed(older: &str, newer: &str) -> String {
    format!("{older},{newer}")
}

/// Plivo's signatures bound to an auth token.
#[derive(Clone)]
pub struct PlivoSigner {
    key: mac::Key,
}

impl std::fmt::Debug for PlivoSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PlivoSigner")
            .field("key", &"<redacted>")
            .finish()
    }
}

/// The V3 string before `.nonce`, as `construct_post_url` (or `construct_get_url`) builds it.
fn v3_base(method: &str, url: &SignedUrl, params: &Params) -> String {
    let mut out = url.python_base();
    let query = sorted_query(url.query.as_deref().unwrap_or(""));
    let post = !method.eq_ignore_ascii_case("GET") && !params.is_empty();
    if !query.is_empty() || post {
        out.push('?');
        out.push_str(&query);
    }
    if !query.is_empty() && post {
        out.push('.');
    }
    if post {
        for (name, value) in sorted(params) {
            out.push_str(name);
            out.push_str(value);
        }
    }
    out
}

/// The query's parameters decoded and sorted by name, then value: `k=v&…`.
fn sorted_query(query: &str) -> String {
    let params = signed_url::form_params(query.as_bytes());
    sorted(&params)
        .into_iter()
        .map(|(n, v)| format!("{n}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

fn sorted(params: &Params) -> Vec<(&str, &str)> {
    let mut out: Vec<(&str, &str)> = params
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    out.sort_unstable();
    out
}

/// A fresh nonce: 20 random digits, as Plivo's are.
fn nonce() -> String {
    let n: u64 = rand::random();
    format!("{:020}", u128::from(n) % 100_000_000_000_000_000_000)
}

/// Which signature a request carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    V3,
    V2,
}

/// The signature headers of one version, read from a request.
struct Claim<'a> {
    version: Version,
    nonce: &'a str,
    /// Every listed signature, from the account's and the main account's header.
    signatures: Vec<&'a str>,
    /// Entries that match only once trimmed (the library splits on `,` without trimming).
    padded: Vec<&'a str>,
}

impl<'a> Claim<'a> {
    fn read(headers: &'a Headers, version: Version) -> Option<Result<Self, String>> {
        let (sig, ma, nonce_header) = match version {
            Version::V3 => (V3, MA_V3, V3_NONCE),
            Version::V2 => (V2, MA_V2, V2_NONCE),
        };
        let values: Vec<&str> = headers.get_all(sig).chain(headers.get_all(ma)).collect();
        if values.is_empty() {
            return None;
        }
        let Some(nonce) = headers.get_all(nonce_header).next() else {
            return Some(Err(format!(
                "{sig} comes without {nonce_header}, which it signs"
            )));
        };
        let mut signatures = Vec::new();
        let mut padded = Vec::new();
        for value in values {
            for entry in value.split(',') {
                if version == Version::V3 && entry.trim() != entry {
                    padded.push(entry.trim());
                } else {
                    signatures.push(entry);
                }
            }
        }
        Some(Ok(Self {
            version,
            nonce,
            signatures,
            padded,
        }))
    }

    fn holds(&self, expected: &str) -> bool {
        self.signatures
            .iter()
            .any(|s| mac::ct_eq(s.as_bytes(), expected.as_bytes()))
    }

    fn holds_padded(&self, expected: &str) -> bool {
        self.padded
            .iter()
            .any(|s| mac::ct_eq(s.as_bytes(), expected.as_bytes()))
    }
}

impl PlivoSigner {
    /// Binds the auth token (the secret, used as written).
    pub fn new(secret: &Secret) -> Self {
        Self {
            key: mac::Key::new(secret.expose().as_bytes()),
        }
    }

    fn tag(&self, base: &str, nonce: &str) -> String {
        STANDARD.encode(self.key.tag(base.as_bytes(), nonce.as_bytes()))
    }

    fn v3(&self, method: &str, url: &SignedUrl, params: &Params, nonce: &str) -> String {
        self.tag(&format!("{}.", v3_base(method, url, params)), nonce)
    }

    fn v2(&self, url: &SignedUrl, nonce: &str) -> String {
        self.tag(&url.python_base(), nonce)
    }

    /// The signature `claim` should hold for `url` and `params`.
    fn expected(
        &self,
        claim: &Claim<'_>,
        method: &str,
        url: &SignedUrl,
        params: &Params,
    ) -> String {
        match claim.version {
            Version::V3 => self.v3(method, url, params, claim.nonce),
            Version::V2 => self.v2(url, claim.nonce),
        }
    }

    fn verify_request(&self, request: &Request<'_>) -> Verdict {
        let claim = match Claim::read(request.headers, Version::V3)
            .or_else(|| Claim::read(request.headers, Version::V2))
        {
            None => return Verdict::Unsigned,
            Some(Err(reason)) => return Verdict::invalid(reason, None),
            Some(Ok(claim)) => claim,
        };
        let Some(url) = request.url.and_then(SignedUrl::parse) else {
            return Verdict::invalid(
                "Plivo signs the URL it requested, and no URL was given to check against",
                Some("give the full URL the provider is configured with (scheme, host, path and query)".to_string()),
            );
        };
        let params = signed_url::form_params(request.body);
        let expected = self.expected(&claim, request.method, &url, &params);
        if claim.holds(&expected) {
            return Verdict::Valid;
        }
        if claim.holds_padded(&expected) {
            return Verdict::invalid(
                format!("the signature matches, but a space follows a comma in {V3}"),
                Some("plivo's validate_v3_signature splits the list on `,` without trimming and never reads it; remove the space".to_string()),
            );
        }
        self.explain(&claim, request, &url, &params)
    }

    /// Says why: another URL, other parameters, or (for V3) a body or query the V2 signature
    /// does not cover.
    fn explain(
        &self,
        claim: &Claim<'_>,
        request: &Request<'_>,
        url: &SignedUrl,
        params: &Params,
    ) -> Verdict {
        let method = request.method;
        let found = url
            .variants()
            .into_iter()
            .find(|(variant, _)| claim.holds(&self.expected(claim, method, variant, params)));
        if let Some((signed, changes)) = found {
            return signed_url::url_mismatch(
                "the URL differs from the one signed",
                &signed,
                &url.to_string(),
                &changes,
            );
        }
        if claim.version == Version::V3 {
            let other = signed_url::param_variants(request.body)
                .into_iter()
                .find(|(variant, _)| claim.holds(&self.v3(method, url, variant, claim.nonce)));
            if let Some((_, hint)) = other {
                return Verdict::invalid(
                    "signature does not match the parameters",
                    Some(hint.to_string()),
                );
            }
            if let Some(Ok(v2)) = Claim::read(request.headers, Version::V2) {
                if v2.holds(&self.v2(url, v2.nonce)) {
                    return Verdict::invalid(
                        format!("{V3} does not match, but {V2} (which covers the URL alone) does"),
                        Some("the body or the query changed after signing; V3 covers them, V2 does not".to_string()),
                    );
                }
            }
        }
        Verdict::invalid(
            "signature does not match",
            Some(signed_url::no_url_hint(&url.to_string())),
        )
    }
}

impl Family for PlivoSigner {
    fn sign(&self, request: &Request<'_>, _stamp: &Stamp) -> Result<Signed, SignError> {
        let url = request
            .url
            .and_then(SignedUrl::parse)
            .ok_or(SignError::NeedsUrl(Scheme::Plivo))?;
        let params = signed_url::form_params(request.body);
        let (v3_nonce, v2_nonce) = (nonce(), nonce());
        Ok(Signed {
            headers: vec![
                (
                    V3.to_string(),
                    self.v3(request.method, &url, &params, &v3_nonce),
                ),
                (V3_NONCE.to_string(), v3_nonce),
                (V2.to_string(), self.v2(&url, &v2_nonce)),
                (V2_NONCE.to_string(), v2_nonce),
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

    fn signer(token: &str) -> PlivoSigner {
        PlivoSigner::new(&Secret::new(token).unwrap())
    }

    fn url(text: &str) -> SignedUrl {
        SignedUrl::parse(text).unwrap()
    }

    // Source: plivo-python tests/resources/test_signature.py.
    #[test]
    fn plivo_python_v2_vector() {
        assert_eq!(
            signer("my_auth_token").v2(&url("https://answer.url"), "12345"),
            "ehV3IKhLysWBxC1sy8INm0qGoQYdYsHwuoKjsX7FsXc="
        );
        assert_ne!(
            signer("my_auth_tokens").v2(&url("https://answer.url"), "12345"),
            "ehV3IKhLysWBxC1sy8INm0qGoQYdYsHwuoKjsX7FsXc="
        );
    }

    #[test]
    fn the_v3_base_follows_construct_post_url() {
        let p = signed_url::form_params(b"To=%2B1&From=2");
        assert_eq!(
            v3_base("POST", &url("https://h/a?b=2&a=1"), &p),
            "https://h/a?a=1&b=2.From2To+1"
        );
        assert_eq!(
            v3_base("POST", &url("https://h/a"), &p),
            "https://h/a?From2To+1"
        );
        assert_eq!(
            v3_base("POST", &url("https://h/a?b=2"), &Params::new()),
            "https://h/a?b=2"
        );
        assert_eq!(
            v3_base("POST", &url("https://h/a"), &Params::new()),
            "https://h/a"
        );
        assert_eq!(
            v3_base("GET", &url("https://h/a?z=1&y=2"), &Params::new()),
            "https://h/a?y=2&z=1"
        );
    }

    // Values printed by plivo-python 4.x: `construct_post_url(URL, {"To": "+1", "From": "2"})`,
    // `get_signature_v3(b"tok", that, b"123")`, and the V2 signature `validate_signature`
    // accepts (HMAC of "https://h.example/a;v=1/hangup" + "123"). urlparse drops `;jsessionid=42`.
    #[test]
    fn the_last_path_segments_params_are_not_signed_as_plivo_python_builds_the_url() {
        let u = url("https://h.example/a;v=1/hangup;jsessionid=42?leg=a");
        let p = signed_url::form_params(b"To=%2B1&From=2");
        assert_eq!(
            v3_base("POST", &u, &p),
            "https://h.example/a;v=1/hangup?leg=a.From2To+1"
        );
        let s = signer("tok");
        assert_eq!(
            s.v3("POST", &u, &p, "123"),
            "2mCpzwLsa4BKF6UsIkIR0rRtu6DgOOcG2WdAppGMCwk="
        );
        assert_eq!(
            s.v2(&u, "123"),
            "n+1Ahw3XQ7AmTD0g0om8FOz4JPFBV9pIb2URwmGkQHk="
        );
    }

    #[test]
    fn sign_then_verify_either_version() {
        let s = signer("tok");
        let body = b"CallUUID=abc&CallStatus=completed";
        let none = Headers::new();
        let request = Request::post(&none, body).at(Some("https://h/hangup?x=1"));
        let signed = s
            .sign(
                &request,
                &Stamp {
                    id: String::new(),
                    timestamp: 0,
                },
            )
            .unwrap();
        let all: Headers = signed.headers.iter().cloned().collect();
        assert_eq!(
            s.verify_request(&Request::post(&all, body).at(Some("https://h/hangup?x=1"))),
            Verdict::Valid
        );
        // The main account's header counts as the account's (one token: the main account's).
        let main_account: Headers = signed.headers[..2]
            .iter()
            .map(|(n, v)| {
                (
                    n.replace(V3, MA_V3).replace("Ma-V3-Nonce", "V3-Nonce"),
                    v.clone(),
                )
            })
            .collect();
        assert_eq!(
            s.verify_request(&Request::post(&main_account, body).at(Some("https://h/hangup?x=1"))),
            Verdict::Valid
        );
        let v2_only: Headers = signed.headers[2..].iter().cloned().collect();
        assert_eq!(
            s.verify_request(&Request::post(&v2_only, body).at(Some("https://h/hangup"))),
            Verdict::Valid
        );
        let Verdict::Invalid(m) = s.verify_request(
            &Request::post(&all, b"CallUUID=abc&CallStatus=busy").at(Some("https://h/hangup?x=1")),
        ) else {
            panic!()
        };
        assert!(m.reason.contains("which covers the URL alone"), "{m:?}");
        let Verdict::Invalid(m) =
            s.verify_request(&Request::post(&all, body).at(Some("http://h/hangup?x=1")))
        else {
            panic!()
        };
        assert!(
            m.hint
                .unwrap()
                .starts_with("signed for https://h/hangup?x=1, not http://h/hangup?x=1")
        );
    }
}
