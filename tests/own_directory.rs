//! A directory of one's own: `guichet init`, the built-in national reference
//! and theme, overrides entry by entry, and `guichet theme eject`.

mod common;

use common::{guichet, repo, tree};
use std::path::Path;

const NOW: &str = "2026-12-02T10:00:00+01:00";

fn text(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The files that differ between two trees, or exist in only one.
fn changed(a: &Path, b: &Path) -> Vec<String> {
    let (a, b) = (tree(a), tree(b));
    let mut names: Vec<&String> = a.keys().chain(b.keys()).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .filter(|n| a.get(*n) != b.get(*n))
        .cloned()
        .collect()
}

/// A folder holding one site file and nothing else.
fn lone_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("data/sites")).unwrap();
    std::fs::copy(
        repo().join("data/sites/fontenay-aux-roses.toml"),
        dir.path().join("data/sites/fontenay-aux-roses.toml"),
    )
    .unwrap();
    dir
}

fn build(dir: &Path, out: &str) {
    let run = guichet(&["build", "--now", NOW, "--out", out], dir);
    assert!(run.status.success(), "{}", stderr(&run));
}

#[test]
fn one_site_file_alone_builds_with_the_built_in_reference_and_theme() {
    let dir = lone_site();
    build(dir.path(), "public");
    let public = dir.path().join("public");
    let page = text(public.join("lieux/fontenay-aux-roses/index.html"));
    assert!(page.contains("France services de Fontenay-aux-Roses"));
    // The built-in label, charter and theme are all there.
    assert!(page.contains("/chartes/france-services/"));
    let charter = text(public.join("chartes/france-services/index.html"));
    assert!(
        charter.contains("Charte"),
        "the built-in charter text is published"
    );
    assert!(
        tree(&public)
            .keys()
            .any(|p| p.starts_with("assets/style.") && p.ends_with(".css")),
        "the built-in stylesheet is published"
    );
}

#[test]
fn overriding_one_label_or_one_template_changes_only_that() {
    let dir = lone_site();
    build(dir.path(), "before");

    // One label overridden: its page says so, the others keep the built-in text.
    std::fs::write(
        dir.path().join("data/labels.toml"),
        "[point-relais-caf]\nname = \"Relais Caf de la Haute-Marne\"\n",
    )
    .unwrap();
    build(dir.path(), "label");
    let label = text(dir.path().join("label/labels/point-relais-caf/index.html"));
    assert!(label.contains("Relais Caf de la Haute-Marne"), "{label}");
    let fs = text(dir.path().join("label/labels/france-services/index.html"));
    assert!(fs.contains("France services"));
    // The France services rules still apply: the site page is unchanged.
    assert_eq!(
        text(
            dir.path()
                .join("before/lieux/fontenay-aux-roses/index.html")
        ),
        text(dir.path().join("label/lieux/fontenay-aux-roses/index.html"))
    );
    std::fs::remove_file(dir.path().join("data/labels.toml")).unwrap();

    // One template overridden: only the page made from it changes.
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::write(
        dir.path().join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}<h1>Page introuvable chez nous</h1>{% endblock content %}",
    )
    .unwrap();
    build(dir.path(), "template");
    assert_eq!(
        changed(&dir.path().join("before"), &dir.path().join("template")),
        ["404.html"]
    );
    assert!(text(dir.path().join("template/404.html")).contains("Page introuvable chez nous"));
}

#[test]
fn init_then_import_of_the_national_list_then_build_publishes_every_site() {
    let parent = tempfile::tempdir().unwrap();
    let run = guichet(&["init", "annuaire"], parent.path());
    assert!(run.status.success(), "{}", stderr(&run));
    let dir = parent.path().join("annuaire");
    for file in [
        "guichet.toml",
        "README.md",
        ".github/workflows/pages.yml",
        "data/sites",
        "content/notices",
    ] {
        assert!(dir.join(file).exists(), "{file}");
    }
    assert!(
        text(dir.join("guichet.toml")).contains("\n# "),
        "guichet.toml is commented"
    );

    let list = repo().join("tests/data/france-services/liste-fs-20240801.csv");
    let run = guichet(&["import", list.to_str().unwrap()], &dir);
    assert!(run.status.success(), "{}", stderr(&run));
    build(&dir, "public");
    let pages = std::fs::read_dir(dir.join("public/lieux"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().join("index.html").is_file())
        .count();
    assert_eq!(pages, 2845);
}

#[test]
fn init_refuses_a_folder_that_is_not_empty_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("guichet.toml"), "title = \"Le nôtre\"\n").unwrap();
    let run = guichet(&["init"], dir.path());
    assert_eq!(run.status.code(), Some(2));
    assert!(stderr(&run).contains("not empty"), "{}", stderr(&run));
    assert!(!dir.path().join("README.md").exists(), "nothing written");

    // --force adds what is missing and keeps what is there.
    let run = guichet(&["init", "--force"], dir.path());
    assert!(run.status.success(), "{}", stderr(&run));
    assert_eq!(
        text(dir.path().join("guichet.toml")),
        "title = \"Le nôtre\"\n"
    );
    assert!(dir.path().join("README.md").exists());
}

#[test]
fn theme_eject_copies_the_shipped_file_once() {
    let dir = lone_site();
    let run = guichet(
        &["theme", "eject", "templates/site.html", "style.css"],
        dir.path(),
    );
    assert!(run.status.success(), "{}", stderr(&run));
    assert_eq!(
        text(dir.path().join("templates/site.html")),
        text(repo().join("themes/default/templates/site.html"))
    );
    assert_eq!(
        text(dir.path().join("static/style.css")),
        text(repo().join("themes/default/static/style.css"))
    );
    // An ejected theme builds the same site.
    build(dir.path(), "ejected");
    std::fs::remove_dir_all(dir.path().join("templates")).unwrap();
    std::fs::remove_dir_all(dir.path().join("static")).unwrap();
    build(dir.path(), "built-in");
    assert!(changed(&dir.path().join("ejected"), &dir.path().join("built-in")).is_empty());

    // A second eject does not overwrite an edited file.
    std::fs::create_dir_all(dir.path().join("static")).unwrap();
    std::fs::write(dir.path().join("static/style.css"), "body{}").unwrap();
    let run = guichet(&["theme", "eject", "style.css"], dir.path());
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(text(dir.path().join("static/style.css")), "body{}");
    let run = guichet(&["theme", "eject", "nope.html"], dir.path());
    assert!(
        stderr(&run).contains("no shipped theme file"),
        "{}",
        stderr(&run)
    );
}
