//! Watching the inputs: file-system events → debounced batches of [`Change`]s.
//!
//! Editors save in many ways: writing in place, writing a temporary file and
//! renaming it over the original, keeping swap and backup files beside it.
//! Only the final names matter here: every event is mapped to the input file
//! it concerns, editor files are dropped, and the file is read when the batch
//! is rebuilt, so whatever way it was saved the rebuild sees its last bytes.

use notify::RecursiveMode;
use notify::event::{EventKind, ModifyKind};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// Folders under the root whose content is an input.
pub const WATCHED: [&str; 5] = ["content", "data", "themes", "templates", "static"];
/// A batch ends after this long without a new event… The events of an
/// editor's save (a write, or a rename dance) come within a millisecond of
/// each other, and a burst cut in two only costs a second, incremental
/// rebuild; every millisecond here is added to the editor's wait.
const QUIET: Duration = Duration::from_millis(10);
/// …or this long after its first event, whichever comes first.
const MAX_WAIT: Duration = Duration::from_millis(600);
/// With no event for this long, an empty batch lets the caller look at the clock.
pub const IDLE_TICK: Duration = Duration::from_secs(30);

/// What an event means for the build.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// Load everything again: guichet.toml, labels, services, pages, charters,
    /// a folder created, removed or renamed, or events lost.
    Everything,
    /// Templates or static files: the theme is loaded again, all pages rendered.
    Theme,
    /// One site file (it may have been created or deleted).
    Site(PathBuf),
    /// One notice file (it may have been created or deleted).
    Notice(PathBuf),
}

/// Maps one changed path to what must be rebuilt; `None` when it is no input.
/// `is_folder` is what the event says, if it says.
pub fn classify(root: &Path, out: &Path, path: &Path, is_folder: Option<bool>) -> Option<Change> {
    if path.starts_with(out) && out != root {
        return None;
    }
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<&str> = rel
        .components()
        .map(|c| c.as_os_str().to_str().unwrap_or("\u{fffd}"))
        .collect();
    if parts
        .iter()
        .any(|p| crate::files::is_editor_file(Path::new(p)))
    {
        return None;
    }
    let ext = rel.extension().and_then(|e| e.to_str());
    // A folder appearing, vanishing or renamed: its files may have come or
    // gone before any watch saw them, so look at everything again. Files
    // without an extension (vim's `4913` probe) are not folders.
    let folder = is_folder.unwrap_or_else(|| path.is_dir() || (!path.exists() && ext.is_none()));
    match parts.as_slice() {
        ["guichet.toml"] => Some(Change::Everything),
        [top, ..] if ["themes", "templates", "static"].contains(top) => Some(Change::Theme),
        ["data" | "content"] => Some(Change::Everything),
        ["data", "labels.toml" | "services.toml"] => Some(Change::Everything),
        ["data", "sites", ..] if ext == Some("toml") && !folder => {
            Some(Change::Site(path.to_path_buf()))
        }
        ["data", "sites", ..] if folder => Some(Change::Everything),
        ["content", "notices", _] if ext == Some("md") && !folder => {
            Some(Change::Notice(path.to_path_buf()))
        }
        ["content", "notices" | "charters" | "pages"] => Some(Change::Everything),
        ["content", "charters" | "pages", _] if ext == Some("md") || folder => {
            Some(Change::Everything)
        }
        _ => None,
    }
}

/// Collapses a batch: everything once, the rest deduplicated.
fn simplify(mut changes: Vec<Change>) -> Vec<Change> {
    if changes.contains(&Change::Everything) {
        return vec![Change::Everything];
    }
    changes.sort();
    changes.dedup();
    changes
}

/// Watches a directory's inputs and hands out batches of changes.
pub struct Watcher {
    inner: Box<dyn notify::Watcher + Send>,
    events: Receiver<notify::Result<notify::Event>>,
    root: PathBuf,
    out: PathBuf,
}

impl Watcher {
    /// Starts watching `root`: guichet.toml and the [`WATCHED`] folders,
    /// including folders created later. Falls back to polling where the
    /// system refuses native watches (too many folders, network drives).
    pub fn start(root: &Path, out: &Path) -> Result<Watcher, String> {
        let root = root
            .canonicalize()
            .map_err(|e| format!("{}: {e}", root.display()))?;
        let out = out.canonicalize().unwrap_or_else(|_| out.to_path_buf());
        let (tx, events) = channel();
        let native = notify::recommended_watcher(tx.clone())
            .map(|w| Box::new(w) as Box<dyn notify::Watcher + Send>);
        let mut watcher = Watcher {
            inner: match native {
                Ok(w) => w,
                Err(e) => poll_watcher(tx, &e)?,
            },
            events,
            root,
            out,
        };
        if let Err(e) = watcher.watch_all() {
            let (tx, events) = channel();
            watcher.inner = poll_watcher(tx, &e)?;
            watcher.events = events;
            watcher
                .watch_all()
                .map_err(|e| format!("cannot watch the inputs: {e}"))?;
        }
        Ok(watcher)
    }

    fn watch_all(&mut self) -> notify::Result<()> {
        self.inner.watch(&self.root, RecursiveMode::NonRecursive)?;
        for name in WATCHED {
            self.watch_folder(name)?;
        }
        Ok(())
    }

    /// (Re)watches one input folder if it exists.
    fn watch_folder(&mut self, name: &str) -> notify::Result<()> {
        let path = self.root.join(name);
        if !path.is_dir() {
            return Ok(());
        }
        let _ = self.inner.unwatch(&path);
        self.inner.watch(&path, RecursiveMode::Recursive)
    }

