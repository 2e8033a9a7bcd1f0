//! Text helpers shared by every stage: public ids made from French names,
//! accent folding for ids and search, and HTML escaping.

/// Public ids: lowercase ASCII letters, digits, single hyphens.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
}

/// A public id made from any French text ("Saint-Étienne" → "saint-etienne").
pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(fold_char) {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Accent folding for ids and search: "É" → "e", "œ" → "oe".
pub fn fold_char(c: char) -> impl Iterator<Item = char> {
    let s: &str = match c {
        'à' | 'â' | 'ä' | 'á' | 'ã' | 'À' | 'Â' | 'Ä' | 'Á' => "a",
        'ç' | 'Ç' => "c",
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => "e",
        'î' | 'ï' | 'í' | 'Î' | 'Ï' => "i",
        'ô' | 'ö' | 'ó' | 'Ô' | 'Ö' => "o",
        'ù' | 'û' | 'ü' | 'ú' | 'Ù' | 'Û' | 'Ü' => "u",
        'ÿ' | 'Ÿ' => "y",
        'œ' | 'Œ' => "oe",
        'æ' | 'Æ' => "ae",
        '’' | '\'' => "'",
        _ => "",
    };
    let single = if s.is_empty() { Some(c) } else { None };
    s.chars().chain(single)
}

/// Escapes what HTML needs escaped; unlike Tera's default, leaves `/` alone so
/// URLs stay readable in the source.
pub fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + input.len() / 16);
    escape_into(&mut out, input);
    out
}

/// [`escape_html`] appended to `out`, for pages built without Tera.
pub fn escape_into(out: &mut String, input: &str) {
    escape::<true>(out, input);
}

/// Like [`escape_html`], but apostrophes stay as they are: for the theme's
/// strings, which replace template text quoted with `"`.
pub fn escape_text(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + input.len() / 16);
    escape::<false>(&mut out, input);
    out
}

fn escape<const APOSTROPHES: bool>(out: &mut String, input: &str) {
    let bytes = input.as_bytes();
    let mut copied = 0;
    // The five characters are ASCII, so a byte scan never splits a
    // character, and runs of plain text are copied whole.
    for (i, b) in bytes.iter().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' if APOSTROPHES => "&#x27;",
            _ => continue,
        };
        out.push_str(&input[copied..i]);
        out.push_str(entity);
        copied = i + 1;
    }
    out.push_str(&input[copied..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_folds_accents() {
        assert_eq!(
            slugify("Saint-Étienne-du-Rouvray"),
            "saint-etienne-du-rouvray"
        );
        assert_eq!(slugify("L'Haÿ-les-Roses"), "l-hay-les-roses");
        assert!(is_slug("fontenay-aux-roses"));
        assert!(!is_slug("Fontenay"));
    }

    #[test]
    fn html_escaping_keeps_slashes() {
        assert_eq!(
            escape_html("<a href=\"/x?a=1&b='2'\">"),
            "&lt;a href=&quot;/x?a=1&amp;b=&#x27;2&#x27;&quot;&gt;"
        );
    }
}
