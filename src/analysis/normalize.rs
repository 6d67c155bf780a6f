//! Character normalisation (NFKC, lowercase, control characters, invisible
//! characters) with a map from normalised byte offsets back to the original
//! text, so terms can highlight the text the user actually wrote.
//!
//! The text is cut into *groups*: a starter character plus the combining
//! characters that follow it (including half-width ﾞ/ﾟ, which compose with
//! the preceding kana). Each group is normalised on its own, which equals
//! normalising the whole text for everything that occurs in Japanese
//! documents, and lets every output byte be traced to one group.

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

/// Normalised text plus the offset map back to the original.
///
/// ```
/// # use jirei::analysis::normalize::Normalized;
/// let n = Normalized::new("ＲＰＡ導入");
/// assert_eq!(n.text(), "rpa導入");
/// // "rpa" (bytes 0..3) came from "ＲＰＡ" (bytes 0..9).
/// assert_eq!(n.original_range(0, 3), (0, 9));
/// ```
#[derive(Debug, Clone, Default)]
pub struct Normalized {
    text: String,
    runs: Vec<Run>,
}

/// A stretch of the normalised text and the original bytes it came from.
///
/// A *linear* run maps byte for byte (same length, same character
/// boundaries); any other run is atomic: a range inside it maps to the whole
/// original range.
#[derive(Debug, Clone, Copy)]
struct Run {
    norm_start: usize,
    orig_start: usize,
    orig_end: usize,
    linear: bool,
}

impl Normalized {
    /// Normalises `original`: NFKC, lowercase, control characters to spaces
    /// (line breaks to `\n`),
    /// variation selectors and zero-width characters removed.
    pub fn new(original: &str) -> Normalized {
        let mut out = Normalized {
            text: String::with_capacity(original.len()),
            runs: Vec::new(),
        };
        let mut group_start = 0;
        for (i, c) in original.char_indices().skip(1) {
            if is_plain(c) || starts_group(c) {
                out.push_group(&original[group_start..i], group_start);
                group_start = i;
            }
        }
        if group_start < original.len() {
            out.push_group(&original[group_start..], group_start);
        }
        out
    }

    /// The normalised text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Maps the normalised byte range `start..end` to a range of the
    /// original text. Both ends land on character boundaries of the original.
    pub fn original_range(&self, start: usize, end: usize) -> (usize, usize) {
        self.map_range(start, end, |offset| self.run_index(offset))
    }

    /// A cursor for mapping many ranges in increasing order.
    pub fn cursor(&self) -> OffsetCursor<'_> {
        OffsetCursor {
            normalized: self,
            run: 0,
        }
    }

    fn map_range(&self, start: usize, end: usize, mut run_index: impl FnMut(usize) -> usize) -> (usize, usize) {
        if self.runs.is_empty() {
            return (0, 0);
        }
        let first = &self.runs[run_index(start)];
        let orig_start = if first.linear {
            first.orig_start + (start - first.norm_start)
        } else {
            first.orig_start
        };
        let last = &self.runs[run_index(end.saturating_sub(1).max(start))];
        let orig_end = if last.linear {
            last.orig_start + (end - last.norm_start)
        } else {
            last.orig_end
        };
        (orig_start, orig_end.max(orig_start))
    }

    /// The index of the run containing `norm_offset` (binary search).
    fn run_index(&self, norm_offset: usize) -> usize {
        let index = self.runs.partition_point(|r| r.norm_start <= norm_offset);
        index.saturating_sub(1)
    }

    /// Like [`run_index`](Self::run_index), scanning forward from `hint`
    /// when the offset is at or just after it.
    fn run_index_from(&self, hint: usize, norm_offset: usize) -> usize {
        let runs = &self.runs;
        if runs.get(hint).is_none_or(|r| r.norm_start > norm_offset) {
            return self.run_index(norm_offset);
        }
        let mut index = hint;
        while runs.get(index + 1).is_some_and(|r| r.norm_start <= norm_offset) {
            index += 1;
            if index - hint > 8 {
                return self.run_index(norm_offset);
            }
        }
        index
    }

    fn push_group(&mut self, group: &str, orig_start: usize) {
        let norm_start = self.text.len();
        let linear = push_normalized(&mut self.text, group);
        let orig_end = orig_start + group.len();
        if self.text.len() == norm_start {
            return; // only invisible characters: nothing to map
        }
        match self.runs.last_mut() {
            Some(last) if linear && last.linear && last.orig_end == orig_start => {
                last.orig_end = orig_end;
            }
            _ => self.runs.push(Run {
                norm_start,
                orig_start,
                orig_end,
                linear,
            }),
        }
    }
}

