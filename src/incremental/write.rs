//! An update's outputs: made in memory first (pages rendered, open data
//! serialized, index documents staged, side by side), then written — files only
//! when their bytes changed, each by an atomic rename — and the index committed.
//! When anything fails while making, nothing is written and the index is rolled
//! back.

use super::join::Change;
use super::plan::RenderPlan;
use super::sources::hash;
use crate::diagnostics::Diagnostic;
use crate::export::{ExportWriter, PlanExport, plan_export};
use crate::layout::{EXPORT_FILES, all_pages};
use crate::output::{OutputFile, temp_path, write_atomically};
use crate::render::{Renderer, Templates};
use crate::search::LiveIndex;
use crate::search::live::Staged;
use crate::site::Site;
use crate::theme::Theme;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

/// What the output holds besides the index: hashes of the pages and assets
/// written, and each plan's share of the open data.
#[derive(Default)]
pub(super) struct OutputState {
    /// Output path → hash of the bytes written there (pages and assets).
    pub(super) written: BTreeMap<String, u64>,
    /// Plan slug → its share of the open-data exports (shared with a deferred
    /// write on another thread).
    pub(super) exports: HashMap<String, Arc<PlanExport>>,
    /// True when the export files on disk are assembled from `exports`.
    pub(super) exports_written: bool,
}

/// What an update renders with: the theme (its static files) and its templates,
/// compiled.
pub(super) struct Look<'t> {
    pub(super) theme: &'t Theme,
    pub(super) templates: Arc<Templates>,
}

/// Everything an update will write, made in memory.
pub(super) struct Made {
    /// The rendered pages and the theme's static files.
    files: Vec<OutputFile>,
    /// After a join: every path the site now has (files not in it are removed).
    expected: Option<BTreeSet<String>>,
    /// Fresh export shares, when the export files change.
    exports: Option<Vec<(String, PlanExport)>>,
    /// The index changes, staged in its writer.
    staged: Staged,
}

/// Renders the planned pages, serializes the changed open data and stages the
/// index changes, side by side. On any failure the index is rolled back.
pub(super) fn make(
    output: &Path,
    site: &Site,
    look: Look,
    plan: &RenderPlan,
    change: &Change,
    state: &OutputState,
    index: &mut Option<LiveIndex>,
) -> Result<Made, Vec<Diagnostic>> {
    let Look { theme, templates } = look;
    let renderer = Renderer::with_templates(site, theme, templates);
    let rejoined = matches!(change, Change::Rejoined(_));
    let (exports, staged, rendered) = std::thread::scope(|scope| {
        let data = scope.spawn(|| {
            fresh_exports(
                site,
                &state.exports,
                state.exports_written,
                plan.changed_plans.as_ref(),
                rejoined,
            )
        });
        let staged = scope.spawn(|| stage_index(output, index, site, change));
        let rendered = renderer.render_pages(&plan.pages).map(|mut files| {
            files.extend(OutputFile::statics(theme));
            // The set of pages changes only when the site was joined again.
            let expected: Option<BTreeSet<String>> = rejoined.then(|| {
                all_pages(site)
                    .into_iter()
                    .map(|p| p.path(site))
                    .chain(files.iter().map(|f| f.path.clone()))
                    .chain(EXPORT_FILES.iter().map(|p| p.to_string()))
                    .collect()
            });
            (files, expected)
        });
        (
            data.join().expect("the export thread does not panic"),
            staged.join().expect("the index thread does not panic"),
            rendered,
        )
    });
    match (rendered, staged) {
        (Ok((files, expected)), Ok(staged)) => Ok(Made {
            files,
            expected,
            exports,
            staged,
        }),
        (rendered, staged) => {
            if let Some(index) = index.as_mut() {
                index.rollback().map_err(index_error)?;
            }
            rendered.map_err(|d| vec![d])?;
            Err(staged.err().map(index_error).unwrap_or_default())
        }
    }
}

