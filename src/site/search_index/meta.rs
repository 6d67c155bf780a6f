//! The metadata every search loads (`meta.js`: field statistics, ranking
//! constants, the facet dimensions) and the per-document columns: facet
//! values (`f/<facet>.js`, with the facet's value names, loaded for the
//! facets the page shows open or filters by) and numbers (`n/<number>.js`,
//! loaded only for ranges, sorting and peers).
//!
//! Columns are bit-packed: a single-valued facet stores `value index + 1`
//! (0 = none) in the fewest bits; a multi-valued one stores a count and
//! the value indices; a number stores `value + 1` (0 = unknown).

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::json;

use super::encode::{BitWriter, bit_width, push_varint};
use super::postings::Postings;
use crate::case::band::BandScheme;
use crate::case::place::{Prefecture, REGIONS};
use crate::index::CaseSummary;
use crate::index::schema::{FACETS, NGRAM_WEIGHT, READING_WEIGHT, WORD_WEIGHTS};
use crate::search::query::MAX_QUERY_CHARS;

/// The number columns, in the order the JS knows them.
pub const NUMBERS: [&str; 4] = ["population", "initial_cost", "running_cost", "lead_time"];

/// Labels of the facet dimensions, in [`FACETS`] order.
pub const FACET_LABELS: [&str; 8] = [
    "人口規模",
    "分類",
    "節",
    "都道府県",
    "地方",
    "タグ",
    "事業者",
    "運用形態",
];

/// One facet dimension: how its column is packed (in `meta.js`), its
/// values in display order and the packed column (in `f/<facet>.js`,
/// loaded when the facet is shown or filtered).
#[derive(Debug, Serialize)]
pub struct FacetColumn {
    pub name: &'static str,
    pub label: &'static str,
    /// Value ids (as stored) in display order are indices into this list.
    #[serde(skip)]
    pub values: Vec<String>,
    /// Display labels where they differ from the value (band names).
    #[serde(skip)]
    pub labels: Vec<String>,
    pub multi: bool,
    /// Bits per value (single: value index + 1; multi: value index).
    pub width: u32,
    /// Bits of the count (multi only).
    pub count_width: u32,
    #[serde(skip)]
    pub bytes: Vec<u8>,
}

/// Builds the column of each facet from the values of each document.
pub fn facet_columns(values: &[[Vec<String>; 8]], bands: &BandScheme) -> Vec<FacetColumn> {
    FACETS
        .iter()
        .enumerate()
        .map(|(f, &name)| {
            let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
            for doc in values {
                for v in &doc[f] {
                    *counts.entry(v.as_str()).or_default() += 1;
                }
            }
            let mut ordered: Vec<&str> = counts.keys().copied().collect();
            let rank = |v: &str| -> usize {
                match name {
                    "band" => bands.bands().iter().position(|b| b.id == v).unwrap_or(usize::MAX),
                    "region" => REGIONS.iter().position(|r| *r == v).unwrap_or(usize::MAX),
                    "prefecture" => Prefecture::from_name(v).map_or(usize::MAX, |p| usize::from(p.code())),
                    _ => usize::MAX - counts[v],
                }
            };
            ordered.sort_by_key(|v| (rank(v), *v));
            let id = |v: &str| ordered.iter().position(|o| *o == v).unwrap_or(0) as u64;
            let multi = values.iter().any(|doc| doc[f].len() > 1);
            let max_count = values.iter().map(|doc| doc[f].len()).max().unwrap_or(0) as u64;
            let (width, count_width) = if multi {
                (bit_width(ordered.len().saturating_sub(1) as u64), bit_width(max_count))
            } else {
                (bit_width(ordered.len() as u64), 0)
            };
            let mut bits = BitWriter::default();
            for doc in values {
                if multi {
                    bits.push(doc[f].len() as u64, count_width);
                    for v in &doc[f] {
                        bits.push(id(v), width);
                    }
                } else {
                    bits.push(doc[f].first().map_or(0, |v| id(v) + 1), width);
                }
            }
            let labels = if name == "band" {
                ordered
                    .iter()
                    .map(|v| bands.get(v).map_or_else(|| v.to_string(), |b| b.label.clone()))
                    .collect()
            } else {
                Vec::new()
            };
            FacetColumn {
                name,
                label: FACET_LABELS[f],
                values: ordered.iter().map(|v| v.to_string()).collect(),
                labels,
                multi,
                width,
                count_width,
                bytes: bits.into_bytes(),
            }
        })
        .collect()
}

/// One number column: per case, bit-packed, 0 for none, else `value + 1`
/// or, for a column with a dictionary, `position in values + 1`.
pub struct NumberColumn {
    pub name: &'static str,
    pub width: u32,
    pub bytes: Vec<u8>,
    /// The distinct values in ascending order, as a count and the gaps
    /// between them (varints), when that is smaller than packing the
    /// values themselves: a collection has far fewer distinct populations
    /// (one per organisation) than cases.
    pub dictionary: Option<Vec<u8>>,
}

pub fn number_columns(summaries: &[CaseSummary]) -> Vec<NumberColumn> {
    let get = |s: &CaseSummary, i: usize| match i {
        0 => s.population,
        1 => s.initial_cost,
        2 => s.running_cost,
        _ => s.lead_time_months.map(u64::from),
    };
    NUMBERS
        .iter()
        .enumerate()
        .map(|(i, &name)| number_column(name, &summaries.iter().map(|s| get(s, i)).collect::<Vec<_>>()))
        .collect()
}

