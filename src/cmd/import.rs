//! `gongkai import`: a published plan document → a plan file.

use super::{Failure, Outcome};
use std::path::Path;

/// Imports `file`, writing the plan to `out` (or standard output), warnings to stderr.
pub fn run(file: &Path, out: Option<&Path>, plan: Option<&str>) -> Outcome {
    let bytes = std::fs::read(file).map_err(|e| {
        Failure::new(gongkai::t!(
            "io-read",
            path = file.display().to_string(),
            error = e.to_string()
        ))
    })?;
    let (imported, _format) = gongkai::import::import_bytes(&bytes, plan)
        .map_err(|e| Failure::new(format!("{}: {}", file.display(), e.message)).hint(e.hint))?;
    for w in &imported.warnings {
        eprintln!(
            "{}",
            gongkai::t!(
                "import-warning",
                path = file.display().to_string(),
                line = w.line,
                message = w.message.as_str()
            )
        );
    }
    if imported.tasks == 0 {
        let unplaced: Vec<String> = imported
            .warnings
            .iter()
            .filter(|w| w.lost_text)
            .take(3)
            .map(|w| {
                gongkai::t!(
                    "import-at-line",
                    line = w.line,
                    message = w.message.as_str()
                )
            })
            .collect();
        let seen = if unplaced.is_empty() {
            String::new()
        } else {
            gongkai::t!("import-unplaced", lines = unplaced.join(" / "))
        };
        return Err(Failure::new(gongkai::t!(
            "import-no-tasks",
            path = file.display().to_string(),
            layout = imported.layout.as_str(),
            seen = seen
        ))
        .hint(gongkai::t!("import-no-tasks-hint")));
    }
    // The written file must be valid input for `build`.
    let parsed =
        gongkai::parse::parse_plan(Path::new("imported.md"), "imported", &imported.markdown);
    if parsed.plan.is_none() {
        return Err(Failure::new(gongkai::t!("import-unparsable")));
    }
    match out {
        Some(path) => {
            std::fs::write(path, &imported.markdown).map_err(|e| {
                Failure::new(gongkai::t!(
                    "io-write",
                    path = path.display().to_string(),
                    error = e.to_string()
                ))
            })?;
            eprintln!(
                "{}",
                gongkai::t!(
                    "import-done",
                    tasks = imported.tasks,
                    path = path.display().to_string(),
                    warnings = imported.warnings.len()
                )
            );
            print_summary(&imported.summary);
        }
        None => print!("{}", imported.markdown),
    }
    Ok(())
}

/// What was found per category: tasks, how many have units, how many a deadline.
fn print_summary(summary: &[gongkai::import::CategorySummary]) {
    eprintln!("{}", gongkai::t!("import-summary-head"));
    for row in summary {
        eprintln!(
            "  {:>5} {:>5} {:>5}  {}",
            row.tasks, row.with_units, row.with_deadline, row.title
        );
    }
}
