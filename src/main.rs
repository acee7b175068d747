//! The `gongkai` command line.

mod cmd;

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
    },
    /// Check the content for problems without writing anything.
    Check,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { output } => {
            let output = output.unwrap_or_else(|| cli.root.join("output"));
            cmd::build::run(&cli.root, &output)
        }
        Command::Check => cmd::check::run(&cli.root),
    }
}
