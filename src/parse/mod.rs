//! Plan files → [`Plan`]: front matter, preamble, sections, tasks and their units.
//!
//! The Markdown is read with pulldown-cmark. `##` / `###` headings open sections;
//! each item of an ordered list is a task; attribute lines (`牵头单位：…`) at the
//! end of an item give its units and deadline. See `docs/plan-format.md`.

pub mod frontmatter;
pub mod units;

use crate::diagnostics::{Diagnostic, LineIndex};
use crate::model::{Block, Plan, Section, Task};
use crate::model::{Role, Units};
use crate::text::{is_traditional, to_simplified};
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::ops::Range;
use std::path::Path;
use units::parse_unit_string;

/// What an attribute line sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AttrKind {
    /// A unit string; the role is the one for units without a role word.
    Units(Role),
    /// 完成时限.
    Deadline,
}

/// An attribute line: what it sets, its value, and its span in the body.
type Attribute = (AttrKind, String, Range<usize>);

/// Attribute keys (simplified; traditional keys fold to these).
const ATTRIBUTE_KEYS: &[(&str, AttrKind)] = &[
    ("牵头单位", AttrKind::Units(Role::Lead)),
    ("牵头部门", AttrKind::Units(Role::Lead)),
    ("责任单位", AttrKind::Units(Role::Responsible)),
    ("责任部门", AttrKind::Units(Role::Responsible)),
    ("落实单位", AttrKind::Units(Role::Responsible)),
    ("责任科室", AttrKind::Units(Role::Responsible)),
    ("责任处室", AttrKind::Units(Role::Responsible)),
    ("牵头科室", AttrKind::Units(Role::Lead)),
    ("牵头处室", AttrKind::Units(Role::Lead)),
    ("配合单位", AttrKind::Units(Role::Cooperating)),
    ("配合部门", AttrKind::Units(Role::Cooperating)),
    ("配合科室", AttrKind::Units(Role::Cooperating)),
    ("配合处室", AttrKind::Units(Role::Cooperating)),
    ("完成时限", AttrKind::Deadline),
    ("时限要求", AttrKind::Deadline),
];

/// Everything learned from one file: the plan (if it could be read) and its problems.
pub struct ParsedPlan {
    /// The plan, unless an error prevented reading it.
    pub plan: Option<Plan>,
    /// Errors and warnings, in file order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses one plan file. `path` is the file as shown in messages; `slug` its URL slug.
pub fn parse_plan(path: &Path, slug: &str, text: &str) -> ParsedPlan {
    let (meta, body_start) = match frontmatter::split(path, text) {
        Ok(v) => v,
        Err(diagnostics) => {
            return ParsedPlan {
                plan: None,
                diagnostics,
            };
        }
    };
    let lines = LineIndex::new(text);
    let mut p = BodyParser {
        path,
        text,
        body_start,
        year: meta.year,
        lines: &lines,
        diagnostics: Vec::new(),
        under_indented: None,
        titleless: None,
    };
    let (preamble_html, sections, tasks) = p.parse_body();
    let mut diagnostics = p.diagnostics;
    let mut plan = Plan {
        slug: slug.to_string(),
        path: path.to_path_buf(),
        lang: if is_traditional(&format!("{}{}", meta.title, &text[body_start..])) {
            "zh-Hant"
        } else {
            "zh-CN"
        },
        meta,
        preamble_html,
        sections,
        tasks,
    };
    check_numbering(&mut plan, path, text, &lines, &mut diagnostics);
    let failed = diagnostics.iter().any(Diagnostic::is_error);
    diagnostics.sort_by_key(|d| (d.span.start, d.severity));
    ParsedPlan {
        plan: (!failed).then_some(plan),
        diagnostics,
    }
}

/// Gives duplicate task numbers distinct anchors and warns about gaps and duplicates.
fn check_numbering(
    plan: &mut Plan,
    path: &Path,
    text: &str,
    lines: &LineIndex,
    diags: &mut Vec<Diagnostic>,
) {
    let mut seen = std::collections::HashMap::<String, usize>::new();
    let mut previous: Option<u64> = None;
    for t in &mut plan.tasks {
        let at = lines.start(t.line).unwrap_or(text.len());
        let span = at..at + text[at..].find('\n').unwrap_or(text.len() - at);
        let n: u64 = t.number.parse().unwrap_or(0);
        let count = seen.entry(t.number.clone()).or_insert(0);
        *count += 1;
        if *count > 1 {
            t.anchor = format!("task-{}-{}", t.number, count);
            diags.push(
                Diagnostic::warning(
                    path,
                    span.clone(),
                    crate::t!("parse-dup", number = t.number.clone()),
                )
                .with_hint(crate::t!("parse-dup-hint")),
            );
        } else if let Some(prev) = previous {
            if n != prev + 1 {
                diags.push(
                    Diagnostic::warning(
                        path,
                        span.clone(),
                        crate::t!("parse-jump", from = prev, to = n),
                    )
                    .with_hint(crate::t!("parse-jump-hint")),
                );
            }
        } else if n != 1 {
            diags.push(Diagnostic::warning(
                path,
                span.clone(),
                crate::t!("parse-first", number = n),
            ));
        }
        previous = Some(n);
        if t.units.is_empty() {
            diags.push(
                Diagnostic::warning(
                    path,
                    span,
                    crate::t!("parse-no-units", number = t.number.clone()),
                )
                .with_hint(crate::t!(
                    "parse-no-units-hint",
                    keys = crate::t!("parse-keys")
                )),
            );
        }
    }
}

/// One child block of a list item.
struct ItemChild {
    /// Byte range in the body.
    range: Range<usize>,
    /// True for a paragraph (explicit, or the loose text of a tight list item).
    paragraph: bool,
    /// Its events (a paragraph's without the `Paragraph` tags).
    events: Vec<Event<'static>>,
}

struct BodyParser<'a> {
    path: &'a Path,
    text: &'a str,
    body_start: usize,
    /// The plan's year (a deadline without a year is in it).
    year: i32,
    lines: &'a LineIndex,
    diagnostics: Vec<Diagnostic>,
    /// The last task an under-indented paragraph was attached to (warned once).
    under_indented: Option<usize>,
    /// The heading of the last section opened when its title has no words (only
    /// an ordinal or symbols): warned about once tasks are put under it.
    titleless: Option<Range<usize>>,
}

