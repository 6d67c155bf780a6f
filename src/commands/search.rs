//! `jirei search` and `jirei index`: search the cases from the terminal,
//! (re)building the cached index when the cases have changed.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use clap::Args;

use super::{Cli, exit, usage_error};
use crate::analysis::Analyzer;
use crate::config::Config;
use crate::corpus;
use crate::index::{self, Freshness, SearchIndex};
use crate::search::filter::parse_count;
use crate::search::{self, Filters, Range, SearchRequest, SortOrder};

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words to search for; "quoted" or 「括弧」 for an exact phrase. Empty: list every case that matches the filters.
    #[arg(default_value = "")]
    pub query: String,
    /// Population band id (repeatable: any of them).
    #[arg(long)]
    pub band: Vec<String>,
    /// Category (分類), e.g. 内部DX.
    #[arg(long)]
    pub category: Vec<String>,
    /// Section (節) as written in the cases.
    #[arg(long)]
    pub section: Vec<String>,
    /// Prefecture, full or short name (岡山県, 岡山).
    #[arg(long)]
    pub prefecture: Vec<String>,
    /// 北海道, 東北, 関東, 中部, 近畿, 中国, 四国, 九州・沖縄.
    #[arg(long)]
    pub region: Vec<String>,
    /// Tag (事業内容ラベル), e.g. 窓口改革.
    #[arg(long)]
    pub tag: Vec<String>,
    /// Vendor (サービス提供事業者) as written in the cases.
    #[arg(long)]
    pub vendor: Vec<String>,
    /// e.g. パッケージ／クラウド.
    #[arg(long)]
    pub operation_mode: Vec<String>,
    /// Persons, MIN..MAX (either end may be left out; 万 allowed: 1万..5万).
    #[arg(long, value_name = "MIN..MAX")]
    pub population: Option<Range>,
    /// 千円, MIN..MAX.
    #[arg(long, value_name = "MIN..MAX")]
    pub initial_cost: Option<Range>,
    /// 千円 per year, MIN..MAX.
    #[arg(long, value_name = "MIN..MAX")]
    pub running_cost: Option<Range>,
    /// Months from study to launch, MIN..MAX.
    #[arg(long, value_name = "MIN..MAX")]
    pub lead_time: Option<Range>,
    /// Rank cases of organisations of about this population higher (e.g. 20000 or 2万).
    #[arg(long, value_name = "N", value_parser = parse_population)]
    pub near_population: Option<u64>,
    /// Order of the results; numbers ascending, unknown values last.
    #[arg(long, value_enum, default_value_t = SortOrder::Relevance)]
    pub sort: SortOrder,
    /// How many results to show.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub limit: u16,
    /// Print JSON for tools.
    #[arg(long)]
    pub json: bool,
    /// How long to wait, in seconds, while another jirei process builds
    /// the same collection, when the index has to be rebuilt.
    #[arg(long, value_name = "SECONDS", default_value_t = 120)]
    pub wait: u64,
    /// Search cases marked `draft: true` too (left out by default, as the site leaves them out).
    #[arg(long)]
    pub drafts: bool,
}

fn parse_population(s: &str) -> Result<u64, String> {
    parse_count(s)
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("`{s}` is not a population (e.g. 20000 or 2万)"))
}

#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Rebuild even if the cached index is current.
    #[arg(long)]
    pub force: bool,
    /// Index cases marked `draft: true` too (left out by default, as the site leaves them out).
    #[arg(long)]
    pub drafts: bool,
    /// How long to wait, in seconds, while another jirei process builds
    /// the same collection (see `.jirei-cache/build.lock`).
    #[arg(long, value_name = "SECONDS", default_value_t = 120)]
    pub wait: u64,
}

/// The analyser with the collection's `synonyms.toml` if it has one.
pub fn analyzer_for(root: &Path) -> Result<Analyzer, String> {
    Analyzer::for_collection(root).map_err(|e| e.to_string())
}

/// How the index is to be opened.
struct Opening<'a> {
    /// `jirei index` or `jirei search`, for the lock file.
    what: &'a str,
    force: bool,
    wait: Duration,
    /// Index drafts too (`--drafts`), as `jirei build --drafts` publishes them.
    drafts: bool,
}

