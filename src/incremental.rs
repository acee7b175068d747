//! Incremental rebuilds for the preview server.
//!
//! A [`Session`] keeps the site model of the current plan files and what the output
//! holds. On an update it lists the plan files, reads only those whose size or time
//! changed, parses only those whose text changed, and patches the site model plan by
//! plan ([`Site::patch`]) when URLs and site order stay as they were: then only the
//! changed plan's page and the unit and category pages that show a changed task are
//! rendered. Anything else (a plan added or removed, a new unit or category, another
//! year) joins the site model again and renders the pages the changed plans touch,
//! before or after. The site-wide pages are rendered when what they list changed; a
//! change of theme or config renders everything. Pages are rendered, the open data
//! serialized and the index documents staged side by side, in memory; only when
//! all three succeeded are they written (files only when their bytes change, each
//! by an atomic rename) and the index committed. The output equals a clean build's;
//! a failed update writes nothing.

use crate::build::{Outcome, Phases};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, has_errors};
use crate::export::{PlanExport, plan_export, write_exports};
use crate::layout::{EXPORT_FILES, Page, all_pages, listing_pages, pages_of_template};
use crate::load::{PlanFile, Stamp, find_plans};
use crate::model::Plan;
use crate::output::OutputFile;
use crate::output::{temp_path, write_atomically};
use crate::parse::parse_plan;
use crate::render::Renderer;
use crate::search::LiveIndex;
use crate::search::live::Staged;
use crate::site::{Patch, Site};
use crate::theme::Theme;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

/// What one update did.
pub struct Update {
    /// Problems found (an error means nothing was written).
    pub outcome: Outcome,
    /// Site-relative paths of the files whose bytes changed (`plans/x/index.html`).
    pub changed: Vec<String>,
    /// True when every page was rendered (first build, theme or config change).
    pub full: bool,
    /// How many pages were rendered.
    pub rendered: usize,
    /// Wall time of the update.
    pub elapsed: Duration,
    /// Wall time of each phase, in order.
    pub phases: Vec<(&'static str, Duration)>,
}

/// What the session knows of one plan file.
struct FileState {
    stamp: Stamp,
    /// When the file was last read (taken before reading).
    read_at: SystemTime,
    /// Hash of the text last read.
    hash: u64,
    /// Problems of its last parse.
    diagnostics: Vec<Diagnostic>,
    /// The text, kept when there are problems to show in it.
    text: Option<String>,
    /// The last parse, until it joins the site model.
    parsed: Option<Plan>,
}

/// The site model of the current plan files.
struct Model {
    site: Site,
    /// Plan file → hash of the text its plan was parsed from.
    hashes: HashMap<PathBuf, u64>,
    /// Hash of the config text the site was joined with.
    config: u64,
}

/// What the output holds, as of the last good update.
struct Published {
    inputs: Inputs,
    /// Plan slug → unit and category URLs its tasks appear on.
    touches: BTreeMap<String, BTreeSet<String>>,
    /// What the site-wide pages list (plans, units, categories and their counts).
    listing: u64,
}

/// How the site model followed the changed plans.
enum Change {
    /// Plans patched in place.
    Patched(Vec<Patch>),
    /// The site was joined again; the slugs of the plans changed, added or removed.
    Rejoined(BTreeSet<String>),
}

/// The state kept between updates.
pub struct Session {
    root: PathBuf,
    output: PathBuf,
    files: HashMap<PathBuf, FileState>,
    model: Option<Model>,
    published: Option<Published>,
    /// True when the site model changed but the output did not follow (a failed
    /// render or write): the next update renders everything.
    output_behind: bool,
    /// Output path → hash of the bytes written there (pages and assets).
    written: BTreeMap<String, u64>,
    /// Plan slug → its share of the open-data exports.
    exports: HashMap<String, PlanExport>,
    /// True when the export files on disk are assembled from `exports`.
    exports_written: bool,
    index: Option<LiveIndex>,
}

/// A fast hash of bytes, to tell whether a file changed.
fn hash(bytes: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(bytes);
    h.finish()
}

impl Session {
    /// A session for the site at `root`, writing into `output`. Nothing is built
    /// until the first [`Session::update`].
    pub fn new(root: &Path, output: &Path) -> Session {
        Session {
            root: root.to_path_buf(),
            output: output.to_path_buf(),
            files: HashMap::new(),
            model: None,
            published: None,
            output_behind: false,
            written: BTreeMap::new(),
            exports: HashMap::new(),
            exports_written: false,
            index: None,
        }
    }

