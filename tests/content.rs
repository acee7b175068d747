//! The five real plans in `content/` build into a complete, consistent site.

mod common;

use common::*;
use std::collections::{BTreeMap, BTreeSet};

const KAIPING: &str = "2021-kaiping-changsha";
const BAICHENG: &str = "2021-baicheng-gongyeyuanqu";
const CANGSHAN: &str = "2021-fuzhou-cangshan";
const HUADU: &str = "2021-huadu-yingji";
const ZHONGSHAN: &str = "2021-zhongshan";

fn task<'a>(tasks: &'a [serde_json::Value], plan: &str, number: &str) -> &'a serde_json::Value {
    tasks
        .iter()
        .find(|t| t["plan"] == plan && t["number"] == number)
        .unwrap_or_else(|| panic!("{plan} task {number}"))
}

fn names(v: &serde_json::Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect()
}

#[test]
fn every_task_of_the_five_plans_is_built() {
    let site = shared_content();
    let tasks = site.tasks_json();
    let mut counts = BTreeMap::new();
    for t in &tasks {
        *counts
            .entry(t["plan"].as_str().unwrap().to_string())
            .or_insert(0) += 1;
    }
    let expected = BTreeMap::from([
        (KAIPING.to_string(), 40),
        (BAICHENG.to_string(), 17),
        (CANGSHAN.to_string(), 34),
        (HUADU.to_string(), 45),
        (ZHONGSHAN.to_string(), 48),
    ]);
    assert_eq!(counts, expected);
    assert_eq!(tasks.len(), 184);
    // Numbers run 1..=N in each plan, as printed.
    for (plan, n) in &expected {
        let numbers: Vec<String> = tasks
            .iter()
            .filter(|t| t["plan"] == plan.as_str())
            .map(|t| t["number"].as_str().unwrap().to_string())
            .collect();
        let want: Vec<String> = (1..=*n).map(|i| i.to_string()).collect();
        assert_eq!(numbers, want, "{plan}");
    }
    let summary = site.outcome.summary.as_ref().unwrap();
    assert_eq!((summary.plans, summary.tasks), (5, 184));
}

#[test]
fn roles_from_unit_strings_and_merged_cells() {
    let site = shared_content();
    let tasks = site.tasks_json();
    let t7 = task(&tasks, KAIPING, "7");
    assert_eq!(names(&t7["lead"]), ["财政办"]);
    assert_eq!(names(&t7["cooperating"]), ["公共服务办", "农业农村办"]);
    assert!(names(&t7["responsible"]).is_empty());
    // A blank unit cell (merged with the row above): task 9 shares task 8's units.
    let (t8, t9) = (task(&tasks, KAIPING, "8"), task(&tasks, KAIPING, "9"));
    assert_eq!(names(&t8["lead"]), ["党政综合办"]);
    assert_eq!(names(&t8["cooperating"]), ["各职能部门"]);
    for key in ["lead", "responsible", "cooperating"] {
        assert_eq!(t8[key], t9[key], "{key}");
    }
    // A unit line after the tasks it covers (004).
    for n in ["3", "4", "5"] {
        let t = task(&tasks, ZHONGSHAN, n);
        assert_eq!(
            names(&t["lead"]),
            ["市發展改革局", "商務局", "市場監管局"],
            "task {n}"
        );
        assert_eq!(names(&t["responsible"]), ["市直各部門"], "task {n}");
    }
    // Parenthesised units of 001, separate columns of 002, merged cells of 003.
    assert_eq!(
        names(&task(&tasks, BAICHENG, "4")["responsible"]),
        ["相关各部门", "城南办事处"]
    );
    assert_eq!(names(&task(&tasks, BAICHENG, "9")["lead"]), ["园区财政局"]);
    let c1 = task(&tasks, CANGSHAN, "1");
    assert_eq!(names(&c1["lead"]), ["区发改局", "区资规局"]);
    assert_eq!(
        names(&c1["responsible"]),
        ["区直各有关单位", "各镇人民政府", "街道办事处"]
    );
    assert!(
        names(&task(&tasks, CANGSHAN, "2")["lead"]).is_empty(),
        "a blank lead cell in 002 means no lead"
    );
    for n in ["3", "4"] {
        let t = task(&tasks, HUADU, n);
        assert_eq!(
            names(&t["lead"]),
            ["办公室"],
            "003 task {n} shares task 2's units"
        );
        assert_eq!(names(&t["cooperating"]), ["各科室"]);
    }
    assert_eq!(names(&task(&tasks, HUADU, "45")["lead"]), ["办公室"]);
    assert!(tasks.iter().all(|t| !names(&t["lead"]).is_empty()
        || !names(&t["responsible"]).is_empty()
        || !names(&t["cooperating"]).is_empty()));
}

