//! The synonym list (`synonyms.toml`): parsing and validation.
//!
//! The format is deliberately small so editors can maintain it by hand:
//!
//! ```toml
//! # Equivalent phrases: searching for any of them finds all of them.
//! groups = [
//!   ["マイナカード", "マイナンバーカード"],
//!   ["AI-OCR", "AIOCR"],
//! ]
//!
//! # One-way: searching for `from` also finds `to`, not the reverse.
//! [[oneway]]
//! from = "生成AI"
//! to = ["ChatGPT"]
//! ```
//!
//! Phrases are written as ordinary text; they are analysed by the same
//! pipeline as documents when an [`Analyzer`](super::Analyzer) is built, so
//! spelling variants (full-width letters, ー) need not be listed.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::error::{AnalysisError, SourceLocation};

/// The synonym list shipped with jirei (`synonyms.toml` at the repository
/// root), compiled into the binary.
const BUILTIN: &str = include_str!("../../synonyms.toml");

/// A phrase as written in the synonym file, with its location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phrase {
    /// The phrase as written.
    pub text: String,
    /// Where it is written.
    pub location: SourceLocation,
}

/// A one-way rule: a search for `from` also finds each phrase of `to`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OneWay {
    /// The phrase searched for.
    pub from: Phrase,
    /// The phrases that are found as well.
    pub to: Vec<Phrase>,
}

/// A parsed (not yet analysed) synonym list.
///
/// ```
/// use jirei::analysis::Synonyms;
/// let synonyms = Synonyms::from_toml_str("groups = [[\"テレワーク\", \"リモートワーク\"]]").unwrap();
/// assert_eq!(synonyms.groups()[0][1].text, "リモートワーク");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Synonyms {
    groups: Vec<Vec<Phrase>>,
    oneway: Vec<OneWay>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    groups: Vec<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    oneway: Vec<Spanned<OneWayEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OneWayEntry {
    from: Spanned<String>,
    to: Vec<Spanned<String>>,
}

impl Synonyms {
    /// No synonyms at all.
    pub fn empty() -> Synonyms {
        Synonyms::default()
    }

    /// The synonym list shipped with jirei.
    ///
    /// ```
    /// let synonyms = jirei::analysis::Synonyms::builtin().unwrap();
    /// assert!(!synonyms.groups().is_empty());
    /// ```
    pub fn builtin() -> Result<Synonyms, AnalysisError> {
        parse(BUILTIN, Some(PathBuf::from("synonyms.toml")))
    }

    /// Reads and parses a synonym file.
    pub fn load(path: &Path) -> Result<Synonyms, AnalysisError> {
        let source = std::fs::read_to_string(path).map_err(|source| AnalysisError::SynonymsRead {
            path: path.to_path_buf(),
            source,
        })?;
        parse(&source, Some(path.to_path_buf()))
    }

    /// The synonyms of a collection: `<root>/synonyms.toml` when it exists,
    /// else the built-in list. `jirei search` and `jirei build` both use it,
    /// so the CLI and the browser expand queries alike.
    pub fn for_collection(root: &Path) -> Result<Synonyms, AnalysisError> {
        let path = root.join("synonyms.toml");
        if path.exists() {
            Synonyms::load(&path)
        } else {
            Synonyms::builtin()
        }
    }

    /// Every phrase of the list (groups, then one-way rules), as written.
    pub fn phrases(&self) -> Vec<&str> {
        let groups = self.groups.iter().flatten();
        let oneway = self.oneway.iter().flat_map(|o| std::iter::once(&o.from).chain(&o.to));
        groups.chain(oneway).map(|p| p.text.as_str()).collect()
    }

    /// Parses a synonym list from TOML text. Errors carry line and column.
    pub fn from_toml_str(source: &str) -> Result<Synonyms, AnalysisError> {
        parse(source, None)
    }

    /// The groups of equivalent phrases.
    pub fn groups(&self) -> &[Vec<Phrase>] {
        &self.groups
    }

    /// The one-way rules.
    pub fn oneway(&self) -> &[OneWay] {
        &self.oneway
    }
}

fn parse(source: &str, path: Option<PathBuf>) -> Result<Synonyms, AnalysisError> {
    let file: File = toml::from_str(source).map_err(|e| AnalysisError::SynonymsSyntax {
        location: SourceLocation::at(source, e.span().map_or(0, |s| s.start), path.clone()),
        message: e.message().trim().to_owned(),
    })?;
    let context = Context { source, path };
    let mut synonyms = Synonyms::default();
    for group in file.groups {
        let phrases = context.phrases(group.get_ref())?;
        if phrases.len() < 2 {
            let reason = "is alone in its group: a group needs at least two phrases";
            let text = phrases.first().map_or(String::new(), |p| p.text.clone());
            return Err(context.invalid(group.span().start, &text, reason));
        }
        synonyms.groups.push(phrases);
    }
    for rule in file.oneway {
        let entry = rule.get_ref();
        let to = context.phrases(&entry.to)?;
        if to.is_empty() {
            let reason = "has an empty `to` list";
            return Err(context.invalid(rule.span().start, entry.from.get_ref(), reason));
        }
        let from = context.phrase(&entry.from)?;
        synonyms.oneway.push(OneWay { from, to });
    }
    Ok(synonyms)
}

