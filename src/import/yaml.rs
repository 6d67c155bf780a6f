//! A small YAML emitter for case front matter: block mappings and
//! sequences, with strings quoted whenever YAML would read them as
//! something else (numbers, booleans, leading zeros, `key: value` …).
//!
//! Written by hand so the output is stable and readable; the round-trip
//! tests read it back with the same YAML library `jirei check` uses.

use std::fmt::Write as _;

/// A YAML value as the importer builds it. Mappings keep their key order.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Str(String),
    Int(u64),
    Bool(bool),
    Seq(Vec<Value>),
    Map(Vec<(String, Value)>),
}

impl Value {
    pub fn str(s: impl Into<String>) -> Value {
        Value::Str(s.into())
    }

    /// An empty map, to be filled with [`Value::push`].
    pub fn map() -> Value {
        Value::Map(Vec::new())
    }

    /// Adds `key: value` to a map; other values are left alone.
    pub fn push(&mut self, key: &str, value: Value) {
        if let Value::Map(entries) = self {
            entries.push((key.to_string(), value));
        }
    }

    /// Adds `key: value` when `value` is `Some`.
    pub fn push_opt(&mut self, key: &str, value: Option<Value>) {
        if let Some(value) = value {
            self.push(key, value);
        }
    }

    fn is_empty_collection(&self) -> bool {
        matches!(self, Value::Seq(v) if v.is_empty()) || matches!(self, Value::Map(v) if v.is_empty())
    }
}

/// Renders a top-level mapping as YAML lines (no `---` fences).
pub fn to_yaml(root: &Value) -> String {
    let mut out = String::new();
    match root {
        Value::Map(entries) => write_map(&mut out, entries, 0),
        other => {
            write_inline(&mut out, other);
            out.push('\n');
        }
    }
    out
}

fn indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

fn write_map(out: &mut String, entries: &[(String, Value)], level: usize) {
    for (key, value) in entries {
        indent(out, level);
        out.push_str(&quote_if_needed(key));
        out.push(':');
        write_after_key(out, value, level);
    }
}

/// Writes what follows `key:` (or `- `): a scalar on the same line, or a
/// nested block on the next lines.
fn write_after_key(out: &mut String, value: &Value, level: usize) {
    match value {
        Value::Map(entries) if !entries.is_empty() => {
            out.push('\n');
            write_map(out, entries, level + 1);
        }
        Value::Seq(items) if !items.is_empty() => {
            out.push('\n');
            write_seq(out, items, level + 1);
        }
        _ => {
            out.push(' ');
            write_inline(out, value);
            out.push('\n');
        }
    }
}

fn write_seq(out: &mut String, items: &[Value], level: usize) {
    for item in items {
        indent(out, level);
        out.push('-');
        match item {
            Value::Map(entries) if !entries.is_empty() => {
                // First key on the dash line, the rest aligned under it.
                let (first_key, first_value) = &entries[0];
                out.push(' ');
                out.push_str(&quote_if_needed(first_key));
                out.push(':');
                write_after_key(out, first_value, level + 1);
                write_map(out, &entries[1..], level + 1);
            }
            Value::Seq(inner) if !inner.is_empty() => {
                out.push('\n');
                write_seq(out, inner, level + 1);
            }
            _ => {
                out.push(' ');
                write_inline(out, item);
                out.push('\n');
            }
        }
    }
}

fn write_inline(out: &mut String, value: &Value) {
    match value {
        Value::Str(s) => out.push_str(&quote_if_needed(s)),
        Value::Int(n) => {
            let _ = write!(out, "{n}");
        }
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        v if v.is_empty_collection() => out.push_str(if matches!(v, Value::Seq(_)) { "[]" } else { "{}" }),
        // Non-empty collections never reach here (handled as blocks).
        _ => out.push_str("null"),
    }
}

/// Returns `s` as a YAML scalar: plain when YAML reads it back as the same
/// string, double-quoted otherwise.
pub fn quote_if_needed(s: &str) -> String {
    if needs_quotes(s) {
        double_quoted(s)
    } else {
        s.to_string()
    }
}

fn needs_quotes(s: &str) -> bool {
    let Some(first) = s.chars().next() else { return true };
    let last = s.chars().last().unwrap_or(first);
    first.is_whitespace()
        || last.is_whitespace()
        || "-?:,[]{}#&*!|>'\"%@`".contains(first)
        || s.contains(": ")
        || s.ends_with(':')
        || s.contains(" #")
        || s.chars()
            .any(|c| c.is_control() || c == '\u{feff}' || c == '\u{2028}' || c == '\u{2029}')
        || is_reserved_word(s)
        || looks_numeric(s)
}

