//! How well the page splits queries into words without the dictionary.
//!
//! The judged queries must agree exactly (`site_search_agreement.rs`); this
//! measures the general case on every span of one to three words of the
//! bundled titles, points and tags (what people copy into a search box):
//! the page's words must equal the dictionary's wherever it matters — when
//! either side's words all occur in the index (otherwise both match no word
//! field and the queries behave alike). The rate is printed and must stay
//! at or above 97%.

#[path = "client/common.rs"]
mod client;

use std::collections::HashSet;
use std::io::Write;
use std::process::{Command, Stdio};

use client::*;
use jirei::analysis::{Analyzer, MorphemeKind};
use jirei::config::Config;
use jirei::corpus;
use jirei::index::document::FieldTexts;

#[test]
fn page_words_match_the_dictionary_on_97_percent_of_title_and_tag_spans() {
    let collection = bundled_collection();
    let site = build_site(collection.path(), &[]);
    let config = Config::load(collection.path()).expect("config");
    let cases = corpus::load(&collection.path().join("cases"), &config.bands).cases;
    let analyzer = Analyzer::default_embedded().expect("analyzer");
    let mut indexed = HashSet::new();
    let mut spans = Vec::new();
    for case in &cases {
        let texts = FieldTexts::of(case);
        for (field, text) in [&texts.title, &texts.point, &texts.tags, &texts.names, &texts.body]
            .into_iter()
            .enumerate()
        {
            let morphemes = analyzer.morphemes(text);
            indexed.extend(
                morphemes
                    .iter()
                    .filter(|m| m.kind == MorphemeKind::Content)
                    .map(|m| m.term.clone()),
            );
            if field < 3 {
                for width in 1..=3 {
                    for window in morphemes.windows(width) {
                        let words_only = window
                            .iter()
                            .all(|m| matches!(m.kind, MorphemeKind::Content | MorphemeKind::Function));
                        if words_only && window[0].kind == MorphemeKind::Content {
                            spans.push(window.iter().map(|m| m.surface.as_str()).collect::<String>());
                        }
                    }
                }
            }
        }
    }
    spans.sort();
    spans.dedup();
    spans.retain(|s| !s.chars().all(|c| matches!(c, 'ぁ'..='ゖ' | 'ー')));

    let mut child = Command::new(node())
        .arg(repo().join("tests/client/segment.js"))
        .arg(&site)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node runs");
    let input = serde_json::to_vec(&spans).expect("json");
    child.stdin.take().expect("stdin").write_all(&input).expect("write");
    let output = child.wait_with_output().expect("node");
    let page: Vec<Option<Vec<String>>> = serde_json::from_slice(&output.stdout).expect("words");

    let (mut same, mut counted) = (0, 0);
    let mut differences = Vec::new();
    for (span, page_words) in spans.iter().zip(page) {
        let words: Vec<String> = analyzer.analyze(span).into_iter().map(|t| t.text).collect();
        let page_words = page_words.unwrap_or_default();
        let live = |w: &[String]| !w.is_empty() && w.iter().all(|t| indexed.contains(t));
        if !(live(&words) || live(&page_words) || words.is_empty() != page_words.is_empty()) {
            continue;
        }
        counted += 1;
        if words == page_words {
            same += 1;
        } else if differences.len() < 15 {
            differences.push(format!("  {span}: dictionary {words:?}, page {page_words:?}"));
        }
    }
    let rate = f64::from(same) / f64::from(counted.max(1));
    println!(
        "page words equal the dictionary's on {same} of {counted} spans ({:.1}%); e.g.\n{}",
        rate * 100.0,
        differences.join("\n")
    );
    assert!(counted > 1000, "{counted} spans");
    assert!(rate >= 0.97, "{:.1}% < 97%", rate * 100.0);
}
