//! `check --junit FILE`: the report card as JUnit XML, so that `check` runs as a test step in CI.
//!
//! One `testsuite` named `hookctl-check` with one `testcase` per check run: a failure is a
//! `failure` element (the fix as its message; what was sent and got, the start of the answer and
//! the fix as its text), a skipped check a `skipped` element with the reason, a warning a
//! passing case with the warning in `system-out` (a `failure` under `--strict`). Times in seconds.

use std::fmt::Write;
use std::time::Duration;

use super::check::shown_answer;
use super::sanitize;
use crate::check::{CheckResult, Mark};
use crate::redact::Redactor;

/// The JUnit XML document for `results`, secrets hidden; `strict` makes warnings failures.
pub fn report(
    url: &str,
    scheme: &str,
    results: &[CheckResult],
    strict: bool,
    redactor: &Redactor,
) -> String {
    let failed = |r: &&CheckResult| r.mark == Mark::Fail || (strict && r.mark == Mark::Warn);
    let failures = results.iter().filter(failed).count();
    let skipped = results.iter().filter(|r| r.mark == Mark::Skip).count();
    let total: Duration = results.iter().map(|r| r.elapsed).sum();
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<testsuite name=\"hookctl-check\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\" time=\"{}\">",
        results.len(),
        seconds(total)
    );
    let _ = writeln!(
        xml,
        "  <properties>\n    <property name=\"url\" value=\"{}\"/>\n    <property name=\"scheme\" value=\"{}\"/>\n  </properties>",
        escape(&redactor.text(url)),
        escape(scheme)
    );
    for r in results {
        xml.push_str(&testcase(r, strict, redactor));
    }
    xml.push_str("</testsuite>\n");
    xml
}

fn testcase(r: &CheckResult, strict: bool, redactor: &Redactor) -> String {
    let hide = |text: &str| escape(&redactor.text(text));
    let mut case = format!(
        "  <testcase classname=\"hookctl-check\" name=\"{} {}\" time=\"{}\"",
        r.number,
        hide(r.name),
        seconds(r.elapsed)
    );
    let details = || {
        let mut lines = vec![format!("sent {}", r.sent), format!("got {}", r.got)];
        lines.extend(shown_answer(r, redactor).map(|a| format!("answer: {a}")));
        lines.extend(r.fix.as_ref().map(|f| format!("fix: {f}")));
        lines.iter().map(|l| hide(l)).collect::<Vec<_>>().join("\n")
    };
    let message = || hide(r.fix.as_deref().unwrap_or(&r.got));
    match r.mark {
        Mark::Pass => case.push_str("/>\n"),
        Mark::Skip => {
            let _ = write!(
                case,
                ">\n    <skipped message=\"{}\"/>\n  </testcase>\n",
                hide(&r.got)
            );
        }
        Mark::Fail => {
            let _ = write!(
                case,
                ">\n    <failure type=\"fail\" message=\"{}\">{}</failure>\n  </testcase>\n",
                message(),
                details()
            );
        }
        Mark::Warn if strict => {
            let _ = write!(
                case,
                ">\n    <failure type=\"warning\" message=\"{}\">{}</failure>\n  </testcase>\n",
                message(),
                details()
            );
        }
        Mark::Warn => {
            let _ = write!(
                case,
                ">\n    <system-out>warning:\n{}</system-out>\n  </testcase>\n",
                details()
            );
        }
    }
    case
}

/// Seconds with millisecond precision, as JUnit's `time` attributes take them.
fn seconds(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64())
}

/// `text` safe inside XML text and attribute values: the five markup characters as entities, and
/// every character a terminal acts on (and XML 1.0 forbids: most controls) as a visible escape.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in sanitize::escape(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Not characters XML 1.0 allows, and not unsafe to a terminal.
            '\u{fffe}' | '\u{ffff}' => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{escape, report};
    use crate::check::{CheckResult, Mark};
    use crate::redact::Redactor;

    #[test]
    fn a_warning_passes_with_its_text_and_fails_under_strict() {
        let slow = CheckResult::new(
            7,
            "latency stays well inside the budget",
            Mark::Warn,
            "5 signed events".into(),
            "median 1.2 s, max 1.3 s".into(),
            Some("move work out of the request".into()),
        );
        let results = [slow];
        let lenient = report(
            "http://127.0.0.1:1/",
            "ekdsend",
            &results,
            false,
            &Redactor::new(None),
        );
        assert!(lenient.contains("failures=\"0\""), "{lenient}");
        assert!(
            lenient.contains("<system-out>warning:\nsent 5 signed events\ngot median 1.2 s, max 1.3 s\nfix: move work out of the request</system-out>"),
            "{lenient}"
        );
        let strict = report(
            "http://127.0.0.1:1/",
            "ekdsend",
            &results,
            true,
            &Redactor::new(None),
        );
        assert!(strict.contains("failures=\"1\""), "{strict}");
        assert!(
            strict.contains("<failure type=\"warning\" message=\"move work out of the request\">"),
            "{strict}"
        );
    }

    #[test]
    fn markup_and_forbidden_characters_are_escaped() {
        assert_eq!(
            escape("<a href=\"x\">&'</a>\u{1b}[31m\u{0}\u{fffe}"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;\\u{1b}[31m\\u{0}\\u{fffe}"
        );
    }
}
