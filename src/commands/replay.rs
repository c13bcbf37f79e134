//! `hookctl replay`: send requests saved by `listen --save` again, as received or re-signed.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use bytes::Bytes;
use http::HeaderMap;

use super::send::{Item, deliver_all, warn_about};
use crate::catalog::{delivery_id, new_id};
use crate::cli::ReplayArgs;
use crate::config;
use crate::delivery::{self, Endpoint, EndpointConfig, HOP_BY_HOP, Outgoing};
use crate::error::hinted;
use crate::listener::saved;
use crate::providers::{self, Provider};
use crate::redact::Redactor;
use crate::signature::{Headers, Scheme};

/// Replays each saved request and reports it like `send`.
pub fn run(args: &ReplayArgs) -> Result<ExitCode> {
    let url = delivery::parse_url(&args.url)?;
    let files = saved_files(&args.paths)?;
    // Told neither provider nor scheme: re-signed as the first request was signed.
    let mut chosen = args.scheme.clone();
    if chosen.provider.is_none() && chosen.scheme.is_none() {
        chosen.provider = files.first().and_then(|f| saved_provider(f));
    }
    let chosen = &chosen;
    // Basic auth signs nothing: the saved credentials give way to the URL's, and no secret is needed.
    let basic = config::scheme(chosen) == Scheme::Basic;
    let key = if args.as_is || basic {
        None
    } else {
        Some(config::signing_key(&args.secret, &args.private)?.ok_or_else(|| {
            hinted(
                "replay needs --secret (or --private-key) to re-sign, or --as-is to send the saved signature",
                "--as-is sends the saved bytes exactly; --secret signs them afresh (timestamped schemes need that after 5 minutes)",
            )
        })?)
    };
    let signer = config::signer_if(chosen, key.as_ref())?;
    let secret = config::secret_of(key.as_ref()).cloned();
    let resign = match basic && !args.as_is {
        true => Some(Scheme::Basic.signature_header().to_string()),
        false => signer.as_ref().map(|s| s.header().to_string()),
    };
    // Each file is read when its turn comes and dropped once sent: a directory of large
    // requests never sits in memory at once.
    let provider = config::provider_of(chosen);
    let items = files.iter().map(|f| item(provider, f, resign.as_deref()));
    let redactor = Redactor::new(&secret);
    if !args.as_is {
        warn_about(&url, true, &redactor)?;
    }
    let endpoint = Endpoint::new(EndpointConfig {
        url,
        signer,
        content_type: provider.body.content_type(),
        headers: Vec::new(),
        timeout: args.delivery.timeout,
        insecure: args.delivery.insecure,
        pool: 1,
    })?;
    deliver_all(&endpoint, items, &args.delivery, &redactor)
}

/// The provider whose signature headers a saved request carries, when they name one.
pub(super) fn saved_provider(file: &Path) -> Option<&'static Provider> {
    let saved = saved::read(file, config::IN_MEMORY_LIMIT).ok()?;
    let scheme = Scheme::detect(&Headers::from(&saved.headers))?;
    providers::of_scheme(scheme)
}

/// The saved requests named: files as given, directories' `.http` files in name (arrival) order.
pub(super) fn saved_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(path)
                .with_context(|| format!("cannot read the directory {}", path.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "http"))
                .collect();
            found.sort();
            if found.is_empty() {
                bail!(
                    "{} holds no saved requests (*.http files from `hookctl listen --save`)",
                    path.display()
                );
            }
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

/// A saved request as an item to send; `resign` names the signature header about to be replaced.
fn item(provider: &Provider, file: &Path, resign: Option<&str>) -> Result<Item> {
    // A saved request is read whole; what is too big to hold is refused as it is read.
    let saved = saved::read(file, config::IN_MEMORY_LIMIT)?;
    let value = provider.read(&saved.body);
    let event = value.as_ref().map(|v| provider.first(v));
    let mut headers = HeaderMap::new();
    for (name, value) in &saved.headers {
        let old_signature = resign.is_some_and(|renamed| {
            Scheme::is_signature_header(name.as_str())
                || name.as_str().eq_ignore_ascii_case(renamed)
        });
        if !HOP_BY_HOP.contains(&name.as_str()) && !old_signature {
            headers.append(name, value.clone());
        }
    }
    let event_id = event.and_then(|e| provider.id_of(e));
    let id = delivery_id(event_id, &saved.headers).unwrap_or_else(|| new_id("msg_"));
    Ok(Item {
        kind: event.and_then(|e| provider.type_of(e)),
        outgoing: Outgoing {
            body: Bytes::from(saved.body),
            id,
            headers,
        },
        file: Some(file.display().to_string()),
    })
}
