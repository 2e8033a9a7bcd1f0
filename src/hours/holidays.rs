//! French public holidays (jours fériés), computed from rules rather than typed-in dates.
//!
//! Every zone gets the national days plus its own. The rules were derived from the Etalab
//! reference tables (`tests/data/jours-feries/`, 2006–2031) and the tests check them against
//! those tables for every zone and year, so names are spelled exactly as the tables spell them.

use chrono::{Datelike, NaiveDate, TimeDelta};

/// A French holiday calendar: the national days plus the zone's own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub enum HolidayZone {
    Metropole,
    AlsaceMoselle,
    Guadeloupe,
    Guyane,
    LaReunion,
    Martinique,
    Mayotte,
    NouvelleCaledonie,
    PolynesieFrancaise,
    SaintBarthelemy,
    SaintMartin,
    SaintPierreEtMiquelon,
    WallisEtFutuna,
}

impl HolidayZone {
    /// Every zone, in declaration order.
    pub const ALL: [HolidayZone; 13] = [
        HolidayZone::Metropole,
        HolidayZone::AlsaceMoselle,
        HolidayZone::Guadeloupe,
        HolidayZone::Guyane,
        HolidayZone::LaReunion,
        HolidayZone::Martinique,
        HolidayZone::Mayotte,
        HolidayZone::NouvelleCaledonie,
        HolidayZone::PolynesieFrancaise,
        HolidayZone::SaintBarthelemy,
        HolidayZone::SaintMartin,
        HolidayZone::SaintPierreEtMiquelon,
        HolidayZone::WallisEtFutuna,
    ];

    /// From a département / collectivité code: "57", "67", "68" → AlsaceMoselle; "971" Guadeloupe;
    /// "972" Martinique; "973" Guyane; "974" LaReunion; "976" Mayotte; "975" Saint-Pierre-et-Miquelon;
    /// "977" Saint-Barthélemy; "978" Saint-Martin; "986" Wallis-et-Futuna; "987" Polynésie française;
    /// "988" Nouvelle-Calédonie; anything else Metropole.
    pub fn for_departement(code: &str) -> HolidayZone {
        match code {
            "57" | "67" | "68" => HolidayZone::AlsaceMoselle,
            "971" => HolidayZone::Guadeloupe,
            "972" => HolidayZone::Martinique,
            "973" => HolidayZone::Guyane,
            "974" => HolidayZone::LaReunion,
            "975" => HolidayZone::SaintPierreEtMiquelon,
            "976" => HolidayZone::Mayotte,
            "977" => HolidayZone::SaintBarthelemy,
            "978" => HolidayZone::SaintMartin,
            "986" => HolidayZone::WallisEtFutuna,
            "987" => HolidayZone::PolynesieFrancaise,
            "988" => HolidayZone::NouvelleCaledonie,
            _ => HolidayZone::Metropole,
        }
    }

    /// Stable slug ("metropole", "alsace-moselle", "la-reunion", ...), the suffix of the
    /// reference file names `jours_feries_<id>.csv`.
    pub fn id(self) -> &'static str {
        self.labels().0
    }

    /// The zone whose [`id`](Self::id) is `id`, if any (for configuration files).
    pub fn from_id(id: &str) -> Option<HolidayZone> {
        Self::ALL.into_iter().find(|zone| zone.id() == id)
    }

    /// The zone's name as the reference tables write it in their `zone` column
    /// (their spelling, e.g. "Polynésie Française", "Saint-Barthélémy").
    pub fn name(self) -> &'static str {
        self.labels().1
    }

    /// (id, name), kept side by side so that a new zone cannot get one without the other.
    fn labels(self) -> (&'static str, &'static str) {
        use HolidayZone::*;
        match self {
            Metropole => ("metropole", "Métropole"),
            AlsaceMoselle => ("alsace-moselle", "Alsace-Moselle"),
            Guadeloupe => ("guadeloupe", "Guadeloupe"),
            Guyane => ("guyane", "Guyane"),
            LaReunion => ("la-reunion", "La Réunion"),
            Martinique => ("martinique", "Martinique"),
            Mayotte => ("mayotte", "Mayotte"),
            NouvelleCaledonie => ("nouvelle-caledonie", "Nouvelle-Calédonie"),
            PolynesieFrancaise => ("polynesie-francaise", "Polynésie Française"),
            SaintBarthelemy => ("saint-barthelemy", "Saint-Barthélémy"),
            SaintMartin => ("saint-martin", "Saint-Martin"),
            SaintPierreEtMiquelon => ("saint-pierre-et-miquelon", "Saint-Pierre-et-Miquelon"),
            WallisEtFutuna => ("wallis-et-futuna", "Wallis-et-Futuna"),
        }
    }

    /// The days this zone adds to the national ones.
    fn local_rules(self) -> &'static [Rule] {
        match self {
            HolidayZone::AlsaceMoselle => ALSACE_MOSELLE,
            HolidayZone::Guadeloupe => GUADELOUPE,
            HolidayZone::Guyane => GUYANE,
            HolidayZone::LaReunion => LA_REUNION,
            HolidayZone::Martinique => MARTINIQUE,
            HolidayZone::Mayotte => MAYOTTE,
            HolidayZone::SaintBarthelemy => SAINT_BARTHELEMY,
            HolidayZone::SaintMartin => SAINT_MARTIN,
            // The reference tables list only the national days for these zones, and so do we:
            // their local days (24 September in Nouvelle-Calédonie, 5 March and 29 June in
            // Polynésie française, 29 July in Wallis-et-Futuna) are set by local texts and would
            // need a reference of their own.
            HolidayZone::Metropole
            | HolidayZone::NouvelleCaledonie
            | HolidayZone::PolynesieFrancaise
            | HolidayZone::SaintPierreEtMiquelon
            | HolidayZone::WallisEtFutuna => &[],
        }
    }
}

