//! Problems found in the inputs, with where they are and how to fix them.
//!
//! Every stage reports into a [`Diagnostics`] list instead of returning at the
//! first problem, so one run shows an editor everything that needs fixing.

use serde::Serialize;
use std::fmt;

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Blocks `build` (input errors) or fails `check` (charter findings).
    Error,
    /// Printed, never blocking.
    Warning,
    /// Worth knowing, nothing to fix.
    Info,
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Info => "info",
        })
    }
}

/// Whether a problem makes the inputs untrustworthy or only breaks a charter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Unreadable file, bad syntax, unknown reference: `build` refuses to publish.
    Input,
    /// A label's charter is not met: `check` fails, `build` publishes and prints it.
    Charter,
}

/// A position in an input file: 1-based line and column (in characters).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    /// Path relative to the directory root, with `/` separators.
    pub file: String,
    pub line: usize,
    pub column: usize,
}

impl Span {
    /// The start of a file, for problems that concern it as a whole.
    pub fn file(file: impl Into<String>) -> Span {
        Span {
            file: file.into(),
            line: 1,
            column: 1,
        }
    }

    /// The position of byte `offset` in `text`.
    pub fn at(file: impl Into<String>, text: &str, offset: usize) -> Span {
        let (line, column) = line_column(text, offset);
        Span {
            file: file.into(),
            line,
            column,
        }
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// 1-based line and character column of byte `offset` in `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// One problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub level: Level,
    pub kind: Kind,
    /// Stable identifier, e.g. `unknown-label`, for scripts and docs.
    pub code: &'static str,
    pub span: Span,
    pub message: String,
    /// How to fix it, when we can tell.
    pub help: Option<String>,
    /// The rule broken, for charter findings.
    pub rule: Option<String>,
    /// The document the rule comes from.
    pub source: Option<String>,
}

impl Diagnostic {
    /// An input error.
    pub fn error(code: &'static str, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            level: Level::Error,
            kind: Kind::Input,
            code,
            span,
            message: message.into(),
            help: None,
            rule: None,
            source: None,
        }
    }

