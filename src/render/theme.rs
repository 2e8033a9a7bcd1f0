//! The theme: Tera templates and static assets, with directory overrides.

use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use crate::text::{escape_html, escape_into};
use std::path::{Path, PathBuf};

mod expand;
mod strings;
pub use strings::{Phrase, STRINGS_FILE, Strings};

/// Theme folder of the vendored Decap CMS bundle: static files of the theme
/// that are not assets of resident pages (the editor publishes them).
pub const EDITOR_VENDOR: &str = "static/vendor/decap-cms/";

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

/// Where a theme file comes from: the binary or the directory.
enum Origin {
    BuiltIn(&'static [u8]),
    Disk(PathBuf),
}

impl Origin {
    fn read(&self) -> std::io::Result<Vec<u8>> {
        match self {
            Origin::BuiltIn(bytes) => Ok(bytes.to_vec()),
            Origin::Disk(path) => std::fs::read(path),
        }
    }

    /// The file's name in messages.
    fn describe(&self, root: &Path, name: &str, folder: &str) -> String {
        match self {
            Origin::BuiltIn(_) => format!(
                "{}themes/default/{folder}/{name}",
                crate::reference::BUILT_IN
            ),
            Origin::Disk(path) => crate::files::rel(root, path),
        }
    }
}

/// The built-in theme's files under `folder` (`templates` or `static`), then
/// the directory's own theme folder, then its overrides: later files replace
/// earlier ones of the same name.
fn theme_files(
    root: &Path,
    folder: &str,
    diags: &mut Diagnostics,
) -> std::collections::BTreeMap<String, Origin> {
    let mut by_name = std::collections::BTreeMap::new();
    let prefix = format!("{folder}/");
    for (path, bytes) in crate::reference::theme_files() {
        if let Some(name) = path.strip_prefix(&prefix) {
            by_name.insert(name.to_string(), Origin::BuiltIn(bytes));
        }
    }
    let mut on_disk = Vec::new();
    let theme = root.join("themes/default").join(folder);
    files_under(root, &theme, "", &mut on_disk, diags);
    files_under(root, &root.join(folder), "", &mut on_disk, diags);
    for (name, path) in on_disk {
        by_name.insert(name, Origin::Disk(path));
    }
    by_name
}

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
    /// The words templates read with `t(key=…)`, shared with the pages
    /// written without Tera.
    pub strings: std::sync::Arc<Strings>,
    /// Each template's file, as messages name it, and its text.
    files: std::collections::BTreeMap<String, (String, String)>,
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
    if let Some(d) = crate::files::link_problem(root, dir) {
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
        if crate::files::is_editor_file(&p) {
            continue;
        }
        if entry.file_type().is_ok_and(|t| t.is_symlink())
            && let Some(d) = crate::files::link_problem(root, &p)
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
    /// The built-in theme, then `root/themes/default/`, then `root/templates/`
    /// and `root/static/` on top.
    pub fn load(root: &Path) -> Result<Theme, Diagnostics> {
        let mut diags = Diagnostics::new();
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(escape_html);
        tera.register_filter("linkify", linkify_filter);
        let strings = std::sync::Arc::new(Strings::load(root, &mut diags));
        tera.register_function("t", strings::Lookup(strings.clone()));
        let mut sources = Vec::new();
        let mut files = std::collections::BTreeMap::new();
        for (name, origin) in theme_files(root, "templates", &mut diags) {
            // Read above, key by key, not as a template.
            if Some(name.as_str()) == STRINGS_FILE.strip_prefix("templates/") {
                continue;
            }
            match origin.read().map(String::from_utf8) {
                Ok(Ok(s)) => {
                    files.insert(
                        name.clone(),
                        (origin.describe(root, &name, "templates"), s.clone()),
                    );
                    sources.push((name, s));
                }
                Ok(Err(_)) => diags.push(
                    Diagnostic::error(
                        "not-utf8",
                        Span::file(origin.describe(root, &name, "templates")),
                        "template is not valid UTF-8",
                    )
                    .help("save the file with UTF-8 encoding"),
                ),
                Err(e) => diags.push(Diagnostic::error(
                    "unreadable",
                    Span::file(origin.describe(root, &name, "templates")),
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
        let expanded: Vec<(&str, std::borrow::Cow<str>)> = sources
            .iter()
            .map(|(n, s)| (n.as_str(), strings.expand(s)))
            .collect();
        let added = tera
            .add_raw_templates(expanded.iter().map(|(n, s)| (*n, s.as_ref())))
            // Errors are located in the files as written.
            .or_else(|_| {
                tera.add_raw_templates(sources.iter().map(|(n, s)| (n.as_str(), s.as_str())))
            });
        if let Err(e) = added {
            let msg = super::error_chain(&e);
            // "Failed to parse 'site.html': --> 24:7 …": the file and the place.
            let name = msg
                .split("Failed to parse '")
                .nth(1)
                .and_then(|rest| rest.split('\'').next())
                .unwrap_or("");
            let span = locate(&files, name, &msg);
            diags.push(
                Diagnostic::error("template", span, msg)
                    .help("fix the template, or delete your override to use the theme's"),
            );
        }
        let mut assets = Vec::new();
        for (logical, origin) in theme_files(root, "static", &mut diags) {
            // Published under admin/ by the editor, and only when it is on.
            if logical.starts_with(EDITOR_VENDOR.trim_start_matches("static/")) {
                continue;
            }
            match origin.read() {
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
                    Span::file(origin.describe(root, &logical, "static")),
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
                strings,
                files,
            })
        } else {
            Err(diags)
        }
    }
}

/// `text` escaped for HTML, with its web addresses (`https://…`, `http://…`,
/// `www.…`) made links: notes copied from partners' documents often give
/// one. Trailing punctuation stays outside the link.
pub(crate) fn linkify(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    let mut rest = text;
    while let Some(start) = ["https://", "http://", "www."]
        .iter()
        .filter_map(|p| rest.find(p).map(|i| (i, *p)))
        .filter(|(i, _)| {
            *i == 0 || !rest[..*i].ends_with(|c: char| c.is_alphanumeric() || c == '/' || c == '.')
        })
        .min_by_key(|(i, _)| *i)
    {
        let (at, prefix) = start;
        escape_into(&mut out, &rest[..at]);
        let tail = &rest[at..];
        let end = tail
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '«' | '»'))
            .unwrap_or(tail.len());
        let url = tail[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', ')']);
        if url.len() <= prefix.len() {
            escape_into(&mut out, prefix);
            rest = &tail[prefix.len()..];
            continue;
        }
        let href = if prefix == "www." {
            format!("https://{url}")
        } else {
            url.to_string()
        };
        out.push_str("<a href=\"");
        escape_into(&mut out, &href);
        out.push_str("\">");
        escape_into(&mut out, url);
        out.push_str("</a>");
        rest = &tail[url.len()..];
    }
    escape_into(&mut out, rest);
    out
}

/// Tera filter `linkify`: see [`linkify`].
fn linkify_filter(
    value: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let text = tera::from_value::<String>(value.clone())?;
    Ok(tera::Value::String(linkify(&text)))
}

impl Theme {
    /// Where in template `name` the error `msg` is: the line and column a
    /// parse error gives, or the first use of the variable a render error
    /// names; the file's start otherwise.
    pub fn locate(&self, name: &str, msg: &str) -> Span {
        locate(&self.files, name, msg)
    }
}

fn locate(
    files: &std::collections::BTreeMap<String, (String, String)>,
    name: &str,
    msg: &str,
) -> Span {
    let Some((file, text)) = files.get(name) else {
        return Span::file(format!("templates/{name}"));
    };
    // Parse errors: " --> 24:7".
    if let Some(at) = msg.split(" --> ").nth(1) {
        let mut nums = at
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty());
        if let (Some(Ok(line)), Some(Ok(column))) = (
            nums.next().map(str::parse::<usize>),
            nums.next().map(str::parse::<usize>),
        ) {
            return Span {
                file: file.clone(),
                line,
                column,
            };
        }
    }
    // Render errors: "Variable `site.nmae` not found".
    if let Some(var) = msg
        .split("Variable `")
        .nth(1)
        .and_then(|rest| rest.split('`').next())
    {
        let mut from = 0;
        while let Some(i) = text[from..].find(var) {
            let at = from + i;
            let before = text[..at].chars().next_back();
            let after = text[at + var.len()..].chars().next();
            let word =
                |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.');
            // Inside a tag, and a whole name.
            if text[..at].rfind("{{").max(text[..at].rfind("{%"))
                > text[..at].rfind("}}").max(text[..at].rfind("%}"))
                && !word(before)
                && !word(after)
            {
                return Span::at(file.clone(), text, at);
            }
            from = at + var.len();
        }
    }
    Span::file(file.clone())
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

#[cfg(test)]
mod linkify_tests {
    use super::linkify;

    #[test]
    fn web_addresses_become_links_and_the_rest_stays_escaped() {
        assert_eq!(
            linkify("Voir https://caf.fr/rdv. Ou www.impots.gouv.fr, <b>"),
            "Voir <a href=\"https://caf.fr/rdv\">https://caf.fr/rdv</a>. Ou \
             <a href=\"https://www.impots.gouv.fr\">www.impots.gouv.fr</a>, &lt;b&gt;"
        );
        assert_eq!(
            linkify("javascript:alert(1) http:// x"),
            "javascript:alert(1) http:// x"
        );
        assert_eq!(
            linkify("(https://a.fr/x?q=1&r=\"2\")"),
            "(<a href=\"https://a.fr/x?q=1&amp;r=\">https://a.fr/x?q=1&amp;r=</a>&quot;2&quot;)"
        );
    }
}
