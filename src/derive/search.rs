//! The compact index the browser searches as residents type.
//!
//! `search-index.json` is one JSON object of positional arrays (no repeated
//! keys), with shared tables so that what many sites have in common is stored
//! once: labels, services and their everyday keywords, départements, communes,
//! time zones and opening schedules. Per site it keeps only what differs.
//! Layout (version 1), read by `themes/default/static/search.js`:
//!
//! ```text
//! v        1
//! from     first day of the dated schedules (YYYY-MM-DD)
//! until    last day of the dated schedules
//! tz       [zone, …]
//! labels   [[id, name, short], …]
//! services [[id, name, [normalised keyword, …]], …]
//! deps     [[code, name], …]
//! communes [[name, postcode, dep index, browse key], …]
//! hours    [[tz index, week, exceptions], …]
//!          week: 7 days Monday first, "|"-separated, each "start-end,…" in
//!          minutes; exceptions: "day offset from `from`:intervals;…"
//! sites    [[slug, name, commune index, label index, services, lat, lon,
//!            flags, hours index], …]
//!          slug: "" when it is the commune's slug, "-suffix" when it extends
//!          it, else the full slug; name: "~" stands for the commune name
//!          ("~~" for a real tilde); services: hexadecimal bit set over
//!          `services`; lat/lon: degrees × 10⁴ (null when unknown);
//!          flags: bits 0–1 appointment (0 none, 1 recommended,
//!          2 required), bit 2 wheelchair yes, bit 3 wheelchair no;
//!          hours index: -1 when hours are unknown.
//! ```

use super::{Derived, Schedule};
use crate::load::{fold_char, slugify};
use crate::model::{Appointment, Directory, Site};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Lowercase, accents folded, punctuation to spaces: "Saint-Étienne" → "saint etienne".
pub fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(fold_char) {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out.trim().to_string()
}

/// Interns values into a table, handing out their positions.
struct Table<K: Ord + Clone> {
    index: BTreeMap<K, usize>,
    rows: Vec<Value>,
}

impl<K: Ord + Clone> Table<K> {
    fn new() -> Self {
        Table {
            index: BTreeMap::new(),
            rows: Vec::new(),
        }
    }

    fn intern(&mut self, key: K, row: impl FnOnce() -> Value) -> usize {
        if let Some(&i) = self.index.get(&key) {
            return i;
        }
        self.rows.push(row());
        self.index.insert(key, self.rows.len() - 1);
        self.rows.len() - 1
    }
}

