//! Turns command-line arguments into settled decisions: the secret, the scheme, the payload.
//! The only place besides `output` that reads the environment.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::bounded::{self, Bounded, TooLarge};
use crate::cli::{
    BasicAuthArgs, PrivateKeyArgs, PublicKeyArgs, SchemeArg, SchemeArgs, SecretArgs, Tolerance,
};
use crate::error::hinted;
use crate::providers::{self, Event, Provider, UnknownEvent};
use crate::redact::Redactor;
use crate::signature::{
    Credentials, DEFAULT_TOLERANCE_SECS, Key, KeyError, PrivateKey, PublicKey, Scheme, Secret,
    SecretError, Signer, SignerError, parse_header_line,
};

/// The largest body hookctl holds in memory to send (send, replay).
pub const IN_MEMORY_LIMIT: u64 = 64 * 1024 * 1024;

/// Payloads up to this size are read whole to diagnose a mismatch or find an id (verify, sign);
/// larger ones are streamed in constant memory.
pub const DIAGNOSE_LIMIT: u64 = 8 * 1024 * 1024;

/// The largest secret file read: a secret is a short line, so more means a wrong path.
pub const SECRET_FILE_LIMIT: u64 = 64 * 1024;

/// The largest headers file read (`--headers-file`).
pub const HEADERS_FILE_LIMIT: u64 = 1024 * 1024;

/// The most headers one command line may give: far more than any request carries, and few
/// enough to stay within what an HTTP header map can hold.
pub const MAX_HEADERS: usize = 1000;

/// The accepted distance between a signed timestamp and now, in seconds; `None` accepts any.
/// Unless told, what `scheme`'s own library accepts (else the default).
pub fn tolerance(arg: Option<Tolerance>, scheme: Option<Scheme>) -> Option<u64> {
    match arg {
        None => Some(scheme.map_or(DEFAULT_TOLERANCE_SECS, Scheme::default_tolerance)),
        Some(Tolerance::Within(d)) => Some(d.as_secs()),
        Some(Tolerance::Off) => None,
    }
}

/// The provider asked for: `--provider`, else Keplars for `--scheme keplars` (whose envelope it
/// has always chosen), else EKDSend.
pub fn provider(
    provider: Option<&'static Provider>,
    scheme: Option<SchemeArg>,
) -> &'static Provider {
    provider.unwrap_or_else(|| match scheme {
        Some(SchemeArg::Keplars) => providers::by_name("keplars").expect("a built-in provider"),
        _ => providers::default(),
    })
}

/// The scheme asked for by `--scheme`, else the provider's.
pub fn scheme_of(provider: &Provider, scheme: Option<SchemeArg>) -> Scheme {
    scheme.map(Scheme::from).unwrap_or(provider.scheme)
}

/// The environment variable that holds the secret when no flag gives it.
pub const SECRET_ENV: &str = "HOOKCTL_SECRET";

impl From<SchemeArg> for Scheme {
    fn from(arg: SchemeArg) -> Self {
        match arg {
            SchemeArg::Ekdsend => Scheme::Ekdsend,
            SchemeArg::Keplars => Scheme::Keplars,
            SchemeArg::Github => Scheme::Github,
            SchemeArg::Standard => Scheme::Standard,
            SchemeArg::Svix => Scheme::Svix,
            SchemeArg::Stripe => Scheme::Stripe,
            SchemeArg::Twilio => Scheme::Twilio,
            SchemeArg::Plivo => Scheme::Plivo,
            SchemeArg::Vonage => Scheme::Vonage,
            SchemeArg::Mailgun => Scheme::Mailgun,
            SchemeArg::Basic => Scheme::Basic,
            SchemeArg::Sendgrid => Scheme::Sendgrid,
            SchemeArg::Telnyx => Scheme::Telnyx,
        }
    }
}

/// The secret from --secret, else --secret-file, else HOOKCTL_SECRET; `None` when none is given.
pub fn secret(args: &SecretArgs) -> Result<Option<Secret>> {
    let text = if let Some(s) = &args.secret {
        s.clone()
    } else if let Some(path) = &args.secret_file {
        let mut text = read_secret_file(path)?;
        if text.ends_with('\n') {
            text.pop();
            if text.ends_with('\r') {
                text.pop();
            }
        }
        text
    } else {
        match std::env::var(SECRET_ENV) {
            Ok(s) => s,
            Err(std::env::VarError::NotPresent) => return Ok(None),
            Err(std::env::VarError::NotUnicode(_)) => bail!("{SECRET_ENV} is not valid UTF-8"),
        }
    };
    match Secret::new(text) {
        Err(SecretError::Empty) => bail!(hinted(
            "the secret is empty",
            format!("give it with --secret, --secret-file or {SECRET_ENV}"),
        )),
        other => Ok(Some(other?)),
    }
}

