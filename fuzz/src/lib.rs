//! Checks shared by the fuzz targets in `fuzz_targets/`.

use jirei::diagnostic::Diagnostic;

/// A diagnostic points into `text`: line 0 (the whole file) has no column;
/// otherwise the line exists and the column is at most one past its end.
/// Rendering it with its snippet and caret must not panic either.
pub fn assert_points_into(text: &str, d: &Diagnostic) {
    if d.line == 0 {
        assert_eq!(d.column, 0, "a whole-file diagnostic has a column: {d:?}");
    } else {
        let line = text
            .split('\n')
            .nth(d.line - 1)
            .unwrap_or_else(|| panic!("line {} is past the end of the text: {d:?}", d.line));
        let width = line.chars().count();
        assert!(
            d.column <= width + 1,
            "column {} is past the end of line {} ({width} characters): {d:?}",
            d.column,
            d.line
        );
    }
    std::hint::black_box(d.render(Some(text), false));
    std::hint::black_box(d.render(Some(text), true));
}
