//! What a piece of a document is: a header word, an ordinal heading, a task
//! number, a cell that names offices, a deadline, a plain title, furniture.

use crate::model::Role;
use crate::parse::units::parse_unit_string;
use crate::text::to_simplified;

pub(super) const HEADER_WORDS: &[&str] = &[
    "主要内容",
    "工作内容",
    "任务内容",
    "具体措施",
    "工作措施",
    "重点任务",
    "主要任务",
    "序号",
    "目标",
    "任务",
    "责任主体",
    "配合部门",
    "牵头部门",
    "工作任务",
    "具体要求",
    "工作要求",
    "牵头单位",
    "责任单位",
    "责任部门",
    "落实单位",
    "责任科室",
    "配合单位",
    "完成时限",
    "时限要求",
    "完成时间",
    "类别",
    "工作类别",
    "任务类别",
    "重点领域",
];

/// Page furniture: a line starting with one of these, or made only of these words.
pub(super) const NOISE: &[&str] = &[
    "您现在的位置",
    "当前位置",
    "首页",
    "微信",
    "手机版",
    "二维码",
    "新媒体",
    "打印本页",
    "关闭窗口",
    "分享到",
];

pub(super) const OFFICE_ENDINGS: &[&str] = &[
    "局",
    "办",
    "委",
    "部门",
    "单位",
    "科",
    "室",
    "所",
    "中心",
    "政府",
    "街道",
    "镇街",
    "办事处",
    "管委会",
    "委员会",
    "院",
    "公司",
    "处",
    "队",
    "站",
    "会",
    "部",
    "厅",
    "司",
    "社",
    "镇",
    "股",
    "区",
    "机构",
    "支行",
    "银行",
    "校",
    "馆",
    "乡",
    "村",
    "组",
];

pub(super) fn is_header(text: &str) -> bool {
    let t = to_simplified(text.trim());
    HEADER_WORDS.contains(&t.as_str())
}

/// What a table's header cell ends with (`具体内容`, `责任科室`, `时限`).
const HEADER_ENDINGS: &[&str] = &[
    "序号", "任务", "内容", "要求", "措施", "事项", "目标", "类别", "领域", "单位", "部门", "科室",
    "处室", "股室", "主体", "时限", "时间", "备注", "分工", "名称", "情况",
];

/// A table's header cell: a header word, or a short name of a column
/// (`具体内容`, `责任科室`, `时限`) that names no office (`各科室`, `相关科室`).
pub(super) fn is_header_cell(text: &str) -> bool {
    let t = to_simplified(text.trim());
    if is_header(&t) {
        return true;
    }
    let n = t.chars().count();
    (2..=8).contains(&n)
        && HEADER_ENDINGS.iter().any(|e| t.ends_with(e))
        && !["各", "相关", "有关", "其他", "全"]
            .iter()
            .any(|p| t.starts_with(p))
        && !t.contains(['，', ',', '、', '。', '；'])
}

/// Words only a web page's footer prints (`网站标识码`, `ICP备`).
const FOOTER_WORDS: &[&str] = &[
    "网站标识码",
    "ICP备",
    "公网安备",
    "版权所有",
    "扫一扫在手机",
];

pub(super) fn is_noise(text: &str) -> bool {
    let t = to_simplified(text.trim());
    // A breadcrumb: 首页 > 政务公开 > 通知公告.
    let breadcrumb = t.starts_with("首页") && t.contains(['>', '＞', '»', '›', '→']);
    let footer = FOOTER_WORDS.iter().any(|w| t.contains(w));
    let starts = breadcrumb || footer || NOISE[..2].iter().any(|n| t.starts_with(n));
    let only_furniture = !t.is_empty()
        && t.split_whitespace()
            .all(|w| w.chars().count() <= 8 && NOISE.iter().any(|n| w.contains(n)));
    starts || only_furniture
}

/// Most digits of a task number (a plan of 999,999 tasks; Markdown's list
/// numbers go to nine).
pub(super) const MAX_NUMBER_DIGITS: usize = 6;

/// `1.` `1、` `1．` `28..` → (number, rest).
pub(super) fn task_number(text: &str) -> Option<(String, String)> {
    let t = text.trim_start();
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || digits.len() > MAX_NUMBER_DIGITS {
        return None;
    }
    let rest = &t[digits.len()..];
    let rest = rest
        .strip_prefix("..")
        .or_else(|| rest.strip_prefix(['.', '、', '．']))?;
    // "2021年" or "30.2021年" are not numbers of tasks unless followed by text.
    if rest.trim().is_empty() {
        return None;
    }
    // A date or a list of years (`2021.5.1前`, `2021、2022年`) is no task number.
    let year_like = digits.len() == 4 && (digits.starts_with("19") || digits.starts_with("20"));
    if year_like && rest.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some((digits, rest.trim().to_string()))
}

