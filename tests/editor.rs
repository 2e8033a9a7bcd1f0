//! The browser editor: `serve`'s local backend (the protocol Decap CMS
//! speaks to it), what it refuses, the layout of the files it writes, and
//! `/admin/` in `build` output only when `[editor]` is on.

mod common;
mod serve_support;

use common::{guichet, sample_copy, tree};
use guichet::serve::LocalBackend;
use serde_json::{Value, json};
use serve_support::{NOW, Serve, exchange};
use std::path::Path;
use std::time::Duration;

const OWN: &str = "http://127.0.0.1:1111";

fn backend(root: &Path) -> LocalBackend {
    LocalBackend::new(&root.canonicalize().unwrap(), &format!("{OWN}/"))
}

/// A notice as Decap CMS sends it: its own TOML (quoted dates, its key
/// order), which the backend stores in guichet's layout.
fn decap_notice(path: &str, raw: &str) -> Value {
    json!({
        "action": "persistEntry",
        "params": {
            "branch": "main",
            "dataFiles": [{ "slug": "x", "path": path, "raw": raw }],
            "assets": [],
            "options": { "commitMessage": "Create Avis", "useWorkflow": false, "status": "" },
        },
    })
}

fn answer(b: &LocalBackend, origin: Option<&str>, body: &Value) -> Result<Value, (u16, String)> {
    b.answer(origin, body.to_string().as_bytes())
        .map_err(|r| (r.status, r.message))
}

const DECAP_RAW: &str = "+++\ntitle = \"Fermeture exceptionnelle\"\nsite = \"fontenay-aux-roses\"\nkind = \"closure\"\nfrom = \"2026-12-28\"\nto = \"2026-12-30\"\npublished = \"2026-11-23\"\n+++\n**Fermeture exceptionnelle du 28 au 30 décembre 2026** : France services de Fontenay-aux-Roses n'accueillera pas le public.\n\nL'accueil reprendra ensuite aux horaires habituels.";

#[test]
fn a_notice_saved_from_the_form_is_the_file_the_command_writes() {
    let by_command = sample_copy();
    let args = [
        "new",
        "notice",
        "fontenay-aux-roses",
        "--from",
        "2026-12-28",
        "--to",
        "2026-12-30",
        "--now",
        NOW,
    ];
    assert!(guichet(&args, by_command.path()).status.success());
    let rel = "content/notices/2026-12-28-fontenay-aux-roses.md";
    let expected = std::fs::read_to_string(by_command.path().join(rel)).unwrap();

    let by_form = sample_copy();
    let b = backend(by_form.path());
    answer(&b, Some(OWN), &decap_notice(rel, DECAP_RAW)).expect("saved");
    let written = std::fs::read_to_string(by_form.path().join(rel)).unwrap();
    assert_eq!(written, expected);

    // Read back as Decap lists it, then deleted.
    let listed = answer(
        &b,
        Some(OWN),
        &json!({ "action": "entriesByFolder", "params": { "branch": "main", "folder": "content/notices", "extension": "md", "depth": 1 } }),
    )
    .unwrap();
    let paths: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["file"]["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths.len(), 5, "{paths:?}");
    assert!(paths.contains(&rel));
    let delete = json!({ "action": "deleteFile", "params": { "branch": "main", "path": rel, "options": { "commitMessage": "Delete" } } });
    answer(&b, Some(OWN), &delete).unwrap();
    assert!(!by_form.path().join(rel).exists());
}

#[test]
fn paths_outside_the_two_folders_are_refused() {
    let dir = sample_copy();
    let before = tree(dir.path());
    let b = backend(dir.path());
    let get =
        |path: &str| json!({ "action": "getEntry", "params": { "branch": "main", "path": path } });
    for path in [
        "data/sites/fontenay-aux-roses.toml",
        "guichet.toml",
        "content/notices/../../guichet.toml",
        "content/charters/france-services.md",
        "/etc/passwd",
        "content/notices\\..\\..\\guichet.toml",
    ] {
        assert_eq!(
            answer(&b, Some(OWN), &get(path)).unwrap_err().0,
            403,
            "{path}"
        );
    }
    let list = json!({ "action": "entriesByFolder", "params": { "branch": "main", "folder": "data/sites", "extension": "toml", "depth": 1 } });
    assert_eq!(answer(&b, Some(OWN), &list).unwrap_err().0, 403);
    for path in [
        "guichet.toml",
        "data/sites/x.md",
        "content/notices/sub/x.md",
        "content/notices/x.toml",
    ] {
        let write = decap_notice(path, DECAP_RAW);
        assert_eq!(answer(&b, Some(OWN), &write).unwrap_err().0, 403, "{path}");
    }
    let delete = json!({ "action": "deleteFiles", "params": { "branch": "main", "paths": ["content/pages/a-propos.md", "data/sites/fontenay-aux-roses.toml"], "options": { "commitMessage": "x" } } });
    assert_eq!(answer(&b, Some(OWN), &delete).unwrap_err().0, 403);
    // A rename out of the folders is refused before anything is written.
    let rename = json!({ "action": "persistEntry", "params": { "branch": "main", "assets": [],
        "dataFiles": [{ "slug": "a", "path": "content/pages/a-propos.md", "newPath": "templates/a.md", "raw": "+++\ntitle = \"A\"\n+++\n" }],
        "options": { "commitMessage": "x", "useWorkflow": false, "status": "" } } });
    assert_eq!(answer(&b, Some(OWN), &rename).unwrap_err().0, 403);
    assert_eq!(tree(dir.path()), before, "nothing was written or removed");

    // Nor through a link that leads out of a folder, or a folder that does.
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        "+++\ntitle = \"x\"\n+++\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        let link = dir.path().join("content/pages/secret.md");
        std::os::unix::fs::symlink(outside.path().join("secret.md"), &link).unwrap();
        assert_eq!(
            answer(&b, Some(OWN), &get("content/pages/secret.md"))
                .unwrap_err()
                .0,
            403
        );
        std::fs::remove_dir_all(dir.path().join("content/notices")).unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("content/notices")).unwrap();
        let write = decap_notice(
            "content/notices/2026-12-28-fontenay-aux-roses.md",
            DECAP_RAW,
        );
        assert_eq!(answer(&b, Some(OWN), &write).unwrap_err().0, 403);
        assert_eq!(tree(outside.path()).len(), 1);
    }
}