/// The column of `values` in whichever form is smaller.
fn number_column(name: &'static str, values: &[Option<u64>]) -> NumberColumn {
    let max = values.iter().flatten().copied().max().unwrap_or(0);
    let plain_width = bit_width(max + 1);
    let mut distinct: Vec<u64> = values.iter().flatten().copied().collect();
    distinct.sort_unstable();
    distinct.dedup();
    let mut dictionary = Vec::new();
    push_varint(&mut dictionary, distinct.len() as u64);
    let mut previous = 0;
    for &v in &distinct {
        push_varint(&mut dictionary, v - previous);
        previous = v;
    }
    let index_width = bit_width(distinct.len() as u64);
    let n = values.len() as u64;
    let use_dictionary = n * u64::from(index_width) + dictionary.len() as u64 * 8 < n * u64::from(plain_width);
    let width = if use_dictionary { index_width } else { plain_width };
    let mut bits = BitWriter::default();
    for value in values {
        let packed = match value {
            None => 0,
            Some(v) if use_dictionary => distinct.binary_search(v).map_or(0, |at| at as u64 + 1),
            Some(v) => v + 1,
        };
        bits.push(packed, width);
    }
    NumberColumn {
        name,
        width,
        bytes: bits.into_bytes(),
        dictionary: use_dictionary.then_some(dictionary),
    }
}

/// The idf tantivy computes (`ln(1 + (N − n + 0.5) / (n + 0.5))` in f32).
fn idf(df: u64, docs: u64) -> f32 {
    let x = ((docs - df) as f32 + 0.5) / (df as f32 + 0.5);
    (1.0 + x).ln()
}

/// Document frequencies whose idf the browser would round differently:
/// it computes `Math.fround(Math.log(1 + x))` in double precision, while
/// tantivy calls the platform's single-precision `ln`, which is not always
/// correctly rounded. The exact values for those few are shipped.
pub fn idf_fixes(docs: u64) -> BTreeMap<u64, f32> {
    (0..=docs)
        .filter_map(|df| {
            let x = ((docs - df) as f32 + 0.5) / (df as f32 + 0.5);
            let browser = f64::from(1.0f32 + x).ln() as f32;
            let exact = idf(df, docs);
            (browser.to_bits() != exact.to_bits()).then_some((df, exact))
        })
        .collect()
}

/// The fieldnorm of a fieldnorm id: Lucene's `SmallFloat.byte4ToInt`,
/// which tantivy tabulates. The browser computes the same formula.
pub fn fieldnorm(id: u8) -> u32 {
    if id < 24 {
        return u32::from(id);
    }
    let i = u32::from(id) - 24;
    let (bits, shift) = (i & 7, (i >> 3) as i32 - 1);
    24 + if shift < 0 { bits } else { (bits | 8) << shift }
}

/// Everything `meta.js` carries.
pub struct MetaInput<'a> {
    pub postings: &'a Postings,
    pub facets: &'a [FacetColumn],
    pub shown_facets: &'a [String],
    pub numbers: &'a [NumberColumn],
    pub term_shards: u32,
    pub lexicon_shards: u32,
    pub hit_block: usize,
    pub row_block: usize,
}

pub fn meta(input: &MetaInput<'_>) -> serde_json::Value {
    let p = input.postings;
    let mut weights: Vec<f32> = WORD_WEIGHTS.iter().map(|(_, w)| *w).collect();
    weights.extend([READING_WEIGHT, NGRAM_WEIGHT]);
    json!({
        "docs": p.num_docs,
        "tokens": p.total_tokens,
        "weights": weights,
        "idfFix": idf_fixes(u64::from(p.num_docs)),
        "termShards": input.term_shards,
        "lexShards": input.lexicon_shards,
        "unknownCost": super::lexicon::UNKNOWN_COST,
        "maxQuery": MAX_QUERY_CHARS,
        "maxAlternatives": crate::analysis::MAX_ALTERNATIVES,
        "facets": input.facets,
        "shown": input.shown_facets,
        "numbers": input.numbers.iter().map(|n| json!({"name": n.name, "width": n.width, "dict": n.dictionary.is_some()})).collect::<Vec<_>>(),
        "hitBlock": input.hit_block,
        "rowBlock": input.row_block,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_numbers_get_a_dictionary_and_varied_ones_do_not() {
        let repeated: Vec<Option<u64>> = (0..1000u64)
            .map(|i| (i % 7 != 0).then_some(1_000_000 + i % 3 * 250_000))
            .collect();
        let column = number_column("population", &repeated);
        let dictionary = column.dictionary.expect("3 distinct values among 1,000");
        // 3 values: 1,000,000 then gaps of 250,000.
        assert_eq!(dictionary, [3, 0xC0, 0x84, 0x3D, 0x90, 0xA1, 0x0F, 0x90, 0xA1, 0x0F]);
        assert_eq!(column.width, 2);
        // Case 0 has none; case 1 has the second value, case 2 the third.
        assert_eq!(column.bytes[0] & 0b11_11_11, 0b11_10_00);
        let varied: Vec<Option<u64>> = (0..1000u64).map(|i| Some(i * 7)).collect();
        assert!(number_column("initial_cost", &varied).dictionary.is_none());
    }

    #[test]
    fn fieldnorm_formula_is_tantivys_table() {
        for id in 0..=255u8 {
            assert_eq!(
                fieldnorm(id),
                tantivy::fieldnorm::FieldNormReader::id_to_fieldnorm(id),
                "{id}"
            );
        }
    }

    #[test]
    fn idf_fixes_are_exact() {
        for (df, value) in idf_fixes(85) {
            assert_eq!(value.to_bits(), idf(df, 85).to_bits());
        }
    }
}
