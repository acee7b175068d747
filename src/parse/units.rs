//! The unit-string grammar: `财政办牵头，公共服务办、农业农村办` → lead 财政办,
//! cooperating 公共服务办 and 农业农村办.
//!
//! A unit string is a sequence of segments separated by `、，,；;。`, white space or
//! line breaks (never inside parentheses). A segment is a unit name, optionally
//! followed by a role word. A role word gives its role to its own unit and to every
//! unmarked unit since the previous role word; a role word in parentheses after a
//! name (`市审计局（牵头）`) gives it to that unit only. Unmarked units left at the end
//! take the cooperating role after a lead clause, the previous role after any other
//! clause, and the default role (from the attribute key) when no role word occurs.
//! Clauses keyed by a role (`牵头：A；配合：B、C`, `责任单位:D`) give their units that
//! role.

use crate::model::{Role, Units};

/// Role words, in simplified characters, longest first so that `牵头落实` wins over `落实`.
const ROLE_SUFFIXES: &[(&str, Role)] = &[
    ("牵头负责", Role::Lead),
    ("牵头落实", Role::Lead),
    ("牵头", Role::Lead),
    ("配合落实", Role::Cooperating),
    ("协助配合", Role::Cooperating),
    ("配合", Role::Cooperating),
    ("协助", Role::Cooperating),
    ("分别负责落实", Role::Responsible),
    ("参照落实", Role::Responsible),
    ("参照执行", Role::Responsible),
    ("分别牵头落实", Role::Lead),
    ("分别牵头", Role::Lead),
    ("分别负责", Role::Responsible),
    ("分别落实", Role::Responsible),
    ("负责落实", Role::Responsible),
    ("具体落实", Role::Responsible),
    ("共同落实", Role::Responsible),
    ("负责", Role::Responsible),
    ("落实", Role::Responsible),
];

/// Phrases that mark the rest of a segment as a responsibility clause
/// (`按职责分工落实`, `按照职责分工强化监管`).
const RESPONSIBLE_INFIXES: &[&str] = &[
    "按照职责分工",
    "按职责分工",
    "按照职能分工",
    "按职能分工",
    "按照职责",
    "按职责",
    "按职能",
    "按各自职责",
];

/// Words closing a list of units before its role word: `…中山供电局等部门按照职责分工落实`.
const LIST_ENDINGS: &[&str] = &["等部门", "等单位", "等"];

fn is_separator(c: char) -> bool {
    matches!(
        c,
        '、' | '，' | ',' | '；' | ';' | '。' | '\n' | '\r' | ' ' | '\t' | '\u{3000}'
    )
}

