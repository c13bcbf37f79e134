//! `hookctl listen`: a temporary local listener that verifies and shows every webhook.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, TryRecvError};
use std::time::Duration;

use anyhow::{Context, Result};
use tokio_util::sync::CancellationToken;

use super::runtime;
use crate::cli::{ListenArgs, Tolerance};
use crate::config;
use crate::delivery;
use crate::error::{Exit, hinted};
use crate::listener::{self, Config, Record, Reply, Tally};
use crate::output::listen::{self as show, Detail};
use crate::output::palette;
use crate::signature::{DEFAULT_TOLERANCE_SECS, Signer, span};

/// How long requests in progress may take to finish once the listener stops.
const GRACE: Duration = Duration::from_secs(2);

/// Runs the listener until Ctrl-C, --max-events or --timeout.
pub fn run(args: &ListenArgs) -> Result<ExitCode> {
    let secret = config::secret(&args.secret)?;
    let scheme = config::scheme(&args.scheme);
    let signer = match &secret {
        Some(s) => Some(config::signer(&args.scheme, scheme, s)?),
        None => None,
    };
    let forward = args
        .forward_to
        .as_deref()
        .map(delivery::parse_url)
        .transpose()?;
    if let Some(dir) = &args.save {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the --save directory {}", dir.display()))?;
    }
    let path = args.path.as_deref().map(|p| {
        if p.starts_with('/') {
            p.to_string()
        } else {
            format!("/{p}")
        }
    });
    let config = Config {
        path: path.filter(|p| p != "/"),
        signer: signer.clone(),
        tolerance: match args.tolerance {
            None => Some(DEFAULT_TOLERANCE_SECS),
            Some(Tolerance::Within(d)) => Some(d.as_secs()),
            Some(Tolerance::Off) => None,
        },
        reply: Reply {
            status: args.status,
            body: args.response_body.clone(),
            delay: args.delay.unwrap_or_default(),
            fail_first: args.fail_first,
            reject_invalid: args.reject_invalid,
        },
        forward,
        max_body: usize::try_from(args.max_body).unwrap_or(usize::MAX),
        save: args.save.clone(),
        ..Config::default()
    };

    let rt = runtime()?;
    let (tally, checked) = rt.block_on(async {
        let socket = listener::bind(&args.host, args.port)
            .await
            .map_err(|e| bind_error(e, args))?;
        let addr = socket.local_addr()?;
        banner(args, &config, signer.as_ref(), addr)?;

        let stop = CancellationToken::new();
        let ctrl_c = stop.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                ctrl_c.cancel();
            }
        });
        if let Some(limit) = args.timeout {
            let timer = stop.clone();
            tokio::spawn(async move {
                tokio::time::sleep(limit).await;
                timer.cancel();
            });
        }
        let (tx, rx) = std::sync::mpsc::channel();
        let done = Arc::new(AtomicBool::new(false));
        let printer = Printer {
            json: args.json,
            detail: Detail {
                compact: args.compact,
                verbose: args.verbose,
            },
            max_events: args.max_events,
            stop: stop.clone(),
            done: done.clone(),
            quiet: Arc::default(),
            handled: Arc::default(),
        }
        .spawn(rx);
        listener::serve(socket, config, tx, stop, GRACE).await;
        done.store(true, Ordering::Release);
        let tally = printer
            .join()
            .map_err(|_| anyhow::anyhow!("the printer thread panicked"))??;
        Ok::<_, anyhow::Error>((tally, signer.is_some()))
    })?;

    let lines = show::summary_lines(&tally, checked);
    if args.json {
        let mut err = io::stderr().lock();
        for line in lines {
            writeln!(err, "{line}")?;
        }
    } else {
        let mut out = io::stdout().lock();
        writeln!(out)?;
        for line in lines {
            writeln!(out, "{line}")?;
        }
    }
    let failed = checked && tally.failed_verification() > 0;
    Ok(if failed {
        Exit::Negative
    } else {
        Exit::Success
    }
    .into())
}

/// The display side of a listener: shows records as they come on its own thread, off the
/// request path, batching writes while a burst lasts.
pub(crate) struct Printer {
    /// One JSON line per record instead of the human display.
    pub json: bool,
    /// What the human display includes.
    pub detail: Detail,
    /// Cancel `stop` once this many deliveries have been shown.
    pub max_events: Option<u64>,
    /// Cancelled to stop the server.
    pub stop: CancellationToken,
    /// Set once the server has stopped: drain what is queued and finish.
    pub done: Arc<AtomicBool>,
    /// While set, records are counted but not shown.
    pub quiet: Arc<AtomicBool>,
    /// Records handled so far.
    pub handled: Arc<AtomicU64>,
}

impl Printer {
    /// Starts the display thread; it returns the tally when the server is done.
    pub(crate) fn spawn(self, rx: Receiver<Record>) -> std::thread::JoinHandle<Result<Tally>> {
        std::thread::spawn(move || self.print(rx))
    }

