//! The theme's words: `templates/strings.toml`, shipped, then the
//! directory's `themes/default/templates/strings.toml` and
//! `templates/strings.toml`, each replacing the keys it holds.
//!
//! Templates read them through the `t` function; Rust reads the same values
//! for what it composes (page titles, the site page and cards it writes
//! without Tera), so rewording a string changes every page alike.

use crate::diagnostics::{Diagnostic, Diagnostics, Span, did_you_mean};
use rustc_hash::FxHashMap;
use std::collections::HashMap;
use std::path::Path;
use toml::de::{DeTable, DeValue};

/// Where the strings live in a theme, and so where `theme eject` puts them.
pub const STRINGS_FILE: &str = "templates/strings.toml";

/// Names a string may use beyond those of its shipped version: French
/// needs "à Rouen", other languages the bare name.
const EXTRA_SLOTS: &[(&str, &[&str])] = &[("page.commune_heading", &["commune"])];

#[derive(Debug, Clone)]
enum Piece {
    /// Literal text, and the same escaped for HTML.
    Text { plain: String, html: String },
    /// `{name}`: a value given when the string is used.
    Slot(String),
}

/// One string, split at its `{name}`s.
#[derive(Debug, Clone)]
pub struct Phrase(Vec<Piece>);

impl Phrase {
    /// `Err((byte offset, message))` for an unclosed or empty `{`.
    fn parse(text: &str) -> Result<Phrase, (usize, String)> {
        let mut pieces = Vec::new();
        let mut rest = text;
        let mut at = 0;
        let text_piece = |s: &str, pieces: &mut Vec<Piece>| {
            if !s.is_empty() {
                pieces.push(Piece::Text {
                    plain: s.to_owned(),
                    html: crate::text::escape_text(s),
                });
            }
        };
        while let Some(open) = rest.find('{') {
            text_piece(&rest[..open], &mut pieces);
            let name_len = rest[open + 1..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len() - open - 1);
            let name = &rest[open + 1..open + 1 + name_len];
            if name.is_empty() || !rest[open + 1 + name_len..].starts_with('}') {
                return Err((
                    at + open,
                    "`{` must start a name in braces, such as `{commune}`".to_owned(),
                ));
            }
            pieces.push(Piece::Slot(name.to_owned()));
            at += open + name_len + 2;
            rest = &rest[open + name_len + 2..];
        }
        text_piece(rest, &mut pieces);
        Ok(Phrase(pieces))
    }

    fn slots(&self) -> impl Iterator<Item = &str> {
        self.0.iter().filter_map(|p| match p {
            Piece::Slot(name) => Some(name.as_str()),
            Piece::Text { .. } => None,
        })
    }

    /// The text with each `{name}` replaced by its value in `args`; a
    /// name without one is left as it is.
    pub fn text(&self, args: &[(&str, &str)]) -> String {
        let mut out = String::new();
        for p in &self.0 {
            match p {
                Piece::Text { plain, .. } => out.push_str(plain),
                Piece::Slot(name) => match args.iter().find(|(n, _)| n == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                },
            }
        }
        out
    }

    /// [`Phrase::text`] as HTML, appended to `out`: the values escaped like
    /// any template value.
    pub fn html_into(&self, out: &mut String, args: &[(&str, &str)]) {
        for p in &self.0 {
            match p {
                Piece::Text { html, .. } => out.push_str(html),
                Piece::Slot(name) => match args.iter().find(|(n, _)| n == name) {
                    Some((_, v)) => crate::text::escape_into(out, v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                },
            }
        }
    }
}

/// Every string of the theme, by `section.key`.
#[derive(Debug, Clone)]
pub struct Strings(FxHashMap<String, Phrase>);

impl Strings {
    /// The shipped strings, then the directory's files on top.
    pub fn load(root: &Path, diags: &mut Diagnostics) -> Strings {
        let allowed = Strings::shipped();
        let mut strings = allowed.clone();
        for path in [
            root.join("themes/default").join(STRINGS_FILE),
            root.join(STRINGS_FILE),
        ] {
            if std::fs::symlink_metadata(&path).is_err() {
                continue;
            }
            if let Some(text) = crate::files::read_inside(root, &path, diags) {
                let file = crate::files::rel(root, &path);
                strings.read(&file, &text, Some(&allowed), diags);
            }
        }
        strings
    }

    /// The shipped strings alone.
    pub fn shipped() -> Strings {
        let text = crate::reference::theme_files()
            .iter()
            .find(|(p, _)| *p == STRINGS_FILE)
            .map(|(_, bytes)| std::str::from_utf8(bytes).expect("shipped strings are UTF-8"))
            .expect("the theme ships its strings");
        let mut strings = Strings(FxHashMap::default());
        let mut diags = Diagnostics::new();
        let file = format!(
            "{}themes/default/{STRINGS_FILE}",
            crate::reference::BUILT_IN
        );
        strings.read(&file, text, None, &mut diags);
        assert!(diags.is_empty(), "{}", diags.to_text());
        strings
    }

