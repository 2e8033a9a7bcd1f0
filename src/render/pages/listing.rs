//! Sites in listings: each site's card, rendered once, and the listings
//! that join them — split by département when too long for one page.

use super::{departement_name, json};
use crate::derive::Derived;
use crate::hours::french;
use crate::model::{Appointment, Directory};
use crate::render::theme::{Phrase, Strings};
use serde::Serialize;
use std::collections::BTreeMap;

/// A site in a listing.
#[derive(Serialize)]
struct Card<'a> {
    slug: &'a str,
    name: &'a str,
    commune: &'a str,
    postcode: &'a str,
    street: Option<&'a str>,
    label: &'a str,
    label_id: &'a str,
    appointment: Appointment,
    wheelchair: Option<bool>,
    hours_known: bool,
    /// The build day's hours, or the next opening: what a reader without
    /// JavaScript sees; the script replaces it with the live state.
    today: Option<(String, String)>,
}

/// [`day_line_in`] with the shipped strings: whether a site's line changed
/// does not depend on its words.
pub fn day_line(facts: &crate::derive::SiteFacts) -> Option<String> {
    static SHIPPED: std::sync::LazyLock<Strings> = std::sync::LazyLock::new(Strings::shipped);
    day_line_in(facts, &SHIPPED)
}

/// "Mercredi 2 décembre : 08h30 – 12h00", or "Mercredi 2 décembre : fermé,
/// prochaine ouverture jeudi 3 décembre à 08h30", from the site's dated
/// schedule on the build day in its own time zone.
fn day_line_in(facts: &crate::derive::SiteFacts, t: &Strings) -> Option<String> {
    let schedule = facts.schedule.as_ref()?;
    let on = |date: chrono::NaiveDate| -> &[[u16; 2]] {
        use chrono::Datelike;
        let key = date.format("%Y-%m-%d").to_string();
        schedule
            .exceptions
            .get(&key)
            .unwrap_or(&schedule.week[date.weekday().num_days_from_monday() as usize])
    };
    let today = facts.today;
    let day = crate::render::fr::capitalize(&crate::render::fr::weekday_and_day(today));
    let intervals = on(today);
    if !intervals.is_empty() {
        let list: Vec<String> = intervals
            .iter()
            .map(|[a, b]| french::span(*a, *b))
            .collect();
        return Some(t.get(
            "card.today_open",
            &[("day", &day), ("hours", &list.join(", "))],
        ));
    }
    let next = today
        .iter_days()
        .skip(1)
        .take_while(|d| *d <= schedule.until)
        .find_map(|d| on(d).first().map(|iv| (d, iv[0])));
    Some(match next {
        Some((next, start)) => t.get(
            "card.today_closed_next",
            &[
                ("day", &day),
                ("next", &crate::render::fr::weekday_and_day(next)),
                ("time", &french::time(start)),
            ],
        ),
        None => t.get("card.today_closed", &[("day", &day)]),
    })
}

fn card<'a>(dir: &'a Directory, d: &Derived, i: usize, t: &Strings) -> Card<'a> {
    let s = &dir.sites[i];
    Card {
        slug: &s.slug,
        name: &s.name,
        commune: &s.address.commune,
        postcode: &s.address.postcode,
        street: s.address.street.as_deref(),
        label: dir
            .labels
            .get(&s.label)
            .map_or(s.label.as_str(), |l| l.short.as_str()),
        label_id: &s.label,
        appointment: s.appointment,
        wheelchair: s.wheelchair,
        hours_known: s.hours.is_some(),
        today: day_line_in(&d.sites[i], t).map(|line| (d.sites[i].today.to_string(), line)),
    }
}

/// Every site's card (`card.html`), rendered once: a site is listed on its
/// commune, département, label and each of its services' pages, so
/// rendering cards per listing would render each one a dozen times.
///
/// Cards are rendered on first use, so an incremental rebuild renders only
/// those of the listings it shows.
pub struct Cards<'a> {
    dir: &'a Directory,
    derived: &'a Derived,
    pub(super) tera: &'a tera::Tera,
    pub(super) base: &'a str,
    html: Vec<std::sync::OnceLock<Result<String, String>>>,
    /// The notices page's items of `serve`'s last build.
    pub(super) kept_notices: Option<&'a super::KeptNotices>,
    /// `notices.html` is not the shipped one.
    pub(super) custom_notices_page: bool,
    /// `card.html` is the shipped one: `base`, escaped, and the words,
    /// for [`write_card`].
    builtin_card: Option<(String, CardWords)>,
    /// The theme's words.
    pub(super) strings: &'a Strings,
}

