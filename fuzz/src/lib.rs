//! The bodies of hookctl's fuzz targets, one function per target.
//!
//! Each function takes the raw fuzz input and must never panic: the cargo-fuzz binaries in
//! `fuzz_targets/` call them, and `tests/fuzz_regressions.rs` in the root crate includes this very
//! file (`#[path]`) to replay the checked-in cases under `tests/fuzz-cases/<target>/` through
//! exactly the same code. Only hookctl and its own dependencies (`http`, `serde_json`, `jiff`,
//! `hex`, `base64`) are used, so the root crate compiles this file without extra dev-dependencies.
//!
//! Besides "does not panic", each target asserts a few properties that must hold for any input
//! (sign-then-verify is valid, the streamed and in-memory verdicts agree, a parsed header line
//! re-parses to itself, a decoded saved request re-encodes to itself, a successful `--set` can be
//! read back), so a fuzzer finds wrong answers as well as crashes.

use std::sync::OnceLock;

use hookctl::listener::saved;
use hookctl::patch::Assignment;
use hookctl::signature::{
    Claim, Headers, MacSigner, Policy, Request, Scheme, Secret, SignError, Signer, Stamp, Verdict,
    parse_header_line,
};
use serde_json::Value;

/// The secret every signature target signs and verifies with (`whsec_` + base64 of "test").
pub const SECRET: &str = "whsec_dGVzdA==";

/// The clock the verification targets run under; the seed corpora are signed at this time.
pub const NOW: i64 = 1_700_000_000;

/// Tolerance used for the fuzzed verifications (hookctl's default, 5 minutes).
const TOLERANCE: Option<u64> = Some(hookctl::signature::DEFAULT_TOLERANCE_SECS);

/// The body of one fuzz target: takes the raw input, panics only on a bug.
pub type Target = fn(&[u8]);

/// Every target, by name, as `fuzz/fuzz_targets/<name>.rs` and `tests/fuzz-cases/<name>/`.
pub const TARGETS: [(&str, Target); 5] = [
    ("signature_headers", signature_headers),
    ("header_line", header_line),
    ("secret", secret),
    ("set_path", set_path),
    ("saved_request", saved_request),
];

/// The head (header lines) and body of an input: the head ends at the first empty line
/// (`\n\n` or `\r\n\r\n`); without one, everything is head and the body is empty.
fn split_head_body(data: &[u8]) -> (Vec<&[u8]>, &[u8]) {
    let mut lines = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        let (line, after) = match rest.iter().position(|b| *b == b'\n') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, &rest[rest.len()..]),
        };
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            return (lines, after);
        }
        lines.push(line);
        rest = after;
    }
    (lines, rest)
}

/// Headers as `verify -H` builds them: each line parsed by `parse_header_line`, lossily decoded.
fn cli_headers(lines: &[&[u8]]) -> Headers {
    lines
        .iter()
        .filter_map(|l| parse_header_line(&String::from_utf8_lossy(l)))
        .collect()
}

/// Headers as the listener builds them: what `http` accepts off the wire, values decoded lossily.
fn wire_headers(lines: &[&[u8]]) -> Headers {
    let mut map = http::HeaderMap::new();
    for line in lines {
        let Some(colon) = line.iter().position(|b| *b == b':') else {
            continue;
        };
        let value = &line[colon + 1..];
        let start = value
            .iter()
            .position(|b| *b != b' ' && *b != b'\t')
            .unwrap_or(value.len());
        let (Ok(name), Ok(value)) = (
            http::HeaderName::from_bytes(&line[..colon]),
            http::HeaderValue::from_bytes(&value[start..]),
        ) else {
            continue;
        };
        map.append(name, value);
    }
    Headers::from(&map)
}

fn fixed_secret() -> &'static Secret {
    static SECRET_VALUE: OnceLock<Secret> = OnceLock::new();
    SECRET_VALUE.get_or_init(|| Secret::new(SECRET).expect("the fixed secret is not empty"))
}

fn signers() -> &'static [MacSigner] {
    static SIGNERS: OnceLock<Vec<MacSigner>> = OnceLock::new();
    SIGNERS.get_or_init(|| {
        Scheme::MAC
            .iter()
            .filter(|s| s.key_pair().is_none())
            .map(|s| {
                MacSigner::new(*s, fixed_secret(), None)
                    .expect("the fixed secret suits every scheme")
            })
            .collect()
    })
}

/// What a verdict may say must not reveal the secret (unless the input itself carried it).
fn assert_no_secret(verdict: &Verdict, data: &[u8]) {
    let carried = |needle: &str| data.windows(needle.len()).any(|w| w == needle.as_bytes());
    if let Verdict::Invalid(m) = verdict {
        for needle in [SECRET, &SECRET["whsec_".len()..]] {
            if carried(needle) {
                continue;
            }
            assert!(
                !m.reason.contains(needle),
                "the secret leaked into a reason"
            );
            assert!(
                !m.hint.as_deref().unwrap_or("").contains(needle),
                "the secret leaked into a hint"
            );
        }
    }
}

