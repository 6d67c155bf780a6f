//! The shipped form of one posting list: a bit stream as small as a list
//! can reasonably be, so the postings of common words stay cheap on large
//! collections (the first search on 10,000 cases must stay within 200 KB).
//!
//! A list is a header byte, then bits (least significant first):
//!
//! 1. the documents: header 255 = a bitmap of all N documents; otherwise
//!    the header is `k` and each gap (the first document, then
//!    `doc − previous − 1`) is Rice-coded with parameter `k`;
//! 2. the term frequencies: one bit, 1 when every one is 1 (so nearly
//!    always outside the body); else 0 and each one Elias-gamma coded;
//! 3. the fieldnorm ids, unless the list takes them from its field's
//!    column (body and n-gram lists with `df · 16 ≥ N`, see [`column`]):
//!    the smallest id in 8 bits, a 4-bit width, then each id minus the
//!    smallest in that many bits;
//! 4. in body lists of words and word pairs, unless long (`df > 256` and
//!    `df · 16 ≥ N`: common words are no help in choosing the snippet),
//!    each first snippet chunk plus one, gamma-coded.
//!
//! Unary parts are runs of ones ended by a zero. Gamma-coding `x ≥ 1` is
//! the unary length `n` of `x` without its leading one, then its `n` low
//! bits; Rice-coding `g` is `g >> k` in unary, then its `k` low bits.

use super::encode::{BitWriter, bit_width};
use super::postings::{BODY, NGRAM};

/// Whether a list of `df` postings among `docs` documents is long.
pub fn is_dense(df: u32, docs: u32) -> bool {
    u64::from(df) * 16 >= u64::from(docs)
}

/// Whether a body list records the snippet chunk of each posting.
pub fn has_chunks(df: u32, docs: u32) -> bool {
    df <= 256 || !is_dense(df, docs)
}

/// Whether the list takes its fieldnorms from its field's column.
pub fn uses_column(field: usize, df: u32, docs: u32) -> bool {
    matches!(field, BODY | NGRAM) && is_dense(df, docs)
}

/// The fieldnorm column of a field: the smallest id, a bit width, then
/// `id − smallest` for every document, bit-packed.
pub fn column(fieldnorms: &[u8]) -> Vec<u8> {
    let low = fieldnorms.iter().copied().min().unwrap_or(0);
    let high = fieldnorms.iter().copied().max().unwrap_or(0);
    let width = bit_width(u64::from(high - low));
    let mut bits = BitWriter::default();
    for &id in fieldnorms {
        bits.push(u64::from(id - low), width);
    }
    [vec![low, width as u8], bits.into_bytes()].concat()
}

/// One posting of the intermediate form [`super::postings`] accumulates.
struct Raw {
    doc: u32,
    tf: u32,
    fieldnorm: u8,
    chunk: u32,
}

fn read_varint(bytes: &[u8], at: &mut usize) -> u64 {
    let (mut value, mut shift) = (0u64, 0);
    while let Some(&b) = bytes.get(*at) {
        *at += 1;
        value |= u64::from(b & 0x7F) << shift;
        shift += 7;
        if b & 0x80 == 0 {
            break;
        }
    }
    value
}

fn unary(bits: &mut BitWriter, n: u64) {
    bits.ones(n);
    bits.push(0, 1);
}

fn gamma(bits: &mut BitWriter, x: u64) {
    let n = bit_width(x).saturating_sub(1);
    unary(bits, u64::from(n));
    bits.push(x & ((1 << n) - 1), n);
}

fn rice(bits: &mut BitWriter, g: u64, k: u32) {
    unary(bits, g >> k);
    bits.push(g & ((1 << k) - 1), k);
}

/// The gaps of the documents: the first document, then `doc − previous − 1`.
fn gaps(postings: &[Raw]) -> Vec<u64> {
    let mut previous: Option<u32> = None;
    postings
        .iter()
        .map(|p| {
            let gap = previous.map_or(p.doc, |q| p.doc - q - 1);
            previous = Some(p.doc);
            u64::from(gap)
        })
        .collect()
}

/// The Rice parameter below 24 that codes `gaps` in the fewest bits (the
/// smallest such), and that count.
///
/// The count `f(k) = Σ (g >> k) + n·(1 + k)` is convex in `k`: its step
/// `f(k+1) − f(k) = n − Σ ((g >> k) − (g >> (k+1)))` only grows, as each
/// term of the sum shrinks with `k`. So the first `k` whose next step does
/// not go down is the smallest minimum, and the search stops there instead
/// of trying all 24.
fn best_rice(gaps: &[u64]) -> (u32, u64) {
    let n = gaps.len() as u64;
    let bits = |k: u32| gaps.iter().map(|g| g >> k).sum::<u64>() + n * (1 + u64::from(k));
    let (mut k, mut best) = (0, bits(0));
    while k + 1 < 24 {
        let next = bits(k + 1);
        if next >= best {
            break;
        }
        (k, best) = (k + 1, next);
    }
    (k, best)
}

