//! Site files written by an import: new ones from scratch, existing ones
//! updated in place with `toml_edit`, so editors' comments, key order,
//! `[private]` and any field the source does not have stay as they are.
//!
//! An imported site carries `[source] dataset` and `id`; a re-import finds its
//! file by them (whatever the file is called or which sub-folder it is in),
//! which keeps slugs stable. `[source] keep = ["hours", "contact.phone"]`
//! lists imported fields an editor has corrected and wants to keep.

use super::place::Place;
use crate::diagnostics::line_column;
use crate::files::rel;
use crate::text::slugify;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use toml_edit::{Array, DocumentMut, Item, TableLike, Value};

/// Site files already in `data/sites/`.
#[derive(Default)]
pub struct Index {
    /// Files imported from the same dataset, by source id.
    pub by_id: HashMap<String, Existing>,
    /// Every slug in use (file stems), so new slugs never collide.
    pub slugs: HashSet<String>,
}

/// An existing site file.
pub struct Existing {
    pub path: PathBuf,
    /// Path relative to the root, for messages.
    pub rel: String,
    pub doc: DocumentMut,
}

/// Reads every site file under `root/data/sites` (sub-folders included). A file that is not valid
/// TOML stops the import: its place could otherwise be imported twice.
pub fn scan(root: &Path, dataset: &str) -> Result<Index, String> {
    let mut index = Index::default();
    // The files `build` reads, found the same way: a file it skips (an
    // editor's backup, a link out of the directory) is not updated either.
    let mut skipped = crate::diagnostics::Diagnostics::new();
    for path in crate::files::site_files(root, &mut skipped) {
        let rel = rel(root, &path);
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{rel}: cannot read: {e}"))?;
        let doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
            let (line, column) = line_column(&text, e.span().map_or(0, |s| s.start));
            format!(
                "{rel}:{line}:{column}: invalid TOML ({}): fix it before importing, so that its place is not imported twice",
                e.message().trim()
            )
        })?;
        if let Some(stem) = path.file_stem() {
            index.slugs.insert(stem.to_string_lossy().into_owned());
        }
        let source = doc.get("source").and_then(Item::as_table_like);
        let field = |k| source.and_then(|s| s.get(k)).and_then(Item::as_str);
        let id = match (field("dataset"), field("id")) {
            (Some(d), Some(id)) if d == dataset => id.to_string(),
            _ => continue,
        };
        // Two files with one id: the first found is updated; the other
        // stays as it is, like any file the import does not own.
        index.by_id.entry(id).or_insert(Existing { path, rel, doc });
    }
    Ok(index)
}

/// A new, unused slug for `p`: `<commune>-<prefix><id>` (`valserhone-fs-1`).
pub fn new_slug(p: &Place, prefix: &str, used: &mut HashSet<String>) -> String {
    let id = slugify(&format!("{prefix}{}", p.id));
    let base = match slugify(&p.commune) {
        c if c.is_empty() => id,
        c if id.is_empty() => c,
        c => format!("{c}-{id}"),
    };
    let mut slug = base.clone();
    let mut n = 2;
    while used.contains(&slug) {
        slug = format!("{base}-{n}");
        n += 1;
    }
    used.insert(slug.clone());
    slug
}

/// The text of a new site file for `p`.
pub fn new_file(p: &Place, dataset: &str) -> String {
    let mut doc = DocumentMut::new();
    apply(&mut doc, p, dataset);
    let mut text = format!(
        "# Imported by `guichet import` from \"{}\" (row {}, id {}).\n\
         # A new import updates the fields that come from the source; to keep your own\n\
         # value of one of them, list it in [source] keep, e.g. keep = [\"hours\"].\n\
         # Comments, [private] and fields you add are never touched.\n",
        p.source_name, p.row, p.id
    );
    if p.hours_note.is_some() {
        text.push_str(
            "# hours_note is the source's free-text comment: openings it mentions that are\n\
             # not in `hours` (\"premier samedi du mois\") are for an editor to add.\n",
        );
    }
    text.push('\n');
    text.push_str(&doc.to_string());
    text
}

/// One field an import changes in an existing file.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldChange {
    /// Dotted path: `hours`, `contact.phone`.
    pub field: String,
    /// The value before, as TOML (`None`: the field was absent).
    pub before: Option<String>,
    /// The value after, as TOML; for `services`, the ids added.
    pub after: String,
}

