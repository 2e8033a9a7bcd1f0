//! The compact index the browser searches as residents type.
//!
//! One row per site with short keys, and shared tables for labels, services
//! and départements so repeated names are stored once.

use super::Derived;
use crate::load::fold_char;
use crate::model::Directory;
use serde_json::json;

/// Lowercase, accents folded, punctuation to spaces: "Saint-Étienne" → "saint etienne".
pub fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(fold_char) {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out.trim().to_string()
}

/// `search-index.json`.
pub fn index_json(dir: &Directory, d: &Derived) -> String {
    let labels: Vec<&str> = dir.labels.keys().map(String::as_str).collect();
    let services: Vec<&str> = dir.services.keys().map(String::as_str).collect();
    let sites: Vec<_> = dir
        .sites
        .iter()
        .map(|s| {
            let loc = s.location.map(|l| [(l.lat * 1e5).round() / 1e5, (l.lon * 1e5).round() / 1e5]);
            json!({
                "s": s.slug,
                "n": s.name,
                "c": s.address.commune,
                "p": s.address.postcode,
                "d": s.departement,
                "l": labels.iter().position(|l| *l == s.label),
                "v": s.services.iter().filter_map(|x| services.iter().position(|y| y == x)).collect::<Vec<_>>(),
                "g": loc,
                "a": s.appointment,
                "w": s.wheelchair,
            })
        })
        .collect();
    json!({
        "labels": dir.labels.values().map(|l| json!({"id": l.id, "name": l.name})).collect::<Vec<_>>(),
        "services": dir.services.values().map(|s| json!({"id": s.id, "name": s.name, "k": s.keywords.iter().map(|k| normalise(k)).collect::<Vec<_>>()})).collect::<Vec<_>>(),
        "departements": d.departements.keys().map(|c| (c.clone(), super::departement_name(c))).collect::<std::collections::BTreeMap<_, _>>(),
        "sites": sites,
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn normalise_folds_accents_and_punctuation() {
        assert_eq!(
            super::normalise("Saint-Étienne-du-Rouvray"),
            "saint etienne du rouvray"
        );
        assert_eq!(super::normalise("L'Évêque"), "l eveque");
    }
}
