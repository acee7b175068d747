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
use std::sync::{Arc, RwLock};
use std::time::Duration;
use tokio::sync::broadcast;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;
use tower_http::compression::CompressionLayer;
use tower_http::timeout::TimeoutLayer;

/// What the preview tells open pages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LiveEvent {
    /// A rebuild changed these output paths (`*` for everything).
    Reload(Vec<String>),
    /// The last rebuild failed with this report.
    Error(String),
    /// The server is stopping: close the stream.
    Shutdown,
}

/// Shared state of the server.
pub struct AppState {
    /// The output folder, canonicalized.
    pub root: PathBuf,
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
    /// Files held in memory (production only: the output does not change).
    pub cache: files::FileCache,
}

impl AppState {
    /// State for serving `root` under `base`.
    pub fn new(root: PathBuf, base: String, preview: bool) -> std::io::Result<Arc<AppState>> {
        let root = root.canonicalize()?;
        let (events, _) = broadcast::channel(64);
        Ok(Arc::new(AppState {
            root,
            base,
            preview,
            search: RwLock::new(None),
            events,
            error: RwLock::new(None),
            cache: files::FileCache::default(),
        }))
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
    let first = tokio_stream::iter(current.into_iter().map(Ok));
    let rest = BroadcastStream::new(state.events.subscribe())
        .filter_map(Result::ok)
        .map(Ok);
    let stream = first
        .chain(rest)
        .take_while(|e: &Result<LiveEvent, std::convert::Infallible>| {
            !matches!(e, Ok(LiveEvent::Shutdown))
        })
        .map(|e| {
            Ok(match e.expect("infallible") {
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
        .map_err(|_| format!("`{bind}` is not an IP address (e.g. 127.0.0.1 or ::1)"))?;
    Ok(SocketAddr::new(ip, port))
}

/// Serves until Ctrl-C or SIGTERM; open live-reload streams are closed first.
pub async fn run(listener: tokio::net::TcpListener, state: Arc<AppState>) -> std::io::Result<()> {
    let app = router(state.clone());
    let shutdown = async move {
        shutdown_signal().await;
        state.publish(LiveEvent::Shutdown);
    };
    axum::serve(listener, app.into_make_service())
        .with_graceful_shutdown(shutdown)
        .await
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