/// Writes `p`'s values into `doc` and returns what changed. Values the
/// source lacks (`None`) and fields listed in `[source] keep` are left alone.
pub fn apply(doc: &mut DocumentMut, p: &Place, dataset: &str) -> Vec<FieldChange> {
    let keep: Vec<String> = doc
        .get("source")
        .and_then(|s| s.get("keep"))
        .and_then(Item::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let mut w = Writer {
        keep,
        changed: Vec::new(),
    };
    let root = doc.as_table_mut();
    let text = |s: &Option<String>| s.as_deref().map(Value::from);
    w.set(root, "name", Some(p.name.as_str().into()));
    w.set(root, "label", Some(p.label.as_str().into()));
    w.services(root, &p.services);
    let fields = [
        ("hours", text(&p.hours)),
        ("hours_note", text(&p.hours_note)),
        ("appointment", p.appointment.map(Value::from)),
        ("description", text(&p.description)),
        ("address.street", text(&p.street)),
        ("address.postcode", Some(p.postcode.as_str().into())),
        ("address.commune", Some(p.commune.as_str().into())),
        ("address.insee", text(&p.insee)),
        ("location.lat", p.location.map(|(lat, _)| lat.into())),
        ("location.lon", p.location.map(|(_, lon)| lon.into())),
        ("contact.email", text(&p.email)),
        ("contact.phone", text(&p.phone)),
        ("contact.website", text(&p.website)),
    ];
    for (path, value) in fields {
        w.set(root, path, value);
    }
    // Provenance is never kept back: it says where the values came from.
    w.keep.clear();
    let updated = p.updated.map(|d| {
        use chrono::Datelike;
        Value::from(toml_edit::Datetime {
            date: Some(toml_edit::Date {
                year: d.year() as u16,
                month: d.month() as u8,
                day: d.day() as u8,
            }),
            time: None,
            offset: None,
        })
    });
    let source = [
        ("source.dataset", Some(dataset.into())),
        ("source.id", Some(p.id.as_str().into())),
        ("source.name", Some(p.source_name.as_str().into())),
        ("source.updated", updated),
    ];
    for (path, value) in source {
        w.set(root, path, value);
    }
    w.changed
}

struct Writer {
    keep: Vec<String>,
    changed: Vec<FieldChange>,
}

impl Writer {
    fn kept(&self, path: &str) -> bool {
        self.keep.iter().any(|k| {
            path == k
                || path
                    .strip_prefix(k.as_str())
                    .is_some_and(|r| r.starts_with('.'))
        })
    }

    /// Sets `path` (`hours`, `contact.phone`) to `value`, creating its
    /// `[table]` if needed; `None` leaves the file as it is.
    fn set(&mut self, root: &mut toml_edit::Table, path: &str, value: Option<Value>) {
        let Some(mut value) = value else {
            return;
        };
        if self.kept(path) {
            return;
        }
        let (table, key): (&mut dyn TableLike, &str) = match path.split_once('.') {
            Some((name, key)) => {
                if !root.get(name).is_some_and(Item::is_table_like) {
                    root.insert(name, toml_edit::table());
                }
                let table = root.get_mut(name).and_then(Item::as_table_like_mut);
                (table.expect("inserted just above"), key)
            }
            None => (root, path),
        };
        let after = show(&value);
        let before = match table.get_mut(key) {
            Some(Item::Value(old)) if same(old, &value) => return,
            Some(Item::Value(old)) => {
                let before = show(old);
                // Keep the old value's spacing and trailing comment.
                *value.decor_mut() = old.decor().clone();
                *old = value;
                Some(before)
            }
            _ => {
                table.insert(key, Item::Value(value));
                None
            }
        };
        self.changed.push(FieldChange {
            field: path.to_string(),
            before,
            after,
        });
    }

    /// Adds the imported services to the list, keeping those an editor added.
    fn services(&mut self, root: &mut toml_edit::Table, services: &[String]) {
        if self.kept("services") {
            return;
        }
        let Some(Item::Value(Value::Array(list))) = root.get_mut("services") else {
            let mut list = Array::new();
            for s in services {
                let mut v = Value::from(s.as_str());
                v.decor_mut().set_prefix("\n    ");
                list.push_formatted(v);
            }
            list.set_trailing("\n");
            list.set_trailing_comma(true);
            let after = services.join(", ");
            root.insert("services", Item::Value(Value::Array(list)));
            self.changed.push(FieldChange {
                field: "services".into(),
                before: None,
                after,
            });
            return;
        };
        let prefix = list.iter().last().and_then(|v| v.decor().prefix().cloned());
        let mut added = Vec::new();
        for s in services {
            if list.iter().any(|v| v.as_str() == Some(s)) {
                continue;
            }
            let mut v = Value::from(s.as_str());
            if let Some(p) = &prefix {
                v.decor_mut().set_prefix(p.clone());
            }
            list.push_formatted(v);
            added.push(s.as_str());
        }
        if !added.is_empty() {
            self.changed.push(FieldChange {
                field: "services".into(),
                before: None,
                after: format!("+ {}", added.join(", ")),
            });
        }
    }
}

/// Same value, whatever the formatting (`48.70` vs `48.7`, quotes, spacing).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(x), Value::String(y)) => x.value() == y.value(),
        (Value::Float(_) | Value::Integer(_), Value::Float(_) | Value::Integer(_)) => {
            number(a) == number(b)
        }
        (Value::Boolean(x), Value::Boolean(y)) => x.value() == y.value(),
        (Value::Datetime(x), Value::Datetime(y)) => x.value() == y.value(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| same(p, q))
        }
        _ => false,
    }
}

