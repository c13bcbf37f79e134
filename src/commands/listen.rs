//! `hookctl listen`: a temporary local listener that verifies and shows every webhook.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use tokio_util::sync::CancellationToken;

use super::runtime;
use crate::cli::ListenArgs;
use crate::config;
use crate::delivery;
use crate::error::{Exit, hinted};
use crate::listener::{self, Config, Entry, Records, Reply, Stops, Tally, TurnedAway};
use crate::output::listen::{self as show, Detail};
use crate::output::{palette, stream};
use crate::providers;
use crate::redact::Redactor;
use crate::signature::{Scheme, Secret};

/// How long requests in progress may take to finish once the listener stops, `--delay` and
/// relays included; a stalled client is not waited for beyond that.
const GRACE: Duration = Duration::from_secs(2);

/// Runs the listener until Ctrl-C, --max-events or --timeout.
pub fn run(args: &ListenArgs) -> Result<ExitCode> {
    let key = config::verifying_key(&args.secret, &args.public)?;
    let secret = config::secret_of(key.as_ref()).cloned();
    let credentials = config::basic_auth(&args.basic_auth)?;
    let told = args.scheme.provider.is_some() || args.scheme.scheme.is_some();
    // Told only a public key: the provider its algorithm belongs to (a P-256 key is SendGrid's,
    // an Ed25519 one Telnyx's), and Standard Webhooks' v1a when the headers carry that.
    let mut chosen = args.scheme.clone();
    if let (false, Some(crate::signature::Key::Public(public))) = (told, &key) {
        chosen.provider = providers::of_key_pair(public.algorithm());
    }
    let chosen = &chosen;
    let scheme = config::scheme(chosen);
    let signer = config::verifier(chosen, scheme, key.as_ref(), credentials.as_ref())?;
    if args.reject_invalid && signer.is_none() {
        let (what, how) = match scheme {
            Scheme::Basic => ("credentials", "pass --basic-auth USER:PASSWORD"),
            _ => (
                "a secret or a public key",
                "pass --secret, --secret-file, --public-key or set HOOKCTL_SECRET",
            ),
        };
        return Err(hinted(
            format!("--reject-invalid needs {what} to check signatures against"),
            how,
        ));
    }
    let public_url = args
        .public_url
        .as_deref()
        .map(delivery::parse_url)
        .transpose()
        .map_err(|e| {
            hinted(
                format!("--public-url: {e}"),
                "give the full URL the provider is configured with, e.g. https://abc.ngrok.app/sms",
            )
        })?;
    // Output hides the password wherever it hides the secret.
    let hidden: Vec<Secret> = secret
        .iter()
        .cloned()
        .chain(super::verify::hidden_password(credentials.as_ref()))
        .collect();
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
    // Told neither a provider nor a scheme: a request signed another known way is verified
    // that way, with the same secret.
    let config = Config {
        path: path.filter(|p| p != "/"),
        provider: config::provider_of(chosen),
        signer,
        detect: key.filter(|_| !told),
        tolerance: config::tolerance(args.tolerance, Some(scheme)),
        public_url,
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
    let (recorder, records) = listener::recorder(config.max_body);
    let stops = Stops {
        grace: GRACE,
        ..Stops::default()
    };
    let printing = rt.block_on(async {
        let socket = listener::bind(&args.host, args.port)
            .await
            .map_err(|e| bind_error(e, args))?;
        let addr = socket.local_addr()?;
        refuse_forwarding_to_itself(config.forward.as_ref(), addr)?;
        super::cancel_on_signals(&stops);
        banner(args, &config, addr, &Redactor::new(&hidden))?;

        if let Some(limit) = args.timeout {
            let timer = stops.stop.clone();
            tokio::spawn(async move {
                tokio::time::sleep(limit).await;
                timer.cancel();
            });
        }
        let printing = Printer {
            json: args.json,
            redactor: (!args.show_credentials).then(|| Redactor::new(&hidden)),
            detail: Detail {
                compact: args.compact,
                verbose: args.verbose,
            },
            max_events: args.max_events,
            stop: stops.stop.clone(),
        }
        .spawn(records);
        listener::serve(socket, config, recorder, stops.clone()).await;
        Ok::<_, anyhow::Error>(printing)
    })?;
    let finished = printing.finish(FINISH, &stops.force);
    // A delivery task still waiting on a stuck display is not waited for.
    rt.shutdown_timeout(Duration::from_millis(100));
    // Everything is recorded: from here on a signal ends the process, even mid-summary.
    super::default_signals();

    let lines = show::summary_lines(&finished.tally, checked);
    if args.json || !finished.output_ok {
        // Stdout is taken, closed or stuck: the summary still reaches the user.
        let mut err = stream::stderr().lock();
        if let Some(problem) = &finished.problem {
            writeln!(err, "hookctl: {}", palette::plain(problem))?;
        }
        for line in lines {
            writeln!(err, "{line}")?;
        }
    } else {
        let mut out = stream::stdout().lock();
        writeln!(out)?;
        for line in lines {
            writeln!(out, "{line}")?;
        }
    }
    Ok(Exit::verdict(finished.tally.failed_verification() == 0))
}

/// How long one write of the display may block, once the server has stopped, before the output
/// counts as not being read.
const FINISH: Duration = Duration::from_secs(2);
/// The same once the stop is forced: short, yet a write that is merely slow is not cut.
const FORCED_FINISH: Duration = Duration::from_millis(200);

/// The display side of a listener: on its own thread, it writes the queued records in batches
/// (one write and one flush for all), then acknowledges them so their requests are answered.
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
    shared: Arc<Display>,
    turned_away: TurnedAway,
    done: CancellationToken,
    thread: JoinHandle<()>,
}

