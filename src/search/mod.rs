//! Search over the tantivy index: parse the user's query, apply filters,
//! rank, count facets (disjunctively) and cut snippets. The CLI, the server
//! and the tests all go through [`search`].
//!
//! Facet counts are disjunctive: the counts of a facet are computed with the
//! query and every other facet's filters, but not its own, so a user sees
//! how many results picking another value of that facet would give.

pub mod collect;
pub mod filter;
pub mod query;
pub mod rank;
pub mod snippet;

use std::collections::BTreeMap;

use serde::Serialize;
use tantivy::query::{AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query};
use tantivy::schema::Value;
use tantivy::{Searcher, TantivyDocument};

use crate::case::band::BandScheme;
use crate::case::place::{Prefecture, REGIONS};
use crate::diagnostic::did_you_mean;
use crate::index::schema::FACETS;
use crate::index::{CaseSummary, SearchIndex};
pub use filter::{Filters, Range};
pub use query::QueryError;
pub use rank::SortOrder;

/// One search as asked.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    pub query: String,
    pub filters: Filters,
    pub sort: SortOrder,
    /// Rank cases of a population like this higher.
    pub near_population: Option<u64>,
    pub limit: usize,
}

/// The answer, shaped like `jirei search --json`.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResponse {
    pub total: usize,
    pub hits: Vec<Hit>,
    /// Facet → value → count (disjunctive).
    pub facets: BTreeMap<String, BTreeMap<String, u64>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub id: String,
    pub title: String,
    pub organization: String,
    pub prefecture: String,
    pub population: Option<u64>,
    pub band: Option<String>,
    pub initial_cost: Option<u64>,
    pub running_cost: Option<u64>,
    pub lead_time_months: Option<u32>,
    pub score: f64,
    /// HTML: the passage with `<mark>` around matched words, the rest escaped.
    pub snippet: String,
    #[serde(skip)]
    pub summary: CaseSummary,
    #[serde(skip)]
    pub snippet_parts: snippet::Snippet,
}

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error(transparent)]
    Query(#[from] QueryError),
    #[error("{message}")]
    Filter { message: String },
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
}

impl SearchError {
    /// Whether the user asked for something impossible (as opposed to a broken index).
    pub fn is_user_error(&self) -> bool {
        !matches!(self, SearchError::Index(_))
    }
}

/// Checks filter values and normalises them (`大阪` → `大阪府`), so a typo
/// is an error with a suggestion rather than an empty result.
pub fn validate_filters(filters: &mut Filters, index: &SearchIndex, bands: &BandScheme) -> Result<(), SearchError> {
    const FIXED: [&str; 3] = ["band", "region", "prefecture"];
    let counted: Vec<String> = filters
        .facets
        .keys()
        .filter(|f| !FIXED.contains(&String::as_str(f)))
        .cloned()
        .collect();
    let mut in_use = if counted.is_empty() {
        Vec::new()
    } else {
        values_in_use(&index.reader.searcher(), index, &counted)?
    };
    for (facet, values) in filters.facets.iter_mut() {
        if !FACETS.contains(&facet.as_str()) {
            return Err(filter_error(
                format!("`{facet}` is not a facet"),
                did_you_mean(facet, FACETS),
            ));
        }
        let known: Vec<String> = match facet.as_str() {
            "band" => bands.bands().iter().map(|b| b.id.clone()).collect(),
            "region" => REGIONS.iter().map(|r| r.to_string()).collect(),
            "prefecture" => Prefecture::all_names().map(str::to_string).collect(),
            _ => counted
                .iter()
                .position(|f| f == facet)
                .map(|i| std::mem::take(&mut in_use[i]).into_keys().collect())
                .unwrap_or_default(),
        };
        for value in values.iter_mut() {
            if facet == "prefecture"
                && let Some(p) = Prefecture::from_name(value)
            {
                *value = p.name().to_string();
            }
            if !known.contains(value) {
                let hint = did_you_mean(value, known.iter().map(String::as_str));
                return Err(filter_error(format!("no case has {facet} `{value}`"), hint));
            }
        }
    }
    Ok(())
}

