//! guichet: a static-site generator for directories of public-service access points.
//!
//! The pipeline is [`load`] → [`check`] → [`derive`] → [`render`] → [`write`];
//! each stage is a module with a narrow interface. [`build`] and
//! [`check_directory`] run them in order; `serve` reuses [`generate`].

pub mod check;
pub mod derive;
pub mod diagnostics;
pub mod editor;
pub mod hours;
pub mod import;
pub mod init;
pub mod load;
pub mod memo;
pub mod model;
pub mod new_notice;
pub mod phases;
pub mod publish;
pub mod reference;
pub mod render;
pub mod serve;
pub mod spreadsheet;
pub mod synth;
pub mod write;

pub use import::import;

use chrono::{DateTime, Utc};
use diagnostics::Diagnostics;
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
    pub files: Vec<render::OutputFile>,
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
    /// Renders everything into `sink`; template errors come with every
    /// earlier warning.
    fn render_into(&self, sink: &dyn render::Sink) -> Result<(), Diagnostics> {
        if let Some(settings) = &self.dir.config.editor {
            let backend = editor::Backend::Git(settings);
            for f in editor::files(&self.dir, &self.theme, &self.opts.base_url, backend) {
                sink.put(f);
            }
        }
        render::render_into(
            &self.dir,
            &self.derived,
            &self.theme,
            &self.opts,
            &|_| true,
            None,
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
        dir.config.base_url = url.to_string();
    }
    if !dir.config.base_url.ends_with('/') {
        dir.config.base_url.push('/');
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
    let sink = render::Collect::default();
    prepared.render_into(&sink)?;
    Ok(Generated {
        files: sink.into_files(),
        diagnostics: prepared.diagnostics,
    })
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
    prepared.render_into(&staging).map_err(BuildError::Input)?;
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
    let today = derive::local_date(now, &dir.config.timezone);
    let (mut diags, charters) = rayon::join(
        || check::check_references(dir),
        || check::check_charters(dir, today),
    );
    diags.extend(charters);
    diags
}

/// The part of [`check_loaded`] that reads notices.
pub fn check_notices(dir: &model::Directory, now: DateTime<Utc>) -> Diagnostics {
    let today = derive::local_date(now, &dir.config.timezone);
    let mut diags = check::check_notice_sites(dir);
    diags.extend(check::check_notices(dir, today));
    diags.extend(check::check_closure_notices(dir));
    diags
}
