//! The weekly view: what a resident reads on a site's page ("Lundi 08h30 –
//! 12h00…"), read off the rule tree of `opening-hours-syntax`.
//!
//! The tree tells *which* rules hold every week; the crate still does the
//! evaluating. Each rule's weekday list is split into plain weekdays, n-th
//! weekdays of the month and public holidays, and three filtered expressions
//! are rebuilt: regular rules only (the week), regular plus n-th weekday rules
//! (the monthly lines), regular plus `PH` rules (holiday closing). Each is
//! evaluated by the crate on reference dates, so rule order, `off`, additional
//! rules (`,`) and openings past midnight keep the crate's exact semantics.
//! Everything else (dates, months, weeks, years, offsets, school holidays, sun
//! times, open ends) is left out of the view and sets `irregular`.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use opening_hours::{OpeningHours, RuleKind};
use opening_hours_syntax::rules::day::{HolidayKind, WeekDayRange};
use opening_hours_syntax::rules::time::{Time, TimeSelector};
use opening_hours_syntax::rules::{OpeningHoursExpression, RuleSequence};

use super::Interval;
use super::eval::{evaluable, holidays_context, open_intervals};

/// Noon-ish boundary between the morning and the afternoon, in minutes.
const ONE_PM: u16 = 13 * 60;

/// A once-a-month rule such as `Sa[4] 09:00-12:00` or `Fr[-1] …`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MonthlyRule {
    /// 0 = Monday … 6 = Sunday.
    pub weekday: u8,
    /// 1..=5 counts from the start of the month; -1 is the last such weekday
    /// of the month, -2 the one before it, and so on.
    pub nth: i8,
    /// The complete opening intervals on such a day: they replace the regular
    /// intervals of that weekday (empty = closed that day, e.g. `Sa[1] off`).
    pub intervals: Vec<Interval>,
}

/// The regular week, as residents read it.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct WeeklyHours {
    /// Monday first; only rules that hold every week.
    pub days: [Vec<Interval>; 7],
    /// Rules for the n-th weekday of the month.
    pub monthly: Vec<MonthlyRule>,
    /// Quoted comments like "sur rendez-vous", in order, without duplicates.
    pub comments: Vec<String>,
    /// `PH off`: closed on every public holiday, whatever its weekday.
    pub closed_on_public_holidays: bool,
    /// The expression has rules the weekly view cannot show (week ranges,
    /// dated exceptions, month ranges, special holiday hours, school holidays,
    /// sun times…); the dated schedule ([`super::Hours::intervals_on`]) still
    /// honours them.
    pub irregular: bool,
    /// One of the rules left out of the view can open the site (`week
    /// 1-53/2 Mo 09:00-12:00`, `Mo-Fr sunrise-sunset`): a day the view shows
    /// without opening may still open, so it must not read "closed".
    pub irregular_opens: bool,
}

impl WeeklyHours {
    /// Minutes open in a regular week.
    ///
    /// Monthly rules are not counted: they do not happen every week, and a
    /// rule such as `Sa[4]` replaces that Saturday's hours rather than adding
    /// to them, so any weekly share of it would be a number no resident ever
    /// experiences.
    pub fn weekly_minutes(&self) -> u32 {
        self.days
            .iter()
            .flatten()
            .map(|iv| u32::from(iv.minutes()))
            .sum()
    }

    /// Days of the regular week with at least one interval.
    pub fn open_days(&self) -> usize {
        self.days.iter().filter(|d| !d.is_empty()).count()
    }

    /// Half-days open in a regular week.
    ///
    /// Per day, the morning counts as one half-day if any interval starts
    /// before 13:00, and the afternoon as one if any interval ends after
    /// 13:00. So `08:30-12:00` is one (morning), `13:30-17:30` is one
    /// (afternoon), `09:00-17:00` spans 13:00 and is two, and
    /// `08:30-12:00,13:30-17:00` is two. A day counts at most two.
    pub fn half_days(&self) -> usize {
        self.days
            .iter()
            .map(|day| {
                usize::from(day.iter().any(|iv| iv.start < ONE_PM))
                    + usize::from(day.iter().any(|iv| iv.end > ONE_PM))
            })
            .sum()
    }

    /// No opening at all in the view: no regular interval and no monthly
    /// opening. Comments or `irregular` rules may still say more.
    pub fn is_empty(&self) -> bool {
        self.days.iter().all(Vec::is_empty) && self.monthly.iter().all(|m| m.intervals.is_empty())
    }
}

