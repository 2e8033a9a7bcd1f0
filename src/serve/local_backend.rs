//! The editor's local backend: Decap CMS's proxy protocol (the one its
//! `decap-server` package speaks), answered by `serve` itself, so the form
//! at `/admin/` edits the directory's files with nothing else installed.
//!
//! One endpoint, [`crate::editor::LOCAL_API`]: POST a JSON body
//! `{"action": …, "params": {…}}`. Saving a notice writes its file under
//! `content/notices/`; the watcher sees it like any other save, serve
//! rebuilds and open tabs reload.
//!
//! Only `content/notices/` and `content/pages/` are read or written (any
//! other path: 403). A request whose `Origin` is not serve's own address is
//! refused (403), and a write must carry one: a page of another site open in
//! the same browser cannot change the directory. A body that is not the
//! protocol gives 400 and writes nothing. A notice is stored in guichet's
//! own layout ([`crate::new_notice::notice_file`]), so a file saved from
//! the form is the file `guichet new notice` would have written.

use crate::diagnostics::{Diagnostics, Level};
use crate::editor::{NOTICES, PAGES};
use crate::new_notice::{NoticeFile, notice_file};
use serde::Deserialize;
use serde_json::{Value, json};
use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// Largest body accepted: a notice or page is a few kilobytes.
const MAX_BODY: u64 = 1 << 20;

/// What serve needs to answer the editor.
#[derive(Debug)]
pub struct LocalBackend {
    /// The directory, canonical.
    root: PathBuf,
    /// Origins allowed to call: serve's own address (and `localhost` for a
    /// loopback one).
    origins: Vec<String>,
}

/// A refused or failed request: status and the message Decap shows.
#[derive(Debug, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    pub message: String,
}

fn refuse(status: u16, message: impl Into<String>) -> Refusal {
    Refusal {
        status,
        message: message.into(),
    }
}

#[derive(Deserialize)]
struct Envelope {
    action: String,
    #[serde(default)]
    params: Value,
}

#[derive(Deserialize)]
struct Folder {
    folder: String,
    extension: String,
}

#[derive(Deserialize)]
struct FileRef {
    path: String,
    #[serde(default)]
    label: Option<String>,
}

#[derive(Deserialize)]
struct Files {
    files: Vec<FileRef>,
}

#[derive(Deserialize)]
struct DataFile {
    path: String,
    raw: String,
    #[serde(rename = "newPath", default)]
    new_path: Option<String>,
}

#[derive(Deserialize)]
struct Persist {
    #[serde(rename = "dataFiles", default)]
    data_files: Option<Vec<DataFile>>,
    #[serde(default)]
    entry: Option<DataFile>,
    #[serde(default)]
    assets: Vec<Value>,
}

#[derive(Deserialize)]
struct Paths {
    paths: Vec<String>,
}

#[derive(Deserialize)]
struct MediaFolder {
    #[serde(rename = "mediaFolder")]
    media_folder: String,
}

fn params<T: serde::de::DeserializeOwned>(action: &str, v: Value) -> Result<T, Refusal> {
    serde_json::from_value(v)
        .map_err(|e| refuse(400, format!("paramètres de `{action}` invalides : {e}")))
}

impl LocalBackend {
    /// A backend for the directory at `root` (canonical), called from pages
    /// served at `base_url` (`http://127.0.0.1:1111/`).
    pub fn new(root: &Path, base_url: &str) -> LocalBackend {
        let own = base_url.trim_end_matches('/').to_string();
        let mut origins = vec![own.clone()];
        if let Some(port) = own.strip_prefix("http://127.0.0.1:") {
            origins.push(format!("http://localhost:{port}"));
        }
        LocalBackend {
            root: root.to_path_buf(),
            origins,
        }
    }

