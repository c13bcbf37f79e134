//! Standard Webhooks: `webhook-id`, `webhook-timestamp` and `webhook-signature: v1,<base64>`
//! (a space-separated list, any entry may match) over `id.timestamp.body`. Svix and Resend send
//! the same under `svix-*` names; both families are read, `svix-*` first, as the svix library
//! reads them.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;

use super::mac::Tag;
use super::{Claim, Headers, ParseError, Quirk, Slip, Stamp, excerpt, single};

/// The names of the three headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Family {
    pub(super) id: &'static str,
    pub(super) timestamp: &'static str,
    pub(super) signature: &'static str,
}

/// The names of the Standard Webhooks specification (Svix's white-label accounts).
pub(super) const WEBHOOK: Family = Family {
    id: "webhook-id",
    timestamp: "webhook-timestamp",
    signature: "webhook-signature",
};

/// The names Svix's hosted service and Resend send.
pub(super) const SVIX: Family = Family {
    id: "svix-id",
    timestamp: "svix-timestamp",
    signature: "svix-signature",
};

pub(super) fn render(tag: &Tag, stamp: &Stamp, family: &Family) -> Vec<(String, String)> {
    render_as("v1", tag, stamp, family)
}

/// The three headers carrying `signature` as a `version` entry.
pub(super) fn render_as(
    version: &str,
    signature: &[u8],
    stamp: &Stamp,
    family: &Family,
) -> Vec<(String, String)> {
    vec![
        (family.id.to_string(), stamp.id.clone()),
        (family.timestamp.to_string(), stamp.timestamp.to_string()),
        (
            family.signature.to_string(),
            format!("{version},{}", BASE64.encode(signature)),
        ),
    ]
}

/// A signature list: the entries of `older` (made with another key) before those of `newer`, one
/// space apart, as a sender rotating its secret sends both.
pub(super) fn listed(older: &str, newer: &str) -> String {
    format!("{older} {newer}")
}

/// The name of one of the three headers as the request carries it, `svix-*` first (as the svix
/// library reads them); `expected`'s when it carries neither.
fn present(
    headers: &Headers,
    pick: fn(&Family) -> &'static str,
    expected: &Family,
) -> &'static str {
    [&SVIX, &WEBHOOK]
        .into_iter()
        .map(pick)
        .find(|name| headers.contains(name))
        .unwrap_or(pick(expected))
}

/// Reads either family's `version` entries (`v1` HMAC, `v1a` Ed25519); `expected` names the
/// headers in a message when none is there.
pub(super) fn parse(
    headers: &Headers,
    expected: &Family,
    version: &str,
) -> Result<Claim, ParseError> {
    let signature = present(headers, |f| f.signature, expected);
    let list = single(headers, signature)?;
    let family = if signature == SVIX.signature {
        &SVIX
    } else {
        &WEBHOOK
    };
    let companion = |pick: fn(&Family) -> &'static str| {
        let name = present(headers, pick, family);
        let value = single(headers, name).map_err(|e| match e {
            ParseError::Missing(_) => ParseError::Malformed(format!(
                "{signature} is present but {name} is missing; Standard Webhooks signs id.timestamp.body"
            )),
            other => other,
        })?;
        Ok::<_, ParseError>((name, value))
    };
    let (_, id) = companion(|f| f.id)?;
    let (name, timestamp) = companion(|f| f.timestamp)?;
    let timestamp: i64 = timestamp.parse().map_err(|_| {
        ParseError::Malformed(format!(
            "{name} should be unix seconds, got `{}`",
            excerpt(timestamp)
        ))
    })?;
    let mut tags = Vec::new();
    let mut slips = Vec::new();
    // The svix library stops at the first entry it cannot read, rejecting the request: only
    // the entries before it can make a delivery valid there.
    let mut stopped = false;
    let mut unreadable = 0;
    // Split on single spaces as the library does: a doubled space is an empty entry to it.
    for entry in list.split(' ') {
        match entry.split(',').collect::<Vec<_>>().as_slice() {
            [v, encoded] if *v == version => match (BASE64.decode(encoded), stopped) {
                (Ok(tag), false) => tags.push(tag),
                (Ok(tag), true) => slips.push(Slip {
                    tag,
                    quirk: Quirk::AfterUnreadableEntry,
                }),
                (Err(_), _) => {
                    unreadable += 1;
                    stopped = true;
                }
            },
            // Other versions are other kinds of signature (v1 HMAC, v1a Ed25519).
            [_, _] => {}
            _ => {
                unreadable += 1;
                stopped = true;
            }
        }
    }
    if tags.is_empty() && slips.is_empty() {
        let why = if unreadable > 0 {
            format!("has no readable `{version},<base64>` entry")
        } else {
            format!("has no {version} signature")
        };
        return Err(ParseError::Malformed(format!(
            "{signature} {why}: `{}`",
            excerpt(list)
        )));
    }
    Ok(Claim {
        id: Some(id.to_string()),
        timestamp: Some(timestamp),
        tags,
        quirk: None,
        slips,
    })
}
