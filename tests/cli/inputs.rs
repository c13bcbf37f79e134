//! Inputs a user or an attacker controls: none crashes hookctl or exhausts its memory, and the
//! everyday ones a new user types mean what they look like.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use super::listening::{Listening, post};
use super::server::TestServer;
use super::{assert_contains, file, hookctl, memory_kib, peak_after_reading, stdout_of, temp_file};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// Stderr of a run that must end with exit 2 and no panic; the run gets 60 s at most.
fn usage_error(cmd: &mut assert_cmd::Command) -> String {
    let out = cmd
        .env("RUST_BACKTRACE", "1")
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

/// A saved request (the `listen --save` format) with `headers` and `body`.
fn saved_request(headers: &[String], body: &[u8]) -> Vec<u8> {
    let mut bytes = b"POST /webhook HTTP/1.1\r\ncontent-type: application/json\r\n".to_vec();
    for h in headers {
        bytes.extend_from_slice(h.as_bytes());
        bytes.extend_from_slice(b"\r\n");
    }
    bytes.extend_from_slice(b"\r\n");
    bytes.extend_from_slice(body);
    bytes
}

/// `hookctl sign --scheme standard` of `payload`.
fn sign_standard(payload: &str) -> assert_cmd::Command {
    let mut cmd = hookctl();
    cmd.args([
        "sign",
        "--scheme",
        "standard",
        "--secret",
        SECRET,
        "--payload",
        payload,
    ]);
    cmd
}

fn spawn(args: &[&str], stdin: Stdio) -> Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_hookctl"))
        .args(args)
        .env_remove("HOOKCTL_SECRET")
        .stdin(stdin)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

#[test]
fn a_rate_too_small_to_schedule_is_a_usage_error_not_a_crash() {
    let err = usage_error(hookctl().args([
        "send",
        "--count",
        "1",
        "--rate",
        "1e-300",
        "--url",
        "http://127.0.0.1:9/",
    ]));
    assert_contains(&err, &["`1e-300` is not a rate", "from 0.001 to 1000000"]);
}

#[test]
fn a_saved_request_with_40000_header_lines_is_refused_in_one_line() {
    let headers: Vec<String> = (0..40_000).map(|i| format!("x-h{i}: v")).collect();
    let (_dir, path) = temp_file("many.http", &saved_request(&headers, b"{}"));
    let err =
        usage_error(hookctl().args(["replay", path, "--url", "http://127.0.0.1:9/", "--as-is"]));
    assert_contains(&err, &["more than 1000 header lines"]);
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn thirty_three_thousand_extra_headers_are_refused_in_one_line() {
    let url = "http://127.0.0.1:9/";
    let mut cmd = hookctl();
    cmd.args(["send", "--url", url, "--dry-run"]);
    for i in 0..33_000 {
        cmd.arg("-H").arg(format!("X-H{i}: v"));
    }
    assert_contains(&usage_error(&mut cmd), &["more than 1000 headers given"]);
    let lines: String = (0..33_000).map(|i| format!("X-H{i}: v\n")).collect();
    let (_dir, headers) = temp_file("headers.txt", lines.as_bytes());
    let err = usage_error(hookctl().args(["send", "--url", url, "--headers-file", headers]));
    assert_contains(&err, &["more than 1000 headers given"]);
}

#[test]
fn replaying_dev_zero_or_a_saved_file_linked_to_it_stops_at_the_memory_limit() {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("a.http")).unwrap();
    let dir_arg = dir.path().to_str().unwrap();
    for path in ["/dev/zero", dir_arg] {
        let started = Instant::now();
        let err = usage_error(hookctl().args([
            "replay",
            path,
            "--url",
            "http://127.0.0.1:9/",
            "--as-is",
        ]));
        assert_contains(&err, &["is over 64 MiB, the most hookctl holds in memory"]);
        assert!(started.elapsed() < Duration::from_secs(20), "{path}");
    }
}

#[test]
fn an_endless_or_huge_secret_file_is_refused_not_used() {
    let (dir, body) = temp_file("body.json", b"{}");
    let huge = dir.path().join("huge-secret");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(1 << 30)
        .unwrap();
    for secret_file in [Path::new("/dev/zero"), huge.as_path()] {
        let err = usage_error(
            hookctl()
                .args(["sign", "--payload", body, "--secret-file"])
                .arg(secret_file),
        );
        assert_contains(&err, &["is over 64 KiB", "a secret is one short line"]);
    }
}

#[test]
fn verify_of_an_endless_payload_stops_at_max_payload() {
    let zeros = format!("sha256={}", "0".repeat(64));
    let args = ["verify", "--secret", "s", "--signature", &zeros];
    let err = usage_error(hookctl().args(args).args([
        "--payload",
        "/dev/zero",
        "--max-payload",
        "16MiB",
    ]));
    assert_contains(
        &err,
        &["the payload /dev/zero is over 16 MiB", "--max-payload"],
    );
}

#[test]
fn verify_and_sign_stream_a_large_standard_input_in_constant_memory() {
    let zeros = format!("sha256={}", "0".repeat(64));
    let runs: [&[&str]; 2] = [
        &[
            "verify",
            "--secret",
            "s",
            "--signature",
            &zeros,
            "--payload",
            "-",
        ],
        &[
            "sign",
            "--scheme",
            "standard",
            "--secret",
            SECRET,
            "--payload",
            "-",
        ],
    ];
    // A debug build hashes about 25 MB/s: 48 MiB is enough to tell streaming from holding.
    let watched: u64 = 48 << 20;
    std::thread::scope(|scope| {
        for args in runs {
            scope.spawn(move || {
                let mut child = spawn(args, Stdio::piped());
                let mut stdin = child.stdin.take().unwrap();
                let writer = std::thread::spawn(move || {
                    let chunk = vec![b'x'; 1 << 20];
                    // Stops at a closed pipe once the child is gone.
                    for _ in 0..(watched >> 20) + 8 {
                        if stdin.write_all(&chunk).is_err() {
                            break;
                        }
                    }
                });
                let peak = peak_after_reading(&mut child, watched, &format!("{args:?}"));
                writer.join().unwrap();
                assert!(
                    peak < 32 * 1024,
                    "{args:?} held {peak} KiB after reading 48 MiB of standard input"
                );
            });
        }
    });
}

#[test]
fn replaying_a_directory_holds_one_request_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let body = vec![b' '; 24 << 20];
    for i in 0..5 {
        file(
            &dir,
            &format!("{i}.http"),
            &saved_request(&[format!("x-n: {i}")], &body),
        );
    }
    drop(body);
    // A sink that reads every request and never answers: each attempt ends at --timeout.
    let sink = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", sink.local_addr().unwrap());
    std::thread::spawn(move || {
        for conn in sink.incoming().flatten() {
            std::thread::spawn(move || {
                let mut conn = conn;
                let mut buf = vec![0; 1 << 16];
                while matches!(conn.read(&mut buf), Ok(n) if n > 0) {}
            });
        }
    });
    let mut child = spawn(
        &[
            "replay",
            dir.path().to_str().unwrap(),
            "--url",
            &url,
            "--as-is",
            "--timeout",
            "400ms",
        ],
        Stdio::null(),
    );
    let pid = child.id();
    let mut peak = 0;
    while child.try_wait().unwrap().is_none() {
        peak = peak.max(memory_kib(pid, "VmHWM"));
        std::thread::sleep(Duration::from_millis(20));
    }
    // Five 24 MiB requests loaded together would take 120 MiB.
    assert!(peak > 0 && peak < 80 * 1024, "replay peaked at {peak} KiB");
}

