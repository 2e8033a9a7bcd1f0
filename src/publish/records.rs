//! One site's record in `donnees/lieux.geojson` (an RFC 7946 Feature) and in
//! `donnees/lieux.json`, typed and serialised at once: a national export
//! built a `serde_json::Value` tree of thirty keys per site before printing
//! it.
//!
//! Like the CSV rows, the structs name every published field: nothing of
//! the model is published by default.

use super::encode_segment;
use crate::derive::Derived;
use crate::model::{Appointment, Directory, Equipment, NoticeKind, NoticeState, Precision, Site};
use chrono::NaiveDate;
use serde::Serialize;

/// The public description of a site shared by the two exports.
#[derive(Serialize)]
struct Properties<'a> {
    accessible_fauteuil: Option<bool>,
    adresse: Option<&'a str>,
    code_insee: Option<&'a str>,
    code_postal: &'a str,
    commune: &'a str,
    courriels: Option<&'a str>,
    departement: &'a str,
    fermetures_ics: String,
    fuseau_horaire: &'a str,
    horaires: Option<&'a str>,
    horaires_note: Option<&'a str>,
    id: &'a str,
    label: &'a str,
    label_nom: Option<&'a str>,
    nom: &'a str,
    precision_position: Option<Precision>,
    rendez_vous: Option<Appointment>,
    services: &'a [String],
    site_web: Option<&'a str>,
    structure_parente: Option<&'a str>,
    telephone: Option<String>,
    url: String,
}

impl<'a> Properties<'a> {
    fn of(dir: &'a Directory, site: &'a Site, base_url: &str) -> Properties<'a> {
        let page = format!("{base_url}lieux/{}/", encode_segment(&site.slug));
        Properties {
            accessible_fauteuil: site.wheelchair,
            adresse: site.address.street.as_deref(),
            code_insee: site.address.insee.as_deref(),
            code_postal: &site.address.postcode,
            commune: &site.address.commune,
            courriels: site.contact.email.as_deref(),
            departement: &site.departement,
            fermetures_ics: format!("{page}fermetures.ics"),
            fuseau_horaire: site.timezone.name(),
            horaires: site.hours_source.as_deref(),
            horaires_note: site.hours_note.as_deref(),
            id: &site.slug,
            label: &site.label,
            label_nom: dir.labels.get(&site.label).map(|l| l.name.as_str()),
            nom: &site.name,
            precision_position: site.location.map(|l| l.precision),
            rendez_vous: site.appointment.known(),
            services: &site.services,
            site_web: site.contact.website.as_deref(),
            structure_parente: site.structure.as_deref(),
            telephone: super::opendata::phone(site),
            url: page,
        }
    }
}

#[derive(Serialize)]
struct Feature<'a> {
    geometry: Option<Point>,
    id: &'a str,
    properties: Properties<'a>,
    #[serde(rename = "type")]
    kind: &'static str,
}

/// Positions are [longitude, latitude] in WGS 84.
#[derive(Serialize)]
struct Point {
    coordinates: [f64; 2],
    #[serde(rename = "type")]
    kind: &'static str,
}

/// `lieux.json`'s record: the properties, then what only this export
/// carries.
#[derive(Serialize)]
struct Record<'a> {
    #[serde(flatten)]
    properties: Properties<'a>,
    avis: Vec<NoticeRecord<'a>>,
    description: Option<&'a str>,
    equipement: &'a Equipment,
    position: Option<Position>,
}

#[derive(Serialize)]
struct Position {
    latitude: f64,
    longitude: f64,
}

#[derive(Serialize)]
struct NoticeRecord<'a> {
    au: NaiveDate,
    du: NaiveDate,
    etat: NoticeState,
    /// The temporary hours of an `hours` notice, else `null`.
    horaires: Option<&'a str>,
    id: &'a str,
    publie_le: Option<NaiveDate>,
    titre: &'a str,
    #[serde(rename = "type")]
    kind: NoticeKind,
}

/// Site `site` as a GeoJSON Feature, compact JSON.
pub(super) fn feature(dir: &Directory, site: &Site, base_url: &str) -> Vec<u8> {
    let feature = Feature {
        geometry: site.location.map(|l| Point {
            coordinates: [l.lon, l.lat],
            kind: "Point",
        }),
        id: &site.slug,
        properties: Properties::of(dir, site, base_url),
        kind: "Feature",
    };
    serde_json::to_vec(&feature).expect("records serialise")
}

/// Everything public about site `i`, with its notices, compact JSON.
pub(super) fn site(dir: &Directory, d: &Derived, i: usize, base_url: &str) -> Vec<u8> {
    let site = &dir.sites[i];
    let avis = d.sites[i]
        .notices
        .iter()
        .map(|&n| {
            let notice = &dir.notices[n];
            NoticeRecord {
                au: notice.to,
                du: notice.from,
                etat: d.notice_states[n],
                horaires: (notice.kind == NoticeKind::Hours)
                    .then_some(notice.hours_source.as_deref())
                    .flatten(),
                id: &notice.id,
                publie_le: notice.published,
                titre: &notice.title,
                kind: notice.kind,
            }
        })
        .collect();
    let record = Record {
        properties: Properties::of(dir, site, base_url),
        avis,
        description: site.description.as_deref(),
        equipement: &site.equipment,
        position: site.location.map(|l| Position {
            latitude: l.lat,
            longitude: l.lon,
        }),
    };
    serde_json::to_vec(&record).expect("records serialise")
}
