//! `guichet import` on the real national France services list, copied
//! into tests/data/ with its licence.

mod common;
#[path = "import/helpers.rs"]
mod helpers;

use common::{guichet, sample_copy};
use helpers::*;
use std::collections::BTreeSet;

#[test]
fn national_list_gives_one_site_per_structure() {
    let dir = sample_copy();
    let before = site_files(dir.path());
    let (code, stderr) = import(dir.path(), &[REAL_LIST]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("2845 rows"), "{stderr}");
    assert!(
        stderr.contains("site files: 2845 created, 0 updated, 0 unchanged"),
        "{stderr}"
    );
    assert!(stderr.contains("rows skipped: 0"), "{stderr}");
    // The list's own flaws, counted by hand in the CSV.
    assert_eq!(count(&stderr, "no-hours"), 48);
    assert_eq!(count(&stderr, "empty-interval"), 30);
    assert_eq!(count(&stderr, "overlapping-intervals"), 32);
    assert_eq!(count(&stderr, "several-values"), 2);
    assert_eq!(count(&stderr, "coordinates-outside"), 0);
    assert!(
        stderr.contains("liste-fs-20240801.csv:1522:1: warning: row 1503, id 1892"),
        "{stderr}"
    );

    // Nothing dropped: every id_fs has its file, and the sample's sites are still there.
    let rows = csv_rows(REAL_LIST, "id_fs");
    let files = site_files(dir.path());
    assert_eq!(files.len(), before.len() + 2845);
    assert!(before.is_subset(&files));
    let ids: BTreeSet<String> = files
        .difference(&before)
        .map(|f| str_at(&site(dir.path(), f.trim_end_matches(".toml")), "source.id").to_string())
        .collect();
    assert_eq!(ids, rows.keys().cloned().collect());

    // Field by field against the CSV: a mainland, an overseas and a
    // multi-interval structure.
    let cases = [
        (
            "valserhone-fs-1",
            "1",
            "Mo 13:30-17:00; Tu-Th 09:00-12:00,13:30-17:00; Fr 09:00-12:00,13:30-16:00",
        ),
        (
            "sainte-suzanne-fs-1988",
            "1988",
            "Mo-Th 08:00-16:00; Fr 08:00-12:00",
        ),
        (
            "vierzon-fs-1892",
            "1892",
            // Friday's `10:30 - 11:30 / 10:30 - 12:00` overlap is read as 10:30-12:00.
            "Mo 10:30-11:30,13:30-14:30; Tu,Th 08:45-10:00,10:30-11:30,13:30-14:30,15:00-16:15; \
             We 08:45-09:45,11:15-11:45,13:30-14:30,15:00-16:15; Fr 08:45-10:15,10:30-12:00,13:30-14:30,15:00-16:15",
        ),
    ];
    for (slug, id, hours) in cases {
        let s = site(dir.path(), slug);
        let row = &rows[id];
        assert_eq!(str_at(&s, "name"), row["lib_fs"]);
        assert_eq!(str_at(&s, "label"), "france-services");
        let services = strings(&s, "services");
        assert_eq!(services, BOUQUET);
        assert_eq!(str_at(&s, "hours"), hours, "{slug}");
        let appointment = if row["prise_rdv"] == "Oui" {
            "recommended"
        } else {
            "none"
        };
        assert_eq!(str_at(&s, "appointment"), appointment);
        assert_eq!(
            get(&s, "hours_note").and_then(|v| v.as_str()).unwrap_or(""),
            row["commentaire"]
        );
        let street = match row["complement_adresse"].as_str() {
            "" => row["adresse"].clone(),
            c => format!("{c}, {}", row["adresse"]),
        };
        assert_eq!(str_at(&s, "address.street"), street);
        assert_eq!(str_at(&s, "address.postcode"), row["code_postal"]);
        assert_eq!(str_at(&s, "address.commune"), row["lib_com"]);
        assert_eq!(str_at(&s, "address.insee"), row["insee_com"]);
        let lat = get(&s, "location.lat").unwrap().as_float().unwrap();
        let lon = get(&s, "location.lon").unwrap().as_float().unwrap();
        assert_eq!(lat, row["latitude"].parse::<f64>().unwrap());
        assert_eq!(lon, row["longitude"].parse::<f64>().unwrap());
        assert_eq!(str_at(&s, "contact.email"), row["mail"]);
        assert_eq!(str_at(&s, "contact.phone"), row["telephone"]);
        assert_eq!(str_at(&s, "source.dataset"), "france-services");
        assert_eq!(str_at(&s, "source.id"), id);
        assert_eq!(get(&s, "source.updated").unwrap().to_string(), "2024-08-01");
    }
    // Overseas: the time zone comes from the département, not from the file.
    assert!(get(&site(dir.path(), "sainte-suzanne-fs-1988"), "timezone").is_none());
}

