//! A synthetic directory of any size, for benchmarks: `generate(root, n, seed)`.
//!
//! The output is a complete directory `guichet build` accepts: guichet.toml,
//! the real labels, services, charters, pages and default theme (copied from
//! the source tree guichet was compiled from), `n` sites spread over every
//! département including overseas, and notices for one site in ten. Sites look
//! like real ones: one or two intervals a day, some `Sa[n]` monthly Saturdays,
//! 5 to 12 services, Markdown descriptions, `[private]` notes. The same `n`
//! and `seed` always give the same bytes.

use crate::text::slugify;
use std::fmt::Write as _;
use std::path::Path;

/// The date notices are spread around (the sample's build clock).
pub const SYNTH_TODAY: (i32, u32, u32) = (2026, 11, 23);

/// Département, rough centre (lat, lon) and spread in degrees.
const DEPARTEMENTS: &str = "\
01 46.10 5.35 .35|02 49.56 3.56 .35|03 46.39 3.19 .35|04 44.09 6.24 .35|05 44.66 6.26 .3|\
06 43.94 7.12 .25|07 44.75 4.42 .3|08 49.62 4.64 .3|09 42.92 1.50 .3|10 48.30 4.16 .3|\
11 43.10 2.41 .3|12 44.28 2.68 .4|13 43.54 5.09 .3|14 49.10 -0.36 .3|15 45.05 2.67 .3|\
16 45.72 0.20 .3|17 45.78 -0.67 .35|18 47.06 2.49 .35|19 45.36 1.88 .3|2A 41.86 8.98 .2|\
2B 42.39 9.21 .25|21 47.42 4.77 .4|22 48.44 -2.86 .3|23 46.09 2.02 .3|24 45.10 0.74 .4|\
25 47.16 6.36 .3|26 44.68 5.17 .35|27 49.11 1.03 .3|28 48.39 1.37 .3|29 48.26 -4.06 .3|\
30 43.99 4.18 .3|31 43.36 1.17 .4|32 43.69 0.45 .3|33 44.83 -0.58 .45|34 43.58 3.37 .3|\
35 48.15 -1.64 .3|36 46.78 1.58 .3|37 47.26 0.69 .3|38 45.26 5.58 .35|39 46.73 5.70 .3|\
40 43.96 -0.78 .35|41 47.62 1.43 .3|42 45.73 4.17 .3|43 45.13 3.81 .3|44 47.36 -1.68 .3|\
45 47.91 2.34 .3|46 44.62 1.60 .3|47 44.37 0.46 .3|48 44.52 3.50 .25|49 47.39 -0.56 .3|\
50 49.08 -1.33 .35|51 48.95 4.24 .35|52 48.11 5.23 .3|53 48.15 -0.65 .25|54 48.79 6.16 .3|\
55 48.99 5.38 .3|56 47.85 -2.81 .3|57 49.04 6.66 .3|58 47.12 3.50 .3|59 50.45 3.22 .3|\
60 49.41 2.43 .3|61 48.62 0.13 .3|62 50.49 2.29 .3|63 45.73 3.14 .35|64 43.26 -0.76 .35|\
65 43.05 0.16 .25|66 42.60 2.52 .25|67 48.67 7.55 .3|68 47.86 7.27 .25|69 45.87 4.64 .2|\
70 47.64 6.09 .3|71 46.64 4.54 .4|72 47.99 0.22 .3|73 45.48 6.44 .3|74 46.03 6.43 .25|\
75 48.86 2.35 .04|76 49.66 1.03 .3|77 48.63 2.93 .3|78 48.81 1.84 .2|79 46.56 -0.32 .3|\
80 49.96 2.28 .3|81 43.79 2.17 .3|82 44.08 1.28 .25|83 43.46 6.22 .3|84 43.99 5.18 .2|\
85 46.67 -1.30 .3|86 46.56 0.46 .35|87 45.89 1.24 .3|88 48.20 6.38 .3|89 47.84 3.56 .35|\
90 47.63 6.93 .08|91 48.52 2.24 .12|92 48.85 2.24 .05|93 48.91 2.48 .05|94 48.78 2.47 .05|\
95 49.08 2.13 .12|971 16.20 -61.55 .1|972 14.65 -61.02 .08|973 4.60 -52.60 .3|\
974 -21.13 55.53 .12|976 -12.82 45.15 .05";

