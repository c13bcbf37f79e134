//! What the URL-signed families (Twilio, Plivo) share: the URL kept as the provider wrote it and
//! split into the parts a proxy or tunnel changes, the variants of it to try when a signature does
//! not match, and the form parameters they sign.
//!
//! The URL is never normalised: the provider signs its exact text (`https://h:443/x` and
//! `https://h/x` sign differently), so it is split and rebuilt as a string.

use std::fmt;

/// One way a URL may change: each changed URL with the change named.
type Dimension = fn(&SignedUrl) -> Vec<(SignedUrl, Change)>;

/// A URL split into the parts a proxy or tunnel changes; everything else is kept verbatim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SignedUrl {
    /// `http` or `https` as written.
    pub scheme: String,
    /// The authority without its port (user info and host).
    pub host: String,
    /// The port as written, without the colon.
    pub port: Option<String>,
    /// The path, possibly empty.
    pub path: String,
    /// The query without its `?`.
    pub query: Option<String>,
    /// The fragment without its `#`.
    pub fragment: Option<String>,
}

impl SignedUrl {
    /// Splits `url`; `None` when it has no `scheme://`.
    pub fn parse(url: &str) -> Option<Self> {
        let (scheme, rest) = url.split_once("://")?;
        if scheme.is_empty()
            || !scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
        {
            return None;
        }
        let (rest, fragment) = split_off(rest, '#');
        let (rest, query) = split_off(rest, '?');
        let cut = rest.find('/').unwrap_or(rest.len());
        let (authority, path) = rest.split_at(cut);
        // A port follows the last colon, unless that colon is inside an IPv6 literal.
        let (host, port) = match authority.rfind(':') {
            Some(at)
                if !authority[at..].contains(']')
                    && authority[at + 1..].bytes().all(|b| b.is_ascii_digit()) =>
            {
                (&authority[..at], Some(authority[at + 1..].to_string()))
            }
            _ => (authority, None),
        };
        Some(Self {
            scheme: scheme.to_string(),
            host: host.to_string(),
            port,
            path: path.to_string(),
            query: query.map(str::to_string),
            fragment: fragment.map(str::to_string),
        })
    }

