//! Nothing lost: a burst of signed events into `listen --save DIR --json`, whole or cut short by
//! Ctrl-C, SIGTERM or SIGHUP, leaves every acknowledged event on disk and in the JSON lines, byte
//! for byte, once.
//!
//! 2,000 events here keep the debug-build tests near 3 s each on 2 cores; `scripts/burst` runs
//! the same tests in release with `HOOKCTL_BURST=100000` and reports their `burst:` lines.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hookctl::listener::saved;
use hookctl::signature::{Headers, Policy, Scheme, Signer, Stamp, Verdict};
use serde_json::Value;

use super::hookctl;
use super::listening::{Listening, addr, lines};

const SECRET: &str = "whsec_YnVyc3QtdGVzdC1zZWNyZXQta2V5";
const CONCURRENCY: usize = 64;

/// Events in a burst: 2,000, or `HOOKCTL_BURST`.
fn burst_size() -> usize {
    std::env::var("HOOKCTL_BURST")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2_000)
}

fn signer() -> Signer {
    super::listening::signer(Scheme::Ekdsend, SECRET)
}

/// What the listener kept, by event id: saved files and JSON lines (deliveries only).
struct Kept {
    on_disk: BTreeMap<String, saved::Saved>,
    shown: BTreeMap<String, Value>,
    /// Second copies of an id, on disk or in the lines.
    duplicated: usize,
    /// Temporary files left in the save directory.
    temporaries: usize,
}

impl Kept {
    fn read(dir: &Path, stdout: &str) -> Self {
        let mut kept = Kept {
            on_disk: BTreeMap::new(),
            shown: BTreeMap::new(),
            duplicated: 0,
            temporaries: 0,
        };
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if !path.to_string_lossy().ends_with(".http") {
                kept.temporaries += 1;
                continue;
            }
            let request = saved::read(&path, u64::MAX).unwrap();
            let body: Value = serde_json::from_slice(&request.body).unwrap();
            let id = body["id"].as_str().unwrap().to_string();
            if kept.on_disk.insert(id, request).is_some() {
                kept.duplicated += 1;
            }
        }
        for line in lines(stdout) {
            if !line["refused"].is_null() {
                continue;
            }
            let id = line["id"].as_str().unwrap().to_string();
            if kept.shown.insert(id, line).is_some() {
                kept.duplicated += 1;
            }
        }
        kept
    }

    /// Ids kept on one side only.
    fn one_sided(&self) -> usize {
        let disk: BTreeSet<_> = self.on_disk.keys().collect();
        let shown: BTreeSet<_> = self.shown.keys().collect();
        disk.symmetric_difference(&shown).count()
    }

    /// Why the copies of `id` are not the event sent (`sent`: its exact bytes, when known).
    fn differs(&self, id: &str, sent: Option<&[u8]>) -> Option<String> {
        let file = self.on_disk.get(id)?;
        let line = self.shown.get(id)?;
        if sent.is_some_and(|bytes| bytes != file.body) {
            return Some(format!("{id}: the saved body is not the bytes sent"));
        }
        let headers = Headers::from(&file.headers);
        let policy = Policy {
            now: jiff::Timestamp::now().as_second(),
            tolerance: Some(300),
        };
        // Our own verdict: the listener's is not taken on trust.
        if signer().verify(&headers, &file.body, &policy) != Verdict::Valid {
            return Some(format!(
                "{id}: the saved request's signature does not verify"
            ));
        }
        if line["signature"]["status"] != "valid" || line["status"] != 200 {
            return Some(format!("{id}: the JSON line says {line}"));
        }
        if hookctl::json::compact(&line["body"]) != file.body {
            return Some(format!("{id}: the JSON line's body is not the saved bytes"));
        }
        let signature = file
            .headers
            .get("x-ekdsend-signature")
            .map(|v| v.as_bytes());
        if line["headers"]["x-ekdsend-signature"]
            .as_str()
            .map(str::as_bytes)
            != signature
        {
            return Some(format!("{id}: the JSON line's signature header differs"));
        }
        None
    }
}

