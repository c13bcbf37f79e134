use super::{hookctl, stdout_of};

const FILES: [(&str, &str); 5] = [
    ("bash", "hookctl.bash"),
    ("zsh", "_hookctl"),
    ("fish", "hookctl.fish"),
    ("powershell", "_hookctl.ps1"),
    ("elvish", "hookctl.elv"),
];

#[test]
fn checked_in_completions_match_the_generator() {
    for (shell, file) in FILES {
        let path = format!("{}/completions/{file}", env!("CARGO_MANIFEST_DIR"));
        let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
        let generated = stdout_of(hookctl().args(["completions", shell]));
        assert!(
            checked_in == generated,
            "completions/{file} is stale: run scripts/update-completions and commit the result"
        );
    }
}

#[test]
fn every_command_help_shows_examples() {
    for cmd in [
        "events",
        "sample",
        "sign",
        "verify",
        "send",
        "listen",
        "replay",
        "check",
        "demo",
        "completions",
    ] {
        let help = stdout_of(hookctl().args([cmd, "--help"]));
        assert!(
            help.contains("Examples:\n  hookctl"),
            "{cmd} --help lacks examples"
        );
        examples_are_whole_lines(cmd, &help);
    }
    examples_are_whole_lines("hookctl", &stdout_of(hookctl().arg("--help")));
}

/// Each example is one line that can be copied whole: never hard-wrapped mid-command.
fn examples_are_whole_lines(cmd: &str, help: &str) {
    let (_, examples) = help.split_once("\nExamples:\n").unwrap();
    for line in examples.lines().filter(|l| !l.trim().is_empty()) {
        assert!(
            line.starts_with("  hookctl ") || line.starts_with("  curl "),
            "`{cmd} --help` has an example cut across lines: `{line}`"
        );
    }
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_hookctl"))
        .args(["completions", "zsh"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{:?}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
