//! `guichet import`: national open-data lists → `data/sites/<slug>.toml`.
//!
//! Two formats are read: the ANCT list of France services structures and the
//! national standard for lieux de médiation numérique (v1.x and v0.1.x). The
//! file is read and every row checked before anything is written; rows with
//! problems are reported with their line and reason, and either skipped or
//! imported with a warning. Files are written to a staging folder, then moved
//! into `data/sites/`, so an unreadable source leaves `data/` untouched.

mod france_services;
mod hours;
mod mediation_num;
mod place;
mod report;
mod toml_out;

pub use place::{Issue, Reason};
pub use report::ImportReport;
pub use toml_out::FieldChange;

use crate::diagnostics::{Diagnostics, Level, line_column};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::Path;
use std::str::FromStr;

/// A national open-data format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// ANCT "Liste des structures France services" (`id_fs`, `h_lundi`…).
    FranceServices,
    /// Standard for lieux de médiation numérique, v1.x or v0.1.x.
    MediationNum,
}

impl Format {
    /// Name on the command line and in `[source] dataset`.
    pub fn name(self) -> &'static str {
        match self {
            Format::FranceServices => "france-services",
            Format::MediationNum => "mediation-num",
        }
    }

    /// The format whose columns the header has.
    pub fn detect(header: &csv::StringRecord) -> Option<Format> {
        if france_services::matches(header) {
            Some(Format::FranceServices)
        } else if mediation_num::matches(header) {
            Some(Format::MediationNum)
        } else {
            None
        }
    }

    /// Put before the source id in new slugs, so ids of two sources never meet.
    fn slug_prefix(self) -> &'static str {
        match self {
            Format::FranceServices => "fs-",
            Format::MediationNum => "",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Format, String> {
        match s {
            "france-services" => Ok(Format::FranceServices),
            "mediation-num" => Ok(Format::MediationNum),
            _ => Err(format!(
                "unknown format `{s}`: use france-services or mediation-num"
            )),
        }
    }
}

/// Why nothing was imported. `data/` is unchanged, except after
/// [`ImportError::Write`], which says how far the move went.
#[derive(Debug)]
pub enum ImportError {
    /// The source file cannot be read (missing, not UTF-8, broken CSV).
    Read(String),
    /// The file is not in a known format, or lacks columns.
    Format(String),
    /// The directory cannot take the import (no labels.toml, label missing,
    /// a site file that is not valid TOML).
    Directory(String),
    /// Writing the site files failed.
    Write(String),
}

impl ImportError {
    /// 1 when the inputs are at fault (format, directory), 2 for I/O.
    pub fn exit_code(&self) -> u8 {
        match self {
            ImportError::Format(_) | ImportError::Directory(_) => 1,
            ImportError::Read(_) | ImportError::Write(_) => 2,
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::Read(m) | ImportError::Format(m) | ImportError::Directory(m) => {
                write!(f, "{m}\nnothing was imported")
            }
            ImportError::Write(m) => write!(f, "cannot write the site files: {m}"),
        }
    }
}

/// What a format reader returns.
#[derive(Default)]
struct Parsed {
    places: Vec<place::Place>,
    issues: Vec<Issue>,
    rows: u64,
    /// Every id met, skipped rows included: a site whose id is still in the
    /// source is not reported as gone.
    ids: HashSet<String>,
    /// Byte offsets where the source's lines start: rows are reported at
    /// their line in the file, counted here because the csv reader's own
    /// count is one short in files with CRLF line ends (most exports).
    line_starts: Vec<u64>,
}

