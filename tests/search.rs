//! Search relevance over the real content: for every query the COMPLETE set of
//! matching tasks is derived by checking every task's text (the oracle below), not
//! by asking the engine; the engine must return exactly that set.

mod common;

use common::queries::QUERIES;
use common::*;
use gongkai::search::analyzer::fold_str;
use gongkai::search::{SearchError, SearchIndex, SearchRequest, SearchResponse};
use gongkai::text::escape_html;
use std::collections::BTreeSet;
use std::sync::LazyLock;

type Key = (String, String);

static SITE: LazyLock<Built> = LazyLock::new(build_content);

fn index() -> SearchIndex {
    SearchIndex::open(&SITE.out()).expect("index opens")
}

fn search(q: &str) -> SearchResponse {
    index()
        .search(&SearchRequest {
            query: q.into(),
            limit: 100,
            ..Default::default()
        })
        .unwrap()
}

/// Every hit of a query, page after page.
fn search_all(q: &str) -> (usize, BTreeSet<Key>) {
    let idx = index();
    let mut all = BTreeSet::new();
    let mut page = 1;
    loop {
        let r = idx
            .search(&SearchRequest {
                query: q.into(),
                limit: 50,
                page,
                ..Default::default()
            })
            .unwrap();
        all.extend(found(&r));
        if r.hits.is_empty() || all.len() >= r.total {
            return (r.total, all);
        }
        page += 1;
    }
}

fn found(r: &SearchResponse) -> BTreeSet<Key> {
    r.hits
        .iter()
        .map(|h| (h.plan.clone(), h.number.clone()))
        .collect()
}

/// The oracle. A term is a whitespace-separated piece of the query, or a quoted
/// phrase. A quoted phrase is one word; an unquoted term's words are its cut with
/// the site's vocabulary (`search/words.txt`). A word occurs in a text when each
/// run of it (no space or punctuation inside) of up to two units occurs in the
/// text, and each three consecutive units of a longer run do. Fields: text,
/// requirement, category, units (as printed, and every name of the offices they
/// denote); and the plan's title + issuer, which may satisfy a term only when
/// another term occurs wholly in the task's own fields. Comparison is on folded
/// text (traditional → simplified, full-width → half-width, lowercase). A task
/// matches the query when it matches every term.
fn oracle(query: &str) -> BTreeSet<Key> {
    oracle_with(query, true)
}

/// The oracle's tasks, with or without plan information as a field.
fn oracle_with(query: &str, plan_info: bool) -> BTreeSet<Key> {
    matches(query, plan_info)
        .into_iter()
        .map(|(k, _)| k)
        .collect()
}

/// The terms of a query as the oracle reads them: (folded text, its words).
fn oracle_terms(query: &str) -> Vec<(String, Vec<String>)> {
    let mut terms: Vec<(String, Vec<String>)> = Vec::new();
    for (i, part) in query.split('"').enumerate() {
        if i % 2 == 1 {
            let t = fold_str(part.trim());
            terms.push((t.clone(), vec![t]));
        } else {
            for t in part.split_whitespace().map(fold_str) {
                let words = VOCABULARY.words(&t);
                terms.push((t, words));
            }
        }
    }
    terms.retain(|(_, w)| !w.is_empty());
    terms
}

static VOCABULARY: LazyLock<gongkai::search::terms::Vocabulary> = LazyLock::new(|| {
    gongkai::search::terms::Vocabulary::new(SITE.read("search/words.txt").lines().map(String::from))
});