    /// Answers one request of the protocol: the JSON to send back, or why not.
    pub fn answer(&self, origin: Option<&str>, body: &[u8]) -> Result<Value, Refusal> {
        match origin {
            Some(o) if !self.origins.iter().any(|own| own == o) => {
                return Err(refuse(
                    403,
                    format!(
                        "origine {o} refusée : seules les pages de ce serveur peuvent modifier l'annuaire"
                    ),
                ));
            }
            _ => {}
        }
        let envelope: Envelope = serde_json::from_slice(body)
            .map_err(|e| refuse(400, format!("requête illisible : {e}")))?;
        let action = envelope.action.as_str();
        let writes = matches!(
            action,
            "persistEntry" | "persistMedia" | "deleteFile" | "deleteFiles"
        );
        if writes && origin.is_none() {
            return Err(refuse(
                403,
                "modification refusée : la requête n'indique pas son origine",
            ));
        }
        let p = envelope.params;
        match action {
            "info" => Ok(json!({
                "repo": self.root.file_name().map(|n| n.to_string_lossy().into_owned()),
                "publish_modes": ["simple"],
                "type": "local_fs",
            })),
            "entriesByFolder" => {
                let Folder { folder, extension } = params(action, p)?;
                self.entries_by_folder(&folder, &extension)
            }
            "entriesByFiles" => {
                let Files { files } = params(action, p)?;
                let mut out = Vec::new();
                for f in files {
                    out.push(self.entry(&f.path, f.label)?);
                }
                Ok(Value::Array(out))
            }
            "getEntry" => {
                let FileRef { path, .. } = params(action, p)?;
                self.entry(&path, None)
            }
            "persistEntry" => self.persist(params(action, p)?),
            "deleteFile" => {
                let FileRef { path, .. } = params(action, p)?;
                self.delete(&[path])
            }
            "deleteFiles" => {
                let Paths { paths } = params(action, p)?;
                self.delete(&paths)
            }
            "getMedia" => {
                let MediaFolder { media_folder } = params(action, p)?;
                self.inside(&media_folder)?;
                // The collections insert no media: there is none to list.
                Ok(json!([]))
            }
            "getMediaFile" | "persistMedia" => Err(refuse(
                422,
                "les images ne sont pas prises en charge : les avis et les pages sont du texte",
            )),
            "getDeployPreview" => Ok(Value::Null),
            other => Err(refuse(
                422,
                format!(
                    "action `{other}` non prise en charge par guichet serve (publication directe seulement)"
                ),
            )),
        }
    }

    /// `rel` as a path under the directory, if it lies in one of the two
    /// folders the editor may touch.
    fn inside(&self, rel: &str) -> Result<PathBuf, Refusal> {
        let denied = || {
            refuse(
                403,
                format!("{rel} : l'éditeur ne lit et n'écrit que dans {NOTICES}/ et {PAGES}/"),
            )
        };
        if rel.contains(['\\', '\0']) {
            return Err(denied());
        }
        let path = Path::new(rel);
        if !path.components().all(|c| matches!(c, Component::Normal(_))) {
            return Err(denied());
        }
        let folder = [NOTICES, PAGES]
            .into_iter()
            .find(|f| path.starts_with(f))
            .ok_or_else(denied)?;
        // A link on the way (the folder itself, or a file in it) must not
        // lead out of the folder, nor out of the directory.
        let base = self.root.join(folder);
        let mut existing = self.root.join(path);
        while !existing.exists() {
            match existing.parent() {
                Some(p) if p.starts_with(&self.root) => existing = p.to_path_buf(),
                _ => break,
            }
        }
        let real = existing.canonicalize().map_err(|_| denied())?;
        let inside = match base.canonicalize() {
            Ok(real_base) => real_base.starts_with(&self.root) && real.starts_with(&real_base),
            // The folder is yet to be made: what exists of the path is above it.
            Err(_) => real.starts_with(&self.root),
        };
        if !inside {
            return Err(denied());
        }
        Ok(self.root.join(path))
    }

    /// A file the editor may write: a Markdown file directly in a folder.
    fn entry_file(&self, rel: &str) -> Result<PathBuf, Refusal> {
        let path = self.inside(rel)?;
        let parent = Path::new(rel).parent().and_then(Path::to_str);
        if !matches!(parent, Some(NOTICES | PAGES)) || !rel.ends_with(".md") {
            return Err(refuse(
                403,
                format!(
                    "{rel} : un avis ou une page est un fichier .md directement dans {NOTICES}/ ou {PAGES}/"
                ),
            ));
        }
        Ok(path)
    }

    fn entries_by_folder(&self, folder: &str, extension: &str) -> Result<Value, Refusal> {
        let dir = self.inside(folder.trim_end_matches('/'))?;
        let mut names: Vec<String> = match std::fs::read_dir(&dir) {
            Ok(entries) => entries
                .flatten()
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(&format!(".{extension}")))
                .filter(|n| !crate::files::is_editor_file(Path::new(n)))
                .collect(),
            Err(_) => Vec::new(),
        };
        names.sort();
        let folder = folder.trim_end_matches('/');
        let mut out = Vec::new();
        for n in names {
            out.push(self.entry(&format!("{folder}/{n}"), None)?);
        }
        Ok(Value::Array(out))
    }

    /// One file as Decap expects it: its text and an id that changes with it.
    fn entry(&self, rel: &str, label: Option<String>) -> Result<Value, Refusal> {
        let path = self.inside(rel)?;
        let (data, id) = match std::fs::read(&path) {
            Ok(bytes) => (
                Some(String::from_utf8_lossy(&bytes).into_owned()),
                Some(format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&bytes))),
            ),
            Err(_) => (None, None),
        };
        Ok(json!({ "data": data, "file": { "path": rel, "label": label, "id": id } }))
    }

    fn persist(&self, p: Persist) -> Result<Value, Refusal> {
        if !p.assets.is_empty() {
            return Err(refuse(
                422,
                "les images ne sont pas prises en charge : les avis et les pages sont du texte",
            ));
        }
        let files = match (p.data_files, p.entry) {
            (Some(files), _) if !files.is_empty() => files,
            (_, Some(entry)) => vec![entry],
            _ => {
                return Err(refuse(
                    400,
                    "paramètres de `persistEntry` invalides : aucun fichier",
                ));
            }
        };
        // Everything is checked before anything is written.
        let mut writes = Vec::new();
        for f in &files {
            let target = f.new_path.as_deref().unwrap_or(&f.path);
            let path = self.entry_file(target)?;
            let old = match &f.new_path {
                Some(_) => Some(self.entry_file(&f.path)?),
                None => None,
            };
            let text = if target.starts_with(&format!("{NOTICES}/")) {
                normalise_notice(target, &f.raw)?
            } else {
                check_page(target, &f.raw)?
            };
            writes.push((path, old, text));
        }
        for (path, old, text) in writes {
            write_atomically(&path, &text)
                .map_err(|e| refuse(500, format!("écriture impossible : {e}")))?;
            if let Some(old) = old.filter(|o| *o != path) {
                let _ = std::fs::remove_file(old);
            }
        }
        Ok(json!({ "message": "entry persisted" }))
    }

    fn delete(&self, paths: &[String]) -> Result<Value, Refusal> {
        if paths.is_empty() {
            return Err(refuse(400, "aucun fichier à supprimer"));
        }
        let checked: Vec<PathBuf> = paths
            .iter()
            .map(|p| self.entry_file(p))
            .collect::<Result<_, _>>()?;
        for path in checked {
            match std::fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(refuse(500, format!("suppression impossible : {e}"))),
            }
        }
        Ok(json!({ "message": format!("deleted files {}", paths.join(", ")) }))
    }
}