    /// An input warning.
    pub fn warning(code: &'static str, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            level: Level::Warning,
            ..Diagnostic::error(code, span, message)
        }
    }

    /// Adds a suggestion.
    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Marks it as a charter finding with the rule and its source document.
    pub fn charter(mut self, rule: impl Into<String>, source: impl Into<String>) -> Diagnostic {
        self.kind = Kind::Charter;
        self.rule = Some(rule.into());
        self.source = Some(source.into());
        self
    }

    /// Sets the level.
    pub fn with_level(mut self, level: Level) -> Diagnostic {
        self.level = level;
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.span, self.level, self.message)?;
        match (&self.rule, &self.source) {
            (Some(rule), Some(source)) => write!(f, " [{rule}, {source}]")?,
            (Some(rule), None) => write!(f, " [{rule}]")?,
            _ => {}
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// Every problem found in one run.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Diagnostics {
        Diagnostics::default()
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Input errors: the data cannot be trusted.
    pub fn has_input_errors(&self) -> bool {
        self.items
            .iter()
            .any(|d| d.level == Level::Error && d.kind == Kind::Input)
    }

    /// Any error, input or charter.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.level == Level::Error)
    }

    /// Sorted by file, line, column so output is stable across parallel
    /// runs, without the problems that only follow from another (see
    /// [`Diagnostics::without_cascades`]).
    pub fn sorted(self) -> Diagnostics {
        let mut this = self.without_cascades();
        this.sort();
        this
    }

    /// Leaves out references that are unknown only because the file that
    /// defines them could not be read: a broken `data/services.toml` made
    /// every site's services "unknown", burying the one line to fix, and a
    /// site file that is not TOML made its notices' site "unknown".
    pub fn without_cascades(mut self) -> Diagnostics {
        const UNREAD: &[&str] = &["toml-syntax", "not-utf8", "unreadable", "outside-root"];
        let unread: std::collections::BTreeSet<String> = self
            .items
            .iter()
            .filter(|d| d.level == Level::Error && UNREAD.contains(&d.code))
            .map(|d| d.span.file.clone())
            .collect();
        if unread.is_empty() {
            return self;
        }
        let site_unread = |slug: &str| {
            let file = format!("{slug}.toml");
            unread.iter().any(|f| {
                f.starts_with("data/sites/") && f.rsplit('/').next() == Some(file.as_str())
            })
        };
        let follows = |d: &Diagnostic| match d.code {
            "unknown-service" => unread.contains("data/services.toml"),
            "unknown-label" => unread.contains("data/labels.toml"),
            // The unknown name is the first one quoted: "unknown site `x`".
            "unknown-site" => d.message.split('`').nth(1).is_some_and(site_unread),
            _ => false,
        };
        self.items.retain(|d| !follows(d));
        self
    }

    fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            (&a.span.file, a.span.line, a.span.column, a.code, &a.message).cmp(&(
                &b.span.file,
                b.span.line,
                b.span.column,
                b.code,
                &b.message,
            ))
        });
    }

    /// Human-readable text, one problem per entry, then a summary line.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for d in &self.items {
            out.push_str(&d.to_string());
            out.push('\n');
        }
        out.push_str(&self.summary());
        out
    }

    /// [`Diagnostics::to_text`] with, under each problem, its source line
    /// and a caret under the column, as cargo prints them; `source` gives
    /// the text of a file (asked once per file; see
    /// [`crate::files::source_text`]). A file without text is quoted by its
    /// position only.
    pub fn to_text_with(&self, source: &mut dyn FnMut(&str) -> Option<String>) -> String {
        let mut files: std::collections::HashMap<&str, Option<String>> =
            std::collections::HashMap::new();
        let mut out = String::new();
        for d in &self.items {
            let text = files
                .entry(d.span.file.as_str())
                .or_insert_with(|| source(&d.span.file));
            let mut shown = d.to_string();
            if let Some(snippet) = text.as_deref().and_then(|t| snippet(t, &d.span)) {
                // The snippet goes between the problem and its help.
                let at = shown.find("\n  help: ").unwrap_or(shown.len());
                shown.insert_str(at, &format!("\n{snippet}"));
            }
            out.push_str(&shown);
            out.push('\n');
        }
        out.push_str(&self.summary());
        out
    }

    /// "2 errors, 1 warning", or nothing when there is no problem.
    fn summary(&self) -> String {
        let count = |l| self.items.iter().filter(|d| d.level == l).count();
        let (e, w) = (count(Level::Error), count(Level::Warning));
        if self.items.is_empty() {
            return String::new();
        }
        format!(
            "{e} error{}, {w} warning{}\n",
            if e == 1 { "" } else { "s" },
            if w == 1 { "" } else { "s" }
        )
    }

    /// A stable JSON array of `{level, code, file, line, column, message, help, rule, source}`.
    pub fn to_json(&self) -> String {
        let rows: Vec<serde_json::Value> = self
            .items
            .iter()
            .map(|d| {
                serde_json::json!({
                    "level": d.level,
                    "kind": d.kind,
                    "code": d.code,
                    "file": d.span.file,
                    "line": d.span.line,
                    "column": d.span.column,
                    "message": d.message,
                    "help": d.help,
                    "rule": d.rule,
                    "source": d.source,
                })
            })
            .collect();
        serde_json::to_string_pretty(&rows).expect("diagnostics serialise")
    }
}

/// Longest stretch of a line quoted around the column, in characters: a
/// minified or hostile file can hold a line of megabytes.
const SNIPPET_WIDTH: usize = 100;

/// Line `span.line` of `text` with a caret under `span.column`, drawn by
/// annotate-snippets (the renderer of rustc and cargo).
fn snippet(text: &str, span: &Span) -> Option<String> {
    use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
    let line = text.split('\n').nth(span.line.checked_sub(1)?)?;
    let line = line.strip_suffix('\r').unwrap_or(line);
    let chars = line.chars().count();
    let column = span.column.checked_sub(1)?.min(chars);
    // A window of the line around the column when it is long.
    let first = column.saturating_sub(SNIPPET_WIDTH / 2);
    let window: String = line.chars().skip(first).take(SNIPPET_WIDTH).collect();
    let start = window
        .char_indices()
        .nth(column - first)
        .map_or(window.len(), |(i, _)| i);
    let end = window[start..]
        .chars()
        .next()
        .map_or(start, |c| start + c.len_utf8());
    let report = &[Group::with_level(Level::ERROR).element(
        Snippet::source(window.as_str())
            .line_start(span.line)
            .annotation(AnnotationKind::Primary.span(start..end)),
    )];
    Some(Renderer::plain().render(report).to_string())
}

/// The closest known name to `wanted`, for "did you mean" hints.
pub fn did_you_mean<'a>(wanted: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| (strsim::jaro_winkler(wanted, k), k))
        .filter(|(score, _)| *score > 0.75)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_characters_not_bytes() {
        let text = "a = 1\nnom = \"Évêque\" x";
        let offset = text.find('x').unwrap();
        assert_eq!(line_column(text, offset), (2, 16));
    }

    #[test]
    fn suggests_close_names() {
        let known = ["fontenay-aux-roses", "rouen-simone-veil"];
        assert_eq!(did_you_mean("fontenay", known), Some("fontenay-aux-roses"));
        assert_eq!(did_you_mean("zzz", known), None);
    }
}