const ROOTS: &str = "Beaulieu|Montbrun|Villeneuve|Saint-Martin|Saint-Denis|Sainte-Marie|Fontaine|Bellevue|Châteauneuf|Roche|Champagnac|Marcilly|Aubigny|Lussac|Montreuil|Neuville|Pontcharra|Saint-Étienne|Vernouillet|Brienne|Mauléon|La Chapelle|Le Mesnil|Les Essarts|L'Isle";
const SUFFIXES: &str = "||-sur-Loire|-les-Bains|-en-Vallée|-le-Château|-la-Forêt|-sur-Mer|-d'Azergues|-en-Bresse|-sur-Seine";
const STREETS: &str = "rue de la Mairie|place de la République|avenue Jean-Jaurès|rue Victor-Hugo|rue du Général-de-Gaulle|place du Marché|rue des Écoles|boulevard Pasteur|rue Simone-Veil|allée des Tilleuls";
const LABELS: &[(&str, &str, u32)] = &[
    ("france-services", "France services", 45),
    ("point-relais-caf", "Point Relais Caf", 30),
    ("point-numerique-caf", "Point numérique Caf", 20),
    ("espace-numerique-caf", "Espace numérique", 5),
];
const BOUQUET: &str = "caf|cpam|carsat|msa|france-travail|dgfip|la-poste|ants|justice";
const CAF: &str = "caf-info-generale|caf-info-personnalisee|caf-orientation|caf-retrait-documents|caf-depot-documents|caf-transmission-documents|caf-relais-messages|acces-caf-fr";
const DIGITAL: &str = "acces-internet|impression-numerisation|accompagnement-numerique|acces-caf-fr|caf-info-generale|caf-orientation|caf|cpam";
const MORNINGS: &[&str] = &["08:30-12:00", "09:00-12:00", "09:00-12:30", "08:45-12:15"];
const AFTERNOONS: &[&str] = &["13:30-17:00", "14:00-17:30", "13:30-18:00", "14:00-16:30"];
const DAYS: [&str; 6] = ["Mo", "Tu", "We", "Th", "Fr", "Sa"];

/// The entries of a `|`-separated table.
fn list(table: &'static str) -> Vec<&'static str> {
    table.split('|').collect()
}

/// SplitMix64: tiny, fast, and the same sequence on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, list: &'a [T]) -> &'a T {
        &list[self.below(list.len())]
    }
    /// Uniform in [-1, 1].
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 52) as f64 - 1.0
    }
}

struct Dep {
    code: &'static str,
    lat: f64,
    lon: f64,
    spread: f64,
}

fn departements() -> Vec<Dep> {
    DEPARTEMENTS
        .split('|')
        .map(|row| {
            let f: Vec<&str> = row.split_whitespace().collect();
            let num = |i: usize| f[i].parse::<f64>().expect("valid table");
            Dep {
                code: f[0],
                lat: num(1),
                lon: num(2),
                spread: num(3),
            }
        })
        .collect()
}

/// Writes a directory of `n` synthetic sites into `root` (created if needed).
pub fn generate(root: &Path, n: usize, seed: u64) -> std::io::Result<()> {
    for sub in ["data/sites", "content/notices", "content/pages"] {
        std::fs::create_dir_all(root.join(sub))?;
    }
    std::fs::write(
        root.join("guichet.toml"),
        "title = \"Annuaire des points d'accès aux services publics\"\n\
         description = \"Annuaire synthétique pour mesurer guichet à grande échelle.\"\n\
         base_url = \"http://127.0.0.1:1111/\"\nlanguage = \"fr\"\ntimezone = \"Europe/Paris\"\n",
    )?;
    // Labels, services, charters and theme are the built-in ones.
    for (name, bytes) in crate::reference::sample_pages() {
        std::fs::write(root.join("content/pages").join(name), bytes)?;
    }
    let deps = departements();
    let mut rng = Rng(seed ^ 0x0067_7569_6368_6574);
    let mut slugs = std::collections::BTreeSet::new();
    // Communes per département so most have one to three sites.
    let per_dep = (n / deps.len()).max(1);
    for i in 0..n {
        // The first sites visit every département once; then at random.
        let dep = if i < deps.len() {
            &deps[i]
        } else {
            rng.pick(&deps)
        };
        let overseas = dep.code.len() == 3;
        let communes = (per_dep * 2 / 3).clamp(1, if overseas { 90 } else { 900 });
        let commune = rng.below(communes);
        let site = site_file(&mut rng, dep, commune, seed, &mut slugs);
        std::fs::write(
            root.join(format!("data/sites/{}.toml", site.slug)),
            site.toml,
        )?;
        if rng.chance(10) {
            let (name, text) = notice_file(&mut rng, &site.slug, site.hours_rule);
            std::fs::write(root.join("content/notices").join(name), text)?;
        }
    }
    Ok(())
}

