//! Counted nouns in messages: `1 event`, `2 events`.

/// `n` and the noun in the number it needs: `plural(1, "check", "checks")` is `1 check`.
pub fn plural(n: impl Into<u64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
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
