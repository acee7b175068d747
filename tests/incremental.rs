//! Incremental preview rebuilds produce exactly what a clean build produces.

mod common;

use common::*;
use gongkai::incremental::Session;
use gongkai::search::{SearchIndex, SearchRequest};
use std::collections::BTreeMap;
use std::path::Path;

/// Every output file but the search index's own files, by relative path.
fn snapshot(out: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(out)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                e.into_path(),
            )
        })
        .filter(|(rel, _)| !rel.starts_with("search/index/") && !rel.starts_with("search/static/"))
        .map(|(rel, path)| (rel, std::fs::read(path).unwrap()))
        .collect()
}

fn answers(index: &SearchIndex) -> Vec<(usize, std::collections::BTreeSet<String>)> {
    ["公开", "财政", "疫苗 接种", "新计划", "市財政局"]
        .iter()
        .map(|q| {
            // Every match, page after page (ranks may differ by ties; the sets may not).
            let mut urls = std::collections::BTreeSet::new();
            let mut total = 0;
            for page in 1..=10 {
                let r = index
                    .search(&SearchRequest {
                        query: q.to_string(),
                        limit: 100,
                        page,
                        ..Default::default()
                    })
                    .unwrap();
                total = r.total;
                urls.extend(r.hits.into_iter().map(|h| h.url));
            }
            (total, urls)
        })
        .collect()
}

fn assert_same_as_clean_build(root: &Path, session: &Session, step: &str) {
    let clean = tempfile::TempDir::new().unwrap();
    let outcome = gongkai::build::build(root, &clean.path().join("out"));
    assert!(outcome.succeeded(), "{step}: {}", outcome.report());
    let (a, b) = (
        snapshot(&root.join("output")),
        snapshot(&clean.path().join("out")),
    );
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "{step}: same files"
    );
    for (path, bytes) in &a {
        assert!(
            bytes == &b[path],
            "{step}: {path} differs from a clean build"
        );
    }
    let live = SearchIndex::from_index(session.index().unwrap(), &root.join("output")).unwrap();
    let fresh = SearchIndex::open(&clean.path().join("out")).unwrap();
    let (x, y) = (answers(&live), answers(&fresh));
    for (i, (l, f)) in x.iter().zip(&y).enumerate() {
        assert!(
            l == f,
            "{step}: query {i}: live {} vs fresh {}: only live {:?}, only fresh {:?}",
            l.0,
            f.0,
            l.1.difference(&f.1).collect::<Vec<_>>(),
            f.1.difference(&l.1).collect::<Vec<_>>()
        );
    }
}

