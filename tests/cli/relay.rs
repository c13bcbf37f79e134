//! `listen --forward-to`: the relay never loops on itself, never buffers a huge answer, and passes
//! the app's answer back as the sender needs it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::Command;
use std::time::Duration;

use serde_json::Value;

use super::listening::{Listening, lines, post};
use super::server::{Reply, TestServer, closed_port};
use super::{hookctl, memory_kib};

const EVENT: &[u8] = br#"{"id":"evt_1","type":"email.delivered","data":{"to":"a@example.com"}}"#;

#[test]
fn forwarding_to_the_listeners_own_address_is_refused_at_start() {
    let port = closed_port();
    for host in ["127.0.0.1", "localhost", "0.0.0.0", "[::ffff:127.0.0.1]"] {
        let target = format!("http://{host}:{port}/hook");
        let out = hookctl()
            .args([
                "listen",
                "--port",
                &port.to_string(),
                "--forward-to",
                &target,
            ])
            .timeout(Duration::from_secs(10))
            .assert()
            .code(2)
            .get_output()
            .clone();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.starts_with(&format!(
                "hookctl: error: --forward-to points at this listener's own address (127.0.0.1:{port})"
            )),
            "{target}: {err}"
        );
        assert!(
            err.lines().count() <= 2 && !err.contains("listening on"),
            "{target}: one line and a hint, before listening: {err}"
        );
    }
}

/// `hookctl listen --port PORT --forward-to TARGET ARGS…`.
fn listen_on(port: u16, target: &str, args: &[&str]) -> Listening {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hookctl"));
    command
        .args([
            "listen",
            "--port",
            &port.to_string(),
            "--forward-to",
            target,
        ])
        .args(args);
    Listening::spawn(command)
}

#[test]
fn a_loop_through_two_listeners_is_stopped_by_the_hop_count_with_508() {
    // A relays to B and B back to A: each relay adds one to hookctl-forwarded.
    let b_port = closed_port();
    let a = Listening::start(&[
        "--forward-to",
        &format!("http://127.0.0.1:{b_port}/"),
        "--json",
        "--max-events",
        "2",
    ]);
    let b = listen_on(b_port, &a.url, &["--json", "--max-events", "1"]);

    let answer = post(&a.url, &[], EVENT);
    assert_eq!(answer.status, 508, "{}", answer.body);
    assert!(answer.body.contains("forwarding loop"), "{}", answer.body);

    let (_, a_out, _) = a.finish();
    let (_, b_out, b_err) = b.finish();
    let a_lines = lines(&a_out);
    let b_lines = lines(&b_out);
    let statuses = |lines: &[Value]| -> Vec<u64> {
        let mut s: Vec<u64> = lines
            .iter()
            .map(|l| l["status"].as_u64().unwrap())
            .collect();
        s.sort();
        s
    };
    assert_eq!(statuses(&a_lines), [508, 508], "{a_out}");
    assert_eq!(statuses(&b_lines), [508, 508], "{b_out}");
    let refused: Vec<&Value> = b_lines.iter().filter(|l| l["refused"] == "loop").collect();
    assert_eq!(
        refused.len(),
        1,
        "the fourth hop is refused as a loop: {b_out}"
    );
    assert_eq!(refused[0]["headers"]["hookctl-forwarded"], "3");
    assert!(b_err.contains("1 other request refused"), "{b_err}");
}

/// An app on 127.0.0.1 that answers every request with `mib` MiB in chunks of unknown total
/// length, for as long as the other side reads.
fn app_with_a_huge_answer(mib: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let mut reader = BufReader::new(stream);
            let mut length = 0;
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap();
                }
                line.clear();
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let mut stream = reader.into_inner();
            let head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
            let mut chunk = b"100000\r\n".to_vec();
            chunk.extend_from_slice(&vec![b'x'; 1 << 20]);
            chunk.extend_from_slice(b"\r\n");
            let _ = stream.write_all(head.as_bytes());
            for _ in 0..mib {
                if stream.write_all(&chunk).is_err() {
                    break;
                }
            }
            let _ = stream.write_all(b"0\r\n\r\n");
        }
    });
    url
}

