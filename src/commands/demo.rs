//! `hookctl demo`: the whole tool in one command, with nothing to configure and nothing left
//! running: a local listener with a fresh secret, every event sent to it signed, then `check`.

use std::io::{self, Write};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Result;
use base64::Engine;
use bytes::Bytes;
use colored::Colorize;
use tokio_util::sync::CancellationToken;

use super::check::{heading, passed};
use super::listen::Printer;
use super::{build_event, runtime};
use crate::catalog::{EventType, new_id};
use crate::check::{self, CHECKS, Plan};
use crate::cli::{DemoArgs, SetArgs};
use crate::config;
use crate::delivery::{Endpoint, EndpointConfig, Outgoing};
use crate::error::Exit;
use crate::listener::{self, Config, Reply};
use crate::output::check as card;
use crate::output::listen::Detail;
use crate::output::palette;
use crate::signature::{Scheme, Secret, Signer};

/// Runs the demo; exit 0 when every event verified and every check passed.
pub fn run(args: &DemoArgs) -> Result<ExitCode> {
    let scheme = config::scheme_or_default(args.scheme);
    let secret = fresh_secret(scheme);
    let signer = Signer::new(scheme, &secret, None)?;
    let types: Vec<EventType> = EventType::ALL
        .into_iter()
        .filter(|t| {
            config::envelope(scheme) != crate::catalog::Envelope::Keplars
                || t.name().starts_with("email.")
        })
        .collect();

    let rt = runtime()?;
    let (verified, card_passed) = rt.block_on(async {
        let socket = listener::bind("127.0.0.1", 0).await?;
        let url = format!("http://{}/webhook", socket.local_addr()?);
        let mut out = io::stdout().lock();
        writeln!(out, "{}", "hookctl demo".bold())?;
        writeln!(
            out,
            "A listener on {url} verifies {scheme} signatures ({}) with a fresh random secret",
            signer.header()
        )?;
        writeln!(
            out,
            "and answers 401 to a bad one, as the provider's sample handler does.\n"
        )?;
        writeln!(
            out,
            "{}",
            format!("1. Sending all {} event types, signed", types.len()).bold()
        )?;
        drop(out);

        let stop = CancellationToken::new();
        let done = Arc::new(AtomicBool::new(false));
        let quiet = Arc::new(AtomicBool::new(false));
        let printer = Printer {
            json: false,
            detail: Detail {
                compact: true,
                verbose: false,
            },
            max_events: None,
            stop: stop.clone(),
            done: done.clone(),
            quiet: quiet.clone(),
            handled: Arc::default(),
        };
        let handled = printer.handled.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        let printer = printer.spawn(rx);
        let config = Config {
            signer: Some(signer.clone()),
            reply: Reply {
                reject_invalid: true,
                ..Reply::default()
            },
            ..Config::default()
        };
        let server = tokio::spawn(listener::serve(
            socket,
            config,
            tx,
            stop.clone(),
            Duration::from_secs(1),
        ));

        let endpoint = |signer: Option<Signer>| {
            Endpoint::new(EndpointConfig {
                url: crate::delivery::parse_url(&url).expect("a loopback URL"),
                signer,
                headers: Vec::new(),
                timeout: Duration::from_secs(5),
                insecure: false,
                pool: 1,
            })
        };
        let sender = endpoint(Some(signer.clone()))?;
        let mut verified = 0;
        for kind in &types {
            let value = build_event(*kind, scheme, &SetArgs { set: Vec::new() })?;
            let id = value["id"]
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| new_id("msg_"));
            let outgoing = Outgoing {
                body: Bytes::from(crate::json::compact(&value)),
                id,
                ..Outgoing::default()
            };
            let (_, outcome, _) = sender.attempt(None, &outgoing).await;
            // The listener answers 401 to anything that does not verify: 200 means verified.
            verified += usize::from(outcome.status() == Some(200));
        }
        // Let the display catch up before the card is printed under it.
        let deadline = Instant::now() + Duration::from_secs(2);
        while (handled.load(Ordering::Acquire) as usize) < types.len() && Instant::now() < deadline
        {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        quiet.store(true, Ordering::Release);

        let checker = endpoint(None)?;
        let mut out = io::stdout().lock();
        writeln!(out, "  {}\n", summary(verified, types.len()))?;
        writeln!(
            out,
            "{}",
            "2. Checking the listener as a provider would".bold()
        )?;
        writeln!(
            out,
            "{}",
            heading(&checker, &signer, EventType::EmailDelivered)
        )?;
        drop(out);
        let plan = Plan {
            signer: signer.clone(),
            event: EventType::EmailDelivered,
            envelope: config::envelope(scheme),
            selected: CHECKS.iter().map(|(n, _)| *n).collect(),
        };
        let results = check::run(&checker, &plan).await;
        let mut out = io::stdout().lock();
        for line in card::card_lines(&results) {
            writeln!(out, "{line}")?;
        }
        drop(out);

        stop.cancel();
        let _ = server.await;
        done.store(true, Ordering::Release);
        printer
            .join()
            .map_err(|_| anyhow::anyhow!("the display thread panicked"))??;
        Ok::<_, anyhow::Error>((verified == types.len(), passed(&results, false)))
    })?;

    let scheme_flag = if scheme == Scheme::Ekdsend {
        String::new()
    } else {
        format!(" --scheme {scheme}")
    };
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "\n{}",
        "What next: the same against your own endpoint".bold()
    )?;
    writeln!(
        out,
        "  hookctl send email.delivered --url https://your.app/webhooks --secret-file .secret{scheme_flag}"
    )?;
    writeln!(
        out,
        "  hookctl check --url https://your.app/webhooks --secret-file .secret{scheme_flag}"
    )?;
    writeln!(
        out,
        "  hookctl listen --port 8080 --secret-file .secret{scheme_flag}      (then point the provider at it)"
    )?;
    Ok(if verified && card_passed {
        Exit::Success
    } else {
        Exit::Negative
    }
    .into())
}

fn summary(verified: usize, total: usize) -> String {
    let text = format!("{verified} of {total} events verified and answered 200");
    if verified == total {
        palette::pass(&text).to_string()
    } else {
        palette::fail(&text).to_string()
    }
}

/// A random secret in the form the scheme's provider issues.
fn fresh_secret(scheme: Scheme) -> Secret {
    let bytes: [u8; 24] = rand::random();
    let text = match scheme {
        Scheme::Standard => format!(
            "whsec_{}",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        ),
        Scheme::Stripe => format!("whsec_{}", hex::encode(bytes)),
        _ => hex::encode(bytes),
    };
    Secret::new(text).expect("not empty")
}
