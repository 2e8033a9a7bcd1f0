//! `guichet serve` as an editor uses it: the real binary on a free port over a
//! temporary copy of the sample, checked over HTTP. Every wait is bounded, so
//! a failure fails the test instead of hanging it.

mod common;
mod serve_support;

use serde_json::Value;
use serve_support::*;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn serves_pages_with_reload_script_mime_types_redirects_and_404() {
    let s = Serve::start(common::sample_copy());
    let home = s.get("/");
    assert_eq!(home.status, 200);
    assert!(home.head.contains("content-type: text/html; charset=utf-8"));
    assert!(home.body.contains("/__guichet/live.js"), "script injected");
    let on_disk = std::fs::read_to_string(s.served("index.html")).unwrap();
    assert!(!on_disk.contains("__guichet"), "never in the built files");

    let site = s.get("/lieux/fontenay-aux-roses/");
    assert_eq!(site.status, 200);
    assert!(site.body.contains(OLD_TITLE));
    let redirect = s.get("/lieux/fontenay-aux-roses");
    assert_eq!(redirect.status, 301);
    assert!(
        redirect
            .head
            .contains("location: /lieux/fontenay-aux-roses/")
    );

    let missing = s.get("/lieux/nulle-part/");
    assert_eq!(missing.status, 404);
    let page_404 = std::fs::read_to_string(s.served("404.html")).unwrap();
    let first_line = page_404.lines().find(|l| l.contains("<h1")).unwrap();
    assert!(
        missing.body.contains(first_line.trim()),
        "the site's own 404 page"
    );

    for (path, mime) in [
        ("/search-index.json", "application/json"),
        ("/sitemap.xml", "application/xml"),
        ("/robots.txt", "text/plain"),
        ("/__guichet/live.js", "text/javascript"),
        ("/__guichet/status", "application/json"),
    ] {
        let r = s.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert!(
            r.head.contains(&format!("content-type: {mime}")),
            "{path}: {}",
            r.head
        );
    }
    let css = std::fs::read_dir(s.served("assets")).unwrap().flatten();
    let css = css.map(|e| e.file_name().to_string_lossy().into_owned());
    let css = css
        .into_iter()
        .find(|n| n.ends_with(".css"))
        .expect("a stylesheet");
    assert!(s.get(&format!("/assets/{css}")).head.contains("text/css"));
    // A file over 32 KB comes with its length, not chunked.
    let leaflet = std::fs::read_dir(s.served("assets/vendor/leaflet"))
        .unwrap()
        .flatten();
    let leaflet = leaflet
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("leaflet.") && n.ends_with(".js"))
        .expect("leaflet.js");
    let big = s.get(&format!("/assets/vendor/leaflet/{leaflet}"));
    assert!(big.body.len() > 32 * 1024);
    assert!(
        big.head
            .contains(&format!("content-length: {}", big.body.len())),
        "{}",
        big.head
    );

    let head = exchange(
        &s.addr,
        b"HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        WAIT,
    );
    let head = Reply::parse(&head);
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty(), "HEAD has no body");
    assert!(
        head.head
            .contains(&format!("content-length: {}", home.body.len()))
    );
    let post = b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    assert_eq!(Reply::parse(&exchange(&s.addr, post, WAIT)).status, 405);
}