/// The secret file's text, read through [`SECRET_FILE_LIMIT`].
fn read_secret_file(path: &Path) -> Result<String> {
    let what = || format!("the secret file {}", path.display());
    let file = File::open(path).with_context(|| format!("cannot read {}", what()))?;
    let bytes = bounded::read_all(file, SECRET_FILE_LIMIT).map_err(|e| match TooLarge::of(&e) {
        Some(too_large) => hinted(
            format!("{} is {too_large}", what()),
            "a secret is one short line; check that --secret-file names the right file",
        ),
        None => anyhow::Error::new(e).context(format!("cannot read {}", what())),
    })?;
    String::from_utf8(bytes).map_err(|_| anyhow::anyhow!("{} is not UTF-8 text", what()))
}

/// A signer for `scheme` bound to `key`, header override applied; a key of the wrong kind is
/// named with the flag that gives the right one.
pub fn signer(args: &SchemeArgs, scheme: Scheme, key: &Key) -> Result<Signer> {
    if scheme == Scheme::Basic {
        return Err(no_secret_for_basic_auth());
    }
    Signer::with_key(scheme, key, args.header.as_deref()).map_err(|e| match e {
        SignerError::WrongKey { .. } if scheme.key_pair().is_some() => hinted(
            e.to_string(),
            format!(
                "give the key pair with --private-key FILE to sign or --public-key KEY to verify (`hookctl keygen --provider {scheme}` makes one)"
            ),
        ),
        SignerError::WrongKey { .. } => hinted(
            e.to_string(),
            "give a shared secret with --secret or --secret-file, or pick the scheme the key belongs to with --scheme",
        ),
        other => other.into(),
    })
}

/// A signer for the scheme asked for when there is a key; `None` sends or listens unsigned.
pub fn signer_if(args: &SchemeArgs, key: Option<&Key>) -> Result<Option<Signer>> {
    key.map(|k| signer(args, scheme(args), k)).transpose()
}

/// The key a signing command signs with: --private-key, else the secret; `None` when neither.
pub fn signing_key(secret: &SecretArgs, private: &PrivateKeyArgs) -> Result<Option<Key>> {
    let Some(path) = &private.private_key else {
        return Ok(self::secret(secret)?.map(Key::Secret));
    };
    let text = read_key_file(path)?;
    PrivateKey::parse(&text)
        .map(|k| Some(Key::Private(k)))
        .map_err(|e| key_error(e, &format!("--private-key {}", path.display()), true))
}

/// The key a verifying command checks with: --public-key or --public-key-file, else the
/// secret; `None` when none is given.
pub fn verifying_key(secret: &SecretArgs, public: &PublicKeyArgs) -> Result<Option<Key>> {
    let (text, source) = match (&public.public_key, &public.public_key_file) {
        (Some(text), _) => (text.clone(), "--public-key".to_string()),
        (None, Some(path)) => (
            read_key_file(path)?,
            format!("--public-key-file {}", path.display()),
        ),
        (None, None) => return Ok(self::secret(secret)?.map(Key::Secret)),
    };
    PublicKey::parse(&text)
        .map(|k| Some(Key::Public(k)))
        .map_err(|e| key_error(e, &source, false))
}

/// The key, or an error that says how to give the kind `scheme` needs.
pub fn required_key(key: Option<Key>, scheme: Scheme, signing: bool) -> Result<Key> {
    key.ok_or_else(|| match (scheme.key_pair(), signing) {
        (Some(_), true) => hinted(
            format!("no private key given; the {scheme} scheme signs with a key pair"),
            format!("pass --private-key FILE (`hookctl keygen --provider {scheme}` writes one)"),
        ),
        (Some(_), false) => hinted(
            format!(
                "no public key given; the {scheme} scheme verifies with a key pair's public key"
            ),
            "pass --public-key KEY or --public-key-file FILE, as the provider shows it",
        ),
        (None, _) => {
            anyhow::anyhow!("no secret given; pass --secret, --secret-file or set {SECRET_ENV}")
        }
    })
}

