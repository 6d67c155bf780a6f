//! Morphological analysis: runs lindera (IPADIC, decompose mode) over the
//! normalised text and classifies every token once, recording the search
//! term (base form, katakana stem) and the kana reading in a shared arena so
//! no string is allocated per token.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::ops::Range;
use std::sync::Arc;

use lindera::segmenter::Segmenter;
use lindera_dictionary::dictionary::Dictionary;
use lindera_dictionary::viterbi::{Lattice, WordId};

use super::handoff::Handoff;
use super::kana::{LONG_VOWEL, is_kana_word, push_katakana_stem, to_katakana};
use super::normalize::{Normalized, OffsetCursor};
use crate::hash::FastMap;

/// Detail indexes of the IPADIC schema (after the four common fields).
const POS: usize = 0;
const POS_DETAIL: usize = 1;
const CONJUGATION_FORM: usize = 5;
const BASE_FORM: usize = 6;
const READING: usize = 7;
const DETAIL_FIELDS: usize = 8;

/// Auxiliary verbs that carry meaning and must stay searchable: dropping the
/// negation would make 書かない窓口 match 書く窓口.
const KEPT_AUXILIARIES: [&str; 4] = ["ない", "ぬ", "ん", "まい"];

/// How many recent analyses each thread keeps, and the largest text cached.
const CACHE_ENTRIES: usize = 8;
const CACHE_MAX_TEXT: usize = 64 * 1024;

thread_local! {
    static WORDS: RefCell<FastMap<u32, WordInfo>> = RefCell::new(FastMap::default());
    static RECENT: RefCell<VecDeque<(Box<str>, Arc<Morphs>)>> = const { RefCell::new(VecDeque::new()) };
    /// The Viterbi lattice, reused from one text to the next (a new one per
    /// text allocates a slot vector per character).
    static LATTICE: RefCell<Lattice> = RefCell::new(Lattice::default());
}

/// How a token takes part in the term streams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A content word: indexed as a term and in the reading stream.
    Content,
    /// A particle, auxiliary verb or filler: only in the reading stream.
    Function,
    /// Symbols, punctuation, emoji: dropped from both streams.
    Symbol,
    /// A sentence end (。!? or a line break): phrases must not span it.
    Break,
}

/// One analysed token. Ranges index the normalised text (`start..end`) and
/// the morpheme arena (`term`, `reading`).
#[derive(Debug, Clone)]
pub struct Morph {
    /// Byte offset of the surface in the normalised text.
    pub start: usize,
    /// End byte offset of the surface in the normalised text.
    pub end: usize,
    /// The role of the token.
    pub kind: Kind,
    term: Range<usize>,
    reading: Range<usize>,
}

/// The analysed text: normalised text, tokens, and their strings.
#[derive(Debug, Default)]
pub struct Morphs {
    /// The normalised text and its offset map.
    pub normalized: Normalized,
    /// The tokens in text order.
    pub morphs: Vec<Morph>,
    arena: String,
}

impl Morphs {
    /// Normalises and segments `text`.
    pub fn analyse(segmenter: &'static Segmenter, text: &str) -> Morphs {
        let normalized = Normalized::new(text);
        let mut out = Morphs {
            morphs: Vec::with_capacity(text.len() / 6),
            arena: String::with_capacity(text.len()),
            normalized: Normalized::default(),
        };
        out.segment(segmenter, normalized.text());
        out.normalized = normalized;
        out
    }

    /// Like [`Morphs::analyse`], but remembers the last few texts analysed on
    /// this thread. tantivy tokenizes a document's fields one after another
    /// on one thread, so the main and reading fields of the same text share
    /// one segmentation (the dominant cost of indexing). Five main-field
    /// texts (title, point, tags, names, body) come before the first
    /// reading one, so the cache holds more than five.
    ///
    /// A text not analysed recently is taken from `handoff` if another pass
    /// offered it there.
    pub fn cached(segmenter: &'static Segmenter, text: &str, handoff: Option<&Handoff>) -> Arc<Morphs> {
        if text.len() > CACHE_MAX_TEXT {
            return Arc::new(Morphs::analyse(segmenter, text));
        }
        if let Some(morphs) = Morphs::recent(text) {
            return morphs;
        }
        let taken = handoff.and_then(|h| h.take(text));
        let morphs = taken.unwrap_or_else(|| Arc::new(Morphs::analyse(segmenter, text)));
        RECENT.with(|recent| {
            let mut recent = recent.borrow_mut();
            recent.truncate(CACHE_ENTRIES - 1);
            recent.push_front((text.into(), Arc::clone(&morphs)));
        });
        morphs
    }

