//! The pipeline, in one place: load → check → derive → {render, publish} →
//! write.
//!
//! `build`, `check --links` and `serve` all go through [`produce`], which
//! runs rendering and publishing side by side into one [`Sink`]. What
//! `serve` keeps between rebuilds is a [`Store`] it owns and hands in;
//! the stages only see their own part of it. See `docs/pipeline.md`.

use crate::diagnostics::Diagnostics;
use crate::output::{Collect, OutputFile, Sink, SiteReuse, Wanted};
use crate::{check, derive, editor, load, model, phases, publish, render, write};
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What `build` needs to know.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Defaults to `root/public`.
    pub out: Option<PathBuf>,
    /// The build clock: notice states and open-now data depend on it.
    pub now: DateTime<Utc>,
    /// Overrides `base_url` from guichet.toml.
    pub base_url: Option<String>,
    /// Charter findings block the build too.
    pub strict: bool,
}

/// Why a build published nothing.
#[derive(Debug)]
pub enum BuildError {
    /// The inputs have problems (all of them listed).
    Input(Diagnostics),
    /// Writing the output failed.
    Io(String),
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    pub stats: write::WriteStats,
    /// Warnings and charter findings, printed but not blocking.
    pub diagnostics: Diagnostics,
    pub elapsed: Duration,
    /// Wall time of each stage (`build --timings`).
    pub phases: phases::Phases,
    pub out: PathBuf,
}

/// The whole in-memory result of the pipeline, before writing.
pub struct Generated {
    pub files: Vec<OutputFile>,
    pub diagnostics: Diagnostics,
}

/// A directory loaded, checked and derived: ready to render.
struct Prepared {
    dir: model::Directory,
    derived: derive::Derived,
    theme: render::Theme,
    opts: render::RenderOptions,
    diagnostics: Diagnostics,
}

impl Prepared {
    /// Renders and publishes everything into `sink`; template errors come
    /// with every earlier warning.
    fn produce_into(&self, sink: &dyn Sink) -> Result<(), Diagnostics> {
        produce(
            &self.dir,
            &self.derived,
            &self.theme,
            &self.opts,
            &|_| true,
            None,
            self.dir.config.editor.as_ref().map(editor::Backend::Git),
            sink,
        )
        .map_err(|d| {
            let mut all = self.diagnostics.clone();
            all.extend(d);
            all.sorted()
        })
    }
}

/// Loads, checks and derives `root`. Fails with every input error when
/// the data cannot be trusted.
fn prepare(
    root: &Path,
    now: DateTime<Utc>,
    base_url: Option<&str>,
    strict: bool,
    phases: &mut phases::Phases,
) -> Result<Prepared, Diagnostics> {
    let (mut dir, mut diags) = load::load(root);
    let theme = render::load_theme(root);
    if let Err(d) = &theme {
        diags.extend(d.clone());
    }
    phases.end("load");
    diags.extend(check_loaded(&dir, now));
    phases.end("check");
    let blocking = diags.has_input_errors() || (strict && diags.has_errors());
    if blocking {
        return Err(diags.sorted());
    }
    let theme = theme.map_err(|d| d.sorted())?;
    if let Some(url) = base_url {
        dir.config.set_base_url(url);
    }
    let derived = derive::derive(&dir, now);
    phases.end("derive");
    let opts = render::RenderOptions {
        base_url: dir.config.base_url.clone(),
    };
    Ok(Prepared {
        dir,
        derived,
        theme,
        opts,
        diagnostics: diags.sorted(),
    })
}

/// Loads, checks, derives and renders `root` into memory, without writing.
/// Fails with every input error when the data cannot be trusted.
pub fn generate(
    root: &Path,
    now: DateTime<Utc>,
    base_url: Option<&str>,
    strict: bool,
) -> Result<Generated, Diagnostics> {
    let prepared = prepare(root, now, base_url, strict, &mut phases::Phases::start())?;
    let sink = Collect::default();
    prepared.produce_into(&sink)?;
    Ok(Generated {
        files: sink.into_files(),
        diagnostics: prepared.diagnostics,
    })
}

