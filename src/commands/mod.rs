//! The command line: argument definitions (clap) and one module per
//! command. Commands print for people and return an exit code; the work
//! itself is done by the library layers below.

/// Like `println!`, but a closed pipe (`jirei check | head`) is not an
/// error: the rest of the output is dropped instead of panicking.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::commands::emit(&format!("{}\n", format_args!($($arg)*)))
    };
}

/// Like `print!`, with the same tolerance of closed pipes as `out!`.
macro_rules! out_raw {
    ($($arg:tt)*) => {
        $crate::commands::emit(&format!($($arg)*))
    };
}

pub mod build;
pub mod check;
pub mod export;
pub mod import;
pub mod new;
pub mod search;
mod search_output;
pub mod serve;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// Exit codes shared by every command.
pub mod exit {
    /// Everything went well.
    pub const OK: u8 = 0;
    /// The input has errors (invalid cases, a failed build).
    pub const INVALID: u8 = 1;
    /// The command itself was used wrongly (bad arguments, missing files).
    pub const USAGE: u8 = 2;
}

#[derive(Debug, Parser)]
#[command(
    name = "jirei",
    version,
    about = "自治体DX事例のナレッジベース: check, build and search case studies"
)]
pub struct Cli {
    /// The collection's root folder (holding jirei.toml and cases/).
    #[arg(long, global = true, default_value = ".")]
    pub root: PathBuf,
    /// When to colour the output.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate jirei.toml and every case under cases/.
    Check(check::CheckArgs),
    /// Write a new case file from the commented template.
    New(new::NewArgs),
    /// Turn a publication into case files.
    Import(import::ImportArgs),
    /// Search the cases (Japanese-aware, with filters and facets).
    Search(Box<search::SearchArgs>),
    /// Build or refresh the search index (done automatically by search, and by
    /// build when the collection has one).
    Index(search::IndexArgs),
    /// Publish the cases as a static site (public/ by default).
    Build(build::BuildArgs),
    /// Preview the site with live reload and a JSON search API.
    Serve(serve::ServeArgs),
    /// Write the collection for another search engine (OpenSearch).
    Export(export::ExportArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Colour for standard output: `auto` means a terminal and no `NO_COLOR`.
    pub fn for_stdout(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        }
    }
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> ExitCode {
    let code = match &cli.command {
        Command::Check(args) => check::run(&cli, args),
        Command::New(args) => new::run(&cli, args),
        Command::Import(args) => import::run(&cli, args),
        Command::Search(args) => search::run(&cli, args),
        Command::Index(args) => search::run_index(&cli, args),
        Command::Build(args) => build::run(&cli, args),
        Command::Serve(args) => serve::run(&cli, args),
        Command::Export(args) => export::run(&cli, args),
    };
    ExitCode::from(code)
}

/// Writes to standard output, ignoring a reader that has gone away.
pub fn emit(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush());
}

/// Prints a one-line usage error on stderr and gives the usage exit code.
pub fn usage_error(message: &str) -> u8 {
    eprintln!("jirei: error: {message}");
    exit::USAGE
}

/// Takes the collection's build lock for `what` (`jirei build`, …),
/// telling the user on stderr when it has to wait for another process.
pub fn take_build_lock(
    root: &std::path::Path,
    what: &str,
    wait: std::time::Duration,
) -> Result<crate::lock::BuildLock, crate::lock::LockError> {
    crate::lock::BuildLock::acquire(root, what, wait, |holder| {
        eprintln!("jirei: waiting for another jirei process ({holder}) building this collection…")
    })
}
