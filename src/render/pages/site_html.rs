//! The default theme's site page, written out in Rust.
//!
//! Site pages are most of a directory's pages, and Tera spent more time on
//! them than any other stage of a national build: every `{{ site.x.y }}` is
//! a lookup through a JSON tree. When a directory uses the default
//! `site.html`, `macros.html` and `base.html` unchanged (the templates in
//! [`MIRRORED_TEMPLATES`], compared byte for byte), this module writes the
//! same bytes directly from [`SitePage`], with the words of the theme's
//! strings, which the templates read too: a reworded string keeps this path.
//! Any other theme goes through Tera, so overriding a template keeps
//! working exactly as documented.
//!
//! The parts of `base.html` around the page's blocks are not repeated here:
//! Tera renders them once per build ([`CHROME_TEMPLATE`]). Tests render every
//! site of the sample and of a synthetic directory both ways and compare the
//! bytes, so a change to one of these templates that is not made here too
//! fails the suite (and, until then, only turns this path off).

use super::NoticeView;
use super::site::SitePage;
use crate::model::{Appointment, Precision};
use crate::render::theme::{Phrase, Strings};
use crate::text::{escape_html, escape_into};

mod details;

/// The templates this module reproduces, as shipped.
pub const MIRRORED_TEMPLATES: [(&str, &str); 3] = [
    (
        "base.html",
        include_str!("../../../themes/default/templates/base.html"),
    ),
    (
        "site.html",
        include_str!("../../../themes/default/templates/site.html"),
    ),
    (
        "macros.html",
        include_str!("../../../themes/default/templates/macros.html"),
    ),
];

/// A page extending `base.html` with markers for the page's title and
/// blocks, rendered once per build to get the shared parts of every site page.
pub const CHROME_TEMPLATE: (&str, &str) = (
    "guichet/site-chrome.html",
    "{% extends \"base.html\" %}{% block head %}\u{1}{% endblock head %}{% block content %}\u{2}{% endblock content %}",
);

/// Stands for the page title in the chrome's context.
pub const TITLE_MARK: &str = "\u{3}";

/// What every site page of a build shares, escaped once.
pub struct SiteHtml {
    before_title: String,
    before_head: String,
    before_content: String,
    after_content: String,
    base: String,
    map_js: String,
    leaflet_js: String,
    leaflet_css: String,
    map_tiles: String,
    map_attribution: String,
    strings: Strings,
    t: SiteWords,
    home: Phrase,
    crumbs_label: Phrase,
    hours_caption: Phrase,
}

words! {
    /// The strings of `site.html`.
    SiteWords, "site." {
        feed_title, hours_heading, appointment_required, appointment_recommended,
        appointment_none, appointment_unknown, usual_hours, total, total_monthly,
        holidays_closed, holidays_closed_label, irregular, hours_unknown,
        closures_heading, closure, address_heading, street_unknown, coords,
        coords_approximate, openstreetmap, phone_map, map_label, notices_heading,
        description_heading, services_heading, services_unknown, equipment_heading,
        computers_none, computers_one, computers_many, printer, no_printer, scanner,
        no_scanner, video_call, no_video_call, equipment_unknown, wheelchair,
        no_wheelchair, wheelchair_unknown, contact_heading, phone, email, website,
        contact_unknown, label_heading, read_charter, nearest_heading, calendar, feed,
    }
}

impl SiteHtml {
    /// `chrome` is [`CHROME_TEMPLATE`] rendered with the build's common
    /// values and [`TITLE_MARK`] as `page_title`; `asset` gives an asset's
    /// published URL. `None` if the chrome does not have the expected shape
    /// or an asset the page links to is missing: Tera then renders site
    /// pages and reports what is wrong.
    pub fn new(
        chrome: &str,
        base: &str,
        asset: impl Fn(&str) -> Option<String>,
        map_tiles: &str,
        map_attribution: &str,
        strings: &Strings,
    ) -> Option<SiteHtml> {
        let (before_title, rest) = split_once_only(chrome, TITLE_MARK)?;
        let (before_head, rest) = split_once_only(rest, "\u{1}")?;
        let (before_content, after_content) = split_once_only(rest, "\u{2}")?;
        let esc = escape_html;
        Some(SiteHtml {
            before_title: before_title.to_owned(),
            before_head: before_head.to_owned(),
            before_content: before_content.to_owned(),
            after_content: after_content.to_owned(),
            base: esc(base),
            map_js: esc(&asset("map.js")?),
            leaflet_js: esc(&asset("vendor/leaflet/leaflet.js")?),
            leaflet_css: esc(&asset("vendor/leaflet/leaflet.css")?),
            map_tiles: esc(map_tiles),
            map_attribution: esc(map_attribution),
            strings: strings.clone(),
            t: SiteWords::of(strings),
            home: strings.phrase("common.home").clone(),
            crumbs_label: strings.phrase("common.crumbs_label").clone(),
            hours_caption: strings.phrase("notice.hours_caption").clone(),
        })
    }

