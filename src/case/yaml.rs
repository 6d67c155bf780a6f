//! Reading front-matter YAML into typed structs, turning the parser's
//! errors into [`Diagnostic`]s that point into the case file.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostic::{Diagnostic, did_you_mean};

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
    let (message, help) = explain(&raw);
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

/// Rewords serde's messages for editors and adds a suggestion for the
/// mistakes they make most.
fn explain(raw: &str) -> (String, Option<String>) {
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
    if raw.contains("expected struct FrontMatter") || raw == "expected mapping start" {
        let help = "the front matter is a list of `key: value` lines (title:, organization: …)";
        return ("the front matter is not a set of keys".to_string(), Some(help.to_string()));
    }
    let message = raw.replace("invalid type: ", "wrong type: ");
    if raw.contains("unknown variant") {
        return (message, Some("use one of the listed values, exactly as written".to_string()));
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
    fn location_suffix_and_prefix_are_removed() {
        assert_eq!(plain_message("error: unknown field `x` at line 3 column 1"), "unknown field `x`");
        assert_eq!(plain_message("bad thing"), "bad thing");
    }

    #[test]
    fn unknown_fields_get_a_did_you_mean_hint() {
        let (message, help) = explain("unknown field `vendr`, expected one of title, vendors, tags");
        assert_eq!(message, "unknown key `vendr`");
        assert_eq!(help.as_deref(), Some("did you mean `vendors`?"));
        let (_, help) = explain("unknown field `zzzzzzzz`, expected `title` or `tags`");
        assert_eq!(help.as_deref(), Some("the keys allowed here are: title, tags"));
    }
}
