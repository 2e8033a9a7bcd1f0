//! Helpers of the import tests: running the import, reading site files and
//! CSV rows, comparing directory snapshots.
#![allow(dead_code)]

use super::common::guichet;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

pub const REAL_LIST: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/france-services/liste-fs-20240801.csv"
);
pub const EXAMPLE_MEDIATION: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/standard-mediation-num/exemple-valide.csv"
);
pub const NOW: &str = "2026-11-23T10:00:00+01:00";
pub const BOUQUET: [&str; 9] = [
    "caf",
    "cpam",
    "carsat",
    "msa",
    "france-travail",
    "dgfip",
    "la-poste",
    "ants",
    "justice",
];

pub fn fixture(name: &str) -> String {
    format!(
        "{}/tests/fixtures/import/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// Runs `guichet import`; returns the exit code and stderr.
pub fn import(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = guichet(&[&["import"], args].concat(), dir);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out.status.code().unwrap_or(-1), stderr)
}

pub fn site(dir: &Path, slug: &str) -> toml::Table {
    let path = dir.join("data/sites").join(format!("{slug}.toml"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.parse().unwrap()
}

pub fn get<'t>(t: &'t toml::Table, path: &str) -> Option<&'t toml::Value> {
    let mut parts = path.split('.');
    let mut v = t.get(parts.next()?)?;
    for p in parts {
        v = v.get(p)?;
    }
    Some(v)
}

pub fn str_at<'t>(t: &'t toml::Table, path: &str) -> &'t str {
    get(t, path)
        .and_then(|v| v.as_str())
        .unwrap_or_else(|| panic!("no string at {path}"))
}

pub fn site_files(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir.join("data/sites"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

/// Every file under `dir/data` and `dir/content` with its bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(p: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for e in std::fs::read_dir(p).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(&dir.join("data"), &mut out);
    walk(&dir.join("content"), &mut out);
    out
}

/// Rows of a CSV file by their id column.
pub fn csv_rows(path: &str, id: &str) -> HashMap<String, HashMap<String, String>> {
    let mut rdr = csv::Reader::from_path(path).unwrap();
    let header = rdr.headers().unwrap().clone();
    rdr.records()
        .map(|r| {
            let row: HashMap<String, String> = header
                .iter()
                .map(String::from)
                .zip(r.unwrap().iter().map(String::from))
                .collect();
            (row[id].clone(), row)
        })
        .collect()
}

/// The row count the summary gives for `code` (`   48  no opening hours…  [no-hours]`).
pub fn count(stderr: &str, code: &str) -> usize {
    let tag = format!("[{code}]");
    stderr
        .lines()
        .find(|l| l.starts_with("    ") && l.ends_with(&tag))
        .and_then(|l| l.split_whitespace().next())
        .map_or(0, |n| n.parse().unwrap())
}

/// The strings of the list at `path` (`services`).
pub fn strings<'t>(t: &'t toml::Table, path: &str) -> Vec<&'t str> {
    get(t, path)
        .and_then(|v| v.as_array())
        .unwrap_or_else(|| panic!("no list at {path}"))
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

/// Runs `guichet build` in `root` and fails with its messages if it fails.
pub fn assert_builds(root: &Path) {
    let out = guichet(&["build", "--now", NOW], root);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
}

/// An editor's change: replaces `from` by `to` in the file and appends `tail`.
pub fn edit(path: &Path, from: &str, to: &str, tail: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{}: no `{from}`", path.display());
    std::fs::write(path, text.replace(from, to) + tail).unwrap();
}
