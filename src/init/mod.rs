//! `guichet init`: a new, minimal directory of one's own. The national
//! labels, services, charters and theme are built in, so the directory
//! starts with its settings, empty folders for sites and notices, a guide
//! for editors and a publishing workflow.

use std::path::{Path, PathBuf};

/// The files `init` writes, by path under the new directory.
const FILES: &[(&str, &str)] = &[
    ("guichet.toml", include_str!("guichet.toml")),
    ("README.md", include_str!("README.md")),
    (
        ".github/workflows/pages.yml",
        include_str!("../../examples/github-pages-own-directory.yml"),
    ),
    ("data/sites/.gitkeep", ""),
    ("content/notices/.gitkeep", ""),
    ("content/pages/.gitkeep", ""),
    (".gitignore", "/public/\n"),
];

/// Why `init` wrote nothing.
#[derive(Debug)]
pub enum InitError {
    /// The folder has files in it and `--force` was not given.
    NotEmpty(PathBuf),
    /// With `--force`: these files exist and are never overwritten.
    Exists(Vec<String>),
    Io(String),
}

impl std::fmt::Display for InitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InitError::NotEmpty(dir) => write!(
                f,
                "{} is not empty; choose a new folder, or pass --force to add the missing files (none is overwritten)",
                dir.display()
            ),
            InitError::Exists(files) => write!(
                f,
                "{} already exist{}; nothing was written (init never overwrites a file)",
                files.join(", "),
                if files.len() == 1 { "s" } else { "" }
            ),
            InitError::Io(e) => f.write_str(e),
        }
    }
}

/// Writes a new directory at `dir` (created if missing) and returns the
/// files written. An existing folder must be empty unless `force`; even
/// then no file is overwritten.
pub fn init(dir: &Path, force: bool) -> Result<Vec<String>, InitError> {
    let io = |e: std::io::Error, p: &Path| InitError::Io(format!("{}: {e}", p.display()));
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(|e| io(e, dir))?;
        if entries.next().is_some() && !force {
            return Err(InitError::NotEmpty(dir.to_path_buf()));
        }
    }
    let existing: Vec<String> = FILES
        .iter()
        .filter(|(path, _)| dir.join(path).exists())
        .map(|(path, _)| path.to_string())
        .collect();
    // With --force, what the folder already has is kept: only the rest is written.
    let missing = FILES
        .iter()
        .filter(|(path, _)| !existing.iter().any(|e| e == path));
    if !force && !existing.is_empty() {
        return Err(InitError::Exists(existing));
    }
    let mut written = Vec::new();
    for (path, text) in missing {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io(e, parent))?;
        }
        // create_new: a file that appeared since the check is still not overwritten.
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&target)
            .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()))
            .map_err(|e| io(e, &target))?;
        written.push(path.to_string());
    }
    Ok(written)
}
