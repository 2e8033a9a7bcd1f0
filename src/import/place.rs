//! One place read from a source row, in the shape of a site file, and the
//! problems found on the way: checks shared by every source format.

use crate::model::departements as zones;
use std::collections::HashMap;
use std::fmt;

/// A place as read from one row, before it becomes a `data/sites/<slug>.toml`.
/// `None` means the source has no value: the site file keeps whatever it has.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Place {
    /// The source's own id for the place: what makes slugs stable.
    pub id: String,
    /// 1-based line where the row starts in the source file.
    pub line: u64,
    /// 1-based row number, header excluded (what a spreadsheet shows, minus one).
    pub row: u64,
    pub name: String,
    pub label: String,
    pub services: Vec<String>,
    pub hours: Option<String>,
    pub hours_note: Option<String>,
    pub appointment: Option<&'static str>,
    pub description: Option<String>,
    pub street: Option<String>,
    pub postcode: String,
    pub commune: String,
    pub insee: Option<String>,
    /// `(lat, lon)`.
    pub location: Option<(f64, f64)>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    /// The row's update date (`date_maj`), else the file's.
    pub updated: Option<chrono::NaiveDate>,
    /// Source name for `[source] name`.
    pub source_name: String,
}

/// Why a row was skipped or imported with a warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reason {
    // Rows skipped.
    FieldCount,
    DuplicateId,
    MissingField,
    BadPostcode,
    NoLabel,
    NoPublic,
    InvalidSite,
    // Rows imported with a warning.
    MissingCoordinates,
    CoordinatesOutside,
    IntervalReversed,
    UnparseableTime,
    UnparseableHours,
    NoHours,
    EmptyInterval,
    OverlappingIntervals,
    SeveralValues,
    BadValue,
}

impl Reason {
    /// Stable code, as in diagnostics.
    pub fn code(self) -> &'static str {
        match self {
            Reason::FieldCount => "field-count",
            Reason::DuplicateId => "duplicate-id",
            Reason::MissingField => "missing-field",
            Reason::BadPostcode => "bad-postcode",
            Reason::NoLabel => "no-label",
            Reason::NoPublic => "no-public",
            Reason::InvalidSite => "invalid-site",
            Reason::MissingCoordinates => "missing-coordinates",
            Reason::CoordinatesOutside => "coordinates-outside",
            Reason::IntervalReversed => "interval-reversed",
            Reason::UnparseableTime => "unparseable-time",
            Reason::UnparseableHours => "unparseable-hours",
            Reason::NoHours => "no-hours",
            Reason::EmptyInterval => "empty-interval",
            Reason::OverlappingIntervals => "overlapping-intervals",
            Reason::SeveralValues => "several-values",
            Reason::BadValue => "bad-value",
        }
    }

    /// What the summary says about rows with this reason.
    pub fn summary(self) -> &'static str {
        match self {
            Reason::FieldCount => "wrong number of fields",
            Reason::DuplicateId => "id already used by an earlier row",
            Reason::MissingField => "required field missing (id, name, commune or postcode)",
            Reason::BadPostcode => "postcode is not 5 digits",
            Reason::NoLabel => "no label of this directory",
            Reason::NoPublic => "place does not receive the public",
            Reason::InvalidSite => "site file would not load",
            Reason::MissingCoordinates => "missing coordinates: imported without a map position",
            Reason::CoordinatesOutside => {
                "coordinates outside France or its territory: imported without a map position"
            }
            Reason::IntervalReversed => "interval ending before it starts: hours left out",
            Reason::UnparseableTime => "unparseable time: hours left out",
            Reason::UnparseableHours => "unparseable opening_hours: hours left out",
            Reason::NoHours => "no opening hours in the source",
            Reason::EmptyInterval => "empty interval (00:00 - 00:00) ignored",
            Reason::OverlappingIntervals => "overlapping or repeated intervals merged",
            Reason::SeveralValues => "several e-mails or web sites: the first one kept",
            Reason::BadValue => "invalid e-mail, INSEE code or web site left out",
        }
    }

    /// Whether the row is left out of the directory.
    pub fn skips(self) -> bool {
        self < Reason::MissingCoordinates
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A problem with one row.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    pub line: u64,
    pub row: u64,
    /// The row's id, or empty when it has none.
    pub id: String,
    pub reason: Reason,
    pub message: String,
}

