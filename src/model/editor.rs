//! The `[editor]` settings: which Git host the browser editor commits to.

use serde::Serialize;

/// The Git hosts Decap CMS can commit to on its own (no proxy server).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GitHost {
    Github,
    Gitlab,
    Gitea,
}

impl GitHost {
    /// The host named in `[editor] backend`.
    pub fn parse(s: &str) -> Option<GitHost> {
        match s {
            "github" => Some(GitHost::Github),
            "gitlab" => Some(GitHost::Gitlab),
            "gitea" => Some(GitHost::Gitea),
            _ => None,
        }
    }

    /// Decap's name for the backend.
    pub fn id(self) -> &'static str {
        match self {
            GitHost::Github => "github",
            GitHost::Gitlab => "gitlab",
            GitHost::Gitea => "gitea",
        }
    }
}

/// `[editor]`: present means the built site gets `/admin/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EditorSettings {
    pub backend: GitHost,
    /// `owner/name` on the host.
    pub repo: String,
    pub branch: String,
    /// API address of a self-hosted GitLab or of the Gitea instance.
    pub api_root: Option<String>,
    /// Address of the OAuth server (GitHub) or of the instance (GitLab, Gitea).
    pub base_url: Option<String>,
    /// OAuth application id (GitLab PKCE, Gitea).
    pub app_id: Option<String>,
    /// Changes go through review: each one becomes a branch and a pull or
    /// merge request (Decap's editorial workflow; GitHub and GitLab).
    pub review: bool,
}
