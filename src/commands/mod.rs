//! One file per subcommand: resolve the arguments, call the core, hand the results to output.

pub mod check;
pub mod completions;
pub mod demo;
pub mod events;
pub mod keygen;
pub mod listen;
pub mod replay;
pub mod sample;
pub mod scenario;
mod scenario_from;
pub mod send;
pub mod sign;
pub mod verify;

use anyhow::Result;
use serde_json::Value;

use crate::cli::SetArgs;
use crate::error::hinted;
use crate::providers::{Event, Provider};

/// What to do about an event id that cannot go out as Standard Webhooks' `webhook-id` (or Svix's
/// `svix-id`).
pub(crate) const ID_HINT: &str = "Standard Webhooks and Svix send the event's \"id\" as a header (webhook-id, svix-id): give the event an id without line breaks or control characters";

/// A fresh sample of `provider`'s `event`, with the `--set` overrides applied.
pub fn build_event(provider: &Provider, event: &Event, set: &SetArgs) -> Result<Value> {
    let mut value = provider.sample(event, jiff::Timestamp::now()).value;
    provider.apply(&mut value, &set.assignments())?;
    Ok(value)
}

/// Cancels `stop` on Ctrl-C (SIGINT), SIGTERM or SIGHUP, so partial results can still be reported.
pub fn cancel_on_ctrl_c(stop: &tokio_util::sync::CancellationToken) {
    cancel_on_signals(&crate::listener::Stops {
        stop: stop.clone(),
        ..Default::default()
    });
}

/// Stops a listener gracefully on SIGINT (Ctrl-C), SIGTERM (`timeout`, `docker stop`, systemd)
/// or SIGHUP (a closed terminal); a second signal forces it to stop at once.
pub fn cancel_on_signals(stops: &crate::listener::Stops) {
    let (stop, force) = (stops.stop.clone(), stops.force.clone());
    // Registered now, not when the task first runs: a signal right after the banner is caught.
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let (Ok(mut int), Ok(mut term), Ok(mut hup)) = (
            signal(SignalKind::interrupt()),
            signal(SignalKind::terminate()),
            signal(SignalKind::hangup()),
        ) {
            tokio::spawn(async move {
                loop {
                    tokio::select! {
                        _ = int.recv() => {}
                        _ = term.recv() => {}
                        _ = hup.recv() => {}
                    }
                    escalate(&stop, &force);
                }
            });
            return;
        }
    }
    tokio::spawn(async move {
        while tokio::signal::ctrl_c().await.is_ok() {
            escalate(&stop, &force);
        }
    });
}

/// Gives SIGINT, SIGTERM and SIGHUP back their default action (end the process), once every
/// record is flushed: a summary write that blocks on a paused terminal (Ctrl-S) can still be
/// interrupted, where the runtime that caught them is gone.
pub fn default_signals() {
    #[cfg(unix)]
    for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
        // SAFETY: SIG_DFL is a valid disposition for these signals; no handler code runs.
        unsafe {
            libc::signal(signal, libc::SIG_DFL);
        }
    }
}

/// One signal: a graceful stop, or a forced one once the listener is already stopping (by an
/// earlier signal, or by itself: --max-events, --timeout, a closed output).
fn escalate(
    stop: &tokio_util::sync::CancellationToken,
    force: &tokio_util::sync::CancellationToken,
) {
    if stop.is_cancelled() {
        force.cancel();
    } else {
        stop.cancel();
    }
}

/// A multi-threaded runtime for the commands that do network I/O.
pub fn runtime() -> Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

/// A signing error in command-line words: the flag that fixes it.
pub(crate) fn sign_error(error: crate::signature::SignError) -> anyhow::Error {
    use crate::signature::SignError;
    match &error {
        SignError::NeedsUrl(_) => hinted(
            error.to_string(),
            "pass --url with the full URL the provider is configured with",
        ),
        // The message quotes the URL: whatever password it holds is hidden.
        SignError::UrlNeedsBodyHash { url, .. } => hinted(
            crate::redact::url_text(&error.to_string()).into_owned(),
            format!("pass --url '{}'", crate::redact::url_text(url)),
        ),
        _ => error.into(),
    }
}
