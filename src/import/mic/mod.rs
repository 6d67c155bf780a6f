//! Import of 総務省「自治体DX推進参考事例集」 (the text extracted from its
//! PDF) into case files: one Markdown file with YAML front matter per case.
//!
//! The pipeline is: [`document`] finds chapters, tables of contents and
//! the pages of each case; [`blocks`] splits a case at its headings; one
//! extractor per block ([`cost`], [`schedule`], [`vendor`], [`contact`],
//! [`interview`], [`reference`]) reads the facts; [`render`] writes the
//! file; every file is then checked with [`crate::case::parse`].

mod blocks;
mod contact;
mod cost;
mod document;
mod extract;
#[doc(hidden)]
pub mod fuzzing;
mod interview;
mod markdown;
mod names;
mod reference;
mod render;
mod schedule;
mod toc;
mod vendor;

use std::path::Path;

use crate::case::band::BandScheme;
use crate::import::ImportError;
use extract::CaseFacts;
use render::Publication;

/// The result of importing one publication.
#[derive(Debug, Clone)]
pub struct MicImport {
    pub cases: Vec<ImportedCase>,
    /// Findings about the document as a whole.
    pub warnings: Vec<String>,
}

impl MicImport {
    /// `(file name, file text)` pairs for [`crate::import::write_cases`].
    pub fn files(&self) -> Vec<(String, String)> {
        self.cases
            .iter()
            .map(|c| (c.file_name.clone(), c.text.clone()))
            .collect()
    }
}

/// One generated case file and what the importer found.
#[derive(Debug, Clone)]
pub struct ImportedCase {
    /// `3-01-kagamino.md`.
    pub file_name: String,
    pub text: String,
    pub report: CaseReport,
}

/// Fields found and missing in one case, and warnings.
#[derive(Debug, Clone, Default)]
pub struct CaseReport {
    pub id: String,
    pub title: String,
    pub organization: String,
    pub found: Vec<&'static str>,
    pub missing: Vec<&'static str>,
    /// Importer findings (simplified dates, mixed operation modes …).
    pub warnings: Vec<String>,
    /// Warnings `jirei check` gives for the generated file.
    pub check_warnings: Vec<String>,
}

/// The fields the report tracks, in table order.
pub const FIELDS: [&str; 12] = [
    "point",
    "population",
    "band",
    "initial_cost",
    "running_cost",
    "lead_time",
    "milestones",
    "vendors",
    "operation_mode",
    "contact",
    "interview",
    "links",
];

/// Imports a publication given as bytes; rejects text that is not UTF-8
/// (a Shift_JIS file, say) with the offset of the first bad byte.
pub fn import_bytes(bytes: &[u8]) -> Result<MicImport, ImportError> {
    let text = std::str::from_utf8(bytes).map_err(|e| ImportError::NotUtf8 {
        offset: e.valid_up_to(),
    })?;
    import(text)
}

/// Imports the text of 「自治体DX推進参考事例集」.
pub fn import(text: &str) -> Result<MicImport, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text).replace("\r\n", "\n");
    if text.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    let lines: Vec<&str> = text.lines().collect();
    let publication = publication(&lines)?;
    let chapters = document::read(&lines)?;
    let mut warnings = Vec::new();
    let mut cases = Vec::new();
    for chapter in &chapters {
        check_complete(chapter)?;
        for case in &chapter.cases {
            match extract::extract(chapter, case) {
                Ok(facts) => cases.push(finish(&facts, &publication)?),
                Err(message) => warnings.push(message),
            }
        }
    }
    if cases.is_empty() {
        return Err(ImportError::NotMic {
            reason: "no case title line `N タイトル【団体名】` was found".to_string(),
        });
    }
    Ok(MicImport { cases, warnings })
}

/// The title, publisher and date printed on the first page.
fn publication(lines: &[&str]) -> Result<Publication, ImportError> {
    let head: Vec<&str> = lines
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .take(12)
        .collect();
    let title = head
        .iter()
        .find(|l| l.starts_with("自治体DX推進参考事例集"))
        .map(|l| l.split_whitespace().next().unwrap_or(l).to_string())
        .ok_or_else(|| ImportError::NotMic {
            reason: format!(
                "the first page does not carry the title 自治体DX推進参考事例集 (it starts with `{}`)",
                head.first()
                    .map(|l| l.chars().take(40).collect::<String>())
                    .unwrap_or_default()
            ),
        })?;
    let publisher = if head.contains(&"総務省") {
        "総務省"
    } else {
        "総務省（推定）"
    }
    .to_string();
    let published = head.iter().find_map(|l| reiwa_date(l));
    Ok(Publication {
        publisher,
        title,
        published,
    })
}

/// `令和6年4月24日` → `2024-04-24`.
fn reiwa_date(line: &str) -> Option<String> {
    let rest = line.strip_prefix("令和")?;
    let (y, rest) = rest.split_once('年')?;
    let (m, rest) = rest.split_once('月')?;
    let d = rest.strip_suffix('日')?;
    let year = 2018 + if y == "元" { 1 } else { y.parse::<i32>().ok()? };
    Some(format!(
        "{year:04}-{:02}-{:02}",
        m.parse::<u32>().ok()?,
        d.parse::<u32>().ok()?
    ))
}

