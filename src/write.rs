//! Output tree → disk, atomically: a failed build never leaves a half-written
//! or emptied output folder.

use crate::render::OutputFile;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What was written.
#[derive(Debug, Clone, Default)]
pub struct WriteStats {
    pub files: usize,
    pub pages: usize,
    pub bytes: u64,
}

/// Writes `files` into a fresh sibling of `out`, then swaps it into place.
///
/// The previous tree is renamed away before the new one is renamed in, so at
/// every instant `out` is either the complete old tree or the complete new one.
pub fn write_atomic(out: &Path, files: &[OutputFile]) -> std::io::Result<WriteStats> {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let staging = parent.join(format!(".{name}.new-{}", std::process::id()));
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    let result = write_tree(&staging, files);
    let stats = match result {
        Ok(s) => s,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    let had_old = out.exists();
    if had_old {
        std::fs::rename(out, &old)?;
    }
    if let Err(e) = std::fs::rename(&staging, out) {
        if had_old {
            let _ = std::fs::rename(&old, out);
        }
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    if had_old {
        let _ = std::fs::remove_dir_all(&old);
    }
    Ok(stats)
}

fn write_tree(root: &Path, files: &[OutputFile]) -> std::io::Result<WriteStats> {
    use rayon::prelude::*;
    std::fs::create_dir_all(root)?;
    let mut dirs: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| Path::new(&f.path).parent().map(|p| root.join(p)))
        .collect();
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        std::fs::create_dir_all(d)?;
    }
    files
        .par_iter()
        .try_for_each(|f| write_file(&root.join(&f.path), &f.bytes))?;
    Ok(WriteStats {
        files: files.len(),
        pages: files.iter().filter(|f| f.path.ends_with(".html")).count(),
        bytes: files.iter().map(|f| f.bytes.len() as u64).sum(),
    })
}

fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = std::fs::File::create(path)?;
    f.write_all(bytes)
}

/// Writes only files whose bytes changed and removes files no longer produced.
/// Used by `serve`, where a rebuild must not disturb unchanged files.
pub fn write_changed(out: &Path, files: &[OutputFile]) -> std::io::Result<usize> {
    let mut changed = 0;
    let mut keep = std::collections::BTreeSet::new();
    for f in files {
        let path = out.join(&f.path);
        keep.insert(path.clone());
        if std::fs::read(&path).map(|b| b == f.bytes).unwrap_or(false) {
            continue;
        }
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p)?;
        }
        let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
        write_file(&tmp, &f.bytes)?;
        std::fs::rename(&tmp, &path)?;
        changed += 1;
    }
    remove_stale(out, &keep)?;
    Ok(changed)
}

fn remove_stale(dir: &Path, keep: &std::collections::BTreeSet<PathBuf>) -> std::io::Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            remove_stale(&p, keep)?;
            if std::fs::read_dir(&p)?.next().is_none() {
                std::fs::remove_dir(&p)?;
            }
        } else if !keep.contains(&p) {
            std::fs::remove_file(&p)?;
        }
    }
    Ok(())
}
