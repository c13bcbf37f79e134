//! Fuzz target `signature_headers`: see `hookctl_fuzz::signature_headers` (fuzz/src/lib.rs) for the input format and the
//! properties checked. Run with `scripts/fuzz`, or `cargo fuzz run signature_headers` from the repository.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| hookctl_fuzz::signature_headers(data));
