//! `gongkai serve`: preview with live reload, or (`--no-watch`) the production
//! server for an already built site.

use gongkai::config::Config;
use gongkai::incremental::Session;
use gongkai::search::SearchIndex;
use gongkai::serve::{AppState, LiveEvent, socket_addr};
use notify::{RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

/// How long the files must be quiet before a rebuild starts.
const DEBOUNCE: Duration = Duration::from_millis(20);

/// Options of `gongkai serve`.
pub struct ServeOptions {
    /// The site folder.
    pub root: PathBuf,
    /// The output folder.
    pub output: PathBuf,
    /// Address to bind.
    pub bind: String,
    /// Port.
    pub port: u16,
    /// Serve the built output only: no build, no watching.
    pub no_watch: bool,
    /// Print the phases of every rebuild.
    pub timings: bool,
}

/// Runs the server until Ctrl-C or SIGTERM.
pub fn run(opts: ServeOptions) -> ExitCode {
    let addr = match socket_addr(&opts.bind, opts.port) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let base = Config::load(&opts.root)
        .map(|(c, _)| c.base_path())
        .unwrap_or_else(|_| "/".to_string());
    let mut session = None;
    if opts.no_watch {
        if !opts.output.join("index.html").is_file() {
            eprintln!(
                "error: no built site at {}\n  = hint: run `gongkai build` first, or pass --output DIR",
                opts.output.display()
            );
            return ExitCode::FAILURE;
        }
    } else {
        let mut s = Session::new(&opts.root, &opts.output);
        let update = s.update();
        eprint!("{}", update.outcome.report());
        if !update.outcome.succeeded() && !opts.output.join("index.html").is_file() {
            eprintln!("build failed and there is no earlier build to serve");
            return ExitCode::FAILURE;
        }
        eprintln!("built in {} ms", update.elapsed.as_millis());
        if opts.timings {
            super::print_phases(&update.phases);
        }
        session = Some((s, update));
    }
    let state = match AppState::new(opts.output.clone(), base.clone(), !opts.no_watch) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: cannot serve {}: {e}", opts.output.display());
            return ExitCode::FAILURE;
        }
    };
    match &session {
        Some((s, update)) => {
            if let Some(index) = s.index() {
                set_search(&state, SearchIndex::from_index(index, &opts.output).ok());
            }
            if !update.outcome.succeeded() {
                state.publish(LiveEvent::Error(update.outcome.report()));
            }
        }
        None => match SearchIndex::open(&opts.output) {
            Ok(index) => set_search(&state, Some(index)),
            Err(e) => eprintln!("warning: {e}; /api/search will answer 503"),
        },
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the server runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(addr).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("error: cannot listen on {addr}: {e}\n  = hint: choose another --port, or check --bind");
                return ExitCode::FAILURE;
            }
        };
        let local = listener.local_addr().unwrap_or(addr);
        println!("serving {} at http://{local}{base}", opts.output.display());
        if let Some((s, _)) = session {
            // Load the segmenter's dictionary now, not on the first save.
            std::thread::spawn(|| std::sync::LazyLock::force(&gongkai::search::analyzer::JIEBA));
            let (root, state) = (opts.root.clone(), state.clone());
            let timings = opts.timings;
            std::thread::spawn(move || watch(&root, s, &state, timings));
        }
        match gongkai::serve::run(listener, state).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        }
    })
}

fn set_search(state: &AppState, index: Option<SearchIndex>) {
    *state.search.write().expect("lock") = index.map(Arc::new);
}

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

/// Watches the content, theme and config; rebuilds and tells open pages.
fn watch(root: &Path, mut session: Session, state: &Arc<AppState>, timings: bool) {
    let (tx, rx) = std::sync::mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = match notify::recommended_watcher(move |e| {
        let _ = tx.send(e);
    }) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("warning: cannot watch for changes: {e}");
            return;
        }
    };
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let watched: Vec<PathBuf> = ["content", "themes", "templates", "static"]
        .iter()
        .map(|d| root.join(d))
        .filter(|p| p.is_dir())
        .collect();
    for path in &watched {
        if let Err(e) = watcher.watch(path, RecursiveMode::Recursive) {
            eprintln!("warning: cannot watch {}: {e}", path.display());
        }
    }
    // The config file: watch the root folder itself, not what is below it.
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
    while let Ok(first) = rx.recv() {
        if !first.as_ref().is_ok_and(&relevant) {
            continue;
        }
        // Debounce: wait until the files are quiet (an editor's save is several events).
        while rx.recv_timeout(DEBOUNCE).is_ok() {}
        let update = session.update();
        let report = update.outcome.report();
        if !update.outcome.succeeded() {
            eprint!("{report}");
            eprintln!("rebuild failed; still serving the last good build");
            state.publish(LiveEvent::Error(report));
            continue;
        }
        eprint!("{report}");
        eprintln!(
            "rebuilt in {} ms: {} pages rendered, {} files changed{}",
            update.elapsed.as_millis(),
            update.rendered,
            update.changed.len(),
            if update.full { " (full)" } else { "" }
        );
        if timings {
            super::print_phases(&update.phases);
        }
        let search = state.search.read().expect("lock").clone();
        match search {
            Some(index) => {
                let _ = index.reload();
            }
            None => set_search(
                state,
                session
                    .index()
                    .and_then(|i| SearchIndex::from_index(i, session.output()).ok()),
            ),
        }
        // Pages, open data and the search index are all in place: a page that
        // reloads now, and a search made from it, see the edit.
        state.publish(LiveEvent::Reload(update.changed));
    }
}
