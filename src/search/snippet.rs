//! Snippets: a window of a task's text around its first match, the matches marked
//! on the printed characters.

use super::analyzer::fold;
use super::terms::QueryTerm;

pub(crate) fn truncate_chars(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}

/// A window of `text` around its first match, with every match of the terms'
/// runs wrapped in `marks`. Matching is on folded text, highlighting on the
/// original characters. `None` when nothing in `text` matches.
pub fn snippet(
    text: &str,
    terms: &[QueryTerm],
    width: usize,
    marks: (&str, &str),
    escape: bool,
) -> Option<String> {
    let folded = fold(text);
    let folded_chars: Vec<char> = folded.text.chars().collect();
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for run in terms.iter().flat_map(QueryTerm::highlights) {
        let run_chars: Vec<char> = run.chars().collect();
        if run_chars.is_empty() || run_chars.len() > folded_chars.len() {
            continue;
        }
        for start in 0..=folded_chars.len() - run_chars.len() {
            if folded_chars[start..start + run_chars.len()] == run_chars[..] {
                ranges.push((start, start + run_chars.len()));
            }
        }
    }
    if ranges.is_empty() {
        return None;
    }
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (s, e) in ranges {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    let n = folded_chars.len();
    let start = merged[0].0.saturating_sub(width / 5);
    let mut end = (start + width).min(n);
    let start = end.saturating_sub(width).min(start);
    // Never cut a mark in two at the end of the window.
    if let Some(&(_, e)) = merged.iter().find(|(s, e)| *s < end && end < *e) {
        end = e;
    }
    let piece = |a: usize, b: usize| {
        let s = &text[folded.origin[a]..folded.origin[b]];
        if escape {
            crate::text::escape_html(s)
        } else {
            s.to_string()
        }
    };
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let mut at = start;
    for (s, e) in merged.into_iter().filter(|(s, e)| *e > start && *s < end) {
        let (s, e) = (s.max(start), e.min(end));
        out.push_str(&piece(at, s));
        out.push_str(marks.0);
        out.push_str(&piece(s, e));
        out.push_str(marks.1);
        at = e;
    }
    out.push_str(&piece(at, end));
    if end < n {
        out.push('…');
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::terms::parse_terms;

    #[test]
    fn snippets_mark_the_original_traditional_characters() {
        let (terms, _, _) = parse_terms("财政信息", &Default::default());
        let s = snippet(
            "做好財政信息公開<b>",
            &terms,
            50,
            ("<mark>", "</mark>"),
            true,
        )
        .unwrap();
        assert_eq!(s, "做好<mark>財政信息</mark>公開&lt;b&gt;");
        let (terms, _, _) = parse_terms("ＩＰｖ６", &Default::default());
        let s = snippet("全面支持IPv6。", &terms, 50, ("[", "]"), false).unwrap();
        assert_eq!(s, "全面支持[IPv6]。");
        assert!(snippet("无关", &terms, 50, ("[", "]"), false).is_none());
    }
}
