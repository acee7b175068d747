//! Preview benchmark: from saving a plan file to the reload event reaching an open
//! page (issue floors: ≤ 100 ms on the bundled content, ≤ 300 ms on 50,000 tasks),
//! and the whole incremental rebuild as the server times it (pages, open data and
//! search index in place; issue floor at 50,000 tasks: ≤ 100 ms).
//!
//! `cargo bench --bench watch` copies the bundled site (and the synthetic corpus
//! made by the search benchmark, target/bench-corpus-50000, if present) to a
//! temporary folder, runs `gongkai serve` on it, and edits one task's text 15 times.

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

/// Save → reload times, and the server's own rebuild times, each sorted.
fn measure(site: &Path, plan: &Path, runs: usize) -> (Vec<Duration>, Vec<Duration>) {
    let mut child = Command::new(BIN)
        .arg("--root")
        .arg(site)
        .args(["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // "rebuilt in N ms: …" lines from the server.
    let (tx, rebuilt) = std::sync::mpsc::channel();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    std::thread::spawn(move || {
        for line in stderr.lines().map_while(Result::ok) {
            if let Some(ms) = line
                .strip_prefix("rebuilt in ")
                .and_then(|r| r.split(' ').next())
                .and_then(|n| n.parse::<u64>().ok())
            {
                let _ = tx.send(Duration::from_millis(ms));
            }
        }
    });
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
    // The end of the first task's first sentence.
    let task = original.find("\n1. ").expect("a task numbered 1");
    let at = task + original[task..].find('。').expect("a full stop");
    let mut times = Vec::new();
    let mut rebuilds = Vec::new();
    for i in 0..runs {
        // Change one task's text (alternating, so every save is a real change).
        let mark = if i % 2 == 0 { "；" } else { "。" };
        let edited = format!(
            "{}{mark}{}",
            &original[..at],
            &original[at + '。'.len_utf8()..]
        );
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
        rebuilds.push(rebuilt.recv_timeout(Duration::from_secs(10)).unwrap());
        std::thread::sleep(Duration::from_millis(300));
    }
    let _ = child.kill();
    let _ = child.wait();
    times.sort();
    rebuilds.sort();
    (times, rebuilds)
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
    println!("| site | measure | saves | median | p90 | max | floor |");
    println!("|---|---|---|---|---|---|---|");
    let tmp = tempfile::TempDir::new().unwrap();
    let bundled = tmp.path().join("bundled");
    copy_site(&root, &bundled);
    let (reload, rebuild) = measure(
        &bundled,
        &bundled.join("content/plans/2021-kaiping-changsha.md"),
        15,
    );
    report("bundled (184 tasks) | save → reload", &reload, "≤ 100 ms");
    report("bundled (184 tasks) | whole rebuild", &rebuild, "");
    let corpus = root.join("target/bench-corpus-50000");
    if corpus.join("content").is_dir() {
        let big = tmp.path().join("big");
        copy_site(&corpus, &big);
        // The first plan file (its name carries the year the generator drew).
        let mut plans: Vec<PathBuf> = std::fs::read_dir(big.join("content/plans"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        plans.sort();
        let (reload, rebuild) = measure(&big, &plans[0], 15);
        report("50,000 tasks | save → reload", &reload, "≤ 300 ms");
        report("50,000 tasks | whole rebuild", &rebuild, "≤ 100 ms");
    } else {
        eprintln!("no synthetic corpus: run `cargo bench --bench search` first");
    }
}
