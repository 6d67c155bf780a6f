//! Postings of the browser index, computed from the same analysis and the
//! same field texts as the tantivy index ([`FieldTexts`]), with tantivy's
//! position rules (a gap of one between the values of a multi-valued
//! field) and its fieldnorm encoding, so every statistic BM25 needs is
//! exactly what `jirei search` sees.
//!
//! Keys (one string each, the first character says what it is):
//!
//! | key | what | fields |
//! |---|---|---|
//! | `w` term | a word | title, point, tags, names, body |
//! | `x` term ` ` term | two adjacent words | the same |
//! | `r` bigram | a reading bigram | reading |
//! | `R` trigram | two adjacent reading bigrams | reading |
//! | `n` bigram | a character bigram | ngram |
//! | `N` trigram | two adjacent character bigrams | ngram |
//!
//! Adjacent bigrams overlap by one character (`ab`, `bc`), so their pair is
//! written as the trigram `abc`; any other pair as `a b` (terms never
//! contain spaces). A pair's frequency is what a two-term phrase query
//! counts, and `jirei search` matches longer phrases by their pairs
//! (`search::query`), so no positions are shipped at all.
//!
//! Postings accumulate here as `doc delta, tf, fieldnorm id` (varints, the
//! id one byte), then in the body field for words and word pairs the first
//! snippet chunk they occur in; [`super::lists`] turns them into their
//! shipped form.

use rayon::prelude::*;
use tantivy::fieldnorm::FieldNormReader;

use super::Coordination;
use super::encode::push_varint;
use super::lexicon::{Observation, Observations, observe};
use crate::analysis::{Analyzer, TermField};
use crate::index::document::FieldTexts;

/// Field numbers shared with the JS: the five word fields, reading, ngram.
pub const FIELD_NAMES: [&str; 7] = ["title", "point", "tags", "names", "body", "reading", "ngram"];
pub const BODY: usize = 4;
pub const READING: usize = 5;
pub const NGRAM: usize = 6;

use crate::hash::FastMap;

/// Documents analysed per parallel batch (bounds memory at 10,000 cases).
const BATCH: usize = 64;

/// The postings of one key in one field.
#[derive(Debug, Default, Clone)]
pub struct FieldPostings {
    pub df: u32,
    next_doc: u32,
    /// The intermediate form (see the module documentation), replaced by
    /// the shipped one ([`super::lists`]) when the term files are written.
    pub bytes: Vec<u8>,
}

/// Every field in which a key occurs.
#[derive(Debug, Default, Clone)]
pub struct Record {
    pub fields: Vec<(u8, FieldPostings)>,
}

impl Record {
    /// Bit `f` set for each field present.
    pub fn mask(&self) -> u8 {
        self.fields.iter().fold(0, |m, (f, _)| m | (1 << f))
    }
}

/// All postings plus the field statistics.
#[derive(Debug, Default)]
pub struct Postings {
    pub keys: Vec<String>,
    pub records: Vec<Record>,
    /// Total tokens per field (tantivy's `total_num_tokens`).
    pub total_tokens: [u64; 7],
    /// The fieldnorm id of every document in every field.
    pub fieldnorms: [Vec<u8>; 7],
    pub num_docs: u32,
}

/// One field of one document: per distinct key, tf and first chunk.
#[derive(Default)]
struct DocField {
    num_tokens: u32,
    /// The distinct keys, one after the other.
    text: String,
    /// Per distinct key, grouped by merge partition once [`DocField::group`]
    /// has run.
    keys: Vec<DocKey>,
    /// Where each partition's keys start in `keys` (and where the last ends).
    partitions: [u32; PARTITIONS + 1],
}

/// A distinct key of a [`DocField`].
struct DocKey {
    /// Byte range of the key in [`DocField::text`].
    start: u32,
    end: u32,
    hash: u64,
    tf: u32,
    /// The snippet chunk the key first occurs in.
    chunk: u32,
}

impl DocField {
    fn key(&self, k: &DocKey) -> &str {
        &self.text[k.start as usize..k.end as usize]
    }

