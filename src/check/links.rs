//! `guichet check --links`: every internal link and asset of the built output
//! resolves, under the base URL the site will be served from. The output is
//! built in memory by `pipeline::check_links`, or read from a folder.
//!
//! Pages are tokenised with a WHATWG-compliant tokenizer (html5gum), so what
//! is checked is what a browser would follow. A link resolves when the file it
//! names is in the output (`dir/` → `dir/index.html`) and, for a `#fragment`
//! on an HTML page, when that page has an element with that id.

use crate::diagnostics::{Diagnostic, Diagnostics, Span, line_column};
use crate::output::{OutputFile, base_path};
use html5gum::{DefaultEmitter, Token, Tokenizer};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every file under `dir`, as output paths. Only pages and feeds are read:
/// other files just have to exist.
pub fn read_tree(dir: &Path) -> std::io::Result<Vec<OutputFile>> {
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<OutputFile>) -> std::io::Result<()> {
        let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let name = e.file_name().to_string_lossy().into_owned();
            let path = format!("{prefix}{name}");
            if e.file_type()?.is_dir() {
                walk(&e.path(), &format!("{path}/"), out)?;
            } else {
                let bytes = if is_page(&path) || is_feed(&path) {
                    std::fs::read(e.path())?
                } else {
                    Vec::new()
                };
                out.push(OutputFile { path, bytes });
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, "", &mut out)?;
    Ok(out)
}

fn is_page(path: &str) -> bool {
    path.ends_with(".html")
}

fn is_feed(path: &str) -> bool {
    path.ends_with(".xml")
}

/// A link found in a page.
struct Link {
    url: String,
    /// Byte offset in the page; turned into line:column only for broken links.
    offset: usize,
}

/// What one page holds: links to check and ids that fragments may target.
#[derive(Default)]
struct Scan {
    links: Vec<Link>,
    ids: BTreeSet<String>,
}

/// Attributes that load or lead to a URL.
const URL_ATTRIBUTES: [&str; 4] = ["href", "src", "action", "poster"];

fn scan(text: &str, feed: bool) -> Scan {
    let mut emitter = DefaultEmitter::<usize>::new_with_span();
    // Script and style contents are text, not markup.
    emitter.naively_switch_states(true);
    let mut scan = Scan::default();
    let mut in_loc = false;
    let push = |scan: &mut Scan, url: String, offset: usize| {
        scan.links.push(Link { url, offset });
    };
    for token in Tokenizer::new_with_emitter(text, emitter).flatten() {
        match token {
            Token::StartTag(tag) => {
                in_loc = feed && tag.name.as_slice() == b"loc";
                for (name, value) in &tag.attributes {
                    let v = String::from_utf8_lossy(&value.value).into_owned();
                    match name.as_slice() {
                        b"id" => {
                            scan.ids.insert(v);
                        }
                        b"name" if tag.name.as_slice() == b"a" => {
                            scan.ids.insert(v);
                        }
                        b"srcset" => {
                            for candidate in v.split(',') {
                                if let Some(url) = candidate.split_whitespace().next() {
                                    push(&mut scan, url.to_string(), value.span.start);
                                }
                            }
                        }
                        n if URL_ATTRIBUTES.iter().any(|a| a.as_bytes() == n) => {
                            push(&mut scan, v, value.span.start);
                        }
                        _ => {}
                    }
                }
            }
            Token::String(s) if in_loc => {
                let url = String::from_utf8_lossy(&s.value).trim().to_string();
                push(&mut scan, url, s.span.start);
            }
            Token::EndTag(_) => in_loc = false,
            _ => {}
        }
    }
    scan
}

/// Checks every page and feed of `files` as if served under `base_url`.
/// `label` prefixes the page paths in reports (the output folder, if any).
pub fn check_files(files: &[OutputFile], base_url: &str, label: &str) -> Diagnostics {
    let base = base_path(base_url);
    let exists: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let bytes: BTreeMap<&str, &[u8]> = files
        .iter()
        .map(|f| (f.path.as_str(), f.bytes.as_slice()))
        .collect();
    let scans: BTreeMap<&str, Scan> = files
        .par_iter()
        .filter(|f| is_page(&f.path) || is_feed(&f.path))
        .map(|f| {
            let text = String::from_utf8_lossy(&f.bytes);
            (f.path.as_str(), scan(&text, is_feed(&f.path)))
        })
        .collect();
    let mut diags = Diagnostics::new();
    for (page, s) in &scans {
        for link in &s.links {
            let problem = match resolve(page, &link.url, base_url, &base, is_feed(page)) {
                Resolved::External => None,
                Resolved::Broken(reason) => Some(reason),
                Resolved::Internal { path, fragment } => {
                    match [path.clone(), format!("{path}/index.html")]
                        .into_iter()
                        .find(|p| exists.contains(p.as_str()))
                    {
                        None => Some(format!("no file {path} in the output")),
                        Some(found) => fragment.and_then(|id| {
                            let ids = &scans.get(found.as_str())?.ids;
                            (!ids.contains(&id))
                                .then(|| format!("{found} has no element with id `{id}`"))
                        }),
                    }
                }
            };
            if let Some(reason) = problem {
                let text = String::from_utf8_lossy(bytes[page]);
                let (line, column) = line_column(&text, link.offset);
                let mut d = Diagnostic::error(
                    "broken-link",
                    Span {
                        file: format!("{label}{page}"),
                        line,
                        column,
                    },
                    format!("broken link `{}`: {reason}", link.url),
                );
                if link.url.starts_with('/') && !link.url.starts_with(&base) {
                    d = d.help(format!(
                        "write links in templates as {{{{ base }}}}path so they follow --base-url (here {base})"
                    ));
                }
                diags.push(d);
            }
        }
    }
    diags.sorted()
}

