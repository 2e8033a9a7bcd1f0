//! What a site page shows, gathered once: the template's values, also read
//! directly by the built-in page ([`super::site_html`]).

use super::{NoticeView, current_notices};
use crate::derive::{Derived, departement_name};
use crate::hours::french;
use crate::model::{Appointment, Directory, Site};
use crate::render::theme::Strings;
use crate::render::{fr, markdown};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// What a site page's template reads of the site itself. Fields shown
/// another way (the description as `description_html`, the services as
/// `service_groups`, the hours as `hours`) and bookkeeping (file, convention)
/// stay out: every value here is converted for Tera on every page.
#[derive(Serialize)]
pub(super) struct SiteView<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub label: &'a str,
    pub structure: Option<&'a str>,
    pub appointment: Appointment,
    pub timezone: &'a str,
    pub departement: &'a str,
    pub hours_note: Option<&'a str>,
    pub equipment: &'a crate::model::Equipment,
    pub wheelchair: Option<bool>,
    pub address: &'a crate::model::Address,
    pub location: Option<crate::model::Location>,
    pub contact: &'a crate::model::Contact,
}

impl<'a> SiteView<'a> {
    fn of(site: &'a Site) -> SiteView<'a> {
        SiteView {
            slug: &site.slug,
            name: &site.name,
            label: &site.label,
            structure: site.structure.as_deref(),
            appointment: site.appointment,
            timezone: site.timezone.name(),
            departement: &site.departement,
            hours_note: site.hours_note.as_deref(),
            equipment: &site.equipment,
            wheelchair: site.wheelchair,
            address: &site.address,
            location: site.location,
            contact: &site.contact,
        }
    }
}

/// A site page's values; serialised, they are the template's context.
#[derive(Serialize)]
pub(super) struct SitePage<'a> {
    pub page_title: String,
    pub site: SiteView<'a>,
    pub label: Option<LabelView<'a>>,
    pub charter_href: Option<String>,
    pub departement_name: String,
    pub commune_key: String,
    pub description_html: Option<String>,
    pub service_groups: Vec<ServiceGroup<'a>>,
    pub hours: Option<HoursView<'a>>,
    pub notices: Vec<NoticeView<'a>>,
    pub closures: Vec<ClosureView<'a>>,
    pub nearest: Vec<NearbySite<'a>>,
    pub schedule_json: Option<String>,
    pub jsonld: String,
    pub equipment_known: bool,
}

#[derive(Serialize)]
pub(super) struct LabelView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub description: &'a str,
}

/// The services of one operator ("Caisse d'allocations familiales").
#[derive(Serialize)]
pub(super) struct ServiceGroup<'a> {
    pub name: Cow<'a, str>,
    pub services: Vec<ServiceLink<'a>>,
}

#[derive(Serialize)]
pub(super) struct ServiceLink<'a> {
    pub id: &'a str,
    pub name: &'a str,
}

/// The usual week, worded in French.
#[derive(Serialize)]
pub(super) struct HoursView<'a> {
    pub lines: Vec<DayRow<'a>>,
    pub monthly: Vec<String>,
    pub total: String,
    pub ph_closed: bool,
    /// The label whose rule closes the site on public holidays, when its
    /// own hours say nothing of them.
    pub ph_label: Option<&'a str>,
    pub irregular: bool,
    /// The rule's comments, then the whole rule when the table cannot show
    /// all of it.
    pub comments: Vec<String>,
    pub source: &'a str,
}

/// One line of a weekly hours table, in the theme's words.
#[derive(Serialize)]
pub(super) struct DayRow<'t> {
    pub day: &'t str,
    pub text: Cow<'t, str>,
    pub closed: bool,
}

const DAY_KEYS: [&str; 7] = [
    "hours.monday",
    "hours.tuesday",
    "hours.wednesday",
    "hours.thursday",
    "hours.friday",
    "hours.saturday",
    "hours.sunday",
];

/// The hours engine's week, Monday first, with the theme's day names and
/// its words for a day without opening. The opening times stay as the
/// engine writes them.
pub(super) fn day_rows(lines: Vec<french::DayLine>, t: &Strings) -> Vec<DayRow<'_>> {
    lines
        .into_iter()
        .zip(DAY_KEYS)
        .map(|(l, key)| DayRow {
            day: t.word(key),
            text: if l.closed {
                Cow::Borrowed(t.word("hours.closed"))
            } else if l.text == french::BY_THE_RULE {
                Cow::Borrowed(t.word("hours.by_the_rule"))
            } else {
                Cow::Owned(l.text)
            },
            closed: l.closed,
        })
        .collect()
}

/// A closure or change in the next days.
#[derive(Serialize)]
pub(super) struct ClosureView<'a> {
    pub when: String,
    /// Last day, ISO: the browser hides the line once it has passed.
    pub until: String,
    pub reason: &'a str,
    pub kind: &'static str,
}

