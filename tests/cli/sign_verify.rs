use hookctl::signature::Scheme;
use serde_json::Value;

use super::listening::{Listening, post, signed};
use super::{file, header_args, hookctl, stdout_of, stdout_with_code, temp_file};

const SECRET: &str = "whsec_c3VwZXItc2VjcmV0LXRlc3Qta2V5LTQy";

/// `-H` arguments from the output of `sign ARGS`.
fn sign_headers(args: &[&str]) -> Vec<String> {
    header_args(&stdout_of(hookctl().arg("sign").args(args)))
}

fn verify(args: &[String]) -> (i32, Value) {
    let out = hookctl()
        .arg("verify")
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    let doc = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("no JSON: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap(), doc)
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn every_scheme_round_trips_through_sign_and_verify() {
    let (dir, body) = temp_file("body.json", br#"{"id":"evt_1","type":"email.sent"}"#);
    for scheme in ["ekdsend", "keplars", "github", "standard", "stripe"] {
        let headers = sign_headers(&["--scheme", scheme, "--secret", SECRET, "--payload", body]);
        let mut args = strings(&["--secret", SECRET, "--payload", body]);
        args.extend(headers.clone());
        let (code, doc) = verify(&args);
        assert_eq!(
            (code, &doc["valid"]),
            (0, &Value::Bool(true)),
            "{scheme}: {doc}"
        );
        assert_eq!(
            doc["scheme"], scheme,
            "the scheme is picked from the pasted headers"
        );
        let tampered = file(
            &dir,
            "tampered.json",
            br#"{"id":"evt_1","type":"email.failed"}"#,
        );
        args[3] = tampered.to_str().unwrap().to_string();
        let (code, doc) = verify(&args);
        assert_eq!(code, 1, "{scheme}: a changed body must fail: {doc}");
    }
}

// Source: GitHub Docs, "Validating webhook deliveries" (secret and payload from its example).
#[test]
fn github_published_vector_signs_and_verifies() {
    let (_dir, body) = temp_file("hello.txt", b"Hello, World!");
    let secret = "It's a Secret to Everybody";
    let expected = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    let out = stdout_of(hookctl().args([
        "sign",
        "--scheme",
        "github",
        "--secret",
        secret,
        "--payload",
        body,
    ]));
    assert_eq!(out, format!("X-Hub-Signature-256: {expected}\n"));
    hookctl()
        .args([
            "verify",
            "--scheme",
            "github",
            "--secret",
            secret,
            "--payload",
            body,
            "--signature",
            expected,
        ])
        .assert()
        .success()
        .stdout("✓ valid (github, X-Hub-Signature-256)\n");
}

// Source: the standard-webhooks reference libraries' tests (secret, id, timestamp, payload, signature).
#[test]
fn standard_webhooks_published_vector_verifies_and_is_stale_today() {
    let dir = tempfile::tempdir().unwrap();
    let body = file(&dir, "body.json", br#"{"test": 2432232314}"#);
    let body = body.to_str().unwrap().to_string();
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let signed = stdout_of(hookctl().args([
        "sign",
        "--scheme",
        "standard",
        "--secret",
        secret,
        "--payload",
        &body,
        "--id",
        "msg_p5jXN8AQM9LWM0D4loKWxJek",
        "--timestamp",
        "1614265330",
    ]));
    assert!(
        signed.contains("webhook-signature: v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=\n"),
        "{signed}"
    );
    let mut args = strings(&[
        "--scheme",
        "standard",
        "--secret",
        secret,
        "--payload",
        &body,
        "-H",
        "webhook-id: msg_p5jXN8AQM9LWM0D4loKWxJek",
        "-H",
        "webhook-timestamp: 1614265330",
        "-H",
        "webhook-signature: v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    ]);
    let (code, doc) = verify(&args);
    assert_eq!(code, 1);
    assert!(
        doc["reason"].as_str().unwrap().contains("days old"),
        "{doc}"
    );
    args.extend(strings(&["--tolerance", "off"]));
    assert_eq!(verify(&args).0, 0);
}

#[test]
fn stripe_round_trip_with_a_stale_timestamp_is_rejected_with_its_age() {
    let (_dir, body) = temp_file("body.json", b"{}");
    let ten_minutes_ago = (jiff::Timestamp::now().as_second() - 600).to_string();
    let headers = sign_headers(&[
        "--scheme",
        "stripe",
        "--secret",
        "sk",
        "--payload",
        body,
        "--timestamp",
        &ten_minutes_ago,
    ]);
    let mut args = strings(&["--secret", "sk", "--payload", body]);
    args.extend(headers);
    let (code, doc) = verify(&args);
    assert_eq!(code, 1);
    assert!(
        doc["reason"]
            .as_str()
            .unwrap()
            .contains("10 min old (tolerance 5 min)"),
        "{doc}"
    );
    assert!(doc["hint"].as_str().unwrap().contains("--tolerance off"));
    args.extend(strings(&["--tolerance", "15m"]));
    assert_eq!(verify(&args).0, 0);
}

/// Signs `signed` under `sign_secret`, verifies `checked` under `--secret SECRET`; returns the hint.
fn hint_for(
    scheme: &str,
    sign_secret: &str,
    signed: &[u8],
    checked: &[u8],
    mangle: fn(String) -> String,
) -> String {
    let dir = tempfile::tempdir().unwrap();
    let signed = file(&dir, "signed", signed);
    let checked = file(&dir, "checked", checked);
    let headers = sign_headers(&[
        "--scheme",
        scheme,
        "--secret",
        sign_secret,
        "--payload",
        signed.to_str().unwrap(),
    ]);
    let mut args = strings(&[
        "--scheme",
        scheme,
        "--secret",
        SECRET,
        "--payload",
        checked.to_str().unwrap(),
    ]);
    args.extend(headers.into_iter().map(mangle));
    let (code, doc) = verify(&args);
    assert_eq!(code, 1, "{doc}");
    format!(
        "{} | {}",
        doc["reason"].as_str().unwrap(),
        doc["hint"].as_str().unwrap_or("")
    )
}

#[test]
fn a_mismatch_is_explained_by_the_usual_mistake() {
    let same = |h: String| h;
    let compact = br#"{"id":"evt_1","n":1}"#;
    let pretty = b"{\n  \"id\": \"evt_1\",\n  \"n\": 1\n}";
    let cases: Vec<(String, &str)> = vec![
        (
            hint_for(
                "ekdsend",
                SECRET,
                compact,
                b"{\"id\":\"evt_1\",\"n\":1}\n",
                same,
            ),
            "ends with a newline",
        ),
        (
            hint_for("ekdsend", SECRET, compact, pretty, same),
            "compact JSON (what JSON.stringify",
        ),
        (
            hint_for("ekdsend", SECRET, pretty, compact, same),
            "pretty-printed",
        ),
        (
            hint_for("ekdsend", SECRET, compact, compact, |h| {
                h.replace("sha256=", "")
            }),
            "lacks the `sha256=` prefix",
        ),
        (
            hint_for("keplars", SECRET, compact, compact, |h| {
                h.replace(": ", ": sha256=")
            }),
            "carries a `sha256=` prefix",
        ),
        (
            hint_for("github", SECRET, compact, compact, |h| {
                h.replace("sha256=", "")
                    .to_uppercase()
                    .replace("X-HUB-SIGNATURE-256: ", "X-Hub-Signature-256: sha256=")
            }),
            "uppercase hex",
        ),
        (
            hint_for(
                "ekdsend",
                "super-secret-test-key-42",
                compact,
                compact,
                same,
            ),
            "base64-decoded bytes of the whsec_ secret",
        ),
        (
            hint_for(
                "standard",
                "d2hzZWNfYzNWd1pYSXRjMlZqY21WMExYUmxjM1F0YTJWNUxUUXk=",
                compact,
                compact,
                same,
            ),
            "used as a plain string",
        ),
        (
            hint_for("ekdsend", "another", compact, compact, same),
            "the secret or the payload differs from what was signed",
        ),
    ];
    for (got, want) in cases {
        assert!(got.contains(want), "expected `{want}` in `{got}`");
    }
}

#[test]
fn text_output_puts_the_hint_on_its_own_line() {
    let (_dir, body) = temp_file("b", b"{}\n");
    hookctl()
        .args(["verify", "--secret", "s", "--payload", body, "--signature"])
        .arg("sha256=ca8fb2b0d5ef33bdabd4dc1b57fe8bf1c4b9d08e5e2ce8b3b8a3f6cb1c4ef2e5")
        .assert()
        .code(1)
        .stdout(
            predicates::str::is_match("^✗ invalid: signature does not match\n  hint: .+\n$")
                .unwrap(),
        );
}

#[test]
fn malformed_signatures_are_reported_never_panicked_on() {
    let (_dir, body) = temp_file("b", b"{}");
    let cases = [
        ("ekdsend", "sha256=xyz", "is not hex"),
        ("ekdsend", "sha256=abcd", "has 4 hex digits"),
        ("keplars", "", "empty"),
        ("stripe", "v1=ab", "no t= timestamp"),
        ("stripe", "t=soon,v1=ab", "not unix seconds"),
        ("github", "md5=abc", "should read `sha256="),
    ];
    for (scheme, value, want) in cases {
        let out = hookctl()
            .args([
                "verify",
                "--scheme",
                scheme,
                "--secret",
                "s",
                "--payload",
                body,
                "--json",
            ])
            .arg(format!("--signature={value}"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{scheme} {value}");
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(
            doc["reason"].as_str().unwrap().contains(want),
            "{scheme} {value}: {doc}"
        );
        assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    }
    hookctl()
        .args([
            "verify",
            "--scheme",
            "standard",
            "--secret",
            "whsec_AAAA",
            "--payload",
            body,
        ])
        .args([
            "-H",
            "webhook-id: m",
            "-H",
            "webhook-timestamp: 1",
            "-H",
            "webhook-signature: v1,!!!",
        ])
        .assert()
        .code(1)
        .stdout(predicates::str::contains("no readable `v1,<base64>` entry"));
}

#[test]
fn secret_comes_from_flag_file_or_environment_and_never_shows() {
    let (dir, body) = temp_file("b", b"{\"a\":1}");
    let secret_file = file(&dir, "secret", format!("{SECRET}\n").as_bytes());
    let by_flag = stdout_of(hookctl().args(["sign", "--secret", SECRET, "--payload", body]));
    let by_file = stdout_of(hookctl().args([
        "sign",
        "--secret-file",
        secret_file.to_str().unwrap(),
        "--payload",
        body,
    ]));
    let by_env =
        stdout_of(
            hookctl()
                .env("HOOKCTL_SECRET", SECRET)
                .args(["sign", "--payload", body]),
        );
    assert_eq!(by_flag, by_file);
    assert_eq!(by_flag, by_env);

    // Each run with the exit code that shows it got as far as using the secret.
    let verify = ["verify", "--secret", SECRET, "--payload", body];
    let runs: Vec<(i32, Vec<&str>)> = vec![
        (0, vec!["sign", "--secret", SECRET]),
        (0, vec!["sign", "--secret", SECRET, "--json"]),
        (
            0,
            vec!["sign", "--secret", SECRET, "--scheme", "standard", "--json"],
        ),
        (1, [&verify[..], &["--signature", "sha256=00"]].concat()),
        (
            1,
            [&verify[..], &["--signature", "nonsense", "--json"]].concat(),
        ),
        (
            2,
            [
                &verify[..],
                &["--scheme", "standard", "--signature", "v1,AA"],
            ]
            .concat(),
        ),
        (
            2,
            vec![
                "sign",
                "--secret",
                "whsec_!!not-base64!!",
                "--scheme",
                "standard",
            ],
        ),
        (0, vec!["sign", "--secret", SECRET, "--help"]),
    ];
    for (code, args) in runs {
        let out = hookctl()
            .env("HOOKCTL_SECRET", SECRET)
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(code),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        for stream in [&out.stdout, &out.stderr] {
            let text = String::from_utf8_lossy(stream);
            assert!(
                !text.contains("super-secret") && !text.contains("c3VwZXItc2VjcmV0"),
                "{args:?} printed the secret:\n{text}"
            );
        }
    }
}

#[test]
fn missing_or_empty_secret_is_a_usage_error() {
    hookctl()
        .args(["sign"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no secret given"));
    hookctl()
        .args(["sign", "--secret", ""])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("the secret is empty"));
    hookctl()
        .args(["sign", "--scheme", "standard", "--secret", "whsec_***"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not valid base64"));
}

#[test]
fn sign_without_payload_signs_a_fresh_sample_and_prints_it() {
    let out = stdout_of(hookctl().args(["sign", "--secret", "s", "--json"]));
    let doc: Value = serde_json::from_str(&out).unwrap();
    let body: Value = serde_json::from_str(doc["body"].as_str().unwrap()).unwrap();
    assert_eq!(body["type"], "email.delivered");
    assert!(
        doc["headers"]["X-EKDSend-Signature"]
            .as_str()
            .unwrap()
            .starts_with("sha256=")
    );
    assert_eq!(doc["body_sha256"].as_str().unwrap().len(), 64);
}

#[test]
fn payload_errors_are_one_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    for (payload, want) in [
        ("/nonexistent/body.json", "does not exist"),
        (dir.path().to_str().unwrap(), "is a directory"),
    ] {
        let out = hookctl()
            .args(["sign", "--secret", "s", "--payload", payload])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.starts_with("hookctl: error: ") && err.contains(want) && err.lines().count() == 1,
            "{err}"
        );
    }
}

#[test]
fn standard_signs_stdin_with_the_payload_id() {
    let text = stdout_of(
        hookctl()
            .args(["sign", "--scheme", "standard", "--secret", SECRET])
            .args(["--payload", "-", "--timestamp", "1700000000"])
            .write_stdin(r#"{"id":"evt_from_stdin"}"#)
            .timeout(std::time::Duration::from_secs(10)),
    );
    assert!(
        text.starts_with("webhook-id: evt_from_stdin\nwebhook-timestamp: 1700000000\n"),
        "{text}"
    );
}

#[test]
fn headers_pasted_from_the_listener_display_verify() {
    let (dir, body) = temp_file("b", b"{}");
    let line = stdout_of(hookctl().args(["sign", "--secret", "s3cr3t", "--payload", body]));
    // The listener's -v display shows lower-case names behind "< ".
    let pasted = format!("  < {}", line.trim().to_lowercase());
    hookctl()
        .args([
            "verify",
            "--secret",
            "s3cr3t",
            "--payload",
            body,
            "-H",
            &pasted,
        ])
        .assert()
        .success();

    // And the lines a real listener shows, pasted whole, for a timestamped scheme.
    let l = Listening::start(&["-v", "--max-events", "1"]);
    let event = br#"{"id":"evt_pasted","type":"email.sent"}"#;
    let payload = file(&dir, "event.json", event);
    post(
        &l.url,
        &signed(Scheme::Standard, super::listening::SECRET, event),
        event,
    );
    let (_, out, _) = l.finish();
    let shown: Vec<String> = out
        .lines()
        .filter(|l| l.trim_start().starts_with("< webhook-"))
        .flat_map(|l| ["-H".to_string(), l.to_string()])
        .collect();
    assert_eq!(
        shown.len(),
        6,
        "three webhook-* headers shown with -v: {out}"
    );
    let verified = stdout_of(
        hookctl()
            .args(["verify", "--secret", super::listening::SECRET, "--payload"])
            .arg(&payload)
            .args(&shown),
    );
    assert_eq!(verified, "✓ valid (standard, webhook-signature)\n");
}

#[test]
fn stripe_ignores_an_unreadable_v1_when_another_matches() {
    let (_dir, body) = temp_file("b", b"{}");
    let signed = stdout_of(hookctl().args([
        "sign",
        "--scheme",
        "stripe",
        "--secret",
        "sk",
        "--payload",
        body,
    ]));
    let value = signed.trim().trim_start_matches("Stripe-Signature: ");
    let (t, v1) = value.split_once(',').unwrap();
    hookctl()
        .args([
            "verify",
            "--scheme",
            "stripe",
            "--secret",
            "sk",
            "--payload",
            body,
        ])
        .arg(format!("--signature={t},v1=not-hex,{v1},v0=whatever"))
        .assert()
        .success();
}

#[test]
fn sign_a_named_type_with_fields_set_and_verify_it() {
    let doc: Value = serde_json::from_str(&stdout_of(hookctl().args([
        "sign",
        "sms.failed",
        "--secret",
        "s",
        "--set",
        "data.error_code=30007",
        "--json",
    ])))
    .unwrap();
    let body = doc["body"].as_str().unwrap();
    let event: Value = serde_json::from_str(body).unwrap();
    assert_eq!(
        (&event["type"], &event["data"]["error_code"]),
        (&Value::from("sms.failed"), &Value::from(30007))
    );
    let dir = tempfile::tempdir().unwrap();
    let payload = file(&dir, "signed.json", body.as_bytes());
    let signature = doc["headers"]["X-EKDSend-Signature"].as_str().unwrap();
    hookctl()
        .args([
            "verify",
            "--secret",
            "s",
            "--signature",
            signature,
            "--payload",
        ])
        .arg(&payload)
        .assert()
        .success();
}

#[test]
fn a_standard_signature_verifies_from_flags_with_its_id_and_timestamp() {
    let (_dir, body) = temp_file("body.json", br#"{"id":"evt_9"}"#);
    let now = jiff::Timestamp::now().as_second().to_string();
    let sign = [
        "sign",
        "--scheme",
        "standard",
        "--secret",
        SECRET,
        "--payload",
        body,
    ];
    let doc: Value = serde_json::from_str(&stdout_of(hookctl().args(sign).args([
        "--id",
        "msg_flags",
        "--timestamp",
        &now,
        "--json",
    ])))
    .unwrap();
    let signature = doc["headers"]["webhook-signature"].as_str().unwrap();
    let verify = |id: &str| {
        let mut cmd = hookctl();
        cmd.args(["verify", "--scheme", "standard", "--secret", SECRET])
            .args(["--payload", body, "--signature", signature])
            .args(["--id", id, "--timestamp", &now]);
        cmd
    };
    verify("msg_flags")
        .assert()
        .success()
        .stdout("✓ valid (standard, webhook-signature)\n");
    let text = stdout_with_code(&mut verify("msg_other"), 1);
    assert!(
        text.contains("signature does not match"),
        "the id is signed: {text}"
    );
}

#[test]
fn header_renames_the_signature_header_for_sign_and_verify() {
    let (_dir, body) = temp_file("b.json", b"{}");
    let out = stdout_of(hookctl().args([
        "sign",
        "--secret",
        "s",
        "--header",
        "X-Acme-Signature",
        "--payload",
        body,
    ]));
    assert!(out.starts_with("X-Acme-Signature: sha256="), "{out}");
    let pasted = header_args(&out);
    hookctl()
        .args(["verify", "--secret", "s", "--payload", body])
        .args(["--header", "X-Acme-Signature"])
        .args(&pasted)
        .assert()
        .success()
        .stdout("✓ valid (ekdsend, X-Acme-Signature)\n");
    let (code, doc) = verify(
        &[
            strings(&["--secret", "s", "--payload", body]),
            pasted.clone(),
        ]
        .concat(),
    );
    assert_eq!(
        code, 1,
        "without --header the renamed header is not looked at"
    );
    assert!(
        doc["reason"]
            .as_str()
            .unwrap()
            .contains("no X-EKDSend-Signature header"),
        "{doc}"
    );
    for bad in [
        ["--scheme", "standard", "--header", "X-Sig"],
        ["--scheme", "ekdsend", "--header", "Bad Name:"],
    ] {
        hookctl()
            .args(["sign", "--secret", "whsec_AAAA", "--payload", body])
            .args(bad)
            .assert()
            .code(2)
            .stderr(predicates::str::contains("header name"));
    }
}
