//! `hookctl events`: the catalog as a table or JSON.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use serde_json::json;

use crate::cli::EventsArgs;
use crate::config;
use crate::error::Exit;
use crate::output::{palette, stream};
use crate::providers::{self, Provider};

/// Prints every event type with its description.
pub fn run(args: &EventsArgs) -> Result<ExitCode> {
    let chosen = [config::provider(args.provider, None)];
    let list: &[&Provider] = if args.all { providers::ALL } else { &chosen };
    let mut out = stream::stdout().lock();
    if args.json {
        let entries: Vec<_> = list
            .iter()
            .flat_map(|p| p.events.iter().map(move |e| (p, e)))
            .map(|(p, e)| match args.all {
                true => json!({"provider": p.name, "type": e.name, "description": e.description}),
                false => json!({"type": e.name, "description": e.description}),
            })
            .collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&entries)?)?;
        return Ok(Exit::Success.into());
    }
    let width = list
        .iter()
        .flat_map(|p| p.events.iter().map(|e| e.name.len()))
        .max()
        .unwrap_or(0);
    for (i, provider) in list.iter().enumerate() {
        if args.all {
            let gap = if i > 0 { "\n" } else { "" };
            writeln!(
                out,
                "{gap}{} — {}",
                palette::bold(provider.name),
                provider.description
            )?;
        }
        writeln!(out, "{:width$}  DESCRIPTION", "TYPE")?;
        for e in provider.events {
            let pad = " ".repeat(width - e.name.len());
            writeln!(
                out,
                "{}{pad}  {}",
                palette::event_type(e.name),
                e.description
            )?;
        }
    }
    Ok(Exit::Success.into())
}