/// A value as TOML, without its spacing and comments.
fn show(v: &Value) -> String {
    let mut v = v.clone();
    v.decor_mut().clear();
    v.to_string()
}

fn number(v: &Value) -> Option<f64> {
    v.as_float().or_else(|| v.as_integer().map(|i| i as f64))
}

/// Writes every file into a staging folder next to `data/sites`, then moves
/// them into place: an error while writing leaves `data/` as it was.
pub fn commit(root: &Path, files: &[(PathBuf, String)]) -> Result<(), String> {
    let staging = root
        .join("data")
        .join(format!(".guichet-import-{}", std::process::id()));
    let result = stage_and_move(root, &staging, files);
    let _ = std::fs::remove_dir_all(&staging);
    result
}

fn stage_and_move(root: &Path, staging: &Path, files: &[(PathBuf, String)]) -> Result<(), String> {
    let fail = |p: &Path, e: std::io::Error| format!("{}: {e}", rel(root, p));
    std::fs::create_dir_all(staging).map_err(|e| fail(staging, e))?;
    let mut staged = Vec::with_capacity(files.len());
    for (i, (target, text)) in files.iter().enumerate() {
        let tmp = staging.join(format!("{i}.toml"));
        std::fs::write(&tmp, text).map_err(|e| fail(&tmp, e))?;
        staged.push((tmp, target));
    }
    for (_, target) in &staged {
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir).map_err(|e| fail(dir, e))?;
        }
    }
    for (moved, (tmp, target)) in staged.iter().enumerate() {
        std::fs::rename(tmp, target).map_err(|e| {
            format!(
                "{} (after moving {moved} of {} files into place)",
                fail(target, e),
                staged.len()
            )
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place() -> Place {
        Place {
            id: "7".into(),
            name: "France services de Millau".into(),
            label: "france-services".into(),
            services: vec!["caf".into(), "cpam".into()],
            hours: Some("Mo-Fr 09:00-12:00".into()),
            postcode: "12100".into(),
            commune: "Millau".into(),
            location: Some((44.0985, 3.0783)),
            phone: Some("05 65 00 00 00".into()),
            source_name: "ANCT".into(),
            ..Place::default()
        }
    }

    #[test]
    fn updates_keep_comments_kept_fields_and_additions() {
        let mut doc: DocumentMut = new_file(&place(), "france-services").parse().unwrap();
        assert!(apply(&mut doc, &place(), "france-services").is_empty());
        let edited = doc
            .to_string()
            .replace("hours = ", "# Checked on site.\nhours = ")
            .replace("services = [", "services = [\n    \"acces-internet\",")
            .replace("lat = 44.0985", "lat = 44.098500 # geocoded")
            .replace(
                "\n[source]\n",
                "\n[private]\nnotes = \"x\"\n\n[source]\nkeep = [\"contact\"]\n",
            );
        let mut doc: DocumentMut = edited.parse().unwrap();
        let mut p = place();
        p.hours = Some("Mo-Fr 09:00-12:30".into());
        p.phone = Some("05 65 11 11 11".into());
        p.services.push("msa".into());
        let changed: Vec<String> = apply(&mut doc, &p, "france-services")
            .into_iter()
            .map(|c| c.field)
            .collect();
        assert_eq!(changed, ["services", "hours"]);
        let text = doc.to_string();
        assert!(
            text.contains("# Checked on site.\nhours = \"Mo-Fr 09:00-12:30\""),
            "{text}"
        );
        assert!(
            text.contains("\"acces-internet\",\n    \"caf\",\n    \"cpam\",\n    \"msa\""),
            "{text}"
        );
        assert!(text.contains("lat = 44.098500 # geocoded"), "{text}");
        assert!(text.contains("phone = \"05 65 00 00 00\""), "kept: {text}");
        assert!(text.contains("[private]\nnotes = \"x\""), "{text}");
    }

    #[test]
    fn new_slugs_never_collide() {
        let mut used: HashSet<String> = ["millau-fs-7".to_string()].into();
        assert_eq!(new_slug(&place(), "fs-", &mut used), "millau-fs-7-2");
        assert_eq!(new_slug(&place(), "fs-", &mut used), "millau-fs-7-3");
        let mut p = place();
        p.commune = "Saint-Étienne".into();
        p.id = "structure 12".into();
        assert_eq!(new_slug(&p, "", &mut used), "saint-etienne-structure-12");
    }
}
