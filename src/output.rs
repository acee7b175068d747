//! Writing the built site. Files go to a fresh staging folder beside the output
//! folder, which replaces the old output only once everything is written: a failed
//! build never damages the last good site.

use crate::render::OutputFile;
use rayon::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes all files into `output`, replacing its previous contents. `finish` runs on
/// the staging folder after the files are written and before the swap (the search
/// index is built there); the previous output is still in place while it runs.
pub fn write_site(
    output: &Path,
    files: &[OutputFile],
    finish: impl FnOnce(&Path) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let staging = sibling(output, "staging");
    if staging.exists() {
        std::fs::remove_dir_all(&staging)?;
    }
    std::fs::create_dir_all(&staging)?;
    let written = write_all(&staging, files).and_then(|()| finish(&staging));
    if let Err(e) = written {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    swap_in(&staging, output)
}

fn write_all(dir: &Path, files: &[OutputFile]) -> std::io::Result<()> {
    let mut dirs: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| dir.join(&f.path).parent().map(Path::to_path_buf))
        .collect();
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        std::fs::create_dir_all(d)?;
    }
    files.par_iter().try_for_each(|f| {
        let mut file = std::io::BufWriter::new(std::fs::File::create(dir.join(&f.path))?);
        file.write_all(&f.bytes)?;
        file.flush()
    })
}

/// Replaces `output` by `staging` with two renames; the old output is removed last.
fn swap_in(staging: &Path, output: &Path) -> std::io::Result<()> {
    let old = sibling(output, "old");
    if old.exists() {
        std::fs::remove_dir_all(&old)?;
    }
    let had_output = output.exists();
    if had_output {
        std::fs::rename(output, &old)?;
    }
    if let Err(e) = std::fs::rename(staging, output) {
        if had_output {
            let _ = std::fs::rename(&old, output);
        }
        return Err(e);
    }
    if had_output {
        std::fs::remove_dir_all(&old)?;
    }
    Ok(())
}

/// `output.staging` / `output.old` next to the output folder (same file system).
fn sibling(output: &Path, suffix: &str) -> PathBuf {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    output.with_file_name(format!("{name}.{suffix}"))
}
