//! Every command-line type, and nothing else.

use std::path::PathBuf;
use std::time::Duration;

use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};
use clap_complete::Shell;

use crate::patch::Assignment;

/// Test webhook endpoints from the terminal: sign, send, verify and receive signed events.
#[derive(Debug, Parser)]
#[command(name = "hookctl", version, max_term_width = 100)]
#[command(after_help = "Examples:
  hookctl events                                   list the event types
  hookctl sample email.bounced --set data.bounce_type=soft
  hookctl sign --secret s3cr3t --payload body.json
  hookctl verify --secret s3cr3t --payload body.json -H 'X-EKDSend-Signature: sha256=…'")]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,

    /// When to colour the output.
    #[arg(
        long,
        value_enum,
        global = true,
        default_value_t = ColorChoice::Auto,
        value_name = "WHEN",
        help_heading = "Global options"
    )]
    pub color: ColorChoice,
}

/// The subcommands: the single dispatch point.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the event types providers send, with their descriptions.
    Events(EventsArgs),
    /// Print a realistic sample event of a type.
    Sample(SampleArgs),
    /// Print the signature header(s) for a payload, ready for `curl -H`.
    Sign(SignArgs),
    /// Check a signature against a payload, and explain a mismatch.
    Verify(VerifyArgs),
    /// Sign and POST sample events to an endpoint, as the provider's "Test Endpoint" button does.
    Send(SendArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and NO_COLOR is not set.
    Auto,
    /// Always colour, even into a pipe.
    Always,
    /// Never colour.
    Never,
}

/// A signature scheme on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemeArg {
    /// EKDSend: `X-EKDSend-Signature: sha256=<hex>` (the default).
    Ekdsend,
    /// Keplars: bare hex in `X-Keplars-Signature`; Keplars-shaped email events.
    Keplars,
    /// GitHub: `X-Hub-Signature-256: sha256=<hex>`.
    Github,
    /// Standard Webhooks: webhook-id, webhook-timestamp, `webhook-signature: v1,<base64>`.
    Standard,
    /// Stripe: `Stripe-Signature: t=<unix>,v1=<hex>`.
    Stripe,
}

/// Where the signing secret comes from.
#[derive(Debug, Clone, Args)]
pub struct SecretArgs {
    /// Signing secret [env: HOOKCTL_SECRET]. Prefer --secret-file or the variable: arguments show in `ps`.
    #[arg(long, value_name = "SECRET")]
    pub secret: Option<String>,

    /// Read the secret from a file (one trailing newline is ignored).
    #[arg(long, value_name = "PATH", conflicts_with = "secret")]
    pub secret_file: Option<PathBuf>,
}

/// Which scheme signs, and under which header name.
#[derive(Debug, Clone, Args)]
pub struct SchemeArgs {
    /// Signature scheme [default: ekdsend].
    #[arg(long, value_enum, value_name = "SCHEME")]
    pub scheme: Option<SchemeArg>,

    /// Rename the signature header (schemes with one header).
    #[arg(long, value_name = "NAME")]
    pub header: Option<String>,
}

/// Field overrides for built events.
#[derive(Debug, Clone, Args)]
pub struct SetArgs {
    /// Override or add a field by dot path; VALUE is JSON if it parses, else a string. Repeatable.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<Assignment>,
}

/// `hookctl events`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  hookctl events
  hookctl events --json | jq -r '.[].type'")]
pub struct EventsArgs {
    /// Print a JSON array of {\"type\",\"description\"}.
    #[arg(long)]
    pub json: bool,
}

/// `hookctl sample`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  hookctl sample email.delivered
  hookctl sample email.bounced --set data.bounce_type=soft --compact
  hookctl sample email.opened --scheme keplars")]
pub struct SampleArgs {
    /// Event type, such as email.delivered (see `hookctl events`).
    #[arg(value_name = "TYPE")]
    pub event: String,

    #[command(flatten)]
    pub set: SetArgs,

    /// Shape the event as this scheme's provider does (keplars uses its own envelope).
    #[arg(long, value_enum, value_name = "SCHEME")]
    pub scheme: Option<SchemeArg>,

    /// One compact line, exactly the bytes hookctl would send (the default when piped).
    #[arg(long)]
    pub compact: bool,
}

/// `hookctl sign`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  hookctl sign --secret s3cr3t --payload body.json
  curl -X POST http://127.0.0.1:8080/ -H \"$(hookctl sign --secret-file .secret --payload body.json)\" --data-binary @body.json
  hookctl sign --scheme standard --secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw --payload body.json")]
pub struct SignArgs {
    /// Event type to sign a fresh sample of, when no --payload is given [default: email.delivered].
    #[arg(value_name = "TYPE", conflicts_with = "payload")]
    pub event: Option<String>,

    #[command(flatten)]
    pub secret: SecretArgs,

    #[command(flatten)]
    pub scheme: SchemeArgs,

    /// The exact bytes to sign: a file, or - for standard input.
    #[arg(long, value_name = "FILE|-")]
    pub payload: Option<String>,

    #[command(flatten)]
    pub set: SetArgs,

    /// Unix time to sign with (standard, stripe) [default: now].
    #[arg(long, value_name = "UNIX")]
    pub timestamp: Option<i64>,

    /// Message id to sign with (standard) [default: the payload's "id", else a fresh msg_ id].
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,

    /// Print {"headers":{…},"body_sha256":…} (plus "body" for a sample).
    #[arg(long)]
    pub json: bool,
}

