//! Feeds and calendars read back with real parsers: Atom (atom_syndication)
//! and iCalendar (icalendar), with ids and UIDs stable across rebuilds.

use super::{NOW, SUB, build, ok, read, sample_copy, tree};
use icalendar::Component;
use std::path::Path;

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

/// The event's text lists the days the temporary hours open.
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