/// Collects the issues of one row.
pub struct RowIssues<'a> {
    pub line: u64,
    pub row: u64,
    pub id: String,
    pub out: &'a mut Vec<Issue>,
}

impl RowIssues<'_> {
    pub fn push(&mut self, reason: Reason, message: impl Into<String>) {
        self.out.push(Issue {
            line: self.line,
            row: self.row,
            id: self.id.clone(),
            reason,
            message: message.into(),
        });
    }

    /// Whether this row already has an issue for `reason`.
    pub fn has(&self, reason: Reason) -> bool {
        self.out
            .iter()
            .rev()
            .take_while(|i| i.row == self.row)
            .any(|i| i.reason == reason)
    }
}

/// Checks shared by every format; `None` when the row must be skipped.
/// `seen` maps ids to the row that first used them.
pub fn finish(
    mut p: Place,
    seen: &mut HashMap<String, u64>,
    issues: &mut RowIssues<'_>,
) -> Option<Place> {
    for (field, value) in [
        ("id", &p.id),
        ("name", &p.name),
        ("commune", &p.commune),
        ("postcode", &p.postcode),
    ] {
        if value.trim().is_empty() {
            issues.push(Reason::MissingField, format!("no {field}: row skipped"));
            return None;
        }
    }
    if let Some(first) = seen.get(&p.id) {
        issues.push(
            Reason::DuplicateId,
            format!("id `{}` is already used by row {first}: row skipped", p.id),
        );
        return None;
    }
    seen.insert(p.id.clone(), p.row);
    if p.postcode.len() != 5 || !p.postcode.bytes().all(|b| b.is_ascii_digit()) {
        issues.push(
            Reason::BadPostcode,
            format!("postcode `{}` is not 5 digits: row skipped", p.postcode),
        );
        return None;
    }
    if let Some(insee) = &p.insee
        && (insee.len() != 5 || !insee.chars().all(|c| c.is_ascii_alphanumeric()))
    {
        issues.push(
            Reason::BadValue,
            format!("INSEE code `{insee}` is not 5 characters: left out"),
        );
        p.insee = None;
    }
    if let Some(email) = &p.email
        && (!email.contains('@') || email.contains(char::is_whitespace))
    {
        issues.push(
            Reason::BadValue,
            format!("`{email}` is not an e-mail address: left out"),
        );
        p.email = None;
    }
    let departement = zones::departement_code(&p.postcode, p.insee.as_deref());
    match p.location {
        None if issues.has(Reason::MissingCoordinates) => {}
        None => issues.push(Reason::MissingCoordinates, "no latitude/longitude"),
        Some((lat, lon)) => {
            if let Some(problem) = misplaced(lat, lon, departement.as_deref()) {
                issues.push(Reason::CoordinatesOutside, problem);
                p.location = None;
            }
        }
    }
    let unreadable = [
        Reason::IntervalReversed,
        Reason::UnparseableTime,
        Reason::UnparseableHours,
    ];
    if p.hours.is_none() && !unreadable.into_iter().any(|r| issues.has(r)) {
        issues.push(Reason::NoHours, "no opening hours");
    }
    Some(p)
}

/// The first value of a multi-valued field, with a warning when there are more.
pub fn first_of(
    text: &str,
    separators: &[char],
    what: &str,
    issues: &mut RowIssues<'_>,
) -> Option<String> {
    let values: Vec<&str> = text
        .split(|c| separators.contains(&c))
        .map(str::trim)
        // "a@x.fr - b@x.fr": the dash separates, it is not a value.
        .filter(|v| v.chars().any(char::is_alphanumeric))
        .collect();
    if values.len() > 1 {
        issues.push(
            Reason::SeveralValues,
            format!(
                "{} {what}s ({}): kept `{}`",
                values.len(),
                values.join(", "),
                values[0]
            ),
        );
    }
    values.first().map(|v| v.to_string())
}

