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
use super::lexicon::{Observations, observe_coded};
use super::vocabulary::{Local, Vocabulary};
use crate::analysis::{Analyzer, Gram, TermField};
use crate::hash::FastMap;
use crate::index::document::FieldTexts;

/// Field numbers shared with the JS: the five word fields, reading, ngram.
pub const FIELD_NAMES: [&str; 7] = ["title", "point", "tags", "names", "body", "reading", "ngram"];
pub const BODY: usize = 4;
pub const READING: usize = 5;
pub const NGRAM: usize = 6;

/// Documents analysed per parallel batch. Their keys are held until the
/// batch is merged (bounding memory); a larger batch adds more postings to
/// each key while the merge has its partition's table in cache (10,000
/// cases: the merge took 1.3 s with 64, 0.8 s with 256).
const BATCH: usize = 256;

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

/// A key while the postings are counted, as one number that hashes and
/// compares in a few instructions: its kind letter (bits 120–127) and its
/// term (a term key) or its two terms (a pair key) as [`Part`]s (bits
/// 56–111 and 0–55). In a partition's map bits 112–119 add the field.
type Code = u128;

/// One term of a [`Code`]: the [`Vocabulary`] id of a word; the characters
/// of a reading or n-gram term (one or two, 21 bits each), which need no
/// vocabulary at all; or, for a longer one (the streams make none), its
/// vocabulary id marked by [`INTERNED`].
type Part = u64;

const INTERNED: Part = 1 << 55;

/// The [`Part`] of `term` in a key of `kind`.
fn part(kind: u8, term: &str, vocabulary: &mut Local<'_>) -> Part {
    if !matches!(kind, b'w' | b'x') {
        let mut chars = term.chars();
        if let (Some(a), b, None) = (chars.next(), chars.next(), chars.next())
            && let Some(packed) = packed_chars(a, b)
        {
            return packed;
        }
    }
    Part::from(vocabulary.intern(term)) | if matches!(kind, b'w' | b'x') { 0 } else { INTERNED }
}

/// The [`Part`] of a reading or n-gram term of one or two characters,
/// packed into the number itself; `None` for a NUL character, which
/// [`part_text`] could not tell from a missing second character.
fn packed_chars(first: char, second: Option<char>) -> Option<Part> {
    (first != '\0' && second != Some('\0')).then(|| (Part::from(first) << 21) | second.map_or(0, Part::from))
}

/// The term of a [`Part`] of a key of `kind`.
fn part_text(kind: u8, part: Part, vocabulary: &Vocabulary) -> String {
    if matches!(kind, b'w' | b'x') || part & INTERNED != 0 {
        return vocabulary.string((part & !INTERNED) as u32);
    }
    [(part >> 21) as u32, (part & 0x1F_FFFF) as u32]
        .into_iter()
        .filter(|&c| c != 0)
        .filter_map(char::from_u32)
        .collect()
}

fn term_code(kind: u8, term: Part) -> Code {
    (Code::from(kind) << 120) | (Code::from(term) << 56)
}

fn pair_code(kind: u8, first: Part, second: Part) -> Code {
    term_code(kind, first) | Code::from(second)
}

fn code_kind(code: Code) -> u8 {
    (code >> 120) as u8
}

/// The code of a key in one field (a partition's map key).
fn with_field(code: Code, field: u8) -> Code {
    code | (Code::from(field) << 112)
}

/// The key of a code with its field (see [`with_field`]).
fn without_field(code: Code) -> Code {
    code & !(Code::from(u8::MAX) << 112)
}

/// The key string of `code` (see the module documentation).
fn key_of(code: Code, vocabulary: &Vocabulary) -> String {
    const PART: Code = (1 << 56) - 1;
    let kind = code_kind(code);
    let first = part_text(kind, ((code >> 56) & PART) as Part, vocabulary);
    match kind {
        b'x' | b'R' | b'N' => pair_key(kind, &first, &part_text(kind, (code & PART) as Part, vocabulary)),
        _ => format!("{}{first}", kind as char),
    }
}

/// Where a key first occurred: document, field, and its place among the
/// distinct keys of that field of that document. Keys are written in this
/// order within their partition (see [`finish`]).
type FirstSeen = (u32, u8, u32);

/// One distinct key of one field of a document.
#[derive(Clone, Copy, Default)]
struct DocKey {
    code: Code,
    tf: u32,
    /// The snippet chunk the key first occurs in.
    chunk: u32,
    /// Its place among the field's distinct keys, in order of occurrence.
    place: u32,
    field: u8,
    /// Its merge partition ([`partition_of`]).
    partition: u8,
}

