//! Importers that turn published case collections into case files, and
//! the safe writing of those files into `cases/`.
//!
//! [`mic`] reads 総務省「自治体DX推進参考事例集」; [`write_cases`] writes
//! the result atomically; [`summary`] renders the table the CLI prints.

pub mod mic;
pub mod summary;
mod write;
pub mod yaml;

use std::path::PathBuf;

pub use write::{WriteReport, write_cases};

/// Why an import could not be done.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the input is empty")]
    Empty,
    #[error(
        "the input is not UTF-8 text (invalid byte at offset {offset}); if it is Shift_JIS, convert it first: \
         iconv -f SHIFT_JIS -t UTF-8 FILE > FILE.utf8"
    )]
    NotUtf8 { offset: usize },
    #[error("this does not look like 「自治体DX推進参考事例集」: {reason}")]
    NotMic { reason: String },
    #[error(
        "the document looks truncated: chapter {chapter} lists {listed} cases but {found} were found; missing: {}",
        abbreviate(missing)
    )]
    Truncated {
        chapter: String,
        found: usize,
        listed: usize,
        missing: Vec<String>,
    },
    #[error("the importer produced an invalid case file {file} (a bug in the importer): {}", messages.join("; "))]
    InvalidOutput { file: String, messages: Vec<String> },
    #[error("refusing to overwrite existing files (use --force): {}", display_paths(files))]
    WouldOverwrite { files: Vec<PathBuf> },
    #[error("file name `{0}` is not a plain file name")]
    BadFileName(String),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
}

/// The first five items, then how many more.
fn abbreviate(items: &[String]) -> String {
    let shown = items.iter().take(5).cloned().collect::<Vec<_>>().join("; ");
    match items.len() {
        n if n > 5 => format!("{shown}; … and {} more", n - 5),
        _ => shown,
    }
}

fn display_paths(files: &[PathBuf]) -> String {
    files
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
