//! The `hookctl` binary run as a user runs it.

mod burst;
mod catalog;
mod check;
mod check_lifecycle;
mod check_signatures;
mod completions;
mod faults;
mod hostile;
mod inputs;
mod interop;
mod keys;
mod listen;
mod listening;
mod mailgun;
mod plivo;
mod postmark;
mod providers;
mod records;
mod redaction;
mod relay;
mod resend;
mod save;
mod scenario;
mod scenario_builtins;
mod scenario_from;
mod secrets;
mod seed;
mod send;
mod sendgrid;
mod server;
mod shutdown;
mod sign_verify;
mod telnyx;
mod terminal;
mod twilio;
mod vonage;

use std::path::PathBuf;

use assert_cmd::Command;

/// `hookctl check --url URL --json ARGS…`: its exit code and the card it printed.
pub fn check_card(url: &str, args: &[&str]) -> (i32, serde_json::Value) {
    let out = hookctl()
        .args(["check", "--url", url, "--json"])
        .args(args)
        .output()
        .unwrap();
    let card = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("no card: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap(), card)
}

/// The result of check `number` on a card.
pub fn check_result(card: &serde_json::Value, number: u64) -> &serde_json::Value {
    card["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["number"] == number)
        .unwrap_or_else(|| panic!("no check {number}: {card}"))
}

/// The built binary, with colour off and no secret in the environment.
pub fn hookctl() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hookctl"));
    cmd.env_remove("HOOKCTL_SECRET").env("NO_COLOR", "1");
    cmd
}

/// Stdout of a run that must succeed.
pub fn stdout_of(cmd: &mut Command) -> String {
    stdout_with_code(cmd, 0)
}

/// Stdout of a run that must end with exit code `code`.
pub fn stdout_with_code(cmd: &mut Command, code: i32) -> String {
    let out = cmd.assert().code(code).get_output().stdout.clone();
    let out = String::from_utf8(out).expect("stdout is UTF-8");
    // Colour is off for a pipe: an escape here was written past the colour-deciding stream.
    assert!(
        !out.contains('\u{1b}'),
        "an escape sequence in piped stdout: {out:?}"
    );
    out
}

/// Stderr of a run that must end with exit code `code`.
pub fn stderr_with_code(cmd: &mut Command, code: i32) -> String {
    let err = cmd.assert().code(code).get_output().stderr.clone();
    String::from_utf8(err).expect("stderr is UTF-8")
}

/// Writes `bytes` to `name` in `dir`; returns its path.
pub fn file(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// A fresh temporary directory holding one file, `name`, with `bytes`; the directory (the file
/// lives as long as it does) and the file's path.
pub fn temp_file(name: &str, bytes: &[u8]) -> (tempfile::TempDir, &'static str) {
    let dir = tempfile::tempdir().unwrap();
    let path = file(&dir, name, bytes).to_str().unwrap().to_string();
    (dir, Box::leak(path.into_boxed_str()))
}

/// `-H` arguments from `sign` output (one `Name: value` per line, up to a blank line).
pub fn header_args(sign_stdout: &str) -> Vec<String> {
    sign_stdout
        .lines()
        .take_while(|l| !l.is_empty())
        .flat_map(|l| ["-H".to_string(), l.to_string()])
        .collect()
}

/// Sends SIGINT (Ctrl-C) to the process `pid`.
pub fn interrupt(pid: u32) {
    signal(pid, "INT");
}

/// Sends the signal `name` (`INT`, `TERM`, `HUP`) to the process `pid`.
pub fn signal(pid: u32, name: &str) {
    let status = std::process::Command::new("kill")
        .args([&format!("-{name}"), &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success(), "kill -{name} {pid} failed");
}

/// Asserts that `text` contains each of `wants`, showing `text` when one is missing.
pub fn assert_contains(text: &str, wants: &[&str]) {
    for want in wants {
        assert!(text.contains(want), "expected `{want}` in:\n{text}");
    }
}

/// A field of /proc/PID/status in KiB (VmHWM: the peak resident set); 0 once the process is gone.
pub fn memory_kib(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Waits (a minute at most) until `child` has read `bytes` (rchar of /proc/PID/io), then kills
/// it and returns its peak resident set in KiB at that point. `what` names it in failures.
pub fn peak_after_reading(child: &mut std::process::Child, bytes: u64, what: &str) -> u64 {
    let pid = child.id();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let io = std::fs::read_to_string(format!("/proc/{pid}/io")).unwrap_or_default();
        let read: u64 = io
            .lines()
            .find_map(|l| l.strip_prefix("rchar: ")?.parse().ok())
            .unwrap_or(0);
        if read >= bytes {
            break;
        }
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            if let Some(mut stderr) = child.stderr.take() {
                let _ = std::io::Read::read_to_string(&mut stderr, &mut err);
            }
            panic!("{what} ended early ({status}) after {read} bytes: {err}");
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{what} reads too slowly: {read} bytes"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let peak = memory_kib(pid, "VmHWM");
    child.kill().unwrap();
    child.wait().unwrap();
    peak
}