/// Writes what was made: pages, open data and the index commit, side by side
/// (the open data only takes in the fresh shares when `defer_open_data`: see
/// [`OpenDataJob`]). Returns the output paths whose bytes changed.
pub(super) fn write(
    output: &Path,
    site: &Site,
    made: Made,
    state: &mut OutputState,
    index: &mut LiveIndex,
    defer_open_data: bool,
) -> Result<Vec<String>, Vec<Diagnostic>> {
    let io = |e: std::io::Error| {
        vec![Diagnostic::global(crate::t!(
            "io-write",
            path = output.display().to_string(),
            error = e.to_string()
        ))]
    };
    let Made {
        files,
        expected,
        exports,
        staged,
    } = made;
    let OutputState {
        written,
        exports: shares,
        exports_written,
    } = state;
    let (pages, data, committed) = std::thread::scope(|scope| {
        let data = scope.spawn(|| {
            if !take_shares(site, shares, exports_written, exports) || defer_open_data {
                return Ok(Vec::new());
            }
            write_export_files(output, site, shares, exports_written)
        });
        let committed = scope.spawn(|| index.commit(staged, site));
        let pages = write_pages(output, written, &files, expected.as_ref());
        (
            pages,
            data.join().expect("the export thread does not panic"),
            committed.join().expect("the index thread does not panic"),
        )
    });
    let mut changed = pages.map_err(io)?;
    committed.map_err(index_error)?;
    changed.extend(data.map_err(io)?);
    Ok(changed)
}

fn index_error(e: tantivy::TantivyError) -> Vec<Diagnostic> {
    vec![Diagnostic::global(crate::t!(
        "index-update",
        error = e.to_string()
    ))]
}

/// On the first update, learns what an earlier build left in the output folder, so
/// that unchanged files are not rewritten and stale ones are removed.
pub(super) fn adopt_existing_output(output: &Path, written: &mut BTreeMap<String, u64>) {
    for entry in walkdir::WalkDir::new(output).into_iter().flatten() {
        let Ok(rel) = entry.path().strip_prefix(output) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if entry.file_type().is_file()
            && !crate::layout::is_search_data(&rel)
            && rel != crate::output::MARKER
            && !EXPORT_FILES.contains(&rel.as_str())
            && let Ok(bytes) = std::fs::read(entry.path())
        {
            written.insert(rel, hash(&bytes));
        }
    }
}