#[test]
fn notice_edit_reaches_the_page_and_open_tabs_reload() {
    let s = Serve::start(common::sample_copy());
    let mut tab = s.events();
    // The first full build, finished: an edit saved while it still reads
    // the files would reach the page without any partial rebuild.
    let before = build_of(&next_build(&mut tab, ""));
    edit(
        &s.path(NOTICE),
        OLD_TITLE,
        "Fermeture pendant les fêtes 2026",
    );
    // A build already under way when the file was saved may finish first
    // with the old text; the edit is in the one after it.
    let last = build_of(&next_build(&mut tab, &before));
    let mut page = s.get("/lieux/fontenay-aux-roses/");
    if !page.body.contains("Fermeture pendant les fêtes 2026") {
        next_build(&mut tab, &last);
        page = s.get("/lieux/fontenay-aux-roses/");
    }
    assert!(page.body.contains("Fermeture pendant les fêtes 2026"));
    assert!(!page.body.contains(OLD_TITLE));
    // The server prints its line before telling tabs, but the test reads
    // its stderr on another thread, which may not have the line yet.
    let partial = |log: &str| {
        log.lines()
            .any(|l| l.starts_with("rendered ") && !l.starts_with("rendered all"))
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !partial(&s.log()) && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let log = s.log();
    assert!(
        partial(&log),
        "a notice edit renders only its pages:\n{log}"
    );
}

#[test]
fn atomic_saves_are_seen_and_editor_files_ignored() {
    let s = Serve::start(common::sample_copy());
    let mut tab = s.events();
    let mut build = build_of(&tab.first());
    let notice = s.path(NOTICE);
    let text = std::fs::read_to_string(&notice).unwrap();
    // Write a temporary file, then rename it over the original.
    let tmp = notice.with_file_name(".2026-12-24-fontenay-aux-roses.md.tmp");
    std::fs::write(
        &tmp,
        text.replace(OLD_TITLE, "Titre enregistré par renommage"),
    )
    .unwrap();
    std::fs::rename(&tmp, &notice).unwrap();
    build = build_of(&next_build(&mut tab, &build));
    assert!(
        s.get("/avis/")
            .body
            .contains("Titre enregistré par renommage")
    );
    // Vim's way: original renamed to a backup, a new file written, the backup removed.
    let backup = notice.with_file_name("2026-12-24-fontenay-aux-roses.md~");
    std::fs::rename(&notice, &backup).unwrap();
    let saved = text.replace(OLD_TITLE, "Titre enregistré comme vim");
    std::fs::write(&notice, saved).unwrap();
    std::fs::remove_file(&backup).unwrap();
    std::fs::write(notice.with_file_name(".swp-file.md.swp"), "swap").unwrap();
    next_build(&mut tab, &build);
    let page = s.get("/avis/").body;
    assert!(page.contains("Titre enregistré comme vim"), "{}", s.log());
    assert!(!s.log().contains("swp"), "editor files are no input");
}

#[test]
fn broken_edit_keeps_last_good_build_and_shows_every_problem_until_fixed() {
    let s = Serve::start(common::sample_copy());
    let mut tab = s.events();
    let good = build_of(&tab.first());
    let notice = s.path(NOTICE);
    let text = std::fs::read_to_string(&notice).unwrap();
    let to_line = text.lines().position(|l| l.starts_with("to = ")).unwrap() + 1;
    edit(&notice, "to = 2026-12-26", "to = 2026-12-20");
    let broken = tab.until(|s| s["ok"] == false);
    assert_eq!(build_of(&broken), good, "the last good build stays");
    let problems = broken["problems"].as_array().unwrap();
    let p = problems
        .iter()
        .find(|p| p["file"] == NOTICE.trim_start_matches("./"))
        .unwrap_or_else(|| panic!("no problem in the notice: {broken}"));
    assert_eq!(p["line"], to_line);
    assert_eq!(p["column"], 6);
    assert_eq!(p["level"], "error");
    // The status endpoint, which the overlay also reads, says the same.
    let status: Value = serde_json::from_str(&s.get("/__guichet/status").body).unwrap();
    assert_eq!(status["ok"], false);
    assert_eq!(status["problems"], broken["problems"]);
    // The old page is still served.
    let page = s.get("/lieux/fontenay-aux-roses/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains(OLD_TITLE));
    assert!(page.body.contains(&format!("data-build=\"{good}\"")));
    // A second broken file while the first is broken: both are listed.
    edit(&s.path("data/services.toml"), "[caf]", "[caf");
    let both = tab.until(|s| {
        let files: Vec<&str> = s["problems"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p["file"].as_str())
            .collect();
        files.contains(&"data/services.toml") && files.contains(&NOTICE)
    });
    assert_eq!(both["ok"], false);
    edit(&s.path("data/services.toml"), "[caf\n", "[caf]\n");
    edit(&notice, "to = 2026-12-20", "to = 2026-12-27");
    let fixed = next_build(&mut tab, &good);
    assert_eq!(
        fixed["problems"].as_array().map(Vec::len),
        Some(0),
        "overlay cleared"
    );
    assert!(
        s.get("/lieux/fontenay-aux-roses/")
            .body
            .contains("27 décembre")
    );
}

/// Checks of sites are kept while only notices change: a site edit must
/// still be checked again, and its problem stay listed through notice edits.
#[test]
fn a_site_problem_is_found_and_stays_found_through_notice_edits() {
    let s = Serve::start(common::sample_copy());
    let mut tab = s.events();
    let good = build_of(&tab.first());
    let site = s.path("data/sites/rouen-simone-veil.toml");
    let text = std::fs::read_to_string(&site).unwrap();
    let service = text
        .lines()
        .skip_while(|l| !l.starts_with("services = ["))
        .find_map(|l| l.split('"').nth(1))
        .unwrap()
        .to_string();
    let unknown = |status: &Value| {
        status["problems"].as_array().unwrap().iter().any(|p| {
            p["file"] == "data/sites/rouen-simone-veil.toml" && p["code"] == "unknown-service"
        })
    };
    edit(&site, &format!("\"{service}\""), "\"service-inconnu\"");
    let broken = tab.until(|s| s["ok"] == false);
    assert!(unknown(&broken), "{broken}");
    // A notice broken too: both problems are listed.
    edit(&s.path(NOTICE), "to = 2026-12-26", "to = 2026-12-20");
    let both = tab.until(|s| {
        let files = s["problems"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p["file"].as_str())
            .collect::<Vec<_>>();
        files.contains(&NOTICE) && files.contains(&"data/sites/rouen-simone-veil.toml")
    });
    assert!(unknown(&both), "{both}");
    edit(&s.path(NOTICE), "to = 2026-12-20", "to = 2026-12-26");
    let still = tab.until(|s| {
        s["ok"] == false
            && !s["problems"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["file"] == NOTICE)
    });
    assert!(unknown(&still), "{still}");
    edit(&site, "\"service-inconnu\"", &format!("\"{service}\""));
    let fixed = next_build(&mut tab, &good);
    assert_eq!(
        fixed["problems"].as_array().map(Vec::len),
        Some(0),
        "{fixed}"
    );
}

#[test]
fn new_and_deleted_files_and_folders_are_followed() {
    let s = Serve::start(common::sample_copy());
    let mut tab = s.events();
    let mut build = build_of(&tab.first());
    let rouen = std::fs::read_to_string(s.path("data/sites/rouen-simone-veil.toml")).unwrap();
    let copy = rouen.replace("Simone-Veil", "Saint-Sever");
    std::fs::create_dir_all(s.path("data/sites/76")).unwrap();
    std::fs::write(s.path("data/sites/76/rouen-saint-sever.toml"), copy).unwrap();
    build = build_of(&next_build(&mut tab, &build));
    assert_eq!(
        s.get("/lieux/rouen-saint-sever/").status,
        200,
        "{}",
        s.log()
    );
    std::fs::remove_dir_all(s.path("data/sites/76")).unwrap();
    build = build_of(&next_build(&mut tab, &build));
    assert_eq!(s.get("/lieux/rouen-saint-sever/").status, 404);
    assert!(
        !s.served("lieux/rouen-saint-sever").exists(),
        "stale page removed"
    );
    std::fs::remove_file(s.path(NOTICE)).unwrap();
    build = build_of(&next_build(&mut tab, &build));
    assert!(!s.get("/lieux/fontenay-aux-roses/").body.contains(OLD_TITLE));
    // A templates/ folder that did not exist at start overrides the theme.
    let theme_404 = std::fs::read_to_string(s.path("themes/default/templates/404.html")).unwrap();
    std::fs::create_dir(s.path("templates")).unwrap();
    let custom = theme_404.replace("{{ t(key='page.not_found') }}", "Rien à cette adresse");
    assert_ne!(custom, theme_404);
    std::fs::write(s.path("templates/404.html"), custom).unwrap();
    next_build(&mut tab, &build);
    let missing = s.get("/nulle-part/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("<h1>Rien à cette adresse</h1>"));
}

#[test]
fn a_burst_of_changes_is_one_rebuild() {
    let s = Serve::start(common::sample_copy());
    let mut tab = s.events();
    let build = build_of(&tab.first());
    let rebuilds = |log: &str| log.lines().filter(|l| l.starts_with("rendered")).count();
    let before = rebuilds(&s.log());
    let notice = s.path(NOTICE);
    let text = std::fs::read_to_string(&notice).unwrap();
    for i in 0..50 {
        std::fs::write(&notice, text.replace(OLD_TITLE, &format!("Version {i}"))).unwrap();
    }
    next_build(&mut tab, &build);
    std::thread::sleep(Duration::from_millis(1500));
    assert!(s.get("/avis/").body.contains("Version 49"));
    let after = rebuilds(&s.log()) - before;
    // One, or a few if the machine stalled the writing loop past the quiet
    // window: never one per save.
    assert!(after <= 3, "{after} rebuilds for one burst:\n{}", s.log());
}

#[test]
fn incremental_rebuilds_give_the_same_files_as_a_full_build() {
    let s = Serve::start(common::sample_copy());
    let mut tab = s.events();
    let mut build = build_of(&tab.first());
    let base = format!("http://{}/", s.addr);
    // After each edit, the served folder must equal a full build's.
    let mut step = |what: &str, change: &dyn Fn()| {
        change();
        build = build_of(&next_build(&mut tab, &build));
        let full = tempfile::tempdir().unwrap();
        let out = full.path().join("public");
        let args = [
            "build",
            "--now",
            NOW,
            "--base-url",
            &base,
            "--out",
            out.to_str().unwrap(),
        ];
        let built = common::guichet(&args, s.dir.path());
        assert!(built.status.success(), "{built:?}");
        let (served, full) = (files(&s.served("")), files(&out));
        let differ: std::collections::BTreeSet<&String> = served
            .keys()
            .chain(full.keys())
            // serve always offers the editor; a build only with [editor].
            .filter(|p| !p.starts_with("admin/"))
            .filter(|p| served.get(*p) != full.get(*p))
            .collect();
        assert!(
            differ.is_empty(),
            "after {what}, served output differs from a full build: {differ:?}"
        );
    };
    step("a notice title", &|| {
        edit(&s.path(NOTICE), OLD_TITLE, "Fermeture de fin d'année")
    });
    step("a site name", &|| {
        let site = s.path("data/sites/rouen-simone-veil.toml");
        edit(
            &site,
            "name = \"Point numérique Caf de Rouen",
            "name = \"Point numérique Caf – Rouen",
        );
    });
    step("a site's commune", &|| {
        let site = s.path("data/sites/villeparisis-maison-des-droits.toml");
        edit(
            &site,
            "commune = \"Villeparisis\"",
            "commune = \"Mitry-Mory\"",
        );
        edit(&site, "insee = \"77514\"", "insee = \"77294\"");
    });
    step("a deleted notice", &|| {
        std::fs::remove_file(s.path("content/notices/2027-01-05-joinville-espace-vallages.md"))
            .unwrap()
    });
    step("a new overseas notice", &|| {
        let notice = std::fs::read_to_string(s.path(NOTICE)).unwrap();
        let tampon = notice.replace("fontenay-aux-roses", "le-tampon-espaces-numeriques");
        std::fs::write(s.path("content/notices/2026-12-01-le-tampon.md"), tampon).unwrap();
    });
    step("a notice moved to another site", &|| {
        edit(
            &s.path("content/notices/2026-12-01-le-tampon.md"),
            "site = \"le-tampon-espaces-numeriques\"",
            "site = \"joinville-espace-vallages\"",
        );
    });
    step("a closure next week", &|| {
        let notice = std::fs::read_to_string(s.path(NOTICE)).unwrap();
        let soon = notice
            .replace("fontenay-aux-roses", "rouen-simone-veil")
            .replace("from = 2026-12-24", "from = 2026-11-30")
            .replace("to = 2026-12-26", "to = 2026-12-02");
        std::fs::write(s.path("content/notices/2026-11-30-rouen.md"), soon).unwrap();
    });
    step("the hours of a site with a closure", &|| {
        let site = s.path("data/sites/rouen-simone-veil.toml");
        edit(&site, "Tu,Fr 13:30-18:00", "Tu,Fr 13:30-17:00");
        // Something every hours engine shows, so the step always rebuilds.
        edit(
            &site,
            "PH off\"\n",
            "PH off\"\nhours_note = \"Horaires d'hiver.\"\n",
        );
    });
    step("a new site", &|| {
        let rouen = std::fs::read_to_string(s.path("data/sites/rouen-simone-veil.toml")).unwrap();
        let moved = rouen.replace("lat = 49.44", "lat = 49.46");
        std::fs::write(s.path("data/sites/rouen-bis.toml"), moved).unwrap();
    });
    step("the directory title", &|| {
        edit(
            &s.path("guichet.toml"),
            "title = \"Annuaire",
            "title = \"Le grand annuaire",
        );
    });
    step("the notice macro", &|| {
        edit(
            &s.path("themes/default/templates/macros.html"),
            "<h3>{{ n.heading }}</h3>",
            "<h3>{{ n.kind_fr }} – {{ n.title }}</h3>",
        );
    });
    step("a template", &|| {
        edit(
            &s.path("themes/default/templates/404.html"),
            "<h1>{{ t(key='page.not_found') }}</h1>",
            "<h1>Page absente</h1>",
        );
    });
    step("a string of the theme", &|| {
        edit(
            &s.path("themes/default/templates/strings.toml"),
            "hours_heading = \"Horaires d'ouverture\"",
            "hours_heading = \"Horaires d'accueil\"",
        );
    });
    let page = s.get("/lieux/fontenay-aux-roses/").body;
    assert!(page.contains(">Horaires d'accueil</h2>"), "{page}");
    let log = s.log();
    let partial = log
        .lines()
        .filter(|l| l.starts_with("rendered ") && !l.contains(" all "))
        .count();
    assert!(partial >= 5, "edits rendered only their pages:\n{log}");
}

#[test]
fn traversal_attempts_never_reach_a_file_outside_the_output() {
    let dir = common::sample_copy();
    std::fs::write(dir.path().join("secret.txt"), "TOP-SECRET").unwrap();
    let s = Serve::start(dir);
    for target in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/.%2e/secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/lieux/../../secret.txt",
        "/lieux/%2e%2e/%2e%2e/secret.txt",
        "/%252e%252e/secret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "/lieux/..%00/secret.txt",
        "../secret.txt",
        "http://127.0.0.1/../secret.txt",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/../../../../../../etc/passwd",
    ] {
        let r = s.get(target);
        assert!(matches!(r.status, 400 | 404), "{target}: {}", r.status);
        assert!(
            !r.body.contains("TOP-SECRET") && !r.body.contains("root:x:0"),
            "{target}"
        );
    }
    assert_eq!(s.get("/").status, 200);
}

#[test]
fn a_thousand_requests_some_malformed_leave_it_serving() {
    let s = Serve::start(common::sample_copy());
    let malformed: [&[u8]; 9] = [
        b"GARBAGE\r\n\r\n",
        b"GET\r\n\r\n",
        b"GET / HTTP/9.9\r\nHost: x\r\n\r\n",
        b"\x00\x01\x02\xff\xfe\r\n\r\n",
        b"GET /%zz%ff HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        b"GET / HTTP/1.1\r\nContent-Length: -5\r\nConnection: close\r\n\r\n",
        b"BREW /pot HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        b"GET /__guichet/nothing HTTP/1.1\r\nConnection: close\r\n\r\n",
        b"GET / HTT",
    ];
    let long_header = format!(
        "GET / HTTP/1.1\r\nX-Long: {}\r\nConnection: close\r\n\r\n",
        "a".repeat(20_000)
    );
    let started = Instant::now();
    std::thread::scope(|scope| {
        for t in 0..4 {
            let (s, malformed, long_header) = (&s, &malformed, &long_header);
            scope.spawn(move || {
                for i in 0..250 {
                    let short = Duration::from_secs(2);
                    match (t * 250 + i) % 5 {
                        0 => assert_eq!(s.get("/").status, 200),
                        1 => assert_eq!(s.get("/lieux/rouen-simone-veil/").status, 200),
                        2 => assert_eq!(s.get("/search-index.json").status, 200),
                        3 => {
                            let raw = malformed[i % malformed.len()];
                            let _ = exchange(&s.addr, raw, short);
                        }
                        _ => {
                            let _ = exchange(&s.addr, long_header.as_bytes(), short);
                        }
                    }
                }
            });
        }
    });
    assert!(
        started.elapsed() < Duration::from_secs(240),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(s.get("/").status, 200, "still serving:\n{}", s.log());
    assert_eq!(s.get("/__guichet/status").status, 200);
}

#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let mut s = Serve::start(common::sample_copy());
    assert_eq!(s.get("/").status, 200);
    let pid = s.child.id().to_string();
    let sent = Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill");
    assert!(sent.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = s.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "still running 10 s after Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "exit status {status}");
    std::thread::sleep(Duration::from_millis(200));
    assert!(s.log().contains("stopped"), "{}", s.log());
}

#[test]
fn a_taken_port_moves_to_the_next_free_one() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let dir = common::sample_copy();
    let mut child = Command::new(env!("CARGO_BIN_EXE_guichet"))
        .args(["serve", "--now", NOW, "--port", &port.to_string(), "--root"])
        .arg(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = out.read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx.recv_timeout(Duration::from_secs(120));
    let _ = child.kill();
    let _ = child.wait();
    let line = line.expect("a URL printed");
    assert!(line.contains("http://127.0.0.1:"), "{line}");
    assert!(!line.contains(&format!(":{port}/")), "{line}");
}

#[test]
fn open_tabs_never_hold_the_workers() {
    let s = Serve::start(common::sample_copy());
    // More tabs than workers, and more than the streams kept.
    let mut tabs: Vec<Events> = (0..70).map(|_| s.events()).collect();
    let build = build_of(&tabs.last_mut().unwrap().first());
    assert_eq!(s.get("/").status, 200, "pages still served");
    edit(
        &s.path(NOTICE),
        OLD_TITLE,
        "Fermeture pendant les fêtes 2026",
    );
    let newest = tabs.last_mut().unwrap();
    next_build(newest, &build);
    assert_eq!(s.get("/__guichet/status").status, 200);
}

#[test]
fn an_output_folder_holding_the_inputs_is_refused() {
    let dir = common::sample_copy();
    for out in [".", "content/public", ".."] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_guichet"))
            .args(["serve", "--port", "0", "--out", out])
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break Some(status);
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        assert_eq!(
            status.and_then(|s| s.code()),
            Some(2),
            "--out {out} must be refused"
        );
    }
    assert!(
        dir.path().join("guichet.toml").is_file(),
        "inputs untouched"
    );
    assert!(dir.path().join("content/notices").is_dir());
}

#[test]
fn a_serve_session_leaves_the_deployable_public_folder_alone() {
    let dir = common::sample_copy();
    let run = common::guichet(
        &[
            "build",
            "--now",
            NOW,
            "--base-url",
            "https://annuaire.example.org/",
        ],
        dir.path(),
    );
    assert!(run.status.success());
    let public = dir.path().join("public");
    std::fs::write(public.join("CNAME"), "annuaire.example.org\n").unwrap();
    std::fs::create_dir_all(public.join(".well-known")).unwrap();
    std::fs::write(public.join(".well-known/security.txt"), "Contact: x\n").unwrap();
    let before = files(&public);

    let s = Serve::start(dir);
    assert!(!s.out.starts_with(s.path("public")), "{}", s.out.display());
    assert_eq!(s.get("/").status, 200);
    // An edit and its rebuild, as in a real session.
    edit(
        &s.path(NOTICE),
        OLD_TITLE,
        "Fermeture pour les fêtes de Noël",
    );
    let deadline = Instant::now() + WAIT;
    while !s
        .get("/lieux/fontenay-aux-roses/")
        .body
        .contains("fêtes de Noël")
    {
        assert!(Instant::now() < deadline, "no rebuild; log:\n{}", s.log());
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        files(&s.path("public")),
        before,
        "public/ changed during serve"
    );
    let out = s.out.clone();
    let pid = s.child.id().to_string();
    Command::new("kill").args(["-INT", &pid]).status().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while out.exists() {
        assert!(
            Instant::now() < deadline,
            "the preview folder is left behind"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(files(&s.path("public")), before);
}

#[test]
fn saves_in_progress_raise_no_error() {
    let s = Serve::start(common::sample_copy());
    let mut tab = s.events();
    let mut build = build_of(&tab.first());
    let notice = s.path(NOTICE);
    let site = s.path("data/sites/fontenay-aux-roses.toml");
    // The next status must be a good build: a failed one is a false alarm.
    let no_alarm = |tab: &mut Events, build: &mut String| {
        let status = tab.until(|v| v["ok"] == false || build_of(v) != *build);
        assert_eq!(status["ok"], true, "false alarm: {status}");
        *build = build_of(&status);
    };

    // An editor that truncates, then writes 50 ms later.
    let text = std::fs::read_to_string(&notice).unwrap();
    std::fs::write(&notice, "").unwrap();
    std::thread::sleep(Duration::from_millis(50));
    std::fs::write(&notice, text.replace(OLD_TITLE, "Fermeture des fêtes")).unwrap();
    no_alarm(&mut tab, &mut build);

    // vim: the file renamed to a backup, a new one written 30 ms later.
    let text = std::fs::read_to_string(&site).unwrap();
    let backup = s.path("data/sites/fontenay-aux-roses.toml~");
    std::fs::rename(&site, &backup).unwrap();
    std::thread::sleep(Duration::from_millis(30));
    std::fs::write(
        &site,
        text.replace("34 rue des Bénards", "36 rue des Bénards"),
    )
    .unwrap();
    std::fs::remove_file(&backup).unwrap();
    no_alarm(&mut tab, &mut build);
    assert!(
        s.get("/lieux/fontenay-aux-roses/")
            .body
            .contains("36 rue des Bénards")
    );

    // A real error is still reported once the files are quiet.
    edit(&notice, "kind = \"closure\"", "kind = \"fermeture\"");
    let status = tab.until(|v| v["ok"] == false);
    assert!(status.to_string().contains("fermeture"), "{status}");
}

#[test]
fn a_template_error_is_reported_once_at_its_line() {
    let s = Serve::start(common::sample_copy());
    let mut tab = s.events();
    tab.first();
    let template = s.path("themes/default/templates/page.html");
    let text = std::fs::read_to_string(&template).unwrap();
    let line = text
        .lines()
        .position(|l| l.contains("{% block content %}"))
        .unwrap()
        + 2;
    // An unknown variable, on the line after the block's start: every free
    // page fails on it, and it is told once.
    std::fs::write(
        &template,
        text.replacen(
            "{% block content %}",
            "{% block content %}\n  {{ nope }}",
            1,
        ),
    )
    .unwrap();
    let status = tab.until(|v| v["ok"] == false);
    let problems = status["problems"].as_array().unwrap();
    let templates: Vec<&Value> = problems
        .iter()
        .filter(|p| p["code"] == "template")
        .collect();
    assert_eq!(templates.len(), 1, "{status}");
    assert_eq!(templates[0]["file"], "themes/default/templates/page.html");
    assert_eq!(templates[0]["line"], line);
    assert_eq!(templates[0]["column"], 6);

    // A syntax error: at the line and column of the parser.
    std::fs::write(
        &template,
        text.replacen(
            "{% block content %}",
            "{% block content %}\n<p>{{ x }</p>",
            1,
        ),
    )
    .unwrap();
    let status = tab.until(|v| v["ok"] == false && v.to_string().contains("parse"));
    let p = &status["problems"][0];
    assert_eq!(
        (p["file"].as_str(), p["line"].as_u64(), p["column"].as_u64()),
        (
            Some("themes/default/templates/page.html"),
            Some(line as u64),
            Some(9)
        ),
        "{status}"
    );
}

#[test]
fn an_address_the_machine_does_not_have_is_named_as_such() {
    let dir = common::sample_copy();
    // 203.0.113.0/24 is reserved for documentation: no machine has it.
    let out = Command::new(env!("CARGO_BIN_EXE_guichet"))
        .args(["serve", "--bind", "203.0.113.7", "--port", "0"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no such address"), "{err}");
    assert!(!err.contains("--port"), "the port is not to blame: {err}");
}

#[test]
fn during_the_first_build_pages_say_it_is_under_way() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("dir");
    let made = common::guichet(
        &["bench-gen", root.to_str().unwrap(), "--sites", "3000"],
        tmp.path(),
    );
    assert!(made.status.success());
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_guichet"))
        .args(["serve", "--port", &port.to_string(), "--now", NOW])
        .current_dir(&root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let addr = format!("127.0.0.1:{port}");
    let get = || {
        let raw = exchange(
            &addr,
            b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            Duration::from_secs(2),
        );
        Reply::parse(&raw)
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    let first = loop {
        if std::net::TcpStream::connect(&addr).is_ok() {
            break get();
        }
        assert!(Instant::now() < deadline, "no answer");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(first.status, 503, "{}", first.head);
    assert!(
        first.body.contains("Construction en cours"),
        "{}",
        first.body
    );
    // Once built, the page itself.
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    assert!(lines.next().unwrap().unwrap().starts_with("serving"));
    assert_eq!(get().status, 200);
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn oversized_request_heads_are_refused_and_cost_no_memory() {
    let s = Serve::start(common::sample_copy());
    assert_eq!(s.get("/").status, 200);
    let short = Duration::from_secs(5);
    // A request line and a header past 8 KB are refused with their status.
    let long_line = format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(20_000));
    let reply = exchange(&s.addr, long_line.as_bytes(), short);
    assert!(
        reply.starts_with(b"HTTP/1.1 414"),
        "{}",
        String::from_utf8_lossy(&reply)
    );
    let long_header = format!("GET / HTTP/1.1\r\nX-Big: {}\r\n\r\n", "a".repeat(20_000));
    let reply = exchange(&s.addr, long_header.as_bytes(), short);
    assert!(
        reply.starts_with(b"HTTP/1.1 431"),
        "{}",
        String::from_utf8_lossy(&reply)
    );
    let big_body = "POST /x HTTP/1.1\r\nContent-Length: 999999999999\r\n\r\n";
    let reply = exchange(&s.addr, big_body.as_bytes(), short);
    assert!(
        reply.starts_with(b"HTTP/1.1 413"),
        "{}",
        String::from_utf8_lossy(&reply)
    );
    // 256 MB without a line break, from four clients at once: memory stays put.
    let before = s.rss_kb();
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                let mut c = std::net::TcpStream::connect(&s.addr).unwrap();
                c.set_write_timeout(Some(short)).unwrap();
                let chunk = vec![b'a'; 1 << 20];
                for _ in 0..64 {
                    if c.write_all(&chunk).is_err() {
                        break;
                    }
                }
            });
        }
    });
    let after = s.rss_kb();
    assert!(
        after < before + 32 * 1024,
        "resident memory went from {before} kB to {after} kB"
    );
    assert_eq!(s.get("/").status, 200, "still serving:\n{}", s.log());
}

#[test]
fn clients_that_never_read_hold_up_no_rebuild() {
    let s = Serve::start(common::sample_copy());
    // Three tabs that subscribe and never read a byte, then a live one.
    let stuck: Vec<std::net::TcpStream> = (0..3)
        .map(|_| {
            let mut c = std::net::TcpStream::connect(&s.addr).unwrap();
            c.write_all(b"GET /__guichet/events HTTP/1.1\r\nHost: x\r\n\r\n")
                .unwrap();
            c
        })
        .collect();
    let mut live = s.events();
    let mut build = build_of(&live.first());
    for i in 0..60 {
        let title = format!("Fermeture exceptionnelle {i}");
        let before = std::fs::read_to_string(s.path(NOTICE)).unwrap();
        let old = before
            .lines()
            .find_map(|l| l.strip_prefix("title = \""))
            .and_then(|rest| rest.strip_suffix('"'))
            .unwrap()
            .to_string();
        edit(&s.path(NOTICE), &old, &title);
        build = build_of(&next_build(&mut live, &build));
    }
    assert_eq!(s.get("/").status, 200);
    let page = s.get("/lieux/fontenay-aux-roses/");
    assert!(
        page.body.contains("Fermeture exceptionnelle 59"),
        "{}",
        s.log()
    );
    drop(stuck);
}
