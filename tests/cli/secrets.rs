//! Nothing leaked: a whole session run with a distinctive secret (sign, verify, send, listen,
//! replay, check and their error paths), and every byte it printed or saved searched for it.

use std::path::Path;
use std::process::Output;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;

use super::listening::{Listening, post};
use super::server::{Reply, TestServer, closed_port};
use super::{header_args, hookctl};

/// Decodes to printable text, so a decoded key would be findable too.
const CANARY: &str = "canary-Zq8VwK3pT-leak-probe";
const PLAIN: &str = "s3cr3t-do-not-print-XYZ";
const EVENT: &[u8] = br#"{"id":"evt_secret_1","type":"email.delivered","created_at":"2026-01-01T00:00:00Z","data":{"to":"a@example.com"}}"#;

fn whsec() -> String {
    format!("whsec_{}", BASE64.encode(CANARY))
}

/// What must appear nowhere: each secret whole, the base64 part, the decoded key as text and in
/// hex, and distinctive fragments (an excerpt cut at 40 characters still leaks).
fn needles() -> Vec<String> {
    let b64 = BASE64.encode(CANARY);
    vec![
        whsec(),
        b64.clone(),
        b64[8..24].to_string(),
        CANARY.to_string(),
        "Zq8VwK3pT".to_string(),
        hex::encode(CANARY),
        PLAIN.to_string(),
        "do-not-print".to_string(),
        hex::encode(PLAIN),
    ]
}

/// Everything a session printed or saved, labelled.
#[derive(Default)]
struct Session {
    outputs: Vec<(String, Vec<u8>)>,
}

impl Session {
    /// Runs `cmd`, keeps both streams, checks the exit code so each step is known to have done
    /// what it is here for.
    fn run(&mut self, label: &str, code: i32, cmd: &mut assert_cmd::Command) -> Output {
        let out = cmd.output().unwrap();
        self.keep(&format!("{label}: stdout"), &out.stdout);
        self.keep(&format!("{label}: stderr"), &out.stderr);
        assert_eq!(
            out.status.code(),
            Some(code),
            "{label}\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    fn keep(&mut self, label: &str, bytes: &[u8]) {
        self.outputs.push((label.to_string(), bytes.to_vec()));
    }

    /// A listener's exit: code, stdout (JSON lines or the human display), stderr (banner, summary).
    fn finish(&mut self, label: &str, code: i32, l: Listening) {
        let (got, out, err) = l.finish();
        self.keep(&format!("{label}: stdout"), out.as_bytes());
        self.keep(&format!("{label}: stderr"), err.as_bytes());
        assert_eq!(got, code, "{label}\n{out}{err}");
    }

    /// Every file under `dir`, as saved.
    fn keep_files(&mut self, dir: &Path) -> usize {
        let mut n = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            self.keep(&path.display().to_string(), &std::fs::read(&path).unwrap());
            n += 1;
        }
        n
    }