/// One public holiday.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Holiday {
    pub date: NaiveDate,
    /// French name, spelled as in the reference tables ("Lundi de Pâques", "8 mai", ...).
    pub name: &'static str,
}

/// When a rule falls in a given year.
#[derive(Clone, Copy)]
enum When {
    /// Same month and day every year.
    Fixed { month: u32, day: u32 },
    /// A number of days after Easter Sunday (negative: before).
    Easter(i64),
}

/// A holiday rule, in force in the years `first..=last`.
struct Rule {
    name: &'static str,
    when: When,
    first: i32,
    last: i32,
}

impl Rule {
    const fn new(name: &'static str, when: When) -> Rule {
        Rule {
            name,
            when,
            first: i32::MIN,
            last: i32::MAX,
        }
    }

    const fn fixed(name: &'static str, month: u32, day: u32) -> Rule {
        Rule::new(name, When::Fixed { month, day })
    }

    const fn easter(name: &'static str, offset: i64) -> Rule {
        Rule::new(name, When::Easter(offset))
    }

    const fn since(self, first: i32) -> Rule {
        Rule { first, ..self }
    }

    const fn until(self, last: i32) -> Rule {
        Rule { last, ..self }
    }

    /// The holiday this rule gives in `year`, if in force and the date is representable.
    fn in_year(&self, year: i32) -> Option<Holiday> {
        if !(self.first..=self.last).contains(&year) {
            return None;
        }
        let date = match self.when {
            When::Fixed { month, day } => NaiveDate::from_ymd_opt(year, month, day),
            When::Easter(offset) => easter(year)?.checked_add_signed(TimeDelta::days(offset)),
        }?;
        Some(Holiday {
            date,
            name: self.name,
        })
    }
}

// Years before 2006 are outside the reference tables, so nothing checks them. We keep only the
// post-war start years that the tables' generator (etalab jours-feries-france) uses: 8 May in
// 1953–1959 and again from 1982, the abolition-of-slavery days from 1983 (La Réunion 1981).
// Older years simply get today's national list.
const NATIONAL: &[Rule] = &[
    Rule::fixed("1er janvier", 1, 1),
    Rule::easter("Lundi de Pâques", 1),
    Rule::fixed("1er mai", 5, 1),
    Rule::fixed("8 mai", 5, 8).since(1953).until(1959),
    Rule::fixed("8 mai", 5, 8).since(1982),
    Rule::easter("Ascension", 39),
    Rule::easter("Lundi de Pentecôte", 50),
    Rule::fixed("14 juillet", 7, 14),
    Rule::fixed("Assomption", 8, 15),
    Rule::fixed("Toussaint", 11, 1),
    Rule::fixed("11 novembre", 11, 11),
    Rule::fixed("Jour de Noël", 12, 25),
];

const ABOLITION: &str = "Abolition de l'esclavage";

