//! Publishing, as the guide (docs/guide.zh.md) tells an office to do it, run on
//! loopback: (1) `output/` on a plain static host, every link answering; (2) nginx
//! serving `output/` with the guide's config, docs/publish/nginx-static.conf (types,
//! gzip, cache headers); (3) `gongkai serve --no-watch` behind nginx with
//! docs/publish/nginx-proxy.conf, and the systemd unit docs/publish/gongkai.service.
//! `.ci/run` installs nginx; elsewhere the nginx tests are skipped with a message.

mod common;

use common::http::*;
use common::*;
use std::collections::{BTreeSet, VecDeque};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Stdio};

const NGINX: &str = "/usr/sbin/nginx";

/// True (with a message) when nginx is not installed; CI must have it.
fn nginx_missing() -> bool {
    tool_missing(Path::new(NGINX).exists(), "nginx", "apt-get install nginx")
}

/// The guide's config file with the lines an office changes replaced, each of
/// which must be there exactly once.
fn guide_config(name: &str, changes: &[(&str, &str)]) -> String {
    let mut text = std::fs::read_to_string(repo_root().join("docs/publish").join(name)).unwrap();
    for (from, to) in changes {
        assert_eq!(text.matches(from).count(), 1, "{name} has one `{from}`");
        text = text.replace(from, to);
    }
    text
}

/// Runs nginx in the foreground with Debian's http defaults (mime.types, default
/// type) and `server_config` included in `http { }`, as conf.d files are.
fn start_nginx(dir: &Path, server_config: &str, port: u16) -> Process {
    std::fs::write(dir.join("gongkai.conf"), server_config).unwrap();
    let temp = dir.join("nginx-temp");
    std::fs::create_dir_all(&temp).unwrap();
    // Workers of a root master run as `nobody`, who cannot read a private temp folder.
    let is_root = std::fs::read_to_string("/proc/self/status").is_ok_and(|s| {
        s.lines()
            .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
    });
    let d = dir.display();
    let main = format!(
        "{user}pid {d}/nginx.pid;\nerror_log {d}/error.log;\nevents {{ worker_connections 64; }}\n\
         http {{\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n  \
         access_log off;\n  client_body_temp_path {t}/body;\n  proxy_temp_path {t}/proxy;\n  \
         fastcgi_temp_path {t}/fastcgi;\n  uwsgi_temp_path {t}/uwsgi;\n  scgi_temp_path {t}/scgi;\n  \
         include {d}/gongkai.conf;\n}}\n",
        user = if is_root { "user root;\n" } else { "" },
        t = temp.display(),
    );
    std::fs::write(dir.join("nginx.conf"), main).unwrap();
    let conf = dir.join("nginx.conf");
    let test = Command::new(NGINX)
        .args(["-t", "-q", "-e"])
        .arg(dir.join("error.log"))
        .arg("-c")
        .arg(&conf)
        .output()
        .unwrap();
    assert!(
        test.status.success(),
        "nginx -t: {}",
        String::from_utf8_lossy(&test.stderr)
    );
    let child = Command::new(NGINX)
        .args(["-g", "daemon off;", "-e"])
        .arg(dir.join("error.log"))
        .arg("-c")
        .arg(&conf)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for(SocketAddr::from(([127, 0, 0, 1], port)));
    Process(child)
}

/// Every page reachable from the home page by links, fetched over HTTP: returns
/// the pages and files seen; fails on any link that does not answer 200.
fn crawl(addr: SocketAddr) -> BTreeSet<String> {
    let mut seen = BTreeSet::from(["/".to_string()]);
    let mut queue = VecDeque::from(["/".to_string()]);
    while let Some(path) = queue.pop_front() {
        let reply = get(addr, &path, "");
        assert_eq!(reply.status, 200, "{path}");
        let is_html = reply
            .header("content-type")
            .is_some_and(|t| t.starts_with("text/html"));
        if !is_html {
            continue;
        }
        let text = reply.text();
        for part in text
            .split("href=\"")
            .skip(1)
            .chain(text.split("src=\"").skip(1))
        {
            let link = &part[..part.find('"').unwrap_or(0)];
            if link.starts_with("http") || link.starts_with("mailto:") || link.starts_with('#') {
                continue;
            }
            let target = link.split('#').next().unwrap().replace("&amp;", "&");
            let target = if target.starts_with('/') {
                target
            } else {
                format!("{}{target}", &path[..path.rfind('/').unwrap() + 1])
            };
            // The search page with a query is not a file: the static search answers it.
            if target.starts_with("/search/?") {
                continue;
            }
            if seen.insert(target.clone()) {
                queue.push_back(target);
            }
        }
    }
    seen
}

