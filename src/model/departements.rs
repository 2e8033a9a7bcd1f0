//! Départements: their code from a postcode or INSEE commune code, their name, their time zone.

use chrono_tz::Tz;

/// Département code of a French postcode or INSEE commune code: "75", "2A"/"2B" for Corsica,
/// three digits ("971"…"978", "986"…"988") overseas. Prefer the INSEE code when given: a few
/// communes carry a neighbouring département's postcode (Saint-Pierre-Laval, Allier, is 42620).
/// An INSEE code that is malformed or unknown falls back to the postcode; `None` when neither
/// gives a known département.
pub fn departement_code(postcode: &str, insee: Option<&str>) -> Option<String> {
    insee
        .and_then(from_insee)
        .or_else(|| from_postcode(postcode))
        .map(str::to_string)
}

/// Département of an INSEE commune code ("92012", "2A004", "97422").
fn from_insee(insee: &str) -> Option<&'static str> {
    let insee = insee.trim().to_ascii_uppercase();
    // ASCII first, so that slicing by bytes below cannot split a character.
    if insee.len() != 5 || !insee.is_ascii() || !insee[2..].bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Overseas codes take three digits; Corsica's "2A"/"2B" are letters. Both are checked
    // against the table, so "20xxx" (Corsica before 1976) or "99xxx" (abroad) give None.
    let code = if insee.starts_with("97") || insee.starts_with("98") {
        &insee[..3]
    } else {
        &insee[..2]
    };
    known(code)
}

/// Département of a postcode ("92260", "20000", "97430").
fn from_postcode(postcode: &str) -> Option<&'static str> {
    let postcode = postcode.trim();
    if postcode.len() != 5 || !postcode.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match postcode {
        // Saint-Barthélemy and Saint-Martin left Guadeloupe in 2007 but kept its 971xx postcodes.
        "97133" => return known("977"),
        "97150" => return known("978"),
        _ => {}
    }
    let code = match &postcode[..3] {
        // Corsica's postcodes still start with 20: 200xx/201xx are Corse-du-Sud, 202xx/206xx
        // Haute-Corse; no other 20xxx series exists, so anything else is not guessed at.
        "200" | "201" => "2A",
        "202" | "206" => "2B",
        three if three.starts_with("97") || three.starts_with("98") => three,
        _ => &postcode[..2],
    };
    known(code)
}

/// `code` as a `'static` entry of [`DEPARTEMENTS`], if it is one.
fn known(code: &str) -> Option<&'static str> {
    entry(code).map(|(code, _)| *code)
}

/// French name of a département or overseas collectivité ("Hauts-de-Seine", "La Réunion",
/// "Corse-du-Sud", "Saint-Martin", ...): all 101 départements and the six collectivités
/// 975, 977, 978, 986, 987, 988.
pub fn departement_name(code: &str) -> Option<&'static str> {
    entry(code).map(|(_, name)| *name)
}

fn entry(code: &str) -> Option<&'static (&'static str, &'static str)> {
    DEPARTEMENTS.iter().find(|(known, _)| *known == code)
}

/// IANA time zone of a département: Europe/Paris unless overseas (971 America/Guadeloupe,
/// 972 America/Martinique, 973 America/Cayenne, 974 Indian/Reunion, 975 America/Miquelon,
/// 976 Indian/Mayotte, 977 America/St_Barthelemy, 978 America/Marigot, 986 Pacific/Wallis,
/// 987 Pacific/Tahiti, 988 Pacific/Noumea).
pub fn timezone_for_departement(code: &str) -> Tz {
    // Polynésie française spans three zones (Marquesas -9:30, Gambier -9:00); Tahiti's is the
    // one almost every service point uses, and a département code cannot tell them apart.
    match code {
        "971" => Tz::America__Guadeloupe,
        "972" => Tz::America__Martinique,
        "973" => Tz::America__Cayenne,
        "974" => Tz::Indian__Reunion,
        "975" => Tz::America__Miquelon,
        "976" => Tz::Indian__Mayotte,
        "977" => Tz::America__St_Barthelemy,
        "978" => Tz::America__Marigot,
        "986" => Tz::Pacific__Wallis,
        "987" => Tz::Pacific__Tahiti,
        "988" => Tz::Pacific__Noumea,
        _ => Tz::Europe__Paris,
    }
}

