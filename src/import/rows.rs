//! Reading a document's cells in order into categories and tasks. A [`Reader`]
//! looks at each cell and hands it to the method for its kind: a header cell, an
//! ordinal heading, a task (which gathers the rest of its row), a row that
//! continues the task above it (its first cells merged down from that task's row),
//! a unit cell after the tasks it covers, a plain title, or text.

use super::cells::Cell;
use super::classify::{
    DEADLINE_KEYS, deadline_line, heading_level, is_date, is_header, is_metadata_line,
    is_plain_title, is_unit_cell, is_unit_line, join_unit_lines, keyed_clauses,
    looks_like_deadline, oversized_number, split_trailing_units, starts_with_sub_item, task_number,
    unit_clauses, without_last_char,
};
use super::{DraftSection, DraftTask, ImportWarning};
use crate::text::to_simplified;

/// The table's columns, from its header cells.
#[derive(Default)]
pub(super) struct Columns {
    /// The header words, simplified, in order.
    names: Vec<String>,
    /// The attribute key of each unit column (`牵头单位`, `责任单位`, `配合单位`).
    pub(super) unit_keys: Vec<&'static str>,
    /// True when there is a deadline column.
    deadline: bool,
}

impl Columns {
    /// Takes in a header cell.
    fn add(&mut self, word: String) {
        if self.names.contains(&word) {
            return;
        }
        if DEADLINE_KEYS.contains(&word.as_str()) {
            self.deadline = true;
        }
        if ["单位", "部门", "科室", "主体"]
            .iter()
            .any(|w| word.contains(w))
        {
            self.unit_keys.push(match word.as_str() {
                "牵头单位" | "牵头部门" => "牵头单位",
                "配合单位" | "配合部门" => "配合单位",
                _ => "责任单位",
            });
        }
        self.names.push(word);
    }
}

/// What the reader made of the document.
pub(super) struct Read {
    /// Text before the first category.
    pub(super) preamble: Vec<String>,
    /// Categories with their prose and tasks.
    pub(super) sections: Vec<DraftSection>,
    /// The table's columns.
    pub(super) columns: Columns,
}

/// Reads cells in order; see the module documentation.
pub(super) struct Reader<'a> {
    cells: &'a [Cell],
    /// Parts of the title (not repeated in the preamble).
    title_parts: &'a [String],
    warnings: &'a mut Vec<ImportWarning>,
    columns: Columns,
    preamble: Vec<String>,
    sections: Vec<DraftSection>,
    /// True once the table or the first category began.
    started: bool,
    /// The last category's printed title (a repeat continues it).
    last_category: String,
    /// Tasks read so far (the next unnumbered task is numbered on from here).
    tasks_read: usize,
    /// In a table: text after a task, waiting for its unit cell (an unnumbered task).
    waiting_text: Option<(usize, String)>,
    /// The column of the last task's cell, when that task is numbered in a row of
    /// cells (a tab-separated row): a later row blank up to and past it continues it.
    last_task_column: Option<usize>,
}

impl<'a> Reader<'a> {
    /// Reads all cells.
    pub(super) fn read(
        cells: &'a [Cell],
        title_parts: &'a [String],
        warnings: &'a mut Vec<ImportWarning>,
    ) -> Read {
        let mut reader = Reader {
            cells,
            title_parts,
            warnings,
            columns: Columns::default(),
            preamble: Vec::new(),
            sections: Vec::new(),
            started: false,
            last_category: String::new(),
            tasks_read: 0,
            waiting_text: None,
            last_task_column: None,
        };
        let mut i = 0;
        while i < cells.len() {
            i = reader.cell(i);
        }
        Read {
            preamble: reader.preamble,
            sections: reader.sections,
            columns: reader.columns,
        }
    }

