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

/// When a plan file was last written, and its size: if neither changed, the
/// file was not written again (see [`PlanFile::stamp`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
}

impl Stamp {
    /// True when a file stamped like this, read at `read_at`, cannot have been
    /// written again unseen: file times are coarse (a few ms), so a second write
    /// in the same tick as the read keeps the same stamp; a stamp older than the
    /// read by a margin is safe.
    pub fn settled_before(&self, read_at: std::time::SystemTime) -> bool {
        self.modified.is_some_and(|m| {
            read_at
                .duration_since(m)
                .is_ok_and(|d| d > std::time::Duration::from_millis(100))
        })
    }
}

/// A plan file found under `content/plans/`, not read yet.
#[derive(Debug, Clone)]
pub struct PlanFile {
    /// Path relative to the site root (as shown in messages).
    pub path: PathBuf,
    /// The URL slug, from the file name.
    pub slug: String,
    /// Size and modification time.
    pub stamp: Stamp,
    full_path: PathBuf,
}

impl PlanFile {
    /// Reads the file's text.
    pub fn read(&self) -> Result<String, Diagnostic> {
        let bytes = std::fs::read(&self.full_path).map_err(|e| {
            Diagnostic::global(crate::t!(
                "io-read",
                path = self.path.display().to_string(),
                error = e.to_string()
            ))
        })?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let at = e.utf8_error().valid_up_to();
            Diagnostic::global(crate::t!(
                "load-utf8",
                path = self.path.display().to_string(),
                at = at
            ))
            .with_hint(crate::t!("load-utf8-hint"))
        })?;
        // Windows and old Mac line ends read as line ends.
        Ok(match crate::text::normalize_newlines(&text) {
            std::borrow::Cow::Borrowed(_) => text,
            std::borrow::Cow::Owned(normalized) => normalized,
        })
    }
}

/// Reads every `*.md` under `content/plans/` (sub-folders included), sorted by path.
/// The files are read in parallel.
pub fn load_plans(root: &Path) -> Result<Vec<SourceFile>, Vec<Diagnostic>> {
    use rayon::prelude::*;
    let read: Vec<Result<SourceFile, Diagnostic>> = find_plans(root)?
        .into_par_iter()
        .map(|file| {
            file.read().map(|text| SourceFile {
                path: file.path,
                slug: file.slug,
                text,
            })
        })
        .collect();
    let mut files = Vec::with_capacity(read.len());
    let mut problems = Vec::new();
    for r in read {
        match r {
            Ok(file) => files.push(file),
            Err(d) => problems.push(d),
        }
    }
    if problems.is_empty() {
        Ok(files)
    } else {
        Err(problems)
    }
}

/// Lists every `*.md` under `content/plans/` (sub-folders included), sorted by path,
/// without reading them. Errors when there is none or two give the same slug.
pub fn find_plans(root: &Path) -> Result<Vec<PlanFile>, Vec<Diagnostic>> {
    let dir = root.join(PLANS_DIR);
    if !dir.is_dir() {
        return Err(vec![
            Diagnostic::global(crate::t!(
                "load-no-folder",
                path = dir.display().to_string()
            ))
            .with_hint(crate::t!("load-no-folder-hint")),
        ]);
    }
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for entry in WalkDir::new(&dir).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                problems.push(Diagnostic::global(crate::t!(
                    "io-list",
                    path = dir.display().to_string(),
                    error = e.to_string()
                )));
                continue;
            }
        };
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let rel = path.strip_prefix(root).unwrap_or(path).to_path_buf();
        if entry.file_type().is_symlink() {
            // A link could put any file the build user may read on the site.
            problems.push(
                Diagnostic::global(crate::t!("load-symlink", path = rel.display().to_string()))
                    .with_hint(crate::t!("load-symlink-hint")),
            );
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let stamp = match entry.metadata() {
            Ok(m) => Stamp {
                len: m.len(),
                modified: m.modified().ok(),
            },
            Err(e) => {
                problems.push(Diagnostic::global(crate::t!(
                    "io-read",
                    path = rel.display().to_string(),
                    error = e.to_string()
                )));
                continue;
            }
        };
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        files.push(PlanFile {
            slug: crate::slug::slugify(&stem),
            path: rel,
            stamp,
            full_path: path.to_path_buf(),
        });
    }
    if files.is_empty() && problems.is_empty() {
        problems.push(
            Diagnostic::global(crate::t!("load-no-plans", path = dir.display().to_string()))
                .with_hint(crate::t!("load-no-plans-hint")),
        );
    }
    let mut seen = std::collections::BTreeMap::new();
    for f in &files {
        if let Some(other) = seen.insert(f.slug.clone(), f.path.clone()) {
            problems.push(
                Diagnostic::global(crate::t!(
                    "load-same-slug",
                    first = other.display().to_string(),
                    second = f.path.display().to_string(),
                    slug = f.slug.clone()
                ))
                .with_hint(crate::t!("load-same-slug-hint")),
            );
        }
    }
    if problems.is_empty() {
        Ok(files)
    } else {
        Err(problems)
    }
}
