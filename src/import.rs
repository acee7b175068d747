//! The importer: a plan as offices publish it (text from a Word table, prose, or an
//! HTML page) → a plan file in the documented format, with warnings for everything
//! it was unsure of. The rules are general (see docs/plan-format.md, "Importing"):
//!
//! 1. Text: tags stripped, entities decoded, `[bookmark: …]` / `[image: …]` dropped,
//!    navigation and footer lines dropped. The text is cut into **cells**: cells of a
//!    tab-separated row; lines that begin with a tab (one cell per line, where lines
//!    without a tab continue the cell); otherwise every non-empty line.
//! 2. Cells are read as: header cells (工作任务, 具体要求, 牵头单位, …), categories
//!    (`一、`, `（一）`, or a short title without sentence punctuation between rows),
//!    tasks (`1.` `1、` `1．` `28..`), unit cells (every segment names an office), and
//!    text (a wrapped line, a requirement, prose).
//! 3. Merged unit cells: a task row whose unit cells are all present but empty shares
//!    the units of the task above it in the same category; tasks with no unit cell
//!    at all take the next unit cell that follows them. Both are reported.

use crate::model::Role;
use crate::parse::units::parse_unit_string;
use crate::text::to_simplified;
use std::fmt::Write as _;

/// A problem the importer met, with the source line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportWarning {
    /// 1-based line in the source document.
    pub line: usize,
    /// What the importer did or could not do.
    pub message: String,
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
}

/// One cell of the source.
#[derive(Debug, Clone)]
struct Cell {
    line: usize,
    /// Its lines (a cell may span several).
    lines: Vec<String>,
}

impl Cell {
    fn text(&self) -> String {
        self.lines.join("")
    }
    fn is_blank(&self) -> bool {
        self.lines.iter().all(|l| l.trim().is_empty())
    }
}

const HEADER_WORDS: &[&str] = &[
    "工作任务",
    "具体要求",
    "工作要求",
    "牵头单位",
    "责任单位",
    "责任部门",
    "落实单位",
    "责任科室",
    "配合单位",
    "完成时限",
    "时限要求",
];
/// Page furniture: a line starting with one of these, or made only of these words.
const NOISE: &[&str] = &[
    "您现在的位置",
    "当前位置",
    "首页",
    "微信",
    "手机版",
    "二维码",
    "新媒体",
    "打印本页",
    "关闭窗口",
    "分享到",
];
const OFFICE_ENDINGS: &[&str] = &[
    "局",
    "办",
    "委",
    "部门",
    "单位",
    "科",
    "室",
    "所",
    "中心",
    "政府",
    "街道",
    "镇街",
    "办事处",
    "管委会",
    "委员会",
    "院",
    "公司",
    "处",
    "队",
    "站",
    "会",
    "部",
    "厅",
    "社",
    "镇",
    "乡",
    "村",
    "组",
];

/// Strips HTML tags and decodes the common entities of one line.
/// Block-level tags end a line of text: a table cell, a paragraph, a break.
const BLOCK_TAGS: &[&str] = &[
    "td", "th", "tr", "p", "br", "div", "li", "h1", "h2", "h3", "h4", "table", "section",
];

fn strip_html(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut tag: Option<String> = None;
    let chars: Vec<char> = line.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        match (&mut tag, c) {
            (None, '<')
                if chars
                    .get(i + 1)
                    .is_some_and(|n| n.is_ascii_alphabetic() || *n == '/' || *n == '!') =>
            {
                tag = Some(String::new());
            }
            (Some(name), '>') => {
                let name = name
                    .trim_start_matches('/')
                    .split([' ', '/'])
                    .next()
                    .unwrap_or("")
                    .to_ascii_lowercase();
                if BLOCK_TAGS.contains(&name.as_str()) {
                    out.push('\n');
                }
                tag = None;
            }
            (Some(name), c) => name.push(c),
            (None, c) => out.push(c),
        }
    }
    out.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// Drops `[bookmark: …]` and `[image: …]` placeholders.
