//! `hookctl scenario`: list and show the built-in lifecycles, and run one (or a file) against an
//! endpoint, in any order, with duplicates, as at-least-once delivery does.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use bytes::Bytes;
use http::HeaderMap;

use super::runtime;
use super::send::{Item, endpoint_error, retry_policy, signed_request, warn_before_sending};
use crate::cli::{OrderArg, ScenarioCommand, ScenarioListArgs, ScenarioRunArgs, ScenarioShowArgs};
use crate::config;
use crate::delivery::{self, Attempt, Delivery, Endpoint, EndpointConfig, Outgoing, RetryPolicy};
use crate::error::{Exit, hinted};
use crate::output::{self, delivery as show, scenario as view, stream};
use crate::providers::{self, Provider};
use crate::redact::Redactor;
use crate::scenario::{self, Dispatch, Order, Planned, Problem, Scenario, ScenarioError, builtin};

/// Largest scenario file read.
const FILE_LIMIT: u64 = 4 * 1024 * 1024;

/// Runs `hookctl scenario list|show|run`.
pub fn run(command: &ScenarioCommand) -> Result<ExitCode> {
    match command {
        ScenarioCommand::List(args) => list(args),
        ScenarioCommand::Show(args) => show(args),
        ScenarioCommand::Run(args) => run_scenario(args),
        ScenarioCommand::From(args) => super::scenario_from::run(args),
    }
}

fn list(args: &ScenarioListArgs) -> Result<ExitCode> {
    // Without --provider: every provider that has built-ins, each under its name.
    let names: Vec<&str> = match args.provider {
        Some(p) => vec![p.name],
        None => providers::ALL.iter().map(|p| p.name).collect(),
    };
    let scenarios: Vec<(&builtin::Builtin, Scenario)> = names
        .iter()
        .flat_map(|name| builtin::of(name))
        .map(|b| (b, b.scenario()))
        .collect();
    let listed: Vec<view::Listed> = scenarios
        .iter()
        .map(|(b, s)| view::Listed {
            provider: b.provider,
            name: b.name,
            description: s.description.as_deref().unwrap_or_default(),
            steps: s.step_names(),
        })
        .collect();
    let mut out = stream::stdout().lock();
    if args.json {
        let doc = view::list_json(&listed);
        writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
        return Ok(Exit::Success.into());
    }
    let lines = match (listed.is_empty(), args.provider) {
        (true, Some(p)) => vec![view::none_line(p.title)],
        (_, chosen) => view::list_lines(&listed, chosen.is_none()),
    };
    for line in lines {
        writeln!(out, "{line}")?;
    }
    Ok(Exit::Success.into())
}

fn show(args: &ScenarioShowArgs) -> Result<ExitCode> {
    let provider = config::provider(args.provider, None);
    let builtin = find_builtin(provider, &args.name)?;
    write!(stream::stdout().lock(), "{}", builtin.text)?;
    Ok(Exit::Success.into())
}

/// The built-in `name` of `provider`, or an error listing the ones it has.
fn find_builtin(provider: &Provider, name: &str) -> Result<&'static builtin::Builtin> {
    builtin::find(provider.name, name).ok_or_else(|| {
        let names: Vec<&str> = builtin::of(provider.name).map(|b| b.name).collect();
        let known = match names.is_empty() {
            true => format!("{} has none yet", provider.title),
            false => format!("{}'s are {}", provider.title, names.join(", ")),
        };
        hinted(
            format!(
                "no built-in scenario is named \"{name}\" for {}",
                provider.name
            ),
            format!("{known}; or give a scenario file (a path, or a name ending in .toml)"),
        )
    })
}

/// The scenario a run names: a file (an existing path, or one ending in .toml), else a built-in.
fn load(args: &ScenarioRunArgs) -> Result<Scenario> {
    let arg = &args.scenario;
    let path = Path::new(arg);
    if path.exists() || arg.ends_with(".toml") {
        let file = std::fs::File::open(path)
            .with_context(|| format!("cannot read the scenario file {arg}"))?;
        let bytes = crate::bounded::read_all(file, FILE_LIMIT)
            .with_context(|| format!("cannot read the scenario file {arg}"))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| anyhow::anyhow!("the scenario file {arg} is not UTF-8 text"))?;
        return scenario::parse(&text, arg).map_err(scenario_error);
    }
    let provider = config::provider(args.scheme.provider, args.scheme.scheme);
    Ok(find_builtin(provider, arg)?.scenario())
}

