//! `hookctl scenario`: built-in lifecycles and fixture files delivered in every order.

use std::collections::HashSet;

use hookctl::signature::{Scheme, Verdict};
use predicates::str::contains;
use serde_json::Value;

use super::server::{Received, Reply, TestServer};
use super::{hookctl, stderr_with_code, stdout_of, stdout_with_code, temp_file};

const SECRET: &str = "scenario-test-secret";

/// `hookctl scenario run WHAT --url URL --secret SECRET`, ready for more arguments.
fn run(what: &str, url: &str) -> assert_cmd::Command {
    let mut cmd = hookctl();
    cmd.args(["scenario", "run", what, "--url", url, "--secret", SECRET]);
    cmd
}

fn types(got: &[Received]) -> Vec<String> {
    got.iter()
        .map(|r| r.json()["type"].as_str().unwrap().to_string())
        .collect()
}

const ENGAGED: [&str; 4] = [
    "email.sent",
    "email.delivered",
    "email.opened",
    "email.clicked",
];

#[test]
fn as_written_delivers_the_chain_signed_with_one_message_id_and_rising_times() {
    let server = TestServer::ok();
    let out = stdout_of(&mut run("email-engaged", &server.url));
    assert!(
        out.starts_with("order: as-written: sent, delivered, opened, clicked\n"),
        "{out}"
    );
    assert!(out.contains("✓ 200 OK in"), "{out}");
    assert!(out.ends_with("4 deliveries: 4 ok\n"), "{out}");
    let got = server.received();
    assert_eq!(types(&got), ENGAGED);
    let message_ids: HashSet<Value> = got
        .iter()
        .map(|r| r.json()["data"]["message_id"].clone())
        .collect();
    assert_eq!(message_ids.len(), 1, "one message id across the chain");
    let event_ids: HashSet<String> = got.iter().map(Received::id).collect();
    assert_eq!(event_ids.len(), 4, "every event has its own id");
    let times: Vec<jiff::Timestamp> = got
        .iter()
        .map(|r| r.json()["created_at"].as_str().unwrap().parse().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] < w[1]), "{times:?}");
    assert!(
        *times.last().unwrap() <= jiff::Timestamp::now(),
        "none in the future"
    );
    for r in &got {
        assert_eq!(r.verdict(Scheme::Ekdsend, SECRET), Verdict::Valid);
    }
}

#[test]
fn reverse_sends_the_last_step_first() {
    let server = TestServer::ok();
    let out = stdout_of(run("email-engaged", &server.url).args(["--order", "reverse"]));
    assert!(
        out.starts_with("order: reverse: clicked, opened, delivered, sent\n"),
        "{out}"
    );
    let mut expected = ENGAGED.to_vec();
    expected.reverse();
    assert_eq!(types(&server.received()), expected);
}

#[test]
fn a_seeded_shuffle_repeats_and_says_its_order() {
    let orders: Vec<(String, Vec<String>)> = (0..2)
        .map(|_| {
            let server = TestServer::ok();
            let out = stdout_of(
                run("email-engaged", &server.url).args(["--order", "shuffle", "--seed", "7"]),
            );
            let line = out.lines().next().unwrap().to_string();
            (line, types(&server.received()))
        })
        .collect();
    assert_eq!(orders[0], orders[1]);
    let (line, sent) = &orders[0];
    assert!(line.starts_with("order: shuffle (seed 7): "), "{line}");
    let named: Vec<String> = line
        .rsplit(": ")
        .next()
        .unwrap()
        .split(", ")
        .map(|step| format!("email.{step}"))
        .collect();
    assert_eq!(&named, sent, "the line names the order actually sent");
    let mut sorted = sent.clone();
    sorted.sort();
    let mut all = ENGAGED.map(String::from).to_vec();
    all.sort();
    assert_eq!(sorted, all);
}

