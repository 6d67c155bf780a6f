//! Reading front-matter YAML into typed structs, turning the parser's
//! errors into [`Diagnostic`]s that point into the case file.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostic::{Diagnostic, explain_serde_message};

/// Deserializes `yaml`, which starts at 1-based line `first_line` of the file.
pub(crate) fn from_str<T: DeserializeOwned>(path: &Path, yaml: &str, first_line: usize) -> Result<T, Diagnostic> {
    let mut options = serde_saphyr::Options::default();
    options.with_snippet = false;
    // `code: 070009` must stay the text "070009", not a number.
    options.leading_zero_numbers_as_strings = true;
    options.strict_booleans = true;
    serde_saphyr::from_str_with_options::<T>(yaml, options).map_err(|err| to_diagnostic(path, &err, first_line))
}

fn to_diagnostic(path: &Path, err: &serde_saphyr::Error, first_line: usize) -> Diagnostic {
    let (line, column) = match err.location() {
        Some(loc) if loc.line() > 0 => (first_line + loc.line() as usize - 1, loc.column() as usize),
        _ => (first_line, 0),
    };
    let raw = plain_message(&err.without_snippet().to_string());
    let (message, help) = if raw.contains("expected struct FrontMatter") || raw == "expected mapping start" {
        let help = "the front matter is a list of `key: value` lines (title:, organization: …)";
        (
            "the front matter is not a set of keys".to_string(),
            Some(help.to_string()),
        )
    } else {
        explain_serde_message(&raw)
    };
    let diagnostic = Diagnostic::error(path, line, column, message);
    match help {
        Some(help) => diagnostic.with_help(help),
        None => diagnostic,
    }
}

/// Drops the location the parser appends (we print our own) and serde's
/// "invalid type" jargon.
fn plain_message(rendered: &str) -> String {
    let first = rendered.lines().next().unwrap_or(rendered).trim();
    let without_location = match first.rfind(" at line ") {
        Some(i) => &first[..i],
        None => first,
    };
    let without_prefix = without_location.strip_prefix("error: ").unwrap_or(without_location);
    without_prefix.trim_end_matches(':').trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_suffix_and_prefix_are_removed() {
        assert_eq!(
            plain_message("error: unknown field `x` at line 3 column 1"),
            "unknown field `x`"
        );
        assert_eq!(plain_message("bad thing"), "bad thing");
    }
}