    /// The analysis of `text` if this thread analysed it recently (see
    /// [`Morphs::cached`]), without analysing it otherwise.
    pub fn recent(text: &str) -> Option<Arc<Morphs>> {
        RECENT.with(|recent| {
            recent
                .borrow()
                .iter()
                .find(|(t, _)| **t == *text)
                .map(|(_, morphs)| Arc::clone(morphs))
        })
    }

    /// The search term of a content token (base form, katakana stem).
    pub fn term(&self, morph: &Morph) -> &str {
        &self.arena[morph.term.clone()]
    }

    /// The katakana reading of a token, long-vowel marks removed.
    pub fn reading(&self, morph: &Morph) -> &str {
        &self.arena[morph.reading.clone()]
    }

    /// A cursor mapping token ranges (in text order) to the original text.
    pub fn cursor(&self) -> OffsetCursor<'_> {
        self.normalized.cursor()
    }

    fn segment(&mut self, segmenter: &'static Segmenter, text: &str) {
        // Segmentation only fails on internal lattice errors; an
        // unanalysable text is then simply not indexed, never a panic.
        let segmented = LATTICE.with_borrow_mut(|lattice| segmenter.segment_with_lattice(Cow::Borrowed(text), lattice));
        let Ok(tokens) = segmented else {
            return;
        };
        let dictionary = &segmenter.dictionary;
        let mut previous_end = 0;
        for token in &tokens {
            let (start, end) = (token.byte_start, token.byte_end);
            if text.get(previous_end..start).is_some_and(|gap| gap.contains('\n')) {
                self.push_break(previous_end);
            }
            previous_end = end;
            let info = word_info(dictionary, token.word_id);
            let surface = &text[start..end];
            let kind = classify(surface, info.function);
            let word = info.base.unwrap_or(surface);
            self.push(start..end, kind, word, surface, info.reading);
        }
    }

    fn push_break(&mut self, at: usize) {
        self.push(at..at, Kind::Break, "", "", "");
    }

    /// Records a token; `word` is its term before stemming.
    fn push(&mut self, span: Range<usize>, kind: Kind, word: &str, surface: &str, reading: &str) {
        let term_start = self.arena.len();
        if kind == Kind::Content {
            push_katakana_stem(&mut self.arena, word);
        }
        let term_end = self.arena.len();
        if matches!(kind, Kind::Content | Kind::Function) {
            push_reading(&mut self.arena, surface, reading);
        }
        self.morphs.push(Morph {
            start: span.start,
            end: span.end,
            kind,
            term: term_start..term_end,
            reading: term_end..self.arena.len(),
        });
    }
}

