//! Search over the tantivy index: parse the user's query, apply filters,
//! rank, count facets (disjunctively) and cut snippets. The CLI, the server
//! and the tests all go through [`search`].
//!
//! Facet counts are disjunctive: the counts of a facet are computed with the
//! query and every other facet's filters, but not its own, so a user sees
//! how many results picking another value of that facet would give.

pub mod filter;
pub mod query;
pub mod rank;
pub mod snippet;

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query};
use tantivy::schema::Value;
use tantivy::{DocAddress, Searcher, TantivyDocument};

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
    let searcher = index.reader.searcher();
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
            _ => facet_counts(&searcher, index, &AllQuery, facet)?.into_keys().collect(),
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

/// Runs a search.
pub fn search(index: &SearchIndex, request: &SearchRequest, facets: &[String]) -> Result<SearchResponse, SearchError> {
    let groups = query::parse(&request.query)?;
    let compiled = query::compile(&groups, &index.fields, &index.analyzer)?;
    let text_query: Box<dyn Query> = match &compiled {
        Some(c) => c.query.box_clone(),
        // Every case scores 1 (a bare AllQuery would score 0 next to filters).
        None => Box::new(ConstScoreQuery::new(Box::new(AllQuery), 1.0)),
    };
    let searcher = index.reader.searcher();
    let full = with_filters(text_query.as_ref(), &request.filters, index, None);
    let total = searcher.search(&full, &Count)?;
    let mut ranked = rank_all(&searcher, &full, total)?;
    rank::sort_by(&mut ranked, |r| &r.input, request.sort, request.near_population);
    let words = compiled.map(|c| c.highlight).unwrap_or_default();
    let hits = ranked
        .iter()
        .take(request.limit)
        .map(|r| load_hit(&searcher, index, r, request.near_population, &words))
        .collect::<Result<Vec<Hit>, SearchError>>()?;
    let mut facet_counts_by_name = BTreeMap::new();
    for facet in facets {
        let query = with_filters(text_query.as_ref(), &request.filters, index, Some(facet));
        facet_counts_by_name.insert(facet.clone(), facet_counts(&searcher, index, &query, facet)?);
    }
    Ok(SearchResponse {
        total,
        hits,
        facets: facet_counts_by_name,
    })
}

/// The text query restricted by the filters. Filters select but do not
/// rank: they score zero, so a case's score is its text score whatever
/// the filters (and adding zeros keeps it exact in any order).
fn with_filters(text: &dyn Query, filters: &Filters, index: &SearchIndex, except: Option<&str>) -> BooleanQuery {
    let mut clauses = vec![(Occur::Must, text.box_clone())];
    clauses.extend(
        filters
            .clauses(&index.fields, except)
            .into_iter()
            .map(|(occur, q)| (occur, Box::new(ConstScoreQuery::new(q, 0.0)) as Box<dyn Query>)),
    );
    BooleanQuery::new(clauses)
}

/// Fast-field columns of one segment.
struct SegmentColumns {
    population: tantivy::columnar::Column<u64>,
    initial_cost: tantivy::columnar::Column<u64>,
    lead_time: tantivy::columnar::Column<u64>,
    id_rank: tantivy::columnar::Column<u64>,
}

impl SegmentColumns {
    fn of(searcher: &Searcher, segment: u32) -> tantivy::Result<SegmentColumns> {
        let fast = searcher.segment_reader(segment).fast_fields();
        Ok(SegmentColumns {
            population: fast.u64("population")?,
            initial_cost: fast.u64("initial_cost")?,
            lead_time: fast.u64("lead_time")?,
            id_rank: fast.u64("id_rank")?,
        })
    }
}

/// Every match with what ranking needs, read from fast fields (no stored
/// documents are loaded for hits that will not be shown).
fn rank_all(searcher: &Searcher, query: &dyn Query, total: usize) -> Result<Vec<Ranked>, SearchError> {
    if total == 0 {
        return Ok(Vec::new());
    }
    let scored = searcher.search(query, &TopDocs::with_limit(total).order_by_score())?;
    let mut columns: HashMap<u32, SegmentColumns> = HashMap::new();
    let mut out = Vec::with_capacity(scored.len());
    for (score, address) in scored {
        let segment = address.segment_ord;
        let c = match columns.entry(segment) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => e.insert(SegmentColumns::of(searcher, segment)?),
        };
        let doc = address.doc_id;
        let input = rank::RankInput {
            id_rank: c.id_rank.first(doc).unwrap_or(u64::MAX),
            score,
            population: c.population.first(doc),
            initial_cost: c.initial_cost.first(doc),
            lead_time: c.lead_time.first(doc),
        };
        out.push(Ranked { input, address });
    }
    Ok(out)
}

struct Ranked {
    input: rank::RankInput,
    address: DocAddress,
}

fn load_hit(
    searcher: &Searcher,
    index: &SearchIndex,
    ranked: &Ranked,
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

/// Value → count of one facet over the matches of `query`.
fn facet_counts(
    searcher: &Searcher,
    index: &SearchIndex,
    query: &dyn Query,
    facet: &str,
) -> Result<BTreeMap<String, u64>, SearchError> {
    let Some(field) = index.fields.facet(facet) else {
        return Ok(BTreeMap::new());
    };
    let name = index.index.schema().get_field_name(field).to_string();
    let mut collector = FacetCollector::for_field(name);
    collector.add_facet("/");
    let counts = searcher.search(query, &collector)?;
    Ok(counts
        .get("/")
        .filter_map(|(facet, count)| facet.to_path().first().map(|v| (v.to_string(), count)))
        .collect())
}
