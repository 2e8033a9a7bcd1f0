//! The corpus: bytes nobody here wrote (NUL, invalid UTF-8, huge and deeply
//! nested files, scheme tricks), each refused at its position or published
//! safely.

use super::*;

// ---- The corpus: bytes nobody here wrote -------------------------------------------------

/// What a corpus case must give.
enum Expect {
    /// Exit 1 with an error at this `file:line:column`, `public/` untouched.
    RefusedAt(&'static str),
    /// Exit 0, and no control character of the input reaches the output.
    Published,
}

/// One hostile file: its path in the sample and its bytes, made from the
/// sample's own site and notice.
type Case = (&'static str, &'static str, Vec<u8>, Expect);

fn corpus() -> Vec<Case> {
    let site = std::fs::read(common::repo().join(SITE)).unwrap();
    let notice = std::fs::read(common::repo().join(NOTICE)).unwrap();
    let swap = |bytes: &[u8], from: &str, to: &[u8]| -> Vec<u8> {
        let text = bytes.to_vec();
        let at = text
            .windows(from.len())
            .position(|w| w == from.as_bytes())
            .unwrap_or_else(|| panic!("no `{from}`"));
        [&text[..at], to, &text[at + from.len()..]].concat()
    };
    let nested = |open: &str, close: &str, n: usize| -> Vec<u8> {
        format!("a = {}{}\n", open.repeat(n), close.repeat(n)).into_bytes()
    };
    use Expect::*;
    vec![
        (
            "NUL in a TOML string",
            SITE,
            swap(&site, "name = \"France", b"name = \"Fr\0ance"),
            RefusedAt("data/sites/fontenay-aux-roses.toml:14:11"),
        ),
        (
            "NUL in a notice body",
            NOTICE,
            [&notice[..], b"\nTexte\0nul\n"].concat(),
            Published,
        ),
        (
            "invalid UTF-8 in a site",
            SITE,
            swap(&site, "Fontenay-aux-Roses\"", b"Fontenay\xff\""),
            RefusedAt("data/sites/fontenay-aux-roses.toml:14:36"),
        ),
        (
            "invalid UTF-8 in a notice",
            NOTICE,
            [&notice[..], b"\n\xc3\x28\n"].concat(),
            RefusedAt("content/notices/2026-12-24-fontenay-aux-roses.md:15:1"),
        ),
        (
            "100,000 nested TOML arrays",
            "data/sites/profond.toml",
            nested("[", "]", 100_000),
            RefusedAt("data/sites/profond.toml:1:85"),
        ),
        (
            "50,000 nested inline tables",
            "data/sites/profond.toml",
            nested("{b = ", "}", 50_000),
            RefusedAt("data/sites/profond.toml:1:405"),
        ),
        (
            "a 20 MB site file",
            "data/sites/enorme.toml",
            [&site[..], b"# ", &vec![b'x'; 20_000_000], b"\n"].concat(),
            Published,
        ),
        (
            "20,000 rules of hours",
            SITE,
            swap(
                &site,
                "hours = \"",
                ["hours = \"", &"Mo 09:00-10:00; ".repeat(20_000)]
                    .concat()
                    .as_bytes(),
            ),
            Published,
        ),
        (
            "a notice to the year 9999",
            NOTICE,
            swap(&notice, "to = 2026-12-26", b"to = 9999-12-31"),
            Published,
        ),
        (
            "an empty site file",
            "data/sites/vide.toml",
            Vec::new(),
            RefusedAt("data/sites/vide.toml:1:1"),
        ),
        (
            "a byte-order mark alone",
            "data/sites/bom.toml",
            b"\xef\xbb\xbf".to_vec(),
            RefusedAt("data/sites/bom.toml:1:1"),
        ),
        (
            "a lone +++",
            "content/notices/x.md",
            b"+++".to_vec(),
            RefusedAt("content/notices/x.md:1:1"),
        ),
        (
            "CRLF line ends",
            NOTICE,
            String::from_utf8(notice.clone())
                .unwrap()
                .replace('\n', "\r\n")
                .into_bytes(),
            Published,
        ),
        (
            "February 30",
            NOTICE,
            swap(&notice, "from = 2026-12-24", b"from = 2026-02-30"),
            RefusedAt("content/notices/2026-12-24-fontenay-aux-roses.md:6:8"),
        ),
        (
            "lat = nan",
            SITE,
            swap(&site, "lat = 48.791618", b"lat = nan"),
            RefusedAt("data/sites/fontenay-aux-roses.toml:50:7"),
        ),
        (
            "a number past 64 bits",
            SITE,
            swap(&site, "computers = 5", b"computers = 99999999999999999999"),
            RefusedAt("data/sites/fontenay-aux-roses.toml:38:27"),
        ),
        (
            "100,000 quotes in a description",
            SITE,
            swap(
                &site,
                "description = \"",
                ["description = \"", &">".repeat(100_000)]
                    .concat()
                    .as_bytes(),
            ),
            RefusedAt("data/sites/fontenay-aux-roses.toml:41:15"),
        ),
        (
            "a script in a description link",
            SITE,
            swap(
                &site,
                "description = \"",
                b"description = \"[ici](  JaVaScRiPt:alert(1)) ",
            ),
            RefusedAt("data/sites/fontenay-aux-roses.toml:41:15"),
        ),
        (
            "a data: image in a page",
            "content/pages/a-propos.md",
            [
                &std::fs::read(common::repo().join("content/pages/a-propos.md")).unwrap()[..],
                b"\n![x](data:image/svg+xml;base64,PHN2Zz4=)\n",
            ]
            .concat(),
            RefusedAt("content/pages/a-propos.md"),
        ),
        (
            "vbscript in raw HTML",
            NOTICE,
            [&notice[..], b"\n<a href=\"vbscript:msgbox(1)\">x</a>\n"].concat(),
            RefusedAt("content/notices/2026-12-24-fontenay-aux-roses.md:15:1"),
        ),
    ]
}

#[test]
fn the_hostile_corpus_is_refused_at_its_position_or_published_safely() {
    for (what, file, bytes, expect) in corpus() {
        let dir = built_sample();
        std::fs::write(dir.path().join(file), &bytes).unwrap();
        match expect {
            Expect::RefusedAt(at) if at.matches(':').count() == 2 => {
                refused(dir.path(), at);
            }
            Expect::RefusedAt(file) => {
                // A position that depends on the file's length: its line.
                let lines = String::from_utf8_lossy(&bytes).lines().count();
                refused(dir.path(), &format!("{file}:{lines}:1"));
            }
            Expect::Published => {
                for cmd in ["check", "build"] {
                    let out = guichet(&[cmd, "--now", NOW], dir.path());
                    let t = text(&out);
                    assert!(!t.contains("panicked"), "{what}: {cmd} panicked: {t}");
                    assert_eq!(out.status.code(), Some(0), "{what}: {cmd}: {t}");
                }
                assert!(
                    !published(dir.path()).contains('\0'),
                    "{what}: NUL published"
                );
            }
        }
    }
}
