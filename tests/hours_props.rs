//! Property tests for the opening-hours engine: generated weekly expressions
//! checked against a tiny independent model, next-change invariants, and
//! arbitrary text that must never panic (this also stands in for the fuzzer
//! in CI, which has no nightly toolchain).

use chrono::{Duration, NaiveDate, NaiveDateTime};
use guichet::hours::{Hours, Interval};
use proptest::prelude::*;

const DAYS: [&str; 7] = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];

/// One generated rule: a set of weekdays and disjoint, non-touching intervals.
#[derive(Debug, Clone)]
struct Rule {
    days: [bool; 7],
    intervals: Vec<Interval>,
}

fn hhmm(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Sorted cut points in 5-minute steps, paired into intervals with a gap
/// between them (the crate merges touching intervals, the model would not).
fn intervals() -> impl Strategy<Value = Vec<Interval>> {
    prop::collection::btree_set(0u16..=288, 2..=6).prop_map(|cuts| {
        let cuts: Vec<u16> = cuts.into_iter().map(|c| c * 5).collect();
        cuts.chunks_exact(2)
            .map(|pair| Interval::new(pair[0], pair[1]))
            .collect()
    })
}

fn rule() -> impl Strategy<Value = Rule> {
    (prop::array::uniform7(any::<bool>()), intervals())
        .prop_filter("at least one day", |(days, _)| days.contains(&true))
        .prop_map(|(days, intervals)| Rule { days, intervals })
}

/// Weekdays written with ranges where days are consecutive: "Mo-We,Fr".
fn days_text(days: &[bool; 7]) -> String {
    let mut parts = Vec::new();
    let mut d = 0;
    while d < 7 {
        if !days[d] {
            d += 1;
            continue;
        }
        let start = d;
        while d + 1 < 7 && days[d + 1] {
            d += 1;
        }
        parts.push(if start == d {
            DAYS[d].to_owned()
        } else {
            format!("{}-{}", DAYS[start], DAYS[d])
        });
        d += 1;
    }
    parts.join(",")
}

fn rule_text(rule: &Rule) -> String {
    let times: Vec<String> = rule
        .intervals
        .iter()
        .map(|iv| format!("{}-{}", hhmm(iv.start), hhmm(iv.end)))
        .collect();
    format!("{} {}", days_text(&rule.days), times.join(","))
}

/// A weekly expression, optionally with `PH off` and a monthly rule (neither
/// changes the regular week).
fn expression() -> impl Strategy<Value = (String, Vec<Rule>)> {
    (
        prop::collection::vec(rule(), 1..=4),
        any::<bool>(),
        prop::option::of(1u8..=4),
    )
        .prop_map(|(rules, ph_off, monthly)| {
            let mut parts: Vec<String> = rules.iter().map(rule_text).collect();
            if let Some(n) = monthly {
                parts.push(format!("Sa[{n}] 10:00-11:00"));
            }
            if ph_off {
                parts.push("PH off".to_owned());
            }
            (parts.join("; "), rules)
        })
}

/// The model: with `;`, a later rule replaces the hours of the days it names.
fn model(rules: &[Rule]) -> [Vec<Interval>; 7] {
    let mut days: [Vec<Interval>; 7] = Default::default();
    for rule in rules {
        for (d, on) in rule.days.iter().enumerate() {
            if *on {
                days[d] = rule.intervals.clone();
            }
        }
    }
    days
}

fn moment() -> impl Strategy<Value = NaiveDateTime> {
    let first = NaiveDate::from_ymd_opt(2025, 1, 1).expect("valid date");
    (0i64..3 * 365, 0i64..1440, 0i64..60).prop_map(move |(day, minute, second)| {
        (first + Duration::days(day))
            .and_hms_opt(0, 0, 0)
            .expect("midnight")
            + Duration::minutes(minute)
            + Duration::seconds(second)
    })
}

/// A deterministic, irregular holiday set.
fn holiday(seed: u32) -> impl Fn(NaiveDate) -> bool {
    use chrono::Datelike;
    move |d: NaiveDate| (d.ordinal() * 7 + seed).is_multiple_of(23)
}

proptest! {
    #[test]
    fn weekly_view_matches_the_model((src, rules) in expression()) {
        let hours = Hours::parse(&src).map_err(|e| TestCaseError::fail(format!("{src}: {e}")))?;
        let week = hours.weekly();
        let expected = model(&rules);
        prop_assert_eq!(&week.days, &expected, "{}", src);
        let sum: u32 = expected.iter().flatten().map(|iv| u32::from(iv.end - iv.start)).sum();
        prop_assert_eq!(week.weekly_minutes(), sum);
        prop_assert_eq!(week.open_days(), expected.iter().filter(|d| !d.is_empty()).count());
        prop_assert!(!week.irregular);
        // The weekly view and the dated schedule agree on a week whose
        // Saturday is the 5th of its month (untouched by the `Sa[1..=4]` rule).
        let monday = NaiveDate::from_ymd_opt(2026, 5, 25).expect("valid date");
        for (i, day) in expected.iter().enumerate() {
            let date = monday + Duration::days(i as i64);
            prop_assert_eq!(&hours.intervals_on(date, false), day, "{} on {}", src, date);
        }
    }

    #[test]
    fn next_change_is_a_real_change(
        (src, _) in expression(),
        now in moment(),
        horizon in 0u32..40,
        seed in 0u32..23,
    ) {
        let hours = Hours::parse(&src).map_err(|e| TestCaseError::fail(format!("{src}: {e}")))?;
        let is_holiday = holiday(seed);
        if let Some(change) = hours.next_change(now, horizon, &is_holiday) {
            prop_assert!(change > now, "{} from {}: {}", src, now, change);
            prop_assert!(change <= now + Duration::days(horizon.into()));
            let before = change - Duration::minutes(1);
            let open_before = hours.is_open(before, &is_holiday);
            prop_assert_ne!(open_before, hours.is_open(change, &is_holiday), "{} at {}", src, change);
            // Nothing changes in between.
            if before >= now {
                prop_assert_eq!(open_before, hours.is_open(now, &is_holiday));
            }
        }
    }

    #[test]
    fn arbitrary_text_never_panics(src in any::<String>()) {
        exercise(&src);
    }

    #[test]
    fn near_miss_text_never_panics(tokens in prop::collection::vec(token(), 0..24)) {
        exercise(&tokens.concat());
    }
}

/// Pieces of the grammar, glued at random: reaches much deeper into the
/// parser and the evaluator than random characters do.
fn token() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "Mo",
        "Tu",
        "We",
        "Th",
        "Fr",
        "Sa",
        "Su",
        "PH",
        "SH",
        "-",
        ",",
        ";",
        " ",
        "; ",
        ", ",
        "|| ",
        "08:30",
        "12:00",
        "24:00",
        "00:00",
        "26:00",
        "48:00",
        "[",
        "]",
        "1",
        "4",
        "-1",
        "5",
        "off",
        "open",
        "unknown",
        "closed",
        "\"sur rendez-vous\"",
        "week",
        "01",
        "53",
        "/",
        "2",
        "+",
        "Dec",
        "Jan",
        "25",
        "31",
        "2026",
        "1900",
        "9999",
        "easter",
        "sunrise",
        "(sunset-01:00)",
        "dusk",
        " +1 day",
        " -2 days",
        "24/7",
        ":",
        "Mo-Fr",
        "Sa[4]",
        "week 02-52/2",
        "Dec 25 off",
        "2026 Dec 24",
        "Feb 29",
        "Su[-1]",
    ])
}