/// Name of commune number `index` of a département: stable for a given seed.
fn commune_name(dep: &str, index: usize, seed: u64) -> String {
    let key = dep
        .bytes()
        .fold(0u64, |h, b| h.rotate_left(8) ^ u64::from(b));
    let mut h = Rng(seed ^ key ^ ((index as u64) << 24));
    format!("{}{}", h.pick(&list(ROOTS)), h.pick(&list(SUFFIXES)))
}

struct SiteText {
    slug: String,
    toml: String,
    hours_rule: bool,
}

fn site_file(
    rng: &mut Rng,
    dep: &Dep,
    commune_index: usize,
    seed: u64,
    slugs: &mut std::collections::BTreeSet<String>,
) -> SiteText {
    let commune = commune_name(dep.code, commune_index, seed);
    let (insee, postcode) = codes(dep.code, commune_index);
    let weights: u32 = LABELS.iter().map(|l| l.2).sum();
    let mut roll = (rng.next() % u64::from(weights)) as u32;
    let &(label, short, _) = LABELS
        .iter()
        .find(|l| {
            let hit = roll < l.2;
            roll = roll.saturating_sub(l.2);
            hit
        })
        .expect("weights cover the roll");
    let base = slugify(&format!("{short} {commune}"));
    let mut slug = base.clone();
    let mut k = 2;
    while !slugs.insert(slug.clone()) {
        slug = format!("{base}-{k}");
        k += 1;
    }
    let digital = list(DIGITAL);
    let (mut services, extras): (Vec<&str>, &[&str]) = match label {
        "france-services" => (list(BOUQUET), &digital[..3]),
        "point-relais-caf" => (list(CAF), &digital[..3]),
        _ => (vec!["acces-caf-fr", "accompagnement-numerique"], &digital),
    };
    let want = if services.len() >= 8 {
        services.len() + rng.below(4)
    } else {
        5 + rng.below(6)
    };
    for &s in extras.iter().cycle().skip(rng.below(extras.len())) {
        if services.len() >= want.min(12) || extras.iter().all(|e| services.contains(e)) {
            break;
        }
        if !services.contains(&s) {
            services.push(s);
        }
    }
    let (hours, hours_rule) = hours(rng, label == "france-services");
    let mut t = String::new();
    let _ = writeln!(
        t,
        "# Synthetic site {slug} (generated, not a real access point)."
    );
    let of = of(&commune);
    let _ = writeln!(t, "name = \"{short} {of}\"");
    let _ = writeln!(t, "label = \"{label}\"");
    let _ = writeln!(t, "structure = \"Mairie {of}\"");
    let quoted: Vec<String> = services.iter().map(|s| format!("\"{s}\"")).collect();
    let _ = writeln!(t, "services = [{}]", quoted.join(", "));
    let _ = writeln!(t, "hours = \"{hours}\"");
    let appointment = ["none", "recommended", "required"][rng.below(3)];
    let _ = writeln!(t, "appointment = \"{appointment}\"");
    if label != "france-services" {
        let _ = writeln!(
            t,
            "equipment = {{ computers = {}, printer = {}, scanner = true }}",
            1 + rng.below(6),
            rng.chance(80)
        );
    }
    let _ = writeln!(t, "wheelchair = {}", rng.chance(75));
    if rng.chance(60) {
        let _ = writeln!(
            t,
            "description = \"Installé au cœur {of}, ce lieu vous accueille pour vos \
             démarches en ligne et vos questions. **Pensez à apporter** vos identifiants et \
             vos justificatifs.\""
        );
    }
    let _ = writeln!(t, "\n[address]");
    let _ = writeln!(
        t,
        "street = \"{} {}\"",
        1 + rng.below(120),
        rng.pick(&list(STREETS))
    );
    let _ = writeln!(t, "postcode = \"{postcode}\"\ncommune = \"{commune}\"");
    let _ = writeln!(t, "insee = \"{insee}\"");
    let lat = dep.lat + rng.unit() * dep.spread;
    let lon = dep.lon + rng.unit() * dep.spread * 1.4;
    let _ = writeln!(t, "\n[location]\nlat = {lat:.6}\nlon = {lon:.6}");
    let mail = slugify(&commune);
    let _ = writeln!(t, "\n[contact]\nemail = \"accueil@{mail}.fr\"");
    let _ = writeln!(
        t,
        "phone = \"{} {:02} {:02} {:02}\"",
        phone_prefix(dep.code),
        rng.below(100),
        rng.below(100),
        rng.below(100)
    );
    let partner = match label {
        "france-services" => "Préfecture",
        _ => "Caf",
    };
    let _ = writeln!(t, "\n[convention]\npartner = \"{partner} ({})\"", dep.code);
    let _ = writeln!(
        t,
        "signed = 20{:02}-0{}-1{}",
        19 + rng.below(6),
        1 + rng.below(9),
        rng.below(10)
    );
    if rng.chance(70) {
        let _ = writeln!(t, "renewal = \"tacit\"");
    } else {
        let _ = writeln!(t, "expires = 2027-12-31");
    }
    if rng.chance(30) {
        let _ = writeln!(
            t,
            "\n[private]\nnotes = \"Ligne directe des partenaires : 09 {:02} {:02} {:02} {:02}, ne pas communiquer au public.\"",
            rng.below(100),
            rng.below(100),
            rng.below(100),
            rng.below(100)
        );
    }
    SiteText {
        slug,
        toml: t,
        hours_rule,
    }
}