    /// Adds the strings of `text`; with `allowed` (the shipped strings),
    /// only their keys, each with only the names its shipped version uses.
    fn read(&mut self, file: &str, text: &str, allowed: Option<&Strings>, diags: &mut Diagnostics) {
        let Some(table) = crate::load::toml_reader::parse(file, text, 0, text, diags) else {
            return;
        };
        let span = |offset: usize| Span::at(file, text, offset);
        let sections: Vec<&str> = allowed
            .map(|a| {
                a.0.keys()
                    .filter_map(|k| k.split_once('.'))
                    .map(|(s, _)| s)
                    .collect()
            })
            .unwrap_or_default();
        for (section, value) in table.get_ref().iter() {
            let section_name = section.get_ref().as_ref();
            let DeValue::Table(keys) = value.get_ref() else {
                diags.push(
                    Diagnostic::error(
                        "wrong-type",
                        span(section.span().start),
                        format!("`{section_name}` must be a section of strings, such as [site]"),
                    )
                    .help("put each string under its section: [page], [site], [card]…"),
                );
                continue;
            };
            if allowed.is_some() && !sections.contains(&section_name) {
                let mut d = Diagnostic::error(
                    "unknown-field",
                    span(section.span().start),
                    format!("unknown section `[{section_name}]` in the strings"),
                );
                if let Some(s) = did_you_mean(section_name, sections.iter().copied()) {
                    d = d.help(format!("did you mean `[{s}]`?"));
                }
                diags.push(d);
                continue;
            }
            self.read_section(file, text, section_name, keys, allowed, diags);
        }
    }

