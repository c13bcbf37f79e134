//! The report card of `hookctl check`.

use serde_json::{Value, json};

use super::palette;
use super::words::plural;
use crate::check::{CheckResult, Mark, is_certificate_problem};
use crate::delivery::Failure;
use crate::providers::Event;
use crate::redact::Redactor;
use crate::signature::Signer;

/// `Checking URL as a provider would (scheme, header, event)`; `url` as it may be shown.
pub fn heading(url: &str, signer: &Signer, event: &Event) -> String {
    format!(
        "Checking {} as a provider would ({}, {}, {event})",
        palette::plain(url),
        signer.scheme(),
        signer.header()
    )
}

/// How much of a failed check's answer body is shown, in bytes.
const ANSWER_SHOWN: usize = 200;

/// One check's lines: its mark and title, what was sent and got, and for a ✗ or ! the start of
/// the answer, the fix, and a hint where one helps. Secrets hidden.
pub fn check_lines(r: &CheckResult, redactor: &Redactor) -> Vec<String> {
    let title = format!("{}  {}", r.number, r.name);
    let mark = match r.mark {
        Mark::Pass => palette::pass(&title),
        Mark::Fail => palette::fail(&title),
        Mark::Warn => palette::warn(&title),
        Mark::Skip => palette::dim(&format!("- {title}")),
    };
    let mut lines = vec![format!("  {mark}")];
    let detail = match r.mark {
        Mark::Skip => r.got.clone(),
        _ => format!("sent {} · got {}", r.sent, r.got),
    };
    lines.push(format!("       {}", palette::dim(&redactor.text(&detail))));
    if let Some(answer) = shown_answer(r, redactor) {
        lines.push(format!(
            "       {} {}",
            palette::dim("answer:"),
            palette::plain(&answer)
        ));
    }
    if let Some(fix) = &r.fix {
        lines.push(format!("       {}", palette::fix(&redactor.text(fix))));
    }
    if let Some(hint) = hint(r) {
        lines.push(format!("       {}", palette::hint(hint)));
    }
    lines
}

/// The start of a failed check's answer body as shown: secrets hidden first, then cut at
/// [`ANSWER_SHOWN`] bytes (on a character), `…` when cut.
pub(super) fn shown_answer(r: &CheckResult, redactor: &Redactor) -> Option<String> {
    let answer = r.answer.as_deref()?;
    let hidden = redactor.text(answer);
    if hidden.len() <= ANSWER_SHOWN {
        return Some(hidden.into_owned());
    }
    let mut end = ANSWER_SHOWN;
    while !hidden.is_char_boundary(end) {
        end -= 1;
    }
    Some(format!("{}…", hidden[..end].trim_end()))
}

/// A hint in flag terms, for a failure the core names without them.
fn hint(r: &CheckResult) -> Option<&'static str> {
    match &r.failure {
        Some(Failure::Tls(e)) if is_certificate_problem(e) => {
            Some("for a self-signed certificate on a test server, pass --insecure")
        }
        _ => None,
    }
}

fn count(results: &[CheckResult], mark: Mark) -> usize {
    results.iter().filter(|r| r.mark == mark).count()
}

/// `7 checks passed · 1 failed · 0 warnings · 0 skipped`.
pub fn tally_line(results: &[CheckResult]) -> String {
    let n = |mark| count(results, mark) as u64;
    format!(
        "{} passed · {} failed · {} · {} skipped",
        plural(n(Mark::Pass), "check", "checks"),
        n(Mark::Fail),
        plural(n(Mark::Warn), "warning", "warnings"),
        n(Mark::Skip)
    )
}

/// The card as one JSON object, secrets hidden. Each check carries its numeric `status` and
/// `latency_ms` (`null` when nothing answered or nothing was sent) and the start of the
/// `answer` body of a failure or warning.
pub fn card_json(
    url: &str,
    scheme: &str,
    results: &[CheckResult],
    passed: bool,
    redactor: &Redactor,
) -> Value {
    let checks: Vec<Value> = results
        .iter()
        .map(|r| {
            json!({
                "number": r.number,
                "name": r.name,
                "mark": mark_name(r.mark),
                "sent": r.sent,
                "got": r.got,
                "fix": r.fix,
                "status": r.status,
                "latency_ms": r.latency.map(latency_ms),
                "answer": shown_answer(r, redactor),
            })
        })
        .collect();
    let mut card = json!({"url": url, "scheme": scheme, "passed": passed, "checks": checks});
    redactor.json(&mut card);
    card
}

/// Milliseconds to the microsecond.
fn latency_ms(latency: std::time::Duration) -> f64 {
    (latency.as_secs_f64() * 1e6).round() / 1e3
}

fn mark_name(mark: Mark) -> &'static str {
    match mark {
        Mark::Pass => "pass",
        Mark::Fail => "fail",
        Mark::Warn => "warn",
        Mark::Skip => "skip",
    }
}
