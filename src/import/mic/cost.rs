//! The コスト table: initial and running cost with tax treatment,
//! breakdown (内訳) and notes (備考).
//!
//! The table comes in three shapes: two columns side by side in
//! tab-separated rows (initial left, running right), one column after the
//! other, or one cell per line with both headers first. The rows are first
//! turned into a stream of (side, text) cells, then read by a small state
//! machine per side.

use std::sync::LazyLock;

use regex::Regex;

use super::markdown::strip_tags;
use crate::case::front_matter::Tax;
use crate::case::money::Amount;

/// One side of the table.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CostSide {
    /// The amount as printed (`約13,400千円`, `－円`, `(非公表)`).
    pub printed: String,
    pub amount: Option<Amount>,
    pub tax: Option<Tax>,
    pub breakdown: Vec<BreakdownItem>,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BreakdownItem {
    pub item: String,
    pub amount: Option<Amount>,
}

/// What the cost table says.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CostFact {
    pub initial: Option<CostSide>,
    pub running: Option<CostSide>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Initial,
    Running,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Amount,
    Breakdown,
    Notes,
}

static AMOUNT_AT_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[\s\t])((?:約)?[\d,]+(?:\.\d+)?千円|[－\-—―]円?|\(非公表\)|（非公表）|非公表|\(算定不可\)|（算定不可）)$")
        .expect("valid regex")
});

/// Reads the lines of a コスト block; `None` when it has no table.
pub fn parse(lines: &[&str]) -> Option<CostFact> {
    let rows: Vec<Vec<String>> = lines
        .iter()
        .map(|l| l.trim_end_matches([' ', '\r']))
        .filter(|l| !l.trim().is_empty() && !is_caption(l))
        .map(|l| l.split('\t').map(|c| c.trim().replace("**", "")).collect())
        .collect();
    let cells = if rows.iter().any(|r| is_header_row(r)) {
        two_column(&rows)
    } else {
        one_column(&rows)
    };
    let mut reader = Reader::default();
    for (side, text) in cells {
        reader.read(side, &text);
    }
    let fact = CostFact {
        initial: reader.initial,
        running: reader.running,
    };
    (fact.initial.is_some() || fact.running.is_some()).then_some(fact)
}

fn is_caption(line: &str) -> bool {
    let t = line.trim();
    t.starts_with("※主にシステム導入等") || t == "に係るコストを記載"
}

fn is_header_row(row: &[String]) -> bool {
    row.iter().any(|c| is_header(c, "イニシャル")) && row.iter().any(|c| is_header(c, "ランニング"))
}

/// `イニシャルコスト ※税抜` but not a note that mentions ランニング.
fn is_header(text: &str, word: &str) -> bool {
    text.trim().starts_with(word)
}

