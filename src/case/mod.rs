//! The case model: one municipal DX case study, as an editor writes it
//! (Markdown with YAML front matter) and as the rest of jirei reads it.
//!
//! [`parse`] turns the text of one file into a [`Case`] or diagnostics. It
//! knows nothing about other files; duplicate ids and the like are the
//! corpus's business.
//!
//! ```
//! use jirei::case::{parse, band::BandScheme};
//! let text = "---\ntitle: 書かない窓口\norganization: {prefecture: 岡山県, name: 鏡野町}\n\
//!             population: 12000\ncategory: 内部DX\n---\n本文\n";
//! let case = parse("cases/kagamino.md".as_ref(), text, &BandScheme::mic()).unwrap();
//! assert_eq!(case.id, "kagamino");
//! assert_eq!(case.band.as_deref(), Some("10k-50k"));
//! ```

pub mod band;
pub mod era;
pub mod front_matter;
pub mod money;
pub mod place;
pub mod plain_text;
pub mod shorthand;
pub mod text;
pub mod validate;
mod yaml;

use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use band::BandScheme;
use front_matter::{FrontMatter, OrgKind};
use place::Prefecture;

/// A parsed, validated case.
#[derive(Debug, Clone)]
pub struct Case {
    /// Stable id: `id:` from the front matter, else the file stem.
    pub id: String,
    pub path: PathBuf,
    pub front: FrontMatter,
    /// Markdown after the front matter.
    pub body: String,
    /// 1-based line where the body starts.
    pub body_line: usize,
    pub prefecture: Prefecture,
    pub kind: OrgKind,
    /// Population band id, given or derived; `None` when neither is known.
    pub band: Option<String>,
    /// Non-fatal findings (missing optional facts).
    pub warnings: Vec<Diagnostic>,
}

impl Case {
    /// 鏡野町 for a municipality, 岡山県 for a prefecture.
    pub fn organization_name(&self) -> &str {
        self.front
            .organization
            .name
            .as_deref()
            .unwrap_or(self.prefecture.name())
    }

    /// 岡山県鏡野町.
    pub fn full_organization_name(&self) -> String {
        match &self.front.organization.name {
            Some(name) => format!("{}{}", self.prefecture.name(), name),
            None => self.prefecture.name().to_string(),
        }
    }

    pub fn region(&self) -> &'static str {
        self.prefecture.region()
    }

    pub fn population(&self) -> Option<u64> {
        self.front.population.as_ref().map(|p| p.value.count)
    }

    /// Initial cost in 千円 when a figure is known.
    pub fn initial_cost(&self) -> Option<u64> {
        self.front.cost.as_ref()?.initial_amount()?.thousand_yen
    }

    /// Running cost per year in 千円 when a figure is known.
    pub fn running_cost(&self) -> Option<u64> {
        self.front.cost.as_ref()?.running_amount()?.thousand_yen
    }

    pub fn lead_time_months(&self) -> Option<u32> {
        Some(self.front.schedule.as_ref()?.lead_time?.months)
    }
}

/// The three parts of a case file's text.
struct Sections<'a> {
    yaml: &'a str,
    /// 1-based file line of the first YAML line.
    yaml_line: usize,
    body: &'a str,
    body_line: usize,
}

/// Parses and validates one case file. `text` is already decoded (see
/// [`crate::corpus::decode`]): UTF-8 without BOM, `\n` line ends.
pub fn parse(path: &Path, text: &str, bands: &BandScheme) -> Result<Case, Vec<Diagnostic>> {
    let sections = split(path, text).map_err(|d| vec![d])?;
    let front = yaml::from_str::<FrontMatter>(path, sections.yaml, sections.yaml_line).map_err(|d| vec![d])?;
    validate::validate(path, front, sections.body, sections.body_line, bands)
}

/// Splits `---\n<yaml>---\n<body>`.
fn split<'a>(path: &Path, text: &'a str) -> Result<Sections<'a>, Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic::error(path, 1, 1, "the file is empty").with_help(
            "a case starts with front matter between two `---` lines; `jirei new \"タイトル\"` writes a template",
        ));
    }
    let Some(after_open) = text.strip_prefix("---\n").or_else(|| (text == "---").then_some("")) else {
        let first = text.lines().next().unwrap_or_default();
        let help = if first.trim_end() == "---" {
            "the first line must be exactly `---`, with nothing after it"
        } else {
            "add a line `---` at the very top, the YAML keys (title:, organization: …), then another `---` line"
        };
        return Err(
            Diagnostic::error(path, 1, 1, "missing front matter: the file does not start with `---`").with_help(help),
        );
    };
    let close = find_closing_fence(after_open).ok_or_else(|| {
        Diagnostic::error(path, 1, 1, "the front matter is not closed")
            .with_help("add a line `---` after the last YAML key, before the Markdown text")
    })?;
    let yaml = &after_open[..close];
    if yaml.trim().is_empty() {
        return Err(Diagnostic::error(path, 2, 1, "the front matter is empty")
            .with_help("write at least `title:`, `organization:` and `category:` between the `---` lines"));
    }
    let rest = &after_open[close..];
    let body = rest.strip_prefix("---").unwrap_or(rest);
    let body = body.strip_prefix('\n').unwrap_or(body);
    let yaml_lines = yaml.matches('\n').count();
    Ok(Sections {
        yaml,
        yaml_line: 2,
        body,
        body_line: 2 + yaml_lines + 1,
    })
}

/// Byte offset of the closing `---` line within the text after the opening line.
fn find_closing_fence(text: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_end_matches('\n').trim_end() == "---" {
            return Some(offset);
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests;
