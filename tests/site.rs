//! Site features on small fixtures: escaping, sub-path hosting, unit identity across
//! jurisdictions and years, category merges, theme overrides.

mod common;

use common::*;

#[test]
fn user_text_is_escaped_and_raw_html_sanitized() {
    let body = "<script>alert('preamble')</script>\n\n## 类<b>粗</b>\n\n1. 任务 <script>alert(1)</script> <img src=x onerror=alert(2)> a&b\n\n   要求 <a href=\"javascript:alert(3)\">链接</a>\n\n   责任单位：<i>财政局</i>牵头，\"引号\"办\n";
    let site = build_fixture(&[(
        "content/plans/p.md",
        &plan("标题<script>alert(4)</script>", "发布\"机关\"", 2021, body),
    )]);
    assert!(site.outcome.succeeded(), "{}", site.outcome.report());
    for page in walk_html(&site) {
        let html = std::fs::read_to_string(&page).unwrap();
        for bad in [
            "<script>alert",
            "onerror=",
            "javascript:alert",
            "<b>粗",
            "<i>财政局",
        ] {
            assert!(!html.contains(bad), "{bad} in {}", page.display());
        }
    }
    let html = site.read("plans/p/index.html");
    assert!(html.contains("标题&lt;script&gt;alert(4)&lt;/script&gt;"));
    assert!(html.contains("发布&quot;机关&quot;"));
    assert!(html.contains("a&amp;b"));
    let json = site.read("data/tasks.json");
    assert!(
        json.contains("\"<i>财政局</i>\""),
        "JSON keeps unit names as printed"
    );
}

#[test]
fn works_from_a_sub_path() {
    let site = build_fixture(&[
        (
            "gongkai.toml",
            "base_url = \"https://www.example.gov.cn/gongkai/\"\n",
        ),
        (
            "content/plans/p.md",
            &plan(
                "T",
                "某区人民政府",
                2021,
                "## 一、做好财政信息公开\n\n1. 甲\n\n   责任单位：财政局\n",
            ),
        ),
    ]);
    assert!(site.outcome.succeeded(), "{}", site.outcome.report());
    let mut links = 0;
    for page in walk_html(&site) {
        let html = std::fs::read_to_string(&page).unwrap();
        for href in html
            .split("href=\"")
            .skip(1)
            .chain(html.split("src=\"").skip(1))
            .map(|s| &s[..s.find('"').unwrap()])
        {
            if href.starts_with('/') {
                assert!(
                    href.starts_with("/gongkai/"),
                    "{href} in {}",
                    page.display()
                );
                links += 1;
            }
        }
    }
    assert!(links > 20);
    assert!(
        site.read("sitemap.xml")
            .contains("<loc>https://www.example.gov.cn/gongkai/plans/p/</loc>")
    );
    assert!(
        site.read("search/index.html")
            .contains("data-base=\"/gongkai/\"")
    );
}

#[test]
fn units_are_per_jurisdiction_and_span_years() {
    let task = "## 类\n\n1. 甲\n\n   责任单位：财政局牵头，各部门配合\n";
    let site = build_fixture(&[
        (
            "content/plans/a-2021.md",
            &plan("A 2021", "甲市人民政府", 2021, task),
        ),
        (
            "content/plans/a-2022.md",
            &plan("A 2022", "甲市人民政府", 2022, task),
        ),
        (
            "content/plans/b-2021.md",
            &plan("B 2021", "乙市人民政府", 2021, task),
        ),
        (
            "content/plans/b-trad.md",
            &plan(
                "B 繁體",
                "乙市人民政府",
                2020,
                "## 類\n\n1. 乙\n\n   落實單位：財政局\n",
            ),
        ),
    ]);
    assert!(site.outcome.succeeded(), "{}", site.outcome.report());
    let a = site.read("units/jia-shi-ren-min-zheng-fu/cai-zheng-ju/index.html");
    assert!(a.contains("共 2 项任务：牵头 2 项") && a.contains("A 2021") && a.contains("A 2022"));
    let b = site.read("units/yi-shi-ren-min-zheng-fu/cai-zheng-ju/index.html");
    assert!(
        b.contains("共 2 项任务：牵头 1 项，负责 1 项"),
        "財政局 and 财政局 are one unit"
    );
    // Plans newest first on the home page.
    let home = site.read("index.html");
    let pos = |s: &str| home.find(s).unwrap();
    assert!(pos("A 2022") < pos("A 2021") && pos("B 2021") < pos("B 繁體"));
}

