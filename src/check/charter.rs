//! Each label's charter rules (from `data/labels.toml`) applied to its sites.
//!
//! Findings are errors for `guichet check`, but `build` still publishes: a
//! resident must see the real hours of a site that falls short of its charter.

use crate::diagnostics::{Diagnostic, Diagnostics, Level, Span};
use crate::hours::french;
use crate::model::{Directory, Label, NoticeKind, Site};
use chrono::NaiveDate;

/// Days before a convention ends when `check` starts warning, unless the label says otherwise.
const CONVENTION_WARNING_DAYS: u32 = 90;

/// Charter findings about the sites on `today`.
pub fn check_charters(dir: &Directory, today: NaiveDate) -> Diagnostics {
    use rayon::prelude::*;
    // Sites are checked on every core; findings stay in site order.
    let per_site: Vec<Diagnostics> = dir
        .sites
        .par_iter()
        .map(|site| {
            let mut diags = Diagnostics::new();
            if let Some(label) = dir.labels.get(&site.label) {
                check_hours(site, label, &mut diags);
                check_services(site, label, &mut diags);
                check_convention(site, label, today, &mut diags);
            }
            diags
        })
        .collect();
    let mut diags = Diagnostics::new();
    for d in per_site {
        diags.extend(d);
    }
    diags
}

/// Charter findings about notices: closures announced late.
pub fn check_closure_notices(dir: &Directory) -> Diagnostics {
    let mut diags = Diagnostics::new();
    for notice in &dir.notices {
        let Some(site) = dir.site(&notice.site) else {
            continue;
        };
        let Some(label) = dir.labels.get(&site.label) else {
            continue;
        };
        let Some(days) = label.rules.closure_notice_days else {
            continue;
        };
        if notice.kind != NoticeKind::Closure {
            continue;
        }
        let (rule, source) = cite(
            label,
            "closure_notice_days",
            format!("closures announced at least {days} days ahead"),
        );
        match notice.published {
            None => diags.push(
                Diagnostic::warning(
                    "closure-unpublished-date",
                    notice.from_span.clone(),
                    format!("closure of {} has no `published` date, so its notice period cannot be checked", site.name),
                )
                .charter(rule, source)
                .help("add published = YYYY-MM-DD, the day the closure was announced"),
            ),
            Some(published) => {
                let lead = (notice.from - published).num_days();
                if lead < i64::from(days) {
                    let plural = |n: i64| if n == 1 { "" } else { "s" };
                    let when = match lead {
                        0 => "published the day it starts".to_string(),
                        l if l < 0 => format!("published {} day{} after it started", -l, plural(-l)),
                        l => format!("announced {l} day{} before it starts", plural(l)),
                    };
                    diags.push(
                        Diagnostic::error(
                            "closure-late",
                            notice.from_span.clone(),
                            format!(
                                "closure of {} {when}; the {} charter asks for at least {days} days ahead",
                                site.name,
                                label.name
                            ),
                        )
                        .charter(rule, source),
                    );
                }
            }
        }
    }
    diags
}

/// The rule's citation from the label, or the label's source document.
fn cite(label: &Label, key: &str, rule: String) -> (String, String) {
    let source = label
        .rules
        .cite
        .get(key)
        .cloned()
        .unwrap_or_else(|| format!("{} charter, document {}", label.name, label.source));
    (rule, source)
}

fn rule_span(site: &Site) -> Span {
    site.spans
        .hours
        .clone()
        .unwrap_or_else(|| Span::file(&site.file))
}

