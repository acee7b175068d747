//! The build pipeline: load → parse → site model → render and export → write.

use crate::config::{CONFIG_FILE, Config};
use crate::diagnostics::{Diagnostic, has_errors, render};
use crate::output::OutputFile;
use crate::render::Renderer;
use crate::site::Site;
use crate::theme::Theme;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What a build (or check) found, and the texts needed to report it.
#[derive(Default)]
pub struct Outcome {
    /// Errors and warnings, all of them.
    pub diagnostics: Vec<Diagnostic>,
    /// Source texts by path, for `file:line:column` reports.
    pub sources: BTreeMap<PathBuf, String>,
    /// Counts, when the build succeeded.
    pub summary: Option<Summary>,
    /// The published URLs, with the ones this build adds (saved when it succeeds).
    pub lock: crate::lock::UrlLock,
}

/// Counts of a successful build.
#[derive(Debug, Clone)]
pub struct Summary {
    /// Plans built.
    pub plans: usize,
    /// Tasks in them.
    pub tasks: usize,
    /// Files written (the search index not counted).
    pub files: usize,
    /// False when the search index of the previous output was reused.
    pub index_rebuilt: bool,
    /// The configured base URL, when it is still an address on this computer.
    pub local_base_url: Option<String>,
    /// Wall time.
    pub elapsed: Duration,
    /// Wall time of each phase, in order.
    pub phases: Vec<(&'static str, Duration)>,
}

impl Outcome {
    /// True when there is no error.
    pub fn succeeded(&self) -> bool {
        !has_errors(&self.diagnostics)
    }

    /// All diagnostics as text.
    pub fn report(&self) -> String {
        render(&self.diagnostics, &self.sources)
    }

    /// Drops the source texts no diagnostic points into: a report shows only those
    /// files, and the texts of a large site are tens of megabytes.
    fn keep_reported_sources(&mut self) {
        let shown: std::collections::BTreeSet<&Path> = self
            .diagnostics
            .iter()
            .filter_map(|d| d.path.as_deref())
            .collect();
        self.sources
            .retain(|path, _| shown.contains(path.as_path()));
    }

