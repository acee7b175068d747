//! Stage 2 of reading a table: what each cell of a row *is*, from its content —
//! not from the column it stands in, since merged cells shift a row's cells to
//! the left in every flattened printing. A cell is an ordinal heading (`一、`,
//! `（一）`: a category), a task number (`3`, `3.`), a numbered text, a unit cell
//! (it parses whole as offices and role words), a deadline (a date or a
//! deadline phrase), a short label before the text (a category printed in a
//! column of its own), or text. A row with text is a task, **with the units of
//! its own row only**; a row that lacks its unit cell takes the units of the
//! row above only when a merged cell explains it (the row is shorter than the
//! one above, in the same category), and a warning names the tasks so filled.
//!
//! The header row (every cell a header word) names the unit columns' roles
//! (牵头单位 → lead, 配合单位 → cooperating, others responsible); the editor may
//! name every column instead (`--columns`, [`ColumnRole`]).

use super::ImportWarning;
use super::classify::{
    heading_level, is_date, is_header_cell, is_unit_cell, looks_like_deadline, normalize_clauses,
    split_and, task_number,
};
use super::grid::{Grid, Row};
use super::{DraftSection, DraftTask};
use crate::text::to_simplified;

/// Reads `--columns`: the roles of the columns, left to right, separated by
/// commas (`序号,类别,任务,要求,单位,时限`, `-` for a column to skip); the name
/// that is not a role, as the error.
pub fn parse_columns(list: &str) -> Result<Vec<ColumnRole>, String> {
    list.split([',', '，', '、'])
        .map(|name| ColumnRole::parse(name).ok_or_else(|| name.trim().to_string()))
        .collect()
}

/// What a column holds, as the editor names it with `--columns`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnRole {
    /// 序号: the task's number.
    Number,
    /// 类别: a category (merged down over its tasks).
    Category,
    /// 任务: the task's text.
    Task,
    /// 要求: further text of the task (its requirement).
    Requirement,
    /// 单位 / 责任单位: responsible units.
    Responsible,
    /// 牵头单位: lead units.
    Lead,
    /// 配合单位: cooperating units.
    Cooperating,
    /// 时限: the deadline.
    Deadline,
    /// 落实情况 / 备注: a note after the units, kept under its column's name.
    Note,
    /// `-`: a column to skip.
    Skip,
}

impl ColumnRole {
    /// Reads one name of `--columns` (Chinese or English).
    pub fn parse(name: &str) -> Option<ColumnRole> {
        Some(match to_simplified(name.trim()).as_str() {
            "序号" | "number" => ColumnRole::Number,
            "类别" | "category" => ColumnRole::Category,
            "任务" | "task" => ColumnRole::Task,
            "要求" | "requirement" => ColumnRole::Requirement,
            "单位" | "责任单位" | "responsible" | "units" => ColumnRole::Responsible,
            "牵头单位" | "牵头" | "lead" => ColumnRole::Lead,
            "配合单位" | "配合" | "cooperating" => ColumnRole::Cooperating,
            "时限" | "完成时限" | "deadline" => ColumnRole::Deadline,
            "备注" | "落实情况" | "note" => ColumnRole::Note,
            "-" | "skip" => ColumnRole::Skip,
            _ => return None,
        })
    }

    /// Its name in the summary line.
    fn label(self) -> &'static str {
        match self {
            ColumnRole::Number => "序号",
            ColumnRole::Category => "类别",
            ColumnRole::Task => "任务",
            ColumnRole::Requirement => "要求",
            ColumnRole::Responsible => "单位",
            ColumnRole::Lead => "牵头单位",
            ColumnRole::Cooperating => "配合单位",
            ColumnRole::Deadline => "时限",
            ColumnRole::Note => "备注",
            ColumnRole::Skip => "-",
        }
    }

    /// The attribute key of a unit column.
    pub(super) fn unit_key(self) -> Option<&'static str> {
        match self {
            ColumnRole::Responsible => Some("责任单位"),
            ColumnRole::Lead => Some("牵头单位"),
            ColumnRole::Cooperating => Some("配合单位"),
            _ => None,
        }
    }
}

