//! Japanese text analysis: the one pipeline that turns text into search
//! terms, shared by documents and queries everywhere (CLI search, the tantivy
//! index, and the precomputed terms of the browser index). Because every
//! consumer calls the same functions, a query matches a document exactly
//! when their terms match; term strings depend only on the input text and
//! the embedded dictionary, so they are deterministic and self-contained.
//!
//! This module owns normalisation, segmentation (lindera with the embedded
//! IPADIC), term filtering, readings, n-grams, synonyms and the tantivy
//! tokenizers. It knows nothing about cases, fields or the index schema.
//! A [`Handoff`] lets one pass over a collection reuse the segmentations of
//! another running beside it (`jirei build`: the site's search data and the
//! tantivy index).
//!
//! # The three term streams
//!
//! * [`Analyzer::analyze`]: words. NFKC + lowercase, IPADIC in decompose mode
//!   (関西国際空港 → 関西|国際|空港), base forms of inflected words
//!   (書かない → 書く|ない), katakana stem (コンピューター → コンピュータ),
//!   particles, most auxiliary verbs (not the negation ない), symbols and
//!   whitespace removed. Positions are consecutive, with a gap of one after
//!   a sentence end, so phrase queries match adjacent words in one sentence.
//! * [`Analyzer::reading_terms`]: bigrams of the katakana reading of the
//!   text (long-vowel marks removed), so かかないまどぐち finds 書かない窓口.
//!   A hiragana query cannot be segmented reliably, so instead of per-word
//!   readings the readings are concatenated per sentence and indexed as
//!   overlapping bigrams; a kana query then matches, as a phrase of bigrams,
//!   exactly the documents whose reading contains it. Kana surfaces are
//!   converted directly rather than looked up, so the reading terms of a
//!   kana-only query do not depend on the dictionary at all (hiragana →
//!   katakana, drop ー and symbols, bigrams): a browser client can compute
//!   them without lindera.
//! * [`Analyzer::ngram_terms`]: character bigrams of the normalised text for
//!   partial words (メタバ finds メタバース); meant for a low-weight field.
//!
//! # Synonyms
//!
//! Synonyms (see [`Synonyms`] and `synonyms.toml`) are applied at query
//! time with [`Analyzer::expand`]: a query expands into alternative phrases
//! that the query parser ORs. Query-time expansion keeps phrases exact
//! (マイナカード ↔ マイナンバーカード have different term counts, which
//! index-time injection cannot represent at the same positions), lets
//! editors change the list without rebuilding the index, and keeps the
//! index (and the browser index) free of synthetic terms.

pub mod dictionary;
mod error;
mod expand;
mod handoff;
pub mod kana;
mod morph;
pub mod normalize;
mod synonyms;
mod terms;
mod tokenizer;

#[cfg(test)]
mod tests;

use std::sync::Arc;

use lindera::segmenter::Segmenter;

pub use error::{AnalysisError, SourceLocation};
pub use expand::{MAX_ALTERNATIVES, SynonymTable};
pub use handoff::{Closing, Handoff, HandoffStats};
pub use morph::Kind as MorphemeKind;
pub use synonyms::{OneWay, Phrase, Synonyms};
pub use terms::{Gram, Sink, Term};
pub use tokenizer::{JaTokenStream, JaTokenizer, register_tokenizers};

use morph::Morphs;
use normalize::Normalized;

/// Which term stream to produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TermField {
    /// Words: [`Analyzer::analyze`].
    Main,
    /// Reading bigrams: [`Analyzer::reading_terms`].
    Reading,
    /// Character bigrams: [`Analyzer::ngram_terms`].
    Ngram,
}

impl TermField {
    /// All streams.
    pub const ALL: [TermField; 3] = [TermField::Main, TermField::Reading, TermField::Ngram];

    /// The tantivy tokenizer name registered for this stream.
    ///
    /// ```
    /// use jirei::analysis::TermField;
    /// assert_eq!(TermField::Reading.tokenizer_name(), "ja_reading");
    /// ```
    pub fn tokenizer_name(self) -> &'static str {
        match self {
            TermField::Main => "ja",
            TermField::Reading => "ja_reading",
            TermField::Ngram => "ja_ngram",
        }
    }
}

/// One token of an analysed text as the dictionary segmented it: what a
/// client without the dictionary needs to learn to segment queries the same
/// way (see [`Analyzer::morphemes`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Morpheme {
    /// The surface in the normalised text (empty for a line-break sentence end).
    pub surface: String,
    /// How the token takes part in the term streams.
    pub kind: MorphemeKind,
    /// The search term of a content word (base form, katakana stem); empty
    /// for other kinds.
    pub term: String,
}

