//! `gongkai check`: read and validate the content without writing anything.

use super::{Failure, Outcome};
use gongkai::build::load_site;
use indicatif::ProgressBar;
use std::path::Path;

/// Parses every plan and reports problems; fails on any error.
pub fn run(site_root: &Path) -> Outcome {
    let (site, outcome) = load_site(site_root, &ProgressBar::hidden());
    eprint!("{}", outcome.report());
    match site {
        Some(site) if outcome.succeeded() => {
            eprintln!(
                "{}",
                gongkai::t!(
                    "check-ok",
                    plans = site.plans.len(),
                    tasks = site.task_count(),
                    units = site.units.len(),
                    categories = site.categories.len()
                )
            );
            Ok(())
        }
        _ => Err(Failure {
            diagnostic: None,
            code: 1,
        }),
    }
}
