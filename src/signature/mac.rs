//! HMAC-SHA256 over an optional prefix and a body, in memory or streamed, and a constant-time
//! comparison. Every scheme signs with this one primitive.

use std::io::{self, Read};

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// A raw HMAC-SHA256 tag.
pub type Tag = [u8; 32];

/// Read size for streamed bodies: large enough that the hash, not the system calls, sets the
/// pace, and small enough to stay in the core's cache between the copy and the hash.
const CHUNK: usize = 64 * 1024;

/// An HMAC-SHA256 key, hashed into its inner and outer pads once and reused for every tag.
#[derive(Clone)]
pub struct Key(Hmac<Sha256>);

impl Key {
    /// Prepares `key` (any length).
    pub fn new(key: &[u8]) -> Self {
        // HMAC accepts keys of any length, so this cannot fail.
        Self(Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length"))
    }

    /// HMAC-SHA256(key, prefix ‖ body).
    pub fn tag(&self, prefix: &[u8], body: &[u8]) -> Tag {
        let mut mac = self.0.clone();
        mac.update(prefix);
        mac.update(body);
        mac.finalize().into_bytes().into()
    }

    /// HMAC-SHA256(key, prefix ‖ everything `body` yields), in constant memory.
    pub fn tag_reader(&self, prefix: &[u8], body: &mut dyn Read) -> io::Result<Tag> {
        let mut mac = self.0.clone();
        mac.update(prefix);
        let mut buf = vec![0u8; CHUNK];
        loop {
            match body.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => mac.update(&buf[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
        Ok(mac.finalize().into_bytes().into())
    }
}

/// Compares two byte strings in time that depends only on their lengths.
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

/// Whether `needle` (not empty) occurs anywhere in `haystack`, each position compared in
/// constant time: the haystack is a sender's, the needle a key.
pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| ct_eq(w, needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streamed_tag_equals_in_memory_tag() {
        let body: Vec<u8> = (0..700_000u32).map(|i| (i % 251) as u8).collect();
        let streamed = Key::new(b"k")
            .tag_reader(b"p.", &mut body.as_slice())
            .unwrap();
        assert_eq!(streamed, Key::new(b"k").tag(b"p.", &body));
    }

    #[test]
    fn ct_eq_compares_content_and_length() {
        assert!(ct_eq(b"abc", b"abc"));
        assert!(!ct_eq(b"abc", b"abd"));
        assert!(!ct_eq(b"abc", b"ab"));
    }
}