/// Each matching task, with whether every term occurs wholly in one of its own fields.
fn matches(query: &str, plan_info: bool) -> Vec<(Key, bool)> {
    let terms = oracle_terms(query);
    // Each task's offices by any of their names (data/units.json, direct roles).
    let units: Vec<serde_json::Value> =
        serde_json::from_str(&SITE.read("data/units.json")).unwrap();
    let mut office_names: std::collections::BTreeMap<(String, String), Vec<String>> =
        Default::default();
    for u in &units {
        let mut names = vec![u["name"].as_str().unwrap().to_string()];
        names.extend(
            u["aliases"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap().to_string()),
        );
        for t in u["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["via"].is_null())
        {
            office_names
                .entry((
                    t["plan"].as_str().unwrap().to_string(),
                    t["number"].as_str().unwrap().to_string(),
                ))
                .or_default()
                .extend(names.iter().cloned());
        }
    }
    let mut out = Vec::new();
    for t in SITE.tasks_json() {
        let list = |k: &str| {
            t[k].as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        };
        let mut units = list("lead");
        units.extend(list("responsible"));
        units.extend(list("cooperating"));
        let key = (
            t["plan"].as_str().unwrap().to_string(),
            t["number"].as_str().unwrap().to_string(),
        );
        units.extend(office_names.get(&key).cloned().unwrap_or_default());
        let own: Vec<String> = [
            t["text"].as_str().unwrap().to_string(),
            t["requirement"].as_str().unwrap_or("").to_string(),
            list("category").join(" › "),
            units.join("、"),
        ]
        .iter()
        .map(|f| fold_str(f))
        .collect();
        let info = fold_str(&format!(
            "{} {}",
            t["plan_title"].as_str().unwrap(),
            t["issuer"].as_str().unwrap()
        ));
        let in_own = |w: &String| own.iter().any(|f| occurs(f, w));
        let wholly_own = terms.iter().any(|(_, words)| words.iter().all(in_own));
        let every_term = terms.iter().all(|(_, words)| {
            words
                .iter()
                .all(|w| in_own(w) || (plan_info && occurs(&info, w)))
        });
        if wholly_own && every_term {
            let contiguous = terms
                .iter()
                .all(|(term, _)| own.iter().any(|f| occurs(f, term)));
            out.push((key, contiguous));
        }
    }
    out
}

/// The units of folded text, in runs: a Han character, or a word of ASCII letters
/// and digits; anything else ends a run.
fn unit_runs(text: &str) -> Vec<Vec<String>> {
    let mut runs: Vec<Vec<String>> = vec![Vec::new()];
    let mut word = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            runs.last_mut().unwrap().push(std::mem::take(&mut word));
        }
        if ('\u{3400}'..='\u{9fff}').contains(&c) {
            runs.last_mut().unwrap().push(c.to_string());
        } else {
            runs.push(Vec::new());
        }
    }
    if !word.is_empty() {
        runs.last_mut().unwrap().push(word);
    }
    runs.retain(|r| !r.is_empty());
    runs
}

/// True when the word occurs in the folded text (see [`oracle`]): every run of up
/// to two units, and every three consecutive units of a longer run, stand in it.
fn occurs(hay: &str, word: &str) -> bool {
    unit_runs(word).iter().all(|run| {
        let pieces: Vec<String> = if run.len() <= 2 {
            vec![run.concat()]
        } else {
            run.windows(3).map(|w| w.concat()).collect()
        };
        pieces.iter().all(|p| stands_in(hay, p))
    })
}

/// True when `needle` occurs in `hay`, where Latin letters and digits at either
/// end of the needle must not continue a longer Latin/digit word (`4` does not
/// occur in `2024`; `IPv6` and `12345` match whole).
fn stands_in(hay: &str, needle: &str) -> bool {
    let ascii_word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    hay.match_indices(needle).any(|(i, _)| {
        let before = hay[..i].chars().next_back();
        let after = hay[i + needle.len()..].chars().next();
        let cuts_start = ascii_word(needle.chars().next()) && ascii_word(before);
        let cuts_end = ascii_word(needle.chars().next_back()) && ascii_word(after);
        !cuts_start && !cuts_end
    })
}

fn keys(list: &[(&str, &str)]) -> BTreeSet<Key> {
    list.iter()
        .map(|(p, n)| (p.to_string(), n.to_string()))
        .collect()
}

#[test]
fn every_query_returns_exactly_the_tasks_that_contain_it() {
    assert!(QUERIES.len() >= 60, "{} queries", QUERIES.len());
    let mut non_empty = 0;
    for q in QUERIES {
        let expected = oracle(q);
        let (total, hits) = search_all(q);
        assert_eq!(total, expected.len(), "total for {q:?}");
        assert_eq!(hits, expected, "tasks for {q:?}");
        non_empty += usize::from(!expected.is_empty());
    }
    assert!(non_empty >= 55, "most queries find something ({non_empty})");
}

#[test]
fn hand_checked_expectations_agree_with_the_oracle() {
    let cases: &[(&str, &[(&str, &str)])] = &[
        (
            "疫苗",
            &[
                ("2021-kaiping-changsha", "10"),
                ("2021-fuzhou-cangshan", "9"),
                ("2021-fuzhou-cangshan", "11"),
                ("2021-huadu-yingji", "5"),
                ("2021-zhongshan", "10"),
            ],
        ),
        (
            "农资",
            &[
                ("2021-kaiping-changsha", "7"),
                ("2021-fuzhou-cangshan", "8"),
            ],
        ),
        (
            "预算公开",
            &[
                ("2021-kaiping-changsha", "6"),
                ("2021-baicheng-gongyeyuanqu", "9"),
                ("2021-fuzhou-cangshan", "6"),
                ("2021-zhongshan", "6"),
            ],
        ),
        (
            // Tasks 35 and 36 print 財政局: the same office (data/units.json).
            "市財政局",
            &[
                ("2021-zhongshan", "7"),
                ("2021-zhongshan", "8"),
                ("2021-zhongshan", "9"),
                ("2021-zhongshan", "35"),
                ("2021-zhongshan", "36"),
            ],
        ),
        (
            "粤港澳大湾区",
            &[("2021-zhongshan", "13"), ("2021-zhongshan", "14")],
        ),
        ("H5", &[("2021-fuzhou-cangshan", "15")]),
        ("区块链", &[]),
    ];
    for (q, want) in cases {
        assert_eq!(oracle(q), keys(want), "oracle for {q}");
        assert_eq!(found(&search(q)), keys(want), "engine for {q}");
    }
}

