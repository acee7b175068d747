//! Writing the built site. Files go to a fresh staging folder beside the output
//! folder, which replaces the old output only once everything is written: a failed
//! build never damages the last good site. The preview writes in place, each file
//! by an atomic rename ([`write_atomically`]).
//!
//! gongkai replaces and deletes whatever its output folder holds, so it writes only
//! where it may: never into the site's own sources, and never into a non-empty
//! folder that does not carry its [`MARKER`] ([`check_output_folder`]).

use crate::diagnostics::Diagnostic;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// One file of the built site: where it goes and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the output folder, with `/` separators.
    pub path: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

impl OutputFile {
    /// The theme's static files, as they are written.
    pub fn statics(theme: &crate::theme::Theme) -> impl Iterator<Item = OutputFile> + '_ {
        theme.statics.iter().map(|(name, bytes)| OutputFile {
            path: crate::layout::static_path(name),
            bytes: bytes.clone(),
        })
    }
}

/// The file that marks a folder as a gongkai output, which a build may replace.
pub const MARKER: &str = ".gongkai-output";

/// What the marker file says to a person who opens it.
const MARKER_TEXT: &str = "This folder was written by gongkai and is replaced by every build.\n\
本文件夹由 gongkai 生成，每次构建都会整体替换，请勿在此存放其他文件。\n";

/// The folders and files of a site that a build reads (relative to the site root).
const SOURCES: [&str; 6] = [
    "content",
    "themes",
    "templates",
    "static",
    crate::config::CONFIG_FILE,
    crate::lock::LOCK_FILE,
];

/// An absolute form of `path` with `.` and `..` resolved and symlinks of its existing
/// part followed, whether or not the whole path exists.
fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    // Canonicalize the longest existing ancestor, then add the rest lexically.
    let mut existing = joined.as_path();
    let mut rest: Vec<&std::ffi::OsStr> = Vec::new();
    let mut resolved = loop {
        if let Ok(real) = existing.canonicalize() {
            break real;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name);
                existing = parent;
            }
            _ => break PathBuf::from("/"),
        }
    };
    for name in rest.into_iter().rev() {
        match Path::new(name).components().next() {
            Some(Component::ParentDir) => {
                resolved.pop();
            }
            Some(Component::CurDir) | None => {}
            _ => resolved.push(name),
        }
    }
    resolved
}

/// True when `dir` is a folder gongkai wrote: it holds the marker, or (from
/// versions before the marker) the search index's content hash beside a home page.
fn is_gongkai_output(dir: &Path) -> bool {
    dir.join(MARKER).is_file()
        || (dir.join("index.html").is_file()
            && dir.join(crate::layout::CONTENT_HASH_FILE).is_file())
}

/// True when `dir` is missing or holds no file: an empty folder, or only empty
/// folders (what a removal killed half-way leaves, before or after the marker).
fn holds_no_file(dir: &Path) -> bool {
    match std::fs::symlink_metadata(dir) {
        Err(e) => e.kind() == std::io::ErrorKind::NotFound,
        Ok(meta) if !meta.is_dir() => false,
        Ok(_) => walkdir::WalkDir::new(dir)
            .into_iter()
            .all(|e| e.is_ok_and(|e| e.file_type().is_dir())),
    }
}

/// Refuses an output folder that a build must not replace: the site folder itself,
/// a folder that holds the site, a place among its sources (`content/`, themes,
/// templates, static files, the config), a file, or a non-empty folder that is not
/// a gongkai output. The staging and old folders beside it (`NAME.staging`,
/// `NAME.old`), which a build removes, must be missing, gongkai's own or hold no
/// file (what a build killed while removing one leaves).
pub fn check_output_folder(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let site = absolute(root);
    let out = absolute(output);
    let refuse = |why: String, hint: String| {
        Err(Diagnostic::global(crate::t!(
            "out-refuse",
            path = output.display().to_string(),
            why = why
        ))
        .with_hint(hint))
    };
    let choose = || crate::t!("out-choose");
    if site.starts_with(&out) {
        return refuse(
            if site == out {
                crate::t!("out-is-site", path = root.display().to_string())
            } else {
                crate::t!("out-holds-site", path = root.display().to_string())
            },
            choose(),
        );
    }
    for source in SOURCES {
        let source_path = site.join(source);
        if out.starts_with(&source_path) {
            return refuse(
                crate::t!("out-in-sources", path = source_path.display().to_string()),
                choose(),
            );
        }
    }
    if out.exists() && !out.is_dir() {
        return refuse(crate::t!("out-file"), choose());
    }
    if !holds_no_file(&out) && !is_gongkai_output(&out) {
        return refuse(
            crate::t!("out-foreign", marker = MARKER),
            crate::t!("out-foreign-hint"),
        );
    }
    for suffix in ["staging", "old"] {
        let beside = sibling(&out, suffix);
        if !holds_no_file(&beside) && !is_gongkai_output(&beside) {
            return refuse(
                crate::t!("out-beside", path = beside.display().to_string()),
                crate::t!("out-beside-hint"),
            );
        }
    }
    Ok(())
}

/// Writes the marker into a folder that gongkai writes (the preview's output).
pub fn write_marker(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(MARKER);
    if std::fs::read(&path).is_ok_and(|b| b == MARKER_TEXT.as_bytes()) {
        return Ok(());
    }
    std::fs::write(path, MARKER_TEXT)
}

