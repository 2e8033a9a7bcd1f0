//! Live reload: the build status, Server-Sent Events to open tabs, and the
//! script injected into served pages.
//!
//! Each event stream is taken out of the worker pool as soon as its headers
//! are written: open tabs never hold a worker, so they cannot starve the
//! server however many there are (at most [`MAX_STREAMS`] are kept). Each
//! stream is written by a thread of its own from a short queue: a reader
//! that stops reading (a tab paused in the debugger, a client that never
//! reads) fills its queue and is dropped, and never holds up a rebuild or the
//! other tabs. The page script keeps one stream per browser, shared by its
//! tabs (see `live.js`): a browser's six connections per host stay free for
//! pages.

use crate::diagnostics::{Diagnostic, Diagnostics, Kind, Level};
use serde::Serialize;
use std::io::Write;
use std::sync::Mutex;
use std::time::Duration;

/// The script every served page loads in `serve` mode.
pub const SCRIPT: &str = include_str!("live.js");
/// Open event streams at most; a new one closes the oldest.
pub const MAX_STREAMS: usize = 256;
/// Events waiting for a stream's reader at most; a reader this far behind
/// is dropped (its tab reconnects and gets the current status).
const QUEUE: usize = 16;
/// Idle streams get a comment this often, so dead ones are noticed and dropped.
pub const HEARTBEAT: Duration = Duration::from_secs(15);

/// What open tabs are told after each build.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    /// Id of the build on disk; a tab showing another one reloads.
    pub build: String,
    /// False while the last edit has input errors (the last good build is served).
    pub ok: bool,
    /// The problems of a failed build, input errors first, as
    /// `guichet check --format json` lists them (at most [`MAX_SHOWN`]).
    pub problems: serde_json::Value,
    /// Problems left out of `problems`.
    pub more: usize,
}

struct State {
    status: Status,
    /// Builds published so far; the id changes with each one that changed files.
    count: u64,
    /// A build succeeded at least once since the server started.
    has_build: bool,
}

/// Build status and the event streams listening to it.
pub struct Hub {
    /// Tells this server's builds from an earlier server's, so tabs left
    /// open across a restart reload too.
    session: String,
    state: Mutex<State>,
    streams: Mutex<Vec<std::sync::mpsc::SyncSender<std::sync::Arc<[u8]>>>>,
}

impl Default for Hub {
    fn default() -> Hub {
        // Random keys, new in every process: tabs tell a restart by it.
        let session = {
            use std::hash::{BuildHasher, Hasher};
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u32(std::process::id());
            h.finish()
        };
        Hub {
            session: format!("{session:x}"),
            state: Mutex::new(State {
                status: Status {
                    build: "none".into(),
                    ok: true,
                    problems: serde_json::Value::Array(Vec::new()),
                    more: 0,
                },
                count: 0,
                has_build: false,
            }),
            streams: Mutex::new(Vec::new()),
        }
    }
}

/// Problems shown in a tab at most; the status counts the others.
pub const MAX_SHOWN: usize = 100;

/// The problems to show first, input errors (what blocks the build) before
/// the rest, at most `max`; and how many were left out.
pub fn most_urgent(diags: &Diagnostics, max: usize) -> (Diagnostics, usize) {
    let blocking = |d: &&Diagnostic| d.level == Level::Error && d.kind == Kind::Input;
    let mut shown = Diagnostics::new();
    let ordered = diags
        .iter()
        .filter(blocking)
        .chain(diags.iter().filter(|d| !blocking(d)));
    for d in ordered.take(max) {
        shown.push(d.clone());
    }
    let more = diags.len() - shown.len();
    (shown, more)
}

fn problems_json(diags: &Diagnostics) -> (serde_json::Value, usize) {
    let (shown, more) = most_urgent(diags, MAX_SHOWN);
    (
        serde_json::from_str(&shown.to_json()).unwrap_or_default(),
        more,
    )
}

fn event(status: &Status) -> String {
    let json = serde_json::to_string(status).expect("status serialises");
    format!("event: status\ndata: {json}\n\n")
}

impl Hub {
    /// The current status.
    pub fn status(&self) -> Status {
        self.lock_state().status.clone()
    }