/// The keys of one document, grouped by merge partition (each partition
/// reads only its own), in field and occurrence order within a partition.
struct DocKeys {
    keys: Vec<DocKey>,
    /// Where each partition's keys start in `keys` (and where the last ends).
    partitions: [u32; PARTITIONS + 1],
    num_tokens: [u32; 7],
}

impl Default for DocKeys {
    fn default() -> Self {
        DocKeys {
            keys: Vec::new(),
            partitions: [0; PARTITIONS + 1],
            num_tokens: [0; 7],
        }
    }
}

impl DocKeys {
    /// The keys of partition `p`.
    fn partition(&self, p: usize) -> &[DocKey] {
        &self.keys[self.partitions[p] as usize..self.partitions[p + 1] as usize]
    }

    /// Orders the keys by partition, keeping their order within each.
    fn group(&mut self) {
        let mut starts = [0u32; PARTITIONS + 1];
        for k in &self.keys {
            starts[usize::from(k.partition) + 1] += 1;
        }
        for p in 0..PARTITIONS {
            starts[p + 1] += starts[p];
        }
        self.partitions = starts;
        let mut grouped = vec![DocKey::default(); self.keys.len()];
        for k in &self.keys {
            let at = &mut starts[usize::from(k.partition)];
            grouped[*at as usize] = *k;
            *at += 1;
        }
        self.keys = grouped;
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
///
/// [`Handoff`]: crate::analysis::Handoff
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
    let mut vocabulary = Vocabulary::new();
    let mut words: FastMap<u128, u64> = FastMap::default();
    let mut partitions: Vec<Partition> = (0..PARTITIONS).map(|_| Partition::default()).collect();
    for first in (0..num_docs).step_by(BATCH) {
        let end = num_docs.min(first + BATCH);
        // A stop is noticed between documents, not only between batches.
        let analysed: Option<Vec<Analysed>> = (first..end)
            .into_par_iter()
            .map(|doc| {
                if coordination.interrupted() {
                    return None;
                }
                let input = input(doc);
                let analysed = analyse(&input, analyzer, &mut vocabulary.local());
                if let Some(handoff) = handoff {
                    analyzer.offer(handoff, doc, &input.texts.all());
                }
                Some(analysed)
            })
            .collect();
        let analysed = analysed?;
        if let Some(handoff) = handoff {
            handoff.offered_up_to(end);
        }
        let mut docs = Vec::with_capacity(analysed.len());
        let mut doc_words = Vec::with_capacity(analysed.len());
        for (keys, counts) in analysed {
            doc_words.push(counts);
            let norms = keys.num_tokens.map(FieldNormReader::fieldnorm_to_id);
            for (f, &tokens) in keys.num_tokens.iter().enumerate() {
                out.total_tokens[f] += u64::from(tokens);
                out.fieldnorms[f].push(norms[f]);
            }
            docs.push((keys, norms));
        }
        // The lexicon's counts are one map: merged while the partitions are.
        rayon::join(
            || {
                for (code, n) in doc_words.into_iter().flatten() {
                    *words.entry(code).or_insert(0) += n;
                }
            },
            || {
                partitions
                    .par_iter_mut()
                    .enumerate()
                    .for_each(|(p, partition)| partition.add_batch(p, first as u32, &docs))
            },
        );
    }
    vocabulary.seal();
    observations.add_coded(words, &vocabulary);
    let (keys, records) = finish(partitions, &vocabulary);
    out.keys = keys;
    out.records = records;
    Some(out)
}

/// Keys are merged in this many partitions (by key hash) in parallel:
/// enough that one partition's table of keys stays in a core's cache.
const PARTITIONS: usize = 64;

/// The merge partition of a key while it is counted.
fn partition_of(code: Code) -> usize {
    use std::hash::{BuildHasher, BuildHasherDefault};
    let hash = BuildHasherDefault::<crate::hash::FxHasher>::default().hash_one(code);
    (hash >> 58) as usize % PARTITIONS
}

/// The search data lists keys by this group of their string's hash, then
/// in order of first appearance (see [`finish`]).
fn output_group(key: &str) -> usize {
    (crate::hash::hash_bytes(key.as_bytes()) >> 59) as usize % 16
}

/// The postings of the keys of one partition, per field.
#[derive(Default)]
struct Partition {
    /// Key and field ([`with_field`]) → its postings: the table itself
    /// holds them, so adding a posting reads one entry, not two.
    slots: FastMap<Code, Slot>,
}

/// The postings of one key in one field, and where the key began.
#[derive(Default)]
struct Slot {
    first: FirstSeen,
    postings: FieldPostings,
}

impl Partition {
    /// Appends the postings of a batch of documents (numbered from
    /// `first_doc`) for the keys of partition `p`.
    fn add_batch(&mut self, p: usize, first_doc: u32, batch: &[(DocKeys, [u8; 7])]) {
        for (i, (keys, norms)) in batch.iter().enumerate() {
            let doc = first_doc + i as u32;
            for k in keys.partition(p) {
                self.add(k, doc, norms[usize::from(k.field)]);
            }
        }
    }