/// Splits each row into its left (initial) and right (running) halves.
fn two_column(rows: &[Vec<String>]) -> Vec<(Option<Side>, String)> {
    let mut cells = Vec::new();
    for row in rows {
        let mut row: Vec<&str> = row.iter().map(String::as_str).collect();
        if row.len() % 2 == 1 && row.len() > 1 && row[0].is_empty() {
            row.remove(0);
        }
        if row.len() == 1 {
            cells.push((Some(Side::Initial), row[0].to_string()));
            continue;
        }
        let mid = row.len().div_ceil(2);
        let (left, right) = row.split_at(mid);
        for (side, half) in [(Side::Initial, left), (Side::Running, right)] {
            let text = half
                .iter()
                .filter(|c| !c.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join("\t");
            if !text.is_empty() {
                cells.push((Some(side), text));
            }
        }
    }
    cells
}

/// One cell per line; the side follows the headers, except that when both
/// headers come before the first (内訳), the labels alternate sides.
fn one_column(rows: &[Vec<String>]) -> Vec<(Option<Side>, String)> {
    let texts: Vec<String> = rows
        .iter()
        .map(|r| {
            r.iter()
                .filter(|c| !c.is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join("\t")
        })
        .collect();
    let first_label = texts
        .iter()
        .position(|t| t.starts_with("(内訳)") || t.starts_with("（内訳）"));
    let headers_first = first_label.is_some_and(|i| {
        texts[..i].iter().any(|t| is_header(t, "イニシャル")) && texts[..i].iter().any(|t| is_header(t, "ランニング"))
    });
    if !headers_first {
        return texts.into_iter().map(|t| (None, t)).collect();
    }
    let mut seen: [usize; 2] = [0, 0];
    let mut side = None;
    let mut cells = Vec::new();
    for text in texts {
        let label = if text.starts_with("(内訳)") || text.starts_with("（内訳）") {
            Some(0)
        } else if text.starts_with("(備考)") || text.starts_with("（備考）") {
            Some(1)
        } else {
            None
        };
        if let Some(k) = label {
            side = Some(if seen[k].is_multiple_of(2) {
                Side::Initial
            } else {
                Side::Running
            });
            seen[k] += 1;
        } else if is_header(&text, "イニシャル") {
            side = Some(Side::Initial);
        } else if is_header(&text, "ランニング") {
            side = Some(Side::Running);
        }
        cells.push((side, text));
    }
    cells
}

#[derive(Default)]
struct Reader {
    initial: Option<CostSide>,
    running: Option<CostSide>,
    current: Option<Side>,
    modes: [Option<Mode>; 2],
}

impl Reader {
    fn read(&mut self, side: Option<Side>, text: &str) {
        let is_initial = is_header(text, "イニシャル");
        let is_running = is_header(text, "ランニング");
        let side = if is_initial {
            Side::Initial
        } else if is_running {
            Side::Running
        } else {
            match side.or(self.current) {
                Some(s) => s,
                None => return,
            }
        };
        self.current = Some(side);
        let index = side as usize;
        let entry = match side {
            Side::Initial => &mut self.initial,
            Side::Running => &mut self.running,
        };
        if is_initial || is_running {
            let side_data = entry.get_or_insert_with(CostSide::default);
            side_data.tax = tax_of(text);
            self.modes[index] = Some(Mode::Amount);
            let rest = text.split('\t').skip(1).collect::<Vec<_>>().join(" ");
            let rest = if rest.is_empty() { after_header(text) } else { rest };
            read_amount(side_data, &rest);
            return;
        }
        let Some(side_data) = entry.as_mut() else { return };
        let (mode, rest) = match label(text) {
            Some((mode, rest)) => {
                self.modes[index] = Some(mode);
                (mode, rest)
            }
            None => (self.modes[index].unwrap_or(Mode::Amount), text.to_string()),
        };
        match mode {
            Mode::Amount if side_data.printed.is_empty() => read_amount(side_data, &rest),
            Mode::Amount | Mode::Breakdown => read_breakdown(side_data, &rest),
            Mode::Notes => {
                let note = rest.replace('\t', " ").trim().to_string();
                if !note.is_empty() {
                    side_data.notes.push(note);
                }
            }
        }
    }
}

fn label(text: &str) -> Option<(Mode, String)> {
    for (prefixes, mode) in [
        (["(内訳)", "（内訳）"], Mode::Breakdown),
        (["(備考)", "（備考）"], Mode::Notes),
    ] {
        for p in prefixes {
            if let Some(rest) = text.strip_prefix(p) {
                return Some((mode, rest.trim().to_string()));
            }
        }
    }
    None
}

fn tax_of(text: &str) -> Option<Tax> {
    if text.contains("税込") {
        Some(Tax::Included)
    } else if text.contains("税抜") {
        Some(Tax::Excluded)
    } else {
        None
    }
}

/// `イニシャルコスト ※税抜 約13,400千円` → `約13,400千円`.
fn after_header(text: &str) -> String {
    let t = text.trim();
    let t = t.split_once('※').map_or("", |(_, r)| r);
    let t = t.trim_start_matches(|c: char| "税込抜額 ".contains(c));
    t.trim().to_string()
}

fn read_amount(side: &mut CostSide, text: &str) {
    let text = text.trim();
    if text.is_empty() {
        return;
    }
    side.printed = text.to_string();
    side.amount = amount(text);
}

/// Parses a printed amount; `(※別添)` (see attachment) is not one.
pub fn amount(text: &str) -> Option<Amount> {
    let t = text.trim();
    if t.contains("別添") || t.is_empty() {
        return None;
    }
    t.parse::<Amount>().ok()
}

/// Reads breakdown text, which may hold several `・item amount` entries
/// on one line (or in an HTML list).
fn read_breakdown(side: &mut CostSide, text: &str) {
    let text = strip_tags(text).replace(['\t', '\n'], " ");
    for segment in split_items(&text) {
        read_breakdown_item(side, &segment);
    }
}

/// `・a 1千円 ・b 2千円` → [`・a 1千円`, `・b 2千円`]; a `・` inside a name
/// (`AWS・ETL`) does not split.
fn split_items(text: &str) -> Vec<String> {
    let mut items: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut previous = ' ';
    for c in text.chars() {
        if c == '・' && (previous.is_whitespace()) && !current.trim().is_empty() {
            items.push(current.trim().to_string());
            current.clear();
        }
        current.push(c);
        previous = c;
    }
    if !current.trim().is_empty() {
        items.push(current.trim().to_string());
    }
    items
}

fn read_breakdown_item(side: &mut CostSide, text: &str) {
    let text = text.trim();
    if text.is_empty() {
        return;
    }
    let (item, printed) = match AMOUNT_AT_END.captures(text) {
        Some(c) => {
            let m = c.get(1).map_or("", |m| m.as_str());
            (
                text[..text.len() - m.len()]
                    .trim()
                    .trim_start_matches('・')
                    .trim()
                    .to_string(),
                Some(m.to_string()),
            )
        }
        None => (text.trim_start_matches('・').trim().to_string(), None),
    };
    let amount = printed.as_deref().and_then(amount);
    let last_open = side.breakdown.last().is_some_and(|b| b.amount.is_none());
    match (item.is_empty(), amount) {
        (true, Some(a)) if last_open => {
            if let Some(last) = side.breakdown.last_mut() {
                last.amount = Some(a);
            }
        }
        // A bare `－円` under (内訳): no breakdown.
        (true, _) => {}
        (false, _) if !side.breakdown.is_empty() && !text.starts_with('・') && amount.is_none() => {
            if let Some(last) = side.breakdown.last_mut() {
                last.item.push_str(&item);
            }
        }
        (false, _) => side.breakdown.push(BreakdownItem { item, amount }),
    }
}

#[cfg(test)]
mod tests;
