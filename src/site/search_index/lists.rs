//! The shipped form of one posting list, chosen by its density so that the
//! postings of common words stay small on large collections.
//!
//! * **Sparse** (short fields, or `df · 16 < N`): per posting `doc delta, tf` (varints), the
//!   fieldnorm id (one byte) and, in the body field of words and word
//!   pairs, the first snippet chunk (varint).
//! * **Dense** (body and n-gram lists with `df · 16 ≥ N`): a bitmap of the N documents, then a 2-bit
//!   code per posting (`tf − 1`, 3 = more: a varint `tf − 4` follows in the
//!   tail), and no fieldnorm: it comes from the field's fieldnorm column
//!   (`z/<field>.js`, one byte per document), which a query loads once.
//!
//! Positions of pairs are kept apart (they are needed only for phrases of
//! three or more terms): per posting `tf` position deltas.

use super::encode::push_varint;
use super::postings::{BODY, NGRAM};

/// Whether the list of `df` postings among `docs` documents in `field` is
/// dense. Only the long fields qualify: a column of fieldnorms costs one
/// byte per document, which only their long lists pay back.
pub fn is_dense(field: usize, df: u32, docs: u32) -> bool {
    matches!(field, BODY | NGRAM) && u64::from(df) * 16 >= u64::from(docs)
}

/// A list as shipped: postings, and positions for pairs.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Encoded {
    pub postings: Vec<u8>,
    pub positions: Vec<u8>,
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

/// Re-encodes an intermediate list (`doc delta, tf, fieldnorm, [chunk],
/// [positions]` per posting) in its shipped form.
pub fn encode(raw: &[u8], field: usize, df: u32, docs: u32, chunks: bool, pair: bool) -> Encoded {
    let mut postings = Vec::with_capacity(df as usize);
    let mut out = Encoded::default();
    let (mut at, mut doc) = (0, 0u32);
    while at < raw.len() {
        doc += read_varint(raw, &mut at) as u32;
        let tf = read_varint(raw, &mut at) as u32;
        let fieldnorm = raw[at];
        at += 1;
        let chunk = if chunks { read_varint(raw, &mut at) as u32 } else { 0 };
        if pair {
            for _ in 0..tf {
                push_varint(&mut out.positions, read_varint(raw, &mut at));
            }
        }
        postings.push(Raw {
            doc,
            tf,
            fieldnorm,
            chunk,
        });
    }
    if is_dense(field, df, docs) {
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
        out.postings = [bitmap, codes, tail].concat();
    } else {
        let mut previous = 0;
        for p in &postings {
            push_varint(&mut out.postings, u64::from(p.doc - previous));
            push_varint(&mut out.postings, u64::from(p.tf));
            out.postings.push(p.fieldnorm);
            if chunks {
                push_varint(&mut out.postings, u64::from(p.chunk));
            }
            previous = p.doc;
        }
    }
    out
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
        let e = encode(&raw(&[(3, 1, 9), (40, 2, 7)]), BODY, 2, 100, false, false);
        assert_eq!(e.postings, [3, 1, 9, 37, 2, 7]);
    }

    #[test]
    fn dense_lists_are_a_bitmap_and_2_bit_frequencies() {
        let e = encode(&raw(&[(0, 1, 9), (2, 2, 9), (9, 6, 9)]), BODY, 3, 16, false, false);
        // bitmap docs 0, 2, 9; codes 0, 1, 3; tail 6 - 4.
        assert_eq!(e.postings, [0b0000_0101, 0b0000_0010, 0b0011_0100, 2]);
        let title = encode(&raw(&[(0, 1, 9), (2, 2, 9), (9, 6, 9)]), 0, 3, 16, false, false);
        assert_eq!(title.postings, [0, 1, 9, 2, 2, 9, 7, 6, 9], "short fields stay sparse");
    }
}
