//! A text document cut into cells: the fields of tab-separated rows, the cells of
//! a table printed one per line (a tab or a `|` line begins a cell), or lines.

use super::ImportWarning;
use super::classify::is_noise;
use super::clean::{drop_placeholders, strip_html};

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

/// Cuts the document into cells (see the module documentation).
pub(super) fn cells(
    text: &str,
    warnings: &mut Vec<ImportWarning>,
) -> (Vec<Cell>, Vec<(usize, String)>) {
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
        let mut l = drop_placeholders(&l);
        l = l.replace(['\u{3000}', '\u{a0}'], " ");
        // A document already in Markdown may mark its title with `#`.
        if let Some(rest) = l.trim_start().strip_prefix('#') {
            l = rest.trim_start_matches('#').trim().to_string();
        }
        if is_noise(&l) {
            warnings.push(ImportWarning {
                line: i + 1,
                message: format!("dropped a navigation or footer line: {}", l.trim()),
            });
            continue;
        }
        lines.push((i + 1, l));
    }
    let non_empty: Vec<&(usize, String)> =
        lines.iter().filter(|(_, l)| !l.trim().is_empty()).collect();
    let tab_rows = non_empty
        .iter()
        .filter(|(_, l)| l.trim_start_matches('\t').contains('\t'))
        .count();
    let tab_cells = non_empty.iter().filter(|(_, l)| begins_cell(l)).count();
    let mut out: Vec<Cell> = Vec::new();
    if tab_rows * 5 >= non_empty.len() && tab_rows > 0 {
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
    (out, lines)
}
