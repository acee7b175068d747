//! `gongkai build`: content → output.

use gongkai::build::build;
use std::path::Path;
use std::process::ExitCode;

/// Builds the site at `root` into `output`, printing problems and a summary.
pub fn run(root: &Path, output: &Path, timings: bool) -> ExitCode {
    let outcome = build(root, output);
    eprint!("{}", outcome.report());
    match &outcome.summary {
        Some(s) => {
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
            ExitCode::SUCCESS
        }
        None => {
            let errors = outcome.diagnostics.iter().filter(|d| d.is_error()).count();
            eprintln!(
                "build failed with {errors} error(s); {} was left unchanged",
                output.display()
            );
            ExitCode::FAILURE
        }
    }
}
