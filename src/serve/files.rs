//! Static files of the built site, resolved safely inside the output folder.

use super::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower::ServiceExt;
use tower_http::services::ServeFile;

/// Why a path is not served.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Malformed or dangerous (`..`, backslash, NUL, bad escape): 400.
    BadPath,
    /// Nothing there (or a dot-file, or outside the folder): 404.
    NotFound,
    /// A folder asked without its trailing slash: redirect.
    AddSlash,
}

/// Maps a request path (already relative to the base path) to a file inside `root`
/// (canonical). Symlinks are followed only when they stay inside `root`.
pub fn resolve(root: &Path, request_path: &str) -> Result<PathBuf, Refusal> {
    let decoded = percent_encoding::percent_decode_str(request_path)
        .decode_utf8()
        .map_err(|_| Refusal::BadPath)?;
    if decoded.contains(['\\', '\0']) {
        return Err(Refusal::BadPath);
    }
    let mut path = root.to_path_buf();
    let segments: Vec<&str> = decoded.split('/').filter(|s| !s.is_empty()).collect();
    for segment in &segments {
        if *segment == ".." || *segment == "." {
            return Err(Refusal::BadPath);
        }
        if segment.starts_with('.') || segment.contains(':') {
            return Err(Refusal::NotFound);
        }
        path.push(segment);
    }
    if decoded.ends_with('/') || segments.is_empty() {
        path.push("index.html");
    } else if path.is_dir() {
        return Err(Refusal::AddSlash);
    }
    let real = path.canonicalize().map_err(|_| Refusal::NotFound)?;
    if !real.starts_with(root) || !real.is_file() {
        return Err(Refusal::NotFound);
    }
    Ok(real)
}

/// The content type of a file, with a charset for text.
fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// How long browsers keep an asset (a style sheet, a script, an image): a day.
const ASSET_CACHE: &str = "public, max-age=86400";
/// An asset asked for with its version (`static/style.css?v=…`): a new version has
/// a new URL, so this one never changes.
const VERSIONED_CACHE: &str = "public, max-age=31536000, immutable";

fn cache_control(path: &Path, preview: bool) -> &'static str {
    if preview {
        return "no-store";
    }
    match path.extension().and_then(|e| e.to_str()) {
        Some("html" | "xml" | "json" | "csv") => "public, max-age=0, must-revalidate",
        _ => ASSET_CACHE,
    }
}

/// True when the request names an asset's version (`?v=…`).
fn asks_for_a_version(request: &Request) -> bool {
    request
        .uri()
        .query()
        .is_some_and(|q| q.split('&').any(|p| p.starts_with("v=")))
}

/// A weak validator from size and modification time.
fn etag(meta: &std::fs::Metadata) -> String {
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .unwrap_or_default();
    format!("W/\"{:x}-{:x}\"", meta.len(), modified.as_nanos())
}

/// A file held in memory by the production server: its bytes, gzipped bytes and
/// validators. The built output does not change while it is served.
pub struct CachedFile {
    bytes: bytes::Bytes,
    gzip: Option<bytes::Bytes>,
    kind: &'static str,
    etag: String,
    last_modified: String,
    cache_control: &'static str,
}

/// Files larger than this are streamed from disk, not cached.
const MAX_CACHED_FILE: u64 = 8 * 1024 * 1024;
/// Total bytes the cache holds at most (keys, files and their gzipped copies).
const MAX_CACHE: usize = 256 * 1024 * 1024;

/// Files held in memory (production only), by their path in the output folder, the
/// least recently used evicted past `MAX_CACHE` bytes.
pub struct FileCache {
    inner: std::sync::Mutex<CacheInner>,
    /// Bytes held at most.
    capacity: usize,
}

struct CacheInner {
    files: lru::LruCache<String, Arc<CachedFile>>,
    size: usize,
}

impl Default for FileCache {
    fn default() -> Self {
        FileCache::with_capacity(MAX_CACHE)
    }
}

impl CachedFile {
    /// Bytes this entry holds in memory under a key of `key_len` bytes.
    fn weight(&self, key_len: usize) -> usize {
        key_len + self.bytes.len() + self.gzip.as_ref().map_or(0, |g| g.len()) + 256
    }
}

impl FileCache {
    /// An empty cache that holds at most `capacity` bytes.
    fn with_capacity(capacity: usize) -> Self {
        FileCache {
            inner: std::sync::Mutex::new(CacheInner {
                files: lru::LruCache::unbounded(),
                size: 0,
            }),
            capacity,
        }
    }

