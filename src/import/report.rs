//! What an import did (or, with `--dry-run`, would do), for the terminal.

use super::toml_out::FieldChange;
use super::{Format, Issue, Reason};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// The outcome of [`super::import`]: files written, rows with problems.
#[derive(Debug)]
pub struct ImportReport {
    /// The source file, as given.
    pub file: String,
    pub format: Format,
    /// Data rows read (header excluded).
    pub rows: u64,
    /// New site files (paths relative to the root).
    pub created: Vec<String>,
    /// Updated site files and the fields that changed.
    pub updated: Vec<(String, Vec<FieldChange>)>,
    /// Sites found again with nothing to change.
    pub unchanged: usize,
    /// Every problem, by row.
    pub issues: Vec<Issue>,
    /// Site files of this dataset whose id is no longer in the source: kept,
    /// for an editor to check (closed? merged?).
    pub gone: Vec<String>,
    /// Remarks on the file as a whole.
    pub notes: Vec<String>,
    /// Nothing was written.
    pub dry_run: bool,
}

impl ImportReport {
    pub(super) fn new(file: String, format: Format, rows: u64, dry_run: bool) -> ImportReport {
        ImportReport {
            file,
            format,
            rows,
            created: Vec::new(),
            updated: Vec::new(),
            unchanged: 0,
            issues: Vec::new(),
            gone: Vec::new(),
            notes: Vec::new(),
            dry_run,
        }
    }

    /// Number of rows left out of the directory.
    pub fn skipped(&self) -> usize {
        self.skipped_rows().len()
    }

    /// Number of rows imported with at least one warning.
    pub fn warned(&self) -> usize {
        let skipped = self.skipped_rows();
        self.issues
            .iter()
            .filter(|i| !skipped.contains(&i.row))
            .map(|i| i.row)
            .collect::<BTreeSet<_>>()
            .len()
    }

    /// Number of distinct rows per reason; warnings count only for rows that
    /// were imported.
    pub fn rows_by_reason(&self) -> BTreeMap<Reason, usize> {
        let skipped = self.skipped_rows();
        let mut rows: BTreeMap<Reason, BTreeSet<u64>> = BTreeMap::new();
        for i in &self.issues {
            if i.reason.skips() || !skipped.contains(&i.row) {
                rows.entry(i.reason).or_default().insert(i.row);
            }
        }
        rows.into_iter().map(|(r, set)| (r, set.len())).collect()
    }

    fn skipped_rows(&self) -> BTreeSet<u64> {
        self.issues
            .iter()
            .filter(|i| i.reason.skips())
            .map(|i| i.row)
            .collect()
    }

    /// Every issue (one line each, `file:line:1`), what changed, and the summary.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for i in &self.issues {
            let level = if i.reason.skips() { "error" } else { "warning" };
            let id = if i.id.is_empty() {
                String::new()
            } else {
                format!(", id {}", i.id)
            };
            let _ = writeln!(
                out,
                "{}:{}:1: {level}: row {}{id}: {} [{}]",
                self.file, i.line, i.row, i.message, i.reason
            );
        }
        let verb =
            |done: &'static str, would: &'static str| if self.dry_run { would } else { done };
        if self.dry_run {
            for c in &self.created {
                let _ = writeln!(out, "would create {c}");
            }
        }
        for (file, changes) in &self.updated {
            let _ = writeln!(out, "{} {file}:", verb("updated", "would update"));
            for c in changes {
                match &c.before {
                    Some(before) => {
                        let _ = writeln!(out, "    {}: {before} → {}", c.field, c.after);
                    }
                    None => {
                        let _ = writeln!(out, "    {}: {}", c.field, c.after);
                    }
                }
            }
        }
        for g in &self.gone {
            let _ = writeln!(
                out,
                "{g}: no longer in {}; kept (delete it if the place has closed)",
                self.file
            );
        }
        for n in &self.notes {
            let _ = writeln!(out, "note: {n}");
        }
        let _ = writeln!(out, "\n{} ({}): {} rows", self.file, self.format, self.rows);
        let _ = writeln!(
            out,
            "  site files: {} {}, {} {}, {} unchanged",
            self.created.len(),
            verb("created", "to create"),
            self.updated.len(),
            verb("updated", "to update"),
            self.unchanged
        );
        let by_reason = self.rows_by_reason();
        let _ = writeln!(out, "  rows skipped: {}", self.skipped());
        for (reason, n) in by_reason.iter().filter(|(r, _)| r.skips()) {
            let _ = writeln!(out, "    {n:>5}  {}  [{reason}]", reason.summary());
        }
        let _ = writeln!(out, "  rows imported with a warning: {}", self.warned());
        for (reason, n) in by_reason.iter().filter(|(r, _)| !r.skips()) {
            let _ = writeln!(out, "    {n:>5}  {}  [{reason}]", reason.summary());
        }
        if !self.gone.is_empty() {
            let _ = writeln!(out, "  sites no longer in the source: {}", self.gone.len());
        }
        if self.dry_run {
            let _ = writeln!(out, "dry run: nothing was written");
        }
        out
    }
}
