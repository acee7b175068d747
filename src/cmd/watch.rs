//! The preview's watcher: rebuilds on every change of the content, theme or
//! config (debounced), then tells open pages (live reload or the error report).

use gongkai::incremental::{OpenDataJob, Session};
use gongkai::search::SearchIndex;
use gongkai::serve::{AppState, LiveEvent};
use notify::{RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// How long the files must be quiet before a rebuild starts.
const DEBOUNCE: Duration = Duration::from_millis(20);

/// How long the files must be quiet after a rebuild before the open data (the
/// whole site's tasks, rewritten whole) follows the pages.
const OPEN_DATA_DELAY: Duration = Duration::from_millis(300);

/// How long a failed write of the open data waits before it is tried again (a
/// file held open by another program, a full disk), if no save comes first.
const OPEN_DATA_RETRY: Duration = Duration::from_secs(5);

/// How often the watcher looks whether the open data's writer has finished.
const WRITER_POLL: Duration = Duration::from_millis(100);

/// Editor droppings that never change the site.
fn ignored(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
        || name == "4913"
}

/// Watches the content, theme and config; rebuilds and tells open pages. Runs
/// until the process ends.
pub fn watch(site_root: &Path, mut session: Session, state: &Arc<AppState>, timings: bool) {
    let (tx, rx) = std::sync::mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = match notify::recommended_watcher(move |e| {
        let _ = tx.send(e);
    }) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("{}", gongkai::t!("watch-cannot", error = e.to_string()));
            return;
        }
    };
    let root = site_root
        .canonicalize()
        .unwrap_or_else(|_| site_root.to_path_buf());
    let watched: Vec<PathBuf> = ["content", "themes", "templates", "static"]
        .iter()
        .map(|d| root.join(d))
        .collect();
    let mut folders = WatchedFolders::default();
    folders.arm(&mut watcher, &watched);
    // The config file, and the folders above coming and going: watch the root
    // folder itself, not what is below it.
    let _ = watcher.watch(&root, RecursiveMode::NonRecursive);
    let config = root.join(gongkai::config::CONFIG_FILE);
    // Reading files (our own rebuild does) reports access events: only changes count.
    let relevant = |event: &notify::Event| {
        !matches!(event.kind, notify::EventKind::Access(_))
            && event
                .paths
                .iter()
                .any(|p| !ignored(p) && (*p == config || watched.iter().any(|w| p.starts_with(w))))
    };
    session.defer_open_data();
    // The open data being written on its own thread; a save stops it (the rebuild
    // does not wait for it, nor share the cores with it) and it starts again after.
    let mut open_data: Option<OpenDataWriter> = None;
    // How long the files must be quiet before the open data is written.
    let mut open_data_wait = OPEN_DATA_DELAY;
    loop {
        // A writer that finished without writing failed (only a save stops one):
        // the open data is tried again later.
        if open_data.as_ref().is_some_and(OpenDataWriter::finished)
            && let Some(writer) = open_data.take()
            && !writer.join(false)
        {
            session.open_data_unwritten();
            open_data_wait = OPEN_DATA_RETRY;
            eprintln!(
                "{}",
                gongkai::t!("watch-open-data-retry", s = OPEN_DATA_RETRY.as_secs())
            );
        }
        let wait = if session.open_data_pending() {
            Some(open_data_wait)
        } else if open_data.is_some() {
            Some(WRITER_POLL)
        } else {
            None
        };
        let first = match wait.map(|w| rx.recv_timeout(w)) {
            None => match rx.recv() {
                Ok(event) => event,
                Err(_) => return,
            },
            Some(Ok(event)) => event,
            Some(Err(std::sync::mpsc::RecvTimeoutError::Timeout)) => {
                if session.open_data_pending() {
                    open_data = session
                        .open_data_job()
                        .map(|job| OpenDataWriter::start(job, timings));
                }
                continue;
            }
            Some(Err(std::sync::mpsc::RecvTimeoutError::Disconnected)) => return,
        };
        if !first.as_ref().is_ok_and(&relevant) {
            continue;
        }
        // One writer of the open data at a time, and none during a rebuild.
        if let Some(writer) = open_data.take()
            && !writer.join(true)
        {
            session.open_data_unwritten();
        }
        // Debounce: wait until the files are quiet (an editor's save is several events).
        while rx.recv_timeout(DEBOUNCE).is_ok() {}
        // A folder replaced (`mv content content.bak; cp -r content.bak content`)
        // or made since: watch the one that is there now.
        folders.arm(&mut watcher, &watched);
        open_data_wait = OPEN_DATA_DELAY;
        let update = session.update();
        let report = update.outcome.report();
        if !update.outcome.succeeded() {
            eprint!("{report}");
            eprintln!("{}", gongkai::t!("watch-failed"));
            state.publish(LiveEvent::Error(report));
            continue;
        }
        eprint!("{report}");
        let rebuilt = gongkai::t!(
            "watch-rebuilt",
            ms = update.elapsed.as_millis() as u64,
            pages = update.rendered,
            files = update.changed.len()
        );
        if update.full {
            eprintln!("{rebuilt}{}", gongkai::t!("watch-full"));
        } else {
            eprintln!("{rebuilt}");
        }
        if timings {
            super::print_phases(&update.phases);
        }
        match state.search_index() {
            Some(index) => {
                let _ = index.reload();
            }
            None => state.set_search_index(
                session
                    .index()
                    .and_then(|i| SearchIndex::from_index(i, session.output()).ok()),
            ),
        }
        state.load_redirects();
        // Pages and the search index are in place: a page that reloads now, and a
        // search made from it, see the edit (the open data follows).
        state.publish(LiveEvent::Reload(update.changed));
    }
}