#[test]
fn the_first_notice_of_a_directory_makes_its_folder() {
    let dir = sample_copy();
    std::fs::remove_dir_all(dir.path().join("content/notices")).unwrap();
    let b = backend(dir.path());
    let rel = "content/notices/2026-12-28-fontenay-aux-roses.md";
    answer(&b, Some(OWN), &decap_notice(rel, DECAP_RAW)).expect("saved");
    assert!(dir.path().join(rel).is_file());
}

#[test]
fn a_foreign_origin_is_refused_and_a_write_must_say_its_origin() {
    let dir = sample_copy();
    let before = tree(dir.path());
    let b = backend(dir.path());
    let write = decap_notice(
        "content/notices/2026-12-28-fontenay-aux-roses.md",
        DECAP_RAW,
    );
    for origin in [
        Some("http://evil.example"),
        Some("http://127.0.0.1:1112"),
        None,
    ] {
        assert_eq!(answer(&b, origin, &write).unwrap_err().0, 403, "{origin:?}");
    }
    let info = json!({ "action": "info" });
    assert_eq!(
        answer(&b, Some("http://evil.example"), &info)
            .unwrap_err()
            .0,
        403
    );
    assert_eq!(tree(dir.path()), before);
    // Reads without an Origin (a script on this machine) are answered.
    assert_eq!(answer(&b, None, &info).unwrap()["type"], "local_fs");
    assert!(answer(&b, Some("http://localhost:1111"), &write).is_ok());
}

#[test]
fn a_malformed_body_gives_400_and_writes_nothing() {
    let dir = sample_copy();
    let before = tree(dir.path());
    let b = backend(dir.path());
    for body in [
        "",
        "not json",
        "[1, 2]",
        r#"{"params": {}}"#,
        r#"{"action": "persistEntry"}"#,
        r#"{"action": "persistEntry", "params": {"dataFiles": "x", "assets": []}}"#,
        r#"{"action": "persistEntry", "params": {"dataFiles": [], "assets": []}}"#,
        r#"{"action": "deleteFiles", "params": {"paths": []}}"#,
        r#"{"action": "getEntry", "params": {"path": 3}}"#,
    ] {
        let status = b.answer(Some(OWN), body.as_bytes()).unwrap_err().status;
        assert_eq!(status, 400, "{body}");
    }
    // What check refuses is refused too, in French, before writing.
    let late = DECAP_RAW.replace("to = \"2026-12-30\"", "to = \"2026-12-20\"");
    let rel = "content/notices/2026-12-28-fontenay-aux-roses.md";
    let (status, message) = answer(&b, Some(OWN), &decap_notice(rel, &late)).unwrap_err();
    assert_eq!(status, 422);
    assert!(message.starts_with("avis refusé"), "{message}");
    assert!(message.contains("before it starts"), "{message}");
    let images = json!({ "action": "persistMedia", "params": { "branch": "main", "asset": { "path": "content/pages/images/a.png", "content": "AA==", "encoding": "base64" }, "options": { "commitMessage": "x" } } });
    assert_eq!(answer(&b, Some(OWN), &images).unwrap_err().0, 422);
    assert_eq!(tree(dir.path()), before);
}

/// POSTs `body` to serve's local backend.
fn post(serve: &Serve, origin: &str, body: &str) -> (u16, String) {
    let req = format!(
        "POST /__guichet/api/v1 HTTP/1.1\r\nHost: {}\r\nOrigin: {origin}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        serve.addr,
        body.len()
    );
    let reply = serve_support::Reply::parse(&exchange(
        &serve.addr,
        req.as_bytes(),
        Duration::from_secs(10),
    ));
    (reply.status, reply.body)
}

