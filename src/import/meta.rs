//! The plan's metadata found in the document: title, issuer, year, 文号, date.

use super::classify::{is_header, is_unit_cell};
use crate::text::to_simplified;

/// Metadata found in the document.
#[derive(Debug, Default)]
pub(super) struct Meta {
    pub(super) title: Option<String>,
    pub(super) issuer: Option<String>,
    pub(super) year: Option<i32>,
    /// The line the year was read from when the title names none.
    pub(super) year_line: Option<usize>,
    pub(super) doc_number: Option<String>,
    pub(super) published: Option<String>,
    /// Whose units these are, when not the issuer's.
    pub(super) jurisdiction: Option<String>,
}

pub(super) fn find_meta(lines: &[(usize, String)]) -> Meta {
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
            // `…分工` / `…分解` also ends a unit cell (`各部门按职责分工`): a title
            // with those endings names a year or 政务.
            let ends = |x: &str| {
                ["方案", "分工表", "分解表", "要点", "任务表", "清单"]
                    .iter()
                    .any(|e| x.ends_with(e))
                    || ["分工", "分解"].iter().any(|e| x.ends_with(e))
                        && (x.contains('年') || x.contains("政务"))
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
        if let Some(p) = year_at(title) {
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
    // No year in the title (or no title): the first line of the document's
    // beginning that names one, such as the notice's date.
    if m.year.is_none()
        && let Some((line, year)) = lines.iter().take(60).find_map(|(line, text)| {
            let p = year_at(text)?;
            Some((*line, text[p..p + 4].parse().ok()?))
        })
    {
        (m.year, m.year_line) = (Some(year), Some(line));
    }
    m
}

/// Where a year (`2021年`: 20, two more ASCII digits, 年) begins in `text`.
fn year_at(text: &str) -> Option<usize> {
    text.match_indices("20").map(|(p, _)| p).find(|&p| {
        let after = &text.as_bytes()[p..];
        after.len() >= 7
            && after[..4].iter().all(u8::is_ascii_digit)
            && text[p + 4..].starts_with('年')
    })
}

/// The rest of `original` from the place of byte `at` of `folded`, its
/// character-for-character folding (the two may differ in byte lengths).
pub(super) fn same_place<'t>(original: &'t str, folded: &str, at: usize) -> &'t str {
    let chars = folded[..at].chars().count();
    original
        .char_indices()
        .nth(chars)
        .map_or("", |(i, _)| &original[i..])
}
