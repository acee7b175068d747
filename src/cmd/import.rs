//! `gongkai import`: a published plan document → a plan file.

use super::{Failure, Outcome};
use std::path::Path;

/// Imports `file`, writing the plan to `out` (or standard output), warnings to stderr.
pub fn run(file: &Path, out: Option<&Path>) -> Outcome {
    let bytes = std::fs::read(file)
        .map_err(|e| Failure::new(format!("cannot read {}: {e}", file.display())))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Failure::new(format!("{} is not UTF-8", file.display()))
            .hint("convert it first, e.g. `iconv -f GB18030 -t UTF-8`")
    })?;
    let imported = gongkai::import::import(&text);
    for w in &imported.warnings {
        eprintln!("warning: {}:{}: {}", file.display(), w.line, w.message);
    }
    if imported.tasks == 0 {
        return Err(Failure::new(format!(
            "{}: no task could be read from this document; nothing was written",
            file.display()
        ))
        .hint("tasks are numbered items (`1.`, `1、`) under category headings (`一、`, `（一）`) or rows of a table; see docs/plan-format.md, \"Importing\""));
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
        }
        None => print!("{}", imported.markdown),
    }
    Ok(())
}