fn check_hours(site: &Site, label: &Label, diags: &mut Diagnostics) {
    let rules = &label.rules;
    let has_rules = rules.min_weekly_hours.is_some()
        || rules.min_open_days.is_some()
        || rules.min_half_days.is_some();
    let Some(hours) = &site.hours else {
        // A charter that requires published hours makes their absence an
        // error for `check`; otherwise hour rules only cannot be checked.
        if rules.requires_hours || has_rules {
            let (rule, source) = cite(
                label,
                "requires_hours",
                "hours displayed to the public".to_string(),
            );
            let level = if rules.requires_hours {
                Level::Error
            } else {
                Level::Warning
            };
            diags.push(
                Diagnostic::warning(
                    "hours-unknown",
                    Span::file(&site.file),
                    if rules.requires_hours {
                        format!(
                            "{} publishes no opening hours; the {} charter requires them",
                            site.name, label.name
                        )
                    } else {
                        format!(
                            "{} publishes no opening hours, so the {} charter's hours cannot be checked",
                            site.name, label.name
                        )
                    },
                )
                .with_level(level)
                .charter(rule, source)
                .help("add hours = \"…\" in OpenStreetMap syntax, e.g. \"Mo-Fr 09:00-12:00,13:30-17:00; PH off\""),
            );
        }
        return;
    };
    let week = hours.weekly();
    let minutes = week.weekly_minutes();
    if let Some(min) = rules.min_weekly_hours
        && f64::from(minutes) < min * 60.0
    {
        let (rule, source) = cite(
            label,
            "min_weekly_hours",
            format!("open at least {min} h a week"),
        );
        diags.push(
            Diagnostic::error(
                "hours-below-minimum",
                rule_span(site),
                format!(
                    "{} is open {} a week; a {} must open at least {min} h",
                    site.name,
                    french::duration(minutes),
                    label.name
                ),
            )
            .charter(rule, source)
            .help("monthly openings such as Sa[4] do not count towards the weekly total"),
        );
    }
    if let Some(min) = rules.min_open_days {
        let days = week.open_days();
        if (days as u32) < min {
            let (rule, source) = cite(
                label,
                "min_open_days",
                format!("open at least {min} days a week"),
            );
            diags.push(
                Diagnostic::error(
                    "days-below-minimum",
                    rule_span(site),
                    format!(
                        "{} is open {days} day{} a week; a {} must open at least {min}",
                        site.name,
                        plural(days),
                        label.name
                    ),
                )
                .charter(rule, source),
            );
        }
    }
    if let Some(min) = rules.min_half_days {
        let halves = week.half_days();
        if (halves as u32) < min {
            let (rule, source) = cite(
                label,
                "min_half_days",
                format!("open at least {min} half-days a week"),
            );
            diags.push(
                Diagnostic::error(
                    "half-days-below-minimum",
                    rule_span(site),
                    format!(
                        "{} is open {halves} half-day{} a week; a {} must open at least {min}",
                        site.name,
                        plural(halves),
                        label.name
                    ),
                )
                .charter(rule, source),
            );
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn check_services(site: &Site, label: &Label, diags: &mut Diagnostics) {
    let missing: Vec<&str> = label
        .rules
        .required_services
        .iter()
        .filter(|s| !site.services.contains(s))
        .map(String::as_str)
        .collect();
    if !missing.is_empty() {
        let (rule, source) = cite(
            label,
            "required_services",
            "the full bouquet of services".into(),
        );
        let at = site
            .spans
            .services
            .first()
            .cloned()
            .unwrap_or_else(|| Span::file(&site.file));
        diags.push(
            Diagnostic::error(
                "services-missing",
                at,
                format!(
                    "{} does not offer {} required of a {}",
                    site.name,
                    missing.join(", "),
                    label.name
                ),
            )
            .charter(rule, source)
            .help(format!(
                "add them to services = [...]: {}",
                missing.join(", ")
            )),
        );
    }
}

fn check_convention(site: &Site, label: &Label, today: NaiveDate, diags: &mut Diagnostics) {
    let Some(expires) = site.convention.expires else {
        return;
    };
    let at = site
        .convention
        .expires_span
        .clone()
        .unwrap_or_else(|| Span::file(&site.file));
    let warn_days = label
        .rules
        .convention_warning_days
        .unwrap_or(CONVENTION_WARNING_DAYS);
    let left = (expires - today).num_days();
    let (rule, source) = cite(label, "convention", "a convention in force".into());
    if left < 0 {
        diags.push(
            Diagnostic::error(
                "convention-expired",
                at,
                format!("the convention of {} expired on {expires}", site.name),
            )
            .charter(rule, source)
            .help("renew the convention and update `expires`, or remove the site"),
        );
    } else if left <= i64::from(warn_days) {
        diags.push(
            Diagnostic::warning(
                "convention-expiring",
                at,
                format!(
                    "the convention of {} expires on {expires}, in {left} days",
                    site.name
                ),
            )
            .with_level(Level::Warning)
            .charter(rule, source)
            .help("plan its renewal"),
        );
    }
}
