//! Running totals for the exit summary, bounded whatever the senders put in their events.

use std::collections::BTreeMap;

use super::Record;
use crate::signature::Verdict;

/// Longest event type kept by name, in characters; longer ones are cut.
pub const TYPE_CHARS: usize = 100;
/// Distinct event types kept by name; the rest are counted together as [`Kind::OtherTypes`].
pub const TYPES: usize = 1000;

/// What deliveries are counted under in the summary: a sender's type can never pass for one of
/// the others (a type named `(no type)` is still a name).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// A JSON object without a string `type`.
    NoType,
    /// A body that is not JSON.
    NotJson,
    /// Types beyond the first [`TYPES`].
    OtherTypes,
    /// The event's `type`, cut to [`TYPE_CHARS`].
    Named(String),
}

/// Running totals for the exit summary.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    /// Deliveries per event type.
    pub by_type: BTreeMap<Kind, u64>,
    /// Requests refused before being read (404, 405, 408, 413, 400, malformed).
    pub refused: u64,
    /// Valid signatures among deliveries.
    pub valid: u64,
    /// Invalid signatures.
    pub invalid: u64,
    /// Deliveries without a signature header.
    pub unsigned: u64,
    /// Deliveries not checked (no secret).
    pub unchecked: u64,
    /// Deliveries whose sender hung up before the answer (counted above too).
    pub abandoned: u64,
    /// Requests that could not be recorded (the output was closed): answered 503.
    pub unrecorded: u64,
    /// Requests answered 503 at once: no room to record them in time.
    pub turned_away: u64,
    /// Deliveries that could not be saved (answered 503, so not acknowledged).
    pub unsaved: u64,
}

impl Tally {
    /// Counts one record.
    pub fn add(&mut self, record: &Record) {
        if !record.is_delivery() {
            self.refused += 1;
            return;
        }
        self.abandoned += u64::from(record.abandoned);
        let readable = record.shape.json || record.shape.form;
        let kind = match (readable, record.event_type()) {
            (false, _) => Kind::NotJson,
            (true, None) => Kind::NoType,
            (true, Some(t)) => Kind::Named(cut(t).to_string()),
        };
        let kind = if self.by_type.len() < TYPES || self.by_type.contains_key(&kind) {
            kind
        } else {
            Kind::OtherTypes
        };
        *self.by_type.entry(kind).or_default() += 1;
        if matches!(record.saved, Some(Err(_))) {
            self.unsaved += 1;
        }
        match record.signature {
            None => self.unchecked += 1,
            Some(Verdict::Valid) => self.valid += 1,
            Some(Verdict::Invalid(_)) => self.invalid += 1,
            Some(Verdict::Unsigned) => self.unsigned += 1,
        }
    }

    /// Deliveries read whole: each has exactly one verdict.
    pub fn deliveries(&self) -> u64 {
        self.valid + self.invalid + self.unsigned + self.unchecked
    }

    /// Deliveries whose signature did not verify (invalid or missing); 0 without a secret.
    pub fn failed_verification(&self) -> u64 {
        self.invalid + self.unsigned
    }
}

/// The first [`TYPE_CHARS`] characters of `kind`.
fn cut(kind: &str) -> &str {
    match kind.char_indices().nth(TYPE_CHARS) {
        Some((end, _)) => &kind[..end],
        None => kind,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_type_is_cut_at_a_character_boundary() {
        let long = "é".repeat(TYPE_CHARS + 5);
        assert_eq!(cut(&long).chars().count(), TYPE_CHARS);
        assert_eq!(cut("email.sent"), "email.sent");
    }
}
