//! `hookctl scenario from`: requests captured by `listen --save` become a scenario file that
//! replays them with fresh ids and times, re-signed, their shared ids still shared.

use std::path::Path;

use serde_json::Value;

use super::listening::{Listening, SECRET, lines};
use super::scenario_builtins::signing;
use super::{hookctl, stderr_with_code, stdout_of};

/// Runs `run` (a `scenario run` missing only `--url`) against a verifying listener of
/// `provider` for `count` deliveries, saving them into `save` when given; the listener's records.
fn delivered(
    provider: &str,
    listen: &[String],
    save: Option<&Path>,
    count: usize,
    run: &mut assert_cmd::Command,
) -> Vec<Value> {
    let count = count.to_string();
    let mut args = vec!["--provider", provider, "--json", "--max-events", &count];
    args.extend(listen.iter().map(String::as_str));
    let listening = match save {
        Some(dir) => Listening::saving(dir, &args),
        None => Listening::start(&args),
    };
    run.args(["--url", &listening.url]).assert().success();
    let (code, stdout, stderr) = listening.finish();
    assert_eq!(code, 0, "{stderr}");
    let records = lines(&stdout);
    for record in &records {
        assert_eq!(record["signature"]["status"], "valid", "{record}");
        assert_eq!(record["status"], 200, "{record}");
    }
    records
}

fn body(provider: &str, record: &Value) -> Value {
    let provider = hookctl::providers::by_name(provider).unwrap();
    match &record["body"] {
        Value::String(text) => provider.read(text.as_bytes()).unwrap(),
        other => other.clone(),
    }
}

/// Every key path of a body, with its kind of value.
fn shape(value: &Value) -> Value {
    match value {
        Value::Object(map) => map.iter().map(|(k, v)| (k.clone(), shape(v))).collect(),
        Value::Array(items) => items.iter().map(shape).collect(),
        Value::String(_) => "string".into(),
        Value::Number(_) => "number".into(),
        other => other.clone(),
    }
}

fn at<'a>(value: &'a Value, path: &str) -> &'a Value {
    hookctl::providers::lookup(value, path).unwrap_or_else(|| panic!("no {path} in {value}"))
}

/// Captures `builtin` of `provider`, turns the capture into a scenario file, runs that, and
/// checks the replay: the same shapes, re-signed (valid), each of `shared` fresh yet one value
/// across the replay, and each of `fresh` new in every request.
fn captured_and_replayed(provider: &str, builtin: &str, shared: &[&str], fresh: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("saved");
    std::fs::create_dir(&saved).unwrap();
    let (listen, run) = signing(provider, &dir);
    let steps = stdout_of(hookctl().args(["scenario", "show", builtin, "--provider", provider]))
        .matches("[[steps]]")
        .count();
    let before = delivered(
        provider,
        &listen,
        Some(&saved),
        steps,
        hookctl()
            .args(["scenario", "run", builtin, "--provider", provider])
            .args(&run),
    );
    // No --provider: the saved signature headers name it, as for replay.
    let text = stdout_of(hookctl().args(["scenario", "from"]).arg(&saved));
    assert!(!text.contains(SECRET), "no secret in the file");
    assert!(
        text.contains(&format!("provider = \"{provider}\"")),
        "{text}"
    );
    let file = dir.path().join("captured.toml");
    std::fs::write(&file, &text).unwrap();
    let after = delivered(
        provider,
        &listen,
        None,
        steps,
        hookctl().args(["scenario", "run"]).arg(&file).args(&run),
    );
    let before: Vec<Value> = before.iter().map(|r| body(provider, r)).collect();
    let after: Vec<Value> = after.iter().map(|r| body(provider, r)).collect();
    for (old, new) in before.iter().zip(&after) {
        assert_eq!(shape(old), shape(new), "{text}");
        for path in fresh.iter().chain(shared) {
            assert_ne!(at(old, path), at(new, path), "a fresh {path}\n{text}");
        }
    }
    for path in shared {
        let values: Vec<&Value> = after.iter().map(|b| at(b, path)).collect();
        assert!(
            values.windows(2).all(|w| w[0] == w[1]),
            "one {path}: {values:?}\n{text}"
        );
    }
}

