//! Turning the `opening-hours-syntax` parser errors into messages an editor of
//! the directory can act on: a 1-based character column and plain English
//! saying what was expected.
//!
//! The crate reports pest errors as a byte offset plus the list of grammar
//! rules that could have matched there (`timespan`, `wday`, `rules_modifier`…).
//! Grammar rule names mean nothing to the person who typed the hours, so each
//! is mapped to a phrase with an example, and the message quotes the text of
//! the rule being read so the reader can find the spot without counting.

use std::fmt;

use opening_hours_syntax::Error as SyntaxError;
use pest::error::{ErrorVariant, InputLocation};

/// A parse error in an `opening_hours` string.
#[derive(Debug, Clone, PartialEq)]
pub struct HoursError {
    /// 1-based column, counted in characters (not bytes) inside the hours string.
    pub column: usize,
    /// English message saying what was expected, e.g.
    /// "expected a time like 08:30 after `Mo `, found `25:00`".
    pub message: String,
}

impl fmt::Display for HoursError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "column {}: {}", self.column, self.message)
    }
}

impl std::error::Error for HoursError {}

impl HoursError {
    fn at_byte(src: &str, byte: usize, message: String) -> Self {
        Self {
            column: column_of(src, byte),
            message,
        }
    }

    /// The error for a text with nothing but spaces.
    pub(crate) fn empty() -> Self {
        Self {
            column: 1,
            message: "expected opening hours like `Mo-Fr 09:00-12:00`, found an empty text"
                .to_owned(),
        }
    }

    /// The grammar reads a run of spaces where a rule is expected as an empty
    /// rule, which means "open 24/7": refuse it rather than show a site as
    /// always open because of a typo.
    pub(crate) fn stray_spaces(src: &str) -> Self {
        let byte = src.find("  ").unwrap_or(0);
        Self::at_byte(
            src,
            byte,
            "unexpected spaces where a rule was expected (an empty rule would mean open 24/7)"
                .to_owned(),
        )
    }

    /// Move the column right by the characters trimmed off the front.
    pub(crate) fn shifted(mut self, chars: usize) -> Self {
        self.column += chars;
        self
    }
}

/// 1-based character column of a byte offset, tolerant of offsets that are out
/// of range or not on a character boundary (never panics).
fn column_of(src: &str, byte: usize) -> usize {
    src.char_indices().take_while(|(i, _)| *i < byte).count() + 1
}

/// Phrases for the grammar rules pest can report, most specific first: when
/// several rules could have matched, the first phrase in this list wins so
/// that "Mo 25:00" says "expected a time" rather than "expected `;`".
const EXPECTATIONS: &[(&[&str], &str)] = &[
    (
        &["timespan_plus"],
        "`-` and a closing time (as in 10:00-12:00)",
    ),
    (
        &["extended_time", "extended_hour_minutes", "extended_hour"],
        "a closing time like 12:00",
    ),
    (
        &[
            "timespan",
            "time",
            "hour_minutes",
            "hour",
            "time_selector",
            "variable_time",
            "event",
        ],
        "a time like 08:30",
    ),
    (&["minute"], "two-digit minutes like 08:30"),
    (
        &["nth_entry", "nth", "nth_minus"],
        "a week of the month from 1 to 5, or -1 for the last",
    ),
    (
        &[
            "wday",
            "weekday_range",
            "weekday_sequence",
            "weekday_selector",
        ],
        "a weekday (Mo, Tu, We, Th, Fr, Sa, Su)",
    ),
    (
        &["small_range_selectors"],
        "a weekday like Mo or a time like 08:30",
    ),
    (
        &["daynum", "daynum_digits"],
        "a day of the month from 1 to 31",
    ),
    (
        &[
            "month",
            "monthday_range",
            "monthday_selector",
            "date_from",
            "date_to",
        ],
        "a month like Dec",
    ),
    (
        &["weeknum", "week", "week_selector"],
        "a week number from 01 to 53",
    ),
    (&["year", "year_range", "year_selector"], "a year like 2026"),
    (&["always_open"], "24/7"),
    (
        &["plus_or_minus", "day_offset", "date_offset"],
        "an offset like +1 day",
    ),
    (&["positive_number"], "a number"),
    (&["holiday", "holiday_sequence", "public_holiday"], "PH"),
    (&["rules_modifier", "rules_modifier_enum"], "`off`"),
    (&["comment", "rules_modifier"], "a \"quoted comment\""),
    (
        &[
            "any_rule_separator",
            "normal_rule_separator",
            "additional_rule_separator",
        ],
        "`;` and the next rule",
    ),
    (&["EOI"], "the end of the text"),
];

/// Categories that only make sense as the main expectation when nothing more
/// specific is on offer (they are reachable after almost any token).
const GENERIC: &[&str] = &[
    "PH",
    "`off`",
    "a \"quoted comment\"",
    "`;` and the next rule",
    "the end of the text",
    "an offset like +1 day",
];

