//! Hostile input: what the network throws at the listener and what a user types at the CLI.
//! Nothing crashes, hangs or grows without bound; every refusal is a clear status or one line.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

use base64::Engine;
use hookctl::signature::Scheme;
use serde_json::Value;

use super::listening::{Listening, SECRET, addr, lines, post, request, signed};
use super::server::TestServer;
use super::{assert_contains, file, hookctl, memory_kib, peak_after_reading, temp_file};

const EVENT: &[u8] = br#"{"id":"evt_ok","type":"email.delivered","data":{"to":"a@example.com"}}"#;

/// Writes `request` on a fresh connection; returns everything answered until the server closes.
pub fn raw(url: &str, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(addr(url)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(request).unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

/// A POST with these exact header bytes, closing the connection after the answer.
fn raw_post(url: &str, headers: &[(&str, &[u8])], body: &[u8]) -> String {
    let mut request = format!(
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    )
    .into_bytes();
    for (name, value) in headers {
        request.extend_from_slice(name.as_bytes());
        request.extend_from_slice(b": ");
        request.extend_from_slice(value);
        request.extend_from_slice(b"\r\n");
    }
    request.extend_from_slice(b"\r\n");
    request.extend_from_slice(body);
    raw(url, &request)
}

/// A signed, well-formed event goes through: the listener is still serving and verifying.
fn still_serving(url: &str, scheme: Scheme) {
    let answer = post(url, &signed(scheme, SECRET, EVENT), EVENT);
    assert_eq!(answer.status, 200, "the next valid event was not served");
}

/// `(status, reason)` of a JSON line's signature verdict.
fn verdict(line: &Value) -> (String, String) {
    let signature = &line["signature"];
    (
        signature["status"].as_str().unwrap_or("").to_string(),
        signature["reason"].as_str().unwrap_or("").to_string(),
    )
}

#[test]
fn bodies_that_are_not_event_objects_are_shown_verified_and_do_not_stop_the_listener() {
    let deep = "[".repeat(10_000);
    let bodies: Vec<(&str, Vec<u8>)> = vec![
        ("invalid JSON", br#"{"id":"evt_1","type":"#.to_vec()),
        (
            "a JSON array",
            br#"[{"id":"evt_1","type":"email.sent"}]"#.to_vec(),
        ),
        ("a JSON number", b"42".to_vec()),
        ("a JSON string", br#""email.sent""#.to_vec()),
        ("JSON null", b"null".to_vec()),
        ("non-UTF-8 bytes", b"\xff\xfe{\"id\":\x80}".to_vec()),
        ("an empty body", Vec::new()),
        ("10,000 nested brackets", deep.into_bytes()),
    ];
    let l = Listening::start(&[
        "--secret",
        SECRET,
        "--json",
        "--max-events",
        &(bodies.len() * 2).to_string(),
    ]);
    for (_, body) in &bodies {
        let answer = post(&l.url, &signed(Scheme::Ekdsend, SECRET, body), body);
        assert_eq!(answer.status, 200);
        still_serving(&l.url, Scheme::Ekdsend);
    }
    let (code, out, err) = l.finish();
    assert_eq!(code, 0, "every signature was valid: {err}");
    let got = lines(&out);
    assert_eq!(got.len(), bodies.len() * 2, "{out}");
    let expected = [
        ("text", Value::String(r#"{"id":"evt_1","type":"#.into())),
        (
            "json",
            serde_json::json!([{"id":"evt_1","type":"email.sent"}]),
        ),
        ("json", serde_json::json!(42)),
        ("json", serde_json::json!("email.sent")),
        ("json", Value::Null),
        ("base64", Value::String("//57ImlkIjqAfQ==".into())),
        ("text", Value::String(String::new())),
        ("text", Value::String("[".repeat(10_000))),
    ];
    for (i, ((what, _), (encoding, body))) in bodies.iter().zip(expected).enumerate() {
        let line = &got[2 * i];
        assert_eq!(line["body_encoding"], encoding, "{what}: {line}");
        assert_eq!(line["body"], body, "{what}");
        assert_eq!(
            (&line["type"], &line["id"]),
            (&Value::Null, &Value::Null),
            "{what}: not an event object, so no type or id"
        );
        assert_eq!(
            verdict(line).0,
            "valid",
            "{what}: the signature covers raw bytes"
        );
        assert_eq!(verdict(&got[2 * i + 1]).0, "valid", "after {what}");
    }

    // The human display names what is wrong with each body and counts them in the summary.
    let l = Listening::start(&["--max-events", &bodies.len().to_string()]);
    for (_, body) in &bodies {
        assert_eq!(post(&l.url, &[], body).status, 200);
    }
    let (code, out, _) = l.finish();
    assert_eq!(code, 0);
    assert_contains(
        &out,
        &[
            r#"body is not JSON (21 bytes): {\"id\":\"evt_1\",\"type\":"#,
            r#"body is not UTF-8 (10 bytes): \xff\xfe{\"id\":\x80}"#,
            "empty body",
            "body is not JSON (10000 bytes): [[[[",
            "  42\n",
            "  \"email.sent\"\n",
            "  null\n",
            "8 deliveries received",
            "     4  (no type)",
            "     4  (not JSON)",
        ],
    );
}

#[test]
fn an_oversized_chunked_body_gets_413_and_the_listener_goes_on() {
    let l = Listening::start(&[
        "--secret",
        SECRET,
        "--max-body",
        "1000",
        "--json",
        "--max-events",
        "1",
    ]);
    // No Content-Length to refuse up front: the limit must hold while the body streams in.
    let mut request =
        b"POST /big HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            .to_vec();
    for _ in 0..5 {
        request.extend_from_slice(b"3e8\r\n");
        request.extend_from_slice(&[b'x'; 1000]);
        request.extend_from_slice(b"\r\n");
    }
    request.extend_from_slice(b"0\r\n\r\n");
    let answer = raw(&l.url, &request);
    assert!(
        answer.starts_with("HTTP/1.1 413 Payload Too Large\r\n")
            && answer.ends_with(r#"{"error":"body over 1000 bytes"}"#),
        "{answer}"
    );
    still_serving(&l.url, Scheme::Ekdsend);
    let (code, out, err) = l.finish();
    assert_eq!(code, 0);
    let got = lines(&out);
    assert_eq!(
        (&got[0]["status"], &got[0]["refused"], &got[0]["path"]),
        (
            &Value::from(413),
            &Value::from("too_large"),
            &Value::from("/big")
        )
    );
    assert_eq!(verdict(&got[1]).0, "valid");
    assert!(
        err.contains("1 delivery received, 1 other request refused"),
        "{err}"
    );
}

#[test]
fn a_100_mb_streamed_body_is_refused_without_growing_the_listeners_memory() {
    let l = Listening::start(&["--secret", SECRET, "--max-events", "1"]);
    let pid = l.child.id();
    let before = memory_kib(pid, "VmHWM");

    let mut stream = TcpStream::connect(addr(&l.url)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
        .write_all(b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n")
        .unwrap();
    let mut chunk = b"100000\r\n".to_vec();
    chunk.extend_from_slice(&vec![b'x'; 1 << 20]);
    chunk.extend_from_slice(b"\r\n");
    let mut sent = 0;
    for _ in 0..100 {
        // The listener stops reading at --max-body and closes, so most of the 100 MiB never
        // leaves this side: a broken pipe ends the stream.
        if stream.write_all(&chunk).is_err() {
            break;
        }
        sent += 1;
    }
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.starts_with("HTTP/1.1 413 "),
        "after {sent} MiB sent: {answer:?}"
    );

    let after = memory_kib(pid, "VmHWM");
    assert!(
        after.saturating_sub(before) < 20 * 1024,
        "peak memory grew from {before} KiB to {after} KiB for a refused body"
    );
    still_serving(&l.url, Scheme::Ekdsend);
    let (code, out, _) = l.finish();
    assert_eq!(code, 0);
    assert_contains(
        &out,
        &[
            "POST /  ✗ 413 body over 1 MiB (--max-body)",
            "email.delivered evt_ok  ✓ valid  → 200",
        ],
    );
}

#[test]
fn every_method_but_post_gets_405_with_allow_post_and_is_shown() {
    let l = Listening::start(&["--secret", SECRET, "--json", "--max-events", "1"]);
    for method in ["GET", "PUT", "DELETE", "PATCH", "OPTIONS"] {
        assert_eq!(request(method, &l.url, &[], EVENT).status, 405, "{method}");
    }
    let answer = raw(
        &l.url,
        b"BREW /pot HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}",
    );
    assert!(
        answer.starts_with("HTTP/1.1 405 Method Not Allowed\r\n")
            && answer.to_ascii_lowercase().contains("\r\nallow: post\r\n")
            && answer.ends_with(r#"{"error":"webhooks are POSTed"}"#),
        "{answer}"
    );
    still_serving(&l.url, Scheme::Ekdsend);
    let (code, out, err) = l.finish();
    assert_eq!(code, 0);
    let got = lines(&out);
    let methods: Vec<&str> = got.iter().map(|l| l["method"].as_str().unwrap()).collect();
    assert_eq!(
        methods,
        ["GET", "PUT", "DELETE", "PATCH", "OPTIONS", "BREW", "POST"]
    );
    for line in &got[..6] {
        assert_eq!(
            (&line["status"], &line["refused"], &line["signature"]),
            (&Value::from(405), &Value::from("method"), &Value::Null),
            "{line}"
        );
    }
    assert_eq!(verdict(&got[6]).0, "valid");
    assert!(
        err.contains("1 delivery received, 6 other requests refused"),
        "{err}"
    );
}

/// One hostile variant of a scheme's signature headers: (case, headers, expected status, reason).
type Malformed = (String, Vec<(String, String)>, &'static str, String);

/// Every hostile variant of `scheme`'s signature headers.
fn malformed_signatures(scheme: Scheme) -> Vec<Malformed> {
    let header = scheme.signature_header().to_string();
    let good = signed(scheme, SECRET, EVENT);
    let real = good.iter().find(|(n, _)| *n == header).unwrap().1.clone();
    let now = jiff::Timestamp::now().as_second();
    let with = |value: String| -> Vec<(String, String)> {
        good.iter()
            .map(|(n, v)| {
                (
                    n.clone(),
                    if *n == header {
                        value.clone()
                    } else {
                        v.clone()
                    },
                )
            })
            .collect()
    };
    let without = |name: &str| -> Vec<(String, String)> {
        good.iter().filter(|(n, _)| n != name).cloned().collect()
    };
    let tag_bytes = match real.strip_prefix("v1,") {
        Some(encoded) => base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .unwrap(),
        None => hex::decode(real.rsplit('=').next().unwrap()).unwrap(),
    };
    let base64_tag = base64::engine::general_purpose::STANDARD.encode(&tag_bytes);
    let mut duplicated = good.clone();
    duplicated.push((header.clone(), real.clone()));
    let invalid = "invalid";
    let mut cases = vec![
        (
            "missing".to_string(),
            without(&header),
            "unsigned",
            String::new(),
        ),
        (
            "empty".into(),
            with(String::new()),
            invalid,
            format!("the {header} header is empty"),
        ),
        (
            "duplicated".into(),
            duplicated,
            invalid,
            format!("2 {header} headers; a provider sends exactly one"),
        ),
    ];
    // The signature part in the scheme's own framing.
    let framed = |sig: &str| match scheme {
        Scheme::Ekdsend | Scheme::Github => format!("sha256={sig}"),
        Scheme::Keplars => sig.to_string(),
        Scheme::Stripe => format!("t={now},v1={sig}"),
        Scheme::Standard | Scheme::Svix => format!("v1,{sig}"),
        Scheme::Twilio | Scheme::Plivo | Scheme::Vonage => {
            unreachable!("URL-signed and token schemes have their own tests")
        }
        Scheme::Mailgun | Scheme::Basic => {
            unreachable!("in-body and basic auth have their own tests")
        }
        Scheme::Sendgrid | Scheme::Telnyx => unreachable!("key-pair schemes take no secret"),
    };
    if let (Some(id_header), Some(timestamp_header)) =
        (scheme.id_header(), scheme.timestamp_header())
    {
        cases.extend([
            // 65,536 base64 characters decode, to a tag that cannot match.
            (
                "over-long (64 KB)".to_string(),
                with(framed(&"A".repeat(65_536))),
                invalid,
                "signature does not match".to_string(),
            ),
            (
                "hex, not base64".into(),
                with(framed(&hex::encode(&tag_bytes))),
                invalid,
                "signature does not match".into(),
            ),
            (
                "odd-length base64".into(),
                with(framed("abcde")),
                invalid,
                "has no readable `v1,<base64>` entry".into(),
            ),
            (
                "bad base64".into(),
                with(framed("!!not*base64!!")),
                invalid,
                "has no readable `v1,<base64>` entry".into(),
            ),
            (
                "no v1 entry".into(),
                with("v1a,AAAA".into()),
                invalid,
                "has no v1 signature".into(),
            ),
            (
                "no id header".into(),
                without(id_header),
                invalid,
                format!("{header} is present but {id_header} is missing"),
            ),
            (
                "non-numeric timestamp header".into(),
                good.iter()
                    .map(|(n, v)| {
                        (
                            n.clone(),
                            if n == timestamp_header {
                                "soon".into()
                            } else {
                                v.clone()
                            },
                        )
                    })
                    .collect(),
                invalid,
                format!("{timestamp_header} should be unix seconds, got `soon`"),
            ),
        ]);
    } else {
        cases.extend([
            (
                "over-long (64 KB)".to_string(),
                with(framed(&"a".repeat(65_536))),
                invalid,
                format!("{header} has 65536 hex digits"),
            ),
            (
                "non-hex".into(),
                with(framed(&"g".repeat(64))),
                invalid,
                format!("{header} is not hex: `g` at position 1"),
            ),
            (
                "odd-length".into(),
                with(framed(&"a".repeat(63))),
                invalid,
                format!("{header} has 63 hex digits"),
            ),
            (
                "base64 instead of hex".into(),
                with(framed(&base64_tag)),
                invalid,
                format!("{header} is not hex"),
            ),
        ]);
    }
    if scheme == Scheme::Stripe {
        let (stamp, v1) = real.split_once(",v1=").unwrap();
        cases.extend([
            (
                "no t=".to_string(),
                with(format!("v1={v1}")),
                invalid,
                format!("{header} has no t= timestamp"),
            ),
            (
                "non-numeric t=".into(),
                with(format!("t=soon,v1={v1}")),
                invalid,
                format!("{header} has a t= that is not unix seconds: `soon`"),
            ),
            (
                "t= past i64".into(),
                with(format!("t=99999999999999999999,v1={v1}")),
                invalid,
                "not unix seconds".into(),
            ),
            (
                // Stripe's libraries read one of them; when they agree, so do the libraries.
                "two equal t=".into(),
                with(format!("{stamp},{stamp},v1={v1}")),
                "valid",
                String::new(),
            ),
            (
                "two different t=".into(),
                with(format!("{stamp},t=1,v1={v1}")),
                invalid,
                format!("{header} has two different t= timestamps"),
            ),
            (
                "no v1=".into(),
                with(format!("t={now}")),
                invalid,
                format!("{header} has no v1= signature"),
            ),
            (
                "not key=value".into(),
                with("garbage".into()),
                invalid,
                "is not a key=value pair".into(),
            ),
        ]);
    }
    cases
}

#[test]
fn malformed_signature_headers_of_every_scheme_are_invalid_with_a_reason_never_a_crash() {
    // One listener per scheme, side by side.
    std::thread::scope(|scope| {
        for scheme in Scheme::MAC {
            scope.spawn(move || malformed_signatures_are_reported(scheme));
        }
    });
}

/// Sends every malformed variant of `scheme`'s headers, each followed by a valid event.
fn malformed_signatures_are_reported(scheme: Scheme) {
    let cases = malformed_signatures(scheme);
    // Plus one over the raw socket: header bytes that are not UTF-8.
    let l = Listening::start(&[
        "--secret",
        SECRET,
        "--scheme",
        scheme.name(),
        "--json",
        "--max-events",
        &(cases.len() * 2 + 2).to_string(),
    ]);
    for (case, headers, _, _) in &cases {
        let answer = post(&l.url, headers, EVENT);
        assert_eq!(answer.status, 200, "{scheme} {case}");
        still_serving(&l.url, scheme);
    }
    let mut not_text: Vec<(String, Vec<u8>)> = signed(scheme, SECRET, EVENT)
        .into_iter()
        .map(|(n, v)| (n, v.into_bytes()))
        .collect();
    let header = scheme.signature_header();
    for (name, value) in &mut not_text {
        if name == header {
            value.splice(value.len() - 8.., *b"\xff\xfe\x80\x81\xc3\x28\xa0\xa1");
        }
    }
    let borrowed: Vec<(&str, &[u8])> = not_text
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_slice()))
        .collect();
    let answer = raw_post(&l.url, &borrowed, EVENT);
    assert!(
        answer.starts_with("HTTP/1.1 200 OK\r\n"),
        "{scheme}: {answer}"
    );
    still_serving(&l.url, scheme);

    let (code, out, err) = l.finish();
    assert_eq!(code, 1, "{scheme}: failed verifications make exit code 1");
    let got = lines(&out);
    assert_eq!(got.len(), cases.len() * 2 + 2, "{scheme}: {err}");
    for (i, (case, _, status, reason)) in cases.iter().enumerate() {
        let (got_status, got_reason) = verdict(&got[2 * i]);
        assert_eq!(got_status, *status, "{scheme} {case}: {got_reason}");
        assert!(
            got_reason.contains(reason.as_str()),
            "{scheme} {case}: expected `{reason}` in `{got_reason}`"
        );
        assert!(
            got_reason.len() < 300,
            "{scheme} {case}: the reason quotes too much: {} bytes",
            got_reason.len()
        );
        assert_eq!(verdict(&got[2 * i + 1]).0, "valid", "{scheme} after {case}");
    }
    let (status, reason) = verdict(&got[got.len() - 2]);
    assert_eq!(
        status, "invalid",
        "{scheme}: non-UTF-8 header bytes: {reason}"
    );
    assert_eq!(verdict(&got[got.len() - 1]).0, "valid");
    let unsigned = cases.iter().filter(|c| c.2 == "unsigned").count();
    let valid = cases.iter().filter(|c| c.2 == "valid").count();
    assert!(
        err.contains(&format!(
            "✓ {} valid  ✗ {} invalid  – {unsigned} unsigned",
            cases.len() + 1 + valid,
            cases.len() + 1 - unsigned - valid
        )),
        "{scheme}: {err}"
    );
}

#[test]
fn malformed_signatures_are_named_in_the_human_display() {
    let l = Listening::start(&[
        "--secret",
        SECRET,
        "--scheme",
        "stripe",
        "--max-events",
        "3",
    ]);
    let long = format!("t=1,v1={}", "a".repeat(65_536));
    post(&l.url, &[("Stripe-Signature".into(), long)], EVENT);
    post(
        &l.url,
        &[("Stripe-Signature".into(), "t=soon,v1=ab".into())],
        EVENT,
    );
    still_serving(&l.url, Scheme::Stripe);
    let (code, out, _) = l.finish();
    assert_eq!(code, 1);
    assert_contains(
        &out,
        &[
            "evt_ok  ✗ invalid: Stripe-Signature has 65536 hex digits; an HMAC-SHA256 signature has 64  → 200",
            "✗ invalid: Stripe-Signature has a t= that is not unix seconds: `soon`",
        ],
    );
    assert!(
        out.lines().all(|l| l.len() < 1_000),
        "a 64 KB header was echoed whole"
    );
    assert!(out.contains("✓ 1 valid  ✗ 2 invalid"), "{out}");
}

#[test]
fn a_standard_signature_list_of_1000_entries_is_checked_quickly() {
    let l = Listening::start(&[
        "--secret",
        SECRET,
        "--scheme",
        "standard",
        "--json",
        "--max-events",
        "3",
    ]);
    let good = signed(Scheme::Standard, SECRET, EVENT);
    let real = good[2].1.clone();
    let decoy = |i: usize| {
        let tag = [(i % 251) as u8; 32];
        format!(
            "v1,{}",
            base64::engine::general_purpose::STANDARD.encode(tag)
        )
    };
    let mut matching: Vec<String> = (0..999).map(decoy).collect();
    matching.push(real);
    let none_matching: Vec<String> = (0..1000).map(decoy).collect();
    for list in [matching, none_matching] {
        let mut headers = good.clone();
        headers[2].1 = list.join(" ");
        assert!(headers[2].1.len() > 45_000);
        let started = Instant::now();
        assert_eq!(post(&l.url, &headers, EVENT).status, 200);
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "1,000 entries took {:?}",
            started.elapsed()
        );
    }
    still_serving(&l.url, Scheme::Standard);
    let (_, out, _) = l.finish();
    let got = lines(&out);
    assert_eq!(verdict(&got[0]).0, "valid", "any one entry may match");
    assert_eq!(
        verdict(&got[1]),
        ("invalid".into(), "signature does not match".into())
    );
    assert_eq!(verdict(&got[2]).0, "valid");
}

#[test]
fn timestamps_far_in_the_future_or_at_the_ends_of_i64_are_outside_the_tolerance() {
    // An hour over ten years, so the display reads 3650 days however long the request takes.
    let ten_years = jiff::Timestamp::now().as_second() + 3650 * 86_400 + 3_600;
    // Stripe's libraries limit only the age: tests/cli/interop.rs covers its future timestamps.
    for scheme in [Scheme::Standard, Scheme::Svix] {
        let l = Listening::start(&[
            "--secret",
            SECRET,
            "--scheme",
            scheme.name(),
            "--json",
            "--max-events",
            "4",
        ]);
        for timestamp in [ten_years, i64::MAX, i64::MIN] {
            let headers = super::listening::signed_at(scheme, SECRET, timestamp, EVENT);
            assert_eq!(
                post(&l.url, &headers, EVENT).status,
                200,
                "{scheme} {timestamp}"
            );
        }
        still_serving(&l.url, scheme);
        let (code, out, _) = l.finish();
        assert_eq!(code, 1);
        let got = lines(&out);
        let reasons: Vec<String> = got.iter().map(|l| verdict(l).1).collect();
        assert!(
            reasons[0].contains("its timestamp is 3650 days in the future (tolerance 5 min)"),
            "{scheme}: {}",
            reasons[0]
        );
        assert!(
            reasons[1].contains("days in the future"),
            "{scheme}: {}",
            reasons[1]
        );
        assert!(reasons[2].contains("days old"), "{scheme}: {}", reasons[2]);
        for line in &got[..3] {
            assert_eq!(line["signature"]["status"], "invalid");
            assert!(
                line["signature"]["hint"]
                    .as_str()
                    .unwrap()
                    .contains("--tolerance off"),
                "{line}"
            );
        }
        assert_eq!(verdict(&got[3]).0, "valid");
    }
}

#[test]
fn a_stalled_client_is_timed_out_while_others_are_served() {
    // The listener allows 10 s for request headers (listener::Config::header_timeout); this test
    // waits that out once, in parallel with the rest of the suite.
    let l = Listening::start(&["--secret", SECRET, "--json", "--max-events", "4"]);
    let connected = Instant::now();
    let partial: [&[u8]; 4] = [
        b"",
        b"PO",
        b"POST / HTTP/1.1\r\n",
        b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n",
    ];
    let mut stallers: Vec<TcpStream> = (0..40)
        .map(|i| {
            let mut s = TcpStream::connect(addr(&l.url)).unwrap();
            s.write_all(partial[i % partial.len()]).unwrap();
            s
        })
        .collect();
    // Headers whole, body promised but never sent: held until the listener stops.
    let mut body_staller = TcpStream::connect(addr(&l.url)).unwrap();
    body_staller
        .write_all(b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{\"id\"")
        .unwrap();

    for _ in 0..3 {
        let started = Instant::now();
        still_serving(&l.url, Scheme::Ekdsend);
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "a delivery waited {:?} behind stalled clients",
            started.elapsed()
        );
    }
    for staller in &mut stallers {
        staller
            .set_read_timeout(Some(Duration::from_secs(15)))
            .unwrap();
        let mut answer = Vec::new();
        match staller.read_to_end(&mut answer) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {}
            Err(e) => panic!("a stalled client was not timed out: {e}"),
        }
        let answer = String::from_utf8_lossy(&answer);
        assert!(
            answer.is_empty() || answer.starts_with("HTTP/1.1 408 "),
            "a stalled client got {answer:?}"
        );
    }
    let waited = connected.elapsed();
    assert!(
        (Duration::from_secs(8)..Duration::from_secs(14)).contains(&waited),
        "stalled clients were dropped after {waited:?}, not at the 10 s header timeout"
    );
    still_serving(&l.url, Scheme::Ekdsend);
    let stopping = Instant::now();
    let (code, out, _) = l.finish();
    assert!(
        stopping.elapsed() < Duration::from_secs(5),
        "a client stalled mid-body held the listener for {:?}",
        stopping.elapsed()
    );
    assert_eq!(code, 0);
    let got = lines(&out);
    assert_eq!(got.len(), 4, "stalled clients are not deliveries: {out}");
    assert!(got.iter().all(|l| verdict(l).0 == "valid"));
}

/// The soft limit on open files, from /proc/self/limits.
fn open_file_limit() -> u64 {
    std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("Max open files"))?
                .split_whitespace()
                .nth(3)?
                .parse()
                .ok()
        })
        .unwrap_or(1024)
}

#[test]
fn a_thousand_concurrent_connections_are_all_answered_and_counted() {
    // The listener (a child with the same limit) needs one descriptor per connection, and so does
    // this process, which runs other tests meanwhile: stay 200 under the soft limit (`ulimit -n`;
    // 20000 where this was written, 1024 on many machines, where this opens 824).
    let n = 1000.min(open_file_limit().saturating_sub(200) as usize);
    if n < 1000 {
        eprintln!(
            "ulimit -n is {}: opening {n} connections",
            open_file_limit()
        );
    }
    let l = Listening::start(&["--secret", SECRET, "--json", "--max-events", &n.to_string()]);
    let target = addr(&l.url);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .unwrap();
    let answers: Vec<String> = rt.block_on(async {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        // Connect them all first, so all n are open at once, then send on every one together.
        let mut streams = Vec::with_capacity(n);
        for _ in 0..n {
            streams.push(tokio::net::TcpStream::connect(&target).await.unwrap());
        }
        let tasks: Vec<_> = streams
            .into_iter()
            .enumerate()
            .map(|(i, mut stream)| {
                tokio::spawn(async move {
                    let body = format!(r#"{{"id":"evt_{i}","type":"email.delivered"}}"#);
                    let (name, value) = signed(Scheme::Ekdsend, SECRET, body.as_bytes()).remove(0);
                    let request = format!(
                        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{name}: {value}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    stream.write_all(request.as_bytes()).await.unwrap();
                    let mut answer = Vec::new();
                    stream.read_to_end(&mut answer).await.unwrap();
                    String::from_utf8_lossy(&answer).into_owned()
                })
            })
            .collect();
        let mut answers = Vec::with_capacity(n);
        for task in tasks {
            answers.push(
                tokio::time::timeout(Duration::from_secs(20), task)
                    .await
                    .expect("an answer within 20 s")
                    .unwrap(),
            );
        }
        answers
    });
    let ok = answers
        .iter()
        .filter(|a| a.starts_with("HTTP/1.1 200 OK\r\n"))
        .count();
    assert_eq!(
        ok,
        n,
        "{:?}",
        answers.iter().find(|a| !a.starts_with("HTTP/1.1 200"))
    );
    let (code, out, err) = l.finish();
    assert_eq!(code, 0);
    let got = lines(&out);
    assert_eq!(got.len(), n);
    let mut ids: Vec<&str> = got.iter().map(|l| l["id"].as_str().unwrap()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "every connection's event shown exactly once");
    let mut seqs: Vec<u64> = got.iter().map(|l| l["seq"].as_u64().unwrap()).collect();
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=n as u64).collect::<Vec<_>>());
    assert!(got.iter().all(|l| verdict(l).0 == "valid"));
    assert!(
        err.contains(&format!("{n} deliveries received")) && err.contains(&format!("✓ {n} valid")),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------------
// The CLI

/// Runs `cmd` expecting a usage error: exit 2, one `hookctl: error:` line (plus at most one hint
/// line), nothing on stdout, no panic or backtrace.
fn usage_error(cmd: &mut assert_cmd::Command) -> String {
    let out = cmd
        .env("RUST_BACKTRACE", "1")
        .timeout(Duration::from_secs(20))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE") && !err.contains("backtrace"),
        "{err}"
    );
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let shown: Vec<&str> = err.lines().collect();
    let is_error = |l: &str| l.starts_with("hookctl: error: ");
    let one_line = match shown.as_slice() {
        [error] => is_error(error),
        [error, hint] => is_error(error) && hint.starts_with("  hint: "),
        _ => false,
    };
    assert!(one_line, "not a one-line error:\n{err}");
    err
}

/// Every command that reads a payload file, given `path`.
fn payload_commands(path: &Path) -> Vec<assert_cmd::Command> {
    let path = path.to_str().unwrap();
    let argv: [&[&str]; 4] = [
        &["sign", "--secret", "s", "--payload", path],
        &[
            "sign",
            "--secret",
            SECRET,
            "--scheme",
            "standard",
            "--payload",
            path,
        ],
        &[
            "verify",
            "--secret",
            "s",
            "--signature",
            "sha256=00",
            "--payload",
            path,
        ],
        // No --secret: the "sending unsigned" warning must not come before the error.
        &["send", "--url", "http://127.0.0.1:9/", "--payload", path],
    ];
    argv.iter()
        .map(|args| {
            let mut cmd = hookctl();
            cmd.args(*args);
            cmd
        })
        .collect()
}

#[test]
fn payload_files_that_are_missing_unreadable_or_directories_are_one_line_errors() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.json");
    let locked = file(&dir, "locked.json", b"{}");
    std::fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o000)).unwrap();
    // Root reads through mode 000; only check the refusal where it really happens.
    let unreadable = std::fs::read(&locked).is_err();
    let mut cases = vec![
        (missing.clone(), "does not exist"),
        (dir.path().to_path_buf(), "is a directory"),
    ];
    if unreadable {
        cases.push((locked.clone(), "is not readable (permission denied)"));
    } else {
        eprintln!("running as root: mode 000 does not stop reads, skipping the unreadable case");
    }
    for (path, want) in &cases {
        for mut cmd in payload_commands(path) {
            let err = usage_error(&mut cmd);
            assert!(err.contains(want), "{path:?}: {err}");
        }
    }

    // replay reads saved requests: the same files, and an empty directory.
    let empty_dir = tempfile::tempdir().unwrap();
    let mut replays = vec![
        (missing, "cannot read"),
        (empty_dir.path().to_path_buf(), "holds no saved requests"),
    ];
    if unreadable {
        replays.push((locked, "Permission denied"));
    }
    for (path, want) in replays {
        let err = usage_error(hookctl().arg("replay").arg(&path).args([
            "--url",
            "http://127.0.0.1:9/",
            "--as-is",
        ]));
        assert!(err.contains(want), "{path:?}: {err}");
        assert!(
            err.matches("(os error").count() <= 1,
            "the cause is given once: {err}"
        );
    }
}

#[test]
fn an_empty_payload_is_signed_verified_and_sent_as_an_empty_body() {
    // An empty body is a legitimate (if odd) webhook: hookctl signs and sends it as is.
    let (_dir, empty) = temp_file("empty.json", b"");
    // HMAC-SHA256(key "s", empty message), from Python's hmac module.
    let value = "sha256=64eca07cce67929c357d63d0a4aec207e774800403298914fc04e88ce02ac49f";
    hookctl()
        .args(["sign", "--secret", "s", "--payload", empty])
        .assert()
        .success()
        .stdout(format!("X-EKDSend-Signature: {value}\n"));
    hookctl()
        .args([
            "verify",
            "--secret",
            "s",
            "--payload",
            empty,
            "--signature",
            value,
        ])
        .assert()
        .success();

    let server = TestServer::ok();
    hookctl()
        .args([
            "send",
            "--secret",
            "s",
            "--url",
            &server.url,
            "--payload",
            empty,
        ])
        .assert()
        .success();
    let got = server.received();
    assert_eq!(got.len(), 1);
    assert!(got[0].body.is_empty());
    assert_eq!(got[0].header("x-ekdsend-signature"), Some(value));
}

#[test]
fn a_one_gib_payload_is_hashed_in_constant_memory_by_sign_and_verify() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.json");
    // Sparse: a 1 GiB file that costs no disk.
    std::fs::File::create(&big)
        .unwrap()
        .set_len(1 << 30)
        .unwrap();
    let big = big.to_str().unwrap();
    let zeros = format!("sha256={}", "0".repeat(64));
    // Vonage's verify reads the body only once the token's signature holds: a real token.
    let (_small, small) = super::temp_file("small", b"{}");
    let vonage = ["--provider", "vonage", "--secret", "s"];
    let signed = super::stdout_of(
        hookctl()
            .arg("sign")
            .args(vonage)
            .args(["--payload", small]),
    );
    let token = signed.trim().trim_start_matches("Authorization: Bearer ");
    let runs: [&[&str]; 5] = [
        &[
            "sign",
            "--provider",
            "vonage",
            "--secret",
            "s",
            "--payload",
            big,
        ],
        &[
            "verify",
            "--provider",
            "vonage",
            "--secret",
            "s",
            "--signature",
            token,
            "--payload",
            big,
        ],
        &["sign", "--secret", "s", "--payload", big],
        &[
            "sign",
            "--secret",
            SECRET,
            "--scheme",
            "standard",
            "--payload",
            big,
        ],
        &[
            "verify",
            "--secret",
            "s",
            "--signature",
            &zeros,
            "--payload",
            big,
        ],
    ];
    // A debug build hashes a GiB in about a minute, so watch the first 32 MiB and stop there: a
    // whole-file read (capacity for 1 GiB, filled as it reads) would already hold them all.
    let watched: u64 = 32 << 20;
    std::thread::scope(|scope| {
        for args in runs {
            scope.spawn(move || {
                let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_hookctl"))
                    .args(args)
                    .env_remove("HOOKCTL_SECRET")
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap();
                let peak = peak_after_reading(&mut child, watched, &format!("{args:?}"));
                assert!(
                    peak < 24 * 1024,
                    "{args:?} held {peak} KiB after reading {watched} bytes: not streaming"
                );
            });
        }
    });
}

