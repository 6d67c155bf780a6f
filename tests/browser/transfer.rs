//! How many bytes a page load transfers: the sum of `encodedDataLength`
//! (headers and body as received) over every request of a fresh tab with
//! the cache disabled, and tables of first searches on the search page.

use std::time::Duration;

use super::chromium::Browser;
use super::logs::Request;
use super::{Result, env};

/// How long the network must stay quiet for a load to count as finished.
const QUIET: Duration = Duration::from_millis(300);

/// What one page load transferred.
#[derive(Debug, Clone)]
pub struct Transfer {
    pub url: String,
    /// Bytes received, headers included.
    pub total_bytes: u64,
    pub requests: Vec<Request>,
    /// What the search page reports as its search time (`data-ms` of the
    /// result list: from the request to the shown results), if it did.
    pub search_ms: Option<u64>,
}

impl Transfer {
    /// Loads `url` in a new tab with the cache off; once it has loaded and,
    /// with `ready_selector`, an element matches it, waits for the network
    /// to be idle and adds up what was received.
    pub fn measure(browser: &Browser, url: &str, ready_selector: Option<&str>) -> Result<Transfer> {
        let mut tab = browser.new_tab()?;
        tab.disable_cache(true)?;
        tab.clear_logs()?;
        tab.navigate(url)?;
        if let Some(selector) = ready_selector {
            tab.wait_for_selector(selector)?;
        }
        tab.wait_for_network_idle(QUIET)?;
        let search_ms = tab
            .evaluate("document.getElementById('results')?.dataset.ms ?? null")?
            .as_str()
            .and_then(|ms| ms.parse().ok());
        let network = &tab.logs()?.network;
        Ok(Transfer {
            url: url.to_string(),
            total_bytes: network.total_bytes(),
            requests: network.requests.clone(),
            search_ms,
        })
    }

    /// One line per request and the total, for the test output.
    pub fn report(&self) -> String {
        let mut lines: Vec<String> = self
            .requests
            .iter()
            .map(|r| {
                format!(
                    "  {:>8} B  {} {}",
                    r.encoded_bytes.unwrap_or(0),
                    r.resource_type,
                    r.url.rsplit_once("/portal/dx/").map(|(_, p)| p).unwrap_or(&r.url)
                )
            })
            .collect();
        lines.push(format!("  {:>8} B  total for {}", self.total_bytes, self.url));
        lines.join("\n")
    }
}

/// Bytes transferred by a first search: loads `url` (the search page with
/// a query, such as `…/search/index.html?q=窓口` on the test server) in a
/// fresh tab with an empty cache, waits until the page marks itself ready
/// with an element matching `[data-state="ready"]` (the search page sets
/// it once the results of the first query are shown) and the network is
/// idle, and returns the total of `encodedDataLength` over all requests,
/// the page itself included.
///
/// For the search page's budget test: the first search must load at most
/// 100 KB (`assert!(first_search_bytes(&url)? <= 100 * 1024)`). Uses the
/// test binary's shared browser ([`env`]).
pub fn first_search_bytes(url: &str) -> Result<u64> {
    Transfer::measure(&env().browser, url, Some("[data-state=\"ready\"]")).map(|t| t.total_bytes)
}

/// Measures first searches, each `(what, url)` of the search page in a
/// fresh tab with the cache off, until its result list is `ready`; prints
/// a table of what → bytes, requests, and returns for each the bytes of
/// the search budget: JS and data (every script, response headers
/// included; the page, its stylesheet and icon are in the printed total
/// but not counted).
pub fn first_searches(browser: &Browser, searches: &[(String, String)], label: &str) -> Result<Vec<u64>> {
    let (mut rows, mut totals, mut budget, mut times) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (what, url) in searches {
        let t = Transfer::measure(browser, url, Some("#results[data-ms]"))
            .map_err(|e| super::Error::new(format!("{what}: {e}")))?;
        let scripts: u64 = t
            .requests
            .iter()
            .filter(|r| r.resource_type == "Script")
            .filter_map(|r| r.encoded_bytes)
            .sum();
        let ms = t.search_ms.map_or("?".to_string(), |ms| ms.to_string());
        rows.push(format!(
            "  {:>8} B {:>8} B {:>4} {ms:>6}  {what}",
            t.total_bytes,
            scripts,
            t.requests.len()
        ));
        times.push(t.search_ms.unwrap_or(u64::MAX));
        totals.push(t.total_bytes);
        budget.push(scripts);
    }
    let stats = |values: &[u64]| {
        let mut sorted = values.to_vec();
        sorted.sort();
        format!("median {}, max {}", sorted[sorted.len() / 2], sorted[sorted.len() - 1])
    };
    println!(
        "first search {label} (Chromium, cache off):\n     total   JS+data  reqs     ms  query\n{}\n  \
         JS+data (B): {}; total (B): {}; search time shown by the page (ms): {}",
        rows.join("\n"),
        stats(&budget),
        stats(&totals),
        stats(&times)
    );
    Ok(budget)
}
