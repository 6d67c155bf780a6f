//! `jirei export --format opensearch`: the collection for an existing
//! OpenSearch or Elasticsearch cluster (index mapping + bulk NDJSON).
//!
//! Invalid cases are reported as `jirei check` would and make the export
//! fail (exit 1), so a portal never loads half a collection by accident.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{Cli, exit};
use crate::config::Config;
use crate::corpus;
use crate::diagnostic::{display_path, summary};
use crate::export;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// OpenSearch / Elasticsearch: mapping.json and cases.ndjson (bulk).
    Opensearch,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Output folder [default: ROOT/export/opensearch].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// The index name written into the bulk actions.
    #[arg(long, default_value = "jirei-cases")]
    pub index_name: String,
}

pub fn run(cli: &Cli, args: &ExportArgs) -> u8 {
    if args.index_name.is_empty()
        || args.index_name.starts_with(['_', '-', '+'])
        || args
            .index_name
            .chars()
            .any(|c| c.is_ascii_uppercase() || " \"*\\<|,>/?#:".contains(c))
    {
        return super::usage_error(&format!(
            "`{}` is not a valid index name (lowercase, no spaces or \\/*?\"<>|,#:, not starting with _ - +)",
            args.index_name
        ));
    }
    let config = match Config::load(&cli.root) {
        Ok(config) => config,
        Err(d) => {
            eprint!("{}", d.render(None, false));
            return exit::INVALID;
        }
    };
    let corpus = corpus::load(&cli.root.join("cases"), &config.bands);
    if corpus.has_errors() {
        for d in corpus.diagnostics.iter().filter(|d| d.is_error()) {
            let mut shown = d.clone();
            shown.path = display_path(&cli.root, &d.path);
            eprint!("{}", shown.render(corpus.source(&d.path), false));
        }
        let (errors, _) = summary(&corpus.diagnostics);
        eprintln!("jirei: export failed: {errors} error(s) in the cases (see `jirei check`)");
        return exit::INVALID;
    }
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| cli.root.join("export").join("opensearch"));
    match args.format {
        ExportFormat::Opensearch => match export::write_opensearch(&corpus.cases, &config, &out, &args.index_name) {
            Ok(report) => {
                out!("exported {} cases for OpenSearch:", report.documents);
                for file in &report.files {
                    out!("  {}", file.display());
                }
                out!(
                    "load with: curl -XPUT localhost:9200/{0} -H 'Content-Type: application/json' --data-binary @{1}",
                    args.index_name,
                    report.files[0].display()
                );
                out!(
                    "      and: curl -XPOST localhost:9200/_bulk -H 'Content-Type: application/x-ndjson' --data-binary @{}",
                    report.files[1].display()
                );
                exit::OK
            }
            Err(e) => {
                eprintln!("jirei: export failed: {e}");
                exit::INVALID
            }
        },
    }
}