    fn add(&mut self, key: &DocKey, doc: u32, fieldnorm: u8) {
        let code = with_field(key.code, key.field);
        let slot = self.slots.entry(code).or_insert_with(|| Slot {
            first: (doc, key.field, key.place),
            postings: FieldPostings::default(),
        });
        let postings = &mut slot.postings;
        push_varint(&mut postings.bytes, u64::from(doc - postings.next_doc));
        push_varint(&mut postings.bytes, u64::from(key.tf));
        postings.bytes.push(fieldnorm);
        if matches!(code_kind(code), b'w' | b'x') && usize::from(key.field) == BODY {
            push_varint(&mut postings.bytes, u64::from(key.chunk));
        }
        postings.df += 1;
        postings.next_doc = doc;
    }

    /// The partition's keys: (first appearance, key string, record).
    fn into_keys(self, vocabulary: &Vocabulary) -> Vec<(FirstSeen, String, Record)> {
        let mut slots: Vec<(Code, Slot)> = self.slots.into_iter().collect();
        slots.sort_unstable_by_key(|(code, _)| (without_field(*code), *code >> 112));
        let mut out: Vec<(FirstSeen, String, Record)> = Vec::new();
        let mut previous = None;
        for (code, slot) in slots {
            let key = without_field(code);
            let field = (code >> 112) as u8;
            if previous != Some(key) {
                out.push((slot.first, key_of(key, vocabulary), Record::default()));
                previous = Some(key);
            }
            if let Some((first, _, record)) = out.last_mut() {
                *first = (*first).min(slot.first);
                record.fields.push((field, slot.postings));
            }
        }
        out
    }
}

/// The keys as strings with their records, in the order the search data
/// has always had: by the partition of the key string's hash, then in
/// order of first appearance (document, field, place), so the output is
/// independent of the vocabulary's ids and of thread scheduling.
fn finish(partitions: Vec<Partition>, vocabulary: &Vocabulary) -> (Vec<String>, Vec<Record>) {
    let mut all: Vec<(usize, FirstSeen, String, Record)> = partitions
        .into_par_iter()
        .flat_map_iter(|partition| {
            partition
                .into_keys(vocabulary)
                .into_iter()
                .map(|(first, key, record)| (output_group(&key), first, key, record))
        })
        .collect();
    all.par_sort_unstable_by_key(|(p, first, _, _)| (*p, *first));
    all.into_iter().map(|(_, _, key, record)| (key, record)).unzip()
}

/// A document's keys, and its words for the lexicon ([`observe_coded`]).
type Analysed = (DocKeys, Vec<(u128, u64)>);

/// The keys of one document, and its words for the lexicon. Each text
/// goes through the dictionary once: its word, lexicon, reading and n-gram
/// views share its segmentation (the analyser keeps the last few, more
/// than a document's five texts). The reading and n-gram fields hold the
/// texts [`FieldTexts`] names for them, as in the tantivy document.
fn analyse(doc: &DocInput, analyzer: &Analyzer, vocabulary: &mut Local<'_>) -> Analysed {
    COUNTER.with_borrow_mut(|counter| analyse_with(doc, analyzer, vocabulary, counter))
}

thread_local! {
    /// The maps of [`analyse`], kept from one document to the next on each
    /// thread so they are not grown again for every document.
    static COUNTER: std::cell::RefCell<Counter> = std::cell::RefCell::default();
}

fn analyse_with(doc: &DocInput, analyzer: &Analyzer, vocabulary: &mut Local<'_>, counter: &mut Counter) -> Analysed {
    let t = &doc.texts;
    let mut out = DocKeys::default();
    counter.words.clear();
    for (f, text) in t.all().into_iter().enumerate() {
        observe_coded(analyzer, text, vocabulary, &mut counter.words);
        let chunks = if f == BODY { &doc.chunk_starts[..] } else { &[0][..] };
        let field = FieldSpec::new(f, TermField::Main, *b"wx");
        counter.field(analyzer, field, &[text], chunks, vocabulary, &mut out);
    }
    let reading = FieldSpec::new(READING, TermField::Reading, *b"rR");
    counter.gram_field(analyzer, reading, &t.reading_values(), vocabulary, &mut out);
    let ngram = FieldSpec::new(NGRAM, TermField::Ngram, *b"nN");
    counter.gram_field(analyzer, ngram, &t.ngram_values(), vocabulary, &mut out);
    out.group();
    (out, counter.words.drain().collect())
}

/// Which field a [`Counter`] counts, and the kinds of its keys.
#[derive(Clone, Copy)]
struct FieldSpec {
    number: u8,
    stream: TermField,
    term_kind: u8,
    pair_kind: u8,
}

impl FieldSpec {
    /// Field `number`, counted from `stream`, its terms and pairs of the
    /// two `kinds` (term kind, then pair kind).
    fn new(number: usize, stream: TermField, [term_kind, pair_kind]: [u8; 2]) -> FieldSpec {
        FieldSpec {
            number: number as u8,
            stream,
            term_kind,
            pair_kind,
        }
    }
}

/// Counts the distinct keys of a field of one document, and its words
/// for the lexicon.
#[derive(Default)]
struct Counter {
    /// Code → index in the document's keys, for the field being counted.
    seen: FastMap<Code, u32>,
    /// The document's words ([`observe_coded`]) and their counts.
    words: FastMap<u128, u64>,
}

impl Counter {
    /// Adds the term and pair keys of a word field made of `values` to
    /// `out`, positioned as tantivy positions them: each value starts one
    /// after the end of the previous.
    fn field(
        &mut self,
        analyzer: &Analyzer,
        spec: FieldSpec,
        values: &[&str],
        chunk_starts: &[usize],
        vocabulary: &mut Local<'_>,
        out: &mut DocKeys,
    ) {
        let mut field = self.start(spec, out);
        let mut offset = 0u32;
        for value in values {
            let mut end = offset;
            let mut previous: Option<(Part, u32, u32)> = None;
            analyzer.for_each_term(spec.stream, value, &mut |term, position, start, _| {
                let id = part(spec.term_kind, term, vocabulary);
                let position = offset + position;
                end = end.max(position + 1);
                let chunk = chunk_starts.partition_point(|&s| s <= start).saturating_sub(1) as u32;
                field.token();
                field.add(term_code(spec.term_kind, id), chunk);
                if let Some((before, at, before_chunk)) = previous
                    && at + 1 == position
                {
                    field.add(pair_code(spec.pair_kind, before, id), before_chunk);
                }
                previous = Some((id, position, chunk));
            });
            offset = end + 1;
        }
    }

