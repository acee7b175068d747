//! `gongkai corpus`: write a synthetic benchmark site recombined from this site's content.

use super::{Failure, Outcome};
use gongkai::build::load_site;
use indicatif::ProgressBar;
use std::path::Path;

/// Generates about `tasks` tasks of a shape into `out` from the site at `site_root`.
pub fn run(
    site_root: &Path,
    tasks: usize,
    seed: u64,
    shape: gongkai::corpus::Shape,
    out: &Path,
) -> Outcome {
    let (site, outcome) = load_site(site_root, &ProgressBar::hidden());
    let Some(site) = site else {
        eprint!("{}", outcome.report());
        return Err(Failure {
            diagnostic: None,
            code: 1,
        });
    };
    if out.join("content").exists() {
        return Err(Failure::new(gongkai::t!(
            "corpus-exists",
            path = out.display().to_string()
        ))
        .hint(gongkai::t!("corpus-exists-hint")));
    }
    let plans = gongkai::corpus::generate(&site, tasks, seed, shape, out)
        .map_err(|e| Failure::new(gongkai::t!("corpus-write", error = e.to_string())))?;
    eprintln!(
        "{}",
        gongkai::t!(
            "corpus-wrote",
            plans = plans,
            tasks = tasks,
            path = out.display().to_string(),
            seed = seed
        )
    );
    Ok(())
}