#[test]
fn texts_requirements_and_metadata_are_faithful() {
    let site = shared_content();
    let tasks = site.tasks_json();
    let c7 = task(&tasks, CANGSHAN, "7");
    assert_eq!(c7["text"], "深化地方政府债务信息公开。");
    // A cell wrapped onto the next line is joined without a break.
    assert_eq!(
        c7["requirement"],
        "通过集中统一平台定期公开地方政府债务限额、余额、发行、品种、期限、利率、偿还计划、偿债资金来源等信息。"
    );
    assert_eq!(
        c7["category"],
        serde_json::json!([
            "一、紧扣“十四五”开好局起好步深化政务公开",
            "（三）做好财政信息公开"
        ])
    );
    assert!(
        task(&tasks, ZHONGSHAN, "13")["text"]
            .as_str()
            .unwrap()
            .contains("落實“六保”任務")
    );
    assert!(
        task(&tasks, HUADU, "16")["text"]
            .as_str()
            .unwrap()
            .contains("12345政务服务便民热线")
    );
    assert!(
        task(&tasks, HUADU, "28")["text"]
            .as_str()
            .unwrap()
            .starts_with("在政府网站全面支持互联网协议第6版")
    );
    assert!(task(&tasks, KAIPING, "1")["requirement"].is_null());
    for t in &tasks {
        let text = t["text"].as_str().unwrap();
        for noise in ["[bookmark", "[image", "<", "您現在的位置", "微信二維碼"] {
            assert!(!text.contains(noise), "noise {noise:?} in {text}");
        }
    }
    let plan = site.read(&format!("plans/{ZHONGSHAN}/index.html"));
    assert!(plan.contains("<html lang=\"zh-Hant\">"));
    assert!(plan.contains("中府辦函〔2021〕91號"));
    assert!(plan.contains("<time datetime=\"2021-07-05\">"));
    assert!(
        plan.contains("火炬開發區管委會"),
        "the notice is the preamble"
    );
    assert!(!plan.contains("被捣出"), "the spam line is gone");
    assert!(
        site.read(&format!("plans/{KAIPING}/index.html"))
            .contains("<html lang=\"zh-CN\">")
    );
    // 003's duplicate sub-category titles stay as published: two headings.
    let huadu = site.read(&format!("plans/{HUADU}/index.html"));
    assert!(
        huadu.contains("（十）提升政府信息公开申请办理水平")
            && huadu.contains("（十一）提升政府信息公开申请办理水平")
    );
    // 001's prose sections render as text, without tasks.
    let baicheng = site.read(&format!("plans/{BAICHENG}/index.html"));
    assert!(
        baicheng.contains("一、总体要求")
            && baicheng.contains("以习近平新时代中国特色社会主义思想为指导")
    );
    assert!(baicheng.contains("（三）强化监督考核。"));
}

#[test]
fn finance_categories_of_three_plans_meet_on_one_page() {
    let site = shared_content();
    let page = site.read("categories/zuo-hao-cai-zheng-xin-xi-gong-kai/index.html");
    for plan in [KAIPING, CANGSHAN, ZHONGSHAN] {
        assert!(
            page.contains(&format!("/plans/{plan}/\"")),
            "{plan} on the 财政 page"
        );
    }
    for anchor in [
        format!("{KAIPING}/#task-6"),
        format!("{KAIPING}/#task-7"),
        format!("{CANGSHAN}/#task-8"),
        format!("{ZHONGSHAN}/#task-9"),
    ] {
        assert!(page.contains(&anchor), "{anchor}");
    }
    assert!(page.contains("3 份计划 · 9 项任务"), "2 + 3 + 4 tasks");
    // The plan pages link their sections to the merged page.
    assert!(
        site.read(&format!("plans/{ZHONGSHAN}/index.html"))
            .contains("categories/zuo-hao-cai-zheng-xin-xi-gong-kai/")
    );
    // Prose sections get no category page.
    assert!(!site.exists("categories/zong-ti-yao-qiu/index.html"));
}

