//! Every command-line type, and nothing else.

use std::path::PathBuf;
use std::time::Duration;

use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};
use clap_complete::Shell;

use crate::listener::Status;
use crate::patch::{Assignment, Literal};
use crate::providers::{self, Provider};

/// A subcommand's help with `$examples` after it, written as given: clap wraps `after_help` at
/// the terminal width, which cuts a long example mid-command.
macro_rules! with_examples {
    ($examples:literal) => {
        concat!(
            "{before-help}{about-with-newline}\n{usage-heading} {usage}\n\n{all-args}{after-help}",
            "\n\nExamples:\n",
            $examples
        )
    };
}

/// Test webhook endpoints from the terminal: sign, send, verify and receive signed events.
#[derive(Debug, Parser)]
#[command(name = "hookctl", version, max_term_width = 100)]
#[command(help_template = with_examples!(
    "  hookctl events                                   list the event types
  hookctl sample email.bounced --set data.bounce_type=soft
  hookctl sign --secret s3cr3t --payload body.json
  hookctl verify --secret s3cr3t --payload body.json -H 'X-EKDSend-Signature: sha256=…'"))]
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
    /// Run a temporary local listener that verifies and pretty-prints incoming webhooks.
    Listen(ListenArgs),
    /// Send requests saved by `listen --save` again.
    Replay(ReplayArgs),
    /// Grade an endpoint like a provider would: signatures, tampering, replays, duplicates, latency.
    Check(CheckArgs),
    /// See the whole tool in one command: a local listener, every event sent to it, a check.
    Demo(DemoArgs),
    /// Run whole lifecycles (sent, delivered, opened…) from built-ins or your own files, in any order.
    #[command(subcommand)]
    Scenario(ScenarioCommand),
    /// Make a key pair for a public-key provider: write the private key, print the public one.
    Keygen(KeygenArgs),
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
    /// Svix and Resend: Standard Webhooks as svix-id, svix-timestamp, svix-signature.
    Svix,
    /// Stripe: `Stripe-Signature: t=<unix>,v1=<hex>`.
    Stripe,
    /// Twilio: `X-Twilio-Signature`, base64 HMAC-SHA1 of the URL and the sorted parameters (needs --url).
    Twilio,
    /// Plivo: `X-Plivo-Signature-V3` and `-V2` with their nonces, base64 HMAC-SHA256 (needs --url).
    Plivo,
    /// Vonage: `Authorization: Bearer <JWT>`, HS256 with the signature secret, the body's SHA-256 in its claims.
    Vonage,
    /// Mailgun: the hex HMAC of timestamp + token, in the body's `signature` object.
    Mailgun,
    /// HTTP basic auth, as Postmark sends it: no signature (credentials from --basic-auth).
    Basic,
    /// SendGrid: ECDSA P-256 in X-Twilio-Email-Event-Webhook-Signature (a key pair).
    Sendgrid,
    /// Telnyx: Ed25519 in telnyx-signature-ed25519 (a key pair).
    Telnyx,
}

/// The credentials a receiver expects, for providers that send HTTP basic auth (Postmark).
#[derive(Debug, Clone, Args)]
pub struct BasicAuthArgs {
    /// The user name and password the webhook URL carries [env: HOOKCTL_BASIC_AUTH]; arguments show in `ps`, the variable does not.
    #[arg(long, value_name = "USER:PASSWORD")]
    pub basic_auth: Option<String>,
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

/// The private key a signing command signs with, for the public-key schemes.
#[derive(Debug, Clone, Args)]
pub struct PrivateKeyArgs {
    /// Sign with this private key (PEM; `hookctl keygen` writes one): sendgrid, telnyx, and
    /// standard or svix `v1a`.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["secret", "secret_file"])]
    pub private_key: Option<PathBuf>,
}

/// The public key a verifying command checks signatures with, for the public-key schemes.
#[derive(Debug, Clone, Args)]
pub struct PublicKeyArgs {
    /// Verify with this public key, as the provider shows it (base64, `whpk_…`) or PEM:
    /// sendgrid, telnyx, and standard or svix `v1a`.
    // A PEM value starts with `-----`: taken as a value, never echoed back as an unknown flag.
    #[arg(long, value_name = "KEY", allow_hyphen_values = true, conflicts_with_all = ["secret", "secret_file"])]
    pub public_key: Option<String>,

