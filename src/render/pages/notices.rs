//! The notices page's items, each rendered on its own by the theme's
//! `notice` macro: on every core, and in `serve` kept between rebuilds, so
//! that a notice edit renders one item again instead of the directory's
//! thousand. Rendered in one template loop, they took a single core for
//! most of an incremental rebuild.

use super::NoticeView;
use super::listing::{CardError, Cards};
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use std::sync::{Arc, Mutex};

/// Renders one notice as the default `notices.html` loop does.
pub const NOTICE_TEMPLATE: (&str, &str) = (
    "guichet/notice.html",
    "{% import \"macros.html\" as m %}{{ m::notice(n=n, base=base, show_site=true) }}",
);

/// Items of the last build, by the notice as the template saw it (JSON).
#[derive(Default)]
pub struct KeptNotices(Mutex<HashMap<String, Arc<str>>>);

impl Cards<'_> {
    /// The items of each of `lists`, in order, each list as one piece of HTML.
    pub(super) fn notices(&self, lists: &[&[NoticeView<'_>]]) -> Result<Vec<String>, CardError> {
        let render = |view: &NoticeView<'_>| {
            let mut ctx = tera::Context::new();
            ctx.insert("n", view);
            ctx.insert("base", self.base);
            self.tera
                .render(NOTICE_TEMPLATE.0, &ctx)
                .map(Arc::from)
                .map_err(|e| CardError(crate::render::error_chain(&e)))
        };
        let views: Vec<&NoticeView<'_>> = lists.iter().flat_map(|l| l.iter()).collect();
        let items: Vec<Arc<str>> = match self.kept_notices {
            None => views
                .par_iter()
                .map(|v| render(v))
                .collect::<Result<_, _>>()?,
            Some(kept) => {
                let lock = || kept.0.lock().unwrap_or_else(|e| e.into_inner());
                let old = std::mem::take(&mut *lock());
                let keyed: Vec<(String, Arc<str>)> = views
                    .par_iter()
                    .map(|view| {
                        let key = serde_json::to_string(view).unwrap_or_default();
                        let html = match old.get(&key) {
                            Some(html) => html.clone(),
                            None => render(view)?,
                        };
                        Ok((key, html))
                    })
                    .collect::<Result<_, CardError>>()?;
                let items = keyed.iter().map(|(_, html)| html.clone()).collect();
                *lock() = keyed.into_iter().collect();
                items
            }
        };
        let mut items = items.into_iter();
        Ok(lists
            .iter()
            .map(|l| items.by_ref().take(l.len()).collect::<Vec<_>>().concat())
            .collect())
    }
}
