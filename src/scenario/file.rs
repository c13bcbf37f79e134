//! A scenario's TOML text into a [`Scenario`], every value keeping its line for messages.

use std::time::Duration;

use serde_json::Value;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::values::Tpl;
use super::{Problem, Scenario, ScenarioError, Source, Step, Var};

/// Keys a scenario's top level may have.
const TOP_KEYS: &[&str] = &["description", "provider", "vars", "steps"];
/// Keys a step may have.
const STEP_KEYS: &[&str] = &["name", "event", "body", "set", "after", "delay"];
/// Time between steps unless `after` says otherwise (the first step's is zero).
const DEFAULT_AFTER: Duration = Duration::from_secs(1);

/// Byte offsets to 1-based lines.
struct Lines<'a> {
    text: &'a str,
    origin: &'a str,
}

impl Lines<'_> {
    fn of<T>(&self, spanned: &Spanned<T>) -> usize {
        let at = spanned.span().start.min(self.text.len());
        self.text[..at].matches('\n').count() + 1
    }

    fn error(&self, line: Option<usize>, problem: Problem) -> ScenarioError {
        ScenarioError {
            origin: self.origin.to_string(),
            line,
            problem: Box::new(problem),
        }
    }

    fn shape(&self, line: usize, message: String) -> ScenarioError {
        self.error(Some(line), Problem::Shape(message))
    }
}

/// Parses `text`; `origin` names it in messages.
pub(super) fn parse(text: &str, origin: &str) -> Result<Scenario, ScenarioError> {
    let lines = Lines { text, origin };
    let root = DeTable::parse(text).map_err(|e| {
        let line = e.span().map(|s| lines.of(&Spanned::new(s, ())));
        lines.error(line, Problem::Toml(e.message().trim().to_string()))
    })?;
    let root = root.into_inner();
    for (key, _) in root.iter() {
        known_key(&lines, key, TOP_KEYS, "at the top of a scenario")?;
    }
    let description = optional_string(&lines, &root, "description")?.map(|(s, _)| s);
    let provider = optional_string(&lines, &root, "provider")?;
    let vars = match root.get("vars") {
        None => Vec::new(),
        Some(v) => vars(&lines, v)?,
    };
    let steps = match root.get("steps") {
        Some(v) => steps(&lines, v)?,
        None => return Err(lines.error(None, Problem::Shape(no_steps()))),
    };
    Ok(Scenario {
        origin: origin.to_string(),
        description,
        provider,
        vars,
        steps,
    })
}

fn no_steps() -> String {
    "the scenario has no steps; add [[steps]] tables, each with an `event` (or a `body`)".into()
}

fn known_key(
    lines: &Lines,
    key: &Spanned<std::borrow::Cow<str>>,
    known: &[&str],
    place: &str,
) -> Result<(), ScenarioError> {
    if known.contains(&key.get_ref().as_ref()) {
        return Ok(());
    }
    Err(lines.shape(
        lines.of(key),
        format!(
            "unknown key `{}` {place}; the keys are {}",
            key.get_ref(),
            known.join(", ")
        ),
    ))
}

/// A string value at `key`, and its line.
fn optional_string(
    lines: &Lines,
    table: &DeTable,
    key: &str,
) -> Result<Option<(String, usize)>, ScenarioError> {
    match table.get(key) {
        None => Ok(None),
        Some(v) => match v.get_ref() {
            DeValue::String(s) => Ok(Some((s.to_string(), lines.of(v)))),
            _ => Err(lines.shape(lines.of(v), format!("`{key}` must be a string"))),
        },
    }
}

fn vars(lines: &Lines, value: &Spanned<DeValue>) -> Result<Vec<Var>, ScenarioError> {
    let DeValue::Table(table) = value.get_ref() else {
        return Err(lines.shape(lines.of(value), "`vars` must be a table".into()));
    };
    Ok(table
        .iter()
        .map(|(k, v)| Var {
            name: k.get_ref().to_string(),
            value: tpl(lines, v),
        })
        .collect())
}

fn steps(lines: &Lines, value: &Spanned<DeValue>) -> Result<Vec<Step>, ScenarioError> {
    let DeValue::Array(items) = value.get_ref() else {
        return Err(lines.shape(
            lines.of(value),
            "`steps` must be an array of tables: write each as [[steps]]".into(),
        ));
    };
    if items.is_empty() {
        return Err(lines.shape(lines.of(value), no_steps()));
    }
    let mut steps: Vec<Step> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let step = self::step(lines, item, i)?;
        if steps.iter().any(|s| s.name == step.name) {
            return Err(lines.shape(
                step.line,
                format!(
                    "two steps are named \"{}\"; give each a `name` of its own",
                    step.name
                ),
            ));
        }
        steps.push(step);
    }
    Ok(steps)
}

