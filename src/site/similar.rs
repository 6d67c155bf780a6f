//! 類似事例: for each case, the few most similar other cases.
//!
//! The score is a small integer sum, so the result is the same in every
//! build and easy to explain to an editor:
//! - same category +30, and same section of it +20,
//! - +20 per shared tag, +10 per shared vendor,
//! - same population band +10, and up to +20 more the closer the
//!   populations are (full at equal size, nothing at a factor of 10 apart).
//!
//! A case needs at least [`MIN_SCORE`] to be listed, which a shared
//! category, tag or vendor can reach but a similar size alone cannot. Ties
//! go to the smaller id.
//!
//! Only cases sharing a category, tag or vendor are scored. Cases with the
//! same category, section, tags and vendors form a group: they are in the
//! same lists, so the lists are read once per group, not once per case. A
//! group's lists of such groups are read shortest first, all but the
//! longest (usually the category), and each group only gets the weight of
//! the lists it is in added up: one addition per entry, no score yet. For
//! each member, the cases of those groups are then scored in full (the
//! longest list, the size) from the highest sum down, until no lower sum
//! could reach the fifth best; the longest list is read only if a case
//! found in it alone could. The result is the same as scoring every pair
//! (tests check it). The number of groups is bounded by the values in use,
//! so the lists read grow with the collection, not with its square.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::case::Case;

/// How many similar cases a case page lists.
pub const MAX_SIMILAR: usize = 5;

/// Candidates need more than a shared band or size to count as similar.
pub const MIN_SCORE: u32 = 30;

const CATEGORY: u32 = 30;
const SECTION: u32 = 20;
const TAG: u32 = 20;
const VENDOR: u32 = 10;
const BAND: u32 = 10;
const SIZE: f64 = 20.0;
/// The most [`size_score`] gives.
const MAX_SIZE_SCORE: u32 = BAND + SIZE as u32;

/// The values of one case that the score looks at, as small integers.
#[derive(Debug, Clone)]
struct Features {
    category: u32,
    section: Option<u32>,
    tags: Vec<u32>,
    vendors: Vec<u32>,
    band: Option<u32>,
    log_population: Option<f64>,
}

/// Gives each distinct string a number.
#[derive(Default)]
struct Interner<'a>(HashMap<&'a str, u32>);

impl<'a> Interner<'a> {
    fn id(&mut self, s: &'a str) -> u32 {
        let next = self.0.len() as u32;
        *self.0.entry(s).or_insert(next)
    }

