//! The directory as plain data: no I/O, no rendering.
//!
//! Values that an editor typed keep a [`Span`] where a later stage may need to
//! point back at them (unknown references, charter findings).

use crate::diagnostics::Span;
use crate::hours::Hours;
use chrono::NaiveDate;
pub use editor::{EditorSettings, GitHost};
use serde::Serialize;
use std::collections::BTreeMap;

pub mod departements;
mod editor;
mod notice;
pub use notice::{Notice, NoticeKind, NoticeState};

/// Directory-wide settings from `guichet.toml`.
#[derive(Debug, Clone, Serialize)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Always ends with `/`.
    pub base_url: String,
    pub language: String,
    /// Default time zone, for notices of unknown sites and the build's date.
    #[serde(serialize_with = "zone_name")]
    pub timezone: chrono_tz::Tz,
    pub map: MapConfig,
    /// `[editor]`: the built site gets the browser editor at `/admin/`.
    pub editor: Option<EditorSettings>,
}

/// Where map tiles come from (the page works without them).
#[derive(Debug, Clone, Serialize)]
pub struct MapConfig {
    pub tiles: String,
    pub attribution: String,
}

impl Config {
    /// Sets the URL the site is served under; a missing final `/` is added,
    /// since every link is made by appending to it.
    pub fn set_base_url(&mut self, url: &str) {
        self.base_url = url.to_string();
        if !self.base_url.ends_with('/') {
            self.base_url.push('/');
        }
    }
}

impl Default for Config {
    fn default() -> Config {
        Config {
            title: "Annuaire des points d'accès aux services publics".into(),
            description: String::new(),
            base_url: "/".into(),
            language: "fr".into(),
            timezone: chrono_tz::Europe::Paris,
            map: MapConfig {
                tiles: "https://tile.openstreetmap.org/{z}/{x}/{y}.png".into(),
                attribution: "© les contributeurs d'OpenStreetMap".into(),
            },
            editor: None,
        }
    }
}

/// A label (France services, Point Relais Caf…) and the rules of its charter.
#[derive(Debug, Clone, Serialize)]
pub struct Label {
    pub id: String,
    pub name: String,
    pub short: String,
    pub description: String,
    /// Key of the charter page in `content/charters/`.
    pub charter: String,
    pub source: String,
    /// Its sites close on public holidays unless their own hours have a
    /// `PH` rule (`public_holidays = "closed"` in `data/labels.toml`).
    pub closed_on_public_holidays: bool,
    pub rules: LabelRules,
    #[serde(skip)]
    pub span: Span,
}

/// A label's charter rules. Each rule carries its citation.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LabelRules {
    /// The charter requires published hours: a site without any is a
    /// charter error, not only a warning.
    pub requires_hours: bool,
    pub min_weekly_hours: Option<f64>,
    pub min_open_days: Option<u32>,
    pub min_half_days: Option<u32>,
    pub closure_notice_days: Option<u32>,
    pub required_services: Vec<String>,
    /// Days before a convention's end when `check` starts warning.
    pub convention_warning_days: Option<u32>,
    /// Rule key → citation ("Charte nationale France services, art. 2.4 (document 004)").
    pub cite: BTreeMap<String, String>,
    #[serde(skip)]
    pub spans: BTreeMap<String, Span>,
}

/// A service residents can get help with (an operator of the bouquet, a Caf service…).
#[derive(Debug, Clone, Serialize)]
pub struct Service {
    pub id: String,
    pub name: String,
    pub operator: String,
    pub theme: String,
    /// Everyday words residents type to find it ("carte grise", "impots").
    pub keywords: Vec<String>,
}

/// Whether a visit needs an appointment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Appointment {
    None,
    Recommended,
    Required,
    /// The sources do not say: never shown or filtered as "none".
    Unknown,
}

impl Appointment {
    /// `None` when not stated, for exports where a missing value is null.
    pub fn known(self) -> Option<Appointment> {
        (self != Appointment::Unknown).then_some(self)
    }
}

