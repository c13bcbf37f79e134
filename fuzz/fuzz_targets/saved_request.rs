//! Fuzz target `saved_request`: see `hookctl_fuzz::saved_request` (fuzz/src/lib.rs) for the input format and the
//! properties checked. Run with `scripts/fuzz`, or `cargo fuzz run saved_request` from the repository.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| hookctl_fuzz::saved_request(data));
