//! Snippets: the passage of a case's text with the most query words,
//! with those words marked.

use std::collections::HashSet;

use crate::analysis::Analyzer;

/// Characters shown around the matches.
const WINDOW_CHARS: usize = 110;
const LEAD_CHARS: usize = 20;

/// A passage and the byte ranges (within it) of the words to highlight.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Snippet {
    pub text: String,
    pub highlights: Vec<(usize, usize)>,
}

impl Snippet {
    /// HTML with `<mark>` around matches; everything else escaped.
    pub fn to_html(&self) -> String {
        self.render(escape_html, "<mark>", "</mark>")
    }

    /// Plain text with matches wrapped in the given markers.
    pub fn render(&self, escape: impl Fn(&str) -> String, open: &str, close: &str) -> String {
        let mut out = String::with_capacity(self.text.len() + 16);
        let mut at = 0;
        for &(start, end) in &self.highlights {
            out.push_str(&escape(&self.text[at..start]));
            out.push_str(open);
            out.push_str(&escape(&self.text[start..end]));
            out.push_str(close);
            at = end;
        }
        out.push_str(&escape(&self.text[at..]));
        out
    }
}

pub fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The best passage of `text` for the analysed query words `words`; the
/// beginning of the text when nothing matches.
pub fn make(text: &str, words: &[String], analyzer: &Analyzer) -> Snippet {
    let text = text.trim();
    let wanted: HashSet<&str> = words.iter().map(String::as_str).collect();
    let matches: Vec<(usize, usize, String)> = if wanted.is_empty() {
        Vec::new()
    } else {
        analyzer
            .analyze(text)
            .into_iter()
            .filter(|t| wanted.contains(t.text.as_str()))
            .map(|t| (t.byte_start, t.byte_end, t.text))
            .collect()
    };
    let start = best_window_start(text, &matches);
    let window_start = back_off(text, start, LEAD_CHARS);
    let window_end = forward(text, window_start, WINDOW_CHARS);
    let highlights = merge(
        matches
            .iter()
            .filter(|(s, e, _)| *s >= window_start && *e <= window_end)
            .map(|(s, e, _)| (s - window_start, e - window_start)),
    );
    let passage = &text[window_start..window_end];
    let mut snippet = Snippet {
        text: passage.replace('\n', " "),
        highlights,
    };
    if window_start > 0 {
        snippet.text.insert(0, '…');
        snippet
            .highlights
            .iter_mut()
            .for_each(|h| *h = (h.0 + "…".len(), h.1 + "…".len()));
    }
    if window_end < text.len() {
        snippet.text.push('…');
    }
    snippet
}

/// Byte offset of the match that starts the window holding the most distinct words.
fn best_window_start(text: &str, matches: &[(usize, usize, String)]) -> usize {
    let mut best = (0, 0usize);
    for (i, (start, _, _)) in matches.iter().enumerate() {
        let end = forward(text, *start, WINDOW_CHARS - LEAD_CHARS);
        let distinct: HashSet<&str> = matches[i..]
            .iter()
            .take_while(|(s, e, _)| *s < end && *e <= end)
            .map(|(_, _, w)| w.as_str())
            .collect();
        if distinct.len() > best.1 {
            best = (*start, distinct.len());
        }
    }
    best.0
}

fn back_off(text: &str, from: usize, chars: usize) -> usize {
    text[..from]
        .char_indices()
        .rev()
        .nth(chars.saturating_sub(1))
        .map_or(0, |(i, _)| i)
}

fn forward(text: &str, from: usize, chars: usize) -> usize {
    text[from..]
        .char_indices()
        .nth(chars)
        .map_or(text.len(), |(i, _)| from + i)
}

fn merge(ranges: impl Iterator<Item = (usize, usize)>) -> Vec<(usize, usize)> {
    let mut sorted: Vec<(usize, usize)> = ranges.collect();
    sorted.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (s, e) in sorted {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}