impl Parsed {
    /// Ready to read the rows of `source`.
    fn new(source: &[u8]) -> Parsed {
        let line_starts = std::iter::once(0)
            .chain(
                source
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| **b == b'\n')
                    .map(|(i, _)| i as u64 + 1),
            )
            .collect();
        Parsed {
            line_starts,
            ..Parsed::default()
        }
    }

    /// 1-based line of a record the csv reader says starts at `offset`. In
    /// a CRLF file it reads `\r` as the end of the record and reports the
    /// next record from the `\n` that follows: a record never starts on a
    /// line end, so one there starts on the next line.
    fn line_of(&self, offset: u64) -> u64 {
        let on_line_end = self.line_starts.binary_search(&(offset + 1)).is_ok();
        let offset = offset + u64::from(on_line_end);
        self.line_starts.partition_point(|&start| start <= offset) as u64
    }

    /// Counts row `index` (0-based, header excluded) and notes its id.
    /// Returns the row's issue list and where to put its place, or `None`
    /// (the row reported and skipped) when its field count is not the header's.
    fn row<'a>(
        &'a mut self,
        record: &csv::StringRecord,
        header: &csv::StringRecord,
        index: usize,
        id: &str,
    ) -> Option<(place::RowIssues<'a>, &'a mut Vec<place::Place>)> {
        self.rows += 1;
        self.ids.insert(id.to_string());
        let mut issues = place::RowIssues {
            line: self.line_of(record.position().map_or(0, |p| p.byte())),
            row: index as u64 + 1,
            id: id.to_string(),
            out: &mut self.issues,
        };
        if record.len() != header.len() {
            let (found, expected) = (record.len(), header.len());
            issues.push(
                Reason::FieldCount,
                format!("{found} fields where the header has {expected}: row skipped"),
            );
            return None;
        }
        Some((issues, &mut self.places))
    }
}

/// What the target directory offers: labels with their required services,
/// and service ids.
struct Target {
    labels: HashMap<String, Vec<String>>,
    services: HashSet<String>,
}