#[test]
fn a_burst_of_signed_events_is_all_on_disk_and_in_the_json_lines_once() {
    let n = burst_size();
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("saved");
    let max = n.to_string();
    let l = Listening::saving(&save, &["--secret", SECRET, "--json", "--max-events", &max]);
    let started = Instant::now();
    let out = hookctl()
        .args(["send", "email.delivered", "sms.sent", "--count", &max])
        .args(["--concurrency", &CONCURRENCY.to_string(), "--json"])
        .args(["--secret", SECRET, "--url", &l.url])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let elapsed = started.elapsed();
    let summary: Value = serde_json::from_slice(&out).unwrap();
    let acked = summary["ok"].as_u64().unwrap() as usize;
    let (code, stdout, stderr) = l.finish();
    let kept = Kept::read(&save, &stdout);

    let both = kept
        .on_disk
        .keys()
        .filter(|id| kept.shown.contains_key(*id))
        .count();
    let differing: Vec<String> = kept
        .on_disk
        .keys()
        .filter_map(|id| kept.differs(id, None))
        .collect();
    eprintln!(
        "burst: {n} events, concurrency {CONCURRENCY}, {:.2} s ({:.0} events/s): {acked} acknowledged 2xx, \
         {} on disk, {} in JSON lines; lost {}, duplicated {}, one-sided {}, differing {}",
        elapsed.as_secs_f64(),
        n as f64 / elapsed.as_secs_f64(),
        kept.on_disk.len(),
        kept.shown.len(),
        acked.saturating_sub(both),
        kept.duplicated,
        kept.one_sided(),
        differing.len(),
    );
    assert_eq!(
        (acked, summary["requests"].as_u64(), &summary["errors"]),
        (n, Some(n as u64), &serde_json::json!({})),
        "every event acknowledged 2xx on the first try: {summary}"
    );
    assert_eq!(
        (kept.on_disk.len(), kept.shown.len(), both),
        (n, n, n),
        "on disk, in the JSON lines, in both"
    );
    assert_eq!(
        (kept.duplicated, kept.temporaries),
        (0, 0),
        "second copies, temporaries left"
    );
    assert!(
        differing.is_empty(),
        "{:#?}",
        &differing[..differing.len().min(5)]
    );
    let sms = kept
        .on_disk
        .values()
        .filter(|r| r.body.windows(10).any(|w| w == b"\"sms.sent\""))
        .count();
    assert_eq!(sms, n / 2, "round-robin over both types");
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(&format!("{n} deliveries received"))
            && stderr.contains(&format!("✓ {n} valid  ✗ 0 invalid  – 0 unsigned")),
        "{stderr}"
    );
}

/// What the client saw for one event.
struct Ack {
    id: String,
    body: Vec<u8>,
    status: u16,
    at: Instant,
}

/// A keep-alive HTTP/1.1 client on one connection: sends signed events until the connection
/// ends, recording every answer it reads whole.
fn client(url: &str, worker: usize, acks: Arc<Mutex<Vec<Ack>>>, count: Arc<AtomicUsize>) {
    let authority = addr(url);
    let Ok(stream) = TcpStream::connect(&authority) else {
        return;
    };
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    let signer = signer();
    for n in 0.. {
        let id = format!("evt_w{worker:02}n{n:07}");
        let body = format!(
            r#"{{"id":"{id}","type":"email.delivered","created_at":"2026-01-01T00:00:00Z","data":{{"to":"burst@example.com","n":{n}}}}}"#
        )
        .into_bytes();
        let stamp = Stamp {
            id: id.clone(),
            timestamp: jiff::Timestamp::now().as_second(),
        };
        let mut request = format!(
            "POST /burst HTTP/1.1\r\nhost: {authority}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n",
            body.len()
        );
        for (name, value) in signer.sign(&body, &stamp).unwrap().headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str("\r\n");
        let mut bytes = request.into_bytes();
        bytes.extend_from_slice(&body);
        if writer.write_all(&bytes).is_err() {
            return;
        }
        let Some(status) = read_answer(&mut reader) else {
            return;
        };
        let at = Instant::now();
        acks.lock().unwrap().push(Ack {
            id,
            body,
            status,
            at,
        });
        count.fetch_add(1, Ordering::Relaxed);
    }
}

