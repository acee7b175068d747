//! An office's first hour: `gongkai init` gives a site that builds at once and
//! shows every feature of the format; messages and help speak the reader's language.

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn gongkai(dir: &Path, lang: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .current_dir(dir)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", lang)
        .args(args)
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn init_makes_a_site_that_builds_warning_only_of_its_base_url_and_shows_every_feature() {
    let dir = tempfile::TempDir::new().unwrap();
    let init = gongkai(dir.path(), "C", &["init", "site"]);
    assert!(init.status.success(), "{}", stderr(&init));
    let site = dir.path().join("site");
    for file in [
        "gongkai.toml",
        ".gitignore",
        "content/plans/2026-shili-xian.md",
    ] {
        assert!(site.join(file).is_file(), "{file}");
    }
    assert!(
        std::fs::read_to_string(site.join(".gitignore"))
            .unwrap()
            .contains("/output/")
    );

    let build = gongkai(&site, "C", &["build"]);
    let report = stderr(&build);
    assert!(build.status.success(), "{report}");
    // The example plan is clean; the one warning is that base_url = "/" (a new
    // site's) is no address to publish the sitemap and feed under.
    assert_eq!(
        report.matches("warning").count(),
        1,
        "the example plan is clean: {report}"
    );
    assert!(report.contains("a path without a host"), "{report}");
    let last = report.lines().last().unwrap();
    assert!(
        last.starts_with("the site is in ") && last.contains("output"),
        "{last}"
    );

    // The example plan shows categories, sub-categories, the three roles and deadlines.
    let tasks: Vec<serde_json::Value> = serde_json::from_str(
        &std::fs::read_to_string(site.join("output/data/tasks.json")).unwrap(),
    )
    .unwrap();
    assert!(tasks.len() >= 10);
    assert!(
        tasks
            .iter()
            .any(|t| t["category"].as_array().unwrap().len() == 2)
    );
    for role in ["lead", "responsible", "cooperating"] {
        assert!(
            tasks
                .iter()
                .any(|t| !t[role].as_array().unwrap().is_empty()),
            "no task has a {role} unit"
        );
    }
    assert!(tasks.iter().any(|t| t["due"].is_string()));
    assert!(
        tasks.iter().any(|t| t["number"] == "10"),
        "a two-digit task shows the indentation"
    );
    // The configured alias and group take effect.
    let units: Vec<serde_json::Value> = serde_json::from_str(
        &std::fs::read_to_string(site.join("output/data/units.json")).unwrap(),
    )
    .unwrap();
    let named = |n: &str| units.iter().find(|u| u["name"] == n).cloned();
    let data_office = named("县政务服务数据管理局").expect("the alias names the office");
    assert!(
        data_office["aliases"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "县数据局")
    );
    let group = named("县直各部门").expect("the group");
    assert_eq!(group["kind"], "group");
    assert_eq!(group["members"].as_array().unwrap().len(), 3);
}

#[test]
fn init_refuses_a_folder_in_use_and_never_overwrites() {
    let dir = tempfile::TempDir::new().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let refused = gongkai(dir.path(), "C", &["init"]);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("is not empty"));
    assert!(!dir.path().join("gongkai.toml").exists());

    std::fs::write(dir.path().join("gongkai.toml"), "title = \"我的站点\"\n").unwrap();
    let forced = gongkai(dir.path(), "C", &["init", "--force"]);
    assert!(forced.status.success(), "{}", stderr(&forced));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("gongkai.toml")).unwrap(),
        "title = \"我的站点\"\n"
    );
    assert!(stderr(&forced).contains("not overwritten"));
    assert!(
        dir.path()
            .join("content/plans/2026-shili-xian.md")
            .is_file()
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn a_chinese_locale_gets_chinese_diagnostics_with_their_place() {
    let dir = tempfile::TempDir::new().unwrap();
    common::write_files(
        dir.path(),
        &[(
            "content/plans/p.md",
            &common::plan(
                "T",
                "某区人民政府",
                2021,
                "## 一、类\n\n1. 甲\n\n2. 乙\n\n   责任单位：区财政局\n",
            ),
        )],
    );
    let zh = gongkai(dir.path(), "zh_CN.UTF-8", &["check"]);
    let text = stderr(&zh);
    assert!(zh.status.success(), "{text}");
    assert!(text.contains("警告"), "{text}");
    assert!(text.contains("第 1 项任务没有责任单位"), "{text}");
    assert!(
        text.contains("content/plans/p.md:"),
        "file:line:column stays: {text}"
    );
    assert!(text.contains("提示："), "{text}");
    assert!(text.contains("检查通过"), "{text}");
    assert!(!text.contains("warning"), "{text}");

    // `--lang` wins over the locale, both ways.
    let en = gongkai(dir.path(), "zh_CN.UTF-8", &["--lang", "en", "check"]);
    assert!(
        stderr(&en).contains("warning: task 1 has no units"),
        "{}",
        stderr(&en)
    );
    let zh_flag = gongkai(dir.path(), "C", &["check", "--lang", "zh"]);
    assert!(stderr(&zh_flag).contains("警告"));

    // An error too: a broken front matter, with its line.
    std::fs::write(dir.path().join("content/plans/p.md"), "no front matter\n").unwrap();
    let failed = gongkai(dir.path(), "zh_CN.UTF-8", &["build"]);
    assert_eq!(failed.status.code(), Some(1));
    let text = stderr(&failed);
    assert!(text.contains("错误") && text.contains("p.md:1:1"), "{text}");
    assert!(text.contains("生成失败"), "{text}");
}

#[test]
fn help_is_in_the_readers_language() {
    let dir = tempfile::TempDir::new().unwrap();
    let zh = gongkai(dir.path(), "zh_CN.UTF-8", &["--help"]);
    let text = String::from_utf8_lossy(&zh.stdout).into_owned();
    assert!(
        text.contains("用法：gongkai") && text.contains("新建站点"),
        "{text}"
    );
    assert!(!text.contains("Print help"), "{text}");
    let serve = gongkai(dir.path(), "zh_CN.UTF-8", &["serve", "--help"]);
    let text = String::from_utf8_lossy(&serve.stdout).into_owned();
    assert!(text.contains("监听的端口（默认：8000）"), "{text}");
    let en = gongkai(dir.path(), "C", &["--help"]);
    let text = String::from_utf8_lossy(&en.stdout).into_owned();
    assert!(
        text.contains("Usage: gongkai") && text.contains("Start a new site"),
        "{text}"
    );
}

#[test]
fn build_warns_in_its_last_line_when_the_site_points_at_this_computer() {
    let dir = tempfile::TempDir::new().unwrap();
    assert!(gongkai(dir.path(), "C", &["init"]).status.success());
    let config = dir.path().join("gongkai.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        text.replace("base_url = \"/\"", "base_url = \"http://127.0.0.1:8000/\""),
    )
    .unwrap();
    let build = gongkai(dir.path(), "zh_CN.UTF-8", &["build"]);
    let report = stderr(&build);
    assert!(build.status.success(), "{report}");
    let last = report.lines().last().unwrap();
    assert!(
        last.starts_with("网站在 ") && last.contains("127.0.0.1"),
        "{last}"
    );
}
