//! The search page under test: its URL for a set of parameters, running a
//! search and waiting for it to finish, reading what the page shows (hits,
//! count, facet counts, form state), and asking `jirei search --json` the
//! same question of the same collection; following the keyboard focus and
//! waiting for a download.
//!
//! A search is described by the page's own URL parameters
//! (`[("q", "窓口"), ("band", "10k-50k"), ("population-min", "10000")]`),
//! which [`cli_args`] turns into the CLI's flags.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::Value;

use super::tab::Tab;
use super::{Error, Hosting, Result, env};

/// The search page, relative to the site's root.
pub const PAGE: &str = "search/index.html";

/// One search as the page's URL parameters, in order.
pub type Params<'a> = &'a [(&'a str, &'a str)];

/// What the page shows once a search has finished.
#[derive(Debug, Clone)]
pub struct Shown {
    /// The result list's `data-state`: `ready` or `error`.
    pub state: String,
    /// `data-case-id` of each hit shown, in order.
    pub ids: Vec<String>,
    /// The text of the announced status line (`「…」の検索結果：12件の事例`).
    pub status: String,
    /// Each open facet's values with the count shown beside them.
    pub facets: BTreeMap<String, BTreeMap<String, u64>>,
    /// `name=value` of every checked facet box.
    pub checked: Vec<String>,
    /// `location.search`, decoded.
    pub search: String,
    /// The search box's value.
    pub query: String,
}

impl Shown {
    /// The number in `N件の事例` of the status line.
    pub fn total(&self) -> Option<u64> {
        let end = self.status.find("件の事例")?;
        let digits: String = self.status[..end]
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        digits.parse().ok()
    }
}

/// The page's URL with `params` for `hosting`.
pub fn url(hosting: Hosting, params: Params) -> String {
    url_at(&env().site.url(hosting, PAGE), params)
}

/// `page` (the search page's URL) with `params`.
pub fn url_at(page: &str, params: Params) -> String {
    let query: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{k}={}", utf8_percent_encode(v, NON_ALPHANUMERIC)))
        .collect();
    if query.is_empty() {
        page.to_string()
    } else {
        format!("{page}?{}", query.join("&"))
    }
}

/// Reads what the page shows now.
pub fn shown(tab: &mut Tab) -> Result<Shown> {
    let v = tab.evaluate(
        "(() => { const r = document.getElementById('results'); \
         const facets = {}; \
         document.querySelectorAll('#facets details[data-facet]').forEach(d => { if (!d.open) return; \
           const counts = {}; d.querySelectorAll('label').forEach(l => { \
             counts[l.querySelector('input').value] = Number(l.querySelector('.count').textContent); }); \
           facets[d.dataset.facet] = counts; }); \
         return { state: r.dataset.state, ids: [...r.querySelectorAll('[data-case-id]')].map(e => e.dataset.caseId), \
           status: document.getElementById('status').textContent, facets, \
           checked: [...document.querySelectorAll('#facets input:checked')].map(b => b.name + '=' + b.value), \
           search: decodeURIComponent(location.search), query: document.getElementById('q').value }; })()",
    )?;
    serde_json::from_value::<ShownJson>(v.clone())
        .map(|s| Shown {
            state: s.state,
            ids: s.ids,
            status: s.status,
            facets: s.facets,
            checked: s.checked,
            search: s.search,
            query: s.query,
        })
        .map_err(|e| Error::new(format!("unexpected page state {v}: {e}")))
}

#[derive(serde::Deserialize)]
struct ShownJson {
    state: String,
    ids: Vec<String>,
    status: String,
    facets: BTreeMap<String, BTreeMap<String, u64>>,
    checked: Vec<String>,
    search: String,
    query: String,
}

/// Waits until the result list says the search is done (`ready` or `error`).
fn wait_done(tab: &mut Tab) -> Result<Shown> {
    tab.wait_until("['ready', 'error'].includes(document.getElementById('results')?.dataset.state)")?;
    shown(tab)
}

/// Opens the page with `params` and waits for the first search to finish.
pub fn open(tab: &mut Tab, hosting: Hosting, params: Params) -> Result<Shown> {
    tab.navigate(&url(hosting, params))?;
    wait_done(tab)
}

