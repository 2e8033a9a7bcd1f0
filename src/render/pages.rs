//! Which pages exist and what each template is given.

use super::{fr, markdown};
use crate::derive::{Derived, departement_name};
use crate::hours::french;
use crate::model::{Directory, NoticeKind, NoticeState};
use crate::render::theme::Strings;
use serde::Serialize;
use serde_json::json;

/// A struct of the strings under one section, read once per build for a
/// page written without Tera.
macro_rules! words {
    ($(#[$doc:meta])* $name:ident, $prefix:literal { $($field:ident),* $(,)? }) => {
        $(#[$doc])*
        pub(super) struct $name {
            $(pub $field: crate::render::theme::Phrase,)*
        }

        impl $name {
            pub(super) fn of(t: &crate::render::theme::Strings) -> $name {
                $name {
                    $($field: t.phrase(concat!($prefix, stringify!($field))).clone(),)*
                }
            }
        }
    };
}

mod jsonld;
mod listing;
mod notices;
mod site;
mod site_html;
pub use listing::{CARD_TEMPLATE, Cards, SHIPPED_CARD, day_line as card_day_line};
use listing::{CardError, HOME_LISTING_MAX, LISTING_MAX, listing, split_by_departement};
pub use notices::{KeptNotices, NOTICE_TEMPLATE};
pub use site_html::{CHROME_TEMPLATE, MIRRORED_TEMPLATES, SiteHtml, TITLE_MARK};

/// One page to render.
pub struct Job {
    pub template: &'static str,
    pub path: String,
    kind: Kind,
}

enum Kind {
    Home,
    Site(usize),
    Departements,
    Departement(String),
    Commune(String),
    Services,
    Service(String),
    /// A service's sites in one département, when the service has too many
    /// to list on one page: the service, the département and those sites.
    ServiceIn(String, String, Vec<usize>),
    Labels,
    Label(String),
    LabelIn(String, String, Vec<usize>),
    Charter(String),
    Notices,
    Page(usize),
    NotFound,
}

/// Every page of the directory.
pub fn jobs(dir: &Directory, d: &Derived) -> Vec<Job> {
    let job = |template, path: String, kind| Job {
        template,
        path,
        kind,
    };
    let mut jobs = vec![
        job("index.html", "index.html".into(), Kind::Home),
        job(
            "list.html",
            "departements/index.html".into(),
            Kind::Departements,
        ),
        job("list.html", "services/index.html".into(), Kind::Services),
        job("list.html", "labels/index.html".into(), Kind::Labels),
        job("notices.html", "avis/index.html".into(), Kind::Notices),
        job("404.html", "404.html".into(), Kind::NotFound),
    ];
    jobs.extend((0..dir.sites.len()).map(|i| {
        job(
            "site.html",
            format!("lieux/{}/index.html", dir.sites[i].slug),
            Kind::Site(i),
        )
    }));
    jobs.extend(d.departements.keys().map(|c| {
        job(
            "list.html",
            format!("departements/{c}/index.html"),
            Kind::Departement(c.clone()),
        )
    }));
    jobs.extend(d.communes.keys().map(|c| {
        job(
            "list.html",
            format!("communes/{c}/index.html"),
            Kind::Commune(c.clone()),
        )
    }));
    jobs.extend(dir.services.keys().map(|s| {
        job(
            "list.html",
            format!("services/{s}/index.html"),
            Kind::Service(s.clone()),
        )
    }));
    jobs.extend(dir.labels.keys().map(|l| {
        job(
            "list.html",
            format!("labels/{l}/index.html"),
            Kind::Label(l.clone()),
        )
    }));
    let split = [
        (
            "services",
            &d.services,
            Kind::ServiceIn as fn(String, String, Vec<usize>) -> Kind,
        ),
        ("labels", &d.labels, Kind::LabelIn),
    ];
    for (section, lists, kind) in split {
        for (id, list) in lists {
            for (code, part) in split_by_departement(dir, d, list) {
                jobs.push(job(
                    "list.html",
                    format!("{section}/{id}/{code}/index.html"),
                    kind(id.clone(), code.to_string(), part),
                ));
            }
        }
    }
    jobs.extend(
        dir.labels
            .values()
            .filter(|l| dir.charters.contains_key(&l.charter))
            .map(|l| {
                job(
                    "page.html",
                    format!("chartes/{}/index.html", l.id),
                    Kind::Charter(l.id.clone()),
                )
            }),
    );
    jobs.extend((0..dir.pages.len()).map(|i| {
        job(
            "page.html",
            format!("{}/index.html", dir.pages[i].slug),
            Kind::Page(i),
        )
    }));
    jobs
}

/// A notice as residents read it.
#[derive(Serialize)]
struct NoticeView<'a> {
    id: &'a str,
    site: &'a str,
    site_name: &'a str,
    kind: &'static str,
    /// The kind as residents read it.
    kind_fr: String,
    title: &'a str,
    /// The title with its kind, unless it already says it.
    pub(super) heading: String,
    when: String,
    from: String,
    /// Last day, ISO: the browser hides the notice once it has passed.
    until: String,
    state: NoticeState,
    /// Closure or change within the banner window, or under way.
    banner: bool,
    html: String,
    hours_lines: Vec<site::DayRow<'a>>,
}

/// Is notice `n` a closure or change under way or starting soon, shown as a
/// banner?
fn is_banner(dir: &Directory, d: &Derived, n: usize) -> bool {
    let notice = &dir.notices[n];
    let state = d.notice_states[n];
    let soon = || {
        // The date at the site, worked out once by derive.
        let site = dir.site_index(&notice.site);
        let today = site.map_or(d.today, |i| d.sites[i].today);
        (notice.from - today).num_days() <= crate::derive::BANNER_DAYS
    };
    notice.kind != NoticeKind::Info
        && (state == NoticeState::Active || (state == NoticeState::Upcoming && soon()))
}

fn notice_view<'a>(dir: &'a Directory, d: &Derived, n: usize, t: &'a Strings) -> NoticeView<'a> {
    let notice = &dir.notices[n];
    let site = dir.site(&notice.site);
    let state = d.notice_states[n];
    let kind = t.get(&format!("notice.{}", notice.kind.id()), &[]);
    NoticeView {
        id: &notice.id,
        site: &notice.site,
        site_name: site.map_or(notice.site.as_str(), |s| s.name.as_str()),
        kind: notice.kind.id(),
        title: &notice.title,
        heading: if notice.title_says(&kind) {
            notice.title.clone()
        } else {
            t.get(
                "notice.headline",
                &[("kind", &kind), ("title", &notice.title)],
            )
        },
        kind_fr: kind,
        when: fr::range(notice.from, notice.to),
        from: notice.from.to_string(),
        until: notice.to.to_string(),
        state,
        banner: is_banner(dir, d, n),
        html: markdown::to_html_shared(&notice.markdown),
        hours_lines: notice
            .hours
            .as_ref()
            .map(|h| site::day_rows(french::day_lines(h.weekly()), t))
            .unwrap_or_default(),
    }
}

fn current_notices<'a>(
    dir: &'a Directory,
    d: &Derived,
    list: impl Iterator<Item = usize>,
    t: &'a Strings,
) -> Vec<NoticeView<'a>> {
    list.filter(|&n| d.notice_states[n] != NoticeState::Past)
        .map(|n| notice_view(dir, d, n, t))
        .collect()
}