    /// The port a client uses for this scheme when none is written.
    pub fn default_port(&self) -> &'static str {
        if self.scheme.eq_ignore_ascii_case("https") {
            "443"
        } else {
            "80"
        }
    }

    /// `scheme://host[:port]path`: the URL without its query and fragment.
    pub fn base(&self) -> String {
        let mut out = format!("{}://{}", self.scheme, self.host);
        if let Some(port) = &self.port {
            out.push(':');
            out.push_str(port);
        }
        out.push_str(&self.path);
        out
    }

    /// The value of the query parameter `name` (decoded), when present.
    pub fn query_param(&self, name: &str) -> Option<String> {
        let query = self.query.as_deref()?;
        url::form_urlencoded::parse(query.as_bytes())
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.into_owned())
    }

    /// The URL with `name=value` added to its query (or replacing that parameter's value).
    pub fn with_query_param(&self, name: &str, value: &str) -> Self {
        let mut pairs: Vec<String> = self
            .query
            .as_deref()
            .unwrap_or("")
            .split('&')
            .filter(|pair| !pair.is_empty() && pair.split('=').next() != Some(name))
            .map(str::to_string)
            .collect();
        pairs.push(format!("{name}={value}"));
        Self {
            query: Some(pairs.join("&")),
            ..self.clone()
        }
    }

    /// The URLs the official Twilio library tries for this one: without the port, and with the
    /// scheme's default port when none is written (`RequestValidator.validate`'s
    /// `remove_port`/`add_port`). The URL itself is always one of them.
    pub fn port_forms(&self) -> [String; 2] {
        let without = Self {
            port: None,
            ..self.clone()
        };
        let with = Self {
            port: Some(
                self.port
                    .clone()
                    .unwrap_or_else(|| self.default_port().to_string()),
            ),
            ..self.clone()
        };
        [without.to_string(), with.to_string()]
    }

    /// Variants a proxy or tunnel makes of the URL the provider signed, fewest changes first:
    /// the other of http/https, the port removed or made the default, the trailing slash
    /// toggled, the query or the fragment dropped. The URL itself is not among them.
    pub fn variants(&self) -> Vec<(SignedUrl, Vec<Change>)> {
        let dimensions: [Dimension; 5] = [
            SignedUrl::other_scheme,
            SignedUrl::other_ports,
            SignedUrl::other_slash,
            SignedUrl::without_query,
            SignedUrl::without_fragment,
        ];
        let mut out = vec![(self.clone(), Vec::new())];
        for dimension in dimensions {
            let mut next = Vec::new();
            for (url, changes) in out {
                for (changed, change) in dimension(&url) {
                    let mut more = changes.clone();
                    more.push(change);
                    next.push((changed, more));
                }
                next.push((url, changes));
            }
            out = next;
        }
        out.retain(|(_, changes)| !changes.is_empty());
        out.sort_by_key(|(_, changes)| changes.len());
        let mut seen = Vec::new();
        out.retain(|(url, _)| {
            let text = url.to_string();
            let fresh = text != self.to_string() && !seen.contains(&text);
            seen.push(text);
            fresh
        });
        out
    }

    fn other_scheme(&self) -> Vec<(SignedUrl, Change)> {
        let other = if self.scheme.eq_ignore_ascii_case("https") {
            "http"
        } else {
            "https"
        };
        let url = SignedUrl {
            scheme: other.to_string(),
            ..self.clone()
        };
        vec![(url, Change::Scheme(other.to_string()))]
    }

    /// The port removed, and the scheme's default port where another or none is written.
    fn other_ports(&self) -> Vec<(SignedUrl, Change)> {
        let default = self.default_port();
        let with = |port: Option<&str>| SignedUrl {
            port: port.map(str::to_string),
            ..self.clone()
        };
        match self.port.as_deref() {
            Some(port) if port == default => vec![(with(None), Change::PortRemoved(port.into()))],
            Some(port) => vec![
                (with(None), Change::PortRemoved(port.into())),
                (with(Some(default)), Change::PortChanged(default.into())),
            ],
            None => vec![(with(Some(default)), Change::PortAdded(default.into()))],
        }
    }

    fn other_slash(&self) -> Vec<(SignedUrl, Change)> {
        let (path, change) = match self.path.strip_suffix('/') {
            Some("") => return Vec::new(),
            Some(stripped) => (stripped.to_string(), Change::SlashRemoved),
            None => (format!("{}/", self.path), Change::SlashAdded),
        };
        vec![(
            SignedUrl {
                path,
                ..self.clone()
            },
            change,
        )]
    }

    fn without_query(&self) -> Vec<(SignedUrl, Change)> {
        match self.query {
            Some(_) => vec![(
                SignedUrl {
                    query: None,
                    ..self.clone()
                },
                Change::QueryDropped,
            )],
            None => Vec::new(),
        }
    }

    fn without_fragment(&self) -> Vec<(SignedUrl, Change)> {
        match self.fragment {
            Some(_) => vec![(
                SignedUrl {
                    fragment: None,
                    ..self.clone()
                },
                Change::FragmentDropped,
            )],
            None => Vec::new(),
        }
    }
}

impl fmt::Display for SignedUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.base())?;
        if let Some(query) = &self.query {
            write!(f, "?{query}")?;
        }
        if let Some(fragment) = &self.fragment {
            write!(f, "#{fragment}")?;
        }
        Ok(())
    }
}

fn split_off(text: &str, at: char) -> (&str, Option<&str>) {
    match text.split_once(at) {
        Some((head, tail)) => (head, Some(tail)),
        None => (text, None),
    }
}