#[test]
fn a_shuffle_without_a_seed_prints_the_one_it_picked() {
    let server = TestServer::ok();
    let out = stdout_of(run("email-engaged", &server.url).args(["--order", "shuffle"]));
    let first = out.lines().next().unwrap();
    let seed = first
        .strip_prefix("order: shuffle (seed ")
        .and_then(|rest| rest.split(')').next())
        .unwrap_or_else(|| panic!("{first}"));
    // Short enough to retype, and exact as a JSON number in any reader (below 2^53).
    assert!(seed.parse::<u32>().is_ok(), "{seed}");
    let again = TestServer::ok();
    let out =
        stdout_of(run("email-engaged", &again.url).args(["--order", "shuffle", "--seed", seed]));
    assert_eq!(out.lines().next().unwrap(), first);
    assert_eq!(types(&again.received()), types(&server.received()));
}

#[test]
fn duplicates_carry_the_same_event_id_and_bytes_and_are_signed_again() {
    let server = TestServer::ok();
    let out = stdout_of(run("sms-delivered", &server.url).args(["--duplicate", "2"]));
    assert!(
        out.starts_with("order: as-written: sent, sent (copy 1), sent (copy 2), delivered, delivered (copy 1), delivered (copy 2)\n"),
        "{out}"
    );
    let got = server.received();
    assert_eq!(got.len(), 6);
    for copies in got.chunks(3) {
        assert!(
            copies.iter().all(|r| r.body == copies[0].body),
            "the same bytes"
        );
        assert!(
            copies
                .iter()
                .all(|r| r.verdict(Scheme::Ekdsend, SECRET) == Verdict::Valid)
        );
    }
    assert_ne!(got[0].id(), got[3].id());
    assert_eq!(
        got[0].json()["data"]["message_id"],
        got[3].json()["data"]["message_id"]
    );
}

#[test]
fn concurrent_delivers_every_step_and_copy() {
    let server = TestServer::ok();
    let out = stdout_of(run("call-completed", &server.url).args([
        "--order",
        "concurrent",
        "--duplicate",
        "1",
    ]));
    assert!(
        out.starts_with("order: concurrent (all at once): "),
        "{out}"
    );
    assert!(out.ends_with("6 deliveries: 6 ok\n"), "{out}");
    let mut got = types(&server.received());
    got.sort();
    assert_eq!(
        got,
        [
            "call.answered",
            "call.answered",
            "call.completed",
            "call.completed",
            "call.initiated",
            "call.initiated"
        ]
    );
}

#[test]
fn a_failed_delivery_fails_the_run_after_the_rest_are_sent() {
    let server = TestServer::start(|n, _| {
        if n == 1 {
            Reply::status(500)
        } else {
            Reply::ok()
        }
    });
    let out = stdout_with_code(&mut run("email-engaged", &server.url), 1);
    assert!(out.contains("500 Internal Server Error"), "{out}");
    assert!(out.ends_with("4 deliveries: 3 ok, 1 failed\n"), "{out}");
    assert_eq!(server.received().len(), 4);
}

const FIXTURE: &str = r#"description = "A fixture using every kind of value"
provider = "ekdsend"

[vars]
message = "${b62:msg_}"
to = "${env:SCENARIO_TO}"
region = "${env:SCENARIO_REGION|eu}"

[[steps]]
name = "sent"
event = "email.sent"
set = { "data.message_id" = "${vars.message}", "data.to" = "${vars.to}", "data.region" = "${vars.region}" }

[[steps]]
name = "custom"
after = "5m"
body = { id = "${b62:evt_}", type = "my.thing", created_at = "${now}", data = { message_id = "${steps.sent.data.message_id}", note = "sent at ${steps.sent.created_at}", was = "${now-5m:unix}", phone = "${phone}", email = "${email}", literal = "$${not.a.ref}", n = 3 } }
"#;

