//! Opening hours: the only module that knows the OpenStreetMap `opening_hours`
//! syntax.
//!
//! Parsing and evaluation are delegated to the `opening-hours` crate (the rule
//! tree comes from its `opening-hours-syntax` companion). This module adds
//! what a directory for residents needs on top of it:
//!
//! - holidays supplied by the caller (the site's zone decides them, see the
//!   `is_holiday` parameters), turned into the crate's holiday calendar;
//! - a state that is only "open" or "not open": the crate also changes state
//!   when only the comment changes, and has an `unknown` state, and neither
//!   must ever be shown as "ouvert";
//! - a weekly view ([`WeeklyHours`]) read off the rule tree, and its French
//!   rendering ([`french`]);
//! - parse errors with a column and a plain English message ([`HoursError`]);
//! - conversions between a site's wall clock and UTC across DST ([`local_now`],
//!   [`local_to_utc`]).
//!
//! # What the crate cannot represent, and how it is handled
//!
//! - School holidays (`SH`): no school calendar is given to the crate, so `SH`
//!   rules never match; the weekly view marks them `irregular`.
//! - Sun events (`sunrise`, `sunset`…): without coordinates the crate uses
//!   fixed times (dawn 06:00, sunrise 07:00, sunset 19:00, dusk 20:00); the
//!   weekly view leaves such rules out and marks them `irregular`.
//! - Open ends (`10:00+`): the crate reads them as open until midnight; same
//!   treatment as sun events.
//! - A rule that carries a comment but no time and no explicit state
//!   (`Mo-Fr "sur rendez-vous"`) is read by the crate as open all day. We read
//!   it as `unknown` instead, so a resident is never told "ouvert" on a guess
//!   (unless the text says `open`, `24/7` or `24:00` explicitly).
//! - A run of spaces where a rule is expected (`Mo 09:00-12:00;    ; Sa …`)
//!   is read by the grammar as an empty rule, which means 24/7: refused with
//!   an error instead.
//! - The crate builds an evaluator only from text, so a filtered or corrected
//!   rule tree is printed and parsed back, and must read back the same. Some
//!   dated selectors (`2026 Dec`, `Mar Su[-1]`) do not; the weekly view never
//!   needs them, and the comment correction above has a fallback for them.
//! - Holiday offsets (`PH +1 day`) are evaluated, but [`Hours::intervals_on`]
//!   only knows whether *that* date is a holiday; use
//!   [`Hours::intervals_on_with`] when neighbouring days matter.

mod clock;
mod error;
mod eval;
mod fast;
pub mod french;
pub mod holidays;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_eval;
mod weekly;

use std::ops::Range;
use std::sync::Arc;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Tz;
use opening_hours::OpeningHours;

use eval::{
    EVALUATED_YEARS, counts_as_open, demote_comment_only_rules, demoted_comments, evaluable,
    has_stray_empty_rule, holidays_context, open_intervals,
};

pub use clock::{hh_mm, interval_to_utc, local_now, local_to_utc};
pub use error::HoursError;
pub use weekly::{MonthlyRule, WeeklyHours};

/// Longest look-ahead [`Hours::next_change`] accepts, in days (about ten
/// years): the caller's holiday function is asked about every day of the
/// horizon, so an unbounded horizon would be an unbounded loop.
pub const MAX_HORIZON_DAYS: u32 = 3660;

/// Minutes since local midnight, end exclusive, end may be 1440.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Interval {
    /// First minute of the opening.
    pub start: u16,
    /// First minute after the opening (1440 = midnight at the end of the day).
    pub end: u16,
}

impl Interval {
    /// An interval from `start` to `end` minutes since midnight.
    pub const fn new(start: u16, end: u16) -> Self {
        Self { start, end }
    }

    /// Length in minutes (0 if the bounds are inverted).
    pub const fn minutes(self) -> u16 {
        self.end.saturating_sub(self.start)
    }
}

