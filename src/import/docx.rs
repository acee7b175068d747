//! Word documents (`.docx`): the document's own structure, read from the zip's
//! XML with quick-xml. Paragraphs become lines, with the numbers Word computes
//! for automatic numbering (`w:numPr`, from `numbering.xml` and the styles)
//! written in front, as printed. Tables become one line per row, cells separated
//! by tabs: a cell continued from the row above (`w:vMerge`) is blank, as in the
//! tab layout the importer reads, and a cell spanning columns (`w:gridSpan`) is
//! followed by blank cells; a row with a single non-empty cell (a category across
//! the table) is written as a plain line.

use super::decode::ImportError;
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;
use std::io::Read;

/// Most columns a table may have; wider ones are cut (no plan has that many).
const MAX_COLUMNS: usize = 64;
/// Largest XML part read, in bytes (a zip bomb stops here).
const MAX_PART: u64 = 64 * 1024 * 1024;

/// The text of a Word document, as lines.
pub fn read(bytes: &[u8]) -> Result<String, ImportError> {
    let not_docx = |why: &str| ImportError {
        message: crate::t!("import-not-docx", why = why),
        hint: crate::t!("import-not-docx-hint"),
    };
    let mut zip =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| not_docx(&e.to_string()))?;
    // A part that is missing is `None`; one that is there but cannot be read (not
    // UTF-8, damaged, larger than MAX_PART) is an error that says so.
    let mut part = |name: &str| -> Result<Option<String>, ImportError> {
        let unreadable = |why: String| {
            not_docx(&crate::t!(
                "import-docx-part-unreadable",
                part = name,
                why = why
            ))
        };
        let file = match zip.by_name(name) {
            Ok(file) => file,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(unreadable(e.to_string())),
        };
        let mut bytes = Vec::new();
        file.take(MAX_PART + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| unreadable(e.to_string()))?;
        if bytes.len() as u64 > MAX_PART {
            return Err(unreadable(crate::t!(
                "import-docx-part-big",
                limit = MAX_PART / (1024 * 1024)
            )));
        }
        String::from_utf8(bytes).map(Some).map_err(|e| {
            unreadable(crate::t!(
                "import-docx-part-utf8",
                at = e.utf8_error().valid_up_to()
            ))
        })
    };
    let document =
        part("word/document.xml")?.ok_or_else(|| not_docx(&crate::t!("import-no-document-xml")))?;
    let numbering = Numbering::parse(
        part("word/numbering.xml")?.as_deref().unwrap_or(""),
        part("word/styles.xml")?.as_deref().unwrap_or(""),
    );
    let mut out = DocumentText {
        numbering,
        lines: Vec::new(),
    };
    out.walk(&document).map_err(|e| {
        not_docx(&crate::t!(
            "import-docx-part-unreadable",
            part = "word/document.xml",
            why = e.to_string()
        ))
    })?;
    Ok(out.lines.join("\n"))
}

/// One numbering level: its format, its text pattern (`%1.`) and start.
#[derive(Clone, Debug)]
struct Level {
    format: String,
    pattern: String,
    start: u32,
}

/// Word's automatic numbering: definitions, and the counters as the document
/// is read.
#[derive(Default)]
struct Numbering {
    /// numId → its abstract numbering's levels (with overrides applied).
    levels: HashMap<String, Vec<Level>>,
    /// Paragraph style → its (numId, level), for numbered heading styles.
    styles: HashMap<String, (String, usize)>,
    /// numId → current counter of each level.
    counters: HashMap<String, Vec<u32>>,
}

/// The value of an attribute whose local name is `name` (`w:val` → `val`).
fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (a.key.local_name().as_ref() == name)
            .then(|| {
                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .ok()
                    .map(|v| v.into_owned())
            })
            .flatten()
    })
}

