//! Helpers shared by the integration tests: a temp copy of the sample
//! directory and a way to run the real binary on it.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// The repository root (where the sample directory lives).
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every file under `dir`: path relative to it (with `/`) → bytes. Builds
/// are compared whole with it.
pub fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for e in std::fs::read_dir(&folder).unwrap().map(Result::unwrap) {
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                let rel = e
                    .path()
                    .strip_prefix(dir)
                    .unwrap()
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                out.insert(rel, std::fs::read(e.path()).unwrap());
            }
        }
    }
    out
}

/// A fresh copy of the sample: guichet.toml, data/, content/, themes/.
pub fn sample_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(repo().join("guichet.toml"), dir.path().join("guichet.toml")).unwrap();
    for sub in ["data", "content", "themes"] {
        copy_dir(&repo().join(sub), &dir.path().join(sub));
    }
    dir
}

/// Runs the real `guichet` binary in `dir`.
pub fn guichet(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_guichet"))
        .args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("guichet runs")
}

/// The real national France services list (2,845 sites), in tests/data/.
pub fn national_list() -> std::path::PathBuf {
    repo().join("tests/data/france-services/liste-fs-20240801.csv")
}

/// A directory of its own (`guichet init`) holding the imported national list.
pub fn national_directory() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let run = guichet(&["init", "--force"], dir.path());
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let run = guichet(&["import", national_list().to_str().unwrap()], dir.path());
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    dir
}

/// `guichet build --now NOW --out OUT` in `dir`, which must succeed.
pub fn build_at(dir: &Path, now: &str, out: &str) -> std::path::PathBuf {
    let run = guichet(&["build", "--now", now, "--out", out], dir);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    dir.join(out)
}