#[test]
fn a_fixture_with_refs_vars_env_and_generators_round_trips() {
    let server = TestServer::ok();
    let (_dir, path) = temp_file("fixture.toml", FIXTURE.as_bytes());
    stdout_of(
        run(path, &server.url)
            .env("SCENARIO_TO", "ops@example.com")
            .env_remove("SCENARIO_REGION"),
    );
    let got = server.received();
    assert_eq!(got.len(), 2);
    let (sent, custom) = (got[0].json(), got[1].json());
    assert_eq!(sent["data"]["to"], "ops@example.com");
    assert_eq!(sent["data"]["region"], "eu");
    assert!(
        sent["data"]["message_id"]
            .as_str()
            .unwrap()
            .starts_with("msg_")
    );
    let data = &custom["data"];
    assert_eq!(data["message_id"], sent["data"]["message_id"]);
    assert_eq!(
        data["note"],
        format!("sent at {}", sent["created_at"].as_str().unwrap())
    );
    let sent_at: jiff::Timestamp = sent["created_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(
        data["was"],
        sent_at.as_second(),
        "now-5m is the previous step's time"
    );
    assert!(data["phone"].as_str().unwrap().starts_with("+1"));
    assert!(data["email"].as_str().unwrap().ends_with("@example.com"));
    assert_eq!(data["literal"], "${not.a.ref}");
    assert_eq!(data["n"], 3);
    assert_eq!(
        custom.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["id", "type", "created_at", "data"],
        "written order"
    );
    assert_eq!(got[1].verdict(Scheme::Ekdsend, SECRET), Verdict::Valid);
}

/// Runs `text` as a fixture against a server and returns stderr; asserts exit 2, nothing sent.
fn refused(text: &str, env: &[(&str, &str)]) -> String {
    let server = TestServer::ok();
    let (_dir, path) = temp_file("bad.toml", text.as_bytes());
    let mut cmd = run(path, &server.url);
    cmd.env_remove("SCENARIO_TO");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let err = stderr_with_code(&mut cmd, 2);
    assert!(server.received().is_empty(), "nothing is sent: {err}");
    err
}

#[test]
fn bad_fixtures_are_refused_with_file_and_line_before_anything_is_sent() {
    let ok_env = [("SCENARIO_TO", "a@example.com")];
    let cases = [
        (
            "${steps.sent.created_at}",
            "${steps.snet.created_at}",
            "line 17: step \"custom\" refers to ${steps.snet.created_at}, and no earlier step is named \"snet\" (earlier steps: sent)",
        ),
        (
            "${steps.sent.created_at}",
            "${steps.sent.data.nope}",
            "line 17: step \"custom\" refers to ${steps.sent.data.nope}, and step \"sent\"'s body has no `data.nope`",
        ),
        (
            "${steps.sent.created_at}",
            "${steps.custom.id}",
            "no earlier step is named \"custom\"",
        ),
        (
            "${vars.message}\"",
            "${vars.mesage}\"",
            "line 12: step \"sent\" refers to ${vars.mesage}, and no var above is named \"mesage\"",
        ),
        (
            "${phone}",
            "${fone}",
            "line 17: step \"custom\" uses ${fone}, which is not a reference hookctl knows",
        ),
        (
            "email.sent",
            "email.snet",
            "line 11: step \"sent\": unknown event type `email.snet`; did you mean email.sent?",
        ),
        (
            "${now-5m:unix}",
            "${nowé}",
            "line 17: step \"custom\" uses ${nowé}: write ${now}",
        ),
        (
            "after = \"5m\"",
            "after = \"500000000y\"",
            "line 14: the `after`s up to this step reach back before the earliest time",
        ),
    ];
    for (from, to, expected) in cases {
        let err = refused(&FIXTURE.replacen(from, to, 1), &ok_env);
        assert!(
            err.contains("bad.toml ") && err.contains(expected),
            "{to}: {err}"
        );
    }
    let err = refused(FIXTURE, &[]);
    assert!(
        err.contains("line 6: var \"to\" refers to ${env:SCENARIO_TO}, and SCENARIO_TO is not set; set it, or give a default"),
        "{err}"
    );
}

#[test]
fn a_form_providers_body_that_is_not_a_table_is_refused_not_sent_empty() {
    for body in ["\"MessageStatus=sent\"", "[\"a\", \"b\"]"] {
        let text = format!("provider = \"twilio\"\n[[steps]]\nname = \"raw\"\nbody = {body}\n");
        let err = refused(&text, &[]);
        assert!(
            err.contains("bad.toml line 2: step \"raw\": Twilio sends form fields, so its `body` must be a table of them"),
            "{body}: {err}"
        );
    }
}

