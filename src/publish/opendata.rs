//! Open-data exports of the sites: `donnees/lieux.csv` in the national
//! standard for lieux de médiation numérique (v1.0.2), `donnees/lieux.geojson`
//! (RFC 7946) and `donnees/lieux.json`.
//!
//! Each record is built field by field from public values only: a field added
//! to the model later is not published until someone decides it should be,
//! and `[private]` never reaches the model in the first place.

use crate::derive::Derived;
use crate::model::{Appointment, Directory, Precision, Site};
use crate::output::Sink;
use crate::spreadsheet;
use rustc_hash::FxHashMap as HashMap;
use serde_json::json;
use std::io::Write;
use std::sync::{Arc, Mutex, RwLock};

/// Column names of the national standard, in its order (schema v1.0.2).
pub const CSV_FIELDS: [&str; 32] = [
    "id",
    "pivot",
    "nom",
    "commune",
    "code_postal",
    "code_insee",
    "adresse",
    "complement_adresse",
    "latitude",
    "longitude",
    "typologie",
    "telephone",
    "courriels",
    "site_web",
    "horaires",
    "presentation_resume",
    "presentation_detail",
    "source",
    "itinerance",
    "structure_parente",
    "date_maj",
    "services",
    "publics_specifiquement_adresses",
    "prise_en_charge_specifique",
    "frais_a_charge",
    "dispositif_programmes_nationaux",
    "formations_labels",
    "autres_formations_labels",
    "modalites_acces",
    "modalites_accompagnement",
    "fiche_acces_libre",
    "prise_rdv",
];

/// Our labels in the standard's `dispositif_programmes_nationaux` vocabulary.
/// Point Relais Caf and espaces numériques partenaires give free access to
/// caf.fr (document 000 art. 8, document 003 art. 5): the standard files all
/// Caf partner points under its one Caf value.
const DISPOSITIFS: [(&str, &str); 4] = [
    ("france-services", "France Services"),
    ("point-numerique-caf", "Point d'accès numérique CAF"),
    ("point-relais-caf", "Point d'accès numérique CAF"),
    ("espace-numerique-caf", "Point d'accès numérique CAF"),
];

/// The standard's `services` values, in its order.
const HELP_WITH_FORMALITIES: &str = "Aide aux démarches administratives";
const EVERYDAY_DIGITAL_SKILLS: &str = "Maîtrise des outils numériques du quotidien";
const INTERNET_ACCESS: &str = "Accès internet et matériel informatique";

/// Multi-valued fields of the standard are joined with `|`.
const SEPARATOR: &str = "|";

/// The standard limits `presentation_resume` to 280 characters.
const SUMMARY_MAX_CHARS: usize = 280;

/// Writes `donnees/lieux.csv`, `donnees/lieux.geojson` and
/// `donnees/lieux.json` into `sink`. Records are built in parallel, a batch
/// of sites at a time, and written in order: at national scale the exports
/// weigh hundreds of megabytes and are never held whole in memory.
///
/// With `reuse`, a site's records are built again only when its page is
/// wanted (it changed); the others come from the last build.
pub fn write(
    dir: &Directory,
    d: &Derived,
    base_url: &str,
    wanted: &(dyn Fn(&str) -> bool + Sync),
    reuse: Option<&super::Reuse>,
    sink: &dyn Sink,
) {
    let n = dir.sites.len();
    let stream = |path: &'static str,
                  write: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>| {
        if !wanted(path) {
            return;
        }
        let Some(kept) = reuse.map(|r| r.kept) else {
            return sink.stream(path, 0, write);
        };
        // serve collects the file in memory: its last size saves growing
        // a buffer of megabytes step by step.
        let size = kept.size(path);
        sink.stream(path, size, &mut |w| {
            let mut counted = crate::output::Counting { inner: w, len: 0 };
            write(&mut counted)?;
            kept.set_size(path, counted.len as usize);
            Ok(())
        });
    };
    let record = |file: &'static str, i: usize, build: &dyn Fn() -> Vec<u8>| -> Arc<[u8]> {
        match reuse {
            Some(r) => r
                .kept
                .get_or(file, &dir.sites[i].slug, r.unchanged(i), build),
            None => build().into(),
        }
    };
    // The three files are independent: written side by side, none waits
    // for another's serial writing at the end of a build.
    rayon::join(
        || stream("donnees/lieux.csv", &mut |w| csv(dir, d, w, &record)),
        || {
            rayon::join(
                || {
                    stream("donnees/lieux.geojson", &mut |w| {
                        w.write_all(b"{\"features\":")?;
                        record_lines(w, n, |i| {
                            record("geojson", i, &|| {
                                super::records::feature(dir, &dir.sites[i], base_url)
                            })
                        })?;
                        w.write_all(b",\"type\":\"FeatureCollection\"}\n")
                    })
                },
                || {
                    stream("donnees/lieux.json", &mut |w| {
                        // Keys in alphabetical order, as a `serde_json::Value` object prints them.
                        write!(w, "{{\"date_maj\":{},\"lieux\":", json!(d.today))?;
                        record_lines(w, n, |i| {
                            record("json", i, &|| super::records::site(dir, d, i, base_url))
                        })?;
                        writeln!(
                            w,
                            ",\"titre\":{},\"url\":{}}}",
                            json!(dir.config.title),
                            json!(base_url)
                        )
                    })
                },
            )
        },
    );
}

