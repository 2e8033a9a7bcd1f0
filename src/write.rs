//! Output tree → disk, atomically: a failed build never leaves a half-written
//! or emptied output folder.

use crate::output::{Counting, OutputFile, Sink};
use rustc_hash::{FxHashMap, FxHashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// What was written.
#[derive(Debug, Clone, Default)]
pub struct WriteStats {
    pub files: usize,
    pub pages: usize,
    pub bytes: u64,
}

/// A fresh sibling of the output folder being filled; [`Staging::commit`]
/// swaps it into place.
///
/// The previous tree is renamed away before the new one is renamed in, so at
/// every instant `out` is either the complete old tree or the complete new
/// one. A staging folder dropped without being committed (template errors, a
/// full disk) is removed, and `out` is left as it was.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    old: PathBuf,
    files: AtomicUsize,
    pages: AtomicUsize,
    bytes: AtomicU64,
    /// The first write that failed: the build then publishes nothing.
    error: Mutex<Option<std::io::Error>>,
    /// Folders made so far, relative to `dir`.
    folders: Mutex<FxHashSet<Box<str>>>,
    committed: bool,
}

impl Staging {
    /// Creates an empty staging folder beside `out`.
    pub fn begin(out: &Path) -> std::io::Result<Staging> {
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent)?;
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let pid = std::process::id();
        let dir = parent.join(format!(".{name}.new-{pid}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        Ok(Staging {
            out: out.to_path_buf(),
            dir,
            old: parent.join(format!(".{name}.old-{pid}")),
            files: AtomicUsize::new(0),
            pages: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            error: Mutex::new(None),
            folders: Mutex::default(),
            committed: false,
        })
    }

    fn failed(&self, e: std::io::Error) {
        let mut first = self.error.lock().unwrap_or_else(|e| e.into_inner());
        first.get_or_insert(e);
    }

    fn has_failed(&self) -> bool {
        self.error
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_some()
    }

    fn counted(&self, path: &str, len: u64) {
        self.files.fetch_add(1, Ordering::Relaxed);
        if path.ends_with(".html") {
            self.pages.fetch_add(1, Ordering::Relaxed);
        }
        self.bytes.fetch_add(len, Ordering::Relaxed);
    }

    /// Creates the file at `path`, and its folders when they are missing.
    ///
    /// The staging folder starts empty, so a folder not yet made by this
    /// build does not exist: it is made first, where trying the file and
    /// failing cost one more system call for each of a national
    /// directory's 150,000 folders.
    fn create(&self, path: &str) -> std::io::Result<std::fs::File> {
        let full = self.dir.join(path);
        if let Some((folder, _)) = path.rsplit_once('/') {
            let made = self
                .folders
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .contains(folder);
            if !made {
                std::fs::create_dir_all(self.dir.join(folder))?;
                let mut folders = self.folders.lock().unwrap_or_else(|e| e.into_inner());
                folders.insert(folder.into());
            }
        }
        std::fs::File::create(&full)
    }

    /// Swaps the staging folder into place: the first write error, if any,
    /// instead.
    pub fn commit(mut self) -> std::io::Result<WriteStats> {
        if let Some(e) = self.error.lock().unwrap_or_else(|e| e.into_inner()).take() {
            return Err(e);
        }
        let had_old = self.out.exists();
        if had_old {
            std::fs::rename(&self.out, &self.old)?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.out) {
            if had_old {
                let _ = std::fs::rename(&self.old, &self.out);
            }
            return Err(e);
        }
        self.committed = true;
        if had_old {
            let _ = std::fs::remove_dir_all(&self.old);
        }
        Ok(WriteStats {
            files: self.files.load(Ordering::Relaxed),
            pages: self.pages.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
        })
    }
}

impl Sink for Staging {
    fn put(&self, file: OutputFile) {
        if self.has_failed() {
            return;
        }
        match self
            .create(&file.path)
            .and_then(|mut f| f.write_all(&file.bytes))
        {
            Ok(()) => self.counted(&file.path, file.bytes.len() as u64),
            Err(e) => self.failed(e),
        }
    }

