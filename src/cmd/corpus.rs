//! `gongkai corpus`: write a synthetic benchmark site recombined from this site's content.

use super::{Failure, Outcome};
use gongkai::build::load_site;
use indicatif::ProgressBar;
use std::path::Path;

/// Generates about `tasks` tasks into `out` from the site at `site_root`.
pub fn run(site_root: &Path, tasks: usize, seed: u64, out: &Path) -> Outcome {
    let (site, outcome) = load_site(site_root, &ProgressBar::hidden());
    let Some(site) = site else {
        eprint!("{}", outcome.report());
        return Err(Failure {
            diagnostic: None,
            code: 1,
        });
    };
    if out.join("content").exists() {
        return Err(
            Failure::new(format!("{} already holds a content folder", out.display()))
                .hint("pass an empty or new --out folder"),
        );
    }
    let plans = gongkai::corpus::generate(&site, tasks, seed, out)
        .map_err(|e| Failure::new(format!("cannot write the corpus: {e}")))?;
    eprintln!(
        "wrote {plans} plans, {tasks} tasks into {} (seed {seed})",
        out.display()
    );
    Ok(())
}
