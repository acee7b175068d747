//! Stage 1 of reading a table: whatever way it was printed, the same grid of rows
//! and cells. Three printings are recognized by what they are:
//!
//! - **tab rows**: a row a line, cells between tabs (what the Word and HTML
//!   readers write, with a blank cell where a merged cell covers the row);
//! - **bar rows**: a row a line, cells between `|` (`A | B | C |`);
//! - **bar cells**: a cell a line (or several), each closed by a `|` — on a line
//!   of its own or at the end of the cell's last line. A bar that closes nothing
//!   (`|` right after a `|`, or `||`) ends the row; a table printed without such
//!   row ends is cut into rows as wide as its header.
//!
//! - **cell lines**: a cell a line with nothing between them, found by a header
//!   of three or more header cells on lines of their own.
//!
//! Lines outside the table (the title, the notice, a heading between two parts)
//! are rows of one cell. Where a printing has no row ends, where a row ends is
//! told by what its cells are (`table::kind`); nothing else here reads meaning.

use super::classify::is_header_cell;

/// One row of the grid: its first line in the source and its cells, trimmed
/// (blank cells kept where the source has them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Row {
    pub(super) line: usize,
    pub(super) cells: Vec<String>,
}

impl Row {
    /// The cells that hold text.
    pub(super) fn filled(&self) -> impl Iterator<Item = &String> {
        self.cells.iter().filter(|c| !c.is_empty())
    }
}

/// How the table was printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Printing {
    TabRows,
    BarRows,
    BarCells,
    CellLines,
}

impl Printing {
    /// How the table was printed, as told to the user.
    pub(super) fn describe(self) -> String {
        match self {
            Printing::TabRows => crate::t!("import-printing-tabs"),
            Printing::BarRows => crate::t!("import-printing-bar-rows"),
            Printing::BarCells => crate::t!("import-printing-bar-cells"),
            Printing::CellLines => crate::t!("import-printing-cell-lines"),
        }
    }
}

/// A document read as a grid.
#[derive(Debug, Clone)]
pub(super) struct Grid {
    pub(super) rows: Vec<Row>,
    pub(super) printing: Printing,
}

/// True for a line made only of bars.
fn is_bar_line(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && t.chars().all(|c| matches!(c, '|' | '｜'))
}

/// A row printed with tabs: a tab after some text (`甲\t乙`, `\t甲\t`, `甲\t`);
/// a line that only begins with a tab is a cell printed alone.
fn is_tab_row(line: &str) -> bool {
    line.trim_matches(' ')
        .trim_start_matches('\t')
        .contains('\t')
}

/// The cells of a line printed `A | B | C |`, without the empty cells that a bar
/// at either end makes.
fn bar_row_cells(line: &str) -> Vec<String> {
    let t = line.trim();
    let t = t.strip_prefix(['|', '｜']).unwrap_or(t);
    let t = t.strip_suffix(['|', '｜']).unwrap_or(t);
    t.split(['|', '｜']).map(|c| c.trim().to_string()).collect()
}

/// The document's lines (number, text) as a grid, when at least three lines
/// are rows of a table; `None` for prose.
pub(super) fn grid(lines: &[(usize, String)]) -> Option<Grid> {
    let filled: Vec<&(usize, String)> =
        lines.iter().filter(|(_, l)| !l.trim().is_empty()).collect();
    let count = |f: &dyn Fn(&str) -> bool| filled.iter().filter(|(_, l)| f(l)).count();
    let tab_rows = count(&is_tab_row);
    let bar_rows = count(&|l| {
        !is_bar_line(l) && bar_row_cells(l).iter().filter(|c| !c.is_empty()).count() >= 2
    });
    let bar_ends = count(&|l| {
        let t = l.trim_end();
        is_bar_line(l)
            || (t.ends_with(['|', '｜'])
                && bar_row_cells(l).iter().filter(|c| !c.is_empty()).count() <= 1)
    });
    let most = tab_rows.max(bar_rows).max(bar_ends / 2);
    if most < 3 {
        return cell_lines(&filled);
    }
    let (rows, printing) = if most == tab_rows {
        (
            split_rows(lines, is_tab_row, |l| {
                l.trim_matches(|c: char| c == ' ')
                    .split('\t')
                    .map(|c| c.trim().to_string())
                    .collect()
            }),
            Printing::TabRows,
        )
    } else if most == bar_rows {
        (
            split_rows(
                lines,
                |l| {
                    !is_bar_line(l)
                        && bar_row_cells(l).iter().filter(|c| !c.is_empty()).count() >= 2
                },
                bar_row_cells,
            ),
            Printing::BarRows,
        )
    } else {
        (bar_cells(lines), Printing::BarCells)
    };
    Some(Grid { rows, printing })
}