    fn get(&self, key: &str) -> Option<Arc<CachedFile>> {
        self.inner
            .lock()
            .expect("cache lock")
            .files
            .get(key)
            .cloned()
    }

    /// Forgets every file (the output was replaced).
    pub fn clear(&self) {
        let mut inner = self.inner.lock().expect("cache lock");
        inner.files.clear();
        inner.size = 0;
    }

    /// Bytes held, keys included.
    pub fn size(&self) -> usize {
        self.inner.lock().expect("cache lock").size
    }

    /// Reads and caches a file (unless it is large), evicting the least recently
    /// used files past the size limit.
    fn load(&self, key: &str, file: &Path) -> Option<Arc<CachedFile>> {
        let meta = std::fs::metadata(file).ok()?;
        if meta.len() > MAX_CACHED_FILE {
            return None;
        }
        let data = std::fs::read(file).ok()?;
        let kind = content_type(file);
        let compressible = kind.starts_with("text/")
            || kind.contains("json")
            || kind.contains("xml")
            || kind.contains("svg");
        let gzip = (compressible && data.len() > 512).then(|| {
            use std::io::Write;
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
            let _ = enc.write_all(&data);
            bytes::Bytes::from(enc.finish().unwrap_or_default())
        });
        let modified = meta.modified().unwrap_or(std::time::UNIX_EPOCH);
        let cached = Arc::new(CachedFile {
            gzip,
            kind,
            etag: etag(&meta),
            last_modified: httpdate(modified),
            cache_control: cache_control(file, false),
            bytes: bytes::Bytes::from(data),
        });
        let mut inner = self.inner.lock().expect("cache lock");
        if let Some(old) = inner.files.put(key.to_string(), cached.clone()) {
            inner.size -= old.weight(key.len());
        }
        inner.size += cached.weight(key.len());
        while inner.size > self.capacity {
            match inner.files.pop_lru() {
                Some((k, evicted)) => inner.size -= evicted.weight(k.len()),
                None => break,
            }
        }
        Some(cached)
    }
}

/// The file a request path names, as a path inside the output folder
/// (`plans/x/index.html`), decoded and with empty segments dropped, so that every
/// spelling of one file (`//x`, `/%78`) is one cache key. `None` for paths that
/// [`resolve`] refuses.
pub fn cache_key(request_path: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(request_path)
        .decode_utf8()
        .ok()?;
    if decoded.contains(['\\', '\0']) {
        return None;
    }
    let segments: Vec<&str> = decoded.split('/').filter(|s| !s.is_empty()).collect();
    if segments
        .iter()
        .any(|s| s.starts_with('.') || s.contains(':'))
    {
        return None;
    }
    let mut key = segments.join("/");
    if decoded.ends_with('/') || segments.is_empty() {
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str("index.html");
    }
    Some(key)
}

/// An HTTP date (RFC 7231), e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
fn httpdate(t: std::time::SystemTime) -> String {
    let secs = t
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{}, {day:02} {} {year} {:02}:{:02}:{:02} GMT",
        WEEKDAYS[(days % 7) as usize],
        MONTHS[(month - 1) as usize],
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// Answers from the cache: 304 on a matching validator, gzip when accepted.
fn from_cache(file: &CachedFile, request: &Request, status: StatusCode) -> Response {
    let headers = request.headers();
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == file.etag))
        || (headers.get(header::IF_NONE_MATCH).is_none()
            && headers
                .get(header::IF_MODIFIED_SINCE)
                .and_then(|v| v.to_str().ok())
                == Some(file.last_modified.as_str()));
    if status == StatusCode::OK && fresh {
        return (
            StatusCode::NOT_MODIFIED,
            [(header::ETAG, file.etag.clone())],
        )
            .into_response();
    }
    let gzip_ok = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|e| e.trim().starts_with("gzip")));
    let (body, encoded) = match (&file.gzip, gzip_ok) {
        (Some(gz), true) => (gz.clone(), true),
        _ => (file.bytes.clone(), false),
    };
    let length = body.len();
    let head = request.method() == Method::HEAD;
    let mut response = Response::new(Body::from(if head { bytes::Bytes::new() } else { body }));
    *response.status_mut() = status;
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(file.kind));
    // A HEAD answer tells the length the GET body would have.
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    let cache_control = if file.cache_control == ASSET_CACHE && asks_for_a_version(request) {
        VERSIONED_CACHE
    } else {
        file.cache_control
    };
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if let Ok(v) = HeaderValue::from_str(&file.etag) {
        h.insert(header::ETAG, v);
    }
    if let Ok(v) = HeaderValue::from_str(&file.last_modified) {
        h.insert(header::LAST_MODIFIED, v);
    }
    if encoded {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    response
}

