//! The file format of `listen --save`: the request as it came off the wire, headers and raw body
//! byte for byte, so `replay` can send it again exactly.
//!
//! ```text
//! POST /webhook HTTP/1.1\r\n
//! content-type: application/json\r\n
//! x-ekdsend-signature: sha256=…\r\n
//! \r\n
//! <raw body bytes>
//! ```

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use http::{HeaderMap, HeaderName, HeaderValue};

use crate::bounded::{self, TooLarge};

/// The most header lines a saved request may hold: far more than any request carries (the
/// listener itself accepts 100), and few enough for an HTTP header map.
pub const MAX_HEADER_LINES: usize = 1000;

/// A saved request.
#[derive(Debug, Clone, PartialEq)]
pub struct Saved {
    /// `POST`.
    pub method: String,
    /// Path and query as received.
    pub path: String,
    /// Headers, values as raw bytes.
    pub headers: HeaderMap,
    /// The body exactly as received.
    pub body: Vec<u8>,
}

/// Why a file is not a saved request.
#[derive(Debug, thiserror::Error)]
pub enum SavedError {
    /// The file could not be read (the cause is the error's source, so chains print it once).
    #[error("cannot read {path}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: io::Error,
    },
    /// The file is larger than the caller can hold.
    #[error("{path} is {too_large}, the most hookctl holds in memory to send")]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The limit.
        too_large: TooLarge,
    },
    /// The file is not in the `listen --save` format.
    #[error("{path} is not a request saved by `hookctl listen --save` ({why})")]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        why: &'static str,
    },
}

/// The bytes of a saved request.
pub fn encode(method: &str, path: &str, headers: &HeaderMap, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + 512);
    out.extend_from_slice(format!("{method} {path} HTTP/1.1\r\n").as_bytes());
    for (name, value) in headers {
        out.extend_from_slice(name.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
    out
}

/// How many `-2`, `-3`… suffixes are tried before a save gives up on a taken name.
const NAME_TRIES: u32 = 1000;

/// Keeps `bytes` in `dir` under `name` (or `name` with `-2`, `-3`… before its extension when
/// taken), durably and never over an existing file; returns the file's path.
///
/// The bytes go to a fresh temporary file (owner-only, synced), which is then hard-linked to
/// its final name: a link never replaces a file, so two listeners saving into one directory
/// cannot overwrite each other. The directory is synced before returning, so an `Ok` survives
/// a crash. On any error nothing is left behind.
pub fn store(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<PathBuf> {
    let temp = dir.join(format!(".{name}.tmp"));
    let linked = write_synced(&temp, bytes).and_then(|()| link_unused(&temp, dir, name));
    // The temporary name goes in every case: the bytes live on under the final name, or not at all.
    let removed = std::fs::remove_file(&temp);
    let target = linked?;
    if let Err(e) = removed.and_then(|()| sync_dir(dir)) {
        let _ = std::fs::remove_file(&target);
        return Err(e);
    }
    Ok(target)
}

/// Whether requests can be saved into `dir`: stores and removes a small file, as a save would.
pub fn probe(dir: &Path) -> io::Result<()> {
    let name = format!(
        ".hookctl-probe-p{}-{:08x}.probe",
        std::process::id(),
        rand::random::<u32>()
    );
    let path = store(dir, &name, b"probe")?;
    std::fs::remove_file(path)
}

/// Writes `bytes` to a new file at `path`, readable by the owner only, and syncs it to disk.
fn write_synced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Links `temp` to the first free name among `name`, `name-2`, `name-3`… in `dir`.
fn link_unused(temp: &Path, dir: &Path, name: &str) -> io::Result<PathBuf> {
    let (stem, extension) = match name.rsplit_once('.') {
        Some((stem, extension)) => (stem, format!(".{extension}")),
        None => (name, String::new()),
    };
    for n in 1..=NAME_TRIES {
        let candidate = match n {
            1 => name.to_string(),
            n => format!("{stem}-{n}{extension}"),
        };
        let target = dir.join(candidate);
        match std::fs::hard_link(temp, &target) {
            Ok(()) => return Ok(target),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!("{NAME_TRIES} files named like {name} already exist"),
    ))
}

/// Syncs the directory entry of a new file (its name), not only its bytes.
fn sync_dir(dir: &Path) -> io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

/// Reads a saved request back; a file of more than `limit` bytes is refused (counted as read:
/// a symlink to /dev/zero reports a length of 0).
pub fn read(path: &Path, limit: u64) -> Result<Saved, SavedError> {
    let io = |source| SavedError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let bytes = bounded::read_all(file, limit).map_err(|e| match TooLarge::of(&e) {
        Some(too_large) => SavedError::TooLarge {
            path: path.to_path_buf(),
            too_large,
        },
        None => io(e),
    })?;
    decode_owned(bytes).map_err(|why| SavedError::Format {
        path: path.to_path_buf(),
        why,
    })
}

/// Parses the bytes of a saved request.
pub fn decode(bytes: &[u8]) -> Result<Saved, &'static str> {
    decode_owned(bytes.to_vec())
}

/// [`decode`] taking the bytes: the body keeps their allocation, so a large request is held once.
pub fn decode_owned(mut bytes: Vec<u8>) -> Result<Saved, &'static str> {
    let split = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("no blank line after the headers")?;
    let (method, path, headers) = decode_head(&bytes[..split])?;
    bytes.drain(..split + 4);
    Ok(Saved {
        method,
        path,
        headers,
        body: bytes,
    })
}

