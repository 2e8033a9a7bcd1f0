//! French wording of dates for residents.

use chrono::{Datelike, NaiveDate};

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const WEEKDAYS: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];

/// "1er décembre 2026", "24 décembre 2026".
pub fn date(d: NaiveDate) -> String {
    format!("{} {} {}", day(d), MONTHS[d.month0() as usize], d.year())
}

/// "jeudi 24 décembre 2026".
pub fn date_with_weekday(d: NaiveDate) -> String {
    format!("{} {}", weekday_and_day(d), d.year())
}

/// "jeudi 24 décembre": a day of the coming weeks, without its year.
pub fn weekday_and_day(d: NaiveDate) -> String {
    format!(
        "{} {} {}",
        WEEKDAYS[d.weekday().num_days_from_monday() as usize],
        day(d),
        MONTHS[d.month0() as usize]
    )
}

/// "à Rouen", "au Havre", "aux Abymes", "à La Rochelle": French contracts
/// "à le" and "à les" at the start of a place name.
pub fn at_place(name: &str) -> String {
    if let Some(rest) = name.strip_prefix("Le ") {
        format!("au {rest}")
    } else if let Some(rest) = name.strip_prefix("Les ") {
        format!("aux {rest}")
    } else {
        format!("à {name}")
    }
}

/// Tera's `capitalize`: first character upper case, the rest lower case.
pub fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        None => String::new(),
        Some(f) => f.to_uppercase().collect::<String>() + &chars.as_str().to_lowercase(),
    }
}

fn day(d: NaiveDate) -> String {
    if d.day() == 1 {
        "1er".into()
    } else {
        d.day().to_string()
    }
}

/// "le 24 décembre 2026", "du 24 au 26 décembre 2026", "du 30 décembre 2026 au 2 janvier 2027".
pub fn range(from: NaiveDate, to: NaiveDate) -> String {
    if from == to {
        format!("le {}", date_with_weekday(from))
    } else if from.year() != to.year() {
        format!("du {} au {}", date(from), date(to))
    } else if from.month() != to.month() {
        format!(
            "du {} {} au {}",
            day(from),
            MONTHS[from.month0() as usize],
            date(to)
        )
    } else {
        format!("du {} au {}", day(from), date(to))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn place_names_contract_with_a() {
        assert_eq!(at_place("Le Havre"), "au Havre");
        assert_eq!(at_place("Les Abymes"), "aux Abymes");
        assert_eq!(at_place("La Rochelle"), "à La Rochelle");
        assert_eq!(at_place("Rouen"), "à Rouen");
    }

    #[test]
    fn ranges_read_naturally() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(
            range(d(2026, 12, 24), d(2026, 12, 26)),
            "du 24 au 26 décembre 2026"
        );
        assert_eq!(
            range(d(2026, 12, 30), d(2027, 1, 2)),
            "du 30 décembre 2026 au 2 janvier 2027"
        );
        assert_eq!(
            range(d(2026, 12, 1), d(2026, 12, 1)),
            "le mardi 1er décembre 2026"
        );
    }
}
