//! A small static file server on tiny_http: MIME types, index.html for
//! folders, the site's own 404 page, no path outside the output folder, and
//! the live-reload endpoints under [`LIVE_PREFIX`].

use super::live::{self, Hub};
use std::net::{IpAddr, SocketAddr};
use std::path::{Component, Path, PathBuf};
use std::sync::RwLock;

/// URL prefix of the live-reload endpoints; never a path of the output.
pub const LIVE_PREFIX: &str = "/__guichet/";

/// A running server.
pub struct Server {
    pub http: tiny_http::Server,
    /// The output folder served.
    pub root: PathBuf,
    pub addr: SocketAddr,
    pub hub: Hub,
    /// Held for reading while a file is read, for writing while a build
    /// replaces files: a page and the assets it names come from one build.
    pub output: RwLock<()>,
    /// The editor's local backend, set once the directory is known.
    pub local: std::sync::OnceLock<super::LocalBackend>,
}

/// MIME type from a file name.
pub fn mime(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "geojson" => "application/geo+json",
        "xml" => "application/xml; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// What a request path maps to.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    File(PathBuf),
    /// A folder asked without its trailing slash.
    Redirect(String),
    NotFound,
    BadRequest,
}

/// Maps a URL path to a file under `root`, refusing anything that could
/// escape it (`..`, encoded slashes or dots, absolute paths, NUL).
pub fn resolve_path(root: &Path, url: &str) -> Resolved {
    let path = url.split(['?', '#']).next().unwrap_or("");
    if !path.starts_with('/') {
        return Resolved::BadRequest;
    }
    let lower = path.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") {
        return Resolved::BadRequest;
    }
    let Ok(decoded) = percent_encoding::percent_decode_str(path).decode_utf8() else {
        return Resolved::BadRequest;
    };
    if decoded.contains('\\') || decoded.contains('\0') {
        return Resolved::BadRequest;
    }
    let mut rel = PathBuf::new();
    for c in Path::new(decoded.trim_start_matches('/')).components() {
        match c {
            Component::Normal(p) => rel.push(p),
            Component::CurDir => {}
            _ => return Resolved::BadRequest,
        }
    }
    let full = root.join(&rel);
    if full.is_dir() {
        if !decoded.ends_with('/') {
            return Resolved::Redirect(format!("{path}/"));
        }
        let index = full.join("index.html");
        return if index.is_file() {
            Resolved::File(index)
        } else {
            Resolved::NotFound
        };
    }
    if full.is_file() {
        Resolved::File(full)
    } else {
        Resolved::NotFound
    }
}

fn header(name: &str, value: &str) -> Option<tiny_http::Header> {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

fn text(status: u16, body: &str) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let mut r = tiny_http::Response::from_string(body).with_status_code(status);
    r.add_header(header("Content-Type", "text/plain; charset=utf-8").expect("valid header"));
    r
}

impl Server {
    /// Binds `ip:port`; with `port` taken, tries the next ten. Port 0 asks
    /// the system for a free one.
    pub fn bind(root: PathBuf, ip: IpAddr, port: u16) -> Result<Server, String> {
        let mut last = String::new();
        let tries = if port == 0 { 1 } else { 10 };
        for p in (port..=u16::MAX).take(tries) {
            match std::net::TcpListener::bind(SocketAddr::new(ip, p)) {
                Ok(public) => {
                    let addr = public.local_addr().map_err(|e| e.to_string())?;
                    // tiny_http itself listens on loopback only, behind the
                    // door that limits request heads.
                    let http = tiny_http::Server::http("127.0.0.1:0")
                        .map_err(|e| format!("cannot listen on loopback: {e}"))?;
                    let inner = http.server_addr().to_ip().ok_or("not an IP address")?;
                    super::door::open(public, inner);
                    return Ok(Server {
                        http,
                        root,
                        addr,
                        hub: Hub::default(),
                        output: RwLock::new(()),
                        local: std::sync::OnceLock::new(),
                    });
                }
                Err(e) => {
                    let kind = Some(e.kind());
                    // Only a taken port is worth trying the next one for.
                    if kind != Some(std::io::ErrorKind::AddrInUse) {
                        return Err(match kind {
                            Some(std::io::ErrorKind::AddrNotAvailable) => format!(
                                "cannot listen on {ip}: this machine has no such address; \
                                 pass --bind 127.0.0.1 (this machine only) or --bind 0.0.0.0 (every network)"
                            ),
                            _ => format!("cannot listen on {ip}:{p}: {e}"),
                        });
                    }
                    last = format!("port {p}: {e}");
                }
            }
        }
        Err(format!(
            "cannot listen on {ip}:{port} or the next ports ({last}); pass --port N"
        ))
    }

