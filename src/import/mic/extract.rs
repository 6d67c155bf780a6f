//! Gathers the facts of one case from its blocks, using one extractor per
//! block kind, and records what was found, what is missing and why.

use super::blocks::{self, Block, BlockKind};
use super::contact::{self, ContactFact};
use super::cost::{self, CostFact};
use super::document::{CaseText, Chapter};
use super::interview::{self, Exchange};
use super::markdown::to_markdown;
use super::names;
use super::reference::{self, LinkFact, PopulationFact};
use super::schedule::{self, ScheduleFact};
use super::toc::TocEntry;
use super::vendor::{self, VendorFact};
use crate::case::place::Prefecture;

/// Everything the importer knows about one case.
#[derive(Debug, Clone)]
pub struct CaseFacts {
    pub chapter_number: u32,
    pub chapter_name: String,
    pub number: u32,
    pub title: String,
    pub organization: String,
    pub prefecture: Prefecture,
    pub municipality: Option<String>,
    pub toc: Option<TocEntry>,
    pub tags: Vec<String>,
    pub point: Option<String>,
    /// Lead-in text after the Point line, as Markdown.
    pub lead: String,
    pub overview: String,
    pub effects: Vec<String>,
    pub effects_text: String,
    pub cost: Option<CostFact>,
    pub schedule: Option<ScheduleFact>,
    pub vendor: Option<VendorFact>,
    pub contact: Option<ContactFact>,
    /// Every distinct contact block, as Markdown.
    pub contact_text: Vec<String>,
    pub interview: Vec<Exchange>,
    pub population: Option<PopulationFact>,
    pub links: Vec<LinkFact>,
    pub awards: Vec<String>,
    /// The 参考情報, 受賞歴 and 関連URL lines as printed, as Markdown.
    pub reference_text: String,
    pub links_text: String,
    pub appendix: String,
    pub warnings: Vec<String>,
}

/// Reads one case. `None` when its organisation is not a known prefecture
/// or municipality (the caller reports it).
pub fn extract(chapter: &Chapter, case: &CaseText) -> Result<CaseFacts, String> {
    let (prefecture, municipality) = names::split_organization(&case.organization).ok_or_else(|| {
        format!(
            "case {}-{}: `{}` does not start with a prefecture",
            chapter.number, case.number, case.organization
        )
    })?;
    let toc = chapter.toc.iter().find(|e| e.number == case.number).cloned();
    let blocks = dedupe(blocks::split(&case.pages));
    let mut warnings = Vec::new();
    if toc.is_none() {
        warnings.push("the case is not listed in the table of contents: no section or page".to_string());
    }
    let tags = toc
        .iter()
        .map(|e| e.subsection.clone())
        .filter(|s| chapter.labels.contains(s))
        .collect();
    let (point, lead) = point_and_lead(&blocks);
    let effects_lines = lines_of(&blocks, BlockKind::Effects);
    let cost = cost::parse(&lines_of(&blocks, BlockKind::Cost));
    let schedule =
        non_empty(&blocks, BlockKind::Schedule).then(|| schedule::parse(&lines_of(&blocks, BlockKind::Schedule)));
    let vendor = non_empty(&blocks, BlockKind::Vendors).then(|| vendor::parse(&lines_of(&blocks, BlockKind::Vendors)));
    let contact_blocks: Vec<Vec<&str>> = blocks::of_kind(&blocks, BlockKind::Contact)
        .map(|b| b.lines.clone())
        .collect();
    let population = blocks::of_kind(&blocks, BlockKind::Reference)
        .flat_map(|b| b.lines.iter())
        .find_map(|l| reference::population(l));
    let mut link_lines = lines_of(&blocks, BlockKind::Links);
    link_lines.extend(lines_of(&blocks, BlockKind::Awards));
    if let Some(p) = &population
        && !case.organization.ends_with(&p.name)
        && !p.name.ends_with(municipality.as_deref().unwrap_or(prefecture.name()))
    {
        warnings.push(format!(
            "the population line names `{}`, not `{}`",
            p.name, case.organization
        ));
    }
    Ok(CaseFacts {
        chapter_number: chapter.number,
        chapter_name: chapter.name.clone(),
        number: case.number,
        title: case.title.clone(),
        organization: case.organization.clone(),
        prefecture,
        municipality,
        toc,
        tags,
        point,
        lead,
        overview: to_markdown(&lines_of(&blocks, BlockKind::Overview)),
        effects: effect_items(&effects_lines),
        effects_text: to_markdown(&effects_lines),
        cost,
        schedule,
        vendor,
        contact: contact::best(&contact_blocks),
        contact_text: contact_blocks.iter().map(|b| to_markdown(b)).collect(),
        interview: interview::parse(&lines_of(&blocks, BlockKind::Interview)),
        population,
        links: reference::links(&link_lines),
        awards: reference::awards(&lines_of(&blocks, BlockKind::Awards)),
        reference_text: to_markdown(
            &[
                lines_of(&blocks, BlockKind::Reference),
                lines_of(&blocks, BlockKind::Awards),
            ]
            .concat(),
        ),
        links_text: to_markdown(&lines_of(&blocks, BlockKind::Links)),
        appendix: to_markdown(&lines_of(&blocks, BlockKind::Appendix)),
        warnings,
    })
}

