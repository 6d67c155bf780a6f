//! Filters: facet values (OR within a facet, AND across facets) and
//! numeric ranges (`MIN..MAX`), as parsed; [`super::collect`] applies them.

use std::collections::BTreeMap;
use std::str::FromStr;

/// An inclusive range with optional ends: `10000..50000`, `..5000`, `2万..`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Range {
    pub min: Option<u64>,
    pub max: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct RangeError(String);

impl FromStr for Range {
    type Err = RangeError;

    /// ```
    /// use jirei::search::filter::Range;
    /// let r: Range = "1万..5万".parse().unwrap();
    /// assert_eq!((r.min, r.max), (Some(10_000), Some(50_000)));
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let Some((min, max)) = s.split_once("..") else {
            return Err(RangeError(format!(
                "`{s}` is not a range; write MIN..MAX, MIN.. or ..MAX (e.g. 10000..50000)"
            )));
        };
        let range = Range {
            min: parse_number(min, s)?,
            max: parse_number(max, s)?,
        };
        if let (Some(lo), Some(hi)) = (range.min, range.max)
            && lo > hi
        {
            return Err(RangeError(format!(
                "the range `{s}` is reversed: {lo} is more than {hi}; write {hi}..{lo}"
            )));
        }
        Ok(range)
    }
}

/// A whole number, with `,` separators and an optional 万 or 千 unit.
pub fn parse_count(text: &str) -> Option<u64> {
    let t: String = text.trim().chars().filter(|c| *c != ',' && *c != '，').collect();
    let (digits, factor) = match (t.strip_suffix('万'), t.strip_suffix('千')) {
        (Some(d), _) => (d, 10_000.0),
        (_, Some(d)) => (d, 1_000.0),
        _ => (t.as_str(), 1.0),
    };
    let value: f64 = digits.parse().ok().filter(|v: &f64| v.is_finite() && *v >= 0.0)?;
    let scaled = value * factor;
    (scaled < 1e15 && (scaled - scaled.round()).abs() < 1e-6).then_some(scaled.round() as u64)
}

fn parse_number(text: &str, whole: &str) -> Result<Option<u64>, RangeError> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    parse_count(text)
        .map(Some)
        .ok_or_else(|| RangeError(format!("`{text}` in `{whole}` is not a whole number")))
}

/// Every filter of one search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Facet dimension → accepted values (OR).
    pub facets: BTreeMap<String, Vec<String>>,
    pub population: Range,
    pub initial_cost: Range,
    pub running_cost: Range,
    pub lead_time: Range,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_accept_open_ends_and_japanese_units() {
        let r = |s: &str| s.parse::<Range>().map(|r| (r.min, r.max));
        assert_eq!(r("10000..50000"), Ok((Some(10_000), Some(50_000))));
        assert_eq!(r("..5000"), Ok((None, Some(5_000))));
        assert_eq!(r("2万.."), Ok((Some(20_000), None)));
        assert_eq!(r("1.5万..3万"), Ok((Some(15_000), Some(30_000))));
        assert_eq!(r("10,000..20,000"), Ok((Some(10_000), Some(20_000))));
    }

    #[test]
    fn bad_ranges_say_what_is_wrong() {
        let e = |s: &str| s.parse::<Range>().unwrap_err().to_string();
        assert!(e("50000..10000").contains("reversed"));
        assert!(e("abc..10").contains("not a whole number"));
        assert!(e("100").contains("MIN..MAX"));
        assert!(e("-5..10").contains("not a whole number"));
    }
}