    /// Read the public key from a file.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["public_key", "secret", "secret_file"])]
    pub public_key_file: Option<PathBuf>,
}

/// `--provider NAME`: a provider from the catalog, by name.
fn provider_parser() -> impl clap::builder::TypedValueParser<Value = &'static Provider> {
    let names: Vec<&'static str> = providers::ALL.iter().map(|p| p.name).collect();
    clap::builder::TypedValueParser::map(clap::builder::PossibleValuesParser::new(names), |name| {
        providers::by_name(&name).expect("offered names are providers")
    })
}

/// Which provider's events and signature, and under which header name.
#[derive(Debug, Clone, Args)]
pub struct SchemeArgs {
    /// The provider whose events, body format and signature to use [default: ekdsend].
    #[arg(long, value_name = "NAME", value_parser = provider_parser())]
    pub provider: Option<&'static Provider>,

    /// Signature scheme, to sign another way than the provider does [default: the provider's].
    #[arg(long, value_enum, value_name = "SCHEME")]
    pub scheme: Option<SchemeArg>,

    /// Rename the signature header (schemes with one header).
    #[arg(long, value_name = "NAME")]
    pub header: Option<String>,
}

/// Field overrides for built events.
#[derive(Debug, Clone, Args)]
pub struct SetArgs {
    /// Override or add a field by dot path. VALUE is JSON when it looks like JSON (a number,
    /// or starts with [ { "), else a string. Repeatable.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<Assignment>,

    /// Like --set, VALUE always a string (applied after --set). Repeatable.
    #[arg(long = "set-str", value_name = "PATH=VALUE")]
    pub set_str: Vec<Literal>,
}

impl SetArgs {
    /// Every override in the order applied: --set, then --set-str.
    pub fn assignments(&self) -> Vec<Assignment> {
        let literals = self.set_str.iter().map(|l| l.0.clone());
        self.set.iter().cloned().chain(literals).collect()
    }
}

/// `hookctl events`.
#[derive(Debug, Args)]
#[command(help_template = with_examples!(
    "  hookctl events
  hookctl events --provider keplars
  hookctl events --json | jq -r '.[].type'"))]
pub struct EventsArgs {
    /// List this provider's events [default: ekdsend].
    #[arg(long, value_name = "NAME", value_parser = provider_parser())]
    pub provider: Option<&'static Provider>,

    /// List every provider's events, each under its provider.
    #[arg(long, conflicts_with = "provider")]
    pub all: bool,

    /// Print a JSON array of {\"type\",\"description\"}.
    #[arg(long)]
    pub json: bool,
}

/// `hookctl sample`.
#[derive(Debug, Args)]
#[command(help_template = with_examples!(
    "  hookctl sample email.delivered
  hookctl sample email.bounced --set data.bounce_type=soft --compact
  hookctl sample email.opened --scheme keplars"))]
pub struct SampleArgs {
    /// Event type, such as email.delivered (see `hookctl events`).
    #[arg(value_name = "TYPE")]
    pub event: String,

    #[command(flatten)]
    pub set: SetArgs,

    /// The provider whose event to print [default: ekdsend].
    #[arg(long, value_name = "NAME", value_parser = provider_parser())]
    pub provider: Option<&'static Provider>,

    /// Shape the event as this scheme's provider does (keplars uses its own envelope).
    #[arg(long, value_enum, value_name = "SCHEME")]
    pub scheme: Option<SchemeArg>,

    /// One compact line, exactly the bytes hookctl would send (the default when piped).
    #[arg(long)]
    pub compact: bool,
}

/// `hookctl sign`.
#[derive(Debug, Args)]
#[command(help_template = with_examples!(
    "  hookctl sign --secret s3cr3t --payload body.json
  curl http://127.0.0.1:8080/ -H 'Content-Type: application/json' -H \"$(hookctl sign --secret-file .secret --payload body.json)\" --data-binary @body.json
  hookctl sign --scheme standard --secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw --payload body.json"))]
