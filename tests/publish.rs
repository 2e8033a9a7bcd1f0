//! Publishing end to end, with the real binary on copies of the sample:
//! notices from `new notice` to banners, feeds and calendars; open data read
//! back with real parsers; a sub-path deploy served over HTTP; reproducibility.

mod common;

use common::{guichet, sample_copy, tree};
use std::path::Path;
use std::process::Output;

const NOW: &str = "2026-11-23T10:00:00+01:00";
const SUB: &str = "https://example.org/annuaire/";
const FONTENAY_NOTICE: &str = "content/notices/2026-12-24-fontenay-aux-roses.md";

fn ok(out: Output) -> Output {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn build(dir: &Path, now: &str, extra: &[&str]) -> Output {
    let mut args = vec!["build", "--now", now];
    args.extend_from_slice(extra);
    guichet(&args, dir)
}

fn read(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The `<section aria-labelledby="{id}">` of a page, or "" when absent.
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let Some(start) = html.find(&format!("aria-labelledby=\"{id}\"")) else {
        return "";
    };
    let rest = &html[start..];
    &rest[..rest.find("</section>").unwrap_or(rest.len())]
}

fn banners(html: &str) -> Vec<&str> {
    html.match_indices("<div class=\"banner\"")
        .map(|(i, _)| &html[i..i + html[i..].find("</div>").unwrap()])
        .collect()
}

fn front_matter(text: &str) -> toml::Table {
    let rest = text.strip_prefix("+++\n").expect("front matter first");
    let toml = &rest[..rest.find("\n+++\n").expect("end of front matter")];
    toml.parse().expect("front matter is TOML")
}

#[test]
fn new_notice_writes_the_file_and_never_overwrites_it() {
    let dir = sample_copy();
    let args = [
        "new",
        "notice",
        "fontenay-aux-roses",
        "--from",
        "2026-12-28",
        "--to",
        "2026-12-30",
        "--now",
        NOW,
    ];
    let out = ok(guichet(&args, dir.path()));
    let rel = "content/notices/2026-12-28-fontenay-aux-roses.md";
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), rel);
    let text = read(dir.path().join(rel));
    let fm = front_matter(&text);
    assert_eq!(fm["site"].as_str(), Some("fontenay-aux-roses"));
    assert_eq!(fm["kind"].as_str(), Some("closure"));
    assert_eq!(fm["from"].to_string(), "2026-12-28");
    assert_eq!(fm["to"].to_string(), "2026-12-30");
    assert_eq!(fm["published"].to_string(), "2026-11-23");
    assert!(fm["title"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(text.contains("du 28 au 30 décembre 2026"), "{text}");

    std::fs::write(dir.path().join(rel), "édité à la main").unwrap();
    let again = guichet(&args, dir.path());
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    assert_eq!(read(dir.path().join(rel)), "édité à la main");

    // The other kinds give files the loader accepts as they are.
    for kind in ["hours", "info"] {
        let args = [
            "new",
            "notice",
            "joinville-espace-vallages",
            "--kind",
            kind,
            "--from",
            if kind == "hours" {
                "2027-03-01"
            } else {
                "2027-04-01"
            },
            "--now",
            NOW,
        ];
        ok(guichet(&args, dir.path()));
    }
    std::fs::remove_file(dir.path().join(rel)).unwrap();
    ok(build(dir.path(), NOW, &[]));
}

#[test]
fn new_notice_for_an_unknown_site_suggests_the_closest() {
    let dir = sample_copy();
    let out = guichet(
        &["new", "notice", "fontenay", "--from", "2026-12-28"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown site `fontenay`"), "{err}");
    assert!(err.contains("did you mean `fontenay-aux-roses`?"), "{err}");
    assert!(
        !dir.path()
            .join("content/notices/2026-12-28-fontenay.md")
            .exists()
    );
}

#[test]
fn one_command_and_one_edit_reach_the_site_page_home_feed_and_calendar() {
    let dir = sample_copy();
    let args = [
        "new",
        "notice",
        "rouen-simone-veil",
        "--from",
        "2026-12-01",
        "--now",
        NOW,
    ];
    let rel = String::from_utf8(ok(guichet(&args, dir.path())).stdout).unwrap();
    let path = dir.path().join(rel.trim());
    let text = read(&path).replace(
        "title = \"Fermeture exceptionnelle\"",
        "title = \"Fermeture pour inventaire\"",
    );
    std::fs::write(&path, text).unwrap();
    ok(build(dir.path(), NOW, &[]));
    let public = dir.path().join("public");
    let site = read(public.join("lieux/rouen-simone-veil/index.html"));
    assert!(
        banners(&site)
            .iter()
            .any(|b| b.contains("Fermeture pour inventaire"))
    );
    let home = read(public.join("index.html"));
    assert!(section(&home, "fermetures-titre").contains("Fermeture pour inventaire"));
    assert!(read(public.join("avis/atom.xml")).contains("Fermeture pour inventaire"));
    let ics = read(public.join("lieux/rouen-simone-veil/fermetures.ics"));
    assert!(ics.contains("SUMMARY:Fermeture pour inventaire"), "{ics}");
    assert!(ics.contains("DTSTART;VALUE=DATE:20261201\r\nDTEND;VALUE=DATE:20261202"));
}

#[test]
fn a_notice_edited_into_the_past_leaves_banners_for_the_archive() {
    let dir = sample_copy();
    let now = "2026-12-20T10:00:00+01:00";
    let title = "Fermeture exceptionnelle pour les fêtes";
    ok(build(dir.path(), now, &[]));
    let public = dir.path().join("public");
    let site = read(public.join("lieux/fontenay-aux-roses/index.html"));
    let b = banners(&site);
    assert!(
        b.iter().any(|b| b.contains(title)),
        "no banner four days ahead"
    );
    // The browser hides it once its last day has passed, however old the page.
    assert!(b.iter().any(|b| b.contains("data-until=\"2026-12-26\"")));
    assert!(section(&read(public.join("index.html")), "fermetures-titre").contains(title));
    assert!(read(public.join("communes/92032/index.html")).contains(title));

    let file = dir.path().join(FONTENAY_NOTICE);
    let edited = read(&file).replace(
        "from = 2026-12-24\nto = 2026-12-26",
        "from = 2026-12-01\nto = 2026-12-03",
    );
    assert!(edited.contains("from = 2026-12-01"));
    std::fs::write(&file, edited).unwrap();
    ok(build(dir.path(), now, &[]));
    let site = read(public.join("lieux/fontenay-aux-roses/index.html"));
    assert!(banners(&site).is_empty(), "{:?}", banners(&site));
    assert!(!site.contains(title));
    assert!(!read(public.join("index.html")).contains(title));
    assert!(!read(public.join("communes/92032/index.html")).contains(title));
    let avis = read(public.join("avis/index.html"));
    assert!(!section(&avis, "en-cours-titre").contains(title));
    assert!(section(&avis, "archives-titre").contains(title));
}

/// Writes a closure notice by hand, `site` on line 2 and `from` on line 4;
/// returns its path.
fn write_closure(root: &Path, site: &str, from: &str, published: &str) -> String {
    let rel = format!("content/notices/{from}-{site}.md");
    let text = format!(
        "+++\nsite = \"{site}\"\nkind = \"closure\"\nfrom = {from}\npublished = {published}\ntitle = \"Fermeture\"\n+++\nFermé.\n"
    );
    std::fs::write(root.join(&rel), text).unwrap();
    rel
}

#[test]
fn a_notice_for_an_unknown_site_fails_the_build_at_its_line() {
    let dir = sample_copy();
    let rel = write_closure(dir.path(), "fontenay", "2026-12-10", "2026-11-20");
    let out = build(dir.path(), NOW, &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("{rel}:2:8: error: unknown site `fontenay`")),
        "{err}"
    );
    assert!(err.contains("did you mean `fontenay-aux-roses`?"), "{err}");
    assert!(
        !dir.path().join("public").exists(),
        "nothing may be published"
    );
}

#[test]
fn a_france_services_closure_announced_three_days_ahead_is_reported() {
    let dir = sample_copy();
    let rel = write_closure(dir.path(), "fontenay-aux-roses", "2026-12-10", "2026-12-07");
    let out = guichet(&["check", "--now", NOW], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.starts_with(&format!("{rel}:4:")))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(line.contains("announced 3 days before it starts"), "{line}");
    assert!(
        line.contains("Charte nationale d'engagement France services, art. 2.4"),
        "{line}"
    );
}

#[test]
fn two_builds_with_the_same_clock_are_byte_identical() {
    let dir = sample_copy();
    ok(build(dir.path(), NOW, &["--out", "one"]));
    ok(build(dir.path(), NOW, &["--out", "two"]));
    let (one, two) = (tree(&dir.path().join("one")), tree(&dir.path().join("two")));
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        two.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &one {
        assert!(bytes == &two[path], "{path} differs between builds");
    }
}

#[test]
fn check_links_reports_the_page_and_the_broken_link() {
    let dir = sample_copy();
    let diags = |dir: &Path| {
        let out = guichet(&["check", "--links", "--now", NOW, "--format", "json"], dir);
        let all: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        let broken: Vec<_> = all
            .into_iter()
            .filter(|d| d["code"] == "broken-link")
            .collect();
        (out.status.code(), broken)
    };
    let (_, broken) = diags(dir.path());
    assert!(broken.is_empty(), "the sample has broken links: {broken:?}");
    std::fs::write(
        dir.path().join("content/pages/liens.md"),
        "+++\ntitle = \"Liens utiles\"\n+++\nVoir [les anciens avis](/nulle-part/).\n",
    )
    .unwrap();
    let (code, broken) = diags(dir.path());
    assert_eq!(code, Some(1));
    assert_eq!(broken.len(), 1, "{broken:?}");
    assert_eq!(broken[0]["file"], "liens/index.html");
    assert!(
        broken[0]["message"]
            .as_str()
            .unwrap()
            .contains("`/nulle-part/`")
    );
}

/// Atom feeds and iCalendar files.
#[path = "publish/feeds.rs"]
mod feeds;
/// CSV, GeoJSON and JSON exports; private data.
#[path = "publish/opendata.rs"]
mod opendata;
/// The sub-path deploy, served over HTTP.
#[path = "publish/serve.rs"]
mod serve;

/// The schema.org description a search engine reads off a site page.
fn jsonld(html: &str) -> serde_json::Value {
    let start = html
        .find("application/ld+json\">")
        .expect("a JSON-LD script")
        + 21;
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).expect("JSON-LD is JSON")
}

#[test]
fn the_site_page_describes_its_week_and_closures_for_search_engines() {
    let dir = sample_copy();
    ok(build(dir.path(), NOW, &[]));
    let page = read(
        dir.path()
            .join("public/lieux/fontenay-aux-roses/index.html"),
    );
    let ld = jsonld(&page);
    assert_eq!(ld["@type"], "GovernmentOffice");
    assert_eq!(ld["address"]["postalCode"], "92260");
    // Mo,Fr 08:30-12:00,13:30-17:00; Tu,Th 08:30-12:00; We 08:30-12:00,13:30-19:30
    let day = |d: &str| format!("https://schema.org/{d}");
    let week: Vec<(String, String, Vec<String>)> = ld["openingHoursSpecification"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            assert_eq!(s["@type"], "OpeningHoursSpecification");
            let days = s["dayOfWeek"].as_array().unwrap();
            (
                s["opens"].as_str().unwrap().to_string(),
                s["closes"].as_str().unwrap().to_string(),
                days.iter()
                    .map(|d| d.as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        week,
        [
            (
                "08:30",
                "12:00",
                vec!["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
            ),
            ("13:30", "17:00", vec!["Monday", "Friday"]),
            ("13:30", "19:30", vec!["Wednesday"]),
        ]
        .map(|(o, c, days)| (o.into(), c.into(), days.into_iter().map(day).collect()))
    );
    // The sample's Christmas closure is still to come on 23 November.
    let special = ld["specialOpeningHoursSpecification"].as_array().unwrap();
    assert!(
        special.iter().any(|s| s["validFrom"] == "2026-12-24"
            && s["opens"] == "00:00"
            && s["closes"] == "00:00"),
        "{special:?}"
    );
}
