//! The shipped form of one posting list, chosen by its density so that the
//! postings of common words stay small on large collections.
//!
//! * **Sparse** (`df · 16 < N`): per posting `doc delta, tf` (varints), the
//!   fieldnorm id (one byte) and, in the body field of words and word
//!   pairs, the first snippet chunk (varint).
//! * **Dense** (`df · 16 ≥ N`): a bitmap of the N documents, a 2-bit code
//!   per posting (`tf − 1`; 3 = more, and a varint `tf − 4` follows in the
//!   tail), then for the short fields the fieldnorm ids (a byte giving the
//!   bit width, then the ids bit-packed), the tail last. The body and
//!   n-gram fields take fieldnorms from their column instead
//!   (`z/<field>.js`: the smallest id, a bit width, then `id − smallest`
//!   for every document, bit-packed), which a query loads once.

use super::encode::{BitWriter, bit_width, push_varint};
use super::postings::{BODY, NGRAM};

/// Whether a list of `df` postings among `docs` documents is dense.
pub fn is_dense(df: u32, docs: u32) -> bool {
    u64::from(df) * 16 >= u64::from(docs)
}

/// Whether dense lists of `field` take their fieldnorms from a column.
pub fn has_column(field: usize) -> bool {
    matches!(field, BODY | NGRAM)
}

/// The fieldnorm column of a field (see the module documentation).
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

/// Re-encodes an intermediate list (`doc delta, tf, fieldnorm, [chunk]`
/// per posting) in its shipped form.
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
    if is_dense(df, docs) {
        let mut bitmap = vec![0u8; (docs as usize).div_ceil(8)];
        let mut codes = vec![0u8; postings.len().div_ceil(4)];
        let mut tail = Vec::new();
        for (i, p) in postings.iter().enumerate() {
            bitmap[p.doc as usize / 8] |= 1 << (p.doc % 8);
            let code = p.tf.clamp(1, 4) - 1;
            codes[i / 4] |= (code as u8) << (2 * (i % 4));
            if code == 3 {
                push_varint(&mut tail, u64::from(p.tf - 4));
            }
        }
        let mut norms = Vec::new();
        if !has_column(field) {
            let width = bit_width(u64::from(postings.iter().map(|p| p.fieldnorm).max().unwrap_or(0)));
            let mut bits = BitWriter::default();
            for p in &postings {
                bits.push(u64::from(p.fieldnorm), width);
            }
            norms = [vec![width as u8], bits.into_bytes()].concat();
        }
        [bitmap, codes, norms, tail].concat()
    } else {
        let mut out = Vec::new();
        let mut previous = 0;
        for p in &postings {
            push_varint(&mut out, u64::from(p.doc - previous));
            push_varint(&mut out, u64::from(p.tf));
            out.push(p.fieldnorm);
            if chunks {
                push_varint(&mut out, u64::from(p.chunk));
            }
            previous = p.doc;
        }
        out
    }
}

#[cfg(test)]
mod tests {
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
    fn sparse_lists_keep_docs_tf_and_fieldnorm() {
        let e = encode(&raw(&[(3, 1, 9), (40, 2, 7)]), BODY, 2, 100, false);
        assert_eq!(e, [3, 1, 9, 37, 2, 7]);
    }

    #[test]
    fn dense_lists_are_a_bitmap_and_2_bit_frequencies() {
        let e = encode(&raw(&[(0, 1, 9), (2, 2, 9), (9, 6, 9)]), BODY, 3, 16, false);
        // bitmap docs 0, 2, 9; codes 0, 1, 3; tail 6 - 4.
        assert_eq!(e, [0b0000_0101, 0b0000_0010, 0b0011_0100, 2]);
        let title = encode(&raw(&[(0, 1, 9), (2, 2, 3), (9, 6, 9)]), 0, 3, 16, false);
        // Short fields carry their fieldnorm ids: width 4, then 9, 3, 9.
        assert_eq!(title, [0b0000_0101, 0b0000_0010, 0b0011_0100, 4, 0x39, 0x09, 2]);
    }

    #[test]
    fn columns_store_fieldnorms_above_the_smallest() {
        assert_eq!(column(&[100, 101, 103]), [100, 2, 0b0011_0100]);
    }
}
