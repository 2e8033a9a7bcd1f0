//! A small static file server on tiny_http: MIME types, index.html for
//! folders, the site's own 404 page, and no path outside the output folder.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// A running static server.
pub struct Server {
    pub http: Arc<tiny_http::Server>,
    pub root: PathBuf,
    pub addr: std::net::SocketAddr,
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

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
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
    let Some(decoded) = percent_decode(path) else {
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

impl Server {
    /// Binds `host:port`; with `port` taken, tries the next ten.
    pub fn bind(root: PathBuf, host: &str, port: u16) -> Result<Server, String> {
        let mut last = String::new();
        for p in port..port.saturating_add(10) {
            match tiny_http::Server::http((host, p)) {
                Ok(http) => {
                    let addr = http.server_addr().to_ip().ok_or("not an IP address")?;
                    return Ok(Server {
                        http: Arc::new(http),
                        root,
                        addr,
                    });
                }
                Err(e) => last = format!("port {p}: {e}"),
            }
        }
        Err(format!(
            "cannot listen on {host}:{port} or the next ports ({last}); pass --port N"
        ))
    }

    /// Answers one request from the output folder.
    pub fn respond(&self, request: tiny_http::Request) {
        let head = *request.method() == tiny_http::Method::Head;
        let allowed = head || *request.method() == tiny_http::Method::Get;
        let header = |k: &str, v: &str| {
            tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()).expect("valid header")
        };
        if !allowed {
            let _ = request.respond(
                tiny_http::Response::from_string("method not allowed").with_status_code(405),
            );
            return;
        }
        let (status, path) = match resolve_path(&self.root, request.url()) {
            Resolved::File(p) => (200, Some(p)),
            Resolved::Redirect(to) => {
                let r = tiny_http::Response::empty(301).with_header(header("Location", &to));
                let _ = request.respond(r);
                return;
            }
            Resolved::BadRequest => {
                let _ = request
                    .respond(tiny_http::Response::from_string("bad request").with_status_code(400));
                return;
            }
            Resolved::NotFound => (
                404,
                Some(self.root.join("404.html")).filter(|p| p.is_file()),
            ),
        };
        let Some(path) = path else {
            let _ = request
                .respond(tiny_http::Response::from_string("not found").with_status_code(404));
            return;
        };
        let body = std::fs::read(&path).unwrap_or_default();
        let len = body.len();
        let mut response = tiny_http::Response::from_data(if head { Vec::new() } else { body })
            .with_status_code(status)
            .with_header(header("Content-Type", mime(&path)))
            .with_header(header("Cache-Control", "no-cache"));
        if head {
            response = response.with_header(header("Content-Length", &len.to_string()));
        }
        let _ = request.respond(response);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
