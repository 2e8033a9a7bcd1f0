//! Every output that is not an HTML page: Atom feeds of the notices,
//! iCalendar files of each site's closures, open-data exports of the sites,
//! the search index and commune gazetteer the search box loads, the sitemap
//! and `robots.txt`.
//!
//! Everything here is a pure function of the directory, the derived facts and
//! the base URL: the same inputs and `--now` give the same bytes, so feed
//! readers and subscribed calendars see an update only when a notice changes.

pub mod communes;
mod feeds;
mod ics;
mod opendata;
mod records;
pub mod search;
mod sitemap;

use crate::derive::Derived;
use crate::model::{Directory, Notice, Site};
use crate::output::{OutputFile, Sink, SiteReuse, Wanted};
use chrono::{NaiveDate, TimeZone};

pub use opendata::{CSV_FIELDS, KeptRecords, international_phone};

/// The directory-wide publications whose paths `wanted` accepts: the
/// notices feed and the open-data exports (written piece by piece).
pub fn exports(
    dir: &Directory,
    d: &Derived,
    base_url: &str,
    wanted: &(dyn Fn(&str) -> bool + Sync),
    reuse: Option<&Reuse>,
    sink: &dyn Sink,
) {
    const FEED: &str = "avis/atom.xml";
    if wanted(FEED) {
        sink.put(OutputFile {
            path: FEED.into(),
            bytes: feeds::all_notices(dir, d, base_url, reuse),
        });
    }
    opendata::write(dir, d, base_url, wanted, reuse, sink);
}

/// What `serve` kept of its last build, and the sites it is still good for:
/// those whose page is not wanted, as nothing about them changed.
pub struct Reuse<'a> {
    pub kept: &'a KeptRecords,
    sites: &'a SiteReuse,
}

impl<'a> Reuse<'a> {
    pub fn new(kept: &'a KeptRecords, sites: &'a SiteReuse) -> Reuse<'a> {
        Reuse { kept, sites }
    }

    /// Whether what was kept of site `i` may be used again.
    pub fn unchanged(&self, i: usize) -> bool {
        self.sites.unchanged(i)
    }

    /// [`Reuse::unchanged`] of every site, in order.
    pub fn unchanged_sites(&self) -> &[bool] {
        self.sites.unchanged_sites()
    }
}

/// The search index (with `reuse`, the rows of unchanged sites come from
/// the last build), the commune gazetteer, and the sitemap of the pages at
/// `pages` with `robots.txt`: those `wanted` accepts. Each group is asked
/// for by one representative path: the search index's parts come with
/// `search-index.json`, the gazetteer's with its first file, the sitemap's
/// parts with `sitemap.xml`.
pub fn data_files<'a>(
    dir: &Directory,
    d: &Derived,
    base_url: &str,
    wanted: &Wanted,
    reuse: Option<&Reuse>,
    pages: impl Iterator<Item = &'a str>,
    sink: &dyn Sink,
) {
    for f in sitemap::files(pages, base_url, wanted) {
        sink.put(f);
    }
    let mut text = Vec::new();
    if wanted("search-index.json") {
        let kept = reuse.map(|r| (&r.kept.search, r.unchanged_sites()));
        text.extend(search::index_files(dir, d, search::SITES_PER_FILE, kept));
    }
    let buckets = communes::bucket_files();
    if buckets.first().is_some_and(|(path, _)| wanted(path)) {
        text.extend(buckets.iter().cloned());
    }
    for (path, body) in text {
        sink.put(OutputFile {
            path,
            bytes: body.into_bytes(),
        });
    }
}

