//! The front door: every connection to `guichet serve` passes through here
//! before it reaches tiny_http.
//!
//! tiny_http reads a request line or a header line of any length into
//! memory, and keeps the memory: one client sending 256 MB without a line
//! break raised the server from 70 to 585 MB for good. The door reads each
//! request's head itself, with limits, refuses what goes beyond them (414,
//! 431, 413) and passes the rest, byte for byte, to tiny_http listening on
//! loopback. Responses flow back untouched, event streams included.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};

/// Longest request line or header line, as common servers allow.
pub const MAX_LINE: usize = 8 * 1024;
/// Longest request head (request line and headers).
pub const MAX_HEAD: usize = 64 * 1024;
/// Most headers in one request.
pub const MAX_HEADERS: usize = 100;
/// Largest request body: the editor's notices and pages are a few kilobytes.
pub const MAX_BODY: u64 = 16 * 1024 * 1024;

/// Accepts connections on `public` and relays each to `inner`, for as long
/// as the process runs.
pub fn open(public: TcpListener, inner: SocketAddr) {
    std::thread::spawn(move || {
        for client in public.incoming() {
            let Ok(client) = client else { continue };
            std::thread::spawn(move || relay(client, inner));
        }
    });
}

/// Why a request was refused before reaching the server.
#[derive(Debug, PartialEq, Eq)]
enum Refusal {
    /// 414: the request line is too long.
    LongUri,
    /// 431: a header line, or all of them, too long, or too many.
    LargeHead,
    /// 413: the body is larger than any page of the editor sends.
    LargeBody,
    /// 411: a body without a length (chunked uploads are not needed here).
    NoLength,
    /// 400: not an HTTP request head.
    Malformed,
}

impl Refusal {
    fn response(&self) -> &'static [u8] {
        match self {
            Refusal::LongUri => b"HTTP/1.1 414 URI Too Long\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 22\r\nConnection: close\r\n\r\nrequest line too long\n",
            Refusal::LargeHead => b"HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 22\r\nConnection: close\r\n\r\nrequest head too large\n",
            Refusal::LargeBody => b"HTTP/1.1 413 Content Too Large\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 22\r\nConnection: close\r\n\r\nrequest body too large\n",
            Refusal::NoLength => b"HTTP/1.1 411 Length Required\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 24\r\nConnection: close\r\n\r\nrequest body has no size\n",
            Refusal::Malformed => b"HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 12\r\nConnection: close\r\n\r\nbad request\n",
        }
    }
}

/// One request's head, as received, and the length of its body.
struct Head {
    bytes: Vec<u8>,
    body: u64,
}

/// Reads the next request head from `r`: `Ok(None)` at the end of the
/// connection. Blank lines between requests are skipped, as RFC 9112 allows.
fn read_head(r: &mut impl BufRead) -> Result<Option<Head>, Option<Refusal>> {
    let mut bytes = Vec::new();
    let mut body = 0;
    let mut headers = 0;
    loop {
        let mut line = Vec::new();
        let n = r
            .by_ref()
            .take(MAX_LINE as u64 + 1)
            .read_until(b'\n', &mut line)
            .map_err(|_| None)?;
        if n == 0 {
            return if bytes.is_empty() {
                Ok(None)
            } else {
                Err(Some(Refusal::Malformed))
            };
        }
        let first = bytes.is_empty();
        if !line.ends_with(b"\n") {
            // Cut off by the limit (or by the end of the connection).
            return Err(Some(if n <= MAX_LINE {
                Refusal::Malformed
            } else if first {
                Refusal::LongUri
            } else {
                Refusal::LargeHead
            }));
        }
        let text = trim_eol(&line);
        if first && text.is_empty() {
            continue;
        }
        if bytes.len() + line.len() > MAX_HEAD {
            return Err(Some(Refusal::LargeHead));
        }
        bytes.extend_from_slice(&line);
        if text.is_empty() {
            return Ok(Some(Head { bytes, body }));
        }
        if first {
            continue;
        }
        headers += 1;
        if headers > MAX_HEADERS {
            return Err(Some(Refusal::LargeHead));
        }
        let text = String::from_utf8_lossy(text);
        let Some((name, value)) = text.split_once(':') else {
            return Err(Some(Refusal::Malformed));
        };
        let (name, value) = (name.trim(), value.trim());
        if name.eq_ignore_ascii_case("content-length") {
            body = value.parse().map_err(|_| Some(Refusal::Malformed))?;
            if body > MAX_BODY {
                return Err(Some(Refusal::LargeBody));
            }
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            return Err(Some(Refusal::NoLength));
        }
    }
}

