//! Money as the case studies state it: amounts in 千円 that may be exact,
//! approximate (約), undisclosed (非公表) or absent (－).
//!
//! ```
//! use jirei::case::money::{Amount, AmountKind};
//! let a: Amount = "約13,400千円".parse().unwrap();
//! assert_eq!(a.kind, AmountKind::Approximate);
//! assert_eq!(a.thousand_yen, Some(13_400));
//! assert_eq!("(非公表)".parse::<Amount>().unwrap().kind, AmountKind::Undisclosed);
//! ```

use std::fmt;
use std::str::FromStr;

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

/// How much is known about an amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AmountKind {
    Exact,
    /// 約: the publication gives a rounded figure.
    Approximate,
    /// 非公表: the municipality did not disclose it.
    Undisclosed,
    /// －: no cost of this kind.
    None,
    /// 算定不可: the municipality says it cannot be calculated.
    NotCalculable,
}

/// An amount of money in thousands of yen (千円), the unit of the MIC tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Amount {
    pub kind: AmountKind,
    /// Set for `Exact` and `Approximate`.
    pub thousand_yen: Option<u64>,
}

/// Why a text is not an amount.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct AmountError(String);

impl Amount {
    pub const NONE: Amount = Amount {
        kind: AmountKind::None,
        thousand_yen: None,
    };
    pub const NOT_CALCULABLE: Amount = Amount {
        kind: AmountKind::NotCalculable,
        thousand_yen: None,
    };
    pub const UNDISCLOSED: Amount = Amount {
        kind: AmountKind::Undisclosed,
        thousand_yen: None,
    };

    pub fn exact(thousand_yen: u64) -> Amount {
        Amount {
            kind: AmountKind::Exact,
            thousand_yen: Some(thousand_yen),
        }
    }

    /// The amount in yen, when known.
    pub fn yen(&self) -> Option<u64> {
        self.thousand_yen.and_then(|k| k.checked_mul(1000))
    }
}

impl fmt::Display for Amount {
    /// Japanese display form: `26,700千円`, `約13,400千円`, `非公表`, `－`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.kind, self.thousand_yen) {
            (AmountKind::Undisclosed, _) => f.write_str("非公表"),
            (AmountKind::NotCalculable, _) => f.write_str("算定不可"),
            (AmountKind::None, _) | (_, None) => f.write_str("－"),
            (AmountKind::Approximate, Some(k)) => write!(f, "約{}千円", group_digits(k)),
            (AmountKind::Exact, Some(k)) => write!(f, "{}千円", group_digits(k)),
        }
    }
}

/// `1234567` → `1,234,567`.
pub fn group_digits(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

const NONE_MARKS: [&str; 8] = ["-", "−", "－", "ー", "—", "―", "なし", "無し"];

impl FromStr for Amount {
    type Err = AmountError;

    /// Parses the forms found in the MIC tables. A number without a unit is
    /// taken as 千円; `円`, `万円` and `億円` are converted.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text: String = s.nfkc().filter(|c| !c.is_whitespace()).collect();
        let text = text.trim_start_matches('(').trim_end_matches(')');
        let text = strip_tax_note(text);
        if text.contains("非公表") || text.contains("非公開") {
            return Ok(Amount::UNDISCLOSED);
        }
        if text.contains("算定不可") || text.contains("算出不可") {
            return Ok(Amount::NOT_CALCULABLE);
        }
        let bare = text.trim_end_matches('円');
        if bare.is_empty() && !text.is_empty() || NONE_MARKS.contains(&bare) || bare == "0" && text.ends_with('円') {
            return Ok(Amount::NONE);
        }
        let (approximate, rest) = match text.strip_prefix('約') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let rest = rest.trim_end_matches(['程', '度']).trim_end_matches("程度");
        let thousand_yen = parse_with_unit(rest, s)?;
        let kind = if approximate {
            AmountKind::Approximate
        } else {
            AmountKind::Exact
        };
        Ok(Amount {
            kind,
            thousand_yen: Some(thousand_yen),
        })
    }
}

fn strip_tax_note(text: &str) -> &str {
    let mut t = text;
    for note in ["※税込", "※税抜", "(税込)", "(税抜)", "税込", "税抜"] {
        t = t.trim_end_matches(note);
    }
    t
}

