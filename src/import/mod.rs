//! The importer: a plan as offices publish it (a Word document, an HTML page, or
//! text copied out of either: a table, prose) → a plan file in the documented
//! format, with a warning for everything it was unsure of. The rules are general
//! (docs/plan-format.md, "Importing"):
//!
//! 1. The document is decoded (`decode`: UTF-8, UTF-16, GB18030; Word and HTML read
//!    as documents) into lines, tables becoming tab-separated rows.
//! 2. The text is cut into **cells** (`cells`): cells of a tab- or `|`-separated
//!    row; cells printed one per line (a tab or a `|` line begins a cell); lines.
//! 3. A `rows::Reader` reads the cells in order (`classify` tells what each is):
//!    header cells, categories (`一、`, `（一）`, or a short title between rows),
//!    tasks (`1.` `1、` `1．` `28..`) with the rest of their row, unit cells, text.
//! 4. Merged unit cells (`merge`): a blank unit cell shares the units of the task
//!    above; tasks without any unit cell take the unit cell after them.
//! 5. The plan file is written (`write`), with metadata found by `meta`.

mod cells;
mod classify;
mod clean;
pub mod decode;
mod docx;
mod grid;
mod html;
mod merge;
mod meta;
mod prose;
mod rows;
mod table;
mod tasks_csv;
mod write;

/// Between the paragraphs of one table cell, as the Word and HTML readers write
/// it: the table reading takes a cell's first paragraph as the task's text and
/// the others as its requirement; the reading in order runs them on.
pub(crate) const PARAGRAPH: char = '\u{E000}';

/// A problem the importer met, with the source line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportWarning {
    /// 1-based line in the source document.
    pub line: usize,
    /// What the importer did or could not do.
    pub message: String,
    /// True when text of the document was left out of the plan.
    pub lost_text: bool,
}

impl ImportWarning {
    /// A note on what the importer did, at a line.
    pub fn new(line: usize, message: String) -> ImportWarning {
        ImportWarning {
            line,
            message,
            lost_text: false,
        }
    }

    /// A line of the document that is not in the plan.
    pub fn lost(line: usize, message: String) -> ImportWarning {
        ImportWarning {
            lost_text: true,
            ..ImportWarning::new(line, message)
        }
    }
}

/// What was found under one category, for the editor to check at a glance.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CategorySummary {
    /// The category as printed.
    pub title: String,
    /// Tasks read.
    pub tasks: usize,
    /// Tasks with at least one unit.
    pub with_units: usize,
    /// Tasks with a deadline.
    pub with_deadline: usize,
}

/// The result of an import.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The plan file.
    pub markdown: String,
    /// Number of tasks found.
    pub tasks: usize,
    /// Everything the importer was unsure of.
    pub warnings: Vec<ImportWarning>,
    /// Per category: tasks, units and deadlines found.
    pub summary: Vec<CategorySummary>,
    /// How the document was read, as told to the user.
    pub layout: String,
    /// True when its tasks were read as the rows of a table (stage 2).
    pub read_as_table: bool,
}

/// One task being assembled.
#[derive(Debug, Default)]
pub(crate) struct DraftTask {
    /// Its line in the source.
    pub(crate) line: usize,
    /// The number as printed.
    pub(crate) number: String,
    /// The task text.
    pub(crate) text: String,
    /// Further cells or paragraphs.
    pub(crate) requirement: Vec<String>,
    /// Unit cells by column (`None`: the cell is blank).
    pub(crate) units: Vec<Option<String>>,
    /// True when the row's unit cells are all present and blank (merged).
    pub(crate) explicit_blank_units: bool,
    /// 完成时限, from a deadline column.
    pub(crate) deadline: Option<String>,
    /// True when rows continuing the task named other units than its own: each
    /// requirement entry then ends with its row's units.
    pub(crate) units_per_row: bool,
}

/// A heading and its content, being assembled.
#[derive(Debug, Default)]
pub(crate) struct DraftSection {
    /// The heading as printed.
    pub(crate) title: String,
    /// 1 for a category, 2 for a sub-category.
    pub(crate) level: u8,
    /// Prose under the heading.
    pub(crate) prose: Vec<String>,
    /// Tasks under the heading.
    pub(crate) tasks: Vec<DraftTask>,
}

