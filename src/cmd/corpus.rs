//! `gongkai corpus`: write a synthetic benchmark site recombined from this site's content.

use gongkai::build::load_site;
use indicatif::ProgressBar;
use std::path::Path;
use std::process::ExitCode;

/// Generates about `tasks` tasks into `out` from the site at `root`.
pub fn run(root: &Path, tasks: usize, seed: u64, out: &Path) -> ExitCode {
    let (site, outcome) = load_site(root, &ProgressBar::hidden());
    let Some(site) = site else {
        eprint!("{}", outcome.report());
        return ExitCode::FAILURE;
    };
    if out.join("content").exists() {
        eprintln!(
            "error: {} already holds a content folder\n  = hint: pass an empty or new --out folder",
            out.display()
        );
        return ExitCode::FAILURE;
    }
    match gongkai::corpus::generate(&site, tasks, seed, out) {
        Ok(plans) => {
            eprintln!(
                "wrote {plans} plans, {tasks} tasks into {} (seed {seed})",
                out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot write the corpus: {e}");
            ExitCode::FAILURE
        }
    }
}
