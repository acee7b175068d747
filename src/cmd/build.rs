//! `gongkai build`: content → output.

use super::{Failure, Outcome};
use gongkai::build::build;
use std::path::Path;

/// Builds the site at `site_root` into `output`, printing problems and a summary.
pub fn run(site_root: &Path, output: &Path, timings: bool) -> Outcome {
    let outcome = build(site_root, output);
    eprint!("{}", outcome.report());
    let Some(s) = &outcome.summary else {
        let errors = outcome.diagnostics.iter().filter(|d| d.is_error()).count();
        return Err(Failure::new(format!(
            "build failed with {errors} error(s); {} was left unchanged",
            output.display()
        )));
    };
    eprintln!(
        "built {} plans, {} tasks, {} files into {} (search index {}) in {} ms",
        s.plans,
        s.tasks,
        s.files,
        output.display(),
        if s.index_rebuilt {
            "rebuilt"
        } else {
            "unchanged"
        },
        s.elapsed.as_millis()
    );
    if timings {
        super::print_phases(&s.phases);
    }
    Ok(())
}
