//! Fuzz target `header_line`: see `hookctl_fuzz::header_line` (fuzz/src/lib.rs) for the input format and the
//! properties checked. Run with `scripts/fuzz`, or `cargo fuzz run header_line` from the repository.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| hookctl_fuzz::header_line(data));