/// The analyser: cheap to clone, shareable across threads; the dictionary
/// is loaded once per process.
///
/// ```
/// use jirei::analysis::Analyzer;
/// let analyzer = Analyzer::default_embedded().unwrap();
/// let words: Vec<String> = analyzer.analyze("関西国際空港で書かない窓口を導入した")
///     .into_iter().map(|t| t.text).collect();
/// assert_eq!(words, ["関西", "国際", "空港", "書く", "ない", "窓口", "導入", "する"]);
/// ```
#[derive(Clone)]
pub struct Analyzer {
    inner: Arc<Inner>,
    /// Where texts analysed by another pass may be waiting (see [`Handoff`]).
    handoff: Option<Arc<Handoff>>,
}

struct Inner {
    segmenter: &'static Segmenter,
    synonyms: SynonymTable,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer")
            .field("synonyms", &self.inner.synonyms)
            .finish_non_exhaustive()
    }
}

impl Analyzer {
    /// Builds an analyser with the given synonyms, analysing each synonym
    /// phrase with the same pipeline as documents.
    ///
    /// ```
    /// use jirei::analysis::{Analyzer, Synonyms};
    /// let analyzer = Analyzer::new(Synonyms::empty()).unwrap();
    /// assert_eq!(analyzer.analyze("テレワーク")[0].text, "テレワーク");
    /// ```
    pub fn new(synonyms: Synonyms) -> Result<Analyzer, AnalysisError> {
        let segmenter = dictionary::segmenter()?;
        let table = SynonymTable::compile(&synonyms, |phrase| {
            let mut words = Vec::new();
            terms::main_terms(&Morphs::analyse(segmenter, phrase), &mut |text, _, _, _| {
                words.push(text.to_owned())
            });
            words
        })?;
        Ok(Analyzer {
            inner: Arc::new(Inner {
                segmenter,
                synonyms: table,
            }),
            handoff: None,
        })
    }

    /// This analyser, taking the segmentation of a text from `handoff`
    /// when another pass offered it there (the result is the same).
    pub fn taking_from(&self, handoff: Arc<Handoff>) -> Analyzer {
        Analyzer {
            inner: Arc::clone(&self.inner),
            handoff: Some(handoff),
        }
    }

    /// Offers the segmentations of document `doc`'s `texts`, analysed on
    /// this thread just before, to whoever takes from `handoff`. Empty and
    /// repeated texts are left out, as are texts no longer in this
    /// thread's recent analyses (the taker then segments them itself).
    pub fn offer(&self, handoff: &Handoff, doc: usize, texts: &[&str]) {
        let mut offered: Vec<(Box<str>, Arc<Morphs>)> = Vec::with_capacity(texts.len());
        for &text in texts {
            if text.is_empty() || offered.iter().any(|(t, _)| **t == *text) {
                continue;
            }
            if let Some(morphs) = Morphs::recent(text) {
                offered.push((text.into(), morphs));
            }
        }
        handoff.offer(doc, offered);
    }

    /// The embedded dictionary with the synonym list shipped with jirei.
    pub fn default_embedded() -> Result<Analyzer, AnalysisError> {
        Analyzer::new(Synonyms::builtin()?)
    }

    /// The analyser of a collection: its `synonyms.toml` when it has one,
    /// else the built-in list (see [`Synonyms::for_collection`]).
    pub fn for_collection(root: &std::path::Path) -> Result<Analyzer, AnalysisError> {
        Analyzer::new(Synonyms::for_collection(root)?)
    }

    /// The words of `text` (see the [module documentation](self)).
    pub fn analyze(&self, text: &str) -> Vec<Term> {
        self.collect(TermField::Main, text)
    }

    /// Bigrams of the katakana reading of `text`.
    ///
    /// ```
    /// # let analyzer = jirei::analysis::Analyzer::default_embedded().unwrap();
    /// let terms: Vec<String> = analyzer.reading_terms("窓口").into_iter().map(|t| t.text).collect();
    /// assert_eq!(terms, ["マド", "ドグ", "グチ"]);
    /// ```
    pub fn reading_terms(&self, text: &str) -> Vec<Term> {
        self.collect(TermField::Reading, text)
    }

    /// Character bigrams of the normalised text.
    ///
    /// ```
    /// # let analyzer = jirei::analysis::Analyzer::default_embedded().unwrap();
    /// let terms: Vec<String> = analyzer.ngram_terms("ＤＸ推進").into_iter().map(|t| t.text).collect();
    /// assert_eq!(terms, ["dx", "x推", "推進"]);
    /// ```
    pub fn ngram_terms(&self, text: &str) -> Vec<Term> {
        self.collect(TermField::Ngram, text)
    }

    /// Streams the terms of one field to `sink` (text, position, original
    /// byte start, original byte end) without allocating per term. The text
    /// passed to the sink is only valid during the call.
    pub fn for_each_term(&self, field: TermField, text: &str, sink: &mut Sink<'_>) {
        match field {
            TermField::Main => terms::main_terms(&self.morphs(text), sink),
            TermField::Reading => terms::reading_terms(&self.morphs(text), sink),
            // The n-gram field holds texts the main fields just analysed:
            // their normalisation is reused (it is the same either way).
            TermField::Ngram => with_normalized(text, |normalized| terms::ngram_terms(normalized, sink)),
        }
    }

