//! The build clock: the one place guichet reads the time.
//!
//! Notice states, "open now" data and the date printed on pages depend on
//! the moment a build is made for. `--now` or `SOURCE_DATE_EPOCH` fix it, so
//! that two builds of the same inputs give the same bytes; otherwise the
//! system clock is read, once per build.

use chrono::{DateTime, Utc};

/// Where a build's moment comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// `--now` or `SOURCE_DATE_EPOCH`: every build is made for this moment.
    Fixed(DateTime<Utc>),
    /// Each build is made for the moment it starts.
    System,
}

impl Clock {
    /// `--now` if given, else `SOURCE_DATE_EPOCH` if set, else the system
    /// clock. Errors say what was wrong with the value and what is expected.
    pub fn from_settings(now: Option<&str>) -> Result<Clock, String> {
        if let Some(s) = now {
            return DateTime::parse_from_rfc3339(s)
                .map(|d| Clock::Fixed(d.with_timezone(&Utc)))
                .map_err(|e| {
                    format!(
                        "--now `{s}` is not an RFC 3339 date-time ({e}); e.g. 2026-11-23T10:00:00+01:00"
                    )
                });
        }
        if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
            let secs: i64 = epoch
                .trim()
                .parse()
                .map_err(|_| format!("SOURCE_DATE_EPOCH `{epoch}` is not a number of seconds"))?;
            return DateTime::from_timestamp(secs, 0)
                .map(Clock::Fixed)
                .ok_or_else(|| format!("SOURCE_DATE_EPOCH `{epoch}` is out of range"));
        }
        Ok(Clock::System)
    }

    /// The moment to build for: read once per build and passed down.
    pub fn now(self) -> DateTime<Utc> {
        match self {
            Clock::Fixed(t) => t,
            Clock::System => Utc::now(),
        }
    }

    /// Whether builds follow the system clock (and so a new day needs one).
    pub fn follows_system(self) -> bool {
        self == Clock::System
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_gives_its_moment() {
        let c = Clock::from_settings(Some("2026-11-23T10:00:00+01:00")).unwrap();
        assert_eq!(c.now().to_rfc3339(), "2026-11-23T09:00:00+00:00");
        assert!(!c.follows_system());
        let e = Clock::from_settings(Some("23/11/2026")).unwrap_err();
        assert!(e.contains("RFC 3339"), "{e}");
    }
}