    fn ids(&mut self, values: impl Iterator<Item = &'a str>) -> Vec<u32> {
        let mut ids: Vec<u32> = values.map(|v| self.id(v)).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

fn features(cases: &[&Case]) -> Vec<Features> {
    // Sections are only the same within the same category.
    let section_keys: Vec<Option<String>> = cases
        .iter()
        .map(|c| {
            c.front
                .section
                .as_ref()
                .map(|s| format!("{}\u{0}{s}", c.front.category))
        })
        .collect();
    let mut categories = Interner::default();
    let mut sections = Interner::default();
    let mut tags = Interner::default();
    let mut vendors = Interner::default();
    let mut bands = Interner::default();
    cases
        .iter()
        .zip(&section_keys)
        .map(|(case, section)| Features {
            category: categories.id(&case.front.category),
            section: section.as_deref().map(|s| sections.id(s)),
            tags: tags.ids(case.front.tags.iter().map(String::as_str)),
            vendors: vendors.ids(case.front.vendors.iter().map(|v| v.name.as_str())),
            band: case.band.as_deref().map(|b| bands.id(b)),
            log_population: case.population().map(|p| (p.max(1) as f64).log10()),
        })
        .collect()
}

/// For each case (by index), the indices of its most similar cases, best first.
pub fn similar_cases(cases: &[&Case]) -> Vec<Vec<usize>> {
    matches(&features(cases))
}

/// [`similar_cases`] of the cases with `features`.
fn matches(features: &[Features]) -> Vec<Vec<usize>> {
    let groups = groups(features);
    let postings = Postings::build(features, &groups);
    let per_group: Vec<Vec<(usize, Vec<usize>)>> = (0..groups.len())
        .into_par_iter()
        .map_init(
            || Scratch::new(groups.len()),
            |scratch, g| postings.group_matches(features, &groups, scratch, g),
        )
        .collect();
    let mut out = vec![Vec::new(); features.len()];
    for (i, best) in per_group.into_iter().flatten() {
        out[i] = best;
    }
    out
}

/// The cases (by index) of each group: same category, section, tags and
/// vendors, in order of first appearance.
fn groups(features: &[Features]) -> Vec<Vec<usize>> {
    type Profile<'a> = (u32, Option<u32>, &'a [u32], &'a [u32]);
    let mut ids: HashMap<Profile<'_>, usize> = HashMap::new();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, f) in features.iter().enumerate() {
        let profile = (f.category, f.section, f.tags.as_slice(), f.vendors.as_slice());
        let next = groups.len();
        let g = *ids.entry(profile).or_insert(next);
        if g == next {
            groups.push(Vec::new());
        }
        groups[g].push(i);
    }
    groups
}

/// Which groups carry each category, section, tag and vendor.
struct Postings {
    categories: Vec<Vec<usize>>,
    sections: Vec<Vec<usize>>,
    tags: Vec<Vec<usize>>,
    vendors: Vec<Vec<usize>>,
}

/// Per-thread work space of [`Postings::group_matches`], left all zero
/// and empty between groups.
struct Scratch {
    /// Per group, the weight of the lists read so far that it is in.
    shared: Vec<u32>,
    /// The groups with a non-zero `shared`.
    touched: Vec<usize>,
    /// Touched groups by `shared / STEP`.
    by_shared: Vec<Vec<usize>>,
}

impl Scratch {
    fn new(groups: usize) -> Scratch {
        Scratch {
            shared: vec![0; groups],
            touched: Vec::new(),
            by_shared: Vec::new(),
        }
    }
}

/// Every list weight is a multiple of this.
const STEP: u32 = 10;
const _: () = assert!(
    CATEGORY.is_multiple_of(STEP)
        && SECTION.is_multiple_of(STEP)
        && TAG.is_multiple_of(STEP)
        && VENDOR.is_multiple_of(STEP)
);

fn push(lists: &mut Vec<Vec<usize>>, id: u32, group: usize) {
    let id = id as usize;
    if lists.len() <= id {
        lists.resize_with(id + 1, Vec::new);
    }
    lists[id].push(group);
}

impl Postings {
    fn build(features: &[Features], groups: &[Vec<usize>]) -> Postings {
        let mut p = Postings {
            categories: Vec::new(),
            sections: Vec::new(),
            tags: Vec::new(),
            vendors: Vec::new(),
        };
        for (g, members) in groups.iter().enumerate() {
            let f = &features[members[0]];
            push(&mut p.categories, f.category, g);
            if let Some(s) = f.section {
                push(&mut p.sections, s, g);
            }
            f.tags.iter().for_each(|&t| push(&mut p.tags, t, g));
            f.vendors.iter().for_each(|&v| push(&mut p.vendors, v, g));
        }
        p
    }

    /// The most similar cases of each member of group `g`: (case, best).
    fn group_matches(
        &self,
        features: &[Features],
        groups: &[Vec<usize>],
        scratch: &mut Scratch,
        g: usize,
    ) -> Vec<(usize, Vec<usize>)> {
        let f = &features[groups[g][0]];
        let mut lists: Vec<(&[usize], u32)> = vec![(&self.categories[f.category as usize], CATEGORY)];
        if let Some(s) = f.section {
            lists.push((&self.sections[s as usize], SECTION));
        }
        lists.extend(f.tags.iter().map(|&t| (self.tags[t as usize].as_slice(), TAG)));
        lists.extend(f.vendors.iter().map(|&v| (self.vendors[v as usize].as_slice(), VENDOR)));
        lists.sort_by_key(|(list, _)| list.len());
        // The category's list is always there, so the longest is too.
        let (shorter, longest) = lists.split_at(lists.len() - 1);
        let (longest, longest_weight) = longest[0];
        // Sum the weights of the shorter lists per group.
        for &(list, weight) in shorter {
            for &q in list {
                if scratch.shared[q] == 0 {
                    scratch.touched.push(q);
                }
                scratch.shared[q] += weight;
            }
        }
        for &q in &scratch.touched {
            let level = (scratch.shared[q] / STEP) as usize;
            if scratch.by_shared.len() <= level {
                scratch.by_shared.resize_with(level + 1, Vec::new);
            }
            scratch.by_shared[level].push(q);
        }
        let out = groups[g]
            .iter()
            .map(|&i| {
                (
                    i,
                    self.top_matches(features, groups, scratch, i, (longest, longest_weight)),
                )
            })
            .collect();
        for q in scratch.touched.drain(..) {
            scratch.shared[q] = 0;
        }
        scratch.by_shared.iter_mut().for_each(Vec::clear);
        out
    }

