//! `hookctl demo`: the whole tool in one command, with nothing to configure and nothing left
//! running: a local listener with a fresh secret, every event sent to it signed, then `check`.

use std::io::Write;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Result;

use super::listen::Printer;
use super::runtime;
use crate::check::{self, CHECKS, Plan, passed};
use crate::cli::DemoArgs;
use crate::config;
use crate::delivery::{Endpoint, EndpointConfig, Outgoing};
use crate::error::Exit;
use crate::listener::{self, Config, Reply, Stops};
use crate::output::check as card;
use crate::output::listen::Detail;
use crate::output::{palette, stream};
use crate::redact::Redactor;
use crate::signature::{Credentials, Key, PrivateKey, Scheme, Secret, Signer};

/// Runs the demo; exit 0 when every event verified and every check passed.
pub fn run(args: &DemoArgs) -> Result<ExitCode> {
    let provider = config::provider(args.provider, args.scheme);
    let scheme = config::scheme_of(provider, args.scheme);
    // A throwaway key of the kind the scheme signs with: a pair for the public-key schemes.
    let key = match (scheme, scheme.key_pair()) {
        (Scheme::Basic, _) => Key::Basic(Credentials::random()),
        (_, Some(algorithm)) => Key::Private(PrivateKey::generate(algorithm)),
        _ => Key::Secret(Secret::random(scheme)),
    };
    let signer = Signer::with_key(scheme, &key, None)?;
    let now = jiff::Timestamp::now();
    // One of each type the provider sends.
    let events: Vec<Outgoing> = provider
        .events
        .iter()
        .map(|e| {
            let event = provider.sample(e, now).value;
            let id = provider.id_of(provider.first(&event));
            Outgoing::new(provider.encode(&event).into(), id)
        })
        .collect();

    let rt = runtime()?;
    let (verified, card_passed) = rt.block_on(async {
        let socket = listener::bind("127.0.0.1", 0).await?;
        let url = format!("http://{}/webhook", socket.local_addr()?);
        let endpoint = |signer: Option<Signer>| {
            Endpoint::new(EndpointConfig {
                url: crate::delivery::parse_url(&url).expect("a loopback URL"),
                signer,
                content_type: provider.body.content_type(),
                headers: Vec::new(),
                timeout: Duration::from_secs(5),
                insecure: false,
                pool: 1,
            })
        };
        let checker = endpoint(None)?;
        let plan = Plan {
            signer: signer.clone(),
            provider,
            event: provider.default_event(),
            selected: CHECKS.iter().map(|(n, _)| *n).collect(),
            shown_url: checker.url().to_string(),
        };
        // Before anything is printed: a scheme that cannot sign the provider's events as sent.
        super::check::unsignable(&checker, &plan)?;
        let mut out = stream::stdout().lock();
        writeln!(out, "{}", palette::title("hookctl demo"))?;
        match scheme {
            Scheme::Basic => writeln!(
                out,
                "A listener on {url} checks basic auth credentials ({}), fresh random ones,",
                signer.header()
            )?,
            _ => writeln!(
                out,
                "A listener on {url} verifies {scheme} signatures ({}) with a fresh random {}",
                signer.header(),
                if signer.key_pair().is_some() {
                    "key pair"
                } else {
                    "secret"
                }
            )?,
        }
        writeln!(
            out,
            "and answers 401 to a bad one, as the provider's sample handler does.\n"
        )?;
        let sending = format!("1. Sending all {} event types, signed", events.len());
        writeln!(out, "{}", palette::title(&sending))?;
        drop(out);

        let stops = Stops {
            grace: Duration::from_secs(1),
            ..Stops::default()
        };
        let (recorder, records) = listener::recorder(Config::default().max_body);
        let printing = Printer {
            redactor: Some(crate::redact::Redactor::default()),
            json: false,
            detail: Detail {
                compact: true,
                verbose: false,
            },
            max_events: None,
            stop: stops.stop.clone(),
        }
        .spawn(records);
        let config = Config {
            provider,
            signer: Some(signer.clone()),
            reply: Reply {
                reject_invalid: true,
                ..Reply::default()
            },
            ..Config::default()
        };
        let server = tokio::spawn(listener::serve(socket, config, recorder, stops.clone()));

        let sender = endpoint(Some(signer.clone()))?;
        let mut verified = 0;
        for outgoing in &events {
            let (_, outcome, _) = sender.attempt(None, outgoing).await;
            // The listener answers 401 to anything that does not verify: 200 means verified.
            verified += usize::from(outcome.status() == Some(200));
        }
        // Let the display catch up before the card is printed under it.
        let deadline = Instant::now() + Duration::from_secs(2);
        while printing.handled() < events.len() as u64 && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        printing.quiet();

        let mut out = stream::stdout().lock();
        writeln!(out, "  {}\n", summary(verified, events.len()))?;
        writeln!(
            out,
            "{}",
            palette::title("2. Checking the listener as a provider would")
        )?;
        writeln!(
            out,
            "{}",
            card::heading(checker.url().as_str(), &signer, provider.default_event())
        )?;
        drop(out);
        let hide_nothing = Redactor::new(None);
        let results = check::run(&checker, &plan, |result| {
            let mut out = stream::stdout().lock();
            for line in card::check_lines(result, &hide_nothing) {
                let _ = writeln!(out, "{line}");
            }
            let _ = out.flush();
        })
        .await;
        writeln!(stream::stdout(), "{}", card::tally_line(&results))?;

        stops.stop.cancel();
        let _ = server.await;
        printing.finish(Duration::from_secs(2), &stops.force);
        Ok::<_, anyhow::Error>((verified == events.len(), passed(&results, false)))
    })?;

    let scheme_flag = match (args.provider, args.scheme) {
        (Some(p), Some(_)) if p.scheme != scheme => {
            format!(" --provider {} --scheme {scheme}", p.name)
        }
        (Some(p), _) => format!(" --provider {}", p.name),
        (None, Some(_)) if scheme != Scheme::Ekdsend => format!(" --scheme {scheme}"),
        (None, _) => String::new(),
    };
    // A URL-signed provider signs the URL it is configured with: behind a tunnel, the public one.
    let public = match scheme.signs_url() {
        true => " --public-url https://your-tunnel.example",
        false => "",
    };
    let mut out = stream::stdout().lock();
    writeln!(
        out,
        "\n{}",
        palette::title("What next: the same against your own endpoint")
    )?;
    // Basic auth's credentials travel in the URL; every other scheme's key in a file.
    let (target, listen_key) = match scheme {
        Scheme::Basic => (
            "--url https://user:pass@your.app/webhooks",
            "--basic-auth user:pass",
        ),
        _ if scheme.key_pair().is_some() => {
            writeln!(
                out,
                "  hookctl keygen --provider {} --out key.pem      (prints the public key your receiver holds)",
                provider.name
            )?;
            (
                "--url https://your.app/webhooks --private-key key.pem",
                "--public-key <PUBLIC KEY>",
            )
        }
        _ => (
            "--url https://your.app/webhooks --secret-file .secret",
            "--secret-file .secret",
        ),
    };
    let event = provider.default_event();
    writeln!(out, "  hookctl send {event} {target}{scheme_flag}")?;
    writeln!(out, "  hookctl check {target}{scheme_flag}")?;
    writeln!(
        out,
        "  hookctl listen --port 8080 {listen_key}{scheme_flag}{public}      (then point the provider at it)"
    )?;
    Ok(Exit::verdict(verified && card_passed))
}

fn summary(verified: usize, total: usize) -> String {
    let text = format!("{verified} of {total} events verified and answered 200");
    if verified == total {
        palette::pass(&text).to_string()
    } else {
        palette::fail(&text).to_string()
    }
}
