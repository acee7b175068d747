//! One module per CLI subcommand; each parses nothing itself (clap does) and calls
//! into the library. A command returns `Ok` or a [`Failure`]; `main` prints the
//! failure and picks the exit code, in one place.

pub mod build;
pub mod check;
pub mod corpus;
pub mod import;
pub mod init;
pub mod search;
pub mod serve;
pub mod watch;

use gongkai::diagnostics::Diagnostic;

/// Why a command failed: a message (with a hint), printed as a diagnostic, or
/// nothing more when the problems were reported already; and the exit code.
pub struct Failure {
    /// What to print, if anything is left to say.
    pub diagnostic: Option<Diagnostic>,
    /// 1 for failures, 2 for a wrong use of the command.
    pub code: u8,
}

impl Failure {
    /// A failure with a message.
    pub fn new(message: impl Into<String>) -> Failure {
        Failure {
            diagnostic: Some(Diagnostic::global(message)),
            code: 1,
        }
    }

    /// Adds how to fix it.
    pub fn hint(mut self, hint: impl Into<String>) -> Failure {
        self.diagnostic = self.diagnostic.map(|d| d.with_hint(hint));
        self
    }

    /// A wrong use of the command (exit code 2).
    pub fn usage(mut self) -> Failure {
        self.code = 2;
        self
    }
}

impl From<Diagnostic> for Failure {
    fn from(d: Diagnostic) -> Failure {
        Failure {
            diagnostic: Some(d),
            code: 1,
        }
    }
}

/// What a command returns.
pub type Outcome = Result<(), Failure>;

/// Prints the wall time of each phase of a build or rebuild, one per line.
fn print_phases(phases: &[(&str, std::time::Duration)]) {
    for (phase, took) in phases {
        eprintln!("  {:>8.1} ms  {phase}", took.as_secs_f64() * 1000.0);
    }
}
