//! Entry points for the fuzz targets in `fuzz/`: each block parser of the
//! importer, run on arbitrary text. Not part of the supported API; the
//! parsers themselves stay private to [`super`].

use std::hint::black_box;

use super::{blocks, contact, cost, document, interview, markdown, names, reference, schedule, toc, vendor};

/// Runs every block parser on the lines of `text`, as if they were the
/// block each parser is given by the importer. Panics are the only failure.
pub fn extractors(text: &str) {
    let lines: Vec<&str> = text.lines().collect();
    // A form feed starts a new page, as between the pages of a case.
    let pages: Vec<Vec<&str>> = text.split('\u{c}').map(|page| page.lines().collect()).collect();
    black_box(blocks::split(&pages));
    black_box(cost::parse(&lines));
    black_box(schedule::parse(&lines));
    black_box(vendor::parse(&lines));
    black_box(contact::parse(&lines));
    black_box(contact::best(&pages));
    black_box(interview::parse(&lines));
    black_box(reference::links(&lines));
    black_box(reference::awards(&lines));
    black_box(toc::parse_toc(&lines));
    black_box(markdown::to_markdown(&lines));
    black_box(document::read(&lines).ok());
    for line in &lines {
        black_box(reference::population(line));
        black_box(document::title_line(line));
        black_box(names::split_organization(line));
        black_box(cost::amount(line));
        black_box(markdown::strip_tags(line));
    }
}
