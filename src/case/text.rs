//! Small self-validating value types used in front matter: a value parsed
//! from its text, ISO dates, e-mail addresses, URLs and phone numbers.
//!
//! Each type checks itself while the YAML is read, so an invalid value is
//! reported at its own line and column.

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A value read from a YAML string: keeps the text as written (for display
/// and round-trips) and the parsed value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed<T> {
    pub text: String,
    pub value: T,
}

impl<T: FromStr> FromStr for Parsed<T> {
    type Err = T::Err;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Parsed {
            text: s.to_string(),
            value: s.parse()?,
        })
    }
}

impl<T> Serialize for Parsed<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de, T> Deserialize<'de> for Parsed<T>
where
    T: FromStr,
    T::Err: fmt::Display,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ParsedVisitor(PhantomData))
    }
}

struct ParsedVisitor<T>(PhantomData<T>);

impl<T> Visitor<'_> for ParsedVisitor<T>
where
    T: FromStr,
    T::Err: fmt::Display,
{
    type Value = Parsed<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a text value")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        v.parse::<Parsed<T>>().map_err(E::custom)
    }

    // Numbers are accepted as their text (a phone number or a year may be
    // written without quotes).
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.visit_str(&v.to_string())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        self.visit_str(&v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        self.visit_str(&v.to_string())
    }
}

/// A calendar date written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoDate {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl FromStr for IsoDate {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("`{s}` is not a date; write it as YYYY-MM-DD, e.g. 2023-01-01");
        let parts: Vec<&str> = s.trim().split('-').collect();
        let [y, m, d] = parts.as_slice() else { return Err(bad()) };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let (year, month, day) = match (y.parse::<i32>(), m.parse::<u8>(), d.parse::<u8>()) {
            (Ok(y), Ok(m), Ok(d)) => (y, m, d),
            _ => return Err(bad()),
        };
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
        if !(1..=12).contains(&month) || day == 0 || day > days[usize::from(month - 1)] {
            return Err(format!("`{s}` is not a day of the calendar"));
        }
        Ok(IsoDate { year, month, day })
    }
}

impl fmt::Display for IsoDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A plausible e-mail address (one `@`, a dotted domain, no spaces).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(pub String);

impl FromStr for Email {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = |why: &str| format!("`{s}` is not an e-mail address: {why}");
        if s.contains('＠') {
            return Err(bad("it has a full-width ＠; type the half-width @"));
        }
        let (local, domain) = s.split_once('@').ok_or_else(|| bad("it has no `@`"))?;
        if local.is_empty() || domain.contains('@') {
            return Err(bad("it needs exactly one `@` with a name before it"));
        }
        if !s.is_ascii() || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad("it contains spaces or non-ASCII characters (full-width ＠ or ．?)"));
        }
        let labels: Vec<&str> = domain.split('.').collect();
        if labels.len() < 2 || labels.iter().any(|l| l.is_empty() || l.starts_with('-')) {
            return Err(bad("the part after `@` must be a domain such as city.example.lg.jp"));
        }
        Ok(Email(s.to_string()))
    }
}

/// An absolute `http` or `https` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpUrl(pub String);

impl FromStr for HttpUrl {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let rest = s
            .strip_prefix("https://")
            .or_else(|| s.strip_prefix("http://"))
            .ok_or_else(|| format!("`{s}` is not a web address: it must start with https:// or http://"))?;
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if host.is_empty() || !host.contains('.') && !host.starts_with("localhost") {
            return Err(format!("`{s}` has no host name after the scheme"));
        }
        if s.chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>')
        {
            return Err(format!("`{s}` contains spaces or characters not allowed in a URL"));
        }
        Ok(HttpUrl(s.to_string()))
    }
}

/// A Japanese phone number: digits separated by `-`, optionally with
/// parentheses and an extension (内線).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(pub String);

impl FromStr for Phone {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let main = s.split("内線").next().unwrap_or(s);
        let digits = main.chars().filter(char::is_ascii_digit).count();
        let allowed = |c: char| c.is_ascii_digit() || "-()（）‐－ 　".contains(c);
        if !main.trim().chars().all(allowed) {
            return Err(format!(
                "`{s}` is not a phone number: use digits and hyphens, e.g. 0868-54-2111"
            ));
        }
        if !(10..=11).contains(&digits) {
            return Err(format!(
                "`{s}` has {digits} digits; Japanese phone numbers have 10 or 11"
            ));
        }
        Ok(Phone(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_are_checked_against_the_calendar() {
        assert_eq!(
            "2023-01-01".parse::<IsoDate>().map(|d| d.to_string()),
            Ok("2023-01-01".into())
        );
        assert!("2024-02-29".parse::<IsoDate>().is_ok());
        assert!("2023-02-29".parse::<IsoDate>().is_err());
        assert!("2023/01/01".parse::<IsoDate>().is_err());
        assert!("令和5年1月1日".parse::<IsoDate>().is_err());
    }

    #[test]
    fn emails_catch_full_width_and_missing_parts() {
        assert!("a12600@pref.yamaguchi.lg.jp".parse::<Email>().is_ok());
        assert!("a12600＠pref.yamaguchi.lg.jp".parse::<Email>().is_err());
        assert!("a12600@localhost".parse::<Email>().is_err());
        assert!("@city.jp".parse::<Email>().is_err());
        assert!("a b@city.jp".parse::<Email>().is_err());
    }

    #[test]
    fn urls_must_be_http_with_a_host() {
        assert!(
            "https://www.pref.ehime.jp/h12110/h12110.html"
                .parse::<HttpUrl>()
                .is_ok()
        );
        assert!("javascript:alert(1)".parse::<HttpUrl>().is_err());
        assert!("https://".parse::<HttpUrl>().is_err());
        assert!("www.example.jp".parse::<HttpUrl>().is_err());
    }

    #[test]
    fn phone_numbers_need_ten_or_eleven_digits() {
        assert!("083-933-1327".parse::<Phone>().is_ok());
        assert!("0868-54-2111（内線123）".parse::<Phone>().is_ok());
        assert!("083-933".parse::<Phone>().is_err());
        assert!("call me".parse::<Phone>().is_err());
    }
}
