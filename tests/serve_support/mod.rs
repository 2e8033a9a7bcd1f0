//! Driving a real `guichet serve` over HTTP for the tests in tests/serve.rs.
#![allow(dead_code)]

use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const NOW: &str = "2026-11-23T10:00:00+01:00";
pub const NOTICE: &str = "content/notices/2026-12-24-fontenay-aux-roses.md";
pub const OLD_TITLE: &str = "Fermeture exceptionnelle pour les fêtes";
pub const WAIT: Duration = Duration::from_secs(30);

/// A running `guichet serve`, killed when dropped.
pub struct Serve {
    pub child: Child,
    pub addr: String,
    log: Arc<Mutex<String>>,
    pub dir: tempfile::TempDir,
    /// The folder the preview is written to, as serve prints it.
    pub out: PathBuf,
}

impl Serve {
    pub fn start(dir: tempfile::TempDir) -> Serve {
        let mut child = Command::new(env!("CARGO_BIN_EXE_guichet"))
            .args(["serve", "--port", "0", "--now", NOW, "--root", "."])
            .current_dir(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start guichet serve");
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let stdout = child.stdout.take().expect("stdout");
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let stderr = child.stderr.take().expect("stderr");
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                sink.lock().unwrap().push_str(&format!("{line}\n"));
            }
        });
        let line = rx
            .recv_timeout(Duration::from_secs(120))
            .unwrap_or_else(|_| {
                let _ = child.kill();
                panic!("no URL printed; log:\n{}", log.lock().unwrap())
            });
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_else(|| panic!("no URL in `{line}`"))
            .to_string();
        let out = line
            .strip_prefix("serving ")
            .and_then(|rest| rest.split(" on http://").next())
            .map(PathBuf::from)
            .unwrap_or_else(|| panic!("no output folder in `{line}`"));
        Serve {
            child,
            addr,
            log,
            dir,
            out,
        }
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The server's resident memory, in kB.
    pub fn rss_kb(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmRSS")
    }

    /// A file of the preview.
    pub fn served(&self, rel: &str) -> PathBuf {
        self.out.join(rel)
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    pub fn get(&self, target: &str) -> Reply {
        let req = format!(
            "GET {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        );
        Reply::parse(&exchange(
            &self.addr,
            req.as_bytes(),
            Duration::from_secs(10),
        ))
    }

    pub fn events(&self) -> Events {
        let mut stream = TcpStream::connect(&self.addr).expect("connect");
        let req = format!(
            "GET /__guichet/events HTTP/1.1\r\nHost: {}\r\n\r\n",
            self.addr
        );
        stream.write_all(req.as_bytes()).expect("send");
        stream
            .set_read_timeout(Some(Duration::from_millis(100)))
            .unwrap();
        Events {
            stream,
            buf: String::new(),
            log: self.log.clone(),
        }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Writes `raw`, reads until the server closes or `timeout` passes.
pub fn exchange(addr: &str, raw: &[u8], timeout: Duration) -> Vec<u8> {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(timeout)).unwrap();
    s.set_write_timeout(Some(timeout)).unwrap();
    let _ = s.write_all(raw);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    out
}

pub struct Reply {
    pub status: u16,
    pub head: String,
    pub body: String,
}

impl Reply {
    pub fn parse(raw: &[u8]) -> Reply {
        let text = String::from_utf8_lossy(raw);
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        Reply {
            status,
            head: head.to_ascii_lowercase(),
            body: body.to_string(),
        }
    }
}

/// An open `/__guichet/events` stream, as a tab holds it.
pub struct Events {
    stream: TcpStream,
    buf: String,
    /// The server's log, shown when an awaited event does not come.
    log: Arc<Mutex<String>>,
}

impl Events {
    /// The next status event that satisfies `want`, within [`WAIT`].
    pub fn until(&mut self, want: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + WAIT;
        loop {
            while let Some(i) = self.buf.find("\n\n") {
                let block: String = self.buf.drain(..i + 2).collect();
                let data = block.lines().find_map(|l| l.strip_prefix("data: "));
                if let (true, Some(data)) = (block.contains("event: status"), data) {
                    let status: Value = serde_json::from_str(data).expect("status is JSON");
                    if want(&status) {
                        return status;
                    }
                }
            }
            assert!(
                Instant::now() < deadline,
                "no such status event in time; server log:\n{}",
                self.log.lock().unwrap()
            );
            let mut chunk = [0u8; 8192];
            match self.stream.read(&mut chunk) {
                Ok(0) => panic!("event stream closed"),
                Ok(n) => self.buf.push_str(&String::from_utf8_lossy(&chunk[..n])),
                Err(_) => {} // read timeout: look at the deadline again
            }
        }
    }

    pub fn first(&mut self) -> Value {
        self.until(|_| true)
    }
}

pub fn build_of(v: &Value) -> String {
    v["build"].as_str().unwrap_or("").to_string()
}

/// Waits for a successful build other than `than`, returns its status.
pub fn next_build(events: &mut Events, than: &str) -> Value {
    events.until(|s| s["ok"] == true && s["build"] != than)
}

pub fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "{} has no `{from}`", path.display());
    std::fs::write(path, text.replace(from, to)).expect("write");
}

/// Every file under `root`, relative path → bytes.
pub fn files(root: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    super::common::tree(root)
}
