//! End-to-end in headless Chromium: a citizen types a query on the served site, sees
//! highlighted results, follows one to its task anchor, narrows by a facet (named,
//! changeable, removable), meets no dead end; and on a plain static host (python's
//! http.server, no /api) the browser answers the same searches itself. Driven by
//! `tests/e2e/search.mjs` (playwright-core with Debian's Chromium). `.ci/run`
//! installs both; elsewhere the test is skipped with a message when they are missing.

mod common;

use common::*;
use std::process::Command;

fn tools_missing() -> Option<String> {
    let e2e = repo_root().join("tests/e2e");
    if !e2e.join("node_modules/playwright-core").is_dir() {
        return Some("run `npm ci --prefix tests/e2e`".into());
    }
    if Command::new("node").arg("--version").output().is_err() {
        return Some("node is not installed".into());
    }
    if !std::path::Path::new(&std::env::var("CHROMIUM").unwrap_or("/usr/bin/chromium".into()))
        .exists()
    {
        return Some("install Debian's chromium".into());
    }
    None
}

#[test]
fn search_in_a_real_browser() {
    if let Some(why) = tools_missing() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run the browser test: {why}"
        );
        eprintln!("skipped: {why}");
        return;
    }
    let site = build_content();
    let out = site.out();
    let server = start(
        &["--no-watch", "--output", &out.to_string_lossy()],
        &repo_root(),
    );
    let url = format!("http://{}/", server.addr);

    // A plain static host: files only, no /api/search.
    let (_static, static_addr) = static_host(&site.out());
    let static_url = format!("http://{static_addr}/");
    let out = Command::new("node")
        .arg(repo_root().join("tests/e2e/search.mjs"))
        .arg(&url)
        .arg(&static_url)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("e2e: 10 checks passed"));
}