    /// [`Counter::field`] for the reading or n-gram field, from the
    /// characters of its terms ([`Gram`]): one chunk, and no term string
    /// made or read back per token.
    fn gram_field(
        &mut self,
        analyzer: &Analyzer,
        spec: FieldSpec,
        values: &[&str],
        vocabulary: &mut Local<'_>,
        out: &mut DocKeys,
    ) {
        let mut field = self.start(spec, out);
        for value in values {
            let mut previous: Option<(Part, u32)> = None;
            let mut each = |gram: Gram| {
                let id = packed_chars(gram.first, gram.second).unwrap_or_else(|| {
                    // As `part` codes it (the streams make no such term).
                    let term = String::from_iter([Some(gram.first), gram.second].into_iter().flatten());
                    part(spec.term_kind, &term, vocabulary)
                });
                field.token();
                field.add(term_code(spec.term_kind, id), 0);
                if let Some((before, at)) = previous
                    && at + 1 == gram.position
                {
                    field.add(pair_code(spec.pair_kind, before, id), 0);
                }
                previous = Some((id, gram.position));
            };
            match spec.stream {
                TermField::Reading => analyzer.for_each_reading_gram(value, &mut each),
                TermField::Ngram => analyzer.for_each_ngram_gram(value, &mut each),
                TermField::Main => unreachable!("the main field is counted by Counter::field"),
            }
        }
    }

    /// Starts counting the field `spec` of the document whose keys `out` holds.
    fn start<'a>(&'a mut self, spec: FieldSpec, out: &'a mut DocKeys) -> FieldCount<'a> {
        self.seen.clear();
        out.num_tokens[usize::from(spec.number)] = 0;
        FieldCount {
            first: out.keys.len(),
            seen: &mut self.seen,
            out,
            spec,
        }
    }
}

/// One field being counted (see [`Counter::start`]).
struct FieldCount<'a> {
    first: usize,
    seen: &'a mut FastMap<Code, u32>,
    out: &'a mut DocKeys,
    spec: FieldSpec,
}

impl FieldCount<'_> {
    /// Counts one more token of the field.
    fn token(&mut self) {
        self.out.num_tokens[usize::from(self.spec.number)] += 1;
    }

    /// Counts `code` once more, first seen in `chunk`.
    fn add(&mut self, code: Code, chunk: u32) {
        let next = self.out.keys.len() as u32;
        let at = *self.seen.entry(code).or_insert(next);
        if at == next {
            self.out.keys.push(DocKey {
                code,
                tf: 1,
                chunk,
                place: next - self.first as u32,
                field: self.spec.number,
                partition: partition_of(code) as u8,
            });
        } else {
            self.out.keys[at as usize].tf += 1;
        }
    }
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