/// Every hit of a query in rank order.
fn ranked(q: &str) -> Vec<Key> {
    let r = index()
        .search(&SearchRequest {
            query: q.into(),
            limit: 100,
            ..Default::default()
        })
        .unwrap();
    assert!(r.total <= 100, "{q}: more than a page");
    r.hits
        .iter()
        .map(|h| (h.plan.clone(), h.number.clone()))
        .collect()
}

#[test]
fn contiguous_matches_rank_first_and_plan_titles_never_pad() {
    // Over the whole suite: the tasks where every term stands contiguously (in one
    // of their own fields) come before all others.
    for q in QUERIES {
        let expected = matches(q, true);
        let contiguous: BTreeSet<Key> = expected
            .iter()
            .filter(|(_, c)| *c)
            .map(|(k, _)| k.clone())
            .collect();
        if expected.len() > 100 {
            continue;
        }
        let ranking = ranked(q);
        let head: BTreeSet<Key> = ranking[..contiguous.len()].iter().cloned().collect();
        assert_eq!(head, contiguous, "{q}: contiguous matches first");
    }
    // The cases: the task printing 基层政务公开标准目录 first, before
    // 完善基层政务公开事项标准目录; a query about offices is not padded by a
    // plan's issuer (中山市人民政府辦公室).
    let first = &ranked("基层政务公开标准目录")[0];
    let text = SITE
        .tasks_json()
        .into_iter()
        .find(|t| t["plan"] == first.0.as_str() && t["number"] == first.1.as_str())
        .unwrap();
    assert!(
        fold_str(&text.to_string()).contains("基层政务公开标准目录"),
        "{first:?}"
    );
    for q in ["市政府办公室", "办公室"] {
        assert_eq!(
            ranked(q).into_iter().collect::<BTreeSet<_>>(),
            oracle_with(q, false),
            "{q}: only tasks that name it"
        );
    }
    // A plan's title still narrows a query that finds tasks by their own text.
    let zs = oracle("中山 疫苗");
    assert_eq!(zs, keys(&[("2021-zhongshan", "10")]));
    assert_eq!(found(&search("中山 疫苗")), zs);

    let fixture = build_fixture(&[(
        "content/plans/p.md",
        &plan(
            "T",
            "I",
            2021,
            "## 类\n\n1. 做好预算、决算公开。\n\n   责任单位：甲办\n\n2. 推进预算公开。\n\n   责任单位：乙办\n\n3. 财政办要做好公开。\n\n   责任单位：甲办\n\n4. 做好信息发布。\n\n   责任单位：财政办\n",
        ),
    )]);
    let idx = SearchIndex::open(&fixture.out()).unwrap();
    let q = |s: &str| {
        idx.search(&SearchRequest {
            query: s.into(),
            limit: 10,
            ..Default::default()
        })
        .unwrap()
    };
    let numbers = |r: SearchResponse| r.hits.into_iter().map(|h| h.number).collect::<Vec<_>>();
    assert_eq!(
        numbers(q("预算公开")),
        ["2", "1"],
        "the term as printed above its words apart"
    );
    assert_eq!(
        numbers(q("财政办")),
        ["4", "3"],
        "the unit above the body text"
    );
    let scores: Vec<u32> = q("预算公开").hits.iter().map(|h| h.score).collect();
    // 2: contiguous in text (10000 + 2×3) + 预算 and 公开 in text (3 + 3); 1: words only.
    assert_eq!(scores, [10_012, 6]);
}