/// Sites whose records are built at once: enough to keep both cores busy,
/// few enough to hold in memory.
const BATCH: usize = 2048;

/// Writes `piece(0)`, `piece(1)`… up to `n`, separated by `sep`, the
/// pieces of each batch built in parallel.
fn in_order(
    w: &mut dyn Write,
    n: usize,
    sep: &[u8],
    piece: impl Fn(usize) -> Arc<[u8]> + Sync,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    for start in (0..n).step_by(BATCH) {
        let batch: Vec<Arc<[u8]>> = (start..n.min(start + BATCH))
            .into_par_iter()
            .map(&piece)
            .collect();
        for (k, bytes) in batch.iter().enumerate() {
            if start + k > 0 {
                w.write_all(sep)?;
            }
            w.write_all(bytes)?;
        }
    }
    Ok(())
}

/// A JSON array of `n` compact records, one record a line: far smaller
/// than pretty-printed JSON, whose indentation was most of a national
/// export, and still diffable record by record.
fn record_lines(
    w: &mut dyn Write,
    n: usize,
    record: impl Fn(usize) -> Arc<[u8]> + Sync,
) -> std::io::Result<()> {
    if n == 0 {
        return w.write_all(b"[]");
    }
    w.write_all(b"[\n")?;
    in_order(w, n, b",\n", record)?;
    w.write_all(b"\n]")
}

/// One export's records, by site slug.
type RecordsBySlug = HashMap<String, Arc<[u8]>>;

/// What `serve` keeps of its last build so that a notice edit builds one
/// site's share again instead of the directory's: each site's records in
/// the directory-wide files (exports, search index, feed).
#[derive(Default)]
pub struct KeptRecords {
    /// By export file, then by site slug. Read by every core at once while
    /// an export is written, so behind a read-write lock.
    exports: RwLock<HashMap<&'static str, RecordsBySlug>>,
    /// Size of each export file.
    sizes: Mutex<HashMap<&'static str, usize>>,
    pub(crate) search: super::search::KeptRows,
}

/// Builds, or takes from the kept ones, the record of site `i` in an export.
type RecordOf<'a> = dyn Fn(&'static str, usize, &dyn Fn() -> Vec<u8>) -> Arc<[u8]> + Sync + 'a;

impl KeptRecords {
    fn size(&self, file: &str) -> usize {
        let sizes = self.sizes.lock().unwrap_or_else(|e| e.into_inner());
        sizes.get(file).copied().unwrap_or(0)
    }

    fn set_size(&self, file: &'static str, size: usize) {
        let mut sizes = self.sizes.lock().unwrap_or_else(|e| e.into_inner());
        sizes.insert(file, size);
    }