#[test]
fn unit_pages_list_tasks_by_role() {
    let site = shared_content();
    let page = site.read("units/kai-ping-shi-ren-min-zheng-fu-chang-sha-jie-dao-ban-shi-chu/cai-zheng-ban/index.html");
    assert!(page.contains("<h1>财政办</h1>"));
    assert!(
        page.contains("共 4 项任务：牵头 1 项，负责 3 项，配合 0 项。"),
        "tasks 2, 6, 35 responsible; 7 lead"
    );
    for n in [2, 6, 7, 35] {
        assert!(page.contains(&format!("{KAIPING}/#task-{n}\"")), "task {n}");
    }
    let zs = site.read("units/zhong-shan-shi/shi-zhi-ge-bu-men/index.html");
    assert!(
        zs.contains("<h1>市直各部門 <span class=\"badge\">单位组</span></h1>"),
        "collective units are groups"
    );
    // 市政務服務數據管理局 and 市政務服務數據管理局(市信息中心) are one unit.
    let data_bureau =
        site.read("units/zhong-shan-shi/shi-zheng-wu-fu-wu-shu-ju-guan-li-ju/index.html");
    for n in [2, 16, 17, 19, 26, 27, 30] {
        assert!(
            data_bureau.contains(&format!("{ZHONGSHAN}/#task-{n}\"")),
            "task {n}"
        );
    }
    let index = site.read("units/index.html");
    assert!(index.contains("开平市人民政府长沙街道办事处") && index.contains("中山市"));
    // Every unit of units.json has a page; every other page under units/ redirects.
    let units: Vec<serde_json::Value> =
        serde_json::from_str(&site.read("data/units.json")).unwrap();
    let pages: Vec<std::path::PathBuf> = walk(&site.out().join("units"))
        .into_iter()
        .filter(|p| p.ends_with("index.html"))
        .collect();
    let redirects = pages
        .iter()
        .filter(|p| {
            std::fs::read_to_string(p)
                .unwrap()
                .contains("http-equiv=\"refresh\"")
        })
        .count();
    assert_eq!(
        pages.len() - redirects,
        units.len() + 1,
        "one page per unit, plus the index"
    );
}

#[test]
fn tasks_json_has_exactly_the_published_schema() {
    let site = shared_content();
    let keys: BTreeSet<&str> = [
        "plan",
        "plan_title",
        "issuer",
        "jurisdiction",
        "year",
        "number",
        "category",
        "text",
        "requirement",
        "lead",
        "responsible",
        "cooperating",
        "deadline",
        "due",
        "url",
    ]
    .into();
    for t in site.tasks_json() {
        let obj = t.as_object().unwrap();
        assert_eq!(
            obj.keys().map(String::as_str).collect::<BTreeSet<_>>(),
            keys
        );
        assert!(t["year"].is_u64() && t["number"].is_string() && t["text"].is_string());
        assert!(t["requirement"].is_string() || t["requirement"].is_null());
        assert!(t["deadline"].is_string() || t["deadline"].is_null());
        assert!(t["due"].is_null() || t["due"].as_str().is_some_and(|d| d.len() == 10));
        for k in ["category", "lead", "responsible", "cooperating"] {
            assert!(
                t[k].as_array().unwrap().iter().all(|v| v.is_string()),
                "{k}"
            );
        }
        let url = t["url"].as_str().unwrap();
        let (page, anchor) = url.trim_start_matches('/').split_once('#').unwrap();
        let html = site.read(&format!("{page}index.html"));
        assert!(html.contains(&format!("id=\"{anchor}\"")), "{url} resolves");
    }
    let mut csv = csv::Reader::from_path(site.out().join("data/tasks.csv")).unwrap();
    assert_eq!(csv.records().count(), 184);
}

#[test]
fn every_internal_link_resolves() {
    let site = shared_content();
    let out = site.out();
    let mut checked = 0;
    for file in walk(&out)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
    {
        let html = std::fs::read_to_string(&file).unwrap();
        for href in html
            .split("href=\"")
            .skip(1)
            .map(|s| &s[..s.find('"').unwrap()])
        {
            if href.starts_with("http") || href.starts_with('#') {
                continue;
            }
            let path = href
                .split(['#', '?'])
                .next()
                .unwrap()
                .trim_start_matches('/');
            let target = out.join(path);
            let target = if path.is_empty() || path.ends_with('/') {
                target.join("index.html")
            } else {
                target
            };
            assert!(
                target.exists(),
                "{} links to missing {href}",
                file.display()
            );
            checked += 1;
        }
    }
    assert!(checked > 1000, "checked {checked} links");
    assert!(
        site.read("sitemap.xml")
            .contains("<loc>http://127.0.0.1:8000/plans/2021-zhongshan/</loc>")
    );
    assert!(
        site.read("feed.xml")
            .contains("<updated>2021-07-05T00:00:00Z</updated>")
    );
}