/// Writes the files whose bytes changed and, given the complete set of paths the
/// site now has, removes files no longer produced. Returns the paths that changed.
fn write_pages(
    output: &Path,
    written: &mut BTreeMap<String, u64>,
    files: &[OutputFile],
    expected: Option<&BTreeSet<String>>,
) -> std::io::Result<Vec<String>> {
    let mut changed = Vec::new();
    for f in files {
        let h = hash(&f.bytes);
        if written.get(&f.path) == Some(&h) {
            continue;
        }
        write_atomically(&output.join(&f.path), &f.bytes)?;
        written.insert(f.path.clone(), h);
        changed.push(f.path.clone());
    }
    let Some(expected) = expected else {
        return Ok(changed);
    };
    let stale: Vec<String> = written
        .keys()
        .filter(|p| !expected.contains(*p))
        .cloned()
        .collect();
    for path in stale {
        let target = output.join(&path);
        let _ = std::fs::remove_file(&target);
        // Remove folders left empty (a unit page that disappeared).
        let mut dir = target.parent();
        while let Some(d) = dir.filter(|d| *d != output) {
            if std::fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
        written.remove(&path);
        changed.push(path);
    }
    Ok(changed)
}

/// The export shares of the changed plans (all plans when `None`) serialized anew,
/// when they differ from what was written: `None` when the export files stay as
/// they are. The site joined again (plans added, removed or moved in site order)
/// always writes them.
fn fresh_exports(
    site: &Site,
    exports: &HashMap<String, Arc<PlanExport>>,
    exports_written: bool,
    changed: Option<&BTreeSet<String>>,
    rejoined: bool,
) -> Option<Vec<(String, PlanExport)>> {
    let stale: Vec<usize> = (0..site.plans.len())
        .filter(|&i| {
            let slug = site.plans[i].slug.as_str();
            changed.is_none_or(|c| c.contains(slug)) || !exports.contains_key(slug)
        })
        .collect();
    let fresh: Vec<(String, PlanExport)> = stale
        .par_iter()
        .map(|&i| (site.plans[i].slug.clone(), plan_export(site, i)))
        .filter(|(slug, share)| exports.get(slug).map(|s| s.as_ref()) != Some(share))
        .collect();
    let present: BTreeSet<&str> = site.plans.iter().map(|p| p.slug.as_str()).collect();
    let gone = exports.keys().any(|slug| !present.contains(slug.as_str()));
    (!exports_written || rejoined || gone || !fresh.is_empty()).then_some(fresh)
}

/// Takes in the fresh shares; true when the export files must be written (there
/// are fresh shares, or the files are behind).
fn take_shares(
    site: &Site,
    exports: &mut HashMap<String, Arc<PlanExport>>,
    exports_written: &mut bool,
    fresh: Option<Vec<(String, PlanExport)>>,
) -> bool {
    let Some(fresh) = fresh else {
        return false;
    };
    exports.extend(
        fresh
            .into_iter()
            .map(|(slug, share)| (slug, Arc::new(share))),
    );
    let slugs: BTreeSet<&str> = site.plans.iter().map(|p| p.slug.as_str()).collect();
    exports.retain(|slug, _| slugs.contains(slug.as_str()));
    *exports_written = false;
    true
}

/// Writes the export files from the shares, plans in site order, each by an
/// atomic rename. Returns the paths written.
fn write_export_files(
    output: &Path,
    site: &Site,
    exports: &HashMap<String, Arc<PlanExport>>,
    exports_written: &mut bool,
) -> std::io::Result<Vec<String>> {
    let job = OpenDataJob::of(output, site, exports)
        .expect("every plan has its share once the fresh ones are taken in");
    let written = job.write()?;
    *exports_written = true;
    Ok(written)
}

/// The open data an update deferred, ready to be written on any thread.
pub struct OpenDataJob {
    output: std::path::PathBuf,
    /// Every plan's share, in site order.
    parts: Vec<Arc<PlanExport>>,
}

impl OpenDataJob {
    /// The files made of every plan's share, in site order; `None` when a plan has
    /// none (after a failed update).
    fn of(
        output: &Path,
        site: &Site,
        exports: &HashMap<String, Arc<PlanExport>>,
    ) -> Option<OpenDataJob> {
        let parts = site
            .plans
            .iter()
            .map(|p| exports.get(&p.slug).cloned())
            .collect::<Option<Vec<_>>>()?;
        Some(OpenDataJob {
            output: output.to_path_buf(),
            parts,
        })
    }

    /// Writes `data/tasks.json` and `data/tasks.csv`, each by an atomic rename.
    /// Returns the paths written.
    pub fn write(self) -> std::io::Result<Vec<String>> {
        let never = std::sync::atomic::AtomicBool::new(false);
        Ok(self.write_unless(&never)?.unwrap_or_default())
    }

    /// Writes the files as [`OpenDataJob::write`] does, unless `cancelled` becomes
    /// true first: then the files stay as they were and the result is `None`.
    pub fn write_unless(
        self,
        cancelled: &std::sync::atomic::AtomicBool,
    ) -> std::io::Result<Option<Vec<String>>> {
        let targets = EXPORT_FILES.map(|p| self.output.join(p));
        let temps = targets.clone().map(|t| temp_path(&t));
        let mut out = ExportWriter::create(&temps[0], &temps[1])?;
        for part in &self.parts {
            if cancelled.load(std::sync::atomic::Ordering::Relaxed) {
                drop(out);
                for tmp in &temps {
                    let _ = std::fs::remove_file(tmp);
                }
                return Ok(None);
            }
            out.push(part)?;
        }
        out.finish()?;
        for (tmp, target) in temps.iter().zip(&targets) {
            std::fs::rename(tmp, target)?;
        }
        Ok(Some(EXPORT_FILES.iter().map(|p| p.to_string()).collect()))
    }
}

/// The open data an update deferred, if any, as a job; the state then counts it
/// written. `None` when nothing is pending, or after a failed update whose shares
/// do not cover every plan (the next good update writes the files).
pub(super) fn open_data_job(
    output: &Path,
    site: &Site,
    state: &mut OutputState,
) -> Option<OpenDataJob> {
    if state.exports_written {
        return None;
    }
    let job = OpenDataJob::of(output, site, &state.exports)?;
    state.exports_written = true;
    Some(job)
}

/// Stages what brings the live index up to date: the patched plans' documents, or
/// (after a join) every plan whose indexed content changed.
fn stage_index(
    output: &Path,
    index: &mut Option<LiveIndex>,
    site: &Site,
    change: &Change,
) -> tantivy::Result<Staged> {
    let index = match index {
        Some(i) => i,
        None => index.insert(LiveIndex::open(output)?),
    };
    match change {
        Change::Patched(patches) if index.has_hashes() => {
            let slugs: BTreeSet<String> = patches
                .iter()
                .map(|p| site.plans[p.plan].slug.clone())
                .collect();
            index.stage_replace(site, &slugs)
        }
        _ => index.stage_sync(site),
    }
}