/// Drops a block that repeats an earlier block of the same kind word for
/// word (the layout repeats schedule and vendor boxes on two pages).
fn dedupe(blocks: Vec<Block<'_>>) -> Vec<Block<'_>> {
    let mut seen: Vec<(BlockKind, Vec<String>)> = Vec::new();
    let mut out = Vec::new();
    for block in blocks {
        let key = (block.kind, block.text_lines().map(str::to_string).collect::<Vec<_>>());
        if !key.1.is_empty() && seen.contains(&key) {
            continue;
        }
        seen.push(key);
        out.push(block);
    }
    out
}

fn lines_of<'a>(blocks: &[Block<'a>], kind: BlockKind) -> Vec<&'a str> {
    let mut lines = Vec::new();
    for block in blocks::of_kind(blocks, kind) {
        if !lines.is_empty() {
            lines.push("");
        }
        lines.extend(block.lines.iter().copied());
    }
    lines
}

fn non_empty(blocks: &[Block], kind: BlockKind) -> bool {
    blocks::of_kind(blocks, kind).any(|b| b.text_lines().next().is_some())
}

/// The ➤ line (or the Point bullets) and any further lead-in text.
fn point_and_lead(blocks: &[Block]) -> (Option<String>, String) {
    let lines = lines_of(blocks, BlockKind::Lead);
    let arrow = lines.iter().position(|l| {
        let t = l.trim().trim_start_matches("- ");
        t.starts_with('➤') || t.starts_with("Point")
    });
    if let Some(i) = arrow {
        let text = lines[i]
            .trim()
            .trim_start_matches("- ")
            .trim_start_matches('➤')
            .trim_start_matches("Point");
        let text = text.trim_start_matches(['▶', ' ']).trim();
        let rest: Vec<&str> = lines
            .iter()
            .enumerate()
            .filter(|(k, _)| *k != i)
            .map(|(_, l)| *l)
            .collect();
        let point = (!text.is_empty()).then(|| text.replace("**", ""));
        return (point, to_markdown(&rest));
    }
    let items: Vec<String> = lines.iter().map(|l| clean_item(l)).filter(|l| !l.is_empty()).collect();
    if items.is_empty() {
        return (None, String::new());
    }
    (Some(items.join(" ")), String::new())
}

fn clean_item(line: &str) -> String {
    line.trim()
        .trim_start_matches("- ")
        .trim_start_matches(['・', '○', '●', '◆', '■', ' '])
        .replace("**", "")
        .trim()
        .to_string()
}

/// Effects as single sentences: the bullet lines, or every line when the
/// block has no bullets.
fn effect_items(lines: &[&str]) -> Vec<String> {
    let usable: Vec<&str> = lines
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty() && !l.contains('\t') && !l.contains('<'))
        .collect();
    let bullets: Vec<&str> = usable
        .iter()
        .copied()
        .filter(|l| l.starts_with("- ") || l.starts_with(['・', '○', '●', '◆', '■']))
        .collect();
    let chosen = if bullets.is_empty() { usable } else { bullets };
    let mut items: Vec<String> = Vec::new();
    for item in chosen.iter().map(|l| clean_item(l)).filter(|i| i.chars().count() > 4) {
        if !items.contains(&item) {
            items.push(item);
        }
    }
    items
}