/// Parsed opening hours of one site (or of a temporary-hours notice).
#[derive(Debug, Clone, PartialEq)]
pub struct Hours {
    source: String,
    oh: OpeningHours,
    /// Comments whose open ranges are read as unknown, when the corrected
    /// tree could not be rebuilt (see [`Hours::parse`]).
    unknown_comments: Vec<Arc<str>>,
    weekly: WeeklyHours,
}

impl Hours {
    /// Parse an OSM `opening_hours` string. Never panics; errors carry a
    /// 1-based column and an English message. Surrounding whitespace is
    /// ignored (spreadsheets often leave some).
    pub fn parse(src: &str) -> Result<Hours, HoursError> {
        fast::PARSED.get_or_try(src, || Self::parse_uncached(src))
    }

    /// [`Hours::parse`] without the table of texts already parsed.
    fn parse_uncached(src: &str) -> Result<Hours, HoursError> {
        let text = src.trim();
        if text.is_empty() {
            return Err(HoursError::empty());
        }
        let lead = src[..src.len() - src.trim_start().len()].chars().count();
        // One grammar pass: the crate's reading carries the rule tree.
        let crate_reading: OpeningHours = text
            .parse()
            .map_err(|e| error::from_syntax(text, &e).shifted(lead))?;
        let expr = crate_reading.get_expression();
        if has_stray_empty_rule(&expr, text) {
            return Err(HoursError::stray_spaces(text).shifted(lead));
        }
        let demoted = demote_comment_only_rules((*expr).clone(), text);
        // `exact`: the evaluator reads `demoted` itself, so the weekly view
        // can reuse it.
        let (oh, unknown_comments, exact) = if demoted == *expr {
            (crate_reading, Vec::new(), true)
        } else if let Some(oh) = evaluable(&demoted) {
            (oh, Vec::new(), true)
        } else {
            // The corrected tree does not survive the crate's text round
            // trip: evaluate the text as is and read the open ranges of the
            // corrected rules' comments as unknown. Exact unless a timed rule
            // shares such a comment; then it errs towards "not open".
            let comments = demoted_comments(&expr, &demoted);
            (crate_reading, comments, false)
        };
        let weekly = weekly::compute(&demoted, exact.then_some(&oh));
        Ok(Hours {
            source: src.to_owned(),
            oh,
            unknown_comments,
            weekly,
        })
    }

    /// The text this was parsed from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Openings written with their end before their start (`Mo-Fr
    /// 12:00-08:30`), which the syntax reads as running past midnight, as
    /// (start, end) minutes since midnight. Swapped times are the usual
    /// cause; the extended form `22:00-26:00` says "overnight" on purpose
    /// and is not listed.
    pub fn overnight_spans(&self) -> Vec<(u16, u16)> {
        use opening_hours_syntax::rules::time::Time;
        let mut spans = Vec::new();
        for rule in &self.oh.get_expression().rules {
            if rule.kind != opening_hours::RuleKind::Open {
                continue;
            }
            for span in &rule.time_selector.spans {
                if let (Time::Fixed(start), Time::Fixed(end)) = (&span.range.start, &span.range.end)
                    && !span.open_end
                    && end < start
                {
                    let pair = (start.mins_from_midnight(), end.mins_from_midnight());
                    if !spans.contains(&pair) {
                        spans.push(pair);
                    }
                }
            }
        }
        spans
    }

    /// The regular week, computed once at parse time.
    pub fn weekly(&self) -> &WeeklyHours {
        &self.weekly
    }

    /// Local opening intervals on `date`. `is_holiday` says whether that date
    /// is a public holiday in the site's zone (the caller computes holidays);
    /// `PH off` and `PH 10:00-12:00` are honoured. Neighbouring days count as
    /// ordinary days: see [`Hours::intervals_on_with`].
    pub fn intervals_on(&self, date: NaiveDate, is_holiday: bool) -> Vec<Interval> {
        self.intervals_on_with(date, &|d| is_holiday && d == date)
    }

