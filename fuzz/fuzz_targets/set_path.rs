//! Fuzz target `set_path`: see `hookctl_fuzz::set_path` (fuzz/src/lib.rs) for the input format and the
//! properties checked. Run with `scripts/fuzz`, or `cargo fuzz run set_path` from the repository.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| hookctl_fuzz::set_path(data));
