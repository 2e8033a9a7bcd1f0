//! The theme: Tera templates and static assets, with directory overrides.

use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use std::path::{Path, PathBuf};

/// A static file published with a content hash in its name, so hosts can
/// cache it forever and a new build is never served stale CSS or JS.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Name templates use: "style.css".
    pub logical: String,
    /// Published path: "assets/style.1a2b3c4d.css".
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Templates a theme may lack, built into the binary.
const BUILT_IN_TEMPLATES: &[(&str, &str)] =
    &[(super::pages::CARD_TEMPLATE, super::pages::SHIPPED_CARD)];

/// Templates and assets ready to use.
pub struct Theme {
    pub tera: tera::Tera,
    pub assets: Vec<Asset>,
    /// The site page's templates are the shipped ones, so site pages can be
    /// written without Tera (see `pages::site_html`).
    pub builtin_site_page: bool,
    /// `notices.html` is the shipped one, which joins the notices rendered
    /// one by one instead of looping over them.
    pub shipped_notices_page: bool,
    /// `card.html` is the shipped one, so cards can be written without Tera.
    pub shipped_card: bool,
}

/// The notices page as shipped.
const SHIPPED_NOTICES_PAGE: (&str, &str) = (
    "notices.html",
    include_str!("../../themes/default/templates/notices.html"),
);

/// FNV-1a, 64 bits: stable across Rust versions, unlike `DefaultHasher`.
pub fn content_hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{:08x}", h >> 32)
}

/// The files under `dir` with their names from `prefix`. A link that leads
/// out of `root` (or back to a folder holding it) is refused: a theme file
/// linking to `/etc/passwd` would be published.
fn files_under(
    root: &Path,
    dir: &Path,
    prefix: &str,
    out: &mut Vec<(String, PathBuf)>,
    diags: &mut Diagnostics,
) {
    if let Some(d) = crate::load::link_problem(root, dir) {
        diags.push(d);
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        let p = entry.path();
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if crate::load::is_editor_file(&p) {
            continue;
        }
        if entry.file_type().is_ok_and(|t| t.is_symlink())
            && let Some(d) = crate::load::link_problem(root, &p)
        {
            diags.push(d);
            continue;
        }
        if p.is_dir() {
            files_under(root, &p, &format!("{prefix}{name}/"), out, diags);
        } else {
            out.push((format!("{prefix}{name}"), p));
        }
    }
}

