//! The query lexicon: how the browser segments a query without the
//! dictionary.
//!
//! The build runs the dictionary over every word-field text and every
//! synonym phrase and records, for each normalised surface the dictionary
//! produced, its most frequent reading as a term (or that it is a function
//! word) and how often it occurred. The browser splits a query into the
//! sequence of known surfaces with the lowest total cost, where a surface
//! costs `round(8 · ln(total / count))` and an unknown character
//! [`UNKNOWN_COST`] (a unigram model of the dictionary's own output), so
//! frequent words win as they do for the dictionary. A surface the
//! dictionary splits when it stands alone (スマートフォン → スマート|フォン in
//! decompose mode) maps to all its terms.
//!
//! Only terms that occur in the index can match, so a query made of known
//! words is analysed exactly as `jirei search` analyses it unless the
//! dictionary would pick a different split in that context; a word the
//! build never saw becomes an unknown term that matches no word field (as
//! in the CLI, where it is not in the index either), and the n-gram field
//! still finds it. `tests/site_search_agreement.rs` measures both.
//!
//! A surface is sharded by its first two characters (its only character
//! for a one-character surface), so a query of n characters loads at most
//! 2n small shards: every surface that can start at each position.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use super::encode::fnv1a;
use super::vocabulary::{Local, Vocabulary};
use crate::analysis::{Analyzer, MorphemeKind};
use crate::hash::FastMap;

/// The cost of a character no known surface covers.
pub const UNKNOWN_COST: u32 = 240;

/// Target size of one lexicon shard, in bytes.
const SHARD_BYTES: usize = 300;

/// One surface: its cost, its terms (none for a function word), and its
/// reading in the contexts where it differs: (context, terms).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub surface: String,
    pub cost: u32,
    pub terms: Vec<String>,
    pub overrides: Vec<(u8, Vec<String>)>,
}

/// What precedes a word: the start (or a symbol), a function word, a content word.
pub const CONTEXTS: usize = 3;

type Reading = (bool, String);

/// How often the dictionary gave a surface one reading, per context.
#[derive(Debug)]
struct ReadingCount {
    function: bool,
    term: String,
    by_context: [u64; CONTEXTS],
}

impl ReadingCount {
    fn total(&self) -> u64 {
        self.by_context.iter().sum()
    }
}

/// Every reading a surface was seen with (one or two, mostly).
#[derive(Default)]
struct Counts {
    readings: Vec<ReadingCount>,
}

impl Counts {
    /// The reading counted `n` more times in `context`.
    fn add(&mut self, function: bool, term: String, context: usize, n: u64) {
        let at = match self
            .readings
            .iter()
            .position(|r| r.function == function && r.term == term)
        {
            Some(at) => at,
            None => {
                self.readings.push(ReadingCount {
                    function,
                    term,
                    by_context: [0; CONTEXTS],
                });
                self.readings.len() - 1
            }
        };
        self.readings[at].by_context[context] += n;
    }

    /// How often the surface occurred.
    fn total(&self) -> u64 {
        self.readings.iter().map(ReadingCount::total).sum()
    }

    /// The most frequent reading overall, or in one context; of equal
    /// counts, the least reading.
    fn majority(&self, context: Option<usize>) -> Option<(Reading, u64)> {
        let count = |r: &ReadingCount| context.map_or_else(|| r.total(), |c| r.by_context[c]);
        self.readings
            .iter()
            .map(|r| ((r.function, &r.term), count(r)))
            .filter(|(_, n)| *n > 0)
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
            .map(|((function, term), n)| ((function, term.clone()), n))
    }
}

/// One word the dictionary produced: normalised surface, whether it is a
/// function word, its term, its context; and how often.
pub type Observation = ((String, bool, String, u8), u64);