    /// The theme's words, which the site page's values are worded with.
    pub(super) fn strings(&self) -> &Strings {
        &self.strings
    }

    /// The site page, byte for byte what Tera makes of `site.html`.
    pub(super) fn render(&self, p: &SitePage) -> String {
        let mut w = Writer(String::with_capacity(12 * 1024));
        w.raw(&self.before_title);
        w.esc(&p.page_title);
        w.raw(&self.before_head);
        self.head(&mut w, p);
        w.raw(&self.before_content);
        self.content(&mut w, p);
        w.raw(&self.after_content);
        w.0
    }

    fn head(&self, w: &mut Writer, p: &SitePage) {
        w.raw("<script type=\"application/ld+json\">");
        w.raw(&p.jsonld);
        w.raw("</script>\n<link rel=\"alternate\" type=\"application/atom+xml\" title=\"");
        w.phrase(&self.t.feed_title, &[("site", p.site.name)]);
        w.raw("\" href=\"");
        w.raw(&self.base);
        w.raw("lieux/");
        w.esc(p.site.slug);
        w.raw("/avis.xml\">\n<script src=\"");
        w.raw(&self.map_js);
        w.raw("\" defer></script>");
    }

    fn content(&self, w: &mut Writer, p: &SitePage) {
        let s = &p.site;
        let base = &self.base;
        w.raw("\n<nav aria-label=\"");
        w.phrase(&self.crumbs_label, &[]);
        w.raw("\" class=\"crumbs\"><ol>\n  <li><a href=\"");
        w.raw(base);
        w.raw("\">");
        w.phrase(&self.home, &[]);
        w.raw("</a></li>\n  ");
        if !s.departement.is_empty() {
            w.raw("<li><a href=\"");
            w.raw(base);
            w.raw("departements/");
            w.esc(s.departement);
            w.raw("/\">");
            w.esc(&p.departement_name);
            w.raw("</a></li>");
        }
        w.raw("\n  <li><a href=\"");
        w.raw(base);
        w.raw("communes/");
        w.esc(&p.commune_key);
        w.raw("/\">");
        w.esc(&s.address.commune);
        w.raw("</a></li>\n  <li aria-current=\"page\">");
        w.esc(s.name);
        w.raw("</li>\n</ol></nav>\n\n<article class=\"site\" data-slug=\"");
        w.esc(s.slug);
        w.raw("\">\n<h1>");
        w.esc(s.name);
        w.raw("</h1>\n<p class=\"meta\">");
        if let Some(l) = &p.label {
            w.raw("<a class=\"badge badge-");
            w.esc(l.id);
            w.raw("\" href=\"");
            w.raw(base);
            w.raw("labels/");
            w.esc(l.id);
            w.raw("/\">");
            w.esc(l.name);
            w.raw("</a>");
        }
        if let Some(structure) = s.structure.filter(|t| !t.is_empty()) {
            w.raw(" · ");
            w.esc(structure);
        }
        w.raw("</p>\n\n");
        for n in p.notices.iter().filter(|n| n.banner) {
            w.raw("<div class=\"banner\" role=\"note\" data-until=\"");
            w.esc(&n.until);
            w.raw("\"><strong>");
            w.esc(&n.heading);
            w.raw("</strong> — ");
            w.esc(&n.when);
            w.raw("</div>");
        }
        w.raw("\n\n<p id=\"open-now\" class=\"open-state\" aria-live=\"polite\" hidden></p>\n\n");
        // The hours come first: on a phone, the map would push them off the
        // first screen.
        self.hours(w, p);
        self.address(w, p);
        self.notices(w, p);
        self.rest(w, p);
    }

