//! One pass over the matches of the text query that yields everything a
//! search answer needs: the matches that pass every filter (with what
//! ranking needs, read from fast fields) and the disjunctive facet counts.
//!
//! The filters are checked here, per document, against fast fields and
//! facet columns instead of being part of the tantivy query. A facet's
//! counts come from the documents that pass every filter except that
//! facet's own, so each document is counted according to the filters it
//! fails:
//!
//! - a range filter: nowhere (ranges are never left out);
//! - no filter: for every facet, and it is a match;
//! - exactly one facet filter F: for facet F only;
//! - two or more facet filters: nowhere.
//!
//! This gives the counts of one tantivy facet pass per facet (query AND
//! all filters but F's) in a single pass. Facet values are counted the way
//! tantivy's `FacetCollector` counts the children of `/`: once per value a
//! document carries, repeated ordinals in a row counting once.

use std::collections::BTreeMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::fastfield::FacetReader;
use tantivy::schema::Facet;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use super::filter::{Filters, Range};
use super::rank::RankInput;
use crate::index::SearchIndex;

/// A match that passes every filter, with what ranking needs.
#[derive(Debug, Clone)]
pub struct Ranked {
    pub input: RankInput,
    pub address: DocAddress,
}

/// What one pass found.
#[derive(Debug, Default)]
pub struct Found {
    /// Matches passing every filter, in no particular order (empty unless
    /// asked for with [`Pass::keep_matches`]).
    pub matches: Vec<Ranked>,
    /// Value → count, per facet asked for (in the order asked).
    pub facets: Vec<BTreeMap<String, u64>>,
}

/// One facet filter: the facet column and the accepted values (OR).
#[derive(Debug, Clone)]
struct FacetFilter {
    column: String,
    values: Vec<Facet>,
    /// Position of this facet among the counted ones, if it is counted.
    counted: Option<usize>,
}

/// The collector: what to check, what to count, what to keep.
#[derive(Debug, Clone, Default)]
pub struct Pass {
    filters: Vec<FacetFilter>,
    ranges: Vec<(&'static str, Range)>,
    /// Facet columns to count; `None` for a name that is not a facet.
    counted: Vec<Option<String>>,
    keep_matches: bool,
}

/// The fast-field columns holding the numbers that range filters test.
const RANGE_COLUMNS: [&str; 4] = ["population", "initial_cost", "running_cost", "lead_time"];

impl Pass {
    /// A pass applying `filters` and counting `facets` (facet names).
    pub fn new(index: &SearchIndex, filters: &Filters, facets: &[String]) -> Pass {
        let column_of = |name: &str| {
            index
                .fields
                .facet(name)
                .map(|field| index.index.schema().get_field_name(field).to_string())
        };
        let facet_filters = filters
            .facets
            .iter()
            .filter(|(_, values)| !values.is_empty())
            .filter_map(|(name, values)| {
                Some(FacetFilter {
                    column: column_of(name)?,
                    values: values.iter().map(|v| Facet::from_path([v.as_str()])).collect(),
                    counted: facets.iter().position(|f| f == name),
                })
            })
            .collect();
        let ranges = [
            filters.population,
            filters.initial_cost,
            filters.running_cost,
            filters.lead_time,
        ];
        Pass {
            filters: facet_filters,
            ranges: RANGE_COLUMNS
                .into_iter()
                .zip(ranges)
                .filter(|(_, range)| *range != Range::default())
                .collect(),
            counted: facets.iter().map(|name| column_of(name)).collect(),
            keep_matches: false,
        }
    }

    /// Also return the matches that pass every filter, scored.
    pub fn keep_matches(mut self) -> Pass {
        self.keep_matches = true;
        self
    }
}

impl Collector for Pass {
    type Fruit = Found;
    type Child = SegmentPass;

