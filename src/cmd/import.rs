//! `gongkai import`: a published plan document → a plan file.

use super::{Failure, Outcome};
use std::path::Path;

/// Imports `file`, writing the plan to `out` (or standard output), warnings to
/// stderr. An existing `out` is replaced only with `force`.
pub fn run(
    file: &Path,
    out: Option<&Path>,
    plan: Option<&str>,
    columns: Option<&str>,
    force: bool,
) -> Outcome {
    if let Some(path) = out {
        check_target(path, force)?;
    }
    let columns = columns
        .map(gongkai::import::parse_columns)
        .transpose()
        .map_err(|name| {
            Failure::new(gongkai::t!("import-columns-unknown", name = name))
                .hint(gongkai::t!("import-columns-hint"))
                .usage()
        })?;
    let bytes = gongkai::import::read_document(file).map_err(|e| {
        let failure = Failure::new(e.message);
        if e.hint.is_empty() {
            failure
        } else {
            failure.hint(e.hint)
        }
    })?;
    let (imported, _format) = gongkai::import::import_bytes_with(&bytes, plan, columns.as_deref())
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
            check_target(path, force)?;
            write_new(path, imported.markdown.as_bytes()).map_err(|e| {
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
            eprintln!(
                "{}",
                gongkai::t!("import-read-as", layout = imported.layout.as_str())
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

/// Refuses a target that exists (a plan, the site's config, anything) unless
/// `force`, and a folder always.
fn check_target(path: &Path, force: bool) -> Result<(), Failure> {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return Ok(());
    };
    let shown = path.display().to_string();
    if meta.is_dir() {
        return Err(Failure::new(gongkai::t!("import-target-folder", path = shown)).usage());
    }
    if !force {
        return Err(
            Failure::new(gongkai::t!("import-target-exists", path = shown))
                .hint(gongkai::t!("import-target-exists-hint"))
                .usage(),
        );
    }
    Ok(())
}

/// Writes `bytes` to a new file beside `path` (created, never opened through a
/// link) and renames it over `path`: a kill leaves the old file or the new, and a
/// symbolic link at `path` is replaced, not followed.
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let tmp = gongkai::output::temp_path(path);
    match std::fs::remove_file(&tmp) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)?;
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    drop(file);
    match written.and_then(|()| std::fs::rename(&tmp, path)) {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}
