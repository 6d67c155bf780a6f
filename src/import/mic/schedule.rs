//! スケジュール: the lead time (検討開始から導入までの期間 1年1か月) and the
//! milestones (`R2.8  予算確保`), with era dates the case model can read.

use std::sync::LazyLock;

use regex::Regex;

use crate::case::era::EraSpan;
use crate::case::shorthand::LeadTime;

/// What a schedule block says.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScheduleFact {
    /// As printed after the label (`1年1か月`, `—`, `(事業ごとに異なる)`).
    pub lead_time_printed: Option<String>,
    pub lead_time: Option<LeadTime>,
    pub milestones: Vec<MilestoneFact>,
    /// Schedule lines that are not milestones (notes, examples).
    pub other_lines: Vec<String>,
    /// Dates we had to simplify or could not read.
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MilestoneFact {
    /// As printed: `R5.2～4`.
    pub printed: String,
    /// Normalised for the model: `R5.2~4`.
    pub date: String,
    pub event: String,
}

const LEAD_LABEL: &str = "検討開始から導入までの期間";

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    let era = r"(?:[RHS]|令和|平成)";
    let year = r"(?:\d{1,2}|元)";
    let rest = r"(?:年度|年(?:\d{1,2}月)?|[.．]\d{1,2}(?:[.．]\d{1,2})?月?)?";
    let end = format!(r"(?:{era}\s*{year}{rest}|\d{{1,2}}月?)");
    Regex::new(&format!(
        r"^({era}\s*{year}{rest}(?:\s*[~～〜\-－]\s*(?:{end})?)?)(?:\s+|\t|$)(.*)$"
    ))
    .expect("valid regex")
});

/// Reads the lines of a スケジュール block.
pub fn parse(lines: &[&str]) -> ScheduleFact {
    let mut fact = ScheduleFact::default();
    let mut expect_lead_value = false;
    let mut in_milestones = false;
    for line in lines.iter().map(|l| clean(l)).filter(|l| !l.is_empty()) {
        if let Some(rest) = line.strip_prefix(LEAD_LABEL) {
            expect_lead_value = rest.trim().is_empty();
            if !expect_lead_value {
                set_lead_time(&mut fact, rest.trim());
            }
            continue;
        }
        if line.starts_with("スケジュールの内訳") || line.starts_with("スケジュールの内容") {
            expect_lead_value = false;
            in_milestones = true;
            continue;
        }
        if expect_lead_value {
            set_lead_time(&mut fact, &line);
            expect_lead_value = false;
            continue;
        }
        if is_dash(&line) {
            continue;
        }
        match milestone(&line).filter(|_| in_milestones) {
            Some(m) => fact.milestones.push(m),
            None => fact.other_lines.push(line),
        }
    }
    fact
}

fn clean(line: &str) -> String {
    let t = line.trim().trim_start_matches("- ").trim();
    t.replace("**", "").trim().to_string()
}

fn is_dash(s: &str) -> bool {
    s.chars().all(|c| "-－—―ー ".contains(c))
}

fn set_lead_time(fact: &mut ScheduleFact, printed: &str) {
    fact.lead_time_printed = Some(printed.to_string());
    if is_dash(printed) {
        return;
    }
    match printed.parse::<LeadTime>() {
        Ok(lead) => fact.lead_time = Some(lead),
        Err(_) => fact
            .warnings
            .push(format!("lead time `{printed}` is not a duration; left out")),
    }
}

/// Splits `R2.9～R3.8\t事業者選定` into a milestone; open ranges (`R3.9～`)
/// and days (`R5.11.17`) are kept.
fn milestone(line: &str) -> Option<MilestoneFact> {
    let caps = DATE.captures(line)?;
    let printed = caps[1].trim().to_string();
    let event = caps[2].trim().to_string();
    let mut date: String = printed.chars().filter(|c| !c.is_whitespace()).collect();
    date = date.replace(['～', '〜', '－'], "~").replace('．', ".");
    if date.parse::<EraSpan>().is_err() {
        return None;
    }
    if event.is_empty() {
        return None;
    }
    Some(MilestoneFact { printed, date, event })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lead_time_on_the_label_line_or_the_next() {
        assert_eq!(
            parse(&["検討開始から導入までの期間 1年1か月"])
                .lead_time
                .map(|l| l.months),
            Some(13)
        );
        assert_eq!(
            parse(&["検討開始から導入までの期間 **7年**"])
                .lead_time
                .map(|l| l.months),
            Some(84)
        );
        assert_eq!(
            parse(&["検討開始から導入までの期間 4 か月"])
                .lead_time
                .map(|l| l.months),
            Some(4)
        );
        let f = parse(&["検討開始から導入までの期間", "", "－", "スケジュールの内訳", "－"]);
        assert_eq!((f.lead_time, f.lead_time_printed.as_deref()), (None, Some("－")));
        assert!(f.milestones.is_empty() && f.warnings.is_empty());
    }

    #[test]
    fn milestones_split_date_and_event() {
        let f = parse(&[
            "スケジュールの内訳",
            "R2.8\t予算確保",
            "- R5.2~4 事業者へ支援メニューの照会",
            "R2.9～R3.8\t事業者選定（プロポーザル） ～システム製作",
            "R2.12～ R3.1\t工事、実機研修",
            "H23.5～H24.7 庁内調整（1年2か月）",
            "令和3年9月 運用開始",
        ]);
        let dates: Vec<&str> = f.milestones.iter().map(|m| m.date.as_str()).collect();
        assert_eq!(
            dates,
            ["R2.8", "R5.2~4", "R2.9~R3.8", "R2.12~R3.1", "H23.5~H24.7", "令和3年9月"]
        );
        assert_eq!(f.milestones[2].event, "事業者選定（プロポーザル） ～システム製作");
        assert!(f.warnings.is_empty(), "{:?}", f.warnings);
    }

    #[test]
    fn open_ranges_and_days_are_kept() {
        let f = parse(&["スケジュールの内訳", "R3.9～\t事業開始", "R5.11.17～R5.11.24 庁内調整"]);
        assert_eq!(f.milestones[0].date, "R3.9~");
        assert_eq!(f.milestones[1].date, "R5.11.17~R5.11.24");
        assert!(f.warnings.is_empty(), "{:?}", f.warnings);
    }

    #[test]
    fn lines_that_are_not_milestones_are_kept_aside() {
        let f = parse(&[
            "検討開始から導入までの期間 (事業ごとに異なる)",
            "スケジュールの内訳",
            "例：DX推進リーダー育成研修の場合",
            "R3.9～ 検討",
        ]);
        assert_eq!(f.lead_time, None);
        assert_eq!(f.warnings.len(), 1, "only the lead time: {:?}", f.warnings);
        assert_eq!(f.other_lines, ["例：DX推進リーダー育成研修の場合"]);
        assert_eq!(f.milestones.len(), 1);
    }
}
