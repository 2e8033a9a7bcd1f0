//! `lieux/<slug>/fermetures.ics`: a site's closures and temporary hours as an
//! iCalendar file (RFC 5545) residents can subscribe to.
//!
//! Each notice is one all-day event whose UID is `<notice id>@<host>`: the
//! notice's file name never changes when it is edited, so a subscribed
//! calendar updates the event instead of adding a second one.

use super::{announced, host};
use crate::derive::Derived;
use crate::hours::french;
use crate::model::{Directory, NoticeKind};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// The calendar of site `i`.
pub fn site_calendar(dir: &Directory, d: &Derived, i: usize, base_url: &str) -> String {
    let site = &dir.sites[i];
    let page = format!("{base_url}lieux/{}/", site.slug);
    let name = format!("Fermetures — {}", site.name);
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".into(),
        "PRODID:-//guichet//Annuaire des points d'accès//FR".into(),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        format!("NAME:{}", text(&name)),
        format!("X-WR-CALNAME:{}", text(&name)),
        format!("X-WR-TIMEZONE:{}", site.timezone),
        format!("URL:{page}"),
        // Ask subscribed calendars to look again twice a day (RFC 7986).
        "REFRESH-INTERVAL;VALUE=DURATION:PT12H".into(),
        "X-PUBLISHED-TTL:PT12H".into(),
    ];
    let mut notices: Vec<_> = d.sites[i]
        .notices
        .iter()
        .map(|&n| &dir.notices[n])
        .filter(|n| n.kind != NoticeKind::Info)
        .collect();
    notices.sort_by(|a, b| (a.from, &a.id).cmp(&(b.from, &b.id)));
    let location = match &site.address.street {
        Some(street) => format!(
            "{street}, {} {}",
            site.address.postcode, site.address.commune
        ),
        None => format!("{} {}", site.address.postcode, site.address.commune),
    };
    for n in notices {
        let mut description = String::new();
        let open_days: Vec<_> = n.hours.as_ref().map_or_else(Vec::new, |h| {
            french::day_lines(h.weekly())
                .into_iter()
                .filter(|l| !l.closed)
                .collect()
        });
        if !open_days.is_empty() {
            description.push_str("Horaires pendant cette période :\n");
            for line in open_days {
                description.push_str(&format!("{} : {}\n", line.day, line.text));
            }
            description.push('\n');
        }
        description.push_str(&plain_text(&n.markdown));
        description.push_str(&format!("\n\n{page}"));
        lines.extend(all_day_event(&CalendarEvent {
            uid: &format!("{}@{}", n.id, host(base_url)),
            // The announcement date, not the build clock: unchanged notices
            // keep byte-identical events.
            stamp: announced(n),
            from: n.from,
            to: n.to,
            summary: &n.headline(),
            description: description.trim(),
            location: &location,
            page: &page,
        }));
    }
    // Public holidays on which the site would usually open: residents
    // subscribed to its closures need them as much as a notice.
    for day in d.sites[i].closures.iter().filter(|c| c.kind == "holiday") {
        let uid = format!(
            "ferie-{}-{}@{}",
            day.from.format("%Y%m%d"),
            site.slug,
            host(base_url)
        );
        lines.extend(all_day_event(&CalendarEvent {
            uid: &uid,
            // The day itself: the same event is byte-identical in every build.
            stamp: day.from,
            from: day.from,
            to: day.to,
            summary: &format!("Fermé : {}", day.reason),
            description: &format!("Fermé les jours fériés.\n\n{page}"),
            location: &location,
            page: &page,
        }));
    }
    lines.push("END:VCALENDAR".into());
    let mut out = String::new();
    for line in &lines {
        fold(line, &mut out);
    }
    out
}

/// An all-day event of a site's calendar, `from` to `to` inclusive.
struct CalendarEvent<'a> {
    uid: &'a str,
    /// DTSTAMP: a date of the event's own, never the build clock.
    stamp: chrono::NaiveDate,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    summary: &'a str,
    description: &'a str,
    location: &'a str,
    page: &'a str,
}

/// The lines of `e`, unfolded.
fn all_day_event(e: &CalendarEvent<'_>) -> [String; 12] {
    [
        "BEGIN:VEVENT".to_string(),
        format!("UID:{}", text(e.uid)),
        format!("DTSTAMP:{}T000000Z", e.stamp.format("%Y%m%d")),
        format!("DTSTART;VALUE=DATE:{}", e.from.format("%Y%m%d")),
        // DTEND is exclusive: the day after the last day.
        format!(
            "DTEND;VALUE=DATE:{}",
            e.to.succ_opt().unwrap_or(e.to).format("%Y%m%d")
        ),
        format!("SUMMARY:{}", text(e.summary)),
        format!("DESCRIPTION:{}", text(e.description)),
        format!("LOCATION:{}", text(e.location)),
        format!("URL:{}", e.page),
        "STATUS:CONFIRMED".into(),
        // A closure of the guichet does not make the subscriber busy.
        "TRANSP:TRANSPARENT".into(),
        "END:VEVENT".into(),
    ]
}

/// Markdown as plain text that keeps its paragraphs and list items on their
/// own lines: calendar apps show DESCRIPTION as text, not HTML.
fn plain_text(markdown: &str) -> String {
    let mut out = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            Event::Start(Tag::Item) => out.push_str("- "),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_)) => out.push_str("\n\n"),
            Event::End(TagEnd::Item) => out.push('\n'),
            Event::End(TagEnd::List(_)) => out.push('\n'),
            _ => {}
        }
    }
    // Tight list items hold no paragraph: collapse the blank lines they leave.
    while out.contains("\n\n\n") {
        out = out.replace("\n\n\n", "\n\n");
    }
    out.trim().to_string()
}

/// Escapes a TEXT value (RFC 5545 §3.3.11).
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends `line` folded at 75 octets (RFC 5545 §3.1), never inside a UTF-8
/// character, each physical line ending with CRLF.
fn fold(line: &str, out: &mut String) {
    let mut budget = 75;
    let mut used = 0;
    for c in line.chars() {
        if used + c.len_utf8() > budget {
            out.push_str("\r\n ");
            // The leading space counts towards the next line's 75 octets.
            budget = 74;
            used = 0;
        }
        out.push(c);
        used += c.len_utf8();
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_on_character_boundaries() {
        let line = format!("DESCRIPTION:{}", "é".repeat(100));
        let mut out = String::new();
        fold(&line, &mut out);
        assert!(out.ends_with("\r\n"));
        for physical in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(physical.len() <= 75, "{} octets", physical.len());
        }
        let unfolded = out.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, line);
    }

    #[test]
    fn descriptions_keep_paragraphs_and_list_items() {
        let text = plain_text("Un **deux**.\n\n- trois ;\n- quatre.\n\nCinq.");
        assert_eq!(text, "Un deux.\n\n- trois ;\n- quatre.\n\nCinq.");
    }

    #[test]
    fn text_values_are_escaped() {
        assert_eq!(text("a, b; c\\d\ne"), "a\\, b\\; c\\\\d\\ne");
    }
}
