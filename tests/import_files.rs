//! `guichet import` on small hand-made files with every kind of bad row
//! (tests/fixtures/import/), and on inputs that cannot be read at all.

mod common;
#[path = "import/helpers.rs"]
mod helpers;

use common::sample_copy;
use helpers::*;
use std::collections::BTreeSet;

#[test]
fn bad_rows_are_reported_with_their_row_and_reason() {
    let dir = sample_copy();
    let root = dir.path();
    let before = site_files(root);
    let file = fixture("france-services-bad-rows-20250115.csv");
    let (code, stderr) = import(root, &[&file]);
    assert_eq!(code, 1, "rows were skipped: {stderr}");
    let at =
        |line: u32, rest: &str| format!("france-services-bad-rows-20250115.csv:{line}:1: {rest}");
    for expected in [
        at(
            3,
            "warning: row 2, id 2: no latitude/longitude [missing-coordinates]",
        ),
        at(
            4,
            "warning: row 3, id 3: 40.4168, -3.7038 is outside France and its overseas territories [coordinates-outside]",
        ),
        at(
            6,
            "warning: row 5, id 5: 48.8566, 2.3522 is in la France métropolitaine, but the address is in La Réunion (974) [coordinates-outside]",
        ),
        at(
            7,
            "warning: row 6, id 6: 2.3522, 48.8566 is outside France and its overseas territories (latitude and longitude look swapped) [coordinates-outside]",
        ),
        at(
            8,
            "warning: row 7, id 7: h_mardi `14:00 - 12:00`: `14:00 - 12:00` ends before it starts; hours left out [interval-reversed]",
        ),
        at(
            9,
            "warning: row 8, id 8: h_jeudi `9h - 12h`: `9h` is not a time like 09:00 - 12:00; hours left out [unparseable-time]",
        ),
        at(
            10,
            "error: row 9, id 1: id `1` is already used by row 1: row skipped [duplicate-id]",
        ),
        at(
            11,
            "error: row 10, id 10: no name: row skipped [missing-field]",
        ),
        at(
            12,
            "error: row 11, id 11: postcode `4400` is not 5 digits: row skipped [bad-postcode]",
        ),
        at(
            13,
            "error: row 12, id 12: 10 fields where the header has 24: row skipped [field-count]",
        ),
        at(
            14,
            "warning: row 13, id 13: h_lundi `00:00 - 00:00 / 09:00 - 12:00`: empty interval ignored [empty-interval]",
        ),
        at(
            14,
            "warning: row 13, id 13: h_mardi `09:00 - 12:00 / 09:00 - 17:00 / 14:00 - 17:00`: overlapping intervals read as 09:00-17:00 [overlapping-intervals]",
        ),
        at(
            14,
            "warning: row 13, id 13: 2 e-mails (causses@exemple.fr, mairie@exemple.fr): kept `causses@exemple.fr` [several-values]",
        ),
        // Row 13's comment spans four lines, so row 14 starts on line 18.
        at(18, "error: row 14: no id: row skipped [missing-field]"),
    ] {
        assert!(
            stderr.contains(&expected),
            "missing `{expected}` in:\n{stderr}"
        );
    }
    assert!(stderr.contains("rows skipped: 5"), "{stderr}");
    assert_eq!(count(&stderr, "missing-field"), 2);
    assert_eq!(count(&stderr, "coordinates-outside"), 3);
    // Hours left out are not counted again as "no hours".
    assert_eq!(count(&stderr, "no-hours"), 0);

    let created: BTreeSet<String> = site_files(root).difference(&before).cloned().collect();
    let expected: BTreeSet<String> = [
        "bourg-la-reine-fs-1",
        "dijon-fs-2",
        "bordeaux-fs-3",
        "saint-denis-fs-4",
        "saint-pierre-fs-5",
        "paris-fs-6",
        "lyon-fs-7",
        "marseille-fs-8",
        "millau-fs-13",
    ]
    .iter()
    .map(|s| format!("{s}.toml"))
    .collect();
    assert_eq!(created, expected);

    let s = site(root, "bourg-la-reine-fs-1");
    assert_eq!(str_at(&s, "address.street"), "Mairie, 1 place de la Mairie");
    assert_eq!(str_at(&s, "appointment"), "recommended");
    assert_eq!(
        str_at(&s, "hours"),
        "Mo 13:30-17:00; Tu-Th 09:00-12:00,13:30-17:00; Fr 09:00-12:00,13:30-16:00; Sa 09:00-12:00"
    );
    assert_eq!(get(&s, "source.updated").unwrap().to_string(), "2025-01-15");
    for slug in [
        "dijon-fs-2",
        "bordeaux-fs-3",
        "saint-pierre-fs-5",
        "paris-fs-6",
    ] {
        assert!(
            get(&site(root, slug), "location").is_none(),
            "{slug} kept bad coordinates"
        );
    }
    assert!(get(&site(root, "saint-denis-fs-4"), "location").is_some());
    for slug in ["lyon-fs-7", "marseille-fs-8"] {
        assert!(
            get(&site(root, slug), "hours").is_none(),
            "{slug} got partial hours"
        );
    }
    let s = site(root, "millau-fs-13");
    assert_eq!(str_at(&s, "hours"), "Mo 09:00-12:00; Tu 09:00-17:00");
    // The comment is kept as written, never read into the hours.
    assert_eq!(
        str_at(&s, "hours_note"),
        "Ouvert le premier samedi du mois de 9h à 12h\nPermanence à Nant le jeudi"
    );
    assert_eq!(str_at(&s, "contact.email"), "causses@exemple.fr");

    assert_builds(root);
}