#[test]
fn a_plain_static_host_serves_every_page_and_file_the_site_links() {
    let site = shared_content();
    let (_host, addr) = static_host(&site.out());
    let seen = crawl(addr);
    for needed in [
        "/plans/2021-zhongshan/",
        "/units/",
        "/categories/",
        "/search/",
        "/data/tasks.json",
    ] {
        assert!(seen.contains(needed), "no link leads to {needed}");
    }
    assert!(seen.len() > 100, "{} pages and files", seen.len());
}

#[test]
fn nginx_serves_the_output_with_the_guides_config() {
    if nginx_missing() {
        return;
    }
    let site = build_content();
    let out = site.out();
    // A WebAssembly file, as a static search engine may publish.
    std::fs::write(out.join("static/probe.wasm"), b"\0asm\x01\0\0\0").unwrap();
    let dir = tempfile::TempDir::new().unwrap();
    let port = free_port();
    let config = guide_config(
        "nginx-static.conf",
        &[
            ("listen 80;", &format!("listen 127.0.0.1:{port};")),
            (
                "server_name gongkai.example.gov.cn;",
                "server_name localhost;",
            ),
            (
                "root /var/www/gongkai;",
                &format!("root {};", out.display()),
            ),
        ],
    );
    let _nginx = start_nginx(dir.path(), &config, port);
    let a = SocketAddr::from(([127, 0, 0, 1], port));

    let home = get(a, "/", "");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(
        home.header("cache-control"),
        Some("public, max-age=0, must-revalidate")
    );
    assert_eq!(home.header("x-content-type-options"), Some("nosniff"));
    assert!(home.text().contains("政务公开工作要点"));

    let types = [
        ("/data/tasks.json", "application/json; charset=utf-8"),
        ("/data/tasks.csv", "text/csv; charset=utf-8"),
        ("/plans/2021-zhongshan/tasks.csv", "text/csv; charset=utf-8"),
        ("/feed.xml", "text/xml; charset=utf-8"),
        ("/static/style.css", "text/css; charset=utf-8"),
        ("/static/probe.wasm", "application/wasm"),
    ];
    for (path, kind) in types {
        let r = get(a, path, "");
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("content-type"), Some(kind), "{path}");
    }
    let zipped = get(a, "/data/tasks.json", "Accept-Encoding: gzip\r\n");
    assert_eq!(zipped.header("content-encoding"), Some("gzip"));
    let page = get(a, "/plans/2021-zhongshan/", "Accept-Encoding: gzip\r\n");
    assert_eq!(page.header("content-encoding"), Some("gzip"));

    // Versioned assets for a year; unversioned ones for a day.
    let versioned = get(a, "/static/style.css?v=1a2b3c", "");
    assert_eq!(
        versioned.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    let plain = get(a, "/static/style.css", "");
    assert_eq!(plain.header("cache-control"), Some("public, max-age=86400"));
    // The pages really ask for versioned assets.
    assert!(home.text().contains("static/style.css?v="));
    // The static search index: served as it is (already compressed), versioned for a year.
    let meta = get(
        a,
        "/search/static/meta.json.gz",
        "Accept-Encoding: gzip\r\n",
    );
    assert_eq!(meta.status, 200);
    assert_eq!(
        meta.header("content-encoding"),
        None,
        "not compressed twice"
    );
    assert_eq!(meta.body[..2], [0x1f, 0x8b]);
    let shard = get(a, "/search/static/p/0.gz?v=abc", "");
    assert_eq!(
        shard.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );

    let missing = get(a, "/no/such/page/", "");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("页面不存在"));
    assert_eq!(get(a, "/.gongkai-output", "").status, 404);
    assert_eq!(get(a, "/plans/2021-zhongshan", "").status, 301);
}