#[test]
fn a_sequence_of_edits_matches_clean_builds() {
    let dir = tempfile::TempDir::new().unwrap();
    let root = dir.path();
    let mut files: Vec<(String, String)> = Vec::new();
    for entry in std::fs::read_dir(repo_root().join("content/plans")).unwrap() {
        let p = entry.unwrap().path();
        files.push((
            format!("content/plans/{}", p.file_name().unwrap().to_string_lossy()),
            std::fs::read_to_string(&p).unwrap(),
        ));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    write_files(root, &refs);
    // A built site previewed: its static index goes (it would answer for old content).
    assert!(gongkai::build::build(root, &root.join("output")).succeeded());
    assert!(root.join("output/search/static/meta.json.gz").exists());
    let mut session = Session::new(root, &root.join("output"));
    let first = session.update();
    assert!(first.outcome.succeeded());
    assert!(!root.join("output/search/static").exists());
    assert_same_as_clean_build(root, &session, "first build");

    let kaiping = root.join("content/plans/2021-kaiping-changsha.md");
    let original = std::fs::read_to_string(&kaiping).unwrap();
    let mut step = |name: &str, edit: &dyn Fn(&mut Session)| {
        edit(&mut session);
        let u = session.update();
        assert!(u.outcome.succeeded(), "{name}: {}", u.outcome.report());
        assert_same_as_clean_build(root, &session, name);
        u
    };
    let u = step("edit a task", &|_: &mut Session| {
        std::fs::write(
            &kaiping,
            original.replace("扎实做好疫苗接种", "扎实做好新冠疫苗接种"),
        )
        .unwrap()
    });
    assert!(
        !u.full
            && u.changed
                .contains(&"plans/2021-kaiping-changsha/index.html".to_string())
    );
    // Patched in place: the plan page and the pages that show the task (its two
    // units and its category), with the plan's and units' ledgers; not the plan's
    // other units or the site-wide pages.
    assert_eq!(u.rendered, 7, "{:?}", u.changed);
    assert!(
        !u.changed
            .iter()
            .any(|p| p.starts_with("plans/2021-zhongshan")),
        "{:?}",
        u.changed
    );
    step("rename a unit", &|_: &mut Session| {
        std::fs::write(
            &kaiping,
            original.replace("责任单位：财政办牵头", "责任单位：财政所牵头"),
        )
        .unwrap()
    });
    step(
        "move a task to another existing unit",
        &|_: &mut Session| {
            std::fs::write(
                &kaiping,
                original.replace(
                    "及相关报表。\n\n   责任单位：财政办",
                    "及相关报表。\n\n   责任单位：经济发展办",
                ),
            )
            .unwrap()
        },
    );
    step(
        "remove a task (the later ones shift)",
        &|_: &mut Session| {
            std::fs::write(
                &kaiping,
                original.replace(
                    "4. 加强行政执法信息公开。\n\n   责任单位：综合行政执法办\n\n",
                    "",
                ),
            )
            .unwrap()
        },
    );
    step("retitle the plan", &|_: &mut Session| {
        std::fs::write(
            &kaiping,
            original.replace(
                "title = \"开平市人民政府长沙街道办事处2021年",
                "title = \"开平市长沙街道2021年",
            ),
        )
        .unwrap()
    });
    step("retitle a section (a new category)", &|_: &mut Session| {
        std::fs::write(
            &kaiping,
            original.replace("## 三、做好财政信息公开。", "## 三、做好财政资金信息公开。"),
        )
        .unwrap()
    });
    step(
        "two saves of the same length in quick succession",
        &|session: &mut Session| {
            std::fs::write(&kaiping, original.replacen("。", "；", 1)).unwrap();
            assert!(session.update().outcome.succeeded());
            std::fs::write(&kaiping, original.replacen("。", "，", 1)).unwrap();
        },
    );
    step("a broken save, then its fix", &|session: &mut Session| {
        std::fs::write(&kaiping, "+++\nbroken").unwrap();
        assert!(!session.update().outcome.succeeded());
        std::fs::write(&kaiping, &original).unwrap();
    });
    step("add a plan", &|_: &mut Session| {
        std::fs::write(
            root.join("content/plans/2022-new.md"),
            plan(
                "新计划",
                "开平市人民政府长沙街道办事处",
                2022,
                "## 三、做好财政信息公开。\n\n1. 公开预算。\n\n   责任单位：财政办\n",
            ),
        )
        .unwrap()
    });
    step(
        "edit a plan whose unit appears in another plan",
        &|_: &mut Session| {
            std::fs::write(
                &kaiping,
                original.replace("主动公开街道财政预算", "主动公开街道财政预算草案"),
            )
            .unwrap()
        },
    );
    step(
        "rename the first occurrence of a shared unit",
        &|_: &mut Session| {
            let p = root.join("content/plans/2022-new.md");
            std::fs::write(
                &p,
                std::fs::read_to_string(&p)
                    .unwrap()
                    .replace("责任单位：财政办", "责任单位：財政辦"),
            )
            .unwrap()
        },
    );
    step("change a year", &|_: &mut Session| {
        let p = root.join("content/plans/2021-huadu-yingji.md");
        std::fs::write(
            &p,
            std::fs::read_to_string(&p)
                .unwrap()
                .replace("year = 2021", "year = 2023"),
        )
        .unwrap()
    });
    // The preview keeps the lock in memory, but an edit of the file by hand wins:
    // a unit's URL changed in gongkai.lock moves its page.
    step("move a unit's URL in gongkai.lock", &|_: &mut Session| {
        let lock = root.join("gongkai.lock");
        let text = std::fs::read_to_string(&lock).unwrap();
        let moved = text.replacen("= \"zhong-shan-shi/", "= \"zhong-shan-shi/moved-", 1);
        assert_ne!(moved, text, "a 中山 unit is in the lock");
        std::fs::write(&lock, moved).unwrap();
    });
    let moved = std::fs::read_dir(root.join("output/units/zhong-shan-shi"))
        .unwrap()
        .any(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("moved-")
        });
    assert!(moved, "the page moved to the URL set in gongkai.lock");
    step("remove a plan", &|_: &mut Session| {
        std::fs::remove_file(root.join("content/plans/2022-new.md")).unwrap()
    });
    let u = step("override a template", &|_: &mut Session| {
        write_files(root, &[("templates/404.html", "找不到 {{ site.title }}")])
    });
    assert!(
        !u.full && u.changed == ["404.html"],
        "only the pages made with it: {:?}",
        u.changed
    );
    let u = step("edit the base layout", &|_: &mut Session| {
        let base = std::fs::read_to_string(repo_root().join("themes/default/templates/base.html"))
            .unwrap();
        write_files(
            root,
            &[(
                "templates/base.html",
                &base.replace("本站由 gongkai 生成。", "本站由 gongkai 生成"),
            )],
        )
    });
    assert!(u.full, "the base layout is in every page");
    step(
        "a broken file does not count, its fix does",
        &|_: &mut Session| {
            std::fs::write(&kaiping, "+++\nbroken").unwrap();
            assert!(!session_update_fails_cleanly(root));
            std::fs::write(&kaiping, &original).unwrap();
        },
    );
}

