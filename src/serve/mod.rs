//! `guichet serve`: build, serve on loopback, watch the inputs, rebuild what
//! a change touches and reload open tabs.
//!
//! Threads: the front door (`door.rs`) accepts connections and checks each
//! request head before tiny_http sees it; a few workers answer requests from
//! the output folder (`http.rs`); one thread waits for batches of changes
//! (`watch.rs`) and rebuilds through the pipeline (`incremental.rs`, which
//! keeps the pipeline's store between rebuilds); each open event stream has
//! a writer thread (`live.rs`); the main thread waits for Ctrl-C. A bad edit
//! never stops the server: the last good build stays on disk and is served,
//! and open tabs show the problems.

mod door;
mod http;
mod incremental;
mod live;
mod local_backend;
mod patch;
mod watch;

pub use http::{LIVE_PREFIX, Resolved, Server, mime, resolve_path};
pub use incremental::{Outcome, Phases, Workspace};
pub use live::{Hub, Status, inject};
pub use local_backend::{LocalBackend, Refusal, normalise_notice};
pub use watch::{Change, Watcher, classify};

use crate::diagnostics::{Diagnostic, Diagnostics, Span};

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Threads answering requests: a bound on concurrent work, whatever the load.
/// Event streams do not hold one.
pub const WORKERS: usize = 4;

/// What `guichet serve` needs to know.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    /// Defaults to a folder of its own in the system's temporary folder,
    /// removed on exit: never `root/public`.
    pub out: Option<PathBuf>,
    /// Address to listen on; loopback unless the user asks otherwise.
    pub bind: IpAddr,
    /// First port to try; 0 lets the system choose.
    pub port: u16,
    /// Fixed, or following the system clock from build to build.
    pub clock: crate::clock::Clock,
}

/// Runs the server until Ctrl-C (or SIGTERM). Errors are for what stops it
/// from starting at all: no directory there, no port to listen on.
pub fn run(opts: &ServeOptions) -> Result<(), String> {
    // One spelling of every path: the watcher reports absolute ones.
    let root = &opts
        .root
        .canonicalize()
        .map_err(|e| format!("--root {}: {e}", opts.root.display()))?;
    if !root.join("guichet.toml").is_file() && !root.join("data/sites").is_dir() {
        return Err(format!(
            "neither guichet.toml nor data/sites/ in {}: run guichet serve in a directory, pass --root DIR, or start one with `guichet init`",
            root.display()
        ));
    }
    // The preview has a folder of its own: `public/` is what `build` made
    // for deploying (with the real base URL, and files such as CNAME that a
    // build does not make), and a preview must never change it.
    let own_folder = opts.out.is_none();
    let out = opts.out.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("guichet-serve-{}", std::process::id()))
    });
    std::fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    check_out(root, &out)?;
    if !opts.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}: other machines can read this preview",
            opts.bind
        );
    }
    let server = Arc::new(Server::bind(out.clone(), opts.bind, opts.port)?);
    let host = if server.addr.ip().is_unspecified() {
        IpAddr::from([127, 0, 0, 1])
    } else {
        server.addr.ip()
    };
    let base_url = format!(
        "http://{}/",
        std::net::SocketAddr::new(host, server.addr.port())
    );
    let _ = server.local.set(LocalBackend::new(root, &base_url));
    if opts.port != 0 && server.addr.port() != opts.port {
        eprintln!("port {} is taken: using {}", opts.port, server.addr.port());
    }

    let stop = Arc::new(AtomicBool::new(false));
    let (stop_tx, stop_rx) = std::sync::mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = stop_tx.send(());
    })
    .map_err(|e| format!("cannot handle Ctrl-C: {e}"))?;

    // Watch before the first build, so edits made during it are not lost.
    let mut watcher = Watcher::start(root, &out)?;
    // Answer at once: while the directory loads and the first build runs,
    // pages say it is under way.
    for _ in 0..WORKERS {
        let server = server.clone();
        std::thread::spawn(move || answer(&server));
    }
    let mut ws = Workspace::new(root, &out, &base_url, opts.clock);
    eprintln!("building {} …", root.display());
    let mut printed = Diagnostics::new();
    rebuild(&mut ws, &server, None, &mut printed);
    {
        let server = server.clone();
        let stop = stop.clone();
        std::thread::spawn(move || heartbeat(&server, &stop));
    }
    {
        let stop = stop.clone();
        let addr = std::net::SocketAddr::new(host, server.addr.port());
        std::thread::spawn(move || kick(addr, &stop));
    }
    println!("serving {} on {base_url} (Ctrl-C to stop)", out.display());
    let builder = {
        let server = server.clone();
        let stop = stop.clone();
        std::thread::spawn(move || {
            while let Some(changes) = watcher.next_batch(&|| stop.load(Ordering::Relaxed)) {
                // An idle tick: rebuild only if the date moved on, since
                // notice states and open-now data depend on it.
                if !changes.is_empty() || ws.new_day_since_last_build() {
                    let mut settle = |d| watcher.changes_within(d);
                    rebuild(
                        &mut ws,
                        &server,
                        Some((&changes, &mut settle)),
                        &mut printed,
                    );
                }
            }
        })
    };
    let _ = stop_rx.recv();
    stop.store(true, Ordering::Relaxed);
    // A build under way finishes and no other starts: the folder is not
    // removed under a build still writing into it.
    let _ = builder.join();
    if own_folder {
        let _ = std::fs::remove_dir_all(&out);
    }
    eprintln!("stopped");
    Ok(())
}