/// Runs `action` (a click, a key, `history.back()`…) that starts a new
/// search and waits for that search to finish. The result list is marked
/// `stale` first, so the previous search's `ready` does not count; an
/// action that starts no search times out.
pub fn after(tab: &mut Tab, action: impl FnOnce(&mut Tab) -> Result<()>) -> Result<Shown> {
    tab.evaluate("document.getElementById('results').dataset.state = 'stale'")?;
    action(tab)?;
    wait_done(tab)
}

/// Checks the facet box `name=value` with a real click and waits for the search.
pub fn click_facet(tab: &mut Tab, name: &str, value: &str) -> Result<Shown> {
    let selector = format!("#facets input[name=\"{name}\"][value=\"{value}\"]");
    after(tab, |tab| tab.click(&selector))
}

/// The collection the test site was built from, with a search index
/// built once (so parallel tests only read it).
fn collection() -> &'static Path {
    static INDEXED: OnceLock<std::result::Result<std::path::PathBuf, String>> = OnceLock::new();
    let root = INDEXED.get_or_init(|| {
        let root = env().site.root();
        let output = Command::new(env!("CARGO_BIN_EXE_jirei"))
            .arg("--root")
            .arg(&root)
            .arg("index")
            .output()
            .map_err(|e| e.to_string())?;
        if output.status.success() {
            Ok(root)
        } else {
            Err(format!(
                "jirei index failed: {}",
                String::from_utf8_lossy(&output.stderr)
            ))
        }
    });
    match root {
        Ok(root) => root,
        Err(message) => panic!("{message}"),
    }
}

/// The CLI's flags for the page's URL parameters.
pub fn cli_args(params: Params) -> Vec<String> {
    let mut args = Vec::new();
    let mut query = String::new();
    let mut ranges: BTreeMap<&str, (String, String)> = BTreeMap::new();
    for &(name, value) in params {
        match name {
            "q" => query = value.to_string(),
            "sort" => args.push(format!("--sort={value}")),
            "near" => args.push(format!("--near-population={value}")),
            "tags" => args.push(format!("--tag={value}")),
            "vendors" => args.push(format!("--vendor={value}")),
            _ if name.ends_with("-min") => ranges.entry(&name[..name.len() - 4]).or_default().0 = value.into(),
            _ if name.ends_with("-max") => ranges.entry(&name[..name.len() - 4]).or_default().1 = value.into(),
            _ => args.push(format!("--{}={value}", name.replace('_', "-"))),
        }
    }
    for (name, (lo, hi)) in ranges {
        args.push(format!("--{name}={lo}..{hi}"));
    }
    args.push("--".into());
    args.push(query);
    args
}

/// `jirei search --json --limit LIMIT` for the page's URL parameters:
/// its JSON, or its exit code and standard error.
pub fn cli(params: Params, limit: usize) -> std::result::Result<Value, (i32, String)> {
    let output = Command::new(env!("CARGO_BIN_EXE_jirei"))
        .arg("--root")
        .arg(collection())
        .args(["search", "--json", "--limit", &limit.to_string()])
        .args(cli_args(params))
        .env("NO_COLOR", "1")
        .output()
        .expect("run jirei search");
    if !output.status.success() {
        return Err((
            output.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        ));
    }
    Ok(serde_json::from_slice(&output.stdout).expect("jirei search --json prints JSON"))
}

/// The ids of a CLI answer's hits, in order.
pub fn cli_ids(answer: &Value) -> Vec<String> {
    answer["hits"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|h| h["id"].as_str().map(str::to_string))
        .collect()
}

/// A CLI facet's non-zero counts.
pub fn cli_counts(answer: &Value, facet: &str) -> BTreeMap<String, u64> {
    answer["facets"][facet]
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| v.as_u64().filter(|&n| n > 0).map(|n| (k.clone(), n)))
        .collect()
}

/// Fails unless the page shows what `jirei search` finds for `params`:
/// the same first page of hits in the same order, the same total, and the
/// same non-zero counts in every facet the page shows open.
pub fn assert_agrees(shown: &Shown, params: Params, what: &str) {
    assert_eq!(
        shown.state, "ready",
        "{what}: the search did not finish: {}",
        shown.status
    );
    let answer = cli(params, 10).unwrap_or_else(|(code, e)| panic!("{what}: the CLI failed ({code}): {e}"));
    assert_eq!(
        shown.ids,
        cli_ids(&answer),
        "{what}: hits shown ≠ jirei search {params:?}"
    );
    assert_eq!(
        shown.total(),
        answer["total"].as_u64(),
        "{what}: count in «{}»",
        shown.status
    );
    assert!(!shown.facets.is_empty(), "{what}: no facet is shown");
    for (facet, counts) in &shown.facets {
        let non_zero: BTreeMap<String, u64> = counts
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(k, n)| (k.clone(), *n))
            .collect();
        assert_eq!(non_zero, cli_counts(&answer, facet), "{what}: counts of facet {facet}");
    }
}