/// `hookctl verify`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("given").required(true).args(["signature", "headers"])))]
#[command(after_help = "Examples:
  hookctl verify --secret s3cr3t --payload body.json --signature sha256=5d41…
  hookctl verify --secret-file .secret --payload body.json -H 'X-EKDSend-Signature: sha256=5d41…'
  hookctl verify --scheme standard --secret whsec_… --payload body.json \\
      -H 'webhook-id: msg_1' -H 'webhook-timestamp: 1700000000' -H 'webhook-signature: v1,…'")]
pub struct VerifyArgs {
    #[command(flatten)]
    pub secret: SecretArgs,

    #[command(flatten)]
    pub scheme: SchemeArgs,

    /// The exact bytes received: a file, or - for standard input.
    #[arg(long, value_name = "FILE|-")]
    pub payload: String,

    /// The signature header's value.
    #[arg(long, value_name = "VALUE")]
    pub signature: Option<String>,

    /// A received header, `Name: value`, as a listener shows it. Repeatable; picks the scheme if --scheme is not given.
    #[arg(short = 'H', value_name = "NAME: VALUE")]
    pub headers: Vec<String>,

    /// Unix time of the signature, with --signature for standard.
    #[arg(long, value_name = "UNIX")]
    pub timestamp: Option<i64>,

    /// Message id, with --signature for standard.
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,

    /// How far a signed timestamp may be from now, or `off` [default: 5m].
    #[arg(long, value_name = "DURATION|off", value_parser = parse_tolerance)]
    pub tolerance: Option<Tolerance>,

    /// Print {"valid","scheme","reason","hint"}.
    #[arg(long)]
    pub json: bool,
}

/// `hookctl send`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  hookctl send email.delivered --url http://127.0.0.1:8080/webhook --secret s3cr3t
  hookctl send --all --url http://127.0.0.1:8080/webhook --secret-file .secret
  hookctl send email.bounced --set data.bounce_type=soft --url http://127.0.0.1:8080/webhook --retries 5
  hookctl send --payload body.json --url http://127.0.0.1:8080/webhook --dry-run
  hookctl send email.delivered sms.sent --count 10000 --concurrency 32 --url http://127.0.0.1:8080/webhook")]
pub struct SendArgs {
    /// Event types to send, one after another [default: email.delivered].
    #[arg(value_name = "TYPE")]
    pub events: Vec<String>,

    /// Send every event type of the catalog.
    #[arg(long, conflicts_with = "events")]
    pub all: bool,

    /// The endpoint to POST to.
    #[arg(long, value_name = "URL")]
    pub url: String,

    #[command(flatten)]
    pub secret: SecretArgs,

    #[command(flatten)]
    pub scheme: SchemeArgs,

    #[command(flatten)]
    pub set: SetArgs,

    /// Send this file's bytes verbatim instead of a sample (- for standard input).
    #[arg(long, value_name = "FILE|-", conflicts_with_all = ["events", "all", "set", "count"])]
    pub payload: Option<String>,

    /// An extra request header, `Name: value`. Repeatable.
    #[arg(short = 'H', value_name = "NAME: VALUE")]
    pub headers: Vec<String>,

    /// Budget for each attempt, answer included (the providers' is 5 s).
    #[arg(long, value_name = "DURATION", default_value = "5s", value_parser = parse_duration)]
    pub timeout: Duration,

    /// Retries after a failed attempt (connection errors, timeouts, 5xx, 408, 429); 5 rehearses production.
    #[arg(long, value_name = "N", default_value_t = 0, value_parser = clap::value_parser!(u32).range(0..=50))]
    pub retries: u32,

    /// First backoff ceiling; it doubles each retry, with full jitter.
    #[arg(long, value_name = "DURATION", default_value = "1s", value_parser = parse_duration)]
    pub backoff: Duration,

    /// Longest wait between attempts, Retry-After included.
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = parse_duration)]
    pub max_backoff: Duration,

    /// Print the exact request and a ready-to-paste curl command; send nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// One JSON object per delivery (or one summary with --count) on stdout.
    #[arg(long)]
    pub json: bool,

    /// Show request and response headers and the whole response body.
    #[arg(short, long)]
    pub verbose: bool,

    /// Accept self-signed and otherwise invalid TLS certificates.
    #[arg(long)]
    pub insecure: bool,

    /// Bulk mode: send N events (round-robin over the types), each with a unique id.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub count: Option<u64>,

    /// Bulk mode: deliveries in flight at once.
    #[arg(long, value_name = "C", default_value_t = 8, value_parser = clap::value_parser!(u64).range(1..=10_000))]
    pub concurrency: u64,

    /// Bulk mode: deliveries started per second at most.
    #[arg(long, value_name = "PER_SECOND")]
    pub rate: Option<f64>,
}

/// A timestamp tolerance: a duration, or none at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tolerance {
    /// Accept timestamps this far from now.
    Within(Duration),
    /// Accept any age.
    Off,
}

/// `hookctl completions`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  hookctl completions bash > ~/.local/share/bash-completion/completions/hookctl
  hookctl completions zsh > \"${fpath[1]}/_hookctl\"
  hookctl completions fish > ~/.config/fish/completions/hookctl.fish")]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Parses durations written like `250ms`, `5s`, `2m`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    humantime::parse_duration(text.trim())
        .map_err(|e| format!("{e}; write a duration like 250ms, 5s or 2m"))
}

fn parse_tolerance(text: &str) -> Result<Tolerance, String> {
    if text.eq_ignore_ascii_case("off") {
        return Ok(Tolerance::Off);
    }
    parse_duration(text).map(Tolerance::Within)
}