    /// The most similar cases of case `i`, once its group's lists were
    /// summed into `scratch`; `longest` is the list left unread.
    fn top_matches(
        &self,
        features: &[Features],
        groups: &[Vec<usize>],
        scratch: &Scratch,
        i: usize,
        (longest, longest_weight): (&[usize], u32),
    ) -> Vec<usize> {
        let f = &features[i];
        let mut best: Vec<(u32, usize)> = Vec::with_capacity(MAX_SIMILAR + 1);
        let beats = |best: &[(u32, usize)], bound: u32| best.len() == MAX_SIMILAR && best[MAX_SIMILAR - 1].0 > bound;
        let consider_group = |best: &mut Vec<(u32, usize)>, q: usize| {
            for &j in &groups[q] {
                if j != i {
                    consider(best, f, &features[j], j);
                }
            }
        };
        // Score them in full from the highest sum down: a case whose group
        // has sum `s` scores at most `s` + the longest list + the size score.
        for level in (0..scratch.by_shared.len()).rev() {
            if beats(&best, level as u32 * STEP + longest_weight + MAX_SIZE_SCORE) {
                break;
            }
            for &q in &scratch.by_shared[level] {
                consider_group(&mut best, q);
            }
        }
        // Cases in the longest list only score at most its weight + size.
        if !beats(&best, longest_weight + MAX_SIZE_SCORE) {
            for &q in longest {
                if scratch.shared[q] == 0 {
                    consider_group(&mut best, q);
                }
            }
        }
        best.into_iter().map(|(_, j)| j).collect()
    }
}

/// Scores candidate `j` (features `b`) for case `a` and keeps it if it is
/// among the best.
fn consider(best: &mut Vec<(u32, usize)>, a: &Features, b: &Features, j: usize) {
    let total = pair_score(a, b);
    if total >= MIN_SCORE {
        insert_best(best, (total, j));
    }
}

/// The score of `b` as a case similar to `a`.
fn pair_score(a: &Features, b: &Features) -> u32 {
    let mut total = 0;
    if a.category == b.category {
        total += CATEGORY;
    }
    // Section ids include their category (see `features`).
    if a.section.is_some() && a.section == b.section {
        total += SECTION;
    }
    total += TAG * shared(&a.tags, &b.tags);
    total += VENDOR * shared(&a.vendors, &b.vendors);
    total + size_score(a, b)
}

/// How many values two sorted, deduplicated lists share.
fn shared(a: &[u32], b: &[u32]) -> u32 {
    let (mut x, mut y, mut n) = (0, 0, 0);
    while x < a.len() && y < b.len() {
        match a[x].cmp(&b[y]) {
            std::cmp::Ordering::Less => x += 1,
            std::cmp::Ordering::Greater => y += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                x += 1;
                y += 1;
            }
        }
    }
    n
}

/// Keeps the [`MAX_SIMILAR`] best (highest score, then lowest index).
fn insert_best(best: &mut Vec<(u32, usize)>, candidate: (u32, usize)) {
    let better = |a: &(u32, usize), b: &(u32, usize)| a.0 > b.0 || (a.0 == b.0 && a.1 < b.1);
    let at = best.iter().position(|b| better(&candidate, b)).unwrap_or(best.len());
    if at < MAX_SIMILAR {
        best.insert(at, candidate);
        best.truncate(MAX_SIMILAR);
    }
}

/// The band and population part of the score.
fn size_score(a: &Features, b: &Features) -> u32 {
    let band = if a.band.is_some() && a.band == b.band { BAND } else { 0 };
    let closeness = match (a.log_population, b.log_population) {
        (Some(x), Some(y)) => (SIZE * (1.0 - (x - y).abs()).max(0.0)).round() as u32,
        _ => 0,
    };
    band + closeness
}

#[cfg(test)]
mod tests {
    use super::*;

    fn features(category: u32, section: Option<u32>, tags: &[u32], population: Option<u64>) -> Features {
        Features {
            category,
            section,
            tags: tags.to_vec(),
            vendors: Vec::new(),
            band: None,
            log_population: population.map(|p| (p.max(1) as f64).log10()),
        }
    }

