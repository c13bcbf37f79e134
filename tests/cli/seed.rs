//! `check` against the seed's own EKDSend handler under Node and Express (tests/seed/), as the
//! seed's page writes it, and against a correct raw-body verifier.
//!
//! .ci/run installs Express there (`npm ci`) and names the folder in `HOOKCTL_SEED_NODE_DIR`.
//! Without it these tests are skipped, except under `CI=true`, where a missing folder fails them.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use serde_json::Value;

use super::{check_card, check_result};

const SECRET: &str = "whsec_seed-handler-test-secret";

/// The folder with the handlers and their node_modules, or `None` (outside CI) when unset.
fn seed_dir() -> Option<PathBuf> {
    match std::env::var_os("HOOKCTL_SEED_NODE_DIR") {
        Some(dir) => Some(PathBuf::from(dir)),
        None if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("HOOKCTL_SEED_NODE_DIR is not set: .ci/run installs tests/seed")
        }
        None => {
            eprintln!("HOOKCTL_SEED_NODE_DIR is not set: the Node handlers are not checked");
            None
        }
    }
}

/// A Node handler running on 127.0.0.1, stopped when dropped.
struct Handler {
    child: Child,
    url: String,
}

impl Handler {
    /// Starts `node SCRIPT` in `dir` with the secret; waits for the port it prints.
    fn start(dir: &PathBuf, script: &str) -> Self {
        let mut child = Command::new("node")
            .arg(script)
            .current_dir(dir)
            .env("WEBHOOK_SECRET", SECRET)
            .env("NODE_ENV", "development")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("node runs");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let port: u16 = lines
            .next()
            .expect("the handler prints its port")
            .unwrap()
            .trim()
            .parse()
            .expect("a port number");
        // The seed logs every event it accepts: keep reading so that it never blocks.
        std::thread::spawn(move || lines.for_each(drop));
        Handler {
            child,
            url: format!("http://127.0.0.1:{port}/webhook"),
        }
    }
}

impl Drop for Handler {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `check --json` against the handler: its exit code and card.
fn card(handler: &Handler) -> (i32, Value) {
    check_card(&handler.url, &["--secret", SECRET])
}

fn numbers_marked(card: &Value, mark: &str) -> Vec<u64> {
    card["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["mark"] == mark)
        .map(|c| c["number"].as_u64().unwrap())
        .collect()
}

#[test]
fn the_seeds_own_handler_fails_the_checks_its_bugs_fail() {
    let Some(dir) = seed_dir() else { return };
    let handler = Handler::start(&dir, "seed-handler.js");
    let (code, card) = card(&handler);
    assert_eq!(code, 1, "{card}");
    assert_eq!(numbers_marked(&card, "fail"), [4, 9, 10], "{card}");
    assert!(numbers_marked(&card, "warn").is_empty(), "{card}");
    // Buffer.from(undefined) throws: Express answers 500 with the stack trace.
    let missing = check_result(&card, 4);
    assert_eq!(missing["status"], 500, "{missing}");
    assert_eq!(
        missing["fix"],
        "reject requests that carry no X-EKDSend-Signature with 401, checking for it before using it: a 5xx (often a crash on the missing value) makes the provider retry"
    );
    let answer = missing["answer"].as_str().unwrap();
    assert!(
        answer.contains(
            "TypeError [ERR_INVALID_ARG_TYPE]: The first argument must be of type string"
        ),
        "the answer shows why: {answer}"
    );
    // crypto.timingSafeEqual throws on buffers of unequal length: 500 again.
    let malformed = check_result(&card, 9);
    assert_eq!(malformed["status"], 500, "{malformed}");
    assert!(
        malformed["fix"]
            .as_str()
            .unwrap()
            .starts_with("reject a malformed signature with 401, not 5xx"),
        "{malformed}"
    );
    // Node versions differ on writing the error's code after its name (Node 10 wrote
    // `RangeError [ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH]: …`, Node 20 does not): either way the
    // message, then the stack.
    let answer = malformed["answer"].as_str().unwrap();
    let message = "Input buffers must have the same byte length\nat ";
    assert!(
        answer.starts_with("RangeError") && answer.contains(message),
        "{malformed}"
    );
    // JSON.stringify(req.body) is not the body that was signed.
    let raw = check_result(&card, 10);
    assert_eq!(
        (&raw["status"], &raw["answer"]),
        (&401.into(), &"Invalid signature".into())
    );
    assert!(
        raw["fix"]
            .as_str()
            .unwrap()
            .starts_with("verify the raw request bytes as received, never a re-serialised body"),
        "{raw}"
    );
}

#[test]
fn a_raw_body_verifier_passes_every_check() {
    let Some(dir) = seed_dir() else { return };
    let handler = Handler::start(&dir, "raw-handler.js");
    let (code, card) = card(&handler);
    assert_eq!((code, &card["passed"]), (0, &Value::Bool(true)), "{card}");
    let checks = card["checks"].as_array().unwrap();
    assert_eq!(
        numbers_marked(&card, "pass").len() + numbers_marked(&card, "skip").len(),
        checks.len(),
        "no failure, no warning: {card}"
    );
    for n in [1, 2, 3, 4, 6, 7, 8, 9, 10, 13] {
        assert_eq!(check_result(&card, n)["mark"], "pass", "{card}");
    }
}
