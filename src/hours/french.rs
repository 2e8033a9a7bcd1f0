//! French rendering for residents: "Lundi", "08h30 – 12h00", "4e samedi du
//! mois", "25 h 30". Everything a resident reads about hours is worded here
//! and only here, so the wording stays consistent across pages.

use super::{Interval, WeeklyHours};

/// Day names as they head a line of the week, Monday first.
pub const DAY_NAMES: [&str; 7] = [
    "Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche",
];

/// Day names inside a sentence ("4e samedi du mois").
const DAY_NAMES_IN_SENTENCE: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];

/// Separator between the two ends of an interval: an en dash with spaces, as
/// French typography prefers for ranges; non-breaking, so that a narrow
/// screen never leaves "13h30 –" at the end of a line.
const RANGE_DASH: &str = "\u{a0}–\u{a0}";

/// A time of day: 510 → "08h30", 1440 → "24h00" (closing at midnight).
pub fn time(minutes: u16) -> String {
    format!("{:02}h{:02}", minutes / 60, minutes % 60)
}

/// One opening, "08h30 – 12h00".
pub fn span(start: u16, end: u16) -> String {
    format!("{}{RANGE_DASH}{}", time(start), time(end))
}

/// A day's intervals: "08h30 – 12h00, 13h30 – 17h00"; none → "Fermé".
pub fn intervals(list: &[Interval]) -> String {
    if list.is_empty() {
        return "Fermé".to_owned();
    }
    list.iter()
        .map(|iv| span(iv.start, iv.end))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One line of the weekly table.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DayLine {
    /// "Lundi" … "Dimanche".
    pub day: &'static str,
    /// The intervals, or "Fermé".
    pub text: String,
    /// No opening that day (lets templates style the line).
    pub closed: bool,
}

/// What a day of the table reads when rules the table cannot show may open
/// it (week parity, sun times): never a false "Fermé".
pub const BY_THE_RULE: &str = "Selon la règle d'ouverture";

/// The seven lines of the regular week, Monday first.
pub fn day_lines(w: &WeeklyHours) -> Vec<DayLine> {
    DAY_NAMES
        .iter()
        .zip(&w.days)
        .map(|(day, list)| {
            let unsure = list.is_empty() && w.irregular_opens;
            DayLine {
                day,
                text: if unsure {
                    BY_THE_RULE.to_owned()
                } else {
                    intervals(list)
                },
                closed: list.is_empty() && !unsure,
            }
        })
        .collect()
}

/// One line per monthly rule: "4e samedi du mois : 09h00 – 12h00",
/// "1er lundi du mois : Fermé", "dernier vendredi du mois : …".
pub fn monthly_lines(w: &WeeklyHours) -> Vec<String> {
    w.monthly
        .iter()
        .map(|rule| {
            let day = DAY_NAMES_IN_SENTENCE
                .get(usize::from(rule.weekday))
                .copied()
                .unwrap_or("jour");
            format!(
                "{} : {}",
                nth_day_of_month(rule.nth, day),
                intervals(&rule.intervals)
            )
        })
        .collect()
}

/// "1er lundi du mois", "4e samedi du mois", "dernier vendredi du mois",
/// "avant-dernier jeudi du mois", "3e mardi avant la fin du mois".
fn nth_day_of_month(nth: i8, day: &str) -> String {
    match nth {
        1 => format!("1er {day} du mois"),
        -1 => format!("dernier {day} du mois"),
        -2 => format!("avant-dernier {day} du mois"),
        n if n > 0 => format!("{n}e {day} du mois"),
        n => format!("{}e {day} avant la fin du mois", n.unsigned_abs()),
    }
}

/// A duration: 1530 → "25 h 30", 1440 → "24 h", 45 → "0 h 45".
pub fn duration(minutes: u32) -> String {
    match (minutes / 60, minutes % 60) {
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m:02}"),
    }
}
