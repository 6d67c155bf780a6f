//! Splits the pages of one case into blocks at the headings the layout
//! uses (事業の概要, 事業効果, コスト, スケジュール, …, the interview).
//!
//! Every line of the case lands in exactly one block, so nothing is lost
//! between the extractors and the Markdown body.

/// What a block holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BlockKind {
    /// Text before the first heading: the ➤ Point line and any lead-in.
    Lead,
    Overview,
    Effects,
    Cost,
    Schedule,
    Vendors,
    /// 担当部署 with phone and e-mail.
    Contact,
    Interview,
    /// 【参考情報】 population line.
    Reference,
    Links,
    Awards,
    /// 参考資料 pages.
    Appendix,
}

/// A heading and the lines under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block<'a> {
    pub kind: BlockKind,
    pub lines: Vec<&'a str>,
}

/// Splits the pages of a case into blocks. A heading line that carries
/// content (`担当部署 …`, `【参考情報】 …`, `➤ …`) stays in its block.
pub fn split<'a>(pages: &[Vec<&'a str>]) -> Vec<Block<'a>> {
    let mut blocks: Vec<Block<'a>> = Vec::new();
    for (page_index, page) in pages.iter().enumerate() {
        let mut in_interview = false;
        let mut page_start = page_index > 0;
        for line in page {
            let heading = heading(line, in_interview);
            if page_start && !line.trim().is_empty() {
                page_start = false;
                if heading.is_none() && blocks.last().is_some_and(|b| ends_a_case(b.kind)) {
                    blocks.push(Block {
                        kind: BlockKind::Appendix,
                        lines: Vec::new(),
                    });
                }
            }
            match heading {
                Some(Heading { kind, keep_line }) => {
                    in_interview = kind == BlockKind::Interview;
                    let lines = if keep_line { vec![*line] } else { Vec::new() };
                    blocks.push(Block { kind, lines });
                }
                None => match blocks.last_mut() {
                    Some(block) => block.lines.push(line),
                    None if page_index == 0 => blocks.push(Block {
                        kind: BlockKind::Lead,
                        lines: vec![line],
                    }),
                    None => blocks.push(Block {
                        kind: BlockKind::Overview,
                        lines: vec![line],
                    }),
                },
            }
        }
    }
    blocks.retain(|b| b.kind != BlockKind::Lead || b.lines.iter().any(|l| !l.trim().is_empty()));
    blocks
}

/// Blocks printed at the end of a case: a page that follows one of them
/// without a heading of its own is supplementary material.
fn ends_a_case(kind: BlockKind) -> bool {
    matches!(
        kind,
        BlockKind::Reference | BlockKind::Links | BlockKind::Awards | BlockKind::Contact
    )
}

struct Heading {
    kind: BlockKind,
    keep_line: bool,
}

/// The heading a line starts, if any. Inside an interview only the
/// closing blocks (参考情報, 関連URL …) end it.
fn heading(line: &str, in_interview: bool) -> Option<Heading> {
    let text = clean(line);
    let whole = |kind| Some(Heading { kind, keep_line: false });
    let keep = |kind| Some(Heading { kind, keep_line: true });
    match text.as_str() {
        "(総務省)" | "（総務省）" => return whole(BlockKind::Interview),
        "参考資料" => return whole(BlockKind::Appendix),
        _ => {}
    }
    if text.starts_with("【参考情報】") {
        return keep(BlockKind::Reference);
    }
    if text.starts_with("関連URL") {
        return keep(BlockKind::Links);
    }
    if text.starts_with("受賞歴") {
        return keep(BlockKind::Awards);
    }
    if text.starts_with("【担当部署】") || text.starts_with("【お問い合わせ】") {
        return keep(BlockKind::Contact);
    }
    if in_interview {
        return None;
    }
    match text.as_str() {
        "事業の概要" => whole(BlockKind::Overview),
        "事業効果" => whole(BlockKind::Effects),
        "コスト" => whole(BlockKind::Cost),
        "スケジュール" => whole(BlockKind::Schedule),
        "サービス提供事業者等" => whole(BlockKind::Vendors),
        "Point" => whole(BlockKind::Lead),
        t if t.starts_with("担当部署") => keep(BlockKind::Contact),
        t if t.starts_with('➤') || t.starts_with("Point ▶") || t.starts_with("Point▶") => keep(BlockKind::Lead),
        _ => None,
    }
}

/// The line without Markdown emphasis, list markers and surrounding space.
fn clean(line: &str) -> String {
    let t = line.trim().trim_start_matches("- ").trim();
    t.replace("**", "").trim().to_string()
}

impl Block<'_> {
    /// The non-empty lines, trimmed.
    pub fn text_lines(&self) -> impl Iterator<Item = &str> {
        self.lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty())
    }
}

/// The blocks of one kind, in order.
pub fn of_kind<'b, 'a>(blocks: &'b [Block<'a>], kind: BlockKind) -> impl Iterator<Item = &'b Block<'a>> {
    blocks.iter().filter(move |b| b.kind == kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(pages: &[Vec<&str>]) -> Vec<BlockKind> {
        split(pages).iter().map(|b| b.kind).collect()
    }

    #[test]
    fn headings_split_a_cost_page_into_blocks() {
        let page = vec![
            "事業効果",
            "- 効果",
            "コスト",
            "表",
            "スケジュール",
            "期間",
            "サービス提供事業者等",
            "x",
            "担当部署 総務課",
        ];
        use BlockKind::*;
        assert_eq!(kinds(&[page]), [Effects, Cost, Schedule, Vendors, Contact]);
    }

    #[test]
    fn point_line_and_lead_text_come_first() {
        let blocks = split(&[vec!["", "➤ ポイント", "- 補足", "事業の概要", "本文"]]);
        assert_eq!(blocks[0].kind, BlockKind::Lead);
        assert_eq!(blocks[0].lines, ["➤ ポイント", "- 補足"]);
        assert_eq!(blocks[1].kind, BlockKind::Overview);
    }

    #[test]
    fn interview_headings_inside_answers_do_not_split() {
        let page = vec![
            "(総務省)",
            "取組にコストはかかりましたか。",
            "コスト",
            "【参考情報】 町人口：1.2万人",
        ];
        use BlockKind::*;
        assert_eq!(kinds(&[page]), [Interview, Reference]);
    }

    #[test]
    fn a_page_after_the_closing_lines_is_supplementary_material() {
        let pages = vec![
            vec!["関連URL：x（<https://a.jp/>）"],
            vec!["○活用可能な主な手続等の一覧", "表"],
        ];
        assert_eq!(kinds(&pages), [BlockKind::Links, BlockKind::Appendix]);
    }

    #[test]
    fn a_new_page_ends_the_interview() {
        let pages = vec![vec!["(総務省)", "問い"], vec!["事業効果", "- 効果"]];
        assert_eq!(kinds(&pages), [BlockKind::Interview, BlockKind::Effects]);
    }
}