pub use decode::{Format, ImportError, MAX_DOCUMENT, decode, read_document};
pub use table::{ColumnRole, parse_columns};

/// Imports a document file's bytes: a Word document, an HTML page, text in any
/// common encoding, a plan file (kept as it is) or a site's `data/tasks.csv`
/// (`plan` chooses among several plans). Formats that cannot be read are an
/// error that says how to convert them.
pub fn import_bytes(bytes: &[u8], plan: Option<&str>) -> Result<(Imported, Format), ImportError> {
    import_bytes_with(bytes, plan, None)
}

/// [`import_bytes`], with the roles of the table's columns named by the editor
/// (`--columns`): an error when the document holds no table.
pub fn import_bytes_with(
    bytes: &[u8],
    plan: Option<&str>,
    columns: Option<&[ColumnRole]>,
) -> Result<(Imported, Format), ImportError> {
    let (text, format) = decode::decode(bytes)?;
    if tasks_csv::is_tasks_csv(&text) {
        let (meta, sections) = tasks_csv::read(&text, plan)?;
        let mut warnings = Vec::new();
        let (markdown, tasks, summary) =
            write::markdown(&meta, &[], &sections, &["责任单位"], &mut warnings);
        let imported = Imported {
            markdown,
            tasks,
            warnings,
            summary,
            layout: crate::t!("import-layout-csv"),
            read_as_table: false,
        };
        return Ok((imported, format));
    }
    let imported = import_with(&text, columns);
    if columns.is_some() && !imported.read_as_table {
        return Err(ImportError {
            message: crate::t!("import-columns-no-table"),
            hint: crate::t!("import-columns-no-table-hint"),
        });
    }
    Ok((imported, format))
}

/// A plan file already: kept as it is, with its task count.
fn as_plan_file(text: &str) -> Option<Imported> {
    if !text.trim_start_matches('\u{feff}').starts_with("+++") {
        return None;
    }
    let parsed = crate::parse::parse_plan(std::path::Path::new("plan.md"), "plan", text);
    let plan = parsed.plan?;
    Some(Imported {
        markdown: text.to_string(),
        tasks: plan.tasks().len(),
        warnings: Vec::new(),
        summary: Vec::new(),
        layout: crate::t!("import-layout-plan"),
        read_as_table: false,
    })
}

/// Imports a plan document given as text (plain text, or HTML source).
pub fn import(text: &str) -> Imported {
    import_with(text, None)
}

/// Imports a plan document given as text; `columns`, when given, names what each
/// column of its table holds (`--columns`), instead of reading it from the cells.
pub fn import_with(text: &str, columns: Option<&[ColumnRole]>) -> Imported {
    if columns.is_none()
        && let Some(plan) = as_plan_file(text)
    {
        return plan;
    }
    let mut warnings = Vec::new();
    // Every line end is a line end; nothing invisible reaches the plan.
    let normalized = crate::text::normalize_newlines(text);
    let cleaned = crate::text::strip_invisible(&normalized);
    let cleaned = clean::drop_pinyin(&cleaned);
    let (cells, lines, layout, source) = cells::cells(&cleaned, &mut warnings);
    let meta = meta::find_meta(&lines);
    let title_parts: Vec<String> = meta.title.iter().cloned().collect();
    let found = grid::grid(&source);
    let had_grid = found.is_some();
    let table = found.and_then(|g| {
        let reading = table::read(&g, columns)?;
        Some((g, reading))
    });
    let mut row_warnings = Vec::new();
    let read = rows::Reader::read(&cells, &title_parts, &mut row_warnings);
    let in_order_sections = read.sections;
    let use_table = match &table {
        Some((g, t)) => columns.is_some() || table_reads_better(g, t, &in_order_sections),
        None => false,
    };
    let (mut sections, preamble_lines, unit_keys, layout) = match table {
        Some((g, t)) if use_table => {
            warnings.extend(t.warnings);
            let mut how = crate::t!(
                "import-layout-table",
                printing = g.printing.describe(),
                columns = t.columns.join(" | ")
            );
            if t.carried {
                how.push_str(&crate::t!("import-layout-carried"));
            }
            let preamble: Vec<String> = t
                .preamble
                .into_iter()
                .filter(|p| !title_parts.iter().any(|t| t.contains(p.as_str())))
                .filter(|p| !classify::is_metadata_line(p))
                .collect();
            (t.sections, preamble, t.unit_keys, how)
        }
        _ => {
            warnings.extend(row_warnings);
            (
                in_order_sections,
                read.preamble,
                read.columns.unit_keys,
                layout.describe(),
            )
        }
    };
    // Prose headings (a short title followed by prose) and the preamble.
    let preamble = prose::split_prose_headings(preamble_lines, &mut sections);
    merge::resolve_merged_units(&mut sections, &mut warnings);
    if meta.title.is_none() {
        warnings.push(ImportWarning::new(1, crate::t!("import-no-title")));
    }
    match (meta.year, meta.year_line) {
        (None, _) => warnings.push(ImportWarning::new(1, crate::t!("import-no-year"))),
        (Some(year), Some(line)) => warnings.push(ImportWarning::new(
            line,
            crate::t!("import-year-from-line", year = year),
        )),
        (Some(_), None) => {}
    }
    let (markdown, tasks, summary) =
        write::markdown(&meta, &preamble, &sections, &unit_keys, &mut warnings);
    // Nothing read: say that the table reading was tried too.
    let layout = if tasks == 0 {
        let tried = if had_grid {
            crate::t!("import-tried-table-rows")
        } else {
            crate::t!("import-tried-table-none")
        };
        format!("{layout}; {tried}")
    } else {
        layout
    };
    Imported {
        markdown,
        tasks,
        warnings,
        summary,
        layout,
        read_as_table: use_table,
    }
}

