//! What reaches a terminal: the bytes hookctl writes to a pseudo-terminal when the network (or a
//! file) sends text meant to drive it, forge a line or reorder what is shown; colour decided per
//! stream; usage errors on one line.

use std::io::Read;
use std::os::fd::{FromRawFd, OwnedFd};
use std::process::{Child, Command, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::listening::{Listening, lines, start_listening};
use super::server::{Reply, TestServer};

/// The line a sender tries to forge under its own delivery.
const FORGED: &str = "12:00:00  POST /hook  email.delivered evt_FORGED  ✓ valid  → 200";

/// One character of each class that must never reach the terminal raw: C0 (ESC, CR, tab, bell),
/// DEL, C1 (CSI, OSC), bidirectional overrides and isolates, invisible format characters, and
/// default-ignorable characters outside the format class (Hangul fillers, variation selectors).
const HOSTILE: [char; 22] = [
    '\u{1b}',
    '\r',
    '\t',
    '\u{7}',
    '\u{7f}',
    '\u{9b}',
    '\u{9d}',
    '\u{202e}',
    '\u{2066}',
    '\u{200b}',
    '\u{200f}',
    '\u{feff}',
    '\u{61c}',
    '\u{2060}',
    '\u{115f}',
    '\u{3164}',
    '\u{ffa0}',
    '\u{34f}',
    '\u{17b4}',
    '\u{fe0f}',
    '\u{e0100}',
    '\u{180b}',
];

/// Every hostile character in a row, between two letters.
fn hostile(label: &str) -> String {
    format!("{label}<{}>", HOSTILE.iter().collect::<String>())
}

/// A pseudo-terminal in raw mode: (the end a terminal emulator reads, the end a child writes).
fn pty() -> (OwnedFd, OwnedFd) {
    // Both ends close on exec, so children started by other tests meanwhile never hold one.
    // SAFETY: each call gets a new descriptor (checked), owned from here on.
    unsafe {
        let master = libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC);
        assert!(master >= 0, "posix_openpt failed");
        assert_eq!(libc::grantpt(master), 0);
        assert_eq!(libc::unlockpt(master), 0);
        let mut name = [0 as libc::c_char; 128];
        assert_eq!(libc::ptsname_r(master, name.as_mut_ptr(), name.len()), 0);
        let slave = libc::open(
            name.as_ptr(),
            libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC,
        );
        assert!(slave >= 0, "cannot open the terminal's child end");
        let mut mode: libc::termios = std::mem::zeroed();
        assert_eq!(libc::tcgetattr(slave, &mut mode), 0);
        libc::cfmakeraw(&mut mode);
        assert_eq!(libc::tcsetattr(slave, libc::TCSANOW, &mode), 0);
        (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave))
    }
}

/// A pseudo-terminal in raw mode (bytes arrive as written: no `\n` to `\r\n`), read on a thread
/// until every process holding its other end has exited.
struct Terminal {
    child_end: Option<OwnedFd>,
    reader: Option<JoinHandle<Vec<u8>>>,
}

impl Terminal {
    fn open() -> Self {
        let (master, slave) = pty();
        let reader = std::thread::spawn(move || {
            let mut master = std::fs::File::from(master);
            let mut bytes = Vec::new();
            let mut chunk = [0u8; 4096];
            // Linux reports EIO on the master once the last child end is closed.
            while let Ok(n @ 1..) = master.read(&mut chunk) {
                bytes.extend_from_slice(&chunk[..n]);
            }
            bytes
        });
        Terminal {
            child_end: Some(slave),
            reader: Some(reader),
        }
    }

    /// The terminal as a child's stdout or stderr.
    fn stdio(&self) -> Stdio {
        Stdio::from(self.child_end.as_ref().unwrap().try_clone().unwrap())
    }

    /// Everything written to the terminal, once the children using it have exited.
    fn bytes(mut self) -> Vec<u8> {
        drop(self.child_end.take());
        self.reader.take().unwrap().join().unwrap()
    }
}

/// hookctl as run from an interactive shell: colour left to hookctl, no secret.
fn hookctl() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hookctl"));
    cmd.env_remove("NO_COLOR")
        .env_remove("HOOKCTL_SECRET")
        .env("TERM", "xterm-256color");
    cmd
}

