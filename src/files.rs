//! A directory's files on disk: finding them, reading them as UTF-8, and
//! refusing any that a link leads out of the directory.
//!
//! Loading, the theme, `serve`'s watcher and `import` all go through here,
//! so every one of them skips the same editor files and refuses the same
//! links.

use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use std::path::{Path, PathBuf};

/// The site files under `root/data/sites`, sub-folders included, sorted.
pub fn site_files(root: &Path, diags: &mut Diagnostics) -> Vec<PathBuf> {
    let mut files = Vec::new();
    list_recursive(root, &root.join("data/sites"), "toml", &mut files, diags);
    files.sort();
    files
}

/// The text of `file` (relative to `root`) for quoting in messages: `None`
/// when it cannot be read as text, or a link leads out of `root`.
pub fn source_text(root: &Path, file: &str) -> Option<String> {
    let path = root.join(file);
    if link_problem(root, &path).is_some() {
        return None;
    }
    std::fs::read_to_string(path).ok()
}

/// Path of `path` relative to `root`, with `/` separators, for messages.
pub fn rel(root: &Path, path: &Path) -> String {
    let p = path.strip_prefix(root).unwrap_or(path);
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads a file as UTF-8, reporting failures.
pub fn read(root: &Path, path: &Path, diags: &mut Diagnostics) -> Option<String> {
    match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(s) => Some(s),
            Err(e) => {
                let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                let offset = e.utf8_error().valid_up_to();
                diags.push(
                    Diagnostic::error(
                        "not-utf8",
                        Span::at(rel(root, path), &text, offset),
                        "file is not valid UTF-8",
                    )
                    .help("save the file with UTF-8 encoding"),
                );
                None
            }
        },
        Err(e) => {
            diags.push(Diagnostic::error(
                "unreadable",
                Span::file(rel(root, path)),
                format!("cannot read file: {e}"),
            ));
            None
        }
    }
}

/// Files with extension `ext` directly in `root/dir`, sorted. A missing folder is empty.
pub fn list(root: &Path, dir: &str, ext: &str, diags: &mut Diagnostics) -> Vec<PathBuf> {
    listing(root, &root.join(dir), ext, diags).0
}

/// Site files may be grouped in sub-folders (by département, say).
fn list_recursive(
    root: &Path,
    dir: &Path,
    ext: &str,
    out: &mut Vec<PathBuf>,
    diags: &mut Diagnostics,
) {
    let (files, folders) = listing(root, dir, ext, diags);
    out.extend(files);
    for folder in folders {
        list_recursive(root, &folder, ext, out, diags);
    }
}

/// The files with extension `ext` and the sub-folders of `dir`, each sorted,
/// from one reading of the folder. The entry types come with the listing, so
/// a folder of 100,000 site files costs no call per file; only symbolic
/// links are followed to see what they point to.
fn listing(
    root: &Path,
    dir: &Path,
    ext: &str,
    diags: &mut Diagnostics,
) -> (Vec<PathBuf>, Vec<PathBuf>) {
    // A folder reached through a link (data/sites → /srv/other, or content
    // itself a link) is read only if it stays inside the directory.
    if let Some(d) = link_problem(root, dir) {
        diags.push(d);
        return Default::default();
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Default::default(),
        Err(e) => {
            diags.push(Diagnostic::error(
                "unreadable",
                Span::file(rel(root, dir)),
                format!("cannot list folder: {e}"),
            ));
            return Default::default();
        }
    };
    let (mut files, mut folders) = (Vec::new(), Vec::new());
    for entry in entries.flatten() {
        let path = entry.path();
        if let Some(why) = skipped_content(&path, ext) {
            diags.push(
                Diagnostic::warning(
                    "skipped-file",
                    Span::file(rel(root, &path)),
                    format!("file skipped: {why}"),
                )
                .help(format!(
                    "rename it to a name such as example.{ext} if it should be read, or move it out of this folder"
                )),
            );
            continue;
        }
        if is_editor_file(&path) {
            continue;
        }
        let (is_file, is_dir) = match entry.file_type() {
            Ok(t) if !t.is_symlink() => (t.is_file(), t.is_dir()),
            _ => {
                if let Some(d) = link_problem(root, &path) {
                    diags.push(d);
                    continue;
                }
                (path.is_file(), path.is_dir())
            }
        };
        if is_file && path.extension().is_some_and(|x| x == ext) {
            files.push(path);
        } else if is_dir {
            folders.push(path);
        }
    }
    files.sort();
    folders.sort();
    (files, folders)
}

/// Why the symbolic link `link` cannot be followed, if it cannot: it leads
/// out of `root` (a `static/passwd` linking to `/etc/passwd` would be
/// published), or back to a folder that holds it (listing would never end).
/// Nothing outside the directory is ever read into the output.
pub fn link_problem(root: &Path, link: &Path) -> Option<Diagnostic> {
    let inside = root.canonicalize().ok()?;
    // A dangling link is not followed and reads as a missing file.
    let target = link.canonicalize().ok()?;
    let file = rel(root, link);
    let refused = |message: String| {
        Diagnostic::error("outside-root", Span::file(&file), message)
            .help("copy the file into the directory instead of linking to it")
    };
    if !target.starts_with(&inside) {
        return Some(refused(format!(
            "`{file}` leads through a link to {}, outside the directory: it is not read",
            target.display()
        )));
    }
    let parent = link.parent()?.canonicalize().ok()?;
    parent.starts_with(&target).then(|| {
        refused(format!(
            "`{file}` is a link to a folder that holds it: it is not followed"
        ))
    })
}

/// Reads one of the directory's fixed files (`guichet.toml`, `data/*.toml`),
/// refusing one that a link leads out of `root`.
pub fn read_inside(root: &Path, path: &Path, diags: &mut Diagnostics) -> Option<String> {
    if let Some(d) = link_problem(root, path) {
        diags.push(d);
        return None;
    }
    read(root, path, diags)
}

/// Why a file that looks like content (`.toml`, `.md`) is not read from a
/// folder of `ext` files, if it is not: a hidden or editor-named file, an
/// extension in capitals, or the other kind of file. Other names (swap and
/// backup files, notes) are skipped silently, as are editors' lock files
/// (`.#name.md`), which come and go while a file is open.
fn skipped_content(path: &Path, ext: &str) -> Option<String> {
    let name = path.file_name()?.to_string_lossy();
    let (_, found) = name.rsplit_once('.')?;
    if !["toml", "md"].contains(&found.to_ascii_lowercase().as_str()) || name.starts_with(".#") {
        return None;
    }
    if name.starts_with('.') {
        Some(format!(
            "`{name}` starts with `.`, which makes it a hidden file"
        ))
    } else if name.starts_with('#') {
        Some(format!(
            "`{name}` starts with `#`, the mark of an editor's temporary file"
        ))
    } else if found != ext && found.eq_ignore_ascii_case(ext) {
        Some(format!(
            "`{name}` ends in `.{found}`; only `.{ext}` in lowercase is read"
        ))
    } else if found != ext {
        Some(format!(
            "`{name}` is a .{found} file; this folder holds .{ext} files"
        ))
    } else {
        None
    }
}

/// Editors' swap and backup files are never content.
pub fn is_editor_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.starts_with('.') || name.starts_with('#') || name.ends_with('~')
}
