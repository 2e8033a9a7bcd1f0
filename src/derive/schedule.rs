//! Dated schedules: the usual week, public holidays and notices combined.

use crate::hours::holidays::{Holiday, HolidayZone, holidays};
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
    #[serde(serialize_with = "crate::model::zone_name")]
    pub tz: chrono_tz::Tz,
    /// First and last dated day covered; beyond, the browser says nothing.
    pub from: NaiveDate,
    pub until: NaiveDate,
    /// Monday first: [start, end] minutes since midnight.
    pub week: [Vec<[u16; 2]>; 7],
    /// `YYYY-MM-DD` → that day's intervals (empty: closed).
    pub exceptions: BTreeMap<String, Vec<[u16; 2]>>,
}

/// A zone's public holidays, computed once per year instead of once per day
/// (a site's dated schedule asks about 150 days).
pub struct ZoneHolidays {
    zone: HolidayZone,
    years: Vec<(i32, Vec<Holiday>)>,
}

impl ZoneHolidays {
    pub fn new(zone: HolidayZone) -> Self {
        ZoneHolidays {
            zone,
            years: Vec::new(),
        }
    }

    /// Same answer as [`crate::hours::holidays::holiday_on`]: the first
    /// holiday listed on `date`, if any.
    pub fn on(&mut self, date: NaiveDate) -> Option<&'static str> {
        let year = date.year();
        let i = match self.years.iter().position(|(y, _)| *y == year) {
            Some(i) => i,
            None => {
                self.years.push((year, holidays(self.zone, year)));
                self.years.len() - 1
            }
        };
        self.years[i]
            .1
            .iter()
            .find(|h| h.date == date)
            .map(|h| h.name)
    }
}

fn pairs(list: &[Interval]) -> Vec<[u16; 2]> {
    list.iter().map(|i| [i.start, i.end]).collect()
}

/// The intervals a site really opens on `date`: a closure notice wins, then
/// temporary hours, then the usual hours with the zone's public holidays.
pub fn day_intervals(
    hours: &Hours,
    zone: &mut ZoneHolidays,
    notices: &[&Notice],
    date: NaiveDate,
) -> Vec<Interval> {
    let holiday = zone.on(date).is_some();
    for n in notices.iter().filter(|n| n.covers(date)) {
        match n.kind {
            NoticeKind::Closure => return Vec::new(),
            NoticeKind::Hours => {
                if let Some(h) = &n.hours {
                    return h.intervals_on_fast(date, holiday);
                }
            }
            NoticeKind::Info => {}
        }
    }
    hours.intervals_on_fast(date, holiday)
}

impl Schedule {
    /// From the day before `today` (the visitor may be behind) for `days` days.
    pub fn compute(
        hours: &Hours,
        tz: chrono_tz::Tz,
        zone: &mut ZoneHolidays,
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
            tz,
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
    zone: &mut ZoneHolidays,
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
                // Only a holiday can close a usually open day here.
                zone.on(date).and_then(|name| {
                    let usual = !h.intervals_on_fast(date, false).is_empty();
                    (usual && h.intervals_on_fast(date, true).is_empty())
                        .then(|| (format!("Jour férié ({name})"), "holiday"))
                })
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

#[cfg(test)]
mod tests {
    use super::ZoneHolidays;
    use crate::hours::Hours;
    use crate::hours::holidays::{HolidayZone, holiday_on};
    use chrono::NaiveDate;

    #[test]
    fn zone_holidays_answer_like_holiday_on() {
        let first = NaiveDate::from_ymd_opt(2007, 1, 1).unwrap();
        for code in ["75", "57", "971", "972", "973", "974", "976"] {
            let zone = HolidayZone::for_departement(code);
            let mut memo = ZoneHolidays::new(zone);
            for date in first.iter_days().take(366 * 22) {
                assert_eq!(memo.on(date), holiday_on(zone, date), "{code} {date}");
            }
        }
    }

    /// Every day of 2026 and 2027, as an ordinary day, as a holiday and with
    /// the zone's real holidays: the fast path must give the crate's answer.
    fn assert_fast_is_exact(h: &Hours, zone: HolidayZone) {
        let first = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        for date in first.iter_days().take(730) {
            let real = holiday_on(zone, date).is_some();
            for holiday in [false, true, real] {
                assert_eq!(
                    h.intervals_on_fast(date, holiday),
                    h.intervals_on(date, holiday),
                    "{:?} on {date} (holiday: {holiday})",
                    h.source()
                );
            }
        }
    }

    #[test]
    fn fast_intervals_match_the_crate_on_tricky_hours() {
        for text in [
            "Mo-Fr 09:00-12:00,14:00-17:00; Sa[1] 10:00-12:00; PH off",
            "Mo-Fr 09:00-12:00; Sa[-1] off; Sa 09:00-12:00",
            "Th-Fr 20:00-02:00; Sa 10:00-12:00",
            "Mo-Fr 09:00-17:00 \"sur rendez-vous\"",
            "Mo-Fr 08:00-12:00; Dec 25 off",
            "Mo-Su 09:00-18:00; PH 10:00-12:00",
            "Mo-Fr 09:00-12:00; We off; PH off",
            "Mo-Fr 09:00-12:00; week 01-10 Tu off",
            "Mo,We 09:00-12:00; Tu \"fermé\"",
            "24/7; PH off",
        ] {
            let h = Hours::parse(text).unwrap();
            assert_fast_is_exact(&h, HolidayZone::Metropole);
            assert_fast_is_exact(&h, HolidayZone::for_departement("57"));
        }
    }

    #[test]
    fn fast_intervals_match_the_crate_on_sample_and_synthetic_sites() {
        let tmp = tempfile::tempdir().unwrap();
        crate::synth::generate(tmp.path(), 150, 7).unwrap();
        let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut checked = 0;
        for root in [sample, tmp.path()] {
            let (dir, _) = crate::load::load(root);
            assert!(!dir.sites.is_empty(), "{} has sites", root.display());
            for site in &dir.sites {
                let zone = HolidayZone::for_departement(&site.departement);
                let notice_hours = dir
                    .notices
                    .iter()
                    .filter(|n| n.site == site.slug)
                    .filter_map(|n| n.hours.as_ref());
                for h in site.hours.iter().chain(notice_hours) {
                    assert_fast_is_exact(h, zone);
                    checked += 1;
                }
            }
        }
        assert!(checked > 150, "only {checked} hours checked");
    }
}
