//! Morphological analysis: runs lindera (IPADIC, decompose mode) over the
//! normalised text and classifies every token once, recording the search
//! term (base form, katakana stem) and the kana reading in a shared arena so
//! no string is allocated per token.

use std::borrow::Cow;
use std::ops::Range;

use lindera::segmenter::Segmenter;

use super::kana::{LONG_VOWEL, is_kana_word, push_katakana_stem, to_katakana};
use super::normalize::Normalized;

/// Detail indexes of the IPADIC schema (after the four common fields).
const POS: usize = 0;
const CONJUGATION_FORM: usize = 5;
const BASE_FORM: usize = 6;
const READING: usize = 7;

/// Auxiliary verbs that carry meaning and must stay searchable: dropping the
/// negation would make 書かない窓口 match 書く窓口.
const KEPT_AUXILIARIES: [&str; 4] = ["ない", "ぬ", "ん", "まい"];

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
    pub fn analyse(segmenter: &Segmenter, text: &str) -> Morphs {
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

    /// The search term of a content token (base form, katakana stem).
    pub fn term(&self, morph: &Morph) -> &str {
        &self.arena[morph.term.clone()]
    }

    /// The katakana reading of a token, long-vowel marks removed.
    pub fn reading(&self, morph: &Morph) -> &str {
        &self.arena[morph.reading.clone()]
    }

    /// The original-text byte range of a token.
    pub fn original_range(&self, morph: &Morph) -> (usize, usize) {
        self.normalized.original_range(morph.start, morph.end)
    }

    fn segment(&mut self, segmenter: &Segmenter, text: &str) {
        // Segmentation only fails on internal lattice errors; an
        // unanalysable text is then simply not indexed, never a panic.
        let Ok(tokens) = segmenter.segment(Cow::Borrowed(text)) else {
            return;
        };
        let mut previous_end = 0;
        for mut token in tokens {
            let (start, end) = (token.byte_start, token.byte_end);
            if text
                .get(previous_end..start)
                .is_some_and(|gap| gap.contains('\n'))
            {
                self.push_break(previous_end);
            }
            previous_end = end;
            token.get_detail(POS); // loads the detail cache read below
            let details = token.details.as_deref().unwrap_or_default();
            let field = |i: usize| details.get(i).map_or("*", |d| d.as_ref());
            let surface = &text[start..end];
            let kind = classify(surface, field(POS), field(BASE_FORM));
            let inflected = field(CONJUGATION_FORM) != "*" && field(BASE_FORM) != "*";
            let word = if inflected { field(BASE_FORM) } else { surface };
            self.push(start..end, kind, word, surface, field(READING));
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

/// Decides the role of a token from its surface and part of speech.
fn classify(surface: &str, pos: &str, base: &str) -> Kind {
    if !surface.chars().any(is_word_char) {
        return if surface.contains(['。', '!', '?']) {
            Kind::Break
        } else {
            Kind::Symbol
        };
    }
    match pos {
        "助詞" | "フィラー" => Kind::Function,
        "助動詞" if !KEPT_AUXILIARIES.contains(&base) => Kind::Function,
        _ => Kind::Content,
    }
}

/// Letters and digits of any script; the long-vowel mark alone is not a word.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && c != LONG_VOWEL
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

    #[test]
    fn particles_and_common_auxiliaries_are_function_words() {
        assert_eq!(classify("を", "助詞", "を"), Kind::Function);
        assert_eq!(classify("た", "助動詞", "た"), Kind::Function);
        assert_eq!(classify("ない", "助動詞", "ない"), Kind::Content);
    }

    #[test]
    fn symbols_and_sentence_ends_are_recognised() {
        assert_eq!(classify("・", "記号", "・"), Kind::Symbol);
        assert_eq!(classify("😀", "記号", "*"), Kind::Symbol);
        assert_eq!(classify("ー", "名詞", "*"), Kind::Symbol);
        assert_eq!(classify("。", "記号", "。"), Kind::Break);
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
