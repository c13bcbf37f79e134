//! `hookctl scenario from`: requests saved by `listen --save` turned into a scenario file that
//! replays them with fresh ids and times, re-signed.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};

use super::replay::{saved_files, saved_provider};
use crate::cli::ScenarioFromArgs;
use crate::config;
use crate::error::{Exit, hinted};
use crate::listener::saved;
use crate::output::{scenario as view, stream};
use crate::providers;
use crate::scenario::from::{Capture, fixture};

/// Writes the scenario file for the saved requests named.
pub fn run(args: &ScenarioFromArgs) -> Result<ExitCode> {
    let files = saved_files(&args.paths)?;
    let mut captures = files
        .iter()
        .map(|f| capture(f))
        .collect::<Result<Vec<_>>>()?;
    // As replay: the saved signature headers name the provider; else the first body's event does.
    let provider = args
        .provider
        .or_else(|| files.first().and_then(|f| saved_provider(f)))
        .or_else(|| captures.first().and_then(|c| providers::of_body(&c.body)))
        .unwrap_or_else(providers::default);
    // Received order: files named one by one may come in any order.
    if captures.iter().all(|c| c.received.is_some()) {
        captures.sort_by_key(|c| c.received);
    }
    let text = fixture(provider, &captures).map_err(|e| {
        hinted(
            e.to_string(),
            format!(
                "the requests were read as {}'s; pass --provider NAME to name the provider that sent them",
                provider.name
            ),
        )
    })?;
    match &args.out {
        None => write!(stream::plain_stdout().lock(), "{text}")?,
        Some(out) => {
            std::fs::write(out, &text)
                .with_context(|| format!("cannot write the scenario file {}", out.display()))?;
            let line = view::written(&out.display().to_string(), captures.len());
            writeln!(stream::stderr().lock(), "{line}")?;
        }
    }
    Ok(Exit::Success.into())
}

/// A saved request: its body and when it was received (the file's name says; else its time of
/// last change).
fn capture(file: &Path) -> Result<Capture> {
    let saved = saved::read(file, config::IN_MEMORY_LIMIT)?;
    let named = file
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(saved::received_at);
    let received = named.or_else(|| {
        let modified = std::fs::metadata(file).ok()?.modified().ok()?;
        jiff::Timestamp::try_from(modified).ok()
    });
    Ok(Capture {
        file: file.display().to_string(),
        received,
        body: saved.body,
    })
}