    /// The changes of one event; watches input folders that just appeared.
    fn changes(&mut self, event: notify::Result<notify::Event>) -> Vec<Change> {
        let event = match event {
            Ok(e) => e,
            Err(e) => {
                eprintln!("watch: {e}; looking at every input again");
                return vec![Change::Everything];
            }
        };
        if event.need_rescan() {
            return vec![Change::Everything];
        }
        let is_folder = match event.kind {
            // Opening and reading (the build itself reads every input) and
            // attribute changes say nothing about content.
            EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(_)) => return Vec::new(),
            EventKind::Create(k) => Some(k == notify::event::CreateKind::Folder),
            EventKind::Remove(k) => Some(k == notify::event::RemoveKind::Folder),
            _ => None,
        };
        let mut out = Vec::new();
        for path in &event.paths {
            if path.parent() == Some(&self.root) {
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
                if WATCHED.contains(&name)
                    && path.is_dir()
                    && let Err(e) = self.watch_folder(name)
                {
                    eprintln!("watch: cannot watch {}: {e}", path.display());
                }
            }
            out.extend(classify(&self.root, &self.out, path, is_folder));
        }
        out
    }

    /// Blocks until a batch of changes is complete, checking `stop` about
    /// four times a second while idle; an empty batch after [`IDLE_TICK`]
    /// without any. `None` once `stop` is set.
    pub fn next_batch(&mut self, stop: &dyn Fn() -> bool) -> Option<Vec<Change>> {
        let idle = Instant::now();
        loop {
            if idle.elapsed() >= IDLE_TICK {
                return Some(Vec::new());
            }
            match self.events.recv_timeout(Duration::from_millis(250)) {
                Ok(event) => {
                    let changes = self.changes(event);
                    if !changes.is_empty() {
                        let batch = self.rest_of_burst(changes);
                        return (!stop()).then_some(batch);
                    }
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return None,
            }
            if stop() {
                return None;
            }
        }
    }

    /// Changes that arrive within `within`, gathered as one burst like
    /// [`Watcher::next_batch`]; empty when the files stay quiet.
    pub fn changes_within(&mut self, within: Duration) -> Vec<Change> {
        let deadline = Instant::now() + within;
        loop {
            let wait = deadline.saturating_duration_since(Instant::now());
            if wait.is_zero() {
                return Vec::new();
            }
            match self.events.recv_timeout(wait) {
                Ok(event) => {
                    let changes = self.changes(event);
                    if !changes.is_empty() {
                        return self.rest_of_burst(changes);
                    }
                }
                Err(_) => return Vec::new(),
            }
        }
    }

    /// `batch`, the first changes of a burst, with those that follow until
    /// the files are quiet for [`QUIET`] or [`MAX_WAIT`] has passed.
    fn rest_of_burst(&mut self, mut batch: Vec<Change>) -> Vec<Change> {
        let first = Instant::now();
        loop {
            let wait = QUIET.min(MAX_WAIT.saturating_sub(first.elapsed()));
            if wait.is_zero() {
                break;
            }
            match self.events.recv_timeout(wait) {
                Ok(event) => batch.extend(self.changes(event)),
                Err(_) => break,
            }
        }
        simplify(batch)
    }
}

fn poll_watcher(
    tx: std::sync::mpsc::Sender<notify::Result<notify::Event>>,
    why: &notify::Error,
) -> Result<Box<dyn notify::Watcher + Send>, String> {
    eprintln!("watch: native file watching unavailable ({why}); polling every second");
    let config = notify::Config::default().with_poll_interval(Duration::from_secs(1));
    notify::PollWatcher::new(tx, config)
        .map(|w| Box::new(w) as Box<dyn notify::Watcher + Send>)
        .map_err(|e| format!("cannot watch the inputs: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(rel: &str, folder: Option<bool>) -> Option<Change> {
        let root = Path::new("/dir");
        classify(root, &root.join("public"), &root.join(rel), folder)
    }

    #[test]
    fn inputs_are_classified_and_editor_files_ignored() {
        let site = Some(Change::Site(PathBuf::from("/dir/data/sites/a.toml")));
        assert_eq!(class("data/sites/a.toml", Some(false)), site);
        assert_eq!(
            class("data/sites/93/a.toml", Some(false)),
            Some(Change::Site(PathBuf::from("/dir/data/sites/93/a.toml")))
        );
        assert_eq!(
            class("content/notices/n.md", None),
            Some(Change::Notice(PathBuf::from("/dir/content/notices/n.md")))
        );
        assert_eq!(class("guichet.toml", None), Some(Change::Everything));
        assert_eq!(class("data/labels.toml", None), Some(Change::Everything));
        assert_eq!(class("templates/site.html", None), Some(Change::Theme));
        assert_eq!(class("data/sites/93", Some(true)), Some(Change::Everything));
        for ignored in [
            "content/notices/.n.md.swp",
            "content/notices/n.md~",
            "content/notices/#n.md#",
            "content/notices/n.md.tmp",
            "content/notices/4913",
            "data/sites/.git/HEAD",
            "public/index.html",
            "content/README.md",
            "target/debug/guichet",
        ] {
            assert_eq!(class(ignored, Some(false)), None, "{ignored}");
        }
    }

    #[test]
    fn batches_collapse() {
        let a = Change::Notice(PathBuf::from("a"));
        assert_eq!(simplify(vec![a.clone(), a.clone()]), vec![a.clone()]);
        assert_eq!(
            simplify(vec![a, Change::Everything, Change::Theme]),
            vec![Change::Everything]
        );
    }
}