/// A scenario's error, with the command line's fix where one helps.
fn scenario_error(error: ScenarioError) -> anyhow::Error {
    let hint = match error.problem.as_ref() {
        Problem::ProviderMismatch { file, .. } => format!(
            "drop --provider (the file is for {file}), or remove `provider =` from the file"
        ),
        Problem::UnknownEvent { provider, .. } => {
            format!("`hookctl events --provider {provider}` lists the events")
        }
        _ => return error.into(),
    };
    hinted(error.to_string(), hint)
}

/// What a run needs besides the endpoint: the plan and the disorder asked for.
struct Run {
    planned: Vec<Planned>,
    order: Order,
    seed: Option<u64>,
    dispatches: Vec<Dispatch>,
    gap: Duration,
}

impl Run {
    /// `(step name, copy)` in sending order, for the report.
    fn sequence(&self) -> Vec<(String, u32)> {
        self.dispatches
            .iter()
            .map(|d| (self.planned[d.step].name.clone(), d.copy))
            .collect()
    }
}

fn run_scenario(args: &ScenarioRunArgs) -> Result<ExitCode> {
    let order = order_of(args)?;
    let url = delivery::parse_url(&args.url)?;
    let scenario = load(args)?;
    let provider = scenario
        .provider(args.scheme.provider)
        .map_err(scenario_error)?;
    let env = |name: &str| std::env::var(name).ok();
    let planned = scenario
        .plan(provider, jiff::Timestamp::now(), &env)
        .map_err(scenario_error)?;
    let mut chosen = args.scheme.clone();
    chosen.provider = Some(provider);
    let key = config::signing_key(&args.secret, &args.private)?;
    let secret = config::secret_of(key.as_ref()).cloned();
    let redactor = Redactor::new(&secret);
    let file = args.headers_file.as_deref();
    let endpoint = Endpoint::new(EndpointConfig {
        url,
        signer: config::signer_if(&chosen, key.as_ref())?,
        content_type: provider.body.content_type(),
        headers: config::header_lines(&args.headers, file, &redactor)?,
        timeout: args.delivery.timeout,
        insecure: args.delivery.insecure,
        pool: planned.len() * (1 + args.duplicate as usize),
    })
    .map_err(|e| endpoint_error(e, &redactor))?;
    // Every request is signed once before anything is sent: an id no header can carry stops here.
    for p in &planned {
        signed_request(&endpoint, &item(p))?;
    }
    warn_before_sending(&endpoint, &chosen, key.is_some(), &redactor)?;
    // A picked seed fits in 32 bits: short to retype, and exact in a JSON reader's doubles.
    let seed = (order == Order::Shuffle).then(|| {
        args.seed
            .unwrap_or_else(|| u64::from(rand::random::<u32>()))
    });
    let dispatches = scenario::order::deliveries(
        planned.len(),
        order,
        seed.unwrap_or_default(),
        args.duplicate,
    );
    let run = Run {
        planned,
        order,
        seed,
        dispatches,
        gap: args.gap.unwrap_or_default(),
    };
    if args.dry_run {
        return dry_run(&endpoint, &run, &redactor);
    }
    deliver(endpoint, &run, args, &redactor)
}

/// The order asked for, with the flags that only fit some orders checked.
fn order_of(args: &ScenarioRunArgs) -> Result<Order> {
    let order = match args.order {
        OrderArg::AsWritten => Order::AsWritten,
        OrderArg::Reverse => Order::Reverse,
        OrderArg::Shuffle => Order::Shuffle,
        OrderArg::Concurrent => Order::Concurrent,
    };
    if args.seed.is_some() && order != Order::Shuffle {
        return Err(hinted(
            format!("--seed picks a shuffle, and the order is {order}"),
            "add --order shuffle, or drop --seed",
        ));
    }
    if args.gap.is_some() && order == Order::Concurrent {
        return Err(hinted(
            "--gap waits between deliveries, and --order concurrent sends them all at once",
            "drop --gap, or pick another --order",
        ));
    }
    Ok(order)
}

/// A planned step as an item to send: its exact bytes under its event id.
fn item(planned: &Planned) -> Item {
    Item {
        kind: planned.event.clone(),
        outgoing: Outgoing {
            body: Bytes::from(planned.body.clone()),
            id: planned.id.clone(),
            headers: HeaderMap::new(),
        },
        file: None,
    }
}

fn dry_run(endpoint: &Endpoint, run: &Run, redactor: &Redactor) -> Result<ExitCode> {
    let mut out = stream::stdout().lock();
    writeln!(
        out,
        "{}",
        view::order_line(run.order, run.seed, &run.sequence())
    )?;
    for dispatch in &run.dispatches {
        let (headers, body) = signed_request(endpoint, &item(&run.planned[dispatch.step]))?;
        let url = redactor.url(endpoint.url());
        writeln!(
            out,
            "\n{}",
            show::dry_run(&url, &headers, &body, None, redactor)
        )?;
    }
    Ok(Exit::Success.into())
}

