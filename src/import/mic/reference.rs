//! The closing lines of a case: the population line
//! (【参考情報】 X人口：1.2万人（令和5年1月1日現在）), 関連URL and 受賞歴等.

use std::sync::LazyLock;

use regex::Regex;

use crate::case::text::{HttpUrl, IsoDate};

/// A population figure with its date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PopulationFact {
    /// The name printed before 人口 (鏡野町, 静岡県小山町).
    pub name: String,
    pub count: u64,
    /// `2023-01-01`.
    pub as_of: Option<String>,
    /// The line as printed, for the body.
    pub text: String,
}

static POPULATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"【参考情報】\s*(\S*?)人口[：:]\s*([\d,.]+)\s*(万)?人\s*(?:[（(]\s*(令和|平成)(\d+|元)年(\d+)月(\d+)日現在\s*[)）])?")
        .expect("valid regex")
});

/// Reads `【参考情報】 鏡野町人口：1.2万人（令和5年1月1日現在）`.
pub fn population(line: &str) -> Option<PopulationFact> {
    let caps = POPULATION.captures(line)?;
    let count = persons(&caps[2], caps.get(3).is_some())?;
    let as_of = match (caps.get(4), caps.get(5), caps.get(6), caps.get(7)) {
        (Some(era), Some(year), Some(month), Some(day)) => {
            iso_date(era.as_str(), year.as_str(), month.as_str(), day.as_str())
        }
        _ => None,
    };
    Some(PopulationFact {
        name: caps[1].to_string(),
        count,
        as_of,
        text: line.trim().to_string(),
    })
}

/// `1.2` 万 → 12000, `7,974` → 7974; exact decimal arithmetic, no floats.
pub fn persons(number: &str, man: bool) -> Option<u64> {
    let digits: String = number.chars().filter(|c| *c != ',').collect();
    let (whole, fraction) = digits.split_once('.').unwrap_or((&digits, ""));
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let scale: u32 = if man { 4 } else { 0 };
    if fraction.len() as u32 > scale {
        return None;
    }
    let whole: u64 = whole.parse().ok()?;
    let frac_value: u64 = if fraction.is_empty() { 0 } else { fraction.parse().ok()? };
    let frac_scaled = frac_value.checked_mul(10u64.checked_pow(scale - fraction.len() as u32)?)?;
    whole.checked_mul(10u64.pow(scale))?.checked_add(frac_scaled)
}

/// 令和5年1月1日 → `2023-01-01`, checked against the calendar.
fn iso_date(era: &str, year: &str, month: &str, day: &str) -> Option<String> {
    let base = if era == "令和" { 2018 } else { 1988 };
    let year: i32 = if year == "元" { 1 } else { year.parse().ok()? };
    let text = format!(
        "{:04}-{:02}-{:02}",
        base + year,
        month.parse::<u32>().ok()?,
        day.parse::<u32>().ok()?
    );
    text.parse::<IsoDate>().ok().map(|_| text)
}

/// A related web page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkFact {
    pub title: String,
    pub url: String,
}

static URL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"https?://[^\s<>（）()「」、]+").expect("valid regex"));

/// Reads `関連URL：題名（<https://…>）` lines and their continuations. A
/// line holding only a URL takes the previous line's text as its title.
pub fn links(lines: &[&str]) -> Vec<LinkFact> {
    let mut found = Vec::new();
    let mut previous_text = String::new();
    for line in lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()) {
        let Some(m) = URL.find(line) else {
            previous_text = label_text(line);
            continue;
        };
        let url = m.as_str().trim_end_matches(['.', '。']).to_string();
        let mut title = label_text(&line[..m.start()]);
        if title.is_empty() {
            title = previous_text.clone();
        }
        if title.is_empty() {
            title = url.clone();
        }
        if url.parse::<HttpUrl>().is_ok() {
            found.push(LinkFact { title, url });
        }
        previous_text.clear();
    }
    found
}

/// `関連URL：題名（<` → `題名`.
fn label_text(text: &str) -> String {
    let t = text.trim();
    let t = t
        .strip_prefix("関連URL")
        .map_or(t, |r| r.trim_start_matches(['：', ':', ' ']));
    let t = t
        .strip_prefix("受賞歴等")
        .map_or(t, |r| r.trim_start_matches(['：', ':', ' ']));
    t.trim_end_matches(['<', '（', '(', ' ', '　']).trim().to_string()
}

/// `受賞歴等：…` lines (without their URLs).
pub fn awards(lines: &[&str]) -> Vec<String> {
    lines
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .map(|l| match URL.find(l) {
            Some(m) => label_text(&l[..m.start()]),
            None => label_text(l),
        })
        .filter(|t| !t.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn man_units_convert_to_persons_exactly() {
        assert_eq!(persons("1.2", true), Some(12_000));
        assert_eq!(persons("181.9", true), Some(1_819_000));
        assert_eq!(persons("1384.2", true), Some(13_842_000));
        assert_eq!(persons("7,974", false), Some(7_974));
        assert_eq!(persons("1.25", false), None);
        assert_eq!(persons("x", true), None);
    }

    #[test]
    fn population_line_gives_count_and_date() {
        let p = population("【参考情報】 鏡野町人口：1.2万人（令和5年1月1日現在）").expect("population");
        assert_eq!(
            (p.name.as_str(), p.count, p.as_of.as_deref()),
            ("鏡野町", 12_000, Some("2023-01-01"))
        );
        let p = population("【参考情報】 静岡県人口：363.4万人(令和5年1月1日現在)").expect("population");
        assert_eq!(p.count, 3_634_000);
        let p = population("【参考情報】 酒田市人口：9.6万人（令和6年2月29日現在）").expect("population");
        assert_eq!(p.as_of.as_deref(), Some("2024-02-29"));
        assert!(population("【参考情報】 人口は不明").is_none());
    }

    #[test]
    fn link_lines_give_titles_and_urls() {
        let lines = [
            "関連URL：愛媛県・市町DX推進会議公式note (<https://ehime-pref.note.jp/>)",
            "",
            "デジタル庁（https://www.digital.go.jp/a.pdf）",
        ];
        let l = links(&lines);
        assert_eq!(
            l[0],
            LinkFact {
                title: "愛媛県・市町DX推進会議公式note".into(),
                url: "https://ehime-pref.note.jp/".into()
            }
        );
        assert_eq!(l[1].title, "デジタル庁");
        assert_eq!(l[1].url, "https://www.digital.go.jp/a.pdf");
    }

    #[test]
    fn award_lines_drop_the_label() {
        let a = awards(&[
            "受賞歴等：令和4年度 デジ田甲子園 実装部門出場",
            "",
            "(<https://www.cas.go.jp/x.html>)",
        ]);
        assert_eq!(a, ["令和4年度 デジ田甲子園 実装部門出場"]);
    }
}
