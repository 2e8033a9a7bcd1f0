//! Directory + derived facts → output files, pages rendered in parallel.
//!
//! Templates are Tera files from the theme; a directory overrides any of them
//! (or any static file) by putting one of the same name in `templates/` or
//! `static/` at its root.

pub mod fr;
pub mod markdown;
mod pages;
mod theme;

use crate::derive::Derived;
use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use crate::model::Directory;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

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

/// Renders every page and data file.
pub fn render(
    dir: &Directory,
    derived: &Derived,
    theme: &Theme,
    opts: &RenderOptions,
) -> Result<Vec<OutputFile>, Diagnostics> {
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
    let common = tera::Context::from_serialize(&common).expect("common context serialises");
    let jobs = pages::jobs(dir, derived);
    // Data files and feeds are built beside the pages rather than after
    // them: both serialise whole-directory listings, which would otherwise
    // leave a core idle at the end of the build.
    let render_pages = || -> Vec<Result<OutputFile, Diagnostic>> {
        jobs.par_iter()
            .map(|job| {
                let mut ctx = common.clone();
                ctx.extend(job.context(dir, derived, &common));
                theme
                    .tera
                    .render(job.template, &ctx)
                    .map(|html| OutputFile {
                        path: job.path.clone(),
                        bytes: html.into_bytes(),
                    })
                    .map_err(|e| template_error(job.template, &e))
            })
            .collect()
    };
    let other_files = || {
        let (mut data, published) = rayon::join(
            || pages::data_files(dir, derived, &opts.base_url),
            || crate::publish::files(dir, derived, &opts.base_url),
        );
        data.extend(published);
        data
    };
    let (rendered, other) = rayon::join(render_pages, other_files);
    let mut files = Vec::with_capacity(rendered.len() + theme.assets.len() + 8);
    let mut diags = Diagnostics::new();
    for r in rendered {
        match r {
            Ok(f) => files.push(f),
            Err(d) => diags.push(d),
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    files.extend(theme.assets.iter().map(|a| OutputFile {
        path: a.path.clone(),
        bytes: a.bytes.clone(),
    }));
    files.extend(other);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

fn template_error(template: &str, e: &tera::Error) -> Diagnostic {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    Diagnostic::error("template", Span::file(format!("templates/{template}")), msg)
        .help("fix the template, or delete your override to use the theme's")
}

/// Loads the theme for the directory at `root`.
pub fn load_theme(root: &Path) -> Result<Theme, Diagnostics> {
    Theme::load(root)
}
