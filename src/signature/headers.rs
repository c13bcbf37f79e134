//! An ordered, case-insensitive list of HTTP headers as a scheme sees them.

/// Request headers in arrival order; names compare case-insensitively, duplicates are kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Headers(Vec<(String, String)>);

impl Headers {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends one header.
    pub fn push(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.0.push((name.into(), value.into()));
    }

    /// Every value of the header `name`, in order.
    pub fn get_all<'a>(&'a self, name: &str) -> impl Iterator<Item = &'a str> {
        self.0
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether any header is called `name`.
    pub fn contains(&self, name: &str) -> bool {
        self.get_all(name).next().is_some()
    }

    /// All headers as (name, value) pairs.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<N: Into<String>, V: Into<String>> FromIterator<(N, V)> for Headers {
    fn from_iter<I: IntoIterator<Item = (N, V)>>(iter: I) -> Self {
        Self(
            iter.into_iter()
                .map(|(n, v)| (n.into(), v.into()))
                .collect(),
        )
    }
}

/// Headers as an HTTP server received them; values that are not UTF-8 are read lossily.
impl From<&http::HeaderMap> for Headers {
    fn from(map: &http::HeaderMap) -> Self {
        map.iter()
            .map(|(n, v)| {
                (
                    n.as_str(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect()
    }
}

/// A header value hookctl will not sign: a line break or another control character in it (HTTP
/// cannot carry it), or an invisible or bidirectional character (it would be printed as a lie).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the {name} header cannot be `{value}`: a header value holds no line break, control, invisible or bidirectional character"
)]
pub struct NotAHeaderValue {
    /// The header.
    pub name: String,
    /// The value it would have had.
    pub value: String,
}

/// Whether `value` can be sent as a header value (tab and bytes from space up, DEL excepted).
pub fn is_header_value(value: &str) -> bool {
    value
        .bytes()
        .all(|b| b == b'\t' || (b >= b' ' && b != 0x7f))
}

/// Checks that every `(name, value)` can go on the wire and be printed as it is.
pub fn check_values(headers: &[(String, String)]) -> Result<(), NotAHeaderValue> {
    // One pass for the usual case: printable ASCII is always fine.
    let printable = |v: &str| v.bytes().all(|b| (b' '..0x7f).contains(&b));
    let refused = |v: &str| !printable(v) && (!is_header_value(v) || crate::text::has_unsafe(v));
    match headers.iter().find(|(_, v)| refused(v)) {
        Some((name, value)) => Err(NotAHeaderValue {
            name: name.clone(),
            value: value.clone(),
        }),
        None => Ok(()),
    }
}

/// Parses `Name: value` as typed on a command line or copied from a listener (whose `-v`
/// display marks received headers with a leading `<`).
pub fn parse_header_line(line: &str) -> Option<(String, String)> {
    let line = line.trim_start();
    let line = line.strip_prefix("< ").unwrap_or(line);
    let (name, value) = line.split_once(':')?;
    let name = name.trim();
    let valid_name = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    valid_name.then(|| (name.to_string(), value.trim().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_ignores_case_and_keeps_duplicates() {
        let h: Headers = [("X-A", "1"), ("x-a", "2"), ("B", "3")]
            .into_iter()
            .collect();
        assert_eq!(h.get_all("X-a").collect::<Vec<_>>(), ["1", "2"]);
    }

    #[test]
    fn header_line_needs_a_name_and_a_colon() {
        assert_eq!(
            parse_header_line("Stripe-Signature: t=1,v1=ab"),
            Some(("Stripe-Signature".into(), "t=1,v1=ab".into()))
        );
        assert_eq!(
            parse_header_line("  < x-ekdsend-signature: sha256=ab"),
            Some(("x-ekdsend-signature".into(), "sha256=ab".into()))
        );
        assert_eq!(parse_header_line("no colon"), None);
        assert_eq!(parse_header_line(": empty name"), None);
    }
}
