//! The default theme's site page, written out in Rust.
//!
//! Site pages are most of a directory's pages, and Tera spent more time on
//! them than any other stage of a national build: every `{{ site.x.y }}` is
//! a lookup through a JSON tree. When a directory uses the default
//! `site.html`, `macros.html` and `base.html` unchanged (the templates in
//! [`MIRRORED_TEMPLATES`], compared byte for byte), this module writes the
//! same bytes directly from [`SitePage`]. Any other theme goes through Tera,
//! so overriding a template keeps working exactly as documented.
//!
//! The parts of `base.html` around the page's blocks are not repeated here:
//! Tera renders them once per build ([`CHROME_TEMPLATE`]). Tests render every
//! site of the sample and of a synthetic directory both ways and compare the
//! bytes, so a change to one of these templates that is not made here too
//! fails the suite (and, until then, only turns this path off).

use super::NoticeView;
use super::site::SitePage;
use crate::model::{Appointment, Precision};
use crate::text::{escape_html, escape_into};

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
        })
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
        w.raw("</script>\n<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Avis — ");
        w.esc(p.site.name);
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
        w.raw("\n<nav aria-label=\"Fil d'Ariane\" class=\"crumbs\"><ol>\n  <li><a href=\"");
        w.raw(base);
        w.raw("\">Accueil</a></li>\n  ");
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
        w.raw("<section aria-labelledby=\"adresse-titre\">\n  <h2 id=\"adresse-titre\">Adresse</h2>\n  <address>\n    ");
        match s.address.street.as_deref().filter(|t| !t.is_empty()) {
            Some(street) => {
                w.esc(street);
                w.raw("<br>");
            }
            None => w.raw("<span class=\"unknown\">Adresse précise non communiquée</span><br>"),
        }
        w.raw("\n    ");
        w.esc(&s.address.postcode);
        w.raw(" ");
        w.esc(&s.address.commune);
        w.raw("\n  </address>\n  ");
        if let Some(loc) = &s.location {
            let (lat, lon) = (loc.lat.to_string(), loc.lon.to_string());
            w.raw("\n  <p class=\"coords\">Coordonnées : ");
            w.esc(&lat);
            w.raw(", ");
            w.esc(&lon);
            if loc.precision == Precision::Commune {
                w.raw(" (position approximative : centre de la commune)");
            }
            w.raw("</p>\n  <p class=\"maplinks\"><a href=\"https://www.openstreetmap.org/?mlat=");
            w.esc(&lat);
            w.raw("&amp;mlon=");
            w.esc(&lon);
            w.raw("#map=17/");
            w.esc(&lat);
            w.raw("/");
            w.esc(&lon);
            w.raw("\">Voir sur OpenStreetMap</a> · <a href=\"geo:");
            w.esc(&lat);
            w.raw(",");
            w.esc(&lon);
            w.raw("\">Ouvrir dans l'application de cartes du téléphone</a></p>\n  <div class=\"map\" id=\"map\" data-lat=\"");
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
            w.raw("\" data-label=\"Carte : emplacement du lieu\" data-tiles=\"");
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
        w.raw("<section aria-labelledby=\"horaires-titre\">\n  <h2 id=\"horaires-titre\">Horaires d'ouverture</h2>\n  <p class=\"appointment\">");
        w.raw(match s.appointment {
            Appointment::Required => "<strong>Sur rendez-vous uniquement.</strong>",
            Appointment::Recommended => "Rendez-vous conseillé.",
            Appointment::None => "Accueil sans rendez-vous.",
            Appointment::Unknown => {
                "Rendez-vous : conditions non communiquées, renseignez-vous avant de vous déplacer."
            }
        });
        w.raw("</p>\n  ");
        match &p.hours {
            Some(h) => {
                w.raw("\n  <table class=\"hours\">\n    <caption>Horaires habituels</caption>\n    <tbody>\n    ");
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
                w.raw("\n  <p class=\"total\">Total : ");
                w.esc(&h.total);
                w.raw(" par semaine");
                if !h.monthly.is_empty() {
                    w.raw(" (hors ouvertures mensuelles)");
                }
                w.raw(".");
                if h.ph_closed {
                    w.raw(" Fermé les jours fériés");
                    if let Some(label) = h.ph_label {
                        w.raw(", comme tous les lieux ");
                        w.esc(label);
                    }
                    w.raw(".");
                }
                w.raw("</p>\n  ");
                if h.irregular {
                    w.raw("<p class=\"note\">Ces horaires comportent des exceptions datées : consultez la liste des fermetures ci-dessous.</p>");
                }
                w.raw("\n  ");
            }
            None => w.raw("\n  <p class=\"unknown\">Horaires non communiqués. Contactez le lieu ou la mairie avant de vous déplacer.</p>\n  "),
        }
        w.raw("\n  ");
        if let Some(note) = s.hours_note.filter(|t| !t.is_empty()) {
            w.raw("<p class=\"note\">");
            w.raw(&crate::render::theme::linkify(note));
            w.raw("</p>");
        }
        w.raw("\n  ");
        if !p.closures.is_empty() {
            w.raw("\n  <h3>Fermetures et changements dans les 30 prochains jours</h3>\n  <ul class=\"closures\">");
            for c in &p.closures {
                w.raw("<li data-until=\"");
                w.esc(&c.until);
                w.raw("\">");
                w.esc(&crate::render::fr::capitalize(&c.when));
                w.raw(" : ");
                w.esc(c.reason);
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
        if !p.notices.is_empty() {
            w.raw(
                "\n<section aria-labelledby=\"avis-titre\">\n  <h2 id=\"avis-titre\">Avis</h2>\n  ",
            );
            for n in &p.notices {
                notice(w, n);
            }
            w.raw("\n</section>\n");
        }
        w.raw("\n\n");
        if let Some(html) = p.description_html.as_deref().filter(|t| !t.is_empty()) {
            w.raw("<section aria-labelledby=\"presentation-titre\"><h2 id=\"presentation-titre\">Présentation</h2>");
            w.raw(html);
            w.raw("</section>");
        }
        w.raw("\n\n<section aria-labelledby=\"services-titre\">\n  <h2 id=\"services-titre\">Ce que vous pouvez faire ici</h2>\n  ");
        for g in &p.service_groups {
            w.raw("\n  <h3>");
            w.esc(g.name);
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
            w.raw("<p class=\"unknown\">Services non précisés.</p>");
        }
        w.raw("\n</section>\n\n");
    }

    fn rest(&self, w: &mut Writer, p: &SitePage) {
        let s = &p.site;
        let base = &self.base;
        let e = s.equipment;
        w.raw("<section aria-labelledby=\"equipement-titre\">\n  <h2 id=\"equipement-titre\">Équipement et accessibilité</h2>\n  <ul>\n    ");
        match e.computers {
            Some(0) => w.raw("<li>Pas d'ordinateur en libre accès</li>"),
            Some(n) => {
                w.raw("<li>");
                w.raw(&n.to_string());
                w.raw(" ordinateur");
                if n > 1 {
                    w.raw("s");
                }
                w.raw(" en libre accès</li>");
            }
            None => {}
        }
        let facts = [
            (
                e.printer,
                "<li>Imprimante</li>",
                "<li>Pas d'imprimante</li>",
            ),
            (e.scanner, "<li>Scanner</li>", "<li>Pas de scanner</li>"),
            (
                e.video_call,
                "<li>Visioconférence avec les organismes</li>",
                "<li>Pas de visioconférence</li>",
            ),
        ];
        for (fact, yes, no) in facts {
            w.raw("\n    ");
            match fact {
                Some(true) => w.raw(yes),
                Some(false) => w.raw(no),
                None => {}
            }
        }
        w.raw("\n    ");
        if !p.equipment_known {
            w.raw("<li>Équipement non communiqué</li>");
        }
        w.raw("\n    ");
        w.raw(match s.wheelchair {
            Some(true) => "<li>Accessible en fauteuil roulant</li>",
            Some(false) => "<li>Non accessible en fauteuil roulant</li>",
            None => "<li>Accessibilité en fauteuil roulant non communiquée</li>",
        });
        w.raw("\n  </ul>\n</section>");
        w.raw("\n\n<section aria-labelledby=\"contact-titre\">\n  <h2 id=\"contact-titre\">Contact</h2>\n  ");
        let shown = |v: &Option<String>| v.clone().filter(|t| !t.is_empty());
        let (phone, email, website) = (
            shown(&s.contact.phone),
            shown(&s.contact.email),
            shown(&s.contact.website),
        );
        if phone.is_some() || email.is_some() || website.is_some() {
            w.raw("\n  <ul>\n    ");
            if let Some(phone) = &phone {
                w.raw("<li>Téléphone : <a href=\"tel:");
                w.esc(&phone.replace(' ', ""));
                w.raw("\">");
                w.esc(phone);
                w.raw("</a></li>");
            }
            w.raw("\n    ");
            if let Some(email) = &email {
                w.raw("<li>Courriel : <a href=\"mailto:");
                w.esc(email);
                w.raw("\">");
                w.esc(email);
                w.raw("</a></li>");
            }
            w.raw("\n    ");
            if let Some(website) = &website {
                w.raw("<li>Site : <a href=\"");
                w.esc(website);
                w.raw("\">");
                w.esc(website);
                w.raw("</a></li>");
            }
            w.raw("\n  </ul>\n  ");
        } else {
            w.raw("<p class=\"unknown\">Pas de contact public communiqué.</p>");
        }
        w.raw("\n</section>\n\n");
        if let Some(l) = &p.label {
            w.raw("\n<section aria-labelledby=\"label-titre\">\n  <h2 id=\"label-titre\">Label</h2>\n  <p>");
            w.esc(l.description);
            w.raw("</p>\n  ");
            if let Some(href) = p.charter_href.as_deref().filter(|t| !t.is_empty()) {
                w.raw("<p><a href=\"");
                w.raw(base);
                w.esc(href);
                w.raw("\">Lire la charte ");
                w.esc(l.name);
                w.raw("</a></p>");
            }
            w.raw("\n</section>\n");
        }
        w.raw("\n\n");
        if !p.nearest.is_empty() {
            w.raw("\n<section aria-labelledby=\"proches-titre\">\n  <h2 id=\"proches-titre\">Autres lieux proches</h2>\n  <ol class=\"nearest\">");
            for n in &p.nearest {
                w.raw("<li><a href=\"");
                w.raw(base);
                w.raw("lieux/");
                w.esc(n.slug);
                w.raw("/\">");
                w.esc(n.name);
                w.raw("</a>, ");
                w.esc(n.commune);
                w.raw(" — ");
                w.esc(&n.km);
                w.raw("</li>");
            }
            w.raw("</ol>\n</section>\n");
        }
        w.raw("\n<p><a href=\"");
        w.raw(base);
        w.raw("lieux/");
        w.esc(s.slug);
        w.raw("/fermetures.ics\">Ajouter les fermetures à mon agenda (iCalendar)</a> · <a href=\"");
        w.raw(base);
        w.raw("lieux/");
        w.esc(s.slug);
        w.raw("/avis.xml\">Suivre les avis de ce lieu (Atom)</a></p>\n</article>\n");
    }
}

/// The `notice` macro of `macros.html`, as a site page calls it
/// (`show_site=false`).
fn notice(w: &mut Writer, n: &NoticeView) {
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
        w.raw("<table class=\"hours\"><caption>Horaires pendant cette période</caption><tbody>");
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
}