    /// The record of `slug` in export `file`: the kept one when `reuse`
    /// allows and there is one, else built and kept.
    pub(super) fn get_or(
        &self,
        file: &'static str,
        slug: &str,
        reuse: bool,
        build: &dyn Fn() -> Vec<u8>,
    ) -> Arc<[u8]> {
        if reuse {
            let kept = self.exports.read().unwrap_or_else(|e| e.into_inner());
            if let Some(bytes) = kept.get(file).and_then(|records| records.get(slug)) {
                return bytes.clone();
            }
        }
        let bytes: Arc<[u8]> = build().into();
        let mut kept = self.exports.write().unwrap_or_else(|e| e.into_inner());
        kept.entry(file)
            .or_default()
            .insert(slug.to_string(), bytes.clone());
        bytes
    }
}

fn csv_writer<W: Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out)
}

fn csv(
    dir: &Directory,
    d: &Derived,
    out: &mut dyn Write,
    record: &RecordOf<'_>,
) -> std::io::Result<()> {
    let mut header = csv_writer(&mut *out);
    header.write_record(CSV_FIELDS)?;
    header.flush()?;
    drop(header);
    let date_maj = d.today.format("%Y-%m-%d").to_string();
    in_order(out, dir.sites.len(), b"", |i| {
        record("csv", i, &|| {
            let mut w = csv_writer(Vec::new());
            // Writing to memory cannot fail.
            let row = csv_record(dir, &dir.sites[i], &date_maj);
            let cells = row.each_ref().map(|cell| spreadsheet::neutralise(cell));
            let _ = w.write_record(cells.iter().map(|cell| cell.as_bytes()));
            w.into_inner().unwrap_or_default()
        })
    })
}

/// One row of the national standard.
fn csv_record(dir: &Directory, site: &Site, date_maj: &str) -> [String; 32] {
    let coords = located(site);
    let description = site.description.as_deref().unwrap_or("");
    let dispositif = dispositif(site);
    let label_name = dir.labels.get(&site.label).map(|l| l.name.as_str());
    // The label's own name, when the standard's vocabulary only approximates it.
    let other_label = label_name
        .filter(|n| dispositif.is_none_or(|v| !v.eq_ignore_ascii_case(n)))
        .unwrap_or("");
    [
        site.slug.clone(),
        // The model holds no SIRET yet; fourteen zeros fit the field's
        // pattern and cannot be mistaken for a real establishment.
        "00000000000000".into(),
        site.name.clone(),
        site.address.commune.clone(),
        site.address.postcode.clone(),
        site.address.insee.clone().unwrap_or_default(),
        site.address.street.clone().unwrap_or_default(),
        String::new(),
        coords.map(|l| l.lat.to_string()).unwrap_or_default(),
        coords.map(|l| l.lon.to_string()).unwrap_or_default(),
        String::new(),
        phone(site).unwrap_or_default(),
        site.contact.email.clone().unwrap_or_default(),
        site.contact.website.clone().unwrap_or_default(),
        site.hours_source.clone().unwrap_or_default(),
        summary(description),
        description.to_string(),
        dir.config.title.clone(),
        "Fixe".into(),
        site.structure.clone().unwrap_or_default(),
        date_maj.to_string(),
        standard_services(dir, site).join(SEPARATOR),
        String::new(),
        if site.wheelchair == Some(true) {
            "Handicaps moteurs".into()
        } else {
            String::new()
        },
        String::new(),
        dispositif.unwrap_or_default().to_string(),
        String::new(),
        other_label.to_string(),
        access(site).join(SEPARATOR),
        support(site).join(SEPARATOR),
        String::new(),
        String::new(),
    ]
}

/// Coordinates good enough to place the site itself. A commune's
/// representative point is not the site's address: the standard's consumers
/// would pin it in the wrong street, so the CSV leaves it out.
fn located(site: &Site) -> Option<crate::model::Location> {
    site.location.filter(|l| l.precision == Precision::Address)
}

fn dispositif(site: &Site) -> Option<&'static str> {
    DISPOSITIFS
        .iter()
        .find(|(label, _)| *label == site.label)
        .map(|(_, v)| *v)
}

/// The standard's phone format: international, no spaces ("+33141132144").
pub(super) fn phone(site: &Site) -> Option<String> {
    international_phone(site.contact.phone.as_deref()?, &site.departement)
}

