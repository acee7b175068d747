//! The server, started as a real process on an ephemeral port: pages, the search
//! API, safety against traversal and malformed requests, and the live preview.

mod common;

use common::http::*;
use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::Command;
use std::time::{Duration, Instant};

fn built_content() -> Built {
    build_content()
}

#[test]
fn production_serves_pages_and_search() {
    let site = built_content();
    let server = start(
        &["--no-watch", "--output", site.out().to_str().unwrap()],
        &repo_root(),
    );
    let a = server.addr;
    let home = get(a, "/", "");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(home.text().contains("政务公开工作要点") && !home.text().contains("livereload"));
    let plan = get(a, "/plans/2021-zhongshan/", "");
    assert_eq!(plan.status, 200);
    let etag = plan.header("etag").unwrap().to_string();
    assert!(plan.header("last-modified").is_some());
    assert!(
        plan.header("cache-control")
            .unwrap()
            .contains("must-revalidate")
    );
    assert_eq!(
        get(
            a,
            "/plans/2021-zhongshan/",
            &format!("If-None-Match: {etag}\r\n")
        )
        .status,
        304
    );
    assert_eq!(get(a, "/plans/2021-zhongshan", "").status, 308);
    // Without JavaScript, the search page shows the query in its box (escaped).
    let searched = get(a, "/search/?q=%E7%96%AB%E8%8B%97%22%3E%3Cb%3E", "");
    assert_eq!(searched.status, 200);
    assert!(
        searched
            .text()
            .contains("id=\"search-q\" value=\"疫苗&quot;&gt;&lt;b&gt;\""),
        "{}",
        searched.text()
    );
    assert!(
        !get(a, "/search/", "")
            .text()
            .contains("id=\"search-q\" value=")
    );
    // Assets: a day; asked for with their version, a year and immutable.
    let css = get(a, "/static/style.css", "");
    assert_eq!(css.header("cache-control"), Some("public, max-age=86400"));
    let versioned = get(a, "/static/style.css?v=abc123", "");
    assert_eq!(
        versioned.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    let gz = get(a, "/plans/2021-zhongshan/", "Accept-Encoding: gzip\r\n");
    assert_eq!(gz.header("content-encoding"), Some("gzip"));
    let br = get(a, "/data/tasks.json", "Accept-Encoding: br\r\n");
    assert_eq!(br.header("content-encoding"), Some("br"));
    assert_eq!(
        get(a, "/static/style.css", "").header("content-type"),
        Some("text/css; charset=utf-8")
    );
    let missing = get(a, "/no/such/page/", "");
    assert_eq!(missing.status, 404);
    assert!(
        missing.text().contains("页面不存在"),
        "the theme's 404 page"
    );

    let api = get(
        a,
        "/api/search?q=%E7%96%AB%E8%8B%97&plan=2021-zhongshan",
        "",
    );
    assert_eq!(api.status, 200);
    assert_eq!(api.header("content-type"), Some("application/json"));
    let v: serde_json::Value = serde_json::from_slice(&api.body).unwrap();
    assert_eq!(v["total"], 1);
    assert_eq!(v["hits"][0]["url"], "/plans/2021-zhongshan/#task-10");
    assert!(
        v["hits"][0]["snippet"]
            .as_str()
            .unwrap()
            .contains("<mark>疫苗</mark>")
    );
    assert!(v["facets"]["unit"].is_object());
    let page2 = get(a, "/api/search?q=%E5%85%AC%E5%BC%80&page=2", "");
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&page2.body).unwrap()["page"],
        2
    );
}

