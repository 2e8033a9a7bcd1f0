//! Bringing the derived facts up to date after notice edits without deriving
//! the whole directory again.
//!
//! Dated schedules are most of the cost of `derive` (every site, every day of
//! the coming months, holidays and notices applied). A notice changes the
//! schedule of its own site only, so only that site's is computed again — by
//! `derive` itself, run on a directory holding that site and its notices, so
//! the result is the one a full derive gives.

use crate::derive::{self, Derived};
use crate::model::Directory;
use chrono::{DateTime, Utc};
use std::collections::BTreeSet;

/// Updates `derived` (made from the same sites, before the notices changed)
/// for the notices now in `dir`; `sites` are the slugs whose notices changed.
pub fn notices_changed(
    derived: &mut Derived,
    dir: &Directory,
    now: DateTime<Utc>,
    sites: &BTreeSet<String>,
) {
    derived.now = now;
    // Notice indices shift when one is added or removed: list them again.
    for facts in &mut derived.sites {
        facts.notices.clear();
    }
    derived.notice_states.clear();
    for (n, notice) in dir.notices.iter().enumerate() {
        let site = index(dir, &notice.site);
        let tz = site.map_or(&dir.config.timezone, |i| &dir.sites[i].timezone);
        derived
            .notice_states
            .push(notice.state(derive::local_date(now, tz)));
        if let Some(i) = site {
            derived.sites[i].notices.push(n);
        }
    }
    for slug in sites {
        let Some(i) = index(dir, slug) else { continue };
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
        let facts = fresh.sites.pop().expect("one site in, one out");
        derived.sites[i].schedule = facts.schedule;
        derived.sites[i].closures = facts.closures;
    }
}

/// Index of the site `slug` (sites are sorted by slug).
fn index(dir: &Directory, slug: &str) -> Option<usize> {
    dir.sites
        .binary_search_by(|s| s.slug.as_str().cmp(slug))
        .ok()
}