fn is_reserved_word(s: &str) -> bool {
    const WORDS: [&str; 22] = [
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~", ".inf", "-.inf", "+.inf", ".nan", "True",
        "False", "TRUE", "FALSE", "Yes", "No", "Null", "NULL",
    ];
    WORDS.contains(&s) || ["yes", "no", "on", "off", "null", ".nan", ".inf"].contains(&s.to_ascii_lowercase().as_str())
}

/// Anything a YAML 1.1 or 1.2 reader might take for a number or a date:
/// digits with `.`, `_`, `:`, `e`, `x`, `o`, sign, leading zeros …
fn looks_numeric(s: &str) -> bool {
    let body = s.trim_start_matches(['+', '-']);
    !body.is_empty()
        && body.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && body.chars().all(|c| c.is_ascii_alphanumeric() || "._:-+".contains(c))
        && body
            .chars()
            .filter(char::is_ascii_alphabetic)
            .all(|c| "eEoOxXbBaAcCdDfF".contains(c))
        && !is_iso_date_like(s)
}

/// `2023-01-01` stays plain: the case model reads it as a date string.
fn is_iso_date_like(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10 && b[4] == b'-' && b[7] == b'-' && s.bytes().filter(u8::is_ascii_digit).count() == 8
}

fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() || c == '\u{feff}' || c == '\u{2028}' || c == '\u{2029}' => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn round_trip(s: &str) -> String {
        let yaml = to_yaml(&Value::Map(vec![("k".into(), Value::str(s))]));
        let mut options = serde_saphyr::Options::default();
        options.leading_zero_numbers_as_strings = true;
        options.strict_booleans = true;
        let map: BTreeMap<String, String> =
            serde_saphyr::from_str_with_options(&yaml, options).unwrap_or_else(|e| panic!("{yaml}: {e}"));
        map.get("k").cloned().unwrap_or_default()
    }

    #[test]
    fn strings_yaml_would_misread_are_quoted_and_round_trip() {
        let tricky = [
            "",
            " lead",
            "trail ",
            "070009",
            "12000",
            "1.5",
            "1e3",
            "0x1F",
            "yes",
            "No",
            "on",
            "null",
            "~",
            "true",
            "- item",
            ": x",
            "# not a comment",
            "a: b",
            "a #b",
            "key:",
            "[x]",
            "{x}",
            "*alias",
            "&anchor",
            "!tag",
            "|",
            ">",
            "'q'",
            "\"q\"",
            "%x",
            "@x",
            "`x`",
            "line\nbreak",
            "tab\there",
            "back\\slash",
            "10:30",
            "1_000",
            "-5",
            "+1",
            ".5",
            "R2.8",
            "R5.2~4",
            "2023-01-01",
            "083-933-1327",
            "約13,400千円",
            "－",
            "非公表",
        ];
        for s in tricky {
            assert_eq!(
                round_trip(s),
                s,
                "{s:?} -> {}",
                to_yaml(&Value::Map(vec![("k".into(), Value::str(s))]))
            );
        }
    }

    #[test]
    fn plain_japanese_text_stays_unquoted() {
        assert_eq!(quote_if_needed("書かない窓口の導入"), "書かない窓口の導入");
        assert_eq!(quote_if_needed("R2.8"), "R2.8");
        assert_eq!(quote_if_needed("0868-54-2985"), "\"0868-54-2985\"");
        assert_eq!(
            quote_if_needed("https://www.town.kagamino.lg.jp/"),
            "https://www.town.kagamino.lg.jp/"
        );
    }

    #[test]
    fn nested_maps_and_sequences_render_as_blocks() {
        let mut root = Value::map();
        let mut org = Value::map();
        org.push("prefecture", Value::str("岡山県"));
        root.push("organization", org);
        let mut item = Value::map();
        item.push("date", Value::str("R2.8"));
        item.push("event", Value::str("予算確保"));
        root.push("milestones", Value::Seq(vec![item]));
        root.push("tags", Value::Seq(vec![]));
        root.push("count", Value::Int(12000));
        let expected = "organization:\n  prefecture: 岡山県\nmilestones:\n  - date: R2.8\n    event: 予算確保\ntags: []\ncount: 12000\n";
        assert_eq!(to_yaml(&root), expected);
    }
}
