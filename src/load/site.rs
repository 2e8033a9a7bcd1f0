//! One `data/sites/<slug>.toml` → [`Site`].

use super::toml_reader::{self, Reader};
use super::{markdown, urls};
use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use crate::hours::{Hours, hh_mm};
use crate::model::departements as zones;
use crate::model::{
    Address, Appointment, Contact, Convention, Equipment, Location, Precision, Site, SiteSpans,
};
use crate::text::{is_slug, slugify};
use toml::de::DeValue;

const SITE_KEYS: &[&str] = &[
    "name",
    "label",
    "structure",
    "services",
    "hours",
    "hours_note",
    "appointment",
    "timezone",
    "equipment",
    "wheelchair",
    "description",
    "address",
    "location",
    "contact",
    "convention",
    "private",
    "source",
    "open_overnight",
];

/// Reads one site file. Returns `None` only when it is not TOML at all.
///
/// The `[private]` table is accepted and dropped here, so no later stage can
/// publish it by mistake.
pub fn load_site(file: &str, text: &str, diags: &mut Diagnostics) -> Option<Site> {
    let slug = file
        .rsplit('/')
        .next()?
        .trim_end_matches(".toml")
        .to_string();
    if !is_slug(&slug) {
        diags.push(
            Diagnostic::error(
                "bad-slug",
                Span::file(file),
                format!(
                    "`{slug}` cannot be a public id: use lowercase letters, digits and hyphens"
                ),
            )
            .help(format!("rename the file to {}.toml", slugify(&slug))),
        );
    }
    let doc = toml_reader::parse(file, text, 0, text, diags)?;
    let t = doc.get_ref();
    let top = Span::file(file);
    let mut r = Reader::new(file, text, 0, diags);
    r.deny_unknown(t, SITE_KEYS, "a site file");

    let name = r
        .required_string(t, "name", &top, "name = \"France services de …\"")
        .map(|v| formula_checked(&mut r, "name", v));
    let label = r.required_string(t, "label", &top, "label = \"france-services\"");
    let services = r.string_list(t, "services");

    let hours_src = r.string(t, "hours");
    // Read here and not kept: it only silences the overnight warning.
    let overnight_ok = r.bool(t, "open_overnight") == Some(true);
    let hours = hours_src
        .as_ref()
        .and_then(|(src, span)| parse_hours(&mut r, src, span, overnight_ok));

    let appointment = match r.string(t, "appointment") {
        None => Appointment::Unknown,
        Some((v, span)) => match v.as_str() {
            "none" => Appointment::None,
            "recommended" => Appointment::Recommended,
            "required" => Appointment::Required,
            _ => {
                r.diags.push(
                    Diagnostic::error("bad-value", span, format!("unknown appointment rule `{v}`"))
                        .help("use \"none\", \"recommended\" or \"required\""),
                );
                Appointment::Unknown
            }
        },
    };

    let address = read_address(&mut r, t, &top);
    let location = read_location(&mut r, t);
    let contact = read_contact(&mut r, t);
    let equipment = read_equipment(&mut r, t);
    let convention = read_convention(&mut r, t);

    let departement = address
        .as_ref()
        .and_then(|a| zones::departement_code(&a.postcode, a.insee.as_deref()))
        .unwrap_or_default();
    let from_departement = zones::timezone_for_departement(&departement);
    let timezone = match r.string(t, "timezone") {
        Some((tz, span)) => tz.parse::<chrono_tz::Tz>().unwrap_or_else(|_| {
            r.diags.push(
                Diagnostic::error("bad-timezone", span, format!("unknown time zone `{tz}`"))
                    .help("use an IANA name such as Europe/Paris or Indian/Reunion"),
            );
            from_departement
        }),
        None => from_departement,
    };

    let wheelchair = r.bool(t, "wheelchair");
    let text = |r: &mut Reader<'_>, key: &str| {
        r.string(t, key)
            .map(|v| formula_checked(r, key, v))
            .map(|(v, _)| v)
    };
    let structure = text(&mut r, "structure");
    let hours_note = text(&mut r, "hours_note");
    let description = r.string(t, "description").map(|v| {
        let (v, span) = formula_checked(&mut r, "description", v);
        // Markdown whose problems are reported at the field: the escapes of
        // a TOML string keep offsets in its value from matching the file.
        for (_, problem) in markdown::scan(&v) {
            r.diags.push(markdown::diagnostic(&problem, span.clone()));
        }
        v
    });
    // Provenance written by `guichet import`; a free-text string is fine too.
    // Keys are checked so that a typo in `keep` does not silently let a
    // re-import overwrite an editor's correction.
    if let Some(DeValue::Table(_)) = t.get("source").map(|v| v.get_ref())
        && let Some((s, _)) = r.table(t, "source")
    {
        r.deny_unknown(s, &["dataset", "id", "name", "updated", "keep"], "[source]");
    }
    if let Some((p, _)) = r.table(t, "private") {
        // Only its shape is checked; the values are never kept.
        let _ = p;
    }
    // A site with errors is still returned (the errors block the build), so
    // checks across files do not cascade into "unknown site" noise.
    let (name, name_span) = name.unwrap_or_else(|| (slug.clone(), top.clone()));
    let (label, label_span) = label.unwrap_or_else(|| (String::new(), top.clone()));
    let address = address.unwrap_or_else(|| Address {
        street: None,
        postcode: String::new(),
        commune: String::new(),
        insee: None,
    });
    Some(Site {
        slug,
        name,
        label,
        structure,
        services: services.iter().map(|(s, _)| s.clone()).collect(),
        hours_source: hours_src.map(|(s, _)| s),
        holidays_from_label: false,
        hours,
        hours_note,
        appointment,
        timezone,
        departement,
        equipment,
        wheelchair,
        description,
        address,
        location,
        contact,
        convention,
        file: file.to_string(),
        spans: SiteSpans {
            name: Some(name_span),
            label: Some(label_span),
            services: services.into_iter().map(|(_, s)| s).collect(),
            hours: hours_src_span(t, &r),
        },
    })
}