/// Splits RFC 4180 text (quoted cells may hold commas, quotes and line
/// breaks; records end with CRLF) into records of cells.
pub fn parse_csv(text: &str) -> Result<Vec<Vec<String>>> {
    let (mut records, mut record, mut cell) = (Vec::new(), Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') if cell.is_empty() => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut cell)),
            (false, '\r') if chars.peek() == Some(&'\n') => {
                chars.next();
                record.push(std::mem::take(&mut cell));
                records.push(std::mem::take(&mut record));
            }
            (false, '\r' | '\n' | '"') => {
                return Err(Error::new(format!("stray {c:?} after {} records", records.len())));
            }
            (false, c) => cell.push(c),
        }
    }
    if quoted || !cell.is_empty() || !record.is_empty() {
        return Err(Error::new("the last record is unterminated"));
    }
    Ok(records)
}

/// A site of `n` synthetic cases (`bench/gen_corpus.rs`, seed 1) built by
/// the `jirei` under test (the cases are kept under Cargo's temporary
/// folder and reused, the site is rebuilt every run);
/// or the built site named by `JIREI_BENCH_SITE`.
pub fn synthetic_site(n: usize) -> std::path::PathBuf {
    if let Some(site) = std::env::var_os("JIREI_BENCH_SITE") {
        return site.into();
    }
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("synthetic-{n}"));
    let out = dir.join("public");
    if !dir.join("cases").is_dir() {
        let mut cargo = Command::new(env!("CARGO"));
        cargo
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["run", "--example", "gen_corpus"]);
        if !cfg!(debug_assertions) {
            cargo.arg("--release");
        }
        let n = n.to_string();
        let status = cargo
            .args(["--", "--n", &n, "--seed", "1", "--out"])
            .arg(&dir)
            .status()
            .expect("run cargo");
        assert!(status.success(), "gen_corpus failed");
    }
    let status = Command::new(env!("CARGO_BIN_EXE_jirei"))
        .args(["build", "--root"])
        .arg(&dir)
        .arg("--out")
        .arg(&out)
        .status()
        .expect("run jirei build");
    assert!(status.success(), "jirei build of {n} cases failed");
    out
}

/// What has the keyboard focus: `#id`, `facet:name=value`, `result`,
/// `summary:facet` or the tag name; and whether its focus is visible.
const FOCUS: &str = "(() => { const e = document.activeElement; if (!e || e === document.body) return ['body', false]; \
     const s = getComputedStyle(e); \
     const visible = e.matches(':focus-visible') && ((s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none'); \
     const what = e.closest('#facets') && e.type === 'checkbox' ? 'facet:' + e.name + '=' + e.value \
       : e.closest('#results') && e.tagName === 'A' ? 'result' : e.id ? '#' + e.id \
       : e.tagName === 'SUMMARY' ? 'summary:' + (e.parentElement.dataset.facet || e.parentElement.id) : e.tagName; \
     return [what, visible]; })()";

pub fn focus(tab: &mut Tab) -> (String, bool) {
    serde_json::from_value(tab.evaluate(FOCUS).expect("read the focus")).expect("a pair")
}

/// Presses Tab until `wanted` holds for the focus; returns every stop.
pub fn tab_until(tab: &mut Tab, wanted: impl Fn(&str) -> bool) -> Vec<(String, bool)> {
    let mut stops = Vec::new();
    for _ in 0..150 {
        tab.press_key("Tab").expect("press Tab");
        stops.push(focus(tab));
        if wanted(&stops[stops.len() - 1].0) {
            return stops;
        }
    }
    panic!("Tab never reached the wanted control; stops: {stops:?}");
}

/// Waits until `dir` holds a finished download named `name`.
pub fn downloaded(dir: &std::path::Path, name: &str) -> Vec<u8> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let partial = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .any(|e| e.file_name().to_string_lossy().ends_with(".crdownload"));
        if let Ok(bytes) = std::fs::read(dir.join(name))
            && !partial
        {
            return bytes;
        }
        assert!(Instant::now() < deadline, "no {name} in {} after 20 s", dir.display());
        std::thread::sleep(Duration::from_millis(50));
    }
}