impl<'a> Cards<'a> {
    pub fn new(
        dir: &'a Directory,
        derived: &'a Derived,
        theme: &'a crate::render::Theme,
        base: &'a str,
        kept_notices: Option<&'a super::KeptNotices>,
    ) -> Cards<'a> {
        Cards {
            dir,
            derived,
            tera: &theme.tera,
            base,
            html: (0..dir.sites.len()).map(|_| Default::default()).collect(),
            kept_notices,
            custom_notices_page: !theme.shipped_notices_page,
            builtin_card: theme.shipped_card.then(|| {
                (
                    crate::text::escape_html(base),
                    CardWords::of(&theme.strings),
                )
            }),
            strings: &theme.strings,
        }
    }

    fn card(&self, i: usize) -> Result<&str, CardError> {
        let html = self.html[i].get_or_init(|| {
            let card = card(self.dir, self.derived, i, self.strings);
            if let Some((base, words)) = &self.builtin_card {
                return Ok(write_card(&card, base, words));
            }
            let mut ctx = tera::Context::new();
            ctx.insert("s", &card);
            ctx.insert("base", self.base);
            self.tera
                .render(CARD_TEMPLATE, &ctx)
                .map_err(|e| crate::render::error_chain(&e))
        });
        html.as_deref().map_err(|e| CardError(e.clone()))
    }

    /// The cards of `list`, by commune then name, as one piece of HTML.
    pub(super) fn listing(&self, list: &[usize]) -> Result<String, CardError> {
        let mut order = list.to_vec();
        order.sort_unstable_by_key(|&i| self.derived.listing_rank[i]);
        let mut html = String::new();
        for i in order {
            html.push_str(self.card(i)?);
        }
        Ok(html)
    }
}

/// `card.html` failed: the message, causes included.
#[derive(Debug, Clone)]
pub struct CardError(pub String);

/// Most sites one listing page shows. A service or label with more is
/// listed by département, each on its own page: a national service page
/// would otherwise weigh tens of megabytes on a resident's phone.
pub const LISTING_MAX: usize = 200;

/// The sites of `list` by département, when there are too many for one
/// page; empty otherwise.
pub(super) fn split_by_departement<'a>(
    dir: &Directory,
    d: &'a Derived,
    list: &[usize],
) -> BTreeMap<&'a str, Vec<usize>> {
    if list.len() <= LISTING_MAX {
        return BTreeMap::new();
    }
    // Each site's position among the départements, then a bucket per
    // position: a national service lists tens of thousands of sites, and
    // hashing each one's code cost more than the rest of its listing.
    const NONE: usize = usize::MAX;
    let mut of_site = vec![NONE; dir.sites.len()];
    for (k, sites) in d.departements.values().enumerate() {
        for &i in sites {
            of_site[i] = k;
        }
    }
    let mut buckets = vec![Vec::new(); d.departements.len()];
    let mut unplaced = Vec::new();
    for &i in list {
        match of_site[i] {
            NONE => unplaced.push(i),
            k => buckets[k].push(i),
        }
    }
    let mut by: BTreeMap<&str, Vec<usize>> = d
        .departements
        .keys()
        .map(String::as_str)
        .zip(buckets)
        .filter(|(_, l)| !l.is_empty())
        .collect();
    // Only sites without a département are in none.
    if !unplaced.is_empty() {
        by.insert("", unplaced);
    }
    by
}

/// Links to the département pages of a split listing under `prefix`.
fn departement_links(
    dir: &Directory,
    d: &Derived,
    list: &[usize],
    prefix: &str,
    t: &Strings,
) -> serde_json::Value {
    split_by_departement(dir, d, list)
        .iter()
        .map(|(code, l)| json!({"href": format!("{prefix}{code}/"), "text": t.get("page.departement", &[("departement", &departement_name(code)), ("code", code)]), "count": l.len()}))
        .collect()
}

