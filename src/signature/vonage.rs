//! Vonage's signed webhooks (Messages, Dispatch and Voice APIs): `Authorization: Bearer <JWT>`,
//! HS256 with the account's signature secret, whose claims carry the SHA-256 of the body.
//!
//! Sources: Vonage's "Signed webhooks" page (developer docs source, `Nexmo/station`,
//! `_documentation/en/messages/concepts/signed-webhooks.md`: the sample header `{"alg":"HS256",
//! "typ":"JWT"}` and claims `iat, jti, iss "Vonage", payload_hash, api_key, application_id`), and
//! `vonage-jwt`'s `verify_signature` (PyJWT `decode(token, secret, algorithms='HS256')`).
//!
//! The JWS is HMAC-SHA256 over `base64url(header).base64url(claims)` (RFC 7515 compact form),
//! made with the `hmac` and `base64` crates already in the tree: the `jsonwebtoken` crate would
//! add about 100 crates for this one algorithm, among them `rsa`, which carries an advisory with
//! no fixed release (RUSTSEC-2023-0071).

use std::io::{self, Read};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::{
    Headers, ParseError, Policy, Remedy, Request, Scheme, Secret, SignError, Signed, Stamp,
    Verdict, diagnose, mac, single, span,
};

/// The header that carries the token.
pub const HEADER: &str = "Authorization";

/// The issuer Vonage writes in every webhook token.
pub const ISSUER: &str = "Vonage";

/// The API key a token names unless told otherwise: the shape of Vonage's keys (8 hex digits).
pub const PLACEHOLDER_API_KEY: &str = "abcd1234";

/// The application id a token names unless told otherwise (the docs' own placeholder).
pub const PLACEHOLDER_APPLICATION_ID: &str = "aaaaaaaa-bbbb-cccc-dddd-0123456789ab";

/// Vonage's webhook signing bound to a signature secret.
#[derive(Clone)]
pub struct VonageSigner {
    key: mac::Key,
    api_key: String,
    application_id: Option<String>,
}

impl std::fmt::Debug for VonageSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VonageSigner")
            .field("api_key", &self.api_key)
            .field("key", &"<redacted>")
            .finish()
    }
}

impl VonageSigner {
    /// Signs with `secret` (the signature secret exactly as the dashboard shows it), naming the
    /// placeholder API key and application.
    pub fn new(secret: &Secret) -> Self {
        Self {
            key: mac::Key::new(secret.expose().as_bytes()),
            api_key: PLACEHOLDER_API_KEY.to_string(),
            application_id: Some(PLACEHOLDER_APPLICATION_ID.to_string()),
        }
    }

    /// The same signer naming another account and application (`None`: no application, as
    /// Vonage sends for requests made without one).
    pub fn with_account(self, api_key: &str, application_id: Option<&str>) -> Self {
        Self {
            api_key: api_key.to_string(),
            application_id: application_id.map(str::to_string),
            ..self
        }
    }

    /// The token Vonage would send for `body` at `iat`, with `jti` as its id.
    pub fn token(&self, body: &[u8], iat: i64, jti: &str) -> String {
        self.token_for(&hex::encode(Sha256::digest(body)), iat, jti)
    }

    /// The token for a body whose hex SHA-256 is `payload_hash`.
    fn token_for(&self, payload_hash: &str, iat: i64, jti: &str) -> String {
        let mut claims = json!({
            "iat": iat,
            "jti": jti,
            "iss": ISSUER,
            "payload_hash": payload_hash,
            "api_key": self.api_key,
        });
        if let Some(app) = &self.application_id {
            claims["application_id"] = Value::String(app.clone());
        }
        let header = B64URL.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
        let claims = B64URL.encode(claims.to_string());
        let input = format!("{header}.{claims}");
        let tag = self.key.tag(b"", input.as_bytes());
        format!("{input}.{}", B64URL.encode(tag))
    }

    /// The `Authorization` header for a body whose hex SHA-256 is `payload_hash`.
    fn authorization(&self, payload_hash: &str, stamp: &Stamp) -> Vec<(String, String)> {
        // Every token Vonage sends has its own jti.
        let jti = crate::providers::render::fresh("", crate::providers::IdKind::Uuid);
        let token = self.token_for(payload_hash, stamp.timestamp, &jti);
        vec![(HEADER.to_string(), format!("Bearer {token}"))]
    }

