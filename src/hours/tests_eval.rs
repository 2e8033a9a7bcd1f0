//! Evaluation over time: next change, holidays, DST and zones.

use chrono::TimeDelta;
use chrono_tz::Tz;

use super::tests::{at, date, hours, iv};
use super::*;

const FONTENAY: &str =
    "Mo,Fr 08:30-12:00,13:30-17:00; Tu,Th 08:30-12:00; We 08:30-12:00,13:30-19:30; PH off";

fn no_holiday(_: NaiveDate) -> bool {
    false
}

#[test]
fn next_change_walks_through_the_week() {
    let h = hours(FONTENAY);
    // Monday 23 November 2026.
    let cases = [
        (at(2026, 11, 23, 7, 0), at(2026, 11, 23, 8, 30)),
        (at(2026, 11, 23, 10, 0), at(2026, 11, 23, 12, 0)),
        (at(2026, 11, 23, 12, 0), at(2026, 11, 23, 13, 30)),
        (at(2026, 11, 24, 12, 0), at(2026, 11, 25, 8, 30)),
        (at(2026, 11, 27, 17, 0), at(2026, 11, 30, 8, 30)),
    ];
    for (now, expected) in cases {
        assert_eq!(
            h.next_change(now, 14, &no_holiday),
            Some(expected),
            "from {now}"
        );
    }
}

#[test]
fn next_change_skips_holidays_and_respects_the_horizon() {
    let h = hours(FONTENAY);
    // Wednesday 11 November 2026 is Armistice Day.
    let armistice = |d: NaiveDate| d == date(2026, 11, 11);
    assert_eq!(
        h.next_change(at(2026, 11, 10, 12, 0), 14, &armistice),
        Some(at(2026, 11, 12, 8, 30))
    );
    // Friday evening: next opening is Monday, beyond a one-day horizon.
    assert_eq!(h.next_change(at(2026, 11, 27, 18, 0), 1, &no_holiday), None);
    assert_eq!(
        hours("off").next_change(at(2026, 11, 27, 18, 0), 365, &no_holiday),
        None
    );
    assert_eq!(h.next_change(at(2026, 11, 27, 18, 0), 0, &no_holiday), None);
}

#[test]
fn next_change_ignores_comment_only_changes() {
    let h = hours("Mo 09:00-10:00 \"accueil\", Mo 10:00-12:00 \"rendez-vous\"");
    assert_eq!(
        h.next_change(at(2026, 11, 23, 9, 30), 7, &no_holiday),
        Some(at(2026, 11, 23, 12, 0))
    );
    assert_eq!(
        h.intervals_on(date(2026, 11, 23), false),
        [iv("09:00", "12:00")]
    );
}

#[test]
fn next_change_with_seconds_is_strictly_later() {
    let h = hours(FONTENAY);
    let now = at(2026, 11, 23, 11, 59) + TimeDelta::seconds(30);
    assert_eq!(
        h.next_change(now, 7, &no_holiday),
        Some(at(2026, 11, 23, 12, 0))
    );
    let now = at(2026, 11, 23, 12, 0) + TimeDelta::seconds(1);
    assert_eq!(
        h.next_change(now, 7, &no_holiday),
        Some(at(2026, 11, 23, 13, 30))
    );
}

#[test]
fn extreme_dates_do_not_panic() {
    let h = hours(FONTENAY);
    for now in [
        NaiveDateTime::MIN,
        NaiveDateTime::MAX,
        at(1899, 12, 31, 23, 59),
        at(9999, 12, 31, 23, 0),
    ] {
        let _ = h.next_change(now, u32::MAX, &|_| true);
        let _ = h.is_open(now, &|_| true);
        let _ = h.intervals_on(now.date(), true);
    }
}

fn paris() -> Tz {
    chrono_tz::Europe::Paris
}

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    at(y, m, d, h, min).and_utc()
}

#[test]
fn sunday_opening_lasts_eight_hours_across_both_dst_changes() {
    let h = hours("Su 09:00-17:00");
    for (day, opens_utc) in [
        // Last Sunday of March: clocks jump 02:00 → 03:00, UTC+2 afterwards.
        (date(2026, 3, 29), utc(2026, 3, 29, 7, 0)),
        // Last Sunday of October: clocks fall back 03:00 → 02:00, UTC+1 afterwards.
        (date(2026, 10, 25), utc(2026, 10, 25, 8, 0)),
    ] {
        let ranges = h.utc_intervals_on(day, false, paris());
        assert_eq!(ranges.len(), 1, "{day}");
        assert_eq!(ranges[0].start, opens_utc, "{day}");
        assert_eq!(
            ranges[0].end - ranges[0].start,
            TimeDelta::hours(8),
            "{day}"
        );
    }
}

#[test]
fn night_opening_spans_the_real_duration_on_dst_days() {
    let h = hours("Su 01:00-04:00");
    let real = |day| {
        let r = &h.utc_intervals_on(day, false, paris())[0];
        r.end - r.start
    };
    assert_eq!(real(date(2026, 3, 29)), TimeDelta::hours(2));
    assert_eq!(real(date(2026, 10, 25)), TimeDelta::hours(4));
    assert_eq!(real(date(2026, 11, 1)), TimeDelta::hours(3));
}

#[test]
fn gaps_and_folds_resolve_without_panicking() {
    // 02:30 does not exist on 29 March 2026 in Paris: the gap ends at 01:00 UTC.
    assert_eq!(
        local_to_utc(at(2026, 3, 29, 2, 30), paris()),
        utc(2026, 3, 29, 1, 0)
    );
    // 02:30 happens twice on 25 October 2026: the earlier one (UTC+2).
    assert_eq!(
        local_to_utc(at(2026, 10, 25, 2, 30), paris()),
        utc(2026, 10, 25, 0, 30)
    );
    assert_eq!(
        local_to_utc(at(2026, 7, 1, 12, 0), paris()),
        utc(2026, 7, 1, 10, 0)
    );
    // Round trip away from the changes.
    let now = utc(2026, 7, 1, 10, 0);
    assert_eq!(local_to_utc(local_now(now, paris()), paris()), now);
    let _ = local_to_utc(NaiveDateTime::MAX, paris());
    let _ = local_to_utc(NaiveDateTime::MIN, paris());
}

#[test]
fn reunion_site_is_read_on_reunion_time() {
    let reunion = chrono_tz::Indian::Reunion;
    let instant = utc(2026, 11, 23, 8, 30);
    assert_eq!(local_now(instant, reunion), at(2026, 11, 23, 12, 30));
    // The same instant on a Paris server clock reads 09:30.
    assert_eq!(local_now(instant, paris()), at(2026, 11, 23, 9, 30));
    let h = hours("Mo-Fr 08:00-12:00,13:00-16:00");
    // 12:30 in Réunion is the lunch break, although 09:30 in Paris is not.
    assert!(!h.is_open_at(instant, reunion, &no_holiday));
    assert!(h.is_open_at(instant, paris(), &no_holiday));
    let opens = h.next_change(local_now(instant, reunion), 1, &no_holiday);
    assert_eq!(opens, Some(at(2026, 11, 23, 13, 0)));
    assert_eq!(
        local_to_utc(at(2026, 11, 23, 13, 0), reunion),
        utc(2026, 11, 23, 9, 0)
    );
}