    /// The output folder.
    pub fn output(&self) -> &Path {
        &self.output
    }

    /// The live search index, once the first update succeeded.
    pub fn index(&self) -> Option<&tantivy::Index> {
        self.index.as_ref().map(LiveIndex::index)
    }

    /// Rebuilds what changed since the last good build. When it returns, pages,
    /// open data and search index are all in place (or, on failure, all as they were).
    pub fn update(&mut self) -> Update {
        let started = Instant::now();
        let mut outcome = Outcome::default();
        let mut phases = Phases::default();
        let result = self.try_update(&mut outcome, &mut phases);
        let (changed, full, rendered) = match result {
            Ok(v) => v,
            Err(d) => {
                outcome.diagnostics.extend(d);
                (Vec::new(), false, 0)
            }
        };
        Update {
            outcome,
            changed,
            full,
            rendered,
            elapsed: started.elapsed(),
            phases: phases.done,
        }
    }

    fn try_update(
        &mut self,
        outcome: &mut Outcome,
        phases: &mut Phases,
    ) -> Result<(Vec<String>, bool, usize), Vec<Diagnostic>> {
        if self.published.is_none() {
            crate::output::check_output_folder(&self.root, &self.output).map_err(|d| vec![d])?;
        }
        let (config, config_text) = outcome.load_config(&self.root).map_err(|d| vec![d])?;
        let theme = Theme::load(&self.root, &config.theme).map_err(|d| vec![d])?;
        let inputs = Inputs::of(&theme, config_text.as_deref());
        let present = self.read_changed_files()?;
        for (path, _) in &present {
            let f = &self.files[path];
            outcome.diagnostics.extend(f.diagnostics.iter().cloned());
            if let Some(text) = &f.text {
                outcome.sources.insert(path.clone(), text.clone());
            }
        }
        phases.mark("read + parse");
        if has_errors(&outcome.diagnostics) {
            return Ok((Vec::new(), false, 0));
        }

        let config_hash = hash(config_text.as_deref().unwrap_or("").as_bytes());
        let change = self.join(config, config_hash, &present, outcome);
        let was_behind = self.output_behind;
        self.output_behind |= match &change {
            Change::Patched(patches) => !patches.is_empty(),
            Change::Rejoined(_) => true,
        };
        phases.mark("site model");

        let (changed, full, rendered) =
            self.publish(&change, was_behind, &theme, inputs, phases)?;
        self.output_behind = false;
        Ok((changed, full, rendered))
    }