#[test]
fn filters_facets_and_paging() {
    let idx = index();
    let base = SearchRequest {
        query: "公开".into(),
        limit: 10,
        ..Default::default()
    };
    let all = idx.search(&base).unwrap();
    assert!(all.total > 100);
    assert_eq!(
        all.facets.plan.values().sum::<u64>() as usize,
        all.total,
        "facets count every match, not the page"
    );
    assert_eq!(all.facets.year.get("2021").copied(), Some(all.total as u64));
    // Without facets (the CLI's list): the same hits and total, no counts.
    let bare = idx
        .search(&SearchRequest {
            without_facets: true,
            ..base.clone()
        })
        .unwrap();
    assert_eq!(bare.total, all.total);
    let urls = |r: &gongkai::search::SearchResponse| {
        r.hits.iter().map(|h| h.url.clone()).collect::<Vec<_>>()
    };
    assert_eq!(urls(&bare), urls(&all));
    assert!(bare.facets.plan.is_empty() && bare.facets.unit.is_empty());
    let page2 = idx
        .search(&SearchRequest {
            page: 2,
            ..base.clone()
        })
        .unwrap();
    let wide = idx
        .search(&SearchRequest {
            limit: 20,
            ..base.clone()
        })
        .unwrap();
    let urls = |r: &SearchResponse| r.hits.iter().map(|h| h.url.clone()).collect::<Vec<_>>();
    assert_eq!([urls(&all), urls(&page2)].concat(), urls(&wide));

    let zs = idx
        .search(&SearchRequest {
            plan: Some("2021-zhongshan".into()),
            ..base.clone()
        })
        .unwrap();
    assert_eq!(zs.total as u64, all.facets.plan["2021-zhongshan"]);
    assert!(zs.hits.iter().all(|h| h.plan == "2021-zhongshan"));
    // The unit filter takes either script, any spelling of the office, and the
    // facet's label (name and jurisdiction).
    for name in ["市财政局", "財政局", "财政局（中山市）"] {
        let unit = idx
            .search(&SearchRequest {
                unit: Some(name.into()),
                plan: Some("2021-zhongshan".into()),
                ..base.clone()
            })
            .unwrap();
        assert_eq!(
            found(&unit),
            keys(&[
                ("2021-zhongshan", "7"),
                ("2021-zhongshan", "8"),
                ("2021-zhongshan", "9"),
                ("2021-zhongshan", "35"),
                ("2021-zhongshan", "36"),
            ]),
            "{name}"
        );
    }
    // Unit facets name offices with their jurisdiction, never slugs.
    assert!(
        all.facets
            .unit
            .keys()
            .all(|k| k.ends_with('）') && k.contains('（')),
        "{:?}",
        all.facets.unit
    );
    let data = idx
        .search(&SearchRequest {
            unit: Some("市政務服務數據管理局".into()),
            query: "政策".into(),
            limit: 50,
            ..Default::default()
        })
        .unwrap();
    assert!(data.total >= 3 && data.hits.iter().all(|h| h.plan == "2021-zhongshan"));
    assert_eq!(
        idx.search(&SearchRequest {
            year: Some(2020),
            ..base.clone()
        })
        .unwrap()
        .total,
        0
    );
    assert!(
        all.facets
            .unit
            .contains_key("党政综合办（开平市人民政府长沙街道办事处）")
            && all.facets.category.contains_key("做好财政信息公开")
    );
}

#[test]
fn snippets_mark_the_right_characters_of_traditional_text() {
    for q in [
        "信息公开",
        "财政资金",
        "疫苗 接种",
        "粤港澳大湾区",
        "１２３４５",
    ] {
        let r = search(q);
        assert!(!r.hits.is_empty(), "{q}");
        let terms = gongkai::search::terms::parse_terms(q, &VOCABULARY).0;
        let mut marked_hits = 0;
        for h in &r.hits {
            if !h.snippet.contains("<mark>") {
                // Matched in the category, units or plan information: the snippet is the text.
                let context = fold_str(&format!(
                    "{} {} {}",
                    h.category,
                    h.units.join("、"),
                    h.plan_title
                ));
                assert!(
                    terms
                        .iter()
                        .flat_map(|t| t.highlights())
                        .any(|w| context.contains(&w)),
                    "{q}: {h:?}"
                );
                continue;
            }
            marked_hits += 1;
            for marked in h
                .snippet
                .split("<mark>")
                .skip(1)
                .map(|s| &s[..s.find("</mark>").unwrap()])
            {
                let folded = fold_str(marked);
                let ok = terms
                    .iter()
                    .flat_map(|t| t.highlights())
                    .any(|w| folded.contains(&w));
                assert!(ok, "{q}: marked {marked:?} is not a query word");
            }
            let plain = h
                .snippet
                .replace("<mark>", "")
                .replace("</mark>", "")
                .replace('…', "");
            let task = SITE
                .tasks_json()
                .into_iter()
                .find(|t| {
                    format!(
                        "/plans/{}/#task-{}",
                        t["plan"].as_str().unwrap(),
                        t["number"].as_str().unwrap()
                    ) == h.url
                })
                .unwrap();
            let source = format!(
                "{}{}",
                task["text"].as_str().unwrap(),
                task["requirement"].as_str().unwrap_or("")
            );
            assert!(
                source.contains(plain.trim_end())
                    || task["requirement"]
                        .as_str()
                        .unwrap_or("")
                        .contains(plain.trim_end()),
                "{q}: snippet {plain:?} is printed text"
            );
        }
        assert!(
            marked_hits * 2 >= r.hits.len(),
            "{q}: most snippets mark a match"
        );
    }
    let r = search("财政资金");
    assert!(
        r.hits
            .iter()
            .any(|h| h.snippet.contains("<mark>財政資金</mark>")),
        "traditional characters are marked as printed"
    );
}

