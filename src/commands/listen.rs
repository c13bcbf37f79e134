//! `hookctl listen`: a temporary local listener that verifies and shows every webhook.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::thread::JoinHandle;
use std::time::Duration;

use anyhow::{Context, Result};
use tokio_util::sync::CancellationToken;

use super::runtime;
use crate::cli::ListenArgs;
use crate::config;
use crate::delivery;
use crate::error::{Exit, hinted};
use crate::listener::{self, Config, Record, Reply, Tally};
use crate::output::listen::{self as show, Detail};
use crate::redact::Redactor;

/// How long requests in progress may take to finish once the listener stops (plus any --delay,
/// and the relay budget when forwarding); a stalled client is not waited for beyond that.
const GRACE: Duration = Duration::from_secs(2);

/// Runs the listener until Ctrl-C, --max-events or --timeout.
pub fn run(args: &ListenArgs) -> Result<ExitCode> {
    let secret = config::secret(&args.secret)?;
    let signer = config::signer_if(&args.scheme, secret.as_ref())?;
    if args.reject_invalid && signer.is_none() {
        return Err(hinted(
            "--reject-invalid needs a secret to check signatures against",
            "pass --secret, --secret-file or set HOOKCTL_SECRET",
        ));
    }
    let forward = args
        .forward_to
        .as_deref()
        .map(delivery::parse_url)
        .transpose()?;
    if let Some(dir) = &args.save {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the --save directory {}", dir.display()))?;
        listener::saved::probe(dir).map_err(|e| {
            hinted(
                format!("cannot save into {}: {e}", dir.display()),
                "pick a directory you can write to with --save",
            )
        })?;
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
        signer,
        tolerance: config::tolerance(args.tolerance),
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

    let checked = config.signer.is_some();
    let rt = runtime()?;
    let tally = rt.block_on(async {
        let socket = listener::bind(&args.host, args.port)
            .await
            .map_err(|e| bind_error(e, args))?;
        let addr = socket.local_addr()?;
        refuse_forwarding_to_itself(config.forward.as_ref(), addr)?;
        let stop = CancellationToken::new();
        super::cancel_on_ctrl_c(&stop);
        banner(args, &config, addr)?;

        if let Some(limit) = args.timeout {
            let timer = stop.clone();
            tokio::spawn(async move {
                tokio::time::sleep(limit).await;
                timer.cancel();
            });
        }
        let (tx, printing) = Printer {
            json: args.json,
            redactor: (!args.show_credentials).then(|| Redactor::new(&secret)),
            detail: Detail {
                compact: args.compact,
                verbose: args.verbose,
            },
            max_events: args.max_events,
            stop: stop.clone(),
        }
        .spawn();
        let grace = GRACE
            + config.reply.delay
            + if config.forward.is_some() {
                listener::RELAY_TIMEOUT
            } else {
                Duration::ZERO
            };
        listener::serve(socket, config, tx, stop, grace).await;
        printing.finish()
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
    Ok(Exit::verdict(tally.failed_verification() == 0))
}

/// How long the display waits for more records once a burst is under way (a display delay
/// nobody sees, and one write for many records).
const BATCH: Duration = Duration::from_millis(5);

/// The display side of a listener: shows records as they come on its own thread, off the
/// request path, batching writes while a burst lasts.
pub(crate) struct Printer {
    /// One JSON line per record instead of the human display.
    pub json: bool,
    /// Hides credential headers; `None` shows them as received.
    pub redactor: Option<Redactor>,
    /// What the human display includes.
    pub detail: Detail,
    /// Cancel `stop` once this many deliveries have been shown.
    pub max_events: Option<u64>,
    /// Cancelled to stop the server.
    pub stop: CancellationToken,
}

/// A [`Printer`] at work on its thread.
pub(crate) struct Printing {
    flags: Arc<Flags>,
    thread: JoinHandle<Result<Tally>>,
}

/// What the display thread and its owner share.
#[derive(Default)]
struct Flags {
    /// Set once the server has stopped: drain what is queued and finish.
    done: AtomicBool,
    /// While set, records are counted but not shown.
    quiet: AtomicBool,
    /// Records handled so far.
    handled: AtomicU64,
}

impl Printer {
    /// Starts the display thread; it shows what is sent on the returned channel.
    pub(crate) fn spawn(self) -> (Sender<Record>, Printing) {
        let (tx, rx) = std::sync::mpsc::channel();
        let flags = Arc::new(Flags::default());
        let shared = flags.clone();
        let thread = std::thread::spawn(move || self.print(&rx, &shared));
        (tx, Printing { flags, thread })
    }

    fn print(self, rx: &Receiver<Record>, flags: &Flags) -> Result<Tally> {
        // Not `stdout().lock()`: other output (a demo's card) must still get its turn.
        let mut out = BufWriter::with_capacity(64 * 1024, io::stdout());
        let mut tally = Tally::default();
        let mut show = |record: Record, out: &mut BufWriter<_>| -> io::Result<()> {
            tally.add(&record);
            if !flags.quiet.load(Ordering::Relaxed) {
                if self.json {
                    show::write_record_json(&mut *out, &record, self.redactor.as_ref())?;
                } else {
                    let text = show::record_text(&record, self.detail, self.redactor.as_ref());
                    out.write_all(text.as_bytes())?;
                }
            }
            flags.handled.fetch_add(1, Ordering::Release);
            if self.max_events.is_some_and(|n| tally.deliveries() >= n) {
                self.stop.cancel();
            }
            Ok(())
        };
        let mut busy = false;
        loop {
            match rx.try_recv() {
                Ok(record) => {
                    show(record, &mut out)?;
                    busy = true;
                }
                Err(TryRecvError::Disconnected) => break,
                Err(TryRecvError::Empty) => {
                    out.flush()?;
                    if flags.done.load(Ordering::Acquire) {
                        // The server has stopped: what is still queued was answered; show it all.
                        while let Ok(record) = rx.try_recv() {
                            show(record, &mut out)?;
                        }
                        break;
                    }
                    if std::mem::take(&mut busy) {
                        // In a burst, let records gather instead of being woken for each one:
                        // a parked receiver costs every sender a system call.
                        std::thread::sleep(BATCH);
                        continue;
                    }
                    match rx.recv_timeout(Duration::from_millis(50)) {
                        Ok(record) => {
                            show(record, &mut out)?;
                            busy = true;
                        }
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

impl Printing {
    /// Records shown (or counted while quiet) so far.
    pub(crate) fn handled(&self) -> u64 {
        self.flags.handled.load(Ordering::Acquire)
    }

    /// From now on, records are counted but not shown.
    pub(crate) fn quiet(&self) {
        self.flags.quiet.store(true, Ordering::Release);
    }

    /// Once the server has stopped: shows what is still queued and returns the tally.
    pub(crate) fn finish(self) -> Result<Tally> {
        self.flags.done.store(true, Ordering::Release);
        self.thread
            .join()
            .map_err(|_| anyhow::anyhow!("the display thread panicked"))?
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

/// Relaying to the listener's own address would recurse until every connection is used.
fn refuse_forwarding_to_itself(
    forward: Option<&reqwest::Url>,
    addr: std::net::SocketAddr,
) -> Result<()> {
    match forward {
        Some(url) if listener::is_own_address(url, addr) => Err(hinted(
            format!("--forward-to points at this listener's own address ({addr})"),
            "forward to your app's port, not the one hookctl listens on",
        )),
        _ => Ok(()),
    }
}

fn banner(args: &ListenArgs, config: &Config, addr: std::net::SocketAddr) -> Result<()> {
    let mut err = io::stderr().lock();
    for line in show::banner_lines(addr, config, args.max_events, args.timeout) {
        writeln!(err, "{line}")?;
    }
    Ok(())
}
