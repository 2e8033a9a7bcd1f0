//! Dated schedules: the usual week, public holidays and notices combined.

use crate::hours::holidays::{HolidayZone, holiday_on};
use crate::hours::{Hours, Interval};
use crate::model::{Notice, NoticeKind};
use chrono::{Datelike, Days, NaiveDate};
use serde::Serialize;
use std::collections::BTreeMap;

/// What the browser needs to say "open now" without an hours parser: the
/// usual week plus every date that differs from it, in the site's time zone.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Schedule {
    /// IANA zone the minutes are in.
    pub tz: String,
    /// First and last dated day covered; beyond, the browser says nothing.
    pub from: NaiveDate,
    pub until: NaiveDate,
    /// Monday first: [start, end] minutes since midnight.
    pub week: [Vec<[u16; 2]>; 7],
    /// `YYYY-MM-DD` → that day's intervals (empty: closed).
    pub exceptions: BTreeMap<String, Vec<[u16; 2]>>,
}

fn pairs(list: &[Interval]) -> Vec<[u16; 2]> {
    list.iter().map(|i| [i.start, i.end]).collect()
}

/// The intervals a site really opens on `date`: a closure notice wins, then
/// temporary hours, then the usual hours with the zone's public holidays.
pub fn day_intervals(
    hours: &Hours,
    zone: HolidayZone,
    notices: &[&Notice],
    date: NaiveDate,
) -> Vec<Interval> {
    let holiday = holiday_on(zone, date).is_some();
    for n in notices.iter().filter(|n| n.covers(date)) {
        match n.kind {
            NoticeKind::Closure => return Vec::new(),
            NoticeKind::Hours => {
                if let Some(h) = &n.hours {
                    return h.intervals_on(date, holiday);
                }
            }
            NoticeKind::Info => {}
        }
    }
    hours.intervals_on(date, holiday)
}

impl Schedule {
    /// From the day before `today` (the visitor may be behind) for `days` days.
    pub fn compute(
        hours: &Hours,
        tz: &str,
        zone: HolidayZone,
        notices: &[&Notice],
        today: NaiveDate,
        days: i64,
    ) -> Schedule {
        let week = hours.weekly().days.clone().map(|d| pairs(&d));
        let from = today - Days::new(1);
        let until = today + Days::new(days as u64);
        let mut exceptions = BTreeMap::new();
        for date in from.iter_days().take_while(|d| *d <= until) {
            let actual = pairs(&day_intervals(hours, zone, notices, date));
            if actual != week[date.weekday().num_days_from_monday() as usize] {
                exceptions.insert(date.format("%Y-%m-%d").to_string(), actual);
            }
        }
        Schedule {
            tz: tz.to_string(),
            from,
            until,
            week,
            exceptions,
        }
    }
}

/// A run of days when a site that would usually open is closed, or opens
/// differently.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ClosureDay {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// French, for residents: "Jour férié (Noël)", or the notice title.
    pub reason: String,
    /// "holiday", "closure" or "hours".
    pub kind: &'static str,
}

/// Closures and changed hours in the `days` days from `today`.
pub fn closures(
    hours: Option<&Hours>,
    zone: HolidayZone,
    notices: &[&Notice],
    today: NaiveDate,
    days: i64,
) -> Vec<ClosureDay> {
    let mut out: Vec<ClosureDay> = Vec::new();
    let end = today + Days::new(days as u64);
    for date in today.iter_days().take_while(|d| *d < end) {
        let notice = notices
            .iter()
            .find(|n| n.covers(date) && n.kind != NoticeKind::Info);
        let entry = match (notice, hours) {
            (Some(n), _) => Some((n.title.clone(), n.kind.id())),
            (None, Some(h)) => {
                let name = holiday_on(zone, date);
                let usual = !h.intervals_on(date, false).is_empty();
                match name {
                    Some(name) if usual && h.intervals_on(date, true).is_empty() => {
                        Some((format!("Jour férié ({name})"), "holiday"))
                    }
                    _ => None,
                }
            }
            (None, None) => None,
        };
        let Some((reason, kind)) = entry else {
            continue;
        };
        match out.last_mut() {
            Some(last) if last.reason == reason && last.to + Days::new(1) == date => last.to = date,
            _ => out.push(ClosureDay {
                from: date,
                to: date,
                reason,
                kind,
            }),
        }
    }
    out
}
