//! Wall time of each pipeline stage, for `build --timings` and `serve`'s
//! rebuild lines: where a slow build spends its time.

use std::time::{Duration, Instant};

/// How long each phase of a build took, in the order they ran.
#[derive(Debug, Clone)]
pub struct Phases {
    pub list: Vec<(&'static str, Duration)>,
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
        if std::env::var_os("GUICHET_RSS").is_some() {
            let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
            let rss: Vec<&str> = status
                .lines()
                .filter(|l| l.starts_with("VmRSS") || l.starts_with("VmHWM"))
                .collect();
            eprintln!("{name}: {rss:?}");
        }
        let now = Instant::now();
        self.list.push((name, now - self.mark));
        self.mark = now;
    }
}

impl std::fmt::Display for Phases {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self
            .list
            .iter()
            .map(|(name, d)| format!("{name} {} ms", d.as_millis()))
            .collect();
        f.write_str(&parts.join(", "))
    }
}