    /// Counts `key` (hash `hash`) once more, first seen in `chunk`; `seen`
    /// maps key hashes to slots in `keys`.
    fn count(&mut self, seen: &mut FastMap<u64, u32>, key: &str, hash: u64, chunk: u32) {
        let slot = match seen.get(&hash) {
            Some(&slot) if self.key(&self.keys[slot as usize]) == key => Some(slot as usize),
            // Two keys with one hash (rare): look the key up the long way.
            Some(_) => self.keys.iter().position(|k| self.key(k) == key),
            None => None,
        };
        match slot {
            Some(slot) => self.keys[slot].tf += 1,
            None => {
                seen.entry(hash).or_insert(self.keys.len() as u32);
                let start = self.text.len() as u32;
                self.text.push_str(key);
                self.keys.push(DocKey {
                    start,
                    end: self.text.len() as u32,
                    hash,
                    tf: 1,
                    chunk,
                });
            }
        }
    }

    /// Groups the keys by merge partition (each partition then reads only
    /// its own), keeping their order within a partition.
    fn group(&mut self) {
        self.keys.sort_by_key(|k| partition_of(k.hash));
        let mut at = 0;
        for p in 0..PARTITIONS {
            self.partitions[p] = at as u32;
            at += self.keys[at..].iter().take_while(|k| partition_of(k.hash) == p).count();
        }
        self.partitions[PARTITIONS] = at as u32;
    }

    /// The keys of partition `p`.
    fn partition(&self, p: usize) -> &[DocKey] {
        &self.keys[self.partitions[p] as usize..self.partitions[p + 1] as usize]
    }
}

/// The texts of one document to analyse, with its body chunk starts.
pub struct DocInput {
    pub texts: FieldTexts,
    /// Byte offsets in the body where snippet chunks start (first is 0).
    pub chunk_starts: Vec<usize>,
}

/// Analyses documents `0..num_docs` (in parallel batches, merged in
/// document order), noting what the dictionary made of each word for the
/// lexicon. `input(doc)` makes a document's texts when its batch comes, so
/// only a batch's texts are held at once (at 100,000 cases all of them
/// would take about half a gigabyte).
///
/// With a `handoff`, each document's segmentations are offered there as
/// soon as its batch is analysed (see [`Handoff`]). `interrupt` is asked
/// before each batch; when it says stop, the result is `None`.
pub fn build(
    num_docs: usize,
    input: &(dyn Fn(usize) -> DocInput + Sync),
    analyzer: &Analyzer,
    coordination: Coordination<'_>,
    observations: &mut Observations,
) -> Option<Postings> {
    let mut out = Postings {
        num_docs: num_docs as u32,
        ..Postings::default()
    };
    let handoff = coordination.handoff;
    let mut partitions: Vec<Partition> = (0..PARTITIONS).map(|_| Partition::default()).collect();
    for first in (0..num_docs).step_by(BATCH) {
        if coordination.interrupted() {
            return None;
        }
        let end = num_docs.min(first + BATCH);
        let analysed: Vec<([DocField; 7], Vec<Observation>)> = (first..end)
            .into_par_iter()
            .map(|doc| {
                let input = input(doc);
                let analysed = analyse(&input, analyzer);
                if let Some(handoff) = handoff {
                    analyzer.offer(handoff, doc, &input.texts.all());
                }
                analysed
            })
            .collect();
        if let Some(handoff) = handoff {
            handoff.offered_up_to(end);
        }
        let first_doc = first as u32;
        let mut fields = Vec::with_capacity(analysed.len());
        let mut words = Vec::with_capacity(analysed.len());
        for (doc_fields, doc_words) in analysed {
            words.push(doc_words);
            let mut norms = [0u8; 7];
            for (f, field) in doc_fields.iter().enumerate() {
                out.total_tokens[f] += u64::from(field.num_tokens);
                norms[f] = FieldNormReader::fieldnorm_to_id(field.num_tokens);
                out.fieldnorms[f].push(norms[f]);
            }
            fields.push((doc_fields, norms));
        }
        // The lexicon's counts are one map: merged while the partitions are.
        rayon::join(
            || words.into_iter().for_each(|doc_words| observations.add(doc_words)),
            || {
                partitions
                    .par_iter_mut()
                    .enumerate()
                    .for_each(|(p, partition)| partition.add_batch(p, first_doc, &fields))
            },
        );
    }
    for partition in partitions {
        for (key, mut record) in partition.keys.into_iter().zip(partition.records) {
            record.fields.sort_by_key(|(f, _)| *f);
            out.keys.push(key);
            out.records.push(record);
        }
    }
    Some(out)
}

