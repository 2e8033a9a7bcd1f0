//! The lower part of the site page: equipment, contact, label, nearby
//! sites and the calendar and feed links.

use super::{SiteHtml, Writer};
use crate::render::pages::site::SitePage;
use crate::render::theme::Phrase;

impl SiteHtml {
    pub(super) fn rest(&self, w: &mut Writer, p: &SitePage) {
        let s = &p.site;
        let t = &self.t;
        let base = &self.base;
        let e = s.equipment;
        w.raw("<section aria-labelledby=\"equipement-titre\">\n  <h2 id=\"equipement-titre\">");
        w.phrase(&t.equipment_heading, &[]);
        w.raw("</h2>\n  <ul>\n    ");
        let item = |w: &mut Writer, phrase: &Phrase, args: &[(&str, &str)]| {
            w.raw("<li>");
            w.phrase(phrase, args);
            w.raw("</li>");
        };
        match e.computers {
            Some(0) => item(w, &t.computers_none, &[]),
            Some(n) => {
                let count = n.to_string();
                let phrase = if n > 1 {
                    &t.computers_many
                } else {
                    &t.computers_one
                };
                item(w, phrase, &[("count", &count)]);
            }
            None => {}
        }
        let facts = [
            (e.printer, &t.printer, &t.no_printer),
            (e.scanner, &t.scanner, &t.no_scanner),
            (e.video_call, &t.video_call, &t.no_video_call),
        ];
        for (fact, yes, no) in facts {
            w.raw("\n    ");
            match fact {
                Some(true) => item(w, yes, &[]),
                Some(false) => item(w, no, &[]),
                None => {}
            }
        }
        w.raw("\n    ");
        if !p.equipment_known {
            item(w, &t.equipment_unknown, &[]);
        }
        w.raw("\n    ");
        let wheelchair = match s.wheelchair {
            Some(true) => &t.wheelchair,
            Some(false) => &t.no_wheelchair,
            None => &t.wheelchair_unknown,
        };
        item(w, wheelchair, &[]);
        w.raw("\n  </ul>\n</section>");
        w.raw("\n\n<section aria-labelledby=\"contact-titre\">\n  <h2 id=\"contact-titre\">");
        w.phrase(&t.contact_heading, &[]);
        w.raw("</h2>\n  ");
        let shown = |v: &Option<String>| v.clone().filter(|t| !t.is_empty());
        let (phone, email, website) = (
            shown(&s.contact.phone),
            shown(&s.contact.email),
            shown(&s.contact.website),
        );
        if phone.is_some() || email.is_some() || website.is_some() {
            w.raw("\n  <ul>\n    ");
            if let Some(phone) = &phone {
                w.raw("<li>");
                w.phrase(&t.phone, &[]);
                w.raw(" <a href=\"tel:");
                w.esc(&phone.replace(' ', ""));
                w.raw("\">");
                w.esc(phone);
                w.raw("</a></li>");
            }
            w.raw("\n    ");
            if let Some(email) = &email {
                w.raw("<li>");
                w.phrase(&t.email, &[]);
                w.raw(" <a href=\"mailto:");
                w.esc(email);
                w.raw("\">");
                w.esc(email);
                w.raw("</a></li>");
            }
            w.raw("\n    ");
            if let Some(website) = &website {
                w.raw("<li>");
                w.phrase(&t.website, &[]);
                w.raw(" <a href=\"");
                w.esc(website);
                w.raw("\">");
                w.esc(website);
                w.raw("</a></li>");
            }
            w.raw("\n  </ul>\n  ");
        } else {
            w.raw("<p class=\"unknown\">");
            w.phrase(&t.contact_unknown, &[]);
            w.raw("</p>");
        }
        w.raw("\n</section>\n\n");
        if let Some(l) = &p.label {
            w.raw("\n<section aria-labelledby=\"label-titre\">\n  <h2 id=\"label-titre\">");
            w.phrase(&t.label_heading, &[]);
            w.raw("</h2>\n  <p>");
            w.esc(l.description);
            w.raw("</p>\n  ");
            if let Some(href) = p.charter_href.as_deref().filter(|t| !t.is_empty()) {
                w.raw("<p><a href=\"");
                w.raw(base);
                w.esc(href);
                w.raw("\">");
                w.phrase(&t.read_charter, &[("label", l.name)]);
                w.raw("</a></p>");
            }
            w.raw("\n</section>\n");
        }
        w.raw("\n\n");
        if !p.nearest.is_empty() {
            w.raw("\n<section aria-labelledby=\"proches-titre\">\n  <h2 id=\"proches-titre\">");
            w.phrase(&t.nearest_heading, &[]);
            w.raw("</h2>\n  <ol class=\"nearest\">");
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
        w.raw("/fermetures.ics\">");
        w.phrase(&t.calendar, &[]);
        w.raw("</a> · <a href=\"");
        w.raw(base);
        w.raw("lieux/");
        w.esc(s.slug);
        w.raw("/avis.xml\">");
        w.phrase(&t.feed, &[]);
        w.raw("</a></p>\n</article>\n");
    }
}
