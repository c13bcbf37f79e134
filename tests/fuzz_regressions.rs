//! Replays the checked-in fuzz cases through the fuzz targets' own code.
//!
//! `fuzz/src/lib.rs` holds the body of every cargo-fuzz target; it is included here as a module,
//! so each file under `tests/fuzz-cases/<target>/` (hand-written seeds, inputs kept from the fuzz
//! corpus, and every input that once crashed a target) runs through exactly what the fuzzer ran,
//! properties included. A case that panics fails the test and is named.
//!
//! Each case runs on a thread with an 8 MiB stack, the size of the main thread that the CLI and
//! the fuzzer run on, so a stack overflow reproduces here as it would there.

#[path = "../fuzz/src/lib.rs"]
mod harness;

use std::path::{Path, PathBuf};

fn cases(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz-cases")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

fn replay(target: &str) {
    let (_, run) = harness::TARGETS
        .into_iter()
        .find(|(name, _)| *name == target)
        .unwrap_or_else(|| panic!("no fuzz target {target}"));
    let files = cases(target);
    assert!(!files.is_empty(), "no cases for {target}");
    let mut failed = Vec::new();
    for file in &files {
        let data = std::fs::read(file).expect("a readable case");
        let outcome = std::thread::Builder::new()
            .name(target.to_string())
            .stack_size(8 << 20)
            .spawn(move || run(&data))
            .expect("a thread")
            .join();
        if outcome.is_err() {
            failed.push(file.display().to_string());
        }
    }
    assert!(
        failed.is_empty(),
        "{target}: {} of {} cases panicked:\n{}",
        failed.len(),
        files.len(),
        failed.join("\n")
    );
}

#[test]
fn every_target_has_a_case_directory() {
    for (target, _) in harness::TARGETS {
        assert!(
            !cases(target).is_empty(),
            "tests/fuzz-cases/{target} is empty"
        );
    }
    // And every case directory belongs to a target, so no cases sit where nothing replays them.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-cases");
    let mut dirs: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    let mut targets: Vec<&str> = harness::TARGETS.iter().map(|(name, _)| *name).collect();
    targets.sort_unstable();
    assert_eq!(
        dirs, targets,
        "tests/fuzz-cases/ holds one directory per fuzz target"
    );
}

#[test]
fn signature_headers_cases() {
    replay("signature_headers");
}

#[test]
fn header_line_cases() {
    replay("header_line");
}

#[test]
fn secret_cases() {
    replay("secret");
}

#[test]
fn set_path_cases() {
    replay("set_path");
}

#[test]
fn saved_request_cases() {
    replay("saved_request");
}

#[test]
fn seeds_signed_with_the_fixed_secret_are_valid() {
    use hookctl::signature::{Headers, Policy, Scheme, Secret, Signer, Verdict, parse_header_line};
    let secret = Secret::new(harness::SECRET).unwrap();
    let policy = Policy {
        now: harness::NOW,
        tolerance: Some(300),
    };
    // The seeds sign the body alone; URL-signed schemes have their own tests (tests/cli).
    for scheme in Scheme::MAC.into_iter().chain([Scheme::Vonage]) {
        let file = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!(
            "tests/fuzz-cases/signature_headers/seed-{}-valid.txt",
            scheme.name()
        ));
        let text = std::fs::read_to_string(&file).unwrap();
        let (head, body) = text.split_once("\n\n").unwrap();
        let headers: Headers = head.lines().filter_map(parse_header_line).collect();
        let signer = Signer::new(scheme, &secret, None).unwrap();
        assert_eq!(
            signer.verify(&headers, body.as_bytes(), &policy),
            Verdict::Valid,
            "{}",
            file.display()
        );
    }
}
