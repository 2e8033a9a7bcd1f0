//! Incremental rebuilds: the loaded directory is kept between builds; a
//! changed site or notice file is loaded again on its own, and only the pages
//! that show it are rendered again.
//!
//! The derived facts are patched the same way (see `patch`): only the
//! changed sites' dated schedules are computed again.
//!
//! Which pages show what follows the page contexts in `render::pages`: a
//! notice appears on its site's page, the site's commune and département
//! pages, the home page and the notices pages; a site also on its service and
//! label pages, on the index pages (counts) and on the pages of the sites
//! that list it among their nearest. Pages of unknown kinds, feeds and data
//! files are always produced again. Everything else — config, labels,
//! services, pages, charters, theme, a new day — renders everything. Writing
//! then skips every file whose bytes did not change.

use super::patch;
use super::watch::Change;
use crate::clock::Clock;
use crate::derive::{self, Derived};
use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use crate::model::{Directory, Site};
use crate::output::Collect;
use crate::pipeline::{Forget, Store, produce};
use crate::render::{self, RenderOptions, Theme};
use crate::write::{self, Manifest};
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::RwLock;
use std::time::{Duration, Instant};

pub use crate::phases::Phases;

/// What changed since the last successful build.
#[derive(Debug, Default)]
struct Dirty {
    all: bool,
    /// Sites whose own file changed (slugs before and after).
    sites: BTreeSet<String>,
    /// Sites one of whose notices changed.
    notice_sites: BTreeSet<String>,
    communes: BTreeSet<String>,
    departements: BTreeSet<String>,
    services: BTreeSet<String>,
    labels: BTreeSet<String>,
    /// A site file itself changed (not only a notice): the exports of site
    /// records and the page list change too.
    site_files: bool,
}

impl Dirty {
    fn site(&mut self, site: &Site) {
        self.site_files = true;
        self.sites.insert(site.slug.clone());
        self.communes.insert(derive::commune_key(site));
        self.departements.insert(site.departement.clone());
        self.services.extend(site.services.iter().cloned());
        self.labels.insert(site.label.clone());
    }

    /// Does the page at `path` (relative, `/` separators) show anything dirty?
    fn shows(&self, path: &str, free_pages: &BTreeSet<&str>) -> bool {
        let mut parts = path.split('/');
        let first = parts.next().unwrap_or("");
        let second = parts.next().unwrap_or("index.html");
        let index = second == "index.html";
        let hit = |set: &BTreeSet<String>| index || set.contains(second);
        match first {
            "lieux" => hit(&self.sites),
            "communes" => hit(&self.communes),
            "departements" => hit(&self.departements),
            "services" => hit(&self.services),
            "labels" => hit(&self.labels),
            "chartes" | "404.html" => false,
            // The editor's form lists the sites; notices are not in it.
            "admin" => self.site_files,
            // Constant for a theme and a binary: a theme change renders all.
            "assets" => false,
            // The commune gazetteer is built into the binary.
            "recherche" if second == "communes" => false,
            // Records of sites only; lieux.json also carries their notices.
            "donnees" if second != "lieux.json" => self.site_files,
            path if path.starts_with("sitemap") || path == "robots.txt" => self.site_files,
            page if free_pages.contains(page) => false,
            _ => true,
        }
    }
}

/// The last successful build, which the next one starts from.
struct Last {
    now: DateTime<Utc>,
    /// Site slugs in `derived`'s order.
    slugs: Vec<String>,
    derived: Derived,
}

/// What one build did.
pub enum Outcome {
    /// The output was brought up to date.
    Built {
        /// Everything was rendered, not only the pages a change touched.
        full: bool,
        rendered: usize,
        written: usize,
        removed: usize,
        elapsed: Duration,
        phases: Phases,
        /// Warnings and charter findings, not blocking.
        diagnostics: Diagnostics,
    },
    /// Nothing was written: every problem, the input errors among them.
    Failed(Diagnostics),
}

