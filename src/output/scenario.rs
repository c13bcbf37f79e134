//! How scenarios look: the list of built-ins, the order line, each delivery, the tally, JSON.

use serde_json::{Value, json};

use super::delivery as show;
use super::palette;
use super::words::plural;
use crate::delivery::{Delivery, Outcome};
use crate::redact::Redactor;
use crate::scenario::Order;

/// A built-in as the list shows it.
pub struct Listed<'a> {
    /// Its provider's name.
    pub provider: &'a str,
    /// Its name.
    pub name: &'a str,
    /// Its one-line description.
    pub description: &'a str,
    /// Its steps' names, in order.
    pub steps: Vec<&'a str>,
}

/// What the list says for a provider without built-ins.
pub fn none_line(title: &str) -> String {
    format!(
        "{title} has no built-in scenarios; write your own file (see `hookctl scenario show email-engaged`)"
    )
}

/// `NAME  DESCRIPTION` lines, each followed by its steps; `grouped`, under each provider's name.
pub fn list_lines(listed: &[Listed], grouped: bool) -> Vec<String> {
    let width = listed
        .iter()
        .map(|l| l.name.len())
        .max()
        .unwrap_or(0)
        .max(4);
    let mut lines = Vec::new();
    let mut provider = None;
    for l in listed {
        if provider != Some(l.provider) {
            if grouped {
                if provider.is_some() {
                    lines.push(String::new());
                }
                lines.push(palette::title(l.provider));
            }
            lines.push(format!("{:width$}  DESCRIPTION", "NAME"));
            provider = Some(l.provider);
        }
        let pad = " ".repeat(width - l.name.len());
        lines.push(format!("{}{pad}  {}", palette::bold(l.name), l.description));
        let chain = l.steps.join(" → ");
        lines.push(format!("{}  {}", " ".repeat(width), palette::dim(&chain)));
    }
    lines
}

/// The list as a JSON array.
pub fn list_json(listed: &[Listed]) -> Value {
    listed
        .iter()
        .map(|l| {
            json!({"provider": l.provider, "name": l.name, "description": l.description, "steps": l.steps})
        })
        .collect()
}

/// `order: shuffle (seed 7): delivered, sent, opened, clicked`; a copy is `sent (copy 1)`.
pub fn order_line(order: Order, seed: Option<u64>, sequence: &[(String, u32)]) -> String {
    let seed = seed.map(|s| format!(" (seed {s})")).unwrap_or_default();
    let names: Vec<String> = sequence.iter().map(|(n, c)| named(n, *c)).collect();
    let all_at_once = if order == Order::Concurrent {
        " (all at once)"
    } else {
        ""
    };
    format!(
        "{} {order}{seed}{all_at_once}: {}",
        palette::dim("order:"),
        names.join(", ")
    )
}

/// A step's name (from a file: sanitised) and its copy number.
fn named(step: &str, copy: u32) -> String {
    let step = palette::plain(step);
    match copy {
        0 => step,
        n => format!("{step} (copy {n})"),
    }
}

/// `sent (copy 1)  email.sent evt_… → http://…` heading a delivery.
pub fn heading(step: &str, copy: u32, kind: &str, id: &str, url: &str) -> String {
    format!(
        "{}  {}",
        palette::bold(&named(step, copy)),
        show::heading(kind, id, url)
    )
}

/// The lines under a heading: the verdict, the start of the answer (all of it when `verbose`,
/// with its headers), and a hint when one helps.
pub fn verdict_lines(delivery: &Delivery, verbose: bool, redactor: &Redactor) -> Vec<String> {
    let (verdict, hint) = show::verdict(delivery);
    let mut lines = vec![redactor.text(&verdict).into_owned()];
    if let Outcome::Answered(answer) = &delivery.last.outcome {
        if verbose {
            lines.extend(show::header_lines('<', &answer.headers, redactor));
        }
        lines.extend(show::body_lines(answer, verbose));
    }
    if let Some(hint) = hint {
        lines.push(palette::hint(&redactor.text(&hint)));
    }
    lines
}

/// The last line: `4 deliveries: 4 ok` or `4 deliveries: 3 ok, 1 failed`.
pub fn tally_line(ok: usize, total: usize) -> String {
    let failed = total - ok;
    let text = format!(
        "{}: {ok} ok",
        plural(total as u64, "delivery", "deliveries")
    );
    match failed {
        0 => palette::pass(&text),
        n => palette::fail(&format!("{text}, {n} failed")),
    }
}

/// One JSON object per delivery: `send --json`'s, with the step and the copy number.
pub fn delivery_json(
    step: &str,
    copy: u32,
    kind: Option<&str>,
    id: &str,
    url: &str,
    delivery: &Delivery,
) -> Value {
    let mut doc = show::delivery_json(kind, id, url, delivery);
    if let Value::Object(map) = &mut doc {
        let mut ordered = serde_json::Map::new();
        ordered.insert("step".into(), step.into());
        ordered.insert("event".into(), kind.into());
        ordered.insert("copy".into(), copy.into());
        for (k, v) in std::mem::take(map) {
            if k != "type" {
                ordered.insert(k, v);
            }
        }
        *map = ordered;
    }
    doc
}

/// The summary after the deliveries: the order used, its seed, the tally.
pub fn summary_json(
    order: Order,
    seed: Option<u64>,
    sequence: &[(String, u32)],
    ok: usize,
) -> Value {
    let sequence: Vec<Value> = sequence
        .iter()
        .map(|(step, copy)| json!({"step": step, "copy": copy}))
        .collect();
    json!({
        "summary": true,
        "order": order.to_string(),
        "seed": seed,
        "sequence": sequence,
        "deliveries": sequence.len(),
        "ok": ok,
        "failed": sequence.len() - ok,
    })
}

/// What `scenario from -o FILE` says once the file is written.
pub fn written(file: &str, requests: usize) -> String {
    let s = if requests == 1 { "" } else { "s" };
    format!(
        "wrote {file}: {requests} step{s}, one for each saved request; run it with `hookctl scenario run {file} --url URL` and the signing flags `send` takes"
    )
}