fn drop_placeholders(line: &str) -> String {
    let mut s = line.to_string();
    for marker in ["[bookmark:", "[image:"] {
        while let Some(start) = s.find(marker) {
            let end = s[start..].find(']').map_or(s.len(), |e| start + e + 1);
            s.replace_range(start..end, "");
        }
    }
    s
}

fn is_header(text: &str) -> bool {
    let t = to_simplified(text.trim());
    HEADER_WORDS.contains(&t.as_str())
}

fn is_noise(text: &str) -> bool {
    let t = to_simplified(text.trim());
    let starts = NOISE[..2].iter().any(|n| t.starts_with(n));
    let only_furniture = !t.is_empty()
        && t.split_whitespace()
            .all(|w| w.chars().count() <= 8 && NOISE.iter().any(|n| w.contains(n)));
    starts || only_furniture
}

/// `1.` `1、` `1．` `28..` → (number, rest).
fn task_number(text: &str) -> Option<(String, String)> {
    let t = text.trim_start();
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || digits.len() > 3 {
        return None;
    }
    let rest = &t[digits.len()..];
    let rest = rest
        .strip_prefix("..")
        .or_else(|| rest.strip_prefix(['.', '、', '．']))?;
    // "2021年" or "30.2021年" are not numbers of tasks unless followed by text.
    if rest.trim().is_empty() {
        return None;
    }
    Some((digits, rest.trim().to_string()))
}

/// The level of an ordinal heading: `一、` → 1, `（一）` → 2.
fn heading_level(text: &str) -> Option<u8> {
    let t = text.trim();
    let numerals = "一二三四五六七八九十";
    let lead: String = t.chars().take_while(|c| numerals.contains(*c)).collect();
    if !lead.is_empty() && t[lead.len()..].starts_with('、') {
        return Some(1);
    }
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(rest) = t.strip_prefix(open) {
            let inner: String = rest.chars().take_while(|c| numerals.contains(*c)).collect();
            if !inner.is_empty() && rest[inner.len()..].starts_with(close) {
                return Some(2);
            }
        }
    }
    None
}

/// True when every segment of the text names an office (a unit cell).
fn is_unit_cell(text: &str) -> bool {
    let t = text.trim();
    if t.is_empty() || t.chars().count() > 200 {
        return false;
    }
    let units = parse_unit_string(t, Role::Responsible);
    let names: Vec<&String> = units.iter().map(|(_, n)| n).collect();
    !names.is_empty()
        && names.iter().all(|n| {
            let bare = to_simplified(&crate::text::strip_annotations(n));
            bare.chars().count() <= 20 && OFFICE_ENDINGS.iter().any(|e| bare.ends_with(e))
        })
}

/// A category without an ordinal: short, no sentence punctuation.
fn is_plain_title(text: &str) -> bool {
    let t = text.trim();
    let n = t.chars().count();
    (4..=40).contains(&n)
        && !t.contains(['。', '，', ',', '；', ';', '：', ':'])
        && task_number(t).is_none()
}

/// In the one-cell-per-line layout, a tab (after any padding spaces) begins a cell.
fn begins_cell(line: &str) -> bool {
    line.trim_start_matches(' ').starts_with('\t')
}

/// Cuts the document into cells (see the module documentation).
fn cells(text: &str, warnings: &mut Vec<ImportWarning>) -> (Vec<Cell>, Vec<(usize, String)>) {
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
                    lines: vec![c.trim().to_string()],
                }));
            } else {
                out.push(Cell {
                    line: *n,
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
                    lines: vec![l.trim().to_string()],
                });
            } else if !l.trim().is_empty() {
                match out.last_mut() {
                    Some(c) if c.is_blank() => c.lines = vec![l.trim().to_string()],
                    Some(c) => c.lines.push(l.trim().to_string()),
                    None => out.push(Cell {
                        line: *n,
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
                    lines: vec![l.trim().to_string()],
                });
            }
        }
    }
    (out, lines)
}

/// One task being assembled.
#[derive(Debug, Default)]
struct Task {
    line: usize,
    number: String,
    text: String,
    requirement: Vec<String>,
    /// Unit cells by column (None: no such cell in the row).
    units: Vec<Option<String>>,
    explicit_blank_units: bool,
    /// 完成时限, from a deadline column.
    deadline: Option<String>,
}

