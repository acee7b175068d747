//! `gongkai init`: a new site that builds at once — a commented `gongkai.toml`,
//! an example plan showing every feature of the format, and a `.gitignore`.

use super::{Failure, Outcome};
use std::io::Write;
use std::path::Path;

/// The files of a new site: path under the site folder, and contents.
const STARTER: [(&str, &str); 3] = [
    ("gongkai.toml", include_str!("init/gongkai.toml")),
    (
        "content/plans/2026-shili-xian.md",
        include_str!("init/plan.md"),
    ),
    (".gitignore", include_str!("init/gitignore")),
];

/// Writes a new site into `dir` (made if missing). A non-empty folder is refused
/// unless `force`; even then no existing file is overwritten.
pub fn run(dir: &Path, force: bool) -> Outcome {
    let shown = dir.display().to_string();
    let occupied = std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_some());
    if dir.exists() && !dir.is_dir() {
        return Err(Failure::new(gongkai::t!("init-not-folder", path = shown.as_str())).usage());
    }
    if occupied && !force {
        return Err(
            Failure::new(gongkai::t!("init-not-empty", path = shown.as_str()))
                .hint(gongkai::t!("init-not-empty-hint"))
                .usage(),
        );
    }
    let mut written = Vec::new();
    for (name, text) in STARTER {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| write_failure(&path, &e))?;
        }
        let created = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path);
        match created {
            Ok(mut file) => {
                file.write_all(text.as_bytes())
                    .map_err(|e| write_failure(&path, &e))?;
                written.push(name);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                eprintln!(
                    "{}",
                    gongkai::t!("init-kept", path = path.display().to_string())
                );
            }
            Err(e) => return Err(write_failure(&path, &e)),
        }
    }
    for name in &written {
        eprintln!("  {name}");
    }
    eprintln!("{}", gongkai::t!("init-done", path = shown.as_str()));
    Ok(())
}

fn write_failure(path: &Path, e: &std::io::Error) -> Failure {
    Failure::new(gongkai::t!(
        "io-write",
        path = path.display().to_string(),
        error = e.to_string()
    ))
}
