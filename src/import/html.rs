//! HTML pages, parsed as HTML (html5ever, through `scraper`): the page's text
//! in reading order, block elements and `<br>` ending lines; tables as one line
//! per row with tab-separated cells, where a cell continued by `rowspan` is blank
//! in the rows below and one spanning `colspan` columns is followed by blank
//! cells (the tab layout the importer reads); the site's chrome (scripts, styles,
//! navigation, headers, footers, forms) left out. The page's own title and date
//! (`<meta name="ArticleTitle">`, `PubDate`, `<title>`) come first, as lines the
//! metadata rules read.

use ego_tree::NodeRef;
use scraper::{ElementRef, Html, Node};

/// Most columns a table may have; wider ones are cut.
const MAX_COLUMNS: usize = 64;

/// Elements whose content is never the plan.
const CHROME: &[&str] = &[
    "script", "style", "noscript", "template", "iframe", "select", "button", "nav", "header",
    "footer", "aside", "form", "head", "svg", "object",
];

/// Elements that end a line of text.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "dl",
    "center",
    "hr",
    "main",
    "body",
];

/// True for an HTML page (rather than text with a few stray tags).
pub fn looks_like_html(text: &str) -> bool {
    let lower = text
        .get(..text.len().min(200_000))
        .unwrap_or(text)
        .to_ascii_lowercase();
    lower.contains("<html")
        || lower.contains("<body")
        || lower.contains("<table")
        || lower.matches("<p").count() >= 3
}

/// Deepest nesting of elements read: real pages nest a few dozen deep; the walk
/// below recurses once per level, so a page nested deeper is refused.
pub const MAX_DEPTH: usize = 256;

/// The page's text, as lines; `Err(depth)` when its elements nest deeper than
/// [`MAX_DEPTH`].
pub fn read(source: &str) -> Result<String, usize> {
    let page = Html::parse_document(source);
    let depth = nesting_depth(&page);
    if depth > MAX_DEPTH {
        return Err(depth);
    }
    let mut out = Lines::default();
    for line in head_lines(&page) {
        out.text(&line);
        out.end_line();
    }
    if let Some(body) = page
        .root_element()
        .children()
        .filter_map(ElementRef::wrap)
        .find(|e| e.value().name() == "body")
    {
        out.walk(*body);
    } else {
        out.walk(*page.root_element());
    }
    out.end_line();
    Ok(out.lines.join("\n"))
}

/// How deep the page's nodes nest, found without recursion.
fn nesting_depth(page: &Html) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    for edge in page.tree.root().traverse() {
        match edge {
            ego_tree::iter::Edge::Open(_) => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            ego_tree::iter::Edge::Close(_) => depth -= 1,
        }
    }
    deepest
}

/// The title and date the page declares about itself.
fn head_lines(page: &Html) -> Vec<String> {
    let meta = |name: &str| {
        page.root_element()
            .descendants()
            .filter_map(ElementRef::wrap)
            .find(|e| {
                e.value().name() == "meta"
                    && e.value()
                        .attr("name")
                        .is_some_and(|n| n.eq_ignore_ascii_case(name))
            })
            .and_then(|e| e.value().attr("content"))
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty())
    };
    let mut lines = Vec::new();
    let title = meta("ArticleTitle").or_else(|| {
        let title: String = page
            .root_element()
            .descendants()
            .filter_map(ElementRef::wrap)
            .find(|e| e.value().name() == "title")?
            .text()
            .collect();
        // Site names are appended after `_`, `-` or `|`: keep the part that names the plan.
        title
            .split(['_', '|', '-', '—'])
            .map(str::trim)
            .filter(|p| {
                ["方案", "要点", "分工", "任务", "清单"]
                    .iter()
                    .any(|w| p.contains(w))
            })
            .max_by_key(|p| p.chars().count())
            .map(str::to_string)
    });
    lines.extend(title);
    if let Some(date) = meta("PubDate").or_else(|| meta("publishdate")) {
        lines.push(format!("发布日期：{date}"));
    }
    lines
}

/// The lines being written.
#[derive(Default)]
struct Lines {
    lines: Vec<String>,
    current: String,
}

impl Lines {
    fn text(&mut self, text: &str) {
        // The source's own line breaks are line breaks (pages pasted from Word).
        let mut parts = text.split('\n');
        if let Some(first) = parts.next() {
            self.current.push_str(first);
        }
        for part in parts {
            self.end_line();
            self.current.push_str(part);
        }
    }

    fn end_line(&mut self) {
        let line = self.current.replace('\u{a0}', " ");
        let line = line.trim();
        if !line.is_empty() {
            self.lines.push(line.to_string());
        }
        self.current.clear();
    }

    fn walk(&mut self, node: NodeRef<Node>) {
        for child in node.children() {
            match child.value() {
                Node::Text(t) => self.text(t),
                Node::Element(e) => {
                    let name = e.name();
                    if CHROME.contains(&name) {
                        continue;
                    }
                    if name == "table" {
                        self.end_line();
                        self.table(child);
                        continue;
                    }
                    if name == "ol" {
                        self.end_line();
                        self.ordered_list(child, e.attr("start"));
                        continue;
                    }
                    let block = BLOCKS.contains(&name);
                    if block {
                        self.end_line();
                    }
                    self.walk(child);
                    if block {
                        self.end_line();
                    }
                }
                _ => {}
            }
        }
    }

