//! The search page as `jirei build` writes it: linked from every page's
//! search form, no inline script, a `<noscript>` notice, data under
//! `search/`; the first search stays within its transfer budget; and in
//! headless Chromium the page shows the cases `jirei search` finds, from
//! `file://` and from a sub-path of a plain static server.

#[path = "client/browser.rs"]
mod browser;
#[path = "client/common.rs"]
mod client;

use std::path::Path;

use browser::*;
use client::*;
use serde_json::Value;

/// Runs `jirei build` on `fixture` into `out` with `extra` arguments; fails unless it succeeds.
fn build_fixture(fixture: &Path, out: &Path, extra: &[&str]) {
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_jirei"))
        .arg("build")
        .args(extra)
        .arg("--root")
        .arg(fixture)
        .arg("--out")
        .arg(out)
        .output()
        .expect("run jirei");
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
}

fn read(out: &Path, file: &str) -> String {
    std::fs::read_to_string(out.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

#[test]
fn the_search_page_is_linked_from_every_form_and_needs_no_inline_script() {
    let fixture = repo().join("tests/fixtures/site");
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("public");
    build_fixture(&fixture, &out, &[]);

    let home = read(&out, "index.html");
    assert!(
        home.contains(r#"<form class="search-box" action="search/index.html""#),
        "home form"
    );
    assert!(
        home.contains(r#"<form class="header-search" action="search/index.html""#),
        "header form"
    );
    let case = read(&out, "cases/kagamino-kakanai-madoguchi/index.html");
    assert!(
        case.contains(r#"action="../../search/index.html""#),
        "case page header form"
    );

    let page = read(&out, "search/index.html");
    assert!(page.contains("<noscript>") && page.contains("検索にはJavaScriptが必要です"));
    assert!(page.contains("Content-Security-Policy"));
    for script in ["search-query.js", "search-engine.js", "search-ui.js"] {
        assert!(
            page.contains(&format!(r#"<script src="../assets/{script}" defer></script>"#)),
            "{script}"
        );
    }
    assert_eq!(page.matches("<script").count(), 3, "only the three external scripts");
    assert!(!page.contains(" style="), "no inline style");
    assert!(page.contains(r#"id="results" class="results" data-state="idle""#));
    for script in ["search-query.js", "search-engine.js", "search-ui.js"] {
        let js = read(&out, &format!("assets/{script}"));
        assert!(
            !js.contains("eval(") && !js.contains("new Function") && !js.contains("innerHTML"),
            "{script}"
        );
    }

    let meta = read(&out, "search/meta.js");
    assert!(meta.starts_with(r#"jireiSearchData("meta",{"#));
    let docs = |meta: &str| -> u64 {
        let json: Value = serde_json::from_str(&meta[meta.find(',').unwrap_or(0) + 1..meta.rfind(')').unwrap_or(0)])
            .expect("meta JSON");
        json["docs"].as_u64().unwrap_or(0)
    };
    assert_eq!(docs(&meta), 8, "the draft is not searchable");
    for dir in ["t", "l", "f", "n", "h", "r"] {
        assert!(out.join("search").join(dir).is_dir(), "search/{dir}/");
    }

    build_fixture(&fixture, &out, &["--drafts"]);
    assert_eq!(
        docs(&read(&out, "search/meta.js")),
        9,
        "--drafts makes the draft searchable"
    );
    let answers = browser_search(&out, &[Request::query("下書き").to_engine(10)]);
    assert!(
        answers[0]["ids"]
            .as_array()
            .is_some_and(|ids| ids.iter().any(|id| id == "chatan-draft"))
    );
}

/// The most bytes a first search may transfer on the bundled site.
const BUNDLED_BUDGET: u64 = 100 * 1000;
/// The most bytes a first search may transfer on 10,000 cases.
const LARGE_BUDGET: u64 = 200 * 1000;

/// Runs every judged query (and one with ranges, sorting and peers) as a
/// first search, counting the facets the page shows open (band and
/// category); returns the largest transfer after printing the distribution.
fn first_search_bytes(site: &Path, label: &str) -> (u64, String) {
    let text = std::fs::read_to_string(repo().join("tests/relevance/queries.toml")).expect("queries");
    let judged: toml::Value = toml::from_str(&text).expect("toml");
    let mut requests: Vec<Value> = judged["query"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|q| Request::query(q["q"].as_str().unwrap_or_default()).to_engine(10))
        .collect();
    requests.push(
        Request::query("窓口")
            .range("population", Some(10_000), Some(50_000))
            .sort("initial-cost")
            .near(20_000)
            .to_engine(10),
    );
    for r in &mut requests {
        r["count"] = serde_json::json!(["band", "category"]);
    }
    let answers = browser_search(site, &requests);
    let mut sizes: Vec<(u64, String)> = answers
        .iter()
        .zip(&requests)
        .map(|(a, r)| (a["bytes"].as_u64().unwrap_or(u64::MAX), r["query"].to_string()))
        .collect();
    sizes.sort();
    let (max, median) = (&sizes[sizes.len() - 1], &sizes[sizes.len() / 2]);
    println!(
        "first search {label}: median {} B ({}), max {} B ({}) over {} queries",
        median.0,
        median.1,
        max.0,
        max.1,
        sizes.len()
    );
    max.clone()
}

#[test]
fn first_searches_on_the_bundled_site_transfer_at_most_100_kb() {
    let collection = bundled_collection();
    let site = build_site(collection.path(), &[]);
    let (max, query) = first_search_bytes(&site, "on the bundled site");
    assert!(max <= BUNDLED_BUDGET, "{query} transfers {max} B > {BUNDLED_BUDGET} B");
}

/// Generates 10,000 cases with `bench/gen_corpus.rs` and builds them with
/// the release binary (or uses the site in `JIREI_BENCH_SITE`):
/// `cargo test --release --test site_search -- --ignored`.
#[test]
#[ignore = "generates and builds 10,000 cases (minutes)"]
fn first_searches_on_10000_cases_transfer_at_most_200_kb() {
    let site = match std::env::var_os("JIREI_BENCH_SITE") {
        Some(site) => std::path::PathBuf::from(site),
        None => {
            let dir = std::env::temp_dir().join("jirei-bench-10k");
            let cargo = |args: &[&str]| {
                let status = std::process::Command::new(env!("CARGO"))
                    .current_dir(repo())
                    .args(args)
                    .status()
                    .expect("cargo");
                assert!(status.success(), "cargo {args:?}");
            };
            let out = dir.to_str().expect("utf-8 path").to_string();
            if !dir.join("cases").exists() {
                cargo(&[
                    "run",
                    "--release",
                    "--example",
                    "gen_corpus",
                    "--",
                    "--n",
                    "10000",
                    "--seed",
                    "1",
                    "--out",
                    &out,
                ]);
            }
            let public = format!("{out}/public");
            cargo(&["run", "--release", "--", "build", "--root", &out, "--out", &public]);
            dir.join("public")
        }
    };
    let (max, query) = first_search_bytes(&site, "on 10,000 cases");
    assert!(max <= LARGE_BUDGET, "{query} transfers {max} B > {LARGE_BUDGET} B");
}

/// Queries the page and the CLI answer alike, checked in the browser.
fn browser_cases() -> Vec<(&'static str, Request)> {
    vec![
        (
            "q=%E6%9B%B8%E3%81%8B%E3%81%AA%E3%81%84%E7%AA%93%E5%8F%A3&band=over-300k",
            Request::query("書かない窓口").facet("band", &["over-300k"]),
        ),
        ("q=RPA", Request::query("RPA")),
        (
            "sort=population&near=20000",
            Request::query("").sort("population").near(20_000),
        ),
    ]
}

fn expect_cli_results(html: &str, root: &Path, request: &Request, url: &str) {
    assert_eq!(
        attributes(html, "data-state").first().map(String::as_str),
        Some("ready"),
        "{url}:\n{html}"
    );
    let cli = cli_search(root, request, 10).expect("CLI answers");
    let expected: Vec<String> = cli["hits"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|h| h["id"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(attributes(html, "data-case-id"), expected, "{url}");
    assert!(
        html.contains(&format!("{}件の事例", cli["total"])),
        "{url}: count shown"
    );
}

#[test]
fn in_chromium_the_page_shows_what_the_cli_finds_from_file_and_from_a_sub_path() {
    let Some(chromium) = chromium() else {
        eprintln!("skipped: no chromium (apt-get install chromium)");
        return;
    };
    let collection = bundled_collection();
    let site = build_site(collection.path(), &["--base-url", "/dx/"]);
    let page = site.join("search/index.html");
    for (query, request) in browser_cases() {
        let url = format!("{}?{query}", file_url(&page));
        expect_cli_results(&dump_dom(&chromium, &url), collection.path(), &request, &url);
    }
    let base = serve(&site, "dx");
    let (query, request) = &browser_cases()[1];
    let url = format!("{base}search/index.html?{query}");
    expect_cli_results(&dump_dom(&chromium, &url), collection.path(), request, &url);
}