/// What `serve` keeps from one rebuild to the next, so that a notice edit
/// makes one site's share of the directory-wide files again instead of all
/// of them. Owned by `serve` and handed to [`produce`]; each stage sees only
/// its own part.
///
/// One rule decides what may be used again: a site's kept pieces are used
/// only when its page is not rendered again in this run (nothing about it
/// changed, see [`SiteReuse`]). On top of that, [`Store::forget`] drops the
/// page list when the set of sites may have changed, and everything when a
/// change is not one a store can follow (config, theme, a new day).
#[derive(Default)]
pub struct Store {
    render: render::Kept,
    publish: publish::KeptRecords,
}

/// What a change makes a [`Store`] forget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forget {
    /// A site file changed: which pages exist may have changed.
    PageList,
    /// Anything else: everything is made again.
    Everything,
}

impl Store {
    pub fn forget(&mut self, what: Forget) {
        match what {
            Forget::PageList => self.render.forget_pages(),
            Forget::Everything => *self = Store::default(),
        }
    }
}

/// Renders the pages and makes every other output whose path `wanted`
/// accepts, into `sink`, in parallel. With `store` (serve), pieces of sites
/// whose page is not wanted come from it, and what is made is kept in it.
/// With `editor`, the browser editor under `admin/` saving through that
/// backend (`[editor]` for build, serve's own local backend for serve).
/// Template errors are all returned; the sink may then hold part of the
/// output.
#[allow(clippy::too_many_arguments)]
pub fn produce(
    dir: &model::Directory,
    derived: &derive::Derived,
    theme: &render::Theme,
    opts: &render::RenderOptions,
    wanted: &Wanted,
    store: Option<&Store>,
    editor: Option<editor::Backend>,
    sink: &dyn Sink,
) -> Result<(), Diagnostics> {
    use rayon::prelude::*;
    let jobs = match store {
        Some(store) => store.render.jobs(dir, derived),
        None => std::sync::Arc::new(render::jobs(dir, derived)),
    };
    // Asked once per page: site pages also say which sites' pieces of the
    // directory-wide files may be reused.
    let wanted_pages: Vec<bool> = jobs.par_iter().map(|job| wanted(&job.path)).collect();
    let sites = store.map(|_| {
        let mut unchanged = vec![false; dir.sites.len()];
        for (job, wanted) in jobs.iter().zip(&wanted_pages) {
            if let Some(i) = job.site() {
                unchanged[i] = !wanted;
            }
        }
        SiteReuse::new(unchanged)
    });
    let reuse = store
        .zip(sites.as_ref())
        .map(|(store, sites)| publish::Reuse::new(&store.publish, sites));
    let reuse = reuse.as_ref();
    let base_url = &opts.base_url;
    let pages = || {
        render::pages(
            dir,
            derived,
            theme,
            opts,
            &jobs,
            &wanted_pages,
            store.map(|s| &s.render.notices),
            sink,
        )
    };
    // Four branches, so the longest chains (the exports, the search index)
    // start at once instead of after another branch.
    let other_files = || {
        rayon::join(
            || publish::exports(dir, derived, base_url, wanted, reuse, sink),
            || {
                rayon::join(
                    || publish::site_files(dir, derived, base_url, wanted, reuse, sink),
                    || {
                        let paths = jobs.iter().map(|job| job.path.as_str());
                        publish::data_files(dir, derived, base_url, wanted, reuse, paths, sink)
                    },
                );
                render::assets(theme, wanted, sink);
                // Asked for by its page: the form and its library go together.
                let editor_page = format!("{}/index.html", editor::FOLDER);
                if let Some(backend) = editor.filter(|_| wanted(&editor_page)) {
                    for f in editor::files(dir, theme, base_url, backend) {
                        sink.put(f);
                    }
                }
            },
        )
    };
    rayon::join(pages, other_files).0
}