/// Maps normalised ranges to original ranges; fastest when the ranges come
/// in increasing order, as terms do.
///
/// ```
/// # use jirei::analysis::normalize::Normalized;
/// let n = Normalized::new("ＡＢ");
/// let mut cursor = n.cursor();
/// assert_eq!(cursor.original_range(0, 1), (0, 3));
/// assert_eq!(cursor.original_range(1, 2), (3, 6));
/// ```
#[derive(Debug, Clone)]
pub struct OffsetCursor<'a> {
    normalized: &'a Normalized,
    run: usize,
}

impl OffsetCursor<'_> {
    /// Same as [`Normalized::original_range`].
    pub fn original_range(&mut self, start: usize, end: usize) -> (usize, usize) {
        let normalized = self.normalized;
        let run = &mut self.run;
        normalized.map_range(start, end, |offset| {
            *run = normalized.run_index_from(*run, offset);
            *run
        })
    }
}

/// Appends the normalised form of `group` to `out`; returns whether it maps
/// byte for byte (one character in, one character of the same length out).
fn push_normalized(out: &mut String, group: &str) -> bool {
    let mut chars = group.chars();
    let first = chars.next().unwrap_or(' ');
    if chars.next().is_none() {
        if is_plain(first) {
            out.push(first);
            return true;
        }
        if first.is_ascii() {
            out.push(fold_ascii(first));
            return true;
        }
        if is_nfkc_quick(std::iter::once(first)) == IsNormalized::Yes {
            let before = out.len();
            push_folded(out, first);
            return out.len() - before == first.len_utf8();
        }
    }
    for c in group.nfkc() {
        push_folded(out, c);
    }
    false
}

/// Lowercases one character and replaces control characters.
fn push_folded(out: &mut String, c: char) {
    if is_invisible(c) {
        return;
    }
    if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
        out.push(control_replacement(c));
    } else {
        out.extend(c.to_lowercase());
    }
}

fn fold_ascii(c: char) -> char {
    if c.is_ascii_control() {
        control_replacement(c)
    } else {
        c.to_ascii_lowercase()
    }
}

/// Line breaks stay line breaks (they end sentences); tabs stay tabs (they
/// separate table cells); any other control character becomes a space.
fn control_replacement(c: char) -> char {
    match c {
        '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}' => '\n',
        '\t' => '\t',
        _ => ' ',
    }
}

/// Characters that NFKC and lowercasing leave unchanged and that begin a
/// group: the bulk of Japanese text, checked first to keep the common path
/// fast.
fn is_plain(c: char) -> bool {
    matches!(c,
        ' '..='@' | '['..='~'
        | '\u{3001}'..='\u{3003}'
        | '\u{3005}'..='\u{3011}'
        | '\u{3041}'..='\u{3096}'
        | '\u{30A1}'..='\u{30FA}'
        | '\u{30FC}'..='\u{30FE}'
        | '\u{4E00}'..='\u{9FFF}')
}

/// Whether `c` begins a new group rather than combining with the previous
/// character.
fn starts_group(c: char) -> bool {
    !(canonical_combining_class(c) != 0
        || matches!(c, '\u{FF9E}' | '\u{FF9F}' | '\u{3099}' | '\u{309A}')
        || matches!(c, '\u{1160}'..='\u{11FF}') // Hangul medial/final jamo
        || is_invisible(c))
}