    /// The score computed pair by pair from its definition, to check the
    /// pruned search against.
    fn oracle_score(a: &Features, b: &Features) -> u32 {
        let mut total = 0;
        if a.category == b.category {
            total += CATEGORY;
        }
        if a.section.is_some() && a.section == b.section {
            total += SECTION;
        }
        total += TAG * a.tags.iter().filter(|t| b.tags.contains(t)).count() as u32;
        total += VENDOR * a.vendors.iter().filter(|v| b.vendors.contains(v)).count() as u32;
        total + size_score(a, b)
    }

    fn expected_best(all: &[Features], i: usize) -> Vec<usize> {
        let mut expected: Vec<(u32, usize)> = (0..all.len())
            .filter(|&j| j != i)
            .map(|j| (oracle_score(&all[i], &all[j]), j))
            .filter(|(s, _)| *s >= MIN_SCORE)
            .collect();
        expected.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        expected.into_iter().take(MAX_SIMILAR).map(|(_, j)| j).collect()
    }

    /// Checks the search of every case against scoring every pair, with
    /// one scratch for all groups (as a thread reuses it).
    fn assert_same_as_every_pair(all: &[Features]) {
        let groups = groups(all);
        let postings = Postings::build(all, &groups);
        let mut scratch = Scratch::new(groups.len());
        for g in 0..groups.len() {
            for (i, best) in postings.group_matches(all, &groups, &mut scratch, g) {
                assert_eq!(best, expected_best(all, i), "case {i}");
            }
            assert!(scratch.shared.iter().all(|&s| s == 0), "scratch is reset");
            assert!(scratch.touched.is_empty() && scratch.by_shared.iter().all(Vec::is_empty));
        }
        let found = matches(all);
        assert!((0..all.len()).all(|i| found[i] == expected_best(all, i)));
    }

    #[test]
    fn pruned_search_finds_what_scoring_every_pair_finds() {
        // A collection where the category and one tag are common (long
        // lists that pruning skips) and sizes and rarer tags vary.
        let all: Vec<Features> = (0..400u32)
            .map(|n| {
                let tags: Vec<u32> = [0, 1 + n % 7, 10 + n % 23]
                    .into_iter()
                    .filter(|t| *t != 0 || n % 3 != 0)
                    .collect();
                let mut f = features(n % 2, Some(n % 5), &tags, Some(1_000 + u64::from(n * 7_919 % 400_000)));
                f.vendors = vec![n % 41];
                f.band = Some(n % 4);
                f
            })
            .collect();
        assert_same_as_every_pair(&all);
    }

    #[test]
    fn groups_of_cases_with_the_same_values_find_what_every_pair_finds() {
        // Few distinct value sets, so groups have many members, of every
        // size and band.
        let all: Vec<Features> = (0..300u32)
            .map(|n| {
                let tags: Vec<u32> = if n % 5 == 0 { Vec::new() } else { vec![n % 4] };
                let mut f = features(
                    n % 2,
                    (n % 3 != 0).then_some(n % 2),
                    &tags,
                    Some(500 + u64::from(n * 7_919 % 900_000)),
                );
                f.vendors = if n % 7 == 0 { Vec::new() } else { vec![n % 2] };
                f.band = Some(n % 3);
                f
            })
            .collect();
        let groups = groups(&all);
        assert!(
            groups.len() < 60 && groups.iter().any(|g| g.len() >= 10),
            "{} groups",
            groups.len()
        );
        assert_same_as_every_pair(&all);
    }

    #[test]
    fn accumulated_scores_match_pairwise_scores() {
        let all = vec![
            features(0, Some(0), &[1, 2], Some(12_000)),
            features(0, Some(0), &[2], Some(15_000)),
            features(0, Some(1), &[], Some(400_000)),
            features(1, None, &[1, 2], Some(12_000)),
            features(1, None, &[], Some(12_000)),
            features(2, None, &[3], None),
        ];
        assert_same_as_every_pair(&all);
    }

    #[test]
    fn closeness_falls_with_the_size_ratio() {
        let size = |a: u64, b: u64| size_score(&features(0, None, &[], Some(a)), &features(0, None, &[], Some(b)));
        assert_eq!(size(10_000, 10_000), 20);
        assert_eq!(size(10_000, 100_000), 0);
        assert!(size(10_000, 20_000) > 10);
        assert_eq!(size(0, 0), 20);
    }
}
