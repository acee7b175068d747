//! The plan files as the session last read them: a file is read again only when
//! its size or time changed, and parsed again only when its text did.

use crate::diagnostics::Diagnostic;
use crate::load::{PlanFile, Stamp, find_plans};
use crate::model::Plan;
use crate::parse::parse_plan;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// What the session knows of one plan file.
pub(super) struct FileState {
    pub(super) stamp: Stamp,
    /// When the file was last read (taken before reading).
    pub(super) read_at: SystemTime,
    /// Hash of the text last read.
    pub(super) hash: u64,
    /// Problems of its last parse.
    pub(super) diagnostics: Vec<Diagnostic>,
    /// The text, kept when there are problems to show in it.
    pub(super) text: Option<String>,
    /// The last parse, until it joins the site model.
    pub(super) parsed: Option<Plan>,
}

/// What the session knows of every plan file, by path.
#[derive(Default)]
pub(super) struct Sources {
    /// Each file's state.
    pub(super) files: HashMap<PathBuf, FileState>,
}

impl Sources {
    /// Lists the plan files, reads those whose size or time changed (or whose last
    /// read was too close to their last write to tell), and parses those whose text
    /// changed. Returns the paths and slugs of the files present, in path order.
    pub(super) fn read_changed(
        &mut self,
        root: &Path,
    ) -> Result<Vec<(PathBuf, String)>, Vec<Diagnostic>> {
        let found = find_plans(root)?;
        let now = SystemTime::now();
        let stale: Vec<&PlanFile> = found
            .iter()
            .filter(|f| {
                self.files
                    .get(&f.path)
                    .is_none_or(|s| s.stamp != f.stamp || !s.stamp.settled_before(s.read_at))
            })
            .collect();
        let read: Vec<(&PlanFile, Result<String, Diagnostic>)> =
            stale.par_iter().map(|f| (*f, f.read())).collect();
        let mut problems = Vec::new();
        let mut to_parse = Vec::new();
        for (f, text) in read {
            match text {
                Err(d) => problems.push(d),
                Ok(text) => {
                    let h = hash(text.as_bytes());
                    match self.files.get_mut(&f.path) {
                        Some(s) if s.hash == h => {
                            s.stamp = f.stamp;
                            s.read_at = now;
                        }
                        _ => to_parse.push((f, text, h)),
                    }
                }
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let parsed: Vec<(PathBuf, FileState)> = to_parse
            .into_par_iter()
            .map(|(f, text, hash)| {
                let p = parse_plan(&f.path, &f.slug, &text);
                let state = FileState {
                    stamp: f.stamp,
                    read_at: now,
                    hash,
                    text: (!p.diagnostics.is_empty()).then_some(text),
                    diagnostics: p.diagnostics,
                    parsed: p.plan,
                };
                (f.path.clone(), state)
            })
            .collect();
        self.files.extend(parsed);
        let present: Vec<(PathBuf, String)> = found.into_iter().map(|f| (f.path, f.slug)).collect();
        let keep: BTreeSet<&PathBuf> = present.iter().map(|(p, _)| p).collect();
        self.files.retain(|path, _| keep.contains(path));
        Ok(present)
    }
}

/// A fast hash of bytes, to tell whether a file changed.
pub(super) fn hash(bytes: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(bytes);
    h.finish()
}