/// Runs `cmd` with stdout on a terminal and stderr piped; returns (exit code, terminal bytes,
/// stderr).
fn on_terminal(cmd: &mut Command) -> (i32, Vec<u8>, String) {
    let terminal = Terminal::open();
    let out = cmd
        .stdin(Stdio::null())
        .stdout(terminal.stdio())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    // The command holds a copy of the terminal's child end until told otherwise.
    cmd.stdout(Stdio::null());
    let shown = terminal.bytes();
    let err = String::from_utf8(out.stderr).unwrap();
    (out.status.code().unwrap(), shown, err)
}

/// Characters a terminal acts on or hides: controls, the hostile ones, bidirectional controls.
fn must_not_reach(c: char) -> bool {
    c.is_control()
        || HOSTILE.contains(&c)
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// The text with hookctl's own colour sequences (`ESC [ digits ; … m`) taken out.
fn without_colour(text: &str) -> String {
    let mut plain = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("\u{1b}[") {
        plain.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let end = after
            .find(|c: char| !(c.is_ascii_digit() || c == ';'))
            .unwrap_or(after.len());
        if after[end..].starts_with('m') {
            rest = &after[end + 1..];
        } else {
            // Not a colour: keep the ESC so the safety check below finds it.
            plain.push('\u{1b}');
            rest = &rest[at + 1..];
        }
    }
    plain + rest
}

/// What a terminal must be shown: valid UTF-8; once hookctl's colour sequences are taken out, no
/// control or format character but the line ends; no style left open across a line end.
fn assert_terminal_safe(bytes: &[u8]) -> String {
    let text = String::from_utf8(bytes.to_vec()).expect("the terminal gets UTF-8");
    let plain = without_colour(&text);
    let raw: Vec<char> = plain
        .chars()
        .filter(|&c| c != '\n' && must_not_reach(c))
        .collect();
    assert!(
        raw.is_empty(),
        "raw {raw:?} reached the terminal:\n{text:?}"
    );
    for line in text.split('\n') {
        if let Some(at) = line.rfind("\u{1b}[") {
            assert!(
                line[at..].starts_with("\u{1b}[0m"),
                "a style is left open at the end of {line:?}"
            );
        }
    }
    plain
}

/// No line of `shown` starts with the forged text (a fake delivery line of its own).
fn assert_no_forged_line(shown: &str) {
    for line in shown.lines() {
        assert!(
            !line.trim_start().starts_with("12:00:00") && !line.trim_start().starts_with('✓'),
            "forged line {line:?} in:\n{shown}"
        );
    }
}

/// A hostile delivery as raw HTTP bytes: the path, a header value, the type (with a newline and a
/// whole forged line), the id, `data.to` and a body string carry every hostile class.
fn hostile_request() -> Vec<u8> {
    let event = serde_json::json!({
        "type": format!("email.delivered\n{FORGED}"),
        "id": format!("evt_1\u{202e}gnp.exe{}", hostile("")),
        "data": {"to": hostile("to"), "subject": hostile("subject"), "note": hostile("body")},
    });
    let body = serde_json::to_vec(&event).unwrap();
    let mut request = format!(
        "POST /hook/{} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\nX-Evil: v\u{202e}\u{9b}\u{9d}\u{200b}v\r\n\r\n",
        "p\u{202e}\u{9b}\u{2066}\u{feff}",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(&body);
    request
}

/// Sends raw bytes to `url`'s host and port; returns the answer's status line.
fn send_raw(url: &str, request: &[u8]) -> String {
    let answer = super::hostile::raw(url, request);
    answer.lines().next().unwrap_or_default().to_string()
}

/// A listener with stdout on a terminal: the URL from its banner, and the running child.
fn listener_on_terminal(terminal: &Terminal, args: &[&str]) -> (String, Child) {
    let mut command = hookctl();
    command
        .args(["listen", "--port", "0", "--max-events", "1"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(terminal.stdio());
    let started = start_listening(&mut command);
    let mut rest = started.stderr;
    std::thread::spawn(move || std::io::copy(&mut rest, &mut std::io::sink()));
    (started.url, started.child)
}

fn wait_for(child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "the listener did not stop");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The listener's display of one hostile delivery, forwarded to an app whose answer is hostile
/// too, with `-v` headers and the exit summary, as a terminal receives it.
fn listener_display(colour: &[&str]) -> String {
    let app = TestServer::start(|_, _| Reply {
        body: format!("accepted\n{FORGED}\n{}", hostile("answer")),
        ..Reply::status(200)
    });
    let terminal = Terminal::open();
    let mut args = vec!["-v", "--forward-to", &app.url];
    args.extend_from_slice(colour);
    let (url, mut child) = listener_on_terminal(&terminal, &args);
    assert!(send_raw(&url, &hostile_request()).contains(" 200 "));
    wait_for(&mut child);
    assert_terminal_safe(&terminal.bytes())
}

#[test]
fn the_listener_shows_hostile_text_escaped_and_no_forged_line_in_colour() {
    let shown = listener_display(&[]);
    assert_no_forged_line(&shown);
    super::assert_contains(
        &shown,
        &[
            // The type, in the delivery line and in the exit summary.
            "email.delivered\\n12:00:00  POST /hook",
            "evt_1\\u{202e}gnp.exe",
            "/hook/p\\u{202e}\\u{9b}\\u{2066}\\u{feff}",
            "x-evil: v\\u{202e}\\u{9b}\\u{9d}\\u{200b}v",
            "to to<\\u{1b}\\r\\t\\u{7}\\u{7f}\\u{9b}\\u{9d}\\u{202e}",
            // The pretty body shows JSON escapes, so it stays valid JSON.
            "\"body<\\u001b\\r\\t\\u0007\\u007f\\u009b\\u009d\\u202e\\u2066\\u200b\\u200f\\ufeff\\u061c\\u2060\\u115f\\u3164\\uffa0\\u034f\\u17b4\\ufe0f\\udb40\\udd00\\u180b>\"",
            // A glance field, shown quoted.
            "subject \"subject<\\u{1b}\\r\\t\\u{7}\\u{7f}\\u{9b}\\u{9d}\\u{202e}\\u{2066}\\u{200b}\\u{200f}\\u{feff}\\u{61c}\\u{2060}\\u{115f}\\u{3164}\\u{ffa0}\\u{34f}\\u{17b4}\\u{fe0f}\\u{e0100}\\u{180b}>\"",
            // The forwarded app's answer.
            "accepted 12:00:00",
            "answer<\\u{1b}",
        ],
    );
    let summary = shown
        .split("1 delivery received")
        .nth(1)
        .expect("a summary");
    assert!(summary.contains("email.delivered\\n12:00:00"), "{summary}");
}

#[test]
fn the_listener_shows_hostile_text_escaped_and_no_forged_line_without_colour() {
    let shown = listener_display(&["--color", "never"]);
    assert_no_forged_line(&shown);
    assert!(!shown.contains('\u{1b}'), "no colour asked for: {shown:?}");
    super::assert_contains(
        &shown,
        &["email.delivered\\n12:00:00", "evt_1\\u{202e}gnp.exe"],
    );
}

/// An endpoint answering a redirect whose `Location`, another header and the body are hostile.
fn hostile_endpoint(status: u16) -> TestServer {
    TestServer::start(move |_, _| Reply {
        headers: vec![
            ("location", "/moved\u{202e}\u{9b}\u{2066}".to_string()),
            ("x-evil", "v\u{202e}\u{9b}\u{feff}".to_string()),
        ],
        body: format!("refused\n  {FORGED}\n{}", hostile("answer")),
        ..Reply::status(status)
    })
}

#[test]
fn send_shows_a_hostile_location_headers_and_body_escaped_on_a_terminal() {
    for verbose in [false, true] {
        let server = hostile_endpoint(302);
        let mut cmd = hookctl();
        cmd.args(["send", "--url", &server.url, "--set"])
            .arg(format!("type=email.delivered\n{FORGED}"));
        if verbose {
            cmd.arg("-v");
        }
        let (code, bytes, _) = on_terminal(&mut cmd);
        assert_eq!(code, 1);
        let shown = assert_terminal_safe(&bytes);
        assert_no_forged_line(&shown);
        super::assert_contains(
            &shown,
            &[
                "email.delivered\\n12:00:00",
                "point the webhook at /moved\\u{202e}\\u{9b}\\u{2066}",
                "refused",
            ],
        );
        if verbose {
            // Every line of the body sits behind the gutter, never at a line's start.
            super::assert_contains(
                &shown,
                &["x-evil: v\\u{202e}\\u{9b}\\u{feff}", "│   12:00:00  POST"],
            );
        }
    }
}

#[test]
fn a_header_that_cannot_be_sent_is_refused_in_one_line_with_its_controls_escaped() {
    // Several lines in one -H are several headers, as with curl; a lone CR or an escape sequence
    // inside a line cannot be sent, and the error quotes the line.
    for (header, quoted) in [
        ("X-A: b\rInjected: c", "b\\rInjected: c"),
        (
            "X-A: \u{1b}[2J\u{1b}]0;title\u{7}v",
            "\\u{1b}[2J\\u{1b}]0;title\\u{7}v",
        ),
    ] {
        let terminal = Terminal::open();
        let out = hookctl()
            .args(["send", "--url", "http://127.0.0.1:9/hook", "-H", header])
            .stdout(Stdio::null())
            .stderr(terminal.stdio())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let shown = assert_terminal_safe(&terminal.bytes());
        assert!(shown.lines().count() <= 2, "{shown:?}");
        super::assert_contains(&shown, &["hookctl: error: ", quoted]);
    }
}

#[test]
fn a_usage_error_is_one_hookctl_error_line_and_a_hint() {
    let cases: [&[&str]; 4] = [
        &["send", "--nope"],
        &["sned"],
        &["send"],
        &["listen", "--port", "1\n12:00:00 forged"],
    ];
    for args in cases {
        let out = hookctl().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
        let err = String::from_utf8(out.stderr).unwrap();
        let lines: Vec<&str> = err.lines().collect();
        assert_eq!(lines.len(), 2, "{args:?}:\n{err}");
        assert!(lines[0].starts_with("hookctl: error: "), "{err}");
        assert!(lines[1].starts_with("  hint: "), "{err}");
        assert!(!err.contains('\u{1b}'), "stderr is a pipe: {err:?}");
    }
    let err = hookctl().args(["listen", "--port", "x"]).output().unwrap();
    let err = String::from_utf8(err.stderr).unwrap();
    assert!(err.contains("hint: see 'hookctl listen --help'"), "{err}");
}

/// Runs `send` to a working endpoint (unsigned, so a warning goes to stderr) with each stream
/// on a terminal or a pipe as asked; returns what (stdout, stderr) received.
fn send_with(
    stdout_terminal: bool,
    stderr_terminal: bool,
    env: &[(&str, &str)],
) -> (String, String) {
    let server = TestServer::start(|_, _| Reply::ok());
    let (out_terminal, err_terminal) = (Terminal::open(), Terminal::open());
    let mut cmd = hookctl();
    cmd.args(["send", "--url", &server.url])
        .envs(env.iter().copied());
    cmd.stdout(if stdout_terminal {
        out_terminal.stdio()
    } else {
        Stdio::piped()
    });
    cmd.stderr(if stderr_terminal {
        err_terminal.stdio()
    } else {
        Stdio::piped()
    });
    let out = cmd.output().unwrap();
    cmd.stdout(Stdio::null()).stderr(Stdio::null());
    assert_eq!(out.status.code(), Some(0));
    let text = |terminal: bool, t: Terminal, piped: Vec<u8>| {
        let bytes = if terminal { t.bytes() } else { piped };
        String::from_utf8(bytes).unwrap()
    };
    (
        text(stdout_terminal, out_terminal, out.stdout),
        text(stderr_terminal, err_terminal, out.stderr),
    )
}

#[test]
fn colour_is_decided_for_stdout_and_stderr_separately() {
    let coloured = |text: &str| text.contains("\u{1b}[");
    let (out, err) = send_with(false, true, &[]);
    assert!(
        !coloured(&out) && coloured(&err),
        "piped stdout, terminal stderr: {out:?} {err:?}"
    );
    let (out, err) = send_with(true, false, &[]);
    assert!(
        coloured(&out) && !coloured(&err),
        "terminal stdout, piped stderr: {out:?} {err:?}"
    );
    let (out, err) = send_with(true, true, &[("NO_COLOR", "1")]);
    assert!(
        !coloured(&out) && !coloured(&err),
        "NO_COLOR: {out:?} {err:?}"
    );
    let (out, err) = send_with(true, true, &[]);
    assert_terminal_safe(out.as_bytes());
    assert_terminal_safe(err.as_bytes());
    assert!(err.contains("\u{1b}[33m! no secret given"), "{err:?}");
}

#[test]
fn json_lines_escape_what_a_terminal_would_act_on_and_keep_the_exact_body() {
    let listener = Listening::start(&["--json", "--max-events", "1"]);
    let request = hostile_request();
    assert!(send_raw(&listener.url, &request).contains(" 200 "));
    let (_, out, _) = listener.finish();
    let raw: Vec<char> = out
        .chars()
        .filter(|&c| c != '\n' && must_not_reach(c))
        .collect();
    assert!(raw.is_empty(), "raw {raw:?} in the JSON line: {out:?}");
    let line = &lines(&out)[0];
    let body = &request[request.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4..];
    assert_eq!(
        line["body"].as_str().map(str::as_bytes),
        Some(body),
        "{line}"
    );
    assert_eq!(line["headers"]["x-evil"], "v\u{202e}\u{9b}\u{9d}\u{200b}v");
    assert_eq!(line["path"], "/hook/p\u{202e}\u{9b}\u{2066}\u{feff}");
}

/// Reads `terminal` until the listener's banner has given its URL.
fn banner_url(terminal: &mut std::fs::File) -> String {
    let mut text = String::new();
    let mut chunk = [0u8; 1024];
    loop {
        let n = terminal.read(&mut chunk).unwrap();
        assert!(n > 0, "no banner: {text}");
        text.push_str(&String::from_utf8_lossy(&chunk[..n]));
        if let Some(start) = text.find("http://")
            && let Some(len) = text[start..].find(char::is_whitespace)
        {
            return text[start..start + len].to_string();
        }
    }
}

/// Posts deliveries with long paths (shown whole) until the listener stops answering them:
/// its output is full.
fn fill_output(url: &str) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let path = "p".repeat(4000);
    rt.block_on(async {
        let client = reqwest::Client::builder()
            .no_proxy()
            .timeout(Duration::from_millis(1500))
            .build()
            .unwrap();
        for n in 0..500 {
            let body = format!(r#"{{"id":"evt_{n}","type":"email.sent"}}"#);
            let answer = client.post(format!("{url}{path}")).body(body).send().await;
            if !answer.is_ok_and(|a| a.status() == 200) {
                return;
            }
        }
        panic!("500 deliveries shown on a terminal nobody reads");
    });
}

#[test]
fn ctrl_c_ends_a_listener_whose_terminal_is_paused() {
    for mode in [&[][..], &["--json"][..]] {
        // Ctrl-S: the terminal takes no more output, on stdout and stderr alike.
        let (master, child_end) = pty();
        let mut child = hookctl()
            .args(["listen", "--port", "0"])
            .args(mode)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::from(child_end.try_clone().unwrap()))
            .stderr(Stdio::from(child_end))
            .spawn()
            .unwrap();
        let mut terminal = std::fs::File::from(master);
        let url = banner_url(&mut terminal);
        fill_output(&url);
        // Ctrl-C, again and again, as a user does.
        let started = Instant::now();
        while child.try_wait().unwrap().is_none() {
            if started.elapsed() > Duration::from_secs(10) {
                child.kill().unwrap();
                child.wait().unwrap();
                panic!("{mode:?}: Ctrl-C for 10 s did not end a listener on a paused terminal");
            }
            super::interrupt(child.id());
            std::thread::sleep(Duration::from_millis(300));
        }
        drop(terminal);
    }
}
