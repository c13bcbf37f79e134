//! `hookctl keygen`: a key pair for a public-key provider. The private key goes to a PEM file
//! only its owner can read (never to the terminal); the public key is printed as the provider
//! shows it, ready to paste where the receiver reads it.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
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
    write_key(&path, &key.to_pem(), args.force)?;
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
/// `force`, and with it only a regular file is replaced (never a link, a device or a pipe). The
/// key is written to a fresh owner-only file beside it, then renamed into place, so a failed
/// write leaves nothing behind.
fn write_key(path: &Path, pem: &str, force: bool) -> Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(_) if !force => {
            return Err(hinted(
                format!("{} exists; keygen does not overwrite a key", path.display()),
                "pass --force to replace it, or another --out FILE",
            ));
        }
        Ok(meta) if !meta.is_file() => {
            return Err(hinted(
                format!(
                    "{} is not a regular file; keygen replaces only a key file",
                    path.display()
                ),
                "give another --out FILE",
            ));
        }
        _ => {}
    }
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map_or_else(|| "key".into(), |n| n.to_string_lossy().into_owned());
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = create_new(&temp).and_then(|mut file| {
        file.write_all(pem.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    });
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(anyhow::Error::new(e).context(format!("cannot write {}", path.display())));
    }
    Ok(())
}

/// A new file readable and writable by its owner only.
fn create_new(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}