/// Convert an error of the syntax crate into an [`HoursError`].
pub(crate) fn from_syntax(src: &str, err: &SyntaxError) -> HoursError {
    if src.trim().is_empty() {
        return HoursError::empty();
    }
    match err {
        SyntaxError::Syntax(pest_err) => {
            let byte = match pest_err.location {
                InputLocation::Pos(p) => p,
                InputLocation::Span((p, _)) => p,
            };
            let message = match &pest_err.variant {
                ErrorVariant::ParsingError {
                    positives,
                    negatives,
                } => {
                    let names: Vec<String> = positives.iter().map(|r| format!("{r:?}")).collect();
                    let unexpected = !negatives.is_empty();
                    syntax_message(src, byte, &names, unexpected)
                }
                ErrorVariant::CustomError { message } => message.clone(),
            };
            HoursError::at_byte(src, byte, message)
        }
        SyntaxError::InvalidExtendedTime { hour, minutes } => {
            let needle = format!("{hour}:{minutes:02}");
            HoursError::at_byte(
                src,
                find_byte(src, &needle),
                format!(
                    "`{needle}` is not a valid time: hours go up to 24:00 (48:00 past midnight)"
                ),
            )
        }
        SyntaxError::Overflow {
            value,
            expected_bounds,
        } => HoursError::at_byte(
            src,
            find_byte(src, &value.to_string()),
            format!(
                "{value} is too large: expected a number between {} and {}",
                expected_bounds.start(),
                expected_bounds.end()
            ),
        ),
        SyntaxError::InvertedWeekRange { start, end, .. } => HoursError::at_byte(
            src,
            find_byte(src, "week"),
            format!(
                "the week range {:02}-{:02} goes backwards: write it in increasing order, \
                 or split it like `week {:02}-53,01-{:02}`",
                start.0, end.0, start.0, end.0
            ),
        ),
        SyntaxError::InvertedYearRange { start, end, .. } => HoursError::at_byte(
            src,
            find_byte(src, &start.0.to_string()),
            format!(
                "the year range {}-{} goes backwards: expected the earlier year first",
                start.0, end.0
            ),
        ),
        SyntaxError::Unsupported(what) => HoursError {
            column: 1,
            message: format!("this opening-hours feature is not supported: {what}"),
        },
        other => HoursError {
            column: 1,
            message: format!("could not read the hours: {other}"),
        },
    }
}

fn find_byte(src: &str, needle: &str) -> usize {
    src.find(needle).unwrap_or(0)
}

/// Build "expected X after `…`, found `…`" from the rule names pest offered.
fn syntax_message(src: &str, byte: usize, rule_names: &[String], unexpected: bool) -> String {
    let before = src.get(..byte).unwrap_or(src);
    let after = src.get(byte..).unwrap_or("");
    let found = found_token(after);

    let mut phrases: Vec<&str> = Vec::new();
    for (rules, phrase) in EXPECTATIONS {
        if rule_names.iter().any(|n| rules.contains(&n.as_str())) && !phrases.contains(phrase) {
            phrases.push(phrase);
        }
    }
    let context = rule_context(before);
    let place = if context.trim().is_empty() {
        "at the start of the rule".to_owned()
    } else {
        format!("after `{context}`")
    };
    if after.starts_with('"') && !after[1..].contains('"') {
        return "this comment has no closing `\"`".to_owned();
    }
    // Keep only the specific expectations when there are any: listing every
    // grammatically possible continuation buries the useful one.
    let specific: Vec<&str> = phrases
        .iter()
        .copied()
        .filter(|p| !GENERIC.contains(p))
        .collect();
    if !specific.is_empty() && !unexpected {
        let specific: Vec<&str> = specific.into_iter().take(3).collect();
        return format!("expected {} {place}, found {found}", join_or(&specific));
    }
    if phrases.is_empty() {
        return format!("unexpected {found} {place}");
    }
    format!("unexpected {found} {place}: expected {}", join_or(&phrases))
}

/// The text of the rule being read, up to the error: everything since the last
/// `;` outside quotes, at most 24 characters (older text is elided).
fn rule_context(before: &str) -> String {
    let mut in_quotes = false;
    let mut start = 0;
    for (i, c) in before.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            ';' if !in_quotes => start = i + 1,
            _ => {}
        }
    }
    let rule = before.get(start..).unwrap_or("").trim_start();
    let count = rule.chars().count();
    if count > 24 {
        let tail: String = rule.chars().skip(count - 23).collect();
        format!("…{tail}")
    } else {
        rule.to_owned()
    }
}

/// Describe what stands at the error position: a word or number, or one
/// character, or the end of the text.
fn found_token(after: &str) -> String {
    let mut chars = after.chars();
    let Some(first) = chars.next() else {
        return "the end of the text".to_owned();
    };
    if first.is_alphanumeric() {
        let word: String = after
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == ':')
            .take(12)
            .collect();
        format!("`{word}`")
    } else if first == ' ' {
        "` ` (a space)".to_owned()
    } else {
        format!("`{first}`")
    }
}

fn join_or(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}