impl Numbering {
    fn parse(numbering: &str, styles: &str) -> Numbering {
        let mut abstracts: HashMap<String, Vec<Level>> = HashMap::new();
        let mut nums: HashMap<String, (String, HashMap<usize, u32>)> = HashMap::new();
        let mut reader = quick_xml::Reader::from_str(numbering);
        let (mut abstract_id, mut num_id, mut level, mut override_level) =
            (None::<String>, None::<String>, None::<usize>, None::<usize>);
        while let Ok(event) = reader.read_event() {
            match event {
                Event::Eof => break,
                Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                    "abstractNum" => abstract_id = attr(&e, "abstractNumId"),
                    "lvl" => level = attr(&e, "ilvl").and_then(|v| v.parse().ok()),
                    "num" => num_id = attr(&e, "numId"),
                    "abstractNumId" => {
                        if let (Some(n), Some(v)) = (&num_id, attr(&e, "val")) {
                            nums.entry(n.clone()).or_default().0 = v;
                        }
                    }
                    "lvlOverride" => override_level = attr(&e, "ilvl").and_then(|v| v.parse().ok()),
                    "startOverride" => {
                        if let (Some(n), Some(l), Some(v)) = (
                            &num_id,
                            override_level,
                            attr(&e, "val").and_then(|v| v.parse().ok()),
                        ) {
                            nums.entry(n.clone()).or_default().1.insert(l, v);
                        }
                    }
                    name @ ("start" | "numFmt" | "lvlText") => {
                        if let (Some(a), Some(l), Some(v)) = (&abstract_id, level, attr(&e, "val"))
                        {
                            let levels = abstracts.entry(a.clone()).or_default();
                            while levels.len() <= l.min(8) {
                                levels.push(Level {
                                    format: "decimal".into(),
                                    pattern: String::new(),
                                    start: 1,
                                });
                            }
                            let lvl = &mut levels[l.min(8)];
                            match name {
                                "start" => lvl.start = v.parse().unwrap_or(1),
                                "numFmt" => lvl.format = v,
                                _ => lvl.pattern = v,
                            }
                        }
                    }
                    _ => {}
                },
                Event::End(e) => match e.local_name().as_ref() {
                    "abstractNum" => abstract_id = None,
                    "lvl" => level = None,
                    "num" => num_id = None,
                    _ => {}
                },
                _ => {}
            }
        }
        let mut levels = HashMap::new();
        for (num, (abs, overrides)) in nums {
            let mut lv = abstracts.get(&abs).cloned().unwrap_or_default();
            for (l, start) in overrides {
                if let Some(level) = lv.get_mut(l) {
                    level.start = start;
                }
            }
            levels.insert(num, lv);
        }
        Numbering {
            levels,
            styles: style_numbering(styles),
            counters: HashMap::new(),
        }
    }

    /// The number text of the next paragraph numbered (numId, level), as Word
    /// prints it (`3.`, `（二）`, `一、`), or `None` for bullets and no numbering.
    fn next(&mut self, num: &str, level: usize) -> Option<String> {
        let levels = self.levels.get(num)?;
        let counters = self
            .counters
            .entry(num.to_string())
            .or_insert_with(|| levels.iter().map(|l| l.start.saturating_sub(1)).collect());
        if level >= counters.len() {
            return None;
        }
        counters[level] += 1;
        // Deeper levels start again.
        for (deeper, l) in counters.iter_mut().zip(levels).skip(level + 1) {
            *deeper = l.start.saturating_sub(1);
        }
        let pattern = &levels[level].pattern;
        if levels[level].format == "bullet" || pattern.is_empty() {
            return None;
        }
        let mut text = pattern.clone();
        for (k, l) in levels.iter().enumerate().take(level + 1) {
            text = text.replace(
                &format!("%{}", k + 1),
                &format_number(counters[k], &l.format),
            );
        }
        Some(text)
    }
}

/// Paragraph styles that number their paragraphs: style id → (numId, level).
fn style_numbering(styles: &str) -> HashMap<String, (String, usize)> {
    let mut out = HashMap::new();
    let mut reader = quick_xml::Reader::from_str(styles);
    let (mut style, mut num, mut level) = (None::<String>, None::<String>, 0usize);
    while let Ok(event) = reader.read_event() {
        match event {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "style" => {
                    style = attr(&e, "styleId");
                    (num, level) = (None, 0);
                }
                "numId" => num = attr(&e, "val"),
                "ilvl" => level = attr(&e, "val").and_then(|v| v.parse().ok()).unwrap_or(0),
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == "style" => {
                if let (Some(s), Some(n)) = (style.take(), num.take()) {
                    out.insert(s, (n, level));
                }
            }
            _ => {}
        }
    }
    out
}

