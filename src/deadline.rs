//! Deadlines: the printed text of a 完成时限 (`2021年底前`, `于2021年12月1日前`,
//! `6月底前`, `持续推进`) read as an ISO date where it names one. A date without a
//! year is in the plan's year. Texts that set no date (`持续推进`, `长期坚持`,
//! `每季度`) have none; the printed text is always kept.

/// The ISO date (`YYYY-MM-DD`) a deadline text sets, in a plan of `year`.
pub fn due_date(text: &str, year: i32) -> Option<String> {
    let t = crate::text::to_simplified(text);
    let t: String = t
        .chars()
        .map(crate::text::fold_fullwidth)
        .filter(|c| !c.is_whitespace())
        .collect();
    let (year, rest) = match find_year(&t) {
        Some((y, rest)) => (y, rest),
        None => (year, t.as_str()),
    };
    if rest.starts_with("年底")
        || rest.starts_with("底")
        || t.contains("年底")
        || t.contains("年内")
        || t.contains("下半年")
    {
        return Some(format!("{year:04}-12-31"));
    }
    if t.contains("上半年") {
        return Some(format!("{year:04}-06-30"));
    }
    for (words, month) in [
        (&["第一季度", "一季度"][..], 3),
        (&["第二季度", "二季度"][..], 6),
        (&["第三季度", "三季度"][..], 9),
        (&["第四季度", "四季度"][..], 12),
    ] {
        if words.iter().any(|w| t.contains(w)) && !t.contains("每季度") {
            return Some(format!("{year:04}-{month:02}-{:02}", last_day(year, month)));
        }
    }
    let (month, after) = number_before(rest, '月')?;
    if !(1..=12).contains(&month) {
        return None;
    }
    if let Some((day, after_day)) =
        number_before(after, '日').or_else(|| number_before(after, '号'))
    {
        let ok = (1..=last_day(year, month)).contains(&day)
            && !after_day.starts_with("后")
            && !after_day.starts_with("起");
        return ok.then(|| format!("{year:04}-{month:02}-{day:02}"));
    }
    if after.starts_with("底")
        || after.starts_with("末")
        || after.starts_with("份")
        || after.starts_with("内")
    {
        return Some(format!("{year:04}-{month:02}-{:02}", last_day(year, month)));
    }
    if after.starts_with("前") {
        // `6月前`: before June begins.
        let (y, m) = if month == 1 {
            (year - 1, 12)
        } else {
            (year, month - 1)
        };
        return Some(format!("{y:04}-{m:02}-{:02}", last_day(y, m)));
    }
    None
}

/// True when the text names a date that cannot be (`2026年13月底前`, `2月30日`):
/// it sets no due date, and the editor should hear of it.
pub fn impossible_date(text: &str) -> bool {
    let t: String = crate::text::to_simplified(text)
        .chars()
        .map(crate::text::fold_fullwidth)
        .filter(|c| !c.is_whitespace())
        .collect();
    let (year, rest) = find_year(&t).unwrap_or((2000, t.as_str()));
    let Some((month, after)) = number_before(rest, '月') else {
        return false;
    };
    if !(1..=12).contains(&month) {
        return true;
    }
    number_before(after, '日')
        .or_else(|| number_before(after, '号'))
        .is_some_and(|(day, _)| !(1..=last_day(year, month)).contains(&day))
}

/// A deadline phrase in a task's text (`于2021年12月1日前完成` → `2021年12月1日前`),
/// for tasks without a 完成时限 line.
pub fn phrase_in(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    for end in 0..chars.len() {
        if chars[end] != '前' {
            continue;
        }
        // Walk back over the date: digits, 年, 月, 日, 底.
        let mut start = end;
        while start > 0 {
            let c = chars[start - 1];
            if c.is_ascii_digit()
                || matches!(c, '年' | '月' | '日' | '底' | '号')
                || ('０'..='９').contains(&c)
            {
                start -= 1;
            } else {
                break;
            }
        }
        let phrase: String = chars[start..=end].iter().collect();
        let has_digits = phrase
            .chars()
            .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c));
        let dated = phrase.contains('月') || phrase.contains("年底");
        if has_digits && dated || phrase == "年底前" {
            return Some(phrase);
        }
    }
    None
}

/// `2021年…` → (2021, the rest after 年).
fn find_year(t: &str) -> Option<(i32, &str)> {
    let i = t.find('年')?;
    let digits = &t[..i];
    let start = digits
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit())
        .last()
        .map(|(j, _)| j)?;
    let year: i32 = digits[start..].parse().ok()?;
    ((1949..=2200).contains(&year) && i - start == 4).then(|| (year, &t[i + '年'.len_utf8()..]))
}

/// The number just before `unit` at the start of `t` (after any non-digits):
/// `12月底前` with `月` → (12, `底前`).
fn number_before(t: &str, unit: char) -> Option<(u32, &str)> {
    let i = t.find(unit)?;
    let head = &t[..i];
    let start = head
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit())
        .last()
        .map(|(j, _)| j)?;
    let n = head[start..].parse().ok()?;
    Some((n, &t[i + unit.len_utf8()..]))
}

fn last_day(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impossible_dates_are_told_apart() {
        assert!(impossible_date("2026年13月底前"));
        assert!(impossible_date("2月30日前"));
        assert!(!impossible_date("2026年12月底前"));
        assert!(!impossible_date("持续推进"));
    }

    #[test]
    fn printed_deadlines_to_dates() {
        for (text, due) in [
            ("于2021年12月1日前", Some("2021-12-01")),
            ("2021年底前", Some("2021-12-31")),
            ("年底前", Some("2021-12-31")),
            ("6月底前", Some("2021-06-30")),
            ("2022年6月底前", Some("2022-06-30")),
            ("2022年2月底前", Some("2022-02-28")),
            ("6月前", Some("2021-05-31")),
            ("2021年1月31日前", Some("2021-01-31")),
            ("上半年", Some("2021-06-30")),
            ("第三季度", Some("2021-09-30")),
            ("２０２１年１０月底前", Some("2021-10-31")),
            ("持续推进", None),
            ("长期坚持", None),
            ("每季度", None),
            ("2021年2月30日前", None),
            ("年內", Some("2021-12-31")),
        ] {
            assert_eq!(due_date(text, 2021).as_deref(), due, "{text}");
        }
    }

    #[test]
    fn phrases_in_task_texts() {
        assert_eq!(
            phrase_in("各单位于2021年12月1日前完成自查。").as_deref(),
            Some("2021年12月1日前")
        );
        assert_eq!(
            phrase_in("2021年底前建成专栏。").as_deref(),
            Some("2021年底前")
        );
        assert_eq!(phrase_in("在本方案公布前报备。"), None);
        assert_eq!(phrase_in("10个工作日前"), None);
    }
}
