//! HTTP basic auth, Postmark's way of authenticating webhooks: nothing is signed; the provider
//! sends the user name and password of the webhook URL (`https://user:pass@host/…`) as
//! `Authorization: Basic <base64 of user:password>`, and the receiver compares them.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use sha2::{Digest, Sha256};

use super::{Family, Headers, Policy, Request, SignError, Signed, Stamp, Verdict, mac};

/// The header that carries the credentials.
pub const HEADER: &str = "Authorization";

/// A user name and password. `Debug` never shows the password, and there is no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    user: String,
    password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("user", &self.user)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// Why credentials cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CredentialsError {
    /// No `:` between the user name and the password.
    #[error("the credentials have no `:` between the user name and the password")]
    NoColon,
    /// The password is empty.
    #[error("the password is empty")]
    EmptyPassword,
}

impl Credentials {
    /// A user name and password as given; an empty password is refused.
    pub fn new(
        user: impl Into<String>,
        password: impl Into<String>,
    ) -> Result<Self, CredentialsError> {
        let password = password.into();
        if password.is_empty() {
            return Err(CredentialsError::EmptyPassword);
        }
        Ok(Self {
            user: user.into(),
            password,
        })
    }

    /// `user:password`, split at the first `:` (a user name cannot hold one; a password can).
    pub fn parse(text: &str) -> Result<Self, CredentialsError> {
        let (user, password) = text.split_once(':').ok_or(CredentialsError::NoColon)?;
        Self::new(user, password)
    }

    /// The user name and password of a URL, percent-decoded as a browser does; `None` when it
    /// carries none.
    pub fn of_url(url: &url::Url) -> Option<Self> {
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        };
        Self::new(decode(url.username()), decode(url.password()?)).ok()
    }

    /// Fresh random credentials (`hookctl` and 32 hex digits), for a demo.
    pub fn random() -> Self {
        Self {
            user: "hookctl".into(),
            password: hex::encode(rand::random::<[u8; 16]>()),
        }
    }

    /// The user name.
    pub fn user(&self) -> &str {
        &self.user
    }

    /// The password, for callers that must hide it from output (redaction).
    pub fn expose_password(&self) -> &str {
        &self.password
    }

    /// The `Authorization` value that sends them.
    fn header_value(&self) -> String {
        let pair = format!("{}:{}", self.user, self.password);
        format!("Basic {}", STANDARD.encode(pair))
    }
}

/// Checks (and sends) HTTP basic auth credentials.
#[derive(Debug, Clone)]
pub struct BasicAuth {
    credentials: Credentials,
}

impl BasicAuth {
    /// Binds the credentials the receiver expects.
    pub fn new(credentials: Credentials) -> Self {
        Self { credentials }
    }
}

impl Family for BasicAuth {
    fn sign(&self, _request: &Request<'_>, _stamp: &Stamp) -> Result<Signed, SignError> {
        Ok(Signed {
            headers: vec![(HEADER.to_string(), self.credentials.header_value())],
            body: None,
        })
    }

    fn verify(&self, request: &Request<'_>, _policy: &Policy) -> Verdict {
        let (user, password) = match received(request.headers) {
            Ok(pair) => pair,
            Err(verdict) => return verdict,
        };
        // Both compared, always, as SHA-256 digests of equal length: the time taken says
        // nothing about which one differs, nor about the expected one's length.
        let same = |a: &[u8], b: &[u8]| mac::ct_eq(&Sha256::digest(a), &Sha256::digest(b));
        let user_ok = same(user.as_bytes(), self.credentials.user.as_bytes());
        let password_ok = same(&password, self.credentials.password.as_bytes());
        let (reason, hint) = match (user_ok, password_ok) {
            (true, true) => return Verdict::Valid,
            (true, false) => (
                "the password does not match",
                "the user name is the expected one; the password in the webhook URL differs",
            ),
            (false, true) => (
                "the user name does not match",
                "the password is the expected one; the user name in the webhook URL differs",
            ),
            (false, false) => (
                "the credentials do not match",
                "neither the user name nor the password is the expected one",
            ),
        };
        Verdict::invalid(reason, Some(hint.to_string()))
    }
}