fn hours_src_span(t: &toml_reader::Table<'_>, r: &Reader<'_>) -> Option<Span> {
    t.iter()
        .find(|(k, _)| k.get_ref() == "hours")
        .map(|(_, v)| r.span(v.span().start))
}

/// Parses opening hours, pointing a syntax error at its column in the file.
/// An opening that crosses midnight is a warning unless `overnight_ok` (the
/// site says `open_overnight = true`): swapped times are the usual cause.
pub(crate) fn parse_hours(
    r: &mut Reader<'_>,
    src: &str,
    span: &Span,
    overnight_ok: bool,
) -> Option<Hours> {
    match Hours::parse(src) {
        Ok(h) => {
            if !overnight_ok {
                for (start, end) in h.overnight_spans() {
                    r.diags.push(overnight_warning(src, span, start, end));
                }
            }
            Some(h)
        }
        Err(e) => {
            // +1 for the opening quote of the TOML string.
            let at = Span {
                column: span.column + e.column,
                ..span.clone()
            };
            r.diags.push(
                Diagnostic::error("bad-hours", at, format!("cannot read the opening hours: {}", e.message))
                    .help("hours use the OpenStreetMap syntax, e.g. \"Mo-Fr 09:00-12:00,13:30-17:00; PH off\""),
            );
            None
        }
    }
}