    fn address(&self, w: &mut Writer, p: &SitePage) {
        let s = &p.site;
        let t = &self.t;
        w.raw("<section aria-labelledby=\"adresse-titre\">\n  <h2 id=\"adresse-titre\">");
        w.phrase(&t.address_heading, &[]);
        w.raw("</h2>\n  <address>\n    ");
        match s.address.street.as_deref().filter(|t| !t.is_empty()) {
            Some(street) => {
                w.esc(street);
                w.raw("<br>");
            }
            None => {
                w.raw("<span class=\"unknown\">");
                w.phrase(&t.street_unknown, &[]);
                w.raw("</span><br>");
            }
        }
        w.raw("\n    ");
        w.esc(&s.address.postcode);
        w.raw(" ");
        w.esc(&s.address.commune);
        w.raw("\n  </address>\n  ");
        if let Some(loc) = &s.location {
            let (lat, lon) = (loc.lat.to_string(), loc.lon.to_string());
            w.raw("\n  <p class=\"coords\">");
            let coords = match loc.precision {
                Precision::Commune => &t.coords_approximate,
                Precision::Address => &t.coords,
            };
            w.phrase(coords, &[("lat", &lat), ("lon", &lon)]);
            w.raw("</p>\n  <p class=\"maplinks\"><a href=\"https://www.openstreetmap.org/?mlat=");
            w.esc(&lat);
            w.raw("&amp;mlon=");
            w.esc(&lon);
            w.raw("#map=17/");
            w.esc(&lat);
            w.raw("/");
            w.esc(&lon);
            w.raw("\">");
            w.phrase(&t.openstreetmap, &[]);
            w.raw("</a> · <a href=\"geo:");
            w.esc(&lat);
            w.raw(",");
            w.esc(&lon);
            w.raw("\">");
            w.phrase(&t.phone_map, &[]);
            w.raw("</a></p>\n  <div class=\"map\" id=\"map\" data-lat=\"");
            w.esc(&lat);
            w.raw("\" data-lon=\"");
            w.esc(&lon);
            w.raw("\" data-name=\"");
            w.esc(s.name);
            w.raw("\" data-precision=\"");
            w.raw(match loc.precision {
                Precision::Address => "address",
                Precision::Commune => "commune",
            });
            w.raw("\" data-label=\"");
            w.phrase(&t.map_label, &[]);
            w.raw("\" data-tiles=\"");
            w.raw(&self.map_tiles);
            w.raw("\" data-attribution=\"");
            w.raw(&self.map_attribution);
            w.raw("\" data-leaflet=\"");
            w.raw(&self.leaflet_js);
            w.raw("\" data-leaflet-css=\"");
            w.raw(&self.leaflet_css);
            w.raw("\"></div>\n  ");
        }
        w.raw("\n</section>\n\n");
    }

    fn hours(&self, w: &mut Writer, p: &SitePage) {
        let s = &p.site;
        let t = &self.t;
        w.raw("<section aria-labelledby=\"horaires-titre\">\n  <h2 id=\"horaires-titre\">");
        w.phrase(&t.hours_heading, &[]);
        w.raw("</h2>\n  <p class=\"appointment\">");
        match s.appointment {
            Appointment::Required => {
                w.raw("<strong>");
                w.phrase(&t.appointment_required, &[]);
                w.raw("</strong>");
            }
            Appointment::Recommended => w.phrase(&t.appointment_recommended, &[]),
            Appointment::None => w.phrase(&t.appointment_none, &[]),
            Appointment::Unknown => w.phrase(&t.appointment_unknown, &[]),
        }
        w.raw("</p>\n  ");
        match &p.hours {
            Some(h) => {
                w.raw("\n  <table class=\"hours\">\n    <caption>");
                w.phrase(&t.usual_hours, &[]);
                w.raw("</caption>\n    <tbody>\n    ");
                for l in &h.lines {
                    w.raw("<tr");
                    if l.closed {
                        w.raw(" class=\"closed\"");
                    }
                    w.raw("><th scope=\"row\">");
                    w.esc(l.day);
                    w.raw("</th><td>");
                    w.esc(&l.text);
                    w.raw("</td></tr>");
                }
                w.raw("\n    </tbody>\n  </table>\n  ");
                for line in &h.monthly {
                    w.raw("<p class=\"monthly\">");
                    w.esc(line);
                    w.raw("</p>");
                }
                w.raw("\n  ");
                for c in &h.comments {
                    w.raw("<p class=\"comment\">");
                    w.raw(&crate::render::theme::linkify(c));
                    w.raw("</p>");
                }
                w.raw("\n  <p class=\"total\">");
                let total = if h.monthly.is_empty() {
                    &t.total
                } else {
                    &t.total_monthly
                };
                w.phrase(total, &[("total", &h.total)]);
                if h.ph_closed {
                    w.raw(" ");
                    match h.ph_label {
                        Some(label) => w.phrase(&t.holidays_closed_label, &[("label", label)]),
                        None => w.phrase(&t.holidays_closed, &[]),
                    }
                }
                w.raw("</p>\n  ");
                if h.irregular {
                    w.raw("<p class=\"note\">");
                    w.phrase(&t.irregular, &[]);
                    w.raw("</p>");
                }
                w.raw("\n  ");
            }
            None => {
                w.raw("\n  <p class=\"unknown\">");
                w.phrase(&t.hours_unknown, &[]);
                w.raw("</p>\n  ");
            }
        }
        w.raw("\n  ");
        if let Some(note) = s.hours_note.filter(|t| !t.is_empty()) {
            w.raw("<p class=\"note\">");
            w.raw(&crate::render::theme::linkify(note));
            w.raw("</p>");
        }
        w.raw("\n  ");
        if !p.closures.is_empty() {
            w.raw("\n  <h3>");
            w.phrase(&t.closures_heading, &[]);
            w.raw("</h3>\n  <ul class=\"closures\">");
            for c in &p.closures {
                w.raw("<li data-until=\"");
                w.esc(&c.until);
                w.raw("\">");
                let when = crate::render::fr::capitalize(&c.when);
                w.phrase(&t.closure, &[("when", &when), ("reason", c.reason)]);
                w.raw("</li>");
            }
            w.raw("</ul>\n  ");
        }
        w.raw("\n  ");
        if let Some(json) = p.schedule_json.as_deref().filter(|t| !t.is_empty()) {
            w.raw("<script type=\"application/json\" id=\"schedule\">");
            w.raw(json);
            w.raw("</script>");
        }
        w.raw("\n</section>\n\n");
    }

