//! The HTTP server: the built site, its search API, and (in preview) live reload.
//!
//! axum on hyper and tokio. Static files are resolved inside the output folder only
//! (no `..`, no backslashes, no dot-files, no symlink out of the folder), served
//! with tower-http's `ServeFile` (Last-Modified, Range, HEAD) plus an ETag, a
//! charset on text types, cache headers, and gzip/brotli compression. Every
//! request but the live-reload stream has a timeout.

pub mod api;
pub mod files;

use crate::search::SearchIndex;
use axum::Router;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
use tokio::sync::broadcast;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;
use tower_http::compression::CompressionLayer;
use tower_http::timeout::TimeoutLayer;

/// What the preview tells open pages, as server-sent events on
/// `__gongkai/events` (the protocol `livereload.js` speaks):
///
/// - `reload`, data: a JSON array of the output paths a successful rebuild changed
///   (`plans/x/index.html`). Sent once pages, open data and search index are all
///   in place. A page clears its error overlay and reloads if its own path is
///   listed.
/// - `error-report`, data: the text of the failed rebuild's diagnostics. A page
///   shows it over itself; it is also sent first to a page that connects while
///   the last rebuild failed.
/// - `bye`: the server is stopping; the stream ends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LiveEvent {
    /// A rebuild succeeded and changed these output paths.
    Reload(Vec<String>),
    /// The last rebuild failed with this report.
    Error(String),
    /// The server is stopping: close the stream.
    Shutdown,
}

/// Shared state of the server.
pub struct AppState {
    /// The output folder served, canonicalized.
    pub output: PathBuf,
    /// The site's base path (`/` or `/sub/`).
    pub base: String,
    /// True in preview: inject live reload, no caching.
    pub preview: bool,
    /// The search index, once one exists.
    pub search: RwLock<Option<Arc<SearchIndex>>>,
    /// Live-reload events.
    pub events: broadcast::Sender<LiveEvent>,
    /// The current build error, if the last rebuild failed.
    pub error: RwLock<Option<String>>,
    /// Files held in memory (production only), emptied when the output is replaced.
    pub cache: files::FileCache,
    /// Which build the cache and the search index are of: the identity of the
    /// output's marker file, which every `gongkai build` writes anew (production).
    output_id: Mutex<Option<OutputId>>,
    /// Searches that may run at once; more wait in a short queue, the rest get 503.
    pub search_slots: tokio::sync::Semaphore,
    /// Searches waiting for a slot.
    pub search_queue: std::sync::atomic::AtomicUsize,
    /// Moved pages: old path → new path (from the output's `_redirects`).
    redirects: RwLock<std::collections::HashMap<String, String>>,
}

/// The identity of one build's marker file (inode and time), to notice a new build.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct OutputId {
    inode: u64,
    modified: Option<std::time::SystemTime>,
}

impl OutputId {
    fn of(output: &std::path::Path) -> Option<OutputId> {
        let meta = std::fs::metadata(output.join(crate::output::MARKER)).ok()?;
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&meta);
        #[cfg(not(unix))]
        let inode = meta.len();
        Some(OutputId {
            inode,
            modified: meta.modified().ok(),
        })
    }
}

/// Searches that run at once, per core.
const SEARCHES_PER_CORE: usize = 2;
/// Searches that may wait for a slot before the server answers 503.
pub const SEARCH_QUEUE: usize = 256;

impl AppState {
    /// State for serving the output folder `output` under `base`.
    pub fn new(output: PathBuf, base: String, preview: bool) -> std::io::Result<Arc<AppState>> {
        let output = output.canonicalize()?;
        let (events, _) = broadcast::channel(64);
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Ok(Arc::new(AppState {
            output_id: Mutex::new(OutputId::of(&output)),
            output,
            base,
            preview,
            search: RwLock::new(None),
            events,
            error: RwLock::new(None),
            cache: files::FileCache::default(),
            search_slots: tokio::sync::Semaphore::new(cores * SEARCHES_PER_CORE),
            search_queue: std::sync::atomic::AtomicUsize::new(0),
            redirects: RwLock::new(std::collections::HashMap::new()),
        }))
        .inspect(|state| state.load_redirects())
    }

    /// Reads the output's `_redirects` (old path, new path, status per line).
    pub fn load_redirects(&self) {
        let text = std::fs::read_to_string(self.output.join(crate::layout::REDIRECTS_FILE))
            .unwrap_or_default();
        let map = text
            .lines()
            .filter_map(|l| {
                let mut parts = l.split_whitespace();
                Some((parts.next()?.to_string(), parts.next()?.to_string()))
            })
            .collect();
        *self.redirects.write().expect("lock") = map;
    }

    /// Where a moved page is now, for a request path.
    pub fn moved_to(&self, path: &str) -> Option<String> {
        self.redirects.read().expect("lock").get(path).cloned()
    }

