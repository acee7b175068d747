//! A text document cut into cells: the fields of tab-separated rows, the cells of
//! a table printed one per line (a tab or a `|` line begins a cell), or lines.

use super::ImportWarning;
use super::classify::is_noise;
use super::clean::{drop_lost_indent, drop_placeholders, strip_html};

/// One cell of the source.
#[derive(Debug, Clone)]
pub(super) struct Cell {
    /// Its first line in the source.
    pub(super) line: usize,
    /// Its lines (a cell may span several).
    pub(super) lines: Vec<String>,
    /// True for a field of a tab-separated row (its row is its line).
    pub(super) in_row: bool,
}

impl Cell {
    pub(super) fn text(&self) -> String {
        self.lines.join("")
    }
    pub(super) fn is_blank(&self) -> bool {
        self.lines.iter().all(|l| l.trim().is_empty())
    }
}

/// In the one-cell-per-line layout, a tab (after any padding spaces) begins a cell.
pub(super) fn begins_cell(line: &str) -> bool {
    line.trim_start_matches(' ').starts_with('\t')
}

/// Cuts the document into cells (see the module documentation). Also gives the
/// lines as read (bars turned into tabs) and the cleaned lines before that.
#[allow(clippy::type_complexity)]
pub(super) fn cells(
    text: &str,
    warnings: &mut Vec<ImportWarning>,
) -> (
    Vec<Cell>,
    Vec<(usize, String)>,
    Layout,
    Vec<(usize, String)>,
) {
    let html = text.contains("</") || text.contains("<br") || text.contains("<p");
    let mut lines: Vec<(usize, String)> = Vec::new();
    let mut source: Vec<(usize, String)> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        if html {
            source.extend(
                strip_html(raw)
                    .split('\n')
                    .map(|part| (i, part.to_string())),
            );
        } else {
            source.push((i, raw.to_string()));
        }
    }
    for (i, l) in source {
        let mut l = drop_placeholders(drop_lost_indent(&l));
        l = l.replace(['\u{3000}', '\u{a0}'], " ");
        // A document already in Markdown may mark its title with `#`.
        if let Some(rest) = l.trim_start().strip_prefix('#') {
            l = rest.trim_start_matches('#').trim().to_string();
        }
        if is_noise(&l) {
            warnings.push(ImportWarning::new(
                i + 1,
                crate::t!("import-noise", line = l.trim()),
            ));
            continue;
        }
        lines.push((i + 1, l));
    }
    let source = lines.clone();
    // Read in order, a cell's paragraphs run on.
    let lines = pipes_as_tabs(
        lines
            .into_iter()
            .map(|(n, l)| (n, l.replace(super::PARAGRAPH, "")))
            .collect(),
    );
    let non_empty: Vec<&(usize, String)> =
        lines.iter().filter(|(_, l)| !l.trim().is_empty()).collect();
    let tab_rows = non_empty
        .iter()
        .filter(|(_, l)| l.trim_start_matches('\t').contains('\t'))
        .count();
    let tab_cells = non_empty.iter().filter(|(_, l)| begins_cell(l)).count();
    let mut out: Vec<Cell> = Vec::new();
    let layout;
    if tab_rows * 5 >= non_empty.len() && tab_rows > 0 {
        layout = Layout::Rows;
        // Tab-separated rows: every field is a cell, blanks included.
        for (n, l) in &lines {
            if l.trim().is_empty() {
                continue;
            }
            if l.contains('\t') {
                out.extend(l.split('\t').map(|c| Cell {
                    line: *n,
                    in_row: true,
                    lines: vec![c.trim().to_string()],
                }));
            } else {
                out.push(Cell {
                    line: *n,
                    in_row: false,
                    lines: vec![l.trim().to_string()],
                });
            }
        }
    } else if tab_cells * 5 >= non_empty.len() && tab_cells > 0 {
        layout = Layout::CellPerLine;
        // One cell per line: a tab begins a cell, other lines continue it.
        for (n, l) in &lines {
            if begins_cell(l) {
                out.push(Cell {
                    line: *n,
                    in_row: false,
                    lines: vec![l.trim().to_string()],
                });
            } else if !l.trim().is_empty() {
                match out.last_mut() {
                    Some(c) if c.is_blank() => c.lines = vec![l.trim().to_string()],
                    Some(c) => c.lines.push(l.trim().to_string()),
                    None => out.push(Cell {
                        line: *n,
                        in_row: false,
                        lines: vec![l.trim().to_string()],
                    }),
                }
            }
        }
    } else {
        layout = Layout::Lines;
        for (n, l) in &lines {
            if !l.trim().is_empty() {
                out.push(Cell {
                    line: *n,
                    in_row: false,
                    lines: vec![l.trim().to_string()],
                });
            }
        }
    }
    (join_bare_numbers(out), lines, layout, source)
}