pub struct SignArgs {
    /// Event type to sign a fresh sample of, when no --payload is given [default: email.delivered].
    #[arg(value_name = "TYPE", conflicts_with = "payload")]
    pub event: Option<String>,

    #[command(flatten)]
    pub secret: SecretArgs,

    #[command(flatten)]
    pub private: PrivateKeyArgs,

    #[command(flatten)]
    pub scheme: SchemeArgs,

    /// The exact bytes to sign: a file, or - for standard input.
    #[arg(long, value_name = "FILE|-", conflicts_with = "set")]
    pub payload: Option<String>,

    #[command(flatten)]
    pub set: SetArgs,

    /// Unix time to sign with (standard, stripe, sendgrid, telnyx, mailgun) [default: now].
    #[arg(long, value_name = "UNIX")]
    pub timestamp: Option<i64>,

    /// Message id to sign with (standard) [default: the payload's "id", else a fresh msg_ id].
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,

    /// The full URL the provider requests (twilio, plivo sign it): the one it is configured with.
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,

    /// Largest payload read; a larger one is refused (e.g. 64MiB, 1GiB).
    #[arg(long, value_name = "SIZE", default_value = "1GiB", value_parser = parse_size)]
    pub max_payload: u64,

    /// Print {"headers":{…},"body_sha256":…} (plus "body" for a sample).
    #[arg(long)]
    pub json: bool,
}

/// `hookctl verify`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("given").multiple(true).args(["signature", "headers", "headers_file"])))]
#[command(help_template = with_examples!(
    "  hookctl verify --secret s3cr3t --payload body.json --signature sha256=5d41…
  hookctl verify --provider mailgun --secret-file .signing-key --payload body.json      (Mailgun signs inside the body)
  hookctl verify --secret-file .secret --payload body.json -H 'X-EKDSend-Signature: sha256=5d41…'
  hookctl verify --scheme standard --secret whsec_… --payload body.json -H 'webhook-id: msg_1' -H 'webhook-timestamp: 1700000000' -H 'webhook-signature: v1,…'
  hookctl verify --secret s3cr3t --payload body.json -H \"$(hookctl sign --secret s3cr3t --payload body.json)\"
  hookctl verify --secret s3cr3t --payload body.json --headers-file received-headers.txt"))]
pub struct VerifyArgs {
    #[command(flatten)]
    pub secret: SecretArgs,

    #[command(flatten)]
    pub public: PublicKeyArgs,

    #[command(flatten)]
    pub scheme: SchemeArgs,

    #[command(flatten)]
    pub basic_auth: BasicAuthArgs,

    /// The exact bytes received: a file, or - for standard input.
    #[arg(long, value_name = "FILE|-")]
    pub payload: String,

    /// The signature header's value.
    #[arg(long, value_name = "VALUE")]
    pub signature: Option<String>,

    /// A received header, `Name: value`, as a listener shows it; several lines in one -H are several headers. Repeatable; picks the scheme if --scheme is not given.
    #[arg(short = 'H', value_name = "NAME: VALUE")]
    pub headers: Vec<String>,

    /// Read received headers from a file, one `Name: value` a line.
    #[arg(long, value_name = "FILE")]
    pub headers_file: Option<PathBuf>,

    /// Largest payload read; a larger one is refused (e.g. 64MiB, 1GiB).
    #[arg(long, value_name = "SIZE", default_value = "1GiB", value_parser = parse_size)]
    pub max_payload: u64,

    /// Unix time of the signature, with --signature for standard, sendgrid and telnyx.
    #[arg(long, value_name = "UNIX")]
    pub timestamp: Option<i64>,

    /// Message id, with --signature for standard.
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,

    /// The full URL the provider requested (twilio, plivo sign it): the one it is configured with, not the one behind a proxy or tunnel.
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,

    /// How far a signed timestamp may be from now, or `off` [default: 5m].
    #[arg(long, value_name = "DURATION|off", value_parser = parse_tolerance)]
    pub tolerance: Option<Tolerance>,