/// Reads `26,700千円`, `1,234,000円`, `500万円`, `1.2億円` or `26700` into 千円.
fn parse_with_unit(text: &str, original: &str) -> Result<u64, AmountError> {
    let units: [(&str, f64); 5] = [
        ("千円", 1.0),
        ("万円", 10.0),
        ("億円", 100_000.0),
        ("円", 0.001),
        ("", 1.0),
    ];
    let (number, factor) = units
        .iter()
        .find_map(|(unit, factor)| text.strip_suffix(unit).map(|n| (n, *factor)))
        .unwrap_or((text, 1.0));
    let cleaned: String = number.chars().filter(|c| *c != ',').collect();
    let valid = !cleaned.is_empty()
        && cleaned.chars().all(|c| c.is_ascii_digit() || c == '.')
        && cleaned.matches('.').count() <= 1;
    let value: f64 = match cleaned.parse() {
        Ok(v) if valid => v,
        _ => {
            return Err(AmountError(format!(
                "`{original}` is not an amount; write thousands of yen as a number (`26700`), \
                 or as printed: `26,700千円`, `約13,400千円`, `非公表`, `－`"
            )));
        }
    };
    let thousands = value * factor;
    if thousands > 1e12 {
        return Err(AmountError(format!("`{original}` is implausibly large")));
    }
    if (thousands - thousands.round()).abs() > 1e-6 {
        return Err(AmountError(format!(
            "`{original}` is not a whole number of 千円; round it and mark it approximate (`約…`)"
        )));
    }
    Ok(thousands.round() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Amount, AmountError> {
        s.parse()
    }

    #[test]
    fn exact_amounts_in_thousand_yen() {
        assert_eq!(parse("26,700千円").unwrap(), Amount::exact(26_700));
        assert_eq!(parse("２６，７００千円").unwrap(), Amount::exact(26_700));
        assert_eq!(parse("26700").unwrap(), Amount::exact(26_700));
        assert_eq!(parse("31,415千円 ※税抜").unwrap(), Amount::exact(31_415));
    }

    #[test]
    fn other_units_convert_to_thousand_yen() {
        assert_eq!(parse("1,234,000円").unwrap(), Amount::exact(1_234));
        assert_eq!(parse("500万円").unwrap(), Amount::exact(5_000));
        assert_eq!(parse("1.2億円").unwrap(), Amount::exact(120_000));
    }

    #[test]
    fn approximate_undisclosed_and_none_are_states_not_numbers() {
        let a = parse("約13,400千円").unwrap();
        assert_eq!((a.kind, a.thousand_yen), (AmountKind::Approximate, Some(13_400)));
        assert_eq!(parse("(非公表)").unwrap(), Amount::UNDISCLOSED);
        assert_eq!(parse("非公表").unwrap(), Amount::UNDISCLOSED);
        assert_eq!(parse("－円").unwrap(), Amount::NONE);
        assert_eq!(parse("-").unwrap(), Amount::NONE);
        assert_eq!(parse("—").unwrap(), Amount::NONE);
        assert_eq!(parse("(算定不可)").unwrap(), Amount::NOT_CALCULABLE);
        assert_eq!(Amount::NOT_CALCULABLE.to_string(), "算定不可");
    }

    #[test]
    fn nonsense_is_rejected_with_the_accepted_forms() {
        let err = parse("たくさん").unwrap_err().to_string();
        assert!(err.contains("26,700千円"), "{err}");
        assert!(parse("1.2.3千円").is_err());
        assert!(parse("1,234,567円").is_err());
        assert!(parse("99999999999999999999億円").is_err());
    }

    #[test]
    fn display_uses_the_japanese_forms() {
        assert_eq!(Amount::exact(26_700).to_string(), "26,700千円");
        assert_eq!(parse("約13400").unwrap().to_string(), "約13,400千円");
        assert_eq!(Amount::UNDISCLOSED.to_string(), "非公表");
        assert_eq!(Amount::NONE.to_string(), "－");
        assert_eq!(group_digits(1_000_000), "1,000,000");
    }
}
