use super::*;
use std::path::Path;

fn sample() -> (Directory, Theme) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (dir, _) = crate::load::load(root);
    let theme = crate::render::load_theme(root).expect("the sample's theme loads");
    (dir, theme)
}

/// The JSON the admin page carries.
fn data_of(files: &[OutputFile]) -> Value {
    let page = files
        .iter()
        .find(|f| f.path == "admin/index.html")
        .expect("admin page");
    let html = std::str::from_utf8(&page.bytes).unwrap();
    let start = html.find("id=\"guichet-editor\">").unwrap() + "id=\"guichet-editor\">".len();
    let end = html[start..].find("</script>").unwrap() + start;
    serde_json::from_str(&html[start..end]).expect("valid JSON")
}

fn field<'v>(collection: &'v Value, name: &str) -> &'v Value {
    collection["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == name)
        .unwrap_or_else(|| panic!("no field {name}"))
}

#[test]
fn the_form_is_generated_from_the_directory() {
    let (dir, theme) = sample();
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let files = files(
        &dir,
        &theme,
        "http://127.0.0.1:1111/",
        Backend::Local { today },
    );
    let data = data_of(&files);
    let notices = &data["config"]["collections"][0];
    assert_eq!(notices["folder"], "content/notices");
    assert_eq!(notices["slug"], "{{from}}-{{site}}");
    let sites = field(notices, "site")["options"].as_array().unwrap();
    assert_eq!(sites.len(), dir.sites.len());
    assert!(sites.iter().any(|o| o["value"] == "fontenay-aux-roses"
        && o["label"] == "France services de Fontenay-aux-Roses"));
    let kinds: Vec<&str> = field(notices, "kind")["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["label"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "Fermeture exceptionnelle",
            "Horaires modifiés",
            "Information"
        ]
    );
    assert_eq!(data["config"]["collections"][1]["folder"], "content/pages");
    assert_eq!(data["config"]["backend"]["proxy_url"], LOCAL_API);
    assert_eq!(data["today"], "2026-11-23");
    // The minimum notice comes from the labels as loaded, not from the script.
    let fs = &data["rules"]["labels"]["france-services"];
    assert_eq!(fs["closure_notice_days"], 7);
    assert_eq!(
        data["rules"]["site_labels"]["fontenay-aux-roses"],
        "france-services"
    );
    assert!(
        data["rules"]["site_labels"]
            .get("rouen-simone-veil")
            .is_none()
    );
    let style = data["style"].as_str().unwrap();
    assert!(
        style.starts_with("/assets/style.") && style.ends_with(".css"),
        "{style}"
    );
    // The vendored library comes along, its licence with it.
    for name in [
        "admin/decap-cms/decap-cms.js",
        "admin/decap-cms/LICENSE",
        "admin/editor.js",
    ] {
        assert!(files.iter().any(|f| f.path == name), "{name}");
    }
}

#[test]
fn a_git_backend_and_review() {
    let (mut dir, theme) = sample();
    dir.sites.truncate(1);
    dir.sites[0].name = "</script><script>alert(1)</script>".into();
    let settings = EditorSettings {
        backend: GitHost::Gitlab,
        repo: "caf/annuaire".into(),
        branch: "publication".into(),
        api_root: None,
        base_url: None,
        app_id: Some("abc".into()),
        review: true,
    };
    let files = files(
        &dir,
        &theme,
        "https://exemple.fr/annuaire/",
        Backend::Git(&settings),
    );
    let data = data_of(&files);
    let backend = &data["config"]["backend"];
    assert_eq!(backend["name"], "gitlab");
    assert_eq!(backend["branch"], "publication");
    assert_eq!(backend["auth_type"], "pkce");
    assert_eq!(data["config"]["publish_mode"], "editorial_workflow");
    assert_eq!(data["today"], Value::Null);
    assert!(
        data["style"]
            .as_str()
            .unwrap()
            .starts_with("/annuaire/assets/")
    );
    // A site name cannot end the script element that carries the data.
    let page = String::from_utf8(files[0].bytes.clone()).unwrap();
    assert_eq!(page.matches("</script>").count(), 4, "{page}");
}