/// A heading and its content.
#[derive(Debug, Default)]
struct Section {
    title: String,
    level: u8,
    prose: Vec<String>,
    tasks: Vec<Task>,
}

/// Metadata found in the document.
#[derive(Debug, Default)]
struct Meta {
    title: Option<String>,
    issuer: Option<String>,
    year: Option<i32>,
    doc_number: Option<String>,
    published: Option<String>,
}

fn find_meta(lines: &[(usize, String)]) -> Meta {
    let mut m = Meta::default();
    let texts: Vec<String> = lines
        .iter()
        .map(|(_, l)| l.trim().trim_start_matches('#').trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    for (i, t) in texts.iter().enumerate().take(40) {
        let s = to_simplified(t);
        if m.doc_number.is_none()
            && let Some(p) = s.find("文号")
        {
            let after = same_place(t, &s, p)
                .trim_start_matches(|c: char| !matches!(c, ':' | '：'))
                .trim_start_matches([':', '：']);
            m.doc_number = after.split_whitespace().next().map(str::to_string);
        }
        if m.published.is_none()
            && let Some(p) = s.find("发布日期")
        {
            let digits: Vec<u32> = same_place(t, &s, p)
                .split(|c: char| !c.is_ascii_digit())
                .filter(|d| !d.is_empty())
                .filter_map(|d| d.parse().ok())
                .collect();
            if let [y, mo, d, ..] = digits[..] {
                m.published = Some(format!("{y:04}-{mo:02}-{d:02}"));
            }
        }
        if m.title.is_none() && !s.contains("关于印发") && !is_header(t) {
            let ends = |x: &str| {
                ["方案", "分工表", "分解表", "要点", "任务表"]
                    .iter()
                    .any(|e| x.ends_with(e))
            };
            // A title printed over two lines: the second is a short ending (分工表).
            let joined = texts.get(i + 1).map(|n| to_simplified(n)).filter(|n| {
                ends(n)
                    && (s.contains('年') || s.contains("政务"))
                    && (n.chars().count() <= 8
                        || !ends(&s) && s.chars().count() <= 20 && !s.ends_with('日'))
            });
            if joined.is_some() {
                m.title = Some(format!("{t}{}", texts[i + 1]));
            } else if ends(&s) && s.chars().count() >= 8 {
                m.title = Some(t.clone());
            }
        }
        // An office name on the line before a date line signs the notice.
        if m.issuer.is_none()
            && let Some(next) = texts.get(i + 1)
            && next.ends_with('日')
            && next.contains('年')
            && next.chars().count() <= 12
            && is_unit_cell(t)
        {
            m.issuer = Some(t.clone());
        }
    }
    if let Some(title) = &m.title {
        // `2021年`: four ASCII digits and 年.
        let year_at = title.find("20").filter(|&p| {
            let after = &title.as_bytes()[p..];
            after.len() >= 7
                && after[..4].iter().all(u8::is_ascii_digit)
                && title[p + 4..].starts_with('年')
        });
        if let Some(p) = year_at {
            m.year = title[p..p + 4].parse().ok();
            if m.issuer.is_none() && p > 0 {
                m.issuer = Some(title[..p].to_string());
            } else if m.issuer.is_none() {
                let rest = &title[p + 4 + '年'.len_utf8()..];
                let cut = rest
                    .find("政务")
                    .or_else(|| rest.find("政務"))
                    .unwrap_or(rest.len());
                m.issuer = Some(rest[..cut].to_string()).filter(|s| !s.is_empty());
            }
        } else if m.issuer.is_none() {
            let cut = title
                .find("政务")
                .or_else(|| title.find("政務"))
                .unwrap_or(0);
            m.issuer = Some(title[..cut].to_string()).filter(|s| !s.is_empty());
        }
    }
    m
}

/// Imports a plan document.
pub fn import(text: &str) -> Imported {
    let mut warnings = Vec::new();
    // Every line end is a line end; nothing invisible reaches the plan.
    let normalized = crate::text::normalize_newlines(text);
    let cleaned = crate::text::strip_invisible(&normalized);
    let (cells, lines) = cells(&cleaned, &mut warnings);
    let meta = find_meta(&lines);
    let title_parts: Vec<String> = meta.title.iter().cloned().collect();

    // Header columns: the unit columns and their roles.
    let mut unit_columns: Vec<&'static str> = Vec::new();
    let mut deadline_column = false;
    let mut columns: Vec<String> = Vec::new();
    let mut preamble: Vec<String> = Vec::new();
    let mut sections: Vec<Section> = Vec::new();
    let mut started = false;
    let mut i = 0;
    let mut last_category = String::new();
    while i < cells.len() {
        let cell = &cells[i];
        let t = cell.text();
        let trimmed = t.trim();
        if trimmed.is_empty() {
            i += 1;
            continue;
        }
        if is_header(trimmed) {
            let word = to_simplified(trimmed);
            if !columns.contains(&word) {
                columns.push(word.clone());
                if word == "完成时限" || word == "时限要求" {
                    deadline_column = true;
                }
                if word.contains("单位") || word.contains("部门") || word.contains("科室") {
                    unit_columns.push(match word.as_str() {
                        "牵头单位" => "牵头单位",
                        "配合单位" => "配合单位",
                        _ => "责任单位",
                    });
                }
            }
            started = true;
            i += 1;
            continue;
        }
        if let Some(level) = heading_level(trimmed)
            .filter(|_| trimmed.chars().count() <= 45 && !without_last_char(trimmed).contains('。'))
        {
            started = true;
            if trimmed == last_category && level == 1 {
                // The same category cell again after a page break: it continues.
                i += 1;
                continue;
            }
            last_category = trimmed.to_string();
            sections.push(Section {
                title: trimmed.to_string(),
                level,
                ..Default::default()
            });
            i += 1;
            continue;
        }
        if let Some((number, rest)) = task_number(trimmed) {
            started = true;
            if sections.is_empty() {
                sections.push(Section {
                    title: "工作任务".into(),
                    level: 1,
                    ..Default::default()
                });
                warnings.push(ImportWarning {
                    line: cell.line,
                    message: "tasks before any category: put under 工作任务".into(),
                });
            }
            let mut task = Task {
                line: cell.line,
                number,
                ..Default::default()
            };
            // Prose layout: units in parentheses at the end of the task.
            let (body, trailing_units) = split_trailing_units(&rest);
            task.text = body;
            let mut row: Vec<Cell> = Vec::new();
            let mut j = i + 1;
            while j < cells.len() {
                let n = cells[j].text();
                let n = n.trim();
                if task_number(n).is_some()
                    || is_header(n)
                    || heading_level(n).is_some_and(|_| n.chars().count() <= 45)
                {
                    break;
                }
                // In the one-cell-per-line layouts a row has at most one cell per column.
                if !columns.is_empty()
                    && row.len() + 1 >= columns.len().max(2)
                    && !cells[j].is_blank()
                    && !is_unit_cell(n)
                {
                    break;
                }
                row.push(cells[j].clone());
                j += 1;
                if row.last().is_some_and(|c| is_unit_cell(&c.text()))
                    && unit_columns.len() <= 1
                    && !deadline_column
                {
                    break;
                }
            }
            // Trailing blank cells before a category belong to the next row.
            while row.len() > unit_columns.len().max(1) && row.last().is_some_and(Cell::is_blank) {
                row.pop();
                j -= 1;
            }
            // The deadline column ends the row when the header has one.
            if deadline_column
                && let Some(last) = row.last()
                && (last.is_blank() || looks_like_deadline(last.text().trim()))
            {
                let text = last.text().trim().to_string();
                task.deadline = (!text.is_empty()).then_some(text);
                row.pop();
            }
            let k = unit_columns.len().max(1);
            if let Some(units) = trailing_units {
                task.units = vec![Some(units)];
            }
            let tail_start = row.len().saturating_sub(k);
            for (pos, c) in row.iter().enumerate() {
                let joined = join_unit_lines(&c.lines);
                let unit_slot = pos >= tail_start && (c.is_blank() || is_unit_cell(&joined));
                if unit_slot && task.units.len() < k {
                    if c.is_blank() {
                        task.units.push(None);
                        task.explicit_blank_units = true;
                    } else {
                        task.units.push(Some(joined));
                    }
                } else if !c.is_blank() {
                    task.requirement.push(c.text().trim().to_string());
                }
            }
            if task.units.iter().any(Option::is_some) {
                task.explicit_blank_units = false;
            }
            // A unit cell after several tasks without any unit cell covers them all.
            if task.units.iter().any(Option::is_some) {
                let mut covered = 0;
                for t in sections
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
                    warnings.push(ImportWarning {
                        line: task.line,
                        message: format!("the unit cell of task {} also covers the {covered} task(s) above it (merged cell)", task.number),
                    });
                }
            }
            let section = current(&mut sections);
            section.tasks.push(task);
            i = j;
            continue;
        }
        if is_unit_cell(trimmed) && sections.iter().any(|s| !s.tasks.is_empty()) {
            // A unit cell after the tasks it covers.
            let pending: Vec<&mut Task> = sections
                .iter_mut()
                .flat_map(|s| s.tasks.iter_mut())
                .rev()
                .take_while(|t| t.units.is_empty())
                .collect();
            if pending.is_empty() {
                warnings.push(ImportWarning {
                    line: cell.line,
                    message: format!("a unit cell that follows no task without units: {trimmed}"),
                });
            } else {
                let n = pending.len();
                for t in pending {
                    t.units = vec![Some(trimmed.to_string())];
                }
                if n > 1 {
                    warnings.push(ImportWarning {
                        line: cell.line,
                        message: format!(
                            "one unit cell covers the {n} tasks above it (merged cell)"
                        ),
                    });
                }
            }
            i += 1;
            continue;
        }
        let next = cells.get(i + 1).map(Cell::text).unwrap_or_default();
        let opens_tasks = task_number(&next).is_some() || heading_level(&next).is_some();
        let opens_prose = trimmed.chars().count() <= 12
            && next.chars().count() > 40
            && sections.last().is_some_and(|s| s.tasks.is_empty());
        if started && is_plain_title(trimmed) && (opens_tasks || opens_prose) {
            if trimmed == last_category {
                i += 1;
                continue;
            }
            last_category = trimmed.to_string();
            sections.push(Section {
                title: trimmed.to_string(),
                level: 1,
                ..Default::default()
            });
            i += 1;
            continue;
        }
        if !started {
            if !title_parts.iter().any(|p| p.contains(trimmed)) && !is_metadata_line(trimmed) {
                preamble.push(trimmed.to_string());
            }
        } else if let Some(s) = sections.last_mut() {
            if s.tasks.is_empty() {
                s.prose.push(trimmed.to_string());
            } else if is_plain_title(trimmed) && trimmed.chars().count() <= 20 {
                sections.push(Section {
                    title: trimmed.to_string(),
                    level: 1,
                    ..Default::default()
                });
            } else {
                warnings.push(ImportWarning {
                    line: cell.line,
                    message: format!("a line that belongs to no task was dropped: {trimmed}"),
                });
            }
        }
        i += 1;
    }
    // Prose headings (a short title followed by prose) and the preamble.
    let preamble = split_prose_headings(preamble, &mut sections);
    resolve_merged_units(&mut sections, &mut warnings);
    let mut md = String::new();
    md.push_str(&front_matter(&meta));
    md.push_str("+++\n\n");
    for p in &preamble {
        let _ = writeln!(md, "{}\n", escape_md(p));
    }
    if meta.title.is_none() {
        warnings.push(ImportWarning {
            line: 1,
            message: "no title found: fill in `title`".into(),
        });
    }
    if meta.year.is_none() {
        warnings.push(ImportWarning {
            line: 1,
            message: "no year found: check `year`".into(),
        });
    }
    let mut count = 0;
    let mut previous: Option<u32> = None;
    let mut under_category = false;
    for s in &sections {
        // A sub-category before any category is written as a category.
        under_category |= s.level == 1;
        let _ = writeln!(
            md,
            "{} {}\n",
            if s.level == 1 || !under_category {
                "##"
            } else {
                "###"
            },
            escape_md(&s.title)
        );
        for p in &s.prose {
            let _ = writeln!(md, "{}\n", escape_md(p));
        }
        for t in &s.tasks {
            count += 1;
            let n: u32 = t.number.parse().unwrap_or(0);
            if previous.is_some_and(|p| n != p + 1) {
                warnings.push(ImportWarning {
                    line: t.line,
                    message: format!("task numbers jump from {} to {n}", previous.unwrap_or(0)),
                });
            }
            previous = Some(n);
            let pad = " ".repeat(t.number.len() + 2);
            let _ = writeln!(md, "{}. {}\n", t.number, escape_md(&t.text));
            for r in &t.requirement {
                let _ = writeln!(md, "{pad}{}\n", escape_md(r));
            }
            let keys: Vec<&str> = if unit_columns.is_empty() {
                vec!["责任单位"]
            } else {
                unit_columns.clone()
            };
            let mut any = false;
            for (key, value) in keys.iter().zip(&t.units) {
                if let Some(v) = value {
                    let _ = writeln!(
                        md,
                        "{pad}{key}：{}",
                        v.replace('\n', "、").replace(['<', '>'], "")
                    );
                    any = true;
                }
            }
            if let Some(d) = &t.deadline {
                let _ = writeln!(md, "{pad}完成时限：{}", d.replace(['<', '>'], ""));
                any = true;
            }
            if any {
                md.push('\n');
            }
            if t.units.iter().all(Option::is_none) {
                warnings.push(ImportWarning {
                    line: t.line,
                    message: format!("task {} has no units", t.number),
                });
            }
        }
    }
    Imported {
        markdown: md,
        tasks: count,
        warnings,
    }
}

