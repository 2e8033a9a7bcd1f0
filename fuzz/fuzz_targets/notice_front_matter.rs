//! The notice loader on front matter that is always there: the fuzzer's
//! bytes become the TOML between two `+++` lines (and, after a NUL byte, the
//! body), so every run reaches the field checks, dates, hours and the body's
//! Markdown checks instead of stopping at "missing front matter".
//! It must report problems, never panic, and place every one inside the file.
#![no_main]

use guichet::diagnostics::Diagnostics;
use guichet::load::load_notice;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else { return };
    let (toml, body) = input.split_once('\0').unwrap_or((input, ""));
    let text = format!("+++\n{toml}\n+++\n{body}");
    let lines = text.split('\n').count();
    let mut diags = Diagnostics::new();
    let notice = load_notice("content/notices/fuzz.md", &text, &mut diags);
    for d in diags.iter() {
        assert!(d.span.line >= 1 && d.span.line <= lines, "line {} of {lines}", d.span.line);
        assert!(d.span.column >= 1);
    }
    if let Some(n) = notice {
        // A notice kept with errors is neutralised: never ends before it starts.
        assert!(n.from <= n.to);
    }
});