    /// Reads the cell at `i`; returns the index of the next unread cell.
    fn cell(&mut self, i: usize) -> usize {
        let cell = &self.cells[i];
        if cell.in_row
            && cell.is_blank()
            && self.column_of(i) == 0
            && let Some(next) = self.continuation_row(i)
        {
            return next;
        }
        let text = cell.text();
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return i + 1;
        }
        if is_header(trimmed) {
            self.columns.add(to_simplified(trimmed));
            self.started = true;
            return i + 1;
        }
        // An item that names several units clause by clause: a task per clause.
        if let Some((clauses, rest)) = unit_clauses(trimmed) {
            self.clause_item(cell.line, trimmed, clauses);
            if !rest.is_empty() {
                self.warnings.push(ImportWarning::new(
                    cell.line,
                    crate::t!("import-clauses-rest", text = rest.as_str()),
                ));
                self.current_section().prose.push(rest);
            }
            return i + 1;
        }
        // An item under an ordinal heading mark with its units in parentheses at
        // the end (`（一）…。（市财政局负责落实）`): a task, numbered by its place.
        if heading_level(trimmed).is_some()
            && let (text, Some(units)) = split_trailing_units(trimmed)
            && (text.chars().count() > 45 || without_last_char(&text).contains('。'))
        {
            let text = crate::text::strip_ordinal(&text).to_string();
            self.auto_task(cell.line, text, units);
            return i + 1;
        }
        // A paragraph of prose closed by its units (`…。（牵头部门：法规处）`), under
        // a heading: a task, numbered by its place.
        if !cell.in_row
            && !self.sections.is_empty()
            && heading_level(trimmed).is_none()
            && task_number(trimmed).is_none()
            && let (text, Some(units)) = split_trailing_units(trimmed)
            && text.contains('。')
        {
            self.auto_task(cell.line, text, units);
            return i + 1;
        }
        if let Some(level) = heading_level(trimmed)
            .filter(|_| trimmed.chars().count() <= 45 && !without_last_char(trimmed).contains('。'))
        {
            self.heading(trimmed, level);
            return i + 1;
        }
        if let Some((number, rest)) = task_number(trimmed) {
            return self.task(i, number, &rest);
        }
        if oversized_number(trimmed) {
            self.warnings.push(ImportWarning::lost(
                cell.line,
                crate::t!(
                    "import-number-too-big",
                    digits = super::classify::MAX_NUMBER_DIGITS,
                    text = trimmed
                ),
            ));
            return i + 1;
        }
        if cell.in_row
            && self.row_starts_at(i)
            && let Some(next) = self.unnumbered_row(i)
        {
            return next;
        }
        if !cell.in_row
            && let Some(next) = self.signature(i)
        {
            return next;
        }
        if !cell.in_row && self.attribute_line(trimmed) {
            return i + 1;
        }
        if is_unit_cell(trimmed) && self.unnumbered_task(cell.line, trimmed) {
            return i + 1;
        }
        if is_unit_cell(trimmed) && self.sections.iter().any(|s| !s.tasks.is_empty()) {
            self.unit_cell(cell.line, trimmed);
            return i + 1;
        }
        if self.plain_title(i, trimmed) {
            return i + 1;
        }
        self.text(cell.line, trimmed);
        i + 1
    }

    /// The notice's signature after the tasks: an office and a date, or the date
    /// alone (the issuer and the date are the plan's metadata), left out with a
    /// note. Returns the index after it, or `None` when cell `i` does not begin one.
    fn signature(&mut self, i: usize) -> Option<usize> {
        if !self.started || self.tasks_read == 0 {
            return None;
        }
        let text = self.cells[i].text();
        let taken = if is_date(text.trim()) {
            1
        } else if is_unit_cell(&text)
            && self
                .cells
                .get(i + 1)
                .is_some_and(|c| is_date(c.text().trim()))
        {
            2
        } else {
            return None;
        };
        let signed = self.cells[i..i + taken]
            .iter()
            .map(|c| c.text().trim().to_string())
            .collect::<Vec<_>>()
            .join(" ");
        self.warnings.push(ImportWarning::new(
            self.cells[i].line,
            crate::t!("import-signature", text = signed),
        ));
        Some(i + taken)
    }

    /// Prose: an attribute line after a task (`配合单位：…`, `完成时限：…`) is the
    /// task's. Returns false when `text` is not one, or there is no task.
    fn attribute_line(&mut self, text: &str) -> bool {
        if !self.columns.unit_keys.is_empty()
            || !(is_unit_line(text) || deadline_line(text).is_some())
        {
            return false;
        }
        let Some(task) = self.sections.last_mut().and_then(|s| s.tasks.last_mut()) else {
            return false;
        };
        match deadline_line(text) {
            Some(deadline) if task.deadline.is_none() => task.deadline = Some(deadline.to_string()),
            Some(_) => task.requirement.push(text.to_string()),
            None => add_units(task, text),
        }
        true
    }

    /// An ordinal heading (`一、`, `（一）`): a category or sub-category. The same
    /// category again (after a page break) continues it.
    fn heading(&mut self, title: &str, level: u8) {
        self.started = true;
        if title == self.last_category && level == 1 {
            return;
        }
        self.last_category = title.to_string();
        self.sections.push(DraftSection {
            title: title.to_string(),
            level,
            ..Default::default()
        });
    }

    /// An item that carries several clauses, each with its own units: a
    /// sub-category titled by the item's first sentence, with a task per clause
    /// (numbered by their place), so that every office's page shows exactly the
    /// clauses it is named in.
    fn clause_item(&mut self, line: usize, text: &str, clauses: Vec<(String, String)>) {
        self.started = true;
        // An item that begins with an ordinal (`（一）标题。…`) is a category whose
        // first sentence is its title; a paragraph of measures under a heading
        // is that heading's.
        let title = if heading_level(text).is_some() {
            let title_end = text.find('。').map_or(text.len(), |i| i + '。'.len_utf8());
            let level = if self.sections.iter().any(|s| s.level == 1) {
                2
            } else {
                1
            };
            self.sections.push(DraftSection {
                title: text[..title_end].trim().to_string(),
                level,
                ..Default::default()
            });
            &text[..title_end]
        } else {
            ""
        };
        for (k, (clause, units)) in clauses.into_iter().enumerate() {
            // The first clause repeats the title: keep only what follows it.
            let clause = if k == 0 && !title.is_empty() {
                clause
                    .strip_prefix(title)
                    .unwrap_or(&clause)
                    .trim()
                    .to_string()
            } else {
                clause
            };
            // A clause that is only an ordinal (`一、（A负责）…`) is the title's.
            // A clause of nothing but its units keeps them as its printed text.
            let clause = match crate::text::strip_ordinal(&clause).trim() {
                "" if !title.is_empty() => crate::text::strip_ordinal(title).trim().to_string(),
                "" => format!("（{units}）"),
                text => text.to_string(),
            };
            self.auto_task(line, clause, units);
        }
        self.warnings
            .push(ImportWarning::new(line, crate::t!("import-clauses")));
    }

    /// A task the document does not number: numbered on from the tasks before it.
    fn auto_task(&mut self, line: usize, text: String, units: String) {
        self.started = true;
        if self.sections.is_empty() {
            self.sections.push(DraftSection {
                title: "工作任务".into(),
                level: 1,
                ..Default::default()
            });
        }
        self.tasks_read += 1;
        self.last_task_column = None;
        let number = self.tasks_read.to_string();
        self.warnings.push(ImportWarning::new(
            line,
            crate::t!("import-unnumbered", number = number.as_str()),
        ));
        let (units, deadline) = deadline_clause(units);
        self.current_section().tasks.push(DraftTask {
            line,
            number,
            text,
            units: vec![Some(units)],
            deadline,
            ..Default::default()
        });
    }

    /// A task: its number, its text, and the rest of its row (requirement, unit
    /// cells, deadline). Returns the index after the row.
    fn task(&mut self, i: usize, number: String, rest: &str) -> usize {
        let line = self.cells[i].line;
        self.started = true;
        self.section_for_tasks(line);
        self.tasks_read += 1;
        let mut task = DraftTask {
            line,
            number,
            ..Default::default()
        };
        // Prose layout: units in parentheses at the end of the task.
        let (body, trailing_units) = split_trailing_units(rest);
        task.text = body;
        if let Some(units) = trailing_units {
            let (units, deadline) = deadline_clause(units);
            task.deadline = task.deadline.take().or(deadline);
            task.units = vec![Some(units)];
        }
        let (mut row, next) = self.row_after(i);
        // Trailing blank cells before a category belong to the next row.
        let next = next - self.read_row(&mut row, &mut task);
        // A task cell that holds only units (`11.（各部门负责）`): its text is the
        // row's next text cell, else the cell as printed.
        if task.text.trim().is_empty() {
            task.text = if task.requirement.is_empty() {
                rest.trim().to_string()
            } else {
                task.requirement.remove(0)
            };
        }
        if task.units.iter().any(Option::is_some) {
            task.explicit_blank_units = false;
            self.cover_tasks_above(&task);
        }
        self.last_task_column = self.cells[i].in_row.then(|| self.column_of(i));
        self.current_section().tasks.push(task);
        next
    }

    /// Reads a row's cells (after the task's own) into `task`: with a deadline
    /// column, a deadline-like or blank last cell is its 完成时限; unit cells at the
    /// row's end fill the unit columns in order; other text cells are requirement.
    /// Returns how many trailing blank cells it left to the next row.
    fn read_row(&self, row: &mut Vec<&Cell>, task: &mut DraftTask) -> usize {
        let unit_count = self.columns.unit_keys.len().max(1);
        let mut left = 0;
        while row.len() > unit_count && row.last().is_some_and(|c| c.is_blank()) {
            row.pop();
            left += 1;
        }
        // The deadline column ends the row when the header has one.
        if self.columns.deadline
            && let Some(last) = row.last()
            && (last.is_blank() || looks_like_deadline(last.text().trim()))
        {
            let text = last.text().trim().to_string();
            task.deadline = (!text.is_empty()).then_some(text);
            row.pop();
        }
        let tail_start = row.len().saturating_sub(unit_count);
        let mut sub_item_units = Vec::new();
        for (pos, c) in row.iter().enumerate() {
            let text = c.text();
            let trimmed = text.trim();
            // A sub-item (`（1）…。（县财政局负责）`) is requirement, kept as printed;
            // its units are the task's too.
            if starts_with_sub_item(trimmed) {
                if let (_, Some(units)) = split_trailing_units(trimmed) {
                    sub_item_units.push(units);
                }
                task.requirement.push(trimmed.to_string());
                continue;
            }
            if let Some(deadline) = deadline_line(trimmed)
                && task.deadline.is_none()
            {
                task.deadline = Some(deadline.to_string());
                continue;
            }
            let joined = join_unit_lines(c.lines.iter().map(String::as_str));
            let unit_slot = pos >= tail_start && (c.is_blank() || is_unit_cell(&joined));
            if unit_slot && task.units.len() < unit_count {
                if c.is_blank() {
                    task.units.push(None);
                    task.explicit_blank_units = true;
                } else {
                    task.units.push(Some(joined));
                }
            } else if !c.is_blank() {
                task.requirement.push(trimmed.to_string());
            }
        }
        if !sub_item_units.is_empty() {
            add_units(task, &sub_item_units.join("；"));
        }
        left
    }

    /// Opens the default category for tasks before any category, with a warning.
    fn section_for_tasks(&mut self, line: usize) {
        if self.sections.is_empty() {
            self.sections.push(DraftSection {
                title: "工作任务".into(),
                level: 1,
                ..Default::default()
            });
            self.warnings
                .push(ImportWarning::new(line, crate::t!("import-no-category")));
        }
    }

    /// The index after the row of cells that cell `i` is in.
    fn row_end(&self, i: usize) -> usize {
        let line = self.cells[i].line;
        self.cells[i..]
            .iter()
            .position(|c| !(c.in_row && c.line == line))
            .map_or(self.cells.len(), |k| i + k)
    }

    /// True when cell `i` is the first filled cell of its row of cells.
    fn row_starts_at(&self, i: usize) -> bool {
        self.cells[i - self.column_of(i)..i]
            .iter()
            .all(Cell::is_blank)
    }

    /// In a table with unit columns whose tasks are not numbered, a row of cells
    /// that starts with text and holds a unit cell is a task: its first cell the
    /// task, the rest read as a numbered task's row; numbered by its place, with a
    /// warning. Returns the index after the row, or `None` when the row starting at
    /// `i` is not one.
    fn unnumbered_row(&mut self, i: usize) -> Option<usize> {
        if self.columns.unit_keys.is_empty() {
            return None;
        }
        let cells = self.cells;
        let line = cells[i].line;
        let end = self.row_end(i);
        let first = cells[i].text();
        if is_unit_cell(&first)
            || cells[i..end].iter().any(starts_something)
            || !cells[i + 1..end].iter().any(|c| is_unit_cell(&c.text()))
        {
            return None;
        }
        self.section_for_tasks(line);
        self.tasks_read += 1;
        let mut task = DraftTask {
            line,
            number: self.tasks_read.to_string(),
            text: first.trim().to_string(),
            ..Default::default()
        };
        self.warnings.push(ImportWarning::new(
            line,
            crate::t!("import-unnumbered", number = task.number.as_str()),
        ));
        self.read_row(&mut cells[i + 1..end].iter().collect(), &mut task);
        self.current_section().tasks.push(task);
        self.last_task_column = Some(self.column_of(i));
        Some(end)
    }

    /// The place of cell `i` in its row (0 outside tab-separated rows).
    fn column_of(&self, i: usize) -> usize {
        let line = self.cells[i].line;
        self.cells[..i]
            .iter()
            .rev()
            .take_while(|c| c.in_row && c.line == line)
            .count()
    }

    /// A row whose cells are blank up to and past the column of the last task's
    /// cell — its number and text merged down from the task's row, as tables print
    /// a task over the rows of its measures — continues that task: its text cells
    /// are more of the task's requirement, its unit cells more of its units, each
    /// measure followed by its own units in parentheses when the rows name
    /// different units. Returns the index after the row, or `None` when the row
    /// starting at `i` is not one (it holds a task, a header or a heading).
    fn continuation_row(&mut self, i: usize) -> Option<usize> {
        let column = self.last_task_column?;
        let cells = self.cells;
        let line = cells[i].line;
        let end = self.row_end(i);
        let lead = cells[i..end].iter().take_while(|c| c.is_blank()).count();
        let rest = &cells[i + lead..end];
        if lead <= column || rest.is_empty() || rest.iter().any(starts_something) {
            return None;
        }
        let mut part = DraftTask {
            line,
            ..Default::default()
        };
        self.read_row(&mut rest.iter().collect(), &mut part);
        let keys = &self.columns.unit_keys;
        let task = self.sections.last_mut()?.tasks.last_mut()?;
        let number = task.number.clone();
        continue_task(task, part, keys);
        self.warnings.push(ImportWarning::new(
            line,
            crate::t!("import-row-continues", number = number.as_str()),
        ));
        Some(end)
    }

    /// The cells of a task's row after its first cell, and the index after them.
    fn row_after(&self, i: usize) -> (Vec<&'a Cell>, usize) {
        let cells = self.cells;
        let mut row: Vec<&Cell> = Vec::new();
        let mut j = i + 1;
        while j < cells.len() {
            // A tab-separated row ends with its line.
            if cells[i].in_row && !(cells[j].in_row && cells[j].line == cells[i].line) {
                break;
            }
            let text = cells[j].text();
            let n = text.trim();
            if task_number(n).is_some()
                || is_header(n)
                || heading_level(n).is_some_and(|_| n.chars().count() <= 45)
            {
                break;
            }
            // In the one-cell-per-line layouts a row has at most one cell per column.
            let width = self.columns.names.len();
            if width > 0
                && row.len() + 1 >= width.max(2)
                && !cells[j].is_blank()
                && !is_unit_cell(n)
            {
                break;
            }
            row.push(&cells[j]);
            j += 1;
            if row.last().is_some_and(|c| is_unit_cell(&c.text()))
                && self.columns.unit_keys.len() <= 1
                && !self.columns.deadline
            {
                break;
            }
            // A deadline after the row's units ends the row.
            if self.columns.deadline
                && row
                    .last()
                    .is_some_and(|c| looks_like_deadline(c.text().trim()))
                && row[..row.len() - 1].iter().any(|c| is_unit_cell(&c.text()))
            {
                break;
            }
        }
        (row, j)
    }

    /// A unit cell after several tasks without any unit cell covers them all.
    fn cover_tasks_above(&mut self, task: &DraftTask) {
        let mut covered = 0;
        for t in self
            .sections
            .iter_mut()
            .rev()
            .flat_map(|s| s.tasks.iter_mut().rev())
        {
            if !t.units.is_empty() {
                break;
            }
            t.units = task.units.clone();
            covered += 1;
        }
        if covered > 0 {
            self.warnings.push(ImportWarning::new(
                task.line,
                crate::t!(
                    "import-cell-covers-above",
                    number = task.number.as_str(),
                    count = covered
                ),
            ));
        }
    }

    /// A unit cell standing after the tasks it covers (a cell merged over them).
    fn unit_cell(&mut self, line: usize, text: &str) {
        let pending: Vec<&mut DraftTask> = self
            .sections
            .iter_mut()
            .flat_map(|s| s.tasks.iter_mut())
            .rev()
            .take_while(|t| t.units.is_empty())
            .collect();
        let n = pending.len();
        for t in pending {
            t.units = vec![Some(text.to_string())];
        }
        let warning = match n {
            0 => ImportWarning::lost(line, crate::t!("import-orphan-cell", text = text)),
            1 => return,
            n => ImportWarning::new(line, crate::t!("import-cell-covers", count = n)),
        };
        self.warnings.push(warning);
    }

    /// In a table whose tasks are not numbered, text followed by its unit cell is
    /// a task. Returns false when there is no such text.
    fn unnumbered_task(&mut self, line: usize, units: &str) -> bool {
        if self.columns.unit_keys.is_empty() {
            return false;
        }
        let waiting = self.waiting_text.take().map(|(_, text)| text);
        let Some(text) = waiting.or_else(|| {
            self.sections
                .last_mut()
                .and_then(|s| s.tasks.is_empty().then(|| s.prose.pop()).flatten())
        }) else {
            return false;
        };
        self.auto_task(line, text, units.to_string());
        true
    }

    /// A category without an ordinal: a short title between rows, before tasks or
    /// prose. Returns false when the cell is not one.
    fn plain_title(&mut self, i: usize, text: &str) -> bool {
        let next = self.cells.get(i + 1).map(Cell::text).unwrap_or_default();
        let opens_tasks = task_number(&next).is_some() || heading_level(&next).is_some();
        let opens_prose = text.chars().count() <= 12
            && next.chars().count() > 40
            && self.sections.last().is_some_and(|s| s.tasks.is_empty());
        if !(self.started && is_plain_title(text) && (opens_tasks || opens_prose)) {
            return false;
        }
        if text != self.last_category {
            self.last_category = text.to_string();
            self.sections.push(DraftSection {
                title: text.to_string(),
                level: 1,
                ..Default::default()
            });
        }
        true
    }

    /// Text: the preamble, a section's prose, a title after tasks, or a line that
    /// belongs nowhere (reported).
    fn text(&mut self, line: usize, text: &str) {
        if !self.started {
            if !self.title_parts.iter().any(|p| p.contains(text)) && !is_metadata_line(text) {
                self.preamble.push(text.to_string());
            }
            return;
        }
        let Some(s) = self.sections.last_mut() else {
            // After the table's header, before any category or task.
            self.warnings.push(ImportWarning::lost(
                line,
                crate::t!("import-dropped", text = text),
            ));
            return;
        };
        if s.tasks.is_empty() {
            s.prose.push(text.to_string());
        } else if !self.columns.unit_keys.is_empty() && text.chars().count() > 20 {
            // A table's row whose task is not numbered: its unit cell follows.
            if let Some((line, dropped)) = self.waiting_text.replace((line, text.to_string())) {
                self.warnings.push(ImportWarning::lost(
                    line,
                    crate::t!("import-dropped", text = dropped),
                ));
            }
        } else if is_plain_title(text) && text.chars().count() <= 20 {
            self.sections.push(DraftSection {
                title: text.to_string(),
                level: 1,
                ..Default::default()
            });
        } else {
            self.warnings.push(ImportWarning::lost(
                line,
                crate::t!("import-dropped", text = text),
            ));
        }
    }

    fn current_section(&mut self) -> &mut DraftSection {
        self.sections.last_mut().expect("a section exists")
    }
}