/// Keys are merged in this many partitions (by key hash) in parallel.
const PARTITIONS: usize = 16;

/// The partition of a key hash.
fn partition_of(hash: u64) -> usize {
    (hash >> 59) as usize % PARTITIONS
}

/// The keys of one partition, in order of first appearance.
#[derive(Default)]
struct Partition {
    /// Key hash → id; keys whose hash another key took first are in
    /// `collided` instead.
    index: FastMap<u64, u32>,
    collided: FastMap<String, u32>,
    keys: Vec<String>,
    records: Vec<Record>,
}

impl Partition {
    /// Appends the postings of a batch of documents (numbered from
    /// `first_doc`) for the keys of partition `p`.
    fn add_batch(&mut self, p: usize, first_doc: u32, batch: &[([DocField; 7], [u8; 7])]) {
        for (i, (fields, norms)) in batch.iter().enumerate() {
            let doc = first_doc + i as u32;
            for (f, field) in fields.iter().enumerate() {
                for k in field.partition(p) {
                    self.add(field.key(k), k.hash, f, doc, k.tf, k.chunk, norms[f]);
                }
            }
        }
    }

    /// The id of `key`, added if new.
    fn id(&mut self, key: &str, hash: u64) -> u32 {
        let next = self.keys.len() as u32;
        let id = match self.index.get(&hash) {
            Some(&id) if self.keys[id as usize] == key => return id,
            Some(_) => *self.collided.entry(key.to_string()).or_insert(next),
            None => *self.index.entry(hash).or_insert(next),
        };
        if id == next {
            self.keys.push(key.to_string());
            self.records.push(Record::default());
        }
        id
    }

    #[allow(clippy::too_many_arguments)]
    fn add(&mut self, key: &str, hash: u64, f: usize, doc: u32, tf: u32, chunk: u32, fieldnorm: u8) {
        let id = self.id(key, hash);
        let record = &mut self.records[id as usize];
        let slot = match record.fields.iter().position(|(g, _)| *g as usize == f) {
            Some(slot) => slot,
            None => {
                record.fields.push((f as u8, FieldPostings::default()));
                record.fields.len() - 1
            }
        };
        let postings = &mut record.fields[slot].1;
        push_varint(&mut postings.bytes, u64::from(doc - postings.next_doc));
        push_varint(&mut postings.bytes, u64::from(tf));
        postings.bytes.push(fieldnorm);
        if matches!(key.as_bytes()[0], b'w' | b'x') && f == BODY {
            push_varint(&mut postings.bytes, u64::from(chunk));
        }
        postings.df += 1;
        postings.next_doc = doc;
    }
}

/// The tokens of one field value: (term, position within the value, byte start).
fn tokens(analyzer: &Analyzer, stream: TermField, text: &str) -> Tokens {
    let mut out = Tokens::default();
    analyzer.for_each_term(stream, text, &mut |term, position, start, _| {
        let from = out.text.len();
        out.text.push_str(term);
        out.items.push((from..out.text.len(), position, start));
    });
    out
}

/// The tokens of one field value in one string (one allocation, not one
/// per token): term range, position within the value, byte start.
#[derive(Default)]
struct Tokens {
    text: String,
    items: Vec<(std::ops::Range<usize>, u32, usize)>,
}

