//! The compact index the browser searches as residents type.
//!
//! `search-index.json` is one JSON object of positional arrays (no repeated
//! keys), with shared tables so that what many sites have in common is stored
//! once: labels, services and their everyday keywords, départements, time
//! zones and opening schedules. Per site it keeps only what differs. Beyond
//! [`SITES_PER_FILE`] sites, the rest comes in part files the browser fetches
//! after the first results are on screen; each file carries the opening
//! schedules its sites are the first to use, so the first file stays small
//! however many distinct schedules the whole directory has.
//! Layout (version 2), read by `themes/default/static/search-engine.js`:
//!
//! ```text
//! v        2
//! count    number of sites in all files
//! parts    further files of sites, to fetch after this one ("recherche/lieux/1.json", …)
//! from     first day of the dated schedules (YYYY-MM-DD)
//! until    last day of the dated schedules
//! tz       [zone, …]
//! labels   [[id, name, short], …]
//! services [[id, name, [normalised keyword, …]], …]
//! deps     [[code, name], …]
//! hours    [[tz index, week, exceptions], …] used by this file's sites
//!          week: 7 days Monday first, "|"-separated, each "start-end,…" in
//!          minutes; exceptions: "day offset from `from`:intervals;…";
//!          each part file appends its own to the table: hours indices
//!          count over the first file's and the parts' tables in order
//! sites    [[slug, name, commune, postcode, dep index, label index,
//!            services, lat, lon, flags, hours index, street], …] in name order;
//!          each part file is {"hours": [further schedules], "sites":
//!          [further rows]}
//!          slug: "" when it is the commune's slug, "-suffix" when it extends
//!          it, else the full slug; name: "~" stands for the commune name
//!          ("~~" for a real tilde); services: hexadecimal bit set over
//!          `services`; lat/lon: degrees × 10⁴ (null when unknown);
//!          flags: bits 0–1 appointment (0 none, 1 recommended,
//!          2 required, 3 not stated), bit 2 wheelchair yes, bit 3
//!          wheelchair no (neither: not stated);
//!          hours index: -1 when hours are unknown;
//!          street: the street address, "" when unknown (search cards
//!          show it)
//! ```

use crate::derive::{Derived, Schedule};
use crate::model::{Appointment, Directory, Site};
use crate::text::{fold_char, slugify};
use chrono::NaiveDate;
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use serde_json::{Value, json};
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

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
struct Table<K: std::hash::Hash + Eq> {
    index: HashMap<K, usize>,
    rows: Vec<Value>,
}