/// A number in one of Word's formats.
fn format_number(n: u32, format: &str) -> String {
    match format {
        "chineseCounting"
        | "chineseCountingThousand"
        | "ideographTraditional"
        | "japaneseCounting"
        | "chineseLegalSimplified" => chinese_number(n),
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap_or(c))
            .collect(),
        "upperLetter" | "lowerLetter" => {
            let base = if format == "upperLetter" { b'A' } else { b'a' };
            char::from(base + ((n.max(1) - 1) % 26) as u8).to_string()
        }
        _ => n.to_string(),
    }
}

/// 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五.
fn chinese_number(n: u32) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n as usize].to_string(),
        10..=19 => format!(
            "十{}",
            if n > 10 {
                DIGITS[(n % 10) as usize]
            } else {
                ""
            }
        ),
        20..=99 => format!(
            "{}十{}",
            DIGITS[(n / 10) as usize],
            if !n.is_multiple_of(10) {
                DIGITS[(n % 10) as usize]
            } else {
                ""
            }
        ),
        _ => {
            let rest = n % 100;
            let tail = match rest {
                0 => String::new(),
                1..=9 => format!("零{}", DIGITS[rest as usize]),
                10..=19 => format!("一{}", chinese_number(rest)),
                _ => chinese_number(rest),
            };
            format!("{}百{tail}", DIGITS[((n / 100) % 10) as usize])
        }
    }
}

/// One paragraph being read: its text, style, and numbering (level, numId).
#[derive(Default)]
struct Paragraph {
    text: String,
    style: Option<String>,
    level: Option<usize>,
    num: Option<String>,
}

/// One table cell being read.
#[derive(Default)]
struct CellText {
    paragraphs: Vec<String>,
    /// Continues the cell above (`w:vMerge` without `restart`).
    continued: bool,
    /// Columns it spans.
    span: usize,
}

/// The document's lines, and what is needed to number paragraphs.
struct DocumentText {
    numbering: Numbering,
    lines: Vec<String>,
}

impl DocumentText {
    /// Walks the body: paragraphs and tables (tables inside cells are flattened).
    fn walk(&mut self, xml: &str) -> Result<(), quick_xml::Error> {
        let mut reader = quick_xml::Reader::from_str(xml);
        let mut paragraph: Option<Paragraph> = None;
        let mut in_text = false;
        let mut table_depth = 0usize;
        let mut row: Option<Vec<CellText>> = None;
        let mut cell: Option<CellText> = None;
        loop {
            match reader.read_event()? {
                Event::Eof => break,
                Event::Start(e) => match e.local_name().as_ref() {
                    "p" => paragraph = Some(Paragraph::default()),
                    "t" => in_text = true,
                    "tbl" => table_depth += 1,
                    "tr" if table_depth == 1 => row = Some(Vec::new()),
                    "tc" if table_depth == 1 => {
                        cell = Some(CellText {
                            span: 1,
                            ..Default::default()
                        })
                    }
                    _ => self.property(&e, &mut paragraph, &mut cell),
                },
                Event::Empty(e) => match e.local_name().as_ref() {
                    "tab" => push_text(&mut paragraph, "\t"),
                    "br" | "cr" => push_text(&mut paragraph, "\n"),
                    _ => self.property(&e, &mut paragraph, &mut cell),
                },
                Event::Text(t) if in_text => push_text(&mut paragraph, &t.xml10_content()),
                Event::GeneralRef(r) if in_text => {
                    let c = match r.resolve_char_ref() {
                        Ok(Some(c)) => Some(c),
                        _ => match r.into_inner().as_ref() {
                            "lt" => Some('<'),
                            "gt" => Some('>'),
                            "amp" => Some('&'),
                            "quot" => Some('"'),
                            "apos" => Some('\''),
                            _ => None,
                        },
                    };
                    if let Some(c) = c {
                        push_text(&mut paragraph, &c.to_string());
                    }
                }
                Event::End(e) => match e.local_name().as_ref() {
                    "t" => in_text = false,
                    "p" => {
                        if let Some(Paragraph {
                            text,
                            style,
                            level,
                            num,
                        }) = paragraph.take()
                        {
                            let number = num
                                .map(|n| (n, level.unwrap_or(0)))
                                .or_else(|| {
                                    style.and_then(|s| self.numbering.styles.get(&s).cloned())
                                })
                                .and_then(|(n, l)| self.numbering.next(&n, l));
                            // An empty numbered paragraph shows its number too: in a
                            // table, the 序号 column numbered by Word (`1.` alone).
                            let line = match number {
                                Some(n) if !text.trim().is_empty() || table_depth > 0 => {
                                    format!("{n}{}", text.trim())
                                }
                                _ => text.trim().to_string(),
                            };
                            match cell.as_mut() {
                                Some(c) if table_depth > 0 => c.paragraphs.push(line),
                                _ => self.lines.push(line.replace(['\n', '\t'], " ")),
                            }
                        }
                    }
                    "tc" if table_depth == 1 => {
                        if let (Some(c), Some(r)) = (cell.take(), row.as_mut()) {
                            r.push(c);
                        }
                    }
                    "tr" if table_depth == 1 => {
                        if let Some(r) = row.take() {
                            self.lines.push(row_line(r));
                        }
                    }
                    "tbl" => table_depth = table_depth.saturating_sub(1),
                    _ => {}
                },
                _ => {}
            }
        }
        Ok(())
    }