    fn print(self, rx: Receiver<Record>) -> Result<Tally> {
        // Not `stdout().lock()`: other output (a demo's card) must still get its turn.
        let mut out = BufWriter::with_capacity(64 * 1024, io::stdout());
        let mut tally = Tally::default();
        let mut show = |record: Record, out: &mut BufWriter<_>| -> io::Result<()> {
            tally.add(&record);
            if self.quiet.load(Ordering::Relaxed) {
            } else if self.json {
                serde_json::to_writer(&mut *out, &show::record_json(&record))?;
                out.write_all(b"\n")?;
            } else {
                out.write_all(show::record_text(&record, self.detail).as_bytes())?;
            }
            self.handled.fetch_add(1, Ordering::Release);
            if self.max_events.is_some_and(|n| tally.deliveries >= n) {
                self.stop.cancel();
            }
            Ok(())
        };
        loop {
            match rx.try_recv() {
                Ok(record) => show(record, &mut out)?,
                Err(TryRecvError::Disconnected) => break,
                Err(TryRecvError::Empty) => {
                    out.flush()?;
                    if self.done.load(Ordering::Acquire) {
                        // The server has stopped: what is still queued was answered; show it all.
                        while let Ok(record) = rx.try_recv() {
                            show(record, &mut out)?;
                        }
                        break;
                    }
                    match rx.recv_timeout(Duration::from_millis(50)) {
                        Ok(record) => show(record, &mut out)?,
                        Err(RecvTimeoutError::Timeout) => {}
                        Err(RecvTimeoutError::Disconnected) => break,
                    }
                }
            }
        }
        out.flush()?;
        Ok(tally)
    }
}

fn bind_error(error: io::Error, args: &ListenArgs) -> anyhow::Error {
    match error.kind() {
        io::ErrorKind::AddrInUse => hinted(
            format!("port {} on {} is already in use", args.port, args.host),
            "pick another with --port, or --port 0 for a free one",
        ),
        io::ErrorKind::AddrNotAvailable => hinted(
            format!("cannot listen on {}: no such local address", args.host),
            "use 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)",
        ),
        io::ErrorKind::PermissionDenied => hinted(
            format!("not allowed to listen on port {}", args.port),
            "ports below 1024 need privileges; pick one above 1024",
        ),
        _ => anyhow::Error::new(error)
            .context(format!("cannot listen on {}:{}", args.host, args.port)),
    }
}

fn banner(
    args: &ListenArgs,
    config: &Config,
    signer: Option<&Signer>,
    addr: std::net::SocketAddr,
) -> Result<()> {
    let mut err = io::stderr().lock();
    let path = config.path.clone().unwrap_or_else(|| "/".into());
    let scope = if config.path.is_some() {
        ""
    } else {
        " (any path)"
    };
    writeln!(err, "hookctl listening on http://{addr}{path}{scope}")?;
    if !addr.ip().is_loopback() {
        writeln!(
            err,
            "  {}",
            palette::warn("listening beyond this machine: anyone who can reach it can send to it")
        )?;
    }
    match signer {
        Some(s) => {
            let tolerance = match (s.scheme().is_timestamped(), config.tolerance) {
                (false, _) => String::new(),
                (true, Some(t)) => format!(", timestamps within {}", span(t)),
                (true, None) => ", any timestamp age".to_string(),
            };
            writeln!(
                err,
                "  verifying {} signatures in {}{tolerance}",
                s.scheme(),
                s.header()
            )?;
        }
        None => writeln!(
            err,
            "  {}",
            palette::warn(
                "not verifying signatures: no secret given (pass --secret to check them)"
            )
        )?,
    }
    let reply = &config.reply;
    let mut answer = format!("  answering {} {}", reply.status, reply.body);
    if !reply.delay.is_zero() {
        answer.push_str(&format!(
            " after {}",
            crate::output::delivery::wait(reply.delay)
        ));
    }
    if reply.fail_first > 0 {
        answer.push_str(&format!(
            "; 500 to the first {} deliveries of each event",
            reply.fail_first
        ));
    }
    if reply.reject_invalid {
        answer.push_str("; 401 to a bad or missing signature");
    }
    writeln!(err, "{answer}")?;
    if let Some(url) = &config.forward {
        writeln!(err, "  forwarding to {url} and answering with its answer")?;
    }
    if let Some(dir) = &config.save {
        writeln!(err, "  saving every request to {}", dir.display())?;
    }
    let mut stop = "  stop with Ctrl-C".to_string();
    if let Some(n) = args.max_events {
        stop.push_str(&format!(", or after {n} deliveries"));
    }
    if let Some(t) = args.timeout {
        stop.push_str(&format!(", or after {}", humantime::format_duration(t)));
    }
    writeln!(err, "{stop}")?;
    Ok(())
}
