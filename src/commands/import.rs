//! `jirei import mic FILE`: turn a publication's text into case files.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::{Cli, exit, usage_error};
use crate::import::{ImportError, mic, summary, write_cases};

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub source: ImportSource,
}

#[derive(Debug, Subcommand)]
pub enum ImportSource {
    /// 総務省「自治体DX推進参考事例集」 as plain text extracted from the PDF.
    Mic {
        /// The text file.
        file: PathBuf,
        /// Where to write the cases (default: cases/ under --root).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Show what would be written without writing anything.
        #[arg(long)]
        dry_run: bool,
        /// Replace case files that differ from the import.
        #[arg(long)]
        force: bool,
    },
}

pub fn run(cli: &Cli, args: &ImportArgs) -> u8 {
    let ImportSource::Mic {
        file,
        out,
        dry_run,
        force,
    } = &args.source;
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => return usage_error(&format!("cannot read {}: {e}", file.display())),
    };
    let import = match mic::import_bytes(&bytes) {
        Ok(import) => import,
        Err(e) => return report_error(file, &e),
    };
    if *dry_run {
        out_raw!("{}", summary::render(&import, None));
        out!("(dry run: nothing was written)");
        return exit::OK;
    }
    let out = out.clone().unwrap_or_else(|| cli.root.join("cases"));
    match write_cases(&out, &import.files(), *force) {
        Ok(report) => {
            out_raw!("{}", summary::render(&import, Some(&report)));
            exit::OK
        }
        Err(e) => report_error(file, &e),
    }
}

fn report_error(file: &std::path::Path, error: &ImportError) -> u8 {
    eprintln!("{}: error: {error}", file.display());
    match error {
        ImportError::WouldOverwrite { .. } | ImportError::Io { .. } => exit::USAGE,
        _ => exit::INVALID,
    }
}