/// What the display thread and its owner share.
#[derive(Default)]
struct Display {
    /// While set, records are counted but not shown.
    quiet: AtomicBool,
    /// Records handled so far.
    handled: AtomicU64,
    /// What was recorded, updated after each batch is written.
    tally: Mutex<Tally>,
    /// Why the output stopped taking records, once it has.
    broken: Mutex<Option<String>>,
    /// When the write in progress began; `None` between writes. Only a write that does not
    /// return makes the output stuck, not a display that is merely busy.
    writing: Mutex<Option<Instant>>,
}

/// How the display ended.
pub(crate) struct Finished {
    /// What was recorded.
    pub tally: Tally,
    /// Stdout took every record and is free for the summary.
    pub output_ok: bool,
    /// What went wrong with stdout, to say once.
    pub problem: Option<String>,
}

impl Printer {
    /// Starts the display thread on `records`.
    pub(crate) fn spawn(self, records: Records) -> Printing {
        let shared = Arc::new(Display::default());
        let turned_away = records.turned_away();
        let done = CancellationToken::new();
        let thread = {
            let (shared, done) = (shared.clone(), done.clone());
            std::thread::spawn(move || self.print(records, &shared, &done))
        };
        Printing {
            shared,
            turned_away,
            done,
            thread,
        }
    }

    fn print(self, mut records: Records, shared: &Display, done: &CancellationToken) {
        // Waits on the queue only: no I/O driver, no timers.
        let Ok(rt) = tokio::runtime::Builder::new_current_thread().build() else {
            return;
        };
        // Not `stdout().lock()`: other output (a demo's card) must still get its turn.
        let stdout = if self.json {
            stream::plain_stdout()
        } else {
            stream::stdout()
        };
        let mut out = BufWriter::with_capacity(64 * 1024, stdout);
        let mut batch = Vec::new();
        let mut ok = true;
        while rt.block_on(records.next_batch(&mut batch, done)) {
            if ok && let Err(e) = shared.timed(|| self.write(&mut out, &batch, shared)) {
                ok = false;
                *shared.broken.lock().expect("no panics while held") = Some(e.to_string());
                // Nothing more can be recorded: turn senders away and stop.
                records.close();
                self.stop.cancel();
            }
            self.acknowledge(&mut batch, ok, shared);
        }
    }

