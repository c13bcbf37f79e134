//! Scenarios: a provider's whole lifecycles (an email sent, delivered, opened, clicked) as a
//! TOML file of steps, planned up front into the exact bodies a run sends.
//!
//! ```
//! let text = r#"
//! description = "An email, sent then delivered"
//! [[steps]]
//! name = "sent"
//! event = "email.sent"
//! [[steps]]
//! event = "email.delivered"
//! set = { "data.message_id" = "${steps.sent.data.message_id}" }
//! "#;
//! let scenario = hookctl::scenario::parse(text, "lifecycle.toml").unwrap();
//! let provider = scenario.provider(None).unwrap();
//! let steps = scenario.plan(provider, jiff::Timestamp::now(), &|_| None).unwrap();
//! assert_eq!(steps[1].value["data"]["message_id"], steps[0].value["data"]["message_id"]);
//! assert!(steps[0].at < steps[1].at);
//! ```
//!
//! The format is documented in the README ("Scenarios"). Everything is resolved by
//! [`Scenario::plan`] before anything is sent: a bad reference is an error naming the file and
//! line, never a half-sent run. The core reads no environment: the caller passes a lookup.

pub mod builtin;
mod file;
pub mod from;
pub mod order;
mod plan;
mod values;
mod write;

use std::time::Duration;

use jiff::Timestamp;
use serde_json::Value;

use crate::providers::{self, Provider};
pub use order::{Dispatch, Order};
use values::Tpl;

/// A parsed scenario: its steps, not yet rendered.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// What messages call it: the file as given, or `built-in PROVIDER/NAME`.
    pub origin: String,
    /// The one-line description, when the file has one.
    pub description: Option<String>,
    /// The provider the file names, and the line naming it.
    provider: Option<(String, usize)>,
    vars: Vec<Var>,
    steps: Vec<Step>,
}

/// A `[vars]` entry.
#[derive(Debug, Clone)]
struct Var {
    name: String,
    value: Tpl,
}

/// One `[[steps]]` entry.
#[derive(Debug, Clone)]
struct Step {
    name: String,
    line: usize,
    source: Source,
    /// `set` overrides: dotted path, value, the line of the value.
    set: Vec<(String, Tpl, usize)>,
    after: Duration,
    delay: Duration,
}

/// What a step sends: a catalog event, or a body of one's own.
#[derive(Debug, Clone)]
enum Source {
    Event { name: String, line: usize },
    Body(Tpl),
}

/// One step rendered into the exact body it sends.
#[derive(Debug, Clone)]
pub struct Planned {
    /// The step's name, unique in its scenario.
    pub name: String,
    /// The event type: the catalog event, else what the provider reads in the body.
    pub event: Option<String>,
    /// The final body as JSON (a form provider's: an object of strings).
    pub value: Value,
    /// The exact bytes sent, as the provider encodes `value`.
    pub body: Vec<u8>,
    /// The event id receivers dedupe on; a fresh `msg_` id when the body carries none.
    pub id: String,
    /// The step's simulated time: the run's last step happens at the planning time.
    pub at: Timestamp,
    /// Real time to wait before sending it.
    pub delay: Duration,
}

/// Why a scenario cannot be parsed or planned: where, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}{}: {problem}", line.map(|l| format!(" line {l}")).unwrap_or_default())]
pub struct ScenarioError {
    /// The file as given, or `built-in PROVIDER/NAME`.
    pub origin: String,
    /// The line at fault, 1-based, when one is.
    pub line: Option<usize>,
    /// What is wrong, with the fix.
    pub problem: Box<Problem>,
}

