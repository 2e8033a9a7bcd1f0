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
