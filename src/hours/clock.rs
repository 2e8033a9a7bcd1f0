//! A site's wall clock versus UTC.
//!
//! Opening hours are wall-clock times in the site's own zone (Europe/Paris,
//! Indian/Reunion, America/Cayenne…), whatever zone the server runs in. These
//! helpers convert explicitly with chrono-tz and never consult the process's
//! local zone. Around DST changes a wall time can be missing (spring gap) or
//! happen twice (autumn fold); both are resolved without panicking.

use std::ops::Range;

use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;

use super::Interval;

/// Minutes since midnight as the 24-hour `HH:MM` of OSM hours and
/// schema.org ("08:30"; 1440 is "24:00").
pub fn hh_mm(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// The wall-clock time in `tz` at the instant `utc`.
pub fn local_now(utc: DateTime<Utc>, tz: Tz) -> NaiveDateTime {
    utc.with_timezone(&tz).naive_local()
}

/// The UTC instant at which the clocks of `tz` show `local`.
///
/// - In an autumn fold (the wall time happens twice) the earlier instant is
///   chosen, so an opening is never announced later than it happens.
/// - In a spring gap (the wall time does not exist, e.g. 02:30 on the last
///   Sunday of March in Paris) the instant the gap ends is chosen: a site
///   "opening at 02:30" is open from the moment the clocks jump to 03:00.
pub fn local_to_utc(local: NaiveDateTime, tz: Tz) -> DateTime<Utc> {
    if let Some(utc) = earliest(tz.from_local_datetime(&local)) {
        return utc;
    }
    // In a gap: walk forward to the first wall-clock minute that exists. Gaps
    // are at most a day long (Samoa, December 2011) and start on a minute.
    let minute = local
        .with_second(0)
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(local);
    (1..=25 * 60)
        .filter_map(|m| minute.checked_add_signed(Duration::minutes(m)))
        .find_map(|t| earliest(tz.from_local_datetime(&t)))
        // Unreachable for real zones; reading the wall time as UTC beats a panic.
        .unwrap_or_else(|| Utc.from_utc_datetime(&local))
}

fn earliest(result: LocalResult<DateTime<Tz>>) -> Option<DateTime<Utc>> {
    match result {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Some(t.with_timezone(&Utc)),
        LocalResult::None => None,
    }
}

/// An opening interval of `date` (wall clock in `tz`) as UTC instants. An end
/// of 1440 is midnight at the start of the next day. On a DST day the length
/// in UTC is the real time the door is open: `Su 09:00-17:00` in Paris is 8 h
/// on both change days, while `01:00-04:00` lasts 2 h in March and 4 h in
/// October.
pub fn interval_to_utc(date: NaiveDate, interval: Interval, tz: Tz) -> Range<DateTime<Utc>> {
    let at = |minutes: u16| {
        let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default();
        let wall = midnight
            .checked_add_signed(Duration::minutes(minutes.into()))
            .unwrap_or(midnight);
        local_to_utc(wall, tz)
    };
    at(interval.start)..at(interval.end)
}