    fn for_segment(&self, segment: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<SegmentPass> {
        let fast = reader.fast_fields();
        let ranges = self
            .ranges
            .iter()
            .map(|(column, range)| Ok((fast.u64(column)?, *range)))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let filters = self
            .filters
            .iter()
            .map(|f| SegmentFilter::new(reader, f))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let counted = self
            .counted
            .iter()
            .map(|column| column.as_deref().map(|c| SegmentCounts::new(reader, c)).transpose())
            .collect::<tantivy::Result<Vec<_>>>()?;
        let rank = if self.keep_matches {
            Some(RankColumns {
                population: fast.u64("population")?,
                initial_cost: fast.u64("initial_cost")?,
                lead_time: fast.u64("lead_time")?,
                id_rank: fast.u64("id_rank")?,
            })
        } else {
            None
        };
        Ok(SegmentPass {
            segment,
            ranges,
            filters,
            counted,
            rank,
            matches: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.keep_matches
    }

    fn merge_fruits(&self, fruits: Vec<Found>) -> tantivy::Result<Found> {
        let mut all = Found {
            matches: Vec::new(),
            facets: vec![BTreeMap::new(); self.counted.len()],
        };
        for fruit in fruits {
            all.matches.extend(fruit.matches);
            for (total, counts) in all.facets.iter_mut().zip(fruit.facets) {
                for (value, count) in counts {
                    *total.entry(value).or_insert(0) += count;
                }
            }
        }
        Ok(all)
    }
}

/// A facet filter in one segment: which ordinals it accepts.
struct SegmentFilter {
    reader: FacetReader,
    accepted: Vec<bool>,
    counted: Option<usize>,
}

impl SegmentFilter {
    fn new(segment: &SegmentReader, filter: &FacetFilter) -> tantivy::Result<SegmentFilter> {
        let reader = segment.facet_reader(&filter.column)?;
        let mut accepted = vec![false; reader.num_facets()];
        for value in &filter.values {
            if let Some(ord) = reader.facet_dict().term_ord(value.encoded_str())? {
                accepted[ord as usize] = true;
            }
        }
        Ok(SegmentFilter {
            reader,
            accepted,
            counted: filter.counted,
        })
    }

    fn accepts(&self, doc: DocId) -> bool {
        self.reader.facet_ords(doc).any(|ord| self.accepted[ord as usize])
    }
}

/// The counts of one facet in one segment, by ordinal.
struct SegmentCounts {
    reader: FacetReader,
    counts: Vec<u64>,
}

impl SegmentCounts {
    fn new(segment: &SegmentReader, column: &str) -> tantivy::Result<SegmentCounts> {
        let reader = segment.facet_reader(column)?;
        let counts = vec![0; reader.num_facets()];
        Ok(SegmentCounts { reader, counts })
    }

    fn count(&mut self, doc: DocId) {
        let mut previous = u64::MAX;
        for ord in self.reader.facet_ords(doc) {
            self.counts[ord as usize] += u64::from(ord != previous);
            previous = ord;
        }
    }

    /// Value → count, leaving out values no document was counted for.
    fn harvest(self) -> BTreeMap<String, u64> {
        let mut out = BTreeMap::new();
        let mut facet = Facet::root();
        for (ord, count) in self.counts.into_iter().enumerate() {
            if count == 0 || self.reader.facet_from_ord(ord as u64, &mut facet).is_err() {
                continue;
            }
            if let Some(value) = facet.to_path().first() {
                *out.entry(value.to_string()).or_insert(0) += count;
            }
        }
        out
    }
}

/// The columns ranking reads.
struct RankColumns {
    population: Column<u64>,
    initial_cost: Column<u64>,
    lead_time: Column<u64>,
    id_rank: Column<u64>,
}

/// The pass over one segment.
pub struct SegmentPass {
    segment: SegmentOrdinal,
    ranges: Vec<(Column<u64>, Range)>,
    filters: Vec<SegmentFilter>,
    counted: Vec<Option<SegmentCounts>>,
    rank: Option<RankColumns>,
    matches: Vec<Ranked>,
}

/// Whether a document's value is in the range (a missing value never is).
fn in_range(value: Option<u64>, range: Range) -> bool {
    value.is_some_and(|v| range.min.is_none_or(|min| v >= min) && range.max.is_none_or(|max| v <= max))
}

impl SegmentPass {
    /// The one facet filter `doc` fails, `Ok(None)` if it passes them all,
    /// `Err(())` if it fails more than one.
    fn failed_filter(&self, doc: DocId) -> Result<Option<usize>, ()> {
        let mut failed = None;
        for (i, filter) in self.filters.iter().enumerate() {
            if !filter.accepts(doc) {
                if failed.is_some() {
                    return Err(());
                }
                failed = Some(i);
            }
        }
        Ok(failed)
    }

    fn keep(&mut self, doc: DocId, score: Score) {
        let Some(c) = &self.rank else { return };
        let input = RankInput {
            id_rank: c.id_rank.first(doc).unwrap_or(u64::MAX),
            score,
            population: c.population.first(doc),
            initial_cost: c.initial_cost.first(doc),
            lead_time: c.lead_time.first(doc),
        };
        self.matches.push(Ranked {
            input,
            address: DocAddress::new(self.segment, doc),
        });
    }
}

impl SegmentCollector for SegmentPass {
    type Fruit = Found;

    fn collect(&mut self, doc: DocId, score: Score) {
        if !self
            .ranges
            .iter()
            .all(|(column, range)| in_range(column.first(doc), *range))
        {
            return;
        }
        match self.failed_filter(doc) {
            Ok(None) => {
                self.keep(doc, score);
                self.counted.iter_mut().flatten().for_each(|c| c.count(doc));
            }
            Ok(Some(i)) => {
                if let Some(Some(counts)) = self.filters[i].counted.map(|slot| &mut self.counted[slot]) {
                    counts.count(doc);
                }
            }
            Err(()) => {}
        }
    }

    fn harvest(self) -> Found {
        Found {
            matches: self.matches,
            facets: self
                .counted
                .into_iter()
                .map(|c| c.map(SegmentCounts::harvest).unwrap_or_default())
                .collect(),
        }
    }
}
