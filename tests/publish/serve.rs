//! Deploy anywhere: a site built with `--base-url https://example.org/annuaire/`
//! is copied under `/annuaire/` of a plain static server and crawled over HTTP,
//! the way a resident's browser would follow it.

use super::{NOW, SUB, build, guichet, ok, sample_copy, tree};
use std::collections::{BTreeSet, VecDeque};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// A static file server on 127.0.0.1: `dir/` serves `dir/index.html`, nothing else is guessed.
struct StaticHost {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl StaticHost {
    fn start(root: PathBuf) -> StaticHost {
        let server = tiny_http::Server::http("127.0.0.1:0").expect("bind 127.0.0.1");
        let addr = server.server_addr().to_ip().expect("an IP address");
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            while !flag.load(Ordering::Relaxed) {
                let Ok(Some(rq)) = server.recv_timeout(Duration::from_millis(50)) else {
                    continue;
                };
                let url = rq.url().split(['?', '#']).next().unwrap_or("/").to_string();
                let mut path = root.join(url.trim_start_matches('/'));
                if url.ends_with('/') {
                    path.push("index.html");
                }
                let response = match std::fs::read(&path) {
                    Ok(bytes) if path.is_file() => tiny_http::Response::from_data(bytes),
                    _ => {
                        tiny_http::Response::from_data(b"not found".to_vec()).with_status_code(404)
                    }
                };
                let _ = rq.respond(response);
            }
        });
        StaticHost {
            addr,
            stop,
            thread: Some(thread),
        }
    }

    /// GET `path`: status code and body.
    fn get(&self, path: &str) -> (u16, Vec<u8>) {
        let mut s = TcpStream::connect(self.addr).expect("connect to the test server");
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: example.org\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).expect("read the response");
        let head_end = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("HTTP headers");
        let head = String::from_utf8_lossy(&raw[..head_end]);
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .expect("a status");
        (status, raw[head_end + 4..].to_vec())
    }
}

