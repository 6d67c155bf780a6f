//! The user's query: parsing what people type (words, 「phrases」, "phrases")
//! and turning it into a tantivy query over the weighted fields.
//!
//! Each whitespace-separated word group must match (AND across groups). A
//! group matches when all its words occur (in any field, weighted), or its
//! text occurs as a substring (character bigrams, low weight), or — for
//! kana-only groups — its reading occurs (so かかないまどぐち finds
//! 書かない窓口). Quoted groups must match as phrases. A phrase of three or
//! more terms (words, bigrams, reading bigrams) is matched by the phrases
//! of its adjacent pairs ([`phrase`]). Synonyms from
//! `synonyms.toml` add alternative phrasings.
//!
//! A group written only in hiragana is matched by its characters and its
//! reading, not by words: the dictionary cannot segment a reading reliably
//! (いくせい becomes いく|せい), and those accidental words matched cases
//! that had nothing to do with the query. Its words still decide whether it
//! is searchable at all (の alone is not).
//!
//! Conjunctions are nested two clauses at a time ([`conjunction`]): tantivy
//! adds the scores of an intersection in an order that depends on posting
//! sizes per segment, and single-precision addition is not associative, so
//! with three or more clauses the same query could score a case differently
//! in another index layout. A sum of two is the same either way round,
//! which makes scores reproducible (the browser search computes them too).

use tantivy::Term;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;

use crate::analysis::{Analyzer, Term as AnalyzedTerm};
use crate::index::schema::{Fields, WeightedField};

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 500;

/// One group of the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub text: String,
    /// Written in quotes: must match as an exact phrase.
    pub phrase: bool,
}

/// Why a query cannot be run; shown to the user as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("the query is {0} characters long; at most {MAX_QUERY_CHARS} are accepted")]
    TooLong(usize),
    #[error("the query has an opening quote {0} without a closing one; close the phrase or remove the quote")]
    UnbalancedQuote(char),
    #[error("the query contains control characters; type it again without them")]
    ControlCharacters,
    #[error("the query `{0}` has no words to search for (only particles, symbols or emoji); add a content word")]
    NothingToSearch(String),
}

const QUOTES: [(char, char); 4] = [('"', '"'), ('「', '」'), ('“', '”'), ('＂', '＂')];

/// Splits a query into groups: quoted phrases and whitespace-separated words.
///
/// ```
/// use jirei::search::query::parse;
/// let groups = parse("「書かない窓口」 RPA").unwrap();
/// assert_eq!(groups.len(), 2);
/// assert!(groups[0].phrase && !groups[1].phrase);
/// ```
pub fn parse(query: &str) -> Result<Vec<Group>, QueryError> {
    let length = query.chars().count();
    if length > MAX_QUERY_CHARS {
        return Err(QueryError::TooLong(length));
    }
    if query.chars().any(|c| c.is_control() && !c.is_whitespace()) {
        return Err(QueryError::ControlCharacters);
    }
    let mut groups = Vec::new();
    let mut chars = query.chars().peekable();
    let mut current = String::new();
    while let Some(c) = chars.next() {
        if let Some((open, close)) = QUOTES.iter().find(|(open, _)| *open == c) {
            push_words(&mut groups, &mut current);
            let mut closed = false;
            let phrase: String = chars
                .by_ref()
                .take_while(|x| {
                    closed = x == close;
                    !closed
                })
                .collect();
            if !closed {
                return Err(QueryError::UnbalancedQuote(*open));
            }
            if !phrase.trim().is_empty() {
                groups.push(Group {
                    text: phrase.trim().to_string(),
                    phrase: true,
                });
            }
        } else if c.is_whitespace() {
            push_words(&mut groups, &mut current);
        } else {
            current.push(c);
        }
    }
    push_words(&mut groups, &mut current);
    Ok(groups)
}

fn push_words(groups: &mut Vec<Group>, current: &mut String) {
    if !current.is_empty() {
        groups.push(Group {
            text: std::mem::take(current),
            phrase: false,
        });
    }
}

/// The analysed query: the tantivy query and the words to highlight.
pub struct CompiledQuery {
    pub query: Box<dyn Query>,
    pub highlight: Vec<String>,
}

