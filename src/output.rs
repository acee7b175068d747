//! Writing the built site. Files go to a fresh staging folder beside the output
//! folder, which replaces the old output only once everything is written: a failed
//! build never damages the last good site. The preview writes in place, each file
//! by an atomic rename ([`write_atomically`]).

use crate::render::OutputFile;
use std::io::Write;
use std::path::{Path, PathBuf};

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

/// A staging folder that becomes the output on [`Staging::commit`], and is removed
/// if dropped before that.
pub struct Staging {
    staging: PathBuf,
    output: PathBuf,
    committed: bool,
}

impl Staging {
    /// Creates an empty staging folder beside `output`.
    pub fn create(output: &Path) -> std::io::Result<Staging> {
        let staging = sibling(output, "staging");
        if staging.exists() {
            remove_tree(&staging)?;
        }
        std::fs::create_dir_all(&staging)?;
        Ok(Staging {
            staging,
            output: output.to_path_buf(),
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
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let previous = self.output.join(&file.path);
        if std::fs::metadata(&previous).is_ok_and(|m| m.len() == file.bytes.len() as u64)
            && std::fs::read(&previous).is_ok_and(|old| old == file.bytes)
            && std::fs::hard_link(&previous, &target).is_ok()
        {
            return Ok(());
        }
        let mut f = std::io::BufWriter::new(std::fs::File::create(target)?);
        f.write_all(&file.bytes)?;
        f.flush()
    }

    /// Replaces the output by the staging folder with two renames; the old output is
    /// removed last.
    pub fn commit(mut self) -> std::io::Result<()> {
        let old = sibling(&self.output, "old");
        if old.exists() {
            remove_tree(&old)?;
        }
        let had_output = self.output.exists();
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

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

/// Removes a folder tree, its files in parallel (a large site has tens of
/// thousands of pages).
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    use rayon::prelude::*;
    let files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .map(walkdir::DirEntry::into_path)
        .collect();
    files.par_iter().try_for_each(std::fs::remove_file)?;
    std::fs::remove_dir_all(dir)
}

/// `output.staging` / `output.old` next to the output folder (same file system).
fn sibling(output: &Path, suffix: &str) -> PathBuf {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    output.with_file_name(format!("{name}.{suffix}"))
}