    /// Print {"valid","scheme","reason","hint"}.
    #[arg(long)]
    pub json: bool,
}

/// `hookctl send`.
#[derive(Debug, Args)]
#[command(help_template = with_examples!(
    "  hookctl send email.delivered --url http://127.0.0.1:8080/webhook --secret s3cr3t
  hookctl send --all --url http://127.0.0.1:8080/webhook --secret-file .secret
  hookctl send email.bounced --set data.bounce_type=soft --url http://127.0.0.1:8080/webhook --retries 5
  hookctl send --payload body.json --url http://127.0.0.1:8080/webhook --dry-run
  hookctl send email.delivered sms.sent --count 10000 --concurrency 32 --url http://127.0.0.1:8080/webhook"))]
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
    pub private: PrivateKeyArgs,

    #[command(flatten)]
    pub scheme: SchemeArgs,

    #[command(flatten)]
    pub set: SetArgs,

    /// Send this file's bytes verbatim instead of a sample (- for standard input).
    #[arg(long, value_name = "FILE|-", conflicts_with_all = ["events", "all", "set", "count"])]
    pub payload: Option<String>,

    /// An extra request header, `Name: value`; several lines in one -H are several headers. Repeatable.
    #[arg(short = 'H', value_name = "NAME: VALUE")]
    pub headers: Vec<String>,

    /// Read extra request headers from a file, one `Name: value` a line.
    #[arg(long, value_name = "FILE")]
    pub headers_file: Option<PathBuf>,

    #[command(flatten)]
    pub delivery: DeliveryArgs,

    /// Print the exact request and a ready-to-paste curl command; send nothing.
    #[arg(long, conflicts_with = "count")]
    pub dry_run: bool,

    /// Bulk mode: send N events (round-robin over the types), each with a unique id.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub count: Option<u64>,

    /// Bulk mode: deliveries in flight at once [default: 8].
    #[arg(long, value_name = "C", requires = "count", value_parser = clap::value_parser!(u64).range(1..=10_000))]
    pub concurrency: Option<u64>,

    /// Bulk mode: deliveries started per second at most.
    #[arg(long, value_name = "PER_SECOND", requires = "count", value_parser = parse_rate)]
    pub rate: Option<f64>,
}

/// How deliveries are made and reported (send, replay).
#[derive(Debug, Clone, Args)]
pub struct DeliveryArgs {
    /// Budget for each attempt, answer included (the providers' is 5 s).
    #[arg(long, value_name = "DURATION", default_value = "5s", value_parser = parse_budget)]
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

    /// Accept self-signed and otherwise invalid TLS certificates.
    #[arg(long)]
    pub insecure: bool,

    /// Print one JSON object per delivery on stdout (with send --count: one summary).
    #[arg(long)]
    pub json: bool,

    /// Show request and response headers and the whole response body.
    #[arg(short, long)]
    pub verbose: bool,
}

/// `hookctl listen`.
#[derive(Debug, Args)]
#[command(help_template = with_examples!(
    "  hookctl listen --port 8080 --secret s3cr3t
  hookctl listen --port 0 --secret-file .secret --json > events.jsonl
  hookctl listen --secret s3cr3t --fail-first 2            (pairs with: hookctl send --retries 5)
  hookctl listen --secret s3cr3t --forward-to http://127.0.0.1:3000/webhooks --save captured/"))]
