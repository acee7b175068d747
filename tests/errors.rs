//! Bad input: every problem is reported with file:line:column, what was expected and
//! a hint; all problems in one run; the previous output is never damaged.

mod common;

use common::*;

/// Builds a one-plan fixture and returns the report (the build must fail).
fn failing(plan_text: &str) -> String {
    let site = build_fixture(&[("content/plans/p.md", plan_text)]);
    assert!(!site.outcome.succeeded(), "expected a failed build");
    assert!(!site.out().exists(), "a failed build writes nothing");
    site.outcome.report()
}

fn assert_has(report: &str, parts: &[&str]) {
    for p in parts {
        assert!(report.contains(p), "report lacks {p:?}:\n{report}");
    }
}

#[test]
fn missing_front_matter() {
    let r = failing("## 类\n\n1. 甲\n");
    assert_has(
        &r,
        &[
            "content/plans/p.md:1:1",
            "must begin with a `+++` line",
            "hint:",
        ],
    );
}

#[test]
fn unclosed_front_matter() {
    let r = failing("+++\ntitle = \"T\"\n");
    assert_has(
        &r,
        &["p.md:1:1", "front matter is not closed", "add a line `+++`"],
    );
}

#[test]
fn unknown_key_names_it_and_the_accepted_ones() {
    let r = failing("+++\ntitle = \"T\"\nissuer = \"I\"\nyear = 2021\nauthor = \"x\"\n+++\n");
    assert_has(
        &r,
        &[
            "p.md:5:1",
            "unknown field `author`",
            "doc_number",
            "jurisdiction",
        ],
    );
}

#[test]
fn missing_required_key() {
    let r = failing("+++\ntitle = \"T\"\nyear = 2021\n+++\n");
    assert_has(
        &r,
        &["p.md:", "missing required key `issuer`", "accepted keys"],
    );
}

#[test]
fn wrong_types_and_values() {
    let r = failing("+++\ntitle = \"T\"\nissuer = \"I\"\nyear = \"二〇二一\"\n+++\n");
    assert_has(&r, &["p.md:4:8", "invalid front matter"]);
    let r = failing("+++\ntitle = \"T\"\nissuer = \"I\"\nyear = 21\n+++\n");
    assert_has(&r, &["p.md:4:8", "not a plausible plan year"]);
    let r =
        failing("+++\ntitle = \"T\"\nissuer = \"I\"\nyear = 2021\npublished = \"7月5日\"\n+++\n");
    assert_has(
        &r,
        &["p.md:5:13", "`published` is not a date", "2021-07-05"],
    );
    let r = failing("+++\ntitle = \"  \"\nissuer = \"I\"\nyear = 2021\n+++\n");
    assert_has(&r, &["p.md:2:9", "`title` must not be empty"]);
}

#[test]
fn body_structure_errors_are_all_reported() {
    let body = "+++\ntitle = \"T\"\nissuer = \"I\"\nyear = 2021\n+++\n\n# 标题\n\n1. 前置\n\n## 类\n\n1. 甲\n\n   责任单位：\n\n#### 深\n\n### \n";
    let r = failing(body);
    assert_has(
        &r,
        &[
            "p.md:7:1",
            "a `#` heading in the plan body",
            "p.md:9:1",
            "before the first category heading",
            "p.md:15:4",
            "expected unit names after the colon",
            "p.md:17:1",
            "headings below `###`",
        ],
    );
}

#[test]
fn task_without_text() {
    let r = failing(
        "+++\ntitle = \"T\"\nissuer = \"I\"\nyear = 2021\n+++\n\n## 类\n\n1. 责任单位：财政办\n",
    );
    assert_has(&r, &["p.md:9:1", "task 1 has no text"]);
}

#[test]
fn sub_category_without_category() {
    let r = failing("+++\ntitle = \"T\"\nissuer = \"I\"\nyear = 2021\n+++\n\n### （一）子类\n");
    assert_has(&r, &["p.md:7:1", "before any `##` category"]);
}

#[test]
fn errors_in_several_files_in_one_run() {
    let site = build_fixture(&[
        ("content/plans/a.md", "no front matter\n"),
        (
            "content/plans/b.md",
            "+++\ntitle = \"T\"\nissuer = \"I\"\n+++\n",
        ),
    ]);
    let r = site.outcome.report();
    assert_has(&r, &["content/plans/a.md:1:1", "content/plans/b.md:"]);
    assert_eq!(
        site.outcome
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .count(),
        2
    );
}