    /// Loads the site's config, keeping its text (read even when it does not parse)
    /// to show problems in. Returns the config and its text, if there is a file.
    pub fn load_config(&mut self, root: &Path) -> Result<(Config, Option<String>), Diagnostic> {
        let loaded = Config::load(root);
        let text = match &loaded {
            Ok((_, text)) => text.clone(),
            Err(_) => std::fs::read_to_string(root.join(CONFIG_FILE)).ok(),
        };
        if let Some(text) = text {
            self.sources.insert(PathBuf::from(CONFIG_FILE), text);
        }
        loaded
    }
}

/// Reads the config and every plan of the site at `root`. Returns the site if there
/// was no error, and everything found along the way.
pub fn load_site(root: &Path, progress: &ProgressBar) -> (Option<Site>, Outcome) {
    // jieba's dictionary (~0.25 s; for unit slugs, office names, the index) loads
    // beside the reading and parsing of the plans, which do not need it.
    std::thread::spawn(|| std::sync::LazyLock::force(&crate::text::JIEBA));
    let mut outcome = Outcome::default();
    let config = match outcome.load_config(root) {
        Ok((config, _)) => Some(config),
        Err(d) => {
            outcome.diagnostics.push(d);
            None
        }
    };
    let files = match crate::load::load_plans(root) {
        Ok(files) => files,
        Err(problems) => {
            outcome.diagnostics.extend(problems);
            return (None, outcome);
        }
    };
    progress.set_length(files.len() as u64);
    progress.set_message("解析计划");
    let parsed: Vec<_> = files
        .par_iter()
        .map(|f| {
            let p = crate::parse::parse_plan(&f.path, &f.slug, &f.text);
            progress.inc(1);
            p
        })
        .collect();
    let mut plans = Vec::with_capacity(parsed.len());
    for (file, p) in files.into_iter().zip(parsed) {
        outcome.diagnostics.extend(p.diagnostics);
        plans.extend(p.plan);
        outcome.sources.insert(file.path, file.text);
    }
    let lock = match crate::lock::UrlLock::load(root, &mut outcome.sources) {
        Ok(lock) => lock,
        Err(d) => {
            outcome.diagnostics.push(d);
            return (None, outcome);
        }
    };
    let Some(config) = config.filter(|_| !has_errors(&outcome.diagnostics)) else {
        return (None, outcome);
    };
    outcome.lock = lock;
    let (site, warnings) = Site::new(config, plans, &mut outcome.lock);
    outcome.diagnostics.extend(warnings);
    outcome.diagnostics.extend(site_warnings(&site));
    outcome.keep_reported_sources();
    (Some(site), outcome)
}

/// Warnings about the site as a whole: a base URL still on this computer, and
/// units that are likely one office the rules did not merge.
fn site_warnings(site: &Site) -> Vec<Diagnostic> {
    let warn = |message: String, hint: String| Diagnostic {
        severity: crate::diagnostics::Severity::Warning,
        ..Diagnostic::global(message).with_hint(hint)
    };
    let mut out = Vec::new();
    if is_on_this_computer(&site.config.base_url) {
        out.push(warn(
            crate::t!(
                "build-local-base",
                file = CONFIG_FILE,
                url = site.config.base_url.as_str()
            ),
            crate::t!("build-local-base-hint"),
        ));
    }
    // A base URL of a path only (`/`, `/gongkai/`): links work, but the sitemap and
    // the feed need absolute addresses.
    let lower = site.config.base_url.to_ascii_lowercase();
    if !lower.starts_with("http://") && !lower.starts_with("https://") {
        out.push(warn(
            crate::t!(
                "build-relative-base",
                file = CONFIG_FILE,
                url = site.config.base_url.as_str()
            ),
            crate::t!("build-local-base-hint"),
        ));
    }
    for (a, b, line) in crate::site::likely_duplicates(&site.units) {
        let (a, b) = (&site.units[a], &site.units[b]);
        out.push(warn(
            crate::t!(
                "build-same-office",
                first = a.name.as_str(),
                second = b.name.as_str(),
                jurisdiction = a.jurisdiction.as_str()
            ),
            crate::t!("build-same-office-hint", file = CONFIG_FILE, line = line),
        ));
    }
    out
}

/// True when a base URL is an address on this computer (127.0.0.1, localhost, ::1).
pub fn is_on_this_computer(base_url: &str) -> bool {
    let base = base_url.to_ascii_lowercase();
    ["127.0.0.1", "localhost", "[::1]"]
        .iter()
        .any(|h| base.contains(h))
}

/// Wall time of the phases of a build or an update, as they end.
pub struct Phases {
    lap: Instant,
    /// Each finished phase's name and wall time, in order.
    pub done: Vec<(&'static str, Duration)>,
}

impl Default for Phases {
    fn default() -> Self {
        Phases {
            lap: Instant::now(),
            done: Vec::new(),
        }
    }
}

impl Phases {
    /// Ends the current phase.
    pub fn mark(&mut self, name: &'static str) {
        self.done.push((name, self.lap.elapsed()));
        self.lap = Instant::now();
    }