    /// An ordered list: each item begins with its number, as a browser shows it.
    fn ordered_list(&mut self, list: NodeRef<Node>, start: Option<&str>) {
        let mut number: u64 = start.and_then(|s| s.trim().parse().ok()).unwrap_or(1);
        for item in list.children() {
            match item.value() {
                Node::Element(e) if e.name() == "li" => {
                    let mut inner = Lines::default();
                    inner.walk(item);
                    inner.end_line();
                    if let Some(first) = inner.lines.first_mut() {
                        *first = format!("{number}.{first}");
                    }
                    self.lines.extend(inner.lines);
                    number += 1;
                }
                Node::Element(_) => self.walk(item),
                _ => {}
            }
        }
    }

    /// A table as tab-separated rows (see the module documentation).
    fn table(&mut self, table: NodeRef<Node>) {
        let rows: Vec<NodeRef<Node>> = table
            .descendants()
            .filter(|n| matches!(n.value(), Node::Element(e) if e.name() == "tr"))
            // Rows of this table, not of tables inside its cells.
            .filter(|tr| {
                tr.ancestors()
                    .find(|a| matches!(a.value(), Node::Element(e) if e.name() == "table"))
                    .is_some_and(|t| t.id() == table.id())
            })
            .collect();
        // Column → rows still covered by a cell above.
        let mut pending: Vec<usize> = Vec::new();
        for tr in rows {
            let mut fields: Vec<String> = Vec::new();
            let mut column = 0;
            let cells = tr.children().filter(
                |c| matches!(c.value(), Node::Element(e) if e.name() == "td" || e.name() == "th"),
            );
            let covered =
                |column: usize, pending: &[usize]| pending.get(column).is_some_and(|&n| n > 0);
            for cell in cells {
                while covered(column, &pending) && column < MAX_COLUMNS {
                    fields.push(String::new());
                    column += 1;
                }
                let Node::Element(e) = cell.value() else {
                    continue;
                };
                let span = |name: &str| {
                    e.attr(name)
                        .and_then(|v| v.trim().parse::<usize>().ok())
                        .unwrap_or(1)
                        .clamp(1, MAX_COLUMNS)
                };
                let (rowspan, colspan) = (span("rowspan"), span("colspan"));
                let mut inner = Lines::default();
                inner.walk(cell);
                inner.end_line();
                fields.push(cell_text(&inner.lines));
                for k in 0..colspan {
                    if pending.len() <= column + k {
                        pending.resize(column + k + 1, 0);
                    }
                    pending[column + k] = rowspan - 1;
                    if k > 0 {
                        fields.push(String::new());
                    }
                }
                column += colspan;
                if column >= MAX_COLUMNS {
                    break;
                }
            }
            while column < pending.len() {
                if covered(column, &pending) {
                    fields.push(String::new());
                }
                column += 1;
            }
            // This row is done: the cells above cover one row less.
            for (c, n) in pending.iter_mut().enumerate() {
                if *n > 0 && c < fields.len() && fields[c].is_empty() {
                    *n -= 1;
                }
            }
            let filled: Vec<&String> = fields.iter().filter(|f| !f.is_empty()).collect();
            match filled.len() {
                0 => {}
                1 if !fields[0].is_empty() && fields[1..].iter().all(String::is_empty) => {
                    self.lines.push(fields[0].clone())
                }
                _ => self.lines.push(fields.join("\t")),
            }
        }
    }
}

/// A cell's lines as one field: names of offices on separate lines are listed as
/// one unit string ([`super::classify::join_unit_lines`]); other lines run on.
fn cell_text(lines: &[String]) -> String {
    let lines: Vec<String> = lines.iter().map(|l| l.replace('\t', " ")).collect();
    if lines.len() > 1 && lines.iter().all(|p| super::classify::is_unit_cell(p)) {
        super::classify::join_unit_lines(lines.iter().map(String::as_str))
    } else {
        // Paragraphs kept apart for the table reading (see `PARAGRAPH`).
        lines.join(&super::PARAGRAPH.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rowspan_and_colspan_leave_blank_cells() {
        let page = "<html><body><table>\
            <tr><th>工作任务</th><th>具体要求</th><th>责任单位</th></tr>\
            <tr><td rowspan=2>一、财政</td><td>1.公开预算。</td><td rowspan=2>财政局</td></tr>\
            <tr><td>2.公开决算。</td></tr>\
            <tr><td colspan=3>二、其他</td></tr>\
            <tr><td>三、类</td><td>3.其他<br>工作。</td><td>办公室<br>财政局</td></tr>\
            </table><script>var x='1.不是任务';</script></body></html>";
        assert_eq!(
            read(page).unwrap(),
            "工作任务\t具体要求\t责任单位\n一、财政\t1.公开预算。\t财政局\n\t2.公开决算。\t\n二、其他\n三、类\t3.其他\u{e000}工作。\t办公室、财政局"
        );
    }
}
