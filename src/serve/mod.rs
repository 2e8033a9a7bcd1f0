//! `guichet serve`: build, then serve the output on loopback.

mod http;

pub use http::{Resolved, Server, resolve_path};
use std::path::Path;

/// Builds `root` into `root/public` and serves it on 127.0.0.1 until killed.
/// A build with input errors is reported and nothing is served until fixed.
pub fn run(root: &Path, port: u16) -> Result<(), String> {
    let out = root.join("public");
    let server = Server::bind(out.clone(), "127.0.0.1", port)?;
    let base_url = format!("http://{}/", server.addr);
    let now = chrono::Utc::now();
    match crate::generate(root, now, Some(&base_url), false) {
        Ok(g) => {
            eprint!("{}", g.diagnostics.to_text());
            crate::write::write_atomic(&out, &g.files)
                .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
        }
        Err(d) => eprint!("{}", d.to_text()),
    }
    println!("serving {} on {base_url} (Ctrl-C to stop)", out.display());
    let server = std::sync::Arc::new(server);
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let server = server.clone();
            std::thread::spawn(move || {
                while let Ok(request) = server.http.recv() {
                    server.respond(request);
                }
            })
        })
        .collect();
    for w in workers {
        let _ = w.join();
    }
    Ok(())
}