enum Resolved {
    External,
    /// An output path (no leading `/`, `dir/` becomes `dir/index.html`).
    Internal {
        path: String,
        fragment: Option<String>,
    },
    Broken(String),
}

/// Where `url`, found on `page`, leads within the output.
fn resolve(page: &str, url: &str, base_url: &str, base: &str, feed: bool) -> Resolved {
    let url = url.trim();
    if url.is_empty() {
        return Resolved::External;
    }
    let (url, fragment) = match url.split_once('#') {
        Some((u, f)) => (u, (!f.is_empty()).then(|| decode(f))),
        None => (url, None),
    };
    let url = url.split('?').next().unwrap_or(url);
    let has_scheme = url.split_once(':').is_some_and(|(s, _)| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
    });
    let site_path = if let Some(rest) = url.strip_prefix(base_url) {
        format!("{base}{rest}")
    } else if has_scheme || url.starts_with("//") {
        return Resolved::External;
    } else if url.starts_with('/') {
        url.to_string()
    } else if feed {
        // Feeds and sitemaps must use absolute URLs: a relative one has no base.
        return Resolved::Broken("relative URL in a feed".into());
    } else if url.is_empty() {
        // "#id" on the page itself.
        format!("{base}{page}")
    } else {
        let dir = page.rsplit_once('/').map_or("", |(d, _)| d);
        let mut segments: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
        for seg in url.split('/') {
            match seg {
                "." => {}
                ".." => {
                    if segments.pop().is_none() {
                        return Resolved::Broken("goes above the site's root".into());
                    }
                }
                s => segments.push(s),
            }
        }
        // `segments` ends with "" when the URL ends with "/".
        format!("{base}{}", segments.join("/"))
    };
    let Some(path) = site_path.strip_prefix(base) else {
        return Resolved::Broken(format!("outside the site's base path {base}"));
    };
    let mut path = decode(path);
    if path.is_empty() || path.ends_with('/') {
        path.push_str("index.html");
    }
    Resolved::Internal { path, fragment }
}

/// `%xx` escapes decoded; a sequence that is not UTF-8 is kept as it reads.
fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, html: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: html.as_bytes().to_vec(),
        }
    }

    #[test]
    fn resolves_links_under_a_sub_path() {
        let files = vec![
            page(
                "lieux/a/index.html",
                "<a href=\"/annuaire/\">x</a>\n<a href=\"../b/#h\">b</a> <img src=\"../../assets/s.css\">\n<a href=\"https://example.org/annuaire/lieux/a/\">self</a> <a href=\"mailto:x@y\">m</a> <a href=\"#top\">t</a><h1 id=\"top\">",
            ),
            page("lieux/b/index.html", "<h2 id=\"h\">"),
            page("index.html", ""),
            page("assets/s.css", ""),
        ];
        let d = check_files(&files, "https://example.org/annuaire/", "");
        assert!(d.is_empty(), "{}", d.to_text());
    }

    #[test]
    fn reports_page_line_and_link() {
        let files = vec![
            page(
                "index.html",
                "<p>\n  <a href=\"/lieux/\">x</a> <a href=\"nulle-part/\">y</a> <a href=\"#absent\">z</a>",
            ),
            page("lieux/index.html", ""),
        ];
        let d = check_files(&files, "https://example.org/annuaire/", "public/");
        let text = d.to_text();
        assert_eq!(d.len(), 3, "{text}");
        assert!(text.contains("public/index.html:2:6: error: broken link `/lieux/`: outside the site's base path /annuaire/"), "{text}");
        assert!(
            text.contains("broken link `nulle-part/`: no file nulle-part/index.html"),
            "{text}"
        );
        assert!(
            text.contains("index.html has no element with id `absent`"),
            "{text}"
        );
    }

    #[test]
    fn sitemap_locations_are_checked() {
        let files = vec![
            page(
                "sitemap.xml",
                "<urlset><url><loc>https://example.org/annuaire/avis/</loc></url><url><loc>https://example.org/annuaire/perdu/</loc></url></urlset>",
            ),
            page("avis/index.html", ""),
        ];
        let d = check_files(&files, "https://example.org/annuaire/", "");
        assert_eq!(d.len(), 1, "{}", d.to_text());
        assert!(d.to_text().contains("perdu/index.html"));
    }
}
