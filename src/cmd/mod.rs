//! One module per CLI subcommand; each parses nothing itself (clap does) and calls
//! into the library.

pub mod build;
pub mod check;
pub mod corpus;
pub mod import;
pub mod search;
pub mod serve;
