//! Markdown → sanitised HTML. Content files are edited by many hands: no
//! script, style or event handler may reach a resident's browser.

use pulldown_cmark::{Options, Parser, html};

/// Texts shown on several pages: a notice is on its site's page, the
/// notices page, the home page and in two feeds, and `serve` renders them
/// again on every rebuild.
static SHARED: crate::memo::Memo<String> = crate::memo::Memo::new(20_000);

/// [`to_html`] for a text rendered many times, such as a notice's body:
/// the result is kept for the next call.
pub fn to_html_shared(markdown: &str) -> String {
    SHARED.get_or(markdown, || to_html(markdown))
}

/// Renders Markdown and removes anything unsafe (scripts, handlers, `javascript:` links).
pub fn to_html(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let parser = Parser::new_ext(markdown, options);
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, parser);
    SANITISER.clean(&out).to_string()
}

/// The sanitiser's allow-lists are sets built on creation: built once, as
/// every site page of a national directory has a description to clean.
static SANITISER: std::sync::LazyLock<ammonia::Builder<'static>> = std::sync::LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder.link_rel(Some("noopener noreferrer"));
    // The same schemes as the loader accepts; anything else loses its link.
    builder.url_schemes(crate::load::urls::ALLOWED_SCHEMES.iter().copied().collect());
    builder
});

/// Plain text of a Markdown snippet, for feeds summaries and meta descriptions.
pub fn to_text(markdown: &str) -> String {
    use pulldown_cmark::{Event, Tag, TagEnd};
    let mut out = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph) | Event::Start(Tag::Item)
                if !out.ends_with(' ') && !out.is_empty() =>
            {
                out.push(' ');
            }
            _ => {}
        }
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_never_pass() {
        let html = to_html(
            "Bonjour <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>",
        );
        assert!(!html.contains("<script"));
        assert!(!html.contains("javascript:"));
        assert!(!html.contains("onerror"));
        assert!(html.contains("Bonjour"));
    }
}
