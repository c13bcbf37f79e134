//! Keeps secrets and credentials out of everything hookctl shows: a URL's password, the signing
//! secret in any of its spellings, and credential headers. Library side: it returns text and
//! knows nothing of terminals.

use std::borrow::Cow;

use crate::signature::Secret;

/// What replaces a hidden header value or a secret in free text.
pub const HIDDEN: &str = "<redacted>";

/// What replaces a password or a secret inside a URL.
pub const HIDDEN_IN_URL: &str = "***";

/// Headers that carry credentials whatever their value.
pub const CREDENTIAL_HEADERS: [&str; 4] = [
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
];

/// Whether `name` is a header that carries credentials.
pub fn is_credential(name: &str) -> bool {
    CREDENTIAL_HEADERS
        .iter()
        .any(|c| c.eq_ignore_ascii_case(name))
}

/// Spellings shorter than this are not looked for inside free text, where they would match
/// ordinary words (a secret `s` in every `status`); a header value or URL query value that
/// holds one as a whole word is still hidden.
pub const MIN_IN_TEXT: usize = 4;

/// Hides the secrets in use wherever they would be shown. `Default` hides only what is a
/// credential by nature (passwords in URLs, credential headers).
#[derive(Clone, Default)]
pub struct Redactor {
    /// Every spelling of every secret, longest first.
    spellings: Vec<String>,
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Redactor({} spellings)", self.spellings.len())
    }
}

impl Redactor {
    /// Hides each of `secrets`, in every spelling.
    pub fn new<'a>(secrets: impl IntoIterator<Item = &'a Secret>) -> Self {
        let mut spellings: Vec<String> = secrets.into_iter().flat_map(Secret::spellings).collect();
        spellings.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        spellings.dedup();
        Self { spellings }
    }

    /// `text` with every spelling of a secret replaced by [`HIDDEN`].
    pub fn text<'a>(&self, text: &'a str) -> Cow<'a, str> {
        self.replace(text, HIDDEN)
    }

    fn replace<'a>(&self, text: &'a str, with: &str) -> Cow<'a, str> {
        let mut out = Cow::Borrowed(text);
        for spelling in self.spellings.iter().filter(|s| s.len() >= MIN_IN_TEXT) {
            if out.contains(spelling.as_str()) {
                out = Cow::Owned(out.replace(spelling.as_str(), with));
            }
        }
        out
    }

    /// Every string inside a JSON document with the secrets replaced (keys are hookctl's own).
    pub fn json(&self, value: &mut serde_json::Value) {
        match value {
            serde_json::Value::String(s) => {
                if let Cow::Owned(hidden) = self.text(s) {
                    *s = hidden;
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(|v| self.json(v)),
            serde_json::Value::Object(map) => map.values_mut().for_each(|v| self.json(v)),
            _ => {}
        }
    }

    /// Whether `value` holds a secret: inside it, or (however short) as a whole word.
    fn holds(&self, value: &str) -> bool {
        let words: Vec<&str> = value
            // A control character ends a word too (`-H 'X-Key: k3y\x01'`).
            .split(|c: char| c.is_whitespace() || c.is_control() || matches!(c, ',' | ';' | '='))
            .collect();
        self.spellings.iter().any(|s| {
            (s.len() >= MIN_IN_TEXT && value.contains(s.as_str())) || words.contains(&s.as_str())
        })
    }

    /// A header line as an error may echo it, whether or not it has its colon: the value hidden
    /// when the header is a credential or the value holds a secret, and a secret hidden anywhere.
    pub fn header_line<'a>(&self, line: &'a str) -> Cow<'a, str> {
        let trimmed = line.trim_start();
        let end = trimmed
            .find(|c: char| c == ':' || c.is_whitespace())
            .unwrap_or(trimmed.len());
        let (name, rest) = trimmed.split_at(end);
        let value = rest.strip_prefix(':').unwrap_or(rest).trim();
        if rest.is_empty() || !self.hides(name, value) {
            return self.text(line);
        }
        // The separator as typed: a line without its colon is echoed without one.
        let colon = if rest.starts_with(':') { ":" } else { "" };
        Cow::Owned(format!("{}{colon} {HIDDEN}", self.text(name)))
    }

    /// Whether a header's value must not be shown: a credential header, or one holding a secret.
    pub fn hides(&self, name: &str, value: &str) -> bool {
        is_credential(name) || self.holds(value)
    }

    /// A header's value as it may be shown: whole, or [`HIDDEN`].
    pub fn header<'a>(&self, name: &str, value: &'a str) -> Cow<'a, str> {
        if self.hides(name, value) {
            Cow::Borrowed(HIDDEN)
        } else {
            Cow::Borrowed(value)
        }
    }

    /// A URL as it may be shown: the password as `***`, a query value that holds a secret as
    /// `***`, and a secret anywhere else in it as `***`.
    pub fn url(&self, url: &url::Url) -> String {
        let mut shown = url.clone();
        if let Some(query) = url.query() {
            shown.set_query(Some(&self.query(query)));
        }
        self.replace(&url_without_password(&shown), HIDDEN_IN_URL)
            .into_owned()
    }

    /// [`Redactor::url`] for a URL kept as text (one that does not parse is hidden as text).
    pub fn url_text<'a>(&self, url: &'a str) -> Cow<'a, str> {
        match url::Url::parse(url) {
            Ok(parsed) => Cow::Owned(self.url(&parsed)),
            Err(_) => self.replace(url, HIDDEN_IN_URL),
        }
    }

    /// A request target (`/hook?token=…`) as it may be shown, hidden as [`Redactor::url`] hides.
    pub fn path<'a>(&self, target: &'a str) -> Cow<'a, str> {
        let Some((path, query)) = target.split_once('?') else {
            return self.replace(target, HIDDEN_IN_URL);
        };
        let shown = format!("{path}?{}", self.query(query));
        Cow::Owned(self.replace(&shown, HIDDEN_IN_URL).into_owned())
    }

    /// A query with every value that holds a secret as `***`.
    fn query(&self, query: &str) -> String {
        let hidden: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((key, value)) if self.holds(&decoded(value)) => {
                    format!("{key}={HIDDEN_IN_URL}")
                }
                _ => pair.to_string(),
            })
            .collect();
        hidden.join("&")
    }
}