/// The detail fields of a word (part of speech … reading).
type Details = [&'static str; DETAIL_FIELDS];

/// What the term streams need of a dictionary word: whether its part of
/// speech makes it a function word ([`is_function_word`]), its base form
/// if it is inflected, its reading. Borrowed from the (process-wide)
/// dictionary and decoded once per word and thread: decoding validates and
/// splits the entry's bytes.
#[derive(Clone, Copy)]
struct WordInfo {
    function: bool,
    base: Option<&'static str>,
    reading: &'static str,
}

fn word_info(dictionary: &'static Dictionary, word_id: WordId) -> WordInfo {
    let key = (word_id.id() << 1) | u32::from(word_id.is_unknown());
    WORDS.with(|memo| {
        *memo.borrow_mut().entry(key).or_insert_with(|| {
            let details = decode_details(dictionary, word_id);
            let inflected = details[CONJUGATION_FORM] != "*" && details[BASE_FORM] != "*";
            WordInfo {
                function: is_function_word(&details),
                base: inflected.then_some(details[BASE_FORM]),
                reading: details[READING],
            }
        })
    })
}

fn decode_details(dictionary: &'static Dictionary, word_id: WordId) -> Details {
    let id = word_id.id() as usize;
    let mut out = ["*"; DETAIL_FIELDS];
    let fields = if word_id.is_unknown() {
        dictionary.unknown_word_details_iter(id)
    } else if word_id.is_system() {
        dictionary.word_details_iter(id)
    } else {
        return out; // user dictionary words: we configure none
    };
    for (slot, field) in out.iter_mut().zip(fields) {
        *slot = field;
    }
    out
}

/// Decides the role of a token from its surface and whether its part of
/// speech makes it a function word ([`is_function_word`]).
fn classify(surface: &str, function: bool) -> Kind {
    if !surface.chars().any(is_word_char) {
        return if surface.contains(['。', '!', '?']) {
            Kind::Break
        } else {
            Kind::Symbol
        };
    }
    if function { Kind::Function } else { Kind::Content }
}

/// Function words are particles, fillers, auxiliary verbs (except the
/// negations in [`KEPT_AUXILIARIES`]) and the verbs IPADIC marks as
/// non-independent or suffixes (している → いる, 書かれる → れる,
/// 書かせる → せる), which school grammar also counts as auxiliaries.
fn is_function_word(details: &Details) -> bool {
    match (details[POS], details[POS_DETAIL]) {
        ("助詞" | "フィラー", _) | ("動詞", "非自立" | "接尾") => true,
        ("助動詞", _) => !KEPT_AUXILIARIES.contains(&details[BASE_FORM]),
        _ => false,
    }
}

/// Letters and digits of any script; the long-vowel mark alone is not a word.
pub fn is_word_char(c: char) -> bool {
    match c {
        '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FA}' | '\u{4E00}'..='\u{9FFF}' => true,
        LONG_VOWEL => false,
        _ => c.is_alphanumeric(),
    }
}

/// The reading of a token in katakana without long-vowel marks. Kana
/// surfaces are converted directly, so a hiragana query reads the same
/// however the dictionary happens to split it.
fn push_reading(out: &mut String, surface: &str, reading: &str) {
    let source = if is_kana_word(surface) || !is_kana_word(reading) {
        surface
    } else {
        reading
    };
    out.extend(source.chars().filter(|&c| c != LONG_VOWEL).map(to_katakana));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(pos: &'static str, detail: &'static str, base: &'static str) -> Details {
        let mut details = ["*"; DETAIL_FIELDS];
        details[POS] = pos;
        details[POS_DETAIL] = detail;
        details[BASE_FORM] = base;
        details
    }

    fn kind(surface: &str, details: Details) -> Kind {
        classify(surface, is_function_word(&details))
    }

    #[test]
    fn particles_and_common_auxiliaries_are_function_words() {
        assert_eq!(kind("を", pos("助詞", "格助詞", "を")), Kind::Function);
        assert_eq!(kind("た", pos("助動詞", "*", "た")), Kind::Function);
        assert_eq!(kind("ない", pos("助動詞", "*", "ない")), Kind::Content);
        assert_eq!(kind("れ", pos("動詞", "接尾", "れる")), Kind::Function);
        assert_eq!(kind("い", pos("動詞", "非自立", "いる")), Kind::Function);
        assert_eq!(kind("書か", pos("動詞", "自立", "書く")), Kind::Content);
    }

    #[test]
    fn symbols_and_sentence_ends_are_recognised() {
        assert_eq!(kind("・", pos("記号", "一般", "・")), Kind::Symbol);
        assert_eq!(kind("😀", pos("記号", "一般", "*")), Kind::Symbol);
        assert_eq!(kind("ー", pos("名詞", "一般", "*")), Kind::Symbol);
        assert_eq!(kind("。", pos("記号", "句点", "。")), Kind::Break);
    }

    #[test]
    fn reading_prefers_kana_surface_then_dictionary_then_surface() {
        let mut s = String::new();
        push_reading(&mut s, "ぐち", "グチ");
        push_reading(&mut s, "窓口", "マドグチ");
        push_reading(&mut s, "rpa", "*");
        push_reading(&mut s, "カード", "カード");
        assert_eq!(s, "グチマドグチrpaカド");
    }
}
