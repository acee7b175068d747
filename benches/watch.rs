//! Preview benchmark: from saving a plan file to the reload event reaching an open
//! page (issue floors: ≤ 100 ms on the bundled content, ≤ 300 ms on 50,000 tasks).
//!
//! `cargo bench --bench watch` copies the bundled site (and the synthetic corpus
//! made by the search benchmark, target/bench-corpus-50000, if present) to a
//! temporary folder, runs `gongkai serve` on it, and edits one plan 15 times.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_gongkai");

/// Copies a site's content and config (not its output or theme).
fn copy_site(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from.join("content"))
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = entry.path().strip_prefix(from).unwrap();
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(to.join(rel)).unwrap();
        } else {
            std::fs::copy(entry.path(), to.join(rel)).unwrap();
        }
    }
    std::fs::copy(from.join("gongkai.toml"), to.join("gongkai.toml")).unwrap();
}

fn measure(site: &Path, plan: &Path, runs: usize) -> Vec<Duration> {
    let mut child = Command::new(BIN)
        .arg("--root")
        .arg(site)
        .args(["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_string();
    let mut stream = TcpStream::connect(&addr).unwrap();
    stream
        .write_all(b"GET /__gongkai/events HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut events = BufReader::new(stream);
    std::thread::sleep(Duration::from_millis(500));
    let original = std::fs::read_to_string(plan).unwrap();
    let mut times = Vec::new();
    for i in 0..runs {
        // Change one task's text (alternating, so every save is a real change).
        let edited = original.replacen("。", if i % 2 == 0 { "；" } else { "。" }, 1);
        let started = Instant::now();
        std::fs::write(plan, &edited).unwrap();
        let mut l = String::new();
        loop {
            l.clear();
            events.read_line(&mut l).unwrap();
            if l.starts_with("event: reload") || l.starts_with("event:reload") {
                break;
            }
        }
        times.push(started.elapsed());
        std::thread::sleep(Duration::from_millis(300));
    }
    let _ = child.kill();
    let _ = child.wait();
    times.sort();
    times
}

fn report(name: &str, times: &[Duration], floor: &str) {
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "| {name} | {} | {:.0} ms | {:.0} ms | {:.0} ms | {floor} |",
        times.len(),
        ms(times[times.len() / 2]),
        ms(times[times.len() * 9 / 10]),
        ms(*times.last().unwrap())
    );
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    println!("| site | saves | median | p90 | max | floor |");
    println!("|---|---|---|---|---|---|");
    let tmp = tempfile::TempDir::new().unwrap();
    let bundled = tmp.path().join("bundled");
    copy_site(&root, &bundled);
    let times = measure(
        &bundled,
        &bundled.join("content/plans/2021-kaiping-changsha.md"),
        15,
    );
    report("bundled content (184 tasks)", &times, "≤ 100 ms");
    let corpus = root.join("target/bench-corpus-50000");
    if corpus.join("content").is_dir() {
        let big = tmp.path().join("big");
        copy_site(&corpus, &big);
        let times = measure(&big, &big.join("content/plans/p00001-2015.md"), 15);
        report("synthetic corpus (50,000 tasks)", &times, "≤ 300 ms");
    } else {
        eprintln!("no synthetic corpus: run `cargo bench --bench search` first");
    }
}
