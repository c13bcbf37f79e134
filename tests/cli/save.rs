//! `listen --save`: every acknowledged request is on disk, in its own file, readable by its owner
//! only; what cannot be saved is not acknowledged and leaves nothing behind.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Barrier};

use serde_json::Value;

use super::listening::{Listening, lines, post};

/// The names of the files in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The bodies of the requests saved in `dir`.
fn saved_bodies(dir: &Path) -> BTreeSet<Vec<u8>> {
    names(dir)
        .iter()
        .map(|name| {
            hookctl::listener::saved::read(&dir.join(name), u64::MAX)
                .unwrap()
                .body
        })
        .collect()
}

/// POSTs `body` on a connection opened beforehand, once `start` lets it go; the status line.
fn post_together(addr: &str, body: &[u8], start: &Barrier) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    let mut request = format!(
        "POST / HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(body);
    start.wait();
    stream.write_all(&request).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer.lines().next().unwrap_or_default().to_string()
}

#[test]
fn two_listeners_saving_into_one_directory_never_overwrite_each_other() {
    const EACH: usize = 100;
    let dir = tempfile::tempdir().unwrap();
    let max = EACH.to_string();
    let args = ["--compact", "--max-events", max.as_str()];
    let listeners = [
        Listening::saving(dir.path(), &args),
        Listening::saving(dir.path(), &args),
    ];
    // Both get the same event id at the same moment, with the same arrival number.
    let start = Arc::new(Barrier::new(2));
    let senders: Vec<_> = listeners
        .iter()
        .enumerate()
        .map(|(who, l)| {
            let (addr, start) = (l.addr(), start.clone());
            std::thread::spawn(move || {
                (0..EACH)
                    .map(|n| {
                        let body =
                            format!(r#"{{"id":"evt_same","type":"t","from":{who},"n":{n}}}"#);
                        // Checked after both threads are done: a panic here would leave
                        // the other thread waiting at the barrier.
                        let status = post_together(&addr, body.as_bytes(), &start);
                        (status, body.into_bytes())
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let (statuses, sent): (Vec<String>, BTreeSet<Vec<u8>>) =
        senders.into_iter().flat_map(|s| s.join().unwrap()).unzip();
    for l in listeners {
        assert_eq!(l.finish().0, 0);
    }
    let refused: Vec<&String> = statuses
        .iter()
        .filter(|s| *s != "HTTP/1.1 200 OK")
        .collect();
    assert!(
        refused.is_empty(),
        "every request acknowledged: {refused:?}"
    );
    assert_eq!(
        names(dir.path()).len(),
        2 * EACH,
        "one file per acknowledged request"
    );
    assert_eq!(saved_bodies(dir.path()), sent, "none overwritten");
}

#[test]
fn saved_files_are_readable_by_their_owner_only() {
    let dir = tempfile::tempdir().unwrap();
    let l = Listening::saving(dir.path(), &["--max-events", "1"]);
    assert_eq!(
        post(
            &l.url,
            &[("Authorization".into(), "Bearer k3y".into())],
            b"{}"
        )
        .status,
        200
    );
    l.finish();
    let files = names(dir.path());
    assert_eq!(files.len(), 1, "{files:?}");
    let mode = std::fs::metadata(dir.path().join(&files[0]))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "mode {mode:o}");
}

/// A listener saving into `dir` whose files may not grow past a few KiB (RLIMIT_FSIZE), so a
/// large body fails to save halfway through the write.
fn saving_with_a_small_file_limit(dir: &Path, args: &[&str]) -> Listening {
    let mut command = Command::new("sh");
    command
        // Ignored, SIGXFSZ turns into an EFBIG error from write; the limit is in 512- or
        // 1024-byte blocks depending on the shell: 8 or 16 KiB.
        .args(["-c", r#"trap '' XFSZ; ulimit -f 16; exec "$0" "$@""#])
        .arg(env!("CARGO_BIN_EXE_hookctl"))
        .args(["listen", "--port", "0", "--save", dir.to_str().unwrap()])
        .args(args);
    Listening::spawn(command)
}

#[test]
fn a_save_that_fails_halfway_is_answered_503_and_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let l = saving_with_a_small_file_limit(dir.path(), &["--json", "--max-events", "2"]);
    let big = format!(r#"{{"id":"evt_big","pad":"{}"}}"#, "x".repeat(64 * 1024));
    let answer = post(&l.url, &[], big.as_bytes());
    assert_eq!(answer.status, 503, "{}", answer.body);
    assert!(answer.body.contains("could not save"), "{}", answer.body);
    assert!(
        answer.headers.contains_key("retry-after"),
        "the sender is told to retry"
    );
    assert_eq!(
        names(dir.path()),
        Vec::<String>::new(),
        "no partial or temporary file"
    );

    let small = br#"{"id":"evt_small"}"#;
    assert_eq!(post(&l.url, &[], small).status, 200, "saving goes on");
    let (code, out, err) = l.finish();
    assert_eq!(code, 0);
    let got = lines(&out);
    assert_eq!(got[0]["status"], 503);
    assert_eq!(got[0]["saved"], Value::Null);
    assert!(got[0]["save_error"].as_str().is_some(), "{}", got[0]);
    assert!(got[1]["saved"].as_str().is_some(), "{}", got[1]);
    assert!(
        err.contains("1 delivery not saved (answered 503 so the sender retries)"),
        "{err}"
    );
    assert_eq!(saved_bodies(dir.path()), BTreeSet::from([small.to_vec()]));
}
