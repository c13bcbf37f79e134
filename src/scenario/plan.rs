//! A scenario rendered up front: every step's final body, id and time, or the first error.

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use serde_json::Value;

use super::values::{Fault, Scope};
use super::{Planned, Problem, Scenario, ScenarioError, Source, Step};
use crate::catalog::new_id;
use crate::patch::Assignment;
use crate::providers::{BodyKind, Provider};

/// Renders every step; the last happens at `now`, the earlier ones `after` by `after` before.
pub(super) fn plan(
    scenario: &Scenario,
    provider: &Provider,
    now: Timestamp,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<Planned>, ScenarioError> {
    let fail = |(line, problem): Fault| scenario.error(Some(line), *problem);
    let names: Vec<String> = scenario.steps.iter().map(|s| s.name.clone()).collect();
    let mut at = first_time(scenario, now)?;
    let vars = vars(scenario, &names, now, env).map_err(fail)?;
    let mut earlier: Vec<(String, Value)> = Vec::new();
    let mut planned = Vec::new();
    for step in &scenario.steps {
        at += signed(step.after);
        let scope = Scope {
            within: format!("step \"{}\"", step.name),
            names: &names,
            earlier: &earlier,
            vars: &vars,
            env,
            now: at,
        };
        let value = render(step, provider, &scope, at).map_err(fail)?;
        let event = match &step.source {
            Source::Event { name, .. } => Some(name.clone()),
            Source::Body(_) => provider.type_of(provider.first(&value)),
        };
        let id = provider
            .id_of(provider.first(&value))
            .map_or_else(|| new_id("msg_"), str::to_string);
        planned.push(Planned {
            name: step.name.clone(),
            event,
            body: provider.encode(&value),
            value: value.clone(),
            id,
            at,
            delay: step.delay,
        });
        earlier.push((step.name.clone(), value));
    }
    Ok(planned)
}

/// When the first step happens: `now` less every `after`, or an error at the step whose
/// `after` takes the run back past the earliest time a timestamp holds.
fn first_time(scenario: &Scenario, now: Timestamp) -> Result<Timestamp, ScenarioError> {
    let mut total = Duration::ZERO;
    for step in &scenario.steps {
        let back = total
            .checked_add(step.after)
            .and_then(|t| now.checked_sub(signed(t)).ok().map(|_| t));
        let Some(back) = back else {
            let why = "the `after`s up to this step reach back before the earliest time a \
                timestamp holds; shorten them";
            return Err(scenario.error(Some(step.line), Problem::Shape(why.into())));
        };
        total = back;
    }
    Ok(now - signed(total))
}

fn signed(d: Duration) -> SignedDuration {
    SignedDuration::try_from(d).unwrap_or(SignedDuration::MAX)
}

/// The vars, in written order, each seeing the ones above it; `${now}` is the run's end.
fn vars(
    scenario: &Scenario,
    names: &[String],
    now: Timestamp,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<(String, Value)>, Fault> {
    let mut vars = Vec::new();
    for var in &scenario.vars {
        let scope = Scope {
            within: format!("var \"{}\"", var.name),
            names,
            earlier: &[],
            vars: &vars,
            env,
            now,
        };
        let value = var.value.resolve(&scope)?;
        vars.push((var.name.clone(), value));
    }
    Ok(vars)
}

/// One step's final body: the catalog sample at `at` or its own body, then its `set`.
fn render(step: &Step, provider: &Provider, scope: &Scope, at: Timestamp) -> Result<Value, Fault> {
    let mut value = match &step.source {
        Source::Event { name, line } => {
            let event = provider.event(name).map_err(|e| {
                let problem = Problem::UnknownEvent {
                    step: step.name.clone(),
                    why: e.to_string(),
                    provider: provider.name.to_string(),
                };
                (*line, Box::new(problem))
            })?;
            provider.sample(event, at).value
        }
        Source::Body(body) => {
            let value = body.resolve(scope)?;
            if provider.body == BodyKind::Form && !value.is_object() {
                let why = format!(
                    "step \"{}\": {} sends form fields, so its `body` must be a table of them, like body = {{ MessageStatus = \"sent\" }}",
                    step.name, provider.title
                );
                return Err((step.line, Box::new(Problem::Shape(why))));
            }
            value
        }
    };
    for (path, tpl, line) in &step.set {
        let assignment = Assignment {
            path: path.clone(),
            value: tpl.resolve(scope)?,
        };
        provider
            .apply(&mut value, std::slice::from_ref(&assignment))
            .map_err(|e| {
                let problem = Problem::Set {
                    step: step.name.clone(),
                    why: e.to_string(),
                };
                (*line, Box::new(problem))
            })?;
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::providers;
    use crate::scenario::parse;

    fn plan_error(text: &str) -> String {
        let scenario = match parse(text, "s.toml") {
            Ok(s) => s,
            Err(e) => return e.to_string(),
        };
        let provider = providers::default();
        scenario
            .plan(provider, jiff::Timestamp::now(), &|_| None)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn bodies_sets_and_vars_render_in_written_order() {
        let text = r#"
[vars]
n = 0x10
who = "${env:WHO|nobody}"
[[steps]]
name = "mine"
body = { id = "evt_1", type = "my.thing", data = { n = "${vars.n}", f = 1.5, ok = true } }
set = { data.who = "${vars.who}", "data.tag" = "t-${steps.mine.id}" }
"#;
        let scenario = parse(text, "s.toml").unwrap();
        let now = jiff::Timestamp::now();
        let err = scenario
            .plan(providers::default(), now, &|_| None)
            .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("s.toml line 8: step \"mine\" refers to ${steps.mine.id}"),
            "{err}"
        );
        let text = text.replace("${steps.mine.id}", "x");
        let planned = parse(&text, "s.toml")
            .unwrap()
            .plan(providers::default(), now, &|_| None)
            .unwrap();
        assert_eq!(planned[0].event.as_deref(), Some("my.thing"));
        assert_eq!(planned[0].id, "evt_1");
        assert_eq!(
            String::from_utf8(planned[0].body.clone()).unwrap(),
            json!({"id": "evt_1", "type": "my.thing", "data": {"n": 16, "f": 1.5, "ok": true, "who": "nobody", "tag": "t-x"}}).to_string()
        );
    }

    #[test]
    fn errors_name_the_line() {
        let err = plan_error(
            "[[steps]]\nevent = \"email.sent\"\n\n[[steps]]\nevent = \"email.deliverd\"\n",
        );
        assert!(
            err.starts_with("s.toml line 5: step \"email.deliverd\": unknown event type"),
            "{err}"
        );
        let err = plan_error("[[steps]]\nevent = \"email.sent\"\nset = { \"data.to.x\" = 1 }\n");
        assert!(
            err.starts_with("s.toml line 3: step \"email.sent\": cannot set `data.to.x`"),
            "{err}"
        );
        let err = plan_error("[[steps]]\nevnt = \"email.sent\"\n");
        assert!(
            err.starts_with("s.toml line 2: unknown key `evnt` in a step"),
            "{err}"
        );
        let err = plan_error("[[steps]]\nevent = \"email.sent\"\nafter = \"soon\"\n");
        assert!(
            err.starts_with("s.toml line 3: `after = \"soon\"` is not a duration"),
            "{err}"
        );
        let err = plan_error(
            "[[steps]]\nevent = \"email.sent\"\n[[steps]]\nevent = \"email.opened\"\nafter = \"500000000y\"\n",
        );
        assert!(
            err.starts_with("s.toml line 3: the `after`s up to this step reach back"),
            "{err}"
        );
        let err = plan_error(
            "[[steps]]\nafter = \"500000000000y\"\nevent = \"email.sent\"\n[[steps]]\nevent = \"email.opened\"\nafter = \"500000000000y\"\n",
        );
        assert!(err.starts_with("s.toml line 1: the `after`s"), "{err}");
        let err = plan_error("[[steps]]\nevent = \"email.sent\"\ndelay = 5\n");
        assert!(
            err.starts_with(
                "s.toml line 3: `delay` must be a duration in quotes, like delay = \"2s\""
            ),
            "{err}"
        );
        let err = plan_error("[[steps]\n");
        assert!(err.starts_with("s.toml line 1: not valid TOML"), "{err}");
        let err = plan_error("description = \"x\"\n");
        assert!(
            err.starts_with("s.toml: the scenario has no steps"),
            "{err}"
        );
    }
}