    /// The claims of the request's token once its algorithm and signature are checked; else the
    /// verdict that refuses it.
    fn claims(&self, headers: &Headers) -> Result<Map<String, Value>, Verdict> {
        let token = match bearer(headers) {
            Ok(token) => token,
            Err(ParseError::Missing(_)) => return Err(missing(headers)),
            Err(ParseError::Malformed(reason)) => return Err(Verdict::invalid(reason, None)),
        };
        let jwt = Jwt::parse(token)?;
        let tag = self.key.tag(b"", jwt.signed.as_bytes());
        if !mac::ct_eq(&tag, &jwt.signature) {
            return Err(Verdict::invalid(
                "the token's signature does not match",
                Some(secret_hint(&jwt.claims)),
            ));
        }
        Ok(jwt.claims)
    }
}

impl super::Family for VonageSigner {
    fn sign(&self, request: &Request<'_>, stamp: &Stamp) -> Result<Signed, SignError> {
        let hash = hex::encode(Sha256::digest(request.body));
        Ok(Signed {
            headers: self.authorization(&hash, stamp),
            body: None,
        })
    }

    fn verify(&self, request: &Request<'_>, policy: &Policy) -> Verdict {
        let claims = match self.claims(request.headers) {
            Ok(claims) => claims,
            Err(verdict) => return verdict,
        };
        payload(&claims, request.body)
            .or_else(|| fresh(&claims, policy))
            .unwrap_or(Verdict::Valid)
    }

    fn sign_reader(
        &self,
        body: &mut dyn Read,
        stamp: &Stamp,
    ) -> Option<io::Result<Vec<(String, String)>>> {
        Some(sha256_reader(body).map(|hash| self.authorization(&hash, stamp)))
    }

    fn verify_reader(
        &self,
        headers: &Headers,
        body: &mut dyn Read,
        policy: &Policy,
    ) -> Option<io::Result<Verdict>> {
        let claims = match self.claims(headers) {
            Ok(claims) => claims,
            Err(verdict) => return Some(Ok(verdict)),
        };
        Some(sha256_reader(body).map(|hash| {
            hash_mismatch(&claims, &hash, |_| None)
                .or_else(|| fresh(&claims, policy))
                .unwrap_or(Verdict::Valid)
        }))
    }
}

