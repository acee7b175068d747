//! Memory benchmark (issue 15 floors: peak RSS ≤ 300 MB at 50,000 tasks, ≤ 1 GB
//! at 200,000): where a build's live heap goes.
//!
//! `cargo bench --bench memory [-- TASKS [SHAPE]]` generates the corpus (50,000
//! tasks, shape `mixed`, by default) under target/bench-corpus-N (the search
//! benchmark's) or target/bench-corpus-N-SHAPE, then runs the library's load and
//! whole build with a counting allocator around the system one: the live heap of
//! jieba's dictionary, of the loaded site, its peak over the build, and the heap
//! every 250 ms (the build's phases overlap: pages beside the index). The
//! binary's RSS is more than this (mimalloc's pages, transparent huge pages):
//! measure it on `gongkai build` itself (docs/benchmarks.md).

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};
use std::time::{Duration, Instant};

/// The system allocator, counting the bytes live and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let live = LIVE.fetch_add(by, Relaxed) + by;
    PEAK.fetch_max(live, Relaxed);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, size: usize) -> *mut u8 {
        if size > layout.size() {
            grew(size - layout.size());
        } else {
            LIVE.fetch_sub(layout.size() - size, Relaxed);
        }
        unsafe { System.realloc(ptr, layout, size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn mb(bytes: usize) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

/// The live heap now, and its peak since the last call.
fn live_and_peak() -> (usize, usize) {
    let live = LIVE.load(Relaxed);
    (live, PEAK.swap(live, Relaxed))
}

fn main() {
    let mut args = std::env::args().skip(1).filter(|a| a != "--bench");
    let tasks: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(50_000);
    let shape = args.next().unwrap_or_else(|| "mixed".to_string());
    let corpus = common::corpus(tasks, &shape);

    println!("{tasks} tasks, shape {shape}; live heap (system allocator, counted)");
    println!();
    println!("| what | live | peak while made |");
    println!("|---|---|---|");
    live_and_peak();
    std::sync::LazyLock::force(&gongkai::text::JIEBA);
    let (live, peak) = live_and_peak();
    println!("| jieba's dictionary | {} | {} |", mb(live), mb(peak));
    let (site, outcome) = gongkai::build::load_site(&corpus, &indicatif::ProgressBar::hidden());
    assert!(site.is_some(), "{}", outcome.report());
    let (live, peak) = live_and_peak();
    println!(
        "| + the site model (load, parse, join) | {} | {} |",
        mb(live),
        mb(peak)
    );
    drop((site, outcome));

    // The whole build, the heap sampled beside it.
    let out = tempfile::TempDir::new().unwrap();
    let done = AtomicBool::new(false);
    let started = Instant::now();
    let samples = std::thread::scope(|scope| {
        let sampler = scope.spawn(|| {
            let mut samples = Vec::new();
            while !done.load(Relaxed) {
                std::thread::sleep(Duration::from_millis(250));
                samples.push((started.elapsed(), live_and_peak()));
            }
            samples
        });
        let built = gongkai::build::build(&corpus, &out.path().join("output"));
        assert!(built.succeeded(), "{}", built.report());
        done.store(true, Relaxed);
        sampler.join().unwrap()
    });
    let build_peak = samples.iter().map(|(_, (_, p))| *p).max().unwrap_or(0);
    println!(
        "| whole build (pages, open data, index) | | **{}** |",
        mb(build_peak)
    );
    println!();
    println!("live heap over the build (time: live, peak in the interval):");
    for (at, (live, peak)) in samples {
        println!(
            "  {:5.2} s  {:>9}  {:>9}",
            at.as_secs_f64(),
            mb(live),
            mb(peak)
        );
    }
}
