//! Key pairs on the command line: `keygen`, `--private-key`, `--public-key`, the wrong half
//! named, and Standard Webhooks `v1a`. Also the harness that runs the providers' official
//! libraries for the public-key providers (tests/interop/providers.py).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::Value;

use super::listening::{Listening, lines};
use super::{hookctl, stderr_with_code, stdout_of, stdout_with_code};

/// `hookctl keygen --provider NAME --out DIR/NAME.pem`: (private key file, public key).
pub fn keygen(dir: &tempfile::TempDir, provider: &str) -> (PathBuf, String) {
    let path = dir.path().join(format!("{provider}.pem"));
    let public = stdout_of(hookctl().args([
        "keygen",
        "--provider",
        provider,
        "--out",
        path.to_str().unwrap(),
    ]));
    (path, public.trim().to_string())
}

/// `hookctl send --all` with `flags` (`--provider P` or `--scheme S`), signed with `private`, to
/// a test server: every request it received.
pub fn sent_with_key(flags: &[&str], private: &Path) -> Vec<super::server::Received> {
    let server = super::server::TestServer::ok();
    hookctl()
        .arg("send")
        .args(flags)
        .args(["--all", "--private-key"])
        .arg(private)
        .args(["--url", &server.url])
        .assert()
        .success();
    server.received()
}

/// Runs `providers.py COMMAND` with `input` on stdin; its JSON answer.
pub fn library(python: &Path, command: &str, input: &Value) -> Value {
    use std::io::Write;
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/interop/providers.py");
    let mut child = Command::new(python)
        .args([script, command])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "providers.py {command}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `body` as the harness takes it.
pub fn b64(body: &[u8]) -> String {
    BASE64.encode(body)
}

/// `Name: value` lines (what `hookctl sign` prints) as a name → value map.
pub fn header_map(text: &str) -> serde_json::Map<String, Value> {
    text.lines()
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(": "))
        .map(|(n, v)| (n.to_ascii_lowercase(), Value::from(v)))
        .collect()
}

#[test]
fn keygen_writes_an_owner_only_pem_and_prints_the_providers_public_key() {
    let dir = tempfile::tempdir().unwrap();
    let (path, sendgrid) = keygen(&dir, "sendgrid");
    let pem = std::fs::read_to_string(&path).unwrap();
    assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"), "{pem}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // SendGrid's dashboard form: base64 of a P-256 SubjectPublicKeyInfo (91 bytes).
    assert_eq!(BASE64.decode(&sendgrid).unwrap().len(), 91, "{sendgrid}");
    let (_, telnyx) = keygen(&dir, "telnyx");
    assert_eq!(BASE64.decode(&telnyx).unwrap().len(), 32, "{telnyx}");
    let (_, standard) = keygen(&dir, "standard");
    assert!(standard.starts_with("whpk_"), "{standard}");

    let out = dir.path().join("again.pem");
    let json: Value = serde_json::from_str(&stdout_of(hookctl().args([
        "keygen",
        "--provider",
        "telnyx",
        "--json",
        "--out",
        out.to_str().unwrap(),
    ])))
    .unwrap();
    assert_eq!(json["private_key_file"], out.to_str().unwrap());
    assert_eq!(
        BASE64
            .decode(json["public_key"].as_str().unwrap())
            .unwrap()
            .len(),
        32
    );
}