    /// Has any build succeeded yet?
    pub fn has_build(&self) -> bool {
        self.lock_state().has_build
    }

    fn lock_state(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic elsewhere never leaves the status half-updated: recover it.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A build succeeded; `changed` says whether it changed any file. Tabs
    /// reload when it did, or when they were showing problems. Findings that
    /// do not block are left to the terminal and `guichet check`.
    pub fn built(&self, changed: bool) {
        let status = {
            let mut s = self.lock_state();
            if changed || !s.status.ok || !s.has_build {
                s.count += 1;
                s.status.build = format!("{}-{}", self.session, s.count);
            }
            s.has_build = true;
            s.status.ok = true;
            s.status.problems = serde_json::Value::Array(Vec::new());
            s.status.more = 0;
            s.status.clone()
        };
        self.broadcast(&event(&status));
    }

    /// A build failed: the last good one stays, tabs show the problems.
    pub fn failed(&self, diags: &Diagnostics) {
        let status = {
            let mut s = self.lock_state();
            s.status.ok = false;
            (s.status.problems, s.status.more) = problems_json(diags);
            s.status.clone()
        };
        self.broadcast(&event(&status));
    }

    /// Queues `text` for every stream, dropping those that are gone or too
    /// far behind. Never waits on a reader.
    pub fn broadcast(&self, text: &str) {
        let bytes: std::sync::Arc<[u8]> = text.as_bytes().into();
        let mut streams = self.streams.lock().unwrap_or_else(|e| e.into_inner());
        streams.retain(|tx| tx.try_send(bytes.clone()).is_ok());
    }

    /// Adds a stream that has been sent `first`: a thread of its own writes
    /// it what [`Hub::broadcast`] queues, until it fails or is dropped.
    pub fn add_stream(&self, mut w: Box<dyn Write + Send>, first: &[u8]) {
        let (tx, rx) = std::sync::mpsc::sync_channel::<std::sync::Arc<[u8]>>(QUEUE);
        let first = first.to_vec();
        let spawned = std::thread::Builder::new()
            .name("guichet-events".into())
            .stack_size(64 * 1024)
            .spawn(move || {
                if w.write_all(&first).and_then(|()| w.flush()).is_err() {
                    return;
                }
                // Ends when the hub drops the sender, or the reader is gone.
                while let Ok(bytes) = rx.recv() {
                    if w.write_all(&bytes).and_then(|()| w.flush()).is_err() {
                        return;
                    }
                }
            });
        if spawned.is_err() {
            return;
        }
        let mut streams = self.streams.lock().unwrap_or_else(|e| e.into_inner());
        if streams.len() >= MAX_STREAMS {
            // Closed tabs are only noticed at the next write; the newest tab
            // is the one being looked at, so the oldest stream goes.
            streams.remove(0);
        }
        streams.push(tx);
    }

    /// Answers a request for `/__guichet/events`: headers and the current
    /// status now, then every status as builds finish.
    pub fn subscribe(&self, request: tiny_http::Request) {
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n\
                    Cache-Control: no-cache\r\nConnection: close\r\n\r\nretry: 1000\n\n";
        let first = format!("{head}{}", event(&self.status()));
        self.add_stream(request.into_writer(), first.as_bytes());
    }

    /// Number of open event streams.
    pub fn streams(&self) -> usize {
        self.streams.lock().map_or(0, |s| s.len())
    }

    /// The tag inserted into served pages.
    pub fn script_tag(&self) -> String {
        format!(
            "<script src=\"/__guichet/live.js\" data-build=\"{}\"></script>",
            self.status().build
        )
    }

    /// A page for when no build has succeeded yet: the problems, and the
    /// script that reloads it once they are fixed.
    pub fn no_build_page(&self) -> String {
        let status = self.status();
        if status.ok {
            // The first build is under way: say so rather than keep the
            // browser waiting with no word. The script reloads the page once
            // it is done; the refresh is for a browser without it.
            return format!(
                "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">\
                 <meta http-equiv=\"refresh\" content=\"3\">\
                 <title>guichet serve : construction en cours</title></head><body>\n\
                 <h1>Construction en cours</h1>\n\
                 <p role=\"status\">Le site est en cours de construction. Cette page s'affichera d'elle-même dans un instant.</p>\n{}\n</body></html>\n",
                self.script_tag()
            );
        }
        let mut list = String::new();
        for p in status.problems.as_array().into_iter().flatten() {
            let text = format!(
                "{}:{}:{} — {} : {}",
                p["file"].as_str().unwrap_or(""),
                p["line"],
                p["column"],
                p["level"].as_str().unwrap_or(""),
                p["message"].as_str().unwrap_or("")
            );
            list.push_str(&format!("<li>{}</li>\n", crate::text::escape_html(&text)));
        }
        if status.more > 0 {
            list.push_str(&format!("<li>… et {} autres</li>\n", status.more));
        }
        format!(
            "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">\
             <title>guichet serve : aucune version publiable</title></head><body>\n\
             <h1>Aucune version publiable pour l'instant</h1>\n\
             <p>Les données contiennent des erreurs. Corrigez-les : la page se rechargera toute seule.</p>\n\
             <ol>\n{list}</ol>\n{}\n</body></html>\n",
            self.script_tag()
        )
    }
}

/// `html` with `tag` inserted before its last `</body>`, or at its end.
pub fn inject(mut html: Vec<u8>, tag: &str) -> Vec<u8> {
    let needle = b"</body>";
    let at = html
        .windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
        .unwrap_or(html.len());
    html.splice(at..at, tag.bytes());
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_last_body_end() {
        let page = b"<html><body><p>x</p></BODY></html>".to_vec();
        let out = String::from_utf8(inject(page, "<script></script>")).unwrap();
        assert_eq!(out, "<html><body><p>x</p><script></script></BODY></html>");
        let bare = String::from_utf8(inject(b"<p>x</p>".to_vec(), "<s>")).unwrap();
        assert_eq!(bare, "<p>x</p><s>");
    }

    /// A writer whose reader never reads: every write blocks for good.
    struct Stuck;
    impl Write for Stuck {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            std::thread::park();
            Ok(0)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// A writer that counts what it is sent.
    #[derive(Clone, Default)]
    struct Counting(std::sync::Arc<std::sync::atomic::AtomicUsize>);
    impl Write for Counting {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            let events = b.windows(13).filter(|w| w == b"event: status").count();
            self.0
                .fetch_add(events, std::sync::atomic::Ordering::SeqCst);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn readers_that_never_read_hold_up_neither_rebuilds_nor_other_tabs() {
        let hub = Hub::default();
        for _ in 0..3 {
            hub.add_stream(Box::new(Stuck), b"");
        }
        let live = Counting::default();
        hub.add_stream(Box::new(live.clone()), b"");
        // Only the rebuilds' own time counts: between two, the live tab's
        // thread is given the time to read (a loaded machine may be slow to
        // schedule it, which is not what is tested).
        let mut in_rebuilds = Duration::ZERO;
        for n in 1..=500 {
            let started = std::time::Instant::now();
            hub.built(true);
            in_rebuilds += started.elapsed();
            let deadline = std::time::Instant::now() + Duration::from_secs(5);
            while live.0.load(std::sync::atomic::Ordering::SeqCst) < n {
                assert!(
                    std::time::Instant::now() < deadline,
                    "the live tab missed event {n}"
                );
                std::thread::sleep(Duration::from_micros(100));
            }
        }
        assert!(in_rebuilds < Duration::from_secs(5), "{in_rebuilds:?}");
        assert_eq!(hub.streams(), 1, "the stuck readers were dropped");
    }

    #[test]
    fn build_id_changes_only_when_tabs_must_reload() {
        let hub = Hub::default();
        let none = Diagnostics::new();
        hub.built(false);
        let first = hub.status().build;
        hub.built(false);
        assert_eq!(hub.status().build, first, "nothing changed: no reload");
        hub.failed(&none);
        assert!(!hub.status().ok);
        assert_eq!(hub.status().build, first, "the last good build stays");
        hub.built(false);
        assert_ne!(hub.status().build, first, "a fix reloads the tabs");
        assert!(hub.status().ok);
    }
}