/// The role a header word gives its column.
pub(super) fn header_role(word: &str) -> ColumnRole {
    let w = to_simplified(word);
    if w == "序号" {
        ColumnRole::Number
    } else if w.contains("牵头") {
        ColumnRole::Lead
    } else if w.contains("配合") {
        ColumnRole::Cooperating
    } else if ["单位", "部门", "科室", "处室", "主体"]
        .iter()
        .any(|k| w.contains(k))
    {
        ColumnRole::Responsible
    } else if ["时限", "时间"].iter().any(|k| w.contains(k)) {
        ColumnRole::Deadline
    } else if ["类别", "领域"].iter().any(|k| w.contains(k)) {
        ColumnRole::Category
    } else if ["情况", "备注", "进展"].iter().any(|k| w.contains(k)) {
        ColumnRole::Note
    } else {
        ColumnRole::Task
    }
}

/// What one cell is, read from its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Kind {
    Heading(u8),
    Number(String),
    Numbered(String, String),
    Units,
    Deadline,
    Text,
}

/// What the cell is (see the module documentation).
pub(super) fn kind(cell: &str) -> Kind {
    let whole = cell.replace(super::PARAGRAPH, "");
    let t = whole.trim();
    let bare = t.trim_end_matches(['.', '、', '．']);
    if !bare.is_empty() && bare.len() <= 6 && bare.bytes().all(|b| b.is_ascii_digit()) {
        return Kind::Number(bare.to_string());
    }
    if let Some(level) = heading_level(t)
        && t.chars().count() <= 60
    {
        return Kind::Heading(level);
    }
    if let Some((number, rest)) = task_number(t) {
        return Kind::Numbered(number, rest);
    }
    if is_unit_cell(&split_and(t)) {
        return Kind::Units;
    }
    if is_deadline_cell(t) {
        return Kind::Deadline;
    }
    Kind::Text
}

/// A deadline cell: a short time expression — a date (`2021年12月底前`, `6月30日前`),
/// a period (`年底前`, `三季度前`, `全年`) or a phrase of how long (`持续推进`,
/// `长期坚持`, `常态化开展`, `每季度`). Not a title that begins like one
/// (`做好常态化疫情防控信息公开`).
fn is_deadline_cell(text: &str) -> bool {
    let t = to_simplified(text.trim());
    let n = t.chars().count();
    if n == 0
        || n > 16
        || t.contains(['。', '，', ',', '；', ';'])
        || !looks_like_deadline(&t) && !t.contains("全年")
    {
        return false;
    }
    let dated = t.chars().any(|c| c.is_ascii_digit())
        || [
            "年底",
            "年内",
            "月底",
            "季度",
            "上半年",
            "下半年",
            "全年",
            "年中",
            "底前",
            "月前",
            "日前",
        ]
        .iter()
        .any(|w| t.contains(w));
    let phrase = n <= 8
        && [
            "长期", "持续", "常态", "每年", "每季", "每月", "每周", "定期", "及时", "适时", "实时",
            "动态",
        ]
        .iter()
        .any(|w| t.starts_with(w));
    dated || phrase
}

/// A short label before a row's text: a category printed in a column of its own.
fn is_label(cell: &str) -> bool {
    let n = cell.chars().count();
    (2..=30).contains(&n) && !cell.contains(['。', '；', ';', '：', ':'])
}

/// A table read as tasks.
pub(super) struct TableReading {
    pub(super) sections: Vec<DraftSection>,
    pub(super) unit_keys: Vec<&'static str>,
    pub(super) tasks: usize,
    /// Tasks with units: of their own row, or carried down from a merged cell.
    pub(super) with_units: usize,
    /// Rows before the header or the first task (the notice), as lines.
    pub(super) preamble: Vec<String>,
    /// The columns as read, for the summary (`序号 | 类别 | 任务 | 单位 | 时限`).
    pub(super) columns: Vec<&'static str>,
    /// True when a merged cell's units or deadline were carried down.
    pub(super) carried: bool,
    pub(super) warnings: Vec<ImportWarning>,
}

/// The unit cells and deadline of one task row, as read.
#[derive(Default)]
struct RowParts {
    number: Option<String>,
    texts: Vec<String>,
    /// Unit cells: (place in the row, the column's role if known) and the text.
    units: Vec<((usize, Option<ColumnRole>), String)>,
    deadline: Option<String>,
    headings: Vec<(u8, String)>,
    label: Option<String>,
    /// Texts after the units (a 落实情况 or 备注 column).
    notes: Vec<String>,
}