/// "01 41 13 21 44" → "+33141132144"; overseas numbers take their territory's
/// country code ("0262 …" in La Réunion → "+262262…"). `None` when the number
/// is not a ten-digit French number: a malformed value would fail the standard.
pub fn international_phone(raw: &str, departement: &str) -> Option<String> {
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    if raw.trim_start().starts_with('+') {
        // Already international: only the spaces and dots go.
        return (9..=13)
            .contains(&digits.len())
            .then(|| format!("+{digits}"));
    }
    if digits.len() != 10 || !digits.starts_with('0') {
        return None;
    }
    let code = match departement {
        "971" | "977" | "978" => "590",
        "972" => "596",
        "973" => "594",
        "974" | "976" => "262",
        "975" => "508",
        "986" => "681",
        "987" => "689",
        "988" => "687",
        _ => "33",
    };
    Some(format!("+{code}{}", &digits[1..]))
}

/// At most 280 characters, cut at a word boundary.
fn summary(description: &str) -> String {
    if description.chars().count() <= SUMMARY_MAX_CHARS {
        return description.to_string();
    }
    let cut: String = description.chars().take(SUMMARY_MAX_CHARS - 1).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', ';', ':', ' ']))
}

/// The kinds of help the standard knows, from our services.
fn standard_services(dir: &Directory, site: &Site) -> Vec<&'static str> {
    let mut found = [false; 3];
    for id in &site.services {
        let Some(service) = dir.services.get(id) else {
            continue;
        };
        if id == "accompagnement-numerique" {
            found[0] = true;
            found[1] = true;
        } else if service.theme == "numerique" {
            found[2] = true;
        } else {
            found[0] = true;
        }
    }
    [
        HELP_WITH_FORMALITIES,
        EVERYDAY_DIGITAL_SKILLS,
        INTERNET_ACCESS,
    ]
    .into_iter()
    .zip(found)
    .filter_map(|(v, f)| f.then_some(v))
    .collect()
}

/// How to get help, in the standard's vocabulary and order.
fn access(site: &Site) -> Vec<&'static str> {
    let mut out = Vec::new();
    if site.appointment == Appointment::None {
        out.push("Se présenter");
    }
    if site.contact.phone.is_some() {
        out.push("Téléphoner");
    }
    if site.contact.email.is_some() {
        out.push("Contacter par mail");
    }
    out
}

fn support(site: &Site) -> Vec<&'static str> {
    let mut out = Vec::new();
    if site.equipment.computers.is_some_and(|n| n > 0) {
        out.push("En autonomie");
    }
    if site
        .services
        .iter()
        .any(|s| s == "accompagnement-numerique")
    {
        out.push("Accompagnement individuel");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_follow_the_standard() {
        assert_eq!(
            international_phone("01 41 13 21 44", "92").as_deref(),
            Some("+33141132144")
        );
        assert_eq!(
            international_phone("0262 57 12 34", "974").as_deref(),
            Some("+262262571234")
        );
        assert_eq!(
            international_phone("+33 1 41 13 21 44", "92").as_deref(),
            Some("+33141132144")
        );
        assert_eq!(international_phone("12 34", "92"), None);
    }

    #[test]
    fn record_lines_are_one_json_array_a_record_a_line() {
        let items = [
            json!({"a": [1, {"b": "x\ny"}], "c": {}}),
            json!({"empty": [], "s": "é"}),
        ];
        for n in 0..=2 {
            let mut ours = b"{\"k\":".to_vec();
            record_lines(&mut ours, n, |i| {
                serde_json::to_vec(&items[i]).unwrap().into()
            })
            .unwrap();
            ours.push(b'}');
            let text = String::from_utf8(ours).unwrap();
            let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(parsed, json!({"k": items[..n]}));
            let lines = text.lines().count();
            assert_eq!(lines, if n == 0 { 1 } else { n + 2 }, "{text}");
        }
    }

    #[test]
    fn summaries_fit_280_characters() {
        let long = "mot ".repeat(100);
        let s = summary(&long);
        assert!(s.chars().count() <= 280);
        assert!(s.ends_with("mot…"));
        assert_eq!(summary("court"), "court");
    }
}