/// A table printed a cell a line with nothing between the cells (text copied out
/// of a table, a page of paragraphs): found by its header, a run of at least
/// three header cells on lines of their own; its rows are cut by content.
fn cell_lines(filled: &[&(usize, String)]) -> Option<Grid> {
    let mut best: Option<(usize, usize)> = None;
    let mut i = 0;
    while i < filled.len() {
        let run = filled[i..]
            .iter()
            .take_while(|(_, l)| is_header_cell(l.trim()))
            .count();
        if run >= 3 && best.is_none_or(|(_, r)| run > r) {
            best = Some((i, run));
        }
        i += run.max(1);
    }
    let (start, width) = best?;
    let mut rows: Vec<Row> = filled[..start]
        .iter()
        .map(|(n, l)| Row {
            line: *n,
            cells: vec![l.trim().to_string()],
        })
        .collect();
    rows.push(Row {
        line: filled[start].0,
        cells: filled[start..start + width]
            .iter()
            .map(|(_, l)| l.trim().to_string())
            .collect(),
    });
    let cells: Vec<(usize, String)> = filled[start + width..]
        .iter()
        .map(|(n, l)| (*n, l.trim().to_string()))
        .collect();
    let tail = tail_columns(&rows[rows.len() - 1].cells);
    rows.extend(rows_by_content(&cells, tail));
    Some(Grid {
        rows,
        printing: Printing::CellLines,
    })
}

/// Rows of a table printed a row a line; other lines are rows of one cell.
fn split_rows(
    lines: &[(usize, String)],
    is_row: impl Fn(&str) -> bool,
    cells: impl Fn(&str) -> Vec<String>,
) -> Vec<Row> {
    lines
        .iter()
        .filter(|(_, l)| !l.trim().is_empty() && !is_bar_line(l))
        .map(|(n, l)| Row {
            line: *n,
            cells: if is_row(l) {
                cells(l)
            } else {
                vec![l.trim().to_string()]
            },
        })
        .collect()
}

/// Rows of a table printed a cell a line, each cell closed by a bar.
fn bar_cells(lines: &[(usize, String)]) -> Vec<Row> {
    // Lines before the first bar (a title, the notice) are rows of their own,
    // but for the last: the cell the first bar closes.
    let first_bar = lines
        .iter()
        .position(|(_, l)| l.contains(['|', '｜']))
        .unwrap_or(lines.len());
    let mut before: Vec<&(usize, String)> = lines[..first_bar]
        .iter()
        .filter(|(_, l)| !l.trim().is_empty())
        .collect();
    let opening = before.pop();
    let mut out: Vec<Row> = before
        .iter()
        .map(|(n, l)| Row {
            line: *n,
            cells: vec![l.trim().to_string()],
        })
        .collect();
    // The cells in order, each with its first line; `None` where a bar closes
    // no cell (a row's end).
    let mut tokens: Vec<Option<(usize, String)>> = Vec::new();
    let mut cell: Option<(usize, String)> = None;
    for (n, l) in opening.into_iter().chain(&lines[first_bar..]) {
        let t = l.trim();
        let text = t.trim_end_matches(['|', '｜']).trim_end();
        if !text.is_empty() && !is_bar_line(t) {
            cell.get_or_insert_with(|| (*n, String::new()))
                .1
                .push_str(text);
        }
        let bars = if is_bar_line(t) {
            t.chars().count()
        } else {
            t[text.len()..]
                .chars()
                .filter(|c| matches!(c, '|' | '｜'))
                .count()
        };
        for _ in 0..bars {
            tokens.push(cell.take());
        }
    }
    tokens.extend(cell.take().map(Some));
    let row_ends = tokens
        .windows(2)
        .filter(|w| w[0].is_some() && w[1].is_none())
        .count();
    if row_ends >= 3 {
        let mut row: Vec<(usize, String)> = Vec::new();
        for token in tokens.into_iter().chain([None]) {
            match token {
                Some(c) => row.push(c),
                None if !row.is_empty() => out.push(Row {
                    line: row[0].0,
                    cells: std::mem::take(&mut row)
                        .into_iter()
                        .map(|(_, c)| c)
                        .collect(),
                }),
                None => {}
            }
        }
        return out;
    }
    // No row ends: the header is the first run of header cells; after it a row
    // ends where a cell can only begin one (see `rows_by_content`).
    let cells: Vec<(usize, String)> = tokens.into_iter().flatten().collect();
    let start = cells.iter().position(|(_, c)| is_header_cell(c));
    let width = start.map_or(0, |s| {
        cells[s..]
            .iter()
            .take_while(|(_, c)| is_header_cell(c))
            .count()
    });
    let start = if width >= 2 {
        start.unwrap_or(0)
    } else {
        cells.len()
    };
    out.extend(cells[..start].iter().map(|(line, c)| Row {
        line: *line,
        cells: vec![c.clone()],
    }));
    if start < cells.len() {
        out.push(Row {
            line: cells[start].0,
            cells: cells[start..start + width]
                .iter()
                .map(|(_, c)| c.clone())
                .collect(),
        });
        let tail = tail_columns(&out[out.len() - 1].cells);
        out.extend(rows_by_content(&cells[start + width..], tail));
    }
    out
}