#[test]
fn bad_search_requests_get_400_or_literal_text() {
    let site = built_content();
    let server = start(
        &["--no-watch", "--output", site.out().to_str().unwrap()],
        &repo_root(),
    );
    let a = server.addr;
    for (path, status) in [
        ("/api/search", 400),
        ("/api/search?q=", 400),
        ("/api/search?q=%20%20", 400),
        ("/api/search?q=%E7%96%AB&year=abc", 400),
        ("/api/search?q=%E7%96%AB&page=0", 400),
        ("/api/search?q=%ff%fe%E7%96%AB%E8%8B%97", 200),
        ("/api/search?q=%E7%96%AB%E8%8B%97%22", 200),
        ("/api/search?q=%3A%28%29*%5E~%5B%5D%7B%7D%5C%2B-!", 200),
        ("/api/search?q=%F0%9F%98%80", 200),
        ("/api/search?q=%", 200),
    ] {
        let r = get(a, path, "");
        assert_eq!(r.status, status, "{path}: {}", r.text());
        assert!(
            serde_json::from_slice::<serde_json::Value>(&r.body).is_ok(),
            "{path} answers JSON"
        );
    }
    // 10,000 characters: cut to 200 and said so.
    let long = format!("/api/search?q=%E7%96%AB%E8%8B%97+{}", "x".repeat(10_000));
    let r = get(a, &long, "");
    assert_eq!(r.status, 200);
    let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(v["truncated"], true);
    assert!(v["notice"].as_str().unwrap().contains("200"));
    // A request line beyond what the HTTP stack accepts gets a clear status, not a 500.
    let huge = get(
        a,
        &format!("/api/search?q={}", "%E7%96%AB".repeat(10_000)),
        "",
    );
    assert!(huge.status == 414 || huge.status == 200, "{}", huge.status);
}