fn same_kind(a: &Verdict, b: &Verdict) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

/// The listener's quick read of a body (`Shape::of`, no JSON tree) agrees with the JSON tree:
/// whatever serde_json reads as a tree is JSON to it (it may accept more: it does not check that
/// numbers fit an f64), and a `type` or `id` it reports is that object's string field.
fn check_shape(body: &[u8]) -> hookctl::listener::Shape {
    let shape = hookctl::listener::Shape::of(body);
    if let Ok(tree) = serde_json::from_slice::<Value>(body) {
        assert!(
            shape.json,
            "Shape::of calls JSON that serde_json reads not JSON"
        );
        for (field, found) in [("type", &shape.kind), ("id", &shape.id)] {
            if let Some(found) = found {
                assert_eq!(
                    Some(found.as_str()),
                    tree.get(field).and_then(Value::as_str),
                    "Shape::of read a `{field}` that is not there"
                );
            }
        }
    }
    shape
}

/// Every tag a parser decoded is written in the header it came from: re-encoded (hex, lowercase
/// compared; base64 for Standard Webhooks) it is found there, so no decoder invents bytes.
fn check_claim(signer: &MacSigner, headers: &Headers, claim: &Claim) {
    use base64::Engine;
    // Standard Webhooks reads either family of names, whichever the signer sends.
    let names: &[&str] = if signer.scheme().is_standard() {
        &["webhook-signature", "svix-signature"]
    } else {
        &[signer.header()]
    };
    let values: Vec<&str> = names.iter().flat_map(|n| headers.get_all(n)).collect();
    let tags = claim.tags.iter().chain(claim.slips.iter().map(|s| &s.tag));
    for tag in tags {
        let found = if signer.scheme().is_standard() {
            let encoded = base64::engine::general_purpose::STANDARD.encode(tag);
            values.iter().any(|v| v.contains(&encoded))
        } else {
            let encoded = hex::encode(tag);
            values
                .iter()
                .any(|v| v.to_ascii_lowercase().contains(&encoded))
        };
        assert!(
            found,
            "{}: decoded a tag that is not in {}",
            signer.scheme(),
            signer.header()
        );
    }
}

/// Target `signature_headers`: arbitrary header lines and an arbitrary body, verified under every
/// scheme as both `verify -H` and the listener would read them (parse, verify, verify_reader).
///
/// Input: header lines, an empty line, then the body.
pub fn signature_headers(data: &[u8]) {
    let (lines, body) = split_head_body(data);
    check_shape(body);
    let strict = Policy {
        now: NOW,
        tolerance: TOLERANCE,
    };
    let lenient = Policy {
        now: NOW,
        tolerance: None,
    };
    for headers in [cli_headers(&lines), wire_headers(&lines)] {
        let detected = Scheme::detect(&headers);
        for (name, _) in headers.iter() {
            let _ = Scheme::is_signature_header(name);
        }
        for signer in signers() {
            match signer.parse(&headers) {
                Ok(claim) => check_claim(signer, &headers, &claim),
                Err(e) => {
                    let _ = e.to_string();
                }
            }
            let in_memory = signer.verify(&headers, body, &strict);
            assert_no_secret(&in_memory, data);
            let streamed = signer
                .verify_reader(&headers, &mut &body[..], &strict)
                .expect("reading a slice cannot fail");
            assert!(
                same_kind(&in_memory, &streamed),
                "{}: verify says {in_memory:?}, verify_reader says {streamed:?}",
                signer.scheme()
            );
            let any_age = signer
                .verify_reader(&headers, &mut &body[..], &lenient)
                .expect("reading a slice cannot fail");
            if matches!(in_memory, Verdict::Valid) {
                assert!(
                    matches!(any_age, Verdict::Valid),
                    "valid, but not with tolerance off"
                );
            }
            if matches!(in_memory, Verdict::Unsigned) {
                assert!(
                    detected.is_none_or(|d| d == signer.scheme()),
                    "unsigned although {detected:?} was detected"
                );
            }
        }
    }
    url_signed_headers(&lines, body, data);
    token_headers(&lines, body, data);
    // Whatever the body, signing it and verifying the result is valid under every scheme.
    let stamp = Stamp {
        id: "msg_fuzz".to_string(),
        timestamp: NOW,
    };
    for signer in signers() {
        let signed: Headers = signer.sign(body, &stamp).into_iter().collect();
        let verdict = signer.verify(&signed, body, &strict);
        assert_eq!(
            verdict,
            Verdict::Valid,
            "{} rejects its own signature",
            signer.scheme()
        );
    }
}

