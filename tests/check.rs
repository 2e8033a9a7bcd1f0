//! `guichet check` against each label's charter, as a Caf or prefecture
//! auditing its network would run it.

mod common;

use common::{guichet, sample_copy};
use std::path::Path;

const NOW: &str = "2026-11-23T10:00:00+01:00";

fn edit(dir: &Path, rel: &str, from: &str, to: &str) {
    let path = dir.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} has no `{from}`");
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// Replaces a site's `hours = "…"` line.
fn set_hours(dir: &Path, rel: &str, hours: &str) {
    let text = std::fs::read_to_string(dir.join(rel)).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("hours = "))
        .unwrap()
        .to_string();
    edit(dir, rel, &line, &format!("hours = \"{hours}\""));
}

fn line_of(dir: &Path, rel: &str, prefix: &str) -> usize {
    let text = std::fs::read_to_string(dir.join(rel)).unwrap();
    text.lines().position(|l| l.starts_with(prefix)).unwrap() + 1
}

#[test]
fn the_sample_meets_its_charters() {
    let dir = sample_copy();
    let out = guichet(&["check", "--now", NOW], dir.path());
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("no problems found"), "{text}");
}

#[test]
fn france_services_below_24_hours_is_an_error_citing_the_charter() {
    let dir = sample_copy();
    let file = "data/sites/fontenay-aux-roses.toml";
    // Drop the Monday and Friday afternoons: 30 h 30 → 23 h 30.
    edit(
        dir.path(),
        file,
        "Mo,Fr 08:30-12:00,13:30-17:00",
        "Mo,Fr 08:30-12:00",
    );
    let line = line_of(dir.path(), file, "hours = ");
    let out = guichet(&["check", "--now", NOW], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    let expected = format!(
        "{file}:{line}:9: error: France services de Fontenay-aux-Roses is open 23 h 30 a week; a France services must open at least 24 h ["
    );
    assert!(text.contains(&expected), "{text}");
    assert!(text.contains("document 004"), "cites the source: {text}");
    // build still publishes (residents see the real hours) but prints it…
    let out = guichet(&["build", "--now", NOW], dir.path());
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("23 h 30"));
    // …unless --strict.
    let out = guichet(&["build", "--now", NOW, "--strict"], dir.path());
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn point_relais_caf_needs_four_half_days() {
    let dir = sample_copy();
    let file = "data/sites/joinville-espace-vallages.toml";
    // One full day and one morning: 3 half-days, 12 h 30.
    set_hours(
        dir.path(),
        file,
        "Tu 08:00-12:30,13:30-18:00; Th 08:00-11:30",
    );
    let out = guichet(&["check", "--now", NOW, "--format", "json"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let finding = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "half-days-below-minimum")
        .unwrap_or_else(|| panic!("no half-day finding in {rows}"));
    assert_eq!(finding["level"], "error");
    assert_eq!(finding["file"], file);
    assert!(
        finding["message"].as_str().unwrap().contains("3 half-days"),
        "{finding}"
    );
    assert!(
        finding["source"].as_str().unwrap().contains("000"),
        "{finding}"
    );
    assert!(
        !rows
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["code"] == "hours-below-minimum"),
        "12 h 30 meets the 12 h rule"
    );
}

#[test]
fn conventions_warn_before_they_expire_and_fail_after() {
    let dir = sample_copy();
    let file = "data/sites/joinville-espace-vallages.toml";
    let out = guichet(&["check", "--now", "2027-11-01T10:00:00+01:00"], dir.path());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("warning: the convention of") && text.contains("2027-12-31"),
        "{text}"
    );
    assert!(text.contains(file));
    let out = guichet(&["check", "--now", "2028-01-02T10:00:00+01:00"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("error: the convention of") && text.contains("expired on 2027-12-31"),
        "{text}"
    );
}

#[test]
fn late_france_services_closure_is_reported() {
    let dir = sample_copy();
    edit(
        dir.path(),
        "content/notices/2026-12-24-fontenay-aux-roses.md",
        "published = 2026-11-20",
        "published = 2026-12-21",
    );
    let out = guichet(&["check", "--now", NOW], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("announced 3 days before it starts"), "{text}");
    assert!(
        text.contains("content/notices/2026-12-24-fontenay-aux-roses.md:"),
        "{text}"
    );
}

#[test]
fn bad_hours_point_at_the_column() {
    let dir = sample_copy();
    let file = "data/sites/rouen-simone-veil.toml";
    set_hours(dir.path(), file, "Mo 09:00-12:00; Tu 25:00-26:00");
    let line = line_of(dir.path(), file, "hours = ");
    let out = guichet(&["build", "--now", NOW], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    // `hours = "` is 9 characters and `25:00` starts at character 20 of the string.
    let prefix = format!("{file}:{line}:");
    let found = err
        .lines()
        .find(|l| l.starts_with(&prefix) && l.contains("opening hours"))
        .unwrap_or_else(|| panic!("{err}"));
    let column: usize = found[prefix.len()..]
        .split(':')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(column, 29, "should point at `25:00`: {found}");
}

#[test]
fn a_free_page_may_not_take_a_folder_of_the_directory() {
    let dir = sample_copy();
    std::fs::write(
        dir.path().join("content/pages/avis.md"),
        "+++\ntitle = \"Avis\"\n+++\nTexte.\n",
    )
    .unwrap();
    let out = guichet(&["check", "--now", NOW], dir.path());
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("content/pages/avis.md")
            && text.contains("would replace the directory's own `avis/`"),
        "{text}"
    );
}