#[test]
fn reimport_keeps_slugs_and_editors_additions() {
    let dir = sample_copy();
    let root = dir.path();
    let (code, stderr) = import(root, &[REAL_LIST]);
    assert_eq!(code, 0, "{stderr}");
    let files = site_files(root);

    // An editor's additions: a comment, a field the list lacks, [private],
    // a notice, and a corrected value to keep.
    let path = root.join("data/sites/valserhone-fs-1.toml");
    edit(
        &path,
        "appointment = \"none\"",
        "appointment = \"none\"\n# Ramp at the side entrance (visit of 2026-10-02).\nwheelchair = true",
        "\n[private]\nnotes = \"Référente : 06 00 00 00 00, ne pas communiquer\"\n",
    );
    edit(
        &root.join("data/sites/sainte-suzanne-fs-1988.toml"),
        "hours = \"Mo-Th 08:00-16:00; Fr 08:00-12:00\"",
        "hours = \"Mo-Th 08:00-16:00; Fr 08:00-12:00; PH off\"",
        "keep = [\"hours\"]\n",
    );
    let notice = root.join("content/notices/2026-12-01-valserhone-fs-1.md");
    std::fs::write(
        &notice,
        "+++\nsite = \"valserhone-fs-1\"\nkind = \"closure\"\nfrom = 2026-12-24\nto = 2026-12-26\npublished = 2026-12-01\ntitle = \"Fermeture pour les fêtes\"\n+++\nFermé du 24 au 26 décembre.\n",
    )
    .unwrap();

    // A newer list: rows in reverse order, a new phone number, new hours,
    // one structure gone.
    let newer = root.join("liste-fs-20250101.csv");
    {
        let mut rdr = csv::Reader::from_path(REAL_LIST).unwrap();
        let header = rdr.headers().unwrap().clone();
        let col = |n| header.iter().position(|h| h == n).unwrap();
        let mut rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
        rows.reverse();
        let mut w = csv::Writer::from_path(&newer).unwrap();
        w.write_record(&header).unwrap();
        for r in rows {
            let mut r: Vec<String> = r.iter().map(String::from).collect();
            match r[col("id_fs")].as_str() {
                "2" => continue,
                "1" => r[col("telephone")] = "04 50 56 87 00".into(),
                "1988" => r[col("h_vendredi")] = "08:00 - 12:00 / 13:00 - 15:00".into(),
                _ => {}
            }
            w.write_record(&r).unwrap();
        }
    }
    let newer = newer.to_str().unwrap();

    let before = snapshot(root);
    let (code, stderr) = import(root, &[newer, "--dry-run"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("would update data/sites/valserhone-fs-1.toml:"),
        "{stderr}"
    );
    assert!(
        stderr.contains("contact.phone: \"04 50 56 87 49\" → \"04 50 56 87 00\""),
        "{stderr}"
    );
    assert!(stderr.contains("dry run: nothing was written"));
    assert_eq!(snapshot(root), before, "--dry-run wrote something");

    let (code, stderr) = import(root, &[newer]);
    assert_eq!(code, 0, "{stderr}");
    // Same slugs despite the new row order; every file changes its update date.
    assert_eq!(site_files(root), files);
    assert!(
        stderr.contains("site files: 0 created, 2844 updated, 0 unchanged"),
        "{stderr}"
    );
    assert!(
        stderr.contains("data/sites/saint-trivier-de-courtes-fs-2.toml: no longer in"),
        "{stderr}"
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("phone = \"04 50 56 87 00\""), "{text}");
    assert!(text.contains("# Ramp at the side entrance (visit of 2026-10-02).\nwheelchair = true"));
    assert!(text.contains("[private]\nnotes = \"Référente : 06 00 00 00 00, ne pas communiquer\""));
    assert!(text.contains("updated = 2025-01-01"));
    assert!(notice.exists());
    let s = site(root, "sainte-suzanne-fs-1988");
    assert_eq!(
        str_at(&s, "hours"),
        "Mo-Th 08:00-16:00; Fr 08:00-12:00; PH off"
    );

    // Importing the same list again changes nothing.
    let (code, stderr) = import(root, &[newer]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("site files: 0 created, 0 updated, 2844 unchanged"),
        "{stderr}"
    );

    // The imported directory builds, and [private] stays private.
    assert_builds(root);
    let page =
        std::fs::read_to_string(root.join("public/lieux/valserhone-fs-1/index.html")).unwrap();
    assert!(page.contains("France services de Valserhône"));
    assert!(page.contains("Fermeture pour les fêtes"));
    let index = std::fs::read_to_string(root.join("public/search-index.json")).unwrap();
    // The index stores slugs relative to their commune ("-fs-1988" under Sainte-Suzanne).
    assert!(index.contains("\"-fs-1988\"") && index.contains("Sainte-Suzanne"));
    for f in [
        "lieux/valserhone-fs-1/index.html",
        "search-index.json",
        "donnees/lieux.csv",
    ] {
        let text = std::fs::read_to_string(root.join("public").join(f)).unwrap_or_default();
        assert!(
            !text.contains("06 00 00 00 00"),
            "[private] leaked into {f}"
        );
    }
}

/// Weekly hours are counted by the hours engine.
/// Expected counts were worked out from the CSV columns by hand: 205
/// structures below 24 h, 166 below 5 days, 48 without hours.
#[test]
fn check_lists_france_services_below_the_charter() {
    let dir = sample_copy();
    let (code, stderr) = import(dir.path(), &[REAL_LIST]);
    assert_eq!(code, 0, "{stderr}");
    let out = guichet(&["check", "--format", "json", "--now", NOW], dir.path());
    let diags: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let imported = |code: &str| {
        diags
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["code"] == code && d["file"].as_str().unwrap().contains("-fs-"))
            .map(|d| d["file"].as_str().unwrap().to_string())
            .collect::<BTreeSet<_>>()
    };
    let below = imported("hours-below-minimum");
    assert!(
        below.contains("data/sites/naucelle-fs-75.toml"),
        "6.5 h a week"
    );
    assert!(
        !below.contains("data/sites/valserhone-fs-1.toml"),
        "29 h a week"
    );
    assert_eq!(below.len(), 205);
    assert_eq!(imported("days-below-minimum").len(), 166);
    assert_eq!(imported("hours-unknown").len(), 48);
}
