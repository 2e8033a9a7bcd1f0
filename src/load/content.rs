//! Markdown files with TOML front matter: notices, charters, pages.

use super::markdown;
use super::site::parse_hours;
use super::toml_reader::{self, Reader};
use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use crate::files::{read, rel};
use crate::model::{Notice, NoticeKind, Page};
use std::path::{Path, PathBuf};

/// Splits `+++\n<toml>\n+++\n<body>`: returns (toml start, toml, body).
pub fn split_front_matter(text: &str) -> Option<(usize, &str, &str)> {
    let text_start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[text_start..];
    let first = rest
        .strip_prefix("+++\r\n")
        .map(|_| 5)
        .or(rest.strip_prefix("+++\n").map(|_| 4))?;
    let start = text_start + first;
    let after = &text[start..];
    let mut offset = 0;
    for line in after.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            let toml = &after[..offset];
            let body = &after[offset + line.len()..];
            return Some((start, toml, body));
        }
        offset += line.len();
    }
    None
}

fn front_matter<'t>(
    file: &str,
    text: &'t str,
    diags: &mut Diagnostics,
) -> Option<(usize, &'t str, &'t str)> {
    let found = split_front_matter(text);
    if found.is_none() {
        let opened = text
            .trim_start_matches('\u{feff}')
            .lines()
            .next()
            .map(str::trim_end)
            == Some("+++");
        diags.push(if opened {
            Diagnostic::error(
                "unclosed-front-matter",
                Span::file(file),
                "the front matter opened here is never closed",
            )
            .help("add a line `+++` after the last field, before the text")
        } else {
            Diagnostic::error("no-front-matter", Span::file(file), "missing front matter").help(
                "start the file with a line `+++`, the fields in TOML, then another line `+++`",
            )
        });
    }
    found
}

/// Reports every problem of a Markdown body (unsafe addresses, nesting or
/// size a build cannot afford) at its position in the file. `body` is the
/// end of `text`.
fn check_body(file: &str, text: &str, body: &str, diags: &mut Diagnostics) {
    let start = text.len() - body.len();
    for (offset, problem) in markdown::scan(body) {
        diags.push(markdown::diagnostic(
            &problem,
            Span::at(file, text, start + offset),
        ));
    }
}

pub(super) fn load_notices(root: &Path, files: &[PathBuf], diags: &mut Diagnostics) -> Vec<Notice> {
    let mut notices = super::read_each(root, files, diags, load_notice);
    notices.sort_by(|a, b| (a.from, &a.file).cmp(&(b.from, &b.file)));
    notices
}

/// Reads one notice, reporting every problem. Returns `None` when it does
/// not say which site it concerns and from when; a notice with other
/// errors is returned, neutralised (see below), for the checks across files.
pub fn load_notice(file: &str, text: &str, diags: &mut Diagnostics) -> Option<Notice> {
    let (base, toml, body) = front_matter(file, text, diags)?;
    let doc = toml_reader::parse(file, text, base, toml, diags)?;
    let t = doc.get_ref();
    let top = Span::file(file);
    let mut r = Reader::new(file, text, base, diags);
    let before = r.diags.len();
    r.deny_unknown(
        t,
        &["site", "kind", "from", "to", "published", "title", "hours"],
        "a notice",
    );
    let site = r.required_string(t, "site", &top, "site = \"fontenay-aux-roses\"");
    let kind = match r.required_string(t, "kind", &top, "kind = \"closure\"") {
        Some((k, span)) => match NoticeKind::parse(&k) {
            Some(k) => Some(k),
            None => {
                r.diags.push(
                    Diagnostic::error("bad-value", span, format!("unknown notice kind `{k}`"))
                        .help("use \"closure\", \"hours\" or \"info\""),
                );
                None
            }
        },
        None => None,
    };
    let from = r.date(t, "from");
    if from.is_none() && !t.iter().any(|(k, _)| k.get_ref() == "from") {
        r.missing(top.clone(), "from", "from = 2026-12-24");
    }
    let to = r.date(t, "to");
    let published = r.date(t, "published").map(|(d, _)| d);
    let title = r.required_string(t, "title", &top, "title = \"Fermeture exceptionnelle\"");
    let hours_src = r.string(t, "hours");
    check_body(file, text, body, r.diags);
    let hours = hours_src
        .as_ref()
        .and_then(|(src, span)| parse_hours(&mut r, src, span, false));
    if kind == Some(NoticeKind::Hours) && hours_src.is_none() {
        r.missing(
            top.clone(),
            "hours",
            "hours = \"Mo-Fr 09:00-12:00\" (the temporary hours)",
        );
    }
    if let (Some((f, _)), Some((t_, span))) = (&from, &to)
        && t_ < f
    {
        r.diags.push(
            Diagnostic::error(
                "end-before-start",
                span.clone(),
                format!("notice ends ({t_}) before it starts ({f})"),
            )
            .help("`to` is the last day of the notice, inclusive; swap the dates?"),
        );
    }
    let failed = r
        .diags
        .iter()
        .skip(before)
        .any(|d| d.level == crate::diagnostics::Level::Error);
    // A notice with errors is still returned when its site and start are
    // known (its errors block the build), so that the checks across files
    // report an unknown site too: every problem of the file in one run. It
    // comes back as information only, on its first day, so that no
    // finding follows from the values found wrong.
    let (site, site_span) = site?;
    let (from, from_span) = from?;
    let to = to.map_or(from, |(d, _)| d);
    let (kind, to) = if failed {
        (NoticeKind::Info, from.max(to))
    } else {
        (kind?, to)
    };
    let id = file
        .rsplit('/')
        .next()
        .unwrap_or(file)
        .trim_end_matches(".md")
        .to_string();
    Some(Notice {
        id,
        site,
        kind,
        from,
        to,
        published,
        title: title.map(|(t, _)| t).unwrap_or_default(),
        markdown: body.to_string(),
        hours,
        hours_source: hours_src.map(|(s, _)| s),
        file: file.to_string(),
        site_span,
        from_span,
    })
}

