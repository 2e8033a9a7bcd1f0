//! A fast path for dated intervals: most sites' hours are a plain week with
//! `PH off`, and on an ordinary day the crate's answer is the weekly view's.
//!
//! A directory build asks for about 150 dated days per site; evaluating each
//! with the crate (a fresh holiday calendar and a rule walk per day) was the
//! largest cost of a national build. [`Hours::intervals_on_fast`] answers
//! from [`WeeklyHours`] only where that is provably the crate's answer, and
//! asks the crate otherwise, so results never differ from
//! [`Hours::intervals_on`].

use chrono::{Datelike, NaiveDate};

use super::{Hours, Interval, WeeklyHours};

impl Hours {
    /// Same result as [`Hours::intervals_on`], cheaper on ordinary days.
    ///
    /// The weekly view holds the crate's own evaluation of the rules that
    /// apply every week. Everything else is evaluated by the crate: public
    /// holidays, the weekdays of monthly rules (`Sa[2]`), and every day of
    /// hours whose view is incomplete (`irregular`), carries comments (read
    /// as unknown or closed) or runs past midnight (the previous day spills
    /// over).
    pub fn intervals_on_fast(&self, date: NaiveDate, is_holiday: bool) -> Vec<Interval> {
        match self.weekly_answers(date, is_holiday) {
            Some(day) => day.to_vec(),
            None => self.intervals_on(date, is_holiday),
        }
    }

    /// The weekly view's intervals for `date`, when they are the crate's answer.
    fn weekly_answers(&self, date: NaiveDate, is_holiday: bool) -> Option<&[Interval]> {
        let w = &self.weekly;
        if is_holiday || !self.unknown_comments.is_empty() || !plain_week(w) {
            return None;
        }
        let weekday = date.weekday().num_days_from_monday() as u8;
        if w.monthly.iter().any(|m| m.weekday == weekday) {
            return None;
        }
        Some(&w.days[weekday as usize])
    }
}

/// A week the view describes completely, with no opening across midnight.
fn plain_week(w: &WeeklyHours) -> bool {
    let crosses = |iv: &Interval| iv.start == 0 || iv.end >= 24 * 60;
    !w.irregular
        && w.comments.is_empty()
        && !w.days.iter().flatten().any(crosses)
        && !w.monthly.iter().flat_map(|m| &m.intervals).any(crosses)
}

/// Hours already parsed in this process, by exact source text.
///
/// Directories repeat the same few hundred opening-hours strings
/// ("Mo-Fr 08:30-12:00,13:30-17:00; PH off") across thousands of sites, and
/// parsing one costs far more than cloning a parsed value, whose expression
/// is shared behind an `Arc`. Only successful parses are kept.
pub(super) static PARSED: crate::memo::Memo<Hours> = crate::memo::Memo::new(PARSED_CAPACITY);

/// Most distinct texts kept: a national directory's worth. An entry shares
/// its rule tree with the sites that use it, so it costs a few hundred bytes.
const PARSED_CAPACITY: usize = 100_000;
