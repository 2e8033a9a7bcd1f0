//! Problems that need the whole directory: references between files, and each
//! label's charter rules.

mod charter;
pub mod links;

use crate::diagnostics::{Diagnostic, Diagnostics, Span, did_you_mean};
use crate::model::Directory;
use chrono::NaiveDate;
use std::collections::BTreeMap;

pub use charter::{check_charters, check_closure_notices};

/// Input errors that span site and label files: unknown label or service,
/// duplicate ids.
pub fn check_references(dir: &Directory) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for site in &dir.sites {
        if let Some(first) = seen.insert(&site.slug, &site.file) {
            diags.push(
                Diagnostic::error(
                    "duplicate-slug",
                    Span::file(&site.file),
                    format!("site id `{}` is already used by {first}", site.slug),
                )
                .help("each site file name must be unique across data/sites/ and its sub-folders"),
            );
        }
        if !site.label.is_empty() && !dir.labels.contains_key(&site.label) {
            let at = site
                .spans
                .label
                .clone()
                .unwrap_or_else(|| Span::file(&site.file));
            diags.push(unknown(
                "unknown-label",
                "label",
                &site.label,
                at,
                dir.labels.keys().map(String::as_str),
                "data/labels.toml",
            ));
        }
        for (i, service) in site.services.iter().enumerate() {
            if !dir.services.contains_key(service) {
                let at = site
                    .spans
                    .services
                    .get(i)
                    .cloned()
                    .unwrap_or_else(|| Span::file(&site.file));
                diags.push(unknown(
                    "unknown-service",
                    "service",
                    service,
                    at,
                    dir.services.keys().map(String::as_str),
                    "data/services.toml",
                ));
            }
        }
    }
    for label in dir.labels.values() {
        if !dir.charters.contains_key(&label.charter) {
            diags.push(
                Diagnostic::warning(
                    "missing-charter",
                    label.span.clone(),
                    format!(
                        "label `{}` has no charter page content/charters/{}.md",
                        label.id, label.charter
                    ),
                )
                .help("write the charter in your own words, naming its source document"),
            );
        }
        for service in &label.rules.required_services {
            if !dir.services.contains_key(service) {
                diags.push(unknown(
                    "unknown-service",
                    "service",
                    service,
                    label.span.clone(),
                    dir.services.keys().map(String::as_str),
                    "data/services.toml",
                ));
            }
        }
    }
    diags
}

/// Notices that name a site the directory does not have.
pub fn check_notice_sites(dir: &Directory) -> Diagnostics {
    let mut diags = Diagnostics::new();
    for notice in &dir.notices {
        if dir.site(&notice.site).is_none() {
            diags.push(unknown(
                "unknown-site",
                "site",
                &notice.site,
                notice.site_span.clone(),
                dir.sites.iter().map(|s| s.slug.as_str()),
                "data/sites/",
            ));
        }
    }
    diags
}

fn unknown<'a>(
    code: &'static str,
    what: &str,
    name: &str,
    at: Span,
    known: impl Iterator<Item = &'a str>,
    defined_in: &str,
) -> Diagnostic {
    let known: Vec<&str> = known.collect();
    let d = Diagnostic::error(code, at, format!("unknown {what} `{name}`"));
    match did_you_mean(name, known.iter().copied()) {
        Some(s) => d.help(format!("did you mean `{s}`?")),
        None => d.help(format!("{what}s are defined in {defined_in}")),
    }
}

/// Notice rules: overlaps on one site, far-past notices.
pub fn check_notices(dir: &Directory, today: NaiveDate) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let mut by_site: BTreeMap<&str, Vec<&crate::model::Notice>> = BTreeMap::new();
    for n in &dir.notices {
        by_site.entry(&n.site).or_default().push(n);
        if (today - n.to).num_days() > 365 {
            diags.push(
                Diagnostic::warning(
                    "old-notice",
                    n.from_span.clone(),
                    format!("notice ended on {}, more than a year ago", n.to),
                )
                .with_level(crate::diagnostics::Level::Info)
                .help("it stays in the archive; delete the file if it no longer matters"),
            );
        }
    }
    for notices in by_site.values() {
        for (i, a) in notices.iter().enumerate() {
            for b in &notices[i + 1..] {
                let changes_hours =
                    |n: &crate::model::Notice| n.kind != crate::model::NoticeKind::Info;
                if changes_hours(a) && changes_hours(b) && a.from <= b.to && b.from <= a.to {
                    diags.push(
                        Diagnostic::warning(
                            "overlapping-notices",
                            b.from_span.clone(),
                            format!(
                                "notice overlaps {} ({} to {}) on the same site",
                                a.file, a.from, a.to
                            ),
                        )
                        .help(
                            "residents cannot tell which one applies: merge them or fix the dates",
                        ),
                    );
                }
            }
        }
    }
    diags
}