/// True when the text begins like a task whose number has more digits than
/// [`MAX_NUMBER_DIGITS`] (`1000000.…`): it is warned about, never read as text
/// of the task before it.
pub(super) fn oversized_number(text: &str) -> bool {
    let t = text.trim_start();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    digits > MAX_NUMBER_DIGITS && t[digits..].starts_with(['.', '、', '．'])
}

/// The level of an ordinal heading: `一、` → 1, `（一）` → 2.
pub(super) fn heading_level(text: &str) -> Option<u8> {
    let t = text.trim();
    let numerals = "一二三四五六七八九十";
    let lead: String = t.chars().take_while(|c| numerals.contains(*c)).collect();
    if !lead.is_empty() && t[lead.len()..].starts_with('、') {
        return Some(1);
    }
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(rest) = t.strip_prefix(open) {
            let inner: String = rest.chars().take_while(|c| numerals.contains(*c)).collect();
            if !inner.is_empty() && rest[inner.len()..].starts_with(close) {
                return Some(2);
            }
        }
    }
    None
}

/// The lines of a cell that name offices as one unit string: a line per unit,
/// joined by `、`; a line that begins with a parenthesis annotates the unit above
/// it; a line that begins with a unit attribute key (`责任单位：…`) begins a clause,
/// joined by `；` (so that `牵头单位：A` / `责任单位：B` stay two roles).
pub(super) fn join_unit_lines<'a>(lines: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for l in lines.into_iter().map(str::trim).filter(|l| !l.is_empty()) {
        if !out.is_empty() && begins_with_unit_key(l) {
            out.push('；');
        } else if !out.is_empty() && !l.starts_with(['（', '(']) {
            out.push('、');
        }
        out.push_str(l);
    }
    out
}

/// True when a line begins with a unit attribute key and a colon (`配合单位：`).
fn begins_with_unit_key(line: &str) -> bool {
    line.split_once(['：', ':']).is_some_and(|(key, _)| {
        let key = to_simplified(key.trim());
        key.chars().count() <= 6 && ["单位", "部门", "科室"].iter().any(|w| key.ends_with(w))
    })
}

/// True when a line begins with a sub-item's mark: `（1）`, `(1)`, `1）`, `①`.
pub(super) fn starts_with_sub_item(text: &str) -> bool {
    let t = text.trim_start();
    if t.starts_with(|c: char| ('①'..='⑳').contains(&c)) {
        return true;
    }
    let inner = t.strip_prefix(['（', '(']).unwrap_or(t);
    let digits = inner.chars().take_while(char::is_ascii_digit).count();
    (1..=2).contains(&digits) && inner[digits..].starts_with(['）', ')'])
}

/// The words that name a deadline: a column's header or an attribute line's key.
pub(super) const DEADLINE_KEYS: &[&str] = &["完成时限", "时限要求", "完成时间"];

/// The value of a deadline attribute line (`完成时限：2024年底前`), if the line is one.
pub(super) fn deadline_line(text: &str) -> Option<&str> {
    let (key, value) = text.split_once(['：', ':'])?;
    let key = to_simplified(key.trim());
    DEADLINE_KEYS
        .contains(&key.as_str())
        .then(|| value.trim())
        .filter(|v| !v.is_empty())
}

/// True when the line is a unit attribute line (`配合单位：各乡镇`).
pub(super) fn is_unit_line(text: &str) -> bool {
    crate::parse::is_attribute_line(text) && deadline_line(text).is_none() && is_unit_cell(text)
}

/// True when every segment of the text names an office (a unit cell).
pub(super) fn is_unit_cell(text: &str) -> bool {
    let t = text.trim();
    if t.is_empty() || t.chars().count() > 200 || starts_with_sub_item(t) {
        return false;
    }
    if let Some(clauses) = keyed_clauses(t) {
        let deadline = |key: &str| DEADLINE_KEYS.contains(&to_simplified(key).as_str());
        return clauses.iter().any(|(key, _)| !deadline(key))
            && clauses
                .iter()
                .all(|(key, value)| deadline(key) || is_unit_cell(value));
    }
    let units = parse_unit_string(t, Role::Responsible);
    let names: Vec<&String> = units.iter().map(|(_, n)| n).collect();
    !names.is_empty()
        && names.iter().all(|n| {
            let bare = to_simplified(&crate::text::strip_annotations(n));
            bare.chars().count() <= 20 && OFFICE_ENDINGS.iter().any(|e| bare.ends_with(e))
        })
}