#[test]
fn non_utf8_file_and_missing_folder() {
    let dir = tempfile::TempDir::new().unwrap();
    let outcome = gongkai::build::build(dir.path(), &dir.path().join("output"));
    assert!(
        outcome.report().contains("no plan folder"),
        "{}",
        outcome.report()
    );
    std::fs::create_dir_all(dir.path().join("content/plans")).unwrap();
    std::fs::write(
        dir.path().join("content/plans/gbk.md"),
        b"+++\ntitle = \"\xb2\xc6\xd5\xfe\"\n",
    )
    .unwrap();
    let outcome = gongkai::build::build(dir.path(), &dir.path().join("output"));
    assert_has(&outcome.report(), &["gbk.md: not valid UTF-8", "GB18030"]);
}

#[test]
fn bad_site_config() {
    let site = build_fixture(&[
        ("gongkai.toml", "title = \"站\"\nbase = \"/x/\"\n"),
        (
            "content/plans/p.md",
            &plan("T", "I", 2021, "## 类\n\n1. 甲\n\n   责任单位：办\n"),
        ),
    ]);
    assert!(!site.outcome.succeeded());
    assert_has(
        &site.outcome.report(),
        &["gongkai.toml:2:1", "unknown field `base`", "base_url"],
    );
}

#[test]
fn warnings_do_not_fail_the_build() {
    let site = build_fixture(&[(
        "content/plans/p.md",
        &plan(
            "T",
            "I",
            2021,
            "## 类\n\n1. 甲\n\n3. 乙\n\n   责任单位：办\n\n3. 丙\n\n   负责人：张三\n\n   责任单位：办\n",
        ),
    )]);
    assert!(site.outcome.succeeded(), "{}", site.outcome.report());
    assert_has(
        &site.outcome.report(),
        &[
            "task 1 has no units",
            "task numbers jump from 1 to 3",
            "task number 3 appears more than once",
        ],
    );
    // Duplicate numbers still get distinct anchors.
    let html = site.read("plans/p/index.html");
    assert!(html.contains("id=\"task-3\"") && html.contains("id=\"task-3-2\""));
}

#[test]
fn failed_build_keeps_the_previous_output() {
    let dir = tempfile::TempDir::new().unwrap();
    let good = plan("T", "I", 2021, "## 类\n\n1. 甲\n\n   责任单位：办\n");
    write_files(dir.path(), &[("content/plans/p.md", &good)]);
    let out = dir.path().join("output");
    assert!(gongkai::build::build(dir.path(), &out).succeeded());
    let before = std::fs::read(out.join("plans/p/index.html")).unwrap();
    write_files(dir.path(), &[("content/plans/p.md", "+++\nbroken")]);
    assert!(!gongkai::build::build(dir.path(), &out).succeeded());
    assert_eq!(
        std::fs::read(out.join("plans/p/index.html")).unwrap(),
        before
    );
    // A template error is a failed build too.
    write_files(
        dir.path(),
        &[
            ("content/plans/p.md", &good),
            ("templates/plan.html", "{% if %}"),
        ],
    );
    let outcome = gongkai::build::build(dir.path(), &out);
    assert!(
        outcome.report().contains("cannot compile the templates"),
        "{}",
        outcome.report()
    );
    assert_eq!(
        std::fs::read(out.join("plans/p/index.html")).unwrap(),
        before
    );
}

#[test]
fn cli_exit_codes_and_messages() {
    let dir = tempfile::TempDir::new().unwrap();
    write_files(dir.path(), &[("content/plans/p.md", "oops\n")]);
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .env("LC_ALL", "C")
        .arg("--root")
        .arg(dir.path())
        .arg("build")
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let err = String::from_utf8(run.stderr).unwrap();
    assert!(
        err.contains("content/plans/p.md:1:1") && err.contains("build failed with 1 error(s)"),
        "{err}"
    );
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .env("LC_ALL", "C")
        .arg("--root")
        .arg(repo_root())
        .arg("check")
        .output()
        .unwrap();
    assert!(check.status.success());
    assert!(
        String::from_utf8(check.stderr)
            .unwrap()
            .contains("ok: 5 plans, 184 tasks")
    );
}
