//! A saved body with its generated values picked out, and how each is written: a fresh
//! generator, a reference to an earlier request, or a var.

use std::collections::HashMap;

use serde_json::Value;

use super::template::{Kind, Part, Slots, join, lone_time, matched};
use crate::scenario::write;

/// A body with its generated values picked out.
#[derive(Debug)]
pub(super) enum Out {
    /// A number, boolean or null, as saved.
    Plain(Value),
    /// A string (or a generated number): literal text and generated parts.
    Text(Vec<Piece>),
    List(Vec<Out>),
    Table(Vec<(String, Out)>),
}

/// A part of a string: saved text, or a value found.
#[derive(Debug)]
pub(super) enum Piece {
    Literal(String),
    /// The `n`-th value found (see [`Found`]).
    Found(usize),
}

/// A value the template generates, or a saved string that may repeat one.
#[derive(Debug)]
struct Seen {
    step: usize,
    path: String,
    /// Whether it is the whole value at `path`.
    whole: bool,
    value: String,
    kind: Kind,
    /// The generator, such as `${hex:SM}`; `None` for a saved string the template does not
    /// generate, which follows a generated value it equals.
    generator: Option<String>,
}

#[derive(Debug, Default)]
pub(super) struct Found {
    seen: Vec<Seen>,
}

impl Found {
    pub(super) fn walk(&mut self, step: usize, value: &Value, path: &str, slots: &Slots) -> Out {
        match value {
            Value::Object(map) => Out::Table(
                map.iter()
                    .map(|(k, v)| (k.clone(), self.walk(step, v, &join(path, k), slots)))
                    .collect(),
            ),
            Value::Array(items) => Out::List(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| self.walk(step, v, &join(path, &i.to_string()), slots))
                    .collect(),
            ),
            Value::String(s) => self.text(step, s, path, slots.at(path)),
            Value::Number(n) => match slots.at(path).and_then(lone_time) {
                Some(generator) => Out::Text(vec![self.push(Seen {
                    step,
                    path: path.to_string(),
                    whole: true,
                    value: n.to_string(),
                    kind: Kind::Time,
                    generator: Some(generator),
                })]),
                None => Out::Plain(value.clone()),
            },
            other => Out::Plain(other.clone()),
        }
    }

    fn text(&mut self, step: usize, s: &str, path: &str, template: Option<&str>) -> Out {
        if let Some(parts) = template.and_then(|t| matched(t, s)) {
            let whole = parts.len() == 1;
            let pieces = parts
                .into_iter()
                .map(|part| match part {
                    Part::Literal(text) => Piece::Literal(text),
                    Part::Generated(value, kind, generator) => self.push(Seen {
                        step,
                        path: path.to_string(),
                        whole,
                        value,
                        kind,
                        generator: Some(generator),
                    }),
                })
                .collect();
            return Out::Text(pieces);
        }
        if s.len() < 8 {
            return Out::Text(vec![Piece::Literal(s.to_string())]);
        }
        Out::Text(vec![self.push(Seen {
            step,
            path: path.to_string(),
            whole: true,
            value: s.to_string(),
            kind: Kind::Id,
            generator: None,
        })])
    }

    fn push(&mut self, seen: Seen) -> Piece {
        self.seen.push(seen);
        Piece::Found(self.seen.len() - 1)
    }

    /// What each value found is written as.
    pub(super) fn decide(&self, names: &[String]) -> Plan {
        let mut plan = Plan {
            text: vec![String::new(); self.seen.len()],
            vars: Vec::new(),
        };
        // Equal values of one kind, in order of first appearance.
        let mut index: HashMap<(&str, Kind), usize> = HashMap::new();
        let mut groups: Vec<(Kind, Vec<usize>)> = Vec::new();
        for (i, seen) in self.seen.iter().enumerate() {
            let group = *index.entry((&seen.value, seen.kind)).or_insert_with(|| {
                groups.push((seen.kind, Vec::new()));
                groups.len() - 1
            });
            groups[group].1.push(i);
        }
        for (kind, members) in &groups {
            match kind {
                Kind::Id => self.decide_id(members, names, &mut plan),
                Kind::Time => self.decide_time(members, names, &mut plan),
            }
        }
        plan
    }

    /// An id: generated where first seen and referred to after, or a var when its first step
    /// holds it more than once or inside a longer string.
    fn decide_id(&self, members: &[usize], names: &[String], plan: &mut Plan) {
        let first = &self.seen[members[0]];
        let Some(generator) = members.iter().find_map(|&i| self.seen[i].generator.clone()) else {
            for &i in members {
                plan.text[i] = write::escape(&self.seen[i].value);
            }
            return;
        };
        let in_first = members
            .iter()
            .filter(|&&i| self.seen[i].step == first.step)
            .count();
        let shared = if members.len() == 1 {
            generator.clone()
        } else if first.whole && in_first == 1 {
            format!("${{steps.{}.{}}}", names[first.step], first.path)
        } else {
            let name = plan.var_name(&first.path);
            plan.vars.push((name.clone(), generator.clone()));
            format!("${{vars.{name}}}")
        };
        for &i in members {
            plan.text[i] = match (i == members[0], shared.starts_with("${steps.")) {
                (true, true) => generator.clone(),
                _ => shared.clone(),
            };
        }
    }

    /// A time: generated in each step, except that a later step carrying an earlier step's
    /// time again refers to it.
    fn decide_time(&self, members: &[usize], names: &[String], plan: &mut Plan) {
        let first = &self.seen[members[0]];
        for &i in members {
            let seen = &self.seen[i];
            let generator = seen.generator.clone().unwrap_or_default();
            plan.text[i] = match seen.step != first.step && first.whole && seen.whole {
                true => format!("${{steps.{}.{}}}", names[first.step], first.path),
                false => generator,
            };
        }
    }
}

/// Each value found written out, and the vars they use.
#[derive(Debug)]
pub(super) struct Plan {
    text: Vec<String>,
    /// `[vars]`: name and generator.
    pub(super) vars: Vec<(String, String)>,
}

impl Plan {
    /// A var named for the path's last segment, unique.
    fn var_name(&self, path: &str) -> String {
        let last = path.rsplit('.').next().unwrap_or("id");
        let base: String = last
            .chars()
            .map(
                |c| match c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                    true => c,
                    false => '_',
                },
            )
            .collect();
        let base = if base.is_empty() { "id".into() } else { base };
        let mut name = base.clone();
        let mut n = 1;
        while self.vars.iter().any(|(v, _)| *v == name) {
            n += 1;
            name = format!("{base}-{n}");
        }
        name
    }
}

impl Out {
    /// The TOML-ready value: strings hold the final text with references, nulls `${null}`.
    pub(super) fn render(&self, plan: &Plan) -> Value {
        match self {
            Out::Plain(Value::Null) => Value::String("${null}".into()),
            Out::Plain(value) => value.clone(),
            Out::Text(pieces) => Value::String(
                pieces
                    .iter()
                    .map(|p| match p {
                        Piece::Literal(text) => write::escape(text),
                        Piece::Found(i) => plan.text[*i].clone(),
                    })
                    .collect(),
            ),
            Out::List(items) => Value::Array(items.iter().map(|i| i.render(plan)).collect()),
            Out::Table(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), v.render(plan)))
                    .collect(),
            ),
        }
    }
}