/// Calls `each(surface, function, term, context)` for every word of `text`
/// that takes part in segmentation, in order.
fn for_each_word(analyzer: &Analyzer, text: &str, each: &mut dyn FnMut(&str, bool, &str, u8)) {
    let mut context = 0u8;
    analyzer.for_each_morpheme(text, &mut |surface, kind, term| {
        if !matches!(kind, MorphemeKind::Content | MorphemeKind::Function) {
            context = 0;
            return;
        }
        let function = kind == MorphemeKind::Function;
        each(surface, function, term, context);
        context = if function { 1 } else { 2 };
    });
}

/// The words of `text` that take part in segmentation, added to `out`.
pub fn observe(analyzer: &Analyzer, text: &str, out: &mut FastMap<(String, bool, String, u8), u64>) {
    let mut key = (String::new(), false, String::new(), 0u8);
    for_each_word(analyzer, text, &mut |surface, function, term, context| {
        key.0.clear();
        key.0.push_str(surface);
        key.1 = function;
        key.2.clear();
        key.2.push_str(term);
        key.3 = context;
        match out.get_mut(&key) {
            Some(n) => *n += 1,
            None => {
                out.insert(key.clone(), 1);
            }
        }
    });
}

/// [`observe`] with the surface and term as [`Vocabulary`] ids, one number
/// per word (see [`Observations::add_coded`]): what the postings pass
/// counts for every text, without a string per word.
pub fn observe_coded(analyzer: &Analyzer, text: &str, vocabulary: &mut Local<'_>, out: &mut FastMap<u128, u64>) {
    let empty = vocabulary.intern("");
    for_each_word(analyzer, text, &mut |surface, function, term, context| {
        let surface_id = vocabulary.intern(surface);
        // Most terms are their surface, or empty (function words).
        let term_id = match term {
            "" => empty,
            term if term == surface => surface_id,
            term => vocabulary.intern(term),
        };
        let code = (u128::from(surface_id) << 64)
            | (u128::from(term_id) << 32)
            | (u128::from(function) << 2)
            | u128::from(context);
        *out.entry(code).or_insert(0) += 1;
    });
}

/// What the dictionary made of the collection's texts, counted as the
/// documents are analysed (see [`super::postings`]).
#[derive(Default)]
pub struct Observations {
    counts: FastMap<String, Counts>,
}

impl Observations {
    pub fn add(&mut self, words: impl IntoIterator<Item = Observation>) {
        for ((surface, function, term, context), n) in words {
            let counts = self.counts.entry(surface).or_default();
            counts.add(function, term, usize::from(context), n);
        }
    }

    /// Adds the counts of [`observe_coded`], their ids read in `vocabulary`.
    pub fn add_coded(&mut self, coded: FastMap<u128, u64>, vocabulary: &Vocabulary) {
        self.add(coded.into_iter().map(|(code, n)| {
            let surface = vocabulary.string((code >> 64) as u32);
            let term = vocabulary.string((code >> 32) as u32);
            ((surface, code & 4 != 0, term, (code & 3) as u8), n)
        }));
    }
}

/// Builds the lexicon from what the dictionary made of every case's texts
/// and of the synonym phrases.
pub fn build(observations: Observations, synonym_phrases: &[String], analyzer: &Analyzer) -> Vec<Entry> {
    let per_text = |text: &str| -> Vec<Observation> {
        let mut words = FastMap::default();
        observe(analyzer, text, &mut words);
        words.into_iter().collect()
    };
    let mut observations = observations;
    for phrase in synonym_phrases {
        observations.add(per_text(phrase));
    }
    let mut counts = observations.counts;
    // Every kana letter the texts never used alone, as the dictionary reads
    // it alone (a hiragana query the build never saw is then split into
    // letters the way the dictionary would classify them: じ is a function
    // word, ぴ a noun).
    let kana = ('\u{3041}'..='\u{3096}').chain('\u{30A1}'..='\u{30FA}');
    for letter in kana.map(String::from) {
        if counts.contains_key(&letter) {
            continue;
        }
        if let [((surface, function, term, _), _)] = per_text(&letter).as_slice()
            && *surface == letter
        {
            // Counted once, at the start: the letter alone.
            counts.entry(letter).or_default().add(*function, term.clone(), 0, 1);
        }
    }
    let total: u64 = counts.values().map(Counts::total).sum();
    let mut entries: Vec<Entry> = counts
        .into_par_iter()
        .map(|(surface, c)| {
            let ((function, term), _) = c.majority(None).unwrap_or(((true, String::new()), 0));
            let as_terms = |function: bool, term: String| if function { Vec::new() } else { vec![term] };
            let alone: Vec<String> = if function {
                Vec::new()
            } else {
                analyzer.analyze(&surface).into_iter().map(|t| t.text).collect()
            };
            let split = alone.len() >= 2;
            let mut overrides = Vec::new();
            for context in 0..CONTEXTS {
                if let Some(((f, t), n)) = c.majority(Some(context))
                    && n >= 2
                    && !split
                    && (f, &t) != (function, &term)
                {
                    overrides.push((context as u8, as_terms(f, t)));
                }
            }
            let terms = if split { alone } else { as_terms(function, term) };
            let cost = (8.0 * (total as f64 / c.total() as f64).ln()).round() as u32;
            Entry {
                surface,
                cost,
                terms,
                overrides,
            }
        })
        .collect();
    entries.sort_by(|a, b| a.surface.cmp(&b.surface));
    entries
}