    /// Like [`Hours::intervals_on`], asking `is_holiday` about every day that
    /// can matter (the day before, for openings past midnight, and a week
    /// around for holiday offsets).
    pub fn intervals_on_with(
        &self,
        date: NaiveDate,
        is_holiday: &dyn Fn(NaiveDate) -> bool,
    ) -> Vec<Interval> {
        let oh = self.with_holidays(date, date, is_holiday);
        open_intervals(&oh, date, &self.unknown_comments)
    }

    /// Next instant strictly after `now` (a local wall-clock time in the
    /// site's zone) where the site opens or closes, within `horizon_days`
    /// (capped at [`MAX_HORIZON_DAYS`]); `None` if it never changes in that
    /// window. Changes of comment or between closed and unknown are not
    /// changes: only "ouvert" versus "pas ouvert" is. Instants before 1900 or
    /// after 9999 (outside what the crate evaluates) give `None`.
    pub fn next_change(
        &self,
        now: NaiveDateTime,
        horizon_days: u32,
        is_holiday: &dyn Fn(NaiveDate) -> bool,
    ) -> Option<NaiveDateTime> {
        if !EVALUATED_YEARS.contains(&now.year()) {
            return None;
        }
        let horizon = Duration::days(horizon_days.min(MAX_HORIZON_DAYS).into());
        let end = now
            .checked_add_signed(horizon)?
            .min(opening_hours::DATE_END);
        if end <= now {
            return None;
        }
        let oh = self.with_holidays(now.date(), end.date(), is_holiday);
        let open = |kind, comment: &str| counts_as_open(kind, comment, &self.unknown_comments);
        let mut ranges = oh.iter_range(now, end);
        let first = ranges.next()?;
        let open_now = open(first.kind, &first.comment);
        ranges
            .find(|r| open(r.kind, &r.comment) != open_now)
            .map(|r| r.range.start)
            .filter(|t| *t > now)
    }

    /// Whether the site is open at `now`, a local wall-clock time in the
    /// site's zone. `unknown` (e.g. "sur rendez-vous") is not open, and
    /// neither is any instant before 1900 or after 9999.
    pub fn is_open(&self, now: NaiveDateTime, is_holiday: &dyn Fn(NaiveDate) -> bool) -> bool {
        // The crate evaluates years 1900 to 9999 only (and would overflow
        // computing the minute after `NaiveDateTime::MAX`).
        if !EVALUATED_YEARS.contains(&now.year()) {
            return false;
        }
        let (kind, comment) = self
            .with_holidays(now.date(), now.date(), is_holiday)
            .state(now);
        counts_as_open(kind, &comment, &self.unknown_comments)
    }

    /// [`Hours::is_open`] for an instant in UTC, for a site in zone `tz`: the
    /// server's own zone never enters the computation.
    pub fn is_open_at(
        &self,
        utc: DateTime<Utc>,
        tz: Tz,
        is_holiday: &dyn Fn(NaiveDate) -> bool,
    ) -> bool {
        self.is_open(local_now(utc, tz), is_holiday)
    }

    /// Opening intervals on `date` as UTC instants for a site in zone `tz`,
    /// DST-aware (see [`interval_to_utc`]).
    pub fn utc_intervals_on(
        &self,
        date: NaiveDate,
        is_holiday: bool,
        tz: Tz,
    ) -> Vec<Range<DateTime<Utc>>> {
        self.intervals_on(date, is_holiday)
            .into_iter()
            .map(|iv| interval_to_utc(date, iv, tz))
            .collect()
    }

    /// The crate's expression with a holiday calendar covering `from..=to`
    /// plus a week on each side (for `PH ±n days` and openings that run past
    /// midnight).
    fn with_holidays(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        is_holiday: &dyn Fn(NaiveDate) -> bool,
    ) -> OpeningHours {
        let first = from.checked_sub_signed(Duration::days(7)).unwrap_or(from);
        let last = to.checked_add_signed(Duration::days(7)).unwrap_or(to);
        let days = first.iter_days().take_while(move |d| *d <= last);
        self.oh
            .clone()
            .with_context(holidays_context(days.filter(|d| is_holiday(*d))))
    }
}

impl std::str::FromStr for Hours {
    type Err = HoursError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Hours::parse(s)
    }
}
