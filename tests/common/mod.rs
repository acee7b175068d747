//! Helpers shared by the integration tests: build the real content or a small
//! fixture site into a temporary folder, start the server as a process.
#![allow(dead_code)]

pub mod http;
pub mod queries;

use gongkai::build::{Outcome, build};
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use tempfile::TempDir;

/// The repository root (holds the real `content/`).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A built site in a temporary folder.
pub struct Built {
    pub dir: TempDir,
    pub outcome: Outcome,
}

impl Built {
    pub fn out(&self) -> PathBuf {
        self.dir.path().join("output")
    }
    pub fn read(&self, rel: &str) -> String {
        let p = self.out().join(rel);
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }
    pub fn exists(&self, rel: &str) -> bool {
        self.out().join(rel).exists()
    }
    pub fn tasks_json(&self) -> Vec<serde_json::Value> {
        serde_json::from_str(&self.read("data/tasks.json")).expect("tasks.json is JSON")
    }
}

/// The repository's `content/`, built once per test binary and shared by its
/// tests (they only read it).
pub fn shared_content() -> &'static Built {
    static SITE: std::sync::OnceLock<Built> = std::sync::OnceLock::new();
    SITE.get_or_init(build_content)
}

/// Builds the repository's `content/` into a temporary output folder.
pub fn build_content() -> Built {
    let dir = tempfile::Builder::new()
        .prefix("content-")
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .unwrap();
    let outcome = build(&repo_root(), &dir.path().join("output"));
    assert!(
        outcome.succeeded(),
        "content must build:\n{}",
        outcome.report()
    );
    Built { dir, outcome }
}

/// Writes a fixture site (paths relative to its root) and builds it.
pub fn build_fixture(files: &[(&str, &str)]) -> Built {
    let dir = TempDir::new().unwrap();
    write_files(dir.path(), files);
    let outcome = build(dir.path(), &dir.path().join("output"));
    Built { dir, outcome }
}

pub fn write_files(root: &Path, files: &[(&str, &str)]) {
    for (rel, text) in files {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

/// Copies the bundled site (content, config, lock) into `root`.
pub fn copy_bundled_site(root: &Path) {
    for entry in walkdir::WalkDir::new(repo_root().join("content")) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(repo_root()).unwrap();
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(root.join(rel)).unwrap();
        } else {
            std::fs::copy(entry.path(), root.join(rel)).unwrap();
        }
    }
    for file in ["gongkai.toml", "gongkai.lock"] {
        std::fs::copy(repo_root().join(file), root.join(file)).unwrap();
    }
}

/// A minimal valid plan file with the given body.
pub fn plan(title: &str, issuer: &str, year: i32, body: &str) -> String {
    format!("+++\ntitle = {title:?}\nissuer = {issuer:?}\nyear = {year}\n+++\n\n{body}")
}

/// A running `gongkai serve`; killed when dropped.
pub struct Server {
    /// The process.
    pub child: Child,
    /// Where it listens.
    pub addr: SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `gongkai --root ROOT serve --port 0 ARGS…` and waits for its address.
pub fn start(args: &[&str], root: &Path) -> Server {
    start_logging(args, root, Stdio::null())
}

/// [`start`], the server's messages going to `log`.
pub fn start_logging(args: &[&str], root: &Path, log: impl Into<Stdio>) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .env("LC_ALL", "C")
        .arg("--root")
        .arg(root)
        .arg("serve")
        .args(["--port", "0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split("http://")
        .nth(1)
        .unwrap_or_else(|| panic!("no URL in {line:?}"));
    let host = &url[..url.find('/').unwrap()];
    Server {
        child,
        addr: host.parse().unwrap(),
    }
}

/// A helper process (a static file server, nginx); killed when dropped.
pub struct Process(pub Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A port nothing listens on now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Waits until something listens on `addr` (5 s at most).
pub fn wait_for(addr: SocketAddr) {
    for _ in 0..200 {
        if std::net::TcpStream::connect(addr).is_ok() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    panic!("nothing listens on {addr}");
}

/// A plain static host (`python3 -m http.server`: files only, no `/api`) serving
/// `dir` on loopback, ready when this returns. It binds a port of its own choosing
/// and says which (a port found free beforehand could be taken by another test's
/// server in between).
pub fn static_host(dir: &Path) -> (Process, SocketAddr) {
    let mut child = Command::new("python3")
        .args([
            "-u",
            "-m",
            "http.server",
            "0",
            "--bind",
            "127.0.0.1",
            "--directory",
        ])
        .arg(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3 for a plain static host");
    let stdout = child.stdout.take().expect("piped stdout");
    let host = Process(child);
    // "Serving HTTP on 127.0.0.1 port 41234 (http://127.0.0.1:41234/) ...", printed
    // once the socket listens.
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("the static host's first line");
    let port: u16 = line
        .split_whitespace()
        .skip_while(|w| *w != "port")
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in the static host's line {line:?}"));
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    wait_for(addr);
    (host, addr)
}

/// True (after saying the test is skipped) when a tool the test needs is not
/// installed here; on CI (`CI` set) a missing tool fails the test instead.
pub fn tool_missing(available: bool, tool: &str, install: &str) -> bool {
    if available {
        return false;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must run the tests that need {tool}: {install}"
    );
    eprintln!("skipped: {tool} is not installed ({install})");
    true
}
