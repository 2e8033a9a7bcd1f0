//! Text that a spreadsheet would run. Caf teams open `donnees/lieux.csv` in
//! a spreadsheet, where a cell starting with `=`, `+`, `-` or `@` (or a tab
//! or carriage return before one) is read as a formula: `=HYPERLINK(…)` in a
//! site's name becomes a live link, or worse. OWASP's advice on CSV
//! injection: prefix such cells with an apostrophe, which spreadsheets show
//! as text and hide.

use std::borrow::Cow;

/// Characters that make a spreadsheet read a cell as a formula.
const TRIGGERS: &[char] = &['=', '+', '-', '@', '\t', '\r'];

/// Whether a spreadsheet would read `cell` as a formula. A plain number
/// (`-21.1151`, `+33141132144`) cannot call anything and is left alone, so
/// coordinates and international phone numbers keep their standard form.
pub fn is_formula(cell: &str) -> bool {
    cell.starts_with(TRIGGERS) && !is_number(cell)
}

fn is_number(cell: &str) -> bool {
    let digits = cell.strip_prefix(['+', '-']).unwrap_or(cell);
    !digits.is_empty()
        && digits.chars().any(|c| c.is_ascii_digit())
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// `cell` as a spreadsheet shows it as text: an apostrophe before a formula.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if is_formula(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_get_an_apostrophe_numbers_do_not() {
        for cell in [
            "=HYPERLINK(\"http://x\",\"V\")",
            "+1+1",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
            "-",
            "+33 1 41",
        ] {
            assert_eq!(neutralise(cell), format!("'{cell}"), "{cell:?}");
        }
        for cell in ["-21.1151", "+33141132144", "55.5", "Fontenay", "", "a=b"] {
            assert_eq!(neutralise(cell), cell, "{cell:?}");
        }
    }
}