/// The answer to a method other than GET and HEAD on the site's files.
fn method_not_allowed() -> Response {
    (
        StatusCode::METHOD_NOT_ALLOWED,
        [(header::ALLOW, "GET, HEAD")],
        "405 Method Not Allowed\n",
    )
        .into_response()
}

/// Serves a file of the site, or the site's 404 page.
pub async fn serve(State(state): State<Arc<AppState>>, request: Request) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return method_not_allowed();
    }
    let path = request.uri().path().to_string();
    if !state.preview {
        state.follow_output();
    }
    // A page that moved: 301 to where it is now (the base path is part of both).
    let full_path = format!("{}{}", state.base.trim_end_matches('/'), path);
    if let Some(to) = state.moved_to(&full_path) {
        return (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, to)]).into_response();
    }
    let query = request.uri().query().map(str::to_string);
    let head = request.method() == Method::HEAD;
    if let Some(page) = search_page_with_query(&state, &path, query.as_deref(), head).await {
        return page;
    }
    let ranged = request.headers().contains_key(header::RANGE);
    let key = (!state.preview && !ranged)
        .then(|| cache_key(&path))
        .flatten();
    if let Some(key) = &key
        && let Some(file) = state.cache.get(key)
    {
        return from_cache(&file, &request, StatusCode::OK);
    }
    match resolve(&state.output, &path) {
        Ok(file) => {
            let cached = key.and_then(|k| state.cache.load(&k, &file));
            match cached {
                Some(c) => from_cache(&c, &request, StatusCode::OK),
                None => send(&state, file, request, StatusCode::OK).await,
            }
        }
        Err(Refusal::AddSlash) => {
            // Built from the path's segments, so that `//plans` cannot become a
            // protocol-relative URL (a redirect to the host `plans`).
            let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
            Redirect::permanent(&format!("{}{}/", state.base, segments.join("/"))).into_response()
        }
        Err(Refusal::BadPath) => {
            (StatusCode::BAD_REQUEST, "400 Bad Request: invalid path\n").into_response()
        }
        Err(Refusal::NotFound) => not_found(&state, request).await,
    }
}

/// The search page asked for with a query: the query in its box, so that the page
/// shows what was searched even without JavaScript.
async fn search_page_with_query(
    state: &AppState,
    path: &str,
    query: Option<&str>,
    head: bool,
) -> Option<Response> {
    if path.trim_start_matches('/') != crate::layout::search_url() {
        return None;
    }
    let query = form_urlencoded::parse(query?.as_bytes())
        .filter(|(k, _)| k == "q")
        .map(|(_, v)| {
            v.chars()
                .take(crate::search::terms::MAX_QUERY_CHARS)
                .collect::<String>()
        })
        .last()
        .filter(|q| !q.trim().is_empty())?;
    let file = resolve(&state.output, path).ok()?;
    let html = tokio::fs::read_to_string(&file).await.ok()?;
    let box_id = "id=\"search-q\"";
    let filled = html.replacen(
        box_id,
        &format!("{box_id} value=\"{}\"", crate::text::escape_html(&query)),
        1,
    );
    let mut response = Response::new(Body::from(if head { String::new() } else { filled }));
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Some(response)
}

/// Requests outside the base path get the site's 404 page.
pub async fn not_found_outside_base(
    State(state): State<Arc<AppState>>,
    request: Request,
) -> Response {
    not_found(&state, request).await
}

async fn not_found(state: &AppState, mut request: Request) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return method_not_allowed();
    }
    // The whole 404 page, never a range of it, and never "not modified".
    for name in [
        header::RANGE,
        header::IF_RANGE,
        header::IF_NONE_MATCH,
        header::IF_MODIFIED_SINCE,
    ] {
        request.headers_mut().remove(name);
    }
    match resolve(&state.output, "/404.html") {
        Ok(file) => send(state, file, request, StatusCode::NOT_FOUND).await,
        Err(_) => (StatusCode::NOT_FOUND, "404 Not Found\n").into_response(),
    }
}

