//! 類似事例: for each case, the few most similar other cases.
//!
//! The score is a small integer sum, so the result is the same in every
//! build and easy to explain to an editor:
//! - same category +30, same section +20,
//! - +20 per shared tag, +10 per shared vendor,
//! - same population band +10, and up to +20 more the closer the
//!   populations are (full at equal size, nothing at a factor of 10 apart).
//!
//! Only cases sharing a category, a tag or a vendor are scored (an inverted
//! index finds them), so a large collection does not cost n² comparisons
//! of unrelated cases. Ties go to the smaller id.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::case::Case;

/// How many similar cases a case page lists.
pub const MAX_SIMILAR: usize = 5;

/// Candidates need more than a shared band or size to count as similar.
const MIN_SCORE: u32 = 30;

/// For each case (by index), the indices of its most similar cases, best first.
pub fn similar_cases(cases: &[&Case]) -> Vec<Vec<usize>> {
    let index = InvertedIndex::build(cases);
    (0..cases.len())
        .into_par_iter()
        .map(|i| top_matches(cases, &index, i))
        .collect()
}

/// Which cases carry each category, tag and vendor.
struct InvertedIndex<'a> {
    postings: HashMap<(u8, &'a str), Vec<usize>>,
}

impl<'a> InvertedIndex<'a> {
    fn build(cases: &[&'a Case]) -> Self {
        let mut postings: HashMap<(u8, &'a str), Vec<usize>> = HashMap::new();
        for (i, case) in cases.iter().enumerate() {
            for key in keys(case) {
                let list = postings.entry(key).or_default();
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }
        InvertedIndex { postings }
    }
}

/// The features that make two cases candidates for each other.
fn keys<'a>(case: &'a Case) -> impl Iterator<Item = (u8, &'a str)> {
    std::iter::once((0, case.front.category.as_str()))
        .chain(case.front.tags.iter().map(|t| (1, t.as_str())))
        .chain(case.front.vendors.iter().map(|v| (2, v.name.as_str())))
}

fn top_matches(cases: &[&Case], index: &InvertedIndex, i: usize) -> Vec<usize> {
    let mut candidates: Vec<usize> = keys(cases[i])
        .filter_map(|key| index.postings.get(&key))
        .flatten()
        .copied()
        .filter(|&j| j != i)
        .collect();
    candidates.sort_unstable();
    candidates.dedup();
    let mut scored: Vec<(u32, usize)> = candidates
        .into_iter()
        .map(|j| (score(cases[i], cases[j]), j))
        .filter(|(s, _)| *s >= MIN_SCORE)
        .collect();
    // Cases are sorted by id, so a smaller index is a smaller id.
    scored.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().take(MAX_SIMILAR).map(|(_, j)| j).collect()
}

/// The similarity of two cases; symmetric.
pub fn score(a: &Case, b: &Case) -> u32 {
    let mut total = 0;
    if a.front.category == b.front.category {
        total += 30;
        if a.front.section.is_some() && a.front.section == b.front.section {
            total += 20;
        }
    }
    let shared_tags = a.front.tags.iter().filter(|t| b.front.tags.contains(t)).count();
    let shared_vendors = a
        .front
        .vendors
        .iter()
        .filter(|v| b.front.vendors.iter().any(|w| w.name == v.name))
        .count();
    total += 20 * shared_tags as u32 + 10 * shared_vendors as u32;
    if a.band.is_some() && a.band == b.band {
        total += 10;
    }
    total + size_closeness(a.population(), b.population())
}

/// 20 for equal populations, falling linearly to 0 at a factor of 10.
fn size_closeness(a: Option<u64>, b: Option<u64>) -> u32 {
    let (Some(a), Some(b)) = (a, b) else { return 0 };
    let (a, b) = (a.max(1) as f64, b.max(1) as f64);
    let distance = (a.log10() - b.log10()).abs();
    (20.0 * (1.0 - distance).max(0.0)).round() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closeness_falls_with_the_size_ratio() {
        assert_eq!(size_closeness(Some(10_000), Some(10_000)), 20);
        assert_eq!(size_closeness(Some(10_000), Some(100_000)), 0);
        assert!(size_closeness(Some(10_000), Some(20_000)) > 10);
        assert_eq!(size_closeness(None, Some(1)), 0);
        assert_eq!(size_closeness(Some(0), Some(0)), 20);
    }
}
