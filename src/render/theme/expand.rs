//! `{{ t(key="…", name=value…) }}` written out in a template's own syntax
//! when the theme is loaded: the string's text, and `{{ value }}` for each
//! of its names.
//!
//! A directory's strings are fixed for a build, and a Tera function call
//! is dear (its arguments gathered into a map, the result copied): called
//! on every page, `t` was 4 % of a build's instructions. Written out, the
//! template renders the same bytes as text typed in it, at the same cost. A call this cannot write out (a key held in a
//! variable, a value passed through `safe`, a missing value, filters after
//! the call) is left to the `t` function, which gives the same result or
//! the error.

use super::strings::Strings;
use std::borrow::Cow;

impl Strings {
    /// `source` with the `t` calls it can write out written out.
    pub fn expand<'s>(&self, source: &'s str) -> Cow<'s, str> {
        // Text between raw tags must stay as written.
        if !source.contains("t(") || source.contains("{% raw") || source.contains("{%- raw") {
            return Cow::Borrowed(source);
        }
        let mut out = String::with_capacity(source.len());
        let mut rest = source;
        while let Some(at) = rest.find("{{") {
            let (before, tag) = rest.split_at(at);
            out.push_str(before);
            match self.written_out(tag) {
                Some((text, used)) => {
                    out.push_str(&text);
                    rest = &tag[used..];
                }
                None => {
                    out.push_str("{{");
                    rest = &tag[2..];
                }
            }
        }
        out.push_str(rest);
        Cow::Owned(out)
    }

    /// For `tag` starting with a `{{ t(…) }}` call: the call written out,
    /// and the length of the call.
    fn written_out(&self, tag: &str) -> Option<(String, usize)> {
        let inner = tag.strip_prefix("{{")?;
        let call = inner.trim_start_matches(' ').strip_prefix("t(")?;
        let (args, after) = arguments(call)?;
        let tail = after.trim_start_matches(' ').strip_prefix("}}")?;
        let key = args.iter().find(|(n, _)| *n == "key")?.1;
        let key = unquote(key)?;
        let mut text = String::new();
        for piece in self.pieces(key)? {
            match piece {
                Ok(html) => {
                    // `}` could close a comment or tag around the call.
                    if html.contains('}') {
                        return None;
                    }
                    text.push_str(html);
                }
                Err(name) => {
                    let value = args.iter().find(|(n, _)| *n == name)?.1;
                    if value.contains("safe") {
                        return None;
                    }
                    text.push_str("{{ ");
                    text.push_str(value);
                    text.push_str(" }}");
                }
            }
        }
        Some((text, tag.len() - tail.len()))
    }
}

/// The `name=value` arguments of a call from just after its `(`, and what
/// follows its `)`; `None` if they are not all `name=value`.
fn arguments(call: &str) -> Option<(Vec<(&str, &str)>, &str)> {
    let mut args = Vec::new();
    let mut depth = 0usize;
    let mut quote = None;
    let mut start = 0;
    for (i, c) in call.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'' | '`') => quote = Some(c),
            (None, '(' | '[') => depth += 1,
            (None, ')') if depth == 0 => {
                let last = &call[start..i];
                if !last.trim().is_empty() || !args.is_empty() {
                    args.push(argument(last)?);
                }
                return Some((args, &call[i + 1..]));
            }
            (None, ')' | ']') => depth = depth.checked_sub(1)?,
            (None, ',') if depth == 0 => {
                args.push(argument(&call[start..i])?);
                start = i + 1;
            }
            (None, '}' | '{') => return None,
            _ => {}
        }
    }
    None
}

fn argument(text: &str) -> Option<(&str, &str)> {
    let (name, value) = text.split_once('=')?;
    let (name, value) = (name.trim(), value.trim());
    let ident = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    (ident && !value.is_empty() && !value.starts_with('=')).then_some((name, value))
}

/// The text of a quoted literal without escapes.
fn unquote(s: &str) -> Option<&str> {
    let q = s.chars().next().filter(|c| matches!(c, '"' | '\'' | '`'))?;
    let inner = s.strip_prefix(q)?.strip_suffix(q)?;
    (!inner.contains(q) && !inner.contains('\\')).then_some(inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_become_text_and_values_and_the_rest_is_left_alone() {
        let t = Strings::shipped();
        assert_eq!(
            t.expand("<h2>{{ t(key='site.hours_heading') }}</h2>"),
            "<h2>Horaires d'ouverture</h2>"
        );
        assert_eq!(
            t.expand("<a>{{ t(key=\"site.read_charter\", label=label.name) }}</a>"),
            "<a>Lire la charte {{ label.name }}</a>"
        );
        assert_eq!(
            t.expand("{{ t(key='site.closure', when=c.when | capitalize, reason=c.reason) }}"),
            "{{ c.when | capitalize }} : {{ c.reason }}"
        );
        assert_eq!(
            t.expand("{{ t(key='list.count_one', count=f(a=1, b=[2, 3])) }}"),
            "{{ f(a=1, b=[2, 3]) }} lieu"
        );
        for kept in [
            "{{ t(key=k) }}",
            "{{ t(key='site.read_charter') }}",
            "{{ t(key='site.read_charter', label=x | safe) }}",
            "{{ t(key='site.nope') }}",
            "{{ t(key='site.hours_heading') | upper }}",
            "{{- t(key='site.hours_heading') }}",
            "{{ t(key='site.hours_heading' }}",
            "{% raw %}{{ t(key='site.hours_heading') }}{% endraw %}",
        ] {
            assert_eq!(t.expand(kept), kept);
        }
    }
}
