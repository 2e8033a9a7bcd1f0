//! The sitemap (split into parts past 50,000 pages) and `robots.txt`.

use super::xml_escape;
use crate::output::OutputFile;

/// `sitemap.xml` (and its parts) listing the pages at `paths`, and
/// `robots.txt` pointing to it, those `wanted` accepts.
pub fn files<'a>(
    paths: impl Iterator<Item = &'a str>,
    base_url: &str,
    wanted: &(dyn Fn(&str) -> bool + Sync),
) -> Vec<OutputFile> {
    let mut files = Vec::new();
    if wanted("sitemap.xml") {
        files.extend(sitemaps(paths, base_url));
    }
    if wanted("robots.txt") {
        files.push(OutputFile {
            path: "robots.txt".into(),
            bytes: format!("User-agent: *\nAllow: /\nSitemap: {base_url}sitemap.xml\n")
                .into_bytes(),
        });
    }
    files
}

/// Most URLs one sitemap may list (sitemaps.org protocol).
const SITEMAP_MAX_URLS: usize = 50_000;

const XML_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
const SITEMAP_NS: &str = "xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"";

/// `sitemap.xml` listing every page; past 50,000 pages, a sitemap index
/// pointing to `sitemap-1.xml`, `sitemap-2.xml`… as the protocol requires.
fn sitemaps<'a>(paths: impl Iterator<Item = &'a str>, base_url: &str) -> Vec<OutputFile> {
    let urls: Vec<String> = paths
        .filter(|path| *path != "404.html")
        .map(|path| {
            let page = path.strip_suffix("index.html").unwrap_or(path);
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
