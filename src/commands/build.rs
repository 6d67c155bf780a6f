//! `jirei build`: check every case, then publish the static site.
//!
//! Invalid cases fail the build with the diagnostics `jirei check` prints
//! (exit 1); so do template errors in the theme. The previous output stays
//! as it was on any failure.
//!
//! The search index of `jirei search` is kept current beside the site when
//! the collection has one (someone searches it) or `--index` asks for it:
//! built beside the site it takes the site's segmentations, so it costs
//! far less than on its own. A collection without one, such as a fresh
//! checkout built to be published, gets none: the site does not need it
//! (at 10,000 cases it makes the build 12 s instead of 9 s), and `jirei
//! search` makes it when first used.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Args;

use super::{Cli, exit};
use crate::analysis::Analyzer;
use crate::case::Case;
use crate::config::Config;
use crate::corpus;
use crate::diagnostic::{Diagnostic, display_path, summary};
use crate::index::Fingerprint;
use crate::publish::{self, IndexBeside, IndexBuilt};
use crate::site::output::OutputError;
use crate::site::{BuildError, BuildOptions, BuildReport};

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Output folder [default: ROOT/public]. It is replaced as a whole,
    /// only if jirei made it.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Where the site will be published: `/`, a sub-path such as `/dx/`,
    /// or a full https:// address (needed for sitemap.xml). Overrides
    /// `base_url` in jirei.toml.
    #[arg(long)]
    pub base_url: Option<String>,
    /// Include cases marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// How long to wait, in seconds, while another jirei process builds
    /// the same collection (see `.jirei-cache/build.lock`).
    #[arg(long, value_name = "SECONDS", default_value_t = 120)]
    pub wait: u64,
    /// Also build the search index of `jirei search` beside the site when
    /// the collection has none yet (one it has is always kept current).
    #[arg(long)]
    pub index: bool,
}

pub fn run(cli: &Cli, args: &BuildArgs) -> u8 {
    let started = Instant::now();
    let _lock = match super::take_build_lock(&cli.root, "jirei build", Duration::from_secs(args.wait)) {
        Ok(lock) => lock,
        Err(e) => {
            eprintln!("jirei: build failed: {e}");
            return exit::INVALID;
        }
    };
    // Taken before anything is read: a file saved during the build leaves
    // the search index stale (the next search rebuilds it), never wrongly
    // current. Computed once for both the check and the refresh.
    let fingerprint = Fingerprint::of_collection(&cli.root, args.drafts);
    let config = match Config::load(&cli.root) {
        Ok(config) => config,
        Err(d) => {
            print_diagnostics(cli, &[d], None);
            return exit::INVALID;
        }
    };
    let mut corpus = corpus::load(&cli.root.join("cases"), &config.bands);
    if corpus.has_errors() {
        print_diagnostics(cli, &corpus.diagnostics, Some(&corpus));
        let (errors, _) = summary(&corpus.diagnostics);
        eprintln!(
            "jirei: build failed: {errors} error{} in the cases (see `jirei check`); the output was not changed",
            plural(errors)
        );
        return exit::INVALID;
    }
    // The texts only serve diagnostics (those of files with warnings too).
    corpus.sources = Default::default();
    let analyzer = match super::search::analyzer_for(&cli.root) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("jirei: error: {e}");
            return exit::INVALID;
        }
    };
    // A stale search index is rebuilt beside the site, from the
    // segmentations of its search data (each text is segmented once); a
    // collection without one gets one only when asked.
    let wanted = args.index || crate::index::exists(&cli.root);
    let beside = if wanted {
        IndexBeside::if_stale(&cli.root, &analyzer, &fingerprint)
    } else {
        None
    };
    let options = BuildOptions {
        root: cli.root.clone(),
        out: args.out.clone().unwrap_or_else(|| cli.root.join("public")),
        base_url: args.base_url.clone(),
        drafts: args.drafts,
        handoff: None,
    };
    let (site, index) = publish::site_and_index(&corpus.cases, &config, &options, beside.as_ref());
    let report = match site {
        Ok(report) => report,
        Err(e) => return report_failure(cli, e),
    };
    print_summary(&report, &corpus.diagnostics, started);
    // The replaced output is removed in the background meanwhile.
    let code = match (index, &beside) {
        (Some(built), Some(beside)) => report_index_beside(built, beside),
        _ if wanted => refresh_index(cli, &analyzer, corpus.cases, &fingerprint),
        _ => {
            out!("no search index: `jirei search` makes it when first used (or build with --index)");
            exit::OK
        }
    };
    drop(report.replaced);
    code
}

