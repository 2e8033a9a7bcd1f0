//! Publishing end to end, with the real binary on copies of the sample:
//! notices from `new notice` to banners, feeds and calendars; open data read
//! back with real parsers; a sub-path deploy served over HTTP; reproducibility.

mod common;

use common::{guichet, sample_copy};
use icalendar::Component;
use std::collections::BTreeMap;
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

/// Every file under `dir`: relative path → bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(dir: &Path, prefix: &str, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap().map(Result::unwrap) {
            let name = format!("{prefix}{}", e.file_name().to_string_lossy());
            if e.file_type().unwrap().is_dir() {
                walk(&e.path(), &format!("{name}/"), out);
            } else {
                out.insert(name, std::fs::read(e.path()).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, "", &mut out);
    out
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
    assert!(
        ics.contains("SUMMARY:Fermeture exceptionnelle : Fermeture pour inventaire"),
        "{ics}"
    );
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

fn atom(path: &Path) -> atom_syndication::Feed {
    read(path)
        .parse()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn atom_feeds_parse_and_their_ids_survive_rebuilds() {
    let dir = sample_copy();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let a_str = a.to_str().unwrap();
    ok(build(dir.path(), NOW, &["--base-url", SUB, "--out", a_str]));
    let b_str = b.to_str().unwrap();
    ok(build(
        dir.path(),
        "2027-02-01T09:00:00+01:00",
        &["--base-url", SUB, "--out", b_str],
    ));
    let feed = atom(&a.join("avis/atom.xml"));
    assert_eq!(feed.id(), format!("{SUB}avis/atom.xml"));
    assert!(
        feed.links()
            .iter()
            .any(|l| l.rel() == "self" && l.href() == feed.id())
    );
    assert!(!feed.title().as_str().is_empty());
    let notices = std::fs::read_dir(dir.path().join("content/notices"))
        .unwrap()
        .count();
    assert_eq!(feed.entries().len(), notices);
    let updated: Vec<_> = feed.entries().iter().map(|e| *e.updated()).collect();
    assert!(
        updated.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {updated:?}"
    );
    assert_eq!(updated[0], *feed.updated());
    for e in feed.entries() {
        assert!(e.id().starts_with(SUB), "{}", e.id());
        assert!(
            e.links()
                .iter()
                .any(|l| l.href().starts_with(&format!("{SUB}lieux/")))
        );
    }
    let ids = |f: &atom_syndication::Feed| {
        f.entries()
            .iter()
            .map(|e| e.id().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&feed), ids(&atom(&b.join("avis/atom.xml"))));

    let site = atom(&a.join("lieux/fontenay-aux-roses/avis.xml"));
    assert_eq!(site.entries().len(), 1);
    assert!(ids(&feed).contains(&site.entries()[0].id().to_string()));
    assert_eq!(
        site.entries()[0].title().as_str(),
        "Fermeture exceptionnelle pour les fêtes — France services de Fontenay-aux-Roses"
    );
}

fn events(text: &str) -> Vec<icalendar::Event> {
    let unfolded = icalendar::parser::unfold(text);
    let parsed =
        icalendar::parser::read_calendar(&unfolded).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let calendar: icalendar::Calendar = parsed.into();
    calendar.events().cloned().collect()
}

#[test]
fn calendars_parse_and_stay_identical_across_rebuilds() {
    let dir = sample_copy();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    ok(build(
        dir.path(),
        NOW,
        &["--base-url", SUB, "--out", a.to_str().unwrap()],
    ));
    ok(build(
        dir.path(),
        "2027-02-01T09:00:00+01:00",
        &["--base-url", SUB, "--out", b.to_str().unwrap()],
    ));
    let (ta, tb) = (tree(&a), tree(&b));
    let calendars: Vec<_> = ta
        .keys()
        .filter(|p| p.ends_with("/fermetures.ics"))
        .collect();
    assert_eq!(calendars.len(), 5, "one per site");
    for path in calendars {
        let text = String::from_utf8(ta[path].clone()).unwrap();
        assert!(!text.replace("\r\n", "").contains('\n'), "{path}: bare LF");
        assert!(
            text.split("\r\n").all(|l| l.len() <= 75),
            "{path}: line over 75 octets"
        );
        events(&text);
        assert_eq!(ta[path], tb[path], "{path} changed with the build clock");
    }
    let text = String::from_utf8(ta["lieux/fontenay-aux-roses/fermetures.ics"].clone()).unwrap();
    let ev = events(&text);
    assert_eq!(ev.len(), 1);
    assert_eq!(
        ev[0].get_uid(),
        Some("2026-12-24-fontenay-aux-roses@example.org")
    );
    let day = |y, m, d| {
        Some(icalendar::DatePerhapsTime::Date(
            chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap(),
        ))
    };
    assert_eq!(ev[0].get_start(), day(2026, 12, 24));
    assert_eq!(
        ev[0].get_end(),
        day(2026, 12, 27),
        "DTEND is the day after the last day"
    );
    assert_eq!(
        ev[0].get_summary(),
        Some("Fermeture exceptionnelle pour les fêtes")
    );
    assert!(
        ev[0]
            .get_description()
            .unwrap()
            .contains(&format!("{SUB}lieux/fontenay-aux-roses/"))
    );
    let info_only =
        String::from_utf8(ta["lieux/villeparisis-maison-des-droits/fermetures.ics"].clone())
            .unwrap();
    assert!(
        events(&info_only).is_empty(),
        "information notices are not calendar events"
    );
}

/// Needs the real hours engine: the stand-in knows no opening days.
#[test]
fn a_temporary_hours_event_lists_the_days_it_opens() {
    let dir = sample_copy();
    ok(build(dir.path(), NOW, &[]));
    let text = read(
        dir.path()
            .join("public/lieux/joinville-espace-vallages/fermetures.ics"),
    );
    let ev = events(&text);
    assert_eq!(ev.len(), 1);
    let description = ev[0].get_description().unwrap();
    assert!(description.contains("Mardi : "), "{description}");
    assert!(!description.contains("Lundi : "), "{description}");
}

fn schema() -> serde_json::Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/standard-mediation-num/schema-v1.0.2.json"
    );
    serde_json::from_str(&read(path)).expect("the standard's schema is JSON")
}