/// The hex SHA-256 of everything `body` yields, read in constant memory.
fn sha256_reader(body: &mut dyn Read) -> io::Result<String> {
    let mut hash = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match body.read(&mut buf) {
            Ok(0) => return Ok(hex::encode(hash.finalize())),
            Ok(n) => hash.update(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// The token in `Authorization: Bearer <token>`.
fn bearer(headers: &Headers) -> Result<&str, ParseError> {
    let value = single(headers, HEADER)?;
    let (kind, token) = value.split_once(' ').unwrap_or((value, ""));
    if !kind.eq_ignore_ascii_case("bearer") {
        // Never quote the value: it is a credential whatever it holds; only a known scheme word
        // is named.
        const KNOWN: [&str; 5] = ["Basic", "Digest", "Negotiate", "Token", "Bearer"];
        let named = KNOWN.iter().find(|k| k.eq_ignore_ascii_case(kind));
        return Err(ParseError::Malformed(match named {
            Some(kind) => format!(
                "{HEADER} carries `{kind}` credentials, not the `Bearer` token Vonage sends"
            ),
            None => format!(
                "{HEADER} carries credentials of another kind, not the `Bearer` token Vonage sends"
            ),
        }));
    }
    match token.trim() {
        "" => Err(ParseError::Malformed(format!(
            "{HEADER} carries an empty Bearer token"
        ))),
        token => Ok(token),
    }
}

/// No `Authorization` header: unsigned, unless another scheme's signature is there.
fn missing(headers: &Headers) -> Verdict {
    match Scheme::detect(headers) {
        Some(other) if other != Scheme::Vonage => Verdict::invalid_unless(
            format!("no {HEADER} header"),
            format!(
                "the headers carry a signature of scheme {other} ({})",
                other.signature_header()
            ),
            Remedy::Scheme(other),
        ),
        _ => Verdict::Unsigned,
    }
}

/// A token split into its parts, its header checked.
struct Jwt {
    /// `header.claims`, the bytes the signature covers.
    signed: String,
    claims: Map<String, Value>,
    signature: Vec<u8>,
}

impl Jwt {
    fn parse(token: &str) -> Result<Self, Verdict> {
        let not_jwt = || {
            Verdict::invalid(
                "the Bearer token is not a JWT (three base64url parts: header.claims.signature)",
                None,
            )
        };
        let [header, claims, signature] = token.split('.').collect::<Vec<_>>()[..] else {
            return Err(not_jwt());
        };
        let object = |part: &str| -> Option<Map<String, Value>> {
            serde_json::from_slice(&B64URL.decode(part).ok()?).ok()
        };
        let (Some(head), Some(claims_map), Ok(signature)) =
            (object(header), object(claims), B64URL.decode(signature))
        else {
            return Err(not_jwt());
        };
        check_alg(&head)?;
        Ok(Self {
            signed: format!("{header}.{claims}"),
            claims: claims_map,
            signature,
        })
    }
}

/// Only HS256 is accepted, as `vonage-jwt` accepts it: `none` and other algorithms are refused
/// before any signature is looked at.
fn check_alg(header: &Map<String, Value>) -> Result<(), Verdict> {
    match header.get("alg").and_then(Value::as_str) {
        Some("HS256") => Ok(()),
        Some(alg) if alg.eq_ignore_ascii_case("none") => Err(Verdict::invalid(
            "the token is unsigned (`alg: none`)",
            Some("Vonage signs every webhook token with HS256; an unsigned token proves nothing and is refused".to_string()),
        )),
        Some(alg) if alg.starts_with("RS") => Err(Verdict::invalid(
            format!("the token is signed with {}, not HS256", super::excerpt(alg)),
            Some("this looks like an application token made with a private key; Vonage signs webhooks with HS256 and the account's signature secret".to_string()),
        )),
        Some(alg) => Err(Verdict::invalid(
            format!("the token is signed with {}, not HS256", super::excerpt(alg)),
            Some("Vonage signs webhook tokens with HS256 only; other algorithms are refused".to_string()),
        )),
        None => Err(Verdict::invalid("the token's header names no `alg`", None)),
    }
}

fn secret_hint(claims: &Map<String, Value>) -> String {
    let account = match claims.get("api_key").and_then(Value::as_str) {
        Some(key) => format!(" of the account it names (api_key {})", super::excerpt(key)),
        None => String::new(),
    };
    format!(
        "the token was signed with another secret: use the signature secret{account}, not the API secret"
    )
}

/// The verdict when `payload_hash` is missing or names another body; `None` when it matches.
fn payload(claims: &Map<String, Value>, body: &[u8]) -> Option<Verdict> {
    let hash = |bytes: &[u8]| hex::encode(Sha256::digest(bytes));
    hash_mismatch(claims, &hash(body), |claimed| {
        diagnose::body_variants(body)
            .into_iter()
            .find(|(variant, _)| same_hash(&hash(variant), claimed))
            .map(|(_, hint)| hint)
    })
}

/// The verdict when `payload_hash` is missing or is not `hash`; `explain` names the slip from
/// the claimed hash when it can.
fn hash_mismatch(
    claims: &Map<String, Value>,
    hash: &str,
    explain: impl Fn(&str) -> Option<&'static str>,
) -> Option<Verdict> {
    let Some(claimed) = claims.get("payload_hash").and_then(Value::as_str) else {
        return Some(Verdict::invalid(
            "the token is valid but carries no payload_hash claim, so nothing ties it to this body",
            Some(
                "Vonage's webhook tokens carry payload_hash, the hex SHA-256 of the body"
                    .to_string(),
            ),
        ));
    };
    if same_hash(hash, claimed) {
        return None;
    }
    let hint = explain(claimed).unwrap_or("the body was changed after signing");
    Some(Verdict::invalid(
        "the token is valid but its payload_hash does not match the body: the body was changed after signing",
        Some(hint.to_string()),
    ))
}

/// Whether a computed hex hash equals the claimed one (hex in either case), in constant time.
fn same_hash(hash: &str, claimed: &str) -> bool {
    mac::ct_eq(hash.as_bytes(), claimed.to_ascii_lowercase().as_bytes())
}

/// The verdict when a time claim is not a number, `nbf` is ahead of the clock, `exp` has passed,
/// or `iat` is missing or beyond the tolerance; `None` when fresh. `nbf` and `exp` are checked as
/// PyJWT (which vonage-jwt uses) checks them, with no leeway; Vonage enforces no age itself, so
/// the receiver's tolerance applies to `iat`, either way.
fn fresh(claims: &Map<String, Value>, policy: &Policy) -> Option<Verdict> {
    let [iat, nbf, exp] = match ["iat", "nbf", "exp"].map(|name| time_claim(claims, name)) {
        [Ok(iat), Ok(nbf), Ok(exp)] => [iat, nbf, exp],
        refused => return refused.into_iter().find_map(Result::err),
    };
    if let Some(nbf) = nbf.filter(|nbf| *nbf > policy.now) {
        return Some(Verdict::invalid(
            format!(
                "the token is not valid yet: its nbf is {} in the future",
                span(nbf.abs_diff(policy.now))
            ),
            Some("vonage-jwt refuses a token before its nbf: check the signer's clock".to_string()),
        ));
    }
    if let Some(exp) = exp.filter(|exp| *exp <= policy.now) {
        return Some(Verdict::invalid(
            format!(
                "the token expired {} ago (exp)",
                span(policy.now.abs_diff(exp))
            ),
            Some("a delayed or replayed delivery: sign it again".to_string()),
        ));
    }
    stale(iat, policy)
}

/// A time claim as PyJWT reads it, `int(value)`: a fraction is cut off, digits in a string are
/// read. `Ok(None)` when absent; the refusing verdict when present but not a whole number.
fn time_claim(claims: &Map<String, Value>, name: &str) -> Result<Option<i64>, Verdict> {
    let Some(value) = claims.get(name) else {
        return Ok(None);
    };
    let seconds = match value {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.is_finite() && f.abs() < 9.2e18)
                .map(|f| f.trunc() as i64)
        }),
        Value::String(text) => text.trim().parse().ok(),
        Value::Bool(b) => Some(i64::from(*b)),
        _ => None,
    };
    seconds.map(Some).ok_or_else(|| {
        Verdict::invalid(
            format!("the token's {name} claim is not a number of seconds"),
            Some(format!(
                "vonage-jwt refuses a token whose {name} is not a unix time"
            )),
        )
    })
}