impl Theme {
    /// `root/themes/default/` then `root/templates/` and `root/static/` on top.
    pub fn load(root: &Path) -> Result<Theme, Diagnostics> {
        let mut diags = Diagnostics::new();
        let theme_dir = root.join("themes/default");
        let mut templates = Vec::new();
        files_under(
            root,
            &theme_dir.join("templates"),
            "",
            &mut templates,
            &mut diags,
        );
        files_under(
            root,
            &root.join("templates"),
            "",
            &mut templates,
            &mut diags,
        );
        if templates.is_empty() {
            diags.push(
                Diagnostic::error(
                    "no-theme",
                    Span::file("themes/default/templates"),
                    "no templates found",
                )
                .help("copy themes/default from the guichet repository into your directory"),
            );
            return Err(diags);
        }
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(escape_html);
        // Later entries (overrides) replace earlier ones of the same name.
        let mut by_name = std::collections::BTreeMap::new();
        for (name, path) in templates {
            by_name.insert(name, path);
        }
        let mut sources = Vec::new();
        // A theme copied from an older guichet lacks the templates added
        // since: the built-in ones stand in for them.
        for (name, text) in BUILT_IN_TEMPLATES {
            if !by_name.contains_key(*name) {
                sources.push((name.to_string(), text.to_string()));
            }
        }
        for (name, path) in &by_name {
            match std::fs::read_to_string(path) {
                Ok(s) => sources.push((name.clone(), s)),
                Err(e) => diags.push(Diagnostic::error(
                    "unreadable",
                    Span::file(crate::load::rel(root, path)),
                    e.to_string(),
                )),
            }
        }
        // Is template `name` the shipped `text`, byte for byte?
        let shipped = |name: &str, text: &str| sources.iter().any(|(n, s)| n == name && s == text);
        let builtin_site_page = super::pages::MIRRORED_TEMPLATES
            .iter()
            .all(|(name, text)| shipped(name, text));
        let shipped_notices_page = shipped(SHIPPED_NOTICES_PAGE.0, SHIPPED_NOTICES_PAGE.1);
        let shipped_card = shipped(super::pages::CARD_TEMPLATE, super::pages::SHIPPED_CARD);
        if builtin_site_page {
            let (name, text) = super::pages::CHROME_TEMPLATE;
            sources.push((name.to_owned(), text.to_owned()));
        }
        let (name, text) = super::pages::NOTICE_TEMPLATE;
        sources.push((name.to_owned(), text.to_owned()));
        if let Err(e) =
            tera.add_raw_templates(sources.iter().map(|(n, s)| (n.as_str(), s.as_str())))
        {
            let msg = super::error_chain(&e);
            diags.push(Diagnostic::error("template", Span::file("templates"), msg));
        }
        let mut statics = Vec::new();
        files_under(
            root,
            &theme_dir.join("static"),
            "",
            &mut statics,
            &mut diags,
        );
        files_under(root, &root.join("static"), "", &mut statics, &mut diags);
        let mut by_name = std::collections::BTreeMap::new();
        for (name, path) in statics {
            by_name.insert(name, path);
        }
        let mut assets = Vec::new();
        for (logical, path) in by_name {
            match std::fs::read(&path) {
                Ok(bytes) => {
                    let path = hashed_path(&logical, &bytes);
                    assets.push(Asset {
                        logical,
                        path,
                        bytes,
                    });
                }
                Err(e) => diags.push(Diagnostic::error(
                    "unreadable",
                    Span::file(crate::load::rel(root, &path)),
                    e.to_string(),
                )),
            }
        }
        if diags.is_empty() {
            Ok(Theme {
                tera,
                assets,
                builtin_site_page,
                shipped_notices_page,
                shipped_card,
            })
        } else {
            Err(diags)
        }
    }
}

/// Escapes what HTML needs escaped; unlike Tera's default, leaves `/` alone so
/// URLs stay readable in the source.
pub(crate) fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + input.len() / 16);
    escape_into(&mut out, input);
    out
}

/// [`escape_html`] appended to `out`, for pages built without Tera.
pub(crate) fn escape_into(out: &mut String, input: &str) {
    let bytes = input.as_bytes();
    let mut copied = 0;
    // The five characters are ASCII, so a byte scan never splits a
    // character, and runs of plain text are copied whole.
    for (i, b) in bytes.iter().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#x27;",
            _ => continue,
        };
        out.push_str(&input[copied..i]);
        out.push_str(entity);
        copied = i + 1;
    }
    out.push_str(&input[copied..]);
}

/// "css/style.css" → "assets/css/style.<hash>.css"; files that must keep their
/// name (favicon.ico, licence texts) are published as they are.
fn hashed_path(logical: &str, bytes: &[u8]) -> String {
    let hashable = [".css", ".js", ".svg", ".png", ".woff2"]
        .iter()
        .any(|e| logical.ends_with(e));
    if !hashable || logical == "favicon.svg" {
        return format!("assets/{logical}");
    }
    let (stem, ext) = logical.rsplit_once('.').unwrap_or((logical, ""));
    format!("assets/{stem}.{}.{ext}", content_hash(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escaping_covers_markup_and_quotes_only() {
        assert_eq!(
            escape_html("a <b> & \"c\" 'd' é/f"),
            "a &lt;b&gt; &amp; &quot;c&quot; &#x27;d&#x27; é/f"
        );
        assert_eq!(escape_html(""), "");
        assert_eq!(escape_html("<<"), "&lt;&lt;");
    }
}