/// A query value as its receiver reads it (`+` is a space).
fn decoded(value: &str) -> String {
    let spaced = value.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8_lossy()
        .into_owned()
}

/// A URL with its password shown as `***` (`http://alice:***@host/`).
pub fn url_without_password(url: &url::Url) -> String {
    let mut shown = url.clone();
    if shown.password().is_some() {
        // Only URLs that cannot carry a password refuse one, and this one carries one.
        let _ = shown.set_password(Some(HIDDEN_IN_URL));
    }
    shown.to_string()
}

/// [`url_without_password`] for text that may not parse as a URL (an error echoing the input):
/// whatever stands between `:` and `@` in the part after `scheme://` is hidden.
pub fn url_text(text: &str) -> Cow<'_, str> {
    let Some(start) = text.find("://").map(|i| i + 3) else {
        return Cow::Borrowed(text);
    };
    let rest = &text[start..];
    let authority = rest.find(['/', '?', '#']).map_or(rest, |end| &rest[..end]);
    let Some(at) = authority.rfind('@') else {
        return Cow::Borrowed(text);
    };
    let Some(colon) = authority[..at].find(':') else {
        return Cow::Borrowed(text);
    };
    Cow::Owned(format!(
        "{}{HIDDEN_IN_URL}{}",
        &text[..start + colon + 1],
        &text[start + at..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redactor(secret: &str) -> Redactor {
        Redactor::new([&Secret::new(secret).unwrap()])
    }

    #[test]
    fn a_url_shows_the_user_but_not_the_password() {
        let url = url::Url::parse("http://alice:pw@127.0.0.1:8080/hook?a=1").unwrap();
        assert_eq!(
            url_without_password(&url),
            "http://alice:***@127.0.0.1:8080/hook?a=1"
        );
        assert_eq!(
            url_text("http://alice:p@w:x@bad url/"),
            "http://alice:***@bad url/"
        );
        assert_eq!(url_text("not a url"), "not a url");
        assert_eq!(
            url_text("http://alice@host/a:b@c"),
            "http://alice@host/a:b@c"
        );
    }

    #[test]
    fn a_secret_in_a_query_is_hidden_in_every_spelling() {
        let r = redactor("k3y5x");
        let url = url::Url::parse("http://h/x?token=k3y5x&hex=6b33793578&b=ok").unwrap();
        assert_eq!(r.url(&url), "http://h/x?token=***&hex=***&b=ok");
        let short = redactor("ab");
        let url = url::Url::parse("https://ab.example/tab?k=ab&t=tab").unwrap();
        assert_eq!(short.url(&url), "https://ab.example/tab?k=***&t=tab");
    }

    #[test]
    fn a_request_target_hides_a_secret_in_its_query_only() {
        let r = redactor("k3y5x");
        assert_eq!(r.path("/hook?token=k3y5x&p=2"), "/hook?token=***&p=2");
        assert_eq!(r.path("/hook"), "/hook");
        assert_eq!(
            r.url_text("http://a:pw@h/x?k=k3y5x"),
            "http://a:***@h/x?k=***"
        );
    }

    #[test]
    fn headers_are_hidden_by_name_or_by_content_whatever_the_secret_length() {
        let r = redactor("k3y");
        assert_eq!(r.header("Authorization", "Bearer abc"), HIDDEN);
        assert_eq!(r.header("X-Key", "k3y"), HIDDEN);
        assert_eq!(r.header("X-Key", "id=k3y; v=1"), HIDDEN);
        assert_eq!(r.header("X-Other", "plain"), "plain");
        let s = redactor("s");
        assert_eq!(
            s.header("Content-Type", "application/json"),
            "application/json"
        );
        assert_eq!(s.text("status"), "status");
        let w = redactor("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        assert_eq!(
            w.header("X-Key", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
            HIDDEN
        );
        let key = hex::encode(
            base64::Engine::decode(
                &base64::engine::general_purpose::STANDARD,
                "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            )
            .unwrap(),
        );
        assert_eq!(w.header("X-Key", &key), HIDDEN);
    }

    #[test]
    fn json_keys_stay_and_string_values_are_hidden() {
        let mut doc = serde_json::json!({"secret-ish": ["x s3cr3t-value y", 1], "k": "ok"});
        redactor("s3cr3t-value").json(&mut doc);
        assert_eq!(
            doc,
            serde_json::json!({"secret-ish": ["x <redacted> y", 1], "k": "ok"})
        );
    }

    #[test]
    fn an_echoed_header_line_keeps_the_name_of_a_credential_or_a_secret_header_only() {
        let none = Redactor::default();
        assert_eq!(
            none.header_line("Authorization Bearer t0k"),
            "Authorization <redacted>"
        );
        assert_eq!(none.header_line("cookie:a=b"), "cookie: <redacted>");
        assert_eq!(none.header_line("X-A b"), "X-A b");
        let r = redactor("k3y");
        assert_eq!(r.header_line("X-Key: k3y\u{1}"), "X-Key: <redacted>");
        assert_eq!(r.header_line("k3y5x-header"), "k3y5x-header");
        let long = redactor("s3cr3t-key");
        assert_eq!(long.header_line("s3cr3t-key"), "<redacted>");
    }

    #[test]
    fn debug_shows_no_spelling() {
        assert!(!format!("{:?}", redactor("s3cr3t-value")).contains("s3cr3t"));
    }
}
