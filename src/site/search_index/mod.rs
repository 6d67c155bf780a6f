//! The browser's search index: everything the search page needs to answer
//! any query exactly as `jirei search` does, computed at build time and
//! shipped as small scripts under `search/` (pages opened from `file://`
//! cannot `fetch()`, so data files are `<script src>`s that call
//! `jireiSearchData(name, …)`; see [`encode`]).
//!
//! # Agreement with the CLI
//!
//! The CLI analyses documents with the dictionary and ranks with tantivy's
//! BM25. The browser cannot run the dictionary, so:
//!
//! * **Documents** are analysed here with the same [`Analyzer`], field
//!   texts ([`FieldTexts`]) and tantivy position and fieldnorm rules
//!   ([`postings`]); the browser gets the resulting statistics, not text.
//! * **Queries** are split the way the CLI splits them (quotes, spaces);
//!   reading and n-gram terms need no dictionary (NFKC, lowercase, kana,
//!   bigrams — the JS mirrors `analysis::normalize` and `analysis::terms`);
//!   words are found with the [`lexicon`] the build learnt from the
//!   dictionary's own output, and synonyms are expanded with the compiled
//!   synonym table (shipped with the lexicon).
//! * **Scoring** reproduces tantivy's in single precision
//!   (`Math.fround` after every operation): `idf = ln(1 + (N − n + 0.5) /
//!   (n + 0.5))`, weight `idf · 2.2 · boost` (a phrase sums its words' idf
//!   first), `score = weight · tf / (tf + 1.2 · (0.25 + 0.75 · norm / avg))`
//!   with tantivy's 256-step fieldnorm table; a union adds its matching
//!   clauses in clause order; `jirei search` nests conjunctions two at a
//!   time and gives filters a zero score, so every sum has one order on
//!   both sides, and matches phrases of three or more terms by their
//!   adjacent pairs, so a phrase needs pair frequencies, not positions.
//!   Scores are then quantized and ties broken by case id, as
//!   [`crate::search::rank`] does.
//!
//! # Files (below `search/`)
//!
//! | file | loaded | content |
//! |---|---|---|
//! | `meta.js` | every search | statistics, constants, facet dimensions |
//! | `l/<n>.js` | per query character | [`lexicon`] shard with the synonyms of its words |
//! | `t/<n>.js`, `p/<n>.js` | per query term | [`shards`] of postings ([`lists`]) |
//! | `z/<field>.js` | with a common word | fieldnorm column of the body or n-gram field |
//! | `f/<facet>.js` | open or filtered facets | facet values and column ([`meta`]) |
//! | `n/<number>.js` | ranges, sorting, peers | number column (with its distinct values when that is smaller) |
//! | `h/<block>/<doc>-<chunk>.js` | per shown result | card and snippet text ([`hits`]) |
//! | `r/<block>.js` | CSV download | CSV rows ([`hits`]) |

pub mod encode;
pub mod hits;
pub mod lexicon;
pub mod lists;
pub mod meta;
pub mod postings;
pub mod shards;
pub mod vocabulary;

use rayon::prelude::*;

use super::collection::Collection;
use super::output::OutputError;
use crate::analysis::{Analyzer, Handoff, Synonyms};
use crate::case::Case;
use crate::config::Config;
use crate::index::CaseSummary;
use crate::index::document::{FieldTexts, body_text, facet_values};
use crate::timing::Phases;
use encode::{Part, script};

/// The folder of the search page and its data, relative to the output root.
pub const SEARCH_DIR: &str = "search";

/// The scripts of the search page, shipped by [`compact_script`].
pub const SCRIPTS: [&str; 3] = ["search-query.js", "search-engine.js", "search-ui.js"];

/// A script as shipped: without whole-line comments and indentation, which
/// document the source but would cost every first search (a third of its
/// bytes). Only lines that begin with `//` or a `/* … */` block are
/// dropped, so code is never touched.
///
/// ```
/// # use jirei::site::search_index::compact_script;
/// let source = "/* doc\n * more */\nfunction f() {\n  // note\n  return 1; // kept\n}\n";
/// assert_eq!(compact_script(source.as_bytes()), b"function f() {\nreturn 1; // kept\n}\n");
/// ```
pub fn compact_script(source: &[u8]) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(source) else {
        return source.to_vec();
    };
    let mut out = String::with_capacity(text.len());
    let mut in_comment = false;
    for line in text.lines() {
        let mut rest = line.trim();
        if in_comment || rest.starts_with("/*") {
            match rest.find("*/") {
                Some(end) => {
                    in_comment = false;
                    rest = rest[end + 2..].trim();
                }
                None => {
                    in_comment = true;
                    continue;
                }
            }
        }
        if rest.is_empty() || rest.starts_with("//") {
            continue;
        }
        out.push_str(rest);
        out.push('\n');
    }
    out.into_bytes()
}

/// Where the data files go: `(path below [`SEARCH_DIR`], bytes)`.
pub type Sink<'a> = dyn Fn(&str, &[u8]) -> Result<(), OutputError> + Sync + 'a;

