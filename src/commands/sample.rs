//! `hookctl sample`: one realistic event, pretty on a terminal, exact bytes in a pipe.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;

use super::build_event;
use crate::cli::SampleArgs;
use crate::error::Exit;
use crate::output::stream;
use crate::{config, json, output};

/// Prints a sample event of the requested type.
pub fn run(args: &SampleArgs) -> Result<ExitCode> {
    let event = config::event_type(&args.event)?;
    let scheme = config::scheme_or_default(args.scheme);
    let value = build_event(event, scheme, &args.set)?;
    let mut out = stream::stdout().lock();
    let terminal = output::stdout_is_terminal();
    if args.compact || !terminal {
        out.write_all(&json::compact(&value))?;
        // In a pipe the output is exactly the bytes hookctl would send: no trailing newline.
        if terminal {
            writeln!(out)?;
        }
    } else {
        writeln!(out, "{}", output::pretty::json(&value))?;
    }
    Ok(Exit::Success.into())
}
