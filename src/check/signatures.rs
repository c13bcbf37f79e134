//! Checks 9 to 12: signatures a provider's traffic (or a forger's) really carries. A malformed
//! one, a body serialised differently, a timestamp ahead of the clock, and a list of signatures
//! while a key is being rotated.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue};
use serde_json::{Map, Value};

use super::{Card, CheckResult, Mark, Plan, got, rejected, send, sign, sign_now, test_event};
use crate::delivery::{Endpoint, Outcome};
use crate::providers::BodyKind;
use crate::signature::{Headers, Request, Scheme, Signer, Stamp, plivo};

fn skip(card: Card, why: String) -> CheckResult {
    card(
        Mark::Skip,
        "nothing".into(),
        format!("skipped: {why}"),
        None,
    )
}

/// Runs check `number` (9 to 12).
pub(super) async fn run(
    endpoint: &Endpoint,
    plan: &Plan,
    number: u8,
    name: &'static str,
) -> CheckResult {
    let name = match (number, plan.signer.scheme()) {
        (9, Scheme::Basic) => "malformed credentials are rejected with 4xx",
        _ => name,
    };
    let card = |mark, sent, got, fix| CheckResult::new(number, name, mark, sent, got, fix);
    match number {
        9 => malformed(endpoint, plan, &card).await,
        10 => raw_body(endpoint, plan, &card).await,
        11 => future(endpoint, plan, &card).await,
        _ => rotation(endpoint, plan, &card).await,
    }
}

/// A malformed signature in place of the right one.
struct Malformed {
    /// The value as the card shows it.
    shown: String,
    /// What is wrong with it: `short`, `not hex`.
    what: &'static str,
    body: Bytes,
    headers: HeaderMap,
}

/// Check 9: each malformed signature is answered 4xx.
async fn malformed(endpoint: &Endpoint, plan: &Plan, card: Card<'_>) -> CheckResult {
    let (place, variants, id) = malformed_requests(endpoint, plan);
    let mut answers = Vec::new();
    for m in &variants {
        let (outcome, latency) = send(endpoint, &id, (m.body.clone(), m.headers.clone())).await;
        answers.push((outcome, latency));
    }
    let shown: Vec<String> = variants
        .iter()
        .map(|m| format!("`{}` ({})", m.shown, m.what))
        .collect();
    let sent = format!("the event with {place} {}", shown.join(", then "));
    let refused = |o: &Outcome| matches!(o, Outcome::Answered(a) if (400..500).contains(&a.status));
    let Some(at) = answers.iter().position(|(o, _)| !refused(o)) else {
        let got = answers
            .iter()
            .map(|(o, l)| got(o, *l))
            .collect::<Vec<_>>()
            .join("; ");
        let (last, latency) = answers.last().expect("every scheme has malformed variants");
        return card(Mark::Pass, sent, got, None).judged(last, *latency);
    };
    let (outcome, latency) = &answers[at];
    let variant = &variants[at];
    let basic = plan.signer.scheme() == Scheme::Basic;
    let fix = match outcome {
        Outcome::Answered(a) if a.is_success() => format!(
            "verify {place} and refuse what does not match: `{}` ({}) was accepted",
            variant.shown, variant.what
        ),
        Outcome::Answered(a) if a.status >= 500 && basic => "reject malformed credentials with 401, not 5xx: a 5xx makes the provider retry a forgery; check the header's form before decoding it".to_string(),
        Outcome::Answered(a) if a.status >= 500 => "reject a malformed signature with 401, not 5xx: a 5xx makes the provider retry a forgery; check its length and encoding before comparing (crypto.timingSafeEqual throws on unequal lengths)".to_string(),
        _ => format!("answer a malformed {place} promptly with 401 or 400"),
    };
    card(
        Mark::Fail,
        sent,
        format!(
            "{} to `{}` ({})",
            got(outcome, *latency),
            variant.shown,
            variant.what
        ),
        Some(fix),
    )
    .judged(outcome, *latency)
}