/// `法规科和区划地名科` → `法规科、区划地名科`: a 和 between two names of offices
/// (each side ends like one) lists them; inside a name (`住房和城乡建设局`,
/// `发展和改革局`) it stays.
pub(super) fn split_and(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('和') {
        return text.into();
    }
    let is_separator = |c: char| {
        matches!(
            c,
            '、' | '，' | ',' | '；' | ';' | ' ' | '（' | '(' | '）' | ')'
        )
    };
    let office = |name: &str| {
        let bare = to_simplified(name.trim());
        bare.chars().count() >= 2 && OFFICE_ENDINGS.iter().any(|e| bare.ends_with(e))
    };
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        if c == '和' {
            let left_start = text[..i].rfind(is_separator).map_or(0, |p| {
                p + text[p..].chars().next().map_or(1, char::len_utf8)
            });
            let right = &text[i + c.len_utf8()..];
            let right_end = right.find(is_separator).unwrap_or(right.len());
            if office(&text[left_start..i]) && office(&right[..right_end]) {
                out.push('、');
                continue;
            }
        }
        out.push(c);
    }
    out.into()
}

/// A category without an ordinal: short, no sentence punctuation.
pub(super) fn is_plain_title(text: &str) -> bool {
    let t = text.trim();
    let n = t.chars().count();
    (4..=40).contains(&n)
        && !t.contains(['。', '，', ',', '；', ';', '：', ':'])
        && task_number(t).is_none()
        && !is_date(t)
}

/// A date alone (`2024年4月1日`, the notice's signature).
pub(super) fn is_date(text: &str) -> bool {
    let rest = text.trim_start_matches(|c: char| c.is_ascii_digit());
    let Some(rest) = rest.strip_prefix('年') else {
        return false;
    };
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    let Some(rest) = rest.strip_prefix('月') else {
        return false;
    };
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    rest == "日" && text.len() > rest.len()
}

/// A deadline cell: a short time expression (2021年底前, 长期坚持, 每季度).
pub(super) fn looks_like_deadline(text: &str) -> bool {
    let t = to_simplified(text);
    t.chars().count() <= 30
        && !is_unit_cell(&t)
        && ["年", "月", "底", "前", "长期", "持续", "日", "季度", "常态"]
            .iter()
            .any(|w| t.contains(w))
}

/// Lines of the notice that are metadata, not text (文号, 发布日期, navigation).
pub(super) fn is_metadata_line(t: &str) -> bool {
    let s = to_simplified(t);
    s.contains("文号") || s.contains("发布日期") || s.contains("信息来源")
}

/// The clauses of a unit string: cut at `；` `;`, and at `，` `,` where a keyed
/// clause begins (`责任单位:A、B,完成时限:全年`).
pub(super) fn clauses(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        let next = i + c.len_utf8();
        let cut = match c {
            '；' | ';' => true,
            '，' | ',' => {
                let rest = &text[next..];
                rest.find(['：', ':']).is_some_and(|colon| {
                    crate::parse::is_attribute_line(&format!("{}：x", rest[..colon].trim()))
                })
            }
            _ => false,
        };
        if cut {
            out.push(text[start..i].trim());
            start = next;
        }
    }
    out.push(text[start..].trim());
    out.retain(|c| !c.is_empty());
    out
}

/// `牵头单位：A、B；责任单位：C` (full-width or ASCII punctuation, any script) →
/// its clauses, each an attribute key and its units; `None` unless every clause
/// has a key. A deadline clause (`完成时限：全年`) may be among them.
pub(super) fn keyed_clauses(text: &str) -> Option<Vec<(String, String)>> {
    let clauses = clauses(text);
    let keyed: Vec<(String, String)> = clauses
        .iter()
        .filter_map(|c| {
            let colon = c.find(['：', ':'])?;
            let key = c[..colon].trim();
            let width = c[colon..].chars().next().map_or(1, char::len_utf8);
            crate::parse::is_attribute_line(&format!("{key}：x"))
                .then(|| (key.to_string(), c[colon + width..].trim().to_string()))
        })
        .collect();
    (!keyed.is_empty() && keyed.len() == clauses.len()).then_some(keyed)
}

