//! The tables of contents (目次) of each chapter: case number, title,
//! organisation, population label, page, and the section headings
//! (① …, ● …) the entries sit under.
//!
//! The TOC pages come as Markdown tables, tab-separated lines or plain
//! lines; each entry is normalised to one line of space-separated tokens
//! before it is read.

use std::sync::LazyLock;

use regex::Regex;

/// One entry of a table of contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TocEntry {
    pub number: u32,
    pub title: String,
    /// 岡山県鏡野町, as printed between 【】.
    pub organization: String,
    /// The population label (①, ⑤, ⑩, ③⑩ …) or empty.
    pub label: String,
    pub page: u32,
    /// `① オンライン行政サービス / ● オンライン申請`.
    pub section: String,
    /// The innermost heading (`オンライン申請`), a candidate 事業内容ラベル.
    pub subsection: String,
}

static ENTRY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{1,2})\s+(.+?)\s*【([^】]+)】\s*(.*?)\s*(?:…|\.\.\.|‥)\s*(\d{1,3})$").expect("valid regex")
});

const CIRCLED: &str = "①②③④⑤⑥⑦⑧⑨⑩";

/// Reads the TOC lines of one chapter (everything between its title page
/// and its 構成 page).
pub fn parse_toc(lines: &[&str]) -> Vec<TocEntry> {
    let mut entries = Vec::new();
    let mut major = String::new();
    let mut minor = String::new();
    let mut in_legend = false;
    for raw in lines {
        let line = flatten(raw);
        if line.is_empty() {
            in_legend = false;
            continue;
        }
        if line.starts_with("【凡例】") {
            in_legend = true;
            continue;
        }
        if in_legend || line.contains("目次") || line.starts_with('【') {
            continue;
        }
        if let Some(entry) = parse_entry(&line, &major, &minor) {
            entries.push(entry);
        } else if let Some(heading) = major_heading(&line) {
            major = heading;
            minor.clear();
        } else if let Some(heading) = line.strip_prefix('●') {
            minor = heading.trim().to_string();
        }
    }
    entries
}

/// `| 1 | タイトル | 【団体】 | ⑤ | … | 7 |` → `1 タイトル 【団体】 ⑤ … 7`.
fn flatten(raw: &str) -> String {
    let text = raw.replace(['|', '\t'], " ");
    let text = text.trim().trim_start_matches("- ").trim();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn parse_entry(line: &str, major: &str, minor: &str) -> Option<TocEntry> {
    let caps = ENTRY.captures(line)?;
    let section = if minor.is_empty() {
        major.to_string()
    } else {
        format!("{major} / ● {minor}")
    };
    let subsection = if minor.is_empty() {
        strip_circled(major)
    } else {
        minor.to_string()
    };
    Some(TocEntry {
        number: caps[1].parse().ok()?,
        title: caps[2].trim().to_string(),
        organization: caps[3].trim().to_string(),
        label: caps[4].chars().filter(|c| CIRCLED.contains(*c)).collect(),
        page: caps[5].parse().ok()?,
        section,
        subsection,
    })
}

/// `① 県が中心となって…` or `③ 内部業務 (つづき)` → `③ 内部業務`.
fn major_heading(line: &str) -> Option<String> {
    let first = line.chars().next()?;
    if !CIRCLED.contains(first) || line.chars().nth(1).is_some_and(|c| c == ' ' && line.contains(" : ")) {
        return None;
    }
    let rest = line[first.len_utf8()..].trim();
    let rest = rest.trim_end_matches("(つづき)").trim_end_matches("（つづき）").trim();
    (!rest.is_empty()).then(|| format!("{first} {rest}"))
}

fn strip_circled(heading: &str) -> String {
    heading.trim_start_matches(|c| CIRCLED.contains(c)).trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_table_entries_are_read() {
        let lines = [
            "①オンライン行政サービス",
            "●オンライン申請",
            "|---|---|----------|---|---|----|",
            "| 1 | マイナンバーカードを利用した鏡野町電子申請・届出システム | 【岡山県鏡野町】 | ⑤ | … | 7 |",
        ];
        let toc = parse_toc(&lines);
        assert_eq!(toc.len(), 1);
        assert_eq!(toc[0].number, 1);
        assert_eq!(toc[0].organization, "岡山県鏡野町");
        assert_eq!(toc[0].label, "⑤");
        assert_eq!(toc[0].page, 7);
        assert_eq!(toc[0].section, "① オンライン行政サービス / ● オンライン申請");
        assert_eq!(toc[0].subsection, "オンライン申請");
    }

    #[test]
    fn tab_separated_and_plain_entries_are_read() {
        let lines = [
            "②窓口改革",
            "12 教育課の16施設でスマートロックを導入し鍵管理の負担軽減・利便性向上\t【熊本県阿蘇市】  ...\t43",
            "- 19 RPA・AI-OCRにより100業務で約1.8万時間の削減、職員を本来業務へシフト 【新潟県長岡市】  … 70",
            "35 住基台帳と地理情報システムの連携で防災施策等に活用 【福島県会津若松市】 ③① … 122",
        ];
        let toc = parse_toc(&lines);
        assert_eq!(toc.iter().map(|e| e.number).collect::<Vec<_>>(), [12, 19, 35]);
        assert_eq!(toc[0].section, "② 窓口改革");
        assert_eq!(toc[0].subsection, "窓口改革");
        assert_eq!(toc[2].label, "③①");
    }

    #[test]
    fn legend_lines_are_not_headings() {
        let lines = [
            "【凡例】",
            "① : 人口1万人未満の団体",
            "⑤ : 人口1万人以上5万人未満の団体",
            "",
            "① 県が中心",
        ];
        assert!(parse_toc(&lines).is_empty());
        assert_eq!(major_heading("① 県が中心").as_deref(), Some("① 県が中心"));
    }
}