#[test]
fn a_one_gib_payload_is_refused_by_send_and_replay_which_hold_bodies_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.http");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(1 << 30)
        .unwrap();
    let server = TestServer::ok();
    let started = Instant::now();
    let err = usage_error(
        hookctl()
            .args(["send", "--url", &server.url, "--payload"])
            .arg(&big),
    );
    assert!(
        err.contains("is over 64 MiB, the most hookctl holds in memory to send"),
        "{err}"
    );
    let err = usage_error(
        hookctl()
            .args(["replay", "--url", &server.url, "--as-is"])
            .arg(&big),
    );
    assert!(
        err.contains("is over 64 MiB, the most hookctl holds in memory to send"),
        "{err}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "refused without reading it"
    );
    assert!(server.received().is_empty());

    // Standard input has no size to check up front: the read stops one byte past the limit.
    let limit = hookctl::config::IN_MEMORY_LIMIT as usize;
    let err = usage_error(
        hookctl()
            .args(["send", "--url", &server.url, "--payload", "-"])
            .write_stdin(vec![b' '; limit + 1]),
    );
    assert!(
        err.contains("the payload from standard input is over 64 MiB"),
        "{err}"
    );
    assert!(server.received().is_empty());
}

#[test]
fn empty_or_undecodable_secrets_are_one_line_errors_for_every_command() {
    let (dir, body) = temp_file("body.json", b"{}");
    let saved = file(&dir, "saved.http", b"POST / HTTP/1.1\r\n\r\n{}");
    let saved = saved.to_str().unwrap();
    let empty_file = file(&dir, "secret", b"\n");
    let url = "http://127.0.0.1:9/";
    let commands: Vec<Vec<&str>> = vec![
        vec!["sign", "--payload", body],
        vec![
            "verify",
            "--payload",
            body,
            "--signature",
            "v1,AAAA",
            "--id",
            "m",
            "--timestamp",
            "1",
        ],
        vec!["send", "--url", url, "--dry-run"],
        vec!["replay", saved, "--url", url],
        vec!["check", "--url", url],
        vec!["listen", "--port", "0", "--max-events", "1"],
    ];
    for command in &commands {
        for secret in ["", "whsec_", "whsec_!!not base64!!", "whsec_ AAAA"] {
            let scheme = if secret.is_empty() {
                "ekdsend"
            } else {
                "standard"
            };
            let err = usage_error(
                hookctl()
                    .args(command)
                    .args(["--scheme", scheme, "--secret", secret]),
            );
            let want = if secret.is_empty() {
                "the secret is empty"
            } else {
                "the secret is not valid base64"
            };
            assert!(err.contains(want), "{command:?} {secret:?}: {err}");
            assert!(
                !err.contains("not base64!!"),
                "the secret was echoed: {err}"
            );
        }
        let err = usage_error(hookctl().args(command).env("HOOKCTL_SECRET", ""));
        assert!(err.contains("the secret is empty"), "{command:?}: {err}");
        let err = usage_error(
            hookctl()
                .args(command)
                .arg("--secret-file")
                .arg(&empty_file),
        );
        assert!(err.contains("the secret is empty"), "{command:?}: {err}");
    }
}