/// One way the URL a receiver sees differs from the one the provider signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Change {
    /// The other scheme (`https` behind a TLS-terminating proxy or tunnel).
    Scheme(String),
    /// The port written out was not signed.
    PortRemoved(String),
    /// The signed URL names the default port.
    PortAdded(String),
    /// The signed URL names another port.
    PortChanged(String),
    /// The signed path ends with a slash.
    SlashAdded,
    /// The signed path has no trailing slash.
    SlashRemoved,
    /// The signed URL has no query.
    QueryDropped,
    /// The signed URL has no fragment (Twilio's connection overrides, `#rc=2`, are not part of
    /// the URL it requests).
    FragmentDropped,
    /// The signed URL carries the body's hash in its query (Twilio's JSON webhooks).
    BodyHashAdded,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::Scheme(scheme) => write!(
                f,
                "{scheme}, not {}",
                if scheme == "https" { "http" } else { "https" }
            ),
            Change::PortRemoved(port) => write!(f, "without the port {port}"),
            Change::PortAdded(port) | Change::PortChanged(port) => {
                write!(f, "with the port {port}")
            }
            Change::SlashAdded => f.write_str("with a trailing slash"),
            Change::SlashRemoved => f.write_str("without the trailing slash"),
            Change::QueryDropped => f.write_str("without the query string"),
            Change::FragmentDropped => f.write_str("without the #fragment"),
            Change::BodyHashAdded => f.write_str("with the body's bodySHA256 in the query"),
        }
    }
}

/// The verdict for a signature that matches `signed` rather than the URL it was checked
/// against: the hint names both, the remedy is the signed URL.
pub(super) fn url_mismatch(
    reason: &str,
    signed: &SignedUrl,
    checked: &str,
    changes: &[Change],
) -> super::Verdict {
    super::Verdict::invalid_unless(
        reason,
        url_hint(signed, checked, changes),
        super::Remedy::Url(signed.to_string()),
    )
}

fn url_hint(signed: &SignedUrl, checked: &str, changes: &[Change]) -> String {
    let what = changes
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let why = if changes.iter().any(|c| {
        matches!(
            c,
            Change::Scheme(_)
                | Change::PortRemoved(_)
                | Change::PortAdded(_)
                | Change::PortChanged(_)
        )
    }) {
        "the provider signed the public URL, which a proxy or tunnel changes on the way; give the public URL"
    } else {
        "the provider signs the exact URL it is configured with; give that URL"
    };
    let (signed, checked) = (signed.to_string(), crate::redact::url_text(checked));
    format!(
        "signed for {}, not {checked} ({what}): {why}",
        crate::redact::url_text(&signed)
    )
}

/// The hint when no variant of the URL matches either.
pub(super) fn no_url_hint(checked: &str) -> String {
    let checked = crate::redact::url_text(checked);
    format!(
        "no variant of {checked} (http/https, port, trailing slash, query) matches: the key, the parameters or the URL differ from what was signed; behind a tunnel, give the public URL the provider is configured with"
    )
}

/// A form body's parameters, decoded, in order; repeated names repeat.
pub(super) type Params = Vec<(String, String)>;

/// The parameters of a form body.
pub(super) fn form_params(body: &[u8]) -> Params {
    url::form_urlencoded::parse(body)
        .map(|(n, v)| (n.into_owned(), v.into_owned()))
        .collect()
}