async fn send(state: &AppState, file: PathBuf, request: Request, status: StatusCode) -> Response {
    let Ok(meta) = tokio::fs::metadata(&file).await else {
        return (StatusCode::NOT_FOUND, "404 Not Found\n").into_response();
    };
    let tag = etag(&meta);
    let kind = content_type(&file);
    if status == StatusCode::OK
        && request
            .headers()
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(',').any(|t| t.trim() == tag))
    {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, tag)]).into_response();
    }
    let mut response = if state.preview && kind.starts_with("text/html") {
        // Preview pages load the live-reload script.
        match tokio::fs::read_to_string(&file).await {
            Ok(html) => {
                let script = format!(
                    "<script src=\"{0}__gongkai/livereload.js\" data-base=\"{0}\"></script>",
                    state.base
                );
                let html = match html.rfind("</body>") {
                    Some(i) => format!("{}{script}{}", &html[..i], &html[i..]),
                    None => html + &script,
                };
                Response::new(Body::from(html))
            }
            Err(_) => return (StatusCode::NOT_FOUND, "404 Not Found\n").into_response(),
        }
    } else {
        let mime: mime::Mime = kind.parse().unwrap_or(mime::APPLICATION_OCTET_STREAM);
        match ServeFile::new_with_mime(&file, &mime)
            .oneshot(request)
            .await
        {
            Ok(r) => r.map(Body::new),
            Err(_) => return (StatusCode::INTERNAL_SERVER_ERROR, "500\n").into_response(),
        }
    };
    if response.status() == StatusCode::OK {
        *response.status_mut() = status;
    }
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control(&file, state.preview)),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if let Ok(v) = HeaderValue::from_str(&tag) {
        headers.insert(header::ETAG, v);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates() {
        let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(784_111_777);
        assert_eq!(httpdate(t), "Sun, 06 Nov 1994 08:49:37 GMT");
        let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_795_308_000);
        assert_eq!(httpdate(t), "Sun, 22 Nov 2026 00:40:00 GMT");
    }

    #[test]
    fn the_cache_counts_every_byte_and_evicts_the_least_recently_used() {
        let dir = tempfile::TempDir::new().unwrap();
        for i in 0..10 {
            std::fs::write(dir.path().join(format!("{i}.bin")), vec![b'x'; 1000]).unwrap();
        }
        let cache = FileCache::with_capacity(5_000);
        for i in 0..10 {
            let key = format!("{i}.bin");
            assert!(cache.load(&key, &dir.path().join(&key)).is_some());
            // Touch the first file so that it stays.
            assert!(cache.get("0.bin").is_some());
            assert!(cache.size() <= 5_000, "{}", cache.size());
        }
        assert!(cache.get("0.bin").is_some(), "recently used");
        assert!(cache.get("9.bin").is_some(), "just loaded");
        assert!(cache.get("1.bin").is_none(), "evicted");
        assert!(cache.size() >= 3 * 1000);
        cache.clear();
        assert_eq!(cache.size(), 0);
    }

    #[test]
    fn resolves_inside_the_root_only() {
        let dir = tempfile::TempDir::new().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("plans/a")).unwrap();
        std::fs::write(root.join("index.html"), "home").unwrap();
        std::fs::write(root.join("plans/a/index.html"), "a").unwrap();
        std::fs::write(root.join(".secret"), "x").unwrap();
        assert_eq!(resolve(&root, "/").unwrap(), root.join("index.html"));
        assert_eq!(
            resolve(&root, "/plans/a/").unwrap(),
            root.join("plans/a/index.html")
        );
        assert_eq!(resolve(&root, "/plans/a"), Err(Refusal::AddSlash));
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/plans/..%2f..%2fetc",
            "/a\\..\\b",
            "/%00",
            "/%ff",
        ] {
            assert_eq!(resolve(&root, bad), Err(Refusal::BadPath), "{bad}");
        }
        for missing in ["/.secret", "/nope", "//etc/passwd", "/C:/x"] {
            assert_eq!(resolve(&root, missing), Err(Refusal::NotFound), "{missing}");
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("/etc", root.join("escape")).unwrap();
            assert_eq!(resolve(&root, "/escape/hostname"), Err(Refusal::NotFound));
        }
    }
}
