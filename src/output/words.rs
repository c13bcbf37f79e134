//! Words shared by messages: counted nouns (`1 event`, `2 events`), and a mismatch's advice
//! with the flag that applies it.

use crate::signature::{Caveat, Mismatch, Remedy};

/// A mismatch's hint, with the flag that would accept the request when that is the fix;
/// `url_flag` is the flag that names the signed URL where the hint is shown (`--url` for
/// `verify`, `--public-url` for the listener).
pub fn advice(mismatch: &Mismatch, url_flag: &str) -> Option<String> {
    let flag = match &mismatch.remedy {
        None => return mismatch.hint.clone(),
        Some(Remedy::Scheme(scheme)) => format!("pass --scheme {scheme}"),
        Some(Remedy::AnyAge) => "or pass --tolerance off to ignore its age".to_string(),
        Some(Remedy::Url(url)) => format!("pass {url_flag} {}", crate::redact::url_text(url)),
    };
    Some(match &mismatch.hint {
        Some(hint) if matches!(mismatch.remedy, Some(Remedy::Url(_))) => format!("{hint}: {flag}"),
        Some(hint) if matches!(mismatch.remedy, Some(Remedy::Scheme(_))) => {
            format!("{hint}; {flag}")
        }
        Some(hint) => format!("{hint}, {flag}"),
        None => flag,
    })
}

/// `n` and the noun in the number it needs: `plural(1, "check", "checks")` is `1 check`.
pub fn plural(n: impl Into<u64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What a valid verdict leaves unproven, in words.
pub fn caveat(caveat: Caveat) -> &'static str {
    match caveat {
        Caveat::EventDataUnsigned => {
            "only the timestamp and token are signed: the event data is not, so it could have been changed"
        }
        Caveat::NothingSigned => "basic auth proves who sent it, not what: the body is not signed",
        Caveat::BodyUnsigned => {
            "only the V2 signature came, which covers the URL and a nonce: the body is not signed, so it could have been changed"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(plural(1u64, "event", "events"), "1 event");
        assert_eq!(plural(0u64, "event", "events"), "0 events");
        assert_eq!(plural(2u32, "check", "checks"), "2 checks");
    }
}
