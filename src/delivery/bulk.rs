//! Bulk mode: N deliveries by C workers, each over its own kept-alive connection, optionally
//! rate-limited, with statistics collected in one shared tally.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use tokio::sync::Mutex;
use tokio_util::sync::CancellationToken;

use super::{Attempt, Endpoint, Failure, Outcome, Outgoing, RetryPolicy, Target, Wire};

/// The longest latency the histogram tells apart: an hour, in microseconds.
const MAX_MICROS: u64 = 3_600_000_000;

/// What a burst sends.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    /// Deliveries in all.
    pub count: u64,
    /// Deliveries in flight at once.
    pub concurrency: usize,
    /// Deliveries started per second at most.
    pub rate: Option<f64>,
    /// Retries for each delivery.
    pub retry: RetryPolicy,
}

/// Live counters a progress display can read while the burst runs.
#[derive(Debug, Default)]
pub struct Progress {
    /// Deliveries finished.
    pub done: AtomicU64,
    /// Deliveries that ended 2xx.
    pub ok: AtomicU64,
}

/// What a burst did.
#[derive(Debug, Clone)]
pub struct Stats {
    /// Deliveries finished (each with its own event id).
    pub sent: u64,
    /// Requests made, retries included.
    pub requests: u64,
    /// Deliveries that ended 2xx.
    pub ok: u64,
    /// Final status codes and how often each ended a delivery.
    pub statuses: BTreeMap<u16, u64>,
    /// Final failure kinds (`timeout`, `refused`, …) and their counts.
    pub errors: BTreeMap<&'static str, u64>,
    /// Latency of every request, in microseconds.
    pub latency: Histogram<u64>,
    /// Requests that took longer than the budget, or timed out.
    pub over_budget: u64,
    /// Wall time of the burst.
    pub elapsed: Duration,
    /// Whether it was stopped before sending everything.
    pub interrupted: bool,
}

impl Stats {
    fn new() -> Self {
        Self {
            sent: 0,
            requests: 0,
            ok: 0,
            statuses: BTreeMap::new(),
            errors: BTreeMap::new(),
            latency: Histogram::new_with_bounds(1, MAX_MICROS, 3).expect("valid bounds"),
            over_budget: 0,
            elapsed: Duration::ZERO,
            interrupted: false,
        }
    }

    fn record_attempt(&mut self, attempt: &Attempt, budget: Duration) {
        self.requests += 1;
        let micros = attempt.latency.as_micros().clamp(1, MAX_MICROS.into()) as u64;
        self.latency.saturating_record(micros);
        let timed_out = matches!(attempt.outcome, Outcome::Failed(Failure::Timeout(_)));
        if timed_out || attempt.latency > budget {
            self.over_budget += 1;
        }
    }

    fn record_final(&mut self, outcome: &Outcome) {
        self.sent += 1;
        match outcome {
            Outcome::Answered(a) => {
                *self.statuses.entry(a.status).or_default() += 1;
                if a.is_success() {
                    self.ok += 1;
                }
            }
            Outcome::Failed(f) => *self.errors.entry(f.kind()).or_default() += 1,
        }
    }

    /// Requests per second over the whole burst.
    pub fn requests_per_second(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// Request latency at quantile `q` (0.5 for the median; 1.0 for the maximum), in milliseconds.
    pub fn latency_ms(&self, q: f64) -> f64 {
        if self.latency.is_empty() {
            return 0.0;
        }
        let micros = if q >= 1.0 {
            self.latency.max()
        } else {
            self.latency.value_at_quantile(q)
        };
        micros as f64 / 1000.0
    }
}

/// Sends `plan.count` deliveries built by `make(index)`, each worker over its own connection
/// to `target`; stops early when `stop` is cancelled.
pub async fn run<F>(
    endpoint: Arc<Endpoint>,
    target: Arc<Target>,
    plan: Plan,
    make: F,
    progress: Arc<Progress>,
    stop: CancellationToken,
) -> Stats
where
    F: Fn(u64) -> Outgoing + Send + Sync + 'static,
{
    let make = Arc::new(make);
    let next = Arc::new(AtomicU64::new(0));
    let pace = plan.rate.filter(|r| *r > 0.0).map(|r| {
        let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / r));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        Arc::new(Mutex::new(tick))
    });
    // One tally under a lock: held for a few counter updates per request, it costs less than
    // a histogram per worker to allocate and merge.
    let stats = Arc::new(std::sync::Mutex::new(Stats::new()));
    let started = Instant::now();
    let workers: Vec<_> = (0..plan.concurrency.max(1))
        .map(|_| {
            let mut wire = Wire::new(target.clone());
            let (endpoint, make, next, pace, progress, stop, stats) = (
                endpoint.clone(),
                make.clone(),
                next.clone(),
                pace.clone(),
                progress.clone(),
                stop.clone(),
                stats.clone(),
            );
            tokio::spawn(async move {
                let budget = endpoint.timeout();
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    if index >= plan.count || stop.is_cancelled() {
                        break;
                    }
                    if let Some(pace) = &pace {
                        tokio::select! {
                            _ = async { pace.lock().await.tick().await; } => {}
                            _ = stop.cancelled() => break,
                        }
                    }
                    let outgoing = make(index);
                    let mut record = |a: &Attempt| lock(&stats).record_attempt(a, budget);
                    let delivery = tokio::select! {
                        d = endpoint.deliver(Some(&mut wire), &outgoing, &plan.retry, &mut record) => d,
                        _ = stop.cancelled() => break,
                    };
                    lock(&stats).record_final(&delivery.last.outcome);
                    progress.done.fetch_add(1, Ordering::Relaxed);
                    if delivery.is_success() {
                        progress.ok.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    for worker in workers {
        let _ = worker.await;
    }
    let mut total = lock(&stats).clone();
    total.elapsed = started.elapsed();
    total.interrupted = stop.is_cancelled() && total.sent < plan.count;
    total
}

fn lock(stats: &std::sync::Mutex<Stats>) -> std::sync::MutexGuard<'_, Stats> {
    // A worker that panicked mid-update leaves counts that are still worth reporting.
    stats
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