/// A directory loaded in memory and the output folder built from it.
pub struct Workspace {
    root: PathBuf,
    out: PathBuf,
    base_url: String,
    clock: Clock,
    dir: Directory,
    /// Problems found while loading, by file, so that loading one file again
    /// replaces only its own.
    load_problems: BTreeMap<String, Vec<Diagnostic>>,
    theme: Result<Theme, Diagnostics>,
    dirty: Dirty,
    last: Option<Last>,
    manifest: Manifest,
    /// What the last build made that the next may use again.
    store: Store,
    /// Findings of [`crate::check_sites`] and the day they were made for,
    /// until a file other than a notice changes.
    site_checks: Option<(chrono::NaiveDate, Diagnostics)>,
}

fn by_file(diags: Diagnostics) -> BTreeMap<String, Vec<Diagnostic>> {
    let mut map: BTreeMap<String, Vec<Diagnostic>> = BTreeMap::new();
    for d in diags.iter() {
        map.entry(d.span.file.clone()).or_default().push(d.clone());
    }
    map
}

impl Workspace {
    /// Loads the directory at `root`; nothing is built yet.
    pub fn new(root: &Path, out: &Path, base_url: &str, clock: Clock) -> Workspace {
        let mut ws = Workspace {
            root: root.to_path_buf(),
            out: out.to_path_buf(),
            base_url: base_url.to_string(),
            clock,
            dir: Directory::default(),
            load_problems: BTreeMap::new(),
            theme: Err(Diagnostics::new()),
            dirty: Dirty::default(),
            last: None,
            manifest: Manifest::default(),
            store: Store::default(),
            site_checks: None,
        };
        ws.reload_all();
        ws
    }

    /// Takes a batch of changes into the model; [`Workspace::build`] renders them.
    pub fn apply(&mut self, changes: &[Change]) {
        for change in changes {
            match change {
                Change::Everything => self.reload_all(),
                Change::Theme => {
                    self.theme = render::load_theme(&self.root);
                    self.dirty.all = true;
                }
                Change::Site(path) => self.reload_site(path),
                Change::Notice(path) => self.reload_notice(path),
            }
        }
    }

    /// After an internal failure, start again from the files.
    pub fn reset(&mut self) {
        self.reload_all();
        self.manifest = Manifest::default();
    }

    fn reload_all(&mut self) {
        self.site_checks = None;
        let (mut dir, diags) = crate::load::load(&self.root);
        dir.config.base_url = self.base_url.clone();
        self.dir = dir;
        self.load_problems = by_file(diags);
        self.theme = render::load_theme(&self.root);
        self.dirty.all = true;
    }

    /// Reads a changed file: `None` when it is gone or unusable, its
    /// problems recorded under its name either way.
    fn read_file<T>(
        &mut self,
        path: &Path,
        parse: impl FnOnce(&str, &str, &mut Diagnostics) -> Option<T>,
    ) -> (String, Option<T>) {
        let file = crate::files::rel(&self.root, path);
        let mut diags = Diagnostics::new();
        // The same refusal as a full load: a link out of the directory is
        // never read, even when it appears while serving.
        let outside = crate::files::link_problem(&self.root, path);
        let value = match outside {
            Some(d) => {
                diags.push(d);
                None
            }
            None if path.is_file() => crate::files::read(&self.root, path, &mut diags)
                .and_then(|text| parse(&file, &text, &mut diags)),
            None => None,
        };
        self.load_problems.remove(&file);
        if !diags.is_empty() {
            self.load_problems
                .insert(file.clone(), diags.iter().cloned().collect());
        }
        (file, value)
    }

    fn reload_site(&mut self, path: &Path) {
        self.site_checks = None;
        self.store.forget(Forget::PageList);
        let (file, mut site) = self.read_file(path, crate::load::load_site);
        if let Some(site) = &mut site {
            crate::load::apply_label_rules(site, &self.dir.labels);
        }
        let sites = &mut self.dir.sites;
        if let Some(i) = sites.iter().position(|s| s.file == file) {
            let old = sites.remove(i);
            self.dirty.site(&old);
        }
        if let Some(site) = site {
            self.dirty.site(&site);
            let at = sites.partition_point(|s| (&s.slug, &s.file) < (&site.slug, &site.file));
            sites.insert(at, site);
        }
    }

    fn reload_notice(&mut self, path: &Path) {
        let (file, notice) = self.read_file(path, crate::load::load_notice);
        let notices = &mut self.dir.notices;
        if let Some(i) = notices.iter().position(|n| n.file == file) {
            let old = notices.remove(i);
            self.dirty.notice_sites.insert(old.site);
        }
        if let Some(n) = notice {
            self.dirty.notice_sites.insert(n.site.clone());
            let at = notices.partition_point(|o| (o.from, &o.file) < (n.from, &n.file));
            notices.insert(at, n);
        }
    }