/// Opens the index, rebuilding it from the valid cases when needed. A
/// current index is opened without the build lock; a rebuild takes it, then
/// looks again, since the process it waited for may have rebuilt it.
fn open_index(
    root: &Path,
    config: &Config,
    analyzer: &Analyzer,
    opening: &Opening,
) -> Result<(SearchIndex, Freshness), String> {
    if !opening.force
        && let Some(index) = index::open_current(root, analyzer, opening.drafts)
    {
        return Ok((index, Freshness::Reused));
    }
    let _lock = super::take_build_lock(root, opening.what, opening.wait).map_err(|e| e.to_string())?;
    let valid_cases = || {
        let corpus = corpus::load(&root.join("cases"), &config.bands);
        let errors = corpus.diagnostics.iter().filter(|d| d.is_error()).count();
        if errors > 0 {
            eprintln!(
                "jirei: warning: {errors} problem(s) in the cases; invalid cases are not searchable (run `jirei check`)"
            );
        }
        corpus.cases
    };
    let opened = if opening.force {
        index::rebuild(root, analyzer, opening.drafts, valid_cases).map(|index| (index, Freshness::Rebuilt))
    } else {
        index::ensure(root, analyzer, opening.drafts, valid_cases)
    };
    opened.map_err(|e| e.to_string())
}

fn setup(root: &Path) -> Result<(Config, Analyzer), u8> {
    let config = Config::load(root).map_err(|d| {
        eprint!("{}", d.render(None, false));
        exit::INVALID
    })?;
    let analyzer = analyzer_for(root).map_err(|e| {
        eprintln!("jirei: error: {e}");
        exit::INVALID
    })?;
    Ok((config, analyzer))
}

pub fn run_index(cli: &Cli, args: &IndexArgs) -> u8 {
    let (config, analyzer) = match setup(&cli.root) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let started = Instant::now();
    let opening = Opening {
        what: "jirei index",
        force: args.force,
        wait: Duration::from_secs(args.wait),
        drafts: args.drafts,
    };
    match open_index(&cli.root, &config, &analyzer, &opening) {
        Ok((index, freshness)) => {
            let verb = if freshness == Freshness::Rebuilt {
                "indexed"
            } else {
                "index is current:"
            };
            out!(
                "{verb} {} cases in {:.2} s",
                index.num_docs(),
                started.elapsed().as_secs_f64()
            );
            exit::OK
        }
        Err(e) => {
            eprintln!("jirei: error: {e}");
            exit::INVALID
        }
    }
}

pub fn run(cli: &Cli, args: &SearchArgs) -> u8 {
    let (config, analyzer) = match setup(&cli.root) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let opening = Opening {
        what: "jirei search",
        force: false,
        wait: Duration::from_secs(args.wait),
        drafts: args.drafts,
    };
    let index = match open_index(&cli.root, &config, &analyzer, &opening) {
        Ok((index, _)) => index,
        Err(e) => {
            eprintln!("jirei: error: {e}");
            return exit::INVALID;
        }
    };
    let mut request = SearchRequest {
        query: args.query.clone(),
        filters: filters(args),
        sort: args.sort,
        near_population: args.near_population,
        limit: usize::from(args.limit),
    };
    if let Err(e) = search::validate_filters(&mut request.filters, &index, &config.bands) {
        return usage_error(&e.to_string());
    }
    let response = match search::search(&index, &request, &config.facets) {
        Ok(r) => r,
        Err(e) if e.is_user_error() => return usage_error(&e.to_string()),
        Err(e) => {
            eprintln!("jirei: error: {e}");
            return exit::INVALID;
        }
    };
    if args.json {
        match serde_json::to_string_pretty(&response) {
            Ok(json) => out!("{json}"),
            Err(e) => return usage_error(&format!("cannot write JSON: {e}")),
        }
    } else {
        out_raw!(
            "{}",
            super::search_output::render(&response, &config, cli.color.for_stdout())
        );
    }
    exit::OK
}

fn filters(args: &SearchArgs) -> Filters {
    let mut facets = BTreeMap::new();
    let lists = [
        ("band", &args.band),
        ("category", &args.category),
        ("section", &args.section),
        ("prefecture", &args.prefecture),
        ("region", &args.region),
        ("tags", &args.tag),
        ("vendors", &args.vendor),
        ("operation_mode", &args.operation_mode),
    ];
    for (name, values) in lists {
        if !values.is_empty() {
            facets.insert(name.to_string(), values.clone());
        }
    }
    Filters {
        facets,
        population: args.population.unwrap_or_default(),
        initial_cost: args.initial_cost.unwrap_or_default(),
        running_cost: args.running_cost.unwrap_or_default(),
        lead_time: args.lead_time.unwrap_or_default(),
    }
}