/// Reads one whole answer; its status, or `None` when the connection ended first.
fn read_answer(reader: &mut impl BufRead) -> Option<u16> {
    let mut line = String::new();
    reader.read_line(&mut line).ok().filter(|n| *n > 0)?;
    let status = line.split(' ').nth(1)?.parse().ok()?;
    let mut length = 0;
    loop {
        line.clear();
        reader.read_line(&mut line).ok().filter(|n| *n > 0)?;
        let header = line.trim_end().to_ascii_lowercase();
        if header.is_empty() {
            break;
        }
        if let Some(v) = header.strip_prefix("content-length:") {
            length = v.trim().parse().ok()?;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(status)
}

#[test]
fn ctrl_c_during_a_burst_keeps_everything_acknowledged_and_prints_the_summary() {
    a_signal_during_a_burst("INT");
}

#[test]
fn sigterm_during_a_burst_keeps_everything_acknowledged_and_prints_the_summary() {
    // What `timeout`, `docker stop` and systemd send.
    a_signal_during_a_burst("TERM");
}

#[test]
fn sighup_during_a_burst_keeps_everything_acknowledged_and_prints_the_summary() {
    // What a closed terminal sends.
    a_signal_during_a_burst("HUP");
}

/// 64 keep-alive clients, the signal `name` half-way: everything acknowledged is kept.
fn a_signal_during_a_burst(name: &str) {
    let interrupt_at = burst_size() / 2;
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("saved");
    let l = Listening::saving(&save, &["--secret", SECRET, "--json"]);
    let acks = Arc::new(Mutex::new(Vec::new()));
    let count = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..CONCURRENCY)
        .map(|w| {
            let (url, acks, count) = (l.url.clone(), acks.clone(), count.clone());
            std::thread::spawn(move || client(&url, w, acks, count))
        })
        .collect();

    // Interrupt in the thick of it: half-way, with 64 requests in flight.
    let deadline = Instant::now() + Duration::from_secs(600);
    while count.load(Ordering::Relaxed) < interrupt_at {
        assert!(Instant::now() < deadline, "the burst did not get going");
        std::thread::sleep(Duration::from_millis(2));
    }
    let signalled = Instant::now();
    l.signal(name);
    for w in workers {
        w.join().unwrap();
    }
    let (code, stdout, stderr) = l.finish();
    let stopped = signalled.elapsed();
    let kept = Kept::read(&save, &stdout);

    let acks = std::mem::take(&mut *acks.lock().unwrap());
    let before = acks.iter().filter(|a| a.at < signalled).count();
    let not_200 = acks.iter().filter(|a| a.status != 200).count();
    // Everything acknowledged, before the signal or while draining after it, must be kept.
    let lost: Vec<&str> = acks
        .iter()
        .filter(|a| !kept.on_disk.contains_key(&a.id) || !kept.shown.contains_key(&a.id))
        .map(|a| a.id.as_str())
        .collect();
    let differing: Vec<String> = acks
        .iter()
        .filter_map(|a| kept.differs(&a.id, Some(&a.body)))
        .collect();
    // And nothing else: what it accepted before closing, it finished and answered.
    let acked: BTreeSet<&str> = acks.iter().map(|a| a.id.as_str()).collect();
    let unanswered: Vec<&String> = kept
        .on_disk
        .keys()
        .filter(|id| !acked.contains(id.as_str()))
        .collect();
    let summary = format!("{} deliveries received", kept.shown.len());
    let printed = stderr.contains(&summary)
        && stderr.contains(&format!("✓ {} valid  ✗ 0 invalid", kept.shown.len()));
    eprintln!(
        "burst: SIG{name} after {before} acknowledged; {} acknowledged in all, {} on disk, {} in JSON lines; \
         lost {}, duplicated {}, one-sided {}, differing {}, unanswered {}; summary printed: {printed}, \
         exit code {code}, exited {} ms after the signal",
        acks.len(),
        kept.on_disk.len(),
        kept.shown.len(),
        lost.len(),
        kept.duplicated,
        kept.one_sided(),
        differing.len(),
        unanswered.len(),
        stopped.as_millis(),
    );
    assert!(
        before >= interrupt_at,
        "{before} acknowledged before the signal"
    );
    assert_eq!(not_200, 0, "every answer was 200");
    assert!(
        lost.is_empty(),
        "acknowledged but not kept: {:?}",
        &lost[..lost.len().min(5)]
    );
    assert!(
        differing.is_empty(),
        "{:#?}",
        &differing[..differing.len().min(5)]
    );
    assert_eq!(
        (kept.duplicated, kept.temporaries, kept.one_sided()),
        (0, 0, 0),
        "second copies, temporaries left, ids on disk or in the lines only"
    );
    assert!(
        unanswered.is_empty(),
        "kept but never answered: {unanswered:?}"
    );
    assert_eq!(code, 0, "all valid: exit code 0 as documented\n{stderr}");
    assert!(printed, "the summary, on stderr in --json mode: {stderr}");
}

#[test]
fn ctrl_c_right_after_the_banner_still_prints_the_summary() {
    // The banner says "stop with Ctrl-C": by then the signal must already be caught.
    for _ in 0..5 {
        let l = Listening::start(&["--json"]);
        l.interrupt();
        let (code, _, stderr) = l.finish();
        assert_eq!(
            code, 0,
            "killed by the signal instead of stopping: {stderr}"
        );
        assert!(stderr.contains("0 deliveries received"), "{stderr}");
    }
}