/// The rest of `original` from the place of byte `at` of `folded`, its
/// character-for-character folding (the two may differ in byte lengths).
fn same_place<'t>(original: &'t str, folded: &str, at: usize) -> &'t str {
    let chars = folded[..at].chars().count();
    original
        .char_indices()
        .nth(chars)
        .map_or("", |(i, _)| &original[i..])
}

/// The text without its last character.
fn without_last_char(s: &str) -> &str {
    s.char_indices().last().map_or("", |(i, _)| &s[..i])
}

/// A deadline cell: a short time expression (2021年底前, 长期坚持, 每季度).
fn looks_like_deadline(text: &str) -> bool {
    let t = to_simplified(text);
    t.chars().count() <= 30
        && !is_unit_cell(&t)
        && ["年", "月", "底", "前", "长期", "持续", "日", "季度", "常态"]
            .iter()
            .any(|w| t.contains(w))
}

/// The lines of a unit cell as one unit string: a line per unit, joined by `、`;
/// a line that begins with a parenthesis annotates the unit above it.
fn join_unit_lines(lines: &[String]) -> String {
    let mut out = String::new();
    for l in lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()) {
        if !out.is_empty() && !l.starts_with(['（', '(']) {
            out.push('、');
        }
        out.push_str(l);
    }
    out
}