/// Characters that carry no searchable content and are dropped: variation
/// selectors (including the IVS used for place-name kanji), zero-width
/// characters, the soft hyphen and the byte-order mark.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{FE00}'..='\u{FE0F}'
        | '\u{E0100}'..='\u{E01EF}'
        | '\u{200B}'..='\u{200D}'
        | '\u{2060}'
        | '\u{FEFF}'
        | '\u{00AD}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice<'a>(original: &'a str, n: &Normalized, start: usize, end: usize) -> &'a str {
        let (s, e) = n.original_range(start, end);
        &original[s..e]
    }

    #[test]
    fn full_width_latin_becomes_lowercase_ascii() {
        assert_eq!(Normalized::new("ＲＰＡとＡＩ－ＯＣＲ").text(), "rpaとai-ocr");
    }

    #[test]
    fn half_width_katakana_becomes_full_width_with_voicing_marks_composed() {
        assert_eq!(Normalized::new("ｷｬｯｼｭﾚｽ").text(), "キャッシュレス");
        assert_eq!(Normalized::new("ﾃﾞｼﾞﾀﾙ").text(), "デジタル");
        assert_eq!(Normalized::new("ﾊﾟｽﾎﾟｰﾄ").text(), "パスポート");
    }

    #[test]
    fn full_width_digits_and_spaces_are_folded() {
        assert_eq!(Normalized::new("令和５年\u{3000}１２月").text(), "令和5年 12月");
    }

    #[test]
    fn control_characters_become_spaces_and_invisibles_disappear() {
        assert_eq!(Normalized::new("a\u{0}b\u{7}c\u{85}d").text(), "a b c\nd");
        assert_eq!(Normalized::new("a\r\nb\tc").text(), "a\n\nb\tc");
        assert_eq!(Normalized::new("\u{FEFF}葛\u{E0100}城\u{200B}市").text(), "葛城市");
    }

    #[test]
    fn plain_characters_are_exactly_those_normalisation_leaves_alone() {
        let ranges = [(0x20, 0x7E), (0x3001, 0x3011), (0x3041, 0x30FE), (0x4E00, 0x9FFF)];
        for (low, high) in ranges {
            for c in (low..=high).filter_map(char::from_u32).filter(|&c| is_plain(c)) {
                let mut folded = String::new();
                for n in c.to_string().nfkc() {
                    push_folded(&mut folded, n);
                }
                assert_eq!(folded, c.to_string(), "U+{:04X}", c as u32);
                assert!(starts_group(c), "U+{:04X}", c as u32);
            }
        }
    }

    #[test]
    fn offsets_map_back_through_width_changes() {
        let original = "ＲＰＡをｷｬｯｼｭﾚｽ決済に";
        let n = Normalized::new(original);
        let text = n.text();
        let rpa = text.find("rpa").unwrap();
        assert_eq!(slice(original, &n, rpa, rpa + 3), "ＲＰＡ");
        let cash = text.find("キャッシュレス").unwrap();
        let end = cash + "キャッシュレス".len();
        assert_eq!(slice(original, &n, cash, end), "ｷｬｯｼｭﾚｽ");
        let kessai = text.find("決済").unwrap();
        assert_eq!(slice(original, &n, kessai, kessai + 6), "決済");
    }

    #[test]
    fn cursor_agrees_with_binary_search_in_any_order() {
        let original = "ＡあｶﾞＢ「Ｃ」ｄ①ＥＦＧＨＩＪＫＬＭＮ";
        let n = Normalized::new(original);
        let mut cursor = n.cursor();
        let boundaries: Vec<usize> = n.text().char_indices().map(|(i, _)| i).collect();
        let forward = boundaries.windows(2);
        for pair in forward.clone().chain(forward.rev()).step_by(1) {
            assert_eq!(
                cursor.original_range(pair[0], pair[1]),
                n.original_range(pair[0], pair[1])
            );
        }
        assert_eq!(cursor.original_range(0, n.text().len()), (0, original.len()));
    }

    #[test]
    fn offsets_of_a_partial_composed_character_cover_the_whole_source() {
        let original = "ﾃﾞｰﾀ";
        let n = Normalized::new(original);
        assert_eq!(n.text(), "データ");
        assert_eq!(slice(original, &n, 0, 3), "ﾃﾞ");
    }

    #[test]
    fn offsets_include_a_trailing_variation_selector() {
        let original = "葛\u{E0100}城";
        let n = Normalized::new(original);
        assert_eq!(slice(original, &n, 0, 3), "葛\u{E0100}");
    }

    #[test]
    fn empty_and_invisible_only_inputs_are_harmless() {
        assert_eq!(Normalized::new("").original_range(0, 0), (0, 0));
        assert_eq!(Normalized::new("\u{200B}").text(), "");
        assert_eq!(Normalized::new("\u{3099}ア").text().chars().count(), 2);
    }
}