/// A Monday far from any rule a site would write; only weekdays matter to the
/// filtered expressions evaluated on it.
fn reference_monday() -> NaiveDate {
    NaiveDate::from_ymd_opt(2001, 1, 1).unwrap_or_default()
}

enum DayKind {
    Plain,
    Monthly(Vec<(Weekday, i8)>),
    PublicHoliday,
    Other,
}

fn classify(range: &WeekDayRange) -> DayKind {
    match range {
        WeekDayRange::Fixed {
            range,
            offset,
            nth_from_start,
            nth_from_end,
        } => {
            if *offset != 0 {
                return DayKind::Other;
            }
            // Either array full means "every such weekday" (the crate ORs them).
            if nth_from_start.iter().all(|b| *b) || nth_from_end.iter().all(|b| *b) {
                return DayKind::Plain;
            }
            if range.start() != range.end() {
                return DayKind::Other;
            }
            let day = *range.start();
            let from_start = (1..=5i8).zip(*nth_from_start).filter(|(_, on)| *on);
            let from_end = (1..=5i8).zip(*nth_from_end).filter(|(_, on)| *on);
            let keys = from_start
                .map(|(n, _)| (day, n))
                .chain(from_end.map(|(n, _)| (day, -n)))
                .collect();
            DayKind::Monthly(keys)
        }
        WeekDayRange::Holiday {
            kind: HolidayKind::Public,
            offset: 0,
        } => DayKind::PublicHoliday,
        WeekDayRange::Holiday { .. } => DayKind::Other,
    }
}

/// Fixed times only: no sun events, open ends or repetitions.
fn simple_times(ts: &TimeSelector) -> bool {
    ts.spans.iter().all(|span| {
        matches!(span.range.start, Time::Fixed(_))
            && matches!(span.range.end, Time::Fixed(_))
            && !span.open_end
            && span.repeats.is_none()
    })
}

/// Keep `rule` with only the weekday entries in `days`; drop it when none are
/// left (an empty weekday list would mean "every day").
fn push_with(set: &mut Vec<RuleSequence>, rule: &RuleSequence, days: Vec<WeekDayRange>) {
    if days.is_empty() {
        return;
    }
    let mut rule = rule.clone();
    rule.day_selector.weekday = days;
    set.push(rule);
}