/// Reads the grid's rows as categories and tasks; `None` when it holds no task
/// row (a prose document with a few tabs).
pub(super) fn read(grid: &Grid, columns: Option<&[ColumnRole]>) -> Option<TableReading> {
    let mut out = TableReading {
        sections: Vec::new(),
        unit_keys: Vec::new(),
        tasks: 0,
        with_units: 0,
        preamble: Vec::new(),
        columns: Vec::new(),
        carried: false,
        warnings: Vec::new(),
    };
    let is_header_row = |r: &Row| r.filled().count() >= 2 && r.filled().all(|c| is_header_cell(c));
    let first_header = grid.rows.iter().position(is_header_row);
    // A header printed on two rows: the second names the columns the first spans.
    let header_at = first_header.map(|h| {
        if grid.rows.get(h + 1).is_some_and(is_header_row) {
            h + 1
        } else {
            h
        }
    });
    // The header's columns, blank header cells kept (their place counts); a cell
    // blank in the last header row is named by the row above it.
    let header: Vec<ColumnRole> = match (columns, header_at) {
        (Some(given), _) => given.to_vec(),
        (None, Some(h)) => {
            let above = first_header.filter(|&f| f < h).map(|f| &grid.rows[f].cells);
            grid.rows[h]
                .cells
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let name = if c.is_empty() {
                        above.and_then(|a| a.get(i)).map_or("", String::as_str)
                    } else {
                        c.as_str()
                    };
                    if name.is_empty() {
                        ColumnRole::Skip
                    } else {
                        header_role(name)
                    }
                })
                .collect()
        }
        (None, None) => Vec::new(),
    };
    let category_columns = category_columns(grid);
    let unit_columns: Vec<ColumnRole> = header
        .iter()
        .copied()
        .filter(|r| r.unit_key().is_some())
        .collect();
    out.unit_keys = if unit_columns.is_empty() {
        vec!["责任单位"]
    } else {
        unit_columns.iter().filter_map(|r| r.unit_key()).collect()
    };
    let start = header_at.map_or(0, |h| h + 1);
    // The name of a notes column, for the notes kept in a task's requirement.
    let note_name = header_at
        .and_then(|h| {
            grid.rows[h]
                .cells
                .iter()
                .find(|c| header_role(c) == ColumnRole::Note)
        })
        .map_or_else(|| "备注".to_string(), |c| c.trim().to_string());
    let mut seen_task = false;
    // The last row with a unit cell of its own: its section and how many cells
    // it filled. A shorter row after it in the same section lacks a merged cell.
    let mut merge_source: Option<(usize, usize)> = None;
    let mut place = 0u32;
    let mut any_number = false;
    let mut kinds_seen: Vec<&'static str> = Vec::new();
    for (i, row) in grid.rows.iter().enumerate() {
        if first_header.is_some_and(|f| (f..=header_at.unwrap_or(f)).contains(&i)) {
            continue;
        }
        if i < start || (header_at.is_none() && !seen_task && !starts_table(row)) {
            if !seen_task {
                out.preamble.extend(row.filled().cloned());
            }
            continue;
        }
        if i != start && header_at.is_some() && is_header_row(row) {
            // The header again, after a page break.
            continue;
        }
        let mut parts = match columns {
            Some(given) => parts_by_column(row, given),
            None => parts_by_content(row, &category_columns),
        };
        // A unit cell in its header column (the row as wide as the header: no
        // merged cell shifted it) has that column's role.
        if columns.is_none() && row.cells.len() == header.len() {
            for ((at, role), _) in &mut parts.units {
                if let Some(column) = header.get(*at).copied().filter(|r| r.unit_key().is_some()) {
                    *role = Some(column);
                }
            }
        }
        for (level, title) in &parts.headings {
            open_section(&mut out.sections, *level, title);
            note(&mut kinds_seen, "类别");
        }
        if let Some(label) = &parts.label {
            let level = if out
                .sections
                .iter()
                .any(|s| s.level == 1 && heading_level(&s.title).is_some())
            {
                2
            } else {
                1
            };
            if out.sections.last().is_none_or(|s| s.title != *label) {
                open_section(&mut out.sections, level, label);
            }
            note(&mut kinds_seen, "类别");
        }
        if parts.texts.is_empty() {
            if parts.headings.is_empty() && parts.label.is_none() && row.filled().count() > 0 {
                let signature = row.filled().all(|c| is_unit_cell(c) || is_date(c.trim()));
                if seen_task && signature {
                    let signed = row.filled().cloned().collect::<Vec<_>>().join(" ");
                    out.warnings.push(ImportWarning::new(
                        row.line,
                        crate::t!("import-signature", text = signed),
                    ));
                } else if seen_task {
                    out.warnings.push(ImportWarning::lost(
                        row.line,
                        crate::t!(
                            "import-dropped",
                            text = row.filled().cloned().collect::<Vec<_>>().join(" | ")
                        ),
                    ));
                } else {
                    out.preamble.extend(row.filled().cloned());
                }
            }
            continue;
        }
        // In a numbered table, a row without a number whose number cell is blank
        // or missing (merged down) continues the task above: a measure of it.
        let continues = parts.number.is_none()
            && any_number
            && parts.headings.is_empty()
            && parts.label.is_none()
            && (row.cells.first().is_some_and(String::is_empty) || row.cells.len() < header.len());
        if continues && let Some(above) = out.sections.last_mut().and_then(|s| s.tasks.last_mut()) {
            let mut part = DraftTask {
                line: row.line,
                requirement: std::mem::take(&mut parts.texts),
                units: vec![None; out.unit_keys.len()],
                deadline: parts.deadline.take(),
                ..Default::default()
            };
            place_units(&mut part, &parts.units, &unit_columns, &out.unit_keys);
            let number = above.number.clone();
            super::rows::continue_task(above, part, &out.unit_keys);
            out.warnings.push(ImportWarning::new(
                row.line,
                crate::t!("import-row-continues", number = number.as_str()),
            ));
            continue;
        }
        seen_task = true;
        place += 1;
        if out.sections.is_empty() {
            open_section(&mut out.sections, 1, "工作任务");
        }
        let number = match &parts.number {
            Some(n) => {
                any_number = true;
                note(&mut kinds_seen, "序号");
                n.clone()
            }
            None => {
                out.warnings.push(ImportWarning::new(
                    row.line,
                    crate::t!("import-unnumbered", number = place.to_string()),
                ));
                place.to_string()
            }
        };
        note(&mut kinds_seen, "任务");
        let own_text_cells = parts.texts.len();
        let mut texts = std::mem::take(&mut parts.texts);
        let text = texts.remove(0);
        if !texts.is_empty() {
            note(&mut kinds_seen, "要求");
        }
        let filled = row.filled().count();
        texts.extend(parts.notes.iter().map(|n| format!("{note_name}：{n}")));
        let mut task = DraftTask {
            line: row.line,
            number,
            text,
            requirement: texts,
            units: vec![None; out.unit_keys.len()],
            deadline: parts.deadline.clone(),
            ..Default::default()
        };
        if parts.deadline.is_some() {
            note(&mut kinds_seen, "时限");
        }
        if !parts.units.is_empty() {
            note(&mut kinds_seen, "单位");
            out.with_units += 1;
            place_units(&mut task, &parts.units, &unit_columns, &out.unit_keys);
        } else if own_text_cells == 1
            && merge_source
                .is_some_and(|(section, cells)| section == out.sections.len() && filled < cells)
            && let Some(above) = out.sections.last().and_then(|s| s.tasks.last())
            && above.units.iter().any(Option::is_some)
        {
            // A merged unit cell: the row is shorter than the one its units are in.
            task.units = above.units.clone();
            if task.deadline.is_none() {
                task.deadline = above.deadline.clone();
            }
            out.carried = true;
            out.with_units += 1;
            out.warnings.push(ImportWarning::new(
                row.line,
                crate::t!(
                    "import-merged-units",
                    number = task.number.as_str(),
                    from = above.number.as_str()
                ),
            ));
        }
        if !parts.units.is_empty() {
            merge_source = Some((out.sections.len(), filled));
        }
        out.tasks += 1;
        out.sections
            .last_mut()
            .expect("a section is open")
            .tasks
            .push(task);
    }
    if out.tasks == 0 {
        return None;
    }
    if !any_number {
        // Numbered by place throughout.
        kinds_seen.retain(|k| *k != "序号");
    }
    let order = ["序号", "类别", "任务", "要求", "单位", "时限"];
    out.columns = match columns {
        Some(given) => given.iter().map(|r| r.label()).collect(),
        None => order
            .iter()
            .copied()
            .filter(|k| kinds_seen.contains(k))
            .collect(),
    };
    Some(out)
}

