//! Bounded tables of results already computed in this process, by exact
//! input text.
//!
//! Directories repeat the same texts across thousands of files (opening
//! hours, notice bodies shown on several pages), and `serve` builds the same
//! directory again and again; a table lookup costs far less than a parse.

use rustc_hash::FxHashMap as HashMap;
use std::sync::{Mutex, OnceLock};

/// Results by input text. Emptied when full, so its memory stays bounded.
pub struct Memo<V> {
    table: OnceLock<Mutex<HashMap<String, V>>>,
    capacity: usize,
}

impl<V: Clone> Memo<V> {
    /// A table of at most `capacity` entries, for a `static`.
    pub const fn new(capacity: usize) -> Memo<V> {
        Memo {
            table: OnceLock::new(),
            capacity,
        }
    }

    /// The value kept for `key`.
    pub fn get(&self, key: &str) -> Option<V> {
        self.table.get()?.lock().ok()?.get(key).cloned()
    }

    /// Keeps `value` for `key`.
    pub fn insert(&self, key: &str, value: &V) {
        let table = self.table.get_or_init(Default::default);
        if let Ok(mut table) = table.lock() {
            if table.len() >= self.capacity {
                table.clear();
            }
            table.insert(key.to_owned(), value.clone());
        }
    }

    /// The value for `key`, computed by `compute` unless kept already.
    pub fn get_or(&self, key: &str, compute: impl FnOnce() -> V) -> V {
        if let Some(v) = self.get(key) {
            return v;
        }
        let v = compute();
        self.insert(key, &v);
        v
    }

    /// Like [`Memo::get_or`] for a computation that may fail; errors are
    /// not kept.
    pub fn get_or_try<E>(&self, key: &str, compute: impl FnOnce() -> Result<V, E>) -> Result<V, E> {
        if let Some(v) = self.get(key) {
            return Ok(v);
        }
        let v = compute()?;
        self.insert(key, &v);
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_values_come_back_and_the_table_stays_bounded() {
        static MEMO: Memo<usize> = Memo::new(2);
        let mut calls = 0;
        let mut len = |s: &str| {
            MEMO.get_or_try(s, || {
                calls += 1;
                Ok::<_, ()>(s.len())
            })
        };
        assert_eq!(len("ab"), Ok(2));
        assert_eq!(len("ab"), Ok(2));
        assert_eq!(len("abc"), Ok(3));
        assert_eq!(len("abcd"), Ok(4)); // full: emptied first
        assert_eq!(len("ab"), Ok(2));
        assert_eq!(calls, 4);
        assert_eq!(MEMO.get("x"), None);
    }
}
