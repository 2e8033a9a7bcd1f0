//! Lists the files of the built-in reference (the default theme and the
//! charter texts) so that the binary embeds them: a directory with nothing
//! but its site files builds, and `guichet theme eject` has something to copy.
//! The sample's free pages come too, for synthetic benchmark directories.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn files(dir: &Path, prefix: &str, out: &mut Vec<(String, PathBuf)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        // Editors' swap and backup files are not part of the theme.
        if name.starts_with('.') || name.starts_with('#') || name.ends_with('~') {
            continue;
        }
        if path.is_dir() {
            files(&path, &format!("{prefix}{name}/"), out);
        } else {
            out.push((format!("{prefix}{name}"), path));
        }
    }
}

fn table(name: &str, dir: &str, code: &mut String) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    println!("cargo::rerun-if-changed={}", root.display());
    let mut list = Vec::new();
    files(&root, "", &mut list);
    writeln!(code, "pub static {name}: &[(&str, &[u8])] = &[").unwrap();
    for (rel, path) in list {
        writeln!(
            code,
            "    ({rel:?}, include_bytes!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    writeln!(code, "];").unwrap();
}

fn main() {
    let mut code = String::new();
    table("THEME", "themes/default", &mut code);
    table("CHARTERS", "content/charters", &mut code);
    table("SAMPLE_PAGES", "content/pages", &mut code);
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("builtin.rs");
    std::fs::write(out, code).unwrap();
}
