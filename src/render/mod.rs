//! Directory + derived facts → output files, pages rendered in parallel.
//!
//! Templates are Tera files from the theme; a directory overrides any of them
//! (or any static file) by putting one of the same name in `templates/` or
//! `static/` at its root.

pub mod fr;
pub mod markdown;
mod pages;
pub(crate) use pages::{Job, KeptNotices};
mod theme;

use crate::derive::Derived;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Directory;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

pub use pages::card_day_line;
pub use theme::Theme;

/// One file of the output tree.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Relative to the output root, `/` separators.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Options that change URLs, not content.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// Absolute URL the site is served under, ending with `/`.
    pub base_url: String,
}

/// Values every template sees.
#[derive(Serialize)]
struct Common<'a> {
    title: &'a str,
    description: &'a str,
    lang: &'a str,
    /// Path prefix for links ("/" or "/annuaire/").
    base: String,
    /// Absolute base URL for feeds, sitemap and canonical links.
    base_url: &'a str,
    /// Logical asset name → hashed URL.
    assets: &'a BTreeMap<String, String>,
    pages: Vec<(String, String)>,
    map_tiles: &'a str,
    map_attribution: &'a str,
    generated: String,
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

/// Renders, in memory and sorted by path, only the files whose output path
/// `wanted` accepts, for `serve`'s incremental rebuilds. The export
/// records of sites whose page is not wanted come from `kept`.
pub fn render_only(
    dir: &Directory,
    derived: &Derived,
    theme: &Theme,
    opts: &RenderOptions,
    wanted: &(dyn Fn(&str) -> bool + Sync),
    kept: &crate::publish::KeptRecords,
) -> Result<Vec<OutputFile>, Diagnostics> {
    let sink = Collect::default();
    render_into(dir, derived, theme, opts, wanted, Some(kept), &sink)?;
    Ok(sink.into_files())
}