/// Where the signature is (a header name, or Mailgun's body field), the malformed requests, and
/// the event id they share.
fn malformed_requests(endpoint: &Endpoint, plan: &Plan) -> (String, Vec<Malformed>, String) {
    let signer = &plan.signer;
    let (body, id) = test_event(plan);
    let (signed_body, headers) = sign_now(signer, endpoint, &body, &id);
    let scheme = signer.scheme();
    if scheme.signs_inside_body() {
        let variants = HEX_VARIANTS
            .iter()
            .map(|(value, what)| {
                let mut event: Value =
                    serde_json::from_slice(&signed_body).expect("a signed Mailgun body is JSON");
                event["signature"]["signature"] = Value::String(value.to_string());
                Malformed {
                    shown: excerpt(value),
                    what,
                    body: Bytes::from(plan.provider.encode(&event)),
                    headers: headers.clone(),
                }
            })
            .collect();
        return ("signature.signature".into(), variants, id);
    }
    let header = signer.header().to_string();
    let current = headers
        .get(header.as_str())
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let variants = malformed_values(scheme, &current)
        .into_iter()
        .map(|(value, what)| {
            let mut headers = headers.clone();
            for name in replaced_headers(scheme, &header) {
                let prefix = headers
                    .get(name.as_str())
                    .and_then(|v| v.to_str().ok())
                    .map(|v| v[..encoded_start(scheme, v)].to_string())
                    .unwrap_or_default();
                let value = HeaderValue::try_from(format!("{prefix}{value}"))
                    .expect("malformed values are printable ASCII");
                headers.insert(name, value);
            }
            let shown = headers
                .get(header.as_str())
                .and_then(|v| v.to_str().ok())
                .map(excerpt)
                .unwrap_or_default();
            Malformed {
                shown,
                what,
                body: signed_body.clone(),
                headers,
            }
        })
        .collect();
    (header, variants, id)
}

/// For hex signatures: a short one, and one of the full length that is not hex.
const HEX_VARIANTS: [(&str, &str); 2] = [
    ("abc", "short"),
    (
        "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
        "not hex",
    ),
];

/// The malformed values that replace the encoded signature (or token, or credentials) in
/// `current`, the header as correctly signed.
fn malformed_values(scheme: Scheme, current: &str) -> Vec<(String, &'static str)> {
    match scheme {
        Scheme::Ekdsend | Scheme::Github | Scheme::Keplars | Scheme::Stripe => HEX_VARIANTS
            .iter()
            .map(|(v, what)| (v.to_string(), *what))
            .collect(),
        Scheme::Vonage => {
            let token = current.strip_prefix("Bearer ").unwrap_or(current);
            let unsigned = token.rsplit_once('.').map_or(token, |(head, _)| head);
            vec![
                ("abc".into(), "not a JWT"),
                (format!("{unsigned}.abc"), "a JWT with a short signature"),
            ]
        }
        Scheme::Basic => vec![
            ("!!!!!!!!".into(), "not base64"),
            (BASE64.encode("hookctl"), "no user:password"),
        ],
        _ => {
            let encoded = &current[encoded_start(scheme, current)..];
            vec![
                ("YWJj".into(), "short"),
                ("!".repeat(encoded.len().max(8)), "not base64"),
            ]
        }
    }
}

/// Where the encoded signature starts in a header value: after `sha256=`, Stripe's last `v1=`,
/// Standard Webhooks' `v1,`, or the `Bearer ` / `Basic ` of an `Authorization` header.
fn encoded_start(scheme: Scheme, value: &str) -> usize {
    let after = |marker: &str| value.rfind(marker).map_or(0, |i| i + marker.len());
    match scheme {
        Scheme::Ekdsend | Scheme::Github => after("sha256="),
        Scheme::Stripe => after("v1="),
        Scheme::Standard | Scheme::Svix => value.find(',').map_or(0, |i| i + 1),
        Scheme::Vonage | Scheme::Basic => value.find(' ').map_or(0, |i| i + 1),
        _ => 0,
    }
}

/// The headers a malformed value replaces: the signature's, and for Plivo the V2 signature too
/// (a receiver that reads V2 would otherwise see a good one).
fn replaced_headers(scheme: Scheme, header: &str) -> Vec<HeaderName> {
    let mut names = vec![header];
    if scheme == Scheme::Plivo {
        names.push(plivo::V2);
    }
    names
        .into_iter()
        .map(|n| HeaderName::try_from(n).expect("signature header names are valid"))
        .collect()
}

/// A value as the card quotes it: at most 24 characters.
fn excerpt(value: &str) -> String {
    match value.char_indices().nth(24) {
        Some((end, _)) => format!("{}…", &value[..end]),
        None => value.to_string(),
    }
}

