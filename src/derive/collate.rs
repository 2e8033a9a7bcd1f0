//! French alphabetical order for every list residents read: accents and case
//! come after the letters themselves (Boën before Bourg-Argental), hyphens and
//! spaces do not count (Saint-Étienne before Saint-Symphorien), and "St" reads
//! as "Saint". The Unicode Collation Algorithm with the CLDR root order, which
//! is French order for France, does the work.

use crate::model::Site;
use feruca::{Collator, Tailoring};
use std::cell::RefCell;
use std::cmp::Ordering;

thread_local! {
    // A collator keeps scratch buffers between comparisons: one per thread.
    static COLLATOR: RefCell<Collator> =
        RefCell::new(Collator::new(Tailoring::default(), true, true));
}

/// Compares `a` and `b` as a French reader would sort them, numbers by
/// their value ("Paris 4e" before "Paris 11e").
pub fn french(a: &str, b: &str) -> Ordering {
    let (a, b) = (expand_abbreviations(a), expand_abbreviations(b));
    let (a, b) = (pad_numbers(&a), pad_numbers(&b));
    COLLATOR.with(|c| c.borrow_mut().collate(a.as_ref(), b.as_ref()))
}

/// Each site's position when all are sorted by commune, then name, in
/// French order; ties keep slug order. Listings sort by these numbers, so
/// the collator runs once per build, not once per listing a site is in.
pub fn rank_by_commune_and_name(sites: &[Site]) -> Vec<u32> {
    use rayon::prelude::*;
    let mut order: Vec<usize> = (0..sites.len()).collect();
    order.par_sort_by(|&a, &b| {
        let (x, y) = (&sites[a], &sites[b]);
        french(&x.address.commune, &y.address.commune)
            .then_with(|| french(&x.name, &y.name))
            .then(a.cmp(&b))
    });
    let mut rank = vec![0; order.len()];
    for (position, i) in order.into_iter().enumerate() {
        rank[i] = position as u32;
    }
    rank
}

/// Runs of digits left-padded to a common width, so that they collate by
/// value (the collator compares digits one by one).
fn pad_numbers(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return text.into();
    }
    const WIDTH: usize = 8;
    let mut out = String::with_capacity(text.len() + WIDTH);
    let mut digits = String::new();
    let flush = |digits: &mut String, out: &mut String| {
        for _ in digits.len()..WIDTH {
            out.push('0');
        }
        out.push_str(digits);
        digits.clear();
    };
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else {
            if !digits.is_empty() {
                flush(&mut digits, &mut out);
            }
            out.push(c);
        }
    }
    if !digits.is_empty() {
        flush(&mut digits, &mut out);
    }
    out.into()
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
    fn numbers_by_value() {
        assert_eq!(
            sorted(vec![
                "Paris 11e",
                "Paris 4e",
                "Paris 20e",
                "Lyon 8e",
                "Lyon 2e Arrondissement"
            ]),
            vec![
                "Lyon 2e Arrondissement",
                "Lyon 8e",
                "Paris 4e",
                "Paris 11e",
                "Paris 20e"
            ]
        );
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