#[test]
fn categories_merge_by_normalized_title_and_config() {
    let site = build_fixture(&[
        (
            "gongkai.toml",
            "[categories]\nmerge = [[\"做好财政信息公开\", \"深化财政资金领域信息公开\"]]\n",
        ),
        (
            "content/plans/a.md",
            &plan(
                "A",
                "甲",
                2021,
                "## 三、做好财政信息公开。\n\n1. 甲\n\n   责任单位：办\n",
            ),
        ),
        (
            "content/plans/b.md",
            &plan(
                "B",
                "乙",
                2021,
                "## 一、类\n\n### （二）深化财政资金领域信息公开\n\n1. 乙\n\n   责任单位：办\n",
            ),
        ),
        (
            "content/plans/c.md",
            &plan(
                "C",
                "丙",
                2021,
                "## 做好財政信息公開\n\n1. 丙\n\n   落實單位：辦\n",
            ),
        ),
    ]);
    assert!(site.outcome.succeeded(), "{}", site.outcome.report());
    let page = site.read("categories/zuo-hao-cai-zheng-xin-xi-gong-kai/index.html");
    assert!(page.contains("3 份计划 · 3 项任务"), "{page}");
    assert!(page.contains("<h1>做好财政信息公开</h1>"));
    assert!(page.contains("（二）深化财政资金领域信息公开"));
}

#[test]
fn site_templates_override_the_theme() {
    let site = build_fixture(&[
        ("templates/404.html", "自定义 {{ site.title }}"),
        ("static/extra.css", "body{}"),
        (
            "content/plans/p.md",
            &plan("T", "I", 2021, "## 类\n\n1. 甲\n\n   责任单位：办\n"),
        ),
    ]);
    assert!(site.outcome.succeeded(), "{}", site.outcome.report());
    assert_eq!(site.read("404.html"), "自定义 政务公开工作要点");
    assert!(site.exists("static/extra.css") && site.exists("static/style.css"));
}

#[test]
fn site_components_override_the_theme_and_tera_1_macros_are_explained() {
    let plan_file = plan("T", "I", 2021, "## 类\n\n1. 甲\n\n   责任单位：办\n");
    let components = concat!(
        "{% component plan_section(s) %}<section id=\"{{ s.anchor }}\">{{ s.title }}</section>{% endcomponent plan_section %}\n",
        "{% component ledger(rows, id: string, show_role: bool = true, show_plan: bool = true) %}",
        "<p class=\"my-ledger\" id=\"{{ id }}\">{{ rows | length }} 项</p>{% endcomponent ledger %}\n",
    );
    let site = build_fixture(&[
        ("templates/components.html", components),
        ("content/plans/p.md", &plan_file),
    ]);
    assert!(site.outcome.succeeded(), "{}", site.outcome.report());
    let page = site.read("plans/p/index.html");
    assert!(
        page.contains("<p class=\"my-ledger\" id=\"plan-ledger\">1 项</p>"),
        "{page}"
    );
    assert!(!page.contains("<table class=\"ledger\""));

    // A template still written for tera 1 fails with the place and what changed.
    let old = build_fixture(&[
        ("templates/macros.html", "{% macro x() %}x{% endmacro x %}"),
        ("content/plans/p.md", &plan_file),
    ]);
    assert!(!old.outcome.succeeded());
    let report = old.outcome.report();
    assert!(report.contains("macros.html:1:4"), "{report}");
    assert!(
        report.contains("tera 2") && report.contains("component"),
        "{report}"
    );
}

