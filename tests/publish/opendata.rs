//! Open-data exports read back with real parsers (geojson, csv) and checked
//! against the national standard's schema; no private data in any file.

use super::{NOW, SUB, build, ok, read, sample_copy, tree};

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

    // One compact record a line, so a new list diffs site by site.
    for file in ["donnees/lieux.json", "donnees/lieux.geojson"] {
        let text = read(public.join(file));
        let records: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with('{') && l.len() > 40)
            .collect();
        assert_eq!(records.len(), 5, "{file}: one line per site\n{text}");
        assert!(
            records.iter().any(|l| l.contains("\"fontenay-aux-roses\"")),
            "{file}"
        );
        assert!(!text.contains("\n  "), "{file} is not indented");
    }
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
