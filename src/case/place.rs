//! Prefectures, regions and 全国地方公共団体コード (local government codes).
//!
//! ```
//! use jirei::case::place::{Prefecture, LocalGovCode};
//! let okayama = Prefecture::from_name("岡山県").unwrap();
//! assert_eq!(okayama.region(), "中国");
//! assert!("336068".parse::<LocalGovCode>().is_ok());
//! assert!("336061".parse::<LocalGovCode>().is_err());
//! ```

use std::fmt;
use std::str::FromStr;

/// The 47 prefectures in JIS X 0401 order with their region (地方区分).
const PREFECTURES: [(&str, &str); 47] = [
    ("北海道", "北海道"),
    ("青森県", "東北"),
    ("岩手県", "東北"),
    ("宮城県", "東北"),
    ("秋田県", "東北"),
    ("山形県", "東北"),
    ("福島県", "東北"),
    ("茨城県", "関東"),
    ("栃木県", "関東"),
    ("群馬県", "関東"),
    ("埼玉県", "関東"),
    ("千葉県", "関東"),
    ("東京都", "関東"),
    ("神奈川県", "関東"),
    ("新潟県", "中部"),
    ("富山県", "中部"),
    ("石川県", "中部"),
    ("福井県", "中部"),
    ("山梨県", "中部"),
    ("長野県", "中部"),
    ("岐阜県", "中部"),
    ("静岡県", "中部"),
    ("愛知県", "中部"),
    ("三重県", "近畿"),
    ("滋賀県", "近畿"),
    ("京都府", "近畿"),
    ("大阪府", "近畿"),
    ("兵庫県", "近畿"),
    ("奈良県", "近畿"),
    ("和歌山県", "近畿"),
    ("鳥取県", "中国"),
    ("島根県", "中国"),
    ("岡山県", "中国"),
    ("広島県", "中国"),
    ("山口県", "中国"),
    ("徳島県", "四国"),
    ("香川県", "四国"),
    ("愛媛県", "四国"),
    ("高知県", "四国"),
    ("福岡県", "九州・沖縄"),
    ("佐賀県", "九州・沖縄"),
    ("長崎県", "九州・沖縄"),
    ("熊本県", "九州・沖縄"),
    ("大分県", "九州・沖縄"),
    ("宮崎県", "九州・沖縄"),
    ("鹿児島県", "九州・沖縄"),
    ("沖縄県", "九州・沖縄"),
];

/// The eight regions in their conventional order.
pub const REGIONS: [&str; 8] = ["北海道", "東北", "関東", "中部", "近畿", "中国", "四国", "九州・沖縄"];

/// One of the 47 prefectures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Prefecture {
    /// JIS X 0401 code, 1 (北海道) to 47 (沖縄県).
    code: u8,
}

impl Prefecture {
    /// Looks a prefecture up by its full name (`岡山県`); the short form
    /// without 都/府/県 (`岡山`) is accepted too.
    pub fn from_name(name: &str) -> Option<Prefecture> {
        let name = name.trim();
        PREFECTURES
            .iter()
            .position(|(full, _)| *full == name || (full.len() > name.len() && short_name(full) == name))
            .map(|i| Prefecture { code: i as u8 + 1 })
    }

    pub fn from_code(code: u8) -> Option<Prefecture> {
        (1..=47).contains(&code).then_some(Prefecture { code })
    }

    pub fn code(&self) -> u8 {
        self.code
    }

    pub fn name(&self) -> &'static str {
        PREFECTURES[usize::from(self.code - 1)].0
    }

    pub fn region(&self) -> &'static str {
        PREFECTURES[usize::from(self.code - 1)].1
    }

    /// Every prefecture name, for "did you mean" hints.
    pub fn all_names() -> impl Iterator<Item = &'static str> {
        PREFECTURES.iter().map(|(name, _)| *name)
    }
}

fn short_name(full: &str) -> &str {
    if full == "北海道" {
        return full;
    }
    full.strip_suffix(['都', '府', '県']).unwrap_or(full)
}

impl fmt::Display for Prefecture {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A six-digit 全国地方公共団体コード whose check digit has been verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LocalGovCode(u32);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct CodeError(String);

impl LocalGovCode {
    pub fn prefecture(&self) -> Option<Prefecture> {
        Prefecture::from_code((self.0 / 10_000) as u8)
    }
}

impl fmt::Display for LocalGovCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:06}", self.0)
    }
}

/// The check digit of the five-digit body (JIS X 0402, modulus 11).
pub fn check_digit(body: &[u8; 5]) -> u8 {
    let sum: u32 = body
        .iter()
        .zip([6u32, 5, 4, 3, 2])
        .map(|(d, w)| u32::from(*d) * w)
        .sum();
    ((11 - sum % 11) % 10) as u8
}

impl FromStr for LocalGovCode {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let digits: Vec<u8> = s.bytes().map(|b| b.wrapping_sub(b'0')).collect();
        if digits.len() != 6 || digits.iter().any(|d| *d > 9) {
            return Err(CodeError(format!(
                "`{s}` is not a 全国地方公共団体コード: it has six digits, e.g. \"336068\" (quote it so leading zeros stay)"
            )));
        }
        let body = [digits[0], digits[1], digits[2], digits[3], digits[4]];
        let expected = check_digit(&body);
        if digits[5] != expected {
            return Err(CodeError(format!(
                "the check digit of `{s}` should be {expected}: is the code mistyped?"
            )));
        }
        let value = digits.iter().fold(0u32, |acc, d| acc * 10 + u32::from(*d));
        let code = LocalGovCode(value);
        if code.prefecture().is_none() {
            return Err(CodeError(format!(
                "`{s}` starts with {:02}, which is no prefecture (01–47)",
                value / 10_000
            )));
        }
        Ok(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_codes_pass_the_check_digit() {
        for code in ["010006", "011002", "130001", "131148", "336068", "282014", "070009"] {
            assert!(code.parse::<LocalGovCode>().is_ok(), "{code}");
        }
    }

    #[test]
    fn mistyped_codes_are_rejected() {
        assert!(
            "336061"
                .parse::<LocalGovCode>()
                .unwrap_err()
                .to_string()
                .contains("should be 8")
        );
        assert!("33606".parse::<LocalGovCode>().is_err());
        assert!("33606a".parse::<LocalGovCode>().is_err());
        assert!(
            "990001"
                .parse::<LocalGovCode>()
                .unwrap_err()
                .to_string()
                .contains("no prefecture")
        );
    }

    #[test]
    fn prefectures_resolve_by_full_or_short_name() {
        assert_eq!(Prefecture::from_name("東京都").map(|p| p.code()), Some(13));
        assert_eq!(Prefecture::from_name("大阪").map(|p| p.name()), Some("大阪府"));
        assert_eq!(Prefecture::from_name("北海道").map(|p| p.region()), Some("北海道"));
        assert_eq!(Prefecture::from_name("沖縄県").map(|p| p.region()), Some("九州・沖縄"));
        assert_eq!(Prefecture::from_name("京都").map(|p| p.code()), Some(26));
        assert!(Prefecture::from_name("江戸").is_none());
        assert_eq!(Prefecture::all_names().count(), 47);
    }
}