/// The front matter (without its closing `+++`), written by the TOML serializer so
/// that any title is valid TOML.
fn front_matter(meta: &Meta) -> String {
    #[derive(serde::Serialize)]
    struct FrontMatter<'m> {
        title: &'m str,
        issuer: &'m str,
        year: i32,
        #[serde(skip_serializing_if = "Option::is_none")]
        doc_number: Option<&'m str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        published: Option<toml::value::Datetime>,
    }
    let fm = FrontMatter {
        title: meta.title.as_deref().unwrap_or("（标题）"),
        issuer: meta.issuer.as_deref().unwrap_or("（发布机关）"),
        year: meta.year.unwrap_or(2021),
        doc_number: meta.doc_number.as_deref(),
        published: meta
            .published
            .as_deref()
            .and_then(|p| p.parse::<toml::value::Datetime>().ok())
            .filter(|d| d.date.is_some() && d.time.is_none()),
    };
    format!(
        "+++\n{}",
        toml::to_string(&fm).expect("plain strings and numbers serialize")
    )
}

/// Lines of the notice that are metadata, not text (文号, 发布日期, navigation).
fn is_metadata_line(t: &str) -> bool {
    let s = to_simplified(t);
    s.contains("文号") || s.contains("发布日期") || s.contains("信息来源")
}