/// Check 10: the event serialised another way, signed over exactly those bytes, is accepted.
async fn raw_body(endpoint: &Endpoint, plan: &Plan, card: Card<'_>) -> CheckResult {
    let signer = &plan.signer;
    let scheme = signer.scheme();
    let unsigned = match scheme {
        Scheme::Basic => Some("basic auth signs nothing, so no serialisation can matter".into()),
        _ if scheme.signs_inside_body() => Some(format!(
            "{scheme} signs a timestamp and token inside the body, not the body's bytes"
        )),
        _ if scheme.signs_url() => Some(format!(
            "{scheme} signs the URL and the form parameters, not the body's bytes"
        )),
        _ if plan.provider.body == BodyKind::Form => Some(
            "the body is form-encoded parameters, not JSON that could be serialised otherwise"
                .into(),
        ),
        _ => None,
    };
    if let Some(why) = unsigned {
        return skip(card, why);
    }
    let (body, id) = test_event(plan);
    let mut event: Value = serde_json::from_slice(&body).expect("a JSON provider's sample");
    let accented = accent(&mut event);
    let bytes = Bytes::from(reserialised(&event));
    let (outcome, latency) = send(endpoint, &id, sign_now(signer, endpoint, &bytes, &id)).await;
    let accent_text = match accented {
        Some(path) => format!(", {path} with é as \\u00e9"),
        None => String::new(),
    };
    let sent = format!(
        "the event indented, keys in reverse order{accent_text}, a trailing newline, signed over exactly those bytes"
    );
    let got = got(&outcome, latency);
    if outcome.is_success() {
        return card(Mark::Pass, sent, got, None).judged(&outcome, latency);
    }
    let fix = "verify the raw request bytes as received, never a re-serialised body (JSON.stringify(req.body), json.dumps(request.json)): the provider may change its serialiser";
    card(Mark::Fail, sent, got, Some(fix.into())).judged(&outcome, latency)
}

/// The bytes of `event` as another serialiser writes it: keys in reverse order, indented by two
/// spaces, non-ASCII as `\uXXXX` escapes, a trailing newline.
fn reserialised(event: &Value) -> Vec<u8> {
    let pretty = crate::json::pretty(&reversed(event));
    let text = String::from_utf8(pretty).expect("serde_json writes UTF-8");
    let mut out = crate::json::ascii_escaped(&text).into_bytes();
    out.push(b'\n');
    out
}

/// `value` with every object's keys in reverse order.
fn reversed(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .rev()
                .map(|(k, v)| (k.clone(), reversed(v)))
                .collect::<Map<_, _>>(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(reversed).collect()),
        other => other.clone(),
    }
}

/// Fields of free text, by each provider's name for them (SendGrid's `category`: a list of
/// them): the first one found gets accented words.
const TEXT_FIELDS: [&str; 8] = [
    "subject",
    "Subject",
    "text",
    "Text",
    "body",
    "Body",
    "client_ref",
    "category",
];

/// Puts `Café Zoë` into the event's first free-text field (depth first); its path, if it has one.
fn accent(value: &mut Value) -> Option<String> {
    match value {
        Value::Object(map) => {
            let text = map
                .iter_mut()
                .filter(|(k, _)| TEXT_FIELDS.contains(&k.as_str()))
                .find_map(|(k, v)| match v {
                    Value::String(text) => Some((k.clone(), text)),
                    Value::Array(items) => match items.first_mut() {
                        Some(Value::String(text)) => Some((format!("{k}.0"), text)),
                        _ => None,
                    },
                    _ => None,
                });
            if let Some((path, text)) = text {
                text.push_str(" (Café Zoë)");
                return Some(path);
            }
            map.iter_mut()
                .find_map(|(k, v)| accent(v).map(|path| format!("{k}.{path}")))
        }
        Value::Array(items) => items
            .iter_mut()
            .enumerate()
            .find_map(|(i, v)| accent(v).map(|path| format!("{i}.{path}"))),
        _ => None,
    }
}

/// Check 11: a signature dated ahead of the clock, beyond what the scheme tolerates, is refused.
async fn future(endpoint: &Endpoint, plan: &Plan, card: Card<'_>) -> CheckResult {
    let signer = &plan.signer;
    let scheme = signer.scheme();
    if !scheme.is_timestamped() {
        return skip(
            card,
            match scheme.timestamp_header() {
                Some(_) => format!("{scheme} receivers do not limit the signed timestamp's age"),
                None => format!("the {scheme} scheme signs no timestamp"),
            },
        );
    }
    if !scheme.limits_future() {
        return skip(
            card,
            format!(
                "{scheme}'s own libraries refuse only old timestamps, so one ahead of the clock passes there too"
            ),
        );
    }
    // Twice what the scheme's library tolerates, as check 5 does for the past.
    let tolerance = scheme.default_tolerance();
    let ahead_by = tolerance * 2;
    let at = jiff::Timestamp::now().as_second() + ahead_by as i64;
    let (body, id) = test_event(plan);
    let (outcome, latency) = send(endpoint, &id, sign(signer, endpoint, &body, &id, at)).await;
    let fix = format!(
        "reject signatures whose timestamp is more than {} minutes from now, ahead as well as behind (a forger's clock is no excuse)",
        tolerance / 60
    );
    let sent = format!(
        "a correctly signed event with a timestamp {} minutes ahead",
        ahead_by / 60
    );
    let refused = "a timestamp ahead of the clock";
    rejected(card, (&outcome, latency), refused, sent, fix)
}