impl<K: std::hash::Hash + Eq> Table<K> {
    fn new() -> Self {
        Table {
            index: HashMap::default(),
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

/// A schedule's time zone, week and exceptions, encoded for the index.
type EncodedSchedule = (String, String, String);

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
        Appointment::Unknown => 3,
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

/// Sites per file: the first file stays under 150 KB gzipped (about 130 KB
/// for 4,000 synthetic sites with their schedules and streets), so a
/// resident sees results before the rest of a large directory has arrived.
pub const SITES_PER_FILE: usize = 4000;

/// Folder of the index's further parts, relative to the site root.
pub const PARTS_DIR: &str = "recherche/lieux";

/// One site's entry, before the shared tables give its schedule a number.
pub struct Row {
    /// Sort key: the normalised name, then the slug.
    key: (String, String),
    schedule: Option<EncodedSchedule>,
    /// The row as JSON without its closing bracket: the hours index, known
    /// once the shared tables are filled, goes after it. Kept as text so that a
    /// rebuild only joins the rows it did not build again.
    open: String,
    /// The street as a JSON string: the row's last value, after the hours index.
    street: String,
}

/// Search rows kept between `serve`'s rebuilds, so that a notice edit
/// builds one site's row again instead of the directory's.
#[derive(Default)]
pub struct KeptRows(Mutex<(u64, HashMap<String, Arc<Row>>)>);

/// What a row depends on besides its own site: positions in the shared
/// tables and the first day of the schedules.
fn tables_print(deps: &[&str], labels: &[&str], services: &[&str], from: NaiveDate) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    (deps, labels, services, from).hash(&mut h);
    h.finish()
}

/// `search-index.json` and its parts, `SITES_PER_FILE` sites in each file.
/// With `kept`, the row of site `i` is taken from the last build when
/// `kept.1[i]` says the site has not changed.
pub fn index_files(
    dir: &Directory,
    d: &Derived,
    per_file: usize,
    kept: Option<(&KeptRows, &[bool])>,
) -> Vec<(String, String)> {
    let labels: Vec<&str> = dir.labels.keys().map(String::as_str).collect();
    let services: Vec<&str> = dir.services.keys().map(String::as_str).collect();
    let deps: Vec<&str> = d.departements.keys().map(String::as_str).collect();
    let schedules = || d.sites.iter().filter_map(|f| f.schedule.as_ref());
    let from = schedules().map(|s| s.from).min().unwrap_or(d.today);
    let until = schedules().map(|s| s.until).min().unwrap_or(d.today);
    let build = |i: usize| {
        let (site, facts) = (&dir.sites[i], &d.sites[i]);
        let schedule = facts.schedule.as_ref().map(|s| {
            let (week, exceptions) = encode_schedule(s, from);
            (s.tz.name().to_string(), week, exceptions)
        });
        let location = site.location;
        let mut open = json!([
            slug_delta(&site.slug, &site.address.commune),
            name_delta(&site.name, &site.address.commune),
            site.address.commune,
            site.address.postcode,
            deps.iter().position(|x| *x == site.departement),
            labels.iter().position(|l| *l == site.label),
            service_bits(&site.services, &services),
            location.map(|l| degrees(l.lat)),
            location.map(|l| degrees(l.lon)),
            flags(site),
        ])
        .to_string();
        open.pop();
        Arc::new(Row {
            key: (normalise(&site.name), site.slug.clone()),
            schedule,
            open,
            street: Value::from(site.address.street.as_deref().unwrap_or("")).to_string(),
        })
    };
    // Rows are built on every core; only the shared tables are filled in order.
    let mut rows: Vec<Arc<Row>> = match kept {
        None => (0..dir.sites.len()).into_par_iter().map(build).collect(),
        Some((kept, unchanged)) => {
            let print = tables_print(&deps, &labels, &services, from);
            let old = {
                let mut guard = kept.0.lock().unwrap_or_else(|e| e.into_inner());
                let (old_print, map) = &mut *guard;
                let old = if *old_print == print {
                    std::mem::take(map)
                } else {
                    HashMap::default()
                };
                *old_print = print;
                old
            };
            let rows: Vec<Arc<Row>> = (0..dir.sites.len())
                .into_par_iter()
                .map(|i| match old.get(&dir.sites[i].slug) {
                    Some(row) if unchanged.get(i) == Some(&true) => row.clone(),
                    _ => build(i),
                })
                .collect();
            let map = dir
                .sites
                .iter()
                .map(|s| s.slug.clone())
                .zip(rows.iter().cloned());
            kept.0.lock().unwrap_or_else(|e| e.into_inner()).1 = map.collect();
            rows
        }
    };
    // Name order, so the browser lists sites alphabetically without sorting,
    // and parts simply append.
    rows.par_sort_unstable_by(|a, b| a.key.cmp(&b.key));
    let mut zones: Table<&str> = Table::new();
    let mut hours: Table<(usize, &str, &str)> = Table::new();
    let schedules: Vec<i64> = rows
        .iter()
        .map(|row| match &row.schedule {
            Some((tz, week, exceptions)) => {
                let tz = zones.intern(tz, || json!(tz));
                hours.intern((tz, week, exceptions), || json!([tz, week, exceptions])) as i64
            }
            None => -1,
        })
        .collect();
    let per_file = per_file.max(1);
    let chunks = rows.len().div_ceil(per_file).max(1);
    // Schedules are numbered in row order, so the ones file k is the first
    // to use are the range from the end of file k - 1's to the end of its own.
    let mut hours_end = vec![0usize; chunks];
    let mut seen = 0usize;
    for (k, end) in hours_end.iter_mut().enumerate() {
        let range = k * per_file..rows.len().min((k + 1) * per_file);
        for &h in &schedules[range] {
            if h >= 0 {
                seen = seen.max(h as usize + 1);
            }
        }
        *end = seen;
    }
    let hours_of = |k: usize| {
        let start = if k == 0 { 0 } else { hours_end[k - 1] };
        Value::from(hours.rows[start..hours_end[k]].to_vec()).to_string()
    };
    let chunk_text = |k: usize| {
        let range = k * per_file..rows.len().min((k + 1) * per_file);
        let mut text = String::with_capacity(range.len() * 130 + 2);
        text.push('[');
        for i in range {
            if text.len() > 1 {
                text.push(',');
            }
            text.push_str(&rows[i].open);
            text.push(',');
            text.push_str(&schedules[i].to_string());
            text.push(',');
            text.push_str(&rows[i].street);
            text.push(']');
        }
        text.push(']');
        text
    };
    let parts: Vec<String> = (1..chunks)
        .map(|k| format!("{PARTS_DIR}/{k}.json"))
        .collect();
    // The object's keys print in alphabetical order: those before "sites",
    // the first file's rows as text, then those after.
    let before = json!({
        "count": dir.sites.len(),
        "parts": parts,
        "from": from.to_string(),
        "labels": dir.labels.values().map(|l| json!([l.id, l.name, l.short])).collect::<Vec<_>>(),
        "services": dir.services.values().map(|s| {
            let mut words: Vec<String> = s.keywords.iter().map(|k| normalise(k)).collect();
            words.sort();
            words.dedup();
            json!([s.id, s.name, words])
        }).collect::<Vec<_>>(),
        "deps": deps.iter().map(|c| json!([c, crate::derive::departement_name(c)])).collect::<Vec<_>>(),
        "hours": hours.rows[..hours_end[0]],
    })
    .to_string();
    let after = json!({
        "tz": zones.rows,
        "until": until.to_string(),
        "v": 2,
    })
    .to_string();
    let index = format!(
        "{},\"sites\":{},{}",
        &before[..before.len() - 1],
        chunk_text(0),
        &after[1..]
    );
    let mut out = vec![("search-index.json".to_string(), index)];
    out.extend(parts.into_iter().enumerate().map(|(k, path)| {
        let body = format!(
            "{{\"hours\":{},\"sites\":{}}}",
            hours_of(k + 1),
            chunk_text(k + 1)
        );
        (path, body)
    }));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> (Directory, Derived) {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let (dir, _) = crate::load::load(root);
        let now = "2026-11-23T09:00:00Z".parse().expect("clock");
        let derived = crate::derive::derive(&dir, now);
        (dir, derived)
    }

    /// Files of the index: (path, text).
    type Files = Vec<(String, String)>;

    /// The index built with rows kept from an earlier build, site `changed`
    /// alone built again, next to the index built from scratch.
    fn kept_and_fresh(before: &Directory, after: &Directory, changed: usize) -> (Files, Files) {
        let now = "2026-11-23T09:00:00Z".parse().expect("clock");
        let kept = KeptRows::default();
        let all_new = vec![false; before.sites.len()];
        index_files(
            before,
            &crate::derive::derive(before, now),
            2,
            Some((&kept, &all_new)),
        );
        let d = crate::derive::derive(after, now);
        let unchanged: Vec<bool> = (0..after.sites.len()).map(|i| i != changed).collect();
        let reused = index_files(after, &d, 2, Some((&kept, &unchanged)));
        (reused, index_files(after, &d, 2, None))
    }

    #[test]
    fn kept_rows_give_the_index_a_fresh_build_gives() {
        let (dir, _) = sample();
        let mut renamed = dir.clone();
        renamed.sites[1].name = "Aaa nouveau nom".into();
        let (reused, fresh) = kept_and_fresh(&dir, &renamed, 1);
        assert_eq!(reused, fresh);
        // The kept rows are really used: claiming nothing changed keeps the
        // old name.
        let (stale, fresh) = kept_and_fresh(&dir, &renamed, usize::MAX);
        assert_ne!(stale, fresh);
        // A new département moves the other sites' département numbers: no
        // kept row survives that.
        let mut moved = dir.clone();
        moved.sites[1].departement = "2A".into();
        let (reused, fresh) = kept_and_fresh(&dir, &moved, 1);
        assert_eq!(reused, fresh);
    }

    #[test]
    fn large_directories_split_into_parts_that_append_in_name_order() {
        let (dir, d) = sample();
        let files = index_files(&dir, &d, 2, None);
        let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "search-index.json",
                "recherche/lieux/1.json",
                "recherche/lieux/2.json"
            ]
        );
        let index: Value = serde_json::from_str(&files[0].1).expect("index is JSON");
        assert_eq!(index["count"], 5);
        assert_eq!(
            index["parts"],
            json!(["recherche/lieux/1.json", "recherche/lieux/2.json"])
        );
        let mut rows: Vec<Value> = index["sites"].as_array().expect("sites").clone();
        let mut hours = index["hours"].as_array().expect("hours").len();
        let known = |rows: &[Value], hours: usize| {
            rows.iter()
                .all(|r| r[10].as_i64().is_some_and(|h| h < hours as i64))
        };
        assert!(known(&rows, hours), "the first file's schedules are in it");
        for (_, body) in &files[1..] {
            let part: Value = serde_json::from_str(body).expect("part is JSON");
            hours += part["hours"].as_array().expect("hours").len();
            let more = part["sites"].as_array().expect("rows");
            assert!(
                known(more, hours),
                "a part brings the schedules it uses first"
            );
            rows.extend(more.iter().cloned());
        }
        let whole = index_files(&dir, &d, SITES_PER_FILE, None);
        let all: Value = serde_json::from_str(&whole[0].1).expect("index is JSON");
        assert_eq!(hours, all["hours"].as_array().expect("hours").len());
        let names: Vec<String> = rows
            .iter()
            .map(|r| {
                r[1].as_str()
                    .unwrap_or("")
                    .replace('~', r[2].as_str().unwrap_or(""))
            })
            .collect();
        let mut sorted = names.clone();
        sorted.sort_by_key(|n| normalise(n));
        assert_eq!(names, sorted);
        assert_eq!(names.len(), 5);
        assert_eq!(whole.len(), 1, "the sample fits one file");
    }

    #[test]
    fn private_notes_never_reach_the_index() {
        let (dir, d) = sample();
        let body = &index_files(&dir, &d, SITES_PER_FILE, None)[0].1;
        assert!(body.contains("Fontenay-aux-Roses"));
        // Words of Villeparisis's [private] referents.
        assert!(!body.contains("ne pas communiquer"));
        assert!(!body.contains("cafmelun"));
    }

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