impl Drop for StaticHost {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Server paths a page at `page` (a server path) links to; external links are
/// left out. HTML is tokenised like a browser does (entities decoded); feeds,
/// the sitemap and robots.txt are plain text.
fn links(page: &str, body: &str) -> Vec<String> {
    let mut urls: Vec<String> = Vec::new();
    if page.ends_with('/') || page.ends_with(".html") {
        for token in html5gum::Tokenizer::new(body).flatten() {
            if let html5gum::Token::StartTag(tag) = token {
                for (name, value) in &tag.attributes {
                    let value = String::from_utf8_lossy(&value.value).into_owned();
                    if [&b"href"[..], b"src", b"action"].contains(&name.as_slice()) {
                        urls.push(value);
                    } else if name.starts_with(b"data-")
                        && value.starts_with('/')
                        && !value.ends_with('/')
                    {
                        // Files the scripts fetch (search index, map library) are named in data-* attributes.
                        urls.push(value);
                    }
                }
            }
        }
    } else {
        let re =
            regex::Regex::new(r#"(?m)href="([^"]*)"|<loc>([^<]*)</loc>|^Sitemap: (\S+)"#).unwrap();
        for c in re.captures_iter(body) {
            let url = c.iter().skip(1).flatten().next().unwrap().as_str();
            urls.push(url.replace("&amp;", "&"));
        }
    }
    let dir = &page[..=page.rfind('/').unwrap()];
    let mut out = Vec::new();
    for url in urls {
        let url = url.split('#').next().unwrap();
        if url.is_empty() {
            continue;
        }
        if let Some(rest) = url.strip_prefix(SUB) {
            out.push(format!("/annuaire/{rest}"));
        } else if url.starts_with('/') && !url.starts_with("//") {
            out.push(url.to_string());
        } else if !url.contains(':') && !url.starts_with("//") {
            out.push(normalise(&format!("{dir}{url}")));
        }
    }
    out
}

fn normalise(path: &str) -> String {
    let mut segs: Vec<&str> = Vec::new();
    for s in path.split('/').skip(1) {
        match s {
            "." => {}
            ".." => {
                segs.pop();
            }
            s => segs.push(s),
        }
    }
    format!("/{}", segs.join("/"))
}

/// `guichet check --links` on the built folder `out`, served under [`SUB`].
fn check_links(root: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "check",
        "--links",
        "--out",
        out.to_str().unwrap(),
        "--base-url",
        SUB,
    ];
    args.extend_from_slice(extra);
    guichet(&args, root)
}

#[test]
fn a_sub_path_deploy_serves_every_link_page_asset_and_feed() {
    let dir = sample_copy();
    let srv = dir.path().join("srv");
    let out = srv.join("annuaire");
    ok(build(
        dir.path(),
        NOW,
        &["--base-url", SUB, "--out", out.to_str().unwrap()],
    ));
    let host = StaticHost::start(srv.clone());

    let mut queue: VecDeque<String> = ["/annuaire/", "/annuaire/404.html", "/annuaire/robots.txt"]
        .into_iter()
        .map(String::from)
        .collect();
    // The commune gazetteer is fetched one file at a time by the search
    // script from a data-communes prefix: check one of them resolves.
    queue.push_back("/annuaire/recherche/communes/92.json".into());
    let mut seen: BTreeSet<String> = queue.iter().cloned().collect();
    let mut failures = Vec::new();
    while let Some(path) = queue.pop_front() {
        assert!(seen.len() < 5000, "crawl does not end");
        if !path.starts_with("/annuaire/") {
            failures.push(format!("{path}: outside /annuaire/"));
            continue;
        }
        let (status, body) = host.get(&path);
        if status != 200 {
            failures.push(format!("{path}: HTTP {status}"));
            continue;
        }
        let text_like = [".html", "/", ".xml", ".txt"]
            .iter()
            .any(|e| path.ends_with(e));
        if text_like {
            for link in links(&path, &String::from_utf8_lossy(&body)) {
                if seen.insert(link.clone()) {
                    queue.push_back(link);
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "broken under /annuaire/:\n{}",
        failures.join("\n")
    );

    // Every page and every data file a deploy publishes is reachable from the home page.
    let served: BTreeSet<String> = seen
        .iter()
        .map(|p| {
            let p = p.trim_start_matches("/annuaire/").to_string();
            if p.is_empty() || p.ends_with('/') {
                format!("{p}index.html")
            } else {
                p
            }
        })
        .collect();
    let unreached: Vec<_> = tree(&out)
        .into_keys()
        .filter(|p| {
            !served.contains(p)
                && !p.starts_with("donnees/lieux.")
                && p != "search-index.json"
                && !p.starts_with("recherche/communes/")
                && !(p.starts_with("assets/vendor/") && p.contains("LICENSE"))
        })
        .collect();
    assert!(
        unreached.is_empty(),
        "not linked from anywhere: {unreached:?}"
    );
    for data in [
        "donnees/lieux.csv",
        "donnees/lieux.geojson",
        "donnees/lieux.json",
    ] {
        assert_eq!(host.get(&format!("/annuaire/{data}")).0, 200, "{data}");
    }

    // The link checker agrees with the crawl.
    let checked = check_links(dir.path(), &out, &["--format", "json"]);
    let stdout = String::from_utf8_lossy(&checked.stdout);
    assert!(!stdout.contains("broken-link"), "{stdout}");
}

#[test]
fn the_link_checker_catches_a_link_that_ignores_the_base_path() {
    let dir = sample_copy();
    let out = dir.path().join("sub");
    ok(build(
        dir.path(),
        NOW,
        &["--base-url", SUB, "--out", out.to_str().unwrap()],
    ));
    let page = out.join("avis/index.html");
    let html = std::fs::read_to_string(&page).unwrap();
    // A hand-written link that forgets the base path, as a template without {{ base }} would.
    let html = html.replacen("</main>", "<a href=\"/avis/atom.xml\">flux</a></main>", 1);
    std::fs::write(&page, html).unwrap();
    let checked = check_links(dir.path(), &out, &[]);
    assert_eq!(checked.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&checked.stdout);
    let line = stdout
        .lines()
        .find(|l| l.contains("broken-link") || l.contains("broken link"))
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(line.contains("sub/avis/index.html:"), "{line}");
    assert!(
        line.contains("`/avis/atom.xml`: outside the site's base path /annuaire/"),
        "{line}"
    );
}