/// Renders every file whose output path `wanted` accepts into `sink`,
/// pages and data files in parallel; with `kept`, export records of sites
/// whose page is not wanted are reused. Template errors are
/// all returned; the sink may then hold part of the output.
pub fn render_into(
    dir: &Directory,
    derived: &Derived,
    theme: &Theme,
    opts: &RenderOptions,
    wanted: &(dyn Fn(&str) -> bool + Sync),
    kept: Option<&crate::publish::KeptRecords>,
    sink: &dyn Sink,
) -> Result<(), Diagnostics> {
    let base = base_path(&opts.base_url);
    let assets: BTreeMap<String, String> = theme
        .assets
        .iter()
        .map(|a| (a.logical.clone(), format!("{base}{}", a.path)))
        .collect();
    let common = Common {
        title: &dir.config.title,
        description: &dir.config.description,
        lang: &dir.config.language,
        base,
        base_url: &opts.base_url,
        assets: &assets,
        pages: dir
            .pages
            .iter()
            .map(|p| (p.slug.clone(), p.title.clone()))
            .collect(),
        map_tiles: &dir.config.map.tiles,
        map_attribution: &dir.config.map.attribution,
        generated: fr::date(derived.today),
    };
    let cards = pages::Cards::new(dir, derived, theme, &common.base, kept.map(|k| &k.notices));
    let site_html = builtin_site_html(theme, &common, &dir.config.map);
    let common = tera::Context::from_serialize(&common).expect("common context serialises");
    let jobs = match kept {
        Some(kept) => kept.pages(|| pages::jobs(dir, derived)),
        None => std::sync::Arc::new(pages::jobs(dir, derived)),
    };
    // Asked once per page: site pages also say which sites' export records
    // and search rows may be reused.
    let wanted_pages: Vec<bool> = jobs.par_iter().map(|job| wanted(&job.path)).collect();
    let errors = std::sync::Mutex::new(Diagnostics::new());
    let render_pages = || {
        jobs.par_iter()
            .zip(&wanted_pages)
            .filter(|(_, wanted)| **wanted)
            .for_each(|(job, _)| {
                if let Some(html) = site_html
                    .as_ref()
                    .and_then(|h| job.builtin_site_page(dir, derived, h))
                {
                    return sink.put(OutputFile {
                        path: job.path.clone(),
                        bytes: html.into_bytes(),
                    });
                }
                let page = job
                    .context(dir, derived, &cards)
                    .map_err(|e| template_error(theme, pages::CARD_TEMPLATE, &e.0));
                let html = page.and_then(|page| {
                    let mut ctx = common.clone();
                    ctx.extend(page);
                    theme
                        .tera
                        .render(job.template, &ctx)
                        .map_err(|e| template_error(theme, job.template, &error_chain(&e)))
                });
                match html {
                    Ok(html) => sink.put(OutputFile {
                        path: job.path.clone(),
                        bytes: html.into_bytes(),
                    }),
                    Err(d) => {
                        // The same template error on every page is told once.
                        let mut errors = errors.lock().unwrap_or_else(|e| e.into_inner());
                        if !errors
                            .iter()
                            .any(|e| e.span == d.span && e.message == d.message)
                        {
                            errors.push(d);
                        }
                    }
                }
            });
    };
    let reuse = kept.map(|k| {
        let mut unchanged = vec![false; dir.sites.len()];
        for (job, wanted) in jobs.iter().zip(&wanted_pages) {
            if let Some(i) = job.site() {
                unchanged[i] = !wanted;
            }
        }
        crate::publish::Reuse::new(k, unchanged)
    });
    let reuse = reuse.as_ref();
    // Four branches, so the longest chains (the exports, the search index)
    // start at once instead of after another branch.
    let data_files = || {
        rayon::join(
            || crate::publish::exports(dir, derived, &opts.base_url, wanted, reuse, sink),
            || {
                rayon::join(
                    || {
                        crate::publish::site_files(
                            dir,
                            derived,
                            &opts.base_url,
                            wanted,
                            reuse,
                            sink,
                        )
                    },
                    || {
                        for f in
                            pages::data_files(dir, derived, &opts.base_url, wanted, reuse, &jobs)
                        {
                            sink.put(f);
                        }
                    },
                );
                for a in theme.assets.iter().filter(|a| wanted(&a.path)) {
                    sink.put(OutputFile {
                        path: a.path.clone(),
                        bytes: a.bytes.clone(),
                    });
                }
            },
        )
    };
    rayon::join(render_pages, data_files);
    let errors = errors.into_inner().unwrap_or_else(|e| e.into_inner());
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// The shared parts of site pages, when the theme lets them be written
/// without Tera; `None` sends site pages through their template.
fn builtin_site_html(
    theme: &Theme,
    common: &Common,
    map: &crate::model::MapConfig,
) -> Option<pages::SiteHtml> {
    if !theme.builtin_site_page {
        return None;
    }
    let mut ctx = tera::Context::from_serialize(common).ok()?;
    ctx.insert("page_title", pages::TITLE_MARK);
    let chrome = theme.tera.render(pages::CHROME_TEMPLATE.0, &ctx).ok()?;
    pages::SiteHtml::new(
        &chrome,
        &common.base,
        |name| common.assets.get(name).cloned(),
        &map.tiles,
        &map.attribution,
        &theme.strings,
    )
}

/// A Tera error with its causes, which say what actually went wrong.
pub(crate) fn error_chain(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}

fn template_error(theme: &Theme, template: &str, msg: &str) -> Diagnostic {
    // Tera names the template that failed last in the chain of causes.
    let name = msg
        .rsplit("while rendering '")
        .next()
        .filter(|_| msg.contains("while rendering '"))
        .and_then(|rest| rest.split('\'').next())
        .unwrap_or(template);
    Diagnostic::error("template", theme.locate(name, msg), msg)
        .help("fix the template, or delete your override to use the theme's")
}

/// Loads the theme for the directory at `root`.
pub fn load_theme(root: &Path) -> Result<Theme, Diagnostics> {
    Theme::load(root)
}
