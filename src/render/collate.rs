//! French alphabetical order for every list residents read: accents and case
//! come after the letters themselves (Boën before Bourg-Argental), hyphens and
//! spaces do not count (Saint-Étienne before Saint-Symphorien), and "St" reads
//! as "Saint". The Unicode Collation Algorithm with the CLDR root order, which
//! is French order for France, does the work.

use feruca::{Collator, Tailoring};
use std::cell::RefCell;
use std::cmp::Ordering;

thread_local! {
    // A collator keeps scratch buffers between comparisons: one per thread.
    static COLLATOR: RefCell<Collator> =
        RefCell::new(Collator::new(Tailoring::default(), true, true));
}

/// Compares `a` and `b` as a French reader would sort them.
pub fn french(a: &str, b: &str) -> Ordering {
    let (a, b) = (expand_abbreviations(a), expand_abbreviations(b));
    COLLATOR.with(|c| c.borrow_mut().collate(a.as_ref(), b.as_ref()))
}

/// "St-Denis" → "Saint-Denis", "Ste Marie" → "Sainte Marie": abbreviations
/// sort where the whole word does.
fn expand_abbreviations(name: &str) -> std::borrow::Cow<'_, str> {
    let is_word = |w: &str| matches!(w, "St" | "Ste" | "ST" | "STE");
    if !name.split(|c: char| !c.is_alphanumeric()).any(is_word) {
        return name.into();
    }
    let mut out = String::with_capacity(name.len() + 8);
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        match word.as_str() {
            "St" | "ST" => out.push_str("Saint"),
            "Ste" | "STE" => out.push_str("Sainte"),
            w => out.push_str(w),
        }
        word.clear();
    };
    for c in name.chars() {
        if c.is_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(mut names: Vec<&str>) -> Vec<&str> {
        names.sort_by(|a, b| french(a, b));
        names
    }

    #[test]
    fn french_order() {
        assert_eq!(
            sorted(vec![
                "Saint-Symphorien-de-Lay",
                "Saint-Étienne",
                "Bourg-Argental",
                "Boën",
                "Écully",
                "Ecquevilly",
                "St-Chamond",
                "Roanne",
                "eybens"
            ]),
            vec![
                "Boën",
                "Bourg-Argental",
                "Ecquevilly",
                "Écully",
                "eybens",
                "Roanne",
                "St-Chamond",
                "Saint-Étienne",
                "Saint-Symphorien-de-Lay"
            ]
        );
    }
}