    fn notices(&self, w: &mut Writer, p: &SitePage) {
        let t = &self.t;
        if !p.notices.is_empty() {
            w.raw("\n<section aria-labelledby=\"avis-titre\">\n  <h2 id=\"avis-titre\">");
            w.phrase(&t.notices_heading, &[]);
            w.raw("</h2>\n  ");
            for n in &p.notices {
                notice(w, n, &self.hours_caption);
            }
            w.raw("\n</section>\n");
        }
        w.raw("\n\n");
        if let Some(html) = p.description_html.as_deref().filter(|t| !t.is_empty()) {
            w.raw("<section aria-labelledby=\"presentation-titre\"><h2 id=\"presentation-titre\">");
            w.phrase(&t.description_heading, &[]);
            w.raw("</h2>");
            w.raw(html);
            w.raw("</section>");
        }
        w.raw("\n\n<section aria-labelledby=\"services-titre\">\n  <h2 id=\"services-titre\">");
        w.phrase(&t.services_heading, &[]);
        w.raw("</h2>\n  ");
        for g in &p.service_groups {
            w.raw("\n  <h3>");
            w.esc(&g.name);
            w.raw("</h3>\n  <ul>");
            for s in &g.services {
                w.raw("<li><a href=\"");
                w.raw(&self.base);
                w.raw("services/");
                w.esc(s.id);
                w.raw("/\">");
                w.esc(s.name);
                w.raw("</a></li>");
            }
            w.raw("</ul>\n  ");
        }
        if p.service_groups.is_empty() {
            w.raw("<p class=\"unknown\">");
            w.phrase(&t.services_unknown, &[]);
            w.raw("</p>");
        }
        w.raw("\n</section>\n\n");
    }
}

/// The `notice` macro of `macros.html`, as a site page calls it
/// (`show_site=false`).
fn notice(w: &mut Writer, n: &NoticeView, hours_caption: &Phrase) {
    w.raw("\n<article id=\"");
    w.esc(n.id);
    w.raw("\" class=\"notice notice-");
    w.esc(n.kind);
    w.raw("\" data-until=\"");
    w.esc(&n.until);
    w.raw("\" data-from=\"");
    w.esc(&n.from);
    w.raw("\">\n  <h3>");
    w.esc(&n.heading);
    w.raw("</h3>\n  <p class=\"when\">");
    w.esc(&n.when);
    w.raw("</p>\n  ");
    if !n.hours_lines.is_empty() {
        w.raw("<table class=\"hours\"><caption>");
        w.phrase(hours_caption, &[]);
        w.raw("</caption><tbody>");
        for l in &n.hours_lines {
            w.raw("<tr><th scope=\"row\">");
            w.esc(l.day);
            w.raw("</th><td>");
            w.esc(&l.text);
            w.raw("</td></tr>");
        }
        w.raw("</tbody></table>");
    }
    w.raw("\n  <div class=\"body\">");
    w.raw(&n.html);
    w.raw("</div>\n</article>\n");
}

/// `text` split around its only `mark`; `None` unless it occurs exactly once.
fn split_once_only<'t>(text: &'t str, mark: &str) -> Option<(&'t str, &'t str)> {
    let (before, after) = text.split_once(mark)?;
    (!after.contains(mark)).then_some((before, after))
}

struct Writer(String);

impl Writer {
    fn raw(&mut self, s: &str) {
        self.0.push_str(s);
    }

    fn esc(&mut self, s: &str) {
        escape_into(&mut self.0, s);
    }

    fn phrase(&mut self, p: &Phrase, args: &[(&str, &str)]) {
        p.html_into(&mut self.0, args);
    }
}