/// A unit group with its own deadline clause (`责任单位:A、B,完成时限:全年`): the
/// units (keyed clauses joined by `；`) and the deadline.
fn deadline_clause(units: String) -> (String, Option<String>) {
    let Some(keyed) = keyed_clauses(&units) else {
        return (units, None);
    };
    let mut deadline = None;
    let rest: Vec<String> = keyed
        .into_iter()
        .filter(|(key, value)| {
            let is_deadline = DEADLINE_KEYS.contains(&to_simplified(key).as_str());
            if is_deadline {
                deadline = Some(value.clone());
            }
            !is_deadline
        })
        .map(|(k, v)| format!("{k}：{v}"))
        .collect();
    (rest.join("；"), deadline)
}

/// True when a cell begins something of its own: a task, a header, a heading.
fn starts_something(c: &Cell) -> bool {
    let text = c.text();
    let n = text.trim();
    task_number(n).is_some() || oversized_number(n) || is_header(n) || heading_level(n).is_some()
}

/// Adds a continuation row (`part`) to `task`: its units join the task's, column
/// by column; its texts join the requirement. Once a row names other units than
/// the task's, every measure is followed by its own units (and a deadline of its
/// own) in parentheses, so that the plan shows who does which.
pub(super) fn continue_task(task: &mut DraftTask, part: DraftTask, keys: &[&str]) {
    let named = part.units.iter().any(Option::is_some);
    let own_deadline = part
        .deadline
        .as_ref()
        .filter(|d| task.deadline.as_ref() != Some(*d));
    if (named && part.units != task.units || own_deadline.is_some()) && !task.units_per_row {
        task.units_per_row = true;
        if let Some(note) = units_note(&task.units, task.deadline.as_deref(), keys) {
            for r in &mut task.requirement {
                r.push_str(&note);
            }
        }
    }
    let note = task
        .units_per_row
        .then(|| units_note(&part.units, own_deadline.map(String::as_str), keys))
        .flatten();
    for mut r in part.requirement {
        if let Some(note) = &note {
            r.push_str(note);
        }
        task.requirement.push(r);
    }
    if task.deadline.is_none() {
        task.deadline = part.deadline;
    }
    for (k, unit) in part.units.into_iter().enumerate() {
        let Some(unit) = unit else { continue };
        if task.units.len() <= k {
            task.units.resize(k + 1, None);
        }
        match &mut task.units[k] {
            Some(have) if have.split('、').any(|u| u == unit) => {}
            Some(have) => {
                have.push('、');
                have.push_str(&unit);
            }
            none => *none = Some(unit),
        }
    }
    if task.units.iter().any(Option::is_some) {
        task.explicit_blank_units = false;
    }
}

