//! The theme's strings (`templates/strings.toml`): a directory rewords or
//! translates them key by key, mistakes in its file are errors with their
//! place, and `theme eject strings.toml` gives it the whole file to edit.

mod common;

use common::{guichet, repo, sample_copy};
use std::path::Path;

const NOW: &str = "2026-12-24T10:00:00+01:00";

fn stderr(run: &std::process::Output) -> String {
    String::from_utf8_lossy(&run.stderr).into_owned()
}

fn build(root: &Path, out: &str) -> std::process::Output {
    guichet(&["build", "--now", NOW, "--out", out], root)
}

/// Every HTML page of the build at `out`, joined.
fn all_pages(out: &Path) -> String {
    common::tree(out)
        .into_iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(_, bytes)| String::from_utf8(bytes).unwrap())
        .collect()
}

#[test]
fn a_translated_strings_file_leaves_no_french_for_its_keys() {
    let dir = sample_copy();
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::write(
        dir.path().join("templates/strings.toml"),
        r#"
[common]
home = "Home"
crumbs_label = "Breadcrumb"
skip = "Skip to content"
generated = "Page built on {date}."

[page]
departements = "Departments"
departements_heading = "All departments"
commune_heading = "Access points in {commune}"
services_heading = "Find a place by service"

[site]
hours_heading = "Opening hours"
usual_hours = "Usual hours"
total = "Total: {total} a week."
address_heading = "Address"
computers_many = "{count} computers for public use"

[card]
appointment_required = "By appointment"
today_closed_next = "{day}: closed, opens {next} at {time}"

[hours]
monday = "Monday"
saturday = "Saturday"
closed = "Closed"

[notice]
info = "News"
headline = "{kind}: {title}"
hours_caption = "Hours during this period"

[list]
count_many = "{count} places"
"#,
    )
    .unwrap();
    let run = build(dir.path(), "public");
    assert!(run.status.success(), "{}", stderr(&run));
    let pages = all_pages(&dir.path().join("public"));
    for english in [
        ">Home</a>",
        "aria-label=\"Breadcrumb\"",
        "<h1>All departments</h1>",
        "Access points in Fontenay-aux-Roses",
        ">Opening hours</h2>",
        "<caption>Usual hours</caption>",
        "Total: ",
        ">Address</h2>",
        "Find a place by service",
        ">Skip to content</a>",
        "<p>Page built on ",
        "<th scope=\"row\">Monday</th>",
        "<td>Closed</td>",
        "<caption>Hours during this period</caption>",
        " places</span>",
        "News: Ateliers",
    ] {
        assert!(pages.contains(english), "no `{english}`");
    }
    for french in [
        ">Accueil</a>",
        "Fil d'Ariane",
        "Tous les départements",
        "Points d&#x27;accès à",
        "Horaires d'ouverture",
        "Horaires habituels",
        "par semaine.",
        ">Adresse</h2>",
        "ordinateurs en libre accès",
        "Trouver un lieu par service",
        "\">Sur rendez-vous · ",
        "prochaine ouverture",
        "Aller au contenu",
        "Page générée le",
        ">Lundi<",
        ">Samedi<",
        ">Fermé<",
        "Information : ",
        "Horaires pendant cette période",
        " lieux</span>",
    ] {
        assert!(!pages.contains(french), "`{french}` is still there");
    }
}

#[test]
fn mistakes_in_a_strings_file_are_errors_with_their_place() {
    let dir = sample_copy();
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::write(
        dir.path().join("templates/strings.toml"),
        "[site]\nhours_headng = \"Horaires\"\nread_charter = \"Charte {lable}\"\n\
         total = \"Total {total\"\n[sight]\nx = \"y\"\n[card]\nwheelchair = 3\n",
    )
    .unwrap();
    let run = build(dir.path(), "public");
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    let err = stderr(&run);
    for expected in [
        "templates/strings.toml:2:1: error: unknown string `hours_headng` in [site]",
        "did you mean `hours_heading`?",
        "templates/strings.toml:3:24: error: `site.read_charter` has no value `{lable}`",
        "did you mean `{label}`?",
        "templates/strings.toml:4:16: error: `{` must start a name in braces",
        "templates/strings.toml:5:2: error: unknown section `[sight]`",
        "templates/strings.toml:8:14: error: `card.wheelchair` must be a string in quotes",
    ] {
        assert!(err.contains(expected), "no `{expected}` in:\n{err}");
    }
    assert!(!dir.path().join("public").exists());
}

#[test]
fn a_template_asking_for_an_unknown_string_is_a_template_error() {
    let dir = sample_copy();
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::write(
        dir.path().join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}{{ t(key='page.nope') }}{% endblock content %}",
    )
    .unwrap();
    let run = build(dir.path(), "public");
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("no string `page.nope`"),
        "{}",
        stderr(&run)
    );
}

#[test]
fn theme_eject_gives_the_whole_strings_file() {
    let dir = tempfile::tempdir().unwrap();
    let sites = dir.path().join("data/sites");
    std::fs::create_dir_all(&sites).unwrap();
    std::fs::copy(
        repo().join("data/sites/fontenay-aux-roses.toml"),
        sites.join("fontenay-aux-roses.toml"),
    )
    .unwrap();
    let run = guichet(&["theme", "eject", "strings.toml"], dir.path());
    assert!(run.status.success(), "{}", stderr(&run));
    let ejected = std::fs::read_to_string(dir.path().join("templates/strings.toml")).unwrap();
    assert_eq!(
        ejected,
        std::fs::read_to_string(repo().join("themes/default/templates/strings.toml")).unwrap()
    );
    // Edited, it rewords the pages.
    std::fs::write(
        dir.path().join("templates/strings.toml"),
        ejected.replace("Horaires d'ouverture", "Heures d'accueil"),
    )
    .unwrap();
    let run = build(dir.path(), "public");
    assert!(run.status.success(), "{}", stderr(&run));
    let page = std::fs::read_to_string(
        dir.path()
            .join("public/lieux/fontenay-aux-roses/index.html"),
    )
    .unwrap();
    assert!(page.contains(">Heures d'accueil</h2>"), "{page}");
}