fn step(lines: &Lines, value: &Spanned<DeValue>, index: usize) -> Result<Step, ScenarioError> {
    let line = lines.of(value);
    let DeValue::Table(table) = value.get_ref() else {
        return Err(lines.shape(
            line,
            "each step must be a table: write it as [[steps]]".into(),
        ));
    };
    for (key, _) in table.iter() {
        known_key(lines, key, STEP_KEYS, "in a step")?;
    }
    let event = optional_string(lines, table, "event")?;
    let source = match (event, table.get("body")) {
        (Some((name, line)), None) => Source::Event { name, line },
        (None, Some(body)) => Source::Body(tpl(lines, body)),
        (Some((_, at)), Some(_)) => {
            return Err(lines.shape(at, "a step has an `event` or a `body`, not both".into()));
        }
        (None, None) => {
            return Err(lines.shape(
                line,
                "a step needs an `event` from the provider's catalog, or a whole `body`".into(),
            ));
        }
    };
    let name = match (optional_string(lines, table, "name")?, &source) {
        (Some((name, _)), _) => name,
        (None, Source::Event { name, .. }) => name.clone(),
        (None, Source::Body(_)) => format!("step-{}", index + 1),
    };
    let default_after = if index == 0 {
        Duration::ZERO
    } else {
        DEFAULT_AFTER
    };
    Ok(Step {
        line: lines.of(value),
        set: match table.get("set") {
            Some(set) => self::set(lines, set)?,
            None => Vec::new(),
        },
        after: duration(lines, table, "after")?.unwrap_or(default_after),
        delay: duration(lines, table, "delay")?.unwrap_or_default(),
        name,
        source,
    })
}

fn duration(lines: &Lines, table: &DeTable, key: &str) -> Result<Option<Duration>, ScenarioError> {
    let Some((text, line)) = optional_string(lines, table, key).map_err(|e| {
        let line = e.line.unwrap_or_default();
        lines.shape(
            line,
            format!("`{key}` must be a duration in quotes, like {key} = \"2s\""),
        )
    })?
    else {
        return Ok(None);
    };
    humantime::parse_duration(text.trim()).map(Some).map_err(|e| {
        lines.shape(
            line,
            format!("`{key} = \"{text}\"` is not a duration ({e}); write one like \"2s\", \"5m\" or \"1h\""),
        )
    })
}

/// `set`'s entries as dotted paths: a nested table sets each of its leaves.
fn set(
    lines: &Lines,
    value: &Spanned<DeValue>,
) -> Result<Vec<(String, Tpl, usize)>, ScenarioError> {
    let DeValue::Table(table) = value.get_ref() else {
        return Err(lines.shape(
            lines.of(value),
            "`set` must be a table of PATH = value, like set = { \"data.to\" = \"me@example.com\" }".into(),
        ));
    };
    let mut out = Vec::new();
    flatten(lines, table, "", &mut out);
    for (path, _, line) in &out {
        if path.split('.').any(str::is_empty) {
            return Err(lines.shape(
                *line,
                format!("the `set` path `{path}` has an empty segment; write segments separated by single dots"),
            ));
        }
    }
    Ok(out)
}

fn flatten(lines: &Lines, table: &DeTable, prefix: &str, out: &mut Vec<(String, Tpl, usize)>) {
    for (key, value) in table.iter() {
        let path = format!("{prefix}{}", key.get_ref());
        match value.get_ref() {
            DeValue::Table(inner) if !inner.is_empty() => {
                flatten(lines, inner, &format!("{path}."), out)
            }
            _ => out.push((path, tpl(lines, value), lines.of(value))),
        }
    }
}

/// A TOML value as a [`Tpl`]; dates and times become their text.
fn tpl(lines: &Lines, value: &Spanned<DeValue>) -> Tpl {
    match value.get_ref() {
        DeValue::String(s) => Tpl::Text {
            text: s.to_string(),
            line: lines.of(value),
        },
        DeValue::Integer(i) => Tpl::Plain(integer(i.as_str(), i.radix())),
        DeValue::Float(f) => Tpl::Plain(float(f.as_str())),
        DeValue::Boolean(b) => Tpl::Plain(Value::Bool(*b)),
        DeValue::Datetime(d) => Tpl::Plain(Value::String(d.to_string())),
        DeValue::Array(items) => Tpl::List(items.iter().map(|i| tpl(lines, i)).collect()),
        DeValue::Table(table) => Tpl::Table(
            table
                .iter()
                .map(|(k, v)| (k.get_ref().to_string(), tpl(lines, v)))
                .collect(),
        ),
    }
}

fn integer(digits: &str, radix: u32) -> Value {
    let digits = digits.replace('_', "");
    i64::from_str_radix(&digits, radix)
        .map(Value::from)
        .unwrap_or(Value::String(digits))
}

fn float(text: &str) -> Value {
    let text = text.replace('_', "");
    text.parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
        .map_or(Value::String(text), Value::Number)
}
