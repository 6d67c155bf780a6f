//! The layout of the whole publication: chapters, their tables of
//! contents, the 構成 (layout example) pages to skip, and the lines of each
//! case split into pages at the repeated title lines.

use std::sync::LazyLock;

use regex::Regex;

use super::toc::{TocEntry, parse_toc};
use crate::import::ImportError;

/// One chapter (1. 体制整備 …) with its cases.
#[derive(Debug)]
pub struct Chapter<'a> {
    pub number: u32,
    /// 体制整備, 人材確保・育成, 内部DX.
    pub name: String,
    pub toc: Vec<TocEntry>,
    /// 事業内容ラベル listed on the 構成 page (chapter 3 only).
    pub labels: Vec<String>,
    pub cases: Vec<CaseText<'a>>,
}

/// The text of one case: its pages, title lines removed.
#[derive(Debug)]
pub struct CaseText<'a> {
    pub number: u32,
    pub title: String,
    /// As printed between 【】: 岡山県鏡野町.
    pub organization: String,
    pub pages: Vec<Vec<&'a str>>,
    /// 1-based line of the case's first title line in the document.
    pub line: usize,
}

static CHAPTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:自治体DX推進参考事例集【第2\.0版】\s*)?【(\d)\.\s*([^】]+)】\s*$").expect("valid regex")
});

static TITLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,2})\s*(.+?)\s*【([^】]+)】\s*$").expect("valid regex"));

/// A title line `N タイトル【団体名】`: (number, title, organisation).
pub fn title_line(line: &str) -> Option<(u32, String, String)> {
    let caps = TITLE.captures(line.trim())?;
    Some((caps[1].parse().ok()?, caps[2].to_string(), caps[3].to_string()))
}

/// Splits the publication into chapters and cases.
pub fn read<'a>(lines: &[&'a str]) -> Result<Vec<Chapter<'a>>, ImportError> {
    let starts: Vec<(usize, u32, String)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, line)| {
            let caps = CHAPTER.captures(line.trim())?;
            Some((i, caps[1].parse().ok()?, caps[2].trim().to_string()))
        })
        .collect();
    if starts.is_empty() {
        return Err(ImportError::NotMic {
            reason: "no chapter title such as 【1.体制整備】 or 【3. 内部DX】 was found".to_string(),
        });
    }
    let mut chapters = Vec::new();
    for (k, (start, number, name)) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map_or(lines.len(), |s| s.0);
        chapters.push(read_chapter(&lines[*start..end], *start, *number, name));
    }
    Ok(chapters)
}

fn read_chapter<'a>(lines: &[&'a str], offset: usize, number: u32, name: &str) -> Chapter<'a> {
    let layout = lines.iter().position(|l| l.trim().ends_with("参考事例集の構成"));
    let toc_end = layout.unwrap_or(lines.len());
    let toc = parse_toc(&lines[..toc_end]);
    let labels = lines.iter().find_map(|l| content_labels(l)).unwrap_or_default();
    let body_start = layout.map_or(0, |i| i + 1);
    let cases = split_cases(&lines[body_start..], offset + body_start, &toc);
    Chapter {
        number,
        name: name.to_string(),
        toc,
        labels,
        cases,
    }
}

/// Splits a chapter body into cases. Case N starts at the first title line
/// numbered N (whose organisation matches the TOC when there is one);
/// anything before case 1 (the 構成 example) is skipped, and later title
/// lines of the current case are page breaks.
fn split_cases<'a>(lines: &[&'a str], offset: usize, toc: &[TocEntry]) -> Vec<CaseText<'a>> {
    let mut cases: Vec<CaseText<'a>> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let expected = cases.last().map_or(1, |c| c.number + 1);
        if let Some((number, title, organization)) = title_line(line) {
            let fits_toc = toc
                .iter()
                .find(|e| e.number == number)
                .is_none_or(|e| e.organization == organization);
            if number == expected && fits_toc {
                cases.push(CaseText {
                    number,
                    title,
                    organization,
                    pages: vec![Vec::new()],
                    line: offset + i + 1,
                });
                continue;
            }
            if let Some(case) = cases.last_mut()
                && number == case.number
            {
                case.pages.push(Vec::new());
                continue;
            }
        }
        if let Some(page) = cases.last_mut().and_then(|c| c.pages.last_mut()) {
            page.push(line);
        }
    }
    cases
}

/// The 事業内容ラベル of the 構成 page: the cells after `事業内容ラベル:`.
fn content_labels(line: &str) -> Option<Vec<String>> {
    let start = line.find("事業内容ラベル")?;
    let table = &line[start..];
    let end = table.find("</table>").unwrap_or(table.len());
    let labels: Vec<String> = table[..end]
        .split("<td>")
        .skip(1)
        .filter_map(|cell| cell.split("</td>").next())
        .map(str::trim)
        .filter(|c| !c.is_empty() && !c.contains("ラベル"))
        .map(str::to_string)
        .collect();
    (!labels.is_empty()).then_some(labels)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_lines_give_number_title_and_organisation() {
        let t = title_line("1 マイナンバーカードを利用した鏡野町電子申請・届出システム【岡山県鏡野町】");
        assert_eq!(
            t,
            Some((
                1,
                "マイナンバーカードを利用した鏡野町電子申請・届出システム".into(),
                "岡山県鏡野町".into()
            ))
        );
        assert_eq!(title_line("【参考情報】 鏡野町人口：1.2万人"), None);
    }

    #[test]
    fn the_layout_example_before_case_one_is_skipped() {
        let lines = [
            "4 例示の事例【福島県】",
            "例示の本文",
            "1 最初の事例【山口県】",
            "本文1",
            "1 最初の事例【山口県】",
            "本文1の2ページ目",
            "2 次の事例【愛媛県】",
            "本文2",
        ];
        let cases = split_cases(&lines, 0, &[]);
        assert_eq!(cases.len(), 2);
        assert_eq!(cases[0].pages, vec![vec!["本文1"], vec!["本文1の2ページ目"]]);
        assert_eq!(cases[1].organization, "愛媛県");
        assert_eq!(cases[0].line, 3);
    }

    #[test]
    fn content_labels_are_read_from_the_layout_table() {
        let line = "<table><tr><td>事業内容ラベル:</td><td>オンライン申請</td><td>窓口改革</td></tr><tr><td></td><td>広報・情報公開</td></tr></table>";
        assert_eq!(
            content_labels(line),
            Some(vec![
                "オンライン申請".into(),
                "窓口改革".into(),
                "広報・情報公開".into()
            ])
        );
    }
}