/// A listing: its cards when they fit on one page, else links to its
/// parts by département (`prefix` is the listing's own path).
pub(super) fn listing(
    dir: &Directory,
    d: &Derived,
    cards: &Cards,
    list: &[usize],
    prefix: &str,
) -> Result<serde_json::Value, CardError> {
    Ok(if list.len() > LISTING_MAX {
        json!({
            "links": departement_links(dir, d, list, prefix, cards.strings),
            "links_heading": cards.strings.get("page.split_links_heading", &[]),
            "split_hint": cards.strings.get("page.split_hint", &[("count", &list.len().to_string())]),
            "site_count": list.len(),
        })
    } else {
        json!({"cards_html": cards.listing(list)?, "site_count": list.len()})
    })
}

/// The template of a site in a listing.
pub const CARD_TEMPLATE: &str = "card.html";

/// `card.html` as shipped. A directory has a card per site, and Tera took a
/// tenth of a national build to render them: when the theme's card is this
/// one, [`write_card`] writes the same bytes (`tests/site_page.rs` builds
/// both ways and compares), and the two must change together.
pub const SHIPPED_CARD: &str = include_str!("../../../themes/default/templates/card.html");

words! {
    /// The strings of `card.html`.
    CardWords, "card." {
        appointment_required, appointment_recommended, appointment_none, appointment_unknown,
        wheelchair, no_wheelchair, wheelchair_unknown, hours_unknown,
    }
}

/// A card as the shipped `card.html` renders it, `base` already escaped.
fn write_card(c: &Card<'_>, base: &str, t: &CardWords) -> String {
    use crate::text::escape_into as esc;
    let mut out = String::with_capacity(600);
    // The newline after the template's opening comment is kept.
    out.push_str("\n<li class=\"card\" data-slug=\"");
    esc(&mut out, c.slug);
    out.push_str("\">\n  <h3><a href=\"");
    out.push_str(base);
    out.push_str("lieux/");
    esc(&mut out, c.slug);
    out.push_str("/\">");
    esc(&mut out, c.name);
    out.push_str("</a></h3>\n  <p class=\"meta\"><span class=\"badge badge-");
    esc(&mut out, c.label_id);
    out.push_str("\">");
    esc(&mut out, c.label);
    out.push_str("</span> ");
    esc(&mut out, c.commune);
    out.push_str(" (");
    esc(&mut out, c.postcode);
    out.push_str(")</p>\n  ");
    if let Some(street) = c.street.filter(|s| !s.is_empty()) {
        out.push_str("<p>");
        esc(&mut out, street);
        out.push_str("</p>");
    }
    out.push_str("\n  <p class=\"facts\">");
    let put = |out: &mut String, p: &Phrase| p.html_into(out, &[]);
    put(
        &mut out,
        match c.appointment {
            Appointment::Required => &t.appointment_required,
            Appointment::Recommended => &t.appointment_recommended,
            Appointment::None => &t.appointment_none,
            Appointment::Unknown => &t.appointment_unknown,
        },
    );
    out.push_str(" · ");
    put(
        &mut out,
        match c.wheelchair {
            Some(true) => &t.wheelchair,
            Some(false) => &t.no_wheelchair,
            None => &t.wheelchair_unknown,
        },
    );
    if !c.hours_known {
        out.push_str(" · ");
        put(&mut out, &t.hours_unknown);
    }
    out.push_str("</p>\n  <p class=\"open-state\" data-open-for=\"");
    esc(&mut out, c.slug);
    match &c.today {
        Some((day, today)) => {
            out.push_str("\" data-day=\"");
            out.push_str(day);
            out.push_str("\">");
            esc(&mut out, today);
        }
        None => out.push_str("\" hidden>"),
    }
    out.push_str("</p>\n</li>\n");
    out
}

/// The home page lists every site only in a small directory; a large one
/// is searched and browsed instead.
pub(super) const HOME_LISTING_MAX: usize = 60;
