//! `gongkai serve`: preview with live reload, or (`--no-watch`) the production
//! server for an already built site.

use super::{Failure, Outcome};
use gongkai::config::Config;
use gongkai::incremental::Session;
use gongkai::search::SearchIndex;
use gongkai::serve::{AppState, LiveEvent, socket_addr};
use std::path::PathBuf;

/// Options of `gongkai serve`.
pub struct ServeOptions {
    /// The site folder.
    pub site_root: PathBuf,
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
    /// Connections held at once, and how long a response may wait for its reader.
    pub limits: gongkai::serve::Limits,
}

/// Runs the server until Ctrl-C or SIGTERM.
pub fn run(opts: ServeOptions) -> Outcome {
    let addr = socket_addr(&opts.bind, opts.port).map_err(|e| Failure::new(e).usage())?;
    let base = Config::load(&opts.site_root)
        .map(|(c, _)| c.base_path())
        .unwrap_or_else(|_| "/".to_string());
    let has_build = || opts.output.join("index.html").is_file();
    let mut session = None;
    if opts.no_watch {
        if !has_build() {
            return Err(Failure::new(gongkai::t!(
                "serve-no-build",
                path = opts.output.display().to_string()
            ))
            .hint(gongkai::t!("serve-no-build-hint")));
        }
    } else {
        let mut s = Session::new(&opts.site_root, &opts.output);
        let update = s.update();
        eprint!("{}", update.outcome.report());
        if !update.outcome.succeeded() && !has_build() {
            return Err(Failure::new(gongkai::t!("serve-build-failed")));
        }
        eprintln!(
            "{}",
            gongkai::t!("serve-built", ms = update.elapsed.as_millis() as u64)
        );
        if opts.timings {
            super::print_phases(&update.phases);
        }
        session = Some((s, update));
    }
    let state = AppState::new(opts.output.clone(), base.clone(), !opts.no_watch).map_err(|e| {
        Failure::new(gongkai::t!(
            "serve-cannot",
            path = opts.output.display().to_string(),
            error = e.to_string()
        ))
    })?;
    match &session {
        Some((s, update)) => {
            if let Some(index) = s.index() {
                state.set_search_index(SearchIndex::from_index(index, &opts.output).ok());
            }
            if !update.outcome.succeeded() {
                state.publish(LiveEvent::Error(update.outcome.report()));
            }
        }
        None => match SearchIndex::open(&opts.output) {
            Ok(index) => state.set_search_index(Some(index)),
            Err(e) => eprintln!("{}", gongkai::t!("serve-no-index", error = e.to_string())),
        },
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::new(gongkai::t!("serve-runtime", error = e.to_string())))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
            Failure::new(gongkai::t!(
                "serve-listen",
                addr = addr.to_string(),
                error = e.to_string()
            ))
            .hint(gongkai::t!("serve-listen-hint"))
        })?;
        let local = listener.local_addr().unwrap_or(addr);
        println!(
            "{}",
            gongkai::t!(
                "serve-serving",
                path = opts.output.display().to_string(),
                url = format!("http://{local}{base}")
            )
        );
        if let Some((s, _)) = session {
            // Load the segmenter's dictionary now, not on the first save.
            std::thread::spawn(gongkai::search::analyzer::warm_up);
            let (site_root, state) = (opts.site_root.clone(), state.clone());
            let timings = opts.timings;
            std::thread::spawn(move || super::watch::watch(&site_root, s, &state, timings));
        }
        gongkai::serve::run(listener, state, opts.limits)
            .await
            .map_err(|e| Failure::new(e.to_string()))
    })
}