fn filter_error(message: String, suggestion: Option<&str>) -> SearchError {
    let message = match suggestion {
        Some(s) => format!("{message} (did you mean `{s}`?)"),
        None => message,
    };
    SearchError::Filter { message }
}

/// Runs a search: one pass over the matches of the text query finds the
/// hits and counts the facets ([`collect`]); only the hits shown are loaded.
pub fn search(index: &SearchIndex, request: &SearchRequest, facets: &[String]) -> Result<SearchResponse, SearchError> {
    let groups = query::parse(&request.query)?;
    let compiled = query::compile(&groups, &index.fields, &index.analyzer)?;
    let text_query: Box<dyn Query> = match &compiled {
        Some(c) => c.query.box_clone(),
        // Every case scores 1 (a bare AllQuery would score 0 next to filters).
        None => Box::new(ConstScoreQuery::new(Box::new(AllQuery), 1.0)),
    };
    // The same top-level shape as a filtered query without filters, so a
    // case scores exactly what it would with the filters as zero-scoring
    // clauses (its text score plus zeros).
    let top = BooleanQuery::new(vec![(Occur::Must, text_query)]);
    let searcher = index.reader.searcher();
    let pass = collect::Pass::new(index, &request.filters, facets).keep_matches();
    let found = searcher.search(&top, &pass)?;
    let mut ranked = found.matches;
    let total = ranked.len();
    rank::sort_by(&mut ranked, |r| &r.input, request.sort, request.near_population);
    let words = compiled.map(|c| c.highlight).unwrap_or_default();
    let hits = ranked
        .iter()
        .take(request.limit)
        .map(|r| load_hit(&searcher, index, r, request.near_population, &words))
        .collect::<Result<Vec<Hit>, SearchError>>()?;
    let mut facet_counts_by_name = BTreeMap::new();
    for (facet, counts) in facets.iter().zip(found.facets) {
        // A facet named twice keeps its first counts (the later ones lack
        // the documents that fail only its filter).
        facet_counts_by_name.entry(facet.clone()).or_insert(counts);
    }
    Ok(SearchResponse {
        total,
        hits,
        facets: facet_counts_by_name,
    })
}

fn load_hit(
    searcher: &Searcher,
    index: &SearchIndex,
    ranked: &collect::Ranked,
    near: Option<u64>,
    words: &[String],
) -> Result<Hit, SearchError> {
    let doc: TantivyDocument = searcher.doc(ranked.address)?;
    let text = |field| {
        doc.get_first(field)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let summary: CaseSummary = serde_json::from_str(&text(index.fields.summary))
        .map_err(|e| tantivy::TantivyError::InternalError(format!("stored summary: {e}")))?;
    let snippet = snippet::make(&text(index.fields.body_text), words, &index.analyzer);
    Ok(Hit {
        id: summary.id.clone(),
        title: summary.title.clone(),
        organization: summary.organization.clone(),
        prefecture: summary.prefecture.clone(),
        population: summary.population,
        band: summary.band.clone(),
        initial_cost: summary.initial_cost,
        running_cost: summary.running_cost,
        lead_time_months: summary.lead_time_months,
        score: rank::relevance(&ranked.input, near) as f64 / 10_000.0,
        snippet: snippet.to_html(),
        summary,
        snippet_parts: snippet,
    })
}

/// The values of `facets` that some case has, with their counts.
fn values_in_use(
    searcher: &Searcher,
    index: &SearchIndex,
    facets: &[String],
) -> Result<Vec<BTreeMap<String, u64>>, SearchError> {
    let pass = collect::Pass::new(index, &Filters::default(), facets);
    Ok(searcher.search(&AllQuery, &pass)?.facets)
}
