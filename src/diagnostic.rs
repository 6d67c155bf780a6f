//! Diagnostics: what is wrong, where (file, line, column), and what to do.
//!
//! Every layer reports problems as [`Diagnostic`]s; the commands render them
//! for people (`path:line:col: error: message` with a source snippet and a
//! caret, coloured on a terminal) or as JSON for tools.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn label(&self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One problem found in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub path: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column in characters; 0 when unknown.
    pub column: usize,
    pub severity: Severity,
    pub message: String,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(path: impl Into<PathBuf>, line: usize, column: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.into(),
            line,
            column,
            severity: Severity::Error,
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(path: impl Into<PathBuf>, line: usize, column: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, line, column, message)
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:col: error: message`, then the source line with a caret
    /// when `source` (the file's text) is given.
    pub fn render(&self, source: Option<&str>, color: bool) -> String {
        let style = Style { color };
        let mut out = String::new();
        let location = match (self.line, self.column) {
            (0, _) => format!("{}", self.path.display()),
            (l, 0) => format!("{}:{l}", self.path.display()),
            (l, c) => format!("{}:{l}:{c}", self.path.display()),
        };
        let sev = match self.severity {
            Severity::Error => style.paint("1;31", "error"),
            Severity::Warning => style.paint("1;33", "warning"),
        };
        let _ = writeln!(
            out,
            "{}: {sev}: {}",
            style.paint("1", &location),
            style.paint("1", &self.message)
        );
        if let Some(line_text) = source.and_then(|s| nth_line(s, self.line)) {
            let number = self.line.to_string();
            let gutter = " ".repeat(number.len());
            let bar = style.paint("34", "|");
            let _ = writeln!(out, "{gutter} {bar}");
            let _ = writeln!(out, "{} {bar} {}", style.paint("34", &number), shorten(line_text));
            if self.column > 0 {
                let pad = caret_padding(line_text, self.column);
                let _ = writeln!(out, "{gutter} {bar} {pad}{}", style.paint("1;31", "^"));
            }
        }
        if let Some(help) = &self.help {
            let _ = writeln!(out, "  = {}: {help}", style.paint("1;36", "help"));
        }
        out
    }
}

/// The display width of a character on a terminal: 2 for East Asian wide
/// characters, so the caret lines up under Japanese text.
fn width(c: char) -> usize {
    let cp = c as u32;
    let wide = matches!(cp,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6 | 0x1F300..=0x1F64F | 0x1F900..=0x1F9FF | 0x20000..=0x3FFFD);
    if wide { 2 } else { 1 }
}

fn caret_padding(line: &str, column: usize) -> String {
    let cols: usize = line.chars().take(column.saturating_sub(1)).map(width).sum();
    " ".repeat(cols.min(200))
}

/// Long lines (a pasted paragraph) are cut so the snippet stays readable.
fn shorten(line: &str) -> String {
    const MAX: usize = 200;
    if line.chars().count() <= MAX {
        line.to_string()
    } else {
        let mut s: String = line.chars().take(MAX).collect();
        s.push('…');
        s
    }
}

fn nth_line(source: &str, line: usize) -> Option<&str> {
    if line == 0 {
        return None;
    }
    source.lines().nth(line - 1)
}

struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

/// 1-based line and column (in characters) of a byte offset in `text`.
pub fn line_column(text: &str, byte_offset: usize) -> (usize, usize) {
    let mut offset = byte_offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// The closest candidate to `word` by edit distance, if it is close enough
/// to be a plausible typo.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1) + 1;
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
}

/// Counts of errors and warnings, for the summary line.
pub fn summary(diagnostics: &[Diagnostic]) -> (usize, usize) {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    (errors, diagnostics.len() - errors)
}

/// A path shown relative to `root` when it lies below it.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

/// Rewords serde's messages for editors and adds a suggestion for the
/// mistakes they make most.
pub fn explain_serde_message(raw: &str) -> (String, Option<String>) {
    if let Some((field, candidates)) = unknown_field(raw) {
        let help = match did_you_mean(field, candidates.iter().copied()) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("the keys allowed here are: {}", candidates.join(", ")),
        };
        return (format!("unknown key `{field}`"), Some(help));
    }
    if let Some(rest) = raw.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or_default();
        let help = "add this key; `jirei new` writes a template with every key explained";
        return (format!("the required key `{field}` is missing"), Some(help.to_string()));
    }
    if raw == "expected string scalar" {
        return (
            "expected a text value here".to_string(),
            Some("write plain text (quote it if it contains `:` or `#`)".to_string()),
        );
    }
    let message = raw.replace("invalid type: ", "wrong type: ");
    if raw.contains("unknown variant") {
        return (
            message,
            Some("use one of the listed values, exactly as written".to_string()),
        );
    }
    (message, None)
}

/// `unknown field `x`, expected one of a, b, c` → (`x`, [a, b, c]).
fn unknown_field(raw: &str) -> Option<(&str, Vec<&str>)> {
    let rest = raw.strip_prefix("unknown field `")?;
    let (field, expected) = rest.split_once('`')?;
    let list = expected
        .trim_start_matches(", expected one of ")
        .trim_start_matches(", expected ")
        .trim_start_matches(", there are no fields");
    let candidates = list
        .split(", ")
        .flat_map(|part| part.split(" or "))
        .map(|c| c.trim().trim_matches('`'))
        .filter(|c| !c.is_empty())
        .collect();
    Some((field, candidates))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_location_snippet_and_caret_under_wide_text() {
        // Column 8 is き, after the two-column-wide 大.
        let d = Diagnostic::error("cases/a.md", 2, 8, "bad value").with_help("fix it");
        let text = d.render(Some("---\nband: 大きい\n---\n"), false);
        assert_eq!(
            text,
            "cases/a.md:2:8: error: bad value\n  |\n2 | band: 大きい\n  |         ^\n  = help: fix it\n"
        );
    }

    #[test]
    fn colour_is_only_used_when_asked() {
        let d = Diagnostic::warning("a.md", 0, 0, "empty");
        assert!(!d.render(None, false).contains('\x1b'));
        assert!(d.render(None, true).contains("\x1b[1;33mwarning"));
    }

    #[test]
    fn suggestions_find_close_typos_only() {
        let keys = ["vendors", "title", "tags"];
        assert_eq!(did_you_mean("vendr", keys), Some("vendors"));
        assert_eq!(did_you_mean("titel", keys), Some("title"));
        assert_eq!(did_you_mean("population_band", keys), None);
    }

    #[test]
    fn line_column_counts_characters_not_bytes() {
        assert_eq!(line_column("ab\n日本語x", 9 + 3), (2, 4));
        assert_eq!(line_column("", 5), (1, 1));
    }

    #[test]
    fn unknown_fields_get_a_did_you_mean_hint() {
        let (message, help) = explain_serde_message("unknown field `vendr`, expected one of title, vendors, tags");
        assert_eq!(message, "unknown key `vendr`");
        assert_eq!(help.as_deref(), Some("did you mean `vendors`?"));
        let (_, help) = explain_serde_message("unknown field `zzzzzzzz`, expected `title` or `tags`");
        assert_eq!(help.as_deref(), Some("the keys allowed here are: title, tags"));
    }
}