/// Reads and drops what the client is still sending, for a moment, before
/// closing: closing with unread data would reset the connection, and the
/// client might never read why it was refused.
fn linger(mut client: TcpStream) {
    let until = std::time::Instant::now() + std::time::Duration::from_millis(500);
    let _ = client.set_read_timeout(Some(std::time::Duration::from_millis(100)));
    let mut buf = [0u8; 8192];
    while std::time::Instant::now() < until {
        match client.read(&mut buf) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e)
                if e.kind() == std::io::ErrorKind::WouldBlock
                    || e.kind() == std::io::ErrorKind::TimedOut => {}
            Err(_) => break,
        }
    }
}

fn trim_eol(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// Relays one connection: request heads checked one by one, bodies and
/// responses copied as they come.
fn relay(client: TcpStream, inner: SocketAddr) {
    let Ok(server) = TcpStream::connect(inner) else {
        return;
    };
    let (Ok(mut to_client), Ok(mut from_server)) = (client.try_clone(), server.try_clone()) else {
        return;
    };
    // Set before the door refuses a request: the client is then told why
    // before its connection is closed, not closed when the server is done.
    let refusing = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let back = {
        let refusing = refusing.clone();
        std::thread::spawn(move || {
            let _ = std::io::copy(&mut from_server, &mut to_client);
            if !refusing.load(std::sync::atomic::Ordering::SeqCst) {
                let _ = to_client.shutdown(Shutdown::Write);
            }
        })
    };
    let mut to_server = server;
    let mut from_client = BufReader::new(client);
    loop {
        match read_head(&mut from_client) {
            Ok(Some(head)) => {
                let sent = to_server.write_all(&head.bytes).and_then(|()| {
                    let mut body = (&mut from_client).take(head.body);
                    std::io::copy(&mut body, &mut to_server).map(|_| ())
                });
                if sent.is_err() {
                    break;
                }
            }
            Ok(None) | Err(None) => break,
            Err(Some(refusal)) => {
                // The server hears no more of this connection; the client
                // is told why once the answers before this one are sent.
                refusing.store(true, std::sync::atomic::Ordering::SeqCst);
                let _ = to_server.shutdown(Shutdown::Write);
                let _ = back.join();
                let mut client = from_client.into_inner();
                let _ = client.write_all(refusal.response());
                let _ = client.shutdown(Shutdown::Write);
                linger(client);
                return;
            }
        }
    }
    let _ = to_server.shutdown(Shutdown::Write);
    let _ = back.join();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(raw: &[u8]) -> Result<Option<(usize, u64)>, Option<Refusal>> {
        read_head(&mut std::io::Cursor::new(raw)).map(|h| h.map(|h| (h.bytes.len(), h.body)))
    }

    #[test]
    fn heads_within_limits_pass_whole() {
        let raw = b"\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n";
        assert_eq!(head(raw), Ok(Some((raw.len() - 2, 0))));
        let post = b"POST /api/v1 HTTP/1.1\r\ncontent-length: 5\r\n\r\nhello";
        assert_eq!(head(post), Ok(Some((post.len() - 5, 5))));
        assert_eq!(head(b""), Ok(None));
    }

    #[test]
    fn oversized_heads_are_refused() {
        let long = [
            b"GET /".as_slice(),
            &vec![b'a'; MAX_LINE],
            b" HTTP/1.1\r\n\r\n",
        ]
        .concat();
        assert_eq!(head(&long), Err(Some(Refusal::LongUri)));
        let no_crlf = vec![b'a'; 3 * MAX_LINE];
        assert_eq!(head(&no_crlf), Err(Some(Refusal::LongUri)));
        let header = [
            b"GET / HTTP/1.1\r\nX: ".as_slice(),
            &vec![b'a'; MAX_LINE],
            b"\r\n\r\n",
        ]
        .concat();
        assert_eq!(head(&header), Err(Some(Refusal::LargeHead)));
        let many = format!(
            "GET / HTTP/1.1\r\n{}\r\n",
            "X: 1\r\n".repeat(MAX_HEADERS + 1)
        );
        assert_eq!(head(many.as_bytes()), Err(Some(Refusal::LargeHead)));
        let big = format!(
            "POST / HTTP/1.1\r\nContent-Length: {}\r\n\r\n",
            MAX_BODY + 1
        );
        assert_eq!(head(big.as_bytes()), Err(Some(Refusal::LargeBody)));
        let chunked = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
        assert_eq!(head(chunked), Err(Some(Refusal::NoLength)));
    }
}
