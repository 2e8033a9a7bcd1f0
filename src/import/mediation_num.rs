//! CSV files in the national data standard for lieux de médiation numérique
//! (LaMednum/standard-mediation-num), v1.x and v0.1.x.
//!
//! The two versions differ in the separator of multi-valued fields (`|` in
//! v1, `;` in v0.1) and in a few column names (`courriels`/`courriel`,
//! `dispositif_programmes_nationaux`/`labels_nationaux`).

use super::place::{self, Place, Reason};
use super::{ImportError, Parsed, Target};
use crate::hours::Hours;
use std::collections::HashMap;

/// National programmes that are labels of this directory, by priority: a
/// place that is both France services and Point numérique CAF is filed as
/// France services.
const LABELS: &[(&str, &str)] = &[
    ("france services", "france-services"),
    ("point relais caf", "point-relais-caf"),
    ("point numérique caf", "point-numerique-caf"),
    ("point d'accès numérique caf", "point-numerique-caf"),
];

/// Values of the standard's `services` that match a service of the
/// directory; the others (training, parenting…) have no equivalent.
const SERVICES: &[(&str, &str)] = &[
    ("accès internet et matériel informatique", "acces-internet"),
    ("accéder à une connexion internet", "acces-internet"),
    ("accéder à du matériel", "acces-internet"),
    (
        "aide aux démarches administratives",
        "accompagnement-numerique",
    ),
    (
        "réaliser des démarches administratives avec un accompagnement",
        "accompagnement-numerique",
    ),
    (
        "devenir autonome dans les démarches administratives",
        "accompagnement-numerique",
    ),
];

/// The version's column names and separator.
struct Version {
    separator: char,
    emails: &'static str,
    labels: &'static str,
}

const V1: Version = Version {
    separator: '|',
    emails: "courriels",
    labels: "dispositif_programmes_nationaux",
};
const V0: Version = Version {
    separator: ';',
    emails: "courriel",
    labels: "labels_nationaux",
};

/// Whether a header is the standard's (either version).
pub fn matches(header: &csv::StringRecord) -> bool {
    let has = |name| header.iter().any(|h| h == name);
    has("id") && has("nom") && has("horaires") && (has(V1.labels) || has(V0.labels))
}

