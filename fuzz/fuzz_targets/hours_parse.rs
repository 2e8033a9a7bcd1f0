//! Feed arbitrary UTF-8 to `Hours::parse`; on success, exercise everything a
//! page build calls. Any panic, overflow or hang is a finding.

#![no_main]

use chrono::{Duration, NaiveDate};
use guichet::hours::{Hours, french};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let hours = match Hours::parse(src) {
        Ok(hours) => hours,
        Err(err) => {
            assert!(err.column >= 1 && err.column <= src.chars().count() + 1);
            return;
        }
    };
    let week = hours.weekly();
    let _ = (
        week.weekly_minutes(),
        week.open_days(),
        week.half_days(),
        week.is_empty(),
    );
    let _ = (french::day_lines(week), french::monthly_lines(week));

    let Some(start) = NaiveDate::from_ymd_opt(2026, 2, 27) else {
        return;
    };
    // Around the end of February, a leap day, the DST change and New Year.
    for offset in [0, 1, 2, 30, 306, 307, 730] {
        let date = start + Duration::days(offset);
        for list in [
            hours.intervals_on(date, false),
            hours.intervals_on(date, true),
        ] {
            assert!(list.iter().all(|iv| iv.start < iv.end && iv.end <= 1440));
            assert!(list.windows(2).all(|w| w[0].end < w[1].start));
        }
    }
    let is_holiday = |d: NaiveDate| d == start + Duration::days(1);
    let Some(now) = start.and_hms_opt(11, 59, 30) else {
        return;
    };
    if let Some(change) = hours.next_change(now, 60, &is_holiday) {
        assert!(change > now);
        let before = change - Duration::minutes(1);
        assert_ne!(
            hours.is_open(before, &is_holiday),
            hours.is_open(change, &is_holiday)
        );
    }
});
