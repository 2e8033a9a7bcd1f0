//! Careless input, told clearly: every problem of a file at once, swapped
//! times, a charter's required hours, messages that say what happened,
//! skipped files, root causes before cascades, hours the table cannot show.

use super::*;

// ---- 8. Every problem of a notice in one run -------------------------------------

#[test]
fn a_notice_reports_all_its_problems_at_once() {
    let dir = built_sample();
    let d = dir.path();
    edit(
        d,
        NOTICE,
        "site = \"fontenay-aux-roses\"",
        "site = \"fontenay\"",
    );
    edit(d, NOTICE, "kind = \"closure\"", "kind = \"fermeture\"");
    edit(d, NOTICE, "to = 2026-12-26", "to = 2026-12-20");
    let t = refused(d, &position(d, NOTICE, "\"", "site = "));
    for (problem, at) in [
        (
            "unknown site `fontenay`",
            position(d, NOTICE, "\"", "site = "),
        ),
        (
            "unknown notice kind `fermeture`",
            position(d, NOTICE, "\"", "kind = "),
        ),
        (
            "notice ends (2026-12-20) before it starts",
            position(d, NOTICE, "2", "to = "),
        ),
    ] {
        assert!(
            t.contains(&format!("{at}: error: {problem}")),
            "{problem}: {t}"
        );
    }
}

// ---- 6. Swapped times ------------------------------------------------------------

/// Sets the `hours = "…"` of [`SITE`].
fn set_hours(dir: &Path, hours: &str) {
    let text = std::fs::read_to_string(dir.join(SITE)).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("hours = "))
        .unwrap()
        .to_string();
    edit(dir, SITE, &line, &format!("hours = \"{hours}\""));
}

#[test]
fn swapped_times_are_a_warning_that_suggests_the_swap() {
    let dir = sample_copy();
    set_hours(dir.path(), "Mo-Fr 12:00-08:30; PH off");
    let out = guichet(&["check", "--now", NOW], dir.path());
    let t = text(&out);
    let at = position(dir.path(), SITE, "12:00", "hours = ");
    assert!(
        t.contains(&format!("{at}: warning: `12:00-08:30` ends before it starts, so it reads as open overnight, 20 h 30 in a row")),
        "{t}"
    );
    assert!(t.contains("swap the times: `08:30-12:00`"), "{t}");
    // Saying so silences it, as does the extended form.
    edit(
        dir.path(),
        SITE,
        "appointment = ",
        "open_overnight = true\nappointment = ",
    );
    let t = text(&guichet(&["check", "--now", NOW], dir.path()));
    assert!(!t.contains("overnight"), "{t}");
    let dir = sample_copy();
    set_hours(dir.path(), "Mo-Fr 12:00-32:30; PH off");
    let t = text(&guichet(&["check", "--now", NOW], dir.path()));
    assert!(!t.contains("overnight"), "{t}");
}

// ---- 7. A label whose charter requires hours ----------------------------------------

#[test]
fn a_france_services_without_hours_fails_check_and_still_builds() {
    let dir = sample_copy();
    let text_of = std::fs::read_to_string(dir.path().join(SITE)).unwrap();
    let line = text_of
        .lines()
        .find(|l| l.starts_with("hours = "))
        .unwrap()
        .to_string();
    edit(dir.path(), SITE, &format!("{line}\n"), "");
    let out = guichet(&["check", "--now", NOW], dir.path());
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert!(
        t.contains(&format!("{SITE}:1:1: error: France services de Fontenay-aux-Roses publishes no opening hours; the France services charter requires them")),
        "{t}"
    );
    // A charter finding: residents still see the site, hours unknown.
    let page = built_site_page(dir.path());
    assert!(page.contains("Horaires non communiqués"));
}

// ---- 10. Messages that say what happened -------------------------------------------

#[test]
fn a_closure_published_after_it_started_says_so() {
    let dir = sample_copy();
    edit(
        dir.path(),
        NOTICE,
        "published = 2026-11-20",
        "published = 2026-12-26",
    );
    let t = text(&guichet(&["check", "--now", NOW], dir.path()));
    assert!(t.contains("published 2 days after it started; the France services charter asks for at least 7 days ahead"), "{t}");
    assert!(!t.contains("-2 day"), "{t}");
}

#[test]
fn a_front_matter_never_closed_is_not_called_missing() {
    let dir = built_sample();
    edit(dir.path(), NOTICE, "+++\nL'espace", "L'espace");
    let t = refused(dir.path(), &format!("{NOTICE}:1:1"));
    assert!(
        t.contains("the front matter opened here is never closed"),
        "{t}"
    );
    assert!(!t.contains("missing front matter"), "{t}");
}

// ---- 11. Files skipped, rows imported: told where -----------------------------------

