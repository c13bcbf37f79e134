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
use crate::signature::{Headers, Policy, Request, Scheme, Verdict};

/// Verifies and prints the verdict; exit 1 when the signature is not valid.
pub fn run(args: &VerifyArgs) -> Result<ExitCode> {
    let secret = config::required_secret(&args.secret)?;
    let redactor = Redactor::new([&secret]);
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
    let signer = config::signer(&args.scheme, scheme, &secret)?;
    let url = config::signed_url(scheme, args.url.as_deref())?;
    if let Some(value) = &args.signature {
        add_signature(&mut headers, signer.header(), scheme, value, args)?;
    }
    let verify = |body: &[u8], policy: &Policy| {
        signer.verify_request(&Request::post(&headers, body).at(url.as_deref()), policy)
    };

    let policy = Policy {
        now: jiff::Timestamp::now().as_second(),
        tolerance: config::tolerance(args.tolerance),
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
    let mut out = stream::stdout().lock();
    if args.json {
        let doc = json!({"valid": valid, "scheme": scheme.name(), "header": signer.header(), "reason": reason, "hint": hint});
        writeln!(out, "{}", output::json_line(&doc))?;
    } else if valid {
        let text = format!("valid ({scheme}, {})", signer.header());
        writeln!(out, "{}", palette::pass(&text))?;
    } else {
        let text = format!("invalid: {}", reason.unwrap_or_default());
        writeln!(out, "{}", palette::fail(&text))?;
        if let Some(hint) = hint {
            writeln!(out, "  {}", palette::hint(&hint))?;
        }
    }
    Ok(Exit::verdict(valid))
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
    }
    match value.split_once(' ') {
        // Vonage's token goes in as `Authorization` carries it.
        None if scheme == Scheme::Vonage => headers.push(header, format!("Bearer {value}")),
        _ => headers.push(header, value),
    }
    Ok(())
}
