//! Checks on Markdown an editor wrote (notices, pages, charters, site
//! descriptions) before anything renders it: unsafe addresses, and texts
//! that would make a build crawl.
//!
//! The HTML sanitiser (ammonia, on html5ever) takes time that grows with the
//! square of the nesting depth: 100 KB of `>` nested 100,000 quotes and held
//! a build for most of a minute. Nesting and size are capped here, in one
//! linear pass, so what reaches the renderer is always cheap to clean.

use super::urls::{self, UrlProblem};
use crate::diagnostics::{Diagnostic, Span};
use pulldown_cmark::{Event, Parser, Tag};

/// Deepest nesting of quotes, lists and HTML elements accepted. Real
/// notices nest a handful of levels; html5ever's cost at this depth is
/// nothing.
pub const MAX_NESTING: usize = 64;

/// Largest Markdown text accepted, in bytes: a long charter is a few tens
/// of kilobytes.
pub const MAX_BYTES: usize = 256 * 1024;

/// What is wrong with a Markdown text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// An address that must not be published.
    Url(String, UrlProblem),
    /// Nested deeper than [`MAX_NESTING`].
    TooDeep,
    /// Longer than [`MAX_BYTES`] (its length).
    TooLarge(usize),
}

/// Every problem of `markdown`, each with its byte offset in the text.
pub fn scan(markdown: &str) -> Vec<(usize, Problem)> {
    if markdown.len() > MAX_BYTES {
        // Not parsed at all: its size alone says what to do.
        return vec![(0, Problem::TooLarge(markdown.len()))];
    }
    let mut found = Vec::new();
    let (mut depth, mut html_depth) = (0usize, 0usize);
    for (event, range) in Parser::new(markdown).into_offset_iter() {
        match &event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                if let Err(p) = urls::check(dest_url, false) {
                    found.push((range.start, Problem::Url(dest_url.to_string(), p)));
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                for url in raw_html(html, &mut html_depth) {
                    if let Err(p) = urls::check(&url, false) {
                        found.push((range.start, Problem::Url(url, p)));
                    }
                }
            }
            _ => {}
        }
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth + html_depth > MAX_NESTING {
            found.push((range.start, Problem::TooDeep));
            break;
        }
    }
    found
}

/// The addresses in a piece of raw HTML (decoded as a browser's tokenizer
/// decodes them), counting its open elements into `depth`.
fn raw_html(html: &str, depth: &mut usize) -> Vec<String> {
    use html5gum::{Token, Tokenizer};
    const URL_ATTRIBUTES: &[&[u8]] = &[
        b"href",
        b"src",
        b"action",
        b"formaction",
        b"xlink:href",
        b"poster",
        b"background",
        b"data",
    ];
    // Elements that never hold others, or that the HTML parser closes when
    // a sibling opens (an unclosed `<li>` does not nest the next one). A
    // self-closing `<div/>` still opens a div in HTML: only these are flat.
    const FLAT: &[&[u8]] = &[
        b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta",
        b"source", b"track", b"wbr", b"p", b"li", b"dt", b"dd", b"tr", b"td", b"th", b"option",
    ];
    let mut urls = Vec::new();
    for token in Tokenizer::new(html).flatten() {
        match token {
            Token::StartTag(tag) => {
                for (name, value) in &tag.attributes {
                    if URL_ATTRIBUTES.contains(&name.as_slice()) {
                        urls.push(String::from_utf8_lossy(value).into_owned());
                    }
                }
                if !FLAT.contains(&tag.name.as_slice()) {
                    *depth += 1;
                }
            }
            Token::EndTag(_) => *depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    urls
}

/// The error for `problem`, at `span`.
pub fn diagnostic(problem: &Problem, span: Span) -> Diagnostic {
    match problem {
        Problem::Url(url, p) => urls::diagnostic(url, p, span),
        Problem::TooDeep => Diagnostic::error(
            "markdown-too-deep",
            span,
            format!("quotes, lists or HTML elements nested more than {MAX_NESTING} levels deep"),
        )
        .help("a `>` or a list marker at the start of a line opens one more level; remove the extra ones"),
        Problem::TooLarge(len) => Diagnostic::error(
            "markdown-too-large",
            span,
            format!(
                "the text is {} KB; the limit is {} KB",
                len.div_ceil(1024),
                MAX_BYTES / 1024
            ),
        )
        .help("split it into several pages or notices, or link to a document"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(md: &str) -> Vec<Problem> {
        scan(md).into_iter().map(|(_, p)| p).collect()
    }

    #[test]
    fn finds_links_in_markdown_and_raw_html() {
        let md = "[a](https://ok.fr) [b](javascript&#58;alert(1))\n\n<a href=\"java&#x09;script:x\">c</a>\n\n![i](data:image/png;base64,AA)";
        let found = problems(md);
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(matches!(&found[0], Problem::Url(u, _) if u.starts_with("javascript:")));
    }

    #[test]
    fn caps_nesting_of_quotes_lists_and_html_at_the_line_it_passes() {
        let quotes = format!("Bonjour\n\n{}", ">".repeat(100_000));
        let found = scan(&quotes);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].1, Problem::TooDeep);
        assert!(found[0].0 >= "Bonjour\n\n".len());
        // Alternating markers: `- - -` alone is a thematic break.
        assert_eq!(problems(&"- * ".repeat(50_000)), [Problem::TooDeep]);
        assert_eq!(problems(&"<div>".repeat(50_000)), [Problem::TooDeep]);
        assert_eq!(problems(&"<div/>".repeat(40_000)), [Problem::TooDeep]);
        assert_eq!(problems(&"<br><li>".repeat(10_000)), []);
        assert_eq!(problems("> > > citation\n\n- a\n  - b\n"), []);
    }

    #[test]
    fn caps_size() {
        assert_eq!(
            problems(&"a".repeat(MAX_BYTES + 1)),
            [Problem::TooLarge(MAX_BYTES + 1)]
        );
    }
}
