//! Machine-readable files: search index, sitemap, robots.txt.

use super::super::OutputFile;
use crate::derive::{Derived, search};
use crate::model::Directory;

/// Files that are not HTML pages.
pub fn data_files(dir: &Directory, d: &Derived, base_url: &str) -> Vec<OutputFile> {
    let search = search::files(dir, d)
        .into_iter()
        .map(|(path, body)| OutputFile {
            path,
            bytes: body.into_bytes(),
        });
    let mut files = vec![
        OutputFile {
            path: "sitemap.xml".into(),
            bytes: sitemap(dir, d, base_url).into_bytes(),
        },
        OutputFile {
            path: "robots.txt".into(),
            bytes: format!("User-agent: *\nAllow: /\nSitemap: {base_url}sitemap.xml\n")
                .into_bytes(),
        },
    ];
    files.extend(search);
    files
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn sitemap(dir: &Directory, d: &Derived, base_url: &str) -> String {
    let mut paths: Vec<String> = vec![
        String::new(),
        "avis/".into(),
        "departements/".into(),
        "services/".into(),
        "labels/".into(),
    ];
    paths.extend(dir.sites.iter().map(|s| format!("lieux/{}/", s.slug)));
    paths.extend(d.departements.keys().map(|c| format!("departements/{c}/")));
    paths.extend(d.communes.keys().map(|c| format!("communes/{c}/")));
    paths.extend(dir.services.keys().map(|s| format!("services/{s}/")));
    paths.extend(dir.labels.keys().map(|l| format!("labels/{l}/")));
    paths.extend(
        dir.labels
            .values()
            .filter(|l| dir.charters.contains_key(&l.charter))
            .map(|l| format!("chartes/{}/", l.id)),
    );
    paths.extend(dir.pages.iter().map(|p| format!("{}/", p.slug)));
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in paths {
        out.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            xml_escape(&format!("{base_url}{p}"))
        ));
    }
    out.push_str("</urlset>\n");
    out
}
