//! `hookctl check`: the report card of an endpoint.

use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};

use super::runtime;
use crate::check::{self, CHECKS, Plan};
use crate::cli::CheckArgs;
use crate::config;
use crate::delivery::{self, Endpoint, EndpointConfig, EndpointError};
use crate::error::Exit;
use crate::error::hinted;
use crate::output::check as show;
use crate::output::{self, junit, stream};
use crate::providers::Provider;
use crate::redact::Redactor;
use crate::signature::{Credentials, Key, Scheme, Secret, SignError, Signer};

/// Runs the selected checks and prints the card; exit 1 when any fails (or warns, with --strict).
pub fn run(args: &CheckArgs) -> Result<ExitCode> {
    let mut url = delivery::parse_url(&args.url)?;
    let provider = config::provider_of(&args.scheme);
    let scheme = config::scheme(&args.scheme);
    let (signer, secret) = match scheme {
        Scheme::Basic => basic_auth_signer(&mut url, provider)?,
        _ => key_signer(args, scheme)?,
    };
    // The card must test the event it names: one the provider does not send is refused.
    let event = match &args.event {
        Some(name) => config::event(provider, name)?,
        None => provider.default_event(),
    };
    let public_url = public_url(args)?;
    let selected = selected(args)?;
    // Opened before anything is sent: a path that cannot be written is bad input, not a verdict.
    let junit = args.junit.as_deref().map(junit_file).transpose()?;
    let endpoint = Endpoint::new(EndpointConfig {
        url,
        signer: None,
        content_type: provider.body.content_type(),
        // Every request comes through the proxy or tunnel, when there is one.
        headers: public_url
            .as_ref()
            .map(check::forwarded_headers)
            .unwrap_or_default(),
        timeout: args.timeout,
        insecure: args.insecure,
        pool: 1,
    })?
    .behind(public_url);
    // What the endpoint answers is echoed in the card: it may echo the secret back.
    let redactor = Redactor::new(&secret);
    let url = redactor.url(endpoint.url());
    let plan = Plan {
        signer,
        provider,
        event,
        selected,
        shown_url: url.clone(),
    };
    unsignable(&endpoint, &plan)?;
    if !args.json {
        writeln!(
            stream::stdout(),
            "{}",
            show::heading(&url, &plan.signer, event)
        )?;
    }
    // Each check's lines as soon as it finishes: a slow endpoint takes tens of seconds.
    let mut printed = Ok(());
    let print = |result: &check::CheckResult| {
        if args.json || printed.is_err() {
            return;
        }
        let mut out = stream::stdout().lock();
        printed = show::check_lines(result, &redactor)
            .iter()
            .try_for_each(|line| writeln!(out, "{line}"))
            .and_then(|()| out.flush());
    };
    let results = runtime()?.block_on(check::run(&endpoint, &plan, print));
    printed?;
    let passed = check::passed(&results, args.strict);
    let mut out = stream::stdout().lock();
    if args.json {
        let card = show::card_json(&url, scheme.name(), &results, passed, &redactor);
        writeln!(out, "{}", output::json_line(&card))?;
    } else {
        writeln!(out, "{}", show::tally_line(&results))?;
    }
    if let Some((mut file, path)) = junit {
        let xml = junit::report(&url, scheme.name(), &results, args.strict, &redactor);
        file.write_all(xml.as_bytes())
            .with_context(|| format!("cannot write the JUnit report to {}", path.display()))?;
    }
    Ok(Exit::verdict(passed))
}

/// Refuses, before anything is sent, a plan whose events the scheme cannot sign for this URL.
pub(crate) fn unsignable(endpoint: &Endpoint, plan: &Plan) -> Result<()> {
    match check::signable(endpoint, plan) {
        Ok(()) => Ok(()),
        Err(EndpointError::Sign(SignError::UrlNeedsBodyHash { .. })) => Err(hinted(
            format!(
                "the {} scheme signs a JSON body through a bodySHA256 in the URL, and every event sent here is a different {} body",
                plan.signer.scheme(),
                plan.provider.title
            ),
            format!(
                "check the endpoint with the provider that signs this way, e.g. --provider {}",
                crate::providers::of_scheme(plan.signer.scheme()).map_or("twilio", |p| p.name)
            ),
        )),
        Err(e) => Err(e.into()),
    }
}

/// The signer of a scheme with a secret or key pair, and the secret for output to hide.
fn key_signer(args: &CheckArgs, scheme: Scheme) -> Result<(Signer, Option<Secret>)> {
    let key = config::signing_key(&args.secret, &args.private)?;
    let key = config::required_key(key, scheme, true)?;
    let secret = config::secret_of(Some(&key)).cloned();
    Ok((config::signer(&args.scheme, scheme, &key)?, secret))
}

/// `--public-url`, checked.
fn public_url(args: &CheckArgs) -> Result<Option<reqwest::Url>> {
    let parsed = args
        .public_url
        .as_deref()
        .map(delivery::parse_url)
        .transpose();
    parsed.map_err(|e| {
        hinted(
            format!("--public-url: {e}"),
            "give the full URL the provider is configured with, e.g. https://abc.ngrok.app/sms",
        )
    })
}

/// The numbers of the checks to run, in order; none left is bad input, not a passing card.
fn selected(args: &CheckArgs) -> Result<Vec<u8>> {
    let selected: Vec<u8> = CHECKS
        .iter()
        .map(|(n, _)| *n)
        .filter(|n| args.only.is_empty() || args.only.contains(n))
        .filter(|n| !args.skip.contains(n))
        .collect();
    if selected.is_empty() {
        return Err(match args.only.is_empty() {
            true => hinted(
                "--skip leaves no check to run",
                "skip fewer checks, or pick some with --only",
            ),
            false => hinted(
                "--skip takes out every check --only picks, so there is nothing to check",
                "drop the numbers --only gives from --skip",
            ),
        });
    }
    Ok(selected)
}

/// `--junit FILE`, created (or emptied) for writing.
fn junit_file(path: &Path) -> Result<(File, &Path)> {
    let file = File::create(path).map_err(|e| {
        hinted(
            format!("cannot write the JUnit report to {}: {e}", path.display()),
            "give --junit a file in a directory that exists and that you can write to",
        )
    })?;
    Ok((file, path))
}

/// The basic auth checker for the credentials in `url`, which it takes out of the URL: each check
/// sends the right, other or no credentials itself.
/// Also the password as a [`Secret`], for output to hide.
fn basic_auth_signer(
    url: &mut reqwest::Url,
    provider: &Provider,
) -> Result<(Signer, Option<Secret>)> {
    // `--scheme basic` for a provider that signs: the scheme, not the provider, asks for them.
    let who = match provider.scheme {
        Scheme::Basic => provider.title,
        _ => "basic auth",
    };
    let credentials = Credentials::of_url(url).ok_or_else(|| {
        hinted(
            format!("{who} authenticates with the user name and password of the webhook URL, and this URL has none"),
            "give the URL as the provider has it: https://user:pass@host/…",
        )
    })?;
    // Only URLs that cannot carry credentials refuse these, and this one carries some.
    let _ = url.set_username("");
    let _ = url.set_password(None);
    let hidden = super::verify::hidden_password(Some(&credentials));
    let signer = Signer::with_key(Scheme::Basic, &Key::Basic(credentials), None)?;
    Ok((signer, hidden))
}