/// Reports the index built beside the site; gives the exit code.
fn report_index_beside(built: IndexBuilt, beside: &IndexBeside<'_>) -> u8 {
    match publish::built_index(built) {
        Ok((index, took)) => {
            if crate::timing::enabled() {
                let stats = beside.stats();
                eprintln!(
                    "jirei: search index: {} texts taken from the search data, {} segmented again",
                    stats.taken, stats.missed
                );
            }
            out!(
                "search index rebuilt: {} cases ({:.2} s, beside the site)",
                index.num_docs(),
                took.as_secs_f64()
            );
            exit::OK
        }
        Err(e) => {
            eprintln!("jirei: error: the site was built, but {e}");
            exit::INVALID
        }
    }
}

/// Brings the search index used by `jirei search` up to date with the
/// cases just published.
fn refresh_index(cli: &Cli, analyzer: &Analyzer, cases: Vec<Case>, fingerprint: &Fingerprint) -> u8 {
    let started = Instant::now();
    match crate::index::ensure_at(&cli.root, analyzer, fingerprint, || cases) {
        Ok((index, freshness)) => {
            let what = match freshness {
                crate::index::Freshness::Rebuilt => "rebuilt",
                crate::index::Freshness::Reused => "up to date",
            };
            out!(
                "search index {what}: {} cases ({:.2} s)",
                index.num_docs(),
                started.elapsed().as_secs_f64()
            );
            exit::OK
        }
        Err(e) => {
            eprintln!("jirei: error: the site was built, but the search index failed: {e}");
            exit::INVALID
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// What was built, what was left out and why there is no sitemap.
fn print_summary(report: &BuildReport, diagnostics: &[Diagnostic], started: Instant) {
    out!(
        "built {} case{} ({} pages) into {} in {:.2} s",
        report.cases,
        plural(report.cases),
        report.pages,
        report.out.display(),
        started.elapsed().as_secs_f64()
    );
    if report.drafts_skipped > 0 {
        out!(
            "left out {} draft{} (use --drafts to include them)",
            report.drafts_skipped,
            plural(report.drafts_skipped)
        );
    }
    if !report.sitemap {
        out!("no sitemap.xml: the base URL is not absolute (set base_url = \"https://…\" or pass --base-url)");
    }
    let (_, warnings) = summary(diagnostics);
    if warnings > 0 {
        out!(
            "{warnings} warning{} in the cases; `jirei check` lists them",
            plural(warnings)
        );
    }
}

/// Prints why the build failed and gives the exit code.
fn report_failure(cli: &Cli, error: BuildError) -> u8 {
    match error {
        BuildError::Usage(message) => super::usage_error(&message),
        BuildError::Template {
            diagnostic,
            template_source,
        } => {
            let mut shown = *diagnostic;
            shown.path = display_path(&cli.root, &shown.path);
            out!("{}", shown.render(template_source.as_deref(), cli.color.for_stdout()));
            eprintln!("jirei: build failed: the theme has an error; the output was not changed");
            exit::INVALID
        }
        BuildError::Output(e @ (OutputError::NotOurs { .. } | OutputError::ContainsRoot { .. })) => {
            super::usage_error(&format!("{e}; choose another --out"))
        }
        e => {
            eprintln!("jirei: build failed: {e}; the output was not changed");
            exit::INVALID
        }
    }
}

/// Prints diagnostics the way `jirei check` does, paths relative to the root.
fn print_diagnostics(cli: &Cli, diagnostics: &[Diagnostic], corpus: Option<&corpus::Corpus>) {
    let color = cli.color.for_stdout();
    for d in diagnostics {
        let source = corpus
            .and_then(|c| c.source(&d.path))
            .map(str::to_string)
            .or_else(|| (d.line > 0).then(|| std::fs::read_to_string(&d.path).ok()).flatten());
        let mut shown = d.clone();
        shown.path = display_path(&cli.root, &d.path);
        out!("{}", shown.render(source.as_deref(), color));
    }
}
