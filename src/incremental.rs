//! Incremental rebuilds for the preview server.
//!
//! A [`Session`] keeps what the last good build knew: each plan file's parse, the
//! hash of every file written, and which unit and category pages each plan's tasks
//! appear on. On an update it re-reads the site, parses only changed files, and
//! renders only the pages a changed plan touches (before or after the change) plus
//! the site-wide pages; a change of theme or config renders everything. Files are
//! written only when their bytes change, each by an atomic rename, and the changed
//! plans' documents are replaced in the search index. The output equals that of a
//! clean build; a failed update writes nothing.

use crate::build::Outcome;
use crate::config::{CONFIG_FILE, Config};
use crate::diagnostics::{Diagnostic, has_errors};
use crate::load::load_plans;
use crate::model::Plan;
use crate::parse::parse_plan;
use crate::render::{GLOBAL_PAGES, OutputFile, Page, Renderer, all_pages};
use crate::search::LiveIndex;
use crate::site::Site;
use crate::theme::Theme;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What one update did.
pub struct Update {
    /// Problems found (an error means nothing was written).
    pub outcome: Outcome,
    /// Site-relative paths of the files whose bytes changed (`plans/x/index.html`).
    pub changed: Vec<String>,
    /// True when every page was rendered (first build, theme or config change).
    pub full: bool,
    /// Wall time of the update.
    pub elapsed: Duration,
}

/// One file's last parse.
struct Parsed {
    text: String,
    plan: Option<Plan>,
    diagnostics: Vec<Diagnostic>,
}

/// The state kept between updates.
pub struct Session {
    root: PathBuf,
    output: PathBuf,
    parsed: HashMap<PathBuf, Parsed>,
    /// Theme files and config text of the last good build.
    inputs: Option<Inputs>,
    /// Plan slug → hash of its file.
    plan_hashes: BTreeMap<String, u64>,
    /// Plan slug → unit and category URLs its tasks appear on.
    touches: BTreeMap<String, BTreeSet<String>>,
    /// Output path → hash of the bytes written there.
    written: BTreeMap<String, u64>,
    /// Plan slug → its share of the open-data exports.
    exports: HashMap<String, crate::export::PlanExport>,
    /// What the site-wide pages list (plans, units, categories and their counts).
    listing_fingerprint: Option<u64>,
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
            parsed: HashMap::new(),
            inputs: None,
            plan_hashes: BTreeMap::new(),
            touches: BTreeMap::new(),
            written: BTreeMap::new(),
            exports: HashMap::new(),
            listing_fingerprint: None,
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

    /// Rebuilds what changed since the last good build.
    pub fn update(&mut self) -> Update {
        self.update_then(|_| {})
    }

    /// Like [`Session::update`], calling `pages_written` with the changed paths as
    /// soon as the pages are in place — before the open data and the search index
    /// are updated — so that open pages can reload without waiting for them.
    pub fn update_then(&mut self, pages_written: impl FnOnce(&[String])) -> Update {
        let started = Instant::now();
        let mut outcome = Outcome::default();
        let result = self.try_update(&mut outcome, pages_written);
        let (changed, full) = match result {
            Ok(v) => v,
            Err(d) => {
                outcome.diagnostics.extend(d);
                (Vec::new(), false)
            }
        };
        Update {
            outcome,
            changed,
            full,
            elapsed: started.elapsed(),
        }
    }

