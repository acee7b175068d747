//! Which office a printed unit name denotes, within one jurisdiction.
//!
//! - Traditional and simplified, full-width and half-width spellings are one name.
//! - The jurisdiction's own prefix is elided: `中山市财政局`, `市财政局` and `财政局`
//!   in a plan of 中山市 are one office. The level prefix (`市`, `区`, `县`, `镇`,
//!   `乡`) counts only where jieba reads it as a word of its own (`市|财政局`, not
//!   `市场|监管局`).
//! - A parenthesized second name is an alias (`市政务服务数据管理局(市信息中心)`); a
//!   parenthesized remark (`区司法局（负责区政府规章）`) is a note on that assignment.
//! - A label that names a set of offices (`市直各部门`, `各镇街`, `其他部门`,
//!   `相关各部门`, `具体业务部门`, a bare `街道办事处`) is a group, not an office.
//! - `gongkai.toml` can declare aliases, keep two names apart, and name a group's
//!   members ([`UnitConfig`]).

use serde::Deserialize;

/// Words that begin a remark in parentheses (a note on the assignment), not a name.
const REMARK_WORDS: &[&str] = &[
    "负责", "牵头", "配合", "协助", "主要", "具体", "仅", "含", "涉及", "包括", "按", "如", "指",
    "其中", "限", "除", "另",
];

/// Endings of office names (an alias in parentheses names an office).
const OFFICE_ENDINGS: &[&str] = &[
    "局",
    "办",
    "委",
    "室",
    "所",
    "中心",
    "政府",
    "办事处",
    "管委会",
    "委员会",
    "院",
    "公司",
    "处",
    "队",
    "站",
    "部",
    "厅",
    "社",
    "科",
    "会",
    "馆",
    "台",
    "行",
    "署",
];

/// `[units]` in `gongkai.toml`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct UnitConfig {
    /// Names that denote one office: `[[units.alias]]`.
    #[serde(default)]
    pub alias: Vec<AliasConfig>,
    /// Names the rules would merge but that are two offices: `[[units.separate]]`.
    #[serde(default)]
    pub separate: Vec<SeparateConfig>,
    /// Groups and their member offices: `[[units.group]]`.
    #[serde(default)]
    pub group: Vec<GroupConfig>,
}

/// `[[units.alias]]`: one office's other names, in one jurisdiction.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct AliasConfig {
    /// The jurisdiction (a plan's `jurisdiction`, or its issuer).
    pub jurisdiction: String,
    /// The office's name.
    pub name: String,
    /// Other names it is printed with.
    pub aliases: Vec<String>,
}

/// `[[units.separate]]`: names in one jurisdiction that stay apart.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct SeparateConfig {
    /// The jurisdiction.
    pub jurisdiction: String,
    /// Names that are different offices.
    pub names: Vec<String>,
}

/// `[[units.group]]`: a group label and the offices it stands for.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct GroupConfig {
    /// The jurisdiction.
    pub jurisdiction: String,
    /// The group's label as printed (`市直各部门`).
    pub name: String,
    /// Its member offices.
    pub members: Vec<String>,
}

/// A printed unit name, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadName {
    /// The office's key within its jurisdiction.
    pub key: String,
    /// The name as printed, without the parenthesized alias or remark.
    pub spelling: String,
    /// A parenthesized second name of the office.
    pub alias: Option<String>,
    /// A parenthesized remark: a note on this assignment.
    pub note: Option<String>,
    /// True for a group label.
    pub group: bool,
}

/// Simplified, half-width, without white space or invisible characters.
fn fold(name: &str) -> String {
    crate::text::to_simplified(name)
        .chars()
        .map(crate::text::fold_fullwidth)
        .filter(|c| !c.is_whitespace() && !crate::text::is_invisible(*c))
        .collect()
}

/// The name without the jurisdiction's prefix: its full name (`中山市`), its name
/// without the level (`中山`), or the level alone where it is a word of its own.
fn without_prefix(jurisdiction: &str, name: &str) -> String {
    let j = fold(jurisdiction);
    let short = j.trim_end_matches(['市', '区', '县', '镇', '乡', '旗']);
    for prefix in [j.as_str(), short] {
        if prefix.chars().count() >= 2
            && let Some(rest) = name.strip_prefix(prefix)
            && rest.chars().count() >= 2
        {
            return without_level(rest);
        }
    }
    without_level(name)
}

/// `市财政局` → `财政局` where jieba reads the level as a word; `市场监管局` stays.
fn without_level(name: &str) -> String {
    let Some(first) = name.chars().next() else {
        return String::new();
    };
    if !matches!(first, '市' | '区' | '县' | '镇' | '乡' | '州' | '省') {
        return name.to_string();
    }
    let rest = &name[first.len_utf8()..];
    let standalone = crate::text::JIEBA
        .cut(name, false)
        .first()
        .is_some_and(|t| t.word.chars().count() == 1);
    if standalone && rest.chars().count() >= 2 {
        rest.to_string()
    } else {
        name.to_string()
    }
}

