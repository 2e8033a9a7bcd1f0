//! Glue between the rule tree and the crate's evaluator: holiday calendars,
//! rebuilding an evaluator from a (filtered or corrected) tree, and the
//! "open or not" reading of the crate's schedules.

use std::ops::Range;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use opening_hours::{Context, ContextHolidays, OpeningHours, RuleKind};
use opening_hours_syntax::rules::day::WeekDayRange;
use opening_hours_syntax::rules::time::TimeSelector;
use opening_hours_syntax::rules::{OpeningHoursExpression, RuleOperator};

use super::Interval;

/// Years the crate evaluates; outside them every site is closed.
pub(crate) const EVALUATED_YEARS: Range<i32> = 1900..10_000;

/// Whether a range of the crate's schedule counts as open. `unknown` never
/// does, nor does an open range carrying one of `unknown_comments` (comments
/// of rules we read as unknown, see [`demote_comment_only_rules`]).
pub(crate) fn counts_as_open(kind: RuleKind, comment: &str, unknown_comments: &[Arc<str>]) -> bool {
    kind == RuleKind::Open && !unknown_comments.iter().any(|c| **c == *comment)
}

/// An evaluation context whose public holidays are exactly `dates` (and no
/// school holidays).
pub(crate) fn holidays_context(dates: impl Iterator<Item = NaiveDate>) -> Context {
    // The calendar type lives in a crate we do not depend on: start from the
    // crate's own empty calendar and insert into it.
    let empty = ContextHolidays::default();
    let mut public = empty.get_public().clone();
    // Outside the years the crate evaluates, a holiday is useless and would
    // make the calendar allocate one entry per year in between.
    for date in dates.filter(|d| EVALUATED_YEARS.contains(&d.year())) {
        public.insert(date);
    }
    let school = empty.get_school().clone();
    Context::default().with_holidays(ContextHolidays::new(Arc::new(public), Arc::new(school)))
}

/// An evaluator for a rule tree. The crate builds evaluators only from text,
/// so the tree is printed and parsed again, and the result is checked to be
/// the same tree: a lossy round trip (the crate prints some dated selectors
/// in a form that reads back differently) yields `None` rather than an
/// evaluator for a different expression.
pub(crate) fn evaluable(expr: &OpeningHoursExpression) -> Option<OpeningHours> {
    if expr.rules.is_empty() {
        return Some(closed_expression());
    }
    let oh: OpeningHours = expr.to_string().parse().ok()?;
    (normalized(&oh.get_expression()) == normalized(expr)).then_some(oh)
}

/// The tree with equivalent spellings unified: the crate prints an
/// additional rule without weekdays as `, Mo-Su …`, which reads back as an
/// explicit Monday-to-Sunday range.
fn normalized(expr: &OpeningHoursExpression) -> OpeningHoursExpression {
    let every_day = WeekDayRange::Fixed {
        range: chrono::Weekday::Mon..=chrono::Weekday::Sun,
        offset: 0,
        nth_from_start: [true; 5],
        nth_from_end: [true; 5],
    };
    let mut expr = expr.clone();
    for rule in &mut expr.rules {
        if rule.operator == RuleOperator::Additional
            && rule.day_selector.weekday == [every_day.clone()]
        {
            rule.day_selector.weekday.clear();
        }
    }
    expr
}

/// An expression that is never open.
pub(crate) fn closed_expression() -> OpeningHours {
    // A constant that the unit tests parse: this cannot fail at run time.
    "closed"
        .parse()
        .expect("`closed` is valid opening_hours syntax")
}

/// Open intervals on `date`, merged when adjacent (two rules with different
/// comments can make two touching open ranges).
pub(crate) fn open_intervals(
    oh: &OpeningHours,
    date: NaiveDate,
    unknown_comments: &[Arc<str>],
) -> Vec<Interval> {
    let mut out: Vec<Interval> = Vec::new();
    for tr in oh.schedule_at(date) {
        if !counts_as_open(tr.kind, &tr.comment, unknown_comments) {
            continue;
        }
        let start = tr.range.start.mins_from_midnight().min(1440);
        let end = tr.range.end.mins_from_midnight().min(1440);
        if start >= end {
            continue;
        }
        match out.last_mut() {
            Some(last) if last.end >= start => last.end = last.end.max(end),
            _ => out.push(Interval { start, end }),
        }
    }
    out
}

/// Read `Mo-Fr "sur rendez-vous"` as unknown rather than open all day (see the
/// module documentation), unless the text explicitly says open all day.
pub(crate) fn demote_comment_only_rules(
    mut expr: OpeningHoursExpression,
    src: &str,
) -> OpeningHoursExpression {
    if says_open_all_day(src) {
        return expr;
    }
    let full_day = TimeSelector::default();
    for rule in &mut expr.rules {
        if rule.kind == RuleKind::Open && !rule.comment.is_empty() && rule.time_selector == full_day
        {
            rule.kind = RuleKind::Unknown;
        }
    }
    expr
}

/// Comments of the rules that [`demote_comment_only_rules`] changed.
pub(crate) fn demoted_comments(
    before: &OpeningHoursExpression,
    after: &OpeningHoursExpression,
) -> Vec<Arc<str>> {
    before
        .rules
        .iter()
        .zip(&after.rules)
        .filter(|(b, a)| b.kind != a.kind)
        .map(|(_, a)| a.comment.clone())
        .collect()
}

/// Whether a rule is empty (every day, all day, open, no comment) although the
/// text never says so: the grammar produces one from a run of spaces.
pub(crate) fn has_stray_empty_rule(expr: &OpeningHoursExpression, src: &str) -> bool {
    let full_day = TimeSelector::default();
    !says_open_all_day(src)
        && expr.rules.iter().any(|rule| {
            rule.day_selector.is_empty()
                && rule.time_selector == full_day
                && rule.kind == RuleKind::Open
                && rule.comment.is_empty()
        })
}

/// Whether the text, outside quoted comments, says `open`, `24/7` or `24:00`.
fn says_open_all_day(src: &str) -> bool {
    let unquoted: String = src
        .split('"')
        .step_by(2)
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_lowercase();
    unquoted.contains("open") || unquoted.contains("24/7") || unquoted.contains("24:00")
}