/// The shared secret inside `key`, for output to hide.
pub fn secret_of(key: Option<&Key>) -> Option<&Secret> {
    match key {
        Some(Key::Secret(secret)) => Some(secret),
        _ => None,
    }
}

/// `error` with its fix; `signing` says the key was given as the private one.
fn key_error(error: KeyError, source: &str, signing: bool) -> anyhow::Error {
    let fix = match error {
        KeyError::PublicNotPrivate => {
            "give the private key with --private-key; the public key is what the receiver holds (--public-key)"
        }
        KeyError::PrivateNotPublic => {
            "give the receiver the public key (`hookctl keygen` prints it); keep the private key with the sender (--private-key)"
        }
        KeyError::SharedSecret => "give a shared secret with --secret or --secret-file",
        _ if signing => "give the private key file `hookctl keygen` writes, or a PEM private key",
        _ => "give a PEM file, or the public key exactly as the provider shows it",
    };
    hinted(format!("{source}: {error}"), fix)
}

/// A key file's text, read through [`SECRET_FILE_LIMIT`].
fn read_key_file(path: &Path) -> Result<String> {
    let file =
        File::open(path).with_context(|| format!("cannot read the key file {}", path.display()))?;
    let bytes = bounded::read_all(file, SECRET_FILE_LIMIT).map_err(|e| match TooLarge::of(&e) {
        Some(too_large) => hinted(
            format!("the key file {} is {too_large}", path.display()),
            "a key is a short PEM block; check that the flag names the right file",
        ),
        None => {
            anyhow::Error::new(e).context(format!("cannot read the key file {}", path.display()))
        }
    })?;
    String::from_utf8(bytes).map_err(|_| {
        anyhow::anyhow!(
            "the key file {} is not text (a PEM file is)",
            path.display()
        )
    })
}

/// The URL `--url` names, for a scheme that signs it (Twilio, Plivo): required there, kept as
/// written (the provider signs its exact text); ignored by schemes that sign the body alone.
pub fn signed_url(scheme: Scheme, url: Option<&str>) -> Result<Option<String>> {
    if !scheme.signs_url() {
        return Ok(None);
    }
    let Some(url) = url else {
        return Err(hinted(
            format!("scheme {scheme} signs the URL the provider requests, and no --url was given"),
            "pass --url with the full URL the provider is configured with, e.g. --url https://example.com/sms",
        ));
    };
    let parsed = url::Url::parse(url).ok();
    if !parsed.is_some_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some()) {
        return Err(hinted(
            format!(
                "--url `{}` is not a full http(s) URL",
                crate::redact::url_text(url)
            ),
            "give the scheme, host, path and query the provider requests, e.g. --url https://example.com/sms",
        ));
    }
    Ok(Some(url.to_string()))
}

/// The environment variable that holds basic auth credentials when `--basic-auth` is not given.
pub const BASIC_AUTH_ENV: &str = "HOOKCTL_BASIC_AUTH";

/// The credentials from --basic-auth, else HOOKCTL_BASIC_AUTH; `None` when neither is given.
pub fn basic_auth(args: &BasicAuthArgs) -> Result<Option<Credentials>> {
    let text = match &args.basic_auth {
        Some(text) => text.clone(),
        None => match std::env::var(BASIC_AUTH_ENV) {
            Ok(text) => text,
            Err(std::env::VarError::NotPresent) => return Ok(None),
            Err(std::env::VarError::NotUnicode(_)) => bail!("{BASIC_AUTH_ENV} is not valid UTF-8"),
        },
    };
    Credentials::parse(&text).map(Some).map_err(|e| {
        hinted(
            format!("--basic-auth: {e}"),
            "write it as USER:PASSWORD, the user name and password of the webhook URL",
        )
    })
}

/// The verifier of a receiving command (listen, verify): basic auth credentials for the basic
/// scheme, a secret for the others; `None` when the key it needs was not given.
pub fn verifier(
    args: &SchemeArgs,
    scheme: Scheme,
    key: Option<&Key>,
    credentials: Option<&Credentials>,
) -> Result<Option<Signer>> {
    match (scheme, credentials) {
        (Scheme::Basic, Some(c)) => Ok(Some(Signer::with_key(
            scheme,
            &Key::Basic(c.clone()),
            args.header.as_deref(),
        )?)),
        (Scheme::Basic, None) if key.is_some() => Err(no_secret_for_basic_auth()),
        (Scheme::Basic, None) => Ok(None),
        (_, Some(_)) => Err(hinted(
            format!(
                "--basic-auth is for providers that send HTTP basic auth, and scheme {scheme} signs with a secret"
            ),
            "pass --secret (or --provider postmark, --scheme basic for credentials)",
        )),
        (_, None) => key.map(|k| signer(args, scheme, k)).transpose(),
    }
}