/// Check 12: a header listing an unknown signature before the right one is accepted.
async fn rotation(endpoint: &Endpoint, plan: &Plan, card: Card<'_>) -> CheckResult {
    let signer = &plan.signer;
    let scheme = signer.scheme();
    let (body, id) = test_event(plan);
    let Some(request) = rotating_request(signer, endpoint, &body, &id) else {
        return skip(
            card,
            match scheme {
                Scheme::Basic => "basic auth sends credentials, not a list of signatures".into(),
                _ => format!("{scheme} sends one signature per request, never a list"),
            },
        );
    };
    let header = signer.header();
    let other = match signer.key_pair() {
        Some(_) => "another key pair",
        None => "another secret",
    };
    let sent = format!("{header} listing a signature made with {other}, then the right one");
    let (outcome, latency) = send(endpoint, &id, request).await;
    let got = got(&outcome, latency);
    if outcome.is_success() {
        return card(Mark::Pass, sent, got, None).judged(&outcome, latency);
    }
    let fix = match scheme {
        Scheme::Stripe => format!(
            "accept when any v1= in {header} matches: while a secret is rolled, Stripe signs with the old and the new one"
        ),
        Scheme::Plivo => format!(
            "accept when any comma-separated signature in {header} matches, as plivo's validate_v3_signature does"
        ),
        _ => format!(
            "accept when any space-separated entry of {header} matches: while a secret is rotated, the provider signs with the old and the new one"
        ),
    };
    card(Mark::Fail, sent, got, Some(fix)).judged(&outcome, latency)
}

/// The body and headers of a rotating signature now, for schemes that list signatures.
fn rotating_request(
    signer: &Signer,
    endpoint: &Endpoint,
    body: &Bytes,
    id: &str,
) -> Option<(Bytes, HeaderMap)> {
    let stamp = Stamp {
        id: id.to_string(),
        timestamp: jiff::Timestamp::now().as_second(),
    };
    let none = Headers::new();
    let request = Request::post(&none, body).at(Some(endpoint.signed_url().as_str()));
    let signed = signer
        .sign_rotating(&request, &stamp)?
        .expect("the listing schemes sign any body to a URL");
    let headers = signed
        .headers
        .into_iter()
        .map(|(name, value)| {
            (
                HeaderName::try_from(name).expect("signature header names are valid"),
                HeaderValue::try_from(value).expect("check's own ids and base64 are header-safe"),
            )
        })
        .collect();
    Some((
        signed.body.map_or_else(|| body.clone(), Bytes::from),
        headers,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_reserialised_body_reverses_keys_escapes_and_ends_with_a_newline() {
        let event = json!({"id": "evt_1", "data": {"to": "a@example.com", "subject": "Hi"}});
        let mut accented = event.clone();
        assert_eq!(accent(&mut accented).as_deref(), Some("data.subject"));
        let text = String::from_utf8(reserialised(&accented)).unwrap();
        assert_eq!(
            text,
            "{\n  \"data\": {\n    \"subject\": \"Hi (Caf\\u00e9 Zo\\u00eb)\",\n    \"to\": \"a@example.com\"\n  },\n  \"id\": \"evt_1\"\n}\n"
        );
    }

    #[test]
    fn a_list_of_text_is_accented_in_its_first_entry() {
        let mut batch = json!([{"email": "a@example.com", "category": ["welcome"]}]);
        assert_eq!(accent(&mut batch).as_deref(), Some("0.category.0"));
        assert_eq!(batch[0]["category"][0], "welcome (Café Zoë)");
        assert_eq!(accent(&mut json!({"id": "evt_1", "n": 2})), None);
    }

    #[test]
    fn malformed_values_keep_the_scheme_s_prefix() {
        assert_eq!(encoded_start(Scheme::Ekdsend, "sha256=00ff"), 7);
        assert_eq!(encoded_start(Scheme::Stripe, "t=1,v1=00ff"), 7);
        assert_eq!(encoded_start(Scheme::Standard, "v1,AAAA"), 3);
        assert_eq!(encoded_start(Scheme::Vonage, "Bearer a.b.c"), 7);
        assert_eq!(encoded_start(Scheme::Twilio, "AAAA"), 0);
        let vonage = malformed_values(Scheme::Vonage, "Bearer h.c.signature");
        assert_eq!(vonage[1].0, "h.c.abc");
        let telnyx = malformed_values(Scheme::Telnyx, &"A".repeat(88));
        assert_eq!(telnyx[1].0.len(), 88);
    }
}
