//! The plan file: front matter written by the TOML serializer, Markdown with
//! every markup character of the source escaped.

use super::meta::Meta;
use super::{CategorySummary, DraftSection, ImportWarning};
use std::fmt::Write as _;

/// The attribute lines of a unit cell under its column's key: a cell that names
/// its own roles (`牵头单位：A、B；责任单位：C`, as prose plans print them) gives one
/// line per role.
fn attribute_lines(key: &str, value: &str) -> Vec<(String, String)> {
    let value = super::classify::split_and(value)
        .replace('\n', "、")
        .replace(['<', '>'], "");
    let clauses: Vec<&str> = value
        .split(['；', ';'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    let keyed: Vec<(String, String)> = clauses
        .iter()
        .filter_map(|c| {
            let colon = c.find(['：', ':'])?;
            let name = c[..colon].trim();
            let width = c[colon..].chars().next().map_or(1, char::len_utf8);
            crate::parse::is_attribute_line(&format!("{name}：x"))
                .then(|| (name.to_string(), c[colon + width..].trim().to_string()))
        })
        .collect();
    if !keyed.is_empty() && keyed.len() == clauses.len() {
        keyed
    } else {
        vec![(key.to_string(), value)]
    }
}

/// The plan file of what was read, the number of tasks, and a summary per
/// category. Reports numbering gaps and tasks without units.
pub(super) fn markdown(
    meta: &Meta,
    preamble: &[String],
    sections: &[DraftSection],
    unit_keys: &[&str],
    warnings: &mut Vec<ImportWarning>,
) -> (String, usize, Vec<CategorySummary>) {
    let mut md = front_matter(meta);
    md.push_str("+++\n\n");
    for p in preamble {
        let _ = writeln!(md, "{}\n", escape_md(p));
    }
    let keys: Vec<&str> = if unit_keys.is_empty() {
        vec!["责任单位"]
    } else {
        unit_keys.to_vec()
    };
    let mut count = 0;
    let mut previous: Option<u32> = None;
    let mut under_category = false;
    let mut summary = Vec::new();
    for s in sections {
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
        let mut row = CategorySummary {
            title: s.title.clone(),
            ..Default::default()
        };
        for t in &s.tasks {
            count += 1;
            row.tasks += 1;
            let n: u32 = t.number.parse().unwrap_or(0);
            if previous.is_some_and(|p| n != p + 1) {
                warnings.push(ImportWarning::new(
                    t.line,
                    crate::t!("parse-jump", from = previous.unwrap_or(0), to = n),
                ));
            }
            previous = Some(n);
            let pad = " ".repeat(t.number.len() + 2);
            let _ = writeln!(md, "{}. {}\n", t.number, escape_md(&t.text));
            for r in &t.requirement {
                let _ = writeln!(md, "{pad}{}\n", escape_md(r));
            }
            let mut lines: Vec<(String, String)> = Vec::new();
            for (key, value) in keys.iter().zip(&t.units) {
                if let Some(v) = value {
                    lines.extend(attribute_lines(key, v));
                }
            }
            if !lines.is_empty() {
                row.with_units += 1;
            }
            if let Some(d) = &t.deadline {
                lines.push(("完成时限".into(), d.replace(['<', '>'], "")));
                row.with_deadline += 1;
            }
            for (key, value) in &lines {
                let _ = writeln!(md, "{pad}{key}：{value}");
            }
            if !lines.is_empty() {
                md.push('\n');
            }
            if t.units.iter().all(Option::is_none) {
                warnings.push(ImportWarning::new(
                    t.line,
                    crate::t!("parse-no-units", number = t.number.as_str()),
                ));
            }
        }
        if row.tasks > 0 {
            summary.push(row);
        }
    }
    (md, count, summary)
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
        #[serde(skip_serializing_if = "Option::is_none")]
        jurisdiction: Option<&'m str>,
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
        jurisdiction: meta.jurisdiction.as_deref(),
    };
    format!(
        "+++\n{}",
        toml::to_string(&fm).expect("plain strings and numbers serialize")
    )
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