#[test]
fn content_files_that_are_skipped_are_warned_about() {
    let dir = sample_copy();
    let d = dir.path();
    let site = std::fs::read_to_string(d.join(SITE)).unwrap();
    let notice = std::fs::read_to_string(d.join(NOTICE)).unwrap();
    let cases = [
        ("data/sites/.cache.toml", &site, "starts with `.`"),
        ("content/notices/#brouillon.md", &notice, "starts with `#`"),
        (
            "data/sites/autre.TOML",
            &site,
            "only `.toml` in lowercase is read",
        ),
        (
            "content/notices/avis.toml",
            &notice,
            "this folder holds .md files",
        ),
    ];
    for (file, text, _) in cases {
        std::fs::write(d.join(file), text).unwrap();
    }
    // Editors' swap, backup and lock files stay silent.
    for file in [
        "content/notices/.avis.md.swp",
        "content/notices/avis.md~",
        "content/notices/.#avis.md",
    ] {
        std::fs::write(d.join(file), "x").unwrap();
    }
    let out = guichet(&["check", "--now", NOW], d);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(0), "{t}");
    for (file, _, why) in cases {
        assert!(
            t.contains(&format!("{file}:1:1: warning: file skipped: ")),
            "{file}: {t}"
        );
        assert!(t.contains(why), "{why}: {t}");
    }
    assert_eq!(t.matches("file skipped").count(), cases.len(), "{t}");
}

#[test]
fn import_reports_rows_at_their_line_in_crlf_files() {
    let dir = sample_copy();
    let source = std::fs::read_to_string(
        common::repo().join("tests/fixtures/import/mediation-num-v1-bad-hours.csv"),
    )
    .unwrap();
    let mut lines: Vec<String> = source.lines().map(String::from).collect();
    lines.push(lines[1].replace("lieu-6", "lieu-7"));
    let path = dir.path().join("lieux.csv");
    std::fs::write(&path, lines.join("\r\n") + "\r\n").unwrap();
    let out = guichet(&["import", "lieux.csv", "--dry-run"], dir.path());
    let t = text(&out);
    assert!(
        t.contains("lieux.csv:2:1: warning: row 1, id lieu-6"),
        "{t}"
    );
    assert!(
        t.contains("lieux.csv:3:1: warning: row 2, id lieu-7"),
        "{t}"
    );
}

// ---- 9. Root causes, not their cascades ----------------------------------------------

#[test]
fn a_broken_services_file_is_reported_without_its_cascade() {
    let dir = built_sample();
    edit(dir.path(), "data/services.toml", "[caf]", "[caf");
    // The table is unclosed where `]` should be, after `[caf`.
    let at = position(dir.path(), "data/services.toml", "\n", "[caf");
    let t = refused(dir.path(), &at);
    assert!(!t.contains("unknown service"), "{t}");
}

#[test]
fn a_site_file_that_is_not_toml_hides_no_cause_behind_its_notices() {
    let dir = built_sample();
    edit(
        dir.path(),
        SITE,
        "label = \"france-services\"",
        "label = \"france-services",
    );
    // The string runs to the end of the line.
    let at = position(dir.path(), SITE, "\n", "label = ");
    let t = refused(dir.path(), &at);
    assert!(!t.contains("unknown site"), "{t}");
}

// ---- 12. Hours the weekly table cannot show --------------------------------------------

/// The weekly table of the site page.
fn hours_table(dir: &Path) -> String {
    let page = site_page(dir);
    between(&page, "<caption>Horaires habituels</caption>", "</table>").to_string()
}

#[test]
fn rules_the_table_cannot_show_never_read_closed() {
    for rule in ["week 1-53/2 Mo 09:00-12:00; PH off", "Mo-Fr sunrise-sunset"] {
        let dir = sample_copy();
        set_hours(dir.path(), rule);
        build_ok(dir.path());
        let table = hours_table(dir.path());
        assert!(!table.contains("Fermé"), "{rule}: {table}");
        let page = site_page(dir.path());
        assert!(
            page.contains(&format!(
                "Règle d&#x27;ouverture complète (syntaxe OpenStreetMap) : {rule}"
            )),
            "{rule}"
        );
    }
    // Rules that only close keep the table's "Fermé" exact.
    let dir = sample_copy();
    set_hours(
        dir.path(),
        "Mo-Fr 09:00-12:00,13:30-17:00; Dec 25 off; PH off",
    );
    build_ok(dir.path());
    assert!(hours_table(dir.path()).contains("<th scope=\"row\">Dimanche</th><td>Fermé</td>"));
}

#[test]
fn diagnostics_quote_the_line_with_a_caret_under_the_column() {
    let dir = sample_copy();
    set_hours(dir.path(), "Mo-Fr 09:00-12:00; Xx 10:00-11:00");
    let at = position(dir.path(), SITE, "Xx", "hours = ");
    let line: usize = at.split(':').nth(1).unwrap().parse().unwrap();
    let column: usize = at.split(':').nth(2).unwrap().parse().unwrap();
    let out = guichet(&["check", "--now", NOW], dir.path());
    let t = text(&out);
    let quoted = format!("{line} | hours = \"Mo-Fr 09:00-12:00; Xx 10:00-11:00\"");
    let gutter = " ".repeat(line.to_string().len());
    let caret = format!("{gutter} | {}^", " ".repeat(column - 1));
    let expected = format!("{at}: error: cannot read the opening hours");
    let lines: Vec<&str> = t.lines().collect();
    let k = lines
        .iter()
        .position(|l| l.starts_with(&expected))
        .unwrap_or_else(|| panic!("{t}"));
    assert_eq!(lines[k + 2], quoted, "{t}");
    assert_eq!(lines[k + 3], caret, "{t}");
    assert!(lines[k + 4].starts_with("  help: "), "{t}");
}