/// Whether the table's reading replaces the reading of the cells in order: when
/// the latter gave any task units that its own row does not hold (never publish
/// those), when more of the table's tasks have units (a numbered list of the
/// same points without units before the table), or as many and at least as many
/// tasks.
fn table_reads_better(
    grid: &grid::Grid,
    table: &table::TableReading,
    cells: &[DraftSection],
) -> bool {
    let squash = |s: &str| -> String {
        crate::text::to_simplified(s)
            .chars()
            .map(crate::text::fold_fullwidth)
            .filter(|c| {
                !c.is_whitespace()
                    && *c != PARAGRAPH
                    && !matches!(c, '、' | ',' | '，' | ';' | '；')
            })
            .collect()
    };
    let tasks: Vec<&DraftTask> = cells.iter().flat_map(|s| &s.tasks).collect();
    let with_units = tasks
        .iter()
        .filter(|t| t.units.iter().any(Option::is_some))
        .count();
    let units_of = |row: &grid::Row| -> String {
        row.filled()
            .filter(|c| classify::is_unit_cell(&classify::split_and(c)))
            .map(|c| squash(c))
            .collect()
    };
    // Printed row by row, a row without its unit cell is covered by a merged cell
    // from above (merges run down), never by a unit cell below it.
    let rows_printed = grid.printing != grid::Printing::CellLines;
    // Each row's text and units, squashed once (a table of 1,000 rows).
    let rows: Vec<(String, String)> = grid
        .rows
        .iter()
        .map(|r| {
            (
                r.filled()
                    .map(|c| squash(c))
                    .collect::<Vec<_>>()
                    .join("\u{0}"),
                units_of(r),
            )
        })
        .collect();
    let wrong_row = tasks.iter().any(|t| {
        let start: String = squash(&t.text).chars().take(10).collect();
        if start.chars().count() < 4 {
            return false;
        }
        let Some(at) = rows.iter().position(|(text, _)| text.contains(&start)) else {
            return false;
        };
        let mut row_units = rows[at].1.clone();
        if row_units.is_empty() && rows_printed {
            row_units = rows[..at]
                .iter()
                .rev()
                .map(|(_, units)| units.clone())
                .find(|u| !u.is_empty())
                .unwrap_or_default();
            if row_units.is_empty() {
                return t.units.iter().flatten().any(|u| !squash(u).is_empty());
            }
        }
        !row_units.is_empty()
            && t.units.iter().flatten().any(|u| {
                let u = squash(u);
                !u.is_empty() && !row_units.contains(&u)
            })
    });
    wrong_row
        || table.with_units > with_units
        || (table.with_units == with_units && table.tasks >= tasks.len())
}
