//! `hookctl sample`: one realistic event, pretty on a terminal, exact bytes in a pipe.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;

use super::build_event;
use crate::cli::SampleArgs;
use crate::error::Exit;
use crate::output::stream;
use crate::providers::BodyKind;
use crate::{config, output};

/// Prints a sample event of the requested type.
pub fn run(args: &SampleArgs) -> Result<ExitCode> {
    let provider = config::provider(args.provider, args.scheme);
    let event = config::event(provider, &args.event)?;
    let value = build_event(provider, event, &args.set)?;
    let mut out = stream::stdout().lock();
    let terminal = output::stdout_is_terminal();
    // A form body has no pretty form: its exact bytes are what a terminal shows too.
    if args.compact || !terminal || provider.body == BodyKind::Form {
        out.write_all(&provider.encode(&value))?;
        // In a pipe the output is exactly the bytes hookctl would send: no trailing newline.
        if terminal {
            writeln!(out)?;
        }
    } else {
        writeln!(out, "{}", output::pretty::json(&value))?;
    }
    Ok(Exit::Success.into())
}
