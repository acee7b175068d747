//! `gongkai check`: read and validate the content without writing anything.

use gongkai::build::load_site;
use indicatif::ProgressBar;
use std::path::Path;
use std::process::ExitCode;

/// Parses every plan and reports problems; exit status 1 on any error.
pub fn run(root: &Path) -> ExitCode {
    let (site, outcome) = load_site(root, &ProgressBar::hidden());
    eprint!("{}", outcome.report());
    match site {
        Some(site) if outcome.succeeded() => {
            eprintln!(
                "ok: {} plans, {} tasks, {} units, {} categories",
                site.plans.len(),
                site.task_count(),
                site.units.len(),
                site.categories.len()
            );
            ExitCode::SUCCESS
        }
        _ => ExitCode::FAILURE,
    }
}
