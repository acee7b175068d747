//! Finding and reading the plan files under `content/plans/`.

use crate::diagnostics::Diagnostic;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// The folder of plan files, relative to the site root.
pub const PLANS_DIR: &str = "content/plans";

/// One plan file's text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the site root (as shown in messages).
    pub path: PathBuf,
    /// The URL slug, from the file name.
    pub slug: String,
    /// The file's text.
    pub text: String,
}

/// Reads every `*.md` under `content/plans/` (sub-folders included), sorted by path.
pub fn load_plans(root: &Path) -> Result<Vec<SourceFile>, Vec<Diagnostic>> {
    let dir = root.join(PLANS_DIR);
    if !dir.is_dir() {
        return Err(vec![
            Diagnostic::global(format!("no plan folder at {}", dir.display())).with_hint(
                "run gongkai in a site folder (one holding content/plans/), or pass --root DIR",
            ),
        ]);
    }
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for entry in WalkDir::new(&dir).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                problems.push(Diagnostic::global(format!(
                    "cannot list {}: {e}",
                    dir.display()
                )));
                continue;
            }
        };
        let path = entry.path();
        if !entry.file_type().is_file() || path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let rel = path.strip_prefix(root).unwrap_or(path).to_path_buf();
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                problems.push(Diagnostic::global(format!(
                    "cannot read {}: {e}",
                    rel.display()
                )));
                continue;
            }
        };
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                problems.push(
                    Diagnostic::global(format!("{}: not valid UTF-8 (at byte {at})", rel.display()))
                        .with_hint("save the file as UTF-8; GBK or GB18030 files must be converted first (e.g. `iconv -f GB18030 -t UTF-8`)"),
                );
                continue;
            }
        };
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        files.push(SourceFile {
            slug: crate::slug::slugify(&stem),
            path: rel,
            text,
        });
    }
    if files.is_empty() && problems.is_empty() {
        problems.push(
            Diagnostic::global(format!("no plan files (*.md) in {}", dir.display()))
                .with_hint("add a plan file; docs/plan-format.md describes the format"),
        );
    }
    let mut seen = std::collections::BTreeMap::new();
    for f in &files {
        if let Some(other) = seen.insert(f.slug.clone(), f.path.clone()) {
            problems.push(
                Diagnostic::global(format!(
                    "{} and {} both give the URL slug `{}`",
                    other.display(),
                    f.path.display(),
                    f.slug
                ))
                .with_hint("rename one of the files"),
            );
        }
    }
    if problems.is_empty() {
        Ok(files)
    } else {
        Err(problems)
    }
}