    fn assert_nothing_leaked(&self) {
        let mut leaks = Vec::new();
        for (label, bytes) in &self.outputs {
            for needle in needles() {
                if let Some(at) = bytes
                    .windows(needle.len())
                    .position(|w| w == needle.as_bytes())
                {
                    let from = at.saturating_sub(60);
                    let to = (at + needle.len() + 60).min(bytes.len());
                    leaks.push(format!(
                        "{label} shows {needle:?}: …{}…",
                        String::from_utf8_lossy(&bytes[from..to])
                    ));
                }
            }
        }
        assert!(leaks.is_empty(), "the secret leaked:\n{}", leaks.join("\n"));
    }
}

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Sign, verify, send, listen, replay and check with `secret`, and the ways each can go wrong.
fn session(secret: &str, base64_secret: bool) -> Session {
    let mut s = Session::default();
    let dir = tempfile::tempdir().unwrap();
    let body = dir.path().join("event.json");
    std::fs::write(&body, EVENT).unwrap();
    let body = body.to_str().unwrap();
    let tampered = dir.path().join("tampered.json");
    std::fs::write(&tampered, [EVENT, b"\n"].concat()).unwrap();
    let tampered = tampered.to_str().unwrap();
    let secret_file = dir.path().join("secret");
    std::fs::write(&secret_file, format!("{secret}\n")).unwrap();
    let secret_file = secret_file.to_str().unwrap();
    let with = ["--secret", secret];

    // sign
    s.run("sign", 0, hookctl().arg("sign").args(with));
    s.run(
        "sign --json",
        0,
        hookctl().args(["sign", "--json"]).args(with),
    );
    s.run(
        "sign stripe --json",
        0,
        hookctl()
            .args(["sign", "--scheme", "stripe", "--json", "--payload", body])
            .args(with),
    );
    s.run(
        "sign --secret-file",
        0,
        hookctl().args(["sign", "--secret-file", secret_file]),
    );
    s.run(
        "sign HOOKCTL_SECRET",
        0,
        hookctl().arg("sign").env("HOOKCTL_SECRET", secret),
    );
    s.run(
        "sign standard",
        if base64_secret { 0 } else { 2 },
        hookctl()
            .args(["sign", "--scheme", "standard", "--payload", body])
            .args(with),
    );

    // verify: a match, a tampered body, another secret, the wrong scheme, the secret pasted
    // where the signature goes
    let signed = text(&s.run(
        "sign --payload",
        0,
        hookctl().args(["sign", "--payload", body]).args(with),
    ));
    let headers = header_args(&signed);
    for json in [false, true] {
        let mode = if json { " --json" } else { "" };
        let verify = |payload: &str| {
            let mut cmd = hookctl();
            cmd.args(["verify", "--payload", payload])
                .args(&headers)
                .args(with);
            if json {
                cmd.arg("--json");
            }
            cmd
        };
        s.run(&format!("verify match{mode}"), 0, &mut verify(body));
        s.run(&format!("verify tampered{mode}"), 1, &mut verify(tampered));
        s.run(
            &format!("verify wrong scheme{mode}"),
            1,
            verify(body).args(["--scheme", "github"]),
        );
        s.run(
            &format!("verify secret as signature{mode}"),
            1,
            hookctl()
                .args(["verify", "--payload", body, "--signature", secret])
                .args(with)
                .args(json.then_some("--json")),
        );
    }
    let other = text(&s.run(
        "sign another secret",
        0,
        hookctl().args(["sign", "--payload", body, "--secret", "another-secret"]),
    ));
    s.run(
        "verify another secret",
        1,
        hookctl()
            .args(["verify", "--payload", body])
            .args(header_args(&other))
            .env("HOOKCTL_SECRET", secret),
    );
    if base64_secret {
        let now = jiff::Timestamp::now().as_second().to_string();
        s.run(
            "verify standard, secret as signature",
            1,
            hookctl()
                .args(["verify", "--scheme", "standard", "--payload", body])
                .args(["--id", "msg_1", "--timestamp", &now])
                .args(["--signature", &format!("v1,{secret}")])
                .args(with),
        );
        s.run(
            "verify standard, raw-string mix-up",
            1,
            hookctl()
                .args(["verify", "--scheme", "standard", "--payload", body])
                .args(&headers)
                .args(with),
        );
    }

    // send
    let server = TestServer::ok();
    let url = server.url.as_str();
    let send = |extra: &[&str]| {
        let mut cmd = hookctl();
        cmd.args(["send", "--url", url]).args(with).args(extra);
        cmd
    };
    s.run("send", 0, &mut send(&[]));
    s.run("send -v", 0, &mut send(&["-v"]));
    s.run(
        "send stripe -v",
        0,
        &mut send(&["-v", "--scheme", "stripe"]),
    );
    if base64_secret {
        s.run("send svix -v", 0, &mut send(&["-v", "--scheme", "svix"]));
        s.run(
            "send svix --dry-run",
            0,
            &mut send(&["--dry-run", "--scheme", "svix"]),
        );
    }
    s.run("send --json", 0, &mut send(&["--json"]));
    s.run(
        "send --count --json",
        0,
        &mut send(&["--count", "5", "--json"]),
    );
    s.run("send --count", 0, &mut send(&["--count", "5"]));
    let note = format!("data.note={secret}");
    let header = format!("X-Api-Key: {secret}");
    let dry = s.run(
        "send --dry-run",
        0,
        &mut send(&["--dry-run", "--set", &note, "-H", &header]),
    );
    let dry = text(&dry);
    assert!(
        dry.contains("x-api-key: <redacted>\n")
            && dry.contains(r#""note":"<redacted>""#)
            && dry.contains("-H 'x-api-key: <redacted>'"),
        "--dry-run shows the secret as <redacted>: {dry}"
    );
    let failing = TestServer::start(|_, _| Reply::status(500));
    s.run(
        "send retries -v",
        1,
        hookctl()
            .args([
                "send",
                "--url",
                &failing.url,
                "--retries",
                "2",
                "--backoff",
                "1ms",
            ])
            .args(["-v"])
            .args(with),
    );

    // listen: JSON lines and saved files, then the human display; each gets one event signed
    // with the secret and one with another
    let send_both = |s: &mut Session, label: &str, l: &Listening| {
        s.run(
            &format!("send to {label}"),
            0,
            hookctl().args(["send", "--url", &l.url]).args(with),
        );
        s.run(
            &format!("send to {label}, another secret"),
            0,
            hookctl().args(["send", "--url", &l.url, "--secret", "another-secret"]),
        );
    };
    let saved = dir.path().join("saved");
    let l = Listening::saving(&saved, &["--secret", secret, "--json", "--max-events", "3"]);
    send_both(&mut s, "listen", &l);
    post(&l.url, &[], EVENT);
    s.finish("listen --json --save", 1, l);
    assert_eq!(s.keep_files(&saved), 3, "every request saved");

    let l = Listening::start(&["--secret", secret, "-v", "--max-events", "2"]);
    send_both(&mut s, "listen -v", &l);
    s.finish("listen -v", 1, l);

    // replay what was saved: re-signed, as is
    let replayed = TestServer::ok();
    let saved = saved.to_str().unwrap();
    let replay = |extra: &[&str]| {
        let mut cmd = hookctl();
        cmd.args(["replay", saved, "--url", &replayed.url])
            .args(extra);
        cmd
    };
    s.run("replay", 0, replay(&[]).args(with));
    s.run("replay --json", 0, replay(&["--json"]).args(with));
    s.run("replay -v", 0, replay(&["-v"]).args(with));
    s.run("replay --as-is -v", 0, &mut replay(&["--as-is", "-v"]));

    // check: an endpoint that verifies (through a listener) and one that does not
    let l = Listening::start(&["--secret", secret, "--reject-invalid", "--json"]);
    s.run(
        "check a verifying endpoint",
        0,
        hookctl()
            .args(["check", "--url", &l.url, "--skip", "8"])
            .args(with),
    );
    s.run(
        "check --json",
        0,
        hookctl()
            .args(["check", "--url", &l.url, "--skip", "8", "--json"])
            .args(with),
    );
    l.interrupt();
    s.finish("listen --reject-invalid behind check", 1, l);
    s.run(
        "check an endpoint that does not verify",
        1,
        hookctl().args(["check", "--url", url]).args(with),
    );

    // error paths
    s.run(
        "wrong scheme",
        2,
        hookctl().args(["sign", "--scheme", "bogus"]).args(with),
    );
    s.run(
        "bad URL",
        2,
        hookctl().args(["send", "--url", "not a url"]).args(with),
    );
    s.run(
        "not http",
        2,
        hookctl()
            .args(["send", "--url", "ftp://127.0.0.1/x"])
            .args(with),
    );
    s.run(
        "refused",
        1,
        hookctl()
            .args([
                "send",
                "--url",
                &format!("http://127.0.0.1:{}/", closed_port()),
            ])
            .args(with),
    );
    s.run(
        "missing payload",
        2,
        hookctl()
            .args(["verify", "--payload", "/nonexistent/event.json"])
            .args(["--signature", "sha256=00"])
            .args(with),
    );
    s.run(
        "two secrets",
        2,
        hookctl()
            .args(["sign", "--secret-file", secret_file])
            .args(with),
    );
    s.run(
        "unknown flag",
        2,
        hookctl().args(["sign", "--bogus"]).args(with),
    );
    s.run(
        "a --set that does not fit",
        2,
        hookctl()
            .args(["send", "--url", url, "--set", "data.to.x=1"])
            .args(with),
    );
    s.run(
        "burst and dry run",
        2,
        hookctl()
            .args(["send", "--url", url, "--count", "2", "--dry-run"])
            .args(with),
    );
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    s.run(
        "port in use",
        2,
        hookctl().args(["listen", "--port", &port]).args(with),
    );
    for command in ["send", "listen", "sign", "verify", "check", "replay"] {
        s.run(
            &format!("{command} --help"),
            0,
            hookctl()
                .args([command, "--help"])
                .env("HOOKCTL_SECRET", secret),
        );
    }
    s
}

#[test]
fn a_whole_session_never_shows_a_whsec_secret() {
    session(&whsec(), true).assert_nothing_leaked();
}

#[test]
fn a_whole_session_never_shows_a_plain_secret() {
    session(PLAIN, false).assert_nothing_leaked();
}