/// The documents as a bitmap of `docs` bits.
fn bitmap(bits: &mut BitWriter, postings: &[Raw], docs: u32) {
    let mut words = vec![0u64; (docs as usize).div_ceil(64)];
    for p in postings {
        words[p.doc as usize / 64] |= 1 << (p.doc % 64);
    }
    let mut left = docs;
    for word in words {
        let width = left.min(64);
        bits.push(word, width);
        left -= width;
    }
}

/// Re-encodes an intermediate list (`doc delta, tf, fieldnorm, [chunk]`
/// per posting, varints) in its shipped form.
pub fn encode(raw: &[u8], field: usize, df: u32, docs: u32, chunks: bool) -> Vec<u8> {
    let mut postings = Vec::with_capacity(df as usize);
    let (mut at, mut doc) = (0, 0u32);
    while at < raw.len() {
        doc += read_varint(raw, &mut at) as u32;
        let tf = read_varint(raw, &mut at) as u32;
        let fieldnorm = raw[at];
        at += 1;
        let chunk = if chunks { read_varint(raw, &mut at) as u32 } else { 0 };
        postings.push(Raw {
            doc,
            tf,
            fieldnorm,
            chunk,
        });
    }
    let mut bits = BitWriter::default();
    let gaps = gaps(&postings);
    let (k, rice_bits) = best_rice(&gaps);
    let header = if u64::from(docs) <= rice_bits {
        bitmap(&mut bits, &postings, docs);
        255
    } else {
        for &g in &gaps {
            rice(&mut bits, g, k);
        }
        k as u8
    };
    let all_once = postings.iter().all(|p| p.tf <= 1);
    bits.push(u64::from(all_once), 1);
    if !all_once {
        for p in &postings {
            gamma(&mut bits, u64::from(p.tf.max(1)));
        }
    }
    if !uses_column(field, df, docs) {
        let low = postings.iter().map(|p| p.fieldnorm).min().unwrap_or(0);
        let high = postings.iter().map(|p| p.fieldnorm).max().unwrap_or(0);
        let width = bit_width(u64::from(high - low));
        bits.push(u64::from(low), 8);
        bits.push(u64::from(width), 4);
        for p in &postings {
            bits.push(u64::from(p.fieldnorm - low), width);
        }
    }
    if chunks && has_chunks(df, docs) {
        for p in &postings {
            gamma(&mut bits, u64::from(p.chunk) + 1);
        }
    }
    [vec![header], bits.into_bytes()].concat()
}

#[cfg(test)]
mod tests {
    use super::super::encode::push_varint;
    use super::*;

    fn raw(postings: &[(u32, u32, u8)]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut previous = 0;
        for &(doc, tf, norm) in postings {
            push_varint(&mut out, u64::from(doc - previous));
            push_varint(&mut out, u64::from(tf));
            out.push(norm);
            previous = doc;
        }
        out
    }

    #[test]
    fn short_lists_rice_code_their_gaps() {
        // Gaps 3 and 36: Rice k = 3 beats the 100-bit bitmap.
        let e = encode(&raw(&[(3, 1, 9), (40, 2, 7)]), 0, 2, 100, false);
        assert_eq!(e[0], 3, "Rice parameter");
        // 3 → 0|011, 36 → 11110|100, not all tf 1 → 0, tf 1 → 0, tf 2 → 10|0,
        // smallest 7 → 11100000, width 2 → 0100, 9 − 7 → 01, 7 − 7 → 00.
        let bits: String = e[1..]
            .iter()
            .map(|b| format!("{b:08b}").chars().rev().collect::<String>())
            .collect();
        assert!(
            bits.starts_with(&["0110", "11110001", "0", "0", "100", "11100000", "0100", "01", "00"].concat()),
            "{bits}"
        );
    }

    #[test]
    fn the_rice_parameter_is_the_smallest_that_codes_in_the_fewest_bits() {
        let every_k = |gaps: &[u64]| {
            let n = gaps.len() as u64;
            (0..24)
                .map(|k| (k, gaps.iter().map(|g| g >> k).sum::<u64>() + n * (1 + u64::from(k))))
                .min_by_key(|&(_, bits)| bits)
                .unwrap_or((0, 0))
        };
        let mut seed = 7u64;
        let mut next = || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            seed >> 33
        };
        for len in [1, 2, 3, 10, 100, 1000] {
            for scale in [0u32, 1, 3, 8, 16, 30] {
                let gaps: Vec<u64> = (0..len).map(|_| next() >> (31 - scale.min(31))).collect();
                assert_eq!(best_rice(&gaps), every_k(&gaps), "{len} gaps below 2^{scale}");
            }
        }
        assert_eq!(best_rice(&[]), (0, 0));
        assert_eq!(best_rice(&[0, 0, 0]), every_k(&[0, 0, 0]));
    }

    #[test]
    fn long_lists_are_bitmaps() {
        let e = encode(&raw(&[(0, 1, 9), (2, 1, 9), (5, 1, 9)]), BODY, 3, 6, false);
        assert_eq!(e[0], 255);
        // bitmap 101001, every tf 1, fieldnorms from the column.
        assert_eq!(&e[1..], [0b0110_0101]);
    }

    #[test]
    fn columns_store_fieldnorms_above_the_smallest() {
        assert_eq!(column(&[100, 101, 103]), [100, 2, 0b0011_0100]);
    }
}
