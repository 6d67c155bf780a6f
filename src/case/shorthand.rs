//! Front-matter values that accept a short form as well as a full mapping,
//! so editors can write what the publication prints:
//!
//! ```yaml
//! population: 12000                 # or {count: 12000, as_of: 2023-01-01}
//! cost:
//!   initial: 約13,400千円            # or {amount: 約13400, breakdown: [...]}
//! schedule:
//!   lead_time: 1年1か月               # or 13 (months)
//! vendors: [株式会社サンプル]          # or [{name: …, services: [...]}]
//! effects: [窓口の待ち時間が半減]        # or [{text: …, value: 500, unit: 時間/年}]
//! ```

use std::fmt;

use serde::de::value::MapAccessDeserializer;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use unicode_normalization::UnicodeNormalization;

use super::front_matter::{BreakdownLine, Tax};
use super::money::{Amount, AmountKind};
use super::text::{IsoDate, Parsed};

/// Implements `Deserialize` for a type that is either a mapping (its
/// `$fields` struct) or a shorthand scalar handled by `$scalar`.
macro_rules! shorthand_deserialize {
    ($ty:ident, $fields:ident, $expecting:literal, |$v:ident: $vt:ty| $scalar:expr) => {
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = $ty;
                    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<$ty, A::Error> {
                        $fields::deserialize(MapAccessDeserializer::new(map)).map($ty::from)
                    }
                    fn visit_str<E: de::Error>(self, $v: &str) -> Result<$ty, E> {
                        let parsed: Result<$ty, String> = $scalar;
                        parsed.map_err(E::custom)
                    }
                    fn visit_u64<E: de::Error>(self, v: u64) -> Result<$ty, E> {
                        self.visit_str(&v.to_string())
                    }
                    fn visit_i64<E: de::Error>(self, v: i64) -> Result<$ty, E> {
                        self.visit_str(&v.to_string())
                    }
                    fn visit_f64<E: de::Error>(self, v: f64) -> Result<$ty, E> {
                        self.visit_str(&v.to_string())
                    }
                }
                deserializer.deserialize_any(V)
            }
        }
    };
}

// ---------------------------------------------------------------- Amount

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Amount;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an amount in 千円 such as 26700, \"約13,400千円\", 非公表 or －")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Amount, E> {
                v.parse().map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Amount, E> {
                Ok(Amount::exact(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Amount, E> {
                u64::try_from(v)
                    .map(Amount::exact)
                    .map_err(|_| E::custom(format!("{v} is negative; amounts are at least 0")))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Amount, E> {
                Err(E::custom(format!(
                    "{v} is not a whole number of 千円; round it and write it as \"約…\" if it is approximate"
                )))
            }
        }
        deserializer.deserialize_any(V)
    }
}

impl Serialize for Amount {
    /// Exact amounts as plain numbers, everything else in the printed form.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match (self.kind, self.thousand_yen) {
            (AmountKind::Exact, Some(k)) => serializer.serialize_u64(k),
            _ => serializer.serialize_str(&self.to_string()),
        }
    }
}

// ---------------------------------------------------------------- Population

/// Residents, with the date the figure refers to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Population {
    pub count: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<Parsed<IsoDate>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PopulationFields {
    count: u64,
    #[serde(default)]
    as_of: Option<Parsed<IsoDate>>,
}

impl From<PopulationFields> for Population {
    fn from(f: PopulationFields) -> Self {
        Population {
            count: f.count,
            as_of: f.as_of,
        }
    }
}

shorthand_deserialize!(
    Population,
    PopulationFields,
    "a number of persons (12000) or {count: 12000, as_of: 2023-01-01}",
    |v: &str| parse_population(v)
);

fn parse_population(v: &str) -> Result<Population, String> {
    let text: String = v.nfkc().filter(|c| *c != ',' && !c.is_whitespace()).collect();
    match text.parse::<u64>() {
        Ok(count) => Ok(Population { count, as_of: None }),
        Err(_) => {
            let hint = man_to_persons(&text)
                .map(|n| format!(" (`{v}` would be `population: {n}`)"))
                .unwrap_or_default();
            Err(format!(
                "`{v}` is not a number of persons: write the population as a whole number{hint}"
            ))
        }
    }
}

/// `約1.2万人` → 12000, for hints.
fn man_to_persons(text: &str) -> Option<u64> {
    let t = text.trim_start_matches('約').trim_end_matches('人');
    let number: f64 = t.strip_suffix('万')?.parse().ok()?;
    (number.is_finite() && (0.0..1e6).contains(&number)).then(|| (number * 10_000.0).round() as u64)
}

// ---------------------------------------------------------------- CostItem

/// One cost (initial or running) with its breakdown.
#[derive(Debug, Clone, Serialize)]
pub struct CostItem {
    pub amount: Amount,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tax: Option<Tax>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub breakdown: Vec<BreakdownLine>,
    /// 備考: subsidies used, what the amount covers …
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CostItemFields {
    amount: Amount,
    #[serde(default)]
    tax: Option<Tax>,
    #[serde(default)]
    breakdown: Vec<BreakdownLine>,
    #[serde(default)]
    notes: Option<String>,
}

impl From<CostItemFields> for CostItem {
    fn from(f: CostItemFields) -> Self {
        CostItem {
            amount: f.amount,
            tax: f.tax,
            breakdown: f.breakdown,
            notes: f.notes,
        }
    }
}

impl From<Amount> for CostItem {
    fn from(amount: Amount) -> Self {
        CostItem {
            amount,
            tax: None,
            breakdown: Vec::new(),
            notes: None,
        }
    }
}

shorthand_deserialize!(
    CostItem,
    CostItemFields,
    "an amount (26700, \"約13,400千円\", 非公表, －) or {amount: …, breakdown: […]}",
    |v: &str| v.parse::<Amount>().map(CostItem::from).map_err(|e| e.to_string())
);

// ---------------------------------------------------------------- LeadTime

/// 検討開始から導入までの期間, in months.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LeadTime {
    pub months: u32,
}

