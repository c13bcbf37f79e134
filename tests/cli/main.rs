//! The `hookctl` binary run as a user runs it.

mod burst;
mod catalog;
mod check;
mod completions;
mod faults;
mod hostile;
mod listen;
mod listening;
mod secrets;
mod send;
mod server;
mod sign_verify;

use assert_cmd::Command;

/// The built binary, with colour off and no secret in the environment.
pub fn hookctl() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hookctl"));
    cmd.env_remove("HOOKCTL_SECRET").env("NO_COLOR", "1");
    cmd
}

/// Stdout of a run that must succeed.
pub fn stdout_of(cmd: &mut Command) -> String {
    let out = cmd.assert().success().get_output().stdout.clone();
    String::from_utf8(out).expect("stdout is UTF-8")
}
