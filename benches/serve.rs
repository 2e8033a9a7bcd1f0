//! Edit-to-reload latency of `guichet serve` against a full `guichet build`,
//! on a synthetic directory (10,000 sites unless GUICHET_BENCH_SITES says).
//!
//!     cargo bench --bench serve
//!
//! Inputs and outputs go to /dev/shm (GUICHET_BENCH_DIR to change), so the
//! disk does not decide the result. The latency is measured as an open tab
//! sees it: from the moment a notice file is saved to the moment the
//! `/__guichet/events` stream announces the new build.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const NOW: &str = "2026-11-23T10:00:00+01:00";
const BIN: &str = env!("CARGO_BIN_EXE_guichet");
const EDITS: usize = 7;
const BUILDS: usize = 3;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

/// Reads the event stream until a status with a build id other than
/// `than` arrives; returns that id.
fn next_build(stream: &mut TcpStream, buf: &mut String, than: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        while let Some(i) = buf.find("\n\n") {
            let block: String = buf.drain(..i + 2).collect();
            let Some(data) = block.lines().find_map(|l| l.strip_prefix("data: ")) else {
                continue;
            };
            let status: serde_json::Value = serde_json::from_str(data).expect("status JSON");
            let build = status["build"].as_str().unwrap_or("").to_string();
            if status["ok"] == true && build != than {
                return build;
            }
            assert!(status["ok"] == true, "build failed: {data}");
        }
        assert!(Instant::now() < deadline, "no new build in time");
        let mut chunk = [0u8; 65536];
        match stream.read(&mut chunk) {
            Ok(0) => panic!("event stream closed"),
            Ok(n) => buf.push_str(&String::from_utf8_lossy(&chunk[..n])),
            Err(_) => {}
        }
    }
}

/// Status of a GET of `path`, `None` when nothing answers.
fn get_status(addr: &str, path: &str) -> Option<u16> {
    let mut s = TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
    s.write_all(
        format!("GET {path} HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n").as_bytes(),
    )
    .ok()?;
    let mut reply = Vec::new();
    s.read_to_end(&mut reply).ok()?;
    let head = String::from_utf8_lossy(&reply[..reply.len().min(20)]).into_owned();
    head.split(' ').nth(1)?.parse().ok()
}

