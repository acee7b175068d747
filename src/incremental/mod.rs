//! Incremental rebuilds for the preview server.
//!
//! A [`Session`] keeps the site model of the current plan files and what the output
//! holds. On an update it lists the plan files, reads only those whose size or time
//! changed, parses only those whose text changed, and patches the site model plan by
//! plan ([`crate::site::Site::patch`]) when URLs and site order stay as they were: then only the
//! changed plan's page and the unit and category pages that show a changed task are
//! rendered. Anything else (a plan added or removed, a new unit or category, another
//! year) joins the site model again and renders the pages the changed plans touch,
//! before or after. The site-wide pages are rendered when what they list changed; a
//! change of theme or config renders everything. Pages are rendered, the open data
//! serialized and the index documents staged side by side, in memory; only when
//! all three succeeded are they written (files only when their bytes change, each
//! by an atomic rename) and the index committed. The output equals a clean build's;
//! a failed update writes nothing.

mod join;
mod plan;
mod sources;
mod write;

use crate::build::{Outcome, Phases};
use crate::diagnostics::{Diagnostic, has_errors};
use crate::search::LiveIndex;
use crate::theme::Theme;
use join::{Change, JoinedSite};
use plan::{Inputs, Published, RenderPlan, all_touches};
use sources::{Sources, hash};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
pub use write::OpenDataJob;
use write::OutputState;

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

/// What publishing an update did.
struct Written {
    /// Output paths whose bytes changed.
    changed: Vec<String>,
    /// True when every page was rendered.
    full: bool,
    /// How many pages were rendered.
    rendered: usize,
}

/// The state kept between updates.
pub struct Session {
    /// The site folder.
    site_root: PathBuf,
    /// The output folder.
    output: PathBuf,
    /// The plan files as last read.
    sources: Sources,
    /// The site model of the current plan files.
    joined: Option<JoinedSite>,
    /// What the output holds, as of the last good update.
    published: Option<Published>,
    /// True when the site model changed but the output did not follow (a failed
    /// render or write): the next update renders everything.
    output_behind: bool,
    /// Hashes of written pages and the open data's shares.
    state: OutputState,
    /// The live search index, once the first update opened it.
    index: Option<LiveIndex>,
    /// The lock as last read or saved, with its file's stamp then (see
    /// [`crate::lock::file_stamp`]).
    lock: Option<(crate::lock::UrlLock, Option<(u64, std::time::SystemTime)>)>,
    /// How many times the lock file was edited by hand during the session (an edit
    /// makes the next update join the site anew, as a config change does).
    lock_edits: u64,
    /// The theme's templates as last compiled, with the hash of each (compiling
    /// takes ~5 ms at every update otherwise).
    templates: Option<(
        std::collections::BTreeMap<String, u64>,
        std::sync::Arc<crate::render::Templates>,
    )>,
    /// True when updates after the first leave the open data to
    /// [`Session::open_data_job`] (the preview writes it once the editor pauses).
    defer_open_data: bool,
}

impl Session {
    /// A session for the site at `site_root`, writing into `output`. Nothing is
    /// built until the first [`Session::update`].
    pub fn new(site_root: &Path, output: &Path) -> Session {
        Session {
            site_root: site_root.to_path_buf(),
            output: output.to_path_buf(),
            sources: Sources::default(),
            joined: None,
            published: None,
            output_behind: false,
            state: OutputState::default(),
            index: None,
            lock: None,
            lock_edits: 0,
            defer_open_data: false,
            templates: None,
        }
    }

    /// Makes updates after the first leave the open data (`data/tasks.json`,
    /// `data/tasks.csv`: the whole site's tasks, 74 MB at 50,000) unwritten until
    /// [`Session::open_data_job`] or [`Session::write_open_data`], so that an edit
    /// reaches the page sooner.
    pub fn defer_open_data(&mut self) {
        self.defer_open_data = true;
    }

    /// True when an update left the open data behind the pages.
    pub fn open_data_pending(&self) -> bool {
        self.joined.is_some() && !self.state.exports_written
    }

    /// The open data an update left behind, to be written (on any thread) by
    /// [`OpenDataJob::write`]; the session counts it written from now on. `None`
    /// when nothing is pending.
    pub fn open_data_job(&mut self) -> Option<OpenDataJob> {
        let joined = self.joined.as_ref()?;
        write::open_data_job(&self.output, &joined.site, &mut self.state)
    }

    /// Counts the open data unwritten again (a job was cancelled or failed): the
    /// next [`Session::open_data_job`] makes a new one.
    pub fn open_data_unwritten(&mut self) {
        self.state.exports_written = false;
    }

    /// Writes the open data an update left behind, here and now. Returns the paths
    /// written.
    pub fn write_open_data(&mut self) -> Result<Vec<String>, Diagnostic> {
        let Some(job) = self.open_data_job() else {
            return Ok(Vec::new());
        };
        job.write().map_err(|e| {
            // Pending again: the next call tries anew.
            self.open_data_unwritten();
            Diagnostic::global(crate::t!(
                "io-write",
                path = self.output.display().to_string(),
                error = e.to_string()
            ))
        })
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
        let written = match self.try_update(&mut outcome, &mut phases) {
            Ok(w) => w,
            Err(d) => {
                outcome.diagnostics.extend(d);
                None
            }
        };
        let Written {
            changed,
            full,
            rendered,
        } = written.unwrap_or(Written {
            changed: Vec::new(),
            full: false,
            rendered: 0,
        });
        Update {
            outcome,
            changed,
            full,
            rendered,
            elapsed: started.elapsed(),
            phases: phases.done,
        }
    }