/// Files in the output folder that a build does not produce are removed:
/// refuse a folder that holds inputs.
fn check_out(root: &std::path::Path, out: &std::path::Path) -> Result<(), String> {
    let out = out
        .canonicalize()
        .map_err(|e| format!("--out {}: {e}", out.display()))?;
    let holds_inputs =
        root.starts_with(&out) || watch::WATCHED.iter().any(|d| out.starts_with(root.join(d)));
    if holds_inputs {
        return Err(format!(
            "--out {} would hold or overwrite the directory's own files: choose another folder",
            out.display()
        ));
    }
    Ok(())
}

/// A worker: answers requests until the server closes. A panic while
/// answering one request drops that request, not the worker.
fn answer(server: &Server) {
    while let Ok(request) = server.http.recv() {
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            server.respond(request);
        }));
        if caught.is_err() {
            eprintln!("internal error while answering a request (see above); still serving");
        }
    }
}

fn heartbeat(server: &Server, stop: &AtomicBool) {
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(live::HEARTBEAT);
        server.hub.broadcast(": ping\n\n");
    }
}

/// Prints problems, the most urgent first, at most a screenful.
fn print_problems(diags: &Diagnostics) {
    let (shown, more) = live::most_urgent(diags, 30);
    for d in shown.iter() {
        eprintln!("{d}");
    }
    if more > 0 {
        eprintln!("… and {more} more: `guichet check` lists them all");
    }
}

/// tiny_http gives each open connection a thread of its pool, and when
/// several connections arrive at once one of them can be queued behind busy
/// threads until a connection ends. Event streams and browsers' keep-alive
/// connections may not end for minutes, so a connection that opens and
/// closes at once, ten times a second, lets a queued one be picked up.
fn kick(addr: std::net::SocketAddr, stop: &AtomicBool) {
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(std::time::Duration::from_millis(100));
        let _ = std::net::TcpStream::connect_timeout(&addr, std::time::Duration::from_secs(1));
    }
}

/// How long a failed build waits for more changes before it is reported:
/// an editor that truncates a file and writes it 50 ms later, vim's rename
/// dance or a `git checkout` of many files is a save in progress, not an
/// error. A build that succeeds is reported at once.
const SETTLE: std::time::Duration = std::time::Duration::from_millis(250);

/// Waits up to the given time for more changes to the inputs.
type Settle<'a> = &'a mut dyn FnMut(std::time::Duration) -> Vec<Change>;

/// Applies `changes` (none: the first build), builds, reports in the
/// terminal and to open tabs. A failed build is reported only once the
/// files have been quiet for [`SETTLE`]. Findings that do not block are
/// printed when they differ from the last ones `printed`.
fn rebuild(
    ws: &mut Workspace,
    server: &Server,
    changes: Option<(&[Change], Settle<'_>)>,
    printed: &mut Diagnostics,
) {
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let Some((changes, settle)) = changes else {
            return ws.build(&server.output);
        };
        ws.apply(changes);
        let mut outcome = ws.build(&server.output);
        // A few rounds at most: a file rewritten without end still gets reported.
        for _ in 0..8 {
            if !matches!(outcome, Outcome::Failed(_)) {
                break;
            }
            let more = settle(SETTLE);
            if more.is_empty() {
                break;
            }
            ws.apply(&more);
            outcome = ws.build(&server.output);
        }
        outcome
    }));
    let outcome = match caught {
        Ok(o) => o,
        Err(_) => {
            ws.reset();
            let mut d = Diagnostics::new();
            d.push(Diagnostic::error(
                "internal",
                Span::file("guichet.toml"),
                "internal error while rebuilding (details in the terminal); save a file to try again",
            ));
            Outcome::Failed(d)
        }
    };
    match outcome {
        Outcome::Built {
            full,
            rendered,
            written,
            removed,
            elapsed,
            phases,
            diagnostics,
        } => {
            if diagnostics != *printed {
                print_problems(&diagnostics);
                let text = diagnostics.to_text();
                eprint!(
                    "{}",
                    text.lines()
                        .last()
                        .map_or(String::new(), |l| format!("{l}\n"))
                );
                *printed = diagnostics;
            }
            eprintln!(
                "{} {rendered} pages, {written} files written, {removed} removed, in {} ms ({phases})",
                if full { "rendered all" } else { "rendered" },
                elapsed.as_millis()
            );
            server.hub.built(written + removed > 0);
        }
        Outcome::Failed(diagnostics) => {
            print_problems(&diagnostics);
            eprintln!("not rebuilt: fix the errors above; still serving the last good build");
            server.hub.failed(&diagnostics);
        }
    }
}
