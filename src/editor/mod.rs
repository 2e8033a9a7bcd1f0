//! The browser editor at `/admin/`: Decap CMS on top of the directory's own
//! files, so commune staff publish a closure with a form instead of a
//! terminal.
//!
//! Everything the form knows comes from the loaded directory: the sites to
//! choose from, the notice kinds, and the charter rules it warns about
//! (`closure_notice_days` from `data/labels.toml`). `guichet check` stays the
//! authority; the form only refuses early what check would refuse.
//!
//! `guichet build` publishes the editor only when `guichet.toml` has an
//! `[editor]` section, committing to the Git host it names. `guichet serve`
//! always offers it, talking to serve's own local backend
//! (`serve::local_backend`) instead of a Git host.
//!
//! Decap rather than Sveltia CMS: Sveltia's local mode edits files through
//! the browser's File System Access API, which a headless browser cannot
//! drive; Decap's local mode is a small JSON API that serve answers itself.

pub use crate::model::{EditorSettings, GitHost};

use crate::model::{Directory, NoticeKind};
use crate::output::OutputFile;
use crate::render::Theme;
use chrono::NaiveDate;
use serde_json::{Value, json};

/// Output folder of the editor.
pub const FOLDER: &str = "admin";
/// Path of serve's local backend; under serve's own prefix, never a path
/// of the output.
pub const LOCAL_API: &str = "/__guichet/api/v1";
/// The folders the editor reads and writes, relative to the directory.
pub const NOTICES: &str = "content/notices";
pub const PAGES: &str = "content/pages";

/// Theme folder of the vendored Decap CMS bundle.
pub use crate::render::EDITOR_VENDOR as VENDOR;

/// The script that configures Decap for guichet.
const SCRIPT: &str = include_str!("editor.js");

/// Where the editor's changes go.
pub enum Backend<'a> {
    /// Commits to a Git host (`guichet build`).
    Git(&'a EditorSettings),
    /// `guichet serve`'s local backend; `today` is serve's build day, so a
    /// fixed clock (`--now`) gives the same default publication date.
    Local { today: NaiveDate },
}

/// The editor's files, under [`FOLDER`]: its page, its script and the
/// vendored library.
pub fn files(dir: &Directory, theme: &Theme, base_url: &str, backend: Backend) -> Vec<OutputFile> {
    let base = crate::output::base_path(base_url);
    let style = theme
        .assets
        .iter()
        .find(|a| a.logical == "style.css")
        .map(|a| format!("{base}{}", a.path));
    let data = json!({
        "config": decap_config(dir, base_url, &backend),
        "style": style,
        "today": match backend {
            Backend::Local { today } => Some(today.to_string()),
            Backend::Git(_) => None,
        },
        "rules": rules(dir),
    });
    let mut out = vec![
        OutputFile {
            path: format!("{FOLDER}/index.html"),
            bytes: page(&dir.config.title, &data).into_bytes(),
        },
        OutputFile {
            path: format!("{FOLDER}/editor.js"),
            bytes: SCRIPT.as_bytes().to_vec(),
        },
    ];
    for (path, bytes) in crate::reference::theme_files() {
        if let Some(name) = path.strip_prefix(VENDOR)
            && name != "README.md"
        {
            out.push(OutputFile {
                path: format!("{FOLDER}/decap-cms/{name}"),
                bytes: bytes.to_vec(),
            });
        }
    }
    out
}

/// The admin page. The configuration travels inside it as JSON (no YAML
/// file to parse, one request fewer); `<` is escaped so no string in it can
/// close the script element.
fn page(title: &str, data: &Value) -> String {
    let json = serde_json::to_string(data)
        .expect("JSON values serialise")
        .replace('<', "\\u003c");
    let title = tera::escape_html(title);
    format!(
        "<!doctype html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"robots\" content=\"noindex\">\n\
         <title>Éditeur des avis · {title}</title>\n</head>\n<body>\n\
         <script type=\"application/json\" id=\"guichet-editor\">{json}</script>\n\
         <script>window.CMS_MANUAL_INIT = true;</script>\n\
         <script src=\"decap-cms/decap-cms.js\"></script>\n\
         <script src=\"editor.js\"></script>\n\
         <noscript>L'éditeur des avis a besoin de JavaScript.</noscript>\n\
         </body>\n</html>\n"
    )
}

/// Decap's configuration, passed to `CMS.init`.
fn decap_config(dir: &Directory, base_url: &str, backend: &Backend) -> Value {
    let backend_config = match backend {
        Backend::Local { .. } => json!({
            "name": "proxy",
            "proxy_url": LOCAL_API,
            "branch": "main",
        }),
        Backend::Git(s) => {
            let mut b = json!({ "name": s.backend.id(), "repo": s.repo, "branch": s.branch });
            for (key, value) in [
                ("api_root", &s.api_root),
                ("base_url", &s.base_url),
                ("app_id", &s.app_id),
            ] {
                if let Some(v) = value {
                    b[key] = json!(v);
                }
            }
            if s.backend == GitHost::Gitlab && s.app_id.is_some() {
                b["auth_type"] = json!("pkce");
            }
            b
        }
    };
    let mut config = json!({
        "load_config_file": false,
        "locale": "fr",
        "backend": backend_config,
        "site_url": base_url,
        "display_url": base_url,
        // Required by Decap; the collections below insert no media.
        "media_folder": format!("{PAGES}/images"),
        "slug": { "encoding": "ascii", "clean_accents": true },
        "collections": [notices_collection(dir), pages_collection()],
    });
    if let Backend::Git(s) = backend
        && s.review
    {
        config["publish_mode"] = json!("editorial_workflow");
    }
    config
}