    /// Ends phases that ran at the same time, each with its own wall time.
    pub fn overlapping(&mut self, phases: &[(&'static str, Duration)]) {
        self.done.extend_from_slice(phases);
        self.lap = Instant::now();
    }
}

/// Builds the site at `root` into `output`. On any error nothing is written and the
/// previous output stays as it was. Each page is written as soon as it is rendered,
/// in parallel, so memory stays bounded on large sites.
pub fn build(root: &Path, output: &Path) -> Outcome {
    let started = Instant::now();
    let progress = ProgressBar::new(0).with_style(
        ProgressStyle::with_template("{spinner} {msg} {pos}/{len}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut phases = Phases::default();
    let (site, mut outcome) = load_site(root, &progress);
    phases.mark("load + parse + model");
    let Some(site) = site else {
        progress.finish_and_clear();
        return outcome;
    };
    match write_everything(root, output, &site, &progress, &mut phases) {
        Ok((files, index_rebuilt)) => {
            if let Err(e) = outcome.lock.save(root) {
                outcome.diagnostics.push(Diagnostic {
                    severity: crate::diagnostics::Severity::Warning,
                    ..Diagnostic::global(crate::t!(
                        "io-save",
                        path = crate::lock::LOCK_FILE,
                        error = e.to_string()
                    ))
                    .with_hint(crate::t!("build-lock-hint"))
                });
            }
            outcome.summary = Some(Summary {
                plans: site.plans.len(),
                tasks: site.task_count(),
                files,
                index_rebuilt,
                local_base_url: is_on_this_computer(&site.config.base_url)
                    .then(|| site.config.base_url.clone()),
                elapsed: started.elapsed(),
                phases: phases.done,
            });
        }
        Err(d) => outcome.diagnostics.push(d),
    }
    progress.finish_and_clear();
    // Freeing the site model (~140 MB at 50,000 tasks, ~60 ms) need not hold up
    // the caller: it is freed on a thread of its own.
    std::thread::spawn(move || drop(site));
    outcome
}

/// Pages, data and assets into a staging folder while the search index is built
/// beside them, then the swap.
fn write_everything(
    root: &Path,
    output: &Path,
    site: &Site,
    progress: &ProgressBar,
    phases: &mut Phases,
) -> Result<(usize, bool), Diagnostic> {
    let io_error = |e: std::io::Error| {
        Diagnostic::global(crate::t!(
            "build-write",
            path = output.display().to_string(),
            error = e.to_string()
        ))
        .with_hint(crate::t!("build-write-hint"))
    };
    crate::output::check_output_folder(root, output)?;
    let theme = Theme::load(root, &site.config.theme)?;
    let renderer = Renderer::new(site, &theme)?;
    let staging = crate::output::Staging::create(output).map_err(io_error)?;
    let started = Instant::now();
    let (pages, index) = std::thread::scope(|scope| {
        let index = scope.spawn(|| {
            let rebuilt = crate::search::build_index(site, staging.path(), Some(output));
            (rebuilt, started.elapsed())
        });
        let pages = write_pages(renderer, site, &theme, &staging, progress, &io_error)
            .map(|count| (count, started.elapsed()));
        (
            pages,
            index.join().expect("the index thread does not panic"),
        )
    });
    let (count, pages_took) = pages?;
    let (rebuilt, index_took) = index;
    let index_rebuilt =
        rebuilt.map_err(|e| Diagnostic::global(crate::t!("build-index", error = e.to_string())))?;
    phases.overlapping(&[
        ("render + write pages and data", pages_took),
        ("search index (beside the pages)", index_took),
    ]);
    staging.commit().map_err(io_error)?;
    phases.mark("swap into place");
    Ok((count, index_rebuilt))
}

/// Renders and writes every page, the open data and the theme's static files;
/// returns how many files. The renderer, with the task cards it keeps for the
/// pages that share them, is dropped as soon as the pages are written (the search
/// index may still be building).
fn write_pages(
    renderer: Renderer,
    site: &Site,
    theme: &Theme,
    staging: &crate::output::Staging,
    progress: &ProgressBar,
    io_error: &(dyn Fn(std::io::Error) -> Diagnostic + Sync),
) -> Result<usize, Diagnostic> {
    let pages = crate::layout::all_pages(site);
    progress.set_message(crate::t!("progress-pages"));
    progress.set_position(0);
    progress.set_length(pages.len() as u64);
    renderer.write_pages(&pages, |f| {
        staging.write(f).map_err(io_error)?;
        progress.inc(1);
        Ok(())
    })?;
    drop(renderer);
    crate::export::write_exports(site, staging.path()).map_err(io_error)?;
    let statics: Vec<OutputFile> = OutputFile::statics(theme).collect();
    statics
        .par_iter()
        .try_for_each(|f| staging.write(f))
        .map_err(io_error)?;
    Ok(pages.len() + crate::layout::EXPORT_FILES.len() + statics.len())
}