/// A row's units (and deadline) as a note after its measure: `（区财政局）`, or with
/// several unit columns `（牵头单位：A；配合单位：B）`. `None` when the row names none.
fn units_note(units: &[Option<String>], deadline: Option<&str>, keys: &[&str]) -> Option<String> {
    let mut parts: Vec<String> = units
        .iter()
        .enumerate()
        .filter_map(|(k, u)| {
            let u = u.as_deref()?;
            Some(if keys.len() > 1 {
                format!("{}：{u}", keys.get(k).copied().unwrap_or("责任单位"))
            } else {
                u.to_string()
            })
        })
        .collect();
    if let Some(d) = deadline {
        parts.push(format!("完成时限：{d}"));
    }
    (!parts.is_empty()).then(|| format!("（{}）", parts.join("；")))
}

/// Adds a unit string to a task's units: its own when it has none, else joined to
/// the first unit column's string with `；` (as keyed clauses when either is keyed:
/// `责任单位：A；配合单位：B`).
fn add_units(task: &mut DraftTask, units: &str) {
    match task.units.iter_mut().find_map(Option::as_mut) {
        None => task.units = vec![Some(units.to_string())],
        Some(have) => {
            let keyed = |s: &str| keyed_clauses(s).is_some();
            *have = match (keyed(have), keyed(units)) {
                (false, true) => format!("责任单位：{have}；{units}"),
                (true, false) => format!("{have}；责任单位：{units}"),
                _ => format!("{have}；{units}"),
            };
        }
    }
    task.explicit_blank_units = false;
}
