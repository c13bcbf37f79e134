//! Stripe: `Stripe-Signature: t=<unix>,v1=<hex>` over `t.body`; `v0=` and unknown pairs are ignored.

use super::hex_digest::decode_tag;
use super::mac::Tag;
use super::{Claim, Headers, ParseError, Stamp, excerpt, single};

pub(super) fn render(tag: &Tag, stamp: &Stamp) -> String {
    format!("t={},v1={}", stamp.timestamp, hex::encode(tag))
}

pub(super) fn parse(headers: &Headers, header: &str) -> Result<Claim, ParseError> {
    let value = single(headers, header)?;
    let malformed = |why: String| ParseError::Malformed(format!("{header} {why}"));
    let mut timestamp = None;
    let mut tags = Vec::new();
    for pair in value.split(',') {
        let Some((key, item)) = pair.trim().split_once('=') else {
            return Err(malformed(format!(
                "should be `t=<unix>,v1=<hex>`; `{}` is not a key=value pair",
                excerpt(pair)
            )));
        };
        match key {
            "t" if timestamp.is_some() => return Err(malformed("has two t= timestamps".into())),
            "t" => {
                let t = item.parse::<i64>().map_err(|_| {
                    malformed(format!(
                        "has a t= that is not unix seconds: `{}`",
                        excerpt(item)
                    ))
                })?;
                timestamp = Some(t);
            }
            "v1" => tags.push(item),
            _ => {}
        }
    }
    let Some(timestamp) = timestamp else {
        return Err(malformed("has no t= timestamp".into()));
    };
    if tags.is_empty() {
        return Err(malformed("has no v1= signature".into()));
    }
    Ok(Claim {
        id: None,
        timestamp: Some(timestamp),
        tags: decode_some(&tags, header)?,
        quirk: None,
    })
}

/// The v1 values that decode; an error only when none does (Stripe ignores unreadable entries).
fn decode_some(values: &[&str], header: &str) -> Result<Vec<Vec<u8>>, ParseError> {
    let mut first_error = None;
    let mut tags = Vec::new();
    for value in values {
        match decode_tag(value, header) {
            Ok(tag) => tags.push(tag),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    match (tags.is_empty(), first_error) {
        (true, Some(e)) => Err(e),
        _ => Ok(tags),
    }
}