/// How many columns of the header stand after its last unit or deadline column
/// (`落实情况`, `备注`): texts a row may hold after its units.
fn tail_columns(header: &[String]) -> usize {
    use super::table::{ColumnRole, header_role};
    let roles: Vec<ColumnRole> = header.iter().map(|h| header_role(h)).collect();
    roles
        .iter()
        .rposition(|r| r.unit_key().is_some() || *r == ColumnRole::Deadline)
        .map_or(0, |last| roles.len() - last - 1)
}

/// Cells printed without row ends, cut into rows by what they are: a number or
/// a heading begins a row once the row has its text and its units, deadline or
/// number (not after a label alone: `做好主动公开 | 2 | …`); a text begins one once
/// the row has its text and units or deadline.
fn rows_by_content(cells: &[(usize, String)], tail: usize) -> Vec<Row> {
    use super::table::{Kind, kind};
    let mut out: Vec<Row> = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let (mut line, mut has_text, mut has_end, mut has_number) = (0, false, false, false);
    let mut texts = 0;
    // Texts after the units or deadline (a 落实情况 or 备注 column).
    let mut after_end = 0;
    for (n, cell) in cells {
        let k = kind(cell);
        let begins = match k {
            Kind::Number(_) | Kind::Numbered(..) | Kind::Heading(_) => {
                has_text && (has_end || has_number)
            }
            // A third text with no units or deadline between: the row before it
            // ended without them (its unit cell unread); never join two rows.
            Kind::Text => has_text && ((has_end && after_end >= tail) || texts >= 2),
            Kind::Units | Kind::Deadline => false,
        };
        if begins && !row.is_empty() {
            out.push(Row {
                line,
                cells: std::mem::take(&mut row),
            });
            (has_text, has_end, has_number, texts, after_end) = (false, false, false, 0, 0);
        }
        if row.is_empty() {
            line = *n;
        }
        has_text |= matches!(k, Kind::Text | Kind::Numbered(..));
        if has_end && matches!(k, Kind::Text) {
            after_end += 1;
        } else {
            texts += usize::from(matches!(k, Kind::Text | Kind::Numbered(..)));
        }
        has_end |= matches!(k, Kind::Units | Kind::Deadline);
        has_number |= matches!(k, Kind::Number(_) | Kind::Numbered(..));
        row.push(cell.clone());
    }
    if !row.is_empty() {
        out.push(Row { line, cells: row });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<(usize, String)> {
        text.lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.to_string()))
            .collect()
    }

    fn cells(grid: &Grid) -> Vec<Vec<&str>> {
        grid.rows
            .iter()
            .map(|r| r.cells.iter().map(String::as_str).collect())
            .collect()
    }

    #[test]
    fn bar_cells_with_row_ends_and_cells_over_several_lines() {
        let g = grid(&lines(
            "|\n工作任务 |\n具体要求 |\n责任单位 |\n||\n一、类 |\n1 |\n公开\n预算。 |\n区财政局 |\n|\n|\n2 |\n公开决算。 |\n区财政局 |\n|",
        ))
        .unwrap();
        assert_eq!(g.printing, Printing::BarCells);
        assert_eq!(
            cells(&g),
            vec![
                vec!["工作任务", "具体要求", "责任单位"],
                vec!["一、类", "1", "公开预算。", "区财政局"],
                vec!["2", "公开决算。", "区财政局"],
            ]
        );
    }

    #[test]
    fn bar_cells_without_row_ends_are_cut_by_what_the_cells_are() {
        let g = grid(&lines("标题\n任务\n|\n责任单位\n|\n时限\n|\n甲。\n|\n区财政局\n|\n年底前\n|\n乙。\n|\n区审计局\n|\n持续推进\n|")).unwrap();
        assert_eq!(
            cells(&g),
            vec![
                vec!["标题"],
                vec!["任务", "责任单位", "时限"],
                vec!["甲。", "区财政局", "年底前"],
                vec!["乙。", "区审计局", "持续推进"],
            ]
        );
        // A category cell merged down: rows of five cells and of four.
        let g = grid(&lines("工作任务\n|\n具体要求\n|\n责任科室\n|\n时限要求\n|\n做好主动公开\n|\n1\n|\n规范专栏。\n|\n各科室\n|\n持续推进\n|\n2\n|\n编制年报。\n|\n办公室\n|\n年底前\n|")).unwrap();
        assert_eq!(
            cells(&g)[1..],
            [
                vec!["做好主动公开", "1", "规范专栏。", "各科室", "持续推进"],
                vec!["2", "编制年报。", "办公室", "年底前"],
            ]
        );
    }

    #[test]
    fn bar_rows_and_tab_rows() {
        let g = grid(&lines("工作任务 | 具体要求 | 责任部门 |\n一、类 | 1.甲。 | 财务科 |\n2.乙。 | 办公室 | |\n3.丙。 | 各科室 | |")).unwrap();
        assert_eq!(g.printing, Printing::BarRows);
        assert_eq!(cells(&g)[2], vec!["2.乙。", "办公室", ""]);
        let g = grid(&lines(
            "任务\t单位\n一、类\t\n1.甲。\t财务科\n2.乙。\t办公室",
        ))
        .unwrap();
        assert_eq!(g.printing, Printing::TabRows);
        assert_eq!(cells(&g)[1], vec!["一、类", ""]);
    }
}