pub struct ListenArgs {
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 8080)]
    pub port: u16,

    /// Address to bind; 0.0.0.0 exposes the listener to the network.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,

    /// Only this path takes webhooks (others get 404) [default: any path].
    #[arg(long, value_name = "PATH")]
    pub path: Option<String>,

    #[command(flatten)]
    pub secret: SecretArgs,

    #[command(flatten)]
    pub public: PublicKeyArgs,

    #[command(flatten)]
    pub scheme: SchemeArgs,

    #[command(flatten)]
    pub basic_auth: BasicAuthArgs,

    /// How far a signed timestamp may be from now, or `off` [default: 5m].
    #[arg(long, value_name = "DURATION|off", value_parser = parse_tolerance)]
    pub tolerance: Option<Tolerance>,

    /// The URL the provider is configured with (a tunnel's public https URL): twilio and plivo signatures are checked against its scheme and host with the path and query each request arrived with [default: the listener's own URL].
    #[arg(long, value_name = "URL")]
    pub public_url: Option<String>,

    /// Status code of the answer (200 to 599).
    #[arg(long, value_name = "CODE", default_value = "200", value_parser = parse_status)]
    pub status: Status,

    /// Wait before answering: milliseconds, or a duration like 6s (at most 1h).
    #[arg(long, value_name = "MS", value_parser = parse_delay)]
    pub delay: Option<Duration>,

    /// Body of the answer.
    #[arg(long, value_name = "TEXT", default_value = r#"{"received":true}"#)]
    pub response_body: String,

    /// Answer 500 to the first N deliveries of each event id (or, without one, of each body), then as usual.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub fail_first: u32,

    /// Answer 401 to a bad or missing signature, as the provider's sample handler does.
    #[arg(long)]
    pub reject_invalid: bool,

    /// Relay each webhook unchanged to a local app and answer with the app's answer.
    #[arg(long, value_name = "URL")]
    pub forward_to: Option<String>,

    /// One JSON line per request on stdout (the human display is then off).
    #[arg(long)]
    pub json: bool,

    /// Save every request (headers and raw body) as one file in DIR, for `hookctl replay`.
    #[arg(long, value_name = "DIR")]
    pub save: Option<PathBuf>,

    /// Stop after N deliveries (405, 413 and other refusals do not count).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_events: Option<u64>,

    /// Stop after this long.
    #[arg(long, value_name = "DURATION", value_parser = parse_stop_after)]
    pub timeout: Option<Duration>,

    /// Largest body accepted; larger ones get 413 (e.g. 1MiB, 64KiB, 5000).
    #[arg(long, value_name = "SIZE", default_value = "1MiB", value_parser = parse_size)]
    pub max_body: u64,

    /// Leave out the pretty-printed body.
    #[arg(long)]
    pub compact: bool,

    /// Show the request headers too.
    #[arg(short, long)]
    pub verbose: bool,

    /// Show credential headers (Authorization, Cookie, any holding the secret) as received in -v and --json; --save always keeps them.
    #[arg(long)]
    pub show_credentials: bool,
}

/// `hookctl replay`.
#[derive(Debug, Args)]
#[command(help_template = with_examples!(
    "  hookctl replay captured/ --url http://127.0.0.1:3000/webhooks --as-is
  hookctl replay captured/20261123T101500.120Z-000001-evt_1.http --url http://127.0.0.1:3000/webhooks --secret s3cr3t"))]
pub struct ReplayArgs {
    /// Files saved by `listen --save`, or directories of them.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,

    /// The endpoint to POST to.
    #[arg(long, value_name = "URL")]
    pub url: String,

    /// Send the saved headers and body byte for byte, signature included.
    #[arg(long, conflicts_with_all = ["secret", "secret_file"])]
    pub as_is: bool,

    #[command(flatten)]
    pub secret: SecretArgs,

    #[command(flatten)]
    pub private: PrivateKeyArgs,

    #[command(flatten)]
    pub scheme: SchemeArgs,

    #[command(flatten)]
    pub delivery: DeliveryArgs,
}

/// `hookctl check`.
#[derive(Debug, Args)]
#[command(
    after_help = checks_help(),
    help_template = with_examples!(
    "  hookctl check --url http://127.0.0.1:3000/webhooks --secret-file .secret
  hookctl check --url https://staging.example.com/webhooks --scheme stripe --secret whsec_… --only 1,2,5
  hookctl check --url http://127.0.0.1:3000/webhooks --secret s3cr3t --json | jq '.checks[] | select(.mark != \"pass\")'
  hookctl check --url http://127.0.0.1:3000/webhooks --secret-file .secret --junit hookctl-check.xml")
)]
pub struct CheckArgs {
    /// The endpoint to check.
    #[arg(long, value_name = "URL")]
    pub url: String,

