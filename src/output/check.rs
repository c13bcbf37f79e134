//! The report card of `hookctl check`.

use serde_json::{Value, json};

use super::palette;
use super::words::plural;
use crate::check::{CheckResult, Mark};
use crate::providers::Event;
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

/// The card as lines: one per check, what was sent and got, and the fix for a ✗ or !.
pub fn card_lines(results: &[CheckResult]) -> Vec<String> {
    let mut lines = Vec::new();
    for r in results {
        let title = format!("{}  {}", r.number, r.name);
        let mark = match r.mark {
            Mark::Pass => palette::pass(&title),
            Mark::Fail => palette::fail(&title),
            Mark::Warn => palette::warn(&title),
            Mark::Skip => palette::dim(&format!("- {title}")),
        };
        lines.push(format!("  {mark}"));
        let detail = match r.mark {
            Mark::Skip => r.got.clone(),
            _ => format!("sent {} · got {}", r.sent, r.got),
        };
        lines.push(format!("       {}", palette::dim(&detail)));
        if let Some(fix) = &r.fix {
            lines.push(format!("       {}", palette::fix(fix)));
        }
    }
    lines.push(tally_line(results));
    lines
}

fn count(results: &[CheckResult], mark: Mark) -> usize {
    results.iter().filter(|r| r.mark == mark).count()
}

/// `7 checks passed · 1 failed · 0 warnings · 0 skipped`.
fn tally_line(results: &[CheckResult]) -> String {
    let n = |mark| count(results, mark) as u64;
    format!(
        "{} passed · {} failed · {} · {} skipped",
        plural(n(Mark::Pass), "check", "checks"),
        n(Mark::Fail),
        plural(n(Mark::Warn), "warning", "warnings"),
        n(Mark::Skip)
    )
}

/// The card as one JSON object.
pub fn card_json(url: &str, scheme: &str, results: &[CheckResult], passed: bool) -> Value {
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
            })
        })
        .collect();
    json!({"url": url, "scheme": scheme, "passed": passed, "checks": checks})
}

fn mark_name(mark: Mark) -> &'static str {
    match mark {
        Mark::Pass => "pass",
        Mark::Fail => "fail",
        Mark::Warn => "warn",
        Mark::Skip => "skip",
    }
}
