//! The national list of France services structures (ANCT, data.gouv.fr):
//! one row per structure, one hours column per weekday.

use super::hours::{self, DayError, Slot};
use super::place::{self, Place, Reason};
use super::{ImportError, Parsed, Target};
use std::collections::HashMap;

/// Columns this reader needs besides the weekdays; the header must have them all.
const COLUMNS: &[&str] = &[
    "id_fs",
    "lib_fs",
    "adresse",
    "complement_adresse",
    "insee_com",
    "code_postal",
    "lib_com",
    "latitude",
    "longitude",
    "mail",
    "telephone",
    "prise_rdv",
    "commentaire",
];

/// Weekday columns, Monday first; the list has no Sunday column.
const DAY_COLUMNS: [&str; 6] = [
    "h_lundi",
    "h_mardi",
    "h_mercredi",
    "h_jeudi",
    "h_vendredi",
    "h_samedi",
];

/// Source name written to `[source] name`, as the licence asks to credit it.
const SOURCE_NAME: &str = "ANCT — Liste des structures France services";

/// Whether a header is the France services list's.
pub fn matches(header: &csv::StringRecord) -> bool {
    header.iter().any(|h| h == "id_fs") && header.iter().any(|h| h == "h_lundi")
}

/// Reads every row into `parsed` (made for the whole source, see
/// [`Parsed::new`]). Rows are checked one by one; only an unreadable file fails.
pub fn read(
    rdr: &mut csv::Reader<&[u8]>,
    mut parsed: Parsed,
    header: &csv::StringRecord,
    target: &Target,
    updated: Option<chrono::NaiveDate>,
) -> Result<Parsed, ImportError> {
    let col = super::columns(header, &[COLUMNS, &DAY_COLUMNS].concat())?;
    let Some(services) = target.required_services("france-services") else {
        return Err(ImportError::Directory(
            "label `france-services` is not in data/labels.toml: add it (see the sample directory) before importing the France services list".into(),
        ));
    };
    let mut seen = HashMap::new();
    for (i, record) in rdr.records().enumerate() {
        let record = record.map_err(|e| ImportError::Read(e.to_string()))?;
        let get = |name: &str| record.get(col[name]).unwrap_or("").trim();
        let Some((mut issues, places)) = parsed.row(&record, header, i, get("id_fs")) else {
            continue;
        };
        let (line, row) = (issues.line, issues.row);
        let (hours, hours_issues) = week(&record, &col);
        for (reason, message) in hours_issues {
            issues.push(reason, message);
        }
        let p = Place {
            id: get("id_fs").to_string(),
            line,
            row,
            name: get("lib_fs").to_string(),
            label: "france-services".into(),
            services: services.clone(),
            hours,
            // The free-text comment often states irregular openings ("premier
            // samedi du mois"): shown as written, never guessed into `hours`.
            hours_note: place::text(get("commentaire")),
            appointment: match get("prise_rdv") {
                "Oui" => Some("recommended"),
                "Non" => Some("none"),
                _ => None,
            },
            description: None,
            street: place::street(get("adresse"), get("complement_adresse")),
            postcode: get("code_postal").to_string(),
            commune: get("lib_com").to_string(),
            insee: place::text(get("insee_com")),
            location: place::coordinates(get("latitude"), get("longitude"), &mut issues),
            email: place::first_of(get("mail"), &[' ', ';', ','], "e-mail", &mut issues),
            phone: place::text(get("telephone")),
            website: None,
            updated,
            source_name: SOURCE_NAME.into(),
        };
        if let Some(p) = place::finish(p, &mut seen, &mut issues) {
            places.push(p);
        }
    }
    Ok(parsed)
}

/// The week's hours in OSM syntax, or `None` (with the reason) when a day
/// cannot be read: a partial week would show a wrongly closed day.
fn week(
    record: &csv::StringRecord,
    col: &HashMap<&str, usize>,
) -> (Option<String>, Vec<(Reason, String)>) {
    let mut days: [Vec<Slot>; 7] = Default::default();
    let mut issues = Vec::new();
    let mut failed = false;
    for (d, name) in DAY_COLUMNS.iter().enumerate() {
        let text = record.get(col[name]).unwrap_or("");
        match hours::parse_day(text) {
            Ok(day) => {
                if day.empty_slots > 0 {
                    issues.push((
                        Reason::EmptyInterval,
                        format!("{name} `{text}`: empty interval ignored"),
                    ));
                }
                if day.merged {
                    let merged = day
                        .slots
                        .iter()
                        .map(|&(s, e)| {
                            format!("{}-{}", crate::hours::hh_mm(s), crate::hours::hh_mm(e))
                        })
                        .collect::<Vec<_>>()
                        .join(",");
                    issues.push((
                        Reason::OverlappingIntervals,
                        format!("{name} `{text}`: overlapping intervals read as {merged}"),
                    ));
                }
                days[d] = day.slots;
            }
            Err(DayError::Unparseable(t)) => {
                failed = true;
                issues.push((
                    Reason::UnparseableTime,
                    format!(
                        "{name} `{text}`: `{t}` is not a time like 09:00 - 12:00; hours left out"
                    ),
                ));
            }
            Err(DayError::Reversed(t)) => {
                failed = true;
                issues.push((
                    Reason::IntervalReversed,
                    format!("{name} `{text}`: `{t}` ends before it starts; hours left out"),
                ));
            }
        }
    }
    if failed {
        return (None, issues);
    }
    (hours::to_osm(&days), issues)
}
