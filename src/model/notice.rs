//! Closure, temporary-hours and information notices.

use crate::diagnostics::Span;
use crate::hours::Hours;
use chrono::NaiveDate;
use serde::Serialize;

/// What a notice announces. Adding a kind is adding a variant here and its
/// French wording in the theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NoticeKind {
    /// The site is closed on every day of the range.
    Closure,
    /// Temporary hours replace the usual ones on every day of the range.
    Hours,
    /// Information only: hours unchanged.
    Info,
}

impl NoticeKind {
    pub fn parse(s: &str) -> Option<NoticeKind> {
        match s {
            "closure" => Some(NoticeKind::Closure),
            "hours" => Some(NoticeKind::Hours),
            "info" => Some(NoticeKind::Info),
            _ => None,
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            NoticeKind::Closure => "closure",
            NoticeKind::Hours => "hours",
            NoticeKind::Info => "info",
        }
    }

    /// French name shown to residents.
    pub fn french(self) -> &'static str {
        match self {
            NoticeKind::Closure => "Fermeture exceptionnelle",
            NoticeKind::Hours => "Horaires modifiés",
            NoticeKind::Info => "Information",
        }
    }
}

/// Where a notice stands relative to the build clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NoticeState {
    Upcoming,
    Active,
    Past,
}

/// A notice from `content/notices/*.md`.
#[derive(Debug, Clone, Serialize)]
pub struct Notice {
    /// File stem, unique: used in URLs, feed ids and calendar UIDs.
    pub id: String,
    pub site: String,
    pub kind: NoticeKind,
    pub from: NaiveDate,
    /// Inclusive.
    pub to: NaiveDate,
    pub published: Option<NaiveDate>,
    pub title: String,
    pub markdown: String,
    /// Temporary hours, for `kind = "hours"`.
    #[serde(skip)]
    pub hours: Option<Hours>,
    pub hours_source: Option<String>,
    pub file: String,
    #[serde(skip)]
    pub site_span: Span,
    #[serde(skip)]
    pub from_span: Span,
}

impl Notice {
    /// State on `today` (a date in the site's time zone).
    pub fn state(&self, today: NaiveDate) -> NoticeState {
        if today < self.from {
            NoticeState::Upcoming
        } else if today <= self.to {
            NoticeState::Active
        } else {
            NoticeState::Past
        }
    }

    /// Does the notice cover `date`?
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }
}

impl Notice {
    /// The title as residents read it: prefixed with the kind ("Fermeture
    /// exceptionnelle : Travaux") unless the title already says it
    /// ("Fermeture exceptionnelle pour les fêtes", "Fermeture pour travaux").
    pub fn headline(&self) -> String {
        let kind = self.kind.french();
        if self.title_says(kind) {
            self.title.clone()
        } else {
            format!("{kind} : {}", self.title)
        }
    }

    /// Does the title already say `kind` (the kind's name, or its first
    /// word at the start), so that a headline need not repeat it?
    pub fn title_says(&self, kind: &str) -> bool {
        let title = self.title.to_lowercase();
        let first_word = kind.split(' ').next().unwrap_or(kind).to_lowercase();
        title.contains(&kind.to_lowercase()) || title.starts_with(&first_word)
    }
}
