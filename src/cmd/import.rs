//! `gongkai import`: a published plan document → a plan file.

use std::path::Path;
use std::process::ExitCode;

/// Imports `file`, writing the plan to `out` (or standard output), warnings to stderr.
pub fn run(file: &Path, out: Option<&Path>) -> ExitCode {
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", file.display());
            return ExitCode::FAILURE;
        }
    };
    let Ok(text) = String::from_utf8(bytes) else {
        eprintln!(
            "error: {} is not UTF-8\n  = hint: convert it first, e.g. `iconv -f GB18030 -t UTF-8`",
            file.display()
        );
        return ExitCode::FAILURE;
    };
    let imported = gongkai::import::import(&text);
    for w in &imported.warnings {
        eprintln!("warning: {}:{}: {}", file.display(), w.line, w.message);
    }
    if imported.tasks == 0 {
        eprintln!(
            "error: {}: no task could be read from this document; nothing was written\n  = hint: tasks are numbered items (`1.`, `1、`) under category headings (`一、`, `（一）`) or rows of a table; see docs/plan-format.md, \"Importing\"",
            file.display()
        );
        return ExitCode::FAILURE;
    }
    // The written file must be valid input for `build`.
    let parsed =
        gongkai::parse::parse_plan(Path::new("imported.md"), "imported", &imported.markdown);
    if parsed.plan.is_none() {
        eprintln!("error: the imported plan does not parse; please report this document");
        return ExitCode::FAILURE;
    }
    match out {
        Some(path) => {
            if let Err(e) = std::fs::write(path, &imported.markdown) {
                eprintln!("error: cannot write {}: {e}", path.display());
                return ExitCode::FAILURE;
            }
            eprintln!(
                "imported {} tasks into {} ({} warnings to review)",
                imported.tasks,
                path.display(),
                imported.warnings.len()
            );
        }
        None => print!("{}", imported.markdown),
    }
    ExitCode::SUCCESS
}
