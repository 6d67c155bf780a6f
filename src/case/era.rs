//! Japanese era dates (和暦) as they appear in case schedules, converted to
//! ISO year-months.
//!
//! Accepted forms (full-width digits and punctuation are normalised first):
//! `R2.8`, `R元.5`, `令和3年9月`, `H31.4`, `平成30年度`, `2023年4月`, `2023.4`,
//! day precision (`R5.11.17`, `令和3年1月18日`), ranges such as `R5.2~4`,
//! `R4.10～R5.3`, `令和5年4月〜6月`, and open ranges (`R3.9～`: ongoing).
//!
//! ```
//! use jirei::case::era::EraDate;
//! let d: EraDate = "R2.8".parse().unwrap();
//! assert_eq!(d.to_iso(), "2020-08");
//! let r: jirei::case::era::EraSpan = "R5.2~4".parse().unwrap();
//! assert_eq!(r.to_iso(), "2023-02/2023-04");
//! ```

use std::fmt;
use std::str::FromStr;

use unicode_normalization::UnicodeNormalization;

/// A Japanese era with the Gregorian year of its first year (元年).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Era {
    names: &'static [&'static str],
    first_year: i32,
    /// (year, month) of the first and last month the era covers.
    first: (i32, u8),
    last: (i32, u8),
}

const ERAS: [Era; 3] = [
    Era {
        names: &["令和", "R"],
        first_year: 2019,
        first: (2019, 5),
        last: (9999, 12),
    },
    Era {
        names: &["平成", "H"],
        first_year: 1989,
        first: (1989, 1),
        last: (2019, 4),
    },
    Era {
        names: &["昭和", "S"],
        first_year: 1926,
        first: (1926, 12),
        last: (1989, 1),
    },
];

/// A point in time at month precision, a whole year, or a fiscal year (年度).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EraDate {
    pub year: i32,
    /// 1–12, or `None` for a whole (fiscal) year.
    pub month: Option<u8>,
    /// 1–31 when the day is given.
    pub day: Option<u8>,
    /// `true` for 年度 (April to March).
    pub fiscal: bool,
}

/// A single date or a range of two dates, as in a schedule milestone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EraSpan {
    pub start: EraDate,
    pub end: Option<EraDate>,
    /// `R3.9～`: started then and still going on.
    pub ongoing: bool,
}

/// Why a text is not a date we understand.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct EraDateError(String);

impl EraDate {
    /// ISO 8601 form: `2020-08`, `2020-08-17`, `2020` for a calendar year,
    /// `FY2020` for a fiscal year.
    pub fn to_iso(&self) -> String {
        match (self.month, self.fiscal) {
            (Some(m), _) => match self.day {
                Some(d) => format!("{:04}-{:02}-{:02}", self.year, m, d),
                None => format!("{:04}-{:02}", self.year, m),
            },
            (None, true) => format!("FY{:04}", self.year),
            (None, false) => format!("{:04}", self.year),
        }
    }

    /// Months since year 0, for ordering and durations (fiscal years start in April).
    pub fn month_index(&self) -> i64 {
        let month = self.month.unwrap_or(if self.fiscal { 4 } else { 1 });
        i64::from(self.year) * 12 + i64::from(month) - 1
    }
}

impl EraSpan {
    /// `2023-02`, `2023-02/2023-04` or, ongoing, `2021-09/..` (ISO 8601
    /// interval notation).
    pub fn to_iso(&self) -> String {
        match (&self.end, self.ongoing) {
            (Some(end), _) => format!("{}/{}", self.start.to_iso(), end.to_iso()),
            (None, true) => format!("{}/..", self.start.to_iso()),
            (None, false) => self.start.to_iso(),
        }
    }
}

impl fmt::Display for EraDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_iso())
    }
}

impl fmt::Display for EraSpan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_iso())
    }
}

impl FromStr for EraDate {
    type Err = EraDateError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text = normalise(s);
        let mut cursor = Cursor::new(&text);
        let date = cursor.date(None)?;
        cursor.expect_end(s)?;
        Ok(date)
    }
}

impl FromStr for EraSpan {
    type Err = EraDateError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text = normalise(s);
        let mut cursor = Cursor::new(&text);
        let start = cursor.date(None)?;
        let separated = cursor.range_separator();
        let ongoing = separated && cursor.rest.is_empty();
        let end = if separated && !ongoing {
            Some(cursor.date(Some(start))?)
        } else {
            None
        };
        cursor.expect_end(s)?;
        if let Some(end) = end
            && end.month_index() < start.month_index()
        {
            return Err(EraDateError(format!(
                "the range `{s}` ends ({}) before it starts ({})",
                end.to_iso(),
                start.to_iso()
            )));
        }
        Ok(EraSpan { start, end, ongoing })
    }
}

