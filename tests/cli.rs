//! The foundation, as residents and editors see it: the real binary on
//! temp copies of the sample directory and on broken inputs.

mod common;

use common::{guichet, sample_copy};
use std::path::Path;

const NOW: &str = "2026-11-23T10:00:00+01:00";

fn build(dir: &Path) -> std::process::Output {
    let out = guichet(&["build", "--now", NOW], dir);
    assert!(
        out.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn page(dir: &Path, path: &str) -> String {
    std::fs::read_to_string(dir.join("public").join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn all_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            all_files(&p, out)
        } else {
            out.push(p)
        }
    }
}

#[test]
fn sample_builds_every_contract_page() {
    let dir = sample_copy();
    let out = build(dir.path());
    assert!(stderr(&out).contains("built "), "{}", stderr(&out));
    for path in [
        "index.html",
        "lieux/fontenay-aux-roses/index.html",
        "lieux/joinville-espace-vallages/index.html",
        "communes/92032/index.html",
        "departements/92/index.html",
        "departements/index.html",
        "services/caf/index.html",
        "labels/france-services/index.html",
        "chartes/france-services/index.html",
        "avis/index.html",
        "search-index.json",
        "sitemap.xml",
        "robots.txt",
        "404.html",
    ] {
        assert!(
            dir.path().join("public").join(path).is_file(),
            "missing {path}"
        );
    }
}

#[test]
fn site_pages_show_what_residents_check() {
    let dir = sample_copy();
    build(dir.path());
    let fontenay = page(dir.path(), "lieux/fontenay-aux-roses/index.html");
    assert!(
        fontenay.contains("<th scope=\"row\">Mercredi</th><td>08h30 – 12h00, 13h30 – 19h30</td>"),
        "Wednesday hours"
    );
    assert!(fontenay.contains("france.services@fontenay-aux-roses.fr"));
    assert!(fontenay.contains("01 41 13 21 44"));
    for operator in [
        "Caisse d",
        "Direction générale des Finances publiques",
        "La Poste",
    ] {
        assert!(fontenay.contains(operator), "operator {operator}");
    }
    let joinville = page(dir.path(), "lieux/joinville-espace-vallages/index.html");
    assert!(joinville.contains("Sur rendez-vous uniquement"));
    let villeparisis = page(
        dir.path(),
        "lieux/villeparisis-maison-des-droits/index.html",
    );
    assert!(
        villeparisis.contains("4e samedi du mois : 09h00 – 12h00"),
        "monthly Saturday"
    );
    let rouen = page(dir.path(), "lieux/rouen-simone-veil/index.html");
    assert!(rouen.contains("76"), "Rouen page");
    let rouen_file =
        std::fs::read_to_string(dir.path().join("data/sites/rouen-simone-veil.toml")).unwrap();
    let street = rouen_file
        .lines()
        .find(|l| l.starts_with("street"))
        .unwrap();
    let street = street.split('"').nth(1).unwrap();
    assert!(rouen.contains(street), "Rouen address {street}");
    let tampon = page(dir.path(), "lieux/le-tampon-espaces-numeriques/index.html");
    assert!(tampon.contains("Horaires non communiqués"));
    assert!(tampon.contains("Adresse précise non communiquée"));
}

#[test]
fn private_values_never_reach_the_output() {
    let dir = sample_copy();
    let site = dir.path().join("data/sites/rouen-simone-veil.toml");
    let mut text = std::fs::read_to_string(&site).unwrap();
    if !text.contains("[private]") {
        text.push_str("\n[private]\n");
    }
    text = text.replacen(
        "[private]",
        "[private]\ncanary = \"CANARY-7f3a91 06 12 34 56 78\"",
        1,
    );
    std::fs::write(&site, text).unwrap();
    build(dir.path());
    let mut files = Vec::new();
    all_files(&dir.path().join("public"), &mut files);
    assert!(files.len() > 20);
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("CANARY-7f3a91"),
            "canary leaked into {}",
            f.display()
        );
        assert!(
            !text.contains("01 40 97 99 34"),
            "internal number leaked into {}",
            f.display()
        );
    }
}

