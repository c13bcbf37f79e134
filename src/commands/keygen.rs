//! `hookctl keygen`: a key pair for a public-key provider. The private key goes to a PEM file
//! only its owner can read (never to the terminal); the public key is printed as the provider
//! shows it, ready to paste where the receiver reads it.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use serde_json::json;

use crate::cli::{KeyPairProvider, KeygenArgs};
use crate::error::{Exit, hinted};
use crate::output::{palette, stream};
use crate::signature::{Algorithm, PrivateKey, Scheme};

/// Writes the private key and prints the public one.
pub fn run(args: &KeygenArgs) -> Result<ExitCode> {
    let (name, scheme) = match args.provider {
        KeyPairProvider::Sendgrid => ("sendgrid", Scheme::Sendgrid),
        KeyPairProvider::Telnyx => ("telnyx", Scheme::Telnyx),
        KeyPairProvider::Standard => ("standard", Scheme::Standard),
    };
    let algorithm = scheme.key_pair().unwrap_or(Algorithm::Ed25519);
    let path = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("{name}.pem")));
    let key = PrivateKey::generate(algorithm);
    let mut file = create(&path, args.force)?;
    file.write_all(key.to_pem().as_bytes())
        .and_then(|()| file.sync_all())
        .with_context(|| format!("cannot write {}", path.display()))?;
    let public = key.public().encode(scheme.public_format());
    let mut out = stream::stdout().lock();
    if args.json {
        let doc = json!({"private_key_file": path.display().to_string(), "public_key": public});
        writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
    } else {
        writeln!(out, "{public}")?;
        let note = format!(
            "{algorithm} private key written to {} (readable by you only): sign with --private-key {0}; the line above is the public key a receiver verifies with (--public-key)",
            path.display()
        );
        writeln!(stream::stderr(), "{}", palette::dim(&note))?;
    }
    Ok(Exit::Success.into())
}

/// Creates `path` readable and writable by its owner only; an existing file is refused unless
/// `force`.
fn create(path: &Path, force: bool) -> Result<File> {
    let mut options = OpenOptions::new();
    options.write(true);
    if force {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            hinted(
                format!("{} exists; keygen does not overwrite a key", path.display()),
                "pass --force to replace it, or another --out FILE",
            )
        } else {
            anyhow::Error::new(e).context(format!("cannot create {}", path.display()))
        }
    })?;
    // A file that existed keeps its mode through open: narrow it too.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))
            .with_context(|| format!("cannot restrict {} to its owner", path.display()))?;
    }
    Ok(file)
}