/// The request line and the headers.
fn decode_head(head: &[u8]) -> Result<(String, String, HeaderMap), &'static str> {
    let mut lines = head
        .split(|b| *b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l));
    let first = std::str::from_utf8(lines.next().ok_or("empty")?)
        .map_err(|_| "request line is not text")?;
    let mut parts = first.split(' ');
    let (Some(method), Some(path), Some("HTTP/1.1")) = (parts.next(), parts.next(), parts.next())
    else {
        return Err("the first line is not `METHOD PATH HTTP/1.1`");
    };
    let mut headers = HeaderMap::new();
    for (n, line) in lines.enumerate() {
        if n == MAX_HEADER_LINES {
            return Err("more than 1000 header lines");
        }
        let colon = line
            .iter()
            .position(|b| *b == b':')
            .ok_or("a header line has no colon")?;
        let name = HeaderName::from_bytes(&line[..colon]).map_err(|_| "bad header name")?;
        let value = line[colon + 1..]
            .strip_prefix(b" ")
            .unwrap_or(&line[colon + 1..]);
        let value = HeaderValue::from_bytes(value).map_err(|_| "bad header value")?;
        headers
            .try_append(name, value)
            .map_err(|_| "more headers than a request can carry")?;
    }
    Ok((method.to_string(), path.to_string(), headers))
}

/// A file name for a saved request: sortable by arrival, unique across processes (the process
/// id and a random part), with the event id when known.
pub fn file_name(received_at: jiff::Timestamp, seq: u64, id: Option<&str>) -> String {
    let stamp = received_at.strftime("%Y%m%dT%H%M%S%.3fZ");
    let id: String = id
        .unwrap_or("request")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .take(64)
        .collect();
    let pid = std::process::id();
    let random: u32 = rand::random();
    format!("{stamp}-{seq:06}-p{pid}-{random:08x}-{id}.http")
}

/// When the request saved under `name` (a [`file_name`]) was received, read back from the
/// name; `None` for a name of another kind.
pub fn received_at(name: &str) -> Option<jiff::Timestamp> {
    let stamp = name.get(..20)?;
    jiff::fmt::strtime::parse("%Y%m%dT%H%M%S%.fZ", stamp)
        .ok()?
        .to_datetime()
        .ok()?
        .to_zoned(jiff::tz::TimeZone::UTC)
        .ok()
        .map(|z| z.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_name_gives_back_its_received_time() {
        let at: jiff::Timestamp = "2026-12-02T16:03:59.836Z".parse().unwrap();
        assert_eq!(received_at(&file_name(at, 7, Some("evt_1"))), Some(at));
        assert_eq!(received_at("a.http"), None);
        assert_eq!(received_at("20261302T160359.836Z-x.http"), None);
    }

    #[test]
    fn more_header_lines_than_the_limit_are_refused() {
        let mut bytes = b"POST / HTTP/1.1\r\n".to_vec();
        for i in 0..=MAX_HEADER_LINES {
            bytes.extend_from_slice(format!("x-h{i}: v\r\n").as_bytes());
        }
        bytes.extend_from_slice(b"\r\n{}");
        assert_eq!(decode(&bytes), Err("more than 1000 header lines"));
    }

    #[test]
    fn a_request_survives_encode_and_decode_byte_for_byte() {
        let mut headers = HeaderMap::new();
        headers.append("x-a", HeaderValue::from_bytes(b"caf\xe9\tx").unwrap());
        headers.append("x-a", HeaderValue::from_static("second"));
        let body = b"\r\n\r\n\xff\x00binary{}".to_vec();
        let saved = decode(&encode("POST", "/h?q=1", &headers, &body)).unwrap();
        assert_eq!(
            saved,
            Saved {
                method: "POST".into(),
                path: "/h?q=1".into(),
                headers,
                body
            }
        );
    }

    #[test]
    fn a_taken_name_gets_a_suffix_and_the_first_file_is_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let first = store(dir.path(), "a.http", b"first").unwrap();
        let second = store(dir.path(), "a.http", b"second").unwrap();
        let third = store(dir.path(), "a.http", b"third").unwrap();
        assert_eq!(second, dir.path().join("a-2.http"));
        assert_eq!(third, dir.path().join("a-3.http"));
        assert_eq!(std::fs::read(first).unwrap(), b"first");
        let mut names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        assert_eq!(
            names,
            ["a-2.http", "a-3.http", "a.http"],
            "no temporaries left"
        );
    }
}