#[test]
fn urls_with_bad_schemes_ports_or_no_host_are_one_line_errors() {
    let cases = [
        ("ftp://127.0.0.1/hooks", "is not an http:// or https:// URL"),
        ("file:///etc/passwd", "is not an http:// or https:// URL"),
        ("http://127.0.0.1:99999/", "invalid port number"),
        ("http://127.0.0.1:-1/", "invalid port number"),
        ("http://", "empty host"),
        ("http://:8080/", "empty host"),
        ("127.0.0.1:8080/hooks", "is not a valid URL"),
        ("", "is not a valid URL"),
    ];
    let (_dir, saved) = temp_file("saved.http", b"POST / HTTP/1.1\r\n\r\n{}");
    for (url, want) in cases {
        let runs: [&[&str]; 5] = [
            &["send", "--secret", "s", "--url", url],
            &["send", "--secret", "s", "--count", "3", "--url", url],
            &["replay", saved, "--as-is", "--url", url],
            &["check", "--secret", "s", "--url", url],
            &["listen", "--port", "0", "--forward-to", url],
        ];
        for args in runs {
            let err = usage_error(hookctl().args(args));
            assert!(err.contains(want), "{args:?}: {err}");
        }
    }
}

#[test]
fn set_paths_that_do_not_fit_are_one_line_errors() {
    let cases = [
        (
            "data.to.name=x",
            "cannot set `data.to.name`: `data.to` is a string",
        ),
        ("id.0=x", "cannot set `id.0`: `id` is a string"),
        ("data..to=x", "has an empty path segment"),
        (".data=x", "has an empty path segment"),
        ("data.=x", "has an empty path segment"),
        ("=x", "has an empty path segment"),
        ("data.to", "is not PATH=VALUE"),
    ];
    let server = TestServer::ok();
    for (set, want) in cases {
        let runs: [&[&str]; 4] = [
            &["sample", "email.delivered", "--set", set],
            &["sign", "--secret", "s", "--set", set],
            &["send", "--url", &server.url, "--set", set],
            &["send", "--url", &server.url, "--count", "5", "--set", set],
        ];
        for args in runs {
            let err = usage_error(hookctl().args(args));
            assert!(err.contains(want), "{args:?}: {err}");
        }
    }
    assert!(
        server.received().is_empty(),
        "nothing is sent when a --set does not fit"
    );
}