/// How precise a site's coordinates are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// The building.
    Address,
    /// Only the commune is known: its representative point.
    Commune,
}

#[derive(Debug, Clone, Serialize)]
pub struct Address {
    pub street: Option<String>,
    pub postcode: String,
    pub commune: String,
    pub insee: Option<String>,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Location {
    pub lat: f64,
    pub lon: f64,
    pub precision: Precision,
}

/// Public contact details only; internal ones never reach the model.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Contact {
    pub email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
}

/// Equipment available to the public.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Equipment {
    pub computers: Option<u32>,
    pub printer: Option<bool>,
    pub scanner: Option<bool>,
    pub video_call: Option<bool>,
}

impl Equipment {
    pub fn is_empty(&self) -> bool {
        self.computers.is_none()
            && self.printer.is_none()
            && self.scanner.is_none()
            && self.video_call.is_none()
    }
}

/// The agreement that creates the access point.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Convention {
    pub partner: Option<String>,
    pub document: Option<String>,
    pub signed: Option<NaiveDate>,
    pub expires: Option<NaiveDate>,
    pub renewal: Option<String>,
    #[serde(skip)]
    pub expires_span: Option<Span>,
}

/// One access point; `slug` is its public id and file name.
#[derive(Debug, Clone, Serialize)]
pub struct Site {
    pub slug: String,
    pub name: String,
    pub label: String,
    pub structure: Option<String>,
    pub services: Vec<String>,
    /// `None` when the sources give no hours: shown as unknown, never guessed.
    #[serde(skip)]
    pub hours: Option<Hours>,
    pub hours_source: Option<String>,
    /// `hours` closes on public holidays by its label's rule, not its own
    /// (see [`crate::load::apply_label_rules`]).
    pub holidays_from_label: bool,
    pub hours_note: Option<String>,
    pub appointment: Appointment,
    /// From the site file, else its département's.
    #[serde(serialize_with = "zone_name")]
    pub timezone: chrono_tz::Tz,
    pub departement: String,
    pub equipment: Equipment,
    pub wheelchair: Option<bool>,
    pub description: Option<String>,
    pub address: Address,
    pub location: Option<Location>,
    pub contact: Contact,
    pub convention: Convention,
    /// Relative path of the site file.
    pub file: String,
    #[serde(skip)]
    pub spans: SiteSpans,
}

/// Where the values that later stages check came from.
#[derive(Debug, Clone, Default)]
pub struct SiteSpans {
    pub name: Option<Span>,
    pub label: Option<Span>,
    pub services: Vec<Span>,
    pub hours: Option<Span>,
}

/// A charter or free page: Markdown with a title.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    /// File stem: the label id for charters, the URL slug for pages.
    pub slug: String,
    pub title: String,
    pub source: Option<String>,
    pub markdown: String,
    pub file: String,
}

/// Everything loaded from one directory.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    pub config: Config,
    pub labels: BTreeMap<String, Label>,
    pub services: BTreeMap<String, Service>,
    /// Sorted by slug.
    pub sites: Vec<Site>,
    /// Sorted by start date, then file.
    pub notices: Vec<Notice>,
    pub charters: BTreeMap<String, Page>,
    pub pages: Vec<Page>,
}

impl Directory {
    pub fn site(&self, slug: &str) -> Option<&Site> {
        self.site_index(slug).map(|i| &self.sites[i])
    }

    /// Position of the site `slug` in [`Directory::sites`] (sorted by slug).
    pub fn site_index(&self, slug: &str) -> Option<usize> {
        self.sites
            .binary_search_by(|s| s.slug.as_str().cmp(slug))
            .ok()
    }
}

/// A time zone as its IANA name ("Europe/Paris").
pub fn zone_name<S: serde::Serializer>(tz: &chrono_tz::Tz, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(tz.name())
}
