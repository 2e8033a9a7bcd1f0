//! Helpers shared by the integration tests: a scratch copy of the sample
//! directory and a way to run the real binary on it.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create the copy's folder");
    for entry in std::fs::read_dir(from).expect("read the sample") {
        let entry = entry.expect("read the sample");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy a sample file");
        }
    }
}

/// A temporary copy of the sample directory: guichet.toml, data/, content/, themes/.
pub fn sample_copy() -> tempfile::TempDir {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().expect("create a temporary directory");
    std::fs::copy(root.join("guichet.toml"), tmp.path().join("guichet.toml"))
        .expect("copy guichet.toml");
    for dir in ["data", "content", "themes"] {
        copy_dir(&root.join(dir), &tmp.path().join(dir));
    }
    tmp
}

/// Runs the guichet binary with `args` in `dir`.
pub fn guichet(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_guichet"))
        .args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("run the guichet binary")
}