    /// The reading stream of `text` as [`Gram`]s: the terms
    /// [`reading_terms`](Self::reading_terms) gives, as characters.
    pub fn for_each_reading_gram(&self, text: &str, sink: &mut dyn FnMut(Gram)) {
        terms::reading_grams(&self.morphs(text), sink);
    }

    /// The n-gram stream of `text` as [`Gram`]s: the terms
    /// [`ngram_terms`](Self::ngram_terms) gives, as characters.
    ///
    /// ```
    /// # let analyzer = jirei::analysis::Analyzer::default_embedded().unwrap();
    /// let mut grams = Vec::new();
    /// analyzer.for_each_ngram_gram("ＤＸ推進", &mut |g| grams.push((g.first, g.second, g.position)));
    /// assert_eq!(grams, [('d', Some('x'), 0), ('x', Some('推'), 1), ('推', Some('進'), 2)]);
    /// ```
    pub fn for_each_ngram_gram(&self, text: &str, sink: &mut dyn FnMut(Gram)) {
        with_normalized(text, |normalized| terms::ngram_grams(normalized, sink));
    }

    /// The morphemes of `text` in order: normalised surface, kind and term.
    ///
    /// ```
    /// # let analyzer = jirei::analysis::Analyzer::default_embedded().unwrap();
    /// use jirei::analysis::MorphemeKind;
    /// let m = analyzer.morphemes("書かない窓口を");
    /// let parts: Vec<(&str, &str)> = m.iter().map(|m| (m.surface.as_str(), m.term.as_str())).collect();
    /// assert_eq!(parts, [("書か", "書く"), ("ない", "ない"), ("窓口", "窓口"), ("を", "")]);
    /// assert_eq!(m[3].kind, MorphemeKind::Function);
    /// ```
    pub fn morphemes(&self, text: &str) -> Vec<Morpheme> {
        let morphs = self.morphs(text);
        let normalized = morphs.normalized.text();
        morphs
            .morphs
            .iter()
            .map(|m| Morpheme {
                surface: normalized.get(m.start..m.end).unwrap_or_default().to_string(),
                kind: m.kind,
                term: morphs.term(m).to_string(),
            })
            .collect()
    }

    /// Streams the morphemes of `text` (normalised surface, kind, term)
    /// without allocating: [`morphemes`](Self::morphemes) for bulk use.
    pub fn for_each_morpheme(&self, text: &str, sink: &mut dyn FnMut(&str, MorphemeKind, &str)) {
        let morphs = self.morphs(text);
        let normalized = morphs.normalized.text();
        for m in &morphs.morphs {
            sink(
                normalized.get(m.start..m.end).unwrap_or_default(),
                m.kind,
                morphs.term(m),
            );
        }
    }

    /// Expands query terms (from [`analyze`](Self::analyze)) with synonyms
    /// into alternative term sequences for the query parser to OR as
    /// phrases. The first alternative is the query itself.
    ///
    /// ```
    /// # let analyzer = jirei::analysis::Analyzer::default_embedded().unwrap();
    /// let query = analyzer.analyze("マイナカード申請");
    /// let phrases: Vec<Vec<String>> = analyzer.expand(&query).into_iter()
    ///     .map(|alt| alt.into_iter().map(|t| t.text).collect()).collect();
    /// assert_eq!(phrases[0], ["マイナカード", "申請"]);
    /// // マイナンバーカード, analysed (ナンバー loses its final ー).
    /// assert_eq!(phrases[1], ["マイ", "ナンバ", "カード", "申請"]);
    /// ```
    pub fn expand(&self, terms: &[Term]) -> Vec<Vec<Term>> {
        self.inner.synonyms.expand(terms)
    }

    /// The compiled synonym table.
    pub fn synonyms(&self) -> &SynonymTable {
        &self.inner.synonyms
    }

    fn morphs(&self, text: &str) -> Arc<Morphs> {
        Morphs::cached(self.inner.segmenter, text, self.handoff.as_deref())
    }

    fn collect(&self, field: TermField, text: &str) -> Vec<Term> {
        let mut out = Vec::new();
        self.for_each_term(field, text, &mut |text, position, byte_start, byte_end| {
            out.push(Term {
                text: text.to_owned(),
                position,
                byte_start,
                byte_end,
            })
        });
        out
    }
}

/// Calls `f` with the normalised form of `text`: the one its recent
/// segmentation on this thread already made, or a new one (the n-gram
/// stream needs no dictionary, only normalisation).
fn with_normalized<R>(text: &str, f: impl FnOnce(&Normalized) -> R) -> R {
    match Morphs::recent(text) {
        Some(morphs) => f(&morphs.normalized),
        None => f(&Normalized::new(text)),
    }
}
