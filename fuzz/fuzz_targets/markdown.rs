//! The Markdown path of every notice, page and description: the load-time
//! checks (addresses, nesting, size), then, for a text they accept, the
//! rendering and sanitising a build does. Any panic is a finding, and so is
//! a script element, an event handler or an unsafe address in the cleaned
//! HTML, or a rendering slower than the checks promise (libFuzzer's
//! `-timeout` catches those).
#![no_main]

use guichet::load::markdown::scan;
use guichet::load::urls;
use guichet::render::markdown::{to_html, to_text};
use html5gum::{Token, Tokenizer};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(md) = std::str::from_utf8(data) else { return };
    let problems = scan(md);
    for (offset, _) in &problems {
        assert!(*offset <= md.len());
    }
    if !problems.is_empty() {
        return;
    }
    let html = to_html(md);
    // Read the output as a browser would: tags and attributes, not text.
    for token in Tokenizer::new(&html).flatten() {
        if let Token::StartTag(tag) = token {
            let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
            assert!(!matches!(name.as_str(), "script" | "style" | "iframe" | "object"), "{html}");
            for (attr, value) in &tag.attributes {
                let attr = String::from_utf8_lossy(attr).to_ascii_lowercase();
                assert!(!attr.starts_with("on"), "{attr} in {html}");
                if matches!(attr.as_str(), "href" | "src") {
                    let value = String::from_utf8_lossy(value);
                    assert!(urls::is_safe(&value, false), "{value} in {html}");
                }
            }
        }
    }
    let _ = to_text(md);
});
