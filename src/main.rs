//! The `gongkai` command line.

mod cli_text;
mod cmd;

/// mimalloc: faster than the system allocator for the many small strings of a
/// build, and it returns freed memory, which keeps the peak of large builds low.
#[global_allocator]
static GLOBAL: gongkai::allocator::MiMalloc = gongkai::allocator::MiMalloc;

use clap::{FromArgMatches, Parser, Subcommand};
use gongkai::i18n;
use std::path::PathBuf;
use std::process::ExitCode;

// Every help text comes from the message files (see `cli_text`), not from here.
#[derive(Parser)]
#[command(name = "gongkai", version)]
struct Cli {
    #[arg(long, global = true, default_value = ".")]
    root: PathBuf,
    #[arg(long, global = true, value_parser = ["zh", "en"])]
    lang: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Init {
        dir: Option<PathBuf>,
        #[arg(long)]
        force: bool,
    },
    Build {
        #[arg(long, short)]
        output: Option<PathBuf>,
        #[arg(long)]
        timings: bool,
    },
    Check,
    Serve {
        #[arg(long, default_value_t = 8000)]
        port: u16,
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        #[arg(long)]
        no_watch: bool,
        #[arg(long, short)]
        output: Option<PathBuf>,
        #[arg(long)]
        timings: bool,
        #[arg(long)]
        max_connections: Option<usize>,
        #[arg(long, default_value_t = gongkai::serve::Limits::default().send_timeout.as_secs())]
        send_timeout: u64,
    },
    Import {
        file: PathBuf,
        #[arg(long, short)]
        output: Option<PathBuf>,
        #[arg(long)]
        plan: Option<String>,
        #[arg(long)]
        columns: Option<String>,
        #[arg(long)]
        force: bool,
    },
    #[command(hide = true)]
    Corpus {
        #[arg(long, default_value_t = 50_000)]
        tasks: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, value_enum, default_value_t = gongkai::corpus::Shape::Mixed)]
        shape: gongkai::corpus::Shape,
        #[arg(long)]
        out: PathBuf,
    },
    Search {
        query: String,
        #[arg(long)]
        plan: Option<String>,
        #[arg(long)]
        unit: Option<String>,
        #[arg(long)]
        year: Option<u64>,
        #[arg(long, default_value_t = 10)]
        limit: usize,
        #[arg(long, default_value_t = 1)]
        page: usize,
        #[arg(long)]
        json: bool,
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

/// The output folder: as given, or ROOT/output.
fn output_dir(site_root: &std::path::Path, output: Option<PathBuf>) -> PathBuf {
    output.unwrap_or_else(|| site_root.join("output"))
}

fn main() -> ExitCode {
    gongkai::allocator::configure();
    let args: Vec<String> = std::env::args().collect();
    i18n::set_lang(i18n::lang_from(&args, |k| std::env::var(k).ok()));
    let parsed = cli_text::localized(<Cli as clap::CommandFactory>::command())
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => e.exit(), // --help, --version
        Err(e) => {
            let detail = e.render().to_string();
            eprintln!(
                "{}",
                gongkai::t!("cli-bad-usage", detail = detail.trim_end())
            );
            return ExitCode::from(2);
        }
    };
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
    // `--lang` was read before parsing, to print the help in that language.
    let Cli {
        root: site_root,
        lang: _,
        command,
    } = cli;
    match command {
        Command::Init { dir, force } => cmd::init::run(&dir.unwrap_or(site_root), force),
        Command::Build { output, timings } => {
            let output = output_dir(&site_root, output);
            cmd::build::run(&site_root, &output, timings)
        }
        Command::Check => cmd::check::run(&site_root),
        Command::Import {
            file,
            output,
            plan,
            columns,
            force,
        } => cmd::import::run(
            &file,
            output.as_deref(),
            plan.as_deref(),
            columns.as_deref(),
            force,
        ),
        Command::Corpus {
            tasks,
            seed,
            shape,
            out,
        } => cmd::corpus::run(&site_root, tasks, seed, shape, &out),
        Command::Serve {
            port,
            bind,
            no_watch,
            output,
            timings,
            max_connections,
            send_timeout,
        } => cmd::serve::run(cmd::serve::ServeOptions {
            output: output_dir(&site_root, output),
            site_root,
            bind,
            port,
            no_watch,
            timings,
            limits: gongkai::serve::Limits {
                send_timeout: std::time::Duration::from_secs(send_timeout),
                ..match max_connections {
                    Some(max_connections) => gongkai::serve::Limits {
                        max_connections,
                        ..Default::default()
                    },
                    None => gongkai::serve::Limits::for_this_process(),
                }
            },
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
                without_facets: !json,
            };
            cmd::search::run(&output_dir(&site_root, output), &request, json)
        }
    }
}