    fn try_update(
        &mut self,
        outcome: &mut Outcome,
        pages_written: impl FnOnce(&[String]),
    ) -> Result<(Vec<String>, bool), Vec<Diagnostic>> {
        let (config, config_text) = Config::load(&self.root).map_err(|d| {
            if let Ok(t) = std::fs::read_to_string(self.root.join(CONFIG_FILE)) {
                outcome.sources.insert(PathBuf::from(CONFIG_FILE), t);
            }
            vec![d]
        })?;
        if let Some(t) = &config_text {
            outcome
                .sources
                .insert(PathBuf::from(CONFIG_FILE), t.clone());
        }
        let theme = Theme::load(&self.root, &config.theme).map_err(|d| vec![d])?;
        let files = load_plans(&self.root)?;

        // Parse what changed; reuse the rest.
        let stale: Vec<&crate::load::SourceFile> = files
            .iter()
            .filter(|f| self.parsed.get(&f.path).is_none_or(|p| p.text != f.text))
            .collect();
        let fresh: Vec<(PathBuf, Parsed)> = stale
            .par_iter()
            .map(|f| {
                let p = parse_plan(&f.path, &f.slug, &f.text);
                (
                    f.path.clone(),
                    Parsed {
                        text: f.text.clone(),
                        plan: p.plan,
                        diagnostics: p.diagnostics,
                    },
                )
            })
            .collect();
        self.parsed.extend(fresh);
        let present: BTreeSet<&PathBuf> = files.iter().map(|f| &f.path).collect();
        self.parsed.retain(|path, _| present.contains(path));
        let mut plans = Vec::with_capacity(files.len());
        for f in &files {
            let p = &self.parsed[&f.path];
            outcome.diagnostics.extend(p.diagnostics.iter().cloned());
            plans.extend(p.plan.clone());
            if !p.diagnostics.is_empty() {
                outcome.sources.insert(f.path.clone(), f.text.clone());
            }
        }
        if has_errors(&outcome.diagnostics) {
            return Ok((Vec::new(), false));
        }

        let plan_hashes: BTreeMap<String, u64> = files
            .iter()
            .map(|f| (f.slug.clone(), hash(f.text.as_bytes())))
            .collect();
        let mut changed_plans: BTreeSet<String> = BTreeSet::new();
        for slug in plan_hashes.keys().chain(self.plan_hashes.keys()) {
            if plan_hashes.get(slug) != self.plan_hashes.get(slug) {
                changed_plans.insert(slug.clone());
            }
        }
        let (site, warnings) = Site::new(config, plans);
        outcome.diagnostics.extend(warnings);
        let touches = touches(&site);
        let inputs = Inputs::of(&theme, config_text.as_deref());
        // A change that moves URLs of unchanged plans' units renders everything too.
        let moved = touches.iter().any(|(slug, urls)| {
            !changed_plans.contains(slug) && self.touches.get(slug) != Some(urls)
        });
        // A changed page template re-renders the pages made with it; any other change
        // of theme or config (base layout, macros, assets, settings) everything.
        let changed_templates: Vec<&String> = match &self.inputs {
            Some(old) if old.base == inputs.base => inputs
                .templates
                .iter()
                .filter(|(n, h)| old.templates.get(*n) != Some(h))
                .map(|(n, _)| n)
                .collect(),
            _ => Vec::new(),
        };
        let template_pages: Option<Vec<Page>> = changed_templates
            .iter()
            .map(|n| pages_of_template(n, &site))
            .collect::<Option<Vec<_>>>()
            .map(|v| v.concat());
        let full = self
            .inputs
            .as_ref()
            .is_none_or(|old| old.base != inputs.base)
            || moved
            || template_pages.is_none();

        let listing = listing_fingerprint(&site);
        let renderer = Renderer::new(&site, &theme).map_err(|d| vec![d])?;
        let pages: Vec<Page> = if full {
            all_pages(&site)
        } else {
            let mut urls: BTreeSet<&String> = BTreeSet::new();
            for slug in &changed_plans {
                urls.extend(self.touches.get(slug).into_iter().flatten());
                urls.extend(touches.get(slug).into_iter().flatten());
            }
            // Site-wide pages list plans, units and categories with counts: re-render
            // them only when that listing changed (not for an edit of a task's text).
            let mut pages = if self.listing_fingerprint == Some(listing) {
                Vec::new()
            } else {
                GLOBAL_PAGES.to_vec()
            };
            pages.extend(template_pages.into_iter().flatten());
            pages.extend(
                (0..site.plans.len())
                    .filter(|&i| changed_plans.contains(&site.plans[i].slug))
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
            pages
        };
        let mut files_out = renderer.render_pages(&pages).map_err(|d| vec![d])?;
        files_out.extend(theme.statics.iter().map(|(path, bytes)| OutputFile {
            path: format!("static/{path}"),
            bytes: bytes.clone(),
        }));
        let mut expected: BTreeSet<String> = all_pages(&site)
            .into_iter()
            .map(|p| renderer.page_path(p))
            .collect();
        expected.extend(files_out.iter().map(|f| f.path.clone()));
        expected.extend(crate::export::EXPORT_PATHS.iter().map(|p| p.to_string()));
        drop(renderer);

        if self.index.is_none() {
            self.adopt_existing_output();
        }
        let output = self.output.clone();
        let io = |e: std::io::Error| {
            vec![Diagnostic::global(format!(
                "cannot write to {}: {e}",
                output.display()
            ))]
        };
        // Pages first: open pages may reload as soon as they are all in place.
        let mut changed = self.write(&files_out, &expected).map_err(&io)?;
        drop(files_out);
        pages_written(&changed);

        // Then the open data (re-serializing only the changed plans' shares) and the index.
        let stale_exports: Vec<usize> = (0..site.plans.len())
            .filter(|&i| {
                full || changed_plans.contains(&site.plans[i].slug)
                    || !self.exports.contains_key(&site.plans[i].slug)
            })
            .collect();
        let fresh: Vec<(String, crate::export::PlanExport)> = stale_exports
            .par_iter()
            .map(|&i| {
                (
                    site.plans[i].slug.clone(),
                    crate::export::plan_export(&site, i),
                )
            })
            .collect();
        self.exports.extend(fresh);
        self.exports
            .retain(|slug, _| plan_hashes.contains_key(slug));
        let parts: Vec<&crate::export::PlanExport> =
            site.plans.iter().map(|p| &self.exports[&p.slug]).collect();
        let exports = crate::export::assemble(&parts);
        changed.extend(self.write(&exports, &expected).map_err(&io)?);
        self.update_index(&site, full, &changed_plans)
            .map_err(|e| {
                vec![Diagnostic::global(format!(
                    "cannot update the search index: {e}"
                ))]
            })?;

        self.inputs = Some(inputs);
        self.listing_fingerprint = Some(listing);
        self.plan_hashes = plan_hashes;
        self.touches = touches;
        Ok((changed, full))
    }

    /// On the first update, learns what an earlier build left in the output folder,
    /// so that unchanged files are not rewritten and stale ones are removed.
    fn adopt_existing_output(&mut self) {
        for entry in walkdir::WalkDir::new(&self.output).into_iter().flatten() {
            let Ok(rel) = entry.path().strip_prefix(&self.output) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            if entry.file_type().is_file()
                && !rel.starts_with("search/")
                && let Ok(bytes) = std::fs::read(entry.path())
            {
                self.written.insert(rel, hash(&bytes));
            }
        }
    }

    /// Writes the files whose bytes changed and removes files no longer produced.
    /// Returns the paths that changed.
    fn write(
        &mut self,
        files: &[OutputFile],
        expected: &BTreeSet<String>,
    ) -> std::io::Result<Vec<String>> {
        let mut changed = Vec::new();
        for f in files {
            let h = hash(&f.bytes);
            if self.written.get(&f.path) == Some(&h) {
                continue;
            }
            let target = self.output.join(&f.path);
            if let Some(dir) = target.parent() {
                std::fs::create_dir_all(dir)?;
            }
            let tmp = target.with_file_name(format!(
                ".{}.gongkai-tmp",
                target
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            ));
            std::fs::write(&tmp, &f.bytes)?;
            std::fs::rename(&tmp, &target)?;
            self.written.insert(f.path.clone(), h);
            changed.push(f.path.clone());
        }
        let stale: Vec<String> = self
            .written
            .keys()
            .filter(|p| !expected.contains(*p))
            .cloned()
            .collect();
        for path in stale {
            let target = self.output.join(&path);
            let _ = std::fs::remove_file(&target);
            // Remove folders left empty (a unit page that disappeared).
            let mut dir = target.parent();
            while let Some(d) = dir.filter(|d| *d != self.output) {
                if std::fs::remove_dir(d).is_err() {
                    break;
                }
                dir = d.parent();
            }
            self.written.remove(&path);
            changed.push(path);
        }
        Ok(changed)
    }

    fn update_index(
        &mut self,
        site: &Site,
        full: bool,
        changed_plans: &BTreeSet<String>,
    ) -> tantivy::Result<()> {
        let first = self.index.is_none();
        if first {
            self.index = Some(LiveIndex::open(&self.output)?);
        }
        let index = self.index.as_mut().expect("opened above");
        if first && index.is_current(site) {
            return Ok(());
        }
        let whole = first || full;
        index.update(site, (!whole).then_some(changed_plans))
    }
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
fn touches(site: &Site) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = site
        .plans
        .iter()
        .map(|p| (p.slug.clone(), BTreeSet::new()))
        .collect();
    for unit in &site.units {
        for t in &unit.tasks {
            out.get_mut(&site.plans[t.plan].slug)
                .expect("plan")
                .insert(unit.url.clone());
        }
    }
    for cat in &site.categories {
        for t in &cat.tasks {
            out.get_mut(&site.plans[t.plan].slug)
                .expect("plan")
                .insert(cat.url.clone());
        }
    }
    out
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

/// The pages rendered with a page template; `None` for templates that other
/// templates use (the base layout, macros, anything unknown): every page.
fn pages_of_template(name: &str, site: &Site) -> Option<Vec<Page>> {
    Some(match name {
        "index.html" => vec![Page::Home],
        "plan.html" => (0..site.plans.len()).map(Page::Plan).collect(),
        "unit.html" => (0..site.units.len()).map(Page::Unit).collect(),
        "units.html" => vec![Page::UnitIndex],
        "category.html" => (0..site.categories.len()).map(Page::Category).collect(),
        "categories.html" => vec![Page::CategoryIndex],
        "search.html" => vec![Page::Search],
        "404.html" => vec![Page::NotFound],
        "sitemap.xml" => vec![Page::Sitemap],
        "atom.xml" => vec![Page::Feed],
        _ => return None,
    })
}