struct Context<'a> {
    source: &'a str,
    path: Option<PathBuf>,
}

impl Context<'_> {
    fn location(&self, offset: usize) -> SourceLocation {
        SourceLocation::at(self.source, offset, self.path.clone())
    }

    fn invalid(&self, offset: usize, phrase: &str, reason: &str) -> AnalysisError {
        AnalysisError::SynonymsInvalid {
            location: self.location(offset),
            phrase: phrase.to_owned(),
            reason: reason.to_owned(),
        }
    }

    fn phrase(&self, spanned: &Spanned<String>) -> Result<Phrase, AnalysisError> {
        let text = spanned.get_ref().trim();
        if text.is_empty() {
            return Err(self.invalid(spanned.span().start, text, "is empty"));
        }
        Ok(Phrase {
            text: text.to_owned(),
            location: self.location(spanned.span().start),
        })
    }

    fn phrases(&self, list: &[Spanned<String>]) -> Result<Vec<Phrase>, AnalysisError> {
        list.iter().map(|p| self.phrase(p)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"
# comment
groups = [
  ["マイナカード", "マイナンバーカード"],
  ["AI-OCR", "AIOCR", "AI OCR"],
]

[[oneway]]
from = "生成AI"
to = ["ChatGPT"]
"#;

    #[test]
    fn groups_and_oneway_rules_parse_with_locations() {
        let synonyms = Synonyms::from_toml_str(SAMPLE).unwrap();
        assert_eq!(synonyms.groups().len(), 2);
        assert_eq!(synonyms.groups()[1].len(), 3);
        let mynumber = &synonyms.groups()[0][1];
        assert_eq!(mynumber.text, "マイナンバーカード");
        assert_eq!((mynumber.location.line, mynumber.location.column), (4, 14));
        assert_eq!(synonyms.oneway()[0].from.text, "生成AI");
        assert_eq!(synonyms.oneway()[0].to[0].location.line, 10);
    }

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let err = Synonyms::from_toml_str("groups = [\n  [\"a\", \"b\"\n]").unwrap_err();
        let AnalysisError::SynonymsSyntax { location, .. } = &err else {
            panic!("unexpected error {err:?}");
        };
        assert_eq!(location.line, 3);
        assert!(err.to_string().starts_with("line 3, column"), "{err}");
    }

    #[test]
    fn unknown_keys_are_rejected_with_their_location() {
        let err = Synonyms::from_toml_str("group = []\n").unwrap_err();
        assert!(matches!(err, AnalysisError::SynonymsSyntax { .. }), "{err:?}");
        assert_eq!(err.location().unwrap().line, 1);
    }

    #[test]
    fn wrong_value_types_are_syntax_errors_at_the_value() {
        let err = Synonyms::from_toml_str("groups = [[\"a\", 1]]").unwrap_err();
        assert_eq!(err.location().unwrap().column, 17, "{err}");
    }

    #[test]
    fn empty_phrases_and_lonely_groups_are_invalid() {
        let err = Synonyms::from_toml_str("groups = [[\"a\", \" \"]]").unwrap_err();
        assert!(matches!(err, AnalysisError::SynonymsInvalid { .. }), "{err:?}");
        assert_eq!(err.location().unwrap().column, 17);
        let err = Synonyms::from_toml_str("\ngroups = [[\"a\"]]").unwrap_err();
        assert_eq!(err.location().unwrap().line, 2);
    }

    #[test]
    fn oneway_without_targets_is_invalid() {
        let err = Synonyms::from_toml_str("[[oneway]]\nfrom = \"a\"\nto = []").unwrap_err();
        assert!(err.to_string().contains("empty `to`"), "{err}");
    }

    #[test]
    fn missing_file_is_a_read_error() {
        let err = Synonyms::load(Path::new("/nonexistent/synonyms.toml")).unwrap_err();
        assert!(matches!(err, AnalysisError::SynonymsRead { .. }));
    }

    #[test]
    fn errors_from_files_name_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("synonyms.toml");
        std::fs::write(&path, "groups = [[\"a\", \"\"]]").unwrap();
        let err = Synonyms::load(&path).unwrap_err();
        assert!(err.to_string().contains("synonyms.toml:1:17"), "{err}");
    }

    #[test]
    fn builtin_list_parses() {
        let synonyms = Synonyms::builtin().unwrap();
        assert!(synonyms.groups().len() >= 10);
    }
}
