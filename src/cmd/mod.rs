//! One module per CLI subcommand; each parses nothing itself (clap does) and calls
//! into the library.

pub mod build;
pub mod check;
pub mod corpus;
pub mod import;
pub mod search;
pub mod serve;

/// Prints the wall time of each phase of a build or rebuild, one per line.
fn print_phases(phases: &[(&str, std::time::Duration)]) {
    for (phase, took) in phases {
        eprintln!("  {:>8.1} ms  {phase}", took.as_secs_f64() * 1000.0);
    }
}
