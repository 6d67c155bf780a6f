//! Relevance of search over the bundled cases: recall@10 and MRR for the
//! judged queries in `tests/relevance/queries.toml`. Fails under recall@10 0.95.

use std::collections::BTreeMap;
use std::path::Path;

use jirei::analysis::Analyzer;
use jirei::config::Config;
use jirei::corpus;
use jirei::index::SearchIndex;
use jirei::search::{self, Filters, SearchRequest};
#[path = "relevance/judgments.rs"]
mod judgments;

use judgments::Judged;

/// The search request of a judged query.
fn request(judged: &Judged) -> SearchRequest {
    let facets = judged
        .facets()
        .into_iter()
        .map(|(name, values)| (name.to_string(), values.clone()))
        .collect();
    let population = judged
        .population
        .as_deref()
        .map(|p| p.parse().expect("range"))
        .unwrap_or_default();
    SearchRequest {
        query: judged.q.clone(),
        filters: Filters {
            facets,
            population,
            ..Filters::default()
        },
        limit: 10,
        ..SearchRequest::default()
    }
}

#[test]
fn recall_at_10_is_at_least_095_over_the_judged_queries() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let judgments = judgments::load();
    let config = Config::load(root).expect("config");
    let corpus = corpus::load(&root.join("cases"), &config.bands);
    assert!(!corpus.has_errors(), "the bundled cases must be valid");
    let analyzer = Analyzer::default_embedded().expect("analyzer");
    let index = SearchIndex::in_memory(&corpus.cases, &analyzer).expect("index");

    let (mut recall_sum, mut rr_sum) = (0.0, 0.0);
    let mut report = String::new();
    let mut by_kind: BTreeMap<&str, (f64, usize)> = BTreeMap::new();
    for judged in &judgments {
        let response = search::search(&index, &request(judged), &[]).expect("search runs");
        let top: Vec<&str> = response.hits.iter().map(|h| h.id.as_str()).collect();
        let found = judged.relevant.iter().filter(|r| top.contains(&r.as_str())).count();
        let recall = found as f64 / judged.relevant.len().min(10) as f64;
        let first = top.iter().position(|id| judged.relevant.iter().any(|r| r == id));
        let rr = first.map_or(0.0, |p| 1.0 / (p as f64 + 1.0));
        recall_sum += recall;
        rr_sum += rr;
        let entry = by_kind.entry(judged.kind.as_str()).or_default();
        entry.0 += recall;
        entry.1 += 1;
        if recall < 1.0 {
            let missing: Vec<&String> = judged.relevant.iter().filter(|r| !top.contains(&r.as_str())).collect();
            report.push_str(&format!(
                "  {:?} ({}) recall {recall:.2}: missing {missing:?}, got {top:?}\n",
                judged.q, judged.kind
            ));
        }
    }
    let n = judgments.len() as f64;
    let (recall, mrr) = (recall_sum / n, rr_sum / n);
    println!(
        "relevance over {} queries: recall@10 {recall:.3}, MRR {mrr:.3}",
        judgments.len()
    );
    for (kind, (sum, count)) in &by_kind {
        println!("  {kind:<11} {count:>2} queries, recall@10 {:.3}", sum / *count as f64);
    }
    print!("{report}");
    assert!(judgments.len() >= 40, "the set must have at least 40 queries");
    assert!(recall >= 0.95, "recall@10 {recall:.3} < 0.95\n{report}");
}