/// Splits a unit string at separators that stand outside parentheses.
fn segments(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match c {
            '（' | '(' => depth += 1,
            '）' | ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 && is_separator(c) => {
                out.push(&s[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    let mut segments: Vec<&str> = Vec::new();
    let mut joined_from: Option<usize> = None;
    for segment in out.into_iter().map(str::trim).filter(|s| !s.is_empty()) {
        // `各市、县（市、区）教育局`: a level of government alone shares the name
        // that follows (one unit, as printed).
        if let Some(from) = joined_from.take() {
            let end = segment.as_ptr() as usize - s.as_ptr() as usize + segment.len();
            segments.push(s[from..end].trim());
            continue;
        }
        if LEVELS_ALONE.contains(&crate::text::to_simplified(segment).as_str()) {
            joined_from = Some(segment.as_ptr() as usize - s.as_ptr() as usize);
            continue;
        }
        segments.push(segment);
    }
    if let Some(from) = joined_from {
        segments.push(s[from..].trim());
    }
    segments
}

/// Levels of government printed alone before a list's shared name.
const LEVELS_ALONE: &[&str] = &["各市", "各县", "各区", "各省", "各乡", "各镇"];

/// Byte length of the prefix of `printed` that corresponds to the first `chars`
/// characters (folding is one character for one character).
fn prefix_len(printed: &str, chars: usize) -> usize {
    printed
        .char_indices()
        .nth(chars)
        .map_or(printed.len(), |(i, _)| i)
}

/// A role word in parentheses closing a segment (`市审计局（牵头）`, `(配合单位)`):
/// the unit name before it and the role.
fn parenthesized_role(segment: &str) -> Option<(&str, Role)> {
    let inner_end = segment.strip_suffix(['）', ')'])?;
    let open = inner_end.rfind(['（', '('])?;
    let name = inner_end[..open].trim();
    let inner = crate::text::to_simplified(
        &inner_end[open..][inner_end[open..].chars().next()?.len_utf8()..],
    );
    let role = role_of_word(inner.trim())?;
    (!name.is_empty()).then_some((name, role))
}

/// Splits one segment into its unit name (as printed) and its role word, if any.
fn split_role(segment: &str) -> (&str, Option<Role>) {
    let folded = crate::text::to_simplified(segment);
    // The role word must stand outside parentheses: find where the last one closes.
    let outside_from = folded.rfind(['）', ')']).map_or(0, |i| {
        i + folded[i..].chars().next().map_or(1, char::len_utf8)
    });
    let tail = &folded[outside_from..];
    let cut = |folded_byte: usize| {
        let chars = folded[..folded_byte].chars().count();
        &segment[..prefix_len(segment, chars)]
    };
    for infix in RESPONSIBLE_INFIXES {
        if let Some(pos) = tail.find(infix) {
            return (
                trim_list_ending(cut(outside_from + pos)),
                Some(Role::Responsible),
            );
        }
    }
    for (suffix, role) in ROLE_SUFFIXES {
        if tail.ends_with(suffix) {
            return (
                trim_list_ending(cut(folded.len() - suffix.len())),
                Some(*role),
            );
        }
    }
    (trim_list_ending(segment), None)
}

/// A name without the words that close a list of units (`市农业农村局等有关部门`,
/// `土管所等`): `等` and at most eight characters after it naming no office of
/// its own (`有关部门`, `市有关单位`).
fn trim_list_ending(name: &str) -> &str {
    let folded = crate::text::to_simplified(name);
    for ending in LIST_ENDINGS {
        if folded.ends_with(ending) && folded.len() > ending.len() {
            let chars = folded.chars().count() - ending.chars().count();
            return name[..prefix_len(name, chars)].trim();
        }
    }
    if let Some(at) = folded.rfind('等') {
        let tail = crate::text::strip_annotations(&folded[at + '等'.len_utf8()..]);
        let generic = tail.chars().count() <= 8
            && ["部门", "单位", "机构", "处室", "科室", "股室"]
                .iter()
                .any(|e| tail.ends_with(e))
            && ["有关", "相关", "其他"].iter().any(|w| tail.contains(w));
        if at > 0 && generic {
            let chars = folded[..at].chars().count();
            return name[..prefix_len(name, chars)].trim();
        }
    }
    name.trim()
}

/// The role a word alone names: a role word (`牵头`, `配合落实`) or a unit attribute
/// key of the plan format (`牵头单位`, `配合部门`). For `市审计局（牵头）` and the keys of
/// clauses (`配合：A、B`).
fn role_of_word(word: &str) -> Option<Role> {
    ROLE_SUFFIXES
        .iter()
        .find(|(w, _)| *w == word)
        .map(|(_, role)| *role)
        .or_else(|| super::unit_key_role(word))
}

/// The role a clause is keyed by (`配合：A、B` → cooperating, `A、B`) and the rest.
fn role_key(clause: &str) -> Option<(Role, &str)> {
    let colon = clause.find(['：', ':'])?;
    let key = crate::text::to_simplified(clause[..colon].trim());
    let role = role_of_word(&key)?;
    let width = clause[colon..].chars().next()?.len_utf8();
    Some((role, &clause[colon + width..]))
}

/// Parses a unit string into units by role. `default` is the role of units when the
/// string has no role word at all (from the attribute key: 牵头单位 → lead).
pub fn parse_unit_string(s: &str, default: Role) -> Units {
    let cleaned = crate::text::strip_invisible(s);
    // Clauses keyed by a role: each clause read with its key's role.
    let clauses: Vec<&str> = cleaned
        .split(['；', ';'])
        .filter(|c| !c.trim().is_empty())
        .collect();
    if clauses.iter().any(|c| role_key(c.trim()).is_some()) {
        let mut units = Units::default();
        for clause in clauses {
            units.extend(match role_key(clause.trim()) {
                Some((role, rest)) => parse_clause(rest, role),
                None => parse_clause(clause, default),
            });
        }
        return units;
    }
    parse_clause(&cleaned, default)
}

/// Parses a unit string without role keys (see [`parse_unit_string`]).
fn parse_clause(s: &str, default: Role) -> Units {
    let mut s = s.trim().trim_end_matches(['。', '.', '；', ';']);
    // A whole string in parentheses, as 001 prints it: （管委会办公室牵头落实）
    if let Some(inner) = s.strip_prefix('（').and_then(|r| r.strip_suffix('）')) {
        s = inner;
    }
    let mut units = Units::default();
    let mut pending: Vec<&str> = Vec::new();
    let mut last_role: Option<Role> = None;
    for segment in segments(s) {
        if let Some((name, role)) = parenthesized_role(segment) {
            units.push(role, name.to_string());
            last_role = Some(role);
            continue;
        }
        let (name, role) = split_role(segment);
        match role {
            Some(role) => {
                for p in pending.drain(..) {
                    units.push(role, p.to_string());
                }
                if !name.is_empty() {
                    units.push(role, name.to_string());
                }
                last_role = Some(role);
            }
            None => pending.push(name),
        }
    }
    let rest_role = match last_role {
        Some(Role::Lead) => Role::Cooperating,
        Some(role) => role,
        None => default,
    };
    for p in pending {
        units.push(rest_role, p.to_string());
    }
    units
}

#[cfg(test)]
mod tests {
    use super::*;
    use Role::*;

    fn check(s: &str, default: Role, lead: &[&str], resp: &[&str], coop: &[&str]) {
        let u = parse_unit_string(s, default);
        fn strs(v: &[String]) -> Vec<&str> {
            v.iter().map(String::as_str).collect()
        }
        let got = (strs(&u.lead), strs(&u.responsible), strs(&u.cooperating));
        assert_eq!(
            got,
            (lead.to_vec(), resp.to_vec(), coop.to_vec()),
            "unit string {s:?}"
        );
    }

    #[test]
    fn clauses_keyed_by_a_role() {
        check(
            "牵头：县财政局；配合：县审计局、各乡镇",
            Responsible,
            &["县财政局"],
            &[],
            &["县审计局", "各乡镇"],
        );
        check(
            "牽頭單位:甲局;責任單位:乙局、丙局",
            Cooperating,
            &["甲局"],
            &["乙局", "丙局"],
            &[],
        );
        // A clause without a key keeps the default role.
        check("甲局；配合：乙局", Lead, &["甲局"], &[], &["乙局"]);
    }

    #[test]
    fn a_role_word_in_parentheses_marks_its_own_unit() {
        check(
            "市审计局（牵头）、市财政局",
            Responsible,
            &["市审计局"],
            &[],
            &["市财政局"],
        );
        check(
            "市財政局(牽頭單位)、市稅務局（配合）",
            Responsible,
            &["市財政局"],
            &[],
            &["市稅務局"],
        );
        // A remark that is not only a role word stays part of the name (a note).
        check(
            "区司法局（负责区政府规章）",
            Responsible,
            &[],
            &["区司法局（负责区政府规章）"],
            &[],
        );
    }

    // Seed 000 (tab table, 责任部门 column)
    #[test]
    fn seed_000_patterns() {
        check(
            "党政综合办、党建办、规划建设办、经济发展办",
            Responsible,
            &[],
            &["党政综合办", "党建办", "规划建设办", "经济发展办"],
            &[],
        );
        check(
            "财政办牵头，公共服务办、农业农村办",
            Responsible,
            &["财政办"],
            &[],
            &["公共服务办", "农业农村办"],
        );
        check(
            "党政综合办牵头，各职能部门配合",
            Responsible,
            &["党政综合办"],
            &[],
            &["各职能部门"],
        );
        check(
            "党政综合办牵头，具体业务部门",
            Responsible,
            &["党政综合办"],
            &[],
            &["具体业务部门"],
        );
        check(
            "司法所、党政综合办",
            Responsible,
            &[],
            &["司法所", "党政综合办"],
            &[],
        );
    }

    // Seed 001 (prose, units in parentheses)
    #[test]
    fn seed_001_patterns() {
        check(
            "（管委会办公室牵头落实）",
            Responsible,
            &["管委会办公室"],
            &[],
            &[],
        );
        check(
            "管委会办公室牵头落实",
            Responsible,
            &["管委会办公室"],
            &[],
            &[],
        );
        check(
            "相关各部门、城南办事处分别落实",
            Lead,
            &[],
            &["相关各部门", "城南办事处"],
            &[],
        );
        check(
            "相关各部门、城南办事处负责落实",
            Lead,
            &[],
            &["相关各部门", "城南办事处"],
            &[],
        );
        check("园区财政局牵头落实", Responsible, &["园区财政局"], &[], &[]);
    }

    // Seed 002 (separate 牵头单位 and 责任单位 columns)
    #[test]
    fn seed_002_patterns() {
        check(
            "区发改局\n区资规局",
            Lead,
            &["区发改局", "区资规局"],
            &[],
            &[],
        );
        check(
            "区发改局 区市场监管局\n区商务局",
            Lead,
            &["区发改局", "区市场监管局", "区商务局"],
            &[],
            &[],
        );
        check(
            "区司法局（负责区政府规章）",
            Lead,
            &["区司法局（负责区政府规章）"],
            &[],
            &[],
        );
        check(
            "区直各有关单位，各镇人民政府、街道办事处",
            Responsible,
            &[],
            &["区直各有关单位", "各镇人民政府", "街道办事处"],
            &[],
        );
        check(
            "区“智慧仓山”管理服务中心、区行政服务中心管委会",
            Lead,
            &["区“智慧仓山”管理服务中心", "区行政服务中心管委会"],
            &[],
            &[],
        );
    }

    // Seed 003 (one cell per line, 责任单位)
    #[test]
    fn seed_003_patterns() {
        check(
            "政策法规科牵头，各科室配合。",
            Responsible,
            &["政策法规科"],
            &[],
            &["各科室"],
        );
        check(
            "办公室牵头，各科室配合。",
            Responsible,
            &["办公室"],
            &[],
            &["各科室"],
        );
    }

    // Seed 004 (traditional, 落實單位)
    #[test]
    fn seed_004_patterns() {
        check(
            "市發展改革局、商務局、市場監管局牽頭,市直各部門按職責分工落實",
            Responsible,
            &["市發展改革局", "商務局", "市場監管局"],
            &["市直各部門"],
            &[],
        );
        check(
            "市政府辦公室、市政務服務數據管理局(市信息中心)牽頭,市直各部門按職責分工落實",
            Responsible,
            &["市政府辦公室", "市政務服務數據管理局(市信息中心)"],
            &["市直各部門"],
            &[],
        );
        check(
            "市直各部門、各鎮街",
            Responsible,
            &[],
            &["市直各部門", "各鎮街"],
            &[],
        );
        check(
            "市衛生健康局牽頭,其他部門按職責分工落實",
            Responsible,
            &["市衛生健康局"],
            &["其他部門"],
            &[],
        );
        check(
            "市政務服務數據管理局牽頭,市直各部門按職責分工落實;各鎮街",
            Responsible,
            &["市政務服務數據管理局"],
            &["市直各部門", "各鎮街"],
            &[],
        );
        check(
            "市直各部門按職責分工落實;各鎮街",
            Responsible,
            &[],
            &["市直各部門", "各鎮街"],
            &[],
        );
        check(
            "市新聞辦、市直各部門、各鎮街",
            Responsible,
            &[],
            &["市新聞辦", "市直各部門", "各鎮街"],
            &[],
        );
        check(
            "市政府辦公室牽頭,市直各部門、各鎮街",
            Responsible,
            &["市政府辦公室"],
            &[],
            &["市直各部門", "各鎮街"],
        );
        check(
            "市政府辦公室牽頭,市直各部門、各鎮街按職責分工落實",
            Responsible,
            &["市政府辦公室"],
            &["市直各部門", "各鎮街"],
            &[],
        );
        check(
            "市司法局牽頭,市政務服務數據管理局(市信息中心)配合",
            Responsible,
            &["市司法局"],
            &[],
            &["市政務服務數據管理局(市信息中心)"],
        );
        check(
            "市政務服務數據管理局牽頭,其他單位按職責分工落實",
            Responsible,
            &["市政務服務數據管理局"],
            &["其他單位"],
            &[],
        );
        check(
            "市直各部門、各鎮街。市發展改革局、財政局、審計局、市場監管局按照職責分工強化監管。",
            Responsible,
            &[],
            &[
                "市直各部門",
                "各鎮街",
                "市發展改革局",
                "財政局",
                "審計局",
                "市場監管局",
            ],
            &[],
        );
        check(
            "市教育體育局、生態環境局、住房城鄉建設局、交通運輸局、衛生健康局、水務局、中山供電局等部門按照職責分工落實",
            Responsible,
            &[],
            &[
                "市教育體育局",
                "生態環境局",
                "住房城鄉建設局",
                "交通運輸局",
                "衛生健康局",
                "水務局",
                "中山供電局",
            ],
            &[],
        );
        check("市政府辦公室", Responsible, &[], &["市政府辦公室"], &[]);
    }

    #[test]
    fn edge_cases() {
        check("", Responsible, &[], &[], &[]);
        check("、，；", Responsible, &[], &[], &[]);
        check(
            "甲办牵头，乙办配合，甲办牵头",
            Responsible,
            &["甲办"],
            &[],
            &["乙办"],
        );
        check("A局 (B) 配合", Responsible, &[], &[], &["A局", "(B)"]);
        check("负责", Lead, &[], &[], &[]);
    }
}