/// `guichet build`: pages are written into a staging folder as they are
/// rendered, which is swapped into the output folder once complete.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    let mut phases = phases::Phases::start();
    let prepared = prepare(
        &opts.root,
        opts.now,
        opts.base_url.as_deref(),
        opts.strict,
        &mut phases,
    )
    .map_err(BuildError::Input)?;
    let out = opts.out.clone().unwrap_or_else(|| opts.root.join("public"));
    let io_error = |e: std::io::Error| BuildError::Io(format!("{}: {e}", out.display()));
    let staging = write::Staging::begin(&out).map_err(io_error)?;
    prepared.produce_into(&staging).map_err(BuildError::Input)?;
    phases.end("render and write");
    let stats = staging.commit().map_err(io_error)?;
    phases.end("swap");
    let Prepared {
        dir,
        derived,
        diagnostics,
        ..
    } = prepared;
    // Freeing a national directory's model takes a noticeable fraction of a
    // second that nobody needs to wait for: `guichet build` exits at once.
    std::thread::spawn(move || drop((dir, derived)));
    Ok(BuildReport {
        stats,
        diagnostics,
        elapsed: started.elapsed(),
        phases,
        out,
    })
}

/// `guichet check`: every input problem and charter finding.
pub fn check_directory(root: &Path, now: DateTime<Utc>) -> Diagnostics {
    let (dir, mut diags) = load::load(root);
    if let Err(d) = render::load_theme(root) {
        diags.extend(d);
    }
    diags.extend(check_loaded(&dir, now));
    diags.sorted()
}

/// The checks that need the whole loaded directory: references between
/// files, notices and each label's charter.
pub fn check_loaded(dir: &model::Directory, now: DateTime<Utc>) -> Diagnostics {
    let (mut diags, notices) = rayon::join(|| check_sites(dir, now), || check_notices(dir, now));
    diags.extend(notices);
    diags
}

/// The part of [`check_loaded`] that reads sites, labels and charters but
/// no notice, which `serve` keeps while only notices change.
pub fn check_sites(dir: &model::Directory, now: DateTime<Utc>) -> Diagnostics {
    let today = derive::local_date(now, dir.config.timezone);
    let (mut diags, charters) = rayon::join(
        || check::check_references(dir),
        || check::check_charters(dir, today),
    );
    diags.extend(charters);
    diags
}

/// The part of [`check_loaded`] that reads notices.
pub fn check_notices(dir: &model::Directory, now: DateTime<Utc>) -> Diagnostics {
    let today = derive::local_date(now, dir.config.timezone);
    let mut diags = check::check_notice_sites(dir);
    diags.extend(check::check_notices(dir, today));
    diags.extend(check::check_closure_notices(dir));
    diags
}

/// `guichet check --links`: Builds `root` in memory (or reads an existing output folder `out`) and
/// checks its links. `base_url` defaults to the one in guichet.toml.
/// Fails only when `out` cannot be read.
pub fn check_links(
    root: &Path,
    now: DateTime<Utc>,
    out: Option<&Path>,
    base_url: Option<&str>,
) -> Result<Diagnostics, String> {
    let mut config = crate::load::load_config(root, &mut Diagnostics::new());
    if let Some(url) = base_url {
        config.set_base_url(url);
    }
    let base = config.base_url;
    match out {
        Some(dir) => {
            let files =
                check::links::read_tree(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            if files.is_empty() {
                return Err(format!("{} holds no built site", dir.display()));
            }
            let label = format!("{}/", dir.display().to_string().trim_end_matches('/'));
            Ok(check::links::check_files(&files, &base, &label))
        }
        None => match generate(root, now, Some(&base), false) {
            Ok(generated) => Ok(check::links::check_files(&generated.files, &base, "")),
            Err(_) => {
                let mut d = Diagnostics::new();
                d.push(
                    crate::diagnostics::Diagnostic::warning(
                        "links-not-checked",
                        crate::diagnostics::Span::file("guichet.toml"),
                        "links were not checked: the directory does not build",
                    )
                    .help("fix the errors above, then check again"),
                );
                Ok(d)
            }
        },
    }
}