#[test]
fn a_match_in_the_units_or_headings_is_marked_there() {
    let unmark = |s: &str| s.replace("<mark>", "").replace("</mark>", "");
    let r = search("区财政局");
    let by_unit: Vec<_> = r
        .hits
        .iter()
        .filter(|h| !h.snippet.contains("<mark>"))
        .collect();
    assert!(
        !by_unit.is_empty(),
        "some tasks are found by their units only"
    );
    for h in &r.hits {
        // Every unit name and the headings come back whole, escaped, only marks added.
        let names: Vec<String> = h.units.iter().map(|u| escape_html(u)).collect();
        let unmarked: Vec<String> = h.units_html.iter().map(|u| unmark(u)).collect();
        assert_eq!(unmarked, names, "{h:?}");
        assert_eq!(unmark(&h.category_html), escape_html(&h.category), "{h:?}");
    }
    for h in by_unit {
        assert!(
            h.units_html
                .iter()
                .any(|u| u.contains("<mark>区财政局</mark>")),
            "the matching unit is marked: {h:?}"
        );
    }
    let r = search("政务公开");
    assert!(
        r.hits
            .iter()
            .any(|h| h.category_html.contains("<mark>政务公开</mark>")),
        "a matching heading is marked"
    );
}

#[test]
fn bad_queries_never_fail() {
    let idx = index();
    let q = |s: &str| {
        idx.search(&SearchRequest {
            query: s.into(),
            limit: 10,
            ..Default::default()
        })
    };
    assert!(matches!(q(""), Err(SearchError::EmptyQuery)));
    assert!(matches!(q(" \t\n　"), Err(SearchError::EmptyQuery)));
    let long = q(&"疫苗".repeat(5_000)).unwrap();
    assert!(long.truncated && long.notice.as_deref().unwrap().contains("200"));
    for s in [
        "\"疫苗",
        "疫苗\"",
        "\"\"",
        "title:疫苗",
        "(疫苗) AND [预算]",
        "疫苗^2 ~预算* {x} \\ + - !",
        "😀",
        "😀疫苗😀",
        "\u{0}",
        "'; DROP TABLE",
    ] {
        let r = q(s).unwrap_or_else(|e| panic!("{s:?}: {e}"));
        assert!(r.total <= 184, "{s:?}");
    }
    assert_eq!(
        q("(疫苗)").unwrap().total,
        oracle("疫苗").len(),
        "syntax characters are separators"
    );
    assert_eq!(
        q("😀").unwrap().notice.as_deref(),
        Some("查询中没有可搜索的文字或数字。")
    );
}

#[test]
fn cli_search_plain_and_json() {
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .env("LC_ALL", "C")
            .args(["search", "--output"])
            .arg(SITE.out())
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&["疫苗", "--json", "--limit", "2"]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["query"], "疫苗");
    assert_eq!(v["total"], 5);
    assert_eq!(v["hits"].as_array().unwrap().len(), 2);
    for key in ["plan", "number", "url", "score", "snippet"] {
        assert!(!v["hits"][0][key].is_null(), "{key}");
    }
    assert!(v["facets"]["plan"].is_object());
    let plain = String::from_utf8(run(&["疫苗", "--plan", "2021-zhongshan"]).stdout).unwrap();
    assert!(
        plain.contains("“疫苗”: 1 task\n") && plain.contains("【疫苗】"),
        "{plain}"
    );
    let chinese = run(&["疫苗", "--plan", "2021-zhongshan", "--lang", "zh"]).stdout;
    let chinese = String::from_utf8(chinese).unwrap();
    assert!(chinese.contains("共 1 项任务"), "{chinese}");
    let empty = run(&["  "]);
    assert_eq!(empty.status.code(), Some(2));
}