/// "de Rouen", "d'Aubigny", "du Mesnil", "des Essarts".
fn of(commune: &str) -> String {
    if let Some(rest) = commune.strip_prefix("Le ") {
        format!("du {rest}")
    } else if let Some(rest) = commune.strip_prefix("Les ") {
        format!("des {rest}")
    } else if commune.starts_with(['A', 'E', 'É', 'I', 'O', 'U']) || commune.starts_with("L'") {
        format!("d'{commune}")
    } else {
        format!("de {commune}")
    }
}

/// (INSEE code, postcode) of commune number `index` of a département.
fn codes(dep: &str, index: usize) -> (String, String) {
    match dep {
        "2A" => (
            format!("2A{:03}", index + 1),
            format!("20{:03}", index % 200),
        ),
        "2B" => (
            format!("2B{:03}", index + 1),
            format!("20{:03}", 200 + index % 100),
        ),
        d if d.len() == 3 => (
            format!("{d}{:02}", index + 1),
            format!("{d}{:02}", 10 + index % 90),
        ),
        d => (
            format!("{d}{:03}", index + 1),
            format!("{d}{:03}", (index * 10) % 1000),
        ),
    }
}

fn phone_prefix(dep: &str) -> &'static str {
    match dep {
        "971" => "05 90",
        "972" => "05 96",
        "973" => "05 94",
        "974" => "02 62",
        "976" => "02 69",
        "75" | "77" | "78" | "91" | "92" | "93" | "94" | "95" => "01 45",
        d if "14 22 27 29 35 44 49 50 53 56 61 72 76 85".contains(d) => "02 31",
        d if "02 08 10 21 25 51 52 54 57 59 62 67 68 80 88".contains(d) => "03 20",
        d if "06 13 2A 2B 30 34 38 69 73 74 83 84".contains(d) => "04 78",
        _ => "05 56",
    }
}

/// An `opening_hours` value: working days with one or two intervals, days
/// with equal hours grouped, sometimes a monthly Saturday, usually `PH off`.
fn hours(rng: &mut Rng, france_services: bool) -> (String, bool) {
    let open_days = if france_services { 5 } else { 2 + rng.below(4) };
    let mut days: Vec<usize> = (0..5).collect();
    while days.len() > open_days {
        days.remove(rng.below(days.len()));
    }
    let morning = *rng.pick(MORNINGS);
    let afternoon = *rng.pick(AFTERNOONS);
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for d in days {
        let spec = match rng.below(4) {
            0 => morning.to_string(),
            1 if !france_services => afternoon.to_string(),
            _ => format!("{morning},{afternoon}"),
        };
        match groups.iter_mut().find(|(s, _)| *s == spec) {
            Some((_, list)) => list.push(d),
            None => groups.push((spec, vec![d])),
        }
    }
    let mut rules: Vec<String> = groups
        .iter()
        .map(|(spec, list)| {
            let names: Vec<&str> = list.iter().map(|&d| DAYS[d]).collect();
            format!("{} {spec}", names.join(","))
        })
        .collect();
    let monthly = rng.chance(15);
    if monthly {
        rules.push(format!("Sa[{}] {morning}", 1 + rng.below(4)));
    }
    if rng.chance(90) {
        rules.push("PH off".into());
    }
    (rules.join("; "), monthly)
}