/// Parameter lists a sender may have signed instead of what the body decodes to, each with the
/// hint that names the slip: a body encoded twice on the way, a `+` left unescaped, the values
/// still percent-encoded, empty values left out.
pub(super) fn param_variants(body: &[u8]) -> Vec<(Params, &'static str)> {
    let decoded = form_params(body);
    let mut out = Vec::new();
    let twice: Params = decoded
        .iter()
        .map(|(n, v)| (decode(n), decode(v)))
        .collect();
    if twice != decoded {
        out.push((twice, "the signature covers the values decoded once more: the body was percent-encoded twice on the way (%25…); forward the body as received"));
    }
    if body.contains(&b'+') {
        let plus: Vec<u8> = body
            .iter()
            .flat_map(|&b| if b == b'+' { b"%2B".to_vec() } else { vec![b] })
            .collect();
        out.push((form_params(&plus), "the signature covers `+` as a plus sign, but the body reads it as a space: a `+` was not escaped as %2B when the body was re-encoded on the way"));
    }
    let raw: Params = body
        .split(|&b| b == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let text = String::from_utf8_lossy(pair);
            let (n, v) = text.split_once('=').unwrap_or((&text, ""));
            (n.to_string(), v.to_string())
        })
        .collect();
    if raw != decoded {
        out.push((raw, "the signature covers the parameters still percent-encoded; the provider signs the decoded values"));
    }
    if decoded.iter().any(|(_, v)| v.is_empty()) {
        let kept = decoded
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .cloned()
            .collect();
        out.push((kept, "the signature leaves out the parameters with empty values; the provider signs them too"));
    }
    out
}

fn decode(text: &str) -> String {
    url::form_urlencoded::parse(
        format!("x={}", text.replace('&', "%26").replace('+', "%2B")).as_bytes(),
    )
    .next()
    .map(|(_, v)| v.into_owned())
    .unwrap_or_default()
}

/// Whether the request's body is JSON: by its `Content-Type`, else by its first byte.
pub(super) fn is_json(headers: &super::Headers, body: &[u8]) -> bool {
    if let Some(kind) = headers.get_all("Content-Type").next() {
        return kind.to_ascii_lowercase().contains("json");
    }
    matches!(
        body.iter().find(|b| !b.is_ascii_whitespace()),
        Some(b'{' | b'[')
    ) && serde_json::from_slice::<serde_json::Value>(body).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_round_trips_exactly_as_written() {
        for url in [
            "https://mycompany.com/myapp.php?foo=1&bar=2",
            "http://127.0.0.1:8080/sms/",
            "https://h:443",
            "http://[::1]:9000/x?a#frag",
            "https://user:pw@h.example/p",
        ] {
            assert_eq!(SignedUrl::parse(url).unwrap().to_string(), url);
        }
        let ipv6 = SignedUrl::parse("http://[::1]/x").unwrap();
        assert_eq!((ipv6.host.as_str(), ipv6.port), ("[::1]", None));
    }

    #[test]
    fn port_forms_are_the_twilio_librarys() {
        let url = SignedUrl::parse("https://h.com:1234/a?b=1").unwrap();
        assert_eq!(
            url.port_forms(),
            ["https://h.com/a?b=1", "https://h.com:1234/a?b=1"]
        );
        let url = SignedUrl::parse("http://h.com/a").unwrap();
        assert_eq!(url.port_forms(), ["http://h.com/a", "http://h.com:80/a"]);
    }

    #[test]
    fn variants_start_with_single_changes() {
        let url = SignedUrl::parse("http://h.com/sms").unwrap();
        let variants = url.variants();
        assert_eq!(variants[0].1.len(), 1);
        let https = variants
            .iter()
            .find(|(u, _)| u.to_string() == "https://h.com/sms")
            .unwrap();
        assert_eq!(https.1, [Change::Scheme("https".into())]);
        assert!(variants.iter().all(|(u, _)| u != &url));
    }

    #[test]
    fn a_fragment_given_with_the_url_may_be_what_was_not_signed() {
        let url = SignedUrl::parse("https://h.com/voice#rc=2&rp=all").unwrap();
        let variants = url.variants();
        let dropped = variants
            .iter()
            .find(|(_, changes)| changes == &[Change::FragmentDropped])
            .unwrap();
        assert_eq!(dropped.0.to_string(), "https://h.com/voice");
    }

    #[test]
    fn a_body_hash_joins_the_query() {
        let url = SignedUrl::parse("https://h/x?a=1").unwrap();
        assert_eq!(
            url.with_query_param("bodySHA256", "ab").to_string(),
            "https://h/x?a=1&bodySHA256=ab"
        );
        assert_eq!(
            url.with_query_param("a", "2").to_string(),
            "https://h/x?a=2"
        );
    }
}