    #[command(flatten)]
    pub secret: SecretArgs,

    #[command(flatten)]
    pub private: PrivateKeyArgs,

    #[command(flatten)]
    pub scheme: SchemeArgs,

    /// The event type to send [default: email.delivered].
    #[arg(long, value_name = "TYPE")]
    pub event: Option<String>,

    /// Budget for each answer (the providers' is 5 s).
    #[arg(long, value_name = "DURATION", default_value = "5s", value_parser = parse_budget)]
    pub timeout: Duration,

    /// Accept self-signed and otherwise invalid TLS certificates.
    #[arg(long)]
    pub insecure: bool,

    /// The URL the provider is configured with (a tunnel's public https URL) when --url is where it forwards to: twilio and plivo signatures are made over it, and check 16 sends them with the X-Forwarded-Proto and X-Forwarded-Host a proxy adds [default: --url].
    #[arg(long, value_name = "URL")]
    pub public_url: Option<String>,

    /// Run only these checks, e.g. 1,2,5.
    #[arg(long, value_name = "N,…", value_delimiter = ',', value_parser = check_number())]
    pub only: Vec<u8>,

    /// Skip these checks, e.g. 7,8.
    #[arg(long, value_name = "N,…", value_delimiter = ',', value_parser = check_number())]
    pub skip: Vec<u8>,

    /// Warnings fail too.
    #[arg(long)]
    pub strict: bool,

    /// Print the report card as one JSON object.
    #[arg(long)]
    pub json: bool,

    /// Also write the report card to FILE as JUnit XML (one test case per check), for CI.
    #[arg(long, value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    pub junit: Option<PathBuf>,
}

/// A check number: 1 to the last in [`crate::check::CHECKS`].
fn check_number() -> clap::builder::RangedI64ValueParser<u8> {
    clap::value_parser!(u8).range(1..=i64::from(crate::check::LAST_CHECK))
}

/// `check --help`'s list of the checks, from [`crate::check::CHECKS`].
fn checks_help() -> String {
    let mut help = "Checks (the events they send have ids that start with evt_test_):".to_string();
    for (number, name) in crate::check::CHECKS {
        help.push_str(&format!("\n  {number:>2}  {name}"));
    }
    help
}

/// `hookctl demo`.
#[derive(Debug, Args)]
#[command(help_template = with_examples!(
    "  hookctl demo
  hookctl demo --scheme standard"))]
pub struct DemoArgs {
    /// The provider to demonstrate [default: ekdsend].
    #[arg(long, value_name = "NAME", value_parser = provider_parser())]
    pub provider: Option<&'static Provider>,

    /// The scheme to demonstrate [default: the provider's].
    #[arg(long, value_enum, value_name = "SCHEME")]
    pub scheme: Option<SchemeArg>,
}

/// `hookctl scenario …`.
#[derive(Debug, Subcommand)]
pub enum ScenarioCommand {
    /// List the built-in lifecycles of each provider.
    List(ScenarioListArgs),
    /// Print a built-in lifecycle's TOML, to copy and edit.
    Show(ScenarioShowArgs),
    /// Send a lifecycle's steps, signed, and report each delivery.
    Run(Box<ScenarioRunArgs>),
    /// Turn requests saved by `listen --save` into a scenario file that replays them fresh.
    From(ScenarioFromArgs),
}

