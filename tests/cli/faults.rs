//! `send --retries 5` against endpoints that fail at the socket level: reset connections,
//! silence, 503 with `Retry-After`, a body cut short. Each always fails, so the delivery must
//! take exactly 6 attempts, report every one, wait by the schedule and give up with exit code 1.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::{hookctl, stdout_with_code};

const SECRET: &str = "whsec_ZmF1bHRzLXRlc3Qtc2VjcmV0LWtleQ==";

/// What the raw server does with the n-th request (0-based), once it has arrived whole.
enum Fault {
    /// Close with the request still unread, so the kernel answers with a reset (RST).
    Reset,
    /// Read the request and never answer; the connection stays open.
    Stall,
    /// Write these bytes, then close.
    Reply(Vec<u8>),
    /// Promise 100 bytes of body, send 10, close.
    CutBody,
}

/// A hand-rolled HTTP/1.1 endpoint on 127.0.0.1:0, one connection at a time.
struct RawServer {
    url: String,
    arrivals: Arc<Mutex<Vec<Instant>>>,
}

impl RawServer {
    fn start(fault: impl Fn(usize) -> Fault + Send + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let arrivals = Arc::new(Mutex::new(Vec::new()));
        let log = arrivals.clone();
        std::thread::spawn(move || {
            let mut stalled = Vec::new();
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let Some(len) = whole_request(&stream) else {
                    continue;
                };
                let n = {
                    let mut log = log.lock().unwrap();
                    log.push(Instant::now());
                    log.len() - 1
                };
                match fault(n) {
                    Fault::Reset => drop(stream),
                    Fault::Stall => {
                        consume(&mut stream, len);
                        stalled.push(stream);
                    }
                    Fault::Reply(bytes) => {
                        consume(&mut stream, len);
                        let _ = stream.write_all(&bytes);
                    }
                    Fault::CutBody => {
                        consume(&mut stream, len);
                        let _ = stream.write_all(
                            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"receive",
                        );
                    }
                }
            }
        });
        RawServer { url, arrivals }
    }

    fn arrivals(&self) -> Vec<Instant> {
        self.arrivals.lock().unwrap().clone()
    }
}

/// Peeks until the whole request (head and Content-Length body) is buffered; its length.
fn whole_request(stream: &TcpStream) -> Option<usize> {
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = stream.peek(&mut buf).ok().filter(|n| *n > 0)?;
        let seen = &buf[..n];
        if let Some(end) = seen.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&seen[..end]).to_ascii_lowercase();
            let body: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            if n >= end + 4 + body {
                return Some(end + 4 + body);
            }
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

fn consume(stream: &mut TcpStream, len: usize) {
    let mut request = vec![0u8; len];
    stream.read_exact(&mut request).unwrap();
}

fn reply(status: &str, headers: &str) -> Vec<u8> {
    format!("HTTP/1.1 {status}\r\n{headers}connection: close\r\ncontent-length: 0\r\n\r\n")
        .into_bytes()
}

/// One `attempt n/6: …` line.
#[derive(Debug)]
struct Attempt {
    number: u32,
    of: u32,
    what: String,
    /// The announced wait before the next attempt, and whether it came from Retry-After.
    wait: Option<(Duration, bool)>,
}

fn attempts(stdout: &str) -> Vec<Attempt> {
    stdout
        .lines()
        .filter_map(|l| l.trim().strip_prefix("attempt "))
        .map(|l| {
            let (count, rest) = l.split_once(": ").unwrap();
            let (number, of) = count.split_once('/').unwrap();
            let (what, wait) = match rest.split_once("; retrying in ") {
                Some((what, wait)) => (what, Some(parse_wait(wait))),
                None => (rest, None),
            };
            Attempt {
                number: number.parse().unwrap(),
                of: of.parse().unwrap(),
                what: what.to_string(),
                wait,
            }
        })
        .collect()
}

/// `12 ms`, `1.0 s (Retry-After)`.
fn parse_wait(text: &str) -> (Duration, bool) {
    let (amount, retry_after) = match text.strip_suffix(" (Retry-After)") {
        Some(a) => (a, true),
        None => (text, false),
    };
    let wait = if let Some(ms) = amount.strip_suffix(" ms") {
        Duration::from_millis(ms.parse().unwrap())
    } else {
        Duration::from_secs_f64(amount.strip_suffix(" s").unwrap().parse().unwrap())
    };
    (wait, retry_after)
}

/// `send --retries 5` in text mode; it must fail with exit code 1. Returns stdout.
fn send_text(url: &str, args: &[&str]) -> String {
    stdout_with_code(
        hookctl()
            .args(["send", "--url", url, "--secret", SECRET, "--retries", "5"])
            .args(args),
        1,
    )
}

/// The same with `--json`: the delivery's JSON object.
fn send_json(url: &str, args: &[&str]) -> Value {
    serde_json::from_str(&send_text(url, &[args, &["--json"]].concat())).unwrap()
}