/// The warning for an opening from `start` to `end` (minutes) that crosses
/// midnight, at the interval in the hours text when it can be found.
fn overnight_warning(src: &str, span: &Span, start: u16, end: u16) -> Diagnostic {
    let (from, to) = (hh_mm(start), hh_mm(end));
    let written = format!("{from}-{to}");
    let column = match src.find(&written) {
        // +1 for the opening quote of the TOML string.
        Some(at) => span.column + 1 + src[..at].chars().count(),
        None => span.column,
    };
    let length = 1440 - start + end;
    Diagnostic::warning(
        "hours-overnight",
        Span {
            column,
            ..span.clone()
        },
        format!(
            "`{written}` ends before it starts, so it reads as open overnight, {} h {:02} in a row",
            length / 60,
            length % 60
        ),
    )
    .help(format!(
        "if it closes at {from}, swap the times: `{to}-{from}`; if it really is open overnight, write the end past 24:00 (`{from}-{}`) or, in a site file, add `open_overnight = true`",
        hh_mm(end + 1440)
    ))
}

fn read_address(r: &mut Reader<'_>, t: &toml_reader::Table<'_>, top: &Span) -> Option<Address> {
    let Some((a, span)) = r.table(t, "address") else {
        r.missing(
            top.clone(),
            "[address]",
            "[address] with postcode = \"92260\" and commune = \"…\"",
        );
        return None;
    };
    r.deny_unknown(a, &["street", "postcode", "commune", "insee"], "[address]");
    let street = r
        .string(a, "street")
        .map(|v| formula_checked(r, "street", v).0);
    let postcode = r.required_string(a, "postcode", &span, "postcode = \"92260\"");
    let commune = r
        .required_string(a, "commune", &span, "commune = \"Fontenay-aux-Roses\"")
        .map(|v| formula_checked(r, "commune", v));
    let insee = r.string(a, "insee");
    if let Some((p, s)) = &postcode
        && (p.len() != 5 || !p.chars().all(|c| c.is_ascii_digit()))
    {
        r.diags.push(
            Diagnostic::error(
                "bad-postcode",
                s.clone(),
                format!("postcode `{p}` is not 5 digits"),
            )
            .help("French postcodes have five digits, e.g. \"92260\" or \"97430\""),
        );
    }
    if let Some((i, s)) = &insee {
        let ok = i.len() == 5 && i.chars().all(|c| c.is_ascii_alphanumeric());
        if !ok {
            r.diags.push(Diagnostic::error(
                "bad-insee",
                s.clone(),
                format!("INSEE code `{i}` is not 5 characters"),
            ));
        }
    }
    Some(Address {
        street,
        postcode: postcode?.0,
        commune: commune?.0,
        insee: insee.map(|(v, _)| v),
    })
}

fn read_location(r: &mut Reader<'_>, t: &toml_reader::Table<'_>) -> Option<Location> {
    let (l, span) = r.table(t, "location")?;
    r.deny_unknown(l, &["lat", "lon", "precision"], "[location]");
    let lat = r.number(l, "lat");
    let lon = r.number(l, "lon");
    if lat.is_none() && !l.iter().any(|(k, _)| k.get_ref() == "lat") {
        r.missing(span.clone(), "lat", "lat = 48.7893");
    }
    if lon.is_none() && !l.iter().any(|(k, _)| k.get_ref() == "lon") {
        r.missing(span.clone(), "lon", "lon = 2.2868");
    }
    let precision = match r.string(l, "precision") {
        None => Precision::Address,
        Some((v, s)) => match v.as_str() {
            "address" => Precision::Address,
            "commune" => Precision::Commune,
            _ => {
                r.diags.push(
                    Diagnostic::error("bad-value", s, format!("unknown precision `{v}`"))
                        .help("use \"address\" or \"commune\""),
                );
                Precision::Address
            }
        },
    };
    let (lat, lat_span) = lat?;
    let (lon, lon_span) = lon?;
    let mut ok = true;
    if !(-90.0..=90.0).contains(&lat) {
        r.diags.push(Diagnostic::error(
            "bad-coordinates",
            lat_span,
            format!("latitude {lat} is out of range (-90 to 90)"),
        ));
        ok = false;
    }
    if !(-180.0..=180.0).contains(&lon) {
        r.diags.push(
            Diagnostic::error(
                "bad-coordinates",
                lon_span,
                format!("longitude {lon} is out of range (-180 to 180)"),
            )
            .help("check that lat and lon are not swapped"),
        );
        ok = false;
    }
    ok.then_some(Location {
        lat,
        lon,
        precision,
    })
}

