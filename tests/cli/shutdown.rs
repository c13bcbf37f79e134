//! However the listener stops (a signal, a closed or stuck output, the end of the grace, a sender
//! that hangs up), what it answered 2xx is in its records, and it still stops and sums up.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::listening::{Listening, addr, lines, listener_with_stdout, post};
use super::server::TestServer;
use super::{assert_contains, memory_kib};

/// An event with this id.
fn event(id: &str) -> Vec<u8> {
    format!(r#"{{"id":"{id}","type":"email.delivered","data":{{"to":"a@example.com"}}}}"#)
        .into_bytes()
}

/// The head of a POST of `length` bytes on a keep-alive connection.
fn head(authority: &str, length: usize) -> String {
    format!(
        "POST /hook HTTP/1.1\r\nhost: {authority}\r\ncontent-type: application/json\r\ncontent-length: {length}\r\n\r\n"
    )
}

/// The status of the answer read from `stream`, or `None` when it closed without one.
fn status_of(stream: &TcpStream) -> Option<u16> {
    let mut line = String::new();
    BufReader::new(stream).read_line(&mut line).ok()?;
    line.split(' ').nth(1)?.parse().ok()
}

/// Waits for `child` to exit, at most `limit`; its exit code and how long it took.
fn exit_within(child: &mut Child, limit: Duration) -> (i32, Duration) {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return (status.code().unwrap_or(-1), started.elapsed());
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("still running {limit:?} after being told to stop");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The ids of the deliveries in JSON lines, and the lines' count.
fn delivered_ids(stdout: &str) -> Vec<String> {
    lines(stdout)
        .iter()
        .filter(|l| l["refused"].is_null())
        .map(|l| l["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn sigterm_and_sighup_stop_gracefully_and_a_second_signal_forces_the_exit() {
    for name in ["TERM", "HUP"] {
        let l = Listening::start(&["--json"]);
        assert_eq!(post(&l.url, &[], &event("evt_1")).status, 200);
        // A stalled sender keeps the graceful stop waiting for the whole grace.
        let stalled = TcpStream::connect(l.addr()).unwrap();
        (&stalled)
            .write_all(head(&l.addr(), 100).as_bytes())
            .unwrap();
        std::thread::sleep(Duration::from_millis(100));
        l.signal(name);
        std::thread::sleep(Duration::from_millis(300));
        let forced = Instant::now();
        l.signal(name);
        let (code, out, err) = l.finish();
        assert!(
            forced.elapsed() < Duration::from_millis(1500),
            "SIG{name} twice: stopped {:?} after the second",
            forced.elapsed()
        );
        assert_eq!(code, 0, "SIG{name}: the usual exit code\n{err}");
        assert_eq!(delivered_ids(&out), ["evt_1"], "SIG{name}");
        assert!(err.contains("1 delivery received"), "SIG{name}: {err}");
        // The display had written everything: a forced stop is not a stuck output.
        assert!(!err.contains("not being read"), "SIG{name}: {err}");
        drop(stalled);
    }
}

#[test]
fn a_signal_forces_the_exit_when_the_listener_is_already_stopping_by_itself() {
    let l = Listening::start(&["--json", "--max-events", "1"]);
    // A stalled sender keeps the graceful stop waiting for the whole grace.
    let stalled = TcpStream::connect(l.addr()).unwrap();
    (&stalled)
        .write_all(head(&l.addr(), 100).as_bytes())
        .unwrap();
    std::thread::sleep(Duration::from_millis(100));
    // --max-events 1: the listener stops by itself, then waits on the stalled sender.
    assert_eq!(post(&l.url, &[], &event("evt_1")).status, 200);
    std::thread::sleep(Duration::from_millis(100));
    let forced = Instant::now();
    l.interrupt();
    let (code, out, err) = l.finish();
    assert!(
        forced.elapsed() < Duration::from_millis(1200),
        "one Ctrl-C while stopping: stopped {:?} after it",
        forced.elapsed()
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(delivered_ids(&out), ["evt_1"]);
    assert!(err.contains("1 delivery received"), "{err}");
    assert!(!err.contains("not being read"), "{err}");
    drop(stalled);
}

#[test]
fn a_single_sigterm_waits_for_a_delivery_in_flight_and_answers_it() {
    let l = Listening::start(&["--json", "--delay", "800"]);
    let url = l.url.clone();
    let sender = std::thread::spawn(move || post(&url, &[], &event("evt_late")));
    std::thread::sleep(Duration::from_millis(200));
    l.signal("TERM");
    let answer = sender.join().unwrap();
    let (code, out, err) = l.finish();
    assert_eq!(answer.status, 200, "in flight when SIGTERM came: answered");
    assert_eq!(code, 0, "{err}");
    assert_eq!(delivered_ids(&out), ["evt_late"]);
    assert!(err.contains("1 delivery received"), "{err}");
}

/// Ctrl-C while a delivery waits on the listener (`args`): the JSON line of that delivery, once
/// the sender got 503 and the listener stopped within the grace.
fn ctrl_c_while_a_delivery_waits(args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let l = Listening::start(&all);
    let url = l.url.clone();
    let sender = std::thread::spawn(move || post(&url, &[], &event("evt_waiting")));
    std::thread::sleep(Duration::from_millis(300));
    let signalled = Instant::now();
    l.interrupt();
    let answer = sender.join().unwrap();
    let (code, out, err) = l.finish();
    let took = signalled.elapsed();
    assert!(took < Duration::from_secs(5), "{args:?}: waited {took:?}");
    assert_eq!(answer.status, 503, "not acknowledged: the sender retries");
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("1 delivery received"), "{err}");
    let line = lines(&out).remove(0);
    assert_eq!(
        (line["id"].as_str(), line["status"].as_u64()),
        (Some("evt_waiting"), Some(503))
    );
    line
}

#[test]
fn ctrl_c_during_a_long_delay_stops_within_the_grace_and_answers_503() {
    ctrl_c_while_a_delivery_waits(&["--delay", "20s"]);
}

#[test]
fn ctrl_c_during_a_slow_relay_stops_within_the_grace_and_answers_503() {
    let app = TestServer::slow(Duration::from_secs(8));
    let line = ctrl_c_while_a_delivery_waits(&["--forward-to", &app.url]);
    assert_eq!(line["forwarded"]["error"], "cut", "{line}");
}

#[test]
fn bodies_that_complete_around_the_end_of_the_grace_are_recorded_if_acknowledged() {
    let l = Listening::start(&["--json"]);
    let authority = l.addr();
    let answers = Arc::new(Mutex::new(Vec::new()));
    // Each sender holds back the end of its body until its moment after Ctrl-C: most of them
    // every 1 ms around the end of the 2 s grace, the last few after the listener has given up.
    let moments = (0..100)
        .map(|n| 1940 + n)
        .chain((0..6).map(|n| 3400 + 40 * n));
    let signalled = Arc::new(Mutex::new(None::<Instant>));
    let senders: Vec<_> = moments
        .enumerate()
        .map(|(n, ms)| {
            let (authority, answers, signalled) =
                (authority.clone(), answers.clone(), signalled.clone());
            std::thread::spawn(move || {
                let id = format!("evt_{n:03}");
                let body = event(&id);
                let mut stream = TcpStream::connect(&authority).unwrap();
                stream
                    .set_read_timeout(Some(Duration::from_secs(10)))
                    .unwrap();
                stream
                    .write_all(head(&authority, body.len()).as_bytes())
                    .unwrap();
                stream.write_all(&body[..10]).unwrap();
                let at = loop {
                    if let Some(at) = *signalled.lock().unwrap() {
                        break at;
                    }
                    std::thread::sleep(Duration::from_millis(5));
                };
                let moment = at + Duration::from_millis(ms);
                std::thread::sleep(moment.saturating_duration_since(Instant::now()));
                let status = stream
                    .write_all(&body[10..])
                    .ok()
                    .and_then(|()| status_of(&stream));
                answers.lock().unwrap().push((id, status));
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    l.interrupt();
    *signalled.lock().unwrap() = Some(Instant::now());
    for s in senders {
        s.join().unwrap();
    }
    let (code, out, err) = l.finish();
    let shown = delivered_ids(&out);
    let answers = answers.lock().unwrap();
    let acknowledged: Vec<&String> = answers
        .iter()
        .filter(|(_, s)| s.is_some_and(|s| (200..300).contains(&s)))
        .map(|(id, _)| id)
        .collect();
    let lost: Vec<&&String> = acknowledged
        .iter()
        .filter(|id| !shown.contains(id))
        .collect();
    assert!(
        lost.is_empty(),
        "acknowledged, not in the JSON lines: {lost:?}"
    );
    assert!(!acknowledged.is_empty(), "none answered: {answers:?}");
    let late: Vec<_> = answers
        .iter()
        .filter(|(id, _)| id.as_str() >= "evt_100")
        .collect();
    assert!(
        late.iter().all(|(_, s)| s.is_none()),
        "still waited for after the grace and the cut: {late:?}"
    );
    assert_eq!(code, 0, "{err}");
    let summary = format!("{} deliveries received", shown.len());
    assert!(err.contains(&summary), "{summary} in {err}");
}

#[test]
fn a_closed_output_stops_the_listener_and_answers_503_instead_of_200() {
    // `hookctl listen --json --max-events 3 | head -1`
    let (mut child, url, stdout, stderr) = listener_with_stdout(&["--json", "--max-events", "3"]);
    assert_eq!(post(&url, &[], &event("evt_1")).status, 200);
    let mut first = String::new();
    BufReader::new(stdout).read_line(&mut first).unwrap();
    assert!(first.contains("evt_1"), "{first}");
    // `head -1` has exited: the pipe is closed.
    let mut later = Vec::new();
    for n in 2..=5 {
        let authority = addr(&url);
        let Ok(mut stream) = TcpStream::connect(&authority) else {
            later.push(None);
            continue;
        };
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let body = event(&format!("evt_{n}"));
        let _ = stream.write_all(head(&authority, body.len()).as_bytes());
        let _ = stream.write_all(&body);
        later.push(status_of(&stream));
    }
    let (code, _) = exit_within(&mut child, Duration::from_secs(10));
    let err = stderr.join().unwrap();
    assert!(
        later.iter().all(|s| *s != Some(200)),
        "acknowledged with nowhere to record: {later:?}"
    );
    assert_eq!(
        later[0],
        Some(503),
        "the first one after the close: {later:?}"
    );
    assert_eq!(code, 0, "{err}");
    assert_contains(
        &err,
        &[
            "the output was closed",
            "1 delivery received",
            "1 request not recorded",
        ],
    );
}

#[test]
fn a_blocked_output_bounds_memory_and_ctrl_c_still_stops_the_listener() {
    // A pipe nobody reads (or a terminal paused with Ctrl-S).
    let (mut child, url, _unread, stderr) = listener_with_stdout(&["--json", "--max-body", "2MiB"]);
    let pid = child.id();
    let before = memory_kib(pid, "VmRSS");
    let padding = "x".repeat(1 << 20);
    let senders: Vec<_> = (0..32)
        .map(|t| {
            let (authority, padding) = (addr(&url), padding.clone());
            std::thread::spawn(move || {
                let mut statuses = Vec::new();
                for n in 0..4 {
                    let body = format!(
                        r#"{{"id":"evt_{t}_{n}","type":"big","data":{{"pad":"{padding}"}}}}"#
                    );
                    let mut stream = TcpStream::connect(&authority).unwrap();
                    // The provider's own budget: it gives up and retries later.
                    stream
                        .set_read_timeout(Some(Duration::from_secs(2)))
                        .unwrap();
                    let _ = stream.write_all(head(&authority, body.len()).as_bytes());
                    let _ = stream.write_all(body.as_bytes());
                    statuses.push(status_of(&stream));
                }
                statuses
            })
        })
        .collect();
    let statuses: Vec<Option<u16>> = senders
        .into_iter()
        .flat_map(|s| s.join().unwrap())
        .collect();
    let peak = memory_kib(pid, "VmHWM");
    super::interrupt(pid);
    let (code, took) = exit_within(&mut child, Duration::from_secs(15));
    let err = stderr.join().unwrap();
    assert!(
        peak.saturating_sub(before) < 80 * 1024,
        "128 MiB sent into a stuck output: memory from {before} KiB to a peak of {peak} KiB"
    );
    assert!(
        !statuses.contains(&Some(200)) && statuses.contains(&Some(503)),
        "nothing could be recorded, so nothing acknowledged: {statuses:?}"
    );
    assert_eq!(code, 0, "{err}");
    assert!(took < Duration::from_secs(10), "Ctrl-C took {took:?}");
    assert_contains(
        &err,
        &["the output is not being read", "turned away with 503"],
    );
}

#[test]
fn a_sender_that_hangs_up_during_the_delay_is_shown_and_counted_as_abandoned() {
    let l = Listening::start(&["--json", "--delay", "1500", "--max-events", "1"]);
    let authority = l.addr();
    let body = event("evt_gone");
    let mut stream = TcpStream::connect(&authority).unwrap();
    stream
        .write_all(head(&authority, body.len()).as_bytes())
        .unwrap();
    stream.write_all(&body).unwrap();
    // The sender's own timeout: it gives up before the answer.
    std::thread::sleep(Duration::from_millis(300));
    drop(stream);
    let (code, out, err) = l.finish();
    assert_eq!(code, 0, "{err}");
    let line = &lines(&out)[0];
    assert_eq!(line["id"], "evt_gone");
    assert_eq!(line["abandoned"], true, "{line}");
    assert_contains(
        &err,
        &["1 delivery received", "1 delivery abandoned by the sender"],
    );
}

#[test]
fn requests_the_http_layer_refuses_are_shown_and_counted() {
    let l = Listening::start(&["--json"]);
    let authority = l.addr();
    let many_headers: String = (0..10_000).map(|n| format!("x-h{n}: v\r\n")).collect();
    let long_path = "a".repeat(100_000);
    let requests = [
        format!(
            "POST /hook HTTP/1.1\r\nhost: {authority}\r\n{many_headers}content-length: 0\r\n\r\n"
        ),
        format!("POST /{long_path} HTTP/1.1\r\nhost: {authority}\r\ncontent-length: 0\r\n\r\n"),
        format!(
            "POST /hook HTTP/1.1\r\nhost: {authority}\r\ncontent-length: 2\r\ncontent-length: 3\r\n\r\nab"
        ),
    ];
    let mut statuses = Vec::new();
    for request in &requests {
        let mut stream = TcpStream::connect(&authority).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let _ = stream.write_all(request.as_bytes());
        statuses.push(status_of(&stream));
    }
    std::thread::sleep(Duration::from_millis(200));
    l.interrupt();
    let (code, out, err) = l.finish();
    assert_eq!(statuses, [Some(431), Some(414), Some(400)]);
    let mut refused: Vec<(String, u64)> = lines(&out)
        .iter()
        .map(|l| (l["refused"].to_string(), l["status"].as_u64().unwrap()))
        .collect();
    refused.sort();
    let malformed = r#""malformed""#.to_string();
    assert_eq!(
        refused,
        [
            (malformed.clone(), 400),
            (malformed.clone(), 414),
            (malformed, 431)
        ]
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("0 deliveries received, 3 other requests refused"),
        "{err}"
    );
}

#[test]
fn sigterm_stops_a_bulk_send_which_still_prints_its_summary() {
    let app = TestServer::ok();
    let child = Command::new(env!("CARGO_BIN_EXE_hookctl"))
        .args(["send", "--count", "100000", "--rate", "50", "--json"])
        .args(["--url", &app.url])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1000));
    super::signal(child.id(), "TERM");
    let out = child.wait_with_output().unwrap();
    let summary: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("no summary; exit {:?}", out.status));
    assert_eq!(summary["interrupted"], true, "{summary}");
    assert_eq!(out.status.code(), Some(1), "an interrupted burst");
}

#[test]
fn heads_waiting_on_a_blocked_output_count_against_the_budget() {
    // A pipe nobody reads: each request waits, holding its 300 KB of headers.
    let (mut child, url, _unread, stderr) = listener_with_stdout(&["--json"]);
    let padding = "h".repeat(300_000);
    let senders: Vec<_> = (0..150)
        .map(|_| {
            let (authority, padding) = (addr(&url), padding.clone());
            std::thread::spawn(move || {
                let body = event("evt_head");
                let mut stream = TcpStream::connect(&authority).ok()?;
                stream
                    .set_read_timeout(Some(Duration::from_secs(4)))
                    .unwrap();
                let head = head(&authority, body.len());
                let head = head.replace("\r\n\r\n", &format!("\r\nx-pad: {padding}\r\n\r\n"));
                stream.write_all(head.as_bytes()).ok()?;
                stream.write_all(&body).ok()?;
                status_of(&stream)
            })
        })
        .collect();
    let statuses: Vec<Option<u16>> = senders.into_iter().map(|s| s.join().unwrap()).collect();
    super::interrupt(child.id());
    let (code, _) = exit_within(&mut child, Duration::from_secs(15));
    let err = stderr.join().unwrap();
    // 45 MB of heads against a 32 MiB budget: some are turned away instead of held.
    assert!(
        statuses.contains(&Some(503)),
        "150 heads of 300 KB all held: {statuses:?}"
    );
    assert!(!statuses.contains(&Some(200)), "{statuses:?}");
    assert_eq!(code, 0, "{err}");
}