/// What is wrong with a scenario.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// Not TOML.
    #[error("not valid TOML: {0}")]
    Toml(String),
    /// A key, a missing key or a value of the wrong kind.
    #[error("{0}")]
    Shape(String),
    /// A reference to a step that does not exist or comes later.
    #[error(
        "{within} refers to ${{{reference}}}, and no earlier step is named \"{name}\" (earlier steps: {})",
        list(.earlier)
    )]
    UnknownStep {
        /// `step "delivered"` or `var "message"`.
        within: String,
        /// The reference, without `${}`.
        reference: String,
        /// The step name it asks for.
        name: String,
        /// The steps before this one.
        earlier: Vec<String>,
    },
    /// A path that is not in the value referred to.
    #[error("{within} refers to ${{{reference}}}, and {whose} has no `{path}`{}", fields_text(.fields))]
    UnknownPath {
        /// `step "delivered"` or `var "message"`.
        within: String,
        /// The reference, without `${}`.
        reference: String,
        /// `step "sent"'s body` or `var "x"`.
        whose: String,
        /// The path asked for.
        path: String,
        /// The fields where the path stops matching.
        fields: Vec<String>,
    },
    /// A var that is not defined above.
    #[error(
        "{within} refers to ${{{reference}}}, and no var above is named \"{name}\" (vars above: {})",
        list(.known)
    )]
    UnknownVar {
        /// `step "delivered"` or `var "message"`.
        within: String,
        /// The reference, without `${}`.
        reference: String,
        /// The var asked for.
        name: String,
        /// The vars defined before it.
        known: Vec<String>,
    },
    /// An environment variable that is not set, without a default.
    #[error(
        "{within} refers to ${{env:{var}}}, and {var} is not set; set it, or give a default: ${{env:{var}|default}}"
    )]
    UnsetEnv {
        /// `step "delivered"` or `var "message"`.
        within: String,
        /// The variable.
        var: String,
    },
    /// A reference of no known kind.
    #[error(
        "{within} uses ${{{reference}}}, which is not a reference hookctl knows; use steps.NAME.PATH, vars.NAME, env:VAR, b62:PREFIX, hex:PREFIX, HEX:PREFIX, uuid, now, now+5m:FORMAT, phone, email or null (write $${{ for a literal ${{)"
    )]
    UnknownReference {
        /// `step "delivered"` or `var "message"`.
        within: String,
        /// The reference, without `${}`.
        reference: String,
    },
    /// A `${now…}` with an offset or format hookctl does not know.
    #[error(
        "{within} uses ${{{reference}}}: write ${{now}}, ${{now+5m}} or ${{now-30s:unix}} (units s m h d; formats {})",
        crate::providers::render::TIME_FORMATS.join(", ")
    )]
    BadTime {
        /// `step "delivered"` or `var "message"`.
        within: String,
        /// The reference, without `${}`.
        reference: String,
    },
    /// A `${` without its `}`.
    #[error("{within} has a `${{` without its closing `}}` (write $${{ for a literal ${{)")]
    Unterminated {
        /// `step "delivered"` or `var "message"`.
        within: String,
    },
    /// An event the provider does not send.
    #[error("step \"{step}\": {why}")]
    UnknownEvent {
        /// The step.
        step: String,
        /// The provider's complaint, with the nearest names.
        why: String,
        /// The provider's name.
        provider: String,
    },
    /// A `set` path that does not apply to the body.
    #[error("step \"{step}\": {why}")]
    Set {
        /// The step.
        step: String,
        /// Why the path does not apply.
        why: String,
    },
    /// A provider hookctl does not know.
    #[error(
        "provider \"{name}\" is not one hookctl knows; use one of {}",
        providers_list()
    )]
    UnknownProvider {
        /// The name given.
        name: String,
    },
    /// The file names one provider and the command line another.
    #[error("the file is written for provider \"{file}\" and the run asks for \"{asked}\"")]
    ProviderMismatch {
        /// The file's provider.
        file: String,
        /// The one asked for.
        asked: String,
    },
}

fn list(names: &[String]) -> String {
    if names.is_empty() {
        "none".to_string()
    } else {
        names.join(", ")
    }
}

fn fields_text(names: &[String]) -> String {
    if names.is_empty() {
        String::new()
    } else {
        format!(" (fields there: {})", names.join(", "))
    }
}

fn providers_list() -> String {
    let names: Vec<&str> = providers::ALL.iter().map(|p| p.name).collect();
    names.join(", ")
}

/// Parses a scenario's TOML `text`; `origin` names it in messages (the file as given).
pub fn parse(text: &str, origin: &str) -> Result<Scenario, ScenarioError> {
    file::parse(text, origin)
}

impl Scenario {
    /// The provider to run it for: the file's, else `asked`, else the default (EKDSend); an
    /// error when both name one and they differ, or the file's is unknown.
    pub fn provider(
        &self,
        asked: Option<&'static Provider>,
    ) -> Result<&'static Provider, ScenarioError> {
        let Some((name, line)) = &self.provider else {
            return Ok(asked.unwrap_or_else(providers::default));
        };
        let fail = |problem| self.error(Some(*line), problem);
        let own = providers::by_name(name)
            .ok_or_else(|| fail(Problem::UnknownProvider { name: name.clone() }))?;
        match asked {
            Some(asked) if !std::ptr::eq(asked, own) => Err(fail(Problem::ProviderMismatch {
                file: own.name.to_string(),
                asked: asked.name.to_string(),
            })),
            _ => Ok(own),
        }
    }

    /// The steps' names, in written order.
    pub fn step_names(&self) -> Vec<&str> {
        self.steps.iter().map(|s| s.name.as_str()).collect()
    }

    /// Renders every step for `provider`, the last one at `now`; `env` looks up environment
    /// variables for `${env:…}`.
    pub fn plan(
        &self,
        provider: &Provider,
        now: Timestamp,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Vec<Planned>, ScenarioError> {
        plan::plan(self, provider, now, env)
    }

    fn error(&self, line: Option<usize>, problem: Problem) -> ScenarioError {
        ScenarioError {
            origin: self.origin.clone(),
            line,
            problem: Box::new(problem),
        }
    }
}
