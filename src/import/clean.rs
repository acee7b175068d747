//! Cleaning the text of a document: HTML tags and entities, Word placeholders.

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