fn normalise(s: &str) -> String {
    s.nfkc()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .replace('〜', "~")
}

/// A tiny recursive-descent reader over the normalised text.
struct Cursor<'a> {
    rest: &'a str,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str) -> Self {
        Cursor { rest: text }
    }

    fn eat(&mut self, token: &str) -> bool {
        match self.rest.strip_prefix(token) {
            Some(rest) => {
                self.rest = rest;
                true
            }
            None => false,
        }
    }

    fn number(&mut self) -> Option<u32> {
        let len = self.rest.bytes().take_while(u8::is_ascii_digit).count();
        if len == 0 || len > 4 {
            return None;
        }
        let (digits, rest) = self.rest.split_at(len);
        self.rest = rest;
        digits.parse().ok()
    }

    fn range_separator(&mut self) -> bool {
        ["~", "-", "−", "―", "から"].iter().any(|sep| self.eat(sep))
    }

    fn expect_end(&self, original: &str) -> Result<(), EraDateError> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(EraDateError(format!(
                "unexpected `{}` in the date `{original}`; write dates like `R2.8`, `令和3年9月` or `2021-09`",
                self.rest
            )))
        }
    }

    /// Reads one date. `previous` is the start of a range, which lets the
    /// end omit the era and year (`R5.2~4`).
    fn date(&mut self, previous: Option<EraDate>) -> Result<EraDate, EraDateError> {
        if let Some(era) = ERAS.iter().find(|era| era.names.iter().any(|n| self.eat(n))) {
            return self.era_date(era);
        }
        let Some(first) = self.number() else {
            return Err(EraDateError(format!(
                "expected a date such as `R2.8`, `令和3年9月` or `2021-09`, found `{}`",
                self.rest
            )));
        };
        if first >= 1000 {
            return self.after_year(i32::try_from(first).unwrap_or(i32::MAX), None);
        }
        // A bare number after a range separator is a month of the start's year.
        match previous {
            Some(start) => {
                self.eat("月");
                let month = check_month(first)?;
                let year = if start.month.is_some_and(|m| month < m) {
                    start.year + 1
                } else {
                    start.year
                };
                let day = self.day(year, month, false)?;
                Ok(EraDate {
                    year,
                    month: Some(month),
                    day,
                    fiscal: false,
                })
            }
            None => Err(EraDateError(format!(
                "`{first}` needs an era (`R{first}` for 令和{first}年) or a four-digit year"
            ))),
        }
    }

    fn era_date(&mut self, era: &Era) -> Result<EraDate, EraDateError> {
        let era_year = if self.eat("元") {
            1
        } else {
            self.number().ok_or_else(|| {
                EraDateError(format!(
                    "expected the year after {} (e.g. {}2)",
                    era.names[0], era.names[1]
                ))
            })?
        };
        if era_year == 0 {
            return Err(EraDateError(format!(
                "{}0年 does not exist; the first year is 元年",
                era.names[0]
            )));
        }
        let year = era.first_year + i32::try_from(era_year).unwrap_or(i32::MAX - era.first_year) - 1;
        let date = self.after_year(year, Some(era))?;
        check_within_era(&date, era, era_year)?;
        Ok(date)
    }

    fn after_year(&mut self, year: i32, era: Option<&Era>) -> Result<EraDate, EraDateError> {
        let whole_year = |fiscal| EraDate {
            year,
            month: None,
            day: None,
            fiscal,
        };
        if self.eat("年度") {
            return Ok(whole_year(true));
        }
        let separated = self.eat("年") | self.eat(".") | self.eat("/") | (era.is_none() && self.eat("-"));
        if !separated {
            return Ok(whole_year(false));
        }
        let Some(month) = self.number() else {
            return Ok(whole_year(false));
        };
        let month = check_month(month)?;
        self.eat("月");
        let day = self.day(year, month, era.is_none())?;
        Ok(EraDate {
            year,
            month: Some(month),
            day,
            fiscal: false,
        })
    }

    /// An optional day after the month: `.17`, `/17`, `17日`, or `-17`
    /// after a Western year (ISO `2023-11-17`; a dash followed by more than
    /// two digits is a range separator, as in `2023-11-2024-03`).
    fn day(&mut self, year: i32, month: u8, western: bool) -> Result<Option<u8>, EraDateError> {
        let before = self.rest;
        let dashed = western && self.eat("-");
        let dotted = dashed || self.eat(".") || self.eat("/");
        let digits = self.rest.bytes().take_while(u8::is_ascii_digit).count();
        let Some(day) = self.number().filter(|_| !dashed || digits <= 2) else {
            self.rest = before;
            return Ok(None);
        };
        if !dotted && !self.rest.starts_with('日') {
            self.rest = before;
            return Ok(None);
        }
        self.eat("日");
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
        match u8::try_from(day) {
            Ok(d) if d >= 1 && d <= days[usize::from(month - 1)] => Ok(Some(d)),
            _ => Err(EraDateError(format!("{year}-{month:02} has no day {day}"))),
        }
    }
}

