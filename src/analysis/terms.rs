//! The three term streams built from an analysed text: main terms, reading
//! bigrams and character bigrams. Each stream is produced through a callback
//! (`&str` borrowed from a scratch buffer), so callers that keep their own
//! buffers (the tantivy tokenizer) allocate nothing per term.

use super::kana::LONG_VOWEL;
use super::morph::{Kind, Morphs, is_word_char};
use super::normalize::Normalized;

/// One search term with its position (for phrase queries) and its byte
/// range in the *original* text (for highlighting).
///
/// ```
/// # use jirei::analysis::Analyzer;
/// let analyzer = Analyzer::default_embedded().unwrap();
/// let text = "ＲＰＡを導入";
/// let terms = analyzer.analyze(text);
/// assert_eq!(terms[0].text, "rpa");
/// assert_eq!(&text[terms[0].byte_start..terms[0].byte_end], "ＲＰＡ");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Term {
    /// The normalised term.
    pub text: String,
    /// Token position; consecutive for adjacent words, with a gap of one
    /// after each sentence end so phrases do not span sentences.
    pub position: u32,
    /// Start byte offset in the original text.
    pub byte_start: usize,
    /// End byte offset in the original text.
    pub byte_end: usize,
}

/// Receives terms: text, position, original byte start and end.
pub type Sink<'s> = dyn FnMut(&str, u32, usize, usize) + 's;

/// Emits the main terms: content words, sentence gaps between them.
pub fn main_terms(morphs: &Morphs, sink: &mut Sink<'_>) {
    let mut position = 0u32;
    let mut gap = false;
    let mut offsets = morphs.cursor();
    for morph in &morphs.morphs {
        match morph.kind {
            Kind::Content => {
                position += u32::from(gap && position > 0);
                gap = false;
                let (start, end) = offsets.original_range(morph.start, morph.end);
                sink(morphs.term(morph), position, start, end);
                position += 1;
            }
            Kind::Break => gap = true,
            Kind::Function | Kind::Symbol => {}
        }
    }
}

/// One term of the reading or n-gram stream as characters: one or two,
/// with its position. [`reading_grams`] and [`ngram_grams`] give the
/// terms [`reading_terms`] and [`ngram_terms`] give, without building a
/// string or mapping offsets for each (what counting them needs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gram {
    pub first: char,
    pub second: Option<char>,
    pub position: u32,
}

/// Emits bigrams of the concatenated readings, one stretch per sentence.
pub fn reading_terms(morphs: &Morphs, sink: &mut Sink<'_>) {
    reading_stream::<true>(morphs, as_text(sink));
}

/// [`reading_terms`] as [`Gram`]s.
pub fn reading_grams(morphs: &Morphs, sink: &mut dyn FnMut(Gram)) {
    reading_stream::<false>(morphs, as_gram(sink));
}

/// The reading stream, with each term's original byte range when
/// `OFFSETS` (otherwise 0..0: mapping offsets is half the cost of a
/// stream that only counts its terms).
fn reading_stream<const OFFSETS: bool>(morphs: &Morphs, emit: impl FnMut(char, Option<char>, u32, usize, usize)) {
    let mut grams = Bigrams::new(emit);
    let mut offsets = morphs.cursor();
    for morph in &morphs.morphs {
        match morph.kind {
            Kind::Content | Kind::Function => {
                let (start, end) = if OFFSETS {
                    offsets.original_range(morph.start, morph.end)
                } else {
                    (0, 0)
                };
                for c in morphs.reading(morph).chars() {
                    grams.push(c, start, end);
                }
            }
            Kind::Break => grams.end_stretch(),
            Kind::Symbol => {}
        }
    }
    grams.end_stretch();
}

/// Emits character bigrams of the normalised text, one stretch per run of
/// letters and digits (symbols and spaces separate stretches).
pub fn ngram_terms(normalized: &Normalized, sink: &mut Sink<'_>) {
    ngram_stream::<true>(normalized, as_text(sink));
}

/// [`ngram_terms`] as [`Gram`]s.
pub fn ngram_grams(normalized: &Normalized, sink: &mut dyn FnMut(Gram)) {
    ngram_stream::<false>(normalized, as_gram(sink));
}

/// The n-gram stream, with original byte ranges when `OFFSETS` (see
/// [`reading_stream`]).
fn ngram_stream<const OFFSETS: bool>(normalized: &Normalized, emit: impl FnMut(char, Option<char>, u32, usize, usize)) {
    let mut grams = Bigrams::new(emit);
    let mut offsets = normalized.cursor();
    for (i, c) in normalized.text().char_indices() {
        if is_ngram_char(c) {
            let (start, end) = if OFFSETS {
                offsets.original_range(i, i + c.len_utf8())
            } else {
                (0, 0)
            };
            grams.push(c, start, end);
        } else {
            grams.end_stretch();
        }
    }
    grams.end_stretch();
}

/// Whether the n-gram stream keeps `c` in a stretch.
fn is_ngram_char(c: char) -> bool {
    is_word_char(c) || c == LONG_VOWEL
}

/// An emitter handing each term to a text sink.
fn as_text<'a, 's>(sink: &'a mut Sink<'s>) -> impl FnMut(char, Option<char>, u32, usize, usize) + 'a {
    let mut buffer = String::with_capacity(8);
    move |first, second, position, start, end| {
        buffer.clear();
        buffer.push(first);
        buffer.extend(second);
        sink(&buffer, position, start, end);
    }
}

/// An emitter handing each term to a gram sink.
fn as_gram<'a>(sink: &'a mut dyn FnMut(Gram)) -> impl FnMut(char, Option<char>, u32, usize, usize) + 'a {
    move |first, second, position, _, _| {
        sink(Gram {
            first,
            second,
            position,
        })
    }
}

/// Turns stretches of characters into overlapping bigrams, handing each to
/// `emit` with its characters, position and original byte range. A stretch of one
/// character yields that character; stretches are separated by a position
/// gap, so a phrase of bigrams matches exactly a substring of one stretch.
struct Bigrams<F: FnMut(char, Option<char>, u32, usize, usize)> {
    emit: F,
    previous: Option<(char, usize, usize)>,
    stretch_len: usize,
    position: u32,
}

impl<F: FnMut(char, Option<char>, u32, usize, usize)> Bigrams<F> {
    fn new(emit: F) -> Self {
        Bigrams {
            emit,
            previous: None,
            stretch_len: 0,
            position: 0,
        }
    }

    fn push(&mut self, c: char, start: usize, end: usize) {
        if let Some((previous, previous_start, _)) = self.previous {
            (self.emit)(previous, Some(c), self.position, previous_start, end);
            self.position += 1;
        }
        self.previous = Some((c, start, end));
        self.stretch_len += 1;
    }

    fn end_stretch(&mut self) {
        if self.stretch_len == 1
            && let Some((c, start, end)) = self.previous
        {
            (self.emit)(c, None, self.position, start, end);
            self.position += 1;
        }
        if self.stretch_len > 0 {
            self.position += 1;
        }
        self.previous = None;
        self.stretch_len = 0;
    }
}
