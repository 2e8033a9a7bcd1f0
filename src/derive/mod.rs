//! Everything computed from the directory before rendering and publishing:
//! notice states, dated schedules, nearest neighbours, listings and their
//! order. Facts only: the files made from them are render's and publish's.
//!
//! Computed once per build and shared read-only by every page.

pub mod collate;
mod nearest;
mod schedule;

use crate::hours::holidays::HolidayZone;
use crate::model::departements as zones;
use crate::model::{Directory, NoticeState};
use chrono::{DateTime, NaiveDate, Utc};
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeMap;
use std::sync::Mutex;

pub use nearest::{distance_km, nearest_neighbours};
pub use schedule::{ClosureDay, Schedule};

/// How many other points a site page lists.
pub const NEAREST_COUNT: usize = 5;
/// Days of dated closures listed on a site page.
pub const CLOSURE_DAYS: i64 = 30;
/// Days of dated schedule embedded for the browser's open-now.
pub const SCHEDULE_DAYS: i64 = 120;
/// Upcoming closures this close are shown as a banner.
pub const BANNER_DAYS: i64 = 14;

/// Derived facts about one site (same index as `Directory::sites`).
#[derive(Debug, Clone)]
pub struct SiteFacts {
    pub zone: HolidayZone,
    /// The build clock's date in the site's time zone.
    pub today: NaiveDate,
    /// Indices into `Directory::notices`.
    pub notices: Vec<usize>,
    /// (index into `Directory::sites`, km), nearest first.
    pub nearest: Vec<(usize, f64)>,
    pub schedule: Option<Schedule>,
    pub closures: Vec<ClosureDay>,
}

/// A commune that has at least one site.
#[derive(Debug, Clone)]
pub struct Commune {
    pub insee: String,
    pub name: String,
    pub postcode: String,
    pub departement: String,
    pub sites: Vec<usize>,
}

/// Everything the renderer needs beyond the directory itself.
#[derive(Debug, Clone)]
pub struct Derived {
    pub now: DateTime<Utc>,
    /// The build clock's date in the directory's default time zone.
    pub today: NaiveDate,
    pub sites: Vec<SiteFacts>,
    /// State of each notice, in its site's time zone.
    pub notice_states: Vec<NoticeState>,
    pub departements: BTreeMap<String, Vec<usize>>,
    /// Keyed by INSEE code (or a commune slug when the code is unknown).
    pub communes: BTreeMap<String, Commune>,
    pub services: BTreeMap<String, Vec<usize>>,
    pub labels: BTreeMap<String, Vec<usize>>,
    /// Each site's place in listings (by commune, then name, in French
    /// order): see [`collate::rank_by_commune_and_name`].
    pub listing_rank: Vec<u32>,
}

/// Key under which a site's commune is listed.
pub fn commune_key(site: &crate::model::Site) -> String {
    site.address.insee.clone().unwrap_or_else(|| {
        crate::text::slugify(&format!(
            "{} {}",
            site.address.postcode, site.address.commune
        ))
    })
}

/// Local date of `now` in time zone `tz`.
pub fn local_date(now: DateTime<Utc>, tz: chrono_tz::Tz) -> NaiveDate {
    now.with_timezone(&tz).date_naive()
}

/// Each notice's state on its site's local date, and the notices of each
/// site (indices into `dir.notices`, in their order).
pub fn notices_by_site(dir: &Directory, now: DateTime<Utc>) -> (Vec<NoticeState>, Vec<Vec<usize>>) {
    let mut by_site: Vec<Vec<usize>> = vec![Vec::new(); dir.sites.len()];
    let mut states = Vec::with_capacity(dir.notices.len());
    for (n, notice) in dir.notices.iter().enumerate() {
        let site = dir.site_index(&notice.site);
        let tz = site.map_or(dir.config.timezone, |i| dir.sites[i].timezone);
        states.push(notice.state(local_date(now, tz)));
        if let Some(i) = site {
            by_site[i].push(n);
        }
    }
    (states, by_site)
}