/// The fields of one document, and its words for the lexicon. Each text
/// goes through the dictionary once: its word, lexicon, reading and n-gram
/// views share its segmentation (the analyser keeps the last few, more
/// than a document's five texts). The reading and n-gram fields hold the
/// texts [`FieldTexts`] names for them, as in the tantivy document.
fn analyse(doc: &DocInput, analyzer: &Analyzer) -> ([DocField; 7], Vec<Observation>) {
    let t = &doc.texts;
    let mut fields: [DocField; 7] = Default::default();
    let mut words = FastMap::default();
    for (f, text) in t.all().into_iter().enumerate() {
        let values = [tokens(analyzer, TermField::Main, text)];
        observe(analyzer, text, &mut words);
        let chunks = if f == BODY { &doc.chunk_starts[..] } else { &[0][..] };
        fields[f] = field(&values, b'w', b'x', chunks);
    }
    let reading: Vec<_> = t
        .reading_values()
        .iter()
        .map(|v| tokens(analyzer, TermField::Reading, v))
        .collect();
    fields[READING] = field(&reading, b'r', b'R', &[0]);
    let ngram: Vec<_> = t
        .ngram_values()
        .iter()
        .map(|v| tokens(analyzer, TermField::Ngram, v))
        .collect();
    fields[NGRAM] = field(&ngram, b'n', b'N', &[0]);
    (fields, words.into_iter().collect())
}

/// Term and pair keys of a field made of `values`, positioned as tantivy
/// positions them: each value starts one after the end of the previous.
fn field(values: &[Tokens], term_kind: u8, pair_kind: u8, chunk_starts: &[usize]) -> DocField {
    // At most a term and a pair per token: sized once, never rehashed.
    let tokens: usize = values.iter().map(|v| v.items.len()).sum();
    let mut out = DocField {
        keys: Vec::with_capacity(2 * tokens),
        ..DocField::default()
    };
    let mut seen: FastMap<u64, u32> = FastMap::with_capacity_and_hasher(2 * tokens, Default::default());
    let mut offset = 0u32;
    let mut key = String::new();
    let mut add = |out: &mut DocField, key: &str, chunk: u32| out.count(&mut seen, key, key_hash(key), chunk);
    for value in values {
        let mut end = offset;
        let mut previous: Option<(&str, u32, u32)> = None;
        for (range, position, start) in &value.items {
            let term = &value.text[range.clone()];
            let position = offset + position;
            end = end.max(position + 1);
            out.num_tokens += 1;
            let chunk = chunk_starts.partition_point(|&s| s <= *start).saturating_sub(1) as u32;
            key.clear();
            key.push(term_kind as char);
            key.push_str(term);
            add(&mut out, &key, chunk);
            if let Some((before, at, before_chunk)) = previous
                && at + 1 == position
            {
                key.clear();
                push_pair_key(&mut key, pair_kind, before, term);
                add(&mut out, &key, before_chunk);
            }
            previous = Some((term, position, chunk));
        }
        offset = end + 1;
    }
    out.group();
    out
}

/// The hash that picks a key's merge partition.
fn key_hash(key: &str) -> u64 {
    crate::hash::hash_bytes(key.as_bytes())
}

/// The key of two adjacent terms (see the module documentation).
///
/// ```
/// # use jirei::site::search_index::postings::pair_key;
/// assert_eq!(pair_key(b'N', "窓口", "口で"), "N窓口で");
/// assert_eq!(pair_key(b'x', "書く", "ない"), "x書く ない");
/// ```
pub fn pair_key(kind: u8, first: &str, second: &str) -> String {
    let mut out = String::new();
    push_pair_key(&mut out, kind, first, second);
    out
}

fn push_pair_key(out: &mut String, kind: u8, first: &str, second: &str) {
    let mut a = first.chars();
    let mut b = second.chars();
    let overlapping = kind != b'x' && first.chars().count() == 2 && second.chars().count() == 2 && a.nth(1) == b.next();
    out.push(kind as char);
    out.push_str(first);
    match b.next() {
        Some(last) if overlapping => out.push(last),
        _ => {
            out.push(' ');
            out.push_str(second);
        }
    }
}