    /// Paragraph and cell properties: style, numbering, merges and spans.
    fn property(
        &mut self,
        e: &BytesStart,
        paragraph: &mut Option<Paragraph>,
        cell: &mut Option<CellText>,
    ) {
        match e.local_name().as_ref() {
            "pStyle" => {
                if let Some(p) = paragraph.as_mut() {
                    p.style = attr(e, "val");
                }
            }
            "ilvl" => {
                if let Some(p) = paragraph.as_mut() {
                    p.level = attr(e, "val").and_then(|v| v.parse().ok());
                }
            }
            "numId" => {
                if let Some(p) = paragraph.as_mut() {
                    p.num = attr(e, "val").filter(|v| v != "0");
                }
            }
            "vMerge" => {
                if let Some(c) = cell.as_mut() {
                    c.continued = attr(e, "val").is_none_or(|v| v == "continue");
                }
            }
            "gridSpan" => {
                if let Some(c) = cell.as_mut() {
                    c.span = attr(e, "val")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(1)
                        .clamp(1, MAX_COLUMNS);
                }
            }
            _ => {}
        }
    }
}

fn push_text(paragraph: &mut Option<Paragraph>, text: &str) {
    if let Some(p) = paragraph.as_mut() {
        p.text.push_str(text);
    }
}

/// One table row as a line: tab-separated cells, a continued cell blank, a
/// spanning cell followed by blank cells; one non-empty cell alone as a plain line.
fn row_line(cells: Vec<CellText>) -> String {
    let mut fields: Vec<String> = Vec::new();
    for c in cells {
        let text = if c.continued {
            String::new()
        } else {
            cell_text(&c.paragraphs)
        };
        fields.push(text);
        fields.extend(std::iter::repeat_n(String::new(), c.span - 1));
        if fields.len() >= MAX_COLUMNS {
            fields.truncate(MAX_COLUMNS);
            break;
        }
    }
    let filled: Vec<&String> = fields.iter().filter(|f| !f.is_empty()).collect();
    if filled.len() == 1
        && !fields[0].is_empty()
        && fields.len() > 1
        && fields[1..].iter().all(String::is_empty)
    {
        return fields[0].clone();
    }
    fields.join("\t")
}

/// A cell's paragraphs as one field: names of offices on separate lines are
/// listed as one unit string ([`super::classify::join_unit_lines`]); other
/// paragraphs run on.
fn cell_text(paragraphs: &[String]) -> String {
    let parts: Vec<String> = paragraphs
        .iter()
        .map(|p| p.replace(['\n', '\t'], " ").trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() > 1 && parts.iter().all(|p| super::classify::is_unit_cell(p)) {
        super::classify::join_unit_lines(parts.iter().map(String::as_str))
    } else {
        // Paragraphs kept apart for the table reading (see `PARAGRAPH`).
        parts.join(&super::PARAGRAPH.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numbers() {
        let got: Vec<String> = [1, 10, 11, 17, 20, 21, 99, 100, 105, 110, 115]
            .iter()
            .map(|&n| chinese_number(n))
            .collect();
        assert_eq!(
            got,
            [
                "一",
                "十",
                "十一",
                "十七",
                "二十",
                "二十一",
                "九十九",
                "一百",
                "一百零五",
                "一百一十",
                "一百一十五"
            ]
        );
        assert_eq!(format_number(3, "decimalFullWidth"), "３");
    }
}