/// Markdown would read a leading `1.` or `#` as structure; escape it.
fn escape_md(text: &str) -> String {
    // Markup characters inside the text stay text.
    let mut escaped = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if matches!(c, '\\' | '<' | '>' | '*' | '_' | '`' | '[' | ']') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    // Text that begins like an attribute line (`责任单位：…`) keeps its colon as
    // an entity or an escape, so that it is read as text.
    if crate::parse::is_attribute_line(&escaped)
        && let Some(colon) = escaped.find(['：', ':'])
    {
        let entity = if escaped[colon..].starts_with(':') {
            "\\:"
        } else {
            "&#xFF1A;"
        };
        let width = escaped[colon..].chars().next().map_or(1, char::len_utf8);
        escaped.replace_range(colon..colon + width, entity);
    }
    let t = escaped.as_str();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && t[digits..].starts_with(['.', ')']) {
        // `1.` starts a list; `1\.` does not (a digit cannot be escaped).
        format!("{}\\{}", &t[..digits], &t[digits..])
    } else if t.starts_with(['#', '-', '+', '=', '|', '~']) {
        format!("\\{t}")
    } else {
        t.to_string()
    }
}

/// `…。（管委会办公室牵头落实）` → (text, units).
fn split_trailing_units(text: &str) -> (String, Option<String>) {
    let t = text.trim();
    if let Some(inner) = t
        .strip_suffix('）')
        .and_then(|r| r.rfind('（').map(|p| (p, r)))
        && is_unit_cell(&inner.1[inner.0 + '（'.len_utf8()..])
    {
        let (p, r) = inner;
        return (
            r[..p].trim().to_string(),
            Some(r[p + '（'.len_utf8()..].to_string()),
        );
    }
    (t.to_string(), None)
}

