//! The national reference built into the binary: the labels with their
//! charter rules, the services, the charter texts and the default theme.
//!
//! The sample directory at the root of the repository holds these files
//! (`data/labels.toml`, `data/services.toml`, `content/charters/`,
//! `themes/default/`); the binary embeds them, so a directory of one's own
//! needs nothing but its sites. A directory's own files add to or override
//! the built-in ones entry by entry: a label or service by its id, a charter
//! by its label, a template or static file by its name.

use std::path::Path;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/builtin.rs"));
}

/// How built-in files are named in messages, before their path.
pub const BUILT_IN: &str = "(built-in) ";

/// `data/labels.toml` as shipped.
pub const LABELS: &str = include_str!("../data/labels.toml");

/// `data/services.toml` as shipped.
pub const SERVICES: &str = include_str!("../data/services.toml");

/// The default theme's files, by path under `themes/default/`
/// (`templates/site.html`, `static/style.css`…), in path order.
pub fn theme_files() -> &'static [(&'static str, &'static [u8])] {
    embedded::THEME
}

/// The charter texts, by file name under `content/charters/`.
pub fn charter_files() -> &'static [(&'static str, &'static [u8])] {
    embedded::CHARTERS
}

/// The sample directory's free pages (about, accessibility, legal notice),
/// by file name under `content/pages/`: synthetic directories reuse them.
pub fn sample_pages() -> &'static [(&'static str, &'static [u8])] {
    embedded::SAMPLE_PAGES
}

/// The built-in text of the table file `rel` (`data/labels.toml` or
/// `data/services.toml`); empty for any other name.
pub fn table(rel: &str) -> &'static str {
    match rel {
        "data/labels.toml" => LABELS,
        "data/services.toml" => SERVICES,
        _ => "",
    }
}

/// One source of a table file such as `data/labels.toml`: its name in
/// messages and its text.
pub struct Source {
    pub file: String,
    pub text: String,
}

/// The built-in text of `rel` (`data/labels.toml` or `data/services.toml`),
/// then the directory's own file if it has one: later entries override
/// earlier ones of the same id. `Err` when the directory's file exists but
/// cannot be read.
pub fn table_sources(root: &Path, rel: &str) -> Result<Vec<Source>, std::io::Error> {
    let built_in = table(rel);
    let mut sources = vec![Source {
        file: format!("{BUILT_IN}{rel}"),
        text: built_in.to_string(),
    }];
    match std::fs::read_to_string(root.join(rel)) {
        Ok(text) => sources.push(Source {
            file: rel.to_string(),
            text,
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    Ok(sources)
}

/// Copies the shipped theme files named in `wanted` (all of them when empty)
/// into `root/templates/` and `root/static/`, where they override the
/// built-in ones, without overwriting a file already there. Returns the
/// paths written, relative to `root`.
pub fn eject(root: &Path, wanted: &[String]) -> Result<Vec<String>, String> {
    let mut chosen = Vec::new();
    for name in wanted {
        let name = name.trim_start_matches("themes/default/");
        let matches: Vec<_> = theme_files()
            .iter()
            .filter(|(path, _)| {
                *path == name
                    || path.rsplit('/').next() == Some(name)
                    || path.starts_with(&format!("{}/", name.trim_end_matches('/')))
            })
            .collect();
        if matches.is_empty() {
            let known: Vec<&str> = theme_files().iter().map(|(p, _)| *p).collect();
            return Err(format!(
                "no shipped theme file `{name}`; the theme has: {}",
                known.join(", ")
            ));
        }
        chosen.extend(matches);
    }
    if wanted.is_empty() {
        chosen.extend(theme_files().iter());
    }
    chosen.sort_by_key(|(p, _)| *p);
    chosen.dedup_by_key(|(p, _)| *p);
    // Nothing is written if any target exists: an eject is all or nothing.
    let existing: Vec<&str> = chosen
        .iter()
        .map(|(path, _)| *path)
        .filter(|path| root.join(path).exists())
        .collect();
    if !existing.is_empty() {
        return Err(format!(
            "{} already exist{}; remove {} first to get the shipped version again",
            existing.join(", "),
            if existing.len() == 1 { "s" } else { "" },
            if existing.len() == 1 { "it" } else { "them" },
        ));
    }
    let mut written = Vec::new();
    for (path, bytes) in chosen {
        // templates/x.html and static/y.css are where a directory's
        // overrides live.
        let target = root.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&target, bytes).map_err(|e| format!("{}: {e}", target.display()))?;
        written.push(path.to_string());
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_theme_and_charters_are_embedded() {
        let names: Vec<&str> = theme_files().iter().map(|(p, _)| *p).collect();
        for expected in [
            "templates/site.html",
            "templates/base.html",
            "static/style.css",
        ] {
            assert!(names.contains(&expected), "{names:?}");
        }
        let charters: Vec<&str> = charter_files().iter().map(|(p, _)| *p).collect();
        assert!(charters.contains(&"france-services.md"), "{charters:?}");
    }
}