/// Compute the weekly view of a parsed expression. `whole`, when given,
/// evaluates `expr` itself: a rule subset equal to the whole expression is
/// evaluated with it instead of going through the crate's text round trip.
pub(crate) fn compute(expr: &OpeningHoursExpression, whole: Option<&OpeningHours>) -> WeeklyHours {
    let evaluate = |rules: Vec<_>| match whole {
        Some(oh) if rules == expr.rules => Some(oh.clone()),
        _ => evaluable(&OpeningHoursExpression { rules }),
    };
    let mut week = WeeklyHours::default();
    for rule in &expr.rules {
        let comment = rule.comment.trim();
        if !comment.is_empty() && !week.comments.iter().any(|c| c == comment) {
            week.comments.push(comment.to_owned());
        }
    }

    let mut regular = Vec::new();
    let mut with_monthly = Vec::new();
    let mut with_holidays = Vec::new();
    let mut monthly_keys: Vec<(Weekday, i8)> = Vec::new();
    let mut has_ph = false;
    let mut has_ph_closed = false;

    for rule in &expr.rules {
        let ds = &rule.day_selector;
        let dated = !ds.year.is_empty() || !ds.monthday.is_empty() || !ds.week.is_empty();
        let opens = rule.kind != RuleKind::Closed;
        if dated || !simple_times(&rule.time_selector) {
            week.irregular = true;
            week.irregular_opens |= opens;
            continue;
        }
        if ds.weekday.is_empty() {
            regular.push(rule.clone());
            with_monthly.push(rule.clone());
            with_holidays.push(rule.clone());
            continue;
        }
        let (mut plain, mut nth, mut ph) = (Vec::new(), Vec::new(), Vec::new());
        for range in &ds.weekday {
            match classify(range) {
                DayKind::Plain => plain.push(range.clone()),
                DayKind::Monthly(keys) => {
                    nth.push(range.clone());
                    monthly_keys.extend(keys);
                }
                DayKind::PublicHoliday => ph.push(range.clone()),
                DayKind::Other => {
                    week.irregular = true;
                    week.irregular_opens |= opens;
                }
            }
        }
        if !ph.is_empty() {
            has_ph = true;
            has_ph_closed |= rule.kind == RuleKind::Closed;
        }
        push_with(&mut regular, rule, plain.clone());
        push_with(&mut with_monthly, rule, [plain.clone(), nth].concat());
        push_with(&mut with_holidays, rule, [plain, ph].concat());
    }

    let monday = reference_monday();
    let reference_week: Vec<NaiveDate> = (0..7).map(|i| monday + Duration::days(i)).collect();

    // With no holiday in its context, the whole expression reads the week
    // exactly as its rules without `PH`: those never match. It can stand in
    // when nothing else was left out (dated, monthly or unusual rules).
    let regular = match whole {
        Some(oh) if monthly_keys.is_empty() && !week.irregular => Some(oh.clone()),
        _ => evaluate(regular),
    };
    match regular {
        Some(oh) => {
            for (slot, date) in week.days.iter_mut().zip(&reference_week) {
                *slot = open_intervals(&oh, *date, &[]);
            }
        }
        None => {
            week.irregular = true;
            week.irregular_opens = true;
        }
    }

    if !monthly_keys.is_empty() {
        monthly_keys.sort_by_key(|(day, nth)| (day.num_days_from_monday(), nth_order(*nth)));
        monthly_keys.dedup();
        match evaluate(with_monthly) {
            Some(oh) => {
                for &(day, nth) in &monthly_keys {
                    let Some(date) = sample_date(day, nth, &monthly_keys) else {
                        week.irregular = true;
                        continue;
                    };
                    week.monthly.push(MonthlyRule {
                        weekday: day.num_days_from_monday() as u8,
                        nth,
                        intervals: open_intervals(&oh, date, &[]),
                    });
                }
            }
            None => week.irregular = true,
        }
    }

    if has_ph {
        match evaluate(with_holidays) {
            Some(oh) => {
                let oh = oh.with_context(holidays_context(reference_week.iter().copied()));
                let on_holidays: Vec<Vec<Interval>> = reference_week
                    .iter()
                    .map(|d| open_intervals(&oh, *d, &[]))
                    .collect();
                let all_closed = on_holidays.iter().all(Vec::is_empty);
                week.closed_on_public_holidays = has_ph_closed && all_closed;
                // Special hours on holidays (`PH 10:00-12:00`) cannot be shown
                // as a weekly line.
                if !all_closed && on_holidays.as_slice() != week.days.as_slice() {
                    week.irregular = true;
                }
            }
            None => week.irregular = true,
        }
    }
    week
}

/// Sort key: 1st…5th, then counted from the end with the last one last.
fn nth_order(nth: i8) -> i16 {
    if nth > 0 {
        i16::from(nth)
    } else {
        100 + i16::from(nth)
    }
}

/// Whether `date` is the `nth` such weekday of its month (negative: from the
/// end), with the same counting as the crate.
fn is_nth(date: NaiveDate, nth: i8) -> bool {
    let day = date.day();
    let days_in_month = days_in_month(date);
    if nth > 0 {
        (day - 1) / 7 + 1 == u32::from(nth.unsigned_abs())
    } else {
        (days_in_month - day) / 7 + 1 == u32::from(nth.unsigned_abs())
    }
}

fn days_in_month(date: NaiveDate) -> u32 {
    let (y, m) = if date.month() == 12 {
        (date.year() + 1, 1)
    } else {
        (date.year(), date.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
        .and_then(|next| next.pred_opt())
        .map_or(31, |last| last.day())
}

/// A date on which the `nth` `day` of the month falls, preferring one that is
/// not also another listed n-th of the same weekday (the 4th Saturday is often
/// also the last one), so each monthly line shows its own rule.
fn sample_date(day: Weekday, nth: i8, keys: &[(Weekday, i8)]) -> Option<NaiveDate> {
    let first = reference_monday();
    let candidates = (0..3 * 366)
        .map(|i| first + Duration::days(i))
        .filter(|d| d.weekday() == day && is_nth(*d, nth));
    let mut fallback = None;
    for date in candidates {
        let clash = keys
            .iter()
            .any(|&(other_day, other)| other_day == day && other != nth && is_nth(date, other));
        if !clash {
            return Some(date);
        }
        fallback.get_or_insert(date);
    }
    fallback
}