    /// Every problem of the current inputs.
    fn problems(&mut self, now: DateTime<Utc>) -> Diagnostics {
        let mut diags = Diagnostics::new();
        for d in self.load_problems.values().flatten() {
            diags.push(d.clone());
        }
        if let Err(d) = &self.theme {
            diags.extend(d.clone());
        }
        let today = derive::local_date(now, self.dir.config.timezone);
        let site_checks = match self.site_checks.take() {
            Some((day, found)) if day == today => found,
            _ => crate::check_sites(&self.dir, now),
        };
        diags.extend(site_checks.clone());
        self.site_checks = Some((today, site_checks));
        diags.extend(crate::check_notices(&self.dir, now));
        diags.sorted()
    }

    /// Following the system clock, has a day begun somewhere since the
    /// last successful build?
    pub fn new_day_since_last_build(&self) -> bool {
        match &self.last {
            Some(last) if self.clock.follows_system() => self.new_day(last.now, self.clock.now()),
            _ => false,
        }
    }

    /// Did the date change in any time zone in use since the last build?
    fn new_day(&self, last: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        let mut zones: std::collections::HashSet<chrono_tz::Tz> =
            self.dir.sites.iter().map(|s| s.timezone).collect();
        zones.insert(self.dir.config.timezone);
        zones
            .into_iter()
            .any(|tz| derive::local_date(last, tz) != derive::local_date(now, tz))
    }

    /// Marks the sites whose page lists a changed site among its nearest,
    /// or whose nearest sites are no longer the same.
    fn neighbours_touched(&mut self, last: Option<&Last>, derived: &Derived) {
        let sites = &self.dir.sites;
        let same_sites = last.is_some_and(|l| {
            l.slugs.len() == sites.len() && l.slugs.iter().zip(sites).all(|(a, s)| *a == s.slug)
        });
        let mut touched = Vec::new();
        for (i, facts) in derived.sites.iter().enumerate() {
            let moved = match last {
                None => false,
                Some(l) if same_sites => l.derived.sites[i].nearest != facts.nearest,
                Some(l) => {
                    let now: Vec<(&str, f64)> = facts
                        .nearest
                        .iter()
                        .map(|&(j, km)| (sites[j].slug.as_str(), km))
                        .collect();
                    let before: Option<Vec<(&str, f64)>> =
                        l.slugs.binary_search(&sites[i].slug).ok().map(|o| {
                            let list = &l.derived.sites[o].nearest;
                            list.iter()
                                .map(|&(j, km)| (l.slugs[j].as_str(), km))
                                .collect()
                        });
                    before.as_ref() != Some(&now)
                }
            };
            let names_changed = facts
                .nearest
                .iter()
                .any(|&(j, _)| self.dirty.sites.contains(&sites[j].slug));
            if moved || names_changed {
                touched.push(sites[i].slug.clone());
            }
        }
        self.dirty.sites.extend(touched);
    }

    /// The derived facts: after notice edits, the last build's with those
    /// sites' schedules computed again; after site edits, the cheap facts
    /// derived again and only the changed sites' schedules computed; else
    /// derived from scratch.
    fn derive(&mut self, last: Option<Last>, full: bool, now: DateTime<Utc>) -> Derived {
        match last {
            Some(last) if !full && self.dirty.sites.is_empty() => {
                let mut derived = last.derived;
                patch::notices_changed(&mut derived, &self.dir, now, &self.dirty.notice_sites);
                derived
            }
            Some(last) if !full => {
                // Before neighbours join `dirty.sites`: their schedules stay.
                let changed: BTreeSet<String> = self
                    .dirty
                    .sites
                    .union(&self.dirty.notice_sites)
                    .cloned()
                    .collect();
                let mut derived = patch::skeleton(&self.dir, now);
                self.neighbours_touched(Some(&last), &derived);
                let Last {
                    slugs,
                    derived: before,
                    ..
                } = last;
                patch::sites_changed(&mut derived, before, &slugs, &self.dir, now, &changed);
                derived
            }
            _ => derive::derive(&self.dir, now),
        }
    }

