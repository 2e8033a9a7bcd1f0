//! Reading TOML with a position for every value, collecting every problem.
//!
//! serde stops at the first error in a file; editors want to see all of them,
//! so we walk toml's spanned document tree instead and check each key.

use crate::diagnostics::{Diagnostic, Diagnostics, Span, did_you_mean};
use chrono::NaiveDate;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// A TOML table with its position.
pub type Table<'i> = DeTable<'i>;

/// Parses `text`; syntax errors are reported and `None` returned.
///
/// `toml` is `text[base..]` up to the end of the TOML part (front matter in a
/// Markdown file starts after its `+++` line), so positions refer to the file.
pub fn parse<'i>(
    file: &str,
    text: &str,
    base: usize,
    toml: &'i str,
    diags: &mut Diagnostics,
) -> Option<Spanned<Table<'i>>> {
    let (table, errors) = DeTable::parse_recoverable(toml);
    if errors.is_empty() {
        return Some(table);
    }
    for e in errors {
        let offset = base + e.span().map_or(0, |s| s.start);
        diags.push(
            Diagnostic::error(
                "toml-syntax",
                Span::at(file, text, offset),
                format!("invalid TOML: {}", e.message().trim()),
            )
            .help("check quotes, `=` signs and brackets on this line"),
        );
    }
    None
}

/// Byte offsets where the lines of a text start.
struct LineStarts(Vec<usize>);

impl LineStarts {
    fn of(text: &str) -> LineStarts {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineStarts(starts)
    }

    /// Same answer as [`crate::diagnostics::line_column`], without scanning
    /// the text before the line.
    fn line_column(&self, text: &str, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.0.partition_point(|&start| start <= offset);
        let start = self.0[line - 1];
        (line, text[start..offset].chars().count() + 1)
    }
}

/// Typed access to one file's values, reporting problems with their position.
pub struct Reader<'a> {
    pub file: &'a str,
    pub text: &'a str,
    /// Where the TOML starts in `text`.
    pub base: usize,
    pub diags: &'a mut Diagnostics,
    /// Where each line of `text` starts: every value read records its
    /// position, and scanning the text from the start each time was a tenth
    /// of the loading time.
    lines: LineStarts,
}