/// A chapter whose TOC lists more cases than its pages hold, or whose
/// last case stops before its closing lines, was cut off.
fn check_complete(chapter: &document::Chapter) -> Result<(), ImportError> {
    let missing: Vec<String> = chapter
        .toc
        .iter()
        .filter(|e| !chapter.cases.iter().any(|c| c.number == e.number))
        .map(|e| format!("{}-{} {}【{}】", chapter.number, e.number, e.title, e.organization))
        .collect();
    if !missing.is_empty() {
        return Err(ImportError::Truncated {
            chapter: format!("{}. {}", chapter.number, chapter.name),
            found: chapter.cases.len(),
            listed: chapter.toc.len(),
            missing,
        });
    }
    if chapter.toc.is_empty() && chapter.cases.is_empty() {
        return Err(ImportError::Truncated {
            chapter: format!("{}. {}", chapter.number, chapter.name),
            found: 0,
            listed: 0,
            missing: vec!["the chapter has neither a table of contents nor cases".to_string()],
        });
    }
    if let Some(last) = chapter.cases.last() {
        let closing = last.pages.iter().flatten().any(|l| {
            let t = l.trim();
            t.starts_with("【参考情報】")
                || t.starts_with("【担当部署】")
                || t.starts_with("担当部署")
                || t.starts_with("関連URL")
        });
        if !closing {
            return Err(ImportError::Truncated {
                chapter: format!("{}. {}", chapter.number, chapter.name),
                found: chapter.cases.len(),
                listed: chapter.toc.len(),
                missing: vec![format!(
                    "case {}-{} stops before its 参考情報 / 担当部署 lines (line {})",
                    chapter.number, last.number, last.line
                )],
            });
        }
    }
    Ok(())
}

/// Renders one case, checks it with the case model and builds its report.
fn finish(facts: &CaseFacts, publication: &Publication) -> Result<ImportedCase, ImportError> {
    let romaji = names::romaji(facts.prefecture, facts.municipality.as_deref());
    let id = names::case_id(facts.chapter_number, facts.number, romaji.as_deref());
    let file_name = format!("{id}.md");
    let text = render::render(&id, facts, publication);
    let path = Path::new("cases").join(&file_name);
    let case =
        crate::case::parse(&path, &text, &BandScheme::mic()).map_err(|diagnostics| ImportError::InvalidOutput {
            file: file_name.clone(),
            messages: diagnostics
                .iter()
                .map(|d| format!("line {}: {}", d.line, d.message))
                .collect(),
        })?;
    let mut report = report(&id, facts);
    if romaji.is_none() {
        report.warnings.push(format!(
            "no romanisation for `{}`; the id has no name part",
            facts.organization
        ));
    }
    report.check_warnings = case.warnings.iter().map(|d| d.message.clone()).collect();
    if case.band.is_some() && !report.found.contains(&"band") {
        report.found.push("band");
        report.missing.retain(|f| *f != "band");
    }
    Ok(ImportedCase {
        file_name,
        text,
        report,
    })
}

fn report(id: &str, f: &CaseFacts) -> CaseReport {
    let cost_side = |side: Option<&cost::CostSide>| side.is_some_and(|s| s.amount.is_some());
    let has = |field: &str| -> bool {
        match field {
            "point" => f.point.is_some(),
            "population" => f.population.is_some(),
            "band" => {
                f.population.is_some()
                    || f.toc
                        .as_ref()
                        .is_some_and(|t| render::band_for_label(&t.label).is_some())
            }
            "initial_cost" => cost_side(f.cost.as_ref().and_then(|c| c.initial.as_ref())),
            "running_cost" => cost_side(f.cost.as_ref().and_then(|c| c.running.as_ref())),
            "lead_time" => f.schedule.as_ref().is_some_and(|s| s.lead_time.is_some()),
            "milestones" => f.schedule.as_ref().is_some_and(|s| !s.milestones.is_empty()),
            "vendors" => f.vendor.as_ref().is_some_and(|v| !v.vendors.is_empty()),
            "operation_mode" => f
                .vendor
                .as_ref()
                .is_some_and(|v| v.delivery.is_some() || v.hosting.is_some()),
            "contact" => f.contact.as_ref().is_some_and(|c| c.department.is_some()),
            "interview" => f.interview.iter().any(|e| !e.question.is_empty()),
            "links" => !f.links.is_empty(),
            _ => false,
        }
    };
    let (found, missing): (Vec<&'static str>, Vec<&'static str>) = FIELDS.iter().partition(|field| has(field));
    let mut warnings = f.warnings.clone();
    if let Some(s) = &f.schedule {
        warnings.extend(s.warnings.iter().cloned());
    }
    if let Some(v) = &f.vendor {
        warnings.extend(v.warnings.iter().cloned());
        if v.vendors.len() > 1 && !v.services.is_empty() {
            warnings.push(
                "services cannot be matched to one of several vendors; they are listed in the body only".to_string(),
            );
        }
        if v.vendors.is_empty() && !v.services.is_empty() {
            warnings.push("services without a vendor are listed in the body only".to_string());
        }
    }
    if let Some(c) = &f.contact
        && c.several
    {
        warnings.push("several departments are printed; the first is in `contact:`, all are in the body".to_string());
    }
    for side in [
        f.cost.as_ref().and_then(|c| c.initial.as_ref()),
        f.cost.as_ref().and_then(|c| c.running.as_ref()),
    ]
    .into_iter()
    .flatten()
    {
        if side.amount.is_none() && !side.printed.is_empty() {
            warnings.push(format!(
                "cost `{}` is not an amount; kept in the body only",
                side.printed
            ));
        }
    }
    if f.population.is_none() {
        warnings.push(match f.toc.as_ref().and_then(|t| render::band_for_label(&t.label)) {
            Some(band) => format!("no population line; band `{band}` taken from the table of contents label"),
            None => "no population line and no usable population label in the table of contents".to_string(),
        });
    }
    CaseReport {
        id: id.to_string(),
        title: f.title.clone(),
        organization: f.organization.clone(),
        found,
        missing,
        warnings,
        check_warnings: Vec::new(),
    }
}