#[test]
fn mediation_num_places_get_the_directory_labels() {
    let dir = sample_copy();
    let root = dir.path();
    let before = site_files(root);
    let (code, stderr) = import(root, &[&fixture("mediation-num-v1.csv")]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("row 3, id lieu-3: dispositif_programmes_nationaux (Aidants Connect|Conseillers numériques) names no label of this directory"), "{stderr}");
    assert!(
        stderr.contains(
            "row 4, id lieu-4: « Ce lieu n'accueille pas de public »: row skipped [no-public]"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("row 5, id lieu-5: 16.265, -61.551 is in la Guadeloupe, but the address is in la Martinique (972)"), "{stderr}");

    let s = site(root, "montreuil-lieu-fs-1");
    assert_eq!(str_at(&s, "label"), "france-services");
    let services = strings(&s, "services");
    assert_eq!(services[..9], BOUQUET);
    assert_eq!(
        services[9..],
        ["accompagnement-numerique", "acces-internet"]
    );
    assert_eq!(
        str_at(&s, "hours"),
        "Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00"
    );
    assert_eq!(str_at(&s, "appointment"), "none");
    assert_eq!(str_at(&s, "contact.phone"), "01 80 05 98 80");
    assert_eq!(str_at(&s, "contact.email"), "accueil@montreuil.example");
    assert_eq!(
        str_at(&s, "contact.website"),
        "https://montreuil.example/fs"
    );
    assert_eq!(get(&s, "source.updated").unwrap().to_string(), "2024-03-15");
    let s = site(root, "nevers-lieu-caf-2");
    assert_eq!(str_at(&s, "label"), "point-numerique-caf");
    assert_eq!(str_at(&s, "appointment"), "recommended");
    assert!(get(&site(root, "le-lamentin-lieu-5"), "location").is_none());

    let (code, stderr) = import(root, &[&fixture("mediation-num-v0.1.csv")]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("row 3, id v0-3: labels_nationaux (APTIC) names no label"),
        "{stderr}"
    );
    let s = site(root, "aurillac-v0-1");
    assert_eq!(str_at(&s, "label"), "france-services");
    assert!(strings(&s, "services").contains(&"acces-internet"));
    assert_eq!(get(&s, "source.updated").unwrap().to_string(), "2023-05-10");
    let s = site(root, "mende-v0-2");
    assert_eq!(str_at(&s, "label"), "point-relais-caf");
    assert!(strings(&s, "services").contains(&"accompagnement-numerique"));

    let created: BTreeSet<String> = site_files(root).difference(&before).cloned().collect();
    assert_eq!(created.len(), 5, "{created:?}");

    // The standard's own example is an Aidants Connect place: no label here.
    let (code, stderr) = import(root, &[EXAMPLE_MEDIATION]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("row 1, id structure-1:") && stderr.contains("[no-label]"),
        "{stderr}"
    );
    assert_eq!(site_files(root).len(), before.len() + 5);

    assert_builds(root);
}

/// Hours the engine cannot read are not imported as if they were.
#[test]
fn unparseable_osm_hours_are_left_out() {
    let dir = sample_copy();
    let (_, stderr) = import(dir.path(), &[&fixture("mediation-num-v1-bad-hours.csv")]);
    assert!(
        stderr.contains("row 1, id lieu-6: horaires `Lu-Ve 9h-12h`"),
        "{stderr}"
    );
    assert!(stderr.contains("[unparseable-hours]"), "{stderr}");
    assert!(get(&site(dir.path(), "sedan-lieu-6"), "hours").is_none());
}

#[test]
fn unreadable_input_leaves_data_unchanged() {
    let dir = sample_copy();
    let root = dir.path();
    let before = snapshot(root);

    let (code, stderr) = import(root, &["absent.csv"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("absent.csv:") && stderr.contains("nothing was imported"),
        "{stderr}"
    );

    let mut bytes = std::fs::read(fixture("france-services-bad-rows-20250115.csv")).unwrap();
    let second_line = bytes.iter().position(|&b| b == b'\n').unwrap() + 5;
    bytes[second_line] = 0xff;
    std::fs::write(root.join("latin1.csv"), &bytes).unwrap();
    let (code, stderr) = import(root, &["latin1.csv"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("latin1.csv:2:5: not valid UTF-8"),
        "{stderr}"
    );

    std::fs::write(root.join("other.csv"), "code,libelle\n1,Mairie\n").unwrap();
    let (code, stderr) = import(root, &["other.csv"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("other.csv:1:1: unknown format (columns code, libelle"),
        "{stderr}"
    );

    let (code, stderr) = import(
        root,
        &[
            &fixture("mediation-num-v1.csv"),
            "--format",
            "france-services",
        ],
    );
    assert_eq!(code, 1);
    assert!(
        stderr.contains("not a france-services file: missing column(s): id_fs, lib_fs"),
        "{stderr}"
    );

    // A broken site file stops the import: its place could be imported twice.
    let broken = root.join("data/sites/rouen-simone-veil.toml");
    let good = std::fs::read_to_string(&broken).unwrap();
    std::fs::write(&broken, good.replace("name = \"", "name = ")).unwrap();
    let broken_snapshot = snapshot(root);
    let (code, stderr) = import(root, &[REAL_LIST]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("data/sites/rouen-simone-veil.toml:12:"),
        "{stderr}"
    );
    assert_eq!(snapshot(root), broken_snapshot);
    std::fs::write(&broken, good).unwrap();

    assert_eq!(snapshot(root), before);
}
