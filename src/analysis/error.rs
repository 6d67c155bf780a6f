//! Errors raised while loading the dictionary or the synonym list.

use std::fmt;
use std::path::PathBuf;

/// Where in a synonym file a problem was found (1-based line and column,
/// the column counted in characters so editors can jump straight to it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLocation {
    /// The file, when the synonyms were loaded from one.
    pub path: Option<PathBuf>,
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl SourceLocation {
    /// Computes the line and column of byte `offset` in `source`.
    ///
    /// ```
    /// use jirei::analysis::SourceLocation;
    /// let loc = SourceLocation::at("a = 1\nあい = 2\n", 13, None);
    /// assert_eq!((loc.line, loc.column), (2, 4));
    /// ```
    pub fn at(source: &str, offset: usize, path: Option<PathBuf>) -> SourceLocation {
        let mut offset = offset.min(source.len());
        while !source.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &source[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        SourceLocation {
            path,
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        }
    }
}

impl fmt::Display for SourceLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(path) => write!(f, "{}:{}:{}", path.display(), self.line, self.column),
            None => write!(f, "line {}, column {}", self.line, self.column),
        }
    }
}

/// Everything that can go wrong when building an [`Analyzer`](super::Analyzer).
#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    /// The embedded IPADIC dictionary could not be loaded (a broken build).
    #[error("cannot load the embedded IPADIC dictionary: {0}")]
    Dictionary(String),
    /// The synonym file could not be read.
    #[error("cannot read synonym file {path}: {source}")]
    SynonymsRead {
        /// The file we tried to read.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// The synonym file is not valid TOML or does not follow the format.
    #[error("{location}: invalid synonym file: {message}")]
    SynonymsSyntax {
        /// Where the parser stopped.
        location: SourceLocation,
        /// The parser's explanation.
        message: String,
    },
    /// A phrase in the synonym file cannot be used (for example, it is empty
    /// or consists only of particles and symbols, so it matches nothing).
    #[error("{location}: synonym {phrase:?} {reason}")]
    SynonymsInvalid {
        /// Where the phrase is written.
        location: SourceLocation,
        /// The phrase as written.
        phrase: String,
        /// Why it was rejected.
        reason: String,
    },
}

impl AnalysisError {
    /// The location in the synonym file, for the errors that have one.
    pub fn location(&self) -> Option<&SourceLocation> {
        match self {
            AnalysisError::SynonymsSyntax { location, .. } | AnalysisError::SynonymsInvalid { location, .. } => {
                Some(location)
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_counts_lines_and_characters_from_one() {
        let src = "x\nマイナ = 1";
        let loc = SourceLocation::at(src, src.find('=').unwrap(), None);
        assert_eq!((loc.line, loc.column), (2, 5));
        assert_eq!(loc.to_string(), "line 2, column 5");
    }

    #[test]
    fn location_clamps_offsets_inside_characters_or_past_the_end() {
        let src = "あい";
        assert_eq!(SourceLocation::at(src, 1, None).column, 1);
        assert_eq!(SourceLocation::at(src, 99, None).column, 3);
    }

    #[test]
    fn location_display_includes_the_path() {
        let loc = SourceLocation::at("a", 0, Some(PathBuf::from("synonyms.toml")));
        assert_eq!(loc.to_string(), "synonyms.toml:1:1");
    }
}
