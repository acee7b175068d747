//! TOML front matter between `+++` lines.

use crate::diagnostics::Diagnostic;
use crate::model::PlanMeta;
use serde::Deserialize;
use std::path::Path;
use toml::Spanned;

/// The accepted keys, as written in the file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: Spanned<String>,
    issuer: Spanned<String>,
    year: Spanned<i64>,
    doc_number: Option<String>,
    published: Option<Spanned<toml::Value>>,
    source: Option<Spanned<String>>,
    jurisdiction: Option<String>,
}

/// Splits a plan file into its front matter and body. Returns the metadata and the
/// byte offset where the Markdown body begins, or the problems found.
pub fn split(path: &Path, text: &str) -> Result<(PlanMeta, usize), Vec<Diagnostic>> {
    let (toml_range, body_start) = delimit(path, text)?;
    let toml_text = &text[toml_range.clone()];
    let fm: FrontMatter = toml::from_str(toml_text).map_err(|e| {
        let span = e.span().map_or(toml_range.clone(), |s| {
            toml_range.start + s.start..toml_range.start + s.end
        });
        let detail = e
            .message()
            .trim()
            .replace("missing field", "missing required key");
        let message = crate::t!("fm-invalid", detail = detail);
        vec![
            Diagnostic::error(path, span, message)
                .with_hint(crate::t!("fm-accepted", keys = crate::t!("fm-keys"))),
        ]
    })?;
    let at = |s: std::ops::Range<usize>| toml_range.start + s.start..toml_range.start + s.end;
    let mut problems = Vec::new();
    for (key, value) in [("title", &fm.title), ("issuer", &fm.issuer)] {
        if crate::text::strip_invisible(value.get_ref())
            .trim()
            .is_empty()
        {
            problems.push(
                Diagnostic::error(path, at(value.span()), crate::t!("fm-empty", key = key))
                    .with_hint(crate::t!("fm-empty-hint", key = key)),
            );
        }
    }
    let year = *fm.year.get_ref();
    if !(1949..=2200).contains(&year) {
        problems.push(
            Diagnostic::error(path, at(fm.year.span()), crate::t!("fm-year", year = year))
                .with_hint(crate::t!("fm-year-hint")),
        );
    }
    let published = match &fm.published {
        None => None,
        Some(v) => match parse_date(v.get_ref()) {
            Some(d) => Some(d),
            None => {
                problems.push(
                    Diagnostic::error(path, at(v.span()), crate::t!("fm-date"))
                        .with_hint(crate::t!("fm-date-hint")),
                );
                None
            }
        },
    };
    let source = match &fm.source {
        Some(v) if !v.get_ref().trim().is_empty() => match web_url(v.get_ref()) {
            Some(url) => Some(url),
            None => {
                problems.push(
                    Diagnostic::error(path, at(v.span()), crate::t!("fm-source"))
                        .with_hint(crate::t!("fm-source-hint")),
                );
                None
            }
        },
        _ => None,
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    // Names are shown and compared: nothing invisible stays in them.
    let clean = |s: &str| crate::text::strip_invisible(s).trim().to_string();
    let issuer = clean(fm.issuer.get_ref());
    let meta = PlanMeta {
        title: clean(fm.title.get_ref()),
        jurisdiction: fm
            .jurisdiction
            .map(|j| clean(&j))
            .filter(|j| !j.is_empty())
            .unwrap_or_else(|| issuer.clone()),
        issuer,
        year: year as i32,
        doc_number: fm.doc_number.map(|s| clean(&s)).filter(|s| !s.is_empty()),
        published,
        source,
    };
    Ok((meta, body_start))
}

/// Finds the TOML between the opening and closing `+++` lines.
fn delimit(path: &Path, text: &str) -> Result<(std::ops::Range<usize>, usize), Vec<Diagnostic>> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let first_line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    if text[start..first_line_end].trim_end() != "+++" {
        return Err(vec![
            Diagnostic::error(path, start..first_line_end, crate::t!("fm-begin"))
                .with_hint(crate::t!("fm-begin-hint")),
        ]);
    }
    let toml_start = (first_line_end + 1).min(text.len());
    let mut pos = toml_start;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        if text[pos..end].trim_end() == "+++" {
            return Ok((toml_start..pos, (end + 1).min(text.len())));
        }
        pos = end + 1;
    }
    Err(vec![
        Diagnostic::error(path, start..first_line_end, crate::t!("fm-open"))
            .with_hint(crate::t!("fm-open-hint")),
    ])
}

/// The URL if it is an `http` or `https` address with a host and nothing a
/// browser would read otherwise (no white space, control characters, quotes or
/// angle brackets). Any other scheme (`javascript:`, `data:`, …) is refused.
pub fn web_url(raw: &str) -> Option<String> {
    let url = raw.trim();
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let clean = !url.chars().any(|c| {
        c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '\\' | '`')
    });
    (clean && !host.is_empty() && !host.starts_with(['.', ':', '@'])).then(|| url.to_string())
}

/// Accepts a TOML date (`2021-07-05`) or a string in that form.
fn parse_date(v: &toml::Value) -> Option<String> {
    let s = match v {
        toml::Value::Datetime(dt) if dt.time.is_none() => dt.to_string(),
        toml::Value::String(s) => s.trim().to_string(),
        _ => return None,
    };
    let b = s.as_bytes();
    let ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && s.chars()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    let month: u32 = s.get(5..7)?.parse().ok()?;
    let day: u32 = s.get(8..10)?.parse().ok()?;
    (ok && (1..=12).contains(&month) && (1..=31).contains(&day)).then_some(s)
}
