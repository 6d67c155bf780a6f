//! What a result shows: one small file per snippet chunk of each case
//! (`h/<block>/<doc>-<chunk>.js`: the result card's fields and that chunk
//! of the body), and the CSV rows of the cases in blocks (`r/<block>.js`,
//! loaded only when the user downloads the results).
//!
//! The body is cut into chunks of about [`CHUNK_CHARS`] characters at
//! sentence ends; each body posting of a word records the first chunk the
//! word occurs in, so a result loads only the chunk its snippet comes from.

use serde_json::json;

use super::encode::{Part, script};
use crate::site::export::{CSV_HEADER, csv_row};
use crate::site::model::CaseView;

/// A chunk ends at the first sentence end after this many characters…
///
/// The shown snippet is at most 110 characters of its chunk, so larger
/// chunks make each shown result load more bytes, and smaller ones make
/// more files (at 10,000 cases, 160 characters gave 83,600 hit files and
/// 320 give 44,000, for about 6 KB more in a first search of 10 results).
pub const CHUNK_CHARS: usize = 320;
/// …or here at the latest.
const CHUNK_MAX_CHARS: usize = 640;

/// Cases per folder of hit files.
pub const HIT_BLOCK: usize = 500;
/// Cases per CSV row file.
pub const ROW_BLOCK: usize = 200;

/// Byte offsets where the chunks of `body` start (the first is 0).
///
/// ```
/// # use jirei::site::search_index::hits::chunk_starts;
/// let body = "あ".repeat(330) + "。" + &"い".repeat(10);
/// assert_eq!(chunk_starts(&body), [0, 331 * 3]);
/// ```
pub fn chunk_starts(body: &str) -> Vec<usize> {
    let mut starts = vec![0];
    let mut chars = 0;
    for (i, c) in body.char_indices() {
        chars += 1;
        let end = i + c.len_utf8();
        if end < body.len() && ((chars >= CHUNK_CHARS && matches!(c, '。' | '\n')) || chars >= CHUNK_MAX_CHARS) {
            starts.push(end);
            chars = 0;
        }
    }
    starts
}

/// The path (below `search/`) of the hit file of `doc`'s chunk `chunk`.
pub fn hit_name(doc: usize, chunk: usize) -> String {
    format!("h/{}/{doc}-{chunk}", doc / HIT_BLOCK)
}

/// The result card of a case: short keys, only what is shown.
fn card(case: &CaseView) -> serde_json::Value {
    let cost = case.cost.as_ref();
    json!({
        "id": case.id,
        "href": case.href,
        "title": case.title,
        "org": case.organization.full_name,
        "pref": case.organization.prefecture.name,
        "pop": case.population.as_ref().map(|p| &p.label),
        "band": case.band.as_ref().map(|b| &b.name),
        "cat": case.category.name,
        "sec": case.section.as_ref().map(|s| &s.name),
        "ini": cost.and_then(|c| c.initial.as_ref()).map(|i| &i.label),
        "run": cost.and_then(|c| c.running.as_ref()).map(|i| &i.label),
        "lead": case.schedule.as_ref().and_then(|s| s.lead_time.as_ref()),
        "point": case.point,
    })
}

/// Every hit file of one case: (path below `search/`, script).
pub fn hit_files(doc: usize, case: &CaseView, body: &str, starts: &[usize]) -> Vec<(String, Vec<u8>)> {
    let card = card(case);
    starts
        .iter()
        .enumerate()
        .map(|(k, &start)| {
            let end = starts.get(k + 1).copied().unwrap_or(body.len());
            let text = body.get(start..end).unwrap_or_default().replace('\n', " ");
            let name = hit_name(doc, k);
            let bytes = script(&name, &[Part::Json(card.clone()), Part::json(&text.trim())]);
            (format!("{name}.js"), bytes)
        })
        .collect()
}

/// The CSV row files: (path below `search/`, script).
pub fn row_files(cases: &[CaseView], base_url: &str) -> Vec<(String, Vec<u8>)> {
    cases
        .chunks(ROW_BLOCK)
        .enumerate()
        .map(|(b, block)| {
            let rows: Vec<Vec<String>> = block.iter().map(|c| csv_row(c, base_url)).collect();
            let name = format!("r/{b}");
            let bytes = script(&name, &[Part::json(&CSV_HEADER.as_slice()), Part::json(&rows)]);
            (format!("{name}.js"), bytes)
        })
        .collect()
}