fn note(seen: &mut Vec<&'static str>, kind: &'static str) {
    if !seen.contains(&kind) {
        seen.push(kind);
    }
}

/// True when a row (before any header) begins the table: a numbered text with a
/// unit cell, or a text and a unit cell.
fn starts_table(row: &Row) -> bool {
    let kinds: Vec<Kind> = row.filled().map(|c| kind(c)).collect();
    kinds.len() >= 2
        && kinds.contains(&Kind::Units)
        && kinds
            .iter()
            .any(|k| matches!(k, Kind::Text | Kind::Numbered(..)))
}

fn open_section(sections: &mut Vec<DraftSection>, level: u8, title: &str) {
    let level = if level >= 2 && !sections.iter().any(|s| s.level == 1) {
        1
    } else {
        level.min(2)
    };
    if sections
        .last()
        .is_some_and(|s| s.title == title && s.tasks.is_empty())
    {
        return;
    }
    sections.push(DraftSection {
        title: title.to_string(),
        level,
        ..Default::default()
    });
}

/// The columns of a table printed with its blank cells (tab rows) that hold
/// categories: short labels on some rows, blank on rows that have their own
/// number — a category merged down over several tasks. (A title merged down
/// over the measures of one task is blank where the number is blank too.)
fn category_columns(grid: &Grid) -> Vec<usize> {
    if grid.printing != super::grid::Printing::TabRows {
        return Vec::new();
    }
    let numbered_at = |row: &Row| {
        row.cells
            .iter()
            .position(|c| matches!(kind(c), Kind::Number(_) | Kind::Numbered(..)))
    };
    let width = grid.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    (1..width)
        .filter(|&j| {
            let (mut labels, mut blank_numbered) = (0, 0);
            for row in &grid.rows {
                let Some(n) = numbered_at(row).filter(|&n| n < j) else {
                    continue;
                };
                let _ = n;
                match row.cells.get(j) {
                    Some(c) if c.is_empty() => blank_numbered += 1,
                    Some(c) if kind(c) == Kind::Text && is_label(c) => labels += 1,
                    _ => {}
                }
            }
            labels >= 2 && blank_numbered >= 1
        })
        .collect()
}

