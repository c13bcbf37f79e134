//! `hookctl events`: the catalog as a table or JSON.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use serde_json::json;

use crate::catalog::EventType;
use crate::cli::EventsArgs;
use crate::error::Exit;
use crate::output::{palette, stream};

/// Prints every event type with its description.
pub fn run(args: &EventsArgs) -> Result<ExitCode> {
    let mut out = stream::stdout().lock();
    if args.json {
        let list: Vec<_> = EventType::ALL
            .iter()
            .map(|t| json!({"type": t.name(), "description": t.description()}))
            .collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&list)?)?;
        return Ok(Exit::Success.into());
    }
    let width = EventType::ALL
        .iter()
        .map(|t| t.name().len())
        .max()
        .unwrap_or(0);
    writeln!(out, "{:width$}  DESCRIPTION", "TYPE")?;
    for t in EventType::ALL {
        let pad = " ".repeat(width - t.name().len());
        writeln!(
            out,
            "{}{pad}  {}",
            palette::event_type(t.name()),
            t.description()
        )?;
    }
    Ok(Exit::Success.into())
}
