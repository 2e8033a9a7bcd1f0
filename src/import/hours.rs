//! Weekday columns of the France services list (`09:00 - 12:00 / 13:30 - 17:00`)
//! → OpenStreetMap `opening_hours` (`Mo-Fr 09:00-12:00,13:30-17:00`).
//!
//! Only what the columns say is converted: nothing is read from free-text
//! comments, and no `PH off` is added, since the list says nothing about
//! public holidays.

/// Two-letter OSM day names, Monday first.
const DAYS: [&str; 7] = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];

/// One opening, in minutes since midnight; `end` may be 1440 (24:00).
pub type Slot = (u16, u16);

/// What one day's column holds once read.
#[derive(Debug, Default, PartialEq)]
pub struct Day {
    /// Sorted, overlaps merged.
    pub slots: Vec<Slot>,
    /// `00:00 - 00:00`-style slots that open nothing: placeholders in the
    /// list, left out.
    pub empty_slots: usize,
    /// Whether slots overlapped or repeated and were merged into their union.
    pub merged: bool,
}

/// Why a day's column cannot be converted.
#[derive(Debug, PartialEq)]
pub enum DayError {
    /// A time that is not `HH:MM` (0–24 h, 0–59 min), or a slot without ` - `.
    Unparseable(String),
    /// A slot ending before it starts, e.g. `14:00 - 12:00`.
    Reversed(String),
}

/// Reads one day's column. An empty column is a closed day.
pub fn parse_day(text: &str) -> Result<Day, DayError> {
    let mut day = Day::default();
    let text = text.trim();
    if text.is_empty() {
        return Ok(day);
    }
    let mut slots = Vec::new();
    for part in text.split('/') {
        let part = part.trim();
        let Some((from, to)) = part.split_once('-') else {
            return Err(DayError::Unparseable(part.to_string()));
        };
        let start = parse_time(from).ok_or_else(|| DayError::Unparseable(from.trim().into()))?;
        let end = parse_time(to).ok_or_else(|| DayError::Unparseable(to.trim().into()))?;
        if start == end {
            day.empty_slots += 1;
            continue;
        }
        if end < start {
            return Err(DayError::Reversed(part.to_string()));
        }
        slots.push((start, end));
    }
    slots.sort_unstable();
    for (start, end) in slots {
        match day.slots.last_mut() {
            // Touching slots (12:00-12:00) are two openings, not an overlap.
            Some(last) if start < last.1 || (start, end) == *last => {
                day.merged = true;
                last.1 = last.1.max(end);
            }
            _ => day.slots.push((start, end)),
        }
    }
    Ok(day)
}

/// `"09:00"` or `"9:00"` → minutes; `24:00` is allowed as the end of a day.
fn parse_time(text: &str) -> Option<u16> {
    let (h, m) = text.trim().split_once(':')?;
    let digits = |s: &str, lengths: std::ops::RangeInclusive<usize>| {
        (lengths.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u16>().ok())
            .flatten()
    };
    let (h, m) = (digits(h, 1..=2)?, digits(m, 2..=2)?);
    if m > 59 || h > 24 || (h == 24 && m > 0) {
        return None;
    }
    Some(h * 60 + m)
}

/// The week in OSM syntax, days with identical hours grouped (`Mo-We,Fr`),
/// groups in the order of their first day. `None` when every day is closed.
pub fn to_osm(week: &[Vec<Slot>; 7]) -> Option<String> {
    let mut done = [false; 7];
    let mut rules = Vec::new();
    for first in 0..7 {
        if done[first] || week[first].is_empty() {
            continue;
        }
        let same: Vec<usize> = (first..7).filter(|&d| week[d] == week[first]).collect();
        for &d in &same {
            done[d] = true;
        }
        let times = week[first]
            .iter()
            .map(|&(s, e)| format!("{}-{}", crate::hours::hh_mm(s), crate::hours::hh_mm(e)))
            .collect::<Vec<_>>()
            .join(",");
        rules.push(format!("{} {times}", day_list(&same)));
    }
    (!rules.is_empty()).then(|| rules.join("; "))
}