/// The shard of a surface (by its first two characters).
pub fn shard_of(surface: &str, shards: u32) -> u32 {
    let first: String = surface.chars().take(2).collect();
    fnv1a(&first) % shards.max(1)
}

/// One lexicon shard: its surfaces, the synonym alternatives (lists of
/// term sequences, the phrase itself first) of every phrase whose first
/// term one of its surfaces produces, and the readings in context
/// (`[surface, context, term…]`, no term for a function word).
#[derive(Debug, Default)]
pub struct Shard {
    pub entries: Vec<serde_json::Value>,
    pub synonyms: Vec<Vec<Vec<String>>>,
    pub contexts: Vec<serde_json::Value>,
}

/// Splits the lexicon into shards: entries are `[surface, cost]` (function
/// word), `[surface, cost, 1]` (its own term) or `[surface, cost, term…]`.
/// A synonym goes with the surfaces that can produce its first term, so a
/// query finds the synonyms of its words in the shards it loaded anyway.
pub fn shards(entries: &[Entry], synonyms: &[Vec<Vec<String>>]) -> Vec<Shard> {
    let bytes: usize = entries
        .iter()
        .map(|e| e.surface.len() + 6 + e.terms.iter().map(|t| t.len() + 3).sum::<usize>())
        .sum();
    let count = bytes.div_ceil(SHARD_BYTES).max(1) as u32;
    let mut out: BTreeMap<u32, Shard> = (0..count).map(|i| (i, Shard::default())).collect();
    let mut by_term: HashMap<&str, Vec<u32>> = HashMap::new();
    for e in entries {
        for t in &e.terms {
            by_term.entry(t.as_str()).or_default().push(shard_of(&e.surface, count));
        }
        let mut item = vec![serde_json::Value::from(e.surface.as_str()), e.cost.into()];
        if e.terms.len() == 1 && e.terms[0] == e.surface {
            item.push(1.into());
        } else {
            item.extend(e.terms.iter().map(|t| serde_json::Value::from(t.as_str())));
        }
        let shard = out.entry(shard_of(&e.surface, count)).or_default();
        shard.entries.push(serde_json::Value::Array(item));
        for (context, terms) in &e.overrides {
            let mut item = vec![serde_json::Value::from(e.surface.as_str()), (*context).into()];
            item.extend(terms.iter().map(|t| serde_json::Value::from(t.as_str())));
            shard.contexts.push(serde_json::Value::Array(item));
        }
    }
    for alternatives in synonyms {
        let Some(first) = alternatives.first().and_then(|phrase| phrase.first()) else {
            continue;
        };
        let mut targets = by_term.get(first.as_str()).cloned().unwrap_or_default();
        targets.sort_unstable();
        targets.dedup();
        for shard in targets {
            out.entry(shard).or_default().synonyms.push(alternatives.clone());
        }
    }
    out.into_values().collect()
}