fn main() {
    let sites: usize = std::env::var("GUICHET_BENCH_SITES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    let base = std::env::var_os("GUICHET_BENCH_DIR").map_or_else(
        || {
            let shm = Path::new("/dev/shm");
            let parent = if shm.is_dir() {
                shm.to_path_buf()
            } else {
                std::env::temp_dir()
            };
            parent.join(format!("guichet-bench-{}", std::process::id()))
        },
        PathBuf::from,
    );
    let _ = std::fs::remove_dir_all(&base);
    let dir = base.join("directory");
    guichet::synth::generate(&dir, sites, 1).expect("write the synthetic directory");
    println!("{sites} synthetic sites in {}", dir.display());

    let mut full = Vec::new();
    for i in 0..BUILDS {
        let out = base.join(format!("build-{i}"));
        let started = Instant::now();
        let status = Command::new(BIN)
            .args(["build", "--now", NOW, "--root"])
            .arg(&dir)
            .arg("--out")
            .arg(&out)
            .stderr(Stdio::null())
            .status()
            .expect("run guichet build");
        assert!(status.success(), "guichet build failed");
        full.push(started.elapsed());
    }
    let full = median(full);
    println!(
        "full build (guichet build), median of {BUILDS}: {}",
        ms(full)
    );

    let ejected = Command::new(BIN)
        .args(["theme", "eject", "style.css", "--root"])
        .arg(&dir)
        .stderr(Stdio::null())
        .status()
        .expect("run guichet theme eject");
    assert!(ejected.success(), "guichet theme eject failed");
    // A port known before the server prints it: pages are asked for while
    // the first build runs.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let started = Instant::now();
    let mut server = Command::new(BIN)
        .args(["serve", "--port", &port.to_string(), "--now", NOW, "--root"])
        .arg(&dir)
        .arg("--out")
        .arg(base.join("serve"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start guichet serve");
    let stderr = server.stderr.take().expect("stderr");
    let (log_tx, log) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = log_tx.send(line);
        }
    });
    let target = format!("127.0.0.1:{port}");
    let (mut first_answer, mut first_page) = (None, None);
    while first_page.is_none() && started.elapsed() < Duration::from_secs(300) {
        match get_status(&target, "/") {
            Some(status) => {
                first_answer.get_or_insert(started.elapsed());
                if status == 200 {
                    first_page = Some(started.elapsed());
                }
            }
            None => std::thread::sleep(Duration::from_millis(5)),
        }
    }
    let mut line = String::new();
    BufReader::new(server.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("URL line");
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .expect("URL")
        .to_string();
    let mut events = TcpStream::connect(&addr).expect("connect");
    events
        .write_all(b"GET /__guichet/events HTTP/1.1\r\nHost: bench\r\n\r\n")
        .expect("subscribe");
    events
        .set_read_timeout(Some(Duration::from_millis(20)))
        .expect("timeout");
    let mut buf = String::new();
    let mut build = next_build(&mut events, &mut buf, "none");

    // The first notice still to come (files are named by start date), so
    // the edit shows on its site's page, listings and home page.
    let notice = std::fs::read_dir(dir.join("content/notices"))
        .expect("notices")
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().as_ref() > "2026-11-24")
        })
        .min()
        .expect("an upcoming notice");
    let text = std::fs::read_to_string(&notice).expect("read notice");
    let mut latencies = Vec::new();
    for i in 0..EDITS {
        std::thread::sleep(Duration::from_millis(300));
        let edited = text.replacen("title = \"", &format!("title = \"(mise à jour {i}) "), 1);
        let saved = Instant::now();
        std::fs::write(&notice, edited).expect("save notice");
        build = next_build(&mut events, &mut buf, &build);
        latencies.push(saved.elapsed());
    }
    let notice_rebuild = log.try_iter().filter(|l| l.starts_with("rendered")).last();
    // For comparison: one site file edited (its name shows on its listings
    // and its neighbours' pages; the derived facts are computed again).
    let site = std::fs::read_dir(dir.join("data/sites"))
        .expect("sites")
        .flatten()
        .map(|e| e.path())
        .min()
        .expect("a site");
    let site_text = std::fs::read_to_string(&site).expect("read site");
    let mut site_latencies = Vec::new();
    for i in 0..3 {
        std::thread::sleep(Duration::from_millis(300));
        let edited = site_text.replacen("name = \"", &format!("name = \"({i}) "), 1);
        let saved = Instant::now();
        std::fs::write(&site, edited).expect("save site");
        build = next_build(&mut events, &mut buf, &build);
        site_latencies.push(saved.elapsed());
    }
    let site_rebuild = log.try_iter().filter(|l| l.starts_with("rendered")).last();
    // A stylesheet edit renders and writes every page again (their links
    // name the new file); meanwhile a reader asks for the home page without
    // pause, and the longest wait is what a tab sees.
    let mut theme_latencies = Vec::new();
    let mut longest_wait = Duration::ZERO;
    let css = dir.join("static/style.css");
    let css_text = std::fs::read_to_string(&css).expect("the ejected stylesheet");
    for i in 0..3 {
        std::thread::sleep(Duration::from_millis(300));
        let saved = Instant::now();
        std::fs::write(&css, format!("{css_text}\n/* edit {i} */\n")).expect("save stylesheet");
        let done = std::sync::atomic::AtomicBool::new(false);
        let waits = std::thread::scope(|scope| {
            let reader = scope.spawn(|| {
                let mut longest = Duration::ZERO;
                while !done.load(std::sync::atomic::Ordering::Relaxed) {
                    let asked = Instant::now();
                    assert_eq!(get_status(&target, "/"), Some(200));
                    longest = longest.max(asked.elapsed());
                }
                longest
            });
            build = next_build(&mut events, &mut buf, &build);
            theme_latencies.push(saved.elapsed());
            done.store(true, std::sync::atomic::Ordering::Relaxed);
            reader.join().expect("reader")
        });
        longest_wait = longest_wait.max(waits);
    }
    let theme_rebuild = log.try_iter().filter(|l| l.starts_with("rendered")).last();
    let _ = server.kill();
    let _ = server.wait();

    let edit = median(latencies.clone());
    println!(
        "one-notice edit → reload event, median of {EDITS}: {} (min {}, max {})",
        ms(edit),
        ms(*latencies.iter().min().unwrap()),
        ms(*latencies.iter().max().unwrap())
    );
    println!("  server: {}", notice_rebuild.unwrap_or_default());
    println!(
        "ratio edit-to-reload / full build: {:.3} (the edit takes {:.1} % of a full build)",
        edit.as_secs_f64() / full.as_secs_f64(),
        100.0 * edit.as_secs_f64() / full.as_secs_f64()
    );
    let site_edit = median(site_latencies);
    println!(
        "one-site edit → reload event, median of 3: {} (ratio {:.3})",
        ms(site_edit),
        site_edit.as_secs_f64() / full.as_secs_f64()
    );
    println!("  server: {}", site_rebuild.unwrap_or_default());
    println!(
        "theme edit → reload event, median of 3: {}; longest wait for the home page meanwhile: {}",
        ms(median(theme_latencies)),
        ms(longest_wait)
    );
    println!("  server: {}", theme_rebuild.unwrap_or_default());
    println!(
        "first build: first answer (\"construction en cours\") after {}, first page after {}",
        first_answer.map_or("-".into(), ms),
        first_page.map_or("-".into(), ms)
    );
    let _ = std::fs::remove_dir_all(&base);
}