/// `[0,1,2,4]` → `Mo-We,Fr`; runs of two stay a list (`Mo,Tu`), as OSM
/// mappers write them.
fn day_list(days: &[usize]) -> String {
    let mut parts = Vec::new();
    let mut i = 0;
    while i < days.len() {
        let mut j = i;
        while j + 1 < days.len() && days[j + 1] == days[j] + 1 {
            j += 1;
        }
        match j - i {
            0 => parts.push(DAYS[days[i]].to_string()),
            1 => parts.push(format!("{},{}", DAYS[days[i]], DAYS[days[j]])),
            _ => parts.push(format!("{}-{}", DAYS[days[i]], DAYS[days[j]])),
        }
        i = j + 1;
    }
    parts.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn week(days: &[&str]) -> [Vec<Slot>; 7] {
        let mut w: [Vec<Slot>; 7] = Default::default();
        for (i, d) in days.iter().enumerate() {
            w[i] = parse_day(d).unwrap().slots;
        }
        w
    }

    #[test]
    fn identical_consecutive_days_are_merged() {
        let full = "09:00 - 12:00 / 13:30 - 17:00";
        let w = week(&[full, full, full, full, full, ""]);
        assert_eq!(to_osm(&w).unwrap(), "Mo-Fr 09:00-12:00,13:30-17:00");
    }

    #[test]
    fn days_with_the_same_hours_share_a_rule() {
        // Row id_fs 1 of the national list (Valserhône).
        let w = week(&[
            "13:30 - 17:00",
            "09:00 - 12:00 / 13:30 - 17:00",
            "09:00 - 12:00 / 13:30 - 17:00",
            "09:00 - 12:00 / 13:30 - 17:00",
            "09:00 - 12:00 / 13:30 - 16:00",
            "",
        ]);
        assert_eq!(
            to_osm(&w).unwrap(),
            "Mo 13:30-17:00; Tu-Th 09:00-12:00,13:30-17:00; Fr 09:00-12:00,13:30-16:00"
        );
        let w = week(&[
            "08:30 - 12:00",
            "14:00 - 17:00",
            "08:30 - 12:00",
            "",
            "08:30 - 12:00",
            "09:00 - 12:00",
        ]);
        assert_eq!(
            to_osm(&w).unwrap(),
            "Mo,We,Fr 08:30-12:00; Tu 14:00-17:00; Sa 09:00-12:00"
        );
        let w = week(&["", "", "10:00 - 12:00", "10:00 - 12:00", "", ""]);
        assert_eq!(to_osm(&w).unwrap(), "We,Th 10:00-12:00");
    }

    #[test]
    fn a_week_without_hours_gives_none() {
        assert_eq!(to_osm(&week(&["", "", "", "", "", ""])), None);
    }

    #[test]
    fn placeholders_and_overlaps_are_reported() {
        let d = parse_day("00:00 - 00:00 / 09:00 - 12:00").unwrap();
        assert_eq!(
            (d.slots, d.empty_slots, d.merged),
            (vec![(540, 720)], 1, false)
        );
        let d = parse_day("09:00 - 12:30 / 09:00 - 17:00 / 14:00 - 17:00").unwrap();
        assert_eq!((d.slots, d.merged), (vec![(540, 1020)], true));
        let d = parse_day("08:30 - 11:30 / 08:30 - 11:30").unwrap();
        assert_eq!((d.slots, d.merged), (vec![(510, 690)], true));
        let d = parse_day("09:00 - 12:00 / 12:00 - 14:00").unwrap();
        assert_eq!((d.slots, d.merged), (vec![(540, 720), (720, 840)], false));
    }

    #[test]
    fn bad_times_and_reversed_slots_are_errors() {
        assert_eq!(
            parse_day("14:00 - 12:00"),
            Err(DayError::Reversed("14:00 - 12:00".into()))
        );
        assert_eq!(
            parse_day("9h00 - 12:00"),
            Err(DayError::Unparseable("9h00".into()))
        );
        assert_eq!(
            parse_day("09:00 - 25:00"),
            Err(DayError::Unparseable("25:00".into()))
        );
        assert_eq!(
            parse_day("fermé"),
            Err(DayError::Unparseable("fermé".into()))
        );
        assert_eq!(
            parse_day("18:00 - 24:00").unwrap().slots,
            vec![(1080, 1440)]
        );
        assert_eq!(parse_day("9:05 - 9:45").unwrap().slots, vec![(545, 585)]);
    }
}
