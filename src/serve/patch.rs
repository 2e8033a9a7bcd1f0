//! Bringing the derived facts up to date after a few files changed, without
//! deriving the whole directory again.
//!
//! Dated schedules are most of the cost of `derive` (every site, every day of
//! the coming months, holidays and notices applied). A notice or a site file
//! changes the schedule of its own site only, so only that one is computed
//! again — by `derive` itself, run on a directory holding that site and its
//! notices, so the result is the one a full derive gives.

use crate::derive::{self, Derived, SiteFacts};
use crate::model::{Directory, Site};
use chrono::{DateTime, Utc};
use std::collections::{BTreeSet, HashMap};

/// Updates `derived` (made from the same sites, before the notices changed)
/// for the notices now in `dir`; `sites` are the slugs whose notices changed.
pub fn notices_changed(
    derived: &mut Derived,
    dir: &Directory,
    now: DateTime<Utc>,
    sites: &BTreeSet<String>,
) {
    derived.now = now;
    for slug in sites {
        if let Some(i) = dir.site_index(slug) {
            refresh(&mut derived.sites[i], dir, i, now);
        }
    }
    renumber_notices(derived, dir, now);
}

/// The facts that do not need the hours: nearest sites, listings, zones and
/// dates, from `derive` on the directory stripped of hours and notices. The
/// dated schedules and closures are left empty for [`sites_changed`].
pub fn skeleton(dir: &Directory, now: DateTime<Utc>) -> Derived {
    let bare = Directory {
        config: dir.config.clone(),
        sites: dir
            .sites
            .iter()
            .map(|s| Site {
                hours: None,
                ..s.clone()
            })
            .collect(),
        ..Directory::default()
    };
    derive::derive(&bare, now)
}

/// Fills a [`skeleton`] after site files changed: each site's schedule and
/// closures come from `last` (keyed by `last_slugs`) unless the site or its
/// notices are in `changed`, in which case they are computed again.
pub fn sites_changed(
    derived: &mut Derived,
    last: Derived,
    last_slugs: &[String],
    dir: &Directory,
    now: DateTime<Utc>,
    changed: &BTreeSet<String>,
) {
    let mut before: HashMap<&str, SiteFacts> = last_slugs
        .iter()
        .map(String::as_str)
        .zip(last.sites)
        .collect();
    for (i, site) in dir.sites.iter().enumerate() {
        match before.remove(site.slug.as_str()) {
            Some(old) if !changed.contains(&site.slug) => {
                derived.sites[i].schedule = old.schedule;
                derived.sites[i].closures = old.closures;
            }
            _ => refresh(&mut derived.sites[i], dir, i, now),
        }
    }
    renumber_notices(derived, dir, now);
}

/// Computes site `i`'s schedule and closures again.
fn refresh(facts: &mut SiteFacts, dir: &Directory, i: usize, now: DateTime<Utc>) {
    let slug = &dir.sites[i].slug;
    let alone = Directory {
        config: dir.config.clone(),
        sites: vec![dir.sites[i].clone()],
        notices: dir
            .notices
            .iter()
            .filter(|n| &n.site == slug)
            .cloned()
            .collect(),
        ..Directory::default()
    };
    let mut fresh = derive::derive(&alone, now);
    let one = fresh.sites.pop().expect("one site in, one out");
    facts.schedule = one.schedule;
    facts.closures = one.closures;
}

/// Every notice's state and each site's notice list, again: indices shift
/// when a notice is added or removed.
fn renumber_notices(derived: &mut Derived, dir: &Directory, now: DateTime<Utc>) {
    let (states, by_site) = derive::notices_by_site(dir, now);
    derived.notice_states = states;
    for (facts, notices) in derived.sites.iter_mut().zip(by_site) {
        facts.notices = notices;
    }
}