#[test]
fn a_step_name_from_the_file_reaches_the_order_line_escaped() {
    let text = "[[steps]]\nname = \"a\\u001b]0;owned\\u0007b\"\nevent = \"email.sent\"\n";
    let server = TestServer::ok();
    let (_dir, path) = temp_file("named.toml", text.as_bytes());
    // Styles kept (so nothing strips a raw escape on the way): the name must arrive escaped.
    let out = run(path, &server.url)
        .args(["--color", "always"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let out = String::from_utf8(out.stdout).unwrap();
    let first = out.lines().next().unwrap();
    assert!(
        !first.contains('\u{7}') && !first.contains("\u{1b}]0"),
        "{first:?}"
    );
    assert!(first.ends_with(r"a\u{1b}]0;owned\u{7}b"), "{first:?}");
}

#[test]
fn dry_run_prints_the_signed_requests_and_sends_nothing() {
    let server = TestServer::ok();
    let out =
        stdout_of(run("email-bounced", &server.url).args(["--dry-run", "--order", "reverse"]));
    assert!(out.starts_with("order: reverse: bounced, sent\n"), "{out}");
    assert_eq!(out.matches("curl -X POST").count(), 2);
    assert!(out.find("\"email.bounced\"").unwrap() < out.find("\"email.sent\"").unwrap());
    assert!(out.contains("x-ekdsend-signature: sha256="), "{out}");
    assert!(server.received().is_empty());
}

#[test]
fn json_prints_one_object_per_delivery_then_a_summary() {
    let server = TestServer::ok();
    let out = stdout_of(run("email-bounced", &server.url).args([
        "--json",
        "--duplicate",
        "1",
        "--order",
        "shuffle",
        "--seed",
        "3",
    ]));
    let docs: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(docs.len(), 5);
    let got = server.received();
    for (doc, received) in docs[..4].iter().zip(&got) {
        assert_eq!(doc["id"], received.id().as_str());
        assert_eq!(doc["event"], received.json()["type"]);
        assert_eq!(doc["status"], 200);
        assert_eq!(doc["attempts"], 1);
        assert!(
            doc["latency_ms"].is_number() && doc["copy"].is_number() && doc["step"].is_string()
        );
    }
    let summary = &docs[4];
    assert_eq!(
        (summary["order"].as_str(), summary["seed"].as_u64()),
        (Some("shuffle"), Some(3))
    );
    assert_eq!(
        (summary["ok"].as_u64(), summary["failed"].as_u64()),
        (Some(4), Some(0))
    );
}

#[test]
fn list_and_show_offer_the_builtins_as_files_to_copy() {
    let out = stdout_of(hookctl().args(["scenario", "list"]));
    assert!(
        out.starts_with("ekdsend\nNAME "),
        "grouped by provider: {out}"
    );
    assert!(out.contains("\n\nkeplars\nNAME "), "{out}");
    let keplars =
        stdout_of(hookctl().args(["scenario", "list", "--provider", "keplars", "--json"]));
    let keplars: Value = serde_json::from_str(&keplars).unwrap();
    assert!(
        keplars
            .as_array()
            .unwrap()
            .iter()
            .all(|b| b["provider"] == "keplars")
    );
    assert_eq!(
        keplars[0]["steps"],
        serde_json::json!(["sent", "delivered", "opened", "clicked"])
    );
    for name in [
        "email-engaged",
        "email-bounced",
        "email-complained",
        "sms-delivered",
        "sms-failed",
        "sms-inbound",
        "call-completed",
        "call-busy",
        "call-no-answer",
    ] {
        assert!(out.contains(name), "{name}: {out}");
    }
    let shown =
        stdout_of(hookctl().args(["scenario", "show", "email-engaged", "--provider", "keplars"]));
    assert!(shown.contains("provider = \"keplars\""), "{shown}");
    let server = TestServer::ok();
    let (_dir, path) = temp_file("copy.toml", shown.as_bytes());
    stdout_of(&mut run(path, &server.url));
    let got = server.received();
    assert_eq!(types(&got), ENGAGED);
    assert_eq!(
        got[0].verdict(Scheme::Keplars, SECRET),
        Verdict::Valid,
        "signed as Keplars"
    );
    hookctl()
        .args([
            "scenario",
            "run",
            path,
            "--provider",
            "ekdsend",
            "--url",
            &server.url,
        ])
        .assert()
        .code(2)
        .stderr(contains("written for provider \"keplars\""));
}

#[test]
fn flags_that_do_not_fit_the_order_are_refused() {
    let server = TestServer::ok();
    let err = stderr_with_code(run("email-engaged", &server.url).args(["--seed", "1"]), 2);
    assert!(err.contains("add --order shuffle"), "{err}");
    let err = stderr_with_code(
        run("email-engaged", &server.url).args(["--order", "concurrent", "--gap", "1s"]),
        2,
    );
    assert!(err.contains("drop --gap"), "{err}");
    assert!(server.received().is_empty());
}

#[test]
fn retries_are_reported_per_attempt_and_a_copy_after_a_failure_is_the_same_event() {
    let server = TestServer::start(|n, _| {
        if n == 0 {
            Reply::status(503)
        } else {
            Reply::ok()
        }
    });
    let out = stdout_of(run("sms-inbound", &server.url).args([
        "--retries",
        "1",
        "--backoff",
        "1ms",
        "--duplicate",
        "1",
    ]));
    assert!(
        out.contains("attempt 1/2: 503 Service Unavailable"),
        "{out}"
    );
    assert!(
        out.contains("✓ 200 OK in") && out.contains("after 2 attempts"),
        "{out}"
    );
    let got = server.received();
    assert_eq!(got.len(), 3);
    assert!(
        got.iter()
            .all(|r| r.body == got[0].body && r.id() == got[0].id())
    );
}

#[test]
fn a_form_provider_fixture_goes_out_form_encoded_with_its_shared_sid() {
    let text = r#"provider = "twilio"
[vars]
sid = "${hex:SM}"
[[steps]]
event = "message.queued"
set = { MessageSid = "${vars.sid}", SmsSid = "${vars.sid}", To = "${phone}" }
[[steps]]
event = "message.delivered"
set = { MessageSid = "${steps.message.queued.MessageSid}", To = "${steps.message.queued.To}" }
"#;
    let server = TestServer::ok();
    let (_dir, path) = temp_file("twilio.toml", text.as_bytes());
    let out = stdout_of(&mut run(path, &server.url));
    assert!(
        out.starts_with("order: as-written: message.queued, message.delivered\n"),
        "{out}"
    );
    let got = server.received();
    let forms: Vec<Vec<(String, String)>> = got
        .iter()
        .map(|r| url::form_urlencoded::parse(&r.body).into_owned().collect())
        .collect();
    let field = |i: usize, name: &str| {
        forms[i]
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(
        got[0].header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert!(field(0, "MessageSid").unwrap().starts_with("SM"));
    assert_eq!(field(0, "MessageSid"), field(1, "MessageSid"));
    assert_eq!(field(0, "To"), field(1, "To"));
    assert_eq!(field(1, "MessageStatus").as_deref(), Some("delivered"));
    assert!(got[0].header("x-twilio-signature").is_some());
}

#[test]
fn gap_and_a_steps_delay_wait_before_sending() {
    // Lower bounds only: a wait can be longer on a busy machine, never shorter.
    let text = "[[steps]]\nevent = \"email.sent\"\n[[steps]]\nevent = \"email.delivered\"\ndelay = \"300ms\"\n[[steps]]\nevent = \"email.opened\"\n";
    let server = TestServer::ok();
    let (_dir, path) = temp_file("slow.toml", text.as_bytes());
    stdout_of(run(path, &server.url).args(["--gap", "100ms"]));
    let got = server.received();
    let waits: Vec<std::time::Duration> = got.windows(2).map(|w| w[1].at - w[0].at).collect();
    assert!(
        waits[0] >= std::time::Duration::from_millis(400),
        "delay + gap: {waits:?}"
    );
    assert!(
        waits[1] >= std::time::Duration::from_millis(100),
        "gap: {waits:?}"
    );
}
