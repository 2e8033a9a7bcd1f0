//! The site and notice loaders on arbitrary text: they must report problems,
//! never panic, and every position they report must lie inside the file.
#![no_main]

use guichet::diagnostics::Diagnostics;
use guichet::load::{load_notice, load_site};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let lines = text.split('\n').count();
    let mut diags = Diagnostics::new();
    let _ = load_site("data/sites/fuzz.toml", text, &mut diags);
    let _ = load_notice("content/notices/fuzz.md", text, &mut diags);
    for d in diags.iter() {
        assert!(d.span.line >= 1 && d.span.line <= lines, "line {} of {lines}", d.span.line);
        assert!(d.span.column >= 1);
    }
});
