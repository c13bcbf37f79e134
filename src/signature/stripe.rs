//! Stripe: `Stripe-Signature: t=<unix>,v1=<hex>` over `t.body`, read as Stripe's libraries read it
//! (stripe-python's `WebhookSignature`): pairs split on `,` without trimming, keys compared
//! exactly, the hex compared as a lowercase string, unknown pairs ignored.

use super::hex_digest::decode_tag;
use super::mac::Tag;
use super::{Claim, Headers, ParseError, Quirk, Slip, Stamp, excerpt, single};

pub(super) fn render(tag: &Tag, stamp: &Stamp) -> String {
    format!("t={},v1={}", stamp.timestamp, hex::encode(tag))
}

/// One header with both signatures at the same timestamp: `older`'s `t=` and `v1=` pairs, then
/// `newer`'s `v1=` pairs, as Stripe sends during a secret's rotation (`t=…,v1=old,v1=new`).
pub(super) fn listed(older: &str, newer: &str) -> String {
    let mut out = older.to_string();
    for pair in newer.split(',').filter(|p| p.starts_with("v1=")) {
        out.push(',');
        out.push_str(pair);
    }
    out
}

/// The pairs of a header, sorted the way Stripe's libraries see them.
#[derive(Default)]
struct Pairs<'a> {
    stamps: Vec<&'a str>,
    /// `v1=` values, each with the slip that makes Stripe's libraries skip it.
    signatures: Vec<(&'a str, Option<Quirk>)>,
    /// A ` t=` after a space, which Stripe's libraries do not read.
    spaced_stamp: bool,
    /// The first part that is not `key=value`.
    junk: Option<&'a str>,
}

impl<'a> Pairs<'a> {
    fn of(value: &'a str) -> Self {
        let mut pairs = Pairs::default();
        for pair in value.split(',') {
            let Some((key, rest)) = pair.split_once('=') else {
                pairs.junk.get_or_insert(pair);
                continue;
            };
            // Python's split("=", 2): the value ends at a second `=`.
            let item = rest.split('=').next().unwrap_or(rest);
            match (key, key.trim()) {
                ("t", _) => pairs.stamps.push(item),
                ("v1", _) => pairs.signatures.push((item, case_slip(item))),
                (_, "t") => pairs.spaced_stamp = true,
                (_, "v1") => pairs.signatures.push((item, Some(Quirk::SpaceAfterComma))),
                _ => {}
            }
        }
        pairs
    }
}

/// Uppercase hex matches no lowercase string: Stripe's libraries reject it.
fn case_slip(item: &str) -> Option<Quirk> {
    item.bytes()
        .any(|b| b.is_ascii_uppercase())
        .then_some(Quirk::Uppercase)
}

pub(super) fn parse(headers: &Headers, header: &str) -> Result<Claim, ParseError> {
    let value = single(headers, header)?;
    let malformed = |why: String| ParseError::Malformed(format!("{header} {why}"));
    let pairs = Pairs::of(value);
    let timestamp = timestamp(&pairs).map_err(malformed)?;
    if pairs.signatures.is_empty() {
        return Err(malformed("has no v1= signature".into()));
    }
    let mut first_error = None;
    let mut tags = Vec::new();
    let mut slips = Vec::new();
    for (item, slip) in &pairs.signatures {
        match (decode_tag(item, header), slip) {
            (Ok(tag), None) => tags.push(tag),
            (Ok(tag), Some(quirk)) => slips.push(Slip { tag, quirk: *quirk }),
            // Stripe's libraries skip what does not compare; an error only when nothing is left.
            (Err(e), _) => {
                first_error.get_or_insert(e);
            }
        }
    }
    if let (true, true, Some(e)) = (tags.is_empty(), slips.is_empty(), first_error) {
        return Err(e);
    }
    Ok(Claim {
        id: None,
        timestamp: Some(timestamp),
        tags,
        quirk: None,
        slips,
    })
}

/// The signed timestamp: the one `t=`, or several that agree (stripe-python reads the first,
/// stripe-node the last, so only agreeing ones give one verdict).
fn timestamp(pairs: &Pairs) -> Result<i64, String> {
    let Some(first) = pairs.stamps.first() else {
        return Err(match (pairs.spaced_stamp, pairs.junk) {
            (true, _) => "has ` t=` after a space; Stripe's libraries split on `,` without trimming and find no timestamp".into(),
            (false, Some(junk)) => format!(
                "should be `t=<unix>,v1=<hex>`; `{}` is not a key=value pair",
                excerpt(junk)
            ),
            (false, None) => "has no t= timestamp".into(),
        });
    };
    let parse = |text: &str| {
        // Python's int() takes surrounding spaces too.
        text.trim()
            .parse::<i64>()
            .map_err(|_| format!("has a t= that is not unix seconds: `{}`", excerpt(text)))
    };
    let t = parse(first)?;
    for other in &pairs.stamps[1..] {
        if parse(other)? != t {
            return Err("has two different t= timestamps; Stripe sends one, and its libraries disagree on which to read (the first in Python, the last in Node)".into());
        }
    }
    Ok(t)
}
