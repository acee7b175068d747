//! The `gongkai` command line.

mod cmd;

/// mimalloc: faster than the system allocator for the many small strings of a
/// build, and it returns freed memory, which keeps the peak of large builds low.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// gongkai (公开): builds a browsable, searchable website from 政务公开 plan files.
#[derive(Parser)]
#[command(name = "gongkai", version, about)]
struct Cli {
    /// The site folder (holding gongkai.toml and content/plans/).
    #[arg(long, global = true, default_value = ".")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder.
    Build {
        /// Where to write the site (default: ROOT/output).
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Print how long each phase took.
        #[arg(long)]
        timings: bool,
    },
    /// Check the content for problems without writing anything.
    Check,
    /// Preview the site with live reload, or serve a built site (`--no-watch`).
    Serve {
        /// Port to listen on.
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// Address to listen on (loopback unless told otherwise; IPv6 such as ::1 works).
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Serve the already built output (with its search) without building or watching.
        #[arg(long)]
        no_watch: bool,
        /// The output folder (default: ROOT/output).
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Print how long each phase of every rebuild took.
        #[arg(long)]
        timings: bool,
    },
    /// Turn a published plan document (Word .docx, an HTML page, text, a site's
    /// tasks.csv) into a plan file.
    Import {
        /// The document.
        file: PathBuf,
        /// Where to write the plan (default: standard output).
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// From a tasks.csv holding several plans: this plan's slug.
        #[arg(long)]
        plan: Option<String>,
    },
    /// Write a synthetic benchmark site recombined from this site's content.
    #[command(hide = true)]
    Corpus {
        /// About how many tasks.
        #[arg(long, default_value_t = 50_000)]
        tasks: usize,
        /// Random seed (same seed, same files).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The new site folder.
        #[arg(long)]
        out: PathBuf,
    },
    /// Search the tasks of a built site (uses the prebuilt index; builds nothing).
    Search {
        /// The words to find; `"…"` keeps a phrase together.
        query: String,
        /// Only this plan (its slug).
        #[arg(long)]
        plan: Option<String>,
        /// Only tasks of this unit (e.g. 财政局).
        #[arg(long)]
        unit: Option<String>,
        /// Only this year.
        #[arg(long)]
        year: Option<u64>,
        /// Results per page.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Which page of results.
        #[arg(long, default_value_t = 1)]
        page: usize,
        /// Print one JSON object instead of a list.
        #[arg(long)]
        json: bool,
        /// The built site (default: ROOT/output).
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

/// The output folder: as given, or ROOT/output.
fn output_dir(site_root: &std::path::Path, output: Option<PathBuf>) -> PathBuf {
    output.unwrap_or_else(|| site_root.join("output"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            if let Some(d) = failure.diagnostic {
                eprint!(
                    "{}",
                    gongkai::diagnostics::render(&[d], &std::collections::BTreeMap::new())
                );
            }
            ExitCode::from(failure.code)
        }
    }
}

/// Runs the chosen command.
fn run(cli: Cli) -> cmd::Outcome {
    let site_root = cli.root;
    match cli.command {
        Command::Build { output, timings } => {
            let output = output_dir(&site_root, output);
            cmd::build::run(&site_root, &output, timings)
        }
        Command::Check => cmd::check::run(&site_root),
        Command::Import { file, output, plan } => {
            cmd::import::run(&file, output.as_deref(), plan.as_deref())
        }
        Command::Corpus { tasks, seed, out } => cmd::corpus::run(&site_root, tasks, seed, &out),
        Command::Serve {
            port,
            bind,
            no_watch,
            output,
            timings,
        } => cmd::serve::run(cmd::serve::ServeOptions {
            output: output_dir(&site_root, output),
            site_root,
            bind,
            port,
            no_watch,
            timings,
        }),
        Command::Search {
            query,
            plan,
            unit,
            year,
            limit,
            page,
            json,
            output,
        } => {
            let request = gongkai::search::SearchRequest {
                query,
                plan,
                unit,
                year,
                limit,
                page,
            };
            cmd::search::run(&output_dir(&site_root, output), &request, json)
        }
    }
}
