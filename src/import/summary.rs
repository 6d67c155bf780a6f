//! The summary table the CLI prints after an import: one row per case
//! with the key facts found, the fields missing and the warning count,
//! then the warnings in full and the per-field totals.

use std::fmt::Write as _;

use super::WriteReport;
use super::mic::{FIELDS, MicImport};

/// Renders the summary as plain text (aligned columns, ASCII only in the
/// frame so it survives any terminal).
pub fn render(import: &MicImport, written: Option<&WriteReport>) -> String {
    let mut out = String::new();
    let header = [
        "file", "pop", "band", "init", "run", "lead", "vendor", "missing", "warn",
    ];
    let mut rows: Vec<Vec<String>> = vec![header.iter().map(|h| h.to_string()).collect()];
    for case in &import.cases {
        let r = &case.report;
        let mark = |field: &str| if r.found.contains(&field) { "x" } else { "-" }.to_string();
        rows.push(vec![
            case.file_name.clone(),
            mark("population"),
            mark("band"),
            mark("initial_cost"),
            mark("running_cost"),
            mark("lead_time"),
            mark("vendors"),
            r.missing.join(","),
            (r.warnings.len() + r.check_warnings.len()).to_string(),
        ]);
    }
    out.push_str(&table(&rows));
    out.push('\n');
    let _ = writeln!(out, "{} cases; fields found:", import.cases.len());
    for field in FIELDS {
        let n = import.cases.iter().filter(|c| c.report.found.contains(&field)).count();
        let _ = writeln!(out, "  {field:<15} {n:>3}/{}", import.cases.len());
    }
    let warnings: Vec<String> = import
        .warnings
        .iter()
        .cloned()
        .chain(import.cases.iter().flat_map(|c| {
            c.report
                .warnings
                .iter()
                .chain(&c.report.check_warnings)
                .map(move |w| format!("{}: {w}", c.file_name))
        }))
        .collect();
    if !warnings.is_empty() {
        let _ = writeln!(out, "\nwarnings ({}):", warnings.len());
        for w in &warnings {
            let _ = writeln!(out, "  {w}");
        }
    }
    if let Some(w) = written {
        let _ = writeln!(
            out,
            "\nwritten: {} created, {} replaced, {} unchanged",
            w.created.len(),
            w.replaced.len(),
            w.unchanged.len()
        );
    }
    out
}

/// Left-aligned columns padded by display width (CJK counts as two).
fn table(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| width(c))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for (k, row) in rows.iter().enumerate() {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c}{}", " ".repeat(widths[i].saturating_sub(width(c)))))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
        if k == 0 {
            let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
            out.push_str(&rule.join("  "));
            out.push('\n');
        }
    }
    out
}

fn width(s: &str) -> usize {
    s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_aligned_by_display_width() {
        let t = table(&[vec!["a".into(), "b".into()], vec!["日本".into(), "x".into()]]);
        assert_eq!(t, "a     b\n----  -\n日本  x\n");
    }
}
