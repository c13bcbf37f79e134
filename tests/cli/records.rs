//! `listen --json` keeps the body: the exact bytes received can be recovered from every line.

use base64::Engine;
use hookctl::signature::Scheme;
use serde::Deserialize;
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};

use super::listening::{Listening, SECRET, post, signed};

/// What a JSON line says about the body, read without re-encoding it.
#[derive(Deserialize)]
struct BodyFields<'a> {
    #[serde(borrow)]
    body: &'a RawValue,
    body_encoding: String,
    body_sha256: Option<String>,
    signature: serde_json::Value,
}

/// The bytes a JSON line carries as the body, by its encoding.
fn recovered(fields: &BodyFields) -> Vec<u8> {
    let text = || serde_json::from_str::<String>(fields.body.get()).unwrap();
    match fields.body_encoding.as_str() {
        "json" => fields.body.get().as_bytes().to_vec(),
        "text" => text().into_bytes(),
        "base64" => base64::engine::general_purpose::STANDARD
            .decode(text())
            .unwrap(),
        other => panic!("unknown body_encoding {other}"),
    }
}

#[test]
fn every_body_is_recovered_byte_for_byte_from_its_json_line() {
    let bodies: [(&str, &[u8], &str); 9] = [
        (
            "a number out of f64 range",
            br#"{"id":"evt_1","type":"t","n":1e400}"#,
            "json",
        ),
        (
            "a lone surrogate escape",
            br#"{"id":"evt_2","type":"t","to":"\udc00x"}"#,
            "json",
        ),
        (
            "a 30-digit integer",
            br#"{"id":"evt_3","type":"t","n":123456789012345678901234567890}"#,
            "json",
        ),
        (
            "a repeated key",
            br#"{"id":"evt_4","type":"t","k":1,"k":2}"#,
            "json",
        ),
        (
            "all of them over several lines",
            b"{\n  \"id\": \"evt_5\",\n  \"n\": 1e400, \"big\": 123456789012345678901234567890,\n  \"k\": 1, \"k\": 2, \"s\": \"\\ud800\"\n}\n",
            "text",
        ),
        ("space around one line of JSON", b" {\"id\":\"evt_6\"}\t", "text"),
        ("not JSON", b"plain text \x7f", "text"),
        ("not UTF-8", b"\xff\xfe{\"id\":\x80}", "base64"),
        ("an empty body", b"", "text"),
    ];
    let l = Listening::start(&[
        "--secret",
        SECRET,
        "--json",
        "--max-events",
        &bodies.len().to_string(),
    ]);
    for (_, body, _) in bodies {
        let answer = post(&l.url, &signed(Scheme::Ekdsend, SECRET, body), body);
        assert_eq!(answer.status, 200);
    }
    let (code, out, err) = l.finish();
    assert_eq!(code, 0, "every signature was valid: {err}");
    let got: Vec<&str> = out.lines().collect();
    assert_eq!(got.len(), bodies.len(), "{out}");
    for ((what, body, encoding), line) in bodies.iter().zip(got) {
        let fields: BodyFields =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{what}: {e}: {line}"));
        assert_eq!(fields.body_encoding, *encoding, "{what}: {line}");
        assert_eq!(recovered(&fields), *body, "{what}: {line}");
        assert_eq!(
            fields.body_sha256,
            Some(hex::encode(Sha256::digest(body))),
            "{what}: the hash of the exact bytes"
        );
        assert_eq!(fields.signature["status"], "valid", "{what}");
    }
}