#[test]
fn keygen_refuses_to_overwrite_a_key_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = keygen(&dir, "telnyx");
    let before = std::fs::read(&path).unwrap();
    let args = [
        "keygen",
        "--provider",
        "telnyx",
        "--out",
        path.to_str().unwrap(),
    ];
    let err = hookctl()
        .args(args)
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(err).unwrap();
    assert!(
        err.contains("exists; keygen does not overwrite a key"),
        "{err}"
    );
    assert!(err.contains("--force"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    hookctl().args(args).arg("--force").assert().success();
    assert_ne!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn the_wrong_half_of_a_pair_is_named_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let (private, public) = keygen(&dir, "sendgrid");
    let public_file = super::file(&dir, "public.txt", public.as_bytes());
    let err = stderr_with_code(
        hookctl()
            .args(["sign", "--provider", "sendgrid", "--private-key"])
            .arg(&public_file),
        2,
    );
    assert!(
        err.contains("this is a public key, and signing needs the private key"),
        "{err}"
    );
    let err = stderr_with_code(
        hookctl()
            .args(["verify", "--provider", "sendgrid", "--public-key-file"])
            .arg(&private)
            .args([
                "--payload",
                "-",
                "-H",
                "X-Twilio-Email-Event-Webhook-Signature: x",
            ])
            .write_stdin("[]\r\n"),
        2,
    );
    assert!(
        err.contains("this is a private key, and a receiver holds only the public key"),
        "{err}"
    );
    assert!(!err.contains("BEGIN"), "the key is never echoed: {err}");
    let err = stderr_with_code(
        hookctl()
            .args(["sign", "--provider", "telnyx", "--private-key"])
            .arg(&private),
        2,
    );
    assert!(
        err.contains("scheme telnyx needs an Ed25519 key pair, not an ECDSA P-256 key"),
        "{err}"
    );
}

/// standard-webhooks `libraries/go/webhook_asymmetric_test.go`, `TestAsymmetricWebhookSign`:
/// key, message id, timestamp, payload and the expected `v1a` signature.
#[test]
fn the_standard_webhooks_v1a_vector_signs_as_the_go_library_does() {
    let dir = tempfile::tempdir().unwrap();
    let key = super::file(
        &dir,
        "key",
        b"whsk_VEVTVFNJR05JTkdLRVlET05PVFVTRVRISVNGT1JBTlk=\n",
    );
    let payload = super::file(&dir, "body.json", br#"{"test": 2432232314}"#);
    let out = stdout_of(
        hookctl()
            .args(["sign", "--scheme", "standard", "--private-key"])
            .arg(&key)
            .args([
                "--id",
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                "--timestamp",
                "1614265330",
                "--payload",
            ])
            .arg(&payload),
    );
    assert!(
        out.contains("webhook-signature: v1a,tQ9V2XOqn7jL/DQenEFpqIugdBVtiMmER5mhSkXBNwM0mkATuDe6KYYUuxqtaiHeYGb7KaaBRdM5WqyeFiL8Ag=="),
        "{out}"
    );
}

#[test]
fn v1a_signed_by_send_is_valid_at_a_listener_holding_the_whpk_key() {
    let dir = tempfile::tempdir().unwrap();
    let (private, public) = keygen(&dir, "standard");
    let listening = Listening::start(&[
        "--scheme",
        "standard",
        "--public-key",
        &public,
        "--json",
        "--max-events",
        "2",
    ]);
    hookctl()
        .args(["send", "--scheme", "standard", "--private-key"])
        .arg(&private)
        .args(["--url", &listening.url])
        .assert()
        .success();
    // Signed by a stranger: invalid.
    let elsewhere = tempfile::tempdir().unwrap();
    let (stranger, _) = keygen(&elsewhere, "standard");
    hookctl()
        .args(["send", "--scheme", "standard", "--private-key"])
        .arg(&stranger)
        .args(["--url", &listening.url])
        .assert()
        .success();
    let (_, stdout, _) = listening.finish();
    let records = lines(&stdout);
    assert_eq!(records[0]["signature"]["status"], "valid", "{stdout}");
    assert_eq!(records[1]["signature"]["status"], "invalid", "{stdout}");
}

#[test]
fn v1a_sign_then_verify_round_trips_and_names_an_added_newline() {
    let dir = tempfile::tempdir().unwrap();
    let (private, public) = keygen(&dir, "standard");
    let signed = stdout_of(
        hookctl()
            .args(["sign", "--scheme", "standard", "--private-key"])
            .arg(&private)
            .args(["--payload", "-"])
            .write_stdin("{}"),
    );
    let mut verify = hookctl();
    verify.args([
        "verify",
        "--scheme",
        "standard",
        "--public-key",
        &public,
        "--payload",
        "-",
    ]);
    for line in signed.lines() {
        verify.args(["-H", line]);
    }
    assert!(stdout_of(verify.write_stdin("{}")).contains("valid"));
    let mut tampered = hookctl();
    tampered.args([
        "verify",
        "--scheme",
        "standard",
        "--public-key",
        &public,
        "--payload",
        "-",
    ]);
    for line in signed.lines() {
        tampered.args(["-H", line]);
    }
    let out = stdout_with_code(tampered.write_stdin("{}\n"), 1);
    assert!(out.contains("newline"), "{out}");
}

/// Standard Webhooks `v1a` has no official Python or npm package: tests/interop/providers.py
/// ports the Go library's `webhook_asymmetric.go` onto `cryptography` (see its README).
#[test]
fn the_go_librarys_v1a_port_accepts_what_send_delivers_and_sign_prints() {
    let Some(python) = super::interop::python() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (private, public) = keygen(&dir, "standard");
    let received = sent_with_key(&["--scheme", "standard"], &private);
    assert!(!received.is_empty());
    for got in &received {
        let headers: serde_json::Map<String, Value> = got
            .headers
            .iter()
            .map(|(n, v)| (n.clone(), Value::from(v.as_str())))
            .collect();
        let answer = library(
            &python,
            "standard-v1a-verify",
            &serde_json::json!({"public_key": public, "headers": headers, "body_b64": b64(&got.body)}),
        );
        assert_eq!(answer["valid"], true, "{answer}");
    }
    let signed = header_map(&stdout_of(
        hookctl()
            .args(["sign", "--scheme", "standard", "--private-key"])
            .arg(&private)
            .args(["--payload", "-"])
            .write_stdin("{}"),
    ));
    let answer = library(
        &python,
        "standard-v1a-verify",
        &serde_json::json!({"public_key": public, "headers": signed, "body_b64": b64(b"{}")}),
    );
    assert_eq!(answer["valid"], true, "{answer}");
}

#[test]
fn verify_accepts_what_the_v1a_port_signs() {
    let Some(python) = super::interop::python() else {
        return;
    };
    let seed = "whsk_VEVTVFNJR05JTkdLRVlET05PVFVTRVRISVNGT1JBTlk=";
    let at = jiff::Timestamp::now().as_second();
    let signed = library(
        &python,
        "standard-v1a-sign",
        &serde_json::json!({"secret_key": seed, "msg_id": "msg_1", "timestamp": at, "body_b64": b64(b"{\"a\":1}")}),
    );
    // The public half of the Go test's seed, as the Go library derives it.
    let whpk = "whpk_ZlN4eg7dSSqi0moX9hQUk3orrOouK3QVQSlJa248c/g=";
    let out = stdout_of(
        hookctl()
            .args([
                "verify",
                "--scheme",
                "standard",
                "--public-key",
                whpk,
                "--payload",
                "-",
            ])
            .args([
                "-H",
                "webhook-id: msg_1",
                "-H",
                &format!("webhook-timestamp: {at}"),
            ])
            .args([
                "-H",
                &format!(
                    "webhook-signature: {}",
                    signed["signature"].as_str().unwrap()
                ),
            ])
            .write_stdin("{\"a\":1}"),
    );
    assert!(out.starts_with("✓ valid"), "{out}");
}

/// `openssl ecparam -name prime256v1 -genkey` output: `EC PARAMETERS` before the SEC1 key (the
/// key generated once with Python's `cryptography`, a test key), and its public key.
const ECPARAM_GENKEY: &str = "-----BEGIN EC PARAMETERS-----
BggqhkjOPQMBBw==
-----END EC PARAMETERS-----
-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIEZcWfNMEyl+0RzpfG0Kpj8nL9xRi3zzcIoKf5XCTUEAoAoGCCqGSM49
AwEHoUQDQgAENicTzzG2xd+zxgq8uSgOJt3bXNAMUs1NGdkBZe04uTw5JbHnRLsR
BsU5XpKDv2T/aiwDTwHruMM/A8MRTwl7pA==
-----END EC PRIVATE KEY-----
";
const ECPARAM_PUBLIC: &str = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAENicTzzG2xd+zxgq8uSgOJt3bXNAMUs1NGdkBZe04uTw5JbHnRLsRBsU5XpKDv2T/aiwDTwHruMM/A8MRTwl7pA==";

#[test]
fn an_openssl_ecparam_key_signs_what_its_public_key_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let private = super::file(&dir, "k.pem", ECPARAM_GENKEY.as_bytes());
    let signed: Value = serde_json::from_str(&stdout_of(
        hookctl()
            .args(["sign", "--provider", "sendgrid", "--json", "--private-key"])
            .arg(&private),
    ))
    .unwrap();
    let header = |name: &str| format!("{name}: {}", signed["headers"][name].as_str().unwrap());
    stdout_of(
        hookctl()
            .args(["verify", "--provider", "sendgrid", "--payload", "-"])
            .args(["--public-key", ECPARAM_PUBLIC])
            .args(["-H", &header("X-Twilio-Email-Event-Webhook-Signature")])
            .args(["-H", &header("X-Twilio-Email-Event-Webhook-Timestamp")])
            .write_stdin(signed["body"].as_str().unwrap()),
    );
}

#[test]
fn an_unreadable_private_key_gets_a_private_key_hint() {
    let dir = tempfile::tempdir().unwrap();
    let parameters = ECPARAM_GENKEY
        .split_inclusive('\n')
        .take(3)
        .collect::<String>();
    let private = super::file(&dir, "k.pem", parameters.as_bytes());
    let err = stderr_with_code(
        hookctl()
            .args(["sign", "--provider", "sendgrid", "--private-key"])
            .arg(&private),
        2,
    );
    assert!(
        err.contains("a PEM block labelled `EC PARAMETERS` is not read"),
        "{err}"
    );
    assert!(
        err.contains("give the private key file `hookctl keygen` writes"),
        "{err}"
    );
    assert!(
        !err.contains("the public key exactly as the provider shows it"),
        "{err}"
    );
}
