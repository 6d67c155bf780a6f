//! Ordering hits: by relevance (optionally favouring peers of a given
//! population) or by a number, always with a deterministic tie-break on the
//! case id so every front end shows the same order.

use std::cmp::Ordering;

use serde::Serialize;

/// The orders a user can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum SortOrder {
    #[default]
    Relevance,
    Population,
    InitialCost,
    LeadTime,
}

/// What ranking needs to know of one hit.
#[derive(Debug, Clone)]
pub struct RankInput {
    /// Position of the case id in the sorted list of all ids: the tie-break,
    /// equivalent to comparing ids but without reading strings.
    pub id_rank: u64,
    pub score: f32,
    pub population: Option<u64>,
    pub initial_cost: Option<u64>,
    pub lead_time: Option<u64>,
}

/// Similarity of a population to the reference `near`: 1 for the same
/// size, 0.5 at half or double, falling slowly beyond; 0.25 when unknown.
///
/// ```
/// use jirei::search::rank::peer_similarity;
/// assert_eq!(peer_similarity(Some(20_000), 20_000), 1.0);
/// assert_eq!(peer_similarity(Some(40_000), 20_000), 0.5);
/// assert_eq!(peer_similarity(Some(10_000), 20_000), 0.5);
/// ```
pub fn peer_similarity(population: Option<u64>, near: u64) -> f64 {
    match population {
        Some(p) if p > 0 && near > 0 => 1.0 / (1.0 + (p as f64 / near as f64).log2().abs()),
        _ => 0.25,
    }
}

/// Scores are compared at a fixed precision so that tiny floating-point
/// differences between implementations never reorder hits.
pub fn quantize(score: f64) -> i64 {
    (score * 10_000.0).round() as i64
}

/// The ranking key of a hit under relevance: its score, scaled by peer
/// similarity when a reference population is given.
pub fn relevance(input: &RankInput, near: Option<u64>) -> i64 {
    let base = f64::from(input.score);
    quantize(match near {
        Some(n) => base * peer_similarity(input.population, n),
        None => base,
    })
}

/// Sorts hits in place.
pub fn sort(hits: &mut [RankInput], order: SortOrder, near: Option<u64>) {
    sort_by(hits, |h| h, order, near);
}

/// Sorts anything that carries a [`RankInput`].
pub fn sort_by<T>(hits: &mut [T], input: impl Fn(&T) -> &RankInput, order: SortOrder, near: Option<u64>) {
    let by_value = |a: Option<u64>, b: Option<u64>| match (a, b) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    };
    hits.sort_by(|a, b| {
        let (a, b) = (input(a), input(b));
        let primary = match order {
            SortOrder::Relevance => relevance(b, near).cmp(&relevance(a, near)),
            SortOrder::Population => by_value(a.population, b.population),
            SortOrder::InitialCost => by_value(a.initial_cost, b.initial_cost),
            SortOrder::LeadTime => by_value(a.lead_time, b.lead_time),
        };
        primary
            .then_with(|| relevance(b, near).cmp(&relevance(a, near)))
            .then_with(|| a.id_rank.cmp(&b.id_rank))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(id: &str, score: f32, population: Option<u64>) -> RankInput {
        let ids = ["a", "b", "big", "c", "none", "peer", "x", "y", "z"];
        let id_rank = ids.iter().position(|x| *x == id).unwrap_or(99) as u64;
        RankInput {
            id_rank,
            score,
            population,
            initial_cost: None,
            lead_time: None,
        }
    }

    fn names(hits: &[RankInput]) -> Vec<u64> {
        hits.iter().map(|h| h.id_rank).collect()
    }

    #[test]
    fn ties_are_broken_by_id() {
        let mut hits = vec![hit("b", 1.0, None), hit("a", 1.0, None), hit("c", 2.0, None)];
        sort(&mut hits, SortOrder::Relevance, None);
        assert_eq!(names(&hits), [3, 0, 1], "c, then a and b by id");
    }

    #[test]
    fn peers_of_similar_population_rise() {
        let mut hits = vec![
            hit("big", 1.0, Some(1_000_000)),
            hit("peer", 0.8, Some(21_000)),
            hit("none", 1.0, None),
        ];
        sort(&mut hits, SortOrder::Relevance, Some(20_000));
        assert_eq!(hits[0].id_rank, 5, "peer");
    }

    #[test]
    fn numeric_orders_put_unknown_values_last() {
        let mut hits = vec![hit("x", 1.0, None), hit("y", 1.0, Some(5)), hit("z", 1.0, Some(3))];
        sort(&mut hits, SortOrder::Population, None);
        assert_eq!(names(&hits), [8, 7, 6], "z, y, x");
    }
}
