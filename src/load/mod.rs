//! Files → [`Directory`]: every value keeps the file and position it came from.
//!
//! Loading never stops at the first problem: each file is read as far as it
//! can be and every problem is collected, so one run lists them all.

mod content;
mod editor;
pub mod markdown;
mod site;
pub mod toml_reader;
pub mod urls;

use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use crate::files::{self, list, read, read_inside, rel};
use crate::model::{Config, Directory, Label, LabelRules, MapConfig, Service};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml_reader::Reader;

pub use content::{load_notice, split_front_matter};
pub use site::load_site;

/// Loads the whole directory at `root`.
pub fn load(root: &Path) -> (Directory, Diagnostics) {
    let mut diags = Diagnostics::new();
    let config = load_config(root, &mut diags);
    let labels = load_labels(root, &mut diags);
    let services = load_services(root, &mut diags);

    let site_files = files::site_files(root, &mut diags);
    let mut sites = by_slug(read_each(root, &site_files, &mut diags, load_site));
    for site in &mut sites {
        apply_label_rules(site, &labels);
    }

    let notices = content::load_notices(
        root,
        &list(root, "content/notices", "md", &mut diags),
        &mut diags,
    );
    // The directory's charters override the built-in ones of the same label.
    let charters = content::built_in_charters(&mut diags)
        .into_iter()
        .chain(content::load_pages(
            root,
            &list(root, "content/charters", "md", &mut diags),
            &mut diags,
        ))
        .map(|p| (p.slug.clone(), p))
        .collect();
    let pages = content::load_pages(
        root,
        &list(root, "content/pages", "md", &mut diags),
        &mut diags,
    );
    let pages = pages
        .into_iter()
        .filter(|p| {
            let taken = OWN_FOLDERS.contains(&p.slug.as_str());
            if taken {
                diags.push(
                    Diagnostic::error(
                        "page-name-taken",
                        Span::file(&p.file),
                        format!(
                            "a free page named `{}` would replace the directory's own `{}/`",
                            p.slug, p.slug
                        ),
                    )
                    .help(format!(
                        "rename the file, e.g. content/pages/{}-infos.md",
                        p.slug
                    )),
                );
            }
            !taken
        })
        .collect();

    let dir = Directory {
        config,
        labels,
        services,
        sites,
        notices,
        charters,
        pages,
    };
    (dir, diags)
}

/// Top-level folders of the output that guichet fills itself: a free page
/// (published at `<name>/`) may not take one of these names.
pub const OWN_FOLDERS: [&str; 12] = [
    "admin",
    "assets",
    "avis",
    "chartes",
    "communes",
    "departements",
    "donnees",
    "labels",
    "lieux",
    "recherche",
    "services",
    "__guichet",
];

/// A label that closes its sites on public holidays gives that rule to each
/// of its sites whose hours say nothing of public holidays: the national
/// lists never do, and a resident must not be sent to a closed door on
/// Christmas Day. A site's own `PH` rule (`PH off`, `PH 10:00-12:00`) wins.
pub fn apply_label_rules(site: &mut crate::model::Site, labels: &BTreeMap<String, Label>) {
    let closes = labels
        .get(&site.label)
        .is_some_and(|l| l.closed_on_public_holidays);
    let Some(hours) = site
        .hours
        .as_ref()
        .filter(|_| closes && !site.holidays_from_label)
    else {
        return;
    };
    let source = hours.source();
    if mentions_public_holidays(source) {
        return;
    }
    let rule = format!("{}; PH off", source.trim().trim_end_matches(';'));
    if let Ok(with_rule) = crate::hours::Hours::parse(&rule) {
        site.hours = Some(with_rule);
        site.holidays_from_label = true;
    }
}

/// Whether opening hours have a rule of their own for public holidays.
fn mentions_public_holidays(hours: &str) -> bool {
    // Outside quoted comments, `PH` as a word (`PH off`, `Mo-Fr,PH`, `PH -1 day`).
    hours
        .split('"')
        .step_by(2)
        .flat_map(|part| part.split(|c: char| !c.is_ascii_alphanumeric()))
        .any(|word| word == "PH")
}

/// `sites` in slug order, sites with the same slug in their given order.
/// Their positions are sorted, then the sites swapped into place along the
/// permutation's cycles: a site weighs a kilobyte or more, and a sort moving
/// 100,000 of them at each of its passes was a serial tenth of a second.
fn by_slug(mut sites: Vec<crate::model::Site>) -> Vec<crate::model::Site> {
    // from[k]: the position of the site that goes to position k.
    let mut from: Vec<usize> = (0..sites.len()).collect();
    from.sort_by(|&a, &b| sites[a].slug.cmp(&sites[b].slug));
    const PLACED: usize = usize::MAX;
    for start in 0..from.len() {
        let mut k = start;
        while from[k] != PLACED {
            let next = from[k];
            from[k] = PLACED;
            if next == start {
                break;
            }
            sites.swap(k, next);
            k = next;
        }
    }
    sites
}

