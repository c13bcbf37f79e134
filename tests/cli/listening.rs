//! A `hookctl listen` child and a small client to talk to it, shared by the listener suites.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use hookctl::signature::{Scheme, Secret, Signer, Stamp};
use serde_json::Value;

pub const SECRET: &str = "whsec_bGlzdGVuLXRlc3Qtc2VjcmV0LWtleQ==";

/// A `hookctl listen` child on a free port. Its stdout and stderr are read as they come, so
/// megabytes of JSON lines never fill a pipe and stall the listener.
pub struct Listening {
    pub child: Child,
    pub url: String,
    stdout: std::thread::JoinHandle<String>,
    stderr: std::thread::JoinHandle<String>,
}

impl Listening {
    pub fn start(args: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_hookctl"))
            .args(["listen", "--port", "0"])
            .args(args)
            .env("NO_COLOR", "1")
            .env_remove("HOOKCTL_SECRET")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        stderr.read_line(&mut line).unwrap();
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in the banner: {line}"))
            .to_string();
        let stderr = std::thread::spawn(move || {
            let mut rest = String::new();
            let _ = stderr.read_to_string(&mut rest);
            line + &rest
        });
        let mut stdout = child.stdout.take().unwrap();
        let stdout = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = stdout.read_to_string(&mut text);
            text
        });
        Listening {
            child,
            url,
            stdout,
            stderr,
        }
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
        let client = reqwest::Client::builder().no_proxy().build().unwrap();
        let mut req = client
            .request(method.parse().unwrap(), url)
            .body(body.to_vec());
        for (n, v) in headers {
            req = req.header(n, v);
        }
        let response = req.send().await.unwrap();
        Answer {
            status: response.status().as_u16(),
            body: response.text().await.unwrap(),
        }
    })
}

pub fn signed(scheme: Scheme, secret: &str, body: &[u8]) -> Vec<(String, String)> {
    let signer = Signer::new(scheme, &Secret::new(secret).unwrap(), None).unwrap();
    let stamp = Stamp {
        id: "evt_1".into(),
        timestamp: jiff::Timestamp::now().as_second(),
    };
    signer.sign(body, &stamp)
}

pub fn lines(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}