#[test]
fn gongkai_serve_behind_nginx_as_the_guide_sets_it_up() {
    if nginx_missing() {
        return;
    }
    let site = shared_content();
    let out = site.out();
    let server = start(
        &["--no-watch", "--output", &out.to_string_lossy()],
        &repo_root(),
    );
    let dir = tempfile::TempDir::new().unwrap();
    let port = free_port();
    let config = guide_config(
        "nginx-proxy.conf",
        &[
            ("listen 80;", &format!("listen 127.0.0.1:{port};")),
            (
                "server_name gongkai.example.gov.cn;",
                "server_name localhost;",
            ),
            (
                "server 127.0.0.1:8000;",
                &format!("server {};", server.addr),
            ),
        ],
    );
    let _nginx = start_nginx(dir.path(), &config, port);
    let a = SocketAddr::from(([127, 0, 0, 1], port));

    let home = get(a, "/", "Accept-Encoding: gzip\r\n");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-encoding"),
        Some("gzip"),
        "gongkai's gzip passes through"
    );
    let search = get(a, "/api/search?q=%E7%96%AB%E8%8B%97", "");
    assert_eq!(search.status, 200);
    let answer: serde_json::Value = serde_json::from_slice(&search.body).unwrap();
    assert_eq!(answer["total"], 5, "{answer}");
    let direct: serde_json::Value =
        serde_json::from_slice(&get(server.addr, "/api/search?q=%E7%96%AB%E8%8B%97", "").body)
            .unwrap();
    assert_eq!(answer, direct, "the proxy answers what gongkai answers");
    let missing = get(a, "/no/such/page/", "");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("页面不存在"));
    let versioned = get(a, "/static/style.css?v=1", "");
    assert_eq!(
        versioned.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
}

#[test]
fn the_guides_systemd_unit_is_valid() {
    let unit = guide_config(
        "gongkai.service",
        &[("/usr/local/bin/gongkai", env!("CARGO_BIN_EXE_gongkai"))],
    );
    assert!(unit.contains("serve --no-watch --bind 127.0.0.1 --port 8000"));
    let proxy = std::fs::read_to_string(repo_root().join("docs/publish/nginx-proxy.conf")).unwrap();
    assert!(
        proxy.contains("server 127.0.0.1:8000;"),
        "the proxy points where the unit listens"
    );
    if Command::new("systemd-analyze")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped: systemd-analyze is not installed");
        return;
    }
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("gongkai.service");
    std::fs::write(&path, unit).unwrap();
    let verify = Command::new("systemd-analyze")
        .arg("verify")
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stderr)
    );
}

#[test]
fn the_built_search_index_opens_read_only_for_another_user() {
    use std::os::unix::fs::PermissionsExt;
    let site = build_content();
    let index = site.out().join("search/index");
    // Readable by the web server's user (tantivy writes meta.json privately).
    for entry in std::fs::read_dir(&index).unwrap() {
        let entry = entry.unwrap();
        let mode = entry.metadata().unwrap().permissions().mode();
        assert_eq!(mode & 0o044, 0o044, "{:?} is {mode:o}", entry.file_name());
    }
    // Served from a read-only place: opening writes nothing, not even a lock file.
    for lock in [".tantivy-meta.lock", ".tantivy-writer.lock"] {
        let _ = std::fs::remove_file(index.join(lock));
    }
    let before: BTreeSet<_> = std::fs::read_dir(&index)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    let search = gongkai::search::SearchIndex::open(&site.out()).unwrap();
    let request = gongkai::search::SearchRequest {
        query: "疫苗".into(),
        plan: None,
        unit: None,
        year: None,
        limit: 10,
        page: 1,
        without_facets: false,
    };
    assert_eq!(search.search(&request).unwrap().total, 5);
    let after: BTreeSet<_> = std::fs::read_dir(&index)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(before, after);
}

#[test]
fn the_guide_shows_the_configs_the_tests_run() {
    let guide = std::fs::read_to_string(repo_root().join("docs/guide.zh.md")).unwrap();
    for name in ["nginx-static.conf", "nginx-proxy.conf", "gongkai.service"] {
        let file = std::fs::read_to_string(repo_root().join("docs/publish").join(name)).unwrap();
        assert!(
            guide.contains(&file),
            "docs/guide.zh.md does not show {name} as it is"
        );
    }
    for image in ["home", "plan", "unit", "search", "phone-unit"] {
        let path = format!("images/{image}.png");
        assert!(guide.contains(&path), "{path}");
        assert!(repo_root().join("docs").join(&path).is_file(), "{path}");
    }
}