#[test]
fn traversal_and_malformed_requests_are_refused() {
    let site = built_content();
    std::os::unix::fs::symlink("/etc", site.out().join("etc-link")).unwrap();
    let server = start(
        &["--no-watch", "--output", site.out().to_str().unwrap()],
        &repo_root(),
    );
    let a = server.addr;
    for path in [
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/plans/..%2f..%2f..%2fetc%2fpasswd",
        "/static/..\\..\\..\\etc\\passwd",
        "/%2fetc%2fpasswd",
        "//etc/passwd",
        "/etc-link/passwd",
        "/search/index/meta.json/../../../../etc/passwd",
        "/.staging",
    ] {
        let r = get(a, path, "");
        assert!(r.status == 400 || r.status == 404, "{path}: {}", r.status);
        assert!(!r.text().contains("root:"), "{path} leaked a file");
    }
    // Absolute-form request target.
    let r = raw(a, b"GET http://localhost/../../etc/passwd HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    assert!(!r.text().contains("root:"));
    // No directory listings.
    assert_eq!(get(a, "/static/", "").status, 404);
    // Malformed requests get 400 and do not harm the next one.
    for garbage in [
        &b"GARBAGE\r\n\r\n"[..],
        b"GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
        b"\x00\xff\xfe\r\n\r\n",
    ] {
        let r = raw(a, garbage);
        assert!(r.status == 400 || r.status == 0, "status {}", r.status);
        assert_eq!(get(a, "/", "").status, 200);
    }
}

#[test]
fn shuts_down_gracefully_on_sigterm() {
    let site = built_content();
    let mut server = start(
        &["--no-watch", "--output", site.out().to_str().unwrap()],
        &repo_root(),
    );
    assert_eq!(get(server.addr, "/", "").status, 200);
    let pid = server.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let started = Instant::now();
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            assert!(status.success(), "{status}");
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "server did not stop"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Reads server-sent events until one of the given kind arrives; returns its data
/// (several `data:` lines joined by line breaks, as EventSource does).
fn next_event(reader: &mut BufReader<TcpStream>, kind: &str, timeout: Duration) -> String {
    let deadline = Instant::now() + timeout;
    let (mut current, mut data) = (String::new(), Vec::<String>::new());
    let mut line = String::new();
    while Instant::now() < deadline {
        line.clear();
        match reader.read_line(&mut line) {
            Ok(0) => panic!("event stream closed"),
            Ok(_) => {}
            Err(_) => continue,
        }
        let l = line.trim_end_matches(['\r', '\n']);
        if l.is_empty() {
            if current == kind {
                return data.join("\n");
            }
            (current, data) = (String::new(), Vec::new());
        } else if let Some(e) = l.strip_prefix("event:") {
            current = e.trim().to_string();
        } else if let Some(d) = l.strip_prefix("data:") {
            data.push(d.strip_prefix(' ').unwrap_or(d).to_string());
        }
    }
    panic!("no {kind} event within {timeout:?}");
}

fn subscribe(addr: SocketAddr) -> BufReader<TcpStream> {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    s.write_all(
        b"GET /__gongkai/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n",
    )
    .unwrap();
    BufReader::new(s)
}

/// A copy of the real content in a temporary site folder.
fn site_copy() -> tempfile::TempDir {
    let dir = tempfile::TempDir::new().unwrap();
    copy_bundled_site(dir.path());
    dir
}

fn preview_round_trip(bind: &str) {
    let site = site_copy();
    let server = start(&["--bind", bind], site.path());
    let a = server.addr;
    let page = get(a, "/plans/2021-kaiping-changsha/", "");
    assert_eq!(page.status, 200);
    assert!(
        page.text().contains("__gongkai/livereload.js"),
        "preview pages load live reload"
    );
    assert_eq!(page.header("cache-control"), Some("no-store"));
    let mut events = subscribe(a);
    std::thread::sleep(Duration::from_millis(300));

    // An editor's atomic save: write a temporary file, then rename it over the plan.
    let plan = site.path().join("content/plans/2021-kaiping-changsha.md");
    let text = std::fs::read_to_string(&plan).unwrap();
    let tmp = site
        .path()
        .join("content/plans/.2021-kaiping-changsha.md.swp");
    std::fs::write(
        &tmp,
        text.replace("扎实做好疫苗接种", "扎实做好新冠疫苗接种"),
    )
    .unwrap();
    std::fs::rename(&tmp, &plan).unwrap();
    let changed = next_event(&mut events, "reload", Duration::from_secs(10));
    assert!(
        changed.contains("plans/2021-kaiping-changsha/index.html"),
        "{changed}"
    );
    assert!(
        !changed.contains("plans/2021-zhongshan/index.html"),
        "other plans are not re-rendered: {changed}"
    );
    assert!(
        get(a, "/plans/2021-kaiping-changsha/", "")
            .text()
            .contains("扎实做好新冠疫苗接种")
    );
    // The reload goes out once the search index is in place too: a search made
    // right away sees the edit.
    let api = get(a, "/api/search?q=%E6%96%B0%E5%86%A0%E7%96%AB%E8%8B%97", "");
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&api.body).unwrap()["total"],
        1,
        "the index was updated before the reload"
    );

    // A broken edit: the error is published, the last good page keeps being served.
    std::fs::write(&plan, "+++\ntitle = \"x\"\n").unwrap();
    let report = next_event(&mut events, "error-report", Duration::from_secs(10));
    assert!(report.contains("2021-kaiping-changsha.md:1:1"), "{report}");
    let still = get(a, "/plans/2021-kaiping-changsha/", "");
    assert_eq!(still.status, 200);
    assert!(still.text().contains("扎实做好新冠疫苗接种"));
    // A page opened now learns about the error at once.
    let mut late = subscribe(a);
    assert!(
        next_event(&mut late, "error-report", Duration::from_secs(5))
            .contains("front matter is not closed")
    );

    // Fixing it clears the error and reloads.
    std::fs::write(&plan, &text).unwrap();
    let changed = next_event(&mut events, "reload", Duration::from_secs(10));
    assert!(changed.contains("plans/2021-kaiping-changsha/index.html"));
    assert!(
        get(a, "/plans/2021-kaiping-changsha/", "")
            .text()
            .contains("扎实做好疫苗接种")
    );

    // A new plan file appears; a deleted one disappears.
    std::fs::write(
        site.path().join("content/plans/2022-new.md"),
        plan_text("新计划"),
    )
    .unwrap();
    next_event(&mut events, "reload", Duration::from_secs(10));
    assert_eq!(get(a, "/plans/2022-new/", "").status, 200);
    std::fs::remove_file(site.path().join("content/plans/2022-new.md")).unwrap();
    next_event(&mut events, "reload", Duration::from_secs(10));
    assert_eq!(get(a, "/plans/2022-new/", "").status, 404);
}