#[test]
fn an_event_id_that_cannot_be_a_header_is_an_error_in_sign_send_and_replay() {
    let body = br#"{"id":"evt_1\r\nX-Evil: 1","type":"email.sent"}"#;
    let (dir, payload) = temp_file("body.json", body);
    let saved = file(&dir, "evil.http", &saved_request(&[], body));
    let server = TestServer::ok();
    let standard = ["--scheme", "standard", "--secret", SECRET];
    let want = [
        r"the webhook-id header cannot be `evt_1\r\nX-Evil: 1`",
        "without line breaks or control characters",
    ];
    let err = usage_error(
        hookctl()
            .arg("sign")
            .args(standard)
            .args(["--payload", payload]),
    );
    assert_contains(&err, &want);
    let err = usage_error(
        hookctl()
            .args(["send", "--url", &server.url, "--payload", payload])
            .args(standard),
    );
    assert_contains(&err, &want);
    let err = usage_error(
        hookctl()
            .args(["replay", "--url", &server.url])
            .arg(&saved)
            .args(standard),
    );
    assert_contains(&err, &want);
    let svix = ["--scheme", "svix", "--secret", SECRET];
    let err = usage_error(
        hookctl()
            .arg("sign")
            .args(svix)
            .args(["--payload", payload]),
    );
    assert_contains(
        &err,
        &[r"the svix-id header cannot be `evt_1\r\nX-Evil: 1`"],
    );
    let err = usage_error(
        hookctl()
            .args(["send", "--url", &server.url, "--count", "2"])
            .args(["--set", r#"id="evt_2\nX-Evil: 2""#])
            .args(standard),
    );
    assert_contains(
        &err,
        &[r"the webhook-id header cannot be `evt_2\nX-Evil: 2`"],
    );
    assert!(server.received().is_empty(), "nothing is sent unsigned");
}

#[test]
fn an_event_id_with_an_invisible_or_reordering_character_is_refused_in_sign_send_and_replay() {
    // Valid on the wire (bytes over 0x7f), but `sign` would print it and a terminal show a lie.
    for id in ["evt_1\u{202e}gnp.exe", "evt_\u{3164}1", "evt_1\u{fe0f}"] {
        let body = format!(r#"{{"id":"{id}","type":"email.sent"}}"#).into_bytes();
        let (dir, payload) = temp_file("body.json", &body);
        let saved = file(&dir, "evil.http", &saved_request(&[], &body));
        let server = TestServer::ok();
        let standard = ["--scheme", "standard", "--secret", SECRET];
        let escaped: String = id
            .chars()
            .map(|c| match c {
                c if c.is_ascii() => c.to_string(),
                c => format!("\\u{{{:x}}}", c as u32),
            })
            .collect();
        let want = [
            format!("the webhook-id header cannot be `{escaped}`"),
            "invisible or bidirectional".to_string(),
        ];
        let want: Vec<&str> = want.iter().map(String::as_str).collect();
        let saved = saved.to_str().unwrap();
        let runs: [&[&str]; 3] = [
            &["sign", "--payload", payload],
            &["send", "--url", &server.url, "--payload", payload],
            &["replay", "--url", &server.url, saved],
        ];
        for args in runs {
            let err = usage_error(hookctl().args(args).args(standard));
            assert_contains(&err, &want);
        }
        assert!(server.received().is_empty(), "{id:?}: nothing is sent");
    }
}

#[test]
fn a_header_error_escapes_once_a_backslash_stays_one() {
    let url = "http://127.0.0.1:9/";
    let err = usage_error(hookctl().args(["send", "--url", url, "-H", "X-A: a\\b\x1b"]));
    assert_contains(&err, &[r"`X-A: a\b\u{1b}` is not a valid header"]);
    assert!(!err.contains(r"a\\b"), "escaped twice: {err}");
}

#[test]
fn send_all_with_the_keplars_scheme_sends_every_keplars_event() {
    let server = TestServer::ok();
    let send = |extra: &[&str]| {
        hookctl()
            .args(["send", "--all", "--scheme", "keplars", "--secret", "s"])
            .args(["--url", &server.url])
            .args(extra)
            .assert()
            .success();
    };
    send(&[]);
    let types: Vec<String> = server
        .received()
        .iter()
        .map(|r| r.json()["type"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        types,
        [
            "email.sent",
            "email.delivered",
            "email.opened",
            "email.clicked",
            "email.bounced",
            "email.complained",
            "email.failed"
        ]
    );
    send(&["--count", "14"]);
    assert_eq!(server.received().len(), 21);
}

#[test]
fn several_header_lines_in_one_h_or_a_headers_file_are_each_a_header() {
    let (dir, payload) = temp_file("body.json", br#"{"id":"evt_1","type":"email.sent"}"#);
    let signed = stdout_of(&mut sign_standard(payload));
    assert_eq!(signed.lines().count(), 3, "{signed}");
    let verify = |extra: &[&str]| {
        let out = stdout_of(
            hookctl()
                .args(["verify", "--secret", SECRET, "--payload", payload])
                .args(extra),
        );
        assert_contains(&out, &["valid (standard"]);
    };
    verify(&["-H", &signed]);
    // As `listen -v` shows received headers, pasted with their indentation.
    let shown: String = signed.lines().map(|l| format!("  < {l}\n")).collect();
    verify(&["-H", &shown]);
    let headers_file = file(&dir, "headers.txt", format!("\n{signed}\n").as_bytes());
    verify(&["--headers-file", headers_file.to_str().unwrap()]);

    let server = TestServer::ok();
    let extra = file(&dir, "extra.txt", b"X-From-File: 3\r\n");
    hookctl()
        .args(["send", "--url", &server.url, "-H", "X-One: 1\nX-Two: 2"])
        .arg("--headers-file")
        .arg(&extra)
        .assert()
        .success();
    let got = &server.received()[0];
    assert_eq!(got.header("x-one"), Some("1"));
    assert_eq!(got.header("x-two"), Some("2"));
    assert_eq!(got.header("x-from-file"), Some("3"));
}

#[test]
fn a_set_value_that_looks_like_json_must_parse_and_set_str_is_always_a_string() {
    for bad in [r#"data.tags=["a",]"#, "data.code=007", r#"data.o={"a":}"#] {
        let err = usage_error(hookctl().args(["sample", "email.sent", "--set", bad]));
        assert_contains(&err, &["looks like JSON but does not parse", "--set-str"]);
    }
    let out = stdout_of(hookctl().args([
        "sample",
        "email.sent",
        "--compact",
        "--set",
        r#"data.tags=["a"]"#,
        "--set-str",
        "data.code=007",
        "--set",
        "data.date=2026-01-01",
    ]));
    let event: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(event["data"]["tags"], serde_json::json!(["a"]));
    assert_eq!(event["data"]["code"], "007");
    assert_eq!(event["data"]["date"], "2026-01-01");
}

#[test]
fn the_bulk_summary_counts_one_event_and_says_the_concurrency_used() {
    let server = TestServer::ok();
    let out = stdout_of(hookctl().args(["send", "--count", "1", "--url", &server.url]));
    assert_contains(&out, &["Sent 1 event to ", " at concurrency 1\n"]);
    let out = stdout_of(hookctl().args([
        "send",
        "--count",
        "3",
        "--concurrency",
        "100",
        "--url",
        &server.url,
    ]));
    assert_contains(&out, &["Sent 3 events to ", " at concurrency 3\n"]);
}

#[test]
fn bulk_only_flags_without_count_and_verbose_with_count_are_usage_errors() {
    let url = "http://127.0.0.1:9/";
    let err = usage_error(hookctl().args(["send", "--url", url, "--count", "2", "-v"]));
    assert_contains(&err, &["bulk mode (--count) prints only a summary"]);
    for flag in [["--concurrency", "3"], ["--rate", "5"]] {
        let err = usage_error(hookctl().args(["send", "--url", url]).args(flag));
        assert_contains(&err, &["--count"]);
    }
}

#[test]
fn a_zero_timeout_is_refused_by_send_replay_and_check() {
    let (_dir, saved) = temp_file("a.http", &saved_request(&[], b"{}"));
    let url = "http://127.0.0.1:9/";
    let runs: [&[&str]; 3] = [
        &["send", "--url", url],
        &["replay", saved, "--as-is", "--url", url],
        &["check", "--secret", "s", "--url", url],
    ];
    for args in runs {
        let err = usage_error(hookctl().args(args).args(["--timeout", "0s"]));
        assert_contains(&err, &["`0s` leaves no time for an answer"]);
    }
}

#[test]
fn counts_and_scheme_names_read_as_english() {
    let server = TestServer::ok();
    let out = stdout_of(hookctl().args([
        "check",
        "--url",
        &server.url,
        "--secret",
        "s3cr3t-key",
        "--only",
        "1",
    ]));
    assert_contains(
        &out,
        &["1 check passed · 0 failed · 0 warnings · 0 skipped"],
    );

    let (_dir, payload) = temp_file("body.json", b"{}");
    let signed =
        stdout_of(hookctl().args(["sign", "--secret", "s3cr3t-key", "--payload", payload]));
    let out = super::stdout_with_code(
        hookctl()
            .args([
                "verify",
                "--scheme",
                "github",
                "--secret",
                "s",
                "--payload",
                payload,
            ])
            .args(["-H", signed.trim()]),
        1,
    );
    assert_contains(&out, &["the headers carry a signature of scheme ekdsend"]);

    let out = super::stdout_with_code(
        hookctl()
            .args(["verify", "--secret", "s3cr3t-key", "--payload", payload])
            .args(["--signature", "sha256=a"]),
        1,
    );
    assert_contains(&out, &["X-EKDSend-Signature has 1 hex digit;"]);
}

#[test]
fn the_listener_counts_one_delivery_and_one_byte_in_the_singular() {
    let listener = Listening::start(&["--fail-first", "1", "--max-events", "1", "--timeout", "5s"]);
    post(&listener.url, &[], b"x");
    let (_, out, err) = listener.finish();
    assert_contains(
        &err,
        &[
            "500 to the first delivery of each event",
            "or after 1 delivery,",
        ],
    );
    assert_contains(&out, &["body is not JSON (1 byte): x"]);
}

#[test]
fn the_progress_bar_shows_the_rate_as_a_whole_number() {
    let server = TestServer::ok();
    let command = format!(
        "{} send --count 25 --rate 25 --url {}",
        env!("CARGO_BIN_EXE_hookctl"),
        server.url
    );
    // `script` gives the burst a terminal, where the bar is drawn.
    let out = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env_remove("HOOKCTL_SECRET")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let rates: Vec<&str> = text
        .split(|c: char| c.is_whitespace())
        .filter(|w| w.ends_with("/s") && w.starts_with(|c: char| c.is_ascii_digit()))
        .collect();
    assert!(!rates.is_empty(), "no rate drawn: {text}");
    for rate in rates {
        let number = rate.trim_end_matches("/s");
        let decimals = number.split_once('.').map_or(0, |(_, d)| d.len());
        assert!(decimals <= 1, "the bar shows `{rate}`");
    }
}

#[test]
fn a_header_that_cannot_be_sent_is_quoted_with_its_control_characters_escaped() {
    let url = "http://127.0.0.1:9/";
    let err = usage_error(hookctl().args(["send", "--url", url, "-H", "X-A: b\x1b[31mred"]));
    assert_contains(&err, &[r"`X-A: b\u{1b}[31mred` is not a valid header"]);
    let err = usage_error(
        hookctl()
            .args(["send", "--url", url, "--secret", "s3cr3t-key"])
            .args(["--header", "X-\x1b[2J"]),
    );
    assert!(!err.contains('\x1b'), "{err}");
}

#[test]
fn sign_says_when_a_payload_is_too_large_to_take_its_id_from() {
    let mut body = br#"{"id":"evt_big","type":"email.sent","data":{"pad":""#.to_vec();
    body.resize(body.len() + (9 << 20), b'x');
    body.extend_from_slice(br#""}}"#);
    let (_dir, payload) = temp_file("big.json", &body);
    let out = sign_standard(payload)
        .assert()
        .success()
        .get_output()
        .clone();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    let id = stdout
        .lines()
        .find_map(|l| l.strip_prefix("webhook-id: "))
        .unwrap();
    assert!(id.starts_with("msg_"), "{stdout}");
    assert_contains(
        &stderr,
        &[&format!("signed with webhook-id {id}; pass --id")],
    );
}
