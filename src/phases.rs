//! Wall time of each pipeline stage, for `build --timings` and `serve`'s
//! rebuild lines: where a slow build spends its time, and how much memory
//! it has needed so far.

use std::time::{Duration, Instant};

/// One finished phase.
#[derive(Debug, Clone)]
pub struct Phase {
    pub name: &'static str,
    pub took: Duration,
    /// The process's peak resident memory when the phase ended, in bytes,
    /// where the system tells it (Linux).
    pub peak_memory: Option<u64>,
}

/// How long each phase of a build took, in the order they ran.
#[derive(Debug, Clone)]
pub struct Phases {
    pub list: Vec<Phase>,
    mark: Instant,
}

impl Phases {
    /// Starts timing the first phase.
    pub fn start() -> Phases {
        Phases {
            list: Vec::new(),
            mark: Instant::now(),
        }
    }

    /// Ends phase `name`, started when the previous one ended.
    pub fn end(&mut self, name: &'static str) {
        let now = Instant::now();
        self.list.push(Phase {
            name,
            took: now - self.mark,
            peak_memory: peak_memory(),
        });
        self.mark = now;
    }

    /// The phases with the peak memory after each, for `build --timings`.
    pub fn with_memory(&self) -> String {
        self.describe(true)
    }

    fn describe(&self, memory: bool) -> String {
        let parts: Vec<String> = self
            .list
            .iter()
            .map(|p| {
                let took = format!("{} {} ms", p.name, p.took.as_millis());
                match p.peak_memory.filter(|_| memory) {
                    Some(bytes) => format!("{took} (peak {} MB)", bytes / 1_000_000),
                    None => took,
                }
            })
            .collect();
        parts.join(", ")
    }
}

impl std::fmt::Display for Phases {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe(false))
    }
}

/// Peak resident set size of this process (`VmHWM`), Linux only.
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
