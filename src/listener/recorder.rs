//! Between the server and whoever records what it received (the display, the JSON lines): a
//! bounded queue and a byte budget, so a slow or stuck consumer becomes back-pressure and 503s
//! instead of memory, and an acknowledgement per record, so a delivery is answered only once its
//! record has been written.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc, oneshot};
use tokio_util::sync::CancellationToken;

use super::Record;

/// Records queued at most.
pub const QUEUE: usize = 4096;
/// Bytes held at most between being read and being recorded: heads, bodies and relayed answers
/// (raised to what one request with the largest body may hold).
pub const BUDGET: usize = 32 << 20;
/// What one request may hold beside its body: its head (hyper caps it near 400 KiB) and a relayed
/// answer (up to 1 MiB).
const ONE_REQUEST_MORE: usize = 2 << 20;
/// How long a request waits for room before it is answered 503.
pub const ROOM_WAIT: Duration = Duration::from_secs(1);
/// Records taken at once by the consumer: one write and one flush for all of them.
const BATCH: usize = 512;

/// The server's side: reserves a place before a body is read, takes budget as the body arrives,
/// then hands the record over.
#[derive(Clone)]
pub struct Recorder {
    queue: mpsc::Sender<Entry>,
    bytes: Arc<Semaphore>,
    budget: u32,
    turned_away: Arc<AtomicU64>,
}

/// The consumer's side: takes the queued records in batches.
pub struct Records {
    queue: mpsc::Receiver<Entry>,
    turned_away: Arc<AtomicU64>,
}

/// Room for one record: a place in the queue, reserved before its body is read, and the bytes it
/// holds (its head, then its body as it arrives), never more.
pub struct Room {
    slot: mpsc::OwnedPermit<Entry>,
    bytes: Option<OwnedSemaphorePermit>,
}

/// One queued record, with the acknowledgement its request waits for.
pub struct Entry {
    record: Record,
    ack: Option<oneshot::Sender<bool>>,
    _bytes: Option<OwnedSemaphorePermit>,
}

/// A bounded recorder for bodies of at most `max_body` bytes, and its consumer's side.
pub fn recorder(max_body: usize) -> (Recorder, Records) {
    let (tx, rx) = mpsc::channel(QUEUE);
    let budget = BUDGET.max(max_body.saturating_add(ONE_REQUEST_MORE));
    // Semaphore permits are counted in u32 at a time: a budget over 4 GiB is 4 GiB.
    let budget = u32::try_from(budget).unwrap_or(u32::MAX);
    let turned_away = Arc::new(AtomicU64::new(0));
    let recorder = Recorder {
        queue: tx,
        bytes: Arc::new(Semaphore::new(budget as usize)),
        budget,
        turned_away: turned_away.clone(),
    };
    (
        recorder,
        Records {
            queue: rx,
            turned_away,
        },
    )
}

/// Requests answered 503 because there was no room to record them.
#[derive(Clone, Default)]
pub struct TurnedAway(Arc<AtomicU64>);

impl TurnedAway {
    /// How many so far.
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

impl Recorder {
    /// Waits up to [`ROOM_WAIT`] for a place in the queue; `None` (counted as turned away) when
    /// there is none or the consumer is gone.
    pub async fn reserve(&self) -> Option<Room> {
        // A place at once, the usual case, without arming a timer.
        if let Ok(slot) = self.queue.clone().try_reserve_owned() {
            return Some(Room { slot, bytes: None });
        }
        let slot = tokio::time::timeout(ROOM_WAIT, self.queue.clone().reserve_owned()).await;
        match slot {
            Ok(Ok(slot)) => Some(Room { slot, bytes: None }),
            _ => {
                self.turn_away();
                None
            }
        }
    }

    /// A place in the queue for a record of a request already answered, now or never (not
    /// counted as turned away: it was not answered 503).
    pub fn try_place(&self) -> Option<Room> {
        let slot = self.queue.clone().try_reserve_owned().ok()?;
        Some(Room { slot, bytes: None })
    }

    /// Adds `bytes` just received to what `room` holds, waiting up to [`ROOM_WAIT`] for them;
    /// `false` (counted as turned away) when the budget has no room for them in time.
    pub async fn hold(&self, room: &mut Room, bytes: usize) -> bool {
        let wanted = u32::try_from(bytes).unwrap_or(u32::MAX).min(self.budget);
        if wanted == 0 {
            return true;
        }
        let permit = match self.bytes.clone().try_acquire_many_owned(wanted) {
            Ok(permit) => permit,
            Err(_) => {
                let wait = self.bytes.clone().acquire_many_owned(wanted);
                match tokio::time::timeout(ROOM_WAIT, wait).await {
                    Ok(Ok(permit)) => permit,
                    _ => {
                        self.turn_away();
                        return false;
                    }
                }
            }
        };
        match &mut room.bytes {
            Some(held) => held.merge(permit),
            none => *none = Some(permit),
        }
        true
    }

    fn turn_away(&self) {
        self.turned_away.fetch_add(1, Ordering::Relaxed);
    }
}

impl Room {
    /// Queues `record` and waits until it is written: `true` once recorded, `false` when the
    /// consumer could not record it (or is gone), or `give_up` was cancelled first.
    pub async fn record(self, record: Record, give_up: &CancellationToken) -> bool {
        let (tx, rx) = oneshot::channel();
        self.queue(record, Some(tx));
        tokio::select! {
            // A record already written wins over giving up: the answer is the status it holds.
            biased;
            recorded = rx => recorded.unwrap_or(false),
            _ = give_up.cancelled() => false,
        }
    }

    /// Queues `record` without waiting for it (a request already answered).
    pub fn note(self, record: Record) {
        self.queue(record, None);
    }

    fn queue(self, record: Record, ack: Option<oneshot::Sender<bool>>) {
        self.slot.send(Entry {
            record,
            ack,
            _bytes: self.bytes,
        });
    }
}

impl Entry {
    /// The record to write.
    pub fn record(&self) -> &Record {
        &self.record
    }

    /// Tells the request whether its record was written; frees its room.
    pub fn done(self, recorded: bool) {
        if let Some(ack) = self.ack {
            let _ = ack.send(recorded);
        }
    }
}

impl Records {
    /// Waits for records, then takes them with whatever else is queued into `batch`. Once `done`
    /// is cancelled it only takes what is already queued; `false` when there is nothing left.
    pub async fn next_batch(&mut self, batch: &mut Vec<Entry>, done: &CancellationToken) -> bool {
        let first = tokio::select! {
            biased;
            entry = self.queue.recv() => entry,
            _ = done.cancelled() => self.queue.try_recv().ok(),
        };
        let Some(first) = first else {
            return false;
        };
        batch.push(first);
        while batch.len() < BATCH {
            match self.queue.try_recv() {
                Ok(entry) => batch.push(entry),
                Err(_) => break,
            }
        }
        true
    }

    /// The records can no longer be written: every request from now on is turned away at once.
    pub fn close(&mut self) {
        self.queue.close();
    }

    /// Counts the requests answered 503 because there was no room to record them; readable
    /// even while the consumer is stuck.
    pub fn turned_away(&self) -> TurnedAway {
        TurnedAway(self.turned_away.clone())
    }
}