/// True for a label that names a set of offices.
pub fn is_group(name: &str) -> bool {
    let n = fold(name);
    let n = n.as_str();
    const GENERIC: &[&str] = &[
        "街道办事处",
        "镇人民政府",
        "乡镇人民政府",
        "乡人民政府",
        "街道",
        "镇街",
        "乡镇",
        "社区",
        "村委会",
        "居委会",
        "镇政府",
        "乡镇政府",
    ];
    GENERIC.contains(&n)
        || n.starts_with('各')
        || n.starts_with("其他")
        || n.starts_with("相关")
        || n.starts_with("有关")
        || n.contains("直各")
        || n.contains("各有关")
        || n.contains("各相关")
        || [
            "各部门",
            "各单位",
            "职能部门",
            "业务部门",
            "有关部门",
            "相关部门",
            "成员单位",
            "各科室",
        ]
        .iter()
        .any(|e| n.ends_with(e))
}

/// Splits a printed name into its name and a parenthesized part.
fn split_parenthesis(name: &str) -> (String, Option<String>) {
    let t = name.trim();
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(inner) = t.strip_suffix(close)
            && let Some(at) = inner.rfind(open)
        {
            let outer = inner[..at].trim();
            let part = inner[at + open.len_utf8()..].trim();
            if !outer.is_empty() && !part.is_empty() {
                return (outer.to_string(), Some(part.to_string()));
            }
        }
    }
    (t.to_string(), None)
}

/// Reads a printed unit name of a plan of `jurisdiction`.
pub fn read_name(jurisdiction: &str, printed: &str) -> ReadName {
    let (spelling, part) = split_parenthesis(printed);
    let (alias, note) = match part {
        Some(p) => {
            let folded = fold(&p);
            let remark = REMARK_WORDS.iter().any(|w| folded.starts_with(w))
                || folded.contains("负责")
                || !OFFICE_ENDINGS.iter().any(|e| folded.ends_with(e));
            if remark {
                (None, Some(p))
            } else {
                (Some(p), None)
            }
        }
        None => (None, None),
    };
    let group = is_group(&spelling);
    let folded = fold(&spelling);
    let key = if group {
        folded
    } else {
        without_prefix(jurisdiction, &folded)
    };
    ReadName {
        key,
        spelling,
        alias,
        note,
        group,
    }
}

/// The key a name has within a jurisdiction, before aliases are applied.
pub fn name_key(jurisdiction: &str, name: &str) -> String {
    read_name(jurisdiction, name).key
}

impl UnitConfig {
    /// Every configured name's key → the key of the office it names, per
    /// jurisdiction key: `[[units.alias]]` maps its aliases to its name (a later
    /// entry for the same alias overrides an earlier one where they are stored).
    pub fn alias_keys(&self) -> impl Iterator<Item = ((String, String), String)> + '_ {
        self.alias.iter().flat_map(|a| {
            let j = fold(&a.jurisdiction);
            let target = name_key(&a.jurisdiction, &a.name);
            a.aliases.iter().map(move |alias| {
                (
                    (j.clone(), name_key(&a.jurisdiction, alias)),
                    target.clone(),
                )
            })
        })
    }

    /// Names kept apart: (jurisdiction key, folded name) pairs whose key is the
    /// folded name itself, without prefix elision.
    pub fn separate_names(&self) -> impl Iterator<Item = (String, String)> + '_ {
        self.separate.iter().flat_map(|s| {
            let j = fold(&s.jurisdiction);
            s.names.iter().map(move |n| (j.clone(), fold(n)))
        })
    }
}

/// The jurisdiction key of a jurisdiction name.
pub fn jurisdiction_key(jurisdiction: &str) -> String {
    fold(jurisdiction)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_office_many_spellings() {
        let key = |n| read_name("中山市", n).key;
        assert_eq!(key("市財政局"), key("財政局"));
        assert_eq!(key("中山市财政局"), key("财政局"));
        assert_eq!(key("市衛生健康局"), key("衛生健康局"));
        assert_ne!(key("市場監管局"), key("場監管局"));
        assert_eq!(key("市場監管局"), "市场监管局");
        let r = read_name("中山市", "市政務服務數據管理局(市信息中心)");
        assert_eq!(r.key, key("市政務服務數據管理局"));
        assert_eq!(r.alias.as_deref(), Some("市信息中心"));
        assert_eq!(r.note, None);
        let r = read_name("福州市仓山区", "区司法局（负责区政府规章）");
        assert_eq!(r.key, read_name("福州市仓山区", "区司法局").key);
        assert_eq!(r.note.as_deref(), Some("负责区政府规章"));
        assert_eq!(r.spelling, "区司法局");
    }

    #[test]
    fn groups_are_not_offices() {
        for g in [
            "市直各部門",
            "各鎮街",
            "其他部門",
            "区直各单位",
            "区直各有关单位",
            "各镇人民政府",
            "街道办事处",
            "各科室",
            "各职能部门",
            "具体业务部门",
            "相关各部门",
            "其他單位",
        ] {
            assert!(is_group(g), "{g}");
        }
        for o in [
            "市財政局",
            "长沙街道办事处",
            "城南办事处",
            "办公室",
            "政策法规科",
        ] {
            assert!(!is_group(o), "{o}");
        }
    }
}