/// Builds the tantivy query for the groups; `None` for an empty query.
pub fn compile(groups: &[Group], fields: &Fields, analyzer: &Analyzer) -> Result<Option<CompiledQuery>, QueryError> {
    if groups.is_empty() {
        return Ok(None);
    }
    let mut musts: Vec<Box<dyn Query>> = Vec::new();
    let mut highlight = Vec::new();
    for group in groups {
        let words = analyzer.analyze(&group.text);
        if words.is_empty() {
            // A group of particles next to real words is simply dropped.
            continue;
        }
        if is_hiragana(&group.text) {
            musts.push(group_query(group, &[], fields, analyzer));
            continue;
        }
        highlight.extend(words.iter().map(|t| t.text.clone()));
        let alternatives = analyzer.expand(&words);
        for alternative in alternatives.iter().skip(1) {
            highlight.extend(alternative.iter().map(|t| t.text.clone()));
        }
        musts.push(group_query(group, &alternatives, fields, analyzer));
    }
    if musts.is_empty() {
        let text: Vec<&str> = groups.iter().map(|g| g.text.as_str()).collect();
        return Err(QueryError::NothingToSearch(text.join(" ")));
    }
    highlight.sort();
    highlight.dedup();
    Ok(Some(CompiledQuery {
        query: conjunction(musts),
        highlight,
    }))
}

fn group_query(
    group: &Group,
    alternatives: &[Vec<AnalyzedTerm>],
    fields: &Fields,
    analyzer: &Analyzer,
) -> Box<dyn Query> {
    let mut shoulds: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for words in alternatives {
        let texts: Vec<&str> = words.iter().map(|t| t.text.as_str()).collect();
        shoulds.push((Occur::Should, phrase_in_word_fields(&texts, fields)));
        if !group.phrase && texts.len() > 1 {
            shoulds.push((Occur::Should, all_words_in_word_fields(&texts, fields)));
        }
    }
    let grams = analyzer.ngram_terms(&group.text);
    if let Some(q) = stream_phrase(&grams, fields.ngram_field()) {
        shoulds.push((Occur::Should, q));
    }
    if is_kana(&group.text)
        && let Some(q) = stream_phrase(&analyzer.reading_terms(&group.text), fields.reading_field())
    {
        shoulds.push((Occur::Should, q));
    }
    Box::new(BooleanQuery::new(shoulds))
}

/// The words as a phrase (or one word) in any word field, weighted.
fn phrase_in_word_fields(words: &[&str], fields: &Fields) -> Box<dyn Query> {
    let per_field = fields
        .word_fields()
        .map(|wf| (Occur::Should, weighted(phrase(words, wf.field), wf.weight)));
    Box::new(BooleanQuery::new(per_field.into_iter().collect()))
}

/// Every word somewhere (each in any word field): looser than a phrase.
fn all_words_in_word_fields(words: &[&str], fields: &Fields) -> Box<dyn Query> {
    conjunction(words.iter().map(|w| phrase_in_word_fields(&[w], fields)).collect())
}

/// All of `clauses`, nested two at a time from the right (`a ∧ (b ∧ c)`),
/// so the score is `a + (b + c)` whatever order tantivy visits them in.
pub fn conjunction(mut clauses: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    let Some(mut result) = clauses.pop() else {
        return Box::new(BooleanQuery::new(Vec::new()));
    };
    while let Some(previous) = clauses.pop() {
        result = Box::new(BooleanQuery::new(vec![(Occur::Must, previous), (Occur::Must, result)]));
    }
    result
}

/// The pairs of adjacent terms that cover `n` terms: (0, 1), (2, 3), …,
/// and the last two when one is left over.
///
/// ```
/// use jirei::search::query::pair_starts;
/// assert_eq!(pair_starts(2), [0]);
/// assert_eq!(pair_starts(5), [0, 2, 3]);
/// ```
pub fn pair_starts(n: usize) -> Vec<usize> {
    let mut starts: Vec<usize> = (0..n.saturating_sub(1)).step_by(2).collect();
    if n % 2 == 1 && n > 1 {
        starts.push(n - 2);
    }
    starts
}

/// A phrase of reading or n-gram terms in their field, weighted.
fn stream_phrase(terms: &[AnalyzedTerm], wf: WeightedField) -> Option<Box<dyn Query>> {
    if terms.is_empty() {
        return None;
    }
    let texts: Vec<&str> = terms.iter().map(|t| t.text.as_str()).collect();
    Some(weighted(phrase(&texts, wf.field), wf.weight))
}