    /// Answers one request: the live-reload endpoints, else a file of the
    /// last good build (pages with the live-reload script added).
    pub fn respond(&self, request: tiny_http::Request) {
        if request.url().split('?').next() == Some(crate::editor::LOCAL_API) {
            return super::local_backend::respond(self.local.get(), request);
        }
        let method = request.method().clone();
        if method != tiny_http::Method::Get && method != tiny_http::Method::Head {
            let mut r = text(405, "method not allowed");
            r.add_header(header("Allow", "GET, HEAD").expect("valid header"));
            let _ = request.respond(r);
            return;
        }
        let url = request.url().to_string();
        if let Some(rest) = url.strip_prefix(LIVE_PREFIX) {
            return self.live(request, rest.split('?').next().unwrap_or(""));
        }
        if !self.hub.has_build() {
            let page = self.hub.no_build_page().into_bytes();
            return send(request, 503, "text/html; charset=utf-8", page);
        }
        let _reading = self.output.read().unwrap_or_else(|e| e.into_inner());
        let (status, path) = match resolve_path(&self.root, &url) {
            Resolved::File(p) => (200, p),
            Resolved::Redirect(to) => {
                let query = url.find('?').map_or("", |i| &url[i..]);
                let mut r = tiny_http::Response::empty(301);
                if let Some(h) = header("Location", &format!("{to}{query}")) {
                    r.add_header(h);
                }
                let _ = request.respond(r);
                return;
            }
            Resolved::BadRequest => {
                let _ = request.respond(text(400, "bad request"));
                return;
            }
            Resolved::NotFound => (404, self.root.join("404.html")),
        };
        let Ok(body) = std::fs::read(&path) else {
            let _ = request.respond(text(404, "not found"));
            return;
        };
        drop(_reading);
        let mime = mime(&path);
        // The editor keeps what is typed in its form: a rebuild must not reload it.
        let editor = url.starts_with(&format!("/{}/", crate::editor::FOLDER));
        let body = if mime.starts_with("text/html") && !editor {
            live::inject(body, &self.hub.script_tag())
        } else {
            body
        };
        send(request, status, mime, body);
    }

    /// `/__guichet/…`: the event stream, the status and the script.
    fn live(&self, request: tiny_http::Request, what: &str) {
        match what {
            "events" if *request.method() == tiny_http::Method::Get => self.hub.subscribe(request),
            "status" => {
                let json = serde_json::to_string_pretty(&self.hub.status()).expect("serialises");
                send(request, 200, "application/json", json.into_bytes());
            }
            "live.js" => send(request, 200, mime(Path::new("x.js")), live::SCRIPT.into()),
            _ => {
                let _ = request.respond(text(404, "not found"));
            }
        }
    }
}

/// Sends a body; tiny_http leaves it out (keeping its length) for HEAD.
fn send(request: tiny_http::Request, status: u16, mime: &str, body: Vec<u8>) {
    // The whole body is at hand: give its length rather than tiny_http's
    // chunked encoding past 32 KB, so clients can show progress and check
    // that a file arrived whole.
    let mut r = tiny_http::Response::from_data(body)
        .with_status_code(status)
        .with_chunked_threshold(usize::MAX);
    for (k, v) in [("Content-Type", mime), ("Cache-Control", "no-cache")] {
        r.add_header(header(k, v).expect("valid header"));
    }
    let _ = request.respond(r);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_published_kind_has_its_type() {
        for (name, want) in [
            ("index.html", "text/html; charset=utf-8"),
            ("style.css", "text/css; charset=utf-8"),
            ("guichet.js", "text/javascript; charset=utf-8"),
            ("search-index.json", "application/json"),
            ("atom.xml", "application/xml; charset=utf-8"),
            ("fermetures.ics", "text/calendar; charset=utf-8"),
            ("lieux.geojson", "application/geo+json"),
            ("lieux.csv", "text/csv; charset=utf-8"),
            ("favicon.svg", "image/svg+xml"),
            ("logo.png", "image/png"),
            ("font.woff2", "font/woff2"),
        ] {
            assert_eq!(mime(Path::new(name)), want, "{name}");
        }
    }

    #[test]
    fn traversal_is_refused() {
        let root = Path::new("/tmp");
        for url in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a%2f..%2f..%2fetc",
            "/..%5cetc",
            "relative",
        ] {
            assert!(
                matches!(
                    resolve_path(root, url),
                    Resolved::BadRequest | Resolved::NotFound
                ),
                "{url}"
            );
        }
    }
}