fn intervals(list: &[[u16; 2]]) -> String {
    list.iter()
        .map(|[a, b]| format!("{a}-{b}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// Week and exceptions of a schedule, as in the layout above.
fn encode_schedule(s: &Schedule, from: chrono::NaiveDate) -> (String, String) {
    let week = s
        .week
        .iter()
        .map(|d| intervals(d))
        .collect::<Vec<_>>()
        .join("|");
    let exceptions = s
        .exceptions
        .iter()
        .filter_map(|(date, list)| {
            let date = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
            let offset = (date - from).num_days();
            Some(format!("{offset}:{}", intervals(list)))
        })
        .collect::<Vec<_>>()
        .join(";");
    (week, exceptions)
}

/// The slug as stored: relative to the commune's slug when it starts with it.
fn slug_delta(slug: &str, commune: &str) -> String {
    let base = slugify(commune);
    if slug == base {
        String::new()
    } else if let Some(rest) = slug.strip_prefix(&base).filter(|r| r.starts_with('-')) {
        rest.to_string()
    } else {
        slug.to_string()
    }
}

/// The name as stored: the commune name replaced by `~`.
fn name_delta(name: &str, commune: &str) -> String {
    let escaped = name.replace('~', "~~");
    if commune.is_empty() || commune.contains('~') {
        return escaped;
    }
    escaped.replacen(commune, "~", 1)
}

fn flags(site: &Site) -> u8 {
    let appointment = match site.appointment {
        Appointment::None => 0,
        Appointment::Recommended => 1,
        Appointment::Required => 2,
    };
    let wheelchair = match site.wheelchair {
        Some(true) => 4,
        Some(false) => 8,
        None => 0,
    };
    appointment | wheelchair
}

/// Hexadecimal bit set of the services a site offers, bit i = `services[i]`.
fn service_bits(offered: &[String], services: &[&str]) -> String {
    let mut bits = vec![0u8; services.len().div_ceil(4).max(1)];
    for s in offered {
        if let Some(i) = services.iter().position(|x| x == s) {
            bits[i / 4] |= 1 << (i % 4);
        }
    }
    // Most significant nibble first, leading zeros dropped.
    let hex: String = bits
        .iter()
        .rev()
        .map(|b| char::from_digit(u32::from(*b), 16).unwrap_or('0'))
        .collect();
    let trimmed = hex.trim_start_matches('0');
    if trimmed.is_empty() { "0" } else { trimmed }.to_string()
}

fn degrees(x: f64) -> i64 {
    (x * 1e4).round() as i64
}

/// `search-index.json`.
pub fn index_json(dir: &Directory, d: &Derived) -> String {
    let labels: Vec<&str> = dir.labels.keys().map(String::as_str).collect();
    let services: Vec<&str> = dir.services.keys().map(String::as_str).collect();
    let deps: Vec<&str> = d.departements.keys().map(String::as_str).collect();
    let from = d
        .sites
        .iter()
        .filter_map(|f| f.schedule.as_ref().map(|s| s.from))
        .min()
        .unwrap_or(d.today);
    let until = d
        .sites
        .iter()
        .filter_map(|f| f.schedule.as_ref().map(|s| s.until))
        .min()
        .unwrap_or(d.today);
    let mut zones: Table<String> = Table::new();
    let mut communes: Table<String> = Table::new();
    let mut hours: Table<(usize, String, String)> = Table::new();
    let mut sites = Vec::with_capacity(dir.sites.len());
    for (site, facts) in dir.sites.iter().zip(&d.sites) {
        let key = super::commune_key(site);
        let commune = communes.intern(key.clone(), || {
            json!([
                site.address.commune,
                site.address.postcode,
                deps.iter().position(|x| *x == site.departement),
                key,
            ])
        });
        let schedule = match &facts.schedule {
            Some(s) => {
                let tz = zones.intern(s.tz.clone(), || json!(s.tz));
                let (week, exceptions) = encode_schedule(s, from);
                let row = json!([tz, week, exceptions]);
                hours.intern((tz, week, exceptions), || row) as i64
            }
            None => -1,
        };
        let location = site.location;
        sites.push(json!([
            slug_delta(&site.slug, &site.address.commune),
            name_delta(&site.name, &site.address.commune),
            commune,
            labels.iter().position(|l| *l == site.label),
            service_bits(&site.services, &services),
            location.map(|l| degrees(l.lat)),
            location.map(|l| degrees(l.lon)),
            flags(site),
            schedule,
        ]));
    }
    json!({
        "v": 1,
        "from": from.to_string(),
        "until": until.to_string(),
        "tz": zones.rows,
        "labels": dir.labels.values().map(|l| json!([l.id, l.name, l.short])).collect::<Vec<_>>(),
        "services": dir.services.values().map(|s| {
            let mut words: Vec<String> = s.keywords.iter().map(|k| normalise(k)).collect();
            words.sort();
            words.dedup();
            json!([s.id, s.name, words])
        }).collect::<Vec<_>>(),
        "deps": deps.iter().map(|c| json!([c, super::departement_name(c)])).collect::<Vec<_>>(),
        "communes": communes.rows,
        "hours": hours.rows,
        "sites": sites,
    })
    .to_string()
}

/// Every file of the browser's search: the index and the commune gazetteer.
pub fn files(dir: &Directory, d: &Derived) -> Vec<(String, String)> {
    let mut out = vec![("search-index.json".to_string(), index_json(dir, d))];
    out.extend(super::communes::bucket_files());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalise_folds_accents_and_punctuation() {
        assert_eq!(
            normalise("Saint-Étienne-du-Rouvray"),
            "saint etienne du rouvray"
        );
        assert_eq!(normalise("L'Évêque"), "l eveque");
    }

    #[test]
    fn slugs_are_stored_relative_to_the_commune() {
        assert_eq!(slug_delta("fontenay-aux-roses", "Fontenay-aux-Roses"), "");
        assert_eq!(slug_delta("rouen-simone-veil", "Rouen"), "-simone-veil");
        assert_eq!(slug_delta("rouennais", "Rouen"), "rouennais");
        assert_eq!(slug_delta("maison-droits", "Villeparisis"), "maison-droits");
    }

    #[test]
    fn names_stand_the_commune_in_with_a_tilde() {
        assert_eq!(
            name_delta(
                "France services de Fontenay-aux-Roses",
                "Fontenay-aux-Roses"
            ),
            "France services de ~"
        );
        assert_eq!(name_delta("Espace ~ Rouen", "Rouen"), "Espace ~~ ~");
        assert_eq!(name_delta("Mairie annexe", "Rouen"), "Mairie annexe");
    }

    #[test]
    fn service_bits_are_hexadecimal_most_significant_first() {
        let services = ["a", "b", "c", "d", "e"];
        assert_eq!(service_bits(&["a".into(), "e".into()], &services), "11");
        assert_eq!(service_bits(&["d".into()], &services), "8");
        assert_eq!(service_bits(&[], &services), "0");
    }
}
