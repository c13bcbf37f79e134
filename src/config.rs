//! Turns command-line arguments into settled decisions: the secret, the scheme, the payload.
//! The only place besides `output` that reads the environment.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::catalog::{Envelope, EventType};
use crate::cli::{SchemeArg, SchemeArgs, SecretArgs, Tolerance};
use crate::error::hinted;
use crate::signature::{DEFAULT_TOLERANCE_SECS, Scheme, Secret, Signer, parse_header_line};

/// Payloads up to this size are read whole (to diagnose a mismatch, to find an id); larger ones
/// are streamed in constant memory.
pub const IN_MEMORY_LIMIT: u64 = 64 * 1024 * 1024;

/// The accepted distance between a signed timestamp and now, in seconds; `None` accepts any.
pub fn tolerance(arg: Option<Tolerance>) -> Option<u64> {
    match arg {
        None => Some(DEFAULT_TOLERANCE_SECS),
        Some(Tolerance::Within(d)) => Some(d.as_secs()),
        Some(Tolerance::Off) => None,
    }
}

/// The scheme asked for by a bare `--scheme`, else ekdsend.
pub fn scheme_or_default(arg: Option<SchemeArg>) -> Scheme {
    arg.map(Scheme::from).unwrap_or(Scheme::Ekdsend)
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
            SchemeArg::Stripe => Scheme::Stripe,
        }
    }
}

/// The envelope a scheme's provider uses: Keplars has its own, every other scheme EKDSend's.
pub fn envelope(scheme: Scheme) -> Envelope {
    match scheme {
        Scheme::Keplars => Envelope::Keplars,
        _ => Envelope::Ekdsend,
    }
}

/// The secret from --secret, else --secret-file, else HOOKCTL_SECRET; `None` when none is given.
pub fn secret(args: &SecretArgs) -> Result<Option<Secret>> {
    let text = if let Some(s) = &args.secret {
        s.clone()
    } else if let Some(path) = &args.secret_file {
        let mut text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the secret file {}", path.display()))?;
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
    Ok(Some(Secret::new(text)?))
}

/// The secret, or an error that says how to give one.
pub fn required_secret(args: &SecretArgs) -> Result<Secret> {
    secret(args)?.ok_or_else(|| {
        anyhow::anyhow!("no secret given; pass --secret, --secret-file or set {SECRET_ENV}")
    })
}

/// A signer for the chosen scheme (ekdsend unless told), header override applied.
pub fn signer(args: &SchemeArgs, scheme: Scheme, secret: &Secret) -> Result<Signer> {
    Ok(Signer::new(scheme, secret, args.header.as_deref())?)
}

/// A signer for the scheme asked for when there is a secret; `None` sends or listens unsigned.
pub fn signer_if(args: &SchemeArgs, secret: Option<&Secret>) -> Result<Option<Signer>> {
    secret.map(|s| signer(args, scheme(args), s)).transpose()
}

/// The scheme asked for, else ekdsend.
pub fn scheme(args: &SchemeArgs) -> Scheme {
    scheme_or_default(args.scheme)
}

/// An event type by name, with the nearest names when it is unknown.
pub fn event_type(name: &str) -> Result<EventType> {
    Ok(EventType::parse(name)?)
}

/// Parses `-H 'Name: value'` arguments.
pub fn header_lines(lines: &[String]) -> Result<Vec<(String, String)>> {
    lines
        .iter()
        .map(|line| {
            parse_header_line(line).ok_or_else(|| {
                hinted(
                    format!("-H `{line}` is not a header line"),
                    "write it as 'Name: value', for example -H 'X-Request-Source: test'",
                )
            })
        })
        .collect()
}

/// Where a payload comes from: `-` is standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Payload {
    /// Standard input, read whole.
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

    /// Opens the payload for streaming, with its size when known.
    pub fn open(&self) -> Result<(Box<dyn Read>, Option<u64>)> {
        match self {
            Payload::Stdin => Ok((Box::new(io::stdin().lock()), None)),
            Payload::File(path) => {
                let file = open_file(path)?;
                let len = file.metadata().map(|m| m.len()).ok();
                Ok((Box::new(file), len))
            }
        }
    }

    /// Reads the whole payload into memory; one over [`IN_MEMORY_LIMIT`] is refused, not loaded.
    pub fn read(&self) -> Result<Vec<u8>> {
        let (reader, len) = self.open()?;
        let too_large = || {
            anyhow::anyhow!(
                "the payload {} is over {} MiB, the most hookctl holds in memory to send",
                self.describe(),
                IN_MEMORY_LIMIT >> 20
            )
        };
        if len.is_some_and(|l| l > IN_MEMORY_LIMIT) {
            return Err(too_large());
        }
        let mut bytes = Vec::with_capacity(len.unwrap_or(0) as usize);
        // A pipe or a file still growing has no trustworthy length: stop one byte past the limit.
        reader
            .take(IN_MEMORY_LIMIT + 1)
            .read_to_end(&mut bytes)
            .with_context(|| format!("cannot read the payload {}", self.describe()))?;
        if bytes.len() as u64 > IN_MEMORY_LIMIT {
            return Err(too_large());
        }
        Ok(bytes)
    }

    /// How to name the payload in messages.
    pub fn describe(&self) -> String {
        match self {
            Payload::Stdin => "from standard input".to_string(),
            Payload::File(path) => path.display().to_string(),
        }
    }
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
