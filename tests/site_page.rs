//! Site pages are written without Tera when the theme's `base.html`,
//! `site.html` and `macros.html` are the shipped ones, and so are the cards
//! of listings when `card.html` is. These tests build the same directory
//! twice, once that way and once with `site.html` and `card.html` overrides
//! that Tera renders to the same bytes (the shipped templates plus a Tera
//! comment), and compare every file: the two ways must never differ.

mod common;

use common::{guichet, sample_copy};
use std::path::Path;

fn build(root: &Path, out: &Path, now: &str, base_url: &str) {
    let run = guichet(
        &[
            "build",
            "--root",
            root.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--now",
            now,
            "--base-url",
            base_url,
        ],
        root,
    );
    // Charter findings are printed but do not stop a build.
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

/// Puts `site.html` in the directory's `templates/`, as an override.
fn override_site_template(root: &Path, extra: &str) {
    let shipped =
        std::fs::read_to_string(common::repo().join("themes/default/templates/site.html")).unwrap();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(root.join("templates/site.html"), shipped + extra).unwrap();
}

/// Puts `card.html` in the directory's `templates/`, as an override.
fn override_card_template(root: &Path, extra: &str) {
    let shipped =
        std::fs::read_to_string(common::repo().join("themes/default/templates/card.html")).unwrap();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(
        root.join("templates/card.html"),
        format!("{extra}{shipped}"),
    )
    .unwrap();
}

/// Builds `root` both ways at each date and asserts identical outputs.
fn assert_same_both_ways(root: &Path, dates: &[&str], base_url: &str) -> usize {
    let out = tempfile::tempdir().unwrap();
    let mut site_pages = 0;
    for (k, now) in dates.iter().enumerate() {
        let _ = std::fs::remove_dir_all(root.join("templates"));
        let builtin = out.path().join(format!("builtin-{k}"));
        build(root, &builtin, now, base_url);
        override_site_template(root, "{# same page, through Tera #}\n");
        override_card_template(root, "{# same card, through Tera #}");
        let tera = out.path().join(format!("tera-{k}"));
        build(root, &tera, now, base_url);
        let (a, b) = (common::tree(&builtin), common::tree(&tera));
        assert_eq!(
            a.keys().collect::<Vec<_>>(),
            b.keys().collect::<Vec<_>>(),
            "same files"
        );
        for (path, bytes) in &a {
            if bytes != &b[path] {
                let (x, y) = (
                    String::from_utf8_lossy(bytes),
                    String::from_utf8_lossy(&b[path]),
                );
                let at = x
                    .char_indices()
                    .zip(y.chars())
                    .find(|((_, c), d)| c != d)
                    .map_or(x.len().min(y.len()), |((i, _), _)| i);
                let from = x.floor_char_boundary(at.saturating_sub(200));
                panic!(
                    "{path} at {now} differs at byte {at}:\nbuilt-in: {}\nTera:     {}",
                    &x[from..(at + 200).min(x.len())],
                    &y[y.floor_char_boundary(from)..y.floor_char_boundary((at + 200).min(y.len()))]
                );
            }
        }
        site_pages += a
            .keys()
            .filter(|p| p.starts_with("lieux/") && p.ends_with("index.html"))
            .count();
    }
    site_pages
}

/// Sites that take the rarer branches of the template: nothing known but the
/// essentials, and every optional field with characters HTML must escape.
const EDGE_SITES: &[(&str, &str)] = &[
    (
        "minimal.toml",
        r#"
name = "Point minimal"
label = "point-relais-caf"
services = []
appointment = "recommended"

[address]
postcode = "75001"
commune = "Paris"
"#,
    ),
    (
        "escapes.toml",
        r#"
name = "Maison <des> \"services\" & d'Ici"
label = "france-services"
structure = "Mairie & CCAS <Nord>"
services = ["caf", "acces-caf-fr"]
hours = "Mo-Fr 09:00-12:00,13:30-17:00; Sa[1] 09:00-12:00; We 14:00-16:00 \"sur rendez-vous\"; PH off"
hours_note = "Fermé l'été <parfois> & en août"
appointment = "required"
wheelchair = true
equipment = { computers = 1, printer = false, scanner = true, video_call = true }
description = "Un *accueil* <b>chaleureux</b> & [un lien](https://example.org/?a=1&b=2)."

[address]
street = "1 rue de l'Église & du <Parc>"
postcode = "69001"
commune = "Lyon"
insee = "69381"

[location]
lat = 45.0
lon = 4.8

[contact]
phone = "04 00 00 00 00"
email = "accueil+test@example.org"
website = "https://example.org/lieu?x=1&y=2"
"#,
    ),
];

#[test]
fn sample_site_pages_are_the_same_without_tera() {
    let dir = sample_copy();
    for (name, text) in EDGE_SITES {
        std::fs::write(dir.path().join("data/sites").join(name), text).unwrap();
    }
    let pages = assert_same_both_ways(
        dir.path(),
        &[
            "2026-11-23T10:00:00+01:00",
            "2026-12-24T10:00:00+01:00",
            "2027-01-06T10:00:00+01:00",
        ],
        "https://example.org/annuaire/",
    );
    assert_eq!(pages, 3 * 7, "seven site pages at each date");
}

#[test]
fn synthetic_site_pages_are_the_same_without_tera() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("dir");
    let run = guichet(
        &[
            "bench-gen",
            root.to_str().unwrap(),
            "--sites",
            "400",
            "--seed",
            "11",
        ],
        tmp.path(),
    );
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let pages = assert_same_both_ways(
        &root,
        &["2026-11-23T10:00:00+01:00", "2027-02-01T10:00:00+01:00"],
        "http://127.0.0.1:1111/",
    );
    assert_eq!(pages, 2 * 400);
}