#[test]
fn page_structure_is_accessible() {
    let site = shared_content();
    for page in walk_html(site) {
        let html = std::fs::read_to_string(&page).unwrap();
        if html.contains("http-equiv=\"refresh\"") {
            // A moved page: a redirect with its canonical link, not a page to read.
            assert!(html.contains("rel=\"canonical\""));
            continue;
        }
        assert!(
            html.contains("<a class=\"skip-link\" href=\"#main\">"),
            "{}",
            page.display()
        );
        assert!(html.contains("<main id=\"main\""));
        assert!(html.contains("<meta name=\"viewport\""));
        assert_eq!(
            html.matches("<h1").count(),
            1,
            "one h1 in {}",
            page.display()
        );
        // Scripts only for search, and the ledger's filters (which only hide
        // rows of a table that is complete without them).
        let scripts = html.matches("<script").count();
        let allowed = usize::from(page.ends_with("search/index.html"))
            + html.matches("static/ledger.js").count();
        assert_eq!(scripts, allowed, "no other script: {}", page.display());
        if html.contains("static/ledger.js") {
            assert!(html.contains("class=\"ledger-filter\"") && html.contains(" hidden>"));
        }
    }
}

fn walk_html(site: &Built) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(site.out())
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect()
}

#[test]
fn synthetic_corpus_smoke_run() {
    // The benchmark corpus generator, small: 1,000 tasks recombined from content/.
    use gongkai::corpus::Shape;
    let (site, outcome) =
        gongkai::build::load_site(&repo_root(), &indicatif::ProgressBar::hidden());
    let site = site.unwrap_or_else(|| panic!("{}", outcome.report()));
    let dir = tempfile::TempDir::new().unwrap();
    let plans = gongkai::corpus::generate(&site, 1_000, 7, Shape::Mixed, dir.path()).unwrap();
    assert!(plans >= 7);
    let built = gongkai::build::build(dir.path(), &dir.path().join("output"));
    assert!(built.succeeded(), "{}", built.report());
    let summary = built.summary.unwrap();
    assert_eq!((summary.plans, summary.tasks), (plans, 1_000));
    // Same seed, same files.
    let again = tempfile::TempDir::new().unwrap();
    gongkai::corpus::generate(&site, 1_000, 7, Shape::Mixed, again.path()).unwrap();
    let name = std::fs::read_dir(dir.path().join("content/plans"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .file_name();
    assert_eq!(
        std::fs::read(dir.path().join("content/plans").join(&name)).unwrap(),
        std::fs::read(again.path().join("content/plans").join(&name)).unwrap()
    );
}

#[test]
fn district_corpus_has_plans_of_50_tasks_and_12_offices_per_district() {
    use gongkai::corpus::Shape;
    let (site, outcome) =
        gongkai::build::load_site(&repo_root(), &indicatif::ProgressBar::hidden());
    let site = site.unwrap_or_else(|| panic!("{}", outcome.report()));
    let dir = tempfile::TempDir::new().unwrap();
    let plans = gongkai::corpus::generate(&site, 12_000, 3, Shape::Districts, dir.path()).unwrap();
    assert_eq!(plans, 240);
    let (built, outcome) = gongkai::build::load_site(dir.path(), &indicatif::ProgressBar::hidden());
    let built = built.unwrap_or_else(|| panic!("{}", outcome.report()));
    assert!(built.plans.iter().all(|p| p.tasks().len() == 50));
    let mut issuers = std::collections::BTreeMap::<&str, std::collections::BTreeSet<&str>>::new();
    for p in &built.plans {
        let offices = issuers.entry(p.meta.issuer.as_str()).or_default();
        for t in p.tasks() {
            offices.extend(t.units.iter().map(|(_, n)| n.as_str()));
        }
    }
    // 240 plans go round the 200 districts: some have two years.
    assert_eq!(issuers.len(), 200);
    assert!(
        issuers.values().all(|o| o.len() <= 12),
        "at most 12 offices per district"
    );
    let years: std::collections::BTreeSet<i32> = built.plans.iter().map(|p| p.meta.year).collect();
    assert_eq!(years.into_iter().collect::<Vec<_>>(), vec![2020, 2021]);
    assert!(built.categories.len() <= 48, "{}", built.categories.len());
}

/// Patching one plan into the site model gives what joining all plans again gives;
/// a change that would move a URL is refused and leaves the site as it was.
#[test]
fn patching_a_plan_equals_joining_again() {
    use gongkai::site::Site;
    let root = repo_root();
    let (site, outcome) = gongkai::build::load_site(&root, &indicatif::ProgressBar::hidden());
    let mut site = site.unwrap_or_else(|| panic!("{}", outcome.report()));
    let path = std::path::Path::new("content/plans/2021-kaiping-changsha.md");
    let original = std::fs::read_to_string(root.join(path)).unwrap();
    let parse = |text: &str| {
        gongkai::parse::parse_plan(path, "2021-kaiping-changsha", text)
            .plan
            .unwrap()
    };
    fn json<T: serde::Serialize>(v: &T) -> serde_json::Value {
        serde_json::to_value(v).unwrap()
    }
    let same = |a: &Site, b: &Site, step: &str| {
        assert_eq!(json(&a.units), json(&b.units), "{step}: units");
        assert_eq!(
            json(&a.categories),
            json(&b.categories),
            "{step}: categories"
        );
        assert_eq!(json(&a.plans), json(&b.plans), "{step}: plans");
    };
    let accepted = [
        (
            "edit a task",
            original.replace("扎实做好疫苗接种", "扎实做好新冠疫苗接种"),
        ),
        (
            "move a task to another unit",
            original.replace(
                "及相关报表。\n\n   责任单位：财政办",
                "及相关报表。\n\n   责任单位：经济发展办",
            ),
        ),
        (
            "remove a task",
            original.replace(
                "4. 加强行政执法信息公开。\n\n   责任单位：综合行政执法办\n\n",
                "",
            ),
        ),
        (
            "retitle the plan",
            original.replace("长沙街道办事处2021年", "长沙街道2021年"),
        ),
        ("back to the original", original.clone()),
    ];
    for (step, text) in &accepted {
        let patch = site
            .patch(parse(text))
            .unwrap_or_else(|_| panic!("{step}: refused"));
        let (joined, _) = Site::new(
            site.config.clone(),
            site.plans.clone(),
            &mut Default::default(),
        );
        same(&site, &joined, step);
        if *step == "edit a task" {
            // Task 10's units are 党政综合办 and 公共服务办; its category, 五、….
            assert_eq!(
                (
                    patch.units.len(),
                    patch.categories.len(),
                    patch.listing_changed
                ),
                (2, 1, false),
                "{step}"
            );
        }
        if *step == "move a task to another unit" {
            assert!(patch.listing_changed, "{step}: unit task lists changed");
        }
    }
    let refused = [
        (
            "a new unit",
            original.replace("责任单位：经济发展办", "责任单位：新设办"),
        ),
        (
            "a new category",
            original.replace("## 三、做好财政信息公开。", "## 三、做好财政资金信息公开。"),
        ),
        (
            "another year",
            original.replace("year = 2021", "year = 2020"),
        ),
    ];
    let before = json(&site.units);
    for (step, text) in &refused {
        assert!(site.patch(parse(text)).is_err(), "{step}: patched");
        assert_eq!(json(&site.units), before, "{step}: the site is unchanged");
    }
}

fn two_plans(extra_config: &str, second_units: &str) -> Vec<(String, String)> {
    vec![
        (
            "gongkai.toml".into(),
            format!("title = \"T\"\n{extra_config}"),
        ),
        (
            "content/plans/a.md".into(),
            plan(
                "甲",
                "某市人民政府",
                2021,
                "## 一、类\n\n1. 公开预算。\n\n   责任单位：市财政局\n\n2. 公开决算。\n\n   责任单位：财政局（负责决算）\n\n3. 做好统计。\n\n   责任单位：市统计局、各镇街\n",
            ),
        ),
        (
            "content/plans/b.md".into(),
            plan(
                "乙",
                "某市人民政府",
                2022,
                &format!("## 一、类\n\n1. 公开数据。\n\n   责任单位：{second_units}\n"),
            ),
        ),
    ]
}

fn build_files(files: &[(String, String)]) -> Built {
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    build_fixture(&refs)
}

fn units_json(site: &Built) -> Vec<serde_json::Value> {
    serde_json::from_str(&site.read("data/units.json")).unwrap()
}

#[test]
fn offices_merge_by_rule_and_by_config_and_groups_share_with_members() {
    // Without config: 市财政局 and 财政局 are one office; 统计中心 is another.
    let site = build_files(&two_plans("", "统计中心"));
    assert!(site.outcome.succeeded(), "{}", site.outcome.report());
    let units = units_json(&site);
    let finance: Vec<&serde_json::Value> =
        units.iter().filter(|u| u["name"] == "市财政局").collect();
    assert_eq!(finance.len(), 1);
    assert_eq!(finance[0]["aliases"], serde_json::json!(["财政局"]));
    assert_eq!(finance[0]["tasks"].as_array().unwrap().len(), 2);
    assert!(units.iter().any(|u| u["name"] == "统计中心"));
    // `check` points at likely duplicates it did not merge.
    let site = build_files(&two_plans("", "市统计局统计中心"));
    assert!(
        site.outcome.report().contains("may be one office"),
        "{}",
        site.outcome.report()
    );
    assert!(site.outcome.report().contains("[[units.alias]]"));
    // The config declares 统计中心 an alias of 市统计局, and the group's members.
    let config = "[[units.alias]]\njurisdiction = \"某市人民政府\"\nname = \"市统计局\"\naliases = [\"统计中心\"]\n\n[[units.group]]\njurisdiction = \"某市人民政府\"\nname = \"各镇街\"\nmembers = [\"甲镇\", \"市统计局\"]\n";
    let site = build_files(&two_plans(config, "统计中心"));
    assert!(site.outcome.succeeded(), "{}", site.outcome.report());
    let units = units_json(&site);
    let stats = units.iter().find(|u| u["name"] == "市统计局").unwrap();
    assert_eq!(stats["aliases"], serde_json::json!(["统计中心"]));
    let roles: Vec<&str> = stats["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["role"].as_str().unwrap())
        .collect();
    assert_eq!(
        roles,
        ["responsible", "responsible"],
        "direct in both plans; the group's task is its own already"
    );
    let group = units.iter().find(|u| u["name"] == "各镇街").unwrap();
    assert_eq!(group["kind"], "group");
    assert_eq!(group["members"], serde_json::json!(["甲镇", "市统计局"]));
    // 甲镇 is named in no task, but shares the group's: its page shows them.
    let town = units.iter().find(|u| u["name"] == "甲镇").unwrap();
    assert_eq!(town["tasks"][0]["role"], "shared");
    assert_eq!(town["tasks"][0]["via"], "各镇街");
    // The remark stays on its task.
    let page = site.read(&format!(
        "{}index.html",
        finance[0]["url"].as_str().unwrap().trim_start_matches('/')
    ));
    assert!(page.contains("本单位：负责决算"));
}

#[test]
fn a_later_collision_keeps_the_published_url_and_moved_pages_redirect() {
    let dir = tempfile::TempDir::new().unwrap();
    let files = two_plans("", "统计中心");
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    write_files(dir.path(), &refs);
    let out = dir.path().join("output");
    assert!(gongkai::build::build(dir.path(), &out).succeeded());
    let lock = std::fs::read_to_string(dir.path().join("gongkai.lock")).unwrap();
    assert!(lock.contains("shi-cai-zheng-ju"), "{lock}");
    let before = out.join("units/mou-shi-ren-min-zheng-fu/shi-cai-zheng-ju/index.html");
    assert!(before.is_file());
    // A new unit whose slug is the same (市财政局 in traditional... a different office
    // whose pinyin collides): 市財正局 reads shi-cai-zheng-ju too.
    write_files(
        dir.path(),
        &[(
            "content/plans/c.md",
            &plan(
                "丙",
                "某市人民政府",
                2023,
                "## 一、类\n\n1. 新任务。\n\n   责任单位：市才正局\n",
            ),
        )],
    );
    let outcome = gongkai::build::build(dir.path(), &out);
    assert!(outcome.succeeded(), "{}", outcome.report());
    assert!(before.is_file(), "the published page keeps its URL");
    let units: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(out.join("data/units.json")).unwrap())
            .unwrap();
    let newcomer = units.iter().find(|u| u["name"] == "市才正局").unwrap();
    assert!(
        newcomer["url"]
            .as_str()
            .unwrap()
            .contains("shi-cai-zheng-ju-"),
        "the newcomer gets the suffix: {newcomer}"
    );
    // The config now says 财政局 is another office than 市财政局: the merged page
    // moved, so its old URL redirects; the lock keeps the old entry.
    write_files(
        dir.path(),
        &[(
            "gongkai.toml",
            "title = \"T\"\n[[units.alias]]\njurisdiction = \"某市人民政府\"\nname = \"市统计局\"\naliases = [\"统计中心\"]\n",
        )],
    );
    let outcome = gongkai::build::build(dir.path(), &out);
    assert!(outcome.succeeded(), "{}", outcome.report());
    let moved = std::fs::read_to_string(
        out.join("units/mou-shi-ren-min-zheng-fu/tong-ji-zhong-xin/index.html"),
    )
    .unwrap();
    assert!(
        moved.contains("http-equiv=\"refresh\"") && moved.contains("shi-tong-ji-ju"),
        "{moved}"
    );
    let redirects = std::fs::read_to_string(out.join("_redirects")).unwrap();
    assert!(redirects.contains("/units/mou-shi-ren-min-zheng-fu/tong-ji-zhong-xin/ /units/mou-shi-ren-min-zheng-fu/shi-tong-ji-ju/ 301"), "{redirects}");
}

#[test]
fn a_member_named_in_a_task_after_its_group_holds_that_task_once() {
    // 中山 task 35 prints `市直各部門、…、市財政局…`: the group first, then members.
    let site = shared_content();
    let units: Vec<serde_json::Value> =
        serde_json::from_str(&site.read("data/units.json")).unwrap();
    for unit in &units {
        let tasks = unit["tasks"].as_array().unwrap();
        for t in tasks.iter().filter(|t| t["role"] == "shared") {
            let direct = tasks.iter().any(|d| {
                d["plan"] == t["plan"] && d["number"] == t["number"] && d["role"] != "shared"
            });
            assert!(
                !direct,
                "{} holds {} #{} twice",
                unit["name"], t["plan"], t["number"]
            );
        }
    }
    let finance = units
        .iter()
        .find(|u| u["name"] == "市財政局" && u["jurisdiction"] == "中山市")
        .unwrap();
    let page = site.read(&format!(
        "{}index.html",
        finance["url"].as_str().unwrap().trim_start_matches('/')
    ));
    let total = finance["tasks"].as_array().unwrap().len();
    assert!(
        page.contains(&format!("共 {total} 项任务")),
        "the summary counts every row"
    );
    assert_eq!(
        page.matches("<tr data-year=").count(),
        total,
        "one ledger row per task"
    );
}

#[test]
fn pages_are_the_same_in_any_order_they_are_rendered() {
    // A task's cards are made by the first page that shows it and parts of them
    // kept for the later ones: a unit or category page before the plan's page
    // (pages in reverse) must give the same bytes as the plan's page first.
    let (site, outcome) =
        gongkai::build::load_site(&repo_root(), &indicatif::ProgressBar::hidden());
    let site = site.unwrap_or_else(|| panic!("{}", outcome.report()));
    let theme = gongkai::theme::Theme::load(&repo_root(), &site.config.theme).unwrap();
    let pages = gongkai::layout::all_pages(&site);
    let render = |pages: &[gongkai::layout::Page]| {
        let renderer = gongkai::render::Renderer::new(&site, &theme).unwrap();
        // One at a time, so the order is the one given.
        pages
            .iter()
            .flat_map(|p| renderer.render_pages(std::slice::from_ref(p)).unwrap())
            .map(|f| (f.path, f.bytes))
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    let listed = render(&pages);
    let reversed: Vec<_> = pages.iter().rev().copied().collect();
    let backwards = render(&reversed);
    assert!(listed.len() > 100, "{} pages", listed.len());
    assert!(listed.keys().any(|p| p.starts_with("units/")));
    for (path, bytes) in &listed {
        assert!(
            backwards.get(path) == Some(bytes),
            "{path} differs when rendered in reverse"
        );
    }
    assert_eq!(listed.len(), backwards.len());
}
