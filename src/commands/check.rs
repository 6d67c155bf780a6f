//! `jirei check`: validate `jirei.toml` and every case, report all problems.

use std::path::Path;

use clap::{Args, ValueEnum};
use serde::Serialize;

use super::{Cli, exit};
use crate::config::Config;
use crate::corpus::{self, Corpus};
use crate::diagnostic::{Diagnostic, display_path, summary};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Output for people (`human`) or tools (`json`).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    files: usize,
    cases: usize,
    errors: usize,
    warnings: usize,
    diagnostics: &'a [Diagnostic],
}

pub fn run(cli: &Cli, args: &CheckArgs) -> u8 {
    let (corpus, config_diagnostic) = load(&cli.root);
    let mut diagnostics: Vec<Diagnostic> = config_diagnostic.into_iter().collect();
    diagnostics.extend(corpus.diagnostics.iter().cloned());
    for d in &mut diagnostics {
        d.path = display_path(&cli.root, &d.path);
    }
    let (errors, warnings) = summary(&diagnostics);
    match args.format {
        Format::Json => {
            let report = JsonReport {
                files: corpus.files,
                cases: corpus.cases.len(),
                errors,
                warnings,
                diagnostics: &diagnostics,
            };
            match serde_json::to_string_pretty(&report) {
                Ok(json) => out!("{json}"),
                Err(e) => return super::usage_error(&format!("cannot write JSON: {e}")),
            }
        }
        Format::Human => print_human(&cli.root, &corpus, &diagnostics, cli.color.for_stdout()),
    }
    if errors > 0 { exit::INVALID } else { exit::OK }
}

/// Loads the config (falling back to defaults when it is broken, so the
/// cases are still checked) and the corpus.
pub fn load(root: &Path) -> (Corpus, Option<Diagnostic>) {
    let (config, diagnostic) = match Config::load(root) {
        Ok(config) => (config, None),
        Err(d) => (Config::default(), Some(d)),
    };
    (corpus::load(&root.join("cases"), &config.bands), diagnostic)
}

fn print_human(root: &Path, corpus: &Corpus, diagnostics: &[Diagnostic], color: bool) {
    for d in diagnostics {
        let full_path = root.join(&d.path);
        let source = corpus.source(&full_path).map(str::to_string).or_else(|| {
            // jirei.toml is not part of the corpus; read it for the snippet.
            (d.line > 0).then(|| std::fs::read_to_string(&full_path).ok()).flatten()
        });
        out!("{}", d.render(source.as_deref(), color));
    }
    let (errors, warnings) = summary(diagnostics);
    out!(
        "checked {} case files: {} valid, {errors} error{}, {warnings} warning{}",
        corpus.files,
        corpus.cases.len(),
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" },
    );
}
