//! Population bands (人口規模区分): the MIC six bands by default, or a finer
//! scheme from `jirei.toml`.
//!
//! ```
//! use jirei::case::band::BandScheme;
//! let mic = BandScheme::mic();
//! assert_eq!(mic.for_population(12_000, false).unwrap().id, "10k-50k");
//! assert_eq!(mic.for_population(1_819_000, true).unwrap().id, "prefecture");
//! ```

use serde::{Deserialize, Serialize};

/// One population band: a stable ASCII id, a Japanese label, and the
/// half-open population range `[min, max)` it covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PopulationBand {
    pub id: String,
    pub label: String,
    /// Inclusive lower bound (persons).
    #[serde(default)]
    pub min: u64,
    /// Exclusive upper bound (persons); `None` means no upper bound.
    #[serde(default)]
    pub max: Option<u64>,
    /// The band of prefectures (都道府県), whatever their population.
    #[serde(default)]
    pub prefecture: bool,
}

/// The ordered list of bands a collection uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BandScheme {
    bands: Vec<PopulationBand>,
}

/// Id of the prefecture band in the MIC scheme.
pub const PREFECTURE_BAND: &str = "prefecture";

impl BandScheme {
    /// The six bands of 総務省「自治体DX推進参考事例集」.
    pub fn mic() -> BandScheme {
        let band = |id: &str, label: &str, min: u64, max: Option<u64>| PopulationBand {
            id: id.to_string(),
            label: label.to_string(),
            min,
            max,
            prefecture: false,
        };
        BandScheme {
            bands: vec![
                band("under-10k", "人口1万人未満", 0, Some(10_000)),
                band("10k-50k", "1万人以上5万人未満", 10_000, Some(50_000)),
                band("50k-100k", "5万人以上10万人未満", 50_000, Some(100_000)),
                band("100k-300k", "10万人以上30万人未満", 100_000, Some(300_000)),
                band("over-300k", "30万人以上", 300_000, None),
                PopulationBand {
                    id: PREFECTURE_BAND.to_string(),
                    label: "都道府県".to_string(),
                    min: 0,
                    max: None,
                    prefecture: true,
                },
            ],
        }
    }

    /// Builds a scheme from configured bands, checking that the municipal
    /// bands are ordered, contiguous from 0 and end unbounded.
    pub fn new(bands: Vec<PopulationBand>) -> Result<BandScheme, String> {
        let mut expected_min = 0;
        let mut ids = std::collections::HashSet::new();
        let municipal: Vec<&PopulationBand> = bands.iter().filter(|b| !b.prefecture).collect();
        for band in &bands {
            if !is_slug(&band.id) {
                return Err(format!(
                    "band id `{}` must be lowercase ASCII letters, digits and `-`",
                    band.id
                ));
            }
            if !ids.insert(band.id.as_str()) {
                return Err(format!("band id `{}` is used twice", band.id));
            }
        }
        for (i, band) in municipal.iter().enumerate() {
            if band.min != expected_min {
                return Err(format!(
                    "band `{}` starts at {} but the previous band ends at {expected_min}: bands must be contiguous from 0",
                    band.id, band.min
                ));
            }
            match band.max {
                Some(max) if max > band.min => expected_min = max,
                Some(max) => {
                    return Err(format!(
                        "band `{}` has max {max} not above its min {}",
                        band.id, band.min
                    ));
                }
                None if i + 1 == municipal.len() => {}
                None => return Err(format!("only the last band may be unbounded, not `{}`", band.id)),
            }
        }
        if municipal.last().is_some_and(|b| b.max.is_some()) || municipal.is_empty() {
            return Err("the last municipal band must have no `max`".to_string());
        }
        if bands.iter().filter(|b| b.prefecture).count() > 1 {
            return Err("at most one band may be the prefecture band".to_string());
        }
        Ok(BandScheme { bands })
    }

    pub fn bands(&self) -> &[PopulationBand] {
        &self.bands
    }

    pub fn get(&self, id: &str) -> Option<&PopulationBand> {
        self.bands.iter().find(|b| b.id == id)
    }

    /// The band a body of this population belongs to. Prefectures go to the
    /// prefecture band when the scheme has one.
    pub fn for_population(&self, population: u64, is_prefecture: bool) -> Option<&PopulationBand> {
        if is_prefecture && let Some(band) = self.bands.iter().find(|b| b.prefecture) {
            return Some(band);
        }
        self.bands
            .iter()
            .filter(|b| !b.prefecture)
            .find(|b| population >= b.min && b.max.is_none_or(|max| population < max))
    }

    /// Comma-separated ids, for error messages.
    pub fn ids(&self) -> String {
        self.bands
            .iter()
            .map(|b| format!("`{}`", b.id))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl Default for BandScheme {
    fn default() -> Self {
        BandScheme::mic()
    }
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mic_band_boundaries_are_half_open() {
        let mic = BandScheme::mic();
        let id = |p| mic.for_population(p, false).map(|b| b.id.clone()).unwrap_or_default();
        assert_eq!(id(0), "under-10k");
        assert_eq!(id(9_999), "under-10k");
        assert_eq!(id(10_000), "10k-50k");
        assert_eq!(id(99_999), "50k-100k");
        assert_eq!(id(100_000), "100k-300k");
        assert_eq!(id(300_000), "over-300k");
        assert_eq!(id(3_700_000), "over-300k");
    }

    #[test]
    fn prefectures_use_the_prefecture_band() {
        let mic = BandScheme::mic();
        assert_eq!(
            mic.for_population(500_000, true).map(|b| b.id.as_str()),
            Some("prefecture")
        );
    }

    #[test]
    fn finer_schemes_must_be_contiguous() {
        let b = |id: &str, min, max| PopulationBand {
            id: id.into(),
            label: id.into(),
            min,
            max,
            prefecture: false,
        };
        assert!(BandScheme::new(vec![b("a", 0, Some(5_000)), b("b", 5_000, None)]).is_ok());
        assert!(
            BandScheme::new(vec![b("a", 0, Some(5_000)), b("b", 6_000, None)])
                .unwrap_err()
                .contains("contiguous")
        );
        assert!(
            BandScheme::new(vec![b("a", 0, Some(5_000))])
                .unwrap_err()
                .contains("no `max`")
        );
        assert!(
            BandScheme::new(vec![b("A", 0, None)])
                .unwrap_err()
                .contains("lowercase")
        );
        assert!(
            BandScheme::new(vec![b("a", 0, None), b("a", 0, None)])
                .unwrap_err()
                .contains("twice")
        );
    }
}