/// What a build of the search data shares with the work around it.
#[derive(Default, Clone, Copy)]
pub struct Coordination<'a> {
    /// Segmentations are offered here for the search index built at the
    /// same time (`jirei build`).
    pub handoff: Option<&'a Handoff>,
    /// Asked before each batch of documents is analysed, the bulk of the
    /// work; when it returns `true` the build stops before any file is
    /// written (`jirei serve`, when a newer save is waiting).
    pub interrupt: Option<&'a (dyn Fn() -> bool + Sync)>,
}

impl Coordination<'_> {
    fn interrupted(&self) -> bool {
        self.interrupt.is_some_and(|stop| stop())
    }
}

/// Writes data file `name.js` calling `jireiSearchData(name, parts…)`.
fn emit(sink: &Sink<'_>, name: &str, parts: &[Part<'_>]) -> Result<(), OutputError> {
    sink(&format!("{name}.js"), &script(name, parts))
}

/// Builds every data file of the search page and hands each to `sink` as
/// soon as it is made (at 10,000 cases they add up to hundreds of MB).
///
/// `cases` are the published cases in the collection's order (by id).
/// `coordination` says what runs beside the build (see [`Coordination`]);
/// an interrupted build returns [`OutputError::Interrupted`] before
/// handing any file to `sink`.
pub fn build(
    cases: &[&Case],
    collection: &Collection,
    config: &Config,
    synonyms: &Synonyms,
    analyzer: &Analyzer,
    coordination: Coordination<'_>,
    sink: &Sink<'_>,
) -> Result<(), OutputError> {
    let mut phases = Phases::start();
    // Made per analysis batch, and the body again for the hit files: held
    // for every case, the texts would take about 0.5 GB at 100,000 cases.
    let input = |doc: usize| {
        let texts = FieldTexts::of(cases[doc]);
        let chunk_starts = hits::chunk_starts(&texts.body);
        postings::DocInput { texts, chunk_starts }
    };
    let mut observations = lexicon::Observations::default();
    let mut postings = postings::build(cases.len(), &input, analyzer, coordination, &mut observations)
        .ok_or(OutputError::Interrupted)?;
    phases.mark("postings");
    let phrases: Vec<String> = synonyms.phrases().into_iter().map(str::to_string).collect();
    let lexicon = lexicon::build(observations, &phrases, analyzer);
    let synonym_table: Vec<Vec<Vec<String>>> = analyzer
        .synonyms()
        .entries()
        .into_iter()
        .map(|(_, alternatives)| alternatives.to_vec())
        .collect();
    let lexicon_shards = lexicon::shards(&lexicon, &synonym_table);
    phases.mark("lexicon");
    for (i, shard) in lexicon_shards.iter().enumerate() {
        let parts = [
            Part::json(&shard.entries),
            Part::json(&shard.synonyms),
            Part::json(&shard.contexts),
        ];
        emit(sink, &format!("l/{i}"), &parts)?;
    }
    let term_shards = shards::term_files(&mut postings, sink)?;
    phases.mark("term files");
    for f in [postings::BODY, postings::NGRAM] {
        emit(
            sink,
            &format!("z/{f}"),
            &[Part::Bytes(&lists::column(&postings.fieldnorms[f]))],
        )?;
    }

    let values: Vec<[Vec<String>; 8]> = cases.iter().map(|c| facet_values(c)).collect();
    let facets = meta::facet_columns(&values, &config.bands);
    let summaries: Vec<CaseSummary> = cases.iter().map(|c| CaseSummary::of(c)).collect();
    let numbers = meta::number_columns(&summaries);
    for f in &facets {
        let parts = [Part::Bytes(&f.bytes), Part::json(&f.values), Part::json(&f.labels)];
        emit(sink, &format!("f/{}", f.name), &parts)?;
    }
    for n in &numbers {
        match &n.dictionary {
            Some(values) => emit(
                sink,
                &format!("n/{}", n.name),
                &[Part::Bytes(&n.bytes), Part::Bytes(values)],
            )?,
            None => emit(sink, &format!("n/{}", n.name), &[Part::Bytes(&n.bytes)])?,
        }
    }
    phases.mark("facets");
    collection.cases.par_iter().enumerate().try_for_each(|(doc, case)| {
        // The body again (see `input`): the other texts are not needed here.
        let body = body_text(cases[doc]);
        for (path, bytes) in hits::hit_files(doc, case, &body, &hits::chunk_starts(&body)) {
            sink(&path, &bytes)?;
        }
        Ok(())
    })?;
    phases.mark("hit files");
    for (path, bytes) in hits::row_files(&collection.cases, &collection.settings.base_url) {
        sink(&path, &bytes)?;
    }
    let meta = meta::meta(&meta::MetaInput {
        postings: &postings,
        facets: &facets,
        shown_facets: &config.facets,
        numbers: &numbers,
        term_shards,
        lexicon_shards: lexicon_shards.len() as u32,
        hit_block: hits::HIT_BLOCK,
        row_block: hits::ROW_BLOCK,
    });
    emit(sink, "meta", &[Part::Json(meta)])?;
    phases.mark("rows, meta");
    phases.report("search data");
    Ok(())
}