/// Reads and parses each of `files` on every core with `parse(file, text,
/// diags)`, `file` being the path relative to `root`. Problems are kept in
/// the order of `files`; files that cannot be read or trusted are left out.
pub(crate) fn read_each<T: Send>(
    root: &Path,
    files: &[PathBuf],
    diags: &mut Diagnostics,
    parse: impl Fn(&str, &str, &mut Diagnostics) -> Option<T> + Sync,
) -> Vec<T> {
    let results: Vec<(Option<T>, Diagnostics)> = files
        .par_iter()
        .map(|path| {
            let mut d = Diagnostics::new();
            let value =
                read(root, path, &mut d).and_then(|text| parse(&rel(root, path), &text, &mut d));
            (value, d)
        })
        .collect();
    let mut values = Vec::with_capacity(results.len());
    for (value, d) in results {
        diags.extend(d);
        values.extend(value);
    }
    values
}

/// Reads `guichet.toml` alone (defaults where it is silent or missing).
pub fn load_config(root: &Path, diags: &mut Diagnostics) -> Config {
    let mut config = Config::default();
    let path = root.join("guichet.toml");
    if !path.exists() {
        // A folder of site files is a directory with the default settings;
        // a folder with neither is most likely the wrong folder.
        if !root.join("data/sites").is_dir() {
            diags.push(
                Diagnostic::error(
                    "no-config",
                    Span::file("guichet.toml"),
                    "neither guichet.toml nor data/sites/ found: this is not a guichet directory",
                )
                .help("pass --root DIR, or start a new directory here with `guichet init`"),
            );
        }
        return config;
    }
    let Some(text) = read_inside(root, &path, diags) else {
        return config;
    };
    let file = "guichet.toml";
    let Some(doc) = toml_reader::parse(file, &text, 0, &text, diags) else {
        return config;
    };
    let mut r = Reader::new(file, &text, 0, diags);
    let t = doc.get_ref();
    r.deny_unknown(
        t,
        &[
            "title",
            "description",
            "base_url",
            "language",
            "timezone",
            "map",
            "editor",
        ],
        "guichet.toml",
    );
    if let Some((v, _)) = r.string(t, "title") {
        config.title = v;
    }
    if let Some((v, _)) = r.string(t, "description") {
        config.description = v;
    }
    if let Some((v, _)) = r.string(t, "base_url") {
        config.set_base_url(&v);
    }
    if let Some((v, _)) = r.string(t, "language") {
        config.language = v;
    }
    if let Some((v, span)) = r.string(t, "timezone") {
        match v.parse::<chrono_tz::Tz>() {
            Ok(tz) => config.timezone = tz,
            Err(_) => r.diags.push(
                Diagnostic::error("bad-timezone", span, format!("unknown time zone `{v}`"))
                    .help("use an IANA name such as Europe/Paris or Indian/Reunion"),
            ),
        }
    }
    if let Some((m, _)) = r.table(t, "map") {
        r.deny_unknown(m, &["tiles", "attribution"], "[map]");
        let MapConfig { tiles, attribution } = &mut config.map;
        if let Some((v, _)) = r.string(m, "tiles") {
            *tiles = v;
        }
        if let Some((v, _)) = r.string(m, "attribution") {
            *attribution = v;
        }
    }
    if let Some((e, span)) = r.table(t, "editor") {
        config.editor = editor::read(&mut r, e, &span);
    }
    config
}

/// The built-in table file `rel`, then the directory's own, each read by
/// `read_one` into the same map: the directory's entries override.
fn load_table<T>(
    root: &Path,
    rel: &str,
    diags: &mut Diagnostics,
    read_one: fn(&str, &str, &mut BTreeMap<String, T>, &mut Diagnostics),
) -> BTreeMap<String, T> {
    let mut entries = BTreeMap::new();
    let built_in = crate::reference::table(rel);
    let file = format!("{}{rel}", crate::reference::BUILT_IN);
    read_one(&file, built_in, &mut entries, diags);
    let path = root.join(rel);
    // A link that leaves the directory is refused like any other file's.
    if (path.exists() || path.is_symlink())
        && let Some(text) = read_inside(root, &path, diags)
    {
        read_one(rel, &text, &mut entries, diags);
    }
    entries
}

fn load_labels(root: &Path, diags: &mut Diagnostics) -> BTreeMap<String, Label> {
    load_table(root, "data/labels.toml", diags, read_labels)
}

fn load_services(root: &Path, diags: &mut Diagnostics) -> BTreeMap<String, Service> {
    load_table(root, "data/services.toml", diags, read_services)
}