/// `hookctl scenario from`.
#[derive(Debug, Args)]
#[command(help_template = with_examples!(
    "  hookctl listen --save captured/ --secret s3cr3t
  hookctl scenario from captured/ -o lifecycle.toml
  hookctl scenario from captured/*.http --provider twilio > sms.toml"))]
pub struct ScenarioFromArgs {
    /// Files saved by `listen --save`, or directories of them (their requests in arrival order).
    #[arg(value_name = "FILE", required = true)]
    pub paths: Vec<PathBuf>,

    /// The provider that sent them [default: the one their signature headers or first body name, else ekdsend].
    #[arg(long, value_name = "NAME", value_parser = provider_parser())]
    pub provider: Option<&'static Provider>,

    /// Write the scenario file here instead of to stdout.
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// `hookctl scenario list`.
#[derive(Debug, Args)]
#[command(help_template = with_examples!(
    "  hookctl scenario list
  hookctl scenario list --provider keplars --json"))]
pub struct ScenarioListArgs {
    /// List only this provider's built-ins [default: every provider's].
    #[arg(long, value_name = "NAME", value_parser = provider_parser())]
    pub provider: Option<&'static Provider>,

    /// Print a JSON array of {"provider","name","description","steps"}.
    #[arg(long)]
    pub json: bool,
}

/// `hookctl scenario show`.
#[derive(Debug, Args)]
#[command(help_template = with_examples!(
    "  hookctl scenario show email-engaged > lifecycle.toml
  hookctl scenario show email-bounced --provider keplars"))]
pub struct ScenarioShowArgs {
    /// The built-in's name (see `hookctl scenario list`).
    #[arg(value_name = "NAME")]
    pub name: String,

    /// The provider whose built-in to print [default: ekdsend].
    #[arg(long, value_name = "NAME", value_parser = provider_parser())]
    pub provider: Option<&'static Provider>,
}

/// `hookctl scenario run`.
#[derive(Debug, Args)]
#[command(help_template = with_examples!(
    "  hookctl scenario run email-engaged --url http://127.0.0.1:8080/webhook --secret s3cr3t
  hookctl scenario run lifecycle.toml --url http://127.0.0.1:8080/webhook --secret-file .secret
  hookctl scenario run email-engaged --order shuffle --seed 7 --duplicate 1 --url http://127.0.0.1:8080/webhook
  hookctl scenario run sms-delivered --order concurrent --json --url http://127.0.0.1:8080/webhook
  hookctl scenario run call-completed --gap 500ms --dry-run --url http://127.0.0.1:8080/webhook"))]
pub struct ScenarioRunArgs {
    /// A built-in's name (see `hookctl scenario list`), or a scenario file (an existing path, or one ending in .toml).
    #[arg(value_name = "NAME|FILE")]
    pub scenario: String,

    /// The endpoint to POST to.
    #[arg(long, value_name = "URL")]
    pub url: String,

    #[command(flatten)]
    pub secret: SecretArgs,

    #[command(flatten)]
    pub private: PrivateKeyArgs,

    #[command(flatten)]
    pub scheme: SchemeArgs,

    /// An extra request header, `Name: value`; several lines in one -H are several headers. Repeatable.
    #[arg(short = 'H', value_name = "NAME: VALUE")]
    pub headers: Vec<String>,

    /// Read extra request headers from a file, one `Name: value` a line.
    #[arg(long, value_name = "FILE")]
    pub headers_file: Option<PathBuf>,

    /// The order deliveries go out in.
    #[arg(long, value_enum, value_name = "ORDER", default_value_t = OrderArg::AsWritten)]
    pub order: OrderArg,

    /// Seed for --order shuffle, to repeat a shuffle [default: a random one, printed].
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,

    /// Deliver every step K extra times: the same bytes and event id, re-signed, as a provider's retries.
    #[arg(long, value_name = "K", default_value_t = 0, value_parser = clap::value_parser!(u32).range(0..=100))]
    pub duplicate: u32,

    /// Real wait between two deliveries (added to a step's own `delay`).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub gap: Option<Duration>,

    #[command(flatten)]
    pub delivery: DeliveryArgs,

    /// Print the exact requests and ready-to-paste curl commands; send nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// The order a scenario's deliveries go out in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OrderArg {
    /// The steps in the order written.
    AsWritten,
    /// The last step first.
    Reverse,
    /// A random order (repeat it with --seed).
    Shuffle,
    /// All deliveries at once.
    Concurrent,
}

/// A timestamp tolerance: a duration, or none at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tolerance {
    /// Accept timestamps this far from now.
    Within(Duration),
    /// Accept any age.
    Off,
}

/// `hookctl keygen`.
#[derive(Debug, Args)]
#[command(help_template = with_examples!(
    "  hookctl keygen --provider sendgrid --out sendgrid.pem
  hookctl keygen --provider telnyx --out telnyx.pem --json"))]
pub struct KeygenArgs {
    /// The provider whose kind of key pair to make.
    #[arg(long, value_enum, value_name = "NAME")]
    pub provider: KeyPairProvider,

    /// Write the private key (PEM, readable by its owner only) here [default: NAME.pem].
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Overwrite the file when it exists.
    #[arg(long)]
    pub force: bool,

    /// Print `{"private_key_file", "public_key"}`.
    #[arg(long)]
    pub json: bool,
}

/// A provider that signs with a key pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KeyPairProvider {
    /// SendGrid: ECDSA P-256; the public key as base64 of its DER SubjectPublicKeyInfo.
    Sendgrid,
    /// Telnyx: Ed25519; the public key as base64 of its 32 bytes.
    Telnyx,
    /// Standard Webhooks `v1a`: Ed25519; the public key as `whpk_<base64>`.
    Standard,
}

/// `hookctl completions`.
#[derive(Debug, Args)]
#[command(help_template = with_examples!(
    "  hookctl completions bash > ~/.local/share/bash-completion/completions/hookctl
  hookctl completions zsh > \"${fpath[1]}/_hookctl\"
  hookctl completions fish > ~/.config/fish/completions/hookctl.fish"))]
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

/// Parses a time budget: a duration above zero (nothing is answered in no time at all).
fn parse_budget(text: &str) -> Result<Duration, String> {
    above_zero(
        text,
        "leaves no time for an answer; give a budget above zero, like 5s",
    )
}

/// Parses a duration that must not be zero; `why` says what zero would mean.
fn above_zero(text: &str, why: &str) -> Result<Duration, String> {
    match parse_duration(text)? {
        d if d.is_zero() => Err(format!("`{text}` {why}")),
        d => Ok(d),
    }
}

/// The longest `listen --delay`: longer than any provider waits.
const MAX_DELAY: Duration = Duration::from_secs(3600);

/// Parses a delay: bare milliseconds (`250`) or a duration (`6s`), at most an hour.
fn parse_delay(text: &str) -> Result<Duration, String> {
    let delay = match text.trim().parse::<u64>() {
        Ok(ms) => Duration::from_millis(ms),
        Err(_) => parse_duration(text)?,
    };
    if delay > MAX_DELAY {
        return Err(format!(
            "`{text}` is too long; give a delay of at most 1h (providers give up after seconds)"
        ));
    }
    Ok(delay)
}

/// Parses `listen --timeout`: a duration above zero.
fn parse_stop_after(text: &str) -> Result<Duration, String> {
    above_zero(
        text,
        "would stop at once; give a duration above zero, like 30s or 5m",
    )
}

/// Parses a size: bytes, or with a KiB/MiB/GiB (or KB/MB/GB, same meaning) suffix.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("`{text}` is not a size; write it like 1MiB, 64KiB or 5000"))?;
    let factor = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => {
            return Err(format!(
                "`{text}` has an unknown unit; use B, KiB, MiB or GiB"
            ));
        }
    };
    n.checked_mul(factor)
        .ok_or_else(|| format!("`{text}` is too large"))
}

/// Slowest `--rate`: one delivery every 1000 s.
pub const MIN_RATE: f64 = 0.001;
/// Fastest `--rate`.
pub const MAX_RATE: f64 = 1_000_000.0;

fn parse_rate(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(r) if (MIN_RATE..=MAX_RATE).contains(&r) => Ok(r),
        _ => Err(format!(
            "`{text}` is not a rate; give deliveries per second from {MIN_RATE} to {MAX_RATE}, like 50 or 0.5"
        )),
    }
}

fn parse_status(text: &str) -> Result<Status, String> {
    let code: u16 = text
        .parse()
        .map_err(|_| format!("{text} is not in 200..=599"))?;
    Status::try_from(code).map_err(|e| e.to_string())
}

fn parse_tolerance(text: &str) -> Result<Tolerance, String> {
    if text.eq_ignore_ascii_case("off") {
        return Ok(Tolerance::Off);
    }
    parse_duration(text).map(Tolerance::Within)
}
