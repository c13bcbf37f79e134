//! The bulk-mode progress bar: on a terminal's stderr only, fed from the runner's counters.

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

use crate::delivery::bulk::Progress;

/// A progress bar that follows a burst's counters.
pub struct Bar {
    bar: ProgressBar,
    progress: Arc<Progress>,
}

impl Bar {
    /// A bar for `count` deliveries, or `None` when stderr is not a terminal.
    pub fn new(count: u64, progress: Arc<Progress>) -> Option<Self> {
        if !std::io::stderr().is_terminal() {
            return None;
        }
        let bar = ProgressBar::with_draw_target(Some(count), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} {rate} {elapsed_precise} {msg}")
                .expect("a valid template")
                .with_key(
                    "rate",
                    |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                        let _ = w.write_str(&per_second(state.per_sec()));
                    },
                ),
        );
        Some(Self { bar, progress })
    }

    /// Redraws from the counters ten times a second until the task is aborted.
    pub fn follow(&self) -> tokio::task::JoinHandle<()> {
        let (bar, progress) = (self.bar.clone(), self.progress.clone());
        tokio::spawn(async move {
            loop {
                let done = progress.done.load(Ordering::Relaxed);
                let failed = done.saturating_sub(progress.ok.load(Ordering::Relaxed));
                bar.set_position(done);
                bar.set_message(if failed > 0 {
                    format!("{failed} failed")
                } else {
                    String::new()
                });
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
    }

    /// Clears the bar before the summary is printed.
    pub fn finish(self) {
        self.bar.finish_and_clear();
    }
}

/// A rate for people: whole numbers, one decimal below 10 (`994/s`, `2.5/s`).
pub fn per_second(rate: f64) -> String {
    if rate < 10.0 {
        format!("{rate:.1}/s")
    } else {
        format!("{rate:.0}/s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_whole_numbers_or_one_decimal() {
        assert_eq!(per_second(993.7873), "994/s");
        assert_eq!(per_second(2.54), "2.5/s");
    }
}
