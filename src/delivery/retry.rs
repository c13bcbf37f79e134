//! When to try a delivery again, and how long to wait: the provider's exponential backoff with
//! full jitter, and `Retry-After` honoured within a cap.

use std::time::{Duration, SystemTime};

use super::{Answer, Outcome};

/// How a failed delivery is retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0: one request).
    pub retries: u32,
    /// The first backoff ceiling; it doubles with each retry.
    pub backoff: Duration,
    /// No wait, backoff or `Retry-After`, is longer than this.
    pub max_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            retries: 0,
            backoff: Duration::from_secs(1),
            max_wait: Duration::from_secs(60),
        }
    }
}

/// Why the next attempt waits as long as it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitReason {
    /// Exponential backoff with full jitter.
    Backoff,
    /// The endpoint's `Retry-After` header (capped).
    RetryAfter,
}

impl RetryPolicy {
    /// Whether an attempt's outcome is worth retrying: network failures, timeouts, 5xx, 408, 429.
    pub fn retryable(outcome: &Outcome) -> bool {
        match outcome {
            Outcome::Failed(_) => true,
            Outcome::Answered(a) => a.status >= 500 || a.status == 408 || a.status == 429,
        }
    }

    /// The wait before retry number `retry` (1-based) after `outcome`.
    pub fn wait(&self, retry: u32, outcome: &Outcome) -> (Duration, WaitReason) {
        if let Outcome::Answered(answer) = outcome
            && let Some(after) = retry_after(answer)
        {
            return (after.min(self.max_wait), WaitReason::RetryAfter);
        }
        let ceiling = self
            .backoff
            .saturating_mul(
                1u32.checked_shl(retry.saturating_sub(1))
                    .unwrap_or(u32::MAX),
            )
            .min(self.max_wait);
        let jittered = ceiling.mul_f64(rand::random::<f64>());
        (jittered, WaitReason::Backoff)
    }
}

/// `Retry-After` on a 429 or 503: delay-seconds or an HTTP date.
fn retry_after(answer: &Answer) -> Option<Duration> {
    if answer.status != 429 && answer.status != 503 {
        return None;
    }
    let value = answer.header("retry-after")?;
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, retry_after: Option<&str>) -> Outcome {
        let mut headers = http::HeaderMap::new();
        if let Some(v) = retry_after {
            headers.insert("Retry-After", v.parse().unwrap());
        }
        Outcome::Answered(Answer {
            status,
            reason: "",
            headers,
            body: Default::default(),
            body_truncated: false,
        })
    }

    #[test]
    fn retries_server_errors_timeouts_and_throttling_only() {
        for status in [500, 502, 503, 408, 429] {
            assert!(RetryPolicy::retryable(&answer(status, None)), "{status}");
        }
        for status in [200, 204, 301, 400, 401, 404, 410, 422] {
            assert!(!RetryPolicy::retryable(&answer(status, None)), "{status}");
        }
    }

    #[test]
    fn backoff_doubles_within_full_jitter_and_the_cap() {
        let policy = RetryPolicy {
            retries: 10,
            backoff: Duration::from_millis(100),
            max_wait: Duration::from_millis(500),
        };
        for _ in 0..200 {
            let (first, why) = policy.wait(1, &answer(500, None));
            assert!(first <= Duration::from_millis(100) && why == WaitReason::Backoff);
            assert!(policy.wait(3, &answer(500, None)).0 <= Duration::from_millis(400));
            assert!(policy.wait(30, &answer(500, None)).0 <= Duration::from_millis(500));
        }
    }

    #[test]
    fn retry_after_is_honoured_on_429_and_503_within_the_cap() {
        let policy = RetryPolicy {
            max_wait: Duration::from_secs(30),
            ..Default::default()
        };
        assert_eq!(
            policy.wait(1, &answer(429, Some("7"))),
            (Duration::from_secs(7), WaitReason::RetryAfter)
        );
        assert_eq!(
            policy.wait(1, &answer(503, Some("3600"))).0,
            Duration::from_secs(30)
        );
        let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(20));
        let (wait, why) = policy.wait(1, &answer(503, Some(&date)));
        assert!(
            why == WaitReason::RetryAfter && wait > Duration::from_secs(15),
            "{wait:?}"
        );
        assert_eq!(
            policy.wait(1, &answer(500, Some("7"))).1,
            WaitReason::Backoff
        );
    }
}