    /// The search index, if there is one.
    pub fn search_index(&self) -> Option<Arc<SearchIndex>> {
        self.search.read().expect("lock").clone()
    }

    /// Replaces the search index (or removes it).
    pub fn set_search_index(&self, index: Option<SearchIndex>) {
        *self.search.write().expect("lock") = index.map(Arc::new);
    }

    /// Production: when a new build replaced the output folder since the last
    /// request, forgets the cached files and opens the new search index, so that
    /// pages and answers never mix two builds.
    pub fn follow_output(&self) {
        if self.preview {
            return;
        }
        let now = OutputId::of(&self.output);
        let mut seen = self.output_id.lock().expect("lock");
        if *seen == now {
            return;
        }
        *seen = now;
        self.cache.clear();
        self.load_redirects();
        let index = SearchIndex::open(&self.output).ok().map(Arc::new);
        *self.search.write().expect("lock") = index;
    }

    /// Publishes an event to every open page.
    pub fn publish(&self, event: LiveEvent) {
        if let LiveEvent::Error(report) = &event {
            *self.error.write().expect("lock") = Some(report.clone());
        } else {
            *self.error.write().expect("lock") = None;
        }
        let _ = self.events.send(event);
    }
}

/// Longest time a request may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);

/// The application: site and API under the base path, live reload in preview.
pub fn router(state: Arc<AppState>) -> Router {
    let mut inner = Router::new()
        .route("/api/search", get(api::search))
        .fallback(files::serve)
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ));
    if state.preview {
        inner = inner
            .route("/__gongkai/events", get(events))
            .route("/__gongkai/livereload.js", get(livereload_js));
    }
    let app: Router = if state.base == "/" {
        inner.with_state(state)
    } else {
        let base = state.base.trim_end_matches('/').to_string();
        let target = state.base.clone();
        Router::new()
            .route(
                "/",
                get(move || async move { axum::response::Redirect::permanent(&target) }),
            )
            .nest(&base, inner)
            .fallback(files::not_found_outside_base)
            .with_state(state)
    };
    app.layer(CompressionLayer::new())
}

async fn livereload_js() -> impl axum::response::IntoResponse {
    (
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/javascript; charset=utf-8",
            ),
            (axum::http::header::CACHE_CONTROL, "no-store"),
        ],
        include_str!("livereload.js"),
    )
}

async fn events(
    axum::extract::State(state): axum::extract::State<Arc<AppState>>,
) -> Sse<impl tokio_stream::Stream<Item = Result<Event, std::convert::Infallible>>> {
    let current = state
        .error
        .read()
        .expect("lock")
        .clone()
        .map(LiveEvent::Error);
    let first = tokio_stream::iter(current);
    let rest = BroadcastStream::new(state.events.subscribe()).filter_map(Result::ok);
    // The stream ends right after the `bye` event.
    let mut ended = false;
    let stream = first
        .chain(rest)
        .take_while(move |e| {
            let open = !ended;
            ended |= *e == LiveEvent::Shutdown;
            open
        })
        .map(|e| {
            Ok(match e {
                LiveEvent::Reload(paths) => Event::default()
                    .event("reload")
                    .data(serde_json::to_string(&paths).expect("paths serialize")),
                LiveEvent::Error(report) => Event::default().event("error-report").data(report),
                LiveEvent::Shutdown => Event::default().event("bye"),
            })
        });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// Parses `--bind` and `--port` into an address: `127.0.0.1`, `::1`, `[::1]`.
pub fn socket_addr(bind: &str, port: u16) -> Result<SocketAddr, String> {
    let host = bind.trim().trim_start_matches('[').trim_end_matches(']');
    let ip: std::net::IpAddr = host
        .parse()
        .map_err(|_| crate::t!("serve-bind", bind = bind))?;
    Ok(SocketAddr::new(ip, port))
}

/// Longest time a client may take to send a request's headers; also how long an
/// idle kept-alive connection stays open.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// Longest wait for open connections to finish after Ctrl-C or SIGTERM.
pub const SHUTDOWN_DEADLINE: Duration = Duration::from_secs(10);

/// Limits that keep one client, or many, from holding the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Connections held at once; a connection past them gets a 503 and is closed.
    pub max_connections: usize,
    /// How long a write may wait for a client that does not read (a stalled
    /// response, a live-reload stream nobody reads) before the connection closes.
    pub send_timeout: Duration,
}

impl Default for Limits {
    /// 512 connections and 30 s.
    fn default() -> Self {
        Limits {
            max_connections: 512,
            send_timeout: Duration::from_secs(30),
        }
    }
}