fn exercise(src: &str) {
    match Hours::parse(src) {
        Ok(hours) => {
            let week = hours.weekly();
            let _ = (week.weekly_minutes(), week.half_days(), week.is_empty());
            let _ = guichet::hours::french::day_lines(week);
            let _ = guichet::hours::french::monthly_lines(week);
            let date = NaiveDate::from_ymd_opt(2026, 2, 28).expect("valid date");
            for offset in [0, 1, 2, 300] {
                let d = date + Duration::days(offset);
                let list = hours.intervals_on(d, offset % 2 == 0);
                assert!(
                    list.iter().all(|iv| iv.start < iv.end && iv.end <= 1440),
                    "{src:?}"
                );
                assert!(list.windows(2).all(|w| w[0].end < w[1].start), "{src:?}");
            }
            let now = date.and_hms_opt(11, 59, 0).expect("valid time");
            if let Some(change) = hours.next_change(now, 30, &|d| d == date) {
                assert!(change > now, "{src:?}");
            }
            let _ = hours.is_open(now, &|_| true);
        }
        Err(err) => {
            assert!(err.column >= 1, "{src:?}");
            assert!(err.column <= src.chars().count() + 1, "{src:?}: {err:?}");
            assert!(!err.message.is_empty());
        }
    }
}
