//! A `hookctl listen` child and a small client to talk to it, shared by the listener suites.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, ChildStderr, ChildStdout, Command, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use hookctl::signature::{Headers, Policy, Scheme, Secret, Signer, Stamp, Verdict};
use serde_json::Value;

pub const SECRET: &str = "whsec_bGlzdGVuLXRlc3Qtc2VjcmV0LWtleQ==";

/// A `hookctl listen` child on a free port. Its stdout and stderr are read as they come, so
/// megabytes of JSON lines never fill a pipe and stall the listener.
pub struct Listening {
    pub child: Child,
    pub url: String,
    stdout: JoinHandle<String>,
    stderr: JoinHandle<String>,
}

/// `hookctl listen --port 0 ARGS…`.
pub fn listen_command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hookctl"));
    command.args(["listen", "--port", "0"]).args(args);
    command
}

/// A started `hookctl listen`: the child, the URL from its banner's first line, that line, and
/// its stderr after that line.
pub struct Started {
    pub child: Child,
    pub url: String,
    pub banner: String,
    pub stderr: BufReader<ChildStderr>,
}

/// Spawns `command` (a `hookctl listen` whose stdout and environment the caller set) with stderr
/// piped, and reads the banner's first line for the URL.
pub fn start_listening(command: &mut Command) -> Started {
    let mut child = command.stderr(Stdio::piped()).spawn().unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut banner = String::new();
    stderr.read_line(&mut banner).unwrap();
    let url = banner
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no URL in the banner: {banner}"))
        .to_string();
    Started {
        child,
        url,
        banner,
        stderr,
    }
}

/// Everything `reader` gives until it closes, read on a thread as it comes.
pub fn read_on_thread(mut reader: impl Read + Send + 'static) -> JoinHandle<String> {
    std::thread::spawn(move || {
        let mut text = String::new();
        let _ = reader.read_to_string(&mut text);
        text
    })
}

/// A listener without colour or secret from the environment.
fn plain(command: &mut Command) -> &mut Command {
    command.env("NO_COLOR", "1").env_remove("HOOKCTL_SECRET")
}

/// A listener whose stdout is a pipe the test holds (to read a little of, or none): the child,
/// its URL, its stdout, and the rest of its stderr.
pub fn listener_with_stdout(args: &[&str]) -> (Child, String, ChildStdout, JoinHandle<String>) {
    let mut command = listen_command(args);
    let mut started = start_listening(plain(&mut command).stdout(Stdio::piped()));
    let stdout = started.child.stdout.take().unwrap();
    (
        started.child,
        started.url,
        stdout,
        read_on_thread(started.stderr),
    )
}

impl Listening {
    pub fn start(args: &[&str]) -> Self {
        Self::spawn(listen_command(args))
    }

    /// Starts `command`, which runs `hookctl listen` (perhaps through a shell that sets limits).
    pub fn spawn(mut command: Command) -> Self {
        let Started {
            mut child,
            url,
            banner,
            stderr,
        } = start_listening(plain(&mut command).stdout(Stdio::piped()));
        let rest = read_on_thread(stderr);
        let stderr = std::thread::spawn(move || banner + &rest.join().unwrap());
        let stdout = read_on_thread(child.stdout.take().unwrap());
        Listening {
            child,
            url,
            stdout,
            stderr,
        }
    }

    /// A listener that also saves every request into `dir` (`--save DIR`).
    pub fn saving(dir: &Path, args: &[&str]) -> Self {
        let mut all = vec!["--save", dir.to_str().unwrap()];
        all.extend_from_slice(args);
        Self::start(&all)
    }

    /// Stops the listener as Ctrl-C does.
    pub fn interrupt(&self) {
        super::interrupt(self.child.id());
    }

    /// Sends the listener the signal `name` (`INT`, `TERM`, `HUP`).
    pub fn signal(&self, name: &str) {
        super::signal(self.child.id(), name);
    }

    /// `127.0.0.1:PORT` (or `[::1]:PORT`) of the listener's URL.
    pub fn addr(&self) -> String {
        addr(&self.url)
    }

    /// Waits for the listener to stop by itself; returns (exit code, stdout, stderr).
    pub fn finish(mut self) -> (i32, String, String) {
        let deadline = Instant::now() + Duration::from_secs(20);
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(Instant::now() < deadline, "the listener did not stop");
            std::thread::sleep(Duration::from_millis(20));
        };
        (
            status.code().unwrap_or(-1),
            self.stdout.join().unwrap(),
            self.stderr.join().unwrap(),
        )
    }
}

pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

pub fn post(url: &str, headers: &[(String, String)], body: &[u8]) -> Answer {
    request("POST", url, headers, body)
}

pub fn request(method: &str, url: &str, headers: &[(String, String)], body: &[u8]) -> Answer {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let _ = rustls::crypto::ring::default_provider().install_default();
    rt.block_on(async {
        // A redirect is an answer to look at, not to follow.
        let client = reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let mut req = client
            .request(method.parse().unwrap(), url)
            .body(body.to_vec());
        for (n, v) in headers {
            req = req.header(n, v);
        }
        let response = req.send().await.unwrap();
        Answer {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            body: response.text().await.unwrap(),
        }
    })
}

/// `HOST:PORT` of an `http://HOST:PORT/…` URL.
pub fn addr(url: &str) -> String {
    let rest = url.trim_start_matches("http://");
    rest.split('/').next().unwrap().to_string()
}

/// A signer for `scheme` under `secret`, with the scheme's own header.
pub fn signer(scheme: Scheme, secret: &str) -> Signer {
    Signer::new(scheme, &Secret::new(secret).unwrap(), None).unwrap()
}

/// Signature headers for `body` under `secret`, signed now.
pub fn signed(scheme: Scheme, secret: &str, body: &[u8]) -> Vec<(String, String)> {
    signed_at(scheme, secret, jiff::Timestamp::now().as_second(), body)
}

/// Signature headers for `body` under `secret`, signed at `timestamp`.
pub fn signed_at(
    scheme: Scheme,
    secret: &str,
    timestamp: i64,
    body: &[u8],
) -> Vec<(String, String)> {
    let stamp = Stamp {
        id: "evt_1".into(),
        timestamp,
    };
    signer(scheme, secret).sign(body, &stamp).unwrap().headers
}

/// Whether `headers` and `body` verify under `scheme` and `secret` now (`tolerance`: seconds,
/// `None` for any age).
pub fn verdict(
    scheme: Scheme,
    secret: &str,
    headers: &[(String, String)],
    body: &[u8],
    tolerance: Option<u64>,
) -> Verdict {
    let headers: Headers = headers.iter().cloned().collect();
    let policy = Policy {
        now: jiff::Timestamp::now().as_second(),
        tolerance,
    };
    signer(scheme, secret).verify(&headers, body, &policy)
}

pub fn lines(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}