    /// Writes a batch and flushes it once.
    fn write(&self, out: &mut impl Write, batch: &[Entry], shared: &Display) -> io::Result<()> {
        if !shared.quiet.load(Ordering::Relaxed) {
            for entry in batch {
                let record = entry.record();
                if self.json {
                    show::write_record_json(&mut *out, record, self.redactor.as_ref())?;
                } else {
                    let text = show::record_text(record, self.detail, self.redactor.as_ref());
                    out.write_all(text.as_bytes())?;
                }
            }
        }
        out.flush()
    }

    /// Counts the batch and answers its requests: 2xx only once written.
    fn acknowledge(&self, batch: &mut Vec<Entry>, recorded: bool, shared: &Display) {
        let mut tally = shared.tally.lock().expect("no panics while held");
        for entry in batch.drain(..) {
            if recorded {
                tally.add(entry.record());
            } else {
                tally.unrecorded += 1;
            }
            entry.done(recorded);
        }
        shared
            .handled
            .store(tally.deliveries() + tally.refused, Ordering::Release);
        if self.max_events.is_some_and(|n| tally.deliveries() >= n) {
            self.stop.cancel();
        }
    }
}

impl Display {
    /// Runs `write`, noting while it is in progress.
    fn timed<T>(&self, write: impl FnOnce() -> T) -> T {
        *self.writing.lock().expect("no panics while held") = Some(Instant::now());
        let result = write();
        *self.writing.lock().expect("no panics while held") = None;
        result
    }

    /// How long the write in progress has been blocked; zero between writes.
    fn blocked_for(&self) -> Duration {
        let writing = self.writing.lock().expect("no panics while held");
        writing.map_or(Duration::ZERO, |since| since.elapsed())
    }
}

impl Printing {
    /// Records shown (or counted while quiet) so far.
    pub(crate) fn handled(&self) -> u64 {
        self.shared.handled.load(Ordering::Acquire)
    }

    /// From now on, records are counted but not shown.
    pub(crate) fn quiet(&self) {
        self.shared.quiet.store(true, Ordering::Release);
    }

    /// Once the server has stopped: writes what is still queued, and returns what was recorded.
    /// The output is given up as stuck (a pipe nobody reads, a paused terminal) once one write
    /// has blocked for `wait`, or for [`FORCED_FINISH`] once `force` is cancelled.
    pub(crate) fn finish(self, wait: Duration, force: &CancellationToken) -> Finished {
        self.done.cancel();
        while !self.thread.is_finished() {
            let limit = if force.is_cancelled() {
                FORCED_FINISH.min(wait)
            } else {
                wait
            };
            if self.shared.blocked_for() >= limit {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        let stuck = !self.thread.is_finished();
        if !stuck {
            let _ = self.thread.join();
        }
        let broken = self.shared.broken.lock().expect("no panics while held");
        let problem = match (&*broken, stuck) {
            (Some(e), _) => Some(format!("stopped: the output was closed ({e})")),
            (None, true) => Some("stopped: the output is not being read".to_string()),
            (None, false) => None,
        };
        let mut tally = self
            .shared
            .tally
            .lock()
            .expect("no panics while held")
            .clone();
        tally.turned_away = self.turned_away.get();
        Finished {
            tally,
            output_ok: problem.is_none(),
            problem,
        }
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

fn banner(
    args: &ListenArgs,
    config: &Config,
    addr: std::net::SocketAddr,
    redactor: &Redactor,
) -> Result<()> {
    let mut err = stream::stderr().lock();
    let stop = (args.max_events, args.timeout);
    for line in show::banner_lines(addr, config, stop, redactor) {
        // The path may hold the secret too.
        writeln!(err, "{}", redactor.text(&line))?;
    }
    Ok(())
}
