//! Reading the `[editor]` section of `guichet.toml`: which Git host the
//! browser editor commits to.

use crate::diagnostics::{Diagnostic, Span};
use crate::load::toml_reader::{Reader, Table};
use crate::model::{EditorSettings, GitHost};

const KEYS: [&str; 7] = [
    "backend", "repo", "branch", "api_root", "base_url", "app_id", "review",
];

/// Reads `[editor]` (at `span`), reporting every problem; `None` when it
/// cannot describe a repository.
pub fn read(r: &mut Reader, t: &Table<'_>, span: &Span) -> Option<EditorSettings> {
    r.deny_unknown(t, &KEYS, "[editor]");
    let backend = match r.required_string(t, "backend", span, "backend = \"github\"") {
        Some((b, at)) => match GitHost::parse(&b) {
            Some(host) => Some(host),
            None => {
                r.diags.push(
                    Diagnostic::error("bad-value", at, format!("unknown editor backend `{b}`"))
                        .help("use \"github\", \"gitlab\" or \"gitea\""),
                );
                None
            }
        },
        None => None,
    };
    let repo = match r.required_string(t, "repo", span, "repo = \"caf-92/annuaire\"") {
        Some((repo, at)) if !valid_repo(&repo) => {
            r.diags.push(
                Diagnostic::error(
                    "bad-value",
                    at,
                    format!("`{repo}` is not a repository name"),
                )
                .help("write the owner (or group) and the name, e.g. repo = \"caf-92/annuaire\""),
            );
            None
        }
        found => found.map(|(s, _)| s),
    };
    let branch = r
        .string(t, "branch")
        .map_or_else(|| "main".to_string(), |(s, _)| s);
    let url = |r: &mut Reader, key: &str| {
        let (v, at) = r.string(t, key)?;
        if v.starts_with("https://") || v.starts_with("http://") {
            Some(v)
        } else {
            r.diags.push(
                Diagnostic::error("bad-url", at, format!("`{key}` must be a web address")).help(
                    format!("write it in full, e.g. {key} = \"https://git.exemple.fr\""),
                ),
            );
            None
        }
    };
    let api_root = url(r, "api_root");
    let base_url = url(r, "base_url");
    let app_id = r.string(t, "app_id").map(|(s, _)| s);
    let review = r.bool(t, "review").unwrap_or(false);
    if review && backend == Some(GitHost::Gitea) {
        r.diags.push(
            Diagnostic::error(
                "bad-value",
                span.clone(),
                "the editor cannot review changes on Gitea",
            )
            .help("remove `review = true`, and protect the branch on Gitea instead"),
        );
    }
    Some(EditorSettings {
        backend: backend?,
        repo: repo?,
        branch,
        api_root,
        base_url,
        app_id,
        review,
    })
}

/// `owner/name`, GitLab groups allowed (`group/sub/name`).
fn valid_repo(repo: &str) -> bool {
    let parts: Vec<&str> = repo.split('/').collect();
    parts.len() >= 2
        && parts.iter().all(|p| {
            !p.is_empty()
                && *p != "."
                && *p != ".."
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Diagnostics;

    fn read_str(text: &str) -> (Option<EditorSettings>, Diagnostics) {
        let mut diags = Diagnostics::new();
        let doc = crate::load::toml_reader::parse("guichet.toml", text, 0, text, &mut diags)
            .expect("valid TOML");
        let mut r = Reader::new("guichet.toml", text, 0, &mut diags);
        let (t, span) = r.table(doc.get_ref(), "editor").expect("[editor]");
        let found = read(&mut r, t, &span);
        (found, diags)
    }

    #[test]
    fn a_repository_on_each_host() {
        let (s, d) = read_str(
            "[editor]\nbackend = \"gitea\"\nrepo = \"caf/annuaire\"\napi_root = \"https://git.exemple.fr/api/v1\"\n",
        );
        assert!(d.is_empty(), "{}", d.to_text());
        let s = s.unwrap();
        assert_eq!((s.backend, s.branch.as_str()), (GitHost::Gitea, "main"));
        assert_eq!(s.api_root.as_deref(), Some("https://git.exemple.fr/api/v1"));
    }

    #[test]
    fn every_problem_is_reported() {
        let (s, d) = read_str(
            "[editor]\nbackend = \"svn\"\nrepo = \"../etc\"\nbase_url = \"ftp://x\"\nbranche = \"main\"\n",
        );
        assert!(s.is_none());
        let codes: Vec<&str> = d.iter().map(|d| d.code).collect();
        assert_eq!(
            codes,
            ["unknown-field", "bad-value", "bad-value", "bad-url"],
            "{}",
            d.to_text()
        );
    }
}
