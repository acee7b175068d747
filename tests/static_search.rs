//! The browser's engine (themes/default/static/search-engine.js, run by node over
//! the static index on disk) answers exactly what the server answers: the same
//! hits in the same order with the same scores and snippets, the same total,
//! facets and notices — for the relevance suite with and without filters and
//! pages, on the bundled site and on a 3,000-task corpus.

mod common;

use common::queries::QUERIES;
use common::*;
use gongkai::search::{SearchIndex, SearchRequest};
use std::path::Path;
use std::process::{Command, Stdio};

/// Skips (with a message) where node is missing; CI must have it.
fn node_missing() -> bool {
    let available = Command::new("node").arg("--version").output().is_ok();
    tool_missing(available, "node", "apt-get install nodejs")
}

/// The browser engine's answers to the requests, and the files and bytes it read.
fn browser_answers(
    out: &Path,
    requests: &[serde_json::Value],
) -> (Vec<serde_json::Value>, u64, u64) {
    let mut child = Command::new("node")
        .arg(repo_root().join("tests/static_search/answer.cjs"))
        .arg(out)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    serde_json::to_writer(child.stdin.take().unwrap(), requests).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    (
        v["responses"].as_array().unwrap().clone(),
        v["files"].as_u64().unwrap(),
        v["bytes"].as_u64().unwrap(),
    )
}

fn request_json(r: &SearchRequest) -> serde_json::Value {
    serde_json::json!({
        "query": r.query, "plan": r.plan, "unit": r.unit, "year": r.year,
        "limit": r.limit, "page": r.page,
    })
}

/// The server's answer as JSON (an error as the engine reports it).
fn server_answer(index: &SearchIndex, r: &SearchRequest) -> serde_json::Value {
    match index.search(r) {
        Ok(response) => serde_json::to_value(response).unwrap(),
        Err(_) => serde_json::json!({ "error": "请输入搜索词（q is empty）", "status": 400 }),
    }
}

/// Compares the two engines on every request; returns how many had hits.
fn compare(out: &Path, requests: &[SearchRequest]) -> usize {
    let index = SearchIndex::open(out).unwrap();
    let json: Vec<serde_json::Value> = requests.iter().map(request_json).collect();
    let (browser, _, _) = browser_answers(out, &json);
    let mut with_hits = 0;
    for (r, b) in requests.iter().zip(&browser) {
        let s = server_answer(&index, r);
        assert_eq!(&s, b, "request {r:?}");
        with_hits += usize::from(s["hits"].as_array().is_some_and(|h| !h.is_empty()));
    }
    with_hits
}

/// The suite's queries, with filters, pages and odd input.
fn requests(plans: &[String], units: &[&str]) -> Vec<SearchRequest> {
    let mut out = Vec::new();
    let base = |q: &str| SearchRequest {
        query: q.to_string(),
        limit: 10,
        page: 1,
        ..Default::default()
    };
    for (i, q) in QUERIES.iter().enumerate() {
        out.push(base(q));
        out.push(SearchRequest {
            page: 2,
            limit: 5,
            ..base(q)
        });
        out.push(SearchRequest {
            plan: Some(plans[i % plans.len()].clone()),
            ..base(q)
        });
        out.push(SearchRequest {
            unit: Some(units[i % units.len()].to_string()),
            ..base(q)
        });
        out.push(SearchRequest {
            year: Some(2021),
            limit: 100,
            ..base(q)
        });
    }
    for q in [
        "",
        "   ",
        "。，！",
        "\"\"",
        "“政府信息公开”",
        "政府信息公开 政府信息公开",
        &"政务公开".repeat(80),
        "中山 疫苗",
        "办公室",
        "市政府办公室",
        "ＩＰｖ６ 支持",
        "計畫 企畫 畫",
        "乾隆 回覆",
        "公开",
    ] {
        out.push(base(q));
    }
    out.push(SearchRequest {
        page: 999,
        ..base("公开")
    });
    out.push(SearchRequest {
        limit: 0,
        ..base("公开")
    });
    out.push(SearchRequest {
        limit: 1000,
        ..base("公开")
    });
    out
}

#[test]
fn the_browser_answers_as_the_server_on_the_bundled_site() {
    if node_missing() {
        return;
    }
    let site = shared_content();
    let plans = [
        "2021-zhongshan".to_string(),
        "2021-fuzhou-cangshan".into(),
        "no-such-plan".into(),
    ];
    let units = [
        "财政局（中山市）",
        "市財政局",
        "各科室",
        "党政综合办（开平市人民政府长沙街道办事处）",
        "无此单位",
    ];
    let with_hits = compare(&site.out(), &requests(&plans, &units));
    assert!(with_hits > 200, "{with_hits} requests found something");
}

#[test]
fn the_browser_answers_as_the_server_on_a_3000_task_corpus() {
    if node_missing() {
        return;
    }
    let dir = tempfile::TempDir::new().unwrap();
    let corpus = dir.path().join("corpus");
    let made = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .env("LC_ALL", "C")
        .args(["--root"])
        .arg(repo_root())
        .args(["corpus", "--tasks", "3000", "--seed", "7", "--out"])
        .arg(&corpus)
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let out = corpus.join("output");
    let built = gongkai::build::build(&corpus, &out);
    assert!(built.succeeded(), "{}", built.report());
    let plans: Vec<String> = std::fs::read_dir(corpus.join("content/plans"))
        .unwrap()
        .take(3)
        .map(|e| {
            e.unwrap()
                .path()
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let units = ["财政局", "各镇街", "市直各部门", "党政综合办"];
    let with_hits = compare(&out, &requests(&plans, &units));
    assert!(with_hits > 250, "{with_hits} requests found something");
}