#[test]
fn an_app_answer_over_1_mib_gets_502_without_being_held_in_memory() {
    let app = app_with_a_huge_answer(64);
    let l = Listening::start(&["--forward-to", &app, "--json"]);
    let before = memory_kib(l.child.id(), "VmHWM");
    let answer = post(&l.url, &[], EVENT);
    assert_eq!(answer.status, 502);
    assert!(answer.body.contains("too large"), "{}", answer.body);
    let after = memory_kib(l.child.id(), "VmHWM");
    assert!(
        after.saturating_sub(before) < 20 * 1024,
        "peak memory grew from {before} KiB to {after} KiB for a 64 MiB answer"
    );
    l.interrupt();
    let (_, out, _) = l.finish();
    let line = &lines(&out)[0];
    assert_eq!(
        (&line["status"], &line["forwarded"]["error"]),
        (&Value::from(502), &Value::from("too_large")),
        "{line}"
    );
}

#[test]
fn an_answer_that_announces_more_than_1_mib_is_refused_and_shown() {
    let app = TestServer::start(|_, _| Reply {
        body: "y".repeat(2 << 20),
        ..Reply::ok()
    });
    let l = Listening::start(&["--forward-to", &app.url, "--max-events", "1"]);
    let answer = post(&l.url, &[], EVENT);
    assert_eq!(answer.status, 502);
    let (_, out, _) = l.finish();
    assert!(
        out.contains("answer too large (over 1024 KiB)") && out.contains("answered 502"),
        "{out}"
    );
}

#[test]
fn a_redirect_from_the_app_reaches_the_sender_with_its_location() {
    let app = TestServer::start(|_, _| Reply {
        headers: vec![("location", "/moved/here".into())],
        ..Reply::status(308)
    });
    let l = Listening::start(&["--forward-to", &app.url, "--json", "--max-events", "1"]);
    let answer = post(&l.url, &[], EVENT);
    assert_eq!(answer.status, 308);
    assert_eq!(
        answer.headers.get("location").map(|v| v.to_str().unwrap()),
        Some("/moved/here")
    );
    let (_, out, _) = l.finish();
    let line = &lines(&out)[0];
    assert_eq!(line["forwarded"]["status"], 308, "{line}");
    assert_eq!(
        app.received()[0].header("hookctl-forwarded"),
        Some("1"),
        "the relay counts itself"
    );
}

#[test]
fn an_apps_retry_after_reaches_the_sender() {
    let app = TestServer::start(|_, _| Reply {
        headers: vec![("retry-after", "7".into())],
        ..Reply::status(503)
    });
    let l = Listening::start(&["--forward-to", &app.url, "--max-events", "1"]);
    let answer = post(&l.url, &[], EVENT);
    assert_eq!(answer.status, 503);
    assert_eq!(
        answer
            .headers
            .get("retry-after")
            .map(|v| v.to_str().unwrap()),
        Some("7"),
        "the provider waits as the app asks"
    );
    l.finish();
}

#[test]
fn the_forward_latency_in_json_lines_has_at_most_3_decimals() {
    let app = TestServer::ok();
    let l = Listening::start(&["--forward-to", &app.url, "--json", "--max-events", "3"]);
    for _ in 0..3 {
        assert_eq!(post(&l.url, &[], EVENT).status, 200);
    }
    let (_, out, _) = l.finish();
    for text in out.lines() {
        let line: Value = serde_json::from_str(text).unwrap();
        let latency = line["forwarded"]["latency_ms"].to_string();
        let decimals = latency.split_once('.').map_or(0, |(_, d)| d.len());
        assert!(decimals <= 3, "latency_ms {latency} in {text}");
    }
}