/// Sends every dispatch in the run's order (all at once when concurrent), reporting each as it
/// ends, then the tally; exit 0 only when every delivery ended 2xx.
fn deliver(
    endpoint: Endpoint,
    run: &Run,
    args: &ScenarioRunArgs,
    redactor: &Redactor,
) -> Result<ExitCode> {
    let json = args.delivery.json;
    let sequence = run.sequence();
    if !json {
        let line = view::order_line(run.order, run.seed, &sequence);
        writeln!(stream::stdout(), "{line}")?;
    }
    let policy = retry_policy(&args.delivery);
    let endpoint = Arc::new(endpoint);
    let rt = runtime()?;
    let mut ok = 0;
    let report = |d: Dispatch, delivery: &Delivery, notes: &[Attempt]| -> Result<bool> {
        report_one(
            &run.planned[d.step],
            d.copy,
            delivery,
            notes,
            args,
            &endpoint,
            redactor,
        )
    };
    rt.block_on(async {
        if run.order == Order::Concurrent {
            let mut tasks = tokio::task::JoinSet::new();
            for &d in &run.dispatches {
                let (endpoint, outgoing) = (endpoint.clone(), item(&run.planned[d.step]).outgoing);
                let (delay, verbose) = (run.planned[d.step].delay, args.delivery.verbose);
                tasks.spawn(async move {
                    tokio::time::sleep(delay).await;
                    let (delivery, notes) = send(&endpoint, &outgoing, &policy, verbose).await;
                    (d, delivery, notes)
                });
            }
            while let Some(done) = tasks.join_next().await {
                let (d, delivery, notes) = done?;
                ok += usize::from(report(d, &delivery, &notes)?);
            }
        } else {
            for (i, &d) in run.dispatches.iter().enumerate() {
                let gap = if i > 0 { run.gap } else { Duration::ZERO };
                tokio::time::sleep(run.planned[d.step].delay.saturating_add(gap)).await;
                let outgoing = item(&run.planned[d.step]).outgoing;
                let verbose = args.delivery.verbose;
                let (delivery, notes) = send(&endpoint, &outgoing, &policy, verbose).await;
                ok += usize::from(report(d, &delivery, &notes)?);
            }
        }
        anyhow::Ok(())
    })?;
    let mut out = stream::stdout().lock();
    if json {
        let doc = view::summary_json(run.order, run.seed, &sequence, ok);
        writeln!(out, "{}", output::json_line(&doc))?;
    } else {
        writeln!(out, "{}", view::tally_line(ok, sequence.len()))?;
    }
    Ok(Exit::verdict(ok == sequence.len()))
}

/// One delivery with retries; the request headers (verbose) and attempt lines to show with it.
async fn send(
    endpoint: &Endpoint,
    outgoing: &Outgoing,
    policy: &RetryPolicy,
    verbose: bool,
) -> (Delivery, Vec<Attempt>) {
    let mut attempts = Vec::new();
    let mut on_attempt = |a: &Attempt| {
        if verbose || policy.retries > 0 {
            attempts.push(a.clone());
        }
    };
    let delivery = endpoint
        .deliver(None, outgoing, policy, &mut on_attempt)
        .await;
    (delivery, attempts)
}

/// Prints one delivery (text, or one JSON object); `true` when it ended 2xx.
fn report_one(
    planned: &Planned,
    copy: u32,
    delivery: &Delivery,
    attempts: &[Attempt],
    args: &ScenarioRunArgs,
    endpoint: &Endpoint,
    redactor: &Redactor,
) -> Result<bool> {
    let url = redactor.url(endpoint.url());
    let kind = planned.event.as_deref();
    let mut out = stream::stdout().lock();
    if args.delivery.json {
        let mut doc = view::delivery_json(&planned.name, copy, kind, &planned.id, &url, delivery);
        redactor.json(&mut doc);
        writeln!(out, "{}", output::json_line(&doc))?;
        return Ok(delivery.is_success());
    }
    let kind = kind.unwrap_or("(body)");
    writeln!(
        out,
        "{}",
        view::heading(&planned.name, copy, kind, &planned.id, &url)
    )?;
    for a in attempts {
        if args.delivery.verbose && a.number == 1 {
            for line in show::header_lines('>', &a.request_headers, redactor) {
                writeln!(out, "  {line}")?;
            }
        }
        if args.delivery.retries > 0 {
            writeln!(out, "  {}", redactor.text(&show::attempt_line(a)))?;
        }
    }
    for line in view::verdict_lines(delivery, args.delivery.verbose, redactor) {
        writeln!(out, "  {line}")?;
    }
    Ok(delivery.is_success())
}