/// Where a file is written before it is renamed into place: a dot file beside it.
pub fn temp_path(target: &Path) -> PathBuf {
    target.with_file_name(format!(
        ".{}.gongkai-tmp",
        target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    ))
}

/// Writes a file in place by an atomic rename (readers see the old bytes or the
/// new, never a part), creating its folder.
pub fn write_atomically(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = temp_path(target);
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, target)
}

/// After creating `target` failed with `error`: makes its folder when that was
/// missing, else gives the error back.
fn make_parent(target: &Path, error: std::io::Error) -> std::io::Result<()> {
    match target.parent() {
        Some(dir) if error.kind() == std::io::ErrorKind::NotFound => std::fs::create_dir_all(dir),
        _ => Err(error),
    }
}

/// A staging folder that becomes the output on [`Staging::commit`], and is removed
/// if dropped before that.
pub struct Staging {
    staging: PathBuf,
    output: PathBuf,
    /// Whether the output folder existed when staging began (a cold build has no
    /// files to link).
    had_output: bool,
    committed: bool,
}

impl Staging {
    /// Creates an empty staging folder beside `output`. A build killed before
    /// gongkai's own rules could finish is recovered from first: a leftover
    /// staging or old folder is removed, and when the output is missing but the old
    /// one is whole (killed between the two renames of [`Staging::commit`]'s
    /// fallback), the old site is put back.
    pub fn create(output: &Path) -> std::io::Result<Staging> {
        let staging = sibling(output, "staging");
        let old = sibling(output, "old");
        if !output.exists() && old.join(MARKER).is_file() {
            std::fs::rename(&old, output)?;
        }
        for leftover in [&staging, &old] {
            if leftover.exists() {
                remove_tree(leftover)?;
            }
        }
        std::fs::create_dir_all(&staging)?;
        // A fresh file (never a hard link): its identity tells a running server that
        // the output was replaced.
        std::fs::write(staging.join(MARKER), MARKER_TEXT)?;
        Ok(Staging {
            staging,
            output: output.to_path_buf(),
            had_output: output.is_dir(),
            committed: false,
        })
    }

    /// The staging folder.
    pub fn path(&self) -> &Path {
        &self.staging
    }

    /// Writes one file (its folders are created as needed). A file whose bytes are
    /// those of the same file in the current output is hard-linked instead: no new
    /// inode, no data written, and the old tree is cheap to remove after the swap.
    pub fn write(&self, file: &OutputFile) -> std::io::Result<()> {
        let target = self.staging.join(&file.path);
        let previous = self.output.join(&file.path);
        if self.had_output
            && std::fs::metadata(&previous).is_ok_and(|m| m.len() == file.bytes.len() as u64)
            && std::fs::read(&previous).is_ok_and(|old| old == file.bytes)
        {
            let linked = std::fs::hard_link(&previous, &target).or_else(|e| {
                make_parent(&target, e)?;
                std::fs::hard_link(&previous, &target)
            });
            if linked.is_ok() {
                return Ok(());
            }
        }
        // Most folders exist already: they are made only when creating fails.
        let mut f = std::fs::File::create(&target).or_else(|e| {
            make_parent(&target, e)?;
            std::fs::File::create(&target)
        })?;
        f.write_all(&file.bytes)
    }

    /// Makes the staging folder the output. Where the file system can (Linux,
    /// `renameat2` with `RENAME_EXCHANGE`), the two folders trade places in one
    /// step, so there is never a moment without an output folder; elsewhere two
    /// renames through `NAME.old`, which [`Staging::create`] undoes if a kill comes
    /// between them. The old site is removed last, its marker after its other
    /// files, so a removal cut short leaves a folder the next build recognizes.
    pub fn commit(mut self) -> std::io::Result<()> {
        let old = sibling(&self.output, "old");
        let had_output = self.output.exists();
        if had_output && exchange(&self.staging, &self.output).is_ok() {
            self.committed = true;
            return remove_tree(&self.staging);
        }
        if had_output {
            std::fs::rename(&self.output, &old)?;
        }
        if let Err(e) = std::fs::rename(&self.staging, &self.output) {
            if had_output {
                let _ = std::fs::rename(&old, &self.output);
            }
            return Err(e);
        }
        self.committed = true;
        if had_output {
            remove_tree(&old)?;
        }
        Ok(())
    }
}

/// Swaps two folders atomically (Linux `renameat2(RENAME_EXCHANGE)`); an error
/// where the kernel or file system cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

/// Elsewhere there is no atomic exchange: [`Staging::commit`] renames twice.
#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

/// Removes a folder tree, its files in parallel (a large site has tens of
/// thousands of pages), the [`MARKER`] last: a removal cut short leaves either a
/// folder with its marker or one that holds no file, both of which the next build
/// removes ([`check_output_folder`]).
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    use rayon::prelude::*;
    let marker = dir.join(MARKER);
    let files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir() && e.path() != marker)
        .map(walkdir::DirEntry::into_path)
        .collect();
    files.par_iter().try_for_each(std::fs::remove_file)?;
    for entry in walkdir::WalkDir::new(dir).min_depth(1).contents_first(true) {
        let entry = entry?;
        if entry.file_type().is_dir() {
            std::fs::remove_dir(entry.path())?;
        }
    }
    match std::fs::remove_file(&marker) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    std::fs::remove_dir(dir)
}

/// `output.staging` / `output.old` next to the output folder (same file system).
fn sibling(output: &Path, suffix: &str) -> PathBuf {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    output.with_file_name(format!("{name}.{suffix}"))
}