fn current(sections: &mut [Section]) -> &mut Section {
    sections.last_mut().expect("a section exists")
}

/// Splits leading prose into the preamble and prose sections: a short line without
/// sentence punctuation that is followed by text is a heading.
fn split_prose_headings(preamble: Vec<String>, sections: &mut Vec<Section>) -> Vec<String> {
    let mut kept = Vec::new();
    let mut prose_sections: Vec<Section> = Vec::new();
    for (i, p) in preamble.iter().enumerate() {
        let followed_by_text = preamble.get(i + 1).is_some_and(|n| n.chars().count() > 40);
        let ordinal = heading_level(p).is_some() && p.chars().count() <= 30;
        let plain =
            is_plain_title(p) && p.chars().count() <= 12 && !p.ends_with('日') && !is_unit_cell(p);
        let heading = (ordinal || plain) && followed_by_text;
        if heading && !kept.is_empty() {
            prose_sections.push(Section {
                title: p.clone(),
                level: 1,
                ..Default::default()
            });
        } else if let Some(s) = prose_sections.last_mut() {
            s.prose.push(p.clone());
        } else {
            kept.push(p.clone());
        }
    }
    if !prose_sections.is_empty() {
        prose_sections.append(sections);
        *sections = prose_sections;
    }
    // A heading (level 1) directly followed by a level-1 section that holds tasks and
    // a level-2 child is fine; prose-only sections with prose under tasks stay prose.
    kept
}

/// Blank unit cells (and tasks left without any unit cell) share the units of the
/// task above in the same section.
fn resolve_merged_units(sections: &mut [Section], warnings: &mut Vec<ImportWarning>) {
    for s in sections.iter_mut() {
        let mut above: Option<Vec<Option<String>>> = None;
        for t in s.tasks.iter_mut() {
            // A blank unit cell, or none at all with no unit cell after it.
            if (t.explicit_blank_units || t.units.is_empty()) && t.units.iter().all(Option::is_none)
            {
                if let Some(units) = &above {
                    t.units = units.clone();
                    warnings.push(ImportWarning {
                        line: t.line,
                        message: format!(
                            "task {}: blank unit cell read as merged with the task above",
                            t.number
                        ),
                    });
                }
            } else if t.units.iter().any(Option::is_some) {
                above = Some(t.units.clone());
            }
        }
    }
}