#[test]
fn the_summary_stays_bounded_whatever_types_senders_make_up() {
    let l = Listening::start(&["--json"]);
    let long_type = "t".repeat(200_000);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let _ = rustls::crypto::ring::default_provider().install_default();
    rt.block_on(async {
        let client = reqwest::Client::builder().no_proxy().build().unwrap();
        let kinds = (0..1005)
            .map(|n| format!("made.up.{n:04}"))
            .chain([long_type.clone()]);
        for kind in kinds {
            let body = serde_json::json!({ "id": "evt_1", "type": kind }).to_string();
            let answer = client.post(&l.url).body(body).send().await.unwrap();
            assert_eq!(answer.status(), 200);
        }
    });
    l.interrupt();
    let (code, _, err) = l.finish();
    assert_eq!(code, 0);
    assert!(err.contains("1006 deliveries received"), "{}", &err[..500]);
    let type_lines: Vec<&str> = err.lines().filter(|l| l.starts_with("  ")).collect();
    assert!(
        type_lines.len() <= 1001 + 6,
        "{} summary lines for made-up types",
        type_lines.len()
    );
    assert!(err.contains("(other types)"), "past 1000 distinct types");
    assert!(
        err.len() < 100_000,
        "a {} byte summary for a 200,000-character type",
        err.len()
    );
}