pub(super) fn load_pages(root: &Path, files: &[PathBuf], diags: &mut Diagnostics) -> Vec<Page> {
    files
        .iter()
        .filter_map(|path| {
            let text = read(root, path, diags)?;
            let slug = path.file_stem()?.to_string_lossy().into_owned();
            parse_page(&rel(root, path), &text, slug, diags)
        })
        .collect()
}

/// The charter texts built into the binary, by label.
pub(super) fn built_in_charters(diags: &mut Diagnostics) -> Vec<Page> {
    crate::reference::charter_files()
        .iter()
        .filter_map(|(name, bytes)| {
            let text = std::str::from_utf8(bytes).ok()?;
            let slug = name.strip_suffix(".md")?.to_string();
            let file = format!("{}content/charters/{name}", crate::reference::BUILT_IN);
            parse_page(&file, text, slug, diags)
        })
        .collect()
}

/// One page or charter: front matter with a title, then Markdown.
fn parse_page(file: &str, text: &str, slug: String, diags: &mut Diagnostics) -> Option<Page> {
    let (base, toml, body) = front_matter(file, text, diags)?;
    let doc = toml_reader::parse(file, text, base, toml, diags)?;
    let t = doc.get_ref();
    let mut r = Reader::new(file, text, base, diags);
    r.deny_unknown(t, &["title", "label", "source", "description"], "a page");
    check_body(file, text, body, r.diags);
    let title = r
        .required_string(t, "title", &Span::file(file), "title = \"À propos\"")?
        .0;
    let source = r.string(t, "source").map(|(s, _)| s);
    Some(Page {
        slug,
        title,
        source,
        markdown: body.to_string(),
        file: file.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_positions_refer_to_the_file() {
        let text = "+++\nsite = \"x\"\n+++\nBody\n";
        let (base, toml, body) = split_front_matter(text).unwrap();
        assert_eq!(base, 4);
        assert_eq!(toml, "site = \"x\"\n");
        assert_eq!(body, "Body\n");
    }

    #[test]
    fn notice_errors_point_at_their_line() {
        let text = "+++\nsite = \"a\"\nkind = \"closure\"\nfrom = 2026-12-24\nto = 2026-12-20\ntitle = \"x\"\n+++\n";
        let mut d = Diagnostics::new();
        let n = load_notice("content/notices/n.md", text, &mut d).expect("site and start known");
        assert_eq!((n.kind, n.to), (NoticeKind::Info, n.from));
        let e = d.iter().next().unwrap();
        assert_eq!(
            (e.code, e.span.line, e.span.column),
            ("end-before-start", 5, 6)
        );
    }
}