/// A row's parts read from what each cell is.
fn parts_by_content(row: &Row, category_columns: &[usize]) -> RowParts {
    let mut parts = RowParts::default();
    let filled: Vec<(usize, &String)> = row
        .cells
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.is_empty())
        .collect();
    // What each cell is, once (a label looks at the cells after it).
    let kinds: Vec<Kind> = filled.iter().map(|(_, c)| kind(c)).collect();
    for (i, &(at, printed)) in filled.iter().enumerate() {
        // A cell's paragraphs (Word, HTML): read as one; a text cell's first
        // paragraph is the task's text and the others its requirement.
        let cell = &printed.replace(super::PARAGRAPH, "");
        match kinds[i].clone() {
            // A category column may stand after the 序号 column.
            Kind::Heading(level) if parts.texts.is_empty() => {
                parts.headings.push((level, cell.trim().to_string()));
            }
            Kind::Number(n) if parts.number.is_none() && parts.texts.is_empty() => {
                parts.number = Some(n)
            }
            Kind::Numbered(n, rest) if parts.number.is_none() && parts.texts.is_empty() => {
                parts.number = Some(n);
                parts.texts.push(rest);
            }
            Kind::Units => parts
                .units
                .push(((at, None), normalize_clauses(&split_and(cell.trim())))),
            Kind::Deadline if parts.deadline.is_none() => {
                parts.deadline = Some(cell.trim().to_string());
            }
            _ => {
                let text = cell.trim().to_string();
                // A label before the text (a category column), when a longer
                // text or a numbered one follows it in the row.
                let text_follows =
                    filled[i + 1..]
                        .iter()
                        .zip(&kinds[i + 1..])
                        .any(|((_, c), k)| match k {
                            Kind::Text => c.chars().count() > text.chars().count(),
                            Kind::Number(_) | Kind::Numbered(..) => true,
                            _ => false,
                        });
                if parts.texts.is_empty()
                    && (parts.number.is_none() || category_columns.contains(&at))
                    && parts.label.is_none()
                    && is_label(&text)
                    && text_follows
                {
                    parts.label = Some(text);
                } else if !parts.texts.is_empty() && !parts.units.is_empty() {
                    // After the text and the units: a 落实情况 or 备注 column.
                    parts.notes.push(text);
                } else {
                    parts.texts.extend(
                        printed
                            .split(super::PARAGRAPH)
                            .map(str::trim)
                            .filter(|p| !p.is_empty())
                            .map(str::to_string),
                    );
                }
            }
        }
    }
    // A row of one short text across the table: a category (`做好财政信息公开`).
    if filled.len() == 1 && parts.texts.len() == 1 && is_label(&parts.texts[0]) {
        parts.label = parts.texts.pop();
    }
    parts
}

