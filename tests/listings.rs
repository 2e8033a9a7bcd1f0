//! Browse pages of a large directory: a service or label with more sites
//! than one page should show is listed by département, and every site is
//! still reachable without JavaScript.

mod common;

use common::guichet;
use std::collections::BTreeMap;
use std::path::Path;

const NOW: &str = "2026-11-23T10:00:00+01:00";
/// `LISTING_MAX` in `src/render/pages.rs`.
const LISTING_MAX: usize = 200;

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// How many site cards a page lists.
fn cards(html: &str) -> usize {
    html.matches("<li class=\"card\"").count()
}

/// (href, count) of each entry of the page's link list.
fn links(html: &str) -> Vec<(String, usize)> {
    html.split("<li><a href=\"")
        .skip(1)
        .filter_map(|rest| {
            let href = rest.split('"').next()?.to_string();
            let count = rest.split("<span class=\"count\">").nth(1)?;
            let n = count.split(' ').next()?.parse().ok()?;
            Some((href, n))
        })
        .collect()
}

#[test]
fn large_listings_are_split_by_departement_and_lose_no_site() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("dir");
    let root_arg = root.to_str().unwrap();
    let out = guichet(
        &["bench-gen", root_arg, "--sites", "700", "--seed", "3"],
        tmp.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = guichet(&["build", "--root", root_arg, "--now", NOW], tmp.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let public = root.join("public");
    let sitemap = read(&public.join("sitemap.xml"));

    let mut split = 0;
    let mut whole = 0;
    for section in ["services", "labels"] {
        for entry in std::fs::read_dir(public.join(section)).unwrap().flatten() {
            if !entry.file_type().unwrap().is_dir() {
                continue;
            }
            let id = entry.file_name().to_string_lossy().into_owned();
            let page = read(&entry.path().join("index.html"));
            let heading: usize = page
                .split(" lieux : choisissez")
                .next()
                .and_then(|head| head.rsplit("<p>").next())
                .and_then(|p| p.split(' ').next())
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            if heading == 0 {
                // Small enough: every site on the page itself.
                whole += 1;
                assert!(cards(&page) <= LISTING_MAX, "{section}/{id}");
                assert!(
                    cards(&page) > 0 || !page.contains("Lieux ("),
                    "{section}/{id}"
                );
                continue;
            }
            split += 1;
            assert!(
                heading > LISTING_MAX,
                "{section}/{id} split with {heading} sites"
            );
            assert_eq!(cards(&page), 0, "{section}/{id} still lists cards");
            let parts = links(&page);
            assert!(parts.len() > 1, "{section}/{id}");
            let mut seen: BTreeMap<String, usize> = BTreeMap::new();
            for (href, count) in &parts {
                let code = href
                    .strip_prefix(&format!("/{section}/{id}/"))
                    .and_then(|c| c.strip_suffix('/'))
                    .unwrap_or_else(|| panic!("{section}/{id}: link {href}"));
                let part = read(&public.join(section).join(&id).join(code).join("index.html"));
                assert_eq!(cards(&part), *count, "{href}");
                assert!(
                    sitemap.contains(&format!("{section}/{id}/{code}/</loc>")),
                    "{href}"
                );
                for slug in part.split("<li class=\"card\" data-slug=\"").skip(1) {
                    let slug = slug.split('"').next().unwrap();
                    *seen.entry(slug.to_string()).or_default() += 1;
                }
            }
            assert_eq!(seen.len(), heading, "{section}/{id}: every site once");
            assert!(
                seen.values().all(|&n| n == 1),
                "{section}/{id}: a site listed twice"
            );
        }
    }
    assert!(split > 0, "no listing was large enough to split");
    assert!(whole > 0, "every listing was split");
}

/// The notice headings of the notices page, by section.
fn notice_headings(html: &str) -> Vec<String> {
    html.split("<h3>")
        .skip(1)
        .map(|h| h[..h.find("</h3>").unwrap()].to_string())
        .collect()
}

#[test]
fn notices_page_runs_now_first_then_upcoming_then_archives_newest_first() {
    let dir = common::sample_copy();
    let at = |now: &str, out: &str| {
        let run = guichet(&["build", "--now", now, "--out", out], dir.path());
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        read(&dir.path().join(out).join("avis/index.html"))
    };
    let page = at("2026-12-02T10:00:00+01:00", "december");
    let headings = notice_headings(&page);
    assert_eq!(
        headings,
        [
            // Running since 30 November.
            "Information : Ateliers « Mon compte Caf » en décembre",
            // From 24 December, then from 5 January.
            "Fermeture exceptionnelle pour les fêtes",
            "Horaires modifiés en janvier 2027",
            // Archives.
            "Fermeture estivale du Point numérique Caf",
        ]
    );
    let archives = page.find("Archives").expect("an archives section");
    assert!(page.find("Fermeture estivale").unwrap() > archives);

    // Before the first notice ends, no empty "Archives" heading.
    let page = at("2026-07-01T10:00:00+02:00", "july");
    assert!(!page.contains("Archives"), "{page}");
}