fn read_contact(r: &mut Reader<'_>, t: &toml_reader::Table<'_>) -> Contact {
    let Some((c, _)) = r.table(t, "contact") else {
        return Contact::default();
    };
    r.deny_unknown(
        c,
        &["email", "phone", "website"],
        "[contact] (public contact only: put internal numbers in [private])",
    );
    let email = r.string(c, "email");
    if let Some((e, s)) = &email
        && (!e.contains('@') || e.contains(' '))
    {
        r.diags.push(Diagnostic::error(
            "bad-email",
            s.clone(),
            format!("`{e}` is not an e-mail address"),
        ));
    }
    // A refused address is reported and dropped, so no page can link to it.
    let website = r
        .string(c, "website")
        .filter(|(v, span)| checked_url(r, v, span, true));
    Contact {
        email: email.map(|(v, _)| v),
        phone: r.string(c, "phone").map(|(v, _)| v),
        website: website.map(|(v, _)| v),
    }
}

/// Warns about text that a spreadsheet opening `donnees/lieux.csv` would
/// run as a formula; the export neutralises it, but it is rarely meant.
fn formula_checked(r: &mut Reader<'_>, key: &str, (value, span): (String, Span)) -> (String, Span) {
    if crate::spreadsheet::is_formula(&value) {
        let first = value.chars().next().unwrap_or(' ').escape_debug();
        r.diags.push(
            Diagnostic::warning(
                "formula-like",
                span.clone(),
                format!("`{key}` starts with `{first}`, which a spreadsheet reads as a formula"),
            )
            .help("donnees/lieux.csv writes it after an apostrophe; start the text with a letter or digit unless the sign is meant"),
        );
    }
    (value, span)
}

/// Reports `url` at `span` unless it is safe to publish.
fn checked_url(r: &mut Reader<'_>, url: &str, span: &Span, absolute: bool) -> bool {
    match urls::check(url, absolute) {
        Ok(()) => true,
        Err(problem) => {
            r.diags.push(urls::diagnostic(url, &problem, span.clone()));
            false
        }
    }
}

fn read_equipment(r: &mut Reader<'_>, t: &toml_reader::Table<'_>) -> Equipment {
    let Some((e, _)) = r.table(t, "equipment") else {
        return Equipment::default();
    };
    r.deny_unknown(
        e,
        &["computers", "printer", "scanner", "video_call"],
        "equipment",
    );
    Equipment {
        computers: r
            .integer(e, "computers")
            .and_then(|n| u32::try_from(n).ok()),
        printer: r.bool(e, "printer"),
        scanner: r.bool(e, "scanner"),
        video_call: r.bool(e, "video_call"),
    }
}

fn read_convention(r: &mut Reader<'_>, t: &toml_reader::Table<'_>) -> Convention {
    let Some((c, _)) = r.table(t, "convention") else {
        return Convention::default();
    };
    r.deny_unknown(
        c,
        &["partner", "document", "signed", "expires", "renewal"],
        "[convention]",
    );
    let expires = r.date(c, "expires");
    Convention {
        partner: r.string(c, "partner").map(|(v, _)| v),
        // A document is a reference ("003") or an address.
        document: r
            .string(c, "document")
            .filter(|(v, span)| checked_url(r, v, span, false))
            .map(|(v, _)| v),
        signed: r.date(c, "signed").map(|(d, _)| d),
        expires_span: expires.as_ref().map(|(_, s)| s.clone()),
        expires: expires.map(|(d, _)| d),
        renewal: r.string(c, "renewal").map(|(v, _)| v),
    }
}