impl<'a> Reader<'a> {
    pub fn new(
        file: &'a str,
        text: &'a str,
        base: usize,
        diags: &'a mut Diagnostics,
    ) -> Reader<'a> {
        Reader {
            file,
            text,
            base,
            diags,
            lines: LineStarts::of(text),
        }
    }

    /// The position of byte `offset`.
    pub fn span(&self, offset: usize) -> Span {
        let (line, column) = self.lines.line_column(self.text, self.base + offset);
        Span {
            file: self.file.to_string(),
            line,
            column,
        }
    }

    fn key_span(&self, table: &Table<'_>, key: &str) -> Option<Span> {
        table
            .iter()
            .find(|(k, _)| k.get_ref() == key)
            .map(|(_, v)| self.span(v.span().start))
    }

    fn get<'t, 'i>(&self, table: &'t Table<'i>, key: &str) -> Option<&'t Spanned<DeValue<'i>>> {
        table
            .iter()
            .find(|(k, _)| k.get_ref() == key)
            .map(|(_, v)| v)
    }

    fn expected(&mut self, v: &Spanned<DeValue<'_>>, key: &str, what: &str) {
        let found = v.get_ref().type_str();
        let span = self.span(v.span().start);
        self.diags.push(Diagnostic::error(
            "wrong-type",
            span,
            format!("`{key}` must be {what}, found {found}"),
        ));
    }

    /// Reports a missing required key at `at`.
    pub fn missing(&mut self, at: Span, key: &str, example: &str) {
        self.diags.push(
            Diagnostic::error(
                "missing-field",
                at,
                format!("missing required field `{key}`"),
            )
            .help(format!("add a line such as: {example}")),
        );
    }

    /// Reports keys not in `allowed` (a typo in a key is an error, not silence).
    pub fn deny_unknown(&mut self, table: &Table<'_>, allowed: &[&str], context: &str) {
        for (k, _) in table.iter() {
            let key = k.get_ref().as_ref();
            if allowed.contains(&key) {
                continue;
            }
            let mut d = Diagnostic::error(
                "unknown-field",
                self.span(k.span().start),
                format!("unknown field `{key}` in {context}"),
            );
            d = match did_you_mean(key, allowed.iter().copied()) {
                Some(s) => d.help(format!("did you mean `{s}`?")),
                None => d.help(format!("expected one of: {}", allowed.join(", "))),
            };
            self.diags.push(d);
        }
    }

    /// A string value and its position.
    pub fn string(&mut self, table: &Table<'_>, key: &str) -> Option<(String, Span)> {
        let v = self.get(table, key)?;
        match v.get_ref() {
            DeValue::String(s) => Some((s.to_string(), self.span(v.span().start))),
            _ => {
                self.expected(v, key, "a string in quotes");
                None
            }
        }
    }

    /// A string that must be present and not blank.
    pub fn required_string(
        &mut self,
        table: &Table<'_>,
        key: &str,
        at: &Span,
        example: &str,
    ) -> Option<(String, Span)> {
        match self.string(table, key) {
            Some((s, span)) if s.trim().is_empty() => {
                self.diags.push(Diagnostic::error(
                    "empty-field",
                    span,
                    format!("`{key}` is empty"),
                ));
                None
            }
            Some(found) => Some(found),
            None => {
                if self.get(table, key).is_none() {
                    self.missing(at.clone(), key, example);
                }
                None
            }
        }
    }

    pub fn bool(&mut self, table: &Table<'_>, key: &str) -> Option<bool> {
        let v = self.get(table, key)?;
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.expected(v, key, "true or false");
                None
            }
        }
    }

    pub fn integer(&mut self, table: &Table<'_>, key: &str) -> Option<i64> {
        let v = self.get(table, key)?;
        let parsed = match v.get_ref() {
            DeValue::Integer(i) => {
                i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()).ok()
            }
            _ => None,
        };
        match (parsed, v.get_ref()) {
            (None, DeValue::Integer(i)) => {
                let span = self.span(v.span().start);
                self.diags.push(Diagnostic::error(
                    "wrong-type",
                    span,
                    format!("`{key}` is too large: {}", i.as_str()),
                ));
            }
            (None, _) => self.expected(v, key, "a whole number"),
            _ => {}
        }
        parsed
    }

    /// A number, integer or float, and its position.
    pub fn number(&mut self, table: &Table<'_>, key: &str) -> Option<(f64, Span)> {
        let v = self.get(table, key)?;
        let span = self.span(v.span().start);
        let parsed = match v.get_ref() {
            DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
            DeValue::Integer(i) => i.as_str().replace('_', "").parse::<f64>().ok(),
            _ => None,
        };
        match parsed {
            Some(n) if n.is_finite() => Some((n, span)),
            Some(n) => {
                self.diags.push(Diagnostic::error(
                    "wrong-type",
                    span,
                    format!("`{key}` must be a finite number, found `{n}`"),
                ));
                None
            }
            None => {
                self.expected(v, key, "a number");
                None
            }
        }
    }

    /// A date (`2026-12-24`, unquoted) and its position.
    pub fn date(&mut self, table: &Table<'_>, key: &str) -> Option<(NaiveDate, Span)> {
        let v = self.get(table, key)?;
        let span = self.span(v.span().start);
        let text = match v.get_ref() {
            DeValue::Datetime(d) => d.to_string(),
            DeValue::String(s) => s.to_string(),
            _ => String::new(),
        };
        match NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
            Ok(d) => Some((d, span)),
            Err(_) => {
                self.diags.push(
                    Diagnostic::error(
                        "bad-date",
                        span,
                        format!("`{key}` must be a date, found `{text}`"),
                    )
                    .help(format!("write it as YYYY-MM-DD, e.g. {key} = 2026-12-24")),
                );
                None
            }
        }
    }

    /// A list of strings, each with its position.
    pub fn string_list(&mut self, table: &Table<'_>, key: &str) -> Vec<(String, Span)> {
        let Some(v) = self.get(table, key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = v.get_ref() else {
            self.expected(v, key, "a list of strings like [\"a\", \"b\"]");
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(s) => out.push((s.to_string(), self.span(item.span().start))),
                _ => self.expected(item, key, "a list of strings"),
            }
        }
        out
    }

    /// A sub-table and the position of its key.
    pub fn table<'t, 'i>(
        &mut self,
        table: &'t Table<'i>,
        key: &str,
    ) -> Option<(&'t Table<'i>, Span)> {
        let v = self.get(table, key)?;
        match v.get_ref() {
            DeValue::Table(t) => {
                Some((t, self.key_span(table, key).unwrap_or_else(|| self.span(0))))
            }
            _ => {
                self.expected(v, key, "a table");
                None
            }
        }
    }

    /// Every `[id]` table of a file such as `labels.toml`.
    pub fn entries<'t, 'i>(&mut self, table: &'t Table<'i>) -> Vec<(String, &'t Table<'i>, Span)> {
        let mut out = Vec::new();
        for (k, v) in table.iter() {
            let span = self.span(k.span().start);
            match v.get_ref() {
                DeValue::Table(t) => out.push((k.get_ref().to_string(), t, span)),
                _ => self.expected(v, k.get_ref(), "a table like [id]"),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_starts_agree_with_scanning_the_text() {
        let text = "a = 1\nnom = \"Évêque\" x\n\n[b]\nc = 2";
        let lines = LineStarts::of(text);
        for offset in 0..=text.len() + 2 {
            assert_eq!(
                lines.line_column(text, offset),
                crate::diagnostics::line_column(text, offset),
                "offset {offset}"
            );
        }
    }
}
