//! Directory + derived facts → HTML pages, rendered in parallel, and the
//! theme's assets. Every other output is made in `publish`.
//!
//! Templates are Tera files from the theme; a directory overrides any of them
//! (or any static file) by putting one of the same name in `templates/` or
//! `static/` at its root.

pub mod fr;
pub mod markdown;
mod pages;
pub use pages::{Job, KeptNotices};
mod theme;

use crate::derive::Derived;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Directory;
use crate::output::{OutputFile, Sink, Wanted, base_path};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

pub use pages::card_day_line;
pub use theme::{EDITOR_VENDOR, Theme};

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

/// What `serve` keeps of rendering between rebuilds: the page list (which
/// changes with the sites, not with notices) and the notices page's items.
#[derive(Default)]
pub struct Kept {
    pub(crate) notices: KeptNotices,
    pages: std::sync::Mutex<Option<std::sync::Arc<Vec<Job>>>>,
}

impl Kept {
    /// The kept page list, else the one [`jobs`] makes, kept.
    pub fn jobs(&self, dir: &Directory, d: &Derived) -> std::sync::Arc<Vec<Job>> {
        let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        pages
            .get_or_insert_with(|| std::sync::Arc::new(jobs(dir, d)))
            .clone()
    }

    /// A site file changed: which pages exist may have changed.
    pub fn forget_pages(&mut self) {
        *self.pages.get_mut().unwrap_or_else(|e| e.into_inner()) = None;
    }
}

/// Every page of the directory, in a stable order.
pub fn jobs(dir: &Directory, d: &Derived) -> Vec<Job> {
    pages::jobs(dir, d)
}

/// Renders the pages of `jobs` for which `wanted_pages` is true into `sink`,
/// in parallel. With `kept_notices` (serve), the notices page reuses the
/// items of notices that did not change. Template errors are all returned
/// (each once); the sink may then hold part of the output.
#[allow(clippy::too_many_arguments)]
pub fn pages(
    dir: &Directory,
    derived: &Derived,
    theme: &Theme,
    opts: &RenderOptions,
    jobs: &[Job],
    wanted_pages: &[bool],
    kept_notices: Option<&KeptNotices>,
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
    let cards = pages::Cards::new(dir, derived, theme, &common.base, kept_notices);
    let site_html = builtin_site_html(theme, &common, &dir.config.map);
    let common = tera::Context::from_serialize(&common).expect("common context serialises");
    let errors = std::sync::Mutex::new(Diagnostics::new());
    jobs.par_iter()
        .zip(wanted_pages)
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
    let errors = errors.into_inner().unwrap_or_else(|e| e.into_inner());
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// The theme's static files (CSS, scripts, images) that `wanted` accepts.
pub fn assets(theme: &Theme, wanted: &Wanted, sink: &dyn Sink) {
    for a in theme.assets.iter().filter(|a| wanted(&a.path)) {
        sink.put(OutputFile {
            path: a.path.clone(),
            bytes: a.bytes.clone(),
        });
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