/// Codes and names of the départements (INSEE spelling), then the overseas collectivités.
const DEPARTEMENTS: [(&str, &str); 107] = [
    ("01", "Ain"),
    ("02", "Aisne"),
    ("03", "Allier"),
    ("04", "Alpes-de-Haute-Provence"),
    ("05", "Hautes-Alpes"),
    ("06", "Alpes-Maritimes"),
    ("07", "Ardèche"),
    ("08", "Ardennes"),
    ("09", "Ariège"),
    ("10", "Aube"),
    ("11", "Aude"),
    ("12", "Aveyron"),
    ("13", "Bouches-du-Rhône"),
    ("14", "Calvados"),
    ("15", "Cantal"),
    ("16", "Charente"),
    ("17", "Charente-Maritime"),
    ("18", "Cher"),
    ("19", "Corrèze"),
    ("2A", "Corse-du-Sud"),
    ("2B", "Haute-Corse"),
    ("21", "Côte-d'Or"),
    ("22", "Côtes-d'Armor"),
    ("23", "Creuse"),
    ("24", "Dordogne"),
    ("25", "Doubs"),
    ("26", "Drôme"),
    ("27", "Eure"),
    ("28", "Eure-et-Loir"),
    ("29", "Finistère"),
    ("30", "Gard"),
    ("31", "Haute-Garonne"),
    ("32", "Gers"),
    ("33", "Gironde"),
    ("34", "Hérault"),
    ("35", "Ille-et-Vilaine"),
    ("36", "Indre"),
    ("37", "Indre-et-Loire"),
    ("38", "Isère"),
    ("39", "Jura"),
    ("40", "Landes"),
    ("41", "Loir-et-Cher"),
    ("42", "Loire"),
    ("43", "Haute-Loire"),
    ("44", "Loire-Atlantique"),
    ("45", "Loiret"),
    ("46", "Lot"),
    ("47", "Lot-et-Garonne"),
    ("48", "Lozère"),
    ("49", "Maine-et-Loire"),
    ("50", "Manche"),
    ("51", "Marne"),
    ("52", "Haute-Marne"),
    ("53", "Mayenne"),
    ("54", "Meurthe-et-Moselle"),
    ("55", "Meuse"),
    ("56", "Morbihan"),
    ("57", "Moselle"),
    ("58", "Nièvre"),
    ("59", "Nord"),
    ("60", "Oise"),
    ("61", "Orne"),
    ("62", "Pas-de-Calais"),
    ("63", "Puy-de-Dôme"),
    ("64", "Pyrénées-Atlantiques"),
    ("65", "Hautes-Pyrénées"),
    ("66", "Pyrénées-Orientales"),
    ("67", "Bas-Rhin"),
    ("68", "Haut-Rhin"),
    ("69", "Rhône"),
    ("70", "Haute-Saône"),
    ("71", "Saône-et-Loire"),
    ("72", "Sarthe"),
    ("73", "Savoie"),
    ("74", "Haute-Savoie"),
    ("75", "Paris"),
    ("76", "Seine-Maritime"),
    ("77", "Seine-et-Marne"),
    ("78", "Yvelines"),
    ("79", "Deux-Sèvres"),
    ("80", "Somme"),
    ("81", "Tarn"),
    ("82", "Tarn-et-Garonne"),
    ("83", "Var"),
    ("84", "Vaucluse"),
    ("85", "Vendée"),
    ("86", "Vienne"),
    ("87", "Haute-Vienne"),
    ("88", "Vosges"),
    ("89", "Yonne"),
    ("90", "Territoire de Belfort"),
    ("91", "Essonne"),
    ("92", "Hauts-de-Seine"),
    ("93", "Seine-Saint-Denis"),
    ("94", "Val-de-Marne"),
    ("95", "Val-d'Oise"),
    ("971", "Guadeloupe"),
    ("972", "Martinique"),
    ("973", "Guyane"),
    ("974", "La Réunion"),
    ("976", "Mayotte"),
    // Overseas collectivités: not départements, but they have codes of the same form.
    ("975", "Saint-Pierre-et-Miquelon"),
    ("977", "Saint-Barthélemy"),
    ("978", "Saint-Martin"),
    ("986", "Wallis-et-Futuna"),
    ("987", "Polynésie française"),
    ("988", "Nouvelle-Calédonie"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn departement_codes_from_postcodes_and_insee_codes() {
        for (postcode, insee, expected) in [
            ("92260", None, Some("92")),
            ("75001", None, Some("75")),
            ("20000", None, Some("2A")),
            ("20167", None, Some("2A")),
            ("20200", None, Some("2B")),
            ("20600", None, Some("2B")),
            ("97430", None, Some("974")),
            ("97133", None, Some("977")),
            ("97150", None, Some("978")),
            ("97500", None, Some("975")),
            ("98800", None, Some("988")),
            (" 01400 ", None, Some("01")),
            ("", Some("97422"), Some("974")),
            ("", Some("2A004"), Some("2A")),
            ("", Some("2b033"), Some("2B")),
            ("", Some("97801"), Some("978")),
            // The INSEE code wins over a postcode of the neighbouring département.
            ("42620", Some("03250"), Some("03")),
            // A malformed or unknown INSEE code falls back to the postcode.
            ("92260", Some("9201"), Some("92")),
            ("92260", Some("99134"), Some("92")),
            ("98000", None, None), // Monaco
            ("20300", None, None),
            ("00100", None, None),
            ("9226", None, None),
            ("92A60", None, None),
        ] {
            assert_eq!(
                departement_code(postcode, insee).as_deref(),
                expected,
                "{postcode:?} {insee:?}"
            );
        }
    }

    /// Every commune of the 2022 gazetteer (`tests/data/communes/`): its INSEE code gives its
    /// département, and so does its postcode except for the few communes served by a
    /// neighbouring département's post office.
    #[test]
    fn the_communes_gazetteer_agrees() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/communes/france_cities_2022.csv"
        );
        let mut reader = csv::Reader::from_path(path).unwrap();
        let headers = reader.headers().unwrap().clone();
        let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
        let (insee, dep, zip) = (
            column("REF_INSEE"),
            column("DEPARTMENT"),
            column("ZIP_CODES"),
        );
        let (mut communes, mut elsewhere) = (0, 0);
        for row in reader.records() {
            let row = row.unwrap();
            let code = Some(row[dep].to_string());
            assert!(departement_name(&row[dep]).is_some(), "{}", &row[dep]);
            assert_eq!(
                departement_code("", Some(&row[insee])),
                code,
                "{}",
                &row[insee]
            );
            assert_eq!(departement_code(&row[zip], Some(&row[insee])), code);
            communes += 1;
            if departement_code(&row[zip], None) != code {
                elsewhere += 1;
            }
        }
        assert_eq!(communes, 35_000);
        // 23 in the 2022 file (e.g. Saint-Pierre-Laval, 03, postcode 42620).
        assert_eq!(elsewhere, 23);
    }

    #[test]
    fn names_of_departements() {
        assert_eq!(departement_name("92"), Some("Hauts-de-Seine"));
        assert_eq!(departement_name("974"), Some("La Réunion"));
        assert_eq!(departement_name("2A"), Some("Corse-du-Sud"));
        assert_eq!(departement_name("988"), Some("Nouvelle-Calédonie"));
        assert_eq!(departement_name("20"), None);
        // Exactly the 101 départements (no "20" since Corsica split in 1976) and six collectivités.
        let mut expected: Vec<String> = (1..=95)
            .filter(|n| *n != 20)
            .map(|n| format!("{n:02}"))
            .collect();
        expected.extend(["2A", "2B", "971", "972", "973", "974", "976"].map(String::from));
        assert_eq!(expected.len(), 101);
        expected.extend(["975", "977", "978", "986", "987", "988"].map(String::from));
        let mut codes: Vec<String> = DEPARTEMENTS
            .iter()
            .map(|(code, _)| code.to_string())
            .collect();
        expected.sort();
        codes.sort();
        assert_eq!(codes, expected);
    }

    #[test]
    fn time_zones() {
        assert_eq!(timezone_for_departement("974"), Tz::Indian__Reunion);
        assert_eq!(timezone_for_departement("92"), Tz::Europe__Paris);
        assert_eq!(timezone_for_departement("973"), Tz::America__Cayenne);
        assert_eq!(timezone_for_departement("2B"), Tz::Europe__Paris);
        // Each of the eleven overseas codes gets a zone of its own, not the Paris default.
        let overseas = DEPARTEMENTS.iter().filter(|(code, _)| code.len() == 3);
        let zones: std::collections::BTreeSet<_> = overseas
            .map(|(code, _)| timezone_for_departement(code).name())
            .collect();
        assert_eq!(zones.len(), 11);
        assert!(!zones.contains("Europe/Paris"));
        assert_eq!(timezone_for_departement("978").name(), "America/Marigot");
    }
}
