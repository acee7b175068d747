//! What the benchmarks share: the synthetic corpus they measure.

use std::path::PathBuf;
use std::process::Command;

/// The release binary the benchmarks run.
pub const BIN: &str = env!("CARGO_BIN_EXE_gongkai");

/// The synthetic corpus of `tasks` tasks and `shape` (`gongkai corpus --shape`),
/// generated from the bundled content on first use: target/bench-corpus-N for the
/// `mixed` shape, target/bench-corpus-N-SHAPE for the others.
pub fn corpus(tasks: usize, shape: &str) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let corpus = match shape {
        "mixed" => root.join(format!("target/bench-corpus-{tasks}")),
        other => root.join(format!("target/bench-corpus-{tasks}-{other}")),
    };
    if !corpus.join("content").exists() {
        let ok = Command::new(BIN)
            .arg("--root")
            .arg(&root)
            .args(["corpus", "--tasks", &tasks.to_string(), "--shape", shape])
            .arg("--out")
            .arg(&corpus)
            .status()
            .unwrap();
        assert!(ok.success(), "gongkai corpus failed");
    }
    corpus
}