/// The error for a secret given where basic auth credentials are checked.
fn no_secret_for_basic_auth() -> anyhow::Error {
    hinted(
        "the basic scheme (Postmark) signs nothing: it checks the user name and password of the webhook URL",
        "pass --basic-auth USER:PASSWORD to check them; `send` takes them from the URL (https://user:pass@host/…)",
    )
}

/// The provider `--provider` and `--scheme` ask for.
pub fn provider_of(args: &SchemeArgs) -> &'static Provider {
    provider(args.provider, args.scheme)
}

/// The scheme asked for, else the provider's.
pub fn scheme(args: &SchemeArgs) -> Scheme {
    scheme_of(provider_of(args), args.scheme)
}

/// An event of `provider` by name; when unknown, the nearest names and where to find the list.
pub fn event(provider: &'static Provider, name: &str) -> Result<&'static Event> {
    provider.event(name).map_err(|e| {
        let list = if std::ptr::eq(provider, providers::default()) {
            "hookctl events".to_string()
        } else {
            format!("hookctl events --provider {}", provider.name)
        };
        match e {
            UnknownEvent::Unknown {
                ref suggestions, ..
            } if suggestions.is_empty() => {
                anyhow::anyhow!("{e}; run `{list}` for the list")
            }
            UnknownEvent::Unknown { .. } => e.into(),
            UnknownEvent::NotSent { .. } => {
                anyhow::anyhow!("{e}; pick one of `{list}` or another --provider")
            }
        }
    })
}

/// Parses `-H 'Name: value'` arguments, then the lines of `--headers-file`. One argument may
/// hold several lines (pasted from `hookctl sign` or `listen -v`); blank lines are skipped.
/// A line that is not a header is echoed with `redactor` hiding what it may hold.
pub fn header_lines(
    args: &[String],
    file: Option<&Path>,
    redactor: &Redactor,
) -> Result<Vec<(String, String)>> {
    let mut headers = Vec::new();
    for arg in args {
        parse_lines(arg, "-H", redactor, &mut headers)?;
    }
    if let Some(path) = file {
        let text = read_headers_file(path)?;
        let source = format!("{}:", path.display());
        parse_lines(&text, &source, redactor, &mut headers)?;
    }
    Ok(headers)
}

fn parse_lines(
    text: &str,
    source: &str,
    redactor: &Redactor,
    headers: &mut Vec<(String, String)>,
) -> Result<()> {
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        if headers.len() == MAX_HEADERS {
            return Err(hinted(
                format!("more than {MAX_HEADERS} headers given"),
                "a webhook request carries a few dozen at most; pass fewer",
            ));
        }
        let header = parse_header_line(line).ok_or_else(|| {
            hinted(
                format!(
                    "{source} `{}` is not a header line",
                    redactor.header_line(line)
                ),
                "write it as 'Name: value', for example -H 'X-Request-Source: test'",
            )
        })?;
        headers.push(header);
    }
    Ok(())
}

fn read_headers_file(path: &Path) -> Result<String> {
    let what = || format!("the headers file {}", path.display());
    let file = File::open(path).with_context(|| format!("cannot read {}", what()))?;
    let bytes =
        bounded::read_all(file, HEADERS_FILE_LIMIT).map_err(|e| match TooLarge::of(&e) {
            Some(too_large) => anyhow::anyhow!(
                "{} is {too_large}; it should hold a few header lines",
                what()
            ),
            None => anyhow::Error::new(e).context(format!("cannot read {}", what())),
        })?;
    String::from_utf8(bytes).map_err(|_| anyhow::anyhow!("{} is not UTF-8 text", what()))
}

/// Where a payload comes from: `-` is standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Payload {
    /// Standard input.
    Stdin,
    /// A file, read as raw bytes.
    File(PathBuf),
}

