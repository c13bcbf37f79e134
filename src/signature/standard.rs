//! Standard Webhooks: `webhook-id`, `webhook-timestamp` and `webhook-signature: v1,<base64>`
//! (a space-separated list, any entry may match) over `id.timestamp.body`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;

use super::mac::Tag;
use super::{Claim, Headers, ParseError, Stamp, excerpt, single};

pub(super) const ID: &str = "webhook-id";
pub(super) const TIMESTAMP: &str = "webhook-timestamp";
pub(super) const SIGNATURE: &str = "webhook-signature";

pub(super) fn render(tag: &Tag, stamp: &Stamp) -> Vec<(String, String)> {
    vec![
        (ID.to_string(), stamp.id.clone()),
        (TIMESTAMP.to_string(), stamp.timestamp.to_string()),
        (SIGNATURE.to_string(), format!("v1,{}", BASE64.encode(tag))),
    ]
}

pub(super) fn parse(headers: &Headers) -> Result<Claim, ParseError> {
    let list = single(headers, SIGNATURE)?;
    let companion = |name| {
        single(headers, name).map_err(|e| match e {
            ParseError::Missing(_) => ParseError::Malformed(format!(
                "{SIGNATURE} is present but {name} is missing; Standard Webhooks signs id.timestamp.body"
            )),
            other => other,
        })
    };
    let id = companion(ID)?;
    let timestamp = companion(TIMESTAMP)?;
    let timestamp: i64 = timestamp.parse().map_err(|_| {
        ParseError::Malformed(format!(
            "{TIMESTAMP} should be unix seconds, got `{}`",
            excerpt(timestamp)
        ))
    })?;
    let mut tags = Vec::new();
    let mut undecodable = 0;
    for entry in list.split(' ').filter(|e| !e.is_empty()) {
        match entry.split_once(',') {
            Some(("v1", encoded)) => match BASE64.decode(encoded) {
                Ok(tag) => tags.push(tag),
                Err(_) => undecodable += 1,
            },
            // Other versions (v1a is asymmetric) are not HMAC signatures.
            Some(_) => {}
            None => undecodable += 1,
        }
    }
    if tags.is_empty() {
        let why = if undecodable > 0 {
            "has no readable `v1,<base64>` entry"
        } else {
            "has no v1 signature"
        };
        return Err(ParseError::Malformed(format!(
            "{SIGNATURE} {why}: `{}`",
            excerpt(list)
        )));
    }
    Ok(Claim {
        id: Some(id.to_string()),
        timestamp: Some(timestamp),
        tags,
        quirk: None,
    })
}