    fn read_section(
        &mut self,
        file: &str,
        text: &str,
        section: &str,
        keys: &DeTable<'_>,
        allowed: Option<&Strings>,
        diags: &mut Diagnostics,
    ) {
        let span = |offset: usize| Span::at(file, text, offset);
        for (key, value) in keys.iter() {
            let full = format!("{section}.{}", key.get_ref());
            let shipped = allowed.map(|a| a.0.get(&full));
            if let Some(None) = shipped {
                let prefix = format!("{section}.");
                let known = allowed
                    .into_iter()
                    .flat_map(|a| a.0.keys())
                    .filter_map(|k| k.strip_prefix(&prefix));
                let mut d = Diagnostic::error(
                    "unknown-field",
                    span(key.span().start),
                    format!("unknown string `{}` in [{section}]", key.get_ref()),
                );
                if let Some(s) = did_you_mean(key.get_ref(), known) {
                    d = d.help(format!("did you mean `{s}`?"));
                }
                diags.push(d);
                continue;
            }
            let DeValue::String(s) = value.get_ref() else {
                diags.push(Diagnostic::error(
                    "wrong-type",
                    span(value.span().start),
                    format!(
                        "`{full}` must be a string in quotes, found {}",
                        value.get_ref().type_str()
                    ),
                ));
                continue;
            };
            // Offsets in the string, past its opening quote (exact unless
            // the string holds escapes).
            let inside = |at: usize| span((value.span().start + 1 + at).min(value.span().end));
            let phrase = match Phrase::parse(s) {
                Ok(p) => p,
                Err((at, msg)) => {
                    diags.push(
                        Diagnostic::error("string-placeholder", inside(at), msg)
                            .help("braces only surround the names a string may use"),
                    );
                    continue;
                }
            };
            if let Some(Some(shipped)) = shipped {
                let extra = EXTRA_SLOTS
                    .iter()
                    .find(|(k, _)| *k == full)
                    .map_or(&[][..], |(_, names)| *names);
                let known: Vec<&str> = shipped.slots().chain(extra.iter().copied()).collect();
                if let Some(bad) = phrase.slots().find(|n| !known.contains(n)) {
                    let at = s.find(&format!("{{{bad}}}")).unwrap_or(0);
                    let help = match did_you_mean(bad, known.iter().copied()) {
                        Some(n) => format!("did you mean `{{{n}}}`?"),
                        None if known.is_empty() => "this string takes no value".to_owned(),
                        None => format!(
                            "this string can use {}",
                            known
                                .iter()
                                .map(|n| format!("{{{n}}}"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    };
                    diags.push(
                        Diagnostic::error(
                            "string-placeholder",
                            inside(at),
                            format!("`{full}` has no value `{{{bad}}}`"),
                        )
                        .help(help),
                    );
                    continue;
                }
            }
            self.0.insert(full, phrase);
        }
    }

    /// The string `key` (`section.name`).
    ///
    /// # Panics
    /// When the shipped strings have no `key`: a mistake in guichet, which
    /// the tests rendering every kind of page catch.
    pub fn phrase(&self, key: &str) -> &Phrase {
        self.0
            .get(key)
            .unwrap_or_else(|| panic!("no string `{key}` in {STRINGS_FILE}"))
    }

    /// The string `key` as plain text, its `{name}`s replaced from `args`.
    pub fn get(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.phrase(key).text(args)
    }

    /// The string `key`, which has no `{name}`, as plain text.
    pub fn word(&self, key: &str) -> &str {
        match self.phrase(key).0.as_slice() {
            [Piece::Text { plain, .. }] => plain,
            _ => "",
        }
    }

    /// The pieces of string `key`: its text as HTML, or the name of a value.
    pub(super) fn pieces(&self, key: &str) -> Option<impl Iterator<Item = Result<&str, &str>>> {
        Some(self.0.get(key)?.0.iter().map(|p| match p {
            Piece::Text { html, .. } => Ok(html.as_str()),
            Piece::Slot(name) => Err(name.as_str()),
        }))
    }
}

/// The templates' `t(key="site.hours_heading", name=value…)`: the string
/// as HTML, its values escaped. Safe, so templates need no `| safe`.
pub struct Lookup(pub std::sync::Arc<Strings>);

impl tera::Function for Lookup {
    fn call(&self, args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
        let key = match args.get("key") {
            Some(tera::Value::String(k)) => k,
            _ => return Err("`t` needs the string's name: t(key=\"site.hours_heading\")".into()),
        };
        let phrase = self.0.0.get(key.as_str()).ok_or_else(|| {
            let hint = did_you_mean(key, self.0.0.keys().map(String::as_str))
                .map(|k| format!(" (did you mean `{k}`?)"))
                .unwrap_or_default();
            tera::Error::msg(format!("no string `{key}` in {STRINGS_FILE}{hint}"))
        })?;
        let values: Vec<(String, String)> = phrase
            .slots()
            .map(|name| match args.get(name) {
                Some(v) => Ok((name.to_owned(), rendered(v))),
                None => Err(tera::Error::msg(format!(
                    "string `{key}` needs a value for `{{{name}}}`: t(key=\"{key}\", {name}=…)"
                ))),
            })
            .collect::<tera::Result<_>>()?;
        let values: Vec<(&str, &str)> = values
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let mut out = String::new();
        phrase.html_into(&mut out, &values);
        Ok(tera::Value::String(out))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// A value as `{{ value }}` shows it.
fn rendered(v: &tera::Value) -> String {
    match v {
        tera::Value::String(s) => s.clone(),
        tera::Value::Null => String::new(),
        tera::Value::Number(n) => n
            .as_i64()
            .map(|i| i.to_string())
            .or_else(|| n.as_u64().map(|u| u.to_string()))
            .or_else(|| n.as_f64().map(|f| f.to_string()))
            .unwrap_or_default(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_fill_their_names_and_escape_values_not_apostrophes() {
        let p = Phrase::parse("Lire la charte {label} d'abord & <vite>").unwrap();
        assert_eq!(
            p.text(&[("label", "A & B")]),
            "Lire la charte A & B d'abord & <vite>"
        );
        let mut html = String::new();
        p.html_into(&mut html, &[("label", "l'<b>")]);
        assert_eq!(
            html,
            "Lire la charte l&#x27;&lt;b&gt; d'abord &amp; &lt;vite&gt;"
        );
        assert!(Phrase::parse("a {b").is_err());
        assert!(Phrase::parse("a {} b").is_err());
        assert!(Phrase::parse("a { b }").is_err());
    }

    #[test]
    fn a_directory_overrides_key_by_key_its_templates_folder_last() {
        let root = tempfile::tempdir().unwrap();
        let write = |rel: &str, text: &str| {
            let path = root.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write(
            "themes/default/templates/strings.toml",
            "[site]\nhours_heading = \"A\"\nusual_hours = \"B\"\n",
        );
        write("templates/strings.toml", "[site]\nhours_heading = \"C\"\n");
        let mut diags = Diagnostics::new();
        let s = Strings::load(root.path(), &mut diags);
        assert!(diags.is_empty(), "{}", diags.to_text());
        assert_eq!(s.get("site.hours_heading", &[]), "C");
        assert_eq!(s.get("site.usual_hours", &[]), "B");
        assert_eq!(s.get("site.address_heading", &[]), "Adresse");
    }

    #[test]
    fn the_shipped_strings_load_cleanly() {
        let s = Strings::shipped();
        assert_eq!(s.get("site.hours_heading", &[]), "Horaires d'ouverture");
        assert_eq!(
            s.get("page.commune_heading", &[("at_commune", "au Havre")]),
            "Points d'accès au Havre"
        );
    }
}