pub fn derive(dir: &Directory, now: DateTime<Utc>) -> Derived {
    let today = local_date(now, dir.config.timezone);
    let (notice_states, by_site) = notices_by_site(dir, now);
    let nearest = nearest_neighbours(&dir.sites, NEAREST_COUNT);
    // A site without notices has the schedule and closures of its hours in
    // its holiday zone and time zone, on its day: sites that share those are
    // worked out once, as a national directory repeats its hours texts.
    type Shared<'a> = (&'a str, HolidayZone, NaiveDate, chrono_tz::Tz);
    type Dated = (Option<Schedule>, Vec<ClosureDay>);
    let shared: Mutex<HashMap<Shared, Dated>> = Default::default();
    let lock = || shared.lock().unwrap_or_else(|e| e.into_inner());
    let sites: Vec<SiteFacts> = dir
        .sites
        .par_iter()
        .zip(by_site.into_par_iter())
        .zip(nearest.into_par_iter())
        .map(|((site, notices), nearest)| {
            let zone = HolidayZone::for_departement(&site.departement);
            let today = local_date(now, site.timezone);
            let compute = || {
                let site_notices: Vec<&crate::model::Notice> =
                    notices.iter().map(|&n| &dir.notices[n]).collect();
                let mut holidays = schedule::ZoneHolidays::new(zone);
                let schedule = site.hours.as_ref().map(|h| {
                    Schedule::compute(
                        h,
                        site.timezone,
                        &mut holidays,
                        &site_notices,
                        today,
                        SCHEDULE_DAYS,
                    )
                });
                let closures = schedule::closures(
                    site.hours.as_ref(),
                    &mut holidays,
                    &site_notices,
                    today,
                    CLOSURE_DAYS,
                );
                (schedule, closures)
            };
            let (schedule, closures) = match &site.hours {
                Some(h) if notices.is_empty() => {
                    let key = (h.source(), zone, today, site.timezone);
                    let kept = lock().get(&key).cloned();
                    kept.unwrap_or_else(|| {
                        let facts = compute();
                        lock().insert(key, facts.clone());
                        facts
                    })
                }
                _ => compute(),
            };
            SiteFacts {
                zone,
                today,
                notices,
                nearest,
                schedule,
                closures,
            }
        })
        .collect();

    let mut departements: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut communes: BTreeMap<String, Commune> = BTreeMap::new();
    let mut services: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut labels: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, site) in dir.sites.iter().enumerate() {
        if !site.departement.is_empty() {
            push_under(&mut departements, &site.departement, i);
        }
        communes
            .entry(commune_key(site))
            .or_insert_with(|| Commune {
                insee: commune_key(site),
                name: site.address.commune.clone(),
                postcode: site.address.postcode.clone(),
                departement: site.departement.clone(),
                sites: Vec::new(),
            })
            .sites
            .push(i);
        for s in &site.services {
            push_under(&mut services, s, i);
        }
        push_under(&mut labels, &site.label, i);
    }
    Derived {
        now,
        today,
        sites,
        notice_states,
        departements,
        communes,
        services,
        labels,
        listing_rank: collate::rank_by_commune_and_name(&dir.sites),
    }
}

/// Adds site `i` to the list under `key`. The key is copied only for a
/// new list: a national directory groups a million site-service pairs.
fn push_under(lists: &mut BTreeMap<String, Vec<usize>>, key: &str, i: usize) {
    match lists.get_mut(key) {
        Some(list) => list.push(i),
        None => {
            lists.insert(key.to_string(), vec![i]);
        }
    }
}

/// French name of a département code, or the code itself.
pub fn departement_name(code: &str) -> String {
    zones::departement_name(code).map_or_else(|| format!("Département {code}"), str::to_string)
}