fn date_field(name: &str, label: &str, hint: &str) -> Value {
    json!({
        "name": name, "label": label, "widget": "datetime", "hint": hint,
        "date_format": "YYYY-MM-DD", "time_format": false, "format": "YYYY-MM-DD",
    })
}

/// Front matter fields in the order `guichet new notice` writes them.
fn notices_collection(dir: &Directory) -> Value {
    let sites: Vec<Value> = dir
        .sites
        .iter()
        .map(|s| {
            let place = format!("{} {}", s.address.postcode, s.address.commune);
            let label = if s.name.contains(&s.address.commune) || place.trim().is_empty() {
                s.name.clone()
            } else {
                format!("{} ({})", s.name, place.trim())
            };
            json!({ "label": label, "value": s.slug })
        })
        .collect();
    let kinds: Vec<Value> = [NoticeKind::Closure, NoticeKind::Hours, NoticeKind::Info]
        .iter()
        .map(|k| json!({ "label": k.french(), "value": k.id() }))
        .collect();
    let mut published = date_field(
        "published",
        "Publié le",
        "Le jour où l'avis est annoncé au public. Une fermeture se publie assez tôt : voir l'avertissement ci-dessous.",
    );
    published["default"] = json!("{{now}}");
    json!({
        "name": "notices",
        "label": "Avis",
        "label_singular": "avis",
        "description": "Fermetures exceptionnelles, horaires modifiés et informations affichés sur la page du lieu.",
        "folder": NOTICES,
        "extension": "md",
        "format": "toml-frontmatter",
        "create": true,
        "delete": true,
        "slug": "{{from}}-{{site}}",
        "identifier_field": "title",
        "summary": "{{title}}",
        "fields": [
            { "name": "site", "label": "Lieu", "widget": "select", "options": sites,
              "hint": "Tapez une partie du nom ou de la commune pour chercher." },
            { "name": "kind", "label": "Type d'avis", "widget": "select", "options": kinds,
              "default": NoticeKind::Closure.id() },
            date_field("from", "Premier jour", "Premier jour concerné."),
            date_field("to", "Dernier jour", "Dernier jour concerné, inclus : le même que le premier pour un seul jour."),
            published,
            { "name": "title", "label": "Titre", "widget": "string",
              "hint": "Court et clair, par exemple « Fermeture pour travaux »." },
            { "name": "hours", "label": "Horaires temporaires", "widget": "string", "required": false,
              "hint": "Seulement pour « Horaires modifiés ». Syntaxe OpenStreetMap : jours Mo Tu We Th Fr Sa Su, plages séparées par des virgules, règles par des points-virgules, par exemple « Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00 »." },
            { "name": "checks", "label": "Vérifications", "widget": "guichet-checks", "required": false },
            { "name": "body", "label": "Texte", "widget": "markdown", "editor_components": [],
              "hint": "Ce que les usagers doivent savoir : dates, réouverture, autre lieu ou service en ligne." },
        ],
    })
}

/// The free pages; the keys `guichet` reads from a page's front matter.
fn pages_collection() -> Value {
    json!({
        "name": "pages",
        "label": "Pages",
        "label_singular": "page",
        "description": "Pages libres du site : à propos, accessibilité, mentions légales.",
        "folder": PAGES,
        "extension": "md",
        "format": "toml-frontmatter",
        "create": true,
        "delete": true,
        "slug": "{{slug}}",
        "identifier_field": "title",
        "fields": [
            { "name": "title", "label": "Titre", "widget": "string" },
            { "name": "description", "label": "Description", "widget": "string", "required": false,
              "hint": "Une phrase, pour les moteurs de recherche." },
            { "name": "body", "label": "Texte", "widget": "markdown", "editor_components": [] },
        ],
    })
}

/// The charter rules the form warns about, from the labels as loaded
/// (`data/labels.toml` over the built-in ones): each label's minimum notice
/// for a closure, and each site's label.
fn rules(dir: &Directory) -> Value {
    let labels: serde_json::Map<String, Value> = dir
        .labels
        .values()
        .filter_map(|l| {
            let days = l.rules.closure_notice_days?;
            let cite = l.rules.cite.get("closure_notice_days");
            Some((
                l.id.clone(),
                json!({ "name": l.name, "closure_notice_days": days, "cite": cite }),
            ))
        })
        .collect();
    let sites: serde_json::Map<String, Value> = dir
        .sites
        .iter()
        .filter(|s| labels.contains_key(&s.label))
        .map(|s| (s.slug.clone(), json!(s.label)))
        .collect();
    json!({ "labels": labels, "site_labels": sites })
}

#[cfg(test)]
mod tests;