/// Pages and data are byte-identical across builds. The tantivy index names its
/// segment files randomly, so it is compared by what it answers instead.
#[test]
fn builds_are_byte_identical() {
    let (a, b) = (build_content(), build_content());
    let pages = |site: &Built| -> Vec<(std::path::PathBuf, Vec<u8>)> {
        walk(&site.out())
            .into_iter()
            .map(|p| p.strip_prefix(site.out()).unwrap().to_path_buf())
            .filter(|p| !p.starts_with("search/index"))
            .map(|p| (p.clone(), std::fs::read(site.out().join(&p)).unwrap()))
            .collect()
    };
    let (pa, pb) = (pages(&a), pages(&b));
    assert!(pa.len() > 100);
    assert_eq!(
        pa.iter().map(|(p, _)| p).collect::<Vec<_>>(),
        pb.iter().map(|(p, _)| p).collect::<Vec<_>>()
    );
    for ((path, x), (_, y)) in pa.iter().zip(&pb) {
        assert!(x == y, "{} differs", path.display());
    }
    let search = |site: &Built| {
        let index = gongkai::search::SearchIndex::open(&site.out()).unwrap();
        let request = gongkai::search::SearchRequest {
            query: "信息公开".into(),
            limit: 100,
            ..Default::default()
        };
        let r = index.search(&request).unwrap();
        (
            r.total,
            r.hits
                .iter()
                .map(|h| (h.url.clone(), h.score))
                .collect::<Vec<_>>(),
            serde_json::to_string(&r.facets).unwrap(),
        )
    };
    let (x, y) = (search(&a), search(&b));
    assert_eq!(x.0, y.0);
    for (i, (h, k)) in x.1.iter().zip(&y.1).enumerate() {
        assert_eq!(h, k, "hit {i}");
    }
    assert_eq!(x.2, y.2, "facets");
}

/// All files under a folder, sorted.
fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    out.sort();
    out
}

#[test]
fn deadlines_printed_in_task_texts_become_due_dates() {
    let site = shared_content();
    let tasks = site.tasks_json();
    let t29 = task(&tasks, KAIPING, "29");
    assert_eq!(t29["due"], "2021-12-01", "{t29}");
    assert_eq!(t29["deadline"], "2021年12月1日前");
    let t30 = task(&tasks, ZHONGSHAN, "30");
    assert_eq!(t30["due"], "2021-12-31", "{t30}");
    // A task without any deadline says so on its card.
    let html = site.read(&format!("plans/{KAIPING}/index.html"));
    assert!(html.contains("未列明"));
}

fn unit_record<'a>(
    units: &'a [serde_json::Value],
    jurisdiction: &str,
    name: &str,
) -> &'a serde_json::Value {
    units
        .iter()
        .find(|u| {
            u["jurisdiction"] == jurisdiction
                && (u["name"] == name || u["aliases"].as_array().unwrap().iter().any(|a| a == name))
        })
        .unwrap_or_else(|| panic!("{name} of {jurisdiction}"))
}

#[test]
fn one_office_one_page_whatever_its_spelling() {
    let site = shared_content();
    let units: Vec<serde_json::Value> =
        serde_json::from_str(&site.read("data/units.json")).unwrap();
    // 市財政局 and 財政局 of 中山 are one office, shown as printed most often.
    let finance = unit_record(&units, "中山市", "財政局");
    assert_eq!(finance["name"], "市財政局");
    assert_eq!(finance["kind"], "office");
    assert!(
        finance["aliases"]
            .as_array()
            .unwrap()
            .contains(&"財政局".into())
    );
    let url = finance["url"]
        .as_str()
        .unwrap()
        .trim_start_matches('/')
        .to_string();
    assert_eq!(url, "units/zhong-shan-shi/shi-cai-zheng-ju/");
    // The other spelling's URL (of earlier versions) leads there.
    let old = site.read("units/zhong-shan-shi/cai-zheng-ju/index.html");
    assert!(
        old.contains(&format!("url=/{url}")) && old.contains("rel=\"canonical\""),
        "{old}"
    );
    let redirects = site.read("_redirects");
    assert!(
        redirects.contains(&format!("/units/zhong-shan-shi/cai-zheng-ju/ /{url} 301")),
        "{redirects}"
    );
    // 市衛生健康局 / 衛生健康局, and the data bureau with its second name, are one office each.
    let health = unit_record(&units, "中山市", "衛生健康局");
    assert_eq!(health["name"], "市衛生健康局");
    let data = unit_record(&units, "中山市", "市信息中心");
    assert_eq!(data["name"], "市政務服務數據管理局");
    // A list `市發展改革局、自然資源局、商務局`: the 市 of the first applies to all;
    // a lone 市場監管局 is not 場監管局.
    assert!(units.iter().any(|u| u["name"] == "市場監管局"));
    // 区司法局（负责区政府规章） is 区司法局, with the remark on that task.
    let justice = unit_record(&units, "福州市仓山区", "区司法局");
    assert!(
        !justice["aliases"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a.as_str().unwrap().contains("负责"))
    );
    let page = site.read(&format!(
        "{}index.html",
        justice["url"].as_str().unwrap().trim_start_matches('/')
    ));
    assert!(
        page.contains("本单位：负责区政府规章"),
        "the note is shown on that task"
    );
}

