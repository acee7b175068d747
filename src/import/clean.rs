//! Cleaning the text of a document: HTML tags and entities, Word placeholders,
//! the pinyin some converted pages print after characters (`區(qū)`).

/// Strips HTML tags and decodes the common entities of one line.
/// Block-level tags end a line of text: a table cell, a paragraph, a break.
pub(super) const BLOCK_TAGS: &[&str] = &[
    "td", "th", "tr", "p", "br", "div", "li", "h1", "h2", "h3", "h4", "table", "section",
];

pub(super) fn strip_html(line: &str) -> String {
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
pub(super) fn drop_placeholders(line: &str) -> String {
    let mut s = line.to_string();
    for marker in ["[bookmark:", "[image:"] {
        while let Some(start) = s.find(marker) {
            let end = s[start..].find(']').map_or(s.len(), |e| start + e + 1);
            s.replace_range(start..end, "");
        }
    }
    s
}

/// Drops the `??` that a page converted through a wrong encoding prints for the
/// full-width spaces of a paragraph's indent (each one became two `?`).
pub(super) fn drop_lost_indent(line: &str) -> &str {
    let t = line.trim_start();
    let marks = t.bytes().take_while(|&b| b == b'?').count();
    if marks >= 2 && marks % 2 == 0 {
        &t[marks..]
    } else {
        line
    }
}

/// A pinyin annotation after a Han character: `(qū)`, `(diào)` — lowercase
/// Latin letters (with tone marks) in parentheses, at most 8. Its byte length.
fn pinyin_annotation(after: &str) -> Option<usize> {
    let inner = after.strip_prefix('(')?;
    let close = inner.find(')')?;
    let word = &inner[..close];
    let n = word.chars().count();
    ((1..=8).contains(&n) && word.chars().all(|c| c.is_lowercase() && c.is_alphabetic()))
        .then_some(close + 2)
}

/// Drops the pinyin annotations of a page that prints them after its characters
/// (`統(tǒng)一` → `統一`): only where the text holds at least three, so that a
/// word in parentheses (`(app)`) in an ordinary document stays.
pub(super) fn drop_pinyin(text: &str) -> std::borrow::Cow<'_, str> {
    let annotated = |t: &str| {
        let mut count = 0;
        let mut previous_han = false;
        for (i, c) in t.char_indices() {
            if previous_han && c == '(' && pinyin_annotation(&t[i..]).is_some() {
                count += 1;
            }
            previous_han = crate::text::is_han(c);
        }
        count
    };
    if annotated(text) < 3 {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut previous_han = false;
    let mut skip_to = 0;
    for (i, c) in text.char_indices() {
        if i < skip_to {
            continue;
        }
        if previous_han
            && c == '('
            && let Some(len) = pinyin_annotation(&text[i..])
        {
            skip_to = i + len;
            continue;
        }
        out.push(c);
        previous_han = crate::text::is_han(c);
    }
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinyin_after_characters_is_dropped_only_where_a_page_prints_it() {
        assert_eq!(
            drop_pinyin("各縣(市、區(qū))人(rén)民政府,做(zuò)好工作(zuò)"),
            "各縣(市、區)人民政府,做好工作"
        );
        assert_eq!(drop_pinyin("推广政务(app)应用"), "推广政务(app)应用");
        assert_eq!(drop_lost_indent("??1.围绕"), "1.围绕");
        assert_eq!(drop_lost_indent("?1"), "?1");
    }
}
