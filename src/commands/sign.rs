//! `hookctl sign`: the signature header(s) for a payload or a fresh sample.

use std::io::{self, Read, Write};
use std::process::ExitCode;

use anyhow::Result;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::build_event;
use crate::bounded;
use crate::catalog::new_id;
use crate::cli::SignArgs;
use crate::config::{self, Body, Payload};
use crate::error::{Exit, hinted};
use crate::output::{palette, sanitize, stream};
use crate::providers::Provider;
use crate::signature::{Headers, Request, Scheme, Stamp, check_values};

/// Prints the signature headers (and, for a sample, the body they sign).
pub fn run(args: &SignArgs) -> Result<ExitCode> {
    let provider = config::provider_of(&args.scheme);
    let scheme = config::scheme(&args.scheme);
    if scheme == Scheme::Basic {
        // The only thing to print would be the credentials themselves.
        return Err(hinted(
            format!(
                "{} signs nothing: it sends the user name and password of the webhook URL as HTTP basic auth",
                provider.title
            ),
            format!(
                "send a test with `hookctl send --provider {} https://user:pass@host/…`, or `hookctl sample` for the body",
                provider.name
            ),
        ));
    }
    let key = config::signing_key(&args.secret, &args.private)?;
    let key = config::required_key(key, scheme, true)?;
    let signer = config::signer(&args.scheme, scheme, &key)?;
    let url = config::signed_url(scheme, args.url.as_deref())?;
    let sign = |body: &[u8], stamp: &Stamp| {
        let none = Headers::new();
        let request = Request::post(&none, body).at(url.as_deref());
        signer
            .sign_request(&request, stamp)
            .map_err(super::sign_error)
    };
    let timestamp = args
        .timestamp
        .unwrap_or_else(|| jiff::Timestamp::now().as_second());

    let (headers, body_sha256, sample) = match &args.payload {
        None => {
            let event = match &args.event {
                Some(name) => config::event(provider, name)?,
                None => provider.default_event(),
            };
            let value = build_event(provider, event, &args.set)?;
            let body = provider.encode(&value);
            let stamp = Stamp {
                id: args.id.clone().unwrap_or_else(|| id_of(provider, &body)),
                timestamp,
            };
            let signed = sign(&body, &stamp)?;
            let body = signed.body.unwrap_or(body);
            let sha = hex::encode(Sha256::digest(&body));
            (signed.headers, Some(sha), Some(body))
        }
        Some(arg) => {
            let payload = Payload::new(arg);
            let (id, reader) = match (&args.id, scheme) {
                (Some(id), _) => (id.clone(), payload.open(args.max_payload)?),
                // Standard Webhooks signs the message id: take the event's own when it fits in
                // memory to be found, else a fresh one.
                (None, s) if s.is_standard() => match payload.load(args.max_payload)? {
                    Body::Whole(body) => {
                        (id_of(provider, &body), Box::new(io::Cursor::new(body)) as _)
                    }
                    Body::Stream(reader) => (fresh_id_for_large_payload()?, reader),
                },
                (None, _) => (new_id("msg_"), payload.open(args.max_payload)?),
            };
            let mut reader = Hashing::new(reader, args.json);
            let stamp = Stamp { id, timestamp };
            match signer.sign_reader(&mut reader, &stamp) {
                Some(headers) => {
                    let headers = headers.map_err(|e| {
                        payload.read_error(e, config::MAX_PAYLOAD, config::MAX_PAYLOAD_HINT)
                    })?;
                    (headers, reader.finish(), None)
                }
                None => {
                    let mut body = Vec::new();
                    reader.read_to_end(&mut body).map_err(|e| {
                        payload.read_error(e, config::MAX_PAYLOAD, config::MAX_PAYLOAD_HINT)
                    })?;
                    let signed = sign(&body, &stamp)?;
                    let changed = signed.body.is_some();
                    let body = signed.body.unwrap_or(body);
                    let sha = hex::encode(Sha256::digest(&body));
                    (signed.headers, Some(sha), changed.then_some(body))
                }
            }
        }
    };
    check_values(&headers)
        .map_err(|e| hinted(e.to_string(), format!("{}, or pass --id", super::ID_HINT)))?;

    let mut out = io::stdout().lock();
    if args.json {
        let mut names = Map::new();
        for (name, value) in &headers {
            names.insert(name.clone(), Value::String(value.clone()));
        }
        let mut doc =
            json!({"scheme": scheme.name(), "headers": names, "body_sha256": body_sha256});
        if let Some(body) = &sample {
            doc["body"] = Value::String(String::from_utf8_lossy(body).into_owned());
        }
        let text = serde_json::to_string_pretty(&doc)?;
        writeln!(out, "{}", sanitize::json_text(&text))?;
    } else {
        for (name, value) in &headers {
            writeln!(out, "{name}: {value}")?;
        }
        if let Some(body) = &sample {
            if !headers.is_empty() {
                writeln!(out)?;
            }
            out.write_all(body)?;
            writeln!(out)?;
        }
    }
    Ok(Exit::Success.into())
}

/// A fresh `msg_` id for a payload too large to search for its own, said on stderr.
fn fresh_id_for_large_payload() -> Result<String> {
    let id = new_id("msg_");
    let note = format!(
        "the payload is over {}, too large to look for its \"id\": signed with webhook-id {id}; pass --id to sign with the event's own",
        bounded::size(config::DIAGNOSE_LIMIT)
    );
    writeln!(stream::stderr(), "{}", palette::warn(&note))?;
    Ok(id)
}

/// The event's own id as `provider` reads it in `body`, else a fresh `msg_` id.
fn id_of(provider: &Provider, body: &[u8]) -> String {
    let value = provider.read(body);
    value
        .as_ref()
        .and_then(|v| provider.id_of(provider.first(v)))
        .map_or_else(|| new_id("msg_"), str::to_string)
}

/// A reader that can also compute the SHA-256 of what passes through it (for `--json`).
struct Hashing {
    inner: Box<dyn Read>,
    hash: Option<Sha256>,
}

impl Hashing {
    fn new(inner: Box<dyn Read>, enabled: bool) -> Self {
        Self {
            inner,
            hash: enabled.then(Sha256::new),
        }
    }

    fn finish(self) -> Option<String> {
        self.hash.map(|h| hex::encode(h.finalize()))
    }
}

impl Read for Hashing {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(hash) = &mut self.hash {
            hash.update(&buf[..n]);
        }
        Ok(n)
    }
}