/// Terms in a row in one field: a term, a phrase of two, or, for three or
/// more, every two-term phrase that covers them ([`pair_starts`]): the
/// biword method (Manning, Raghavan and Schütze, *Introduction to
/// Information Retrieval*, 2.4.1). 書く ない 窓口 becomes 書く·ない ∧
/// ない·窓口, which finds the phrase and almost never anything else, and
/// whose score needs only how often each pair occurs, so the browser can
/// compute it without the positions of common words.
fn phrase(words: &[&str], field: tantivy::schema::Field) -> Box<dyn Query> {
    match words {
        [one] => Box::new(TermQuery::new(
            Term::from_field_text(field, one),
            IndexRecordOption::WithFreqs,
        )),
        [_, _] => Box::new(PhraseQuery::new(
            words.iter().map(|w| Term::from_field_text(field, w)).collect(),
        )),
        _ => conjunction(
            pair_starts(words.len())
                .into_iter()
                .map(|s| phrase(&words[s..s + 2], field))
                .collect(),
        ),
    }
}

fn weighted(query: Box<dyn Query>, weight: f32) -> Box<dyn Query> {
    if (weight - 1.0).abs() < f32::EPSILON {
        query
    } else {
        Box::new(BoostQuery::new(query, weight))
    }
}

/// Hiragana (and the long-vowel and iteration marks) only.
fn is_hiragana(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| matches!(c, 'ぁ'..='ゖ' | 'ー' | 'ゝ' | 'ゞ'))
}

/// Hiragana, katakana and the long-vowel mark only.
fn is_kana(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| matches!(c, 'ぁ'..='ゖ' | 'ァ'..='ヺ' | 'ー' | 'ｦ'..='ﾟ'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_of_every_kind_make_phrases() {
        for q in ["\"書かない窓口\"", "「書かない窓口」", "“書かない窓口”"] {
            assert_eq!(
                parse(q),
                Ok(vec![Group {
                    text: "書かない窓口".into(),
                    phrase: true
                }]),
                "{q}"
            );
        }
    }

    #[test]
    fn whitespace_including_full_width_separates_groups() {
        let groups = parse("電子申請　RPA  窓口").expect("parses");
        let texts: Vec<&str> = groups.iter().map(|g| g.text.as_str()).collect();
        assert_eq!(texts, ["電子申請", "RPA", "窓口"]);
    }

    #[test]
    fn broken_queries_are_refused_with_a_reason() {
        assert_eq!(parse("\"書かない窓口"), Err(QueryError::UnbalancedQuote('"')));
        assert_eq!(parse("「書かない窓口"), Err(QueryError::UnbalancedQuote('「')));
        assert_eq!(parse(&"あ".repeat(10_000)), Err(QueryError::TooLong(10_000)));
        assert_eq!(parse("窓口\u{7}"), Err(QueryError::ControlCharacters));
        assert_eq!(parse(""), Ok(vec![]));
    }

    #[test]
    fn an_opening_quote_after_the_last_closing_one_is_unbalanced() {
        // Caught by the property of the `query` fuzz target: the check
        // looked for the closing quote anywhere in the query, before the
        // opening one as well.
        assert_eq!(parse("「窓口」「電子"), Err(QueryError::UnbalancedQuote('「')));
        assert_eq!(parse("」窓口「"), Err(QueryError::UnbalancedQuote('「')));
        assert_eq!(parse("\"a\" \"b"), Err(QueryError::UnbalancedQuote('"')));
        assert_eq!(parse("「窓口」「電子」").map(|g| g.len()), Ok(2));
        assert_eq!(parse("」窓口").map(|g| g.len()), Ok(1));
    }

    #[test]
    fn hiragana_groups_are_matched_by_characters_and_reading_only() {
        assert!(is_hiragana("かかないまどぐち"));
        assert!(!is_hiragana("マイナンバー"));
        assert!(!is_hiragana("書かない"));
    }

    #[test]
    fn kana_detection() {
        assert!(is_kana("かかないまどぐち"));
        assert!(is_kana("マイナンバー"));
        assert!(!is_kana("書かない"));
    }
}