fn plan_text(title: &str) -> String {
    plan(
        title,
        "某区人民政府",
        2022,
        "## 一、做好财政信息公开\n\n1. 公开预算。\n\n   责任单位：区财政局\n",
    )
}

#[test]
fn preview_rebuilds_reloads_and_reports_errors() {
    preview_round_trip("127.0.0.1");
}

#[test]
fn the_preview_writes_the_open_data_again_after_a_failed_write() {
    let site = site_copy();
    let server = start(&[], site.path());
    let a = server.addr;
    let mut events = subscribe(a);
    std::thread::sleep(Duration::from_millis(300));
    // The open data's file cannot be replaced: a folder (with a file in it) holds
    // its name, as a file held open by another program would on Windows.
    let tasks_json = site.path().join("output/data/tasks.json");
    std::fs::remove_file(&tasks_json).unwrap();
    std::fs::create_dir(&tasks_json).unwrap();
    std::fs::write(tasks_json.join("held"), "").unwrap();
    let plan = site.path().join("content/plans/2021-kaiping-changsha.md");
    let text = std::fs::read_to_string(&plan).unwrap();
    std::fs::write(
        &plan,
        text.replace("扎实做好疫苗接种", "扎实做好新冠疫苗接种"),
    )
    .unwrap();
    next_event(&mut events, "reload", Duration::from_secs(10));
    // The first write (0.3 s after the rebuild) fails; the folder goes away.
    std::thread::sleep(Duration::from_millis(1500));
    assert!(tasks_json.is_dir());
    std::fs::remove_dir_all(&tasks_json).unwrap();
    // Without another save, the open data is written on the next try.
    let started = Instant::now();
    while !std::fs::read_to_string(&tasks_json).is_ok_and(|t| t.contains("新冠疫苗接种")) {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the open data was written again"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let served = get(a, "/data/tasks.json", "");
    assert_eq!(served.status, 200);
    assert!(served.text().contains("新冠疫苗接种"));
}

#[test]
fn preview_works_over_ipv6() {
    if std::net::TcpListener::bind("[::1]:0").is_err() {
        eprintln!("skipped: no IPv6 loopback on this machine");
        return;
    }
    preview_round_trip("::1");
}

#[test]
fn methods_ranges_head_and_redirects_are_answered_right() {
    let site = built_content();
    let server = start(
        &["--no-watch", "--output", site.out().to_str().unwrap()],
        &repo_root(),
    );
    let a = server.addr;
    for method in ["DELETE", "PUT", "POST", "FOO"] {
        for path in ["/", "/plans/2021-zhongshan/", "/no/such/page/"] {
            let r = request(a, method, path, "Content-Length: 0\r\n");
            assert_eq!(r.status, 405, "{method} {path}");
            assert_eq!(r.header("allow"), Some("GET, HEAD"), "{method} {path}");
        }
    }
    // A range of a missing or refused path is the whole 404 page.
    for path in ["/no/such/page/", "/.gongkai-output", "/../etc/passwd"] {
        let r = get(a, path, "Range: bytes=0-9\r\n");
        assert!(r.status == 404 || r.status == 400, "{path}: {}", r.status);
        assert!(r.status != 404 || r.text().contains("页面不存在"), "{path}");
    }
    // A range of a real file is a range.
    assert_eq!(
        get(a, "/static/style.css", "Range: bytes=0-9\r\n").status,
        206
    );
    // HEAD tells the length GET sends, cached or not.
    for path in [
        "/plans/2021-zhongshan/",
        "/static/style.css",
        "/plans/2021-zhongshan/",
    ] {
        let body = get(a, path, "").body.len();
        let head = request(a, "HEAD", path, "");
        assert_eq!(head.status, 200);
        assert_eq!(
            head.header("content-length"),
            Some(body.to_string().as_str()),
            "{path}"
        );
        assert!(head.body.is_empty());
    }
    // A page that moved answers 301 with where it is now.
    let moved = get(a, "/units/zhong-shan-shi/cai-zheng-ju/", "");
    assert_eq!(moved.status, 301, "{}", moved.text());
    assert_eq!(
        moved.header("location"),
        Some("/units/zhong-shan-shi/shi-cai-zheng-ju/")
    );
    // `//plans` must not redirect to the host `plans`.
    for path in ["//plans", "///plans", "/plans//2021-zhongshan"] {
        let r = get(a, path, "");
        assert_eq!(r.status, 308, "{path}");
        let location = r.header("location").unwrap();
        assert!(
            location.starts_with('/') && !location.starts_with("//"),
            "{path} → {location}"
        );
    }
}

#[test]
fn idle_and_slow_connections_are_closed_and_shutdown_has_a_deadline() {
    let site = built_content();
    let mut server = start(
        &["--no-watch", "--output", site.out().to_str().unwrap()],
        &repo_root(),
    );
    let a = server.addr;
    // Half a request, then nothing: the server hangs up.
    let mut slow = TcpStream::connect(a).unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: loc").unwrap();
    // An idle kept-alive connection: closed too.
    let mut idle = TcpStream::connect(a).unwrap();
    idle.write_all(b"GET /static/style.css HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();
    let started = Instant::now();
    for (what, s) in [("slow", &mut slow), ("idle", &mut idle)] {
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        let mut buf = Vec::new();
        let _ = s.read_to_end(&mut buf);
        assert!(
            started.elapsed() < Duration::from_secs(25),
            "{what} connection held open for {:?}",
            started.elapsed()
        );
    }
    // SIGTERM while a client stalls halfway through a request: the server stops
    // within its deadline.
    let mut stalled = TcpStream::connect(a).unwrap();
    stalled.write_all(b"GET / HTTP/1.1\r\nHost: loc").unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let pid = server.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let started = Instant::now();
    loop {
        if server.child.try_wait().unwrap().is_some() {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "server did not stop"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_new_build_into_the_served_folder_is_served_whole() {
    let dir = site_copy();
    let out = dir.path().join("output");
    let build = |root: &std::path::Path| {
        let run = Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .env("LC_ALL", "C")
            .arg("--root")
            .arg(root)
            .arg("build")
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
    };
    build(dir.path());
    let server = start(
        &["--no-watch", "--output", out.to_str().unwrap()],
        dir.path(),
    );
    let a = server.addr;
    let page = "/plans/2021-kaiping-changsha/";
    assert!(get(a, page, "").text().contains("扎实做好疫苗接种"));
    let search = "/api/search?q=%E6%96%B0%E5%86%A0%E7%96%AB%E8%8B%97";
    let total =
        |r: Reply| serde_json::from_slice::<serde_json::Value>(&r.body).unwrap()["total"].clone();
    assert_eq!(total(get(a, search, "")), 0);
    // The editor changes a plan and builds again while the server runs.
    let plan = dir.path().join("content/plans/2021-kaiping-changsha.md");
    let text = std::fs::read_to_string(&plan).unwrap();
    std::fs::write(
        &plan,
        text.replace("扎实做好疫苗接种", "扎实做好新冠疫苗接种"),
    )
    .unwrap();
    build(dir.path());
    // The cached page and the search both show the new build.
    assert!(get(a, page, "").text().contains("扎实做好新冠疫苗接种"));
    assert_eq!(total(get(a, search, "")), 1);
}

#[test]
fn every_spelling_of_a_path_is_one_cached_file() {
    use gongkai::serve::files::cache_key;
    let one = Some("plans/a/index.html".to_string());
    for spelling in [
        "/plans/a/",
        "//plans/a/",
        "///plans//a/",
        "/%70lans/a/",
        "/plans/a//",
    ] {
        assert_eq!(cache_key(spelling), one, "{spelling}");
    }
    assert_eq!(cache_key("/"), Some("index.html".to_string()));
    assert_eq!(cache_key("//"), Some("index.html".to_string()));
    for refused in [
        "/../x",
        "/.git/config",
        "/a/%2e%2e/b",
        "/%ff",
        "/a\\b",
        "/C:/x",
    ] {
        assert_eq!(cache_key(refused), None, "{refused}");
    }
}

#[test]
fn the_preview_watches_a_content_folder_made_anew() {
    let site = site_copy();
    let server = start(&[], site.path());
    let a = server.addr;
    let mut events = subscribe(a);
    std::thread::sleep(Duration::from_millis(300));
    let content = site.path().join("content");
    let moved = site.path().join("content.bak");
    std::fs::rename(&content, &moved).unwrap();
    // The site without content/ fails to build; the last good one is served.
    next_event(&mut events, "error-report", Duration::from_secs(10));
    let copied = Command::new("cp")
        .arg("-r")
        .arg(&moved)
        .arg(&content)
        .status()
        .unwrap();
    assert!(copied.success());
    next_event(&mut events, "reload", Duration::from_secs(10));
    // Edits in the new folder are seen; edits in the old one are not.
    std::fs::write(content.join("plans/2022-new.md"), plan_text("新计划")).unwrap();
    next_event(&mut events, "reload", Duration::from_secs(10));
    assert_eq!(get(a, "/plans/2022-new/", "").status, 200);
    std::fs::write(moved.join("plans/2023-old.md"), plan_text("旧文件夹")).unwrap();
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(get(a, "/plans/2023-old/", "").status, 404);
}

#[test]
fn slow_readers_are_timed_out_and_connections_past_the_limit_get_503() {
    let site = built_content();
    // A file larger than what the kernel's socket buffers hold, in random bytes
    // (compression does not shrink it): a client that never reads stalls it.
    let mut rng = fastrand::Rng::with_seed(4);
    let big: Vec<u8> = std::iter::repeat_with(|| rng.u8(..))
        .take(24 << 20)
        .collect();
    std::fs::write(site.out().join("big.bin"), &big).unwrap();
    let log = tempfile::NamedTempFile::new().unwrap();
    let server = start_logging(
        &[
            "--no-watch",
            "--output",
            site.out().to_str().unwrap(),
            "--max-connections",
            "8",
            "--send-timeout",
            "2",
        ],
        &repo_root(),
        log.reopen().unwrap(),
    );
    let a = server.addr;

    // Eight clients ask for the big file and never read.
    let stalled: Vec<TcpStream> = (0..8)
        .map(|_| {
            let mut s = TcpStream::connect(a).unwrap();
            s.write_all(b"GET /big.bin HTTP/1.1\r\nHost: localhost\r\n\r\n")
                .unwrap();
            s
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    // The ninth is told the server is busy, at once.
    let busy = get(a, "/", "");
    assert_eq!(busy.status, 503);
    assert_eq!(busy.header("retry-after"), Some("1"));
    // The stalled responses are dropped after the send timeout; the server
    // answers again.
    let started = Instant::now();
    loop {
        let reply = get(a, "/", "");
        if reply.status == 200 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "stalled connections held past the send timeout"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(started.elapsed() >= Duration::from_millis(1000));
    for mut s in stalled {
        // What was sent ends before the whole file: the connection was closed.
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut got = Vec::new();
        let _ = s.read_to_end(&mut got);
        assert!(got.len() < big.len(), "a stalled reader got the whole file");
    }
    let logged = std::fs::read_to_string(log.path()).unwrap();
    assert!(logged.contains("--max-connections"), "{logged}");
    assert!(logged.contains("--send-timeout"), "{logged}");
}