    /// Reads, joins and publishes; `None` when the content has errors (reported in
    /// `outcome`, nothing written).
    fn try_update(
        &mut self,
        outcome: &mut Outcome,
        phases: &mut Phases,
    ) -> Result<Option<Written>, Vec<Diagnostic>> {
        if self.published.is_none() {
            crate::output::check_output_folder(&self.site_root, &self.output)
                .map_err(|d| vec![d])?;
        }
        let (config, config_text) = outcome.load_config(&self.site_root).map_err(|d| vec![d])?;
        let theme = Theme::load(&self.site_root, &config.theme).map_err(|d| vec![d])?;
        let inputs = Inputs::of(&theme, config_text.as_deref());
        let present = self.sources.read_changed(&self.site_root)?;
        for (path, _) in &present {
            let f = &self.sources.files[path];
            outcome.diagnostics.extend(f.diagnostics.iter().cloned());
            if let Some(text) = &f.text {
                outcome.sources.insert(path.clone(), text.clone());
            }
        }
        phases.mark("read + parse");
        if has_errors(&outcome.diagnostics) {
            return Ok(None);
        }

        let stamp = crate::lock::file_stamp(&self.site_root);
        // The kept lock is taken, not copied (20,000 units: ~4 ms an update): it is
        // what the file holds, so an update that fails reads the file again.
        let (mut lock, kept) = match self.lock.take() {
            Some((kept, kept_stamp)) if kept_stamp == stamp => (kept, true),
            kept => {
                // Edited by hand since it was last saved: every URL is decided again.
                self.lock_edits += u64::from(kept.is_some());
                let read = crate::lock::UrlLock::load(&self.site_root, &mut outcome.sources)
                    .map_err(|d| vec![d])?;
                (read, false)
            }
        };
        let recorded = lock.entries();
        let config_hash = hash(
            format!(
                "{}\0{}",
                config_text.as_deref().unwrap_or(""),
                self.lock_edits
            )
            .as_bytes(),
        );
        let change = join::join(
            &mut self.joined,
            &mut self.sources,
            &mut lock,
            config,
            config_hash,
            &present,
            outcome,
        );
        let was_behind = self.output_behind;
        self.output_behind |= match &change {
            Change::Patched(patches) => !patches.is_empty(),
            Change::Rejoined(_) => true,
        };
        phases.mark("site model");

        let written = self.publish(&change, was_behind, &theme, inputs, phases)?;
        self.output_behind = false;
        // A lock only gains entries: with as many as before, it still matches the file.
        let unchanged = kept && lock.entries() == recorded;
        if !unchanged {
            lock.save(&self.site_root).map_err(|e| {
                vec![Diagnostic::global(crate::t!(
                    "io-save",
                    path = crate::lock::LOCK_FILE,
                    error = e.to_string()
                ))]
            })?;
        }
        self.lock = Some((lock, crate::lock::file_stamp(&self.site_root)));
        Ok(Some(written))
    }

    /// Plan → render → write → remember: decides the pages the change needs
    /// (everything when `was_behind`, or for a new theme or config), makes them and
    /// the open data and index changes in memory, writes them all, and remembers
    /// what the output now holds.
    fn publish(
        &mut self,
        change: &Change,
        was_behind: bool,
        theme: &Theme,
        inputs: Inputs,
        phases: &mut Phases,
    ) -> Result<Written, Vec<Diagnostic>> {
        if self.index.is_none() {
            crate::output::write_marker(&self.output).map_err(|e| {
                vec![Diagnostic::global(crate::t!(
                    "io-write",
                    path = self.output.display().to_string(),
                    error = e.to_string()
                ))]
            })?;
            write::adopt_existing_output(&self.output, &mut self.state.written);
            // The preview keeps the server's index only: a static index of an earlier
            // build would answer for old content (`gongkai build` writes it anew).
            let _ = std::fs::remove_dir_all(self.output.join(crate::layout::BROWSER_INDEX_DIR));
        }
        // Templates compile before anything else is done (once while they stay the same).
        let templates = match &self.templates {
            Some((hashes, compiled)) if *hashes == inputs.templates => compiled.clone(),
            _ => {
                let compiled = std::sync::Arc::new(
                    crate::render::Templates::compile(theme).map_err(|d| vec![d])?,
                );
                self.templates = Some((inputs.templates.clone(), compiled.clone()));
                compiled
            }
        };
        let site = &self.joined.as_ref().expect("joined above").site;
        let plan = RenderPlan::decide(site, change, was_behind, &inputs, self.published.as_ref());
        let made = write::make(
            &self.output,
            site,
            write::Look { theme, templates },
            &plan,
            change,
            &self.state,
            &mut self.index,
        )?;
        phases.mark("render");
        let index = self.index.as_mut().expect("opened while making");
        // The first update writes everything; later ones may leave the open data.
        let defer = self.defer_open_data && self.published.is_some();
        let changed = write::write(&self.output, site, made, &mut self.state, index, defer)?;
        phases.mark("write pages, open data and index");
        let RenderPlan {
            pages,
            full,
            rejoined_touches,
            listing,
            changed_plans: _,
            category_plans,
        } = plan;
        match (change, self.published.as_mut(), rejoined_touches) {
            (Change::Patched(patches), Some(p), None) => {
                for patch in patches {
                    let slug = site.plans[patch.plan].slug.clone();
                    p.touches.insert(slug, site.plan_touches(patch.plan));
                }
                p.inputs = inputs;
                p.listing = listing;
                p.category_plans = category_plans;
            }
            (_, _, touches) => {
                self.published = Some(Published {
                    inputs,
                    touches: touches.unwrap_or_else(|| all_touches(site)),
                    listing,
                    category_plans,
                });
            }
        }
        Ok(Written {
            changed,
            full,
            rendered: pages.len(),
        })
    }
}
