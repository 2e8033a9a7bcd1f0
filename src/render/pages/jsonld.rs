//! The schema.org description of a site in its page's `<script
//! type="application/ld+json">`, for search engines and assistants.
//!
//! Typed and serialised at once, where a `serde_json::Value` tree was built
//! and printed for each of a national directory's pages (fields stay in the
//! alphabetical order a `Value` object printed them in).

use crate::derive::Derived;
use crate::hours::hh_mm;
use crate::model::{Directory, NoticeKind, NoticeState};
use serde::Serialize;

#[derive(Serialize)]
struct GovernmentOffice<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    address: PostalAddress<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    geo: Option<GeoCoordinates>,
    name: &'a str,
    #[serde(
        rename = "openingHoursSpecification",
        skip_serializing_if = "Option::is_none"
    )]
    opening_hours: Option<Vec<WeeklyOpening>>,
    #[serde(
        rename = "specialOpeningHoursSpecification",
        skip_serializing_if = "Vec::is_empty"
    )]
    closures: Vec<Closure>,
    #[serde(skip_serializing_if = "Option::is_none")]
    telephone: Option<&'a str>,
    url: String,
}

#[derive(Serialize)]
struct PostalAddress<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "addressCountry")]
    country: &'static str,
    #[serde(rename = "addressLocality")]
    locality: &'a str,
    #[serde(rename = "postalCode")]
    postcode: &'a str,
    /// `null` when unknown, as before.
    #[serde(rename = "streetAddress")]
    street: Option<&'a str>,
}

#[derive(Serialize)]
struct GeoCoordinates {
    #[serde(rename = "@type")]
    kind: &'static str,
    latitude: f64,
    longitude: f64,
}

#[derive(Serialize)]
struct WeeklyOpening {
    #[serde(rename = "@type")]
    kind: &'static str,
    closes: String,
    /// Every weekday open at these times: one specification per distinct
    /// interval, where one per day and interval weighed a kilobyte and more
    /// on every page.
    #[serde(rename = "dayOfWeek")]
    days: Vec<&'static str>,
    opens: String,
}

#[derive(Serialize)]
struct Closure {
    #[serde(rename = "@type")]
    kind: &'static str,
    closes: &'static str,
    opens: &'static str,
    #[serde(rename = "validFrom")]
    from: String,
    #[serde(rename = "validThrough")]
    to: String,
}

const SPECIFICATION: &str = "OpeningHoursSpecification";

const DAYS: [&str; 7] = [
    "https://schema.org/Monday",
    "https://schema.org/Tuesday",
    "https://schema.org/Wednesday",
    "https://schema.org/Thursday",
    "https://schema.org/Friday",
    "https://schema.org/Saturday",
    "https://schema.org/Sunday",
];

/// The JSON-LD of site `i`: address, position, contact, regular hours and
/// the closures still to come.
pub(super) fn of(dir: &Directory, d: &Derived, i: usize) -> String {
    let site = &dir.sites[i];
    let opening_hours = site.hours.as_ref().map(|h| weekly(&h.weekly().days));
    let closures = d.sites[i]
        .notices
        .iter()
        .filter(|&&n| d.notice_states[n] != NoticeState::Past)
        .map(|&n| &dir.notices[n])
        .filter(|n| n.kind == NoticeKind::Closure)
        .map(|n| Closure {
            kind: SPECIFICATION,
            closes: "00:00",
            opens: "00:00",
            from: n.from.to_string(),
            to: n.to.to_string(),
        })
        .collect();
    let office = GovernmentOffice {
        context: "https://schema.org",
        kind: "GovernmentOffice",
        address: PostalAddress {
            kind: "PostalAddress",
            country: "FR",
            locality: &site.address.commune,
            postcode: &site.address.postcode,
            street: site.address.street.as_deref(),
        },
        email: site.contact.email.as_deref(),
        geo: site.location.map(|l| GeoCoordinates {
            kind: "GeoCoordinates",
            latitude: l.lat,
            longitude: l.lon,
        }),
        name: &site.name,
        opening_hours,
        closures,
        telephone: site.contact.phone.as_deref(),
        url: format!("{}lieux/{}/", dir.config.base_url, site.slug),
    };
    serde_json::to_string(&office).expect("JSON-LD serialises")
}

/// The regular week, one specification per distinct interval, in the order
/// of the week.
fn weekly(days: &[Vec<crate::hours::Interval>; 7]) -> Vec<WeeklyOpening> {
    let mut specs: Vec<(crate::hours::Interval, WeeklyOpening)> = Vec::new();
    for (day, intervals) in days.iter().enumerate() {
        for iv in intervals {
            match specs.iter_mut().find(|(seen, _)| seen == iv) {
                Some((_, spec)) => spec.days.push(DAYS[day]),
                None => specs.push((
                    *iv,
                    WeeklyOpening {
                        kind: SPECIFICATION,
                        closes: hh_mm(iv.end),
                        days: vec![DAYS[day]],
                        opens: hh_mm(iv.start),
                    },
                )),
            }
        }
    }
    specs.into_iter().map(|(_, spec)| spec).collect()
}
