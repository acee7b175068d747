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
        return Err(Failure::new(gongkai::t!(
            "build-failed",
            errors = errors,
            path = output.display().to_string()
        )));
    };
    eprintln!(
        "{}",
        gongkai::t!(
            "build-done",
            plans = s.plans,
            tasks = s.tasks,
            files = s.files,
            ms = s.elapsed.as_millis() as u64,
            index = if s.index_rebuilt {
                gongkai::t!("build-index-rebuilt")
            } else {
                gongkai::t!("build-index-unchanged")
            }
        )
    );
    if timings {
        super::print_phases(&s.phases);
    }
    let place = std::path::absolute(output).unwrap_or_else(|_| output.to_path_buf());
    let mut last = gongkai::t!("build-where", path = place.display().to_string());
    if let Some(url) = &s.local_base_url {
        last.push_str(&gongkai::t!("build-where-local", url = url.as_str()));
    }
    eprintln!("{last}");
    Ok(())
}