/// Reads every row into `parsed` (made for the whole source, see
/// [`Parsed::new`]). Rows are checked one by one; only an unreadable file fails.
pub fn read(
    rdr: &mut csv::Reader<&[u8]>,
    mut parsed: Parsed,
    header: &csv::StringRecord,
    target: &Target,
) -> Result<Parsed, ImportError> {
    let v = if header.iter().any(|h| h == V1.labels) {
        &V1
    } else {
        &V0
    };
    let required = [
        "id",
        "nom",
        "commune",
        "code_postal",
        "adresse",
        "latitude",
        "longitude",
        "horaires",
        "date_maj",
        v.labels,
    ];
    let col = super::columns(header, &required)?;
    let optional = |name: &str| header.iter().position(|h| h == name);
    let opt: HashMap<&str, Option<usize>> = [
        "code_insee",
        "complement_adresse",
        "telephone",
        v.emails,
        "site_web",
        "presentation_resume",
        "services",
        "modalites_acces",
        "prise_rdv",
        "source",
    ]
    .into_iter()
    .map(|n| (n, optional(n)))
    .collect();
    let mut seen = HashMap::new();
    for (i, record) in rdr.records().enumerate() {
        let record = record.map_err(|e| ImportError::Read(e.to_string()))?;
        let get = |name: &str| {
            col.get(name)
                .copied()
                .or_else(|| opt.get(name).copied().flatten())
                .and_then(|c| record.get(c))
                .unwrap_or("")
                .trim()
        };
        let list = |name: &str| -> Vec<String> {
            get(name)
                .split(v.separator)
                .map(|s| s.trim().to_lowercase())
                .filter(|s| !s.is_empty())
                .collect()
        };
        let Some((mut issues, places)) = parsed.row(&record, header, i, get("id")) else {
            continue;
        };
        let (line, row) = (issues.line, issues.row);
        let access = list("modalites_acces");
        if access
            .iter()
            .any(|a| a.starts_with("ce lieu n'accueille pas de public"))
        {
            issues.push(
                Reason::NoPublic,
                "« Ce lieu n'accueille pas de public »: row skipped",
            );
            continue;
        }
        let programmes = list(v.labels);
        let found = LABELS
            .iter()
            .find(|(name, _)| programmes.iter().any(|p| p == name));
        let Some(&(_, label)) = found else {
            let listed = if programmes.is_empty() {
                "none".into()
            } else {
                get(v.labels).to_string()
            };
            issues.push(
                Reason::NoLabel,
                format!(
                    "{} ({listed}) names no label of this directory (France Services, Point relais CAF, Point numérique CAF): row skipped",
                    v.labels
                ),
            );
            continue;
        };
        let Some(mut services) = target.required_services(label) else {
            issues.push(
                Reason::NoLabel,
                format!("label `{label}` is not in data/labels.toml: add it to import this place; row skipped"),
            );
            continue;
        };
        for wanted in list("services") {
            if let Some((_, id)) = SERVICES.iter().find(|(name, _)| *name == wanted)
                && target.services.contains(*id)
                && !services.iter().any(|s| s == id)
            {
                services.push(id.to_string());
            }
        }
        let hours = match get("horaires") {
            "" => None,
            h => match Hours::parse(h) {
                Ok(_) => Some(h.to_string()),
                Err(e) => {
                    issues.push(
                        Reason::UnparseableHours,
                        format!(
                            "horaires `{h}` (column {}): {}; hours left out",
                            e.column, e.message
                        ),
                    );
                    None
                }
            },
        };
        let appointment = if access.iter().any(|a| a == "se présenter") {
            Some("none")
        } else if !get("prise_rdv").is_empty() || access.iter().any(|a| a.contains("rdv")) {
            Some("recommended")
        } else {
            None
        };
        let website = place::first_of(get("site_web"), &[v.separator], "web site", &mut issues);
        let website = website.filter(|w| {
            let ok = w.starts_with("https://") || w.starts_with("http://");
            if !ok {
                issues.push(
                    Reason::BadValue,
                    format!("web site `{w}` is not an http(s) address: left out"),
                );
            }
            ok
        });
        let p = Place {
            id: get("id").to_string(),
            line,
            row,
            name: get("nom").to_string(),
            label: label.to_string(),
            services,
            hours,
            hours_note: None,
            appointment,
            description: place::text(get("presentation_resume")),
            street: place::street(get("adresse"), get("complement_adresse")),
            postcode: get("code_postal").to_string(),
            commune: get("commune").to_string(),
            insee: place::text(get("code_insee")),
            location: place::coordinates(get("latitude"), get("longitude"), &mut issues),
            email: place::first_of(get(v.emails), &[v.separator], "e-mail", &mut issues),
            phone: place::text(get("telephone")).map(|t| french_phone(&t)),
            website,
            updated: chrono::NaiveDate::parse_from_str(get("date_maj"), "%Y-%m-%d").ok(),
            source_name: match get("source") {
                "" => "Lieux de médiation numérique".to_string(),
                s => format!("Lieux de médiation numérique — {s}"),
            },
        };
        if let Some(p) = place::finish(p, &mut seen, &mut issues) {
            places.push(p);
        }
    }
    Ok(parsed)
}

/// `+33180059880` → `01 80 05 98 80`, the way residents dial it; other
/// numbers (overseas codes, odd lengths) are kept as written.
fn french_phone(t: &str) -> String {
    match t.strip_prefix("+33") {
        Some(rest) if rest.len() == 9 && rest.bytes().all(|b| b.is_ascii_digit()) => {
            let digits = format!("0{rest}");
            digits
                .as_bytes()
                .chunks(2)
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect::<Vec<_>>()
                .join(" ")
        }
        _ => t.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn phones_are_written_the_french_way() {
        assert_eq!(super::french_phone("+33180059880"), "01 80 05 98 80");
        assert_eq!(super::french_phone("+262262123456"), "+262262123456");
        assert_eq!(super::french_phone("01 80 05 98 80"), "01 80 05 98 80");
    }
}
