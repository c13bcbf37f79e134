//! `hookctl verify`: check a signature against the exact payload bytes, and explain a mismatch.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use serde_json::json;

use crate::cli::VerifyArgs;
use crate::config::{self, Body, Payload};
use crate::error::{Exit, hinted};
use crate::output::{self, palette, stream, words};
use crate::redact::Redactor;
use crate::signature::{Credentials, Headers, Policy, Request, Scheme, Secret, Verdict};

/// Verifies and prints the verdict; exit 1 when the signature is not valid.
pub fn run(args: &VerifyArgs) -> Result<ExitCode> {
    let credentials = config::basic_auth(&args.basic_auth)?;
    let key = config::verifying_key(&args.secret, &args.public)?;
    let secret = config::secret_of(key.as_ref()).cloned();
    let redactor = Redactor::new(
        secret
            .iter()
            .chain(hidden_password(credentials.as_ref()).iter()),
    );
    let file = args.headers_file.as_deref();
    let mut headers: Headers = config::header_lines(&args.headers, file, &redactor)?
        .into_iter()
        .collect();
    // --scheme, else the provider's, else the one the headers carry, else EKDSend's.
    let scheme = args
        .scheme
        .scheme
        .map(Scheme::from)
        .or(args.scheme.provider.map(|p| p.scheme))
        .or_else(|| Scheme::detect(&headers))
        .unwrap_or(Scheme::Ekdsend);
    let given = args.signature.is_some() || !args.headers.is_empty() || file.is_some();
    if !given && !scheme.signs_inside_body() {
        return Err(hinted(
            format!(
                "scheme {scheme} reads its signature from the request's headers, and none were given"
            ),
            "pass --signature VALUE, -H 'Name: value' (repeatable) or --headers-file FILE",
        ));
    }
    let key = match credentials {
        // Basic auth checks credentials: without them, the verifier says to give them.
        None if scheme != Scheme::Basic => Some(config::required_key(key, scheme, false)?),
        _ => key,
    };
    let signer = config::verifier(&args.scheme, scheme, key.as_ref(), credentials.as_ref())?
        .ok_or_else(|| {
            hinted(
                "the basic scheme (Postmark) checks credentials, and none were given",
                "pass --basic-auth USER:PASSWORD, the user name and password of the webhook URL",
            )
        })?;
    let url = config::signed_url(scheme, args.url.as_deref())?;
    if let Some(value) = &args.signature {
        if matches!(scheme, Scheme::Mailgun | Scheme::Basic) {
            return Err(hinted(
                format!(
                    "--signature does not apply to scheme {scheme}: it carries no signature header"
                ),
                "pass the request as received: --payload with the body (Mailgun signs inside it), -H for an Authorization header",
            ));
        }
        add_signature(&mut headers, signer.header(), scheme, value, args)?;
    }
    let verify = |body: &[u8], policy: &Policy| {
        signer.verify_request(&Request::post(&headers, body).at(url.as_deref()), policy)
    };

    let policy = Policy {
        now: jiff::Timestamp::now().as_second(),
        tolerance: config::tolerance(args.tolerance, Some(scheme)),
    };
    let payload = Payload::new(&args.payload);
    let verdict = match payload.load(args.max_payload)? {
        Body::Whole(body) => verify(&body, &policy),
        Body::Stream(mut reader) => match signer.verify_reader(&headers, &mut reader, &policy) {
            Some(verdict) => verdict.map_err(|e| {
                payload.read_error(e, config::MAX_PAYLOAD, config::MAX_PAYLOAD_HINT)
            })?,
            None => {
                let mut body = Vec::new();
                reader.read_to_end(&mut body).map_err(|e| {
                    payload.read_error(e, config::MAX_PAYLOAD, config::MAX_PAYLOAD_HINT)
                })?;
                verify(&body, &policy)
            }
        },
    };

    let (valid, reason, hint) = match &verdict {
        Verdict::Valid => (true, None, None),
        Verdict::Unsigned if scheme.signs_inside_body() => (
            false,
            Some(format!(
                "the body carries no signature ({scheme} signs inside the body)"
            )),
            Some(format!(
                "sign it with `hookctl sign --provider {scheme} --payload FILE`, which adds the signature object"
            )),
        ),
        Verdict::Unsigned => (
            false,
            Some(format!(
                "no {} header among the given headers",
                signer.header()
            )),
            Some(format!(
                "pass --signature VALUE, or -H '{}: …'",
                signer.header()
            )),
        ),
        Verdict::Invalid(m) => (false, Some(m.reason.clone()), words::advice(m, "--url")),
    };
    let note = scheme
        .caveat_for(&headers)
        .filter(|_| valid)
        .map(words::caveat);
    let mut out = stream::stdout().lock();
    if args.json {
        let mut doc = json!({"valid": valid, "scheme": scheme.name(), "header": signer.header(), "reason": reason, "hint": hint});
        if let Some(note) = note {
            doc["note"] = note.into();
        }
        writeln!(out, "{}", output::json_line(&doc))?;
    } else if valid {
        let text = format!("valid ({scheme}, {})", signer.header());
        writeln!(out, "{}", palette::pass(&text))?;
        if let Some(note) = note {
            writeln!(out, "  {}", palette::warn(&format!("note: {note}")))?;
        }
    } else {
        let text = format!("invalid: {}", reason.unwrap_or_default());
        writeln!(out, "{}", palette::fail(&text))?;
        if let Some(hint) = hint {
            writeln!(out, "  {}", palette::hint(&hint))?;
        }
    }
    Ok(Exit::verdict(valid))
}

/// The basic auth password as a [`Secret`], so output can hide it like one.
pub(crate) fn hidden_password(credentials: Option<&Credentials>) -> Option<Secret> {
    Secret::new(credentials?.expose_password()).ok()
}

/// Turns `--signature VALUE` (plus --id/--timestamp for standard) into headers.
fn add_signature(
    headers: &mut Headers,
    header: &str,
    scheme: Scheme,
    value: &str,
    args: &VerifyArgs,
) -> Result<()> {
    if scheme == Scheme::Plivo {
        return Err(hinted(
            "scheme plivo signs a nonce sent beside the signature, so --signature alone cannot be checked",
            "paste both headers: -H 'X-Plivo-Signature-V3: …' -H 'X-Plivo-Signature-V3-Nonce: …'",
        ));
    }
    if let (Some(id_header), Some(ts_header)) = (scheme.id_header(), scheme.timestamp_header()) {
        let (Some(id), Some(ts)) = (&args.id, args.timestamp) else {
            return Err(hinted(
                format!(
                    "scheme {scheme} signs id.timestamp.body, so --signature needs --id and --timestamp"
                ),
                "pass --id and --timestamp, or paste all three headers with -H",
            ));
        };
        headers.push(id_header, id.clone());
        headers.push(ts_header, ts.to_string());
    } else if let Some(ts_header) = scheme.timestamp_header() {
        // SendGrid and Telnyx send the signed timestamp in a header of its own.
        let Some(ts) = args.timestamp else {
            return Err(hinted(
                format!(
                    "scheme {scheme} signs a timestamp sent in {ts_header}, so --signature needs --timestamp"
                ),
                format!("pass --timestamp, or paste both headers with -H (…, {ts_header}: …)"),
            ));
        };
        headers.push(ts_header, ts.to_string());
    }
    match value.split_once(' ') {
        // Vonage's token goes in as `Authorization` carries it.
        None if scheme == Scheme::Vonage => headers.push(header, format!("Bearer {value}")),
        _ => headers.push(header, value),
    }
    Ok(())
}