/// The notice Decap sends, read as `guichet` reads notices and written
/// back in guichet's own layout. Refused when the loader finds an error.
pub fn normalise_notice(rel: &str, raw: &str) -> Result<String, Refusal> {
    let mut diags = Diagnostics::new();
    let notice = crate::load::load_notice(rel, raw, &mut diags);
    let errors: Vec<String> = diags
        .iter()
        .filter(|d| d.level == Level::Error)
        .map(|d| d.message.clone())
        .collect();
    match notice {
        Some(n) if errors.is_empty() => Ok(notice_file(&NoticeFile {
            site: n.site,
            kind: n.kind,
            from: n.from,
            to: n.to,
            published: n.published,
            title: n.title,
            hours: n.hours_source,
            body: n.markdown,
        })),
        _ => Err(refuse(
            422,
            format!(
                "avis refusé, « guichet check » le refuserait aussi : {}",
                errors.join(" ; ")
            ),
        )),
    }
}

/// A free page must have the front matter `guichet` reads: a title at least.
fn check_page(rel: &str, raw: &str) -> Result<String, Refusal> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Front {
        title: String,
        label: Option<String>,
        source: Option<String>,
        description: Option<String>,
    }
    let bad = |why: String| refuse(422, format!("page refusée ({rel}) : {why}"));
    let (_, toml, _) = crate::load::split_front_matter(raw)
        .ok_or_else(|| bad("l'en-tête entre deux lignes +++ manque".into()))?;
    let front: Front = toml::from_str(toml).map_err(|e| bad(e.message().to_string()))?;
    if front.title.trim().is_empty() {
        return Err(bad("le titre est vide".into()));
    }
    Ok(raw.to_string())
}

/// Writes through a temporary file the watcher ignores, then renames it:
/// a rebuild never reads half a file.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    // The first notice of a directory makes its folder, as `new notice` does.
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.saving"));
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)
}

/// Reads a request and sends the answer.
pub fn respond(backend: Option<&LocalBackend>, mut request: tiny_http::Request) {
    let result = match backend {
        None => Err(refuse(503, "l'éditeur local n'est pas encore prêt")),
        Some(_) if *request.method() != tiny_http::Method::Post => {
            Err(refuse(405, "POST seulement"))
        }
        Some(b) => {
            let origin = request
                .headers()
                .iter()
                .find(|h| h.field.equiv("Origin"))
                .map(|h| h.value.as_str().to_string());
            let mut body = Vec::new();
            let read = request
                .as_reader()
                .take(MAX_BODY + 1)
                .read_to_end(&mut body);
            match read {
                Err(e) => Err(refuse(400, format!("requête illisible : {e}"))),
                Ok(_) if body.len() as u64 > MAX_BODY => Err(refuse(413, "requête trop grande")),
                Ok(_) => b.answer(origin.as_deref(), &body),
            }
        }
    };
    let (status, value) = match result {
        Ok(v) => (200, v),
        Err(r) => (r.status, json!({ "error": r.message })),
    };
    let body = serde_json::to_vec(&value).expect("JSON values serialise");
    let mut response = tiny_http::Response::from_data(body).with_status_code(status);
    for (k, v) in [
        ("Content-Type", "application/json"),
        ("Cache-Control", "no-store"),
    ] {
        if let Ok(h) = tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()) {
            response.add_header(h);
        }
    }
    let _ = request.respond(response);
}
