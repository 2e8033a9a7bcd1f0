//! Machine-readable files: search index, sitemap, robots.txt.

use super::super::OutputFile;
use crate::derive::{Derived, communes, search};
use crate::model::Directory;
use crate::publish::xml_escape;

/// Files that are not HTML pages, those `wanted` accepts; with `reuse`, the
/// search rows of sites whose page is not wanted come from the last build. Each group is
/// asked for by one representative path: the sitemap's parts come with
/// `sitemap.xml`, the search index's with `search-index.json`, the commune
/// gazetteer's with its first file.
pub fn data_files(
    dir: &Directory,
    d: &Derived,
    base_url: &str,
    wanted: &(dyn Fn(&str) -> bool + Sync),
    reuse: Option<&crate::publish::Reuse>,
    jobs: &[super::Job],
) -> Vec<OutputFile> {
    let mut files = Vec::new();
    if wanted("sitemap.xml") {
        files.extend(sitemaps(jobs, base_url));
    }
    if wanted("robots.txt") {
        files.push(OutputFile {
            path: "robots.txt".into(),
            bytes: format!("User-agent: *\nAllow: /\nSitemap: {base_url}sitemap.xml\n")
                .into_bytes(),
        });
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
    files.extend(text.into_iter().map(|(path, body)| OutputFile {
        path,
        bytes: body.into_bytes(),
    }));
    files
}

/// Most URLs one sitemap may list (sitemaps.org protocol).
const SITEMAP_MAX_URLS: usize = 50_000;

const XML_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
const SITEMAP_NS: &str = "xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"";

/// `sitemap.xml` listing every page; past 50,000 pages, a sitemap index
/// pointing to `sitemap-1.xml`, `sitemap-2.xml`… as the protocol requires.
fn sitemaps(jobs: &[super::Job], base_url: &str) -> Vec<OutputFile> {
    let urls: Vec<String> = jobs
        .iter()
        .filter(|job| job.path != "404.html")
        .map(|job| {
            let page = job.path.strip_suffix("index.html").unwrap_or(&job.path);
            xml_escape(&format!("{base_url}{page}"))
        })
        .collect();
    sitemap_files(&urls, base_url, SITEMAP_MAX_URLS)
}

/// The sitemap files listing `urls` (already escaped), at most `max` a file.
fn sitemap_files(urls: &[String], base_url: &str, max: usize) -> Vec<OutputFile> {
    let urlset = |urls: &[String]| {
        let mut out = format!("{XML_HEAD}<urlset {SITEMAP_NS}>\n");
        for u in urls {
            out.push_str(&format!("  <url><loc>{u}</loc></url>\n"));
        }
        out.push_str("</urlset>\n");
        out.into_bytes()
    };
    if urls.len() <= max {
        return vec![OutputFile {
            path: "sitemap.xml".into(),
            bytes: urlset(urls),
        }];
    }
    let mut index = format!("{XML_HEAD}<sitemapindex {SITEMAP_NS}>\n");
    let mut files = Vec::new();
    for (n, part) in urls.chunks(max).enumerate() {
        let path = format!("sitemap-{}.xml", n + 1);
        index.push_str(&format!(
            "  <sitemap><loc>{}</loc></sitemap>\n",
            xml_escape(&format!("{base_url}{path}"))
        ));
        files.push(OutputFile {
            path,
            bytes: urlset(part),
        });
    }
    index.push_str("</sitemapindex>\n");
    files.push(OutputFile {
        path: "sitemap.xml".into(),
        bytes: index.into_bytes(),
    });
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_sitemap_becomes_an_index_of_parts() {
        let urls: Vec<String> = ["a/", "b/", "c/"]
            .iter()
            .map(|p| format!("https://example.org/{p}"))
            .collect();
        let one = sitemap_files(&urls, "https://example.org/", 3);
        assert_eq!(one.len(), 1);
        assert!(String::from_utf8_lossy(&one[0].bytes).contains("<urlset"));
        let files = sitemap_files(&urls, "https://example.org/", 2);
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["sitemap-1.xml", "sitemap-2.xml", "sitemap.xml"]);
        let index = String::from_utf8_lossy(&files[2].bytes);
        assert!(index.contains("<sitemapindex"));
        assert!(index.contains("<loc>https://example.org/sitemap-2.xml</loc>"));
        let second = String::from_utf8_lossy(&files[1].bytes);
        assert!(second.contains("<loc>https://example.org/c/</loc>"));
        assert!(!second.contains("/a/"));
    }
}
