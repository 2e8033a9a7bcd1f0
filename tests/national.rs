//! Resident answers on the real national list (2,845 France services, none
//! of which says anything about public holidays or wheelchair access): the
//! sample's five sites hide what only a real list shows.

mod common;

use common::{build_at, national_directory};
use std::path::Path;

fn read(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The schedule a site page embeds for its open-now line.
fn schedule(public: &Path, slug: &str) -> serde_json::Value {
    let page = read(public.join(format!("lieux/{slug}/index.html")));
    let start = page.find("id=\"schedule\">").expect("a schedule") + "id=\"schedule\">".len();
    let end = start + page[start..].find("</script>").unwrap();
    serde_json::from_str(&page[start..end]).unwrap()
}

/// The imported sites whose INSEE code starts with `prefix`, by slug.
fn sites_in(dir: &Path, prefix: &str) -> Vec<String> {
    let mut slugs: Vec<String> = std::fs::read_dir(dir.join("data/sites"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| read(p).contains(&format!("insee = \"{prefix}")))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    slugs.sort();
    slugs
}

/// The first of `slugs` usually open on `weekday` (0 = Monday).
fn open_on(public: &Path, slugs: &[String], weekday: usize) -> String {
    slugs
        .iter()
        .find(|s| {
            let sched = schedule(public, s);
            sched["week"][weekday]
                .as_array()
                .is_some_and(|d| !d.is_empty())
        })
        .unwrap_or_else(|| panic!("a site open on day {weekday} among {slugs:?}"))
        .clone()
}

/// Whether site `slug` is closed all day on `date` according to its page.
fn closed_on(public: &Path, slug: &str, date: &str) -> bool {
    let sched = schedule(public, slug);
    sched["exceptions"][date]
        .as_array()
        .is_some_and(|d| d.is_empty())
}

#[test]
fn france_services_close_on_public_holidays_of_their_own_zone() {
    let dir = national_directory();
    let d = dir.path();

    // Christmas Day 2026, a Friday: every France services usually open on
    // Fridays is closed, says why, and lists the day in its calendar.
    let public = build_at(d, "2026-12-25T10:00:00+01:00", "noel");
    let paris = sites_in(d, "75");
    let site = open_on(&public, &paris, 4);
    assert!(
        closed_on(&public, &site, "2026-12-25"),
        "{site} open at Christmas"
    );
    let page = read(public.join(format!("lieux/{site}/index.html")));
    assert!(
        page.contains("Fermé les jours fériés, comme tous les lieux France services."),
        "{site}: the page says where the rule comes from"
    );
    let ics = read(public.join(format!("lieux/{site}/fermetures.ics")));
    assert!(ics.contains("DTSTART;VALUE=DATE:20261225"), "{ics}");
    assert!(
        ics.contains("SUMMARY:Fermé : Jour férié (Jour de Noël)"),
        "{ics}"
    );

    // A year later: Good Friday 2028 (14 April) is a holiday in Moselle only,
    // 20 December (abolition of slavery) at La Réunion only.
    let public = build_at(d, "2027-12-17T10:00:00+01:00", "later");
    let moselle = open_on(&public, &sites_in(d, "57"), 4);
    let paris = open_on(&public, &paris, 4);
    assert!(
        closed_on(&public, &moselle, "2028-04-14"),
        "{moselle} open on Good Friday"
    );
    assert!(
        !closed_on(&public, &paris, "2028-04-14"),
        "{paris} closed on Good Friday"
    );
    let reunion = open_on(&public, &sites_in(d, "974"), 0);
    let paris_monday = open_on(&public, &sites_in(d, "75"), 0);
    assert!(
        closed_on(&public, &reunion, "2027-12-20"),
        "{reunion} open on 20 December"
    );
    assert!(!closed_on(&public, &paris_monday, "2027-12-20"));
}

/// The commune of each card of a listing page, in page order.
fn card_communes(page: &str) -> Vec<String> {
    page.split("<li class=\"card\"")
        .skip(1)
        .map(|card| {
            let meta = &card[card.find("class=\"meta\"").unwrap()..];
            let after = &meta[meta.find("</span> ").unwrap() + "</span> ".len()..];
            after[..after.find(" (").unwrap()].to_string()
        })
        .collect()
}

#[test]
fn listings_are_in_french_order_and_say_where_when_and_what_is_unknown() {
    let dir = national_directory();
    let public = build_at(dir.path(), "2026-12-02T10:00:00+01:00", "public");

    // Loire: accents and hyphens do not push a commune down the list.
    let loire = read(public.join("departements/42/index.html"));
    let communes = card_communes(&loire);
    let at = |name: &str| {
        communes
            .iter()
            .position(|c| c == name)
            .unwrap_or_else(|| panic!("{name} in {communes:?}"))
    };
    assert!(
        at("Saint-Étienne") < at("Saint-Symphorien-de-Lay"),
        "{communes:?}"
    );
    assert!(at("Boën-sur-Lignon") < at("Bourg-Argental"), "{communes:?}");
    let mut expected = communes.clone();
    expected.sort_by(|a, b| {
        let key = |s: &str| {
            s.to_lowercase()
                .replace(['é', 'è', 'ê'], "e")
                .replace('ë', "e")
                .replace('-', " ")
        };
        key(a).cmp(&key(b))
    });
    assert_eq!(communes, expected, "French order on the Loire page");

    // Every card gives the street, the day's hours or next opening, and says
    // that accessibility is not stated (the national list never states it).
    let cards: Vec<&str> = loire.split("<li class=\"card\"").skip(1).collect();
    assert!(!cards.is_empty());
    for card in &cards {
        assert!(card.contains("Accessibilité non communiquée"), "{card}");
        assert!(!card.contains("Accessible en fauteuil roulant"), "{card}");
        assert!(card.contains("<p>"), "a street: {card}");
        assert!(
            card.contains("Horaires non communiqués") || card.contains("Mercredi 2 décembre : "),
            "the day's hours: {card}"
        );
    }
    // A site page says the same, in full.
    let site = std::fs::read_dir(public.join("lieux"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let page = read(site.join("index.html"));
    assert!(
        page.contains("Accessibilité en fauteuil roulant non communiquée"),
        "{}",
        site.display()
    );
}