// Local law kept from the German period: Good Friday and St Stephen's Day.
const ALSACE_MOSELLE: &[Rule] = &[
    Rule::easter("Vendredi saint", -2),
    Rule::fixed("2ème jour de Noël", 12, 26),
];
const GUADELOUPE: &[Rule] = &[Rule::fixed(ABOLITION, 5, 27).since(1983)];
const MARTINIQUE: &[Rule] = &[Rule::fixed(ABOLITION, 5, 22).since(1983)];
const GUYANE: &[Rule] = &[Rule::fixed(ABOLITION, 6, 10).since(1983)];
const LA_REUNION: &[Rule] = &[Rule::fixed(ABOLITION, 12, 20).since(1981)];
const MAYOTTE: &[Rule] = &[Rule::fixed(ABOLITION, 4, 27).since(1983)];
const SAINT_BARTHELEMY: &[Rule] = &[Rule::fixed(ABOLITION, 10, 9).since(1983)];
// Saint-Martin kept Guadeloupe's date until it chose its own, 28 May, from 2018 (per the tables).
const SAINT_MARTIN: &[Rule] = &[
    Rule::fixed(ABOLITION, 5, 27).since(1983).until(2017),
    Rule::fixed(ABOLITION, 5, 28).since(2018),
];

/// Easter Sunday of `year` in the Gregorian calendar (anonymous Gregorian computus,
/// Meeus/Jones/Butcher). Meaningful from 1583; `None` only outside chrono's date range.
pub fn easter(year: i32) -> Option<NaiveDate> {
    // Euclidean division keeps every step in range for proleptic (negative) years too.
    let a = year.rem_euclid(19); // position in the 19-year Metonic cycle
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30); // epact: days from 21 March to the full moon
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7); // days from the full moon to Sunday
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let n = h + l - 7 * m + 114;
    NaiveDate::from_ymd_opt(year, (n / 31) as u32, (n % 31 + 1) as u32)
}

/// Every holiday of `zone` in `year`: the national days, then the zone's, each in rule order.
fn occurrences(zone: HolidayZone, year: i32) -> impl Iterator<Item = Holiday> {
    NATIONAL
        .iter()
        .chain(zone.local_rules())
        .filter_map(move |rule| rule.in_year(year))
}

/// All public holidays of `year` in `zone`, sorted by date. Computed from rules (Easter via the
/// Gregorian computus), so any year works. A date carrying two holidays appears twice, in a
/// fixed order: national days before the zone's, each in rule order (1er mai, then Ascension,
/// on 1 May 2008).
pub fn holidays(zone: HolidayZone, year: i32) -> Vec<Holiday> {
    let mut all: Vec<_> = occurrences(zone, year).collect();
    // Stable, so same-date holidays keep the rule order: deterministic output.
    all.sort_by_key(|holiday| holiday.date);
    all
}