/// A separate session sees the broken file as an error and writes nothing.
fn session_update_fails_cleanly(root: &Path) -> bool {
    let before = snapshot(&root.join("output"));
    let scratch = tempfile::TempDir::new().unwrap();
    let mut other = Session::new(root, &scratch.path().join("out"));
    let u = other.update();
    assert!(
        !scratch.path().join("out").exists(),
        "a failed update writes nothing"
    );
    assert_eq!(before, snapshot(&root.join("output")));
    u.outcome.succeeded()
}

#[test]
fn the_preview_writes_the_open_data_after_the_pages() {
    let dir = tempfile::TempDir::new().unwrap();
    let root = dir.path();
    let plan = repo_root().join("content/plans/2021-kaiping-changsha.md");
    let original = std::fs::read_to_string(&plan).unwrap();
    write_files(
        root,
        &[("content/plans/2021-kaiping-changsha.md", original.as_str())],
    );
    let mut session = Session::new(root, &root.join("output"));
    session.defer_open_data();
    // The first update writes everything, the open data too.
    assert!(session.update().outcome.succeeded());
    assert!(!session.open_data_pending());
    assert_same_as_clean_build(root, &session, "first build");

    let edited = original.replace("扎实做好疫苗接种", "扎实做好新冠疫苗接种");
    std::fs::write(root.join("content/plans/2021-kaiping-changsha.md"), &edited).unwrap();
    let u = session.update();
    assert!(u.outcome.succeeded(), "{}", u.outcome.report());
    let page = std::fs::read_to_string(root.join("output/plans/2021-kaiping-changsha/index.html"))
        .unwrap();
    assert!(
        page.contains("扎实做好新冠疫苗接种"),
        "the page follows at once"
    );
    let data = std::fs::read_to_string(root.join("output/data/tasks.json")).unwrap();
    assert!(!data.contains("新冠疫苗接种"), "the open data waits");
    assert!(!u.changed.iter().any(|p| p.starts_with("data/tasks.")));
    assert!(session.open_data_pending());

    let written = session.write_open_data().unwrap();
    assert_eq!(written, ["data/tasks.json", "data/tasks.csv"]);
    assert!(!session.open_data_pending());
    assert_same_as_clean_build(root, &session, "open data written");
    // Nothing left to write.
    assert!(session.write_open_data().unwrap().is_empty());
}