    /// Checks, derives, renders what changed and writes what differs, holding
    /// `output` for writing only while the written files are renamed into
    /// place.
    pub fn build(&mut self, output: &RwLock<()>) -> Outcome {
        let started = Instant::now();
        let mut phases = Phases::start();
        let now = self.clock.now();
        let diags = self.problems(now);
        phases.end("check");
        if diags.has_input_errors() {
            return Outcome::Failed(diags);
        }
        // Taken now: if this build fails after changing it, the next one
        // starts from scratch.
        let last = self.last.take();
        let full = self.dirty.all || last.as_ref().is_none_or(|l| self.new_day(l.now, now));
        // A notice can change the day line of its site's card, which every
        // service and label listing of the site shows: those are rendered
        // again only when the line really changed.
        let lines_before: Vec<Option<String>> = self
            .dirty
            .notice_sites
            .iter()
            .map(|slug| {
                let last = last.as_ref()?;
                let i = last.slugs.iter().position(|s| s == slug)?;
                render::card_day_line(&last.derived.sites[i])
            })
            .collect();
        let derived = self.derive(last, full, now);
        for (slug, before) in self.dirty.notice_sites.iter().zip(lines_before) {
            if let Some(i) = self.dir.site_index(slug) {
                let site = &self.dir.sites[i];
                self.dirty.communes.insert(derive::commune_key(site));
                self.dirty.departements.insert(site.departement.clone());
                self.dirty.sites.insert(slug.clone());
                if render::card_day_line(&derived.sites[i]) != before {
                    self.dirty.services.extend(site.services.iter().cloned());
                    self.dirty.labels.insert(site.label.clone());
                }
            }
        }
        phases.end("derive");
        let Ok(theme) = &self.theme else {
            return Outcome::Failed(diags);
        };
        let free_pages: BTreeSet<&str> = self.dir.pages.iter().map(|p| p.slug.as_str()).collect();
        let (dirty, manifest) = (&self.dirty, &self.manifest);
        let wanted =
            |path: &str| full || !manifest.contains(path) || dirty.shows(path, &free_pages);
        let opts = RenderOptions {
            base_url: self.base_url.clone(),
        };
        if full {
            // Everything is built again; records of sites gone must not linger.
            self.store.forget(Forget::Everything);
        }
        let sink = Collect::default();
        // serve always offers the editor, saving through its local backend;
        // its default publication date is this build's day.
        let editor = crate::editor::Backend::Local {
            today: derived.today,
        };
        let produced = produce(
            &self.dir,
            &derived,
            theme,
            &opts,
            &wanted,
            Some(&self.store),
            Some(editor),
            &sink,
        );
        if let Err(d) = produced {
            let mut all = diags;
            all.extend(d);
            return Outcome::Failed(all.sorted());
        }
        let files = sink.into_files();
        phases.end("render");
        let rendered = files.iter().filter(|f| f.path.ends_with(".html")).count();
        // What was not asked for is as the last build left it; what was
        // asked for and not produced no longer exists. Files of the last
        // build were in its manifest, so only whether the page shows
        // something that changed decides.
        let dirty = &self.dirty;
        let gone = |path: &str| full || dirty.shows(path, &free_pages);
        // Requests go on reading the previous build while the new files are
        // written beside it; they wait only while those are renamed in.
        let stats = write::Pending::prepare(&self.out, &files, &self.manifest).and_then(|sync| {
            let _writing = output.write().unwrap_or_else(|e| e.into_inner());
            sync.apply(&gone, &mut self.manifest)
        });
        let stats = match stats {
            Ok(s) => s,
            Err(e) => {
                let mut all = diags;
                let at = Span::file(self.out.display().to_string());
                all.push(Diagnostic::error(
                    "unwritable",
                    at,
                    format!("cannot write the output: {e}"),
                ));
                return Outcome::Failed(all);
            }
        };
        phases.end("write");
        let slugs = self.dir.sites.iter().map(|s| s.slug.clone()).collect();
        self.last = Some(Last {
            now,
            slugs,
            derived,
        });
        self.dirty = Dirty::default();
        Outcome::Built {
            full,
            rendered,
            written: stats.written,
            removed: stats.removed,
            elapsed: started.elapsed(),
            phases,
            diagnostics: diags,
        }
    }
}
