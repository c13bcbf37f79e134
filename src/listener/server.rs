//! The accept loop and the way it stops: stop accepting, let the requests in flight finish within
//! the grace, then cut the waits (`--delay`, relays), then close what is still open. Every
//! request and every delivery task is accounted for before [`serve`] returns.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use super::{Config, Recorder, Refusal, Shared};

/// How long requests still open after the cut get to answer before their connections close.
const AFTER_CUT: Duration = Duration::from_secs(1);

/// How the server is told to stop.
#[derive(Debug, Clone, Default)]
pub struct Stops {
    /// Stop accepting and finish what is in flight within the grace.
    pub stop: CancellationToken,
    /// Stop now: cut every wait and close every connection.
    pub force: CancellationToken,
    /// How long requests in flight may take once `stop` is cancelled.
    pub grace: Duration,
}

/// Tasks in flight (a delivery's work after its body was read), to wait for before returning.
#[derive(Default)]
pub(super) struct InFlight {
    count: AtomicUsize,
    idle: Notify,
}

/// One task counted in [`InFlight`] while it lives.
pub(super) struct Busy(Arc<InFlight>);

impl InFlight {
    pub(super) fn enter(self: &Arc<Self>) -> Busy {
        self.count.fetch_add(1, Ordering::AcqRel);
        Busy(self.clone())
    }

    async fn idle(&self) {
        loop {
            let notified = self.idle.notified();
            if self.count.load(Ordering::Acquire) == 0 {
                return;
            }
            notified.await;
        }
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        if self.0.count.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.0.idle.notify_waiters();
        }
    }
}

/// Serves until `stops.stop` is cancelled, then stops as the module says. Every request becomes
/// a record on `recorder`; a request answered 2xx has had its record written.
pub async fn serve(listener: TcpListener, config: Config, recorder: Recorder, stops: Stops) {
    let header_timeout = config.header_timeout;
    let shared = Arc::new(Shared::new(config, recorder));
    let app = axum::Router::new()
        .fallback(super::handle)
        .with_state(shared.clone());
    let graceful = GracefulShutdown::new();
    let mut connections = JoinSet::new();
    loop {
        let (stream, _peer): (_, SocketAddr) = tokio::select! {
            _ = stops.stop.cancelled() => break,
            // Finished connections are reaped as they go, so the set stays the size of the load.
            Some(_) = connections.join_next(), if !connections.is_empty() => continue,
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                // Out of file descriptors or a reset before accept: back off briefly, keep serving.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(app.clone());
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            .header_read_timeout(header_timeout)
            .keep_alive(true);
        let connection = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
        let shared = shared.clone();
        connections.spawn(async move {
            if let Err(error) = connection.await {
                refused_by_hyper(&shared, &error);
            }
        });
    }
    drop(listener);
    stop(graceful, connections, &shared, &stops).await;
}

/// Lets what is in flight finish within the grace, then cuts the waits, then closes the rest.
async fn stop(
    graceful: GracefulShutdown,
    mut connections: JoinSet<()>,
    shared: &Shared,
    stops: &Stops,
) {
    // Every connection closed and its last record queued, every delivery task done.
    let mut finished = Box::pin(async {
        graceful.shutdown().await;
        while connections.join_next().await.is_some() {}
        shared.in_flight.idle().await;
    });
    tokio::select! {
        _ = &mut finished => return,
        _ = tokio::time::sleep(stops.grace) => {}
        _ = stops.force.cancelled() => {}
    }
    shared.cut.cancel();
    tokio::select! {
        _ = &mut finished => return,
        _ = tokio::time::sleep(AFTER_CUT) => {}
        _ = stops.force.cancelled() => {}
    }
    drop(finished);
    // Whoever still waits (for a stalled body, or for a record the display cannot write) is
    // not answered: never acknowledged, so never lost.
    shared.give_up.cancel();
    connections.abort_all();
    tokio::select! {
        _ = shared.in_flight.idle() => {}
        _ = tokio::time::sleep(AFTER_CUT) => {}
        _ = stops.force.cancelled() => {}
    }
}

/// hyper's text for a request line over its limit, which it answers 414. hyper 1.x has no typed
/// predicate for it: `is_parse_too_large` covers it and a head over the limit (431) alike, and
/// its kinds are private, so its fixed description is the only way to tell them apart.
const URI_TOO_LONG: &str = "URI too long";

/// Records a request that hyper answered itself (431, 414, 400) because it could not parse it.
fn refused_by_hyper(shared: &Shared, error: &hyper::Error) {
    // An HTTP/2 preface is closed without an answer; a bad status is a client-side error.
    if !error.is_parse() || error.is_parse_version_h2() || error.is_parse_status() {
        return;
    }
    let status = if !error.is_parse_too_large() {
        400
    } else if error.to_string() == URI_TOO_LONG {
        414
    } else {
        431
    };
    // Already answered by hyper (not 503): with no room it goes unrecorded, not turned away.
    let Some(room) = shared.recorder.try_place() else {
        return;
    };
    let mut record = shared.new_record(jiff::Timestamp::now(), "-", "-");
    record.refused = Some(Refusal::Malformed(error.to_string()));
    record.answered = status;
    room.note(record);
}
