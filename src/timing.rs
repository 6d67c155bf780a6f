//! Phase timings, printed on stderr when `JIREI_TIMING` is set: where a
//! build or a rebuild spends its time and memory, for benchmarks and
//! profiling.
//!
//! ```
//! let mut phases = jirei::timing::Phases::start();
//! phases.mark("read");
//! phases.report("build");
//! ```

use std::time::{Duration, Instant};

/// Durations of consecutive named phases.
pub struct Phases {
    last: Instant,
    /// Name, duration, and the process's resident memory at its end (MB,
    /// where the system tells).
    marks: Vec<(&'static str, Duration, Option<u64>)>,
}

impl Phases {
    /// Starts timing now.
    pub fn start() -> Phases {
        Phases::since(Instant::now())
    }

    /// Starts timing at `started` (the first phase began then).
    pub fn since(started: Instant) -> Phases {
        Phases {
            last: started,
            marks: Vec::new(),
        }
    }

    /// Ends the current phase, called `name`, and starts the next.
    pub fn mark(&mut self, name: &'static str) {
        let now = Instant::now();
        self.marks.push((name, now - self.last, resident_mb()));
        self.last = now;
    }

    /// Prints `jirei: <what> phases: name 1.0 ms, …` on stderr if
    /// `JIREI_TIMING` is set.
    pub fn report(&self, what: &str) {
        if enabled() {
            eprintln!("jirei: {what} phases: {}", self.summary());
        }
    }

    fn summary(&self) -> String {
        let parts: Vec<String> = self
            .marks
            .iter()
            .map(|(name, d, mb)| match mb {
                Some(mb) => format!("{name} {:.1} ms ({mb} MB)", d.as_secs_f64() * 1000.0),
                None => format!("{name} {:.1} ms", d.as_secs_f64() * 1000.0),
            })
            .collect();
        parts.join(", ")
    }
}

/// Whether timings are printed (`JIREI_TIMING` is set).
pub fn enabled() -> bool {
    std::env::var_os("JIREI_TIMING").is_some()
}

/// The resident memory of this process in MB (Linux: `VmRSS` in
/// `/proc/self/status`), read only when timings are printed.
fn resident_mb() -> Option<u64> {
    if !enabled() {
        return None;
    }
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_are_listed_in_order_with_their_durations() {
        let started = Instant::now();
        let mut phases = Phases::since(started);
        phases.mark("read");
        phases.mark("write");
        let summary = phases.summary();
        assert!(summary.starts_with("read "), "{summary}");
        assert!(summary.contains(" ms, write "), "{summary}");
    }
}