/// Closures under way or starting soon at any of `sites`: the "Fermetures à venir" lists.
fn banners<'a>(
    dir: &'a Directory,
    d: &Derived,
    sites: &[usize],
    t: &'a Strings,
) -> Vec<NoticeView<'a>> {
    let notices = sites
        .iter()
        .flat_map(|&i| d.sites[i].notices.iter().copied());
    current_notices(dir, d, notices.filter(|&n| is_banner(dir, d, n)), t)
}

impl Job {
    /// The site whose page this is.
    pub fn site(&self) -> Option<usize> {
        match self.kind {
            Kind::Site(i) => Some(i),
            _ => None,
        }
    }

    /// The page of site `i`, written by `html` instead of its template.
    pub fn builtin_site_page(
        &self,
        dir: &Directory,
        d: &Derived,
        html: &SiteHtml,
    ) -> Option<String> {
        match self.kind {
            Kind::Site(i) => Some(html.render(&site::SitePage::of(dir, d, i, html.strings()))),
            _ => None,
        }
    }

    /// The page's own template values.
    pub fn context(
        &self,
        dir: &Directory,
        d: &Derived,
        cards: &Cards,
    ) -> Result<tera::Context, CardError> {
        let t = cards.strings;
        let value = match &self.kind {
            Kind::Home => {
                let upcoming = current_notices(
                    dir,
                    d,
                    (0..dir.notices.len()).filter(|&n| is_banner(dir, d, n)),
                    t,
                );
                json!({
                    "page_title": dir.config.title,
                    "site_count": dir.sites.len(),
                    "cards_html": (dir.sites.len() <= HOME_LISTING_MAX)
                        .then(|| cards.listing(&(0..dir.sites.len()).collect::<Vec<_>>()))
                        .transpose()?,
                    "notices": upcoming,
                    "labels": dir.labels.values().map(|l| json!({"id": l.id, "name": l.name})).collect::<Vec<_>>(),
                    "services": dir.services.values().map(|s| json!({"id": s.id, "name": s.name})).collect::<Vec<_>>(),
                    "departements": d.departements.iter().map(|(c, l)| json!({"code": c, "name": departement_name(c), "count": l.len()})).collect::<Vec<_>>(),
                })
            }
            Kind::Site(i) => serde_json::to_value(site::SitePage::of(dir, d, *i, t))
                .expect("site page serialises"),
            Kind::Departements => json!({
                "page_title": t.get("page.departements", &[]),
                "heading": t.get("page.departements_heading", &[]),
                "links": d.departements.iter().map(|(c, l)| json!({"href": format!("departements/{c}/"), "text": t.get("page.departement", &[("departement", &departement_name(c)), ("code", c)]), "count": l.len()})).collect::<Vec<_>>(),
                "crumbs": [],
            }),
            Kind::Departement(code) => {
                let list = &d.departements[code];
                let mut communes: Vec<_> = d
                    .communes
                    .values()
                    .filter(|c| &c.departement == code)
                    .collect();
                communes.sort_by(|a, b| crate::derive::collate::french(&a.name, &b.name));
                let name = departement_name(code);
                let place = [("departement", name.as_str()), ("code", code.as_str())];
                json!({
                    "page_title": t.get("page.departement", &place),
                    "heading": t.get("page.departement_heading", &place),
                    "links": communes.iter().map(|c| json!({"href": format!("communes/{}/", c.insee), "text": t.get("page.commune", &[("commune", &c.name), ("postcode", &c.postcode)]), "count": c.sites.len()})).collect::<Vec<_>>(),
                    "links_heading": t.get("page.departement_links_heading", &[]),
                    "site_count": list.len(),
                    // A large département is browsed by commune.
                    "cards_html": (list.len() <= LISTING_MAX).then(|| cards.listing(list)).transpose()?,
                    "split_hint": (list.len() > LISTING_MAX).then(|| t.get("page.departement_split_hint", &[("count", &list.len().to_string())])),
                    "notices": banners(dir, d, list, t),
                    "crumbs": [{"href": "departements/", "text": t.get("page.departements", &[])}],
                })
            }
            Kind::Commune(key) => {
                let c = &d.communes[key];
                json!({
                    "page_title": t.get("page.commune", &[("commune", &c.name), ("postcode", &c.postcode)]),
                    "heading": t.get("page.commune_heading", &[("at_commune", &fr::at_place(&c.name)), ("commune", &c.name)]),
                    "site_count": c.sites.len(),
                    "cards_html": cards.listing(&c.sites)?,
                    "notices": banners(dir, d, &c.sites, t),
                    "crumbs": [{"href": "departements/", "text": t.get("page.departements", &[])}, {"href": format!("departements/{}/", c.departement), "text": departement_name(&c.departement)}],
                })
            }
            Kind::Services => json!({
                "page_title": t.get("page.services", &[]),
                "heading": t.get("page.services_heading", &[]),
                "links": dir.services.values().map(|s| json!({"href": format!("services/{}/", s.id), "text": s.name, "count": d.services.get(&s.id).map_or(0, Vec::len)})).collect::<Vec<_>>(),
                "crumbs": [],
            }),
            Kind::Service(id) => {
                let s = &dir.services[id];
                let list = d.services.get(id).map_or(&[][..], Vec::as_slice);
                let mut v = json!({
                    "page_title": s.name,
                    "heading": t.get("page.service_heading", &[("service", &s.name)]),
                    "intro": s.operator,
                    "crumbs": [{"href": "services/", "text": t.get("page.services", &[])}],
                });
                merge(
                    &mut v,
                    listing(dir, d, cards, list, &format!("services/{id}/"))?,
                );
                v
            }
            Kind::ServiceIn(id, code, list) => {
                let s = &dir.services[id];
                let name = departement_name(code);
                let place = [
                    ("service", s.name.as_str()),
                    ("departement", &name),
                    ("code", code),
                ];
                json!({
                    "page_title": t.get("page.service_in", &place),
                    "heading": t.get("page.service_in_heading", &place),
                    "intro": s.operator,
                    "site_count": list.len(),
                    "cards_html": cards.listing(list)?,
                    "crumbs": [{"href": "services/", "text": t.get("page.services", &[])}, {"href": format!("services/{id}/"), "text": s.name}],
                })
            }
            Kind::Labels => json!({
                "page_title": t.get("page.labels", &[]),
                "heading": t.get("page.labels_heading", &[]),
                "links": dir.labels.values().map(|l| json!({"href": format!("labels/{}/", l.id), "text": l.name, "count": d.labels.get(&l.id).map_or(0, Vec::len)})).collect::<Vec<_>>(),
                "crumbs": [],
            }),
            Kind::Label(id) => {
                let l = &dir.labels[id];
                let list = d.labels.get(id).map_or(&[][..], Vec::as_slice);
                let mut v = json!({
                    "page_title": l.name,
                    "heading": l.name,
                    "intro": l.description,
                    "charter_href": dir.charters.contains_key(&l.charter).then(|| format!("chartes/{}/", l.id)),
                    "crumbs": [{"href": "labels/", "text": t.get("page.labels", &[])}],
                });
                merge(
                    &mut v,
                    listing(dir, d, cards, list, &format!("labels/{id}/"))?,
                );
                v
            }
            Kind::LabelIn(id, code, list) => {
                let l = &dir.labels[id];
                let name = departement_name(code);
                let title = t.get(
                    "page.label_in",
                    &[("label", &l.name), ("departement", &name), ("code", code)],
                );
                json!({
                    "page_title": title,
                    "heading": title,
                    "site_count": list.len(),
                    "cards_html": cards.listing(list)?,
                    "crumbs": [{"href": "labels/", "text": t.get("page.labels", &[])}, {"href": format!("labels/{id}/"), "text": l.name}],
                })
            }
            Kind::Charter(id) => {
                let l = &dir.labels[id];
                let page = &dir.charters[&l.charter];
                json!({
                    "page_title": page.title,
                    "heading": page.title,
                    "html": markdown::to_html(&page.markdown),
                    "source": page.source,
                    "crumbs": [{"href": "labels/", "text": t.get("page.labels", &[])}, {"href": format!("labels/{id}/"), "text": l.name}],
                })
            }
            Kind::Notices => {
                let mut all: Vec<_> = (0..dir.notices.len())
                    .map(|n| notice_view(dir, d, n, t))
                    .collect();
                // Running now first, then upcoming by start date; the
                // archives newest first.
                all.sort_by(|a, b| {
                    let rank = |s: NoticeState| match s {
                        NoticeState::Active => 0,
                        NoticeState::Upcoming => 1,
                        NoticeState::Past => 2,
                    };
                    let by_date = if a.state == NoticeState::Past {
                        b.from.cmp(&a.from)
                    } else {
                        a.from.cmp(&b.from)
                    };
                    rank(a.state)
                        .cmp(&rank(b.state))
                        .then(by_date)
                        .then(a.id.cmp(b.id))
                });
                let (past, current): (Vec<_>, Vec<_>) =
                    all.into_iter().partition(|n| n.state == NoticeState::Past);
                let html = cards.notices(&[&current, &past])?;
                let mut page = json!({
                    "page_title": t.get("page.notices", &[]),
                    "current_html": html[0],
                    "past_html": html[1],
                });
                // Tera copies a page's whole context: the lists of a thousand
                // notices only go to a theme's own page, which may loop.
                if cards.custom_notices_page {
                    merge(&mut page, json!({"current": current, "past": past}));
                }
                page
            }
            Kind::Page(i) => {
                let p = &dir.pages[*i];
                json!({"page_title": p.title, "heading": p.title, "html": markdown::to_html(&p.markdown), "crumbs": []})
            }
            Kind::NotFound => json!({"page_title": t.get("page.not_found", &[])}),
        };
        Ok(tera::Context::from_value(value).expect("page context is an object"))
    }
}

/// Adds the fields of object `extra` to object `v`.
fn merge(v: &mut serde_json::Value, extra: serde_json::Value) {
    if let (Some(v), serde_json::Value::Object(extra)) = (v.as_object_mut(), extra) {
        v.extend(extra);
    }
}