impl Limits {
    /// The default limits, fitted to this process's open-file limit: its soft
    /// limit is raised to the hard one (at most 65,536), and a connection may hold
    /// two files (its socket and the file it is sent), with 128 kept for the index
    /// and the rest — so connections alone never exhaust it.
    pub fn for_this_process() -> Limits {
        use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
        let limit = getrlimit(Resource::Nofile);
        let soft = match (limit.current, limit.maximum) {
            (Some(soft), Some(hard)) if soft < hard => {
                let wanted = hard.min(65_536).max(soft);
                let raised = Rlimit {
                    current: Some(wanted),
                    maximum: Some(hard),
                };
                if setrlimit(Resource::Nofile, raised).is_ok() {
                    wanted
                } else {
                    soft
                }
            }
            (Some(soft), _) => soft,
            (None, _) => u64::MAX,
        };
        let fits = usize::try_from(soft.saturating_sub(128) / 2).unwrap_or(usize::MAX);
        Limits {
            max_connections: Limits::default().max_connections.min(fits).max(16),
            ..Limits::default()
        }
    }
}

/// What a connection past [`Limits::max_connections`] is told before it is closed.
const BUSY_RESPONSE: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\n\
Content-Type: text/plain; charset=utf-8\r\nContent-Length: 12\r\nConnection: close\r\n\r\n\
server busy\n";

/// Prints a message about a limit at most once every 10 s, with how many times
/// the limit was hit since the last message.
struct LimitLog {
    last: Mutex<Option<std::time::Instant>>,
    hits: std::sync::atomic::AtomicU64,
}

impl LimitLog {
    const fn new() -> Self {
        LimitLog {
            last: Mutex::new(None),
            hits: std::sync::atomic::AtomicU64::new(0),
        }
    }

    fn hit(&self, message: impl FnOnce(u64) -> String) {
        use std::sync::atomic::Ordering;
        let hits = self.hits.fetch_add(1, Ordering::Relaxed) + 1;
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        if last.is_none_or(|t| t.elapsed() >= Duration::from_secs(10)) {
            *last = Some(std::time::Instant::now());
            self.hits.fetch_sub(hits, Ordering::Relaxed);
            eprintln!("{}", message(hits));
        }
    }
}

/// Serves until Ctrl-C or SIGTERM; open live-reload streams are closed first, and
/// connections still open after [`SHUTDOWN_DEADLINE`] are dropped. At
/// most `limits.max_connections` are held (the next gets a 503), and a response
/// whose client stops reading is dropped after `limits.send_timeout`; both are
/// logged when hit.
pub async fn run(
    listener: tokio::net::TcpListener,
    state: Arc<AppState>,
    limits: Limits,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    static FULL: LimitLog = LimitLog::new();
    static STALLED: LimitLog = LimitLog::new();
    let app = router(state.clone());
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .max_buf_size(256 * 1024);
    let slots = Arc::new(tokio::sync::Semaphore::new(limits.max_connections));
    let shutdown = shutdown_signal();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    // Out of file descriptors and the like: wait, then go on.
                    Err(_) => {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let Ok(slot) = slots.clone().try_acquire_owned() else {
                    FULL.hit(|hits| crate::t!("serve-connections-full", max = limits.max_connections, hits = hits));
                    tokio::spawn(refuse_busy(stream));
                    continue;
                };
                let mut stream = tokio_io_timeout::TimeoutStream::new(stream);
                stream.set_write_timeout(Some(limits.send_timeout));
                let service = hyper_util::service::TowerToHyperService::new(app.clone());
                let connection = http.serve_connection(TokioIo::new(Box::pin(stream)), service);
                let watched = graceful.watch(connection);
                let send_timeout = limits.send_timeout;
                tokio::spawn(async move {
                    let result = watched.await;
                    drop(slot);
                    let timed_out = result.as_ref().err().and_then(|e| {
                        std::error::Error::source(e)?.downcast_ref::<std::io::Error>()
                    });
                    if timed_out.is_some_and(|e| e.kind() == std::io::ErrorKind::TimedOut) {
                        STALLED.hit(|hits| crate::t!("serve-send-timeout", seconds = send_timeout.as_secs(), hits = hits));
                    }
                });
            }
            _ = &mut shutdown => break,
        }
    }
    drop(listener);
    state.publish(LiveEvent::Shutdown);
    tokio::select! {
        _ = graceful.shutdown() => {}
        _ = tokio::time::sleep(SHUTDOWN_DEADLINE) => {}
    }
    Ok(())
}

/// Tells a connection past the limit to come back (503, `Retry-After`) and
/// closes it, giving it at most a second.
async fn refuse_busy(mut stream: tokio::net::TcpStream) {
    use tokio::io::AsyncWriteExt;
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        stream.write_all(BUSY_RESPONSE).await?;
        stream.shutdown().await
    })
    .await;
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => return std::future::pending().await,
            };
        tokio::select! {
            _ = ctrl_c => {},
            _ = term.recv() => {},
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}