    /// Lists the plan files, reads those whose size or time changed (or whose last
    /// read was too close to their last write to tell), and parses those whose text
    /// changed. Returns the paths and slugs of the files present, in path order.
    fn read_changed_files(&mut self) -> Result<Vec<(PathBuf, String)>, Vec<Diagnostic>> {
        let found = find_plans(&self.root)?;
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

    /// Brings the site model up to date with the files: plan by plan when each
    /// changed plan can be patched in, else by joining all plans again.
    fn join(
        &mut self,
        config: Config,
        config_hash: u64,
        present: &[(PathBuf, String)],
        outcome: &mut Outcome,
    ) -> Change {
        let hashes: HashMap<PathBuf, u64> = present
            .iter()
            .map(|(path, _)| (path.clone(), self.files[path].hash))
            .collect();
        let old = self.model.take();
        let mut new_plans: Vec<Plan> = Vec::new();
        for (path, _) in present {
            if old
                .as_ref()
                .is_none_or(|m| m.hashes.get(path) != Some(&hashes[path]))
            {
                new_plans.extend(self.files.get_mut(path).and_then(|s| s.parsed.take()));
            }
        }
        let same_files = old.as_ref().is_some_and(|m| {
            m.config == config_hash
                && m.hashes.len() == hashes.len()
                && m.hashes.keys().all(|p| hashes.contains_key(p))
        });
        let (old_site, mut changed) = match old {
            Some(mut m) if same_files => {
                let mut patches = Vec::new();
                let mut left = Vec::new();
                for plan in new_plans {
                    match m.site.patch(plan) {
                        Ok(p) => patches.push(p),
                        Err(plan) => left.push(*plan),
                    }
                }
                if left.is_empty() {
                    self.model = Some(Model {
                        site: m.site,
                        hashes,
                        config: config_hash,
                    });
                    return Change::Patched(patches);
                }
                new_plans = left;
                let patched: BTreeSet<String> = patches
                    .iter()
                    .map(|p| m.site.plans[p.plan].slug.clone())
                    .collect();
                (Some(m.site), patched)
            }
            other => (other.map(|m| m.site), BTreeSet::new()),
        };
        // Join again: the old model's plans that are still there and unchanged, and
        // the new parses.
        let present_slugs: BTreeSet<&str> = present.iter().map(|(_, s)| s.as_str()).collect();
        let replaced: BTreeSet<String> = new_plans.iter().map(|p| p.slug.clone()).collect();
        let mut plans = Vec::new();
        for p in old_site.map(Site::into_plans).unwrap_or_default() {
            if !present_slugs.contains(p.slug.as_str()) {
                changed.insert(p.slug);
            } else if !replaced.contains(&p.slug) {
                plans.push(p);
            }
        }
        changed.extend(replaced);
        plans.extend(new_plans);
        let (site, warnings) = Site::new(config, plans);
        outcome.diagnostics.extend(warnings);
        self.model = Some(Model {
            site,
            hashes,
            config: config_hash,
        });
        Change::Rejoined(changed)
    }

    /// Renders and writes what the change needs (everything when `was_behind`, or
    /// for a new theme or config); the open data and the search
    /// index meanwhile. Returns the changed paths, whether every page was rendered,
    /// and how many pages were.
    fn publish(
        &mut self,
        change: &Change,
        was_behind: bool,
        theme: &Theme,
        inputs: Inputs,
        phases: &mut Phases,
    ) -> Result<(Vec<String>, bool, usize), Vec<Diagnostic>> {
        if self.index.is_none() {
            crate::output::write_marker(&self.output).map_err(|e| {
                vec![Diagnostic::global(format!(
                    "cannot write to {}: {e}",
                    self.output.display()
                ))]
            })?;
            adopt_existing_output(&self.output, &mut self.written);
        }
        let Session {
            model,
            published,
            written,
            exports,
            exports_written,
            index,
            output,
            ..
        } = self;
        let site = &model.as_ref().expect("joined above").site;
        // A changed page template re-renders the pages made with it; any other change
        // of theme or config (base layout, macros, assets, settings) everything.
        let template_pages: Option<Vec<Page>> = match published.as_ref() {
            Some(p) if p.inputs.base == inputs.base => inputs
                .templates
                .iter()
                .filter(|(n, h)| p.inputs.templates.get(*n) != Some(h))
                .map(|(n, _)| pages_of_template(n, site))
                .collect::<Option<Vec<_>>>()
                .map(|v| v.concat()),
            _ => None,
        };
        // After a patch the plans' touches are updated at the end; after a join all
        // are found again, and a change that moved URLs of unchanged plans' units or
        // categories renders everything.
        let rejoined = match change {
            Change::Patched(_) => None,
            Change::Rejoined(_) => Some(all_touches(site)),
        };
        let moved = match (change, &rejoined, published.as_ref()) {
            (Change::Rejoined(changed), Some(touches), Some(p)) => touches
                .iter()
                .any(|(slug, urls)| !changed.contains(slug) && p.touches.get(slug) != Some(urls)),
            _ => false,
        };
        let listing = match (change, published.as_ref()) {
            (Change::Patched(patches), Some(p)) if !patches.iter().any(|p| p.listing_changed) => {
                p.listing
            }
            _ => listing_fingerprint(site),
        };
        let full = was_behind || moved || template_pages.is_none();
        let mut pages: Vec<Page> = match (template_pages, published.as_ref()) {
            (Some(template_pages), Some(previous)) if !full => {
                let mut pages = template_pages;
                if previous.listing != listing {
                    pages.extend(listing_pages());
                }
                let after = rejoined.as_ref().unwrap_or(&previous.touches);
                pages.extend(changed_pages(site, change, &previous.touches, after));
                pages
            }
            _ => all_pages(site),
        };
        pages.sort_unstable();
        pages.dedup();
        // Templates compile before anything is written.
        let renderer = Renderer::new(site, theme).map_err(|d| vec![d])?;
        let changed_plans: Option<BTreeSet<&str>> = match change {
            _ if full => None,
            Change::Patched(p) => {
                Some(p.iter().map(|p| site.plans[p.plan].slug.as_str()).collect())
            }
            Change::Rejoined(slugs) => Some(slugs.iter().map(String::as_str).collect()),
        };
        let output: &Path = output;
        let io = |what: &str, e: std::io::Error| {
            vec![Diagnostic::global(format!(
                "cannot write {what} to {}: {e}",
                output.display()
            ))]
        };
        let index_error = |e: tantivy::TantivyError| {
            vec![Diagnostic::global(format!(
                "cannot update the search index: {e}"
            ))]
        };
        // First everything is made in memory (pages rendered, open data serialized,
        // index documents staged in the writer), side by side; only when all of it
        // succeeded is anything written, so a failed update leaves every output as it
        // was.
        let rejoined_site = matches!(change, Change::Rejoined(_));
        let (fresh_exports, staged, rendered) = std::thread::scope(|scope| {
            let data = scope.spawn(|| {
                fresh_exports(
                    site,
                    exports,
                    *exports_written,
                    changed_plans.as_ref(),
                    rejoined_site,
                )
            });
            let staged = scope.spawn(|| stage_index(output, index, site, change));
            let rendered = (|| {
                let mut files = renderer.render_pages(&pages).map_err(|d| vec![d])?;
                files.extend(OutputFile::statics(theme));
                // The set of pages changes only when the site was joined again.
                let expected: Option<BTreeSet<String>> = rejoined.is_some().then(|| {
                    all_pages(site)
                        .into_iter()
                        .map(|p| p.path(site))
                        .chain(files.iter().map(|f| f.path.clone()))
                        .chain(EXPORT_FILES.iter().map(|p| p.to_string()))
                        .collect()
                });
                Ok::<_, Vec<Diagnostic>>((files, expected))
            })();
            (
                data.join().expect("the export thread does not panic"),
                staged.join().expect("the index thread does not panic"),
                rendered,
            )
        });
        phases.mark("render");
        let (files, expected) = match (rendered, staged) {
            (Ok(r), Ok(staged)) => {
                let index = index.as_mut().expect("opened by stage_index");
                (r, (index, staged))
            }
            (rendered, staged) => {
                if let Some(index) = index.as_mut() {
                    index.rollback().map_err(index_error)?;
                }
                rendered?;
                return Err(staged.err().map(index_error).unwrap_or_default());
            }
        };
        let ((files, expected), (index, staged)) = (files, expected);
        let (pages_done, data, committed) = std::thread::scope(|scope| {
            let data = scope
                .spawn(|| write_exports_if(output, site, exports, exports_written, fresh_exports));
            let committed = scope.spawn(|| index.commit(staged, site));
            let pages_done = write_pages(output, written, &files, expected.as_ref());
            (
                pages_done,
                data.join().expect("the export thread does not panic"),
                committed.join().expect("the index thread does not panic"),
            )
        });
        let mut changed = pages_done.map_err(|e| io("the pages", e))?;
        committed.map_err(index_error)?;
        changed.extend(data.map_err(|e| io("the open data", e))?);
        phases.mark("write pages, open data and index");
        match (change, published.as_mut(), rejoined) {
            (Change::Patched(patches), Some(p), None) => {
                for patch in patches {
                    let slug = site.plans[patch.plan].slug.clone();
                    p.touches.insert(slug, site.plan_touches(patch.plan));
                }
                p.inputs = inputs;
                p.listing = listing;
            }
            (_, _, touches) => {
                *published = Some(Published {
                    inputs,
                    touches: touches.unwrap_or_else(|| all_touches(site)),
                    listing,
                });
            }
        }
        Ok((changed, full, pages.len()))
    }
}

/// On the first update, learns what an earlier build left in the output folder, so
/// that unchanged files are not rewritten and stale ones are removed.
fn adopt_existing_output(output: &Path, written: &mut BTreeMap<String, u64>) {
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
    exports: &HashMap<String, PlanExport>,
    exports_written: bool,
    changed: Option<&BTreeSet<&str>>,
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
        .filter(|(slug, share)| exports.get(slug) != Some(share))
        .collect();
    let present: BTreeSet<&str> = site.plans.iter().map(|p| p.slug.as_str()).collect();
    let gone = exports.keys().any(|slug| !present.contains(slug.as_str()));
    (!exports_written || rejoined || gone || !fresh.is_empty()).then_some(fresh)
}

/// Takes in the fresh shares and, when there are any (or the files are behind),
/// writes the export files. Returns the paths written.
fn write_exports_if(
    output: &Path,
    site: &Site,
    exports: &mut HashMap<String, PlanExport>,
    exports_written: &mut bool,
    fresh: Option<Vec<(String, PlanExport)>>,
) -> std::io::Result<Vec<String>> {
    let Some(fresh) = fresh else {
        return Ok(Vec::new());
    };
    exports.extend(fresh);
    let slugs: BTreeSet<&str> = site.plans.iter().map(|p| p.slug.as_str()).collect();
    exports.retain(|slug, _| slugs.contains(slug.as_str()));
    let parts: Vec<&PlanExport> = site.plans.iter().map(|p| &exports[&p.slug]).collect();
    *exports_written = false;
    let targets = EXPORT_FILES.map(|p| output.join(p));
    let temps = targets.clone().map(|t| temp_path(&t));
    if let Some(dir) = targets[0].parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut json = std::io::BufWriter::new(std::fs::File::create(&temps[0])?);
    let mut csv = std::io::BufWriter::new(std::fs::File::create(&temps[1])?);
    write_exports(&parts, &mut json, &mut csv)?;
    json.flush()?;
    csv.flush()?;
    for (tmp, target) in temps.iter().zip(&targets) {
        std::fs::rename(tmp, target)?;
    }
    *exports_written = true;
    Ok(EXPORT_FILES.iter().map(|p| p.to_string()).collect())
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

/// The pages that show what changed: the changed plans' pages and, after a patch,
/// the unit and category pages it names; after a join, every unit and category
/// page a changed plan appears on, before or after.
fn changed_pages(
    site: &Site,
    change: &Change,
    before: &BTreeMap<String, BTreeSet<String>>,
    after: &BTreeMap<String, BTreeSet<String>>,
) -> Vec<Page> {
    let mut pages = Vec::new();
    match change {
        Change::Patched(patches) => {
            for p in patches {
                pages.push(Page::Plan(p.plan));
                pages.extend(p.units.iter().map(|&u| Page::Unit(u)));
                pages.extend(p.categories.iter().map(|&c| Page::Category(c)));
            }
        }
        Change::Rejoined(changed) => {
            let mut urls: BTreeSet<&String> = BTreeSet::new();
            for slug in changed {
                urls.extend(before.get(slug).into_iter().flatten());
                urls.extend(after.get(slug).into_iter().flatten());
            }
            pages.extend(
                (0..site.plans.len())
                    .filter(|&i| changed.contains(&site.plans[i].slug))
                    .map(Page::Plan),
            );
            pages.extend(
                (0..site.units.len())
                    .filter(|&i| urls.contains(&site.units[i].url))
                    .map(Page::Unit),
            );
            pages.extend(
                (0..site.categories.len())
                    .filter(|&i| urls.contains(&site.categories[i].url))
                    .map(Page::Category),
            );
        }
    }
    pages
}

/// A hash of everything the site-wide pages show: each plan's summary, each unit's
/// name, URL and tasks by role, each category's title, URL and tasks.
fn listing_fingerprint(site: &Site) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    for p in &site.plans {
        (&p.slug, &p.meta, p.lang, p.tasks().len()).hash(&mut h);
    }
    for u in &site.units {
        (&u.name, &u.jurisdiction, &u.url).hash(&mut h);
        for t in &u.tasks {
            (t.plan, t.task, t.role.map(|r| r as u8)).hash(&mut h);
        }
    }
    for c in &site.categories {
        (&c.title, &c.url, &c.headings).hash(&mut h);
        for t in &c.tasks {
            (t.plan, t.task).hash(&mut h);
        }
    }
    h.finish()
}

/// For each plan, the unit and category URLs its tasks appear on.
fn all_touches(site: &Site) -> BTreeMap<String, BTreeSet<String>> {
    (0..site.plans.len())
        .into_par_iter()
        .map(|i| (site.plans[i].slug.clone(), site.plan_touches(i)))
        .collect()
}

/// The theme and config a build used: one hash for config, assets and the set of
/// template names, and one per template.
struct Inputs {
    base: u64,
    templates: BTreeMap<String, u64>,
}

impl Inputs {
    fn of(theme: &Theme, config: Option<&str>) -> Inputs {
        let mut bytes: Vec<u8> = config.unwrap_or("").as_bytes().to_vec();
        for name in theme.templates.keys() {
            bytes.extend(name.as_bytes());
        }
        for (name, data) in &theme.statics {
            bytes.extend(name.as_bytes());
            bytes.extend(data);
        }
        let templates = theme
            .templates
            .iter()
            .map(|(n, t)| (n.clone(), hash(t.as_bytes())))
            .collect();
        Inputs {
            base: hash(&bytes),
            templates,
        }
    }
}