fn check_month(month: u32) -> Result<u8, EraDateError> {
    match u8::try_from(month) {
        Ok(m @ 1..=12) => Ok(m),
        _ => Err(EraDateError(format!("month {month} is not between 1 and 12"))),
    }
}

fn check_within_era(date: &EraDate, era: &Era, era_year: u32) -> Result<(), EraDateError> {
    let month = date
        .month
        .unwrap_or(if date.year == era.first.0 { era.first.1 } else { 1 });
    let key = (date.year, month);
    if key < era.first || key > era.last {
        let shown = match date.month {
            Some(m) => format!("{}{}年{}月", era.names[0], era_year, m),
            None => format!("{}{}年", era.names[0], era_year),
        };
        return Err(EraDateError(format!(
            "{shown} does not exist: {} runs from {}-{:02} to {}",
            era.names[0],
            era.first.0,
            era.first.1,
            if era.last.0 == 9999 {
                "today".to_string()
            } else {
                format!("{}-{:02}", era.last.0, era.last.1)
            }
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(s: &str) -> String {
        s.parse::<EraSpan>()
            .map(|d| d.to_iso())
            .unwrap_or_else(|e| format!("ERR {e}"))
    }

    #[test]
    fn iso_dates_with_a_day_parse_and_a_dash_before_a_year_still_starts_a_range() {
        assert_eq!(iso("2023-11-17"), "2023-11-17");
        assert_eq!(iso("2023-11"), "2023-11");
        assert_eq!(iso("2023-11-2024-03"), "2023-11/2024-03");
        assert!(iso("2023-11-31").starts_with("ERR"), "{}", iso("2023-11-31"));
    }

    #[test]
    fn reiwa_short_forms_convert_to_iso_months() {
        assert_eq!(iso("R2.8"), "2020-08");
        assert_eq!(iso("R元.5"), "2019-05");
        assert_eq!(iso("R5.12"), "2023-12");
    }

    #[test]
    fn kanji_and_full_width_forms_convert() {
        assert_eq!(iso("令和3年9月"), "2021-09");
        assert_eq!(iso("令和３年９月"), "2021-09");
        assert_eq!(iso("Ｒ２．８"), "2020-08");
        assert_eq!(iso("平成31年4月"), "2019-04");
        assert_eq!(iso("H31.4"), "2019-04");
    }

    #[test]
    fn fiscal_and_calendar_years_are_kept_apart() {
        assert_eq!(iso("令和5年度"), "FY2023");
        assert_eq!(iso("R5年度"), "FY2023");
        assert_eq!(iso("令和5年"), "2023");
        assert_eq!(iso("2023年4月"), "2023-04");
        assert_eq!(iso("2023-04"), "2023-04");
    }

    #[test]
    fn ranges_may_omit_the_era_and_year_of_the_end() {
        assert_eq!(iso("R5.2~4"), "2023-02/2023-04");
        assert_eq!(iso("R4.10～R5.3"), "2022-10/2023-03");
        assert_eq!(iso("R4.11〜2"), "2022-11/2023-02");
        assert_eq!(iso("令和5年4月〜6月"), "2023-04/2023-06");
    }

    #[test]
    fn days_and_open_ranges_are_kept() {
        assert_eq!(iso("R5.11.17"), "2023-11-17");
        assert_eq!(iso("令和3年1月18日"), "2021-01-18");
        assert_eq!(iso("R5.11.17～R5.11.24"), "2023-11-17/2023-11-24");
        assert_eq!(iso("R3.9～"), "2021-09/..");
        assert_eq!(iso("H27～"), "2015/..");
        assert!(iso("R5.2.30").contains("no day 30"));
    }

    #[test]
    fn impossible_dates_are_rejected_with_a_reason() {
        assert!(iso("H31.5").contains("does not exist"));
        assert!(iso("R1.3").contains("does not exist"));
        assert!(iso("R0.3").contains("元年"));
        assert!(iso("R2.13").contains("month 13"));
        assert!(iso("R5.4~R4.1").contains("ends"));
        assert!(iso("8月").starts_with("ERR"));
        assert!(iso("").starts_with("ERR"));
        assert!(iso("R2.8頃").contains("unexpected"));
    }

    #[test]
    fn huge_numbers_do_not_overflow() {
        assert!(iso("R99999999999.1").starts_with("ERR"));
        assert!(iso("R9999.1").starts_with("2") || iso("R9999.1").starts_with("ERR"));
    }
}
