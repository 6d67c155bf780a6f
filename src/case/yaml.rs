//! Reading front-matter YAML into typed structs, turning the parser's
//! errors into [`Diagnostic`]s that point into the case file.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostic::{Diagnostic, explain_serde_message};

/// Deserializes `yaml`, which starts at 1-based line `first_line` of the file.
pub(crate) fn from_str<T: DeserializeOwned>(path: &Path, yaml: &str, first_line: usize) -> Result<T, Diagnostic> {
    if let Some(d) = tab_indentation(path, yaml, first_line) {
        return Err(d);
    }
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
    let (message, help) = if let Some(key) = duplicate_key(&raw) {
        let help = "a key may appear only once; remove or merge the repeated one";
        (format!("the key `{key}` appears twice"), Some(help.to_string()))
    } else if raw.contains("expected struct FrontMatter") || raw == "expected mapping start" {
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

/// `duplicate mapping key: title, set DuplicateKeyPolicy…` → `title`.
fn duplicate_key(raw: &str) -> Option<&str> {
    let rest = raw.strip_prefix("duplicate mapping key: ")?;
    Some(rest.split(", set ").next().unwrap_or(rest).trim())
}

/// YAML forbids tabs in indentation; editors insert them silently, and the
/// parser's own message ("while scanning a plain scalar, found a tab")
/// points elsewhere. Report the first one ourselves.
fn tab_indentation(path: &Path, yaml: &str, first_line: usize) -> Option<Diagnostic> {
    yaml.lines().enumerate().find_map(|(i, line)| {
        let indent = &line[..line.len() - line.trim_start().len()];
        indent.find('\t').map(|at| {
            let column = indent[..at].chars().count() + 1;
            Diagnostic::error(path, first_line + i, column, "a tab is used for indentation")
                .with_help("YAML indentation must be spaces; replace the tab with spaces (two per level)")
        })
    })
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