#[test]
fn fail_first_remembers_ids_in_bounded_memory_whatever_their_length() {
    let l = Listening::start(&["--fail-first", "1", "--compact"]);
    let pid = l.child.id();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let before = memory_kib(pid, "VmRSS");
    rt.block_on(async {
        let client = reqwest::Client::builder().no_proxy().build().unwrap();
        for n in 0..150 {
            // A distinct id of 300 KB (as long as a header may be): each one remembered.
            let id = format!("{n:04}{}", "i".repeat(300_000));
            let answer = client
                .post(&l.url)
                .header("webhook-id", id)
                .body(r#"{"type":"email.sent"}"#)
                .send()
                .await
                .unwrap();
            assert_eq!(answer.status(), 500, "the first delivery of id {n}");
        }
    });
    let after = memory_kib(pid, "VmRSS");
    l.interrupt();
    let (code, _, err) = l.finish();
    assert_eq!(code, 0, "{err}");
    assert!(
        after.saturating_sub(before) < 20 * 1024,
        "150 ids of 300 KB remembered: memory from {before} KiB to {after} KiB"
    );
}

#[test]
fn idle_senders_announcing_large_bodies_do_not_starve_a_real_one() {
    let l = Listening::start(&["--json"]);
    // 40 connections announce a 1 MiB body (40 MiB in all, over the 32 MiB budget) and send none.
    let idle: Vec<TcpStream> = (0..40)
        .map(|_| {
            let mut stream = TcpStream::connect(l.addr()).unwrap();
            let head = format!(
                "POST /hook HTTP/1.1\r\nhost: {}\r\ncontent-length: {}\r\n\r\n",
                l.addr(),
                1 << 20
            );
            stream.write_all(head.as_bytes()).unwrap();
            stream
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let answer = post(&l.url, &[], br#"{"id":"evt_real","type":"email.sent"}"#);
    drop(idle);
    l.interrupt();
    let (code, out, err) = l.finish();
    assert_eq!(answer.status, 200, "{}: {err}", answer.body);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("evt_real"), "{out}");
}

#[test]
fn a_type_named_like_a_summary_bucket_is_counted_as_a_name() {
    let l = Listening::start(&["--max-events", "2"]);
    assert_eq!(post(&l.url, &[], br#"{"id":"evt_1"}"#).status, 200);
    let named = br#"{"id":"evt_2","type":"(no type)"}"#;
    assert_eq!(post(&l.url, &[], named).status, 200);
    let (code, out, _) = l.finish();
    assert_eq!(code, 0);
    let buckets: Vec<&str> = out
        .lines()
        .filter(|l| l.ends_with("(no type)") && !l.contains("POST"))
        .map(str::trim)
        .collect();
    assert_eq!(
        buckets,
        ["1  (no type)", "1  (no type)"],
        "one without a type, one named so: {out}"
    );
}