fn read_labels(
    file: &str,
    text: &str,
    labels: &mut BTreeMap<String, Label>,
    diags: &mut Diagnostics,
) {
    let Some(doc) = toml_reader::parse(file, text, 0, text, diags) else {
        return;
    };
    let mut r = Reader::new(file, text, 0, diags);
    for (id, t, span) in r.entries(doc.get_ref()) {
        r.deny_unknown(
            t,
            &[
                "name",
                "short",
                "description",
                "charter",
                "source",
                "public_holidays",
                "rules",
            ],
            &format!("label `{id}`"),
        );
        let name = r.required_string(t, "name", &span, "name = \"France services\"");
        let mut rules = LabelRules::default();
        if let Some((rt, _)) = r.table(t, "rules") {
            let keys = [
                "requires_hours",
                "min_weekly_hours",
                "min_open_days",
                "min_half_days",
                "closure_notice_days",
                "required_services",
                "convention_warning_days",
                "cite",
            ];
            r.deny_unknown(rt, &keys, &format!("[{id}.rules]"));
            rules.requires_hours = r.bool(rt, "requires_hours") == Some(true);
            if let Some((v, s)) = r.number(rt, "min_weekly_hours") {
                rules.min_weekly_hours = Some(v);
                rules.spans.insert("min_weekly_hours".into(), s);
            }
            let whole = |r: &mut Reader, key: &str| -> Option<u32> {
                let v = r.integer(rt, key)?;
                u32::try_from(v).ok()
            };
            rules.min_open_days = whole(&mut r, "min_open_days");
            rules.min_half_days = whole(&mut r, "min_half_days");
            rules.closure_notice_days = whole(&mut r, "closure_notice_days");
            rules.convention_warning_days = whole(&mut r, "convention_warning_days");
            rules.required_services = r
                .string_list(rt, "required_services")
                .into_iter()
                .map(|(s, _)| s)
                .collect();
            if let Some((ct, _)) = r.table(rt, "cite") {
                for (k, _) in ct.iter() {
                    if let Some((v, _)) = r.string(ct, k.get_ref()) {
                        rules.cite.insert(k.get_ref().to_string(), v);
                    }
                }
            }
        }
        let closed_on_public_holidays = match r.string(t, "public_holidays") {
            Some((v, _)) if v == "closed" => true,
            Some((v, _)) if v == "open" => false,
            Some((v, span)) => {
                r.diags.push(
                    Diagnostic::error(
                        "bad-value",
                        span,
                        format!("unknown public holiday rule `{v}`"),
                    )
                    .help("use \"closed\" (sites close unless their hours say `PH …`) or \"open\""),
                );
                false
            }
            None => false,
        };
        let text_of = |r: &mut Reader, key: &str| r.string(t, key).map(|(v, _)| v);
        let Some((name, _)) = name else { continue };
        let label = Label {
            short: text_of(&mut r, "short").unwrap_or_else(|| name.clone()),
            description: text_of(&mut r, "description").unwrap_or_default(),
            charter: text_of(&mut r, "charter").unwrap_or_else(|| id.clone()),
            source: text_of(&mut r, "source").unwrap_or_default(),
            closed_on_public_holidays,
            id: id.clone(),
            name,
            rules,
            span,
        };
        labels.insert(id, label);
    }
}

fn read_services(
    file: &str,
    text: &str,
    services: &mut BTreeMap<String, Service>,
    diags: &mut Diagnostics,
) {
    let Some(doc) = toml_reader::parse(file, text, 0, text, diags) else {
        return;
    };
    let mut r = Reader::new(file, text, 0, diags);
    for (id, t, span) in r.entries(doc.get_ref()) {
        r.deny_unknown(
            t,
            &["name", "operator", "theme", "keywords"],
            &format!("service `{id}`"),
        );
        let name = r.required_string(t, "name", &span, "name = \"Impôts (DGFiP)\"");
        let operator = r.string(t, "operator").map(|(v, _)| v).unwrap_or_default();
        let theme = r.string(t, "theme").map(|(v, _)| v).unwrap_or_default();
        let keywords = r
            .string_list(t, "keywords")
            .into_iter()
            .map(|(s, _)| s)
            .collect();
        if let Some((name, _)) = name {
            services.insert(
                id.clone(),
                Service {
                    id,
                    name,
                    operator,
                    theme,
                    keywords,
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(slug: &str, file: &str) -> crate::model::Site {
        let text = "name = \"Point\"\nlabel = \"france-services\"\n\n[address]\npostcode = \"92260\"\ncommune = \"Fontenay-aux-Roses\"\n";
        let mut s = load_site(file, text, &mut Diagnostics::new()).expect("a minimal site");
        s.slug = slug.to_string();
        s
    }

    #[test]
    fn sites_go_in_slug_order_and_ties_keep_file_order() {
        let slugs = ["d", "b", "a", "b", "e", "c", "a"];
        let sites: Vec<_> = slugs
            .iter()
            .enumerate()
            .map(|(k, s)| site(s, &format!("{k}.toml")))
            .collect();
        let sorted: Vec<(String, String)> = by_slug(sites)
            .into_iter()
            .map(|s| (s.slug, s.file))
            .collect();
        let expected: Vec<(String, String)> = [
            ("a", "2"),
            ("a", "6"),
            ("b", "1"),
            ("b", "3"),
            ("c", "5"),
            ("d", "0"),
            ("e", "4"),
        ]
        .iter()
        .map(|(s, f)| (s.to_string(), format!("{f}.toml")))
        .collect();
        assert_eq!(sorted, expected);
    }
}