/// How well a cell fits a column's role: 2 for a text in the task column (a
/// row's text is its task before its category), 1 for another fit, 0 for none.
fn fits(cell: &str, role: ColumnRole) -> usize {
    let k = kind(cell);
    match role {
        ColumnRole::Number => usize::from(matches!(k, Kind::Number(_))),
        ColumnRole::Lead | ColumnRole::Responsible | ColumnRole::Cooperating => {
            usize::from(k == Kind::Units)
        }
        ColumnRole::Deadline => usize::from(k == Kind::Deadline),
        ColumnRole::Task => 2 * usize::from(matches!(k, Kind::Text | Kind::Numbered(..))),
        ColumnRole::Requirement => usize::from(k == Kind::Text),
        ColumnRole::Category => usize::from(matches!(k, Kind::Text | Kind::Heading(_))),
        ColumnRole::Note | ColumnRole::Skip => 0,
    }
}

/// The column of each of a row's cells: in order, each in a column of its own,
/// where they fit the roles best (a row lacks the cells of merged columns, and
/// a printing may leave blank ones out).
fn align(cells: &[String], columns: &[ColumnRole]) -> Vec<usize> {
    let (n, m) = (cells.len(), columns.len());
    if n >= m {
        return (0..n).collect();
    }
    // best[i][j]: the best fit of the first i cells in the first j columns.
    let mut best = vec![vec![0usize; m + 1]; n + 1];
    for i in 1..=n {
        for j in i..=m {
            let here = best[i - 1][j - 1] + fits(&cells[i - 1], columns[j - 1]);
            best[i][j] = if j > i {
                here.max(best[i][j - 1])
            } else {
                here
            };
        }
    }
    let mut at = vec![0; n];
    let (mut i, mut j) = (n, m);
    while i > 0 {
        if j > i && best[i][j] == best[i][j - 1] {
            j -= 1;
        } else {
            at[i - 1] = j - 1;
            i -= 1;
            j -= 1;
        }
    }
    at
}

/// A row's parts read by the columns the editor named ([`align`]).
fn parts_by_column(row: &Row, columns: &[ColumnRole]) -> RowParts {
    let mut parts = RowParts::default();
    let at = align(&row.cells, columns);
    for (i, cell) in row.cells.iter().enumerate() {
        let cell = cell.trim();
        if cell.is_empty() {
            continue;
        }
        match columns.get(at[i]).copied().unwrap_or(ColumnRole::Skip) {
            ColumnRole::Number => {
                let n = cell.trim_end_matches(['.', '、', '．']);
                parts.number = Some(n.to_string());
            }
            ColumnRole::Category => match heading_level(cell) {
                Some(level) => parts.headings.push((level, cell.to_string())),
                None => parts.label = Some(cell.to_string()),
            },
            ColumnRole::Task => match task_number(cell) {
                Some((n, rest)) if parts.number.is_none() => {
                    parts.number = Some(n);
                    parts.texts.insert(0, rest);
                }
                _ => parts.texts.insert(0, cell.to_string()),
            },
            ColumnRole::Requirement => parts.texts.push(cell.to_string()),
            role @ (ColumnRole::Responsible | ColumnRole::Lead | ColumnRole::Cooperating) => {
                parts.units.push(((i, Some(role)), cell.to_string()));
            }
            ColumnRole::Deadline => parts.deadline = Some(cell.to_string()),
            ColumnRole::Note => parts.notes.push(cell.to_string()),
            ColumnRole::Skip => {}
        }
    }
    parts
}

/// Puts a row's unit cells under their columns' keys: by the role the editor
/// named, else in order when the row has as many unit cells as the table has
/// unit columns, else all under the first (their own role words still apply).
fn place_units(
    task: &mut DraftTask,
    cells: &[((usize, Option<ColumnRole>), String)],
    unit_columns: &[ColumnRole],
    keys: &[&'static str],
) {
    let join = |slot: &mut Option<String>, value: &str| {
        *slot = Some(match slot.take() {
            Some(before) => format!("{before}、{value}"),
            None => value.to_string(),
        });
    };
    for (i, ((_, role), value)) in cells.iter().enumerate() {
        let key = role.and_then(ColumnRole::unit_key).or_else(|| {
            (cells.len() == unit_columns.len())
                .then(|| unit_columns[i].unit_key())
                .flatten()
        });
        let at = key
            .and_then(|k| keys.iter().position(|x| *x == k))
            .unwrap_or(0);
        join(&mut task.units[at], value);
    }
}