/// How the text was cut into cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// A table, one row per line (cells separated by tabs or `|`).
    Rows,
    /// A table printed one cell per line (a tab or a `|` line begins a cell).
    CellPerLine,
    /// Lines of prose (or a table whose cells could not be told apart).
    Lines,
}

impl Layout {
    /// The layout's name, as told to the user.
    pub fn describe(self) -> String {
        match self {
            Layout::Rows => crate::t!("import-layout-rows"),
            Layout::CellPerLine => crate::t!("import-layout-cells"),
            Layout::Lines => crate::t!("import-layout-lines"),
        }
    }
}

/// True for a line made only of `|` (a cell boundary when a table is printed one
/// cell per line).
fn is_pipe_line(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && t.chars().all(|c| matches!(c, '|' | '｜'))
}

/// Tables printed with `|`, as the tab layouts: a row on one line with `|`
/// between cells (`A | B | C |`) becomes a tab-separated row; in a table printed
/// one cell per line with `|` lines between the cells, the line after a `|` line
/// begins a cell (as a tab does).
fn pipes_as_tabs(lines: Vec<(usize, String)>) -> Vec<(usize, String)> {
    let pipe_lines = lines.iter().filter(|(_, l)| is_pipe_line(l)).count();
    let row_lines = lines
        .iter()
        .filter(|(_, l)| !is_pipe_line(l) && l.matches(['|', '｜']).count() >= 2)
        .count();
    if pipe_lines < 3 && row_lines < 3 {
        return lines;
    }
    let mut out = Vec::with_capacity(lines.len());
    let mut begins = true;
    for (n, l) in lines {
        if is_pipe_line(&l) {
            begins = true;
            continue;
        }
        if l.matches(['|', '｜']).count() >= 2 || (l.contains(['|', '｜']) && row_lines >= 3) {
            let cells: Vec<&str> = l
                .trim()
                .trim_end_matches(['|', '｜'])
                .split(['|', '｜'])
                .map(str::trim)
                .collect();
            out.push((n, cells.join("\t")));
        } else if pipe_lines >= 3
            && (begins || super::classify::is_header(&l))
            && !l.trim().is_empty()
        {
            out.push((n, format!("\t{}", l.trim())));
            begins = false;
        } else {
            out.push((n, l));
        }
    }
    out
}

/// A cell holding only a task number (a 序号 column, `1` — or `1.`, `1、` as Word's
/// numbering prints it — then the text in the next cell) joins the cell after it:
/// `1` + `公开预算。` → `1.公开预算。`.
fn join_bare_numbers(cells: Vec<Cell>) -> Vec<Cell> {
    let mut out: Vec<Cell> = Vec::with_capacity(cells.len());
    let mut number: Option<String> = None;
    for mut cell in cells {
        let text = cell.text();
        let t = text.trim().trim_end_matches(['.', '、', '．']);
        if (1..=super::classify::MAX_NUMBER_DIGITS).contains(&t.len())
            && t.bytes().all(|b| b.is_ascii_digit())
        {
            if let Some(previous) = number.take() {
                out.push(Cell {
                    line: cell.line,
                    lines: vec![previous],
                    in_row: cell.in_row,
                });
            }
            number = Some(t.to_string());
            continue;
        }
        if t.is_empty() && number.is_some() {
            continue;
        }
        if let Some(n) = number.take()
            && super::classify::task_number(t).is_none()
        {
            cell.lines = vec![format!("{n}.{t}")];
        }
        out.push(cell);
    }
    out
}