impl LeadTime {
    /// `1年1か月`, `4か月`, `2年`.
    pub fn label(&self) -> String {
        match (self.months / 12, self.months % 12) {
            (0, m) => format!("{m}か月"),
            (y, 0) => format!("{y}年"),
            (y, m) => format!("{y}年{m}か月"),
        }
    }
}

/// The longest lead time accepted: 100 years.
const MAX_LEAD_TIME_MONTHS: u32 = 1200;

impl std::str::FromStr for LeadTime {
    type Err = String;
    /// Reads `13`, `1年1か月`, `1年1ヶ月`, `4カ月`, `2年`, `半年`.
    fn from_str(v: &str) -> Result<Self, String> {
        let text: String = v.nfkc().filter(|c| !c.is_whitespace()).collect();
        let text = text.trim_start_matches('約');
        if text == "半年" {
            return Ok(LeadTime { months: 6 });
        }
        let bad = || format!("`{v}` is not a duration; write months (13) or `1年1か月`");
        let (years, rest) = match text.split_once('年') {
            Some((y, rest)) => (y.parse::<u32>().map_err(|_| bad())?, rest),
            None => (0, text),
        };
        let rest = ["か月", "ヶ月", "カ月", "ケ月", "箇月", "ヵ月", "月"]
            .iter()
            .find_map(|unit| rest.strip_suffix(unit))
            .unwrap_or(rest);
        let months = if rest.is_empty() {
            0
        } else {
            rest.parse::<u32>().map_err(|_| bad())?
        };
        if years == 0 && rest.is_empty() {
            return Err(bad());
        }
        // At most 100 years in all, so that every lead time has a label
        // (`100年`) that reads back.
        let months = years
            .checked_mul(12)
            .and_then(|y| y.checked_add(months))
            .filter(|m| *m <= MAX_LEAD_TIME_MONTHS)
            .ok_or_else(bad)?;
        Ok(LeadTime { months })
    }
}

impl<'de> Deserialize<'de> for LeadTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Parsed::<LeadTime>::deserialize(deserializer).map(|p| p.value)
    }
}

impl Serialize for LeadTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.label())
    }
}

// ---------------------------------------------------------------- Vendor

/// サービス提供事業者 and the services it provided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Vendor {
    pub name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VendorFields {
    name: String,
    #[serde(default)]
    services: Vec<String>,
}

impl From<VendorFields> for Vendor {
    fn from(f: VendorFields) -> Self {
        Vendor {
            name: f.name,
            services: f.services,
        }
    }
}

shorthand_deserialize!(
    Vendor,
    VendorFields,
    "a company name or {name: …, services: […]}",
    |v: &str| Ok(Vendor {
        name: v.to_string(),
        services: Vec::new()
    })
);

// ---------------------------------------------------------------- Effect

/// One effect of the project, optionally quantified (500 時間/年).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Effect {
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EffectFields {
    text: String,
    #[serde(default)]
    value: Option<f64>,
    #[serde(default)]
    unit: Option<String>,
}

impl From<EffectFields> for Effect {
    fn from(f: EffectFields) -> Self {
        Effect {
            text: f.text,
            value: f.value,
            unit: f.unit,
        }
    }
}

shorthand_deserialize!(
    Effect,
    EffectFields,
    "a sentence or {text: …, value: 500, unit: 時間/年}",
    |v: &str| Ok(Effect {
        text: v.to_string(),
        value: None,
        unit: None
    })
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lead_times_read_japanese_durations() {
        let m = |s: &str| s.parse::<LeadTime>().map(|l| l.months);
        assert_eq!(m("1年1か月"), Ok(13));
        assert_eq!(m("4か月"), Ok(4));
        assert_eq!(m("６ヶ月"), Ok(6));
        assert_eq!(m("2年"), Ok(24));
        assert_eq!(m("13"), Ok(13));
        assert_eq!(m("半年"), Ok(6));
        assert!(m("すぐ").is_err());
        assert!(m("").is_err());
        assert!(m("99999999999年").is_err());
    }

    #[test]
    fn lead_time_labels_round_trip() {
        for months in [1, 4, 12, 13, 25] {
            let label = LeadTime { months }.label();
            assert_eq!(label.parse::<LeadTime>().map(|l| l.months), Ok(months), "{label}");
        }
    }

    #[test]
    fn lead_times_over_a_hundred_years_in_all_are_rejected() {
        // Found by the `amount` fuzz target: years and months were bounded
        // separately, so 91年999 (2091 months) was accepted and its label
        // 174年3か月 was not.
        let m = |s: &str| s.parse::<LeadTime>().map(|l| l.months);
        assert!(m("91年999").is_err());
        assert!(m("100年1か月").is_err());
        assert_eq!(m("100年"), Ok(1200));
        assert_eq!(m("99年12か月"), Ok(1200));
        assert_eq!(
            LeadTime { months: 1200 }.label().parse::<LeadTime>().map(|l| l.months),
            Ok(1200)
        );
    }

    #[test]
    fn population_hint_converts_man_units() {
        let err = parse_population("約1.2万").unwrap_err();
        assert!(err.contains("population: 12000"), "{err}");
        assert_eq!(parse_population("12,000").map(|p| p.count), Ok(12_000));
    }
}
