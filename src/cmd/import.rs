//! `gongkai import`: a published plan document → a plan file.

use super::{Failure, Outcome};
use std::path::Path;

/// Imports `file`, writing the plan to `out` (or standard output), warnings to stderr.
pub fn run(file: &Path, out: Option<&Path>, plan: Option<&str>) -> Outcome {
    let bytes = std::fs::read(file)
        .map_err(|e| Failure::new(format!("cannot read {}: {e}", file.display())))?;
    let (imported, _format) = gongkai::import::import_bytes(&bytes, plan)
        .map_err(|e| Failure::new(format!("{}: {}", file.display(), e.message)).hint(e.hint))?;
    for w in &imported.warnings {
        eprintln!("warning: {}:{}: {}", file.display(), w.line, w.message);
    }
    if imported.tasks == 0 {
        let unplaced: Vec<String> = imported
            .warnings
            .iter()
            .filter(|w| w.message.contains("dropped") || w.message.contains("no task"))
            .take(3)
            .map(|w| format!("line {}: {}", w.line, w.message))
            .collect();
        let seen = if unplaced.is_empty() {
            String::new()
        } else {
            format!("; lines it could not place: {}", unplaced.join(" / "))
        };
        return Err(Failure::new(format!(
            "{}: no task could be read from this document; nothing was written (read as {}{seen})",
            file.display(),
            imported.layout
        ))
        .hint("tasks are numbered items (`1.`, `1、`) under category headings (`一、`, `（一）`) or rows of a table with a unit column; see docs/plan-format.md, \"Importing\""));
    }
    // The written file must be valid input for `build`.
    let parsed =
        gongkai::parse::parse_plan(Path::new("imported.md"), "imported", &imported.markdown);
    if parsed.plan.is_none() {
        return Err(Failure::new(
            "the imported plan does not parse; please report this document",
        ));
    }
    match out {
        Some(path) => {
            std::fs::write(path, &imported.markdown)
                .map_err(|e| Failure::new(format!("cannot write {}: {e}", path.display())))?;
            eprintln!(
                "imported {} tasks into {} ({} warnings to review)",
                imported.tasks,
                path.display(),
                imported.warnings.len()
            );
            print_summary(&imported.summary);
        }
        None => print!("{}", imported.markdown),
    }
    Ok(())
}

/// What was found per category: tasks, how many have units, how many a deadline.
fn print_summary(summary: &[gongkai::import::CategorySummary]) {
    eprintln!("  {:>5} {:>5} {:>5}  category", "tasks", "units", "dates");
    for row in summary {
        eprintln!(
            "  {:>5} {:>5} {:>5}  {}",
            row.tasks, row.with_units, row.with_deadline, row.title
        );
    }
}