/// Each site's notices feed and closures calendar, for the sites whose
/// paths `wanted` accepts, built in parallel. With `reuse`, a site whose
/// page is kept keeps them too: the three show the same site's notices.
pub fn site_files(
    dir: &Directory,
    d: &Derived,
    base_url: &str,
    wanted: &(dyn Fn(&str) -> bool + Sync),
    reuse: Option<&Reuse>,
    sink: &dyn Sink,
) {
    use rayon::prelude::*;
    dir.sites.par_iter().enumerate().for_each(|(i, site)| {
        if reuse.is_some_and(|r| r.unchanged(i)) {
            return;
        }
        let [feed, calendar] = site_paths(site);
        if wanted(&feed) {
            let bytes = feeds::site_notices(dir, d, i, base_url);
            sink.put(OutputFile { path: feed, bytes });
        }
        if wanted(&calendar) {
            let bytes = ics::site_calendar(dir, d, i, base_url).into_bytes();
            sink.put(OutputFile {
                path: calendar,
                bytes,
            });
        }
    });
}

/// Where a site's feed and calendar are published.
fn site_paths(site: &Site) -> [String; 2] {
    [
        format!("lieux/{}/avis.xml", site.slug),
        format!("lieux/{}/fermetures.ics", site.slug),
    ]
}

/// Host of a base URL ("https://example.org/annuaire/" → "example.org"), for
/// calendar UIDs; "localhost" when the URL has none.
pub fn host(base_url: &str) -> &str {
    let rest = base_url
        .split_once("://")
        .map_or("", |(_, rest)| rest)
        .split(['/', '?', '#'])
        .next()
        .unwrap_or("");
    let rest = rest.rsplit('@').next().unwrap_or(rest);
    let host = if rest.starts_with('[') {
        rest.split_inclusive(']').next().unwrap_or(rest)
    } else {
        rest.split(':').next().unwrap_or(rest)
    };
    if host.is_empty() { "localhost" } else { host }
}

/// Percent-encodes a path segment or fragment (file stems may hold spaces or accents).
pub(crate) fn encode_segment(s: &str) -> String {
    // RFC 3986's unreserved characters stay as they are.
    const ESCAPED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(s, ESCAPED).to_string()
}

/// The date a notice was last announced: `published`, else its first day.
/// Never the wall clock, so feeds and calendars do not change between builds.
pub(crate) fn announced(n: &Notice) -> NaiveDate {
    n.published.unwrap_or(n.from)
}

/// Midnight of `date` in time zone `tz`, as RFC 3339 ("2026-12-01T00:00:00+01:00").
pub(crate) fn midnight_rfc3339(date: NaiveDate, zone: chrono_tz::Tz) -> String {
    let local = date.and_hms_opt(0, 0, 0).expect("midnight exists");
    match zone.from_local_datetime(&local).earliest() {
        Some(t) => t.format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        // Midnight skipped by a clock change: the instant is still well defined in UTC.
        None => format!("{}T00:00:00Z", date.format("%Y-%m-%d")),
    }
}

/// Escapes text for XML content and attributes, dropping the control
/// characters XML 1.0 forbids (a stray one would make the whole feed invalid).
pub(crate) fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_of_base_urls() {
        assert_eq!(host("https://example.org/annuaire/"), "example.org");
        assert_eq!(host("http://127.0.0.1:1111/"), "127.0.0.1");
        assert_eq!(host("https://user@example.org:8443"), "example.org");
        assert_eq!(host("/"), "localhost");
    }

    #[test]
    fn segments_are_percent_encoded() {
        assert_eq!(encode_segment("2026-12-24-fontenay"), "2026-12-24-fontenay");
        assert_eq!(encode_segment("fête noël"), "f%C3%AAte%20no%C3%ABl");
    }

    #[test]
    fn xml_escape_drops_forbidden_controls() {
        assert_eq!(
            xml_escape("a & b <c> \u{0b}\"'"),
            "a &amp; b &lt;c&gt; &quot;&apos;"
        );
    }

    #[test]
    fn midnight_carries_the_zone_offset() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(
            midnight_rfc3339(d, chrono_tz::Europe::Paris),
            "2026-12-01T00:00:00+01:00"
        );
        assert_eq!(
            midnight_rfc3339(d, chrono_tz::Indian::Reunion),
            "2026-12-01T00:00:00+04:00"
        );
    }
}