/// The URL-signed schemes (Twilio, Plivo) on the same input: verified at fixed URLs and at the
/// input's first line read as a URL; whatever the body, signing it for a URL verifies there.
fn url_signed_headers(lines: &[&[u8]], body: &[u8], data: &[u8]) {
    let first = lines
        .first()
        .map(|l| String::from_utf8_lossy(l).into_owned())
        .unwrap_or_default();
    let urls = [
        "https://h.example/sms?b=2&a=1",
        "http://[::1]:8080/x/",
        first.as_str(),
    ];
    let policy = Policy {
        now: NOW,
        tolerance: TOLERANCE,
    };
    let stamp = Stamp {
        id: "msg_fuzz".to_string(),
        timestamp: NOW,
    };
    for scheme in [Scheme::Twilio, Scheme::Plivo] {
        let signer = Signer::new(scheme, fixed_secret(), None).expect("a URL-signed scheme");
        for headers in [cli_headers(lines), wire_headers(lines)] {
            for url in urls {
                let request = Request::post(&headers, body).at(Some(url));
                let verdict = signer.verify_request(&request, &policy);
                assert_no_secret(&verdict, data);
            }
        }
        for url in urls {
            let none = Headers::new();
            let mut at = url.to_string();
            let signed =
                match signer.sign_request(&Request::post(&none, body).at(Some(&at)), &stamp) {
                    Ok(signed) => signed,
                    // A JSON body is signed through its hash in the URL: sign where it says.
                    Err(SignError::UrlNeedsBodyHash { url, .. }) => {
                        at = url;
                        signer
                            .sign_request(&Request::post(&none, body).at(Some(&at)), &stamp)
                            .expect("the URL with the body's hash signs")
                    }
                    Err(e) => {
                        let _ = e.to_string();
                        continue;
                    }
                };
            let headers: Headers = signed.headers.into_iter().collect();
            let verdict =
                signer.verify_request(&Request::post(&headers, body).at(Some(&at)), &policy);
            assert_eq!(
                verdict,
                Verdict::Valid,
                "{scheme} rejects its own signature at {at}"
            );
        }
    }
}

/// Vonage's token scheme on the same input: the JWT read from `Authorization` whatever it holds,
/// the same verdict in memory and streamed, no secret in a reason; whatever the body, its own
/// token verifies.
fn token_headers(lines: &[&[u8]], body: &[u8], data: &[u8]) {
    let signer = Signer::new(Scheme::Vonage, fixed_secret(), None).expect("any secret signs");
    let policy = Policy {
        now: NOW,
        tolerance: TOLERANCE,
    };
    for headers in [cli_headers(lines), wire_headers(lines)] {
        let in_memory = signer.verify(&headers, body, &policy);
        assert_no_secret(&in_memory, data);
        let streamed = signer
            .verify_reader(&headers, &mut &body[..], &policy)
            .expect("Vonage streams")
            .expect("reading a slice cannot fail");
        assert!(
            same_kind(&in_memory, &streamed),
            "vonage: verify says {in_memory:?}, verify_reader says {streamed:?}"
        );
    }
    let stamp = Stamp {
        id: "msg_fuzz".to_string(),
        timestamp: NOW,
    };
    let signed: Headers = signer
        .sign(body, &stamp)
        .expect("Vonage signs any body")
        .headers
        .into_iter()
        .collect();
    assert_eq!(
        signer.verify(&signed, body, &policy),
        Verdict::Valid,
        "vonage rejects its own token"
    );
}

/// Target `header_line`: `parse_header_line` (every `-H`) and `--header NAME` on arbitrary text.
pub fn header_line(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Some((name, value)) = parse_header_line(&text) {
        assert!(!name.is_empty(), "empty header name accepted");
        assert!(
            name.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)),
            "header name {name:?} has a byte outside the HTTP token set"
        );
        assert_eq!(value, value.trim(), "value not trimmed");
        let again = parse_header_line(&format!("{name}: {value}"));
        assert_eq!(
            again,
            Some((name.clone(), value.clone())),
            "line does not re-parse to itself"
        );
        let _ = Scheme::is_signature_header(&name);
    }
    for scheme in Scheme::MAC {
        match MacSigner::new(scheme, fixed_secret(), Some(&text)) {
            Ok(signer) => {
                assert!(scheme.has_one_header(), "{scheme} took a header name");
                assert_eq!(signer.header(), &*text, "header renamed to something else");
            }
            Err(e) => {
                let _ = e.to_string();
            }
        }
    }
}

