//! Fuzz target `secret`: see `hookctl_fuzz::secret` (fuzz/src/lib.rs) for the input format and the
//! properties checked. Run with `scripts/fuzz`, or `cargo fuzz run secret` from the repository.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| hookctl_fuzz::secret(data));
