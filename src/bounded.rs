//! Reads that stop at a size limit counted in bytes actually read: a file's reported length
//! says nothing about `/dev/zero`, a pipe or a file still growing.

use std::io::{self, Read};

/// More than `limit` bytes were offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("over {}", size(*.limit))]
pub struct TooLarge {
    /// The most that may be read.
    pub limit: u64,
}

impl TooLarge {
    /// The [`TooLarge`] an I/O error carries, if it is one.
    pub fn of(error: &io::Error) -> Option<TooLarge> {
        error.get_ref()?.downcast_ref::<TooLarge>().copied()
    }
}

/// A reader that yields at most `limit` bytes and fails with [`TooLarge`] when there are more.
#[derive(Debug)]
pub struct Bounded<R> {
    inner: R,
    limit: u64,
    read: u64,
}

impl<R: Read> Bounded<R> {
    /// Wraps `inner`.
    pub fn new(inner: R, limit: u64) -> Self {
        Self {
            inner,
            limit,
            read: 0,
        }
    }
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        // One byte past the limit is asked for, so that a source of exactly `limit` bytes passes.
        let room = (self.limit.saturating_add(1) - self.read).min(buf.len() as u64) as usize;
        let n = self.inner.read(&mut buf[..room])?;
        self.read += n as u64;
        if self.read > self.limit {
            return Err(io::Error::other(TooLarge { limit: self.limit }));
        }
        Ok(n)
    }
}

/// Everything `reader` yields, refused with [`TooLarge`] past `limit` bytes.
pub fn read_all(reader: impl Read, limit: u64) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    Bounded::new(reader, limit).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// A size for people: `64 KiB`, `1 GiB`, `1500 bytes`.
pub fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 && b % (1 << 30) == 0 => format!("{} GiB", b >> 30),
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exactly_the_limit_passes_and_one_more_byte_fails() {
        assert_eq!(read_all(&[7u8; 10][..], 10).unwrap().len(), 10);
        let err = read_all(&[7u8; 11][..], 10).unwrap_err();
        assert_eq!(TooLarge::of(&err), Some(TooLarge { limit: 10 }));
        let endless = read_all(io::repeat(0), 1 << 20).unwrap_err();
        assert_eq!(TooLarge::of(&endless).unwrap().to_string(), "over 1 MiB");
    }
}
