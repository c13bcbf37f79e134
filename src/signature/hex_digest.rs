//! The hex-digest schemes: EKDSend and GitHub (`sha256=<hex>`) and Keplars (bare `<hex>`).

use super::{Claim, Headers, ParseError, Quirk, excerpt, single};

const PREFIX: &str = "sha256=";

/// Reads `header`; `prefixed` schemes send `sha256=<hex>` and compare the lowercase string.
pub(super) fn parse(headers: &Headers, header: &str, prefixed: bool) -> Result<Claim, ParseError> {
    let value = single(headers, header)?;
    let (digits, quirk) = match (prefixed, value.strip_prefix(PREFIX)) {
        (true, Some(rest)) => (rest, None),
        (true, None) if value.bytes().all(|b| b.is_ascii_hexdigit()) => {
            (value, Some(Quirk::MissingPrefix))
        }
        (true, None) => {
            return Err(ParseError::Malformed(format!(
                "{header} should read `sha256=<64 hex digits>`, got `{}`",
                excerpt(value)
            )));
        }
        (false, Some(rest)) => (rest, Some(Quirk::ExtraPrefix)),
        (false, None) => (value, None),
    };
    let tag = decode_tag(digits, header)?;
    // Keplars' handler decodes the hex, so case does not matter there; the others compare strings.
    let uppercase = prefixed && digits.bytes().any(|b| b.is_ascii_uppercase());
    Ok(Claim {
        id: None,
        timestamp: None,
        tags: vec![tag],
        quirk: quirk.or(uppercase.then_some(Quirk::Uppercase)),
        slips: Vec::new(),
    })
}

/// Decodes a 64-digit hex HMAC-SHA256 tag, naming what is wrong with it otherwise.
pub(super) fn decode_tag(digits: &str, header: &str) -> Result<Vec<u8>, ParseError> {
    if let Some((at, c)) = digits.char_indices().find(|(_, c)| !c.is_ascii_hexdigit()) {
        return Err(ParseError::Malformed(format!(
            "{header} is not hex: `{c}` at position {}",
            at + 1
        )));
    }
    if digits.len() != 64 {
        return Err(ParseError::Malformed(format!(
            "{header} has {} hex {}; an HMAC-SHA256 signature has 64",
            digits.len(),
            if digits.len() == 1 { "digit" } else { "digits" }
        )));
    }
    // Checked above, so a plain loop: the generic decoder's per-digit error handling cost more
    // than the rest of the verification's bookkeeping.
    let value = |d: u8| match d {
        b'0'..=b'9' => d - b'0',
        _ => (d | 0x20) - b'a' + 10,
    };
    Ok(digits
        .as_bytes()
        .chunks_exact(2)
        .map(|pair| value(pair[0]) << 4 | value(pair[1]))
        .collect())
}
