//! `guichet new notice`: writes a notice file for an editor to complete.
//!
//! One command and one edit: the file gets its conventional name
//! (`content/notices/<from>-<site>.md`), front matter the loader accepts, and a
//! short French text that is already publishable as it stands.

use crate::diagnostics::{Diagnostics, did_you_mean};
use crate::model::{NoticeKind, Site};
use crate::render::fr;
use chrono::{DateTime, NaiveDate, Utc};
use std::fmt;
use std::io::Write;
use std::path::PathBuf;

/// What to create.
#[derive(Debug, Clone)]
pub struct NewNotice {
    /// Directory holding guichet.toml.
    pub root: PathBuf,
    /// Site slug (file name in data/sites/).
    pub site: String,
    pub kind: NoticeKind,
    pub from: NaiveDate,
    /// Last day, inclusive; defaults to `from`.
    pub to: Option<NaiveDate>,
    /// The clock: `published` is today in the site's time zone.
    pub now: DateTime<Utc>,
}

/// A notice written to disk.
#[derive(Debug)]
pub struct Created {
    /// Relative to the root, `/` separators.
    pub path: String,
    /// What `guichet check` says about the new file (a late France services
    /// closure, an overlap…), so the editor learns it before publishing.
    pub diagnostics: Diagnostics,
}

/// Why nothing was written.
#[derive(Debug)]
pub enum NewNoticeError {
    UnknownSite {
        site: String,
        suggestion: Option<String>,
    },
    /// A notice with that name exists: it is never overwritten.
    Exists(String),
    /// Dates that cannot make a notice.
    Usage(String),
    Io(String),
}

impl NewNoticeError {
    /// 1 for problems with what the editor asked, 2 for usage and I/O errors.
    pub fn exit_code(&self) -> u8 {
        match self {
            NewNoticeError::UnknownSite { .. } | NewNoticeError::Exists(_) => 1,
            NewNoticeError::Usage(_) | NewNoticeError::Io(_) => 2,
        }
    }
}

impl fmt::Display for NewNoticeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NewNoticeError::UnknownSite { site, suggestion } => {
                write!(f, "unknown site `{site}`")?;
                match suggestion {
                    Some(s) => write!(f, "\n  help: did you mean `{s}`?"),
                    None => write!(
                        f,
                        "\n  help: a site is the name of its file in data/sites/, without .toml"
                    ),
                }
            }
            NewNoticeError::Exists(path) => write!(
                f,
                "{path} already exists and was left untouched\n  help: edit it, or delete it first to start again"
            ),
            NewNoticeError::Usage(m) | NewNoticeError::Io(m) => f.write_str(m),
        }
    }
}

/// Writes the notice file and reports what `check` says about it.
pub fn create(opts: &NewNotice) -> Result<Created, NewNoticeError> {
    let to = opts.to.unwrap_or(opts.from);
    if to < opts.from {
        return Err(NewNoticeError::Usage(format!(
            "--to {to} is before --from {}: --to is the last day of the notice, inclusive",
            opts.from
        )));
    }
    if !opts.root.join("data/sites").is_dir() {
        return Err(NewNoticeError::Usage(format!(
            "{} has no data/sites/ folder: pass --root, the directory holding guichet.toml",
            opts.root.display()
        )));
    }
    let (dir, _) = crate::load::load(&opts.root);
    let Some(site) = dir.site(&opts.site) else {
        return Err(NewNoticeError::UnknownSite {
            site: opts.site.clone(),
            suggestion: did_you_mean(&opts.site, dir.sites.iter().map(|s| s.slug.as_str()))
                .map(str::to_string),
        });
    };
    let today = crate::derive::local_date(opts.now, site.timezone);
    let rel = format!("content/notices/{}-{}.md", opts.from, site.slug);
    let path = opts.root.join(&rel);
    let text = notice_text(site, opts.kind, opts.from, to, today);
    std::fs::create_dir_all(path.parent().expect("a file under content/notices"))
        .map_err(|e| NewNoticeError::Io(format!("cannot create content/notices/: {e}")))?;
    // `create_new` fails if the file exists, even if it appeared a moment ago.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => NewNoticeError::Exists(rel.clone()),
            _ => NewNoticeError::Io(format!("cannot write {rel}: {e}")),
        })?;
    file.write_all(text.as_bytes())
        .map_err(|e| NewNoticeError::Io(format!("cannot write {rel}: {e}")))?;
    let mut diagnostics = Diagnostics::new();
    for d in crate::check_directory(&opts.root, opts.now).iter() {
        if d.span.file == rel {
            diagnostics.push(d.clone());
        }
    }
    Ok(Created {
        path: rel,
        diagnostics,
    })
}

/// A TOML basic string. JSON's string escapes are all valid TOML escapes.
fn toml_string(s: &str) -> String {
    serde_json::to_string(s).expect("strings serialise")
}

/// The fields of a notice file, as its front matter holds them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeFile {
    pub site: String,
    pub kind: NoticeKind,
    pub from: NaiveDate,
    /// Inclusive.
    pub to: NaiveDate,
    pub published: Option<NaiveDate>,
    pub title: String,
    /// Temporary hours, OpenStreetMap syntax.
    pub hours: Option<String>,
    /// Markdown, after the closing `+++` line.
    pub body: String,
}

/// The one layout of a notice file: the command and the browser editor
/// (through `serve`'s local backend) both write it, so a file does not tell
/// which of them, or which person by hand, wrote it. Dates are TOML dates,
/// keys in the order the README documents, the body ends with a newline.
pub fn notice_file(n: &NoticeFile) -> String {
    let mut out = String::from("+++\n");
    out.push_str(&format!("site = {}\n", toml_string(&n.site)));
    out.push_str(&format!("kind = {}\n", toml_string(n.kind.id())));
    out.push_str(&format!("from = {}\n", n.from));
    out.push_str(&format!("to = {}\n", n.to));
    if let Some(published) = n.published {
        out.push_str(&format!("published = {published}\n"));
    }
    out.push_str(&format!("title = {}\n", toml_string(&n.title)));
    if let Some(hours) = &n.hours {
        out.push_str(&format!("hours = {}\n", toml_string(hours)));
    }
    out.push_str("+++\n");
    let body = n.body.trim_start_matches(['\r', '\n']).trim_end();
    if !body.is_empty() {
        out.push_str(body);
        out.push('\n');
    }
    out
}

/// The whole file: front matter, then a French text residents can read as
/// is. Temporary hours start as the usual ones, for the editor to change.
pub fn notice_text(
    site: &Site,
    kind: NoticeKind,
    from: NaiveDate,
    to: NaiveDate,
    published: NaiveDate,
) -> String {
    let when = fr::range(from, to);
    let body = match kind {
        NoticeKind::Closure => format!(
            "**Fermeture exceptionnelle {when}** : {} n'accueillera pas le public.\n\nL'accueil reprendra ensuite aux horaires habituels.\n",
            site.name
        ),
        NoticeKind::Hours => format!(
            "**Horaires modifiés {when}** : {} vous accueille à des horaires temporaires.\n\nLes horaires habituels reprendront ensuite.\n",
            site.name
        ),
        NoticeKind::Info => format!("Information valable {when}.\n"),
    };
    notice_file(&NoticeFile {
        site: site.slug.clone(),
        kind,
        from,
        to,
        published: Some(published),
        title: kind.french().to_string(),
        hours: (kind == NoticeKind::Hours).then(|| site.hours_source.clone().unwrap_or_default()),
        body,
    })
}