/// The user name and password a request sends, or the verdict on one that sends none usable.
/// Nothing of the header's value is quoted: it is a credential.
fn received(headers: &Headers) -> Result<(String, Vec<u8>), Verdict> {
    let none = "put user:password in the webhook URL (https://user:pass@host/…): the provider sends them as basic auth";
    let mut values = headers.get_all(HEADER);
    let Some(value) = values.next() else {
        return Err(Verdict::invalid(
            "no credentials: the request has no Authorization header",
            Some(none.to_string()),
        ));
    };
    if values.next().is_some() {
        return Err(Verdict::invalid(
            "several Authorization headers; a sender sends one",
            None,
        ));
    }
    let value = value.trim();
    let (kind, encoded) = value.split_once(' ').unwrap_or(("", value));
    if !kind.eq_ignore_ascii_case("basic") {
        let named = match kind {
            "" => "is not `Basic <base64>`".to_string(),
            kind if kind.bytes().all(|b| b.is_ascii_alphanumeric()) && kind.len() <= 20 => {
                format!("uses the {kind} scheme, not Basic")
            }
            _ => "is not `Basic <base64>`".to_string(),
        };
        return Err(Verdict::invalid(
            format!("the Authorization header {named}"),
            Some(none.to_string()),
        ));
    }
    let decoded = STANDARD.decode(encoded.trim()).ok();
    let pair = decoded.as_deref().and_then(|d| {
        let colon = d.iter().position(|&b| b == b':')?;
        Some((
            String::from_utf8_lossy(&d[..colon]).into_owned(),
            d[colon + 1..].to_vec(),
        ))
    });
    pair.ok_or_else(|| {
        Verdict::invalid(
            "the Authorization header is not basic auth: not the base64 of user:password",
            None,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verify(headers: &[(&str, &str)]) -> Verdict {
        let mut list = Headers::new();
        for (name, value) in headers {
            list.push(*name, *value);
        }
        let auth = BasicAuth::new(Credentials::parse("postmark:s3cr3t:pw").unwrap());
        let policy = Policy {
            now: 0,
            tolerance: None,
        };
        auth.verify(&Request::post(&list, b"{}"), &policy)
    }

    fn reason(verdict: Verdict) -> String {
        match verdict {
            Verdict::Invalid(m) => m.reason,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_right_credentials_pass_and_sign_as_a_browser_sends_them() {
        let auth = BasicAuth::new(Credentials::parse("postmark:s3cr3t:pw").unwrap());
        let headers = Headers::new();
        let stamp = Stamp {
            id: String::new(),
            timestamp: 0,
        };
        let signed = auth.sign(&Request::post(&headers, b""), &stamp).unwrap();
        // base64("postmark:s3cr3t:pw"), as `curl -u postmark:s3cr3t:pw` sends it.
        let value = "Basic cG9zdG1hcms6czNjcjN0OnB3";
        assert_eq!(
            signed.headers,
            vec![(HEADER.to_string(), value.to_string())]
        );
        assert_eq!(verify(&[("authorization", value)]), Verdict::Valid);
    }

    #[test]
    fn missing_wrong_and_malformed_credentials_are_told_apart() {
        let wrong_password = format!("Basic {}", STANDARD.encode("postmark:nope"));
        let wrong_user = format!("Basic {}", STANDARD.encode("mallory:s3cr3t:pw"));
        assert!(reason(verify(&[])).starts_with("no credentials"));
        assert_eq!(
            reason(verify(&[(HEADER, &wrong_password)])),
            "the password does not match"
        );
        assert_eq!(
            reason(verify(&[(HEADER, &wrong_user)])),
            "the user name does not match"
        );
        assert!(reason(verify(&[(HEADER, "Bearer abc.def")])).contains("Bearer scheme"));
        assert!(reason(verify(&[(HEADER, "Basic !!!")])).contains("not basic auth"));
        assert!(!reason(verify(&[(HEADER, "s3cr3t:pw")])).contains("s3cr3t"));
    }

    #[test]
    fn debug_hides_the_password() {
        let shown = format!("{:?}", Credentials::parse("u:hunter2").unwrap());
        assert!(!shown.contains("hunter2"), "{shown}");
    }
}