#[test]
fn group_labels_are_groups_and_members_share_their_tasks() {
    let site = shared_content();
    let units: Vec<serde_json::Value> =
        serde_json::from_str(&site.read("data/units.json")).unwrap();
    for (jurisdiction, name) in [
        ("中山市", "市直各部門"),
        ("中山市", "各鎮街"),
        ("福州市仓山区", "区直各有关单位"),
        ("福州市仓山区", "各镇人民政府"),
        ("福州市仓山区", "街道办事处"),
        ("广州市花都区应急管理局", "各科室"),
        ("开平市人民政府长沙街道办事处", "各职能部门"),
    ] {
        assert_eq!(
            unit_record(&units, jurisdiction, name)["kind"],
            "group",
            "{name}"
        );
    }
    // gongkai.toml names the members of 中山's 市直各部門: 市財政局 shares its tasks.
    let group = unit_record(&units, "中山市", "市直各部門");
    assert!(
        group["members"]
            .as_array()
            .unwrap()
            .contains(&"市財政局".into())
    );
    let finance = unit_record(&units, "中山市", "市財政局");
    let shared: Vec<&serde_json::Value> = finance["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["role"] == "shared")
        .collect();
    assert!(shared.len() > 20, "{}", shared.len());
    assert!(shared.iter().all(|t| t["via"] == "市直各部門"));
    let page = site.read("units/zhong-shan-shi/shi-cai-zheng-ju/index.html");
    assert!(page.contains("共同任务（市直各部門）"));
    assert!(page.contains("所属单位组"));
}

#[test]
fn every_office_and_plan_page_has_its_ledger_and_csv() {
    let site = shared_content();
    let units: Vec<serde_json::Value> =
        serde_json::from_str(&site.read("data/units.json")).unwrap();
    for u in &units {
        let url = u["url"].as_str().unwrap().trim_start_matches('/');
        let page = site.read(&format!("{url}index.html"));
        assert!(
            page.contains("任务台账") && page.contains("tasks.csv"),
            "{url}"
        );
        let csv = std::fs::read(site.out().join(format!("{url}tasks.csv"))).unwrap();
        assert!(
            csv.starts_with(&[0xEF, 0xBB, 0xBF]),
            "{url}: UTF-8 with BOM"
        );
        let rows = csv::Reader::from_reader(&csv[3..]).records().count();
        assert_eq!(rows, u["tasks"].as_array().unwrap().len(), "{url}");
    }
    for plan in [KAIPING, ZHONGSHAN] {
        let page = site.read(&format!("plans/{plan}/index.html"));
        assert!(page.contains("id=\"plan-ledger\""));
        let csv = std::fs::read(site.out().join(format!("plans/{plan}/tasks.csv"))).unwrap();
        let mut reader = csv::Reader::from_reader(&csv[3..]);
        assert_eq!(
            reader.headers().unwrap().iter().collect::<Vec<_>>(),
            [
                "序号",
                "任务",
                "责任单位",
                "完成时限",
                "到期日期",
                "计划",
                "年度",
                "类别",
                "网址"
            ]
        );
    }
    let csv = site.read(&format!("plans/{KAIPING}/tasks.csv"));
    assert!(csv.contains(
        "29,于2021年12月1日前完成主动公开基层目录编制，并统一在政府信息公开平台上对外发布。,"
    ));
    assert!(csv.contains("2021年12月1日前,2021-12-01"));
}

#[test]
fn slugs_read_polyphones_as_words() {
    let site = shared_content();
    assert!(site.exists(
        "units/kai-ping-shi-ren-min-zheng-fu-chang-sha-jie-dao-ban-shi-chu/cai-zheng-ban/index.html"
    ));
    assert!(
        site.exists("units/guang-zhou-shi-hua-du-qu-ying-ji-guan-li-ju/ban-gong-shi/index.html")
    );
    // The old URLs redirect.
    let old =
        site.read("units/guang-zhou-shi-hua-dou-qu-ying-ji-guan-li-ju/ban-gong-shi/index.html");
    assert!(old.contains("hua-du-qu-ying-ji-guan-li-ju/ban-gong-shi/"));
}