#[derive(Serialize)]
pub(super) struct NearbySite<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub commune: &'a str,
    pub km: String,
}

impl<'a> SitePage<'a> {
    pub fn of(dir: &'a Directory, d: &'a Derived, i: usize, t: &'a Strings) -> SitePage<'a> {
        let site = &dir.sites[i];
        let facts = &d.sites[i];
        let label = dir.labels.get(&site.label);
        let mut groups: BTreeMap<Cow<str>, Vec<ServiceLink>> = BTreeMap::new();
        for id in &site.services {
            if let Some(s) = dir.services.get(id) {
                let group = if s.operator.is_empty() {
                    Cow::Owned(t.get("site.other_services", &[]))
                } else {
                    Cow::Borrowed(s.operator.as_str())
                };
                groups.entry(group).or_default().push(ServiceLink {
                    id: &s.id,
                    name: &s.name,
                });
            }
        }
        let hours = site.hours.as_ref().map(|h| {
            let w = h.weekly();
            let mut comments = w.comments.clone();
            let mut total = french::duration(w.weekly_minutes());
            // Rules the table cannot show may open on a day it has empty
            // (week parity, sun times; see `french::day_lines`): the whole
            // rule is given, so the page holds the truth without JavaScript.
            if w.irregular_opens {
                comments.push(t.get("site.full_rule", &[("rule", h.source().trim())]));
                total = if w.weekly_minutes() == 0 {
                    t.get("site.total_variable", &[])
                } else {
                    t.get("site.total_at_least", &[("total", &total)])
                };
            }
            HoursView {
                lines: day_rows(french::day_lines(w), t),
                monthly: french::monthly_lines(w),
                total,
                ph_closed: w.closed_on_public_holidays,
                ph_label: label
                    .filter(|_| site.holidays_from_label)
                    .map(|l| l.short.as_str()),
                irregular: w.irregular,
                comments,
                source: h.source(),
            }
        });
        let nearest = facts
            .nearest
            .iter()
            .map(|&(j, km)| {
                let s = &dir.sites[j];
                NearbySite {
                    slug: &s.slug,
                    name: &s.name,
                    commune: &s.address.commune,
                    km: format_km(km),
                }
            })
            .collect();
        let closures = facts
            .closures
            .iter()
            .map(|c| ClosureView {
                when: fr::range(c.from, c.to),
                until: c.to.to_string(),
                reason: &c.reason,
                kind: c.kind,
            })
            .collect();
        let schedule = facts
            .schedule
            .as_ref()
            .map(|s| script_json(serde_json::to_string(s).expect("schedule serialises")));
        SitePage {
            page_title: t.get(
                "site.page_title",
                &[("site", &site.name), ("commune", &site.address.commune)],
            ),
            site: SiteView::of(site),
            label: label.map(|l| LabelView {
                id: &l.id,
                name: &l.name,
                description: &l.description,
            }),
            charter_href: label
                .filter(|l| dir.charters.contains_key(&l.charter))
                .map(|l| format!("chartes/{}/", l.id)),
            departement_name: departement_name(&site.departement),
            commune_key: crate::derive::commune_key(site),
            description_html: site.description.as_deref().map(markdown::to_html),
            service_groups: groups
                .into_iter()
                .map(|(name, services)| ServiceGroup { name, services })
                .collect(),
            hours,
            notices: current_notices(dir, d, facts.notices.iter().copied(), t),
            closures,
            nearest,
            schedule_json: schedule,
            jsonld: script_json(super::jsonld::of(dir, d, i)),
            equipment_known: !site.equipment.is_empty(),
        }
    }
}

/// "1,2 km", "12 km": French decimal comma, no false precision far away.
pub fn format_km(km: f64) -> String {
    if km < 10.0 {
        format!("{km:.1} km").replace('.', ",")
    } else {
        format!("{} km", km.round() as i64)
    }
}

/// JSON made safe inside a `<script>` element, and still valid JSON.
///
/// `<`, `>` and `&` can only occur inside JSON strings, where `\u003c`,
/// `\u003e` and `\u0026` mean the same characters: no `</script>`, `<!--`
/// or `]]>` can close or confuse the element, and any JSON parser reads the
/// same data (`<\!--` was no valid JSON escape).
pub(crate) fn script_json(json: String) -> String {
    if !json.contains(['<', '>', '&']) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 32);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::script_json;

    #[test]
    fn script_json_stays_json_and_cannot_close_its_element() {
        let name = "</script><!-- a & b --> ]]>";
        let json = serde_json::to_string(&serde_json::json!({ "name": name })).unwrap();
        let safe = script_json(json);
        assert!(!safe.contains(['<', '>', '&']), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).expect("valid JSON");
        assert_eq!(back["name"], name);
    }
}
