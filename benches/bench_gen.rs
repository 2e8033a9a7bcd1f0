//! Benchmark inputs: `cargo bench --bench bench_gen -- OUT N [SEED]`.
//!
//! Writes the synthetic directory of `N` sites into `OUT/guichet` (see
//! `guichet::synth`) and an equivalent Hugo site, built from the same loaded
//! records, into `OUT/hugo`: one page per site with its hours table,
//! closures, services, notices and nearest points; taxonomies for
//! département, commune, service and label; a JSON search index. The Hugo
//! templates (benches/hugo/layouts) mirror guichet's default theme. Hugo
//! cannot read OSM opening hours, so the weekly lines and the dated schedule
//! guichet derives are handed to it as page parameters: Hugo is timed on
//! rendering the same pages, not on our hours engine.

use guichet::derive::{self, departement_name};
use guichet::hours::french;
use guichet::model::NoticeState;
use serde_json::json;
use std::path::{Path, PathBuf};

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let (Some(out), Some(n)) = (args.first(), args.get(1).and_then(|n| n.parse().ok())) else {
        eprintln!("usage: cargo bench --bench bench_gen -- OUT N [SEED]");
        std::process::exit(2);
    };
    let seed = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
    let out = PathBuf::from(out);
    let root = out.join("guichet");
    let _ = std::fs::remove_dir_all(&out);
    guichet::synth::generate(&root, n, seed).expect("synthetic directory written");
    hugo_site(&root, &out.join("hugo")).expect("Hugo site written");
}

/// The build clock of the benchmark (the synthetic notices are spread around it).
fn now() -> chrono::DateTime<chrono::Utc> {
    let (y, m, d) = guichet::synth::SYNTH_TODAY;
    chrono::NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|d| d.and_hms_opt(9, 0, 0))
        .expect("valid date")
        .and_utc()
}

fn hugo_site(root: &Path, hugo: &Path) -> std::io::Result<()> {
    let (dir, _) = guichet::load::load(root);
    let d = derive::derive(&dir, now());
    let layouts = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/hugo");
    copy_tree(&layouts, hugo)?;
    // The theme's static files, as guichet publishes them: the built-in
    // ones (the editor's bundle only goes out with `[editor]`).
    for (path, bytes) in guichet::reference::theme_files() {
        let Some(rel) = path.strip_prefix("static/") else {
            continue;
        };
        if rel.starts_with("vendor/decap-cms/") {
            continue;
        }
        let target = hugo.join("static").join(rel);
        std::fs::create_dir_all(target.parent().expect("a folder"))?;
        std::fs::write(target, bytes)?;
    }
    let pages = hugo.join("content/lieux");
    std::fs::create_dir_all(&pages)?;
    std::fs::write(
        hugo.join("config.toml"),
        format!(
            "baseURL = \"https://example.org/\"\nlanguageCode = \"fr\"\ntitle = {:?}\n\
             disableKinds = [\"RSS\"]\n\
             [taxonomies]\ndepartement = \"departements\"\ncommune = \"communes\"\n\
             service = \"services\"\nlabel = \"labels\"\n\
             [outputs]\nhome = [\"HTML\", \"JSON\"]\n",
            dir.config.title
        ),
    )?;
    for (i, site) in dir.sites.iter().enumerate() {
        let facts = &d.sites[i];
        let hours = site.hours.as_ref().map(|h| {
            let w = h.weekly();
            json!({"lines": french::day_lines(w), "monthly": french::monthly_lines(w),
                   "total": french::duration(w.weekly_minutes()), "ph_closed": w.closed_on_public_holidays})
        });
        let services: Vec<_> = site
            .services
            .iter()
            .filter_map(|id| dir.services.get(id))
            .map(|s| json!({"id": s.id, "name": s.name, "operator": s.operator}))
            .collect();
        let notices: Vec<_> = facts
            .notices
            .iter()
            .filter(|&&n| d.notice_states[n] != NoticeState::Past)
            .map(|&n| {
                let x = &dir.notices[n];
                json!({"id": x.id, "kind": x.kind.id(), "kind_fr": x.kind.french(), "title": x.title,
                       "when": guichet::render::fr::range(x.from, x.to), "body": x.markdown})
            })
            .collect();
        let closures: Vec<_> = facts
            .closures
            .iter()
            .map(|c| json!({"when": guichet::render::fr::range(c.from, c.to), "reason": c.reason}))
            .collect();
        let nearest: Vec<_> = facts
            .nearest
            .iter()
            .map(|&(j, km)| {
                let s = &dir.sites[j];
                json!({"slug": s.slug, "name": s.name, "commune": s.address.commune, "km": format!("{km:.1} km")})
            })
            .collect();
        let label = dir.labels.get(&site.label);
        let front = json!({
            "title": site.name,
            "slug": site.slug,
            "url": format!("/lieux/{}/", site.slug),
            "departements": [site.departement],
            "communes": [derive::commune_key(site)],
            "services": site.services,
            "labels": [site.label],
            "departement_name": departement_name(&site.departement),
            "commune_name": site.address.commune,
            "postcode": site.address.postcode,
            "street": site.address.street,
            "structure": site.structure,
            "label_name": label.map(|l| l.name.as_str()),
            "label_description": label.map(|l| l.description.as_str()),
            "appointment": site.appointment,
            "wheelchair": site.wheelchair,
            "location": site.location.map(|l| json!({"lat": l.lat, "lon": l.lon})),
            "contact": {"phone": site.contact.phone, "email": site.contact.email},
            "hours": hours,
            "service_list": services,
            "notices": notices,
            "closures": closures,
            "nearest": nearest,
            "schedule": facts.schedule,
        });
        let body = site.description.as_deref().unwrap_or("");
        std::fs::write(
            pages.join(format!("{}.md", site.slug)),
            format!("{front:#}\n\n{body}\n"),
        )?;
    }
    Ok(())
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for e in std::fs::read_dir(from)? {
        let e = e?;
        let target = to.join(e.file_name());
        if e.file_type()?.is_dir() {
            copy_tree(&e.path(), &target)?;
        } else {
            std::fs::copy(e.path(), target)?;
        }
    }
    Ok(())
}