/// A unit string's keyed clauses written as the plan format reads them (each
/// `key：value`, joined by `；`); other strings as they are.
pub(super) fn normalize_clauses(text: &str) -> String {
    match keyed_clauses(text) {
        Some(keyed) => keyed
            .iter()
            .map(|(k, v)| format!("{k}：{v}"))
            .collect::<Vec<_>>()
            .join("；"),
        None => text.to_string(),
    }
}

/// The unit groups of a prose task: parenthesized unit strings (`（…牵头落实）`,
/// `(牽頭單位:A;責任單位:B)`, full-width or ASCII), as (start, end) byte ranges of
/// the parentheses, in order.
pub(super) fn unit_groups(text: &str) -> Vec<(usize, usize)> {
    let mut groups = Vec::new();
    // Where each open parenthesis is: a group is an outermost pair
    // (`〔责任单位:各乡(镇)人民政府〕`).
    let mut opens: Vec<usize> = Vec::new();
    for (i, c) in text.char_indices() {
        match c {
            '（' | '(' | '〔' => opens.push(i),
            '）' | ')' | '〕' => {
                let start = opens.pop();
                if let Some(start) = start.filter(|_| opens.is_empty()) {
                    let inner =
                        &text[start + text[start..].chars().next().map_or(1, char::len_utf8)..i];
                    // A group closes a sentence (after `。` `；`, or at the end);
                    // `街道（乡镇）政务公开` is a word's annotation, not its units.
                    let closes = crate::text::strip_ordinal(text[..start].trim()).is_empty()
                        || text[..start]
                            .trim_end()
                            .chars()
                            .next_back()
                            .is_none_or(|p| {
                                matches!(p, '。' | '；' | ';' | '！' | '!' | '？' | '?')
                            })
                        || text[i + c.len_utf8()..]
                            .trim_start_matches(['。', '.', '；', ';'])
                            .trim()
                            .is_empty()
                        // A list of measures: `…（A负责）、乙…（B负责）`.
                        || text[i + c.len_utf8()..]
                            .starts_with(['、', '，', ',', '；', ';', '。'])
                        // A keyed clause is never a word's annotation.
                        || keyed_clauses(inner).is_some();
                    if closes && is_unit_cell(inner) {
                        groups.push((start, i + c.len_utf8()));
                    }
                }
            }
            _ => {}
        }
    }
    groups
}

/// `…。（管委会办公室牵头落实）` → (text, units): the unit group that ends the text.
pub(super) fn split_trailing_units(text: &str) -> (String, Option<String>) {
    let t = text.trim();
    let trimmed = t.trim_end_matches(['。', '.', '；', ';']);
    if let Some(&(start, end)) = unit_groups(trimmed).last()
        && end == trimmed.len()
    {
        let open = trimmed[start..].chars().next().map_or(1, char::len_utf8);
        let close = trimmed[..end].chars().next_back().map_or(1, char::len_utf8);
        return (
            trimmed[..start].trim().to_string(),
            Some(trimmed[start + open..end - close].to_string()),
        );
    }
    (t.to_string(), None)
}

/// A prose item that carries several unit groups: its clauses, each the text up
/// to a group and that group's units, and the text after the last group (a
/// measure the excerpt cut, or a closing sentence). `None` for fewer than two
/// groups.
pub(super) fn unit_clauses(text: &str) -> Option<(Vec<(String, String)>, String)> {
    let t = text.trim().trim_end_matches(['。', '.', '；', ';']);
    let groups = unit_groups(t);
    if groups.len() < 2 {
        return None;
    }
    let mut out = Vec::new();
    let mut from = 0;
    for (_, end) in groups {
        let (clause, units) = split_trailing_units(&t[from..end]);
        // The separator that listed this measure after the one before it.
        let clause = clause
            .trim_start_matches(['、', '，', ',', '；', ';', '。'])
            .trim()
            .to_string();
        out.push((clause, units?));
        from = end;
    }
    Some((out, text.trim()[from..].trim().to_string()))
}

/// The text without its last character.
pub(super) fn without_last_char(s: &str) -> &str {
    s.char_indices().last().map_or("", |(i, _)| &s[..i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn and_between_two_offices_lists_them() {
        assert_eq!(
            split_and("法规科和区划地名科、各相关科室"),
            "法规科、区划地名科、各相关科室"
        );
        assert_eq!(split_and("市住房和城乡建设局"), "市住房和城乡建设局");
        assert_eq!(split_and("区发展和改革局牵头"), "区发展和改革局牵头");
    }
}
