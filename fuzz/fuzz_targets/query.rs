//! Search queries: the query parser on its own (groups are never empty,
//! words hold no whitespace, an opening quote needs a closing quote after
//! it), filter ranges (`1万..5万`), then the whole search (analysis,
//! synonyms, ranking, facets, snippets) over the bundled cases.
#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use jirei::analysis::Analyzer;
use jirei::case::band::BandScheme;
use jirei::index::SearchIndex;
use jirei::search::filter::Range;
use jirei::search::query::{QueryError, parse};
use jirei::search::{SearchRequest, search};
use libfuzzer_sys::fuzz_target;

/// The repository's collection (cases/, synonyms.toml), indexed in memory once.
static INDEX: LazyLock<SearchIndex> = LazyLock::new(|| {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let analyzer = Analyzer::for_collection(&root).expect("the analyser loads");
    let corpus = jirei::corpus::load(&root.join("cases"), &BandScheme::mic());
    assert!(!corpus.cases.is_empty(), "no cases under {}", root.display());
    SearchIndex::in_memory(&corpus.cases, &analyzer).expect("the index builds")
});

const PAIRS: [(char, char); 2] = [('「', '」'), ('“', '”')];

fuzz_target!(|text: &str| {
    let parsed = parse(text);
    if let Ok(groups) = &parsed {
        for g in groups {
            assert!(!g.text.is_empty() && g.text.trim() == g.text, "{text:?} → {groups:?}");
            assert!(
                g.phrase || !g.text.contains(char::is_whitespace),
                "{text:?} → {groups:?}"
            );
        }
        for (open, close) in PAIRS {
            // Only when no other kind of quote can hide the opening one.
            let others = text
                .chars()
                .any(|c| "\"＂“”「」".contains(c) && c != open && c != close);
            let last_open = text.rfind(open);
            if !others && last_open.is_some_and(|o| !text[o..].contains(close)) {
                panic!("{text:?}: the last {open} is never closed, yet the query parsed as {groups:?}");
            }
        }
    }
    if matches!(parsed, Err(QueryError::TooLong(_))) {
        return;
    }
    std::hint::black_box(text.parse::<Range>().ok());
    let request = SearchRequest {
        query: text.to_string(),
        limit: 5,
        ..SearchRequest::default()
    };
    let facets = vec!["band".to_string(), "prefecture".to_string()];
    if let Err(e) = search(&INDEX, &request, &facets) {
        assert!(e.is_user_error(), "{text:?}: {e}");
    }
});
