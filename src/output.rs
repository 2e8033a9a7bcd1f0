//! The files a build produces and where they go: the plumbing that render,
//! publish and write share, so that none of them depends on another.
//!
//! Stages hand each file to a [`Sink`] as soon as it is made: `build`'s
//! sink writes into a staging folder, `serve` and `check --links` collect in
//! memory. Which files a run wants, and which sites' pieces it may take from
//! `serve`'s store instead of making them again, travel as [`Wanted`] and
//! [`SiteReuse`].

/// One file of the output tree.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Relative to the output root, `/` separators.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Where rendered files go: a staging folder being filled (`build`) or
/// memory (`serve`, which compares them with the disk before writing).
///
/// Pages are handed over as soon as they are rendered, from every rendering
/// thread, so a build never holds its whole output in memory.
pub trait Sink: Sync {
    /// Takes one finished file.
    fn put(&self, file: OutputFile);

    /// Takes a file written piece by piece: the open-data exports, which
    /// would otherwise be held whole in memory at national scale. About
    /// `size` bytes are expected (0: unknown), so a sink that collects them
    /// can reserve the room at once.
    fn stream(
        &self,
        path: &str,
        size: usize,
        write: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) {
        let mut bytes = Vec::with_capacity(size + size / 16);
        // Writing to memory cannot fail.
        let _ = write(&mut bytes);
        self.put(OutputFile {
            path: path.to_string(),
            bytes,
        });
    }
}

/// A [`Sink`] that keeps every file in memory.
#[derive(Default)]
pub struct Collect(std::sync::Mutex<Vec<OutputFile>>);

impl Collect {
    /// The files received, sorted by path.
    pub fn into_files(self) -> Vec<OutputFile> {
        let mut files = self.0.into_inner().unwrap_or_else(|e| e.into_inner());
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

impl Sink for Collect {
    fn put(&self, file: OutputFile) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(file);
    }
}

/// A writer that counts what goes through it.
pub struct Counting<W> {
    pub inner: W,
    pub len: u64,
}

impl<W: std::io::Write> std::io::Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Asked of every output path: should this run produce it? A full build
/// wants everything; `serve` only what a change touched.
pub type Wanted<'a> = dyn Fn(&str) -> bool + Sync + 'a;

/// Which sites' pages are not produced again in this run: nothing about them
/// changed, so their share of directory-wide files (export records, search
/// rows, feed entries) may come from what `serve` kept.
#[derive(Debug, Clone, Default)]
pub struct SiteReuse {
    unchanged: Vec<bool>,
}

impl SiteReuse {
    /// `unchanged[i]`: site `i`'s page is not rendered again.
    pub fn new(unchanged: Vec<bool>) -> SiteReuse {
        SiteReuse { unchanged }
    }

    /// Whether what was kept of site `i` may be used again.
    pub fn unchanged(&self, i: usize) -> bool {
        self.unchanged.get(i).copied().unwrap_or(false)
    }

    /// [`SiteReuse::unchanged`] of every site, in order.
    pub fn unchanged_sites(&self) -> &[bool] {
        &self.unchanged
    }
}

/// Path part of a base URL: "https://example.org/annuaire/" → "/annuaire/".
pub fn base_path(base_url: &str) -> String {
    let after_scheme = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    let path = match after_scheme.find('/') {
        Some(i) if base_url.contains("://") => &after_scheme[i..],
        None if base_url.contains("://") => "/",
        _ => base_url,
    };
    let mut p = path.to_string();
    if !p.starts_with('/') {
        p.insert(0, '/');
    }
    if !p.ends_with('/') {
        p.push('/');
    }
    p
}
