//! 担当部署: the department, phone number and e-mail address, printed as
//! `担当部署 X` with `電話 …` / `メール …` lines, on one line, or as
//! `【担当部署】 X（電話：…、メール：…）`.

use std::sync::LazyLock;

use regex::Regex;

use crate::case::text::{Email, Phone};

/// What a contact block says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactFact {
    pub department: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// More than one department is printed; only the first is kept in the
    /// front matter.
    pub several: bool,
}

impl ContactFact {
    fn score(&self) -> usize {
        usize::from(self.department.is_some()) + usize::from(self.phone.is_some()) + usize::from(self.email.is_some())
    }
}

static PHONE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"電話[：:\s]*(\(?0\d{1,4}\)?[-‐－]?\d{1,4}[-‐－]\d{3,4})").expect("valid regex"));
static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+").expect("valid regex"));

/// Picks the most complete of several contact blocks.
pub fn best(blocks: &[Vec<&str>]) -> Option<ContactFact> {
    let mut best: Option<ContactFact> = None;
    for block in blocks {
        let fact = parse(block);
        if best.as_ref().is_none_or(|b| fact.score() > b.score()) {
            best = Some(fact);
        }
    }
    best.filter(|b| b.score() > 0)
}

/// Reads one contact block.
pub fn parse(lines: &[&str]) -> ContactFact {
    let text = lines
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    let text = text.replace("**", "");
    let phone = PHONE
        .captures(&text)
        .map(|c| c[1].replace(['‐', '－'], "-"))
        .filter(|p| p.parse::<Phone>().is_ok());
    let email = EMAIL
        .find(&text)
        .map(|m| m.as_str().trim_end_matches('.').to_string())
        .filter(|e| e.parse::<Email>().is_ok());
    let (department, several) = department(&text);
    ContactFact {
        department,
        phone,
        email,
        several,
    }
}

/// The text between the label and the first 電話 / メール.
fn department(text: &str) -> (Option<String>, bool) {
    let after = text
        .strip_prefix("【担当部署】")
        .or_else(|| text.strip_prefix("【お問い合わせ】"))
        .or_else(|| text.strip_prefix("担当部署"))
        .unwrap_or(text);
    let end = ["電話", "メール"]
        .iter()
        .filter_map(|m| after.find(m))
        .min()
        .unwrap_or(after.len());
    let raw = after[..end].trim().trim_end_matches(['（', '(']).trim();
    let mut parts: Vec<String> = Vec::new();
    for line in raw.lines().map(str::trim).filter(|l| !l.is_empty()) {
        match parts.last_mut() {
            Some(last) if unbalanced(last) => last.push_str(line),
            _ => parts.push(line.to_string()),
        }
    }
    let first = parts.first().cloned().filter(|d| !d.contains("非公表") && !is_dash(d));
    (first, parts.len() > 1)
}

fn unbalanced(s: &str) -> bool {
    s.matches(['（', '(']).count() > s.matches(['）', ')']).count()
}

fn is_dash(s: &str) -> bool {
    s.chars().all(|c| "-－—―ー ".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bracketed_contact_line_is_read() {
        let c = parse(&[
            "【担当部署】 山口県デジタル推進局デジタル・ガバメント推進課行政DX推進班（電話：083-933-1327、メール：a12600@pref.yamaguchi.lg.jp）",
        ]);
        assert_eq!(
            c.department.as_deref(),
            Some("山口県デジタル推進局デジタル・ガバメント推進課行政DX推進班")
        );
        assert_eq!(c.phone.as_deref(), Some("083-933-1327"));
        assert_eq!(c.email.as_deref(), Some("a12600@pref.yamaguchi.lg.jp"));
    }

    #[test]
    fn multi_line_contact_with_wrapped_department_is_joined() {
        let c = parse(&[
            "担当部署",
            "",
            "愛媛県・市町DX推進会議事務局（愛媛",
            "県デジタルシフト推進課）",
            "",
            "電話 089-912-2281",
        ]);
        assert_eq!(
            c.department.as_deref(),
            Some("愛媛県・市町DX推進会議事務局（愛媛県デジタルシフト推進課）")
        );
        assert_eq!(c.phone.as_deref(), Some("089-912-2281"));
        assert_eq!(c.email, None);
        assert!(!c.several);
    }

    #[test]
    fn one_line_contact_and_missing_values() {
        let c = parse(&["担当部署 真岡市総務部デジタル戦略課 電話 0285-22-5004 メール digital@city.moka.lg.jp"]);
        assert_eq!(c.department.as_deref(), Some("真岡市総務部デジタル戦略課"));
        assert_eq!(c.phone.as_deref(), Some("0285-22-5004"));
        let c = parse(&[
            "担当部署 神戸市企画調整局デジタル戦略部",
            "電話 －",
            "メール digital_kikaku@office.city.kobe.lg.jp",
        ]);
        assert_eq!(c.phone, None);
        assert!(parse(&["担当部署（非公表）", "電話（非公表）"]).department.is_none());
    }

    #[test]
    fn several_departments_keep_the_first_and_say_so() {
        let c = parse(&[
            "担当部署",
            "中野区総務部職員課（DX推進マネージャーの募集）",
            "中野区総務部DX推進室デジタル政策課",
            "電話 03-3228-8957",
        ]);
        assert_eq!(
            c.department.as_deref(),
            Some("中野区総務部職員課（DX推進マネージャーの募集）")
        );
        assert!(c.several);
    }
}
