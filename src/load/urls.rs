//! Addresses an editor can type: a site's web site and documents, links in
//! Markdown. A directory is edited by many hands and published on public
//! domains, so only schemes that cannot run code are accepted, checked the way
//! a browser would read them (case, surrounding spaces and control
//! characters, tabs and newlines inside, HTML character references).

use crate::diagnostics::{Diagnostic, Span};

/// The schemes a published address may use.
pub const ALLOWED_SCHEMES: &[&str] = &["https", "http", "mailto", "tel"];

/// Why an address is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlProblem {
    /// A scheme outside [`ALLOWED_SCHEMES`] (`javascript`, `data`…).
    Scheme(String),
    /// No scheme at all where a full address is needed.
    NotAbsolute,
}

/// The scheme a browser would read in `url`, lowercased, if it has one.
///
/// Browsers strip leading and trailing controls and spaces and drop tabs
/// and newlines anywhere before parsing (WHATWG URL standard), so
/// `" JaVa\tScript:"` is a `javascript` link.
pub fn scheme(url: &str) -> Option<String> {
    let cleaned: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let (scheme, _) = cleaned.split_once(':')?;
    let mut chars = scheme.chars();
    let first_is_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let valid =
        first_is_letter && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| scheme.to_ascii_lowercase())
}

/// Decodes HTML character references (`&#58;`, `&#x3A;`, `&colon;`…) that
/// could hide a scheme from a check but not from a page that would decode
/// them. Unknown references are left as they are.
fn decode_references(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest[1..]
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '#')
            .map_or(rest.len(), |i| i + 1);
        let name = &rest[1..end];
        let decoded = match name.strip_prefix('#') {
            Some(n) => match n.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => n.parse::<u32>().ok(),
            }
            .and_then(char::from_u32),
            None => match name.to_ascii_lowercase().as_str() {
                "colon" => Some(':'),
                "tab" => Some('\t'),
                "newline" => Some('\n'),
                "sol" => Some('/'),
                _ => None,
            },
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = rest[end..].strip_prefix(';').unwrap_or(&rest[end..]);
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Checks one address. `absolute`: a scheme is required (a web site), where
/// a link in Markdown may also point at another page of the directory.
pub fn check(url: &str, absolute: bool) -> Result<(), UrlProblem> {
    for form in [url.to_string(), decode_references(url)] {
        if let Some(s) = scheme(&form)
            && !ALLOWED_SCHEMES.contains(&s.as_str())
        {
            return Err(UrlProblem::Scheme(s));
        }
    }
    if absolute && scheme(url).is_none() {
        return Err(UrlProblem::NotAbsolute);
    }
    Ok(())
}

/// Whether `url` may be published as a link.
pub fn is_safe(url: &str, absolute: bool) -> bool {
    check(url, absolute).is_ok()
}

/// The error for an address refused by [`check`], at `span`.
pub fn diagnostic(url: &str, problem: &UrlProblem, span: Span) -> Diagnostic {
    let shown: String = url.chars().take(80).collect();
    let shown = shown.escape_debug();
    match problem {
        UrlProblem::Scheme(s) => Diagnostic::error(
            "unsafe-url",
            span,
            format!("address `{shown}` uses the scheme `{s}:`, which is never published"),
        )
        .help("only https:, http:, mailto: and tel: addresses are allowed, e.g. \"https://www.example.fr\""),
        UrlProblem::NotAbsolute => Diagnostic::error(
            "unsafe-url",
            span,
            format!("address `{shown}` is not a full address"),
        )
        .help("write it with its scheme, e.g. \"https://www.example.fr\""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_the_four_schemes_in_any_case() {
        for url in [
            "https://www.example.fr",
            "HTTP://example.fr",
            "mailto:a@b.fr",
            "tel:+33141132144",
        ] {
            assert_eq!(check(url, true), Ok(()), "{url}");
        }
    }

    #[test]
    fn refuses_scheme_tricks() {
        for url in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "  javascript:alert(1)",
            "\u{1}javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "data:text/html;base64,PHNjcmlwdD4=",
            "vbscript:msgbox(1)",
            "javascript&colon;alert(1)",
            "javascript&#58;alert(1)",
            "javascript&#x3A;alert(1)",
            "&#106;avascript:alert(1)",
            "file:///etc/passwd",
        ] {
            assert!(
                matches!(check(url, false), Err(UrlProblem::Scheme(_))),
                "{url:?} passed"
            );
        }
    }

    #[test]
    fn a_web_site_needs_its_scheme() {
        assert_eq!(check("www.example.fr", true), Err(UrlProblem::NotAbsolute));
        assert_eq!(check("../avis/", false), Ok(()));
    }
}