#[test]
fn same_clock_gives_byte_identical_output() {
    let dir = sample_copy();
    build(dir.path());
    let mut first = Vec::new();
    all_files(&dir.path().join("public"), &mut first);
    first.sort();
    let before: Vec<(std::path::PathBuf, Vec<u8>)> = first
        .iter()
        .map(|p| (p.clone(), std::fs::read(p).unwrap()))
        .collect();
    build(dir.path());
    let mut second = Vec::new();
    all_files(&dir.path().join("public"), &mut second);
    second.sort();
    assert_eq!(first, second);
    for (p, bytes) in before {
        assert_eq!(std::fs::read(&p).unwrap(), bytes, "{} differs", p.display());
    }
}

#[test]
fn source_date_epoch_fixes_the_clock() {
    let dir = sample_copy();
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_guichet"))
            .args(["build"])
            .current_dir(dir.path())
            .env("SOURCE_DATE_EPOCH", "1795424400")
            .output()
            .unwrap()
    };
    assert!(run().status.success());
    let a = page(dir.path(), "index.html");
    assert!(run().status.success());
    assert_eq!(a, page(dir.path(), "index.html"));
}

fn write(dir: &Path, rel: &str, text: &str) {
    std::fs::write(dir.join(rel), text).unwrap();
}

#[test]
fn every_input_error_is_reported_in_one_run_with_its_position() {
    let dir = sample_copy();
    let d = dir.path();
    // Unknown label (typo), unknown service, bad coordinates, bad hours, unknown key.
    let text = std::fs::read_to_string(d.join("data/sites/fontenay-aux-roses.toml")).unwrap();
    let text = text
        .replacen(
            "label = \"france-services\"",
            "label = \"france-service\"",
            1,
        )
        .replacen("\"justice\"", "\"justise\"", 1)
        .replacen("lat = 48.", "lat = 148.", 1)
        .replacen("wheelchair = true", "wheelchiar = true", 1);
    write(d, "data/sites/fontenay-aux-roses.toml", &text);
    // Malformed TOML.
    write(d, "data/sites/broken.toml", "name = \"Broken\nlabel = 3\n");
    // Missing required field.
    write(
        d,
        "data/sites/no-name.toml",
        "label = \"france-services\"\n[address]\npostcode = \"92260\"\ncommune = \"X\"\n",
    );
    // Notice for an unknown site, and a notice whose front matter is never closed.
    write(
        d,
        "content/notices/2026-12-01-x.md",
        "+++\nsite = \"fontenay\"\nkind = \"closure\"\nfrom = 2026-12-01\ntitle = \"Fermé\"\n+++\nTexte\n",
    );
    write(
        d,
        "content/notices/2026-12-02-y.md",
        "+++\nsite = \"rouen-simone-veil\"\nkind = \"closure\"\nfrom = 2026-12-02\n",
    );
    let before = std::fs::read_dir(d).unwrap().count();
    let out = guichet(&["build", "--now", NOW], d);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    let expect = [
        (
            "data/sites/fontenay-aux-roses.toml:",
            "unknown label `france-service`",
        ),
        (
            "data/sites/fontenay-aux-roses.toml:",
            "did you mean `france-services`?",
        ),
        (
            "data/sites/fontenay-aux-roses.toml:",
            "unknown service `justise`",
        ),
        ("data/sites/fontenay-aux-roses.toml:", "latitude 148"),
        (
            "data/sites/fontenay-aux-roses.toml:",
            "unknown field `wheelchiar`",
        ),
        ("data/sites/broken.toml:1:", "invalid TOML"),
        ("data/sites/no-name.toml:", "missing required field `name`"),
        (
            "content/notices/2026-12-01-x.md:2:8:",
            "unknown site `fontenay`",
        ),
        (
            "content/notices/2026-12-02-y.md:",
            "the front matter opened here is never closed",
        ),
    ];
    for (file, message) in expect {
        let line = err
            .lines()
            .find(|l| l.starts_with(file) && l.contains(message));
        let help = err.contains(message);
        assert!(
            line.is_some() || (help && message.starts_with("did you mean")),
            "expected `{file}…{message}` in:\n{err}"
        );
    }
    // file:line:column on every problem line.
    for l in err.lines().filter(|l| l.contains(": error: ")) {
        let pos = l.split(": error: ").next().unwrap();
        let parts: Vec<&str> = pos.rsplitn(3, ':').collect();
        assert!(
            parts.len() == 3 && parts[0].parse::<u32>().is_ok() && parts[1].parse::<u32>().is_ok(),
            "no line:column in `{l}`"
        );
    }
    assert!(
        !d.join("public").exists(),
        "nothing may be published from bad input"
    );
    assert_eq!(
        before,
        std::fs::read_dir(d).unwrap().count(),
        "no stray staging folder"
    );
}