#[test]
fn open_data_parses_and_matches_the_site_files() {
    let dir = sample_copy();
    ok(build(dir.path(), NOW, &["--base-url", SUB]));
    let public = dir.path().join("public");
    let site: toml::Table = read(dir.path().join("data/sites/fontenay-aux-roses.toml"))
        .parse()
        .unwrap();
    let hours = site["hours"].as_str().unwrap();

    let geo: geojson::GeoJson = read(public.join("donnees/lieux.geojson")).parse().unwrap();
    let geojson::GeoJson::FeatureCollection(fc) = geo else {
        panic!("not a FeatureCollection")
    };
    assert_eq!(fc.features.len(), 5);
    let f = fc
        .features
        .iter()
        .find(|f| f.id == Some(geojson::feature::Id::String("fontenay-aux-roses".into())))
        .unwrap();
    let geojson::GeometryValue::Point { coordinates } = &f.geometry.as_ref().unwrap().value else {
        panic!("not a point")
    };
    assert_eq!(
        coordinates.as_slice(),
        [2.297199, 48.791618],
        "[longitude, latitude]"
    );
    let p = f.properties.as_ref().unwrap();
    assert_eq!(p["code_postal"], "92260");
    assert_eq!(p["horaires"], hours);
    assert_eq!(p["url"], format!("{SUB}lieux/fontenay-aux-roses/"));

    let schema = schema();
    let fields = schema["fields"].as_array().unwrap();
    let mut csv = csv::Reader::from_path(public.join("donnees/lieux.csv")).unwrap();
    let names: Vec<&str> = fields.iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(
        csv.headers().unwrap().iter().collect::<Vec<_>>(),
        names,
        "the standard's fields, in order"
    );
    let rows: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 5);
    for row in &rows {
        for (field, value) in fields.iter().zip(row.iter()) {
            let c = &field["constraints"];
            let name = field["name"].as_str().unwrap();
            // Le Tampon's sources give no street: left empty rather than invented.
            if c["required"] == true && name != "adresse" {
                assert!(!value.is_empty(), "{} lacks required {name}", &row[0]);
            }
            if let (Some(p), false) = (c["pattern"].as_str(), value.is_empty()) {
                let re = regex::Regex::new(&format!("^(?:{p})$")).unwrap();
                assert!(
                    re.is_match(value),
                    "{}: {name} = {value:?} breaks {p}",
                    &row[0]
                );
            }
            if let Some(max) = c["maxLength"].as_u64() {
                assert!(value.chars().count() as u64 <= max, "{name} too long");
            }
        }
    }
    let col = |name: &str| names.iter().position(|n| *n == name).unwrap();
    let fontenay = rows.iter().find(|r| &r[0] == "fontenay-aux-roses").unwrap();
    assert_eq!(&fontenay[col("code_postal")], "92260");
    assert_eq!(fontenay[col("latitude")].parse::<f64>().unwrap(), 48.791618);
    assert_eq!(fontenay[col("longitude")].parse::<f64>().unwrap(), 2.297199);
    assert_eq!(&fontenay[col("horaires")], hours);
    assert_eq!(&fontenay[col("telephone")], "+33141132144");
    assert_eq!(
        &fontenay[col("dispositif_programmes_nationaux")],
        "France Services"
    );
    let rouen = rows.iter().find(|r| &r[0] == "rouen-simone-veil").unwrap();
    assert_eq!(
        &rouen[col("dispositif_programmes_nationaux")],
        "Point d'accès numérique CAF"
    );

    let json: serde_json::Value =
        serde_json::from_str(&read(public.join("donnees/lieux.json"))).unwrap();
    let f = json["lieux"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "fontenay-aux-roses")
        .unwrap();
    assert_eq!(f["code_postal"], "92260");
    assert_eq!(f["position"]["latitude"], 48.791618);
    assert_eq!(f["avis"][0]["du"], "2026-12-24");
}

#[test]
fn private_contacts_appear_in_no_output_file() {
    let dir = sample_copy();
    let private = read(dir.path().join("data/sites/fontenay-aux-roses.toml"));
    assert!(
        private.contains("01 40 97 99 34"),
        "the canary is still in the sample"
    );
    ok(build(dir.path(), NOW, &[]));
    ok(build(dir.path(), NOW, &["--base-url", SUB, "--out", "sub"]));
    let needles = [
        "01 40 97 99 34",
        "0140979934",
        "+33140979934",
        "partenaires.cafnanterre",
        "ne pas communiquer au public",
    ];
    for out in ["public", "sub"] {
        for (path, bytes) in tree(&dir.path().join(out)) {
            let text = String::from_utf8_lossy(&bytes);
            for n in needles {
                assert!(
                    !text.contains(n),
                    "{out}/{path} publishes private data `{n}`"
                );
            }
        }
    }
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

/// The sub-path deploy, served over HTTP.
#[path = "publish/serve.rs"]
mod serve;