fn notice_file(rng: &mut Rng, slug: &str, monthly: bool) -> (String, String) {
    let (y, m, d) = SYNTH_TODAY;
    let today = chrono::NaiveDate::from_ymd_opt(y, m, d).expect("valid date");
    let from = today + chrono::Days::new(rng.below(150) as u64) - chrono::Days::new(50);
    let to = from + chrono::Days::new(rng.below(15) as u64);
    let published = from - chrono::Days::new(3 + rng.below(30) as u64);
    let roll = rng.below(100);
    let (kind, title, body) = if roll < 60 {
        (
            "closure",
            "Fermeture exceptionnelle",
            "Le lieu sera **fermé** pendant cette période. Pour une démarche urgente, \
             pensez aux services en ligne de vos organismes (caf.fr, ameli.fr, impots.gouv.fr).",
        )
    } else if roll < 75 {
        (
            "hours",
            "Horaires modifiés",
            "Pendant cette période, l'accueil se fait **le matin uniquement** :\n\n\
             - du lundi au vendredi de 9 h à 12 h ;\n- sur rendez-vous l'après-midi.",
        )
    } else {
        (
            "info",
            "Ateliers numériques",
            "Des **ateliers gratuits** « Mon compte Caf » sont proposés pendant les heures \
             d'ouverture. Inscription à l'accueil.",
        )
    };
    let mut t = String::from("+++\n");
    let _ = writeln!(t, "site = \"{slug}\"\nkind = \"{kind}\"");
    let _ = writeln!(t, "from = {from}\nto = {to}\npublished = {published}");
    let _ = writeln!(t, "title = \"{title}\"");
    if kind == "hours" {
        let _ = writeln!(t, "hours = \"Mo-Fr 09:00-12:00; PH off\"");
    }
    t.push_str("+++\n");
    t.push_str(body);
    if monthly {
        t.push_str("\n\nLa permanence mensuelle du samedi est maintenue.");
    }
    t.push('\n');
    (format!("{from}-{slug}.md"), t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_is_deterministic_complete_and_accepted() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        generate(a.path(), 150, 7).unwrap();
        generate(b.path(), 150, 7).unwrap();
        let sites = |d: &Path| {
            let mut v: Vec<_> = std::fs::read_dir(d.join("data/sites"))
                .unwrap()
                .flatten()
                .map(|e| (e.file_name(), std::fs::read(e.path()).unwrap()))
                .collect();
            v.sort();
            v
        };
        assert_eq!(sites(a.path()), sites(b.path()), "same seed, same files");
        let (dir, diags) = crate::load::load(a.path());
        let mut all = diags;
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-23T10:00:00+01:00").unwrap();
        all.extend(crate::check_loaded(&dir, now.into()));
        assert!(!all.has_input_errors(), "{}", all.to_text());
        assert_eq!(dir.sites.len(), 150);
        let deps: std::collections::BTreeSet<&str> =
            dir.sites.iter().map(|s| s.departement.as_str()).collect();
        assert_eq!(
            deps.len(),
            departements().len(),
            "every département, overseas included"
        );
        assert!(
            dir.sites
                .iter()
                .all(|s| (5..=12).contains(&s.services.len()))
        );
        assert!(
            dir.sites
                .iter()
                .any(|s| s.hours_source.as_deref().is_some_and(|h| h.contains("Sa[")))
        );
        assert!(!dir.notices.is_empty());
    }

    #[test]
    fn every_departement_parses_and_codes_map_back() {
        for dep in departements() {
            let (insee, postcode) = codes(dep.code, 7);
            let found = crate::model::departements::departement_code(&postcode, Some(&insee));
            assert_eq!(found.as_deref(), Some(dep.code), "{insee} {postcode}");
        }
    }
}