/// Trims a text field; blank means no value.
pub fn text(s: &str) -> Option<String> {
    let lines: Vec<&str> = s.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// Latitude and longitude, or `None` with a warning when missing or not numbers.
pub fn coordinates(lat: &str, lon: &str, issues: &mut RowIssues<'_>) -> Option<(f64, f64)> {
    if lat.is_empty() || lon.is_empty() {
        return None;
    }
    let parse = |s: &str| {
        s.replace(',', ".")
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
    };
    match (parse(lat), parse(lon)) {
        (Some(a), Some(b)) => Some((a, b)),
        _ => {
            issues.push(
                Reason::MissingCoordinates,
                format!("`{lat}`, `{lon}` are not coordinates"),
            );
            None
        }
    }
}

/// The street line: the address, after its complement when there is one
/// ("Mairie, 1 place de la Mairie").
pub fn street(address: &str, complement: &str) -> Option<String> {
    match (text(address), text(complement)) {
        (Some(s), Some(c)) => Some(format!("{c}, {s}")),
        (s, c) => s.or(c),
    }
}

/// Bounding boxes (south, north, west, east) of mainland France with Corsica
/// and of each overseas territory, with the département code that owns it.
/// Boxes are a few kilometres wider than the land so coastal points fit.
const TERRITORIES: &[(&str, &str, [f64; 4])] = &[
    ("", "la France métropolitaine", [41.3, 51.15, -5.25, 9.6]),
    ("971", "la Guadeloupe", [15.8, 16.55, -61.85, -60.95]),
    ("972", "la Martinique", [14.35, 14.9, -61.25, -60.75]),
    ("973", "la Guyane", [2.1, 5.85, -54.65, -51.55]),
    ("974", "La Réunion", [-21.42, -20.85, 55.2, 55.87]),
    (
        "975",
        "Saint-Pierre-et-Miquelon",
        [46.7, 47.16, -56.45, -56.1],
    ),
    ("976", "Mayotte", [-13.05, -12.6, 44.95, 45.35]),
    ("977", "Saint-Barthélemy", [17.85, 17.98, -62.96, -62.77]),
    ("978", "Saint-Martin", [18.0, 18.14, -63.18, -62.96]),
    ("986", "Wallis-et-Futuna", [-14.4, -13.1, -178.25, -176.1]),
    (
        "987",
        "la Polynésie française",
        [-28.0, -7.8, -154.8, -134.4],
    ),
    ("988", "la Nouvelle-Calédonie", [-22.9, -19.5, 163.5, 168.2]),
];

/// Why `(lat, lon)` cannot be the place's position, or `None` if it can:
/// it must fall in the territory of its département, or anywhere in France
/// when the département is unknown.
fn misplaced(lat: f64, lon: f64, departement: Option<&str>) -> Option<String> {
    let inside = |b: &[f64; 4]| (b[0]..=b[1]).contains(&lat) && (b[2]..=b[3]).contains(&lon);
    let found = TERRITORIES.iter().find(|(_, _, b)| inside(b));
    let Some(found) = found else {
        let swapped = TERRITORIES
            .iter()
            .any(|(_, _, b)| (b[0]..=b[1]).contains(&lon) && (b[2]..=b[3]).contains(&lat));
        let hint = if swapped {
            " (latitude and longitude look swapped)"
        } else {
            ""
        };
        return Some(format!(
            "{lat}, {lon} is outside France and its overseas territories{hint}"
        ));
    };
    let dep = departement?;
    let expected = TERRITORIES
        .iter()
        .find(|(code, _, _)| *code == dep)
        .unwrap_or(&TERRITORIES[0]);
    (expected.0 != found.0).then(|| {
        format!(
            "{lat}, {lon} is in {}, but the address is in {} ({dep})",
            found.1, expected.1
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_must_be_in_their_territory() {
        assert_eq!(misplaced(48.79, 2.29, Some("92")), None);
        assert_eq!(misplaced(42.7, 9.45, Some("2B")), None);
        assert_eq!(misplaced(-21.2, 55.5, Some("974")), None);
        assert_eq!(misplaced(18.06, -63.1, Some("978")), None);
        assert_eq!(misplaced(48.79, 2.29, None), None);
        let m = misplaced(48.79, 2.29, Some("974")).unwrap();
        assert!(
            m.contains("la France métropolitaine") && m.contains("La Réunion (974)"),
            "{m}"
        );
        let m = misplaced(2.29, 48.79, Some("92")).unwrap();
        assert!(m.contains("outside France") && m.contains("swapped"), "{m}");
        assert!(
            misplaced(0.0, 0.0, None)
                .unwrap()
                .contains("outside France")
        );
    }
}