#[test]
fn serve_answers_the_editor_and_rebuilds_after_a_save() {
    let serve = Serve::start(sample_copy());
    let admin = serve.get("/admin/");
    assert_eq!(admin.status, 200);
    assert!(admin.body.contains("decap-cms/decap-cms.js"));
    assert!(
        !admin.body.contains("/__guichet/live.js"),
        "the form is never reloaded"
    );
    let own = format!("http://{}", serve.addr);
    let rel = "content/notices/2026-12-28-fontenay-aux-roses.md";
    let body = decap_notice(rel, DECAP_RAW).to_string();
    assert_eq!(post(&serve, "http://evil.example", &body).0, 403);
    assert!(!serve.path(rel).exists());
    let (status, reply) = post(&serve, &own, &body);
    assert_eq!(status, 200, "{reply}");
    assert!(serve.path(rel).exists());
    let deadline = std::time::Instant::now() + serve_support::WAIT;
    loop {
        let page = std::fs::read_to_string(serve.served("lieux/fontenay-aux-roses/index.html"))
            .unwrap_or_default();
        if page.contains("du 28 au 30 décembre 2026") {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no rebuild; log:\n{}",
            serve.log()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // A renamed site is offered by its new name once serve has rebuilt.
    let site = serve.path("data/sites/fontenay-aux-roses.toml");
    let text = std::fs::read_to_string(&site).unwrap();
    let line = text.lines().find(|l| l.starts_with("name = ")).unwrap();
    std::fs::write(
        &site,
        text.replacen(line, "name = \"France services Fontenay (nouveau nom)\"", 1),
    )
    .unwrap();
    let deadline = std::time::Instant::now() + serve_support::WAIT;
    while !serve
        .get("/admin/")
        .body
        .contains("France services Fontenay (nouveau nom)")
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the form still lists the old name; log:\n{}",
            serve.log()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn build_publishes_the_editor_only_when_it_is_on() {
    let dir = sample_copy();
    let out = common::build_at(dir.path(), NOW, "off");
    assert!(!out.join("admin").exists());
    let assets = tree(&out.join("assets"));
    assert!(
        assets.keys().all(|k| !k.contains("decap")),
        "{:?}",
        assets.keys()
    );

    let config = dir.path().join("guichet.toml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("\n[editor]\nbackend = \"github\"\nrepo = \"caf-92/annuaire\"\n");
    std::fs::write(&config, text).unwrap();
    let out_on = common::build_at(dir.path(), NOW, "on");
    let page = std::fs::read_to_string(out_on.join("admin/index.html")).unwrap();
    assert!(
        page.contains(r#""backend":{"branch":"main","name":"github","repo":"caf-92/annuaire"}"#),
        "{page}"
    );
    assert!(!page.contains("__guichet"), "no local backend in a build");
    assert!(out_on.join("admin/decap-cms/decap-cms.js").is_file());
    assert!(out_on.join("admin/decap-cms/LICENSE").is_file());
    // Resident pages are the same bytes with the editor on.
    let (off, on) = (tree(&out), tree(&out_on));
    let pages = |t: &std::collections::BTreeMap<String, Vec<u8>>| {
        t.iter()
            .filter(|(k, _)| !k.starts_with("admin/"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(pages(&off), pages(&on));

    let bad = std::fs::read_to_string(&config)
        .unwrap()
        .replace("github", "svn");
    std::fs::write(&config, bad).unwrap();
    let failed = guichet(&["build", "--now", NOW], dir.path());
    assert_eq!(failed.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&failed.stderr).contains("unknown editor backend `svn`"));
}

#[test]
fn a_free_page_is_saved_when_guichet_can_read_it() {
    let dir = sample_copy();
    let b = backend(dir.path());
    let page = |raw: &str| {
        json!({ "action": "persistEntry", "params": { "branch": "main", "assets": [],
            "dataFiles": [{ "slug": "horaires-d-ete", "path": "content/pages/horaires-d-ete.md", "raw": raw }],
            "options": { "commitMessage": "x", "useWorkflow": false, "status": "" } } })
    };
    let good = "+++\ntitle = \"Horaires d'été\"\ndescription = \"Les horaires de juillet et août\"\n+++\nEn été, les lieux ouvrent le matin.";
    answer(&b, Some(OWN), &page(good)).expect("saved");
    let rel = dir.path().join("content/pages/horaires-d-ete.md");
    assert_eq!(std::fs::read_to_string(&rel).unwrap(), good);
    for bad in [
        "no front matter",
        "+++\ndescription = \"x\"\n+++\n",
        "+++\ntitle = \"x\"\nauteur = \"y\"\n+++\n",
        "+++\ntitle = \" \"\n+++\n",
    ] {
        let (status, message) = answer(&b, Some(OWN), &page(bad)).unwrap_err();
        assert_eq!(status, 422, "{bad}");
        assert!(message.starts_with("page refusée"), "{message}");
    }
    assert_eq!(std::fs::read_to_string(&rel).unwrap(), good);
    // The page builds.
    common::build_at(dir.path(), NOW, "public");
}