    fn stream(
        &self,
        path: &str,
        _size: usize,
        write: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
    ) {
        if self.has_failed() {
            return;
        }
        let result = self.create(path).and_then(|f| {
            let mut w = Counting {
                inner: std::io::BufWriter::with_capacity(1 << 16, f),
                len: 0,
            };
            write(&mut w)?;
            w.inner.flush()?;
            Ok(w.len)
        });
        match result {
            Ok(len) => self.counted(path, len),
            Err(e) => self.failed(e),
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = std::fs::File::create(path)?;
    f.write_all(bytes)
}

/// Fingerprints of the files a [`Pending`] sync left in an output folder, so the
/// next sync compares in memory instead of reading every file back.
#[derive(Debug, Default)]
pub struct Manifest {
    files: FxHashMap<String, u64>,
    /// The folder was walked once, so every file in it is known.
    primed: bool,
}

impl Manifest {
    /// Was `path` (relative, `/` separators) left by a sync?
    pub fn contains(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    /// Every file the syncs left, relative paths.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }
}

/// What a [`Pending`] sync changed on disk.
#[derive(Debug, Clone, Copy, Default)]
pub struct SyncStats {
    pub written: usize,
    pub removed: usize,
}

/// XXH3: a content hash made for change detection, over ten times as fast
/// as SipHash on the exports' megabytes, which a serve rebuild hashes after
/// every notice edit.
fn fingerprint(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// Brings an output folder in line with a build where `files` were rendered
/// (all of the output or part of it) and `gone` tells which other files the
/// build no longer has, in two steps, so that `serve` keeps serving the
/// previous build while the new one is written: [`Pending::prepare`] writes
/// the changed files beside their old versions, which stay in place;
/// [`Pending::apply`] renames them in and removes what is gone, which takes
/// a moment even when a theme change rewrote every page.
///
/// Only files whose bytes differ from the folder's are written; the rest is
/// left alone. `gone` is asked about the files earlier syncs left, or on a
/// first sync about every file in the folder; never about one of `files`.
/// Each file is replaced by a rename, so a reader sees the old file or the
/// new one, never half of one.
pub struct Pending<'a> {
    out: &'a Path,
    files: &'a [OutputFile],
    prints: Vec<u64>,
    /// Indices into `files` of those written beside their old version.
    written: Vec<usize>,
}

impl<'a> Pending<'a> {
    /// Writes each of `files` whose bytes differ from the folder's under a
    /// temporary name beside it; nothing a reader sees changes yet.
    pub fn prepare(
        out: &'a Path,
        files: &'a [OutputFile],
        manifest: &Manifest,
    ) -> std::io::Result<Pending<'a>> {
        use rayon::prelude::*;
        std::fs::create_dir_all(out)?;
        let prints: Vec<u64> = files.par_iter().map(|f| fingerprint(&f.bytes)).collect();
        let stale = |i: usize| {
            let f = &files[i];
            let path = out.join(&f.path);
            match manifest.files.get(&f.path) {
                Some(old) => *old != prints[i] || !path.is_file(),
                None => std::fs::read(&path).map_or(true, |b| b != f.bytes),
            }
        };
        let written: Vec<usize> = (0..files.len())
            .into_par_iter()
            .filter(|&i| stale(i))
            .collect();
        let mut dirs: Vec<PathBuf> = written
            .iter()
            .filter_map(|&i| out.join(&files[i].path).parent().map(Path::to_path_buf))
            .collect();
        dirs.sort();
        dirs.dedup();
        for d in &dirs {
            std::fs::create_dir_all(d)?;
        }
        let pending = Pending {
            out,
            files,
            prints,
            written,
        };
        let result = pending.written.par_iter().try_for_each(|&i| {
            let path = out.join(&files[i].path);
            write_file(&temp_path(&path), &files[i].bytes)
        });
        match result {
            Ok(()) => Ok(pending),
            Err(e) => {
                pending.discard();
                Err(e)
            }
        }
    }

    /// Renames the written files into place and removes the files `gone`
    /// accepts.
    pub fn apply(
        self,
        gone: &(dyn Fn(&str) -> bool + Sync),
        manifest: &mut Manifest,
    ) -> std::io::Result<SyncStats> {
        use rayon::prelude::*;
        let (out, files) = (self.out, self.files);
        let renamed = self.written.par_iter().try_for_each(|&i| {
            let path = out.join(&files[i].path);
            std::fs::rename(temp_path(&path), &path)
        });
        if let Err(e) = renamed {
            self.discard();
            return Err(e);
        }
        for (f, print) in files.iter().zip(&self.prints) {
            manifest.files.insert(f.path.clone(), *print);
        }
        let written: FxHashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
        let gone = |p: &str| !written.contains(p) && gone(p);
        let mut removed = 0;
        if manifest.primed {
            // Asked on every core: a serve rebuild at 10,000 sites asks about
            // 38,000 files to find the few it no longer produces.
            let gone: Vec<String> = manifest
                .files
                .par_iter()
                .filter(|(p, _)| gone(p))
                .map(|(p, _)| p.clone())
                .collect();
            for p in gone {
                manifest.files.remove(&p);
                let path = out.join(&p);
                match std::fs::remove_file(&path) {
                    Ok(()) => removed += 1,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => return Err(e),
                }
                remove_empty_parents(out, &path);
            }
        } else {
            removed = remove_stale(out, out, &gone)?;
            manifest.primed = true;
        }
        Ok(SyncStats {
            written: self.written.len(),
            removed,
        })
    }

    /// Removes the temporary files of a sync that will not be applied.
    fn discard(&self) {
        for &i in &self.written {
            let _ = std::fs::remove_file(temp_path(&self.out.join(&self.files[i].path)));
        }
    }
}

/// Where `path` is written before being renamed into place: beside it, its
/// whole name kept (`lieux.csv` and `lieux.geojson` are written at once).
fn temp_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(format!(".tmp-{}", std::process::id()));
    PathBuf::from(name)
}

/// Removes the now-empty folders between `path` and `out`.
fn remove_empty_parents(out: &Path, path: &Path) {
    let mut dir = path.parent();
    while let Some(d) = dir.filter(|d| *d != out && d.starts_with(out)) {
        if std::fs::remove_dir(d).is_err() {
            break; // not empty
        }
        dir = d.parent();
    }
}

/// Removes files under `dir` whose path relative to `out` is not in `keep`,
/// then folders left empty. Returns how many files went.
fn remove_stale(out: &Path, dir: &Path, gone: &dyn Fn(&str) -> bool) -> std::io::Result<usize> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(0);
    };
    let mut removed = 0;
    for e in entries.flatten() {
        let p = e.path();
        if e.file_type()?.is_dir() {
            removed += remove_stale(out, &p, gone)?;
            if std::fs::read_dir(&p)?.next().is_none() {
                std::fs::remove_dir(&p)?;
            }
        } else if gone(crate::files::rel(out, &p).as_str()) {
            std::fs::remove_file(&p)?;
            removed += 1;
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn sync_writes_only_changes_and_removes_stale_files() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path();
        let mut m = Manifest::default();
        let sync_ = |files: &[OutputFile], all: &[&str], m: &mut Manifest| {
            let s = Pending::prepare(out, files, m)
                .and_then(|p| p.apply(&|p| !all.contains(&p), m))
                .unwrap();
            (s.written, s.removed)
        };
        let both = ["a/index.html", "b/index.html"];
        let first = [file("a/index.html", "a"), file("b/index.html", "b")];
        assert_eq!(sync_(&first, &both, &mut m), (2, 0));
        // A partial render: only `a` was rendered again, unchanged; `b` stays.
        assert_eq!(sync_(&first[..1], &both, &mut m), (0, 0));
        // `a` changes, `b` is no longer produced.
        let a = [file("a/index.html", "A")];
        assert_eq!(sync_(&a, &["a/index.html"], &mut m), (1, 1));
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "A"
        );
        assert!(!out.join("b").exists(), "empty folder left behind");
        // A fresh manifest compares with the disk and removes unknown files.
        std::fs::write(out.join("stray.txt"), "x").unwrap();
        let fresh = &mut Manifest::default();
        assert_eq!(sync_(&a, &["a/index.html"], fresh), (0, 1));
    }

    #[test]
    fn staging_publishes_all_or_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("old.html"), "old").unwrap();
        // Abandoned half-way: the old tree stays, the staging folder goes.
        let staging = Staging::begin(&out).unwrap();
        staging.put(file("lieux/a/index.html", "a"));
        drop(staging);
        assert_eq!(
            std::fs::read_to_string(out.join("old.html")).unwrap(),
            "old"
        );
        assert_eq!(
            std::fs::read_dir(tmp.path()).unwrap().count(),
            1,
            "staging left behind"
        );
        // Committed: exactly the new files, folders created as needed.
        let staging = Staging::begin(&out).unwrap();
        staging.put(file("lieux/a/index.html", "a"));
        staging.stream("donnees/lieux.csv", 0, &mut |w| w.write_all(b"id\r\n"));
        let stats = staging.commit().unwrap();
        assert_eq!((stats.files, stats.pages, stats.bytes), (2, 1, 5));
        assert!(!out.join("old.html").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("donnees/lieux.csv")).unwrap(),
            "id\r\n"
        );
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_failed_write_publishes_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let staging = Staging::begin(&out).unwrap();
        // A folder where a file should go: the write fails.
        staging.put(file("a/index.html", "a"));
        staging.put(file("a", "not a folder"));
        assert!(staging.commit().is_err());
        assert!(!out.exists());
    }

    #[test]
    fn files_of_one_stem_get_their_own_temporary_names() {
        let csv = temp_path(Path::new("out/donnees/lieux.csv"));
        let geojson = temp_path(Path::new("out/donnees/lieux.geojson"));
        assert_ne!(csv, geojson);
        assert!(csv.starts_with("out/donnees"));
    }
}