/// The folders watched, each with the identity of the folder that was there when
/// its watch was set: a watch follows a folder, not its name.
#[derive(Default)]
struct WatchedFolders {
    armed: std::collections::HashMap<PathBuf, FolderId>,
}

/// Which folder a path names (device and inode), so that a new one is noticed.
type FolderId = (u64, u64);

/// The folder at `path` now, if there is one.
fn folder_id(path: &Path) -> Option<FolderId> {
    let meta = std::fs::metadata(path)
        .ok()
        .filter(std::fs::Metadata::is_dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        Some((0, 0))
    }
}

impl WatchedFolders {
    /// Watches each folder that is not watched as it is now: new, or another
    /// folder under the same name. A folder that cannot be watched is reported,
    /// with the advice to restart the preview.
    fn arm(&mut self, watcher: &mut impl Watcher, paths: &[PathBuf]) {
        for path in paths {
            let now = folder_id(path);
            if now == self.armed.get(path).copied() {
                continue;
            }
            if self.armed.remove(path).is_some() {
                let _ = watcher.unwatch(path);
            }
            let Some(id) = now else { continue };
            match watcher.watch(path, RecursiveMode::Recursive) {
                Ok(()) => {
                    self.armed.insert(path.clone(), id);
                }
                Err(e) => eprintln!(
                    "{}",
                    gongkai::t!(
                        "watch-cannot-path",
                        path = path.display().to_string(),
                        error = e.to_string()
                    )
                ),
            }
        }
    }
}

/// The open data being written on a thread of its own.
struct OpenDataWriter {
    thread: std::thread::JoinHandle<bool>,
    cancel: Arc<AtomicBool>,
}

impl OpenDataWriter {
    /// Starts writing the job's files.
    fn start(job: OpenDataJob, timings: bool) -> Self {
        let cancel = Arc::new(AtomicBool::new(false));
        let flag = cancel.clone();
        let thread = std::thread::spawn(move || write_open_data(job, &flag, timings));
        OpenDataWriter { thread, cancel }
    }

    /// True once the writer is done, written or not.
    fn finished(&self) -> bool {
        self.thread.is_finished()
    }

    /// Waits for the writer, asking it to stop first when `stop`. True when it wrote
    /// the files.
    fn join(self, stop: bool) -> bool {
        if stop {
            self.cancel.store(true, Ordering::Relaxed);
        }
        self.thread.join().unwrap_or(false)
    }
}

/// Writes the open data the last rebuilds left behind, unless cancelled. True when
/// the files were written.
fn write_open_data(job: OpenDataJob, cancel: &AtomicBool, timings: bool) -> bool {
    let started = std::time::Instant::now();
    match job.write_unless(cancel) {
        Ok(Some(_)) => {
            if timings {
                eprintln!(
                    "{}",
                    gongkai::t!("watch-open-data", ms = started.elapsed().as_millis() as u64)
                );
            }
            true
        }
        Ok(None) => false,
        Err(e) => {
            eprintln!(
                "{}",
                gongkai::t!("io-write", path = "data/", error = e.to_string())
            );
            false
        }
    }
}