/// Six attempts numbered 1/6..6/6, each reported with `what`, a wait after each but the last,
/// each wait within `ceiling(n)` and actually waited (the server saw the gap), then a give-up.
fn assert_gave_up_on_schedule(
    server: &RawServer,
    stdout: &str,
    what: &str,
    ceiling: impl Fn(u32) -> (Duration, bool),
) {
    let seen = attempts(stdout);
    let numbers: Vec<(u32, u32)> = seen.iter().map(|a| (a.number, a.of)).collect();
    assert_eq!(
        numbers,
        (1..=6).map(|n| (n, 6)).collect::<Vec<_>>(),
        "every attempt is reported: {stdout}"
    );
    for a in &seen {
        assert!(
            a.what.contains(what),
            "attempt {}: {:?} lacks {what:?}",
            a.number,
            a.what
        );
        let (max, retry_after) = ceiling(a.number);
        match (a.number, a.wait) {
            (6, None) => {}
            (6, Some(w)) => panic!("a wait announced after the last attempt: {w:?}"),
            (n, None) => panic!("attempt {n} announces no wait: {stdout}"),
            (n, Some((wait, from_header))) => {
                assert_eq!(from_header, retry_after, "attempt {n}: {stdout}");
                if retry_after {
                    assert_eq!(wait, max, "attempt {n}: Retry-After, capped");
                } else {
                    assert!(
                        wait <= max,
                        "attempt {n}: {wait:?} over the ceiling {max:?}"
                    );
                }
            }
        }
    }
    let verdict = stdout
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with('✗'))
        .unwrap_or_else(|| panic!("no verdict: {stdout}"));
    assert!(
        verdict.contains(what) && verdict.ends_with("(gave up after 6 attempts)"),
        "{verdict}"
    );
    let arrivals = server.arrivals();
    assert_eq!(
        arrivals.len(),
        6,
        "1 attempt + 5 retries reached the server"
    );
    for (n, pair) in arrivals.windows(2).enumerate() {
        let (wait, _) = seen[n].wait.unwrap();
        let gap = pair[1] - pair[0];
        assert!(
            gap >= wait,
            "attempt {} came {gap:?} after the previous one, before the announced {wait:?}",
            n + 2
        );
    }
}

/// Full jitter over a doubling ceiling: `backoff · 2^(n-1)`, at most `cap`.
fn backoff(backoff_ms: u64, cap_ms: u64) -> impl Fn(u32) -> (Duration, bool) {
    move |n| {
        (
            Duration::from_millis((backoff_ms << (n - 1)).min(cap_ms)),
            false,
        )
    }
}

#[test]
fn a_connection_reset_every_time_is_retried_five_times_then_given_up() {
    let args = ["--backoff", "8ms", "--max-backoff", "40ms"];
    let server = RawServer::start(|_| Fault::Reset);
    let out = send_text(&server.url, &args);
    assert_gave_up_on_schedule(
        &server,
        &out,
        "the connection closed before a complete answer",
        backoff(8, 40),
    );

    let server = RawServer::start(|_| Fault::Reset);
    let doc = send_json(&server.url, &args);
    assert_eq!(
        (doc["attempts"].as_u64(), doc["ok"].as_bool()),
        (Some(6), Some(false))
    );
    assert_eq!(doc["error_kind"], "dropped");
    assert_eq!(server.arrivals().len(), 6);
}

#[test]
fn an_endpoint_that_never_answers_times_out_six_times() {
    let args = ["--timeout", "150ms", "--backoff", "5ms"];
    let server = RawServer::start(|_| Fault::Stall);
    let started = Instant::now();
    let out = send_text(&server.url, &args);
    assert!(
        started.elapsed() >= Duration::from_millis(6 * 150),
        "each attempt waited out its budget"
    );
    assert_gave_up_on_schedule(&server, &out, "took longer than 150 ms", backoff(5, 60_000));

    let server = RawServer::start(|_| Fault::Stall);
    let doc = send_json(&server.url, &args);
    assert_eq!(
        (doc["attempts"].as_u64(), doc["error_kind"].as_str()),
        (Some(6), Some("timeout"))
    );
    assert_eq!(server.arrivals().len(), 6);
}

#[test]
fn retry_after_on_503_is_honoured_within_the_cap_then_backoff_resumes() {
    // 1st: Retry-After 1 (waited in full); 2nd: Retry-After 3600 (cut to --max-backoff 1s);
    // then plain 503s (backoff with jitter) to the end.
    let server = RawServer::start(|n| match n {
        0 => Fault::Reply(reply("503 Service Unavailable", "retry-after: 1\r\n")),
        1 => Fault::Reply(reply("503 Service Unavailable", "retry-after: 3600\r\n")),
        _ => Fault::Reply(reply("503 Service Unavailable", "")),
    });
    let out = send_text(&server.url, &["--backoff", "5ms", "--max-backoff", "1s"]);
    assert_gave_up_on_schedule(&server, &out, "503 Service Unavailable", |n| match n {
        1 | 2 => (Duration::from_secs(1), true),
        n => backoff(5, 1000)(n),
    });
    let arrivals = server.arrivals();
    assert!(
        arrivals[1] - arrivals[0] >= Duration::from_secs(1)
            && arrivals[2] - arrivals[1] >= Duration::from_secs(1),
        "Retry-After waits were not honoured"
    );
    assert!(
        arrivals[2] - arrivals[1] < Duration::from_secs(5),
        "Retry-After: 3600 was not capped by --max-backoff"
    );
}

#[test]
fn a_body_cut_short_is_not_a_delivery_and_is_retried() {
    let args = ["--backoff", "5ms"];
    let server = RawServer::start(|_| Fault::CutBody);
    let out = send_text(&server.url, &args);
    assert_gave_up_on_schedule(
        &server,
        &out,
        "the connection closed before a complete answer",
        backoff(5, 60_000),
    );
    assert!(!out.contains('✓'), "a 200 with a cut body passed: {out}");

    let server = RawServer::start(|_| Fault::CutBody);
    let doc = send_json(&server.url, &args);
    assert_eq!(
        (
            doc["attempts"].as_u64(),
            doc["ok"].as_bool(),
            doc["error_kind"].as_str()
        ),
        (Some(6), Some(false), Some("dropped"))
    );
    assert_eq!(server.arrivals().len(), 6);
}