impl<'a> BodyParser<'a> {
    /// Reports an error; a span over several lines is shortened to its first line.
    fn error(&mut self, range: Range<usize>, message: impl Into<String>, hint: &str) {
        let span = self.first_line(range);
        self.diagnostics
            .push(Diagnostic::error(self.path, span, message).with_hint(hint));
    }

    /// Reports a warning, on the first line of the range.
    fn warning(&mut self, range: Range<usize>, message: impl Into<String>, hint: &str) {
        let span = self.first_line(range);
        self.diagnostics
            .push(Diagnostic::warning(self.path, span, message).with_hint(hint));
    }

    /// The file span of a body range's first line.
    fn first_line(&self, range: Range<usize>) -> Range<usize> {
        let first_line = self.body()[range.clone()]
            .lines()
            .next()
            .unwrap_or("")
            .trim_end();
        self.body_start + range.start..self.body_start + range.start + first_line.len()
    }

    fn body(&self) -> &'a str {
        &self.text[self.body_start..]
    }

    fn parse_body(&mut self) -> (String, Vec<Section>, Vec<Task>) {
        let body = self.body().to_string();
        let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
        let mut events: Vec<(Event<'static>, Range<usize>)> = Parser::new_ext(&body, options)
            .into_offset_iter()
            .map(|(e, r)| (e.into_static(), r))
            .collect();
        join_soft_breaks(&mut events);
        if let Some(at) = too_deep(&events) {
            self.error(
                at,
                crate::t!("parse-deep", blocks = MAX_NESTING, html = MAX_HTML_NESTING),
                &crate::t!("parse-deep-hint"),
            );
            return (String::new(), Vec::new(), Vec::new());
        }

        let mut preamble = String::new();
        let mut sections: Vec<Section> = Vec::new();
        let mut tasks: Vec<Task> = Vec::new();
        let mut i = 0;
        while i < events.len() {
            let end = matching_end(&events, i);
            let range = events[i].1.clone();
            match &events[i].0 {
                Event::Start(Tag::Heading { level, .. }) => {
                    let title = crate::text::strip_invisible(&plain_text(
                        events[i + 1..end].iter().map(|(e, _)| e),
                    ))
                    .trim()
                    .to_string();
                    self.open_section(&mut sections, *level, title, range);
                }
                Event::Start(Tag::List(Some(_))) if !sections.is_empty() => {
                    let parsed = self.parse_task_list(&events[i..=end], &sections);
                    if !parsed.is_empty()
                        && let Some(heading) = self.titleless.take()
                    {
                        self.warning(
                            heading,
                            crate::t!("parse-titleless-category"),
                            &crate::t!("parse-titleless-category-hint"),
                        );
                    }
                    let target = current_section(&mut sections);
                    for task in parsed {
                        target.blocks.push(Block::Task(tasks.len()));
                        tasks.push(task);
                    }
                }
                Event::Start(Tag::List(Some(_))) => {
                    self.error(
                        range,
                        crate::t!("parse-list-first"),
                        &crate::t!("parse-list-first-hint"),
                    );
                }
                Event::Start(Tag::Paragraph)
                    if !sections.is_empty()
                        && self.attach_under_indented(
                            range.clone(),
                            current_section(&mut sections),
                            &mut tasks,
                        ) => {}
                _ => {
                    let html = sanitized_html(events[i..=end].iter().map(|(e, _)| e.clone()));
                    match sections.is_empty() {
                        true => preamble.push_str(&html),
                        false => push_prose(&mut current_section(&mut sections).blocks, html),
                    }
                }
            }
            i = end + 1;
        }
        // Kept for the whole build: without the slack the pushes left (a quarter of
        // the list on average, ~8 MB of tasks at 50,000).
        tasks.shrink_to_fit();
        (preamble, sections, tasks)
    }

    fn open_section(
        &mut self,
        sections: &mut Vec<Section>,
        level: HeadingLevel,
        title: String,
        range: Range<usize>,
    ) {
        let level = match level {
            HeadingLevel::H2 => 2,
            HeadingLevel::H3 => 3,
            HeadingLevel::H1 => {
                return self.error(range, crate::t!("parse-h1"), &crate::t!("parse-h1-hint"));
            }
            _ => {
                return self.error(
                    range,
                    crate::t!("parse-deep-heading"),
                    &crate::t!("parse-deep-heading-hint"),
                );
            }
        };
        if title.is_empty() {
            return self.error(
                range,
                crate::t!("parse-empty-heading"),
                &crate::t!("parse-empty-heading-hint"),
            );
        }
        self.titleless = crate::text::category_key(&title)
            .is_empty()
            .then(|| range.clone());
        let mut section = Section {
            title,
            level,
            anchor: String::new(),
            category: None,
            blocks: Vec::new(),
            children: Vec::new(),
        };
        if level == 2 {
            section.anchor = format!("s{}", sections.len() + 1);
            sections.push(section);
        } else if let Some(parent) = sections.last_mut() {
            section.anchor = format!("{}-{}", parent.anchor, parent.children.len() + 1);
            parent.children.push(section);
        } else {
            self.error(
                range,
                crate::t!("parse-orphan"),
                &crate::t!("parse-orphan-hint"),
            );
        }
    }

    /// Parses the items of an ordered list (events from its `Start` to its `End`).
    fn parse_task_list(
        &mut self,
        events: &[(Event<'static>, Range<usize>)],
        sections: &[Section],
    ) -> Vec<Task> {
        let mut category: Vec<String> = sections
            .last()
            .map(|s| vec![s.title.clone()])
            .unwrap_or_default();
        if let Some(child) = sections.last().and_then(|s| s.children.last()) {
            category.push(child.title.clone());
        }
        let mut tasks = Vec::new();
        let mut i = 1;
        while i + 1 < events.len() {
            let end = matching_end(events, i);
            if matches!(events[i].0, Event::Start(Tag::Item))
                && let Some(task) = self.parse_task(&events[i..=end], &category)
            {
                tasks.push(task);
            }
            i = end + 1;
        }
        tasks
    }

    fn parse_task(
        &mut self,
        events: &[(Event<'static>, Range<usize>)],
        category: &[String],
    ) -> Option<Task> {
        let item_range = events[0].1.clone();
        let number: String = self.body()[item_range.start..]
            .trim_start()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let children = item_children(&events[1..events.len() - 1]);
        let mut text: Option<(String, String)> = None;
        let mut requirement_plain: Vec<String> = Vec::new();
        let mut requirement_html = String::new();
        let mut units = Units::default();
        let mut deadline: Vec<String> = Vec::new();
        for (index, child) in children.iter().enumerate() {
            if !child.paragraph {
                let html = sanitized_html(child.events.iter().cloned());
                requirement_plain.push(plain_text(child.events.iter()).trim().to_string());
                requirement_html.push_str(&html);
                continue;
            }
            let (lines_text, attributes) = self.split_attributes(child.range.clone());
            self.apply_attributes(attributes, &mut units, &mut deadline);
            let (plain, html) = match lines_text {
                None => (
                    plain_text(child.events.iter()),
                    inline_html(child.events.iter().cloned()),
                ),
                Some(t) if t.trim().is_empty() => continue,
                Some(t) => render_inline_markdown(&t),
            };
            let plain = crate::text::strip_invisible(&plain).into_owned();
            if index == 0 {
                text = Some((plain.trim().to_string(), html));
            } else {
                requirement_plain.push(plain.trim().to_string());
                requirement_html.push_str(&format!("<p>{html}</p>"));
            }
        }
        let Some((text, html)) = text.filter(|(t, _)| !t.is_empty()) else {
            self.error(
                item_range,
                crate::t!("parse-no-text", number = number.clone()),
                &crate::t!("parse-no-text-hint"),
            );
            return None;
        };
        let requirement_plain: Vec<String> = requirement_plain
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
        let line = self.lines.line(self.body_start + item_range.start);
        // Without a 完成时限 line, a deadline phrase in the text is the deadline.
        let deadline = if deadline.is_empty() {
            crate::deadline::phrase_in(&text)
                .or_else(|| {
                    requirement_plain
                        .iter()
                        .find_map(|r| crate::deadline::phrase_in(r))
                })
                .into_iter()
                .collect()
        } else {
            deadline
        };
        let due = deadline
            .iter()
            .find_map(|d| crate::deadline::due_date(d, self.year));
        if due.is_none()
            && let Some(bad) = deadline
                .iter()
                .find(|d| crate::deadline::impossible_date(d))
        {
            self.warning(
                item_range.clone(),
                crate::t!("parse-impossible-date", deadline = bad.as_str()),
                &crate::t!("parse-impossible-date-hint"),
            );
        }
        Some(Task {
            anchor: format!("task-{number}"),
            number,
            text_markup: (html != crate::text::escape_html(&text)).then_some(html),
            text,
            requirement: (!requirement_plain.is_empty()).then(|| requirement_plain.join("\n")),
            requirement_html: (!requirement_html.is_empty()).then_some(requirement_html),
            units,
            deadline: (!deadline.is_empty()).then(|| deadline.join("；")),
            due,
            category: category.to_vec(),
            line,
        })
    }

    /// Reads attribute lines into a task's units and deadlines.
    fn apply_attributes(
        &mut self,
        attributes: Vec<Attribute>,
        units: &mut Units,
        deadline: &mut Vec<String>,
    ) {
        for (kind, value, range) in attributes {
            match kind {
                AttrKind::Units(role) => {
                    let parsed = parse_unit_string(&value, role);
                    if parsed.is_empty() {
                        self.error(
                            range,
                            crate::t!("parse-no-unit-names"),
                            &crate::t!("parse-no-unit-names-hint"),
                        );
                    }
                    units.extend(parsed);
                }
                AttrKind::Deadline => {
                    deadline.push(crate::text::strip_invisible(&value).into_owned())
                }
            }
        }
    }

    /// An indented paragraph right after a task list, indented less than the last
    /// item's text (`10.` needs four spaces; editors type three, as for `1.`–`9.`):
    /// Markdown ends the list there, but the paragraph — requirement text or
    /// attribute lines — belongs to the last task, and is read so, with a warning
    /// saying how to indent it. Returns false (and changes nothing) for any other
    /// paragraph.
    fn attach_under_indented(
        &mut self,
        range: Range<usize>,
        section: &Section,
        tasks: &mut [Task],
    ) -> bool {
        let Some(&Block::Task(last)) = section.blocks.last() else {
            return false;
        };
        let task = &mut tasks[last];
        let source = &self.body()[range.clone()];
        let indented =
            source.starts_with([' ', '\t']) || self.body()[..range.start].ends_with([' ', '\t']);
        if !indented {
            return false;
        }
        let (number, spaces) = (task.number.clone(), task.number.chars().count() + 2);
        if self.under_indented.replace(last) != Some(last) {
            self.warning(
                range.clone(),
                crate::t!("parse-under-indented", number = number.as_str()),
                &crate::t!(
                    "parse-under-indented-hint",
                    number = number.as_str(),
                    spaces = spaces
                ),
            );
        }
        let (text, attributes) = self.split_attributes(range.clone());
        let text = match text {
            None => Some(self.body()[range].to_string()),
            Some(t) if t.trim().is_empty() => None,
            Some(t) => Some(t),
        };
        if let Some(text) = text {
            let (plain, html) = render_inline_markdown(&text);
            let plain = crate::text::strip_invisible(plain.trim()).into_owned();
            if !plain.is_empty() {
                task.requirement = Some(match task.requirement.take() {
                    Some(before) => format!("{before}\n{plain}"),
                    None => plain,
                });
                let html = format!(
                    "{}<p>{html}</p>",
                    task.requirement_html.take().unwrap_or_default()
                );
                task.requirement_html = Some(html);
            }
        }
        let mut deadline: Vec<String> = task.deadline.take().into_iter().collect();
        self.apply_attributes(attributes, &mut task.units, &mut deadline);
        task.due = deadline
            .iter()
            .find_map(|d| crate::deadline::due_date(d, self.year));
        task.deadline = (!deadline.is_empty()).then(|| deadline.join("；"));
        true
    }

    /// Splits a paragraph's source into its text lines and its trailing attribute
    /// lines. Returns `None` for the text when the paragraph has no attribute line.
    #[allow(clippy::type_complexity)]
    fn split_attributes(
        &mut self,
        range: Range<usize>,
    ) -> (Option<String>, Vec<(AttrKind, String, Range<usize>)>) {
        let source = &self.body()[range.clone()];
        let mut lines: Vec<(usize, &str)> = Vec::new();
        let mut offset = range.start;
        for line in source.split_inclusive('\n') {
            lines.push((offset, line.trim_end_matches(['\n', '\r'])));
            offset += line.len();
        }
        let first_attr = lines
            .iter()
            .position(|(_, l)| attribute_key(l.trim()).is_some());
        let Some(first_attr) = first_attr else {
            for (at, line) in &lines {
                self.warn_unknown_key(*at, line);
            }
            return (None, Vec::new());
        };
        let text = lines[..first_attr]
            .iter()
            .map(|(_, l)| l.trim())
            .collect::<Vec<_>>()
            .join("\n");
        let mut attributes: Vec<Attribute> = Vec::new();
        for (at, raw) in &lines[first_attr..] {
            let line = raw.trim();
            let start = at + (raw.len() - raw.trim_start().len());
            match attribute_key(line) {
                Some((kind, value_start)) => {
                    attributes.push((
                        kind,
                        line[value_start..].trim().to_string(),
                        start..start + line.len(),
                    ));
                }
                // A wrapped attribute value continues on the next line.
                None => {
                    let last = attributes.last_mut().expect("first line is an attribute");
                    last.1.push('\n');
                    last.1.push_str(line);
                    last.2.end = start + line.len();
                }
            }
        }
        (Some(text), attributes)
    }

    fn warn_unknown_key(&mut self, at: usize, line: &str) {
        let trimmed = line.trim();
        let Some(colon) = trimmed.find(['：', ':']) else {
            // `牵头单位县财政局`: a key without its colon is text; say so.
            let folded = to_simplified(trimmed);
            if let Some((key, _)) = ATTRIBUTE_KEYS
                .iter()
                .find(|(k, _)| folded.starts_with(k) && folded.len() > k.len())
            {
                let start = self.body_start + at + (line.len() - line.trim_start().len());
                self.diagnostics.push(
                    Diagnostic::warning(
                        self.path,
                        start..start + trimmed.len(),
                        crate::t!("parse-key-without-colon", key = *key),
                    )
                    .with_hint(crate::t!("parse-key-without-colon-hint", key = *key)),
                );
            }
            return;
        };
        let key = to_simplified(&trimmed[..colon]);
        let looks_like_key = key.chars().count() <= 6
            && ["单位", "部门", "科室", "时限"]
                .iter()
                .any(|suffix| key.ends_with(suffix));
        if looks_like_key {
            let start = self.body_start + at + (line.len() - line.trim_start().len());
            self.diagnostics.push(
                Diagnostic::warning(
                    self.path,
                    start..start + trimmed.len(),
                    crate::t!("parse-unknown-key", key = trimmed[..colon].to_string()),
                )
                .with_hint(crate::t!(
                    "parse-known-keys",
                    keys = crate::t!("parse-keys")
                )),
            );
        }
    }
}

/// True when a line would be read as an attribute line (`责任单位：…`).
pub fn is_attribute_line(line: &str) -> bool {
    attribute_key(line.trim()).is_some()
}

/// The role a unit attribute key gives its units (`配合部门` → cooperating), for a
/// key written without its colon (simplified).
fn unit_key_role(key: &str) -> Option<Role> {
    ATTRIBUTE_KEYS.iter().find_map(|(k, kind)| match kind {
        AttrKind::Units(role) if *k == key => Some(*role),
        _ => None,
    })
}

/// Recognizes `牵头单位：…` (full-width or ASCII colon, simplified or traditional).
/// Returns the attribute kind and the byte offset where the value begins.
fn attribute_key(line: &str) -> Option<(AttrKind, usize)> {
    let colon = line.find(['：', ':'])?;
    let key = to_simplified(line[..colon].trim());
    let kind = ATTRIBUTE_KEYS.iter().find(|(k, _)| *k == key)?.1;
    let colon_len = line[colon..].chars().next()?.len_utf8();
    Some((kind, colon + colon_len))
}

/// Deepest nesting of Markdown blocks and inline markup accepted: far beyond any
/// real plan, and shallow enough that no later step (the HTML sanitizer) slows down.
const MAX_NESTING: usize = 32;

/// Deepest nesting of raw HTML elements accepted.
const MAX_HTML_NESTING: usize = 256;

/// HTML elements that have no end tag.
const VOID_TAGS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// Where the events first nest deeper than [`MAX_NESTING`] (start tags inside
/// start tags, and raw HTML tags opened inside each other), if they do.
fn too_deep(events: &[(Event<'_>, Range<usize>)]) -> Option<Range<usize>> {
    let mut depth = 0usize;
    let mut html_depth = 0usize;
    for (e, range) in events {
        match e {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Html(h) | Event::InlineHtml(h) => {
                for (i, _) in h.match_indices('<') {
                    let tag = &h[i + 1..];
                    let name: String = tag
                        .chars()
                        .take_while(char::is_ascii_alphanumeric)
                        .map(|c| c.to_ascii_lowercase())
                        .collect();
                    let self_closing = tag.split('>').next().is_some_and(|t| t.ends_with('/'));
                    if tag.starts_with('/') {
                        html_depth = html_depth.saturating_sub(1);
                    } else if !name.is_empty()
                        && !self_closing
                        && !VOID_TAGS.contains(&name.as_str())
                    {
                        html_depth += 1;
                    }
                }
            }
            _ => {}
        }
        if depth > MAX_NESTING || html_depth > MAX_HTML_NESTING {
            return Some(range.clone());
        }
    }
    None
}

/// The index of the `End` matching the `Start` at `i` (or `i` for other events).
fn matching_end(events: &[(Event<'_>, Range<usize>)], i: usize) -> usize {
    if !matches!(events[i].0, Event::Start(_)) {
        return i;
    }
    let mut depth = 0usize;
    for (j, (e, _)) in events.iter().enumerate().skip(i) {
        match e {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
    }
    events.len() - 1
}

/// Groups the events inside a list item into paragraphs and other blocks. Text of
/// a tight list item (no `Paragraph` tags) counts as one paragraph.
fn item_children(events: &[(Event<'static>, Range<usize>)]) -> Vec<ItemChild> {
    let mut out: Vec<ItemChild> = Vec::new();
    let mut i = 0;
    let mut loose: Option<ItemChild> = None;
    while i < events.len() {
        let end = matching_end(events, i);
        let range = events[i].1.start..events[end].1.end;
        let block = match &events[i].0 {
            Event::Start(Tag::Paragraph) => Some(true),
            Event::Start(tag) if is_block(tag) => Some(false),
            Event::Html(_) | Event::Rule => Some(false),
            _ => None,
        };
        match block {
            Some(paragraph) => {
                out.extend(loose.take());
                let inner = if paragraph {
                    &events[i + 1..end]
                } else {
                    &events[i..=end]
                };
                out.push(ItemChild {
                    range,
                    paragraph,
                    events: inner.iter().map(|(e, _)| e.clone()).collect(),
                });
            }
            None => {
                let child = loose.get_or_insert(ItemChild {
                    range: range.clone(),
                    paragraph: true,
                    events: Vec::new(),
                });
                child.range.end = range.end;
                child
                    .events
                    .extend(events[i..=end].iter().map(|(e, _)| e.clone()));
            }
        }
        i = end + 1;
    }
    out.extend(loose);
    out
}

fn is_block(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::BlockQuote(_)
            | Tag::CodeBlock(_)
            | Tag::HtmlBlock
            | Tag::List(_)
            | Tag::Item
            | Tag::Table(_)
            | Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
    )
}

/// The section that receives the next block: the last sub-section, or the last section.
fn current_section(sections: &mut [Section]) -> &mut Section {
    let last = sections
        .last_mut()
        .expect("caller checked that a section exists");
    if last.children.is_empty() {
        last
    } else {
        last.children.last_mut().expect("not empty")
    }
}

fn push_prose(blocks: &mut Vec<Block>, html: String) {
    if let Some(Block::Prose { html: previous }) = blocks.last_mut() {
        previous.push_str(&html);
    } else {
        blocks.push(Block::Prose { html });
    }
}

/// Replaces soft line breaks: nothing between Chinese characters (a wrapped line
/// of Chinese text has no space), a space between Latin words.
fn join_soft_breaks(events: &mut [(Event<'static>, Range<usize>)]) {
    // The first character of the next text after each event, found in one pass back.
    let mut next_char: Vec<Option<char>> = vec![None; events.len()];
    let mut upcoming = None;
    for k in (0..events.len()).rev() {
        next_char[k] = upcoming;
        if let Event::Text(t) = &events[k].0 {
            upcoming = t.chars().next().or(upcoming);
        }
    }
    let mut before: Option<char> = None;
    for (k, (event, _)) in events.iter_mut().enumerate() {
        match event {
            Event::Text(t) => before = t.chars().last().or(before),
            Event::SoftBreak => {
                let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii());
                let joint = if latin(before) && latin(next_char[k]) {
                    " "
                } else {
                    ""
                };
                *event = Event::Text(CowStr::Borrowed(joint));
            }
            _ => {}
        }
    }
}

/// The plain text of events: text and code, without markup or raw HTML.
fn plain_text<'e>(events: impl Iterator<Item = &'e Event<'e>>) -> String {
    let mut s = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => s.push_str(t),
            Event::HardBreak => s.push('\n'),
            Event::End(TagEnd::Paragraph) => s.push('\n'),
            _ => {}
        }
    }
    s
}

/// HTML of events, sanitized so that raw HTML in a plan can never run script.
fn sanitized_html<'e>(events: impl Iterator<Item = Event<'e>>) -> String {
    let mut plain = true;
    let events = events.inspect(|e| plain &= is_plain_markup(e));
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    // Text, paragraphs and emphasis carry no markup of the plan's own: their HTML
    // is already what the sanitizer would give back, unless an entity (`&amp;`,
    // `&quot;`) or a no-break space would be written another way.
    if plain && !html.contains(['&', '\u{a0}']) {
        html
    } else {
        ammonia::clean(&html)
    }
}

/// True for an event whose HTML is only escaped text or a paragraph, emphasis or
/// strong emphasis tag.
fn is_plain_markup(event: &Event) -> bool {
    matches!(
        event,
        Event::Text(_)
            | Event::SoftBreak
            | Event::Start(Tag::Paragraph | Tag::Emphasis | Tag::Strong)
            | Event::End(TagEnd::Paragraph | TagEnd::Emphasis | TagEnd::Strong)
    )
}

/// Sanitized HTML of inline events, without paragraph tags.
fn inline_html<'e>(events: impl Iterator<Item = Event<'e>>) -> String {
    sanitized_html(events.filter(|e| {
        !matches!(
            e,
            Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph)
        )
    }))
}

/// Renders a few lines of Markdown as inline content: (plain text, HTML).
fn render_inline_markdown(text: &str) -> (String, String) {
    let mut events: Vec<(Event<'static>, Range<usize>)> = Parser::new(text)
        .into_offset_iter()
        .map(|(e, r)| (e.into_static(), r))
        .collect();
    join_soft_breaks(&mut events);
    let plain = plain_text(events.iter().map(|(e, _)| e));
    let html = inline_html(events.into_iter().map(|(e, _)| e));
    (plain, html)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn parse(body: &str) -> ParsedPlan {
        let text = format!("+++\ntitle = \"T\"\nissuer = \"I\"\nyear = 2021\n+++\n{body}");
        parse_plan(&PathBuf::from("t.md"), "t", &text)
    }

    #[test]
    fn plain_markup_skips_the_sanitizer_only_where_it_changes_nothing() {
        let samples = [
            "做好政务公开。",
            "*加强*和**规范**政策解读\n工作，落实到位。",
            "甲 & 乙，\"引号\"，<b>粗</b>，<script>alert(1)</script>",
            "不换行\u{a0}空格",
            "第一行  \n第二行",
            "[链接](javascript:alert(1)) 与 <https://example.gov.cn>",
            "`代码` 和 ![图](x.png)",
            "> 引用\n\n- 列表一\n- 列表二\n\n1. 编号",
            "# 标题\n\n---\n\n段落 *未闭合",
        ];
        for text in samples {
            let events: Vec<Event> = Parser::new(text).collect();
            let mut html = String::new();
            pulldown_cmark::html::push_html(&mut html, events.iter().cloned());
            assert_eq!(
                sanitized_html(events.into_iter()),
                ammonia::clean(&html),
                "{text}"
            );
        }
    }

    #[test]
    fn tight_item_with_attributes() {
        let p = parse(
            "## 一、类\n\n1. 做好公开。\n   牵头单位：甲办\n   配合单位：乙办、丙办\n   完成时限：2021年底\n",
        );
        let plan = p.plan.expect("parses");
        let t = plan.tasks()[0].clone();
        assert_eq!(t.text, "做好公开。");
        assert_eq!(t.units.lead, ["甲办"]);
        assert_eq!(t.units.cooperating, ["乙办", "丙办"]);
        assert_eq!(t.deadline.as_deref(), Some("2021年底"));
        assert_eq!(t.requirement, None);
    }

    #[test]
    fn a_task_keeps_its_html_only_when_it_is_more_than_the_escaped_text() {
        let p = parse(
            "## 类\n\n1. 做好<公开>&“解读”。\n   牵头单位：甲办\n\n2. 做好**重点**公开，见[通知](https://example.gov.cn/)。\n   牵头单位：乙办\n",
        );
        let plan = p.plan.expect("parses");
        let [plain, marked] = plan.tasks() else {
            panic!("two tasks");
        };
        assert_eq!(plain.text_markup, None);
        assert_eq!(plain.text_html(), "做好&lt;公开&gt;&amp;“解读”。");
        assert_eq!(marked.text, "做好重点公开，见通知。");
        assert_eq!(
            marked.text_html(),
            "做好<strong>重点</strong>公开，见<a href=\"https://example.gov.cn/\" rel=\"noopener noreferrer\">通知</a>。"
        );
    }

    #[test]
    fn loose_item_with_requirement_and_ascii_colon() {
        let p = parse(
            "## 类\n\n12. 任务\n    续行\n\n    要求第一段。\n\n    要求第二段。\n\n    责任单位:甲局牵头,乙局\n",
        );
        let plan = p.plan.expect("parses");
        let t = plan.tasks()[0].clone();
        assert_eq!(t.number, "12");
        assert_eq!(t.text, "任务续行");
        assert_eq!(t.requirement.as_deref(), Some("要求第一段。\n要求第二段。"));
        assert_eq!(t.units.lead, ["甲局"]);
        assert_eq!(t.units.cooperating, ["乙局"]);
        assert_eq!(t.category, ["类"]);
    }

    #[test]
    fn prose_sections_and_subcategories() {
        let p = parse(
            "前言。\n\n## 一、总体要求\n\n正文。\n\n## 二、任务\n\n### （一）子类\n\n1. 甲\n\n   责任单位：办\n",
        );
        let plan = p.plan.expect("parses");
        assert!(plan.preamble_html.contains("前言"));
        assert!(!plan.sections[0].has_tasks());
        assert_eq!(plan.sections[1].children[0].title, "（一）子类");
        assert_eq!(plan.tasks()[0].category, ["二、任务", "（一）子类"]);
    }

    #[test]
    fn wrapped_chinese_lines_join_without_space() {
        let p = parse("## 类\n\n1. 第一行\n   第二行 and\n   more\n\n   责任单位：办\n");
        assert_eq!(p.plan.unwrap().tasks()[0].text, "第一行第二行 and more");
    }
}