impl Target {
    /// The built-in labels and services, with the directory's own
    /// `data/labels.toml` and `data/services.toml` on top.
    fn load(root: &Path) -> Result<Target, ImportError> {
        let read = |name: &str| -> Result<toml::Table, ImportError> {
            let sources = crate::reference::table_sources(root, name).map_err(|e| {
                ImportError::Directory(format!("{}: {e}", root.join(name).display()))
            })?;
            let mut table = toml::Table::new();
            for source in sources {
                let entries: toml::Table = source.text.parse().map_err(|e| {
                    ImportError::Directory(format!("{}: invalid TOML: {e}", source.file))
                })?;
                table.extend(entries);
            }
            Ok(table)
        };
        let labels = read("data/labels.toml")?
            .into_iter()
            .map(|(id, v)| {
                let services = v
                    .get("rules")
                    .and_then(|r| r.get("required_services"))
                    .and_then(|s| s.as_array())
                    .map(|a| {
                        a.iter()
                            .filter_map(|s| s.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default();
                (id, services)
            })
            .collect();
        let services = read("data/services.toml")?
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        Ok(Target { labels, services })
    }

    /// The services a site of `label` offers by definition, if the label exists.
    fn required_services(&self, label: &str) -> Option<Vec<String>> {
        self.labels.get(label).cloned()
    }
}

/// Positions of `names` in the header, or an error naming the missing ones.
fn columns<'n>(
    header: &csv::StringRecord,
    names: &[&'n str],
) -> Result<HashMap<&'n str, usize>, ImportError> {
    let mut found = HashMap::new();
    let mut missing = Vec::new();
    for &name in names {
        match header.iter().position(|h| h == name) {
            Some(i) => {
                found.insert(name, i);
            }
            None => missing.push(name),
        }
    }
    if missing.is_empty() {
        Ok(found)
    } else {
        Err(ImportError::Format(format!(
            "missing column(s): {}",
            missing.join(", ")
        )))
    }
}

/// The first `YYYYMMDD` in a file name (`liste-fs-20240801.csv`): the list's
/// update date, which the file itself does not carry.
fn date_in_name(file: &Path) -> Option<chrono::NaiveDate> {
    let name = file.file_stem()?.to_string_lossy().into_owned();
    let bytes = name.as_bytes();
    (0..bytes.len().saturating_sub(7)).find_map(|i| {
        let s = &name[i..i + 8];
        let digits = s.bytes().all(|b| b.is_ascii_digit());
        let alone = (i == 0 || !bytes[i - 1].is_ascii_digit())
            && bytes.get(i + 8).is_none_or(|b| !b.is_ascii_digit());
        (digits && alone)
            .then(|| chrono::NaiveDate::parse_from_str(s, "%Y%m%d").ok())
            .flatten()
    })
}

/// Imports `file` into the directory at `root` (creating or updating
/// `data/sites/*.toml`); `format` is detected from the header when `None`.
/// With `dry_run`, nothing is written and the report says what would change.
pub fn import(
    file: &Path,
    root: &Path,
    format: Option<Format>,
    dry_run: bool,
) -> Result<ImportReport, ImportError> {
    let shown = file.display().to_string();
    let bytes = std::fs::read(file).map_err(|e| ImportError::Read(format!("{shown}: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
        let (line, column) = line_column(&lossy, e.utf8_error().valid_up_to());
        ImportError::Read(format!(
            "{shown}:{line}:{column}: not valid UTF-8; save the file as UTF-8"
        ))
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let target = Target::load(root)?;

    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = rdr
        .headers()
        .map_err(|e| ImportError::Read(format!("{shown}: {e}")))?
        .clone();
    let format = match format.or_else(|| Format::detect(&header)) {
        Some(f) => f,
        None => {
            let start: Vec<&str> = header.iter().take(4).collect();
            return Err(ImportError::Format(format!(
                "{shown}:1:1: unknown format (columns {} …): expected the France services list (id_fs, h_lundi…) or the lieux de médiation numérique standard (id, nom, horaires…); give --format if it is one of them",
                start.join(", ")
            )));
        }
    };
    let parsed = match format {
        Format::FranceServices => france_services::read(
            &mut rdr,
            Parsed::new(text.as_bytes()),
            &header,
            &target,
            date_in_name(file),
        ),
        Format::MediationNum => {
            mediation_num::read(&mut rdr, Parsed::new(text.as_bytes()), &header, &target)
        }
    }
    .map_err(|e| match e {
        ImportError::Format(m) => {
            ImportError::Format(format!("{shown}:1:1: not a {format} file: {m}"))
        }
        ImportError::Read(m) => ImportError::Read(format!("{shown}: {m}")),
        other => other,
    })?;

    let mut index = toml_out::scan(root, format.name()).map_err(ImportError::Directory)?;
    let mut report = ImportReport::new(shown, format, parsed.rows, dry_run);
    report.issues = parsed.issues;
    if format == Format::FranceServices && date_in_name(file).is_none() {
        report.notes.push(
            "the file name carries no date (liste-fs-YYYYMMDD.csv): [source] updated is left out"
                .into(),
        );
    }
    let mut writes = Vec::new();
    for p in parsed.places {
        let fresh = toml_out::new_file(&p, format.name());
        if let Some(problem) = load_problem(&fresh) {
            report.issues.push(Issue {
                line: p.line,
                row: p.row,
                id: p.id.clone(),
                reason: Reason::InvalidSite,
                message: format!("the site file would not load ({problem}): row skipped"),
            });
            continue;
        }
        match index.by_id.get_mut(&p.id) {
            None => {
                let slug = toml_out::new_slug(&p, format.slug_prefix(), &mut index.slugs);
                let path = root.join("data/sites").join(format!("{slug}.toml"));
                report.created.push(crate::files::rel(root, &path));
                writes.push((path, fresh));
            }
            Some(existing) => {
                let changed = toml_out::apply(&mut existing.doc, &p, format.name());
                if changed.is_empty() {
                    report.unchanged += 1;
                } else {
                    report.updated.push((existing.rel.clone(), changed));
                    writes.push((existing.path.clone(), existing.doc.to_string()));
                }
            }
        }
    }
    report.issues.sort_by_key(|i| (i.row, i.reason));
    let mut gone: Vec<String> = index
        .by_id
        .iter()
        .filter(|(id, _)| !parsed.ids.contains(*id))
        .map(|(_, e)| e.rel.clone())
        .collect();
    gone.sort();
    report.gone = gone;
    if !dry_run && !writes.is_empty() {
        toml_out::commit(root, &writes).map_err(ImportError::Write)?;
    }
    Ok(report)
}

/// The first error the site loader finds in `text`, if any.
fn load_problem(text: &str) -> Option<String> {
    let mut diags = Diagnostics::new();
    let site = crate::load::load_site("data/sites/imported.toml", text, &mut diags);
    let first = diags
        .iter()
        .find(|d| d.level == Level::Error)
        .map(|d| d.message.clone());
    match (site, first) {
        (_, Some(message)) => Some(message),
        (None, None) => Some("unknown reason".into()),
        (Some(_), None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_update_date_comes_from_the_file_name() {
        let d = |s: &str| date_in_name(Path::new(s)).map(|d| d.to_string());
        assert_eq!(
            d("data/liste-fs-20240801.csv").as_deref(),
            Some("2024-08-01")
        );
        assert_eq!(d("20250115-export.csv").as_deref(), Some("2025-01-15"));
        assert_eq!(d("liste-fs.csv"), None);
        assert_eq!(d("liste-123456789.csv"), None);
        assert_eq!(d("liste-20241301.csv"), None);
    }
}