#[test]
fn unknown_label_error_points_at_the_value() {
    let dir = sample_copy();
    let d = dir.path();
    let path = d.join("data/sites/rouen-simone-veil.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let line = text
        .lines()
        .position(|l| l.starts_with("label = "))
        .unwrap()
        + 1;
    std::fs::write(
        &path,
        text.replacen(
            "label = \"point-numerique-caf\"",
            "label = \"point-numerique\"",
            1,
        ),
    )
    .unwrap();
    let out = guichet(&["build", "--now", NOW], d);
    assert_eq!(out.status.code(), Some(1));
    let expected = format!(
        "data/sites/rouen-simone-veil.toml:{line}:9: error: unknown label `point-numerique`"
    );
    assert!(stderr(&out).contains(&expected), "{}", stderr(&out));
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let dir = sample_copy();
    let d = dir.path();
    build(d);
    let before = page(d, "lieux/fontenay-aux-roses/index.html");
    std::fs::write(
        d.join("data/sites/fontenay-aux-roses.toml"),
        "name = \"x\"\nlabel = [\n",
    )
    .unwrap();
    let out = guichet(&["build", "--now", NOW], d);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(page(d, "lieux/fontenay-aux-roses/index.html"), before);
}

/// Script links are refused at load (tests/hostile.rs); what remains of raw
/// HTML is cleaned.
#[test]
fn markdown_scripts_are_sanitised() {
    let dir = sample_copy();
    let d = dir.path();
    std::fs::write(
        d.join("content/notices/2026-11-25-rouen-simone-veil.md"),
        "+++\nsite = \"rouen-simone-veil\"\nkind = \"info\"\nfrom = 2026-11-25\ntitle = \"Test\"\n+++\nBonjour <script>alert('x')</script> <img src=x onerror=alert(1)>\n",
    )
    .unwrap();
    build(d);
    let rouen = page(d, "lieux/rouen-simone-veil/index.html");
    assert!(rouen.contains("Bonjour"));
    assert!(!rouen.contains("alert("), "script reached the page");
}

#[test]
fn usage_errors_exit_2() {
    let dir = sample_copy();
    let out = guichet(&["build", "--now", "yesterday"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("RFC 3339"));
    let out = guichet(&["frobnicate"], dir.path());
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn check_json_is_a_stable_array() {
    let dir = sample_copy();
    let out = guichet(&["check", "--now", NOW, "--format", "json"], dir.path());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    let rows = v.as_array().expect("array");
    for r in rows {
        for k in [
            "level", "code", "file", "line", "column", "message", "rule", "source",
        ] {
            assert!(r.get(k).is_some(), "missing {k} in {r}");
        }
    }
}

#[test]
fn base_url_changes_links_not_content() {
    let dir = sample_copy();
    let out = guichet(
        &[
            "build",
            "--now",
            NOW,
            "--base-url",
            "https://example.org/annuaire/",
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let home = page(dir.path(), "index.html");
    assert!(home.contains("href=\"/annuaire/lieux/fontenay-aux-roses/\""));
    assert!(home.contains("/annuaire/assets/style."));
    let sitemap = page(dir.path(), "sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/annuaire/lieux/fontenay-aux-roses/</loc>"));
}

#[test]
fn timings_name_every_stage_and_the_memory_used() {
    let dir = sample_copy();
    let out = guichet(&["build", "--now", NOW, "--timings"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    let line = err
        .lines()
        .find(|l| l.starts_with("timings: "))
        .unwrap_or_else(|| panic!("no timings line:\n{err}"));
    for stage in ["load", "check", "derive", "render and write", "swap"] {
        assert!(
            line.contains(&format!("{stage} ")),
            "{stage} missing: {line}"
        );
    }
    if cfg!(target_os = "linux") {
        assert!(line.contains(" MB)"), "no peak memory: {line}");
    }
    // Without the flag, the build stays quiet about it.
    let out = guichet(&["build", "--now", NOW], dir.path());
    assert!(!stderr(&out).contains("timings:"));
}