#[test]
fn a_site_template_override_still_wins() {
    let dir = sample_copy();
    override_site_template(dir.path(), "");
    let custom = std::fs::read_to_string(dir.path().join("templates/site.html"))
        .unwrap()
        .replace(
            "<h1>{{ site.name }}</h1>",
            "<h1 class=\"custom\">{{ site.name }}</h1>",
        );
    std::fs::write(dir.path().join("templates/site.html"), custom).unwrap();
    let out = dir.path().join("out");
    build(
        dir.path(),
        &out,
        "2026-11-23T10:00:00+01:00",
        "http://127.0.0.1:1111/",
    );
    let page = std::fs::read_to_string(out.join("lieux/rouen-simone-veil/index.html")).unwrap();
    assert!(page.contains("<h1 class=\"custom\">"), "{page}");
}

/// The notices page joins notices rendered one by one; a theme's own
/// `notices.html` that loops over the notice lists must still get them, and
/// both ways must give the same page.
#[test]
fn a_notices_page_override_that_loops_gets_the_same_page() {
    let dir = sample_copy();
    let shipped = dir.path().join("out-shipped");
    let now = "2026-11-23T10:00:00+01:00";
    let base_url = "http://127.0.0.1:1111/";
    build(dir.path(), &shipped, now, base_url);
    let template =
        std::fs::read_to_string(dir.path().join("themes/default/templates/notices.html")).unwrap();
    let looping = template
        .replace(
            "{% extends \"base.html\" %}",
            "{% extends \"base.html\" %}\n{% import \"macros.html\" as m %}",
        )
        .replace(
            "{% if current_html | safe %}{{ current_html | safe }}{% else %}<p>{{ t(key='notices.none') }}</p>{% endif %}",
            "{% for n in current %}{{ m::notice(n=n, base=base, show_site=true) }}{% else %}<p>{{ t(key='notices.none') }}</p>{% endfor %}",
        )
        .replace("{% if past_html | safe %}", "{% if past %}")
        .replace(
            "{{ past_html | safe }}",
            "{% for n in past %}{{ m::notice(n=n, base=base, show_site=true) }}{% endfor %}",
        );
    assert_eq!(looping.matches("{% for n in").count(), 2, "{looping}");
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::write(dir.path().join("templates/notices.html"), looping).unwrap();
    let custom = dir.path().join("out-custom");
    build(dir.path(), &custom, now, base_url);
    let page = |out: &Path| std::fs::read_to_string(out.join("avis/index.html")).unwrap();
    assert!(
        page(&shipped).contains("<article id="),
        "{}",
        page(&shipped)
    );
    assert_eq!(page(&custom), page(&shipped));
}

#[test]
fn a_reworded_string_changes_both_ways_alike() {
    let dir = sample_copy();
    // Key by key over the shipped strings; `templates/` is where the
    // comparison puts its template overrides, so the strings go in the
    // directory's theme folder.
    std::fs::write(
        dir.path().join("themes/default/templates/strings.toml"),
        r#"
[site]
hours_heading = "Quand venir"
read_charter = "La charte {label}, à lire"
[card]
wheelchair = "Fauteuil : oui"
wheelchair_unknown = "Fauteuil : ?"
no_wheelchair = "Fauteuil : non"
[page]
departements_heading = "Choisir son département"
"#,
    )
    .unwrap();
    let pages = assert_same_both_ways(dir.path(), &["2026-12-24T10:00:00+01:00"], "/");
    assert_eq!(pages, 5, "the sample's five sites");
    let out = dir.path().join("reworded");
    build(dir.path(), &out, "2026-12-24T10:00:00+01:00", "/");
    let site = std::fs::read_to_string(out.join("lieux/fontenay-aux-roses/index.html")).unwrap();
    assert!(site.contains(">Quand venir</h2>"), "{site}");
    assert!(!site.contains("Horaires d'ouverture"));
    assert!(site.contains("La charte France services, à lire"), "{site}");
    let departements = std::fs::read_to_string(out.join("departements/index.html")).unwrap();
    assert!(departements.contains("<h1>Choisir son département</h1>"));
    let listing = std::fs::read_to_string(out.join("labels/france-services/index.html")).unwrap();
    assert!(listing.contains(" · Fauteuil : "), "{listing}");
    assert!(!listing.contains("fauteuil roulant"), "{listing}");
}