/// The verdict when `iat` is missing or beyond the tolerance; `None` when fresh or when no
/// tolerance applies.
fn stale(iat: Option<i64>, policy: &Policy) -> Option<Verdict> {
    let tolerance = policy.tolerance?;
    let Some(iat) = iat else {
        return Some(Verdict::invalid(
            "the token is valid but carries no iat claim, so its age is unknown",
            Some("Vonage's webhook tokens carry iat, the unix time they were issued".to_string()),
        ));
    };
    let distance = policy.now.abs_diff(iat);
    if distance <= tolerance {
        return None;
    }
    let when = if iat <= policy.now {
        format!("{} ago", span(distance))
    } else {
        format!("{} in the future", span(distance))
    };
    Some(Verdict::invalid_unless(
        format!(
            "the token is valid, but it was issued {when} (iat; tolerance {})",
            span(tolerance)
        ),
        "a delayed or replayed delivery: sign it again with a fresh iat",
        Remedy::AnyAge,
    ))
}

/// Whether `headers` carry a Vonage webhook token (a Bearer JWT issued by `Vonage`), read without
/// checking it: what a receiver told no scheme recognises.
pub fn carries_token(headers: &Headers) -> bool {
    let Ok(token) = bearer(headers) else {
        return false;
    };
    let claims = token.split('.').nth(1).and_then(|part| {
        serde_json::from_slice::<Map<String, Value>>(&B64URL.decode(part).ok()?).ok()
    });
    claims.is_some_and(|c| c.get("iss").and_then(Value::as_str) == Some(ISSUER))
}

#[cfg(test)]
mod tests;