impl Payload {
    /// `-` for standard input, anything else a path.
    pub fn new(arg: &str) -> Self {
        if arg == "-" {
            Payload::Stdin
        } else {
            Payload::File(PathBuf::from(arg))
        }
    }

    /// Opens the payload; reading more than `max` bytes from it fails with [`TooLarge`].
    pub fn open(&self, max: u64) -> Result<Box<dyn Read>> {
        Ok(match self {
            Payload::Stdin => Box::new(Bounded::new(io::stdin().lock(), max)),
            Payload::File(path) => Box::new(Bounded::new(open_file(path)?, max)),
        })
    }

    /// Reads the whole payload into memory; one over [`IN_MEMORY_LIMIT`] is refused, not loaded.
    pub fn read(&self) -> Result<Vec<u8>> {
        // Counted as read: neither a pipe nor /dev/zero has a length to check up front.
        let mut bytes = Vec::new();
        self.open(IN_MEMORY_LIMIT)?
            .read_to_end(&mut bytes)
            .map_err(|e| {
                self.read_error(e, "the most hookctl holds in memory to send", SEND_HINT)
            })?;
        Ok(bytes)
    }

    /// The payload whole when it is at most [`DIAGNOSE_LIMIT`], else a stream of all of it
    /// that fails past `max` bytes.
    pub fn load(&self, max: u64) -> Result<Body> {
        let mut reader = self.open(max)?;
        // A regular file that says it is large is streamed at once, holding no head; the cap
        // still counts the bytes actually read, so a size that lies changes nothing but memory.
        if self.stated_size().is_some_and(|len| len > DIAGNOSE_LIMIT) {
            return Ok(Body::Stream(reader));
        }
        let mut head = Vec::new();
        (&mut reader)
            .take(DIAGNOSE_LIMIT + 1)
            .read_to_end(&mut head)
            .map_err(|e| self.read_error(e, MAX_PAYLOAD, MAX_PAYLOAD_HINT))?;
        if head.len() as u64 <= DIAGNOSE_LIMIT {
            return Ok(Body::Whole(head));
        }
        Ok(Body::Stream(Box::new(io::Cursor::new(head).chain(reader))))
    }

    /// The size a regular file states, as a hint only (pipes and devices state none).
    fn stated_size(&self) -> Option<u64> {
        match self {
            Payload::Stdin => None,
            Payload::File(path) => std::fs::metadata(path)
                .ok()
                .filter(|m| m.is_file())
                .map(|m| m.len()),
        }
    }

    /// A read error in words: over a limit (`why` names it, `hint` says what to do), or the
    /// I/O error.
    pub fn read_error(&self, error: io::Error, why: &str, hint: &str) -> anyhow::Error {
        match TooLarge::of(&error) {
            Some(too_large) => hinted(
                format!("the payload {} is {too_large}, {why}", self.describe()),
                hint,
            ),
            None => anyhow::Error::new(error)
                .context(format!("cannot read the payload {}", self.describe())),
        }
    }

    /// How to name the payload in messages.
    pub fn describe(&self) -> String {
        match self {
            Payload::Stdin => "from standard input".to_string(),
            Payload::File(path) => path.display().to_string(),
        }
    }
}

/// What a payload over `--max-payload` is over.
pub const MAX_PAYLOAD: &str = "the --max-payload limit";
/// What to do about it.
pub const MAX_PAYLOAD_HINT: &str = "check that the payload is the body you meant, or raise --max-payload (e.g. --max-payload 4GiB)";
const SEND_HINT: &str = "a body is held in memory to be sent (and retried); send a smaller one";

/// A payload ready to check: in memory, or to be streamed.
pub enum Body {
    /// The whole payload.
    Whole(Vec<u8>),
    /// All of the payload, to read once in constant memory.
    Stream(Box<dyn Read>),
}

fn open_file(path: &Path) -> Result<File> {
    let file = File::open(path).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => {
            anyhow::anyhow!(
                "payload file {} does not exist; check the path",
                path.display()
            )
        }
        io::ErrorKind::PermissionDenied => anyhow::anyhow!(
            "payload file {} is not readable (permission denied)",
            path.display()
        ),
        _ => anyhow::anyhow!("cannot open payload file {}: {e}", path.display()),
    })?;
    if file.metadata().map(|m| m.is_dir()).unwrap_or(false) {
        bail!(
            "{} is a directory; --payload takes a file, or - for standard input",
            path.display()
        );
    }
    Ok(file)
}