/// Convenience: is `date` a public holiday in `zone`? Its name if so (on a date with two
/// holidays, the first one [`holidays`] lists).
pub fn holiday_on(zone: HolidayZone, date: NaiveDate) -> Option<&'static str> {
    // The iteration order is the tie order of `holidays`, so the first match is its first entry.
    occurrences(zone, date.year())
        .find(|holiday| holiday.date == date)
        .map(|holiday| holiday.name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// The Etalab reference tables, copied into tests/data/.
    const TABLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/jours-feries/");
    const TABLE_YEARS: std::ops::RangeInclusive<i32> = 2006..=2031;

    #[derive(serde::Deserialize)]
    struct ZoneRow {
        date: NaiveDate,
        annee: i32,
        zone: String,
        nom_jour_ferie: String,
    }

    fn read_table(file: &str) -> Vec<ZoneRow> {
        let path = format!("{TABLES}{file}");
        let mut reader = csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        reader
            .deserialize()
            .map(|row| row.unwrap_or_else(|e| panic!("{path}: {e}")))
            .collect()
    }

    fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    #[test]
    fn every_zone_and_year_matches_its_reference_table() {
        for zone in HolidayZone::ALL {
            let file = format!("jours_feries_{}.csv", zone.id());
            let mut by_year: BTreeMap<i32, Vec<(NaiveDate, String)>> = BTreeMap::new();
            for row in read_table(&file) {
                assert_eq!(row.zone, zone.name(), "{file}");
                assert_eq!(row.date.year(), row.annee, "{file}");
                by_year
                    .entry(row.annee)
                    .or_default()
                    .push((row.date, row.nom_jour_ferie));
            }
            // A truncated table must fail here rather than make the comparison vacuous.
            assert!(by_year.keys().copied().eq(TABLE_YEARS), "{file}: years");
            for (year, mut expected) in by_year {
                let days = holidays(zone, year);
                assert!(days.is_sorted_by_key(|h| h.date), "{file}, {year}");
                let mut computed: Vec<_> = days
                    .into_iter()
                    .map(|h| (h.date, h.name.to_string()))
                    .collect();
                // The tables order two holidays of one date arbitrarily (pandas' unstable sort:
                // 2008-05-01 is "Ascension, 1er mai" for metropole but "1er mai, Ascension" for
                // guadeloupe), so compare the names of a shared date as a set, all else exactly.
                computed.sort();
                expected.sort();
                assert_eq!(computed, expected, "{file}, {year}");
            }
        }
    }

    #[test]
    fn easter_of_known_years() {
        for (year, month, day) in [
            (1583, 4, 10),
            (1818, 3, 22),
            (1943, 4, 25),
            (2000, 4, 23),
            (2008, 3, 23),
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2038, 4, 25),
            (2040, 4, 1),
            (2285, 3, 22),
        ] {
            assert_eq!(easter(year), Some(ymd(year, month, day)), "{year}");
        }
    }

    #[test]
    fn easter_is_a_sunday_between_22_march_and_25_april() {
        for year in -5000..=10_000 {
            let sunday = easter(year).unwrap();
            assert_eq!(sunday.weekday(), chrono::Weekday::Sun, "{year}");
            assert!(
                (ymd(year, 3, 22)..=ymd(year, 4, 25)).contains(&sunday),
                "{year}"
            );
        }
        assert_eq!(easter(i32::MAX), None);
    }

    #[test]
    fn years_outside_the_tables_are_computed() {
        let days = holidays(HolidayZone::Metropole, 2040);
        assert_eq!(days.len(), 11);
        for (date, name) in [
            (ymd(2040, 4, 2), "Lundi de Pâques"),
            (ymd(2040, 5, 10), "Ascension"),
            (ymd(2040, 5, 21), "Lundi de Pentecôte"),
        ] {
            assert!(days.contains(&Holiday { date, name }), "{name}");
        }
    }

    #[test]
    fn holiday_on_names_the_day() {
        use HolidayZone::*;
        let on = |zone, year, month, day| holiday_on(zone, ymd(year, month, day));
        assert_eq!(on(Metropole, 2024, 4, 1), Some("Lundi de Pâques"));
        assert_eq!(on(Metropole, 2024, 4, 2), None);
        // Two holidays on one date: the first one listed, the national fixed day.
        assert_eq!(on(Metropole, 2008, 5, 1), Some("1er mai"));
        assert_eq!(on(Guyane, 2019, 6, 10), Some("Lundi de Pentecôte"));
        assert_eq!(on(AlsaceMoselle, 2024, 12, 26), Some("2ème jour de Noël"));
        assert_eq!(on(Metropole, 2024, 12, 26), None);
        assert_eq!(on(AlsaceMoselle, 2025, 4, 18), Some("Vendredi saint"));
        assert_eq!(on(SaintMartin, 2017, 5, 27), Some(ABOLITION));
        assert_eq!(on(SaintMartin, 2017, 5, 28), None);
        assert_eq!(on(SaintMartin, 2018, 5, 28), Some(ABOLITION));
        assert_eq!(on(SaintMartin, 2018, 5, 27), None);
        assert_eq!(on(LaReunion, 2030, 12, 20), Some(ABOLITION));
    }

    #[test]
    fn zones_from_departement_codes_and_ids() {
        use crate::model::departements::departement_name;
        for code in ["57", "67", "68"] {
            assert_eq!(
                HolidayZone::for_departement(code),
                HolidayZone::AlsaceMoselle
            );
        }
        for code in ["75", "2A", "54", "", "999"] {
            assert_eq!(HolidayZone::for_departement(code), HolidayZone::Metropole);
        }
        // Each overseas code gets the zone named like its territory (checked through the slug,
        // which irons out the tables' spelling "Saint-Barthélémy", "Polynésie Française").
        let slug = |name: &str| {
            name.to_lowercase()
                .replace(['é', 'è'], "e")
                .replace('ç', "c")
                .replace(' ', "-")
        };
        for code in [
            "971", "972", "973", "974", "975", "976", "977", "978", "986", "987", "988",
        ] {
            let zone = HolidayZone::for_departement(code);
            assert_eq!(slug(departement_name(code).unwrap()), zone.id(), "{code}");
        }
        for zone in HolidayZone::ALL {
            assert_eq!(HolidayZone::from_id(zone.id()), Some(zone));
            assert_eq!(slug(zone.name()), zone.id());
        }
        assert_eq!(HolidayZone::from_id("corse"), None);
    }
}
