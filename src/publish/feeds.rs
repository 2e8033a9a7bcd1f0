//! Atom feeds (RFC 4287) of the notices: one for the whole directory
//! (`avis/atom.xml`) and one per site (`lieux/<slug>/avis.xml`).
//!
//! Every date comes from the notices themselves (`published`, else `from`),
//! never from the wall clock, so a rebuild does not make readers think
//! something changed.

use super::{announced, encode_segment, midnight_rfc3339, xml_escape};
use crate::derive::Derived;
use crate::model::Directory;
use crate::render::{fr, markdown};

/// `avis/atom.xml`: every notice, newest first.
///
/// With `reuse` (serve), the entry of a notice whose site did not change
/// (neither the site nor any of its notices) is the one of the last build:
/// a notice edit writes one entry again, not the directory's thousands.
pub fn all_notices(
    dir: &Directory,
    d: &Derived,
    base_url: &str,
    reuse: Option<&super::Reuse>,
) -> Vec<u8> {
    let feed = Feed {
        id: format!("{base_url}avis/atom.xml"),
        title: format!("Avis et fermetures — {}", dir.config.title),
        alternate: format!("{base_url}avis/"),
        author: &dir.config.title,
        notices: (0..dir.notices.len()).collect(),
    };
    feed.render(dir, d, base_url, reuse)
}

/// `lieux/<slug>/avis.xml`: the notices of one site, newest first.
pub fn site_notices(dir: &Directory, d: &Derived, i: usize, base_url: &str) -> Vec<u8> {
    let site = &dir.sites[i];
    let page = format!("{base_url}lieux/{}/", site.slug);
    let feed = Feed {
        id: format!("{page}avis.xml"),
        title: format!("Avis — {}", site.name),
        alternate: page,
        author: site.structure.as_deref().unwrap_or(&site.name),
        notices: d.sites[i].notices.clone(),
    };
    feed.render(dir, d, base_url, None)
}

struct Feed<'a> {
    /// Also the feed's own URL (`rel="self"`).
    id: String,
    title: String,
    alternate: String,
    author: &'a str,
    /// Indices into `Directory::notices`.
    notices: Vec<usize>,
}

impl Feed<'_> {
    fn render(
        mut self,
        dir: &Directory,
        d: &Derived,
        base_url: &str,
        reuse: Option<&super::Reuse>,
    ) -> Vec<u8> {
        let tz_of = |n: usize| {
            dir.site(&dir.notices[n].site)
                .map_or(dir.config.timezone, |s| s.timezone)
        };
        // Newest announcement first; ties by start date then id keep the order stable.
        self.notices.sort_by(|&a, &b| {
            let (na, nb) = (&dir.notices[a], &dir.notices[b]);
            (announced(nb), nb.from, &na.id).cmp(&(announced(na), na.from, &nb.id))
        });
        // An empty feed still needs an `updated`: the build date, which --now fixes.
        let updated = self.notices.first().map_or_else(
            || midnight_rfc3339(d.today, dir.config.timezone),
            |&n| midnight_rfc3339(announced(&dir.notices[n]), tz_of(n)),
        );
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        out.push_str(&format!(
            "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
            xml_escape(&dir.config.language)
        ));
        out.push_str(&format!("  <id>{}</id>\n", xml_escape(&self.id)));
        out.push_str(&format!("  <title>{}</title>\n", xml_escape(&self.title)));
        out.push_str(&format!("  <updated>{updated}</updated>\n"));
        out.push_str(&format!(
            "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
            xml_escape(&self.id)
        ));
        out.push_str(&format!(
            "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            xml_escape(&self.alternate)
        ));
        out.push_str(&format!(
            "  <author><name>{}</name></author>\n",
            xml_escape(self.author)
        ));
        out.push_str("  <generator>guichet</generator>\n");
        // The directory's feed holds every notice: its entries are written
        // on every core. A site's few stay in one piece of work.
        use rayon::prelude::*;
        let build = |n: usize| entry(dir, n, tz_of(n), base_url).into_bytes();
        let entries: Vec<std::sync::Arc<[u8]>> = self
            .notices
            .par_iter()
            .with_min_len(64)
            .map(|&n| match reuse {
                Some(r) => {
                    let notice = &dir.notices[n];
                    let unchanged = dir.site_index(&notice.site).is_some_and(|i| r.unchanged(i));
                    r.kept
                        .get_or(FEED_ENTRIES, &notice.id, unchanged, &|| build(n))
                }
                None => build(n).into(),
            })
            .collect();
        let mut out = out.into_bytes();
        entries.iter().for_each(|e| out.extend_from_slice(e));
        out.extend_from_slice(b"</feed>\n");
        out
    }
}

/// Under which name [`super::KeptRecords`] holds the directory feed's entries.
const FEED_ENTRIES: &str = "avis/atom.xml";

/// One notice as an Atom entry. Its id is a URL under the directory's base
/// URL built from the notice's file name, which never changes when the
/// notice is edited, so readers update the entry instead of duplicating it.
fn entry(dir: &Directory, n: usize, tz: chrono_tz::Tz, base_url: &str) -> String {
    let notice = &dir.notices[n];
    let site = dir.site(&notice.site);
    let site_name = site.map_or(notice.site.as_str(), |s| s.name.as_str());
    let link = format!("{base_url}lieux/{}/", encode_segment(&notice.site));
    let mut out = String::from("  <entry>\n");
    out.push_str(&format!(
        "    <id>{}</id>\n",
        xml_escape(&format!("{base_url}avis/#{}", encode_segment(&notice.id)))
    ));
    out.push_str(&format!(
        "    <title>{}</title>\n",
        xml_escape(&format!("{} — {site_name}", notice.headline()))
    ));
    out.push_str(&format!(
        "    <updated>{}</updated>\n",
        midnight_rfc3339(announced(notice), tz)
    ));
    if let Some(p) = notice.published {
        out.push_str(&format!(
            "    <published>{}</published>\n",
            midnight_rfc3339(p, tz)
        ));
    }
    out.push_str(&format!(
        "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        xml_escape(&link)
    ));
    out.push_str(&format!(
        "    <category term=\"{}\" label=\"{}\"/>\n",
        notice.kind.id(),
        xml_escape(notice.kind.french())
    ));
    out.push_str(&format!(
        "    <summary type=\"text\">{}</summary>\n",
        xml_escape(&format!(
            "{site_name} — {}",
            fr::range(notice.from, notice.to)
        ))
    ));
    out.push_str(&format!(
        "    <content type=\"html\">{}</content>\n",
        xml_escape(&markdown::to_html_shared(&notice.markdown))
    ));
    out.push_str("  </entry>\n");
    out
}