/// Target `secret`: `Secret::new` (--secret, --secret-file, HOOKCTL_SECRET) and the key every
/// scheme derives from it (`whsec_` base64); a usable secret signs and verifies.
pub fn secret(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let secret = match Secret::new(text.as_ref()) {
        Ok(s) => s,
        Err(e) => {
            assert!(text.is_empty(), "non-empty secret refused: {e}");
            return;
        }
    };
    assert_eq!(format!("{secret:?}"), "Secret(<redacted>)");
    assert_eq!(secret.expose(), text);
    let stamp = Stamp {
        id: "msg_fuzz".to_string(),
        timestamp: NOW,
    };
    let policy = Policy {
        now: NOW,
        tolerance: TOLERANCE,
    };
    let body = br#"{"type":"email.delivered"}"#;
    for scheme in Scheme::MAC {
        match MacSigner::new(scheme, &secret, None) {
            Ok(signer) => {
                let debug = format!("{signer:?}");
                assert!(debug.contains("<redacted>"), "signer Debug shows its key");
                let headers: Headers = signer.sign(body, &stamp).into_iter().collect();
                assert_eq!(signer.verify(&headers, body, &policy), Verdict::Valid);
                // The same signature against another body never passes.
                let other = signer.verify(&headers, b"{}", &policy);
                assert!(
                    !matches!(other, Verdict::Valid),
                    "{scheme}: signature valid for another body"
                );
            }
            Err(e) => {
                assert!(scheme.is_standard(), "{scheme} refused a non-empty secret");
                let _ = e.to_string();
            }
        }
    }
}

fn sample_event() -> &'static Value {
    static EVENT: OnceLock<Value> = OnceLock::new();
    EVENT.get_or_init(|| {
        let now = jiff::Timestamp::from_second(NOW).expect("a valid time");
        let provider = hookctl::providers::default();
        let bounced = provider
            .event("email.bounced")
            .expect("EKDSend sends email.bounced");
        let mut event = provider.sample(bounced, now).value;
        event["id"] = Value::String("evt_fuzz".to_string());
        // Arrays and scalars too, so indexes and "not a container" paths are reachable.
        event["data"]["tags"] = serde_json::json!(["a", {"b": [1, 2]}, null]);
        event
    })
}

/// The value at `path` (dot segments, numeric ones index arrays), as `apply` walks it.
fn lookup<'a>(event: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(event, |node, segment| match node {
        Value::Object(map) => map.get(segment),
        Value::Array(items) => items.get(segment.parse::<usize>().ok()?),
        _ => None,
    })
}

/// Target `set_path`: `--set PATH=VALUE` parsed, applied to a sample event, and the result
/// serialised as `sample`/`send` would; a successful set can be read back.
pub fn set_path(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let assignment = match text.parse::<Assignment>() {
        Ok(a) => a,
        Err(e) => {
            let _ = e.to_string();
            return;
        }
    };
    for mut event in [sample_event().clone(), Value::Object(Default::default())] {
        match assignment.apply(&mut event) {
            Ok(()) => {
                assert_eq!(
                    lookup(&event, &assignment.path),
                    Some(&assignment.value),
                    "`{}` set, but not readable back",
                    assignment.path
                );
                let compact = hookctl::json::compact(&event);
                let _ = hookctl::json::pretty(&event);
                // Deeper than serde_json's reader goes (128) is allowed; anything else must parse.
                if let Err(e) = serde_json::from_slice::<Value>(&compact) {
                    assert!(
                        e.to_string().contains("recursion limit"),
                        "hookctl wrote invalid JSON: {e}"
                    );
                }
            }
            Err(e) => {
                let _ = e.to_string();
            }
        }
    }
}

/// Target `saved_request`: the `listen --save` file format read back (`replay`), then verified
/// as the listener would; a decoded request re-encodes to bytes that decode to the same request.
pub fn saved_request(data: &[u8]) {
    let Ok(request) = saved::decode(data) else {
        return;
    };
    let encoded = saved::encode(
        &request.method,
        &request.path,
        &request.headers,
        &request.body,
    );
    let again = saved::decode(&encoded).expect("an encoded request decodes");
    assert_eq!(again, request, "saved request does not round-trip");
    let shape = check_shape(&request.body);
    let _ = hookctl::catalog::delivery_id(shape.id.as_deref(), &request.headers);
    let headers = Headers::from(&request.headers);
    let policy = Policy {
        now: NOW,
        tolerance: TOLERANCE,
    };
    for signer in signers() {
        let _ = signer.verify(&headers, &request.body, &policy);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_ends_at_the_first_empty_line() {
        let (lines, body) = split_head_body(b"A: 1\r\nB: 2\r\n\r\nbody\n\nmore");
        assert_eq!(lines, [&b"A: 1"[..], b"B: 2"]);
        assert_eq!(body, b"body\n\nmore");
        let (lines, body) = split_head_body(b"A: 1\nB: 2");
        assert_eq!(lines.len(), 2);
        assert!(body.is_empty());
    }
}