#[test]
fn a_captured_twilio_sms_chain_replays_with_a_fresh_message_sid_shared_by_every_step() {
    captured_and_replayed(
        "twilio",
        "sms-delivered",
        &["MessageSid", "SmsSid", "AccountSid", "MessagingServiceSid"],
        &[],
    );
}

#[test]
fn a_captured_sendgrid_batch_chain_replays_with_fresh_event_ids_and_one_message_id() {
    captured_and_replayed(
        "sendgrid",
        "email-engaged",
        &["0.sg_message_id", "0.smtp-id"],
        &["0.sg_event_id"],
    );
}

#[test]
fn a_captured_telnyx_call_with_nulls_replays_as_one_fresh_call() {
    captured_and_replayed(
        "telnyx",
        "call-completed",
        &[
            "data.payload.call_control_id",
            "data.payload.call_session_id",
        ],
        &["data.id", "data.occurred_at"],
    );
}

#[test]
fn a_captured_mailgun_chain_replays_signed_afresh_inside_the_body() {
    captured_and_replayed(
        "mailgun",
        "email-engaged",
        &["event-data.message.headers.message-id"],
        &["event-data.id", "signature.token"],
    );
}

#[test]
fn a_dollar_brace_in_a_saved_body_stays_literal_and_out_writes_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("saved");
    std::fs::create_dir(&saved).unwrap();
    let payload = r#"{"type":"email.sent","id":"evt_1","data":{"note":"costs ${5}"}}"#;
    let listen = vec!["--secret".to_string(), SECRET.to_string()];
    delivered(
        "ekdsend",
        &listen,
        Some(&saved),
        1,
        hookctl()
            .args(["send", "--secret", SECRET, "--payload", "-"])
            .write_stdin(payload),
    );
    let file = dir.path().join("note.toml");
    let err = stderr_with_code(
        hookctl()
            .args(["scenario", "from"])
            .arg(&saved)
            .arg("-o")
            .arg(&file),
        0,
    );
    assert!(err.contains("1 step, one for each saved request"), "{err}");
    let after = delivered(
        "ekdsend",
        &listen,
        None,
        1,
        hookctl()
            .args(["scenario", "run"])
            .arg(&file)
            .args(["--secret", SECRET]),
    );
    assert_eq!(after[0]["body"]["data"]["note"], "costs ${5}");
    assert_ne!(after[0]["body"]["id"], "evt_1", "a fresh event id");
}

#[test]
fn a_body_the_provider_cannot_read_is_refused_with_the_flag_that_fixes_it() {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("saved");
    std::fs::create_dir(&saved).unwrap();
    let listen = vec!["--secret".to_string(), SECRET.to_string()];
    delivered(
        "ekdsend",
        &listen,
        Some(&saved),
        1,
        hookctl().args(["send", "--secret", SECRET]),
    );
    let err = stderr_with_code(
        hookctl()
            .args(["scenario", "from", "--provider", "twilio"])
            .arg(&saved),
        2,
    );
    assert!(
        err.contains("does not hold a Twilio body (form-encoded parameters)"),
        "{err}"
    );
    assert!(err.contains("--provider"), "{err}");
}

#[test]
fn an_empty_batch_saved_replays_as_an_empty_batch() {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("empty.http");
    std::fs::write(
        &saved,
        "POST /hooks HTTP/1.1\r\ncontent-type: application/json\r\n\r\n[]",
    )
    .unwrap();
    let text = stdout_of(hookctl().args(["scenario", "from"]).arg(&saved));
    assert!(text.contains("\nbody = []\n"), "{text}");
    let file = dir.path().join("empty.toml");
    std::fs::write(&file, &text).unwrap();
    let server = super::server::TestServer::ok();
    stdout_of(hookctl().args(["scenario", "run"]).arg(&file).args([
        "--secret",
        SECRET,
        "--url",
        &server.url,
    ]));
    let got = server.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].body, b"[]".as_slice());
}
