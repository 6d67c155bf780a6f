//! The built site in headless Chromium, over HTTP below a sub-path and
//! from `file://`: styling, console errors and CSP, no outside requests,
//! case bodies that cannot run script, link navigation, the sorted table
//! pages and page weights (printing: `browser_print.rs`). Infrastructure:
//! `tests/browser/`.

mod browser;

use std::time::Duration;

use browser::site::HOSTILE_ID;
use browser::tab::js_string;
use browser::transfer::Transfer;
use browser::{Hosting, Tab, env, save_screenshot};
use serde_json::Value;

/// A case with every summary field filled in (costs, schedule, vendors).
const RICH_CASE: &str = "cases/3-01-kagamino/index.html";
/// A case with a short summary.
const PLAIN_CASE: &str = "cases/1-05-funagata/index.html";
/// A page that does not exist, several folders deep.
const MISSING: &str = "no/such/page/index.html";

fn tab() -> Tab<'static> {
    env().browser.new_tab().expect("open a tab")
}

/// Loads a page and checks that it is a styled page of the site.
fn open(tab: &mut Tab, hosting: Hosting, page: &str) {
    let url = env().site.url(hosting, page);
    tab.navigate(&url).unwrap_or_else(|e| panic!("{hosting:?} {page}: {e}"));
    assert_styled(tab, &format!("{hosting:?} {page}"));
}

/// The stylesheet applied: the header has the theme's background, not the
/// browser's transparent default, and the content column is centred.
fn assert_styled(tab: &mut Tab, what: &str) {
    let style = tab
        .evaluate(
            "(() => { const h = document.querySelector('.site-header'); const m = document.querySelector('main'); \
             return h && m ? [getComputedStyle(h).backgroundColor, getComputedStyle(m).maxWidth] : null; })()",
        )
        .expect("read computed styles");
    let Some([background, max_width]) = style.as_array().map(Vec::as_slice) else {
        panic!("{what}: not a page of the site (no header or main): {style}");
    };
    assert_ne!(
        background, "rgba(0, 0, 0, 0)",
        "{what}: the header has no background: style.css not applied"
    );
    assert_ne!(
        max_width, "none",
        "{what}: main has no max-width: style.css not applied"
    );
}

#[test]
fn home_and_case_pages_render_styled_without_console_errors_or_csp_violations() {
    let mut tab = tab();
    for hosting in Hosting::BOTH {
        for page in [
            "index.html",
            RICH_CASE,
            PLAIN_CASE,
            "all/index.html",
            "category/index.html",
        ] {
            tab.clear_logs().expect("clear logs");
            open(&mut tab, hosting, page);
            tab.wait_for_network_idle(Duration::from_millis(100))
                .expect("network idle");
            tab.assert_clean(&format!("{hosting:?} {page}")).expect("a clean page");
        }
    }
    // Screenshots for people reviewing the theme (target/tmp/browser-browser_site/screenshots/).
    for (name, page) in [("home", "index.html"), ("case", RICH_CASE)] {
        open(&mut tab, Hosting::Http, page);
        let path = save_screenshot(name, &tab.screenshot(true).expect("screenshot"));
        println!("screenshot: {}", path.display());
    }
}

#[test]
fn pages_request_nothing_outside_the_site() {
    let site = &env().site;
    let hostile = format!("cases/{HOSTILE_ID}/index.html");
    let pages: [&str; 8] = [
        "index.html",
        RICH_CASE,
        "all/index.html",
        "category/index.html",
        "tag/index.html",
        "vendor/index.html",
        "404.html",
        &hostile,
    ];
    let mut tab = tab();
    for hosting in Hosting::BOTH {
        let base = site.base(hosting);
        for page in pages {
            if hosting == Hosting::File && page == "404.html" {
                continue; // served by a web server only, with links from the base URL
            }
            tab.clear_logs().expect("clear logs");
            tab.navigate(&site.url(hosting, page))
                .unwrap_or_else(|e| panic!("{hosting:?} {page}: {e}"));
            tab.wait_for_network_idle(Duration::from_millis(150))
                .expect("network idle");
            let network = &tab.logs().expect("logs").network;
            let outside = network.outside(&base);
            assert!(
                outside.is_empty(),
                "{hosting:?} {page} requested URLs outside {base}: {outside:?}\n{}",
                network.describe()
            );
            let failed = network.failed();
            assert!(failed.is_empty(), "{hosting:?} {page}: failed requests {failed:?}");
        }
    }
    // The server saw the same: only paths below the sub-path, none missing.
    let requests = site.server.requests();
    let bad: Vec<_> = requests
        .iter()
        .filter(|r| !r.target.starts_with(browser::site::SUB_PATH) || r.status != 200)
        .filter(|r| !r.target.ends_with(MISSING))
        .collect();
    assert!(bad.is_empty(), "the test server answered: {bad:#?}");
}

#[test]
fn script_in_a_case_does_not_run_and_javascript_links_are_not_links() {
    let page = format!("cases/{HOSTILE_ID}/index.html");
    let mut tab = tab();
    for hosting in Hosting::BOTH {
        let what = format!("{hosting:?} {page}");
        tab.clear_logs().expect("clear logs");
        open(&mut tab, hosting, &page);
        // Hover and click everything the body offers, as a curious reader would.
        for text in [
            "上を通ると実行",
            "マークダウンのリンク",
            "HTML のリンク",
            "タブ入りのリンク",
        ] {
            let selector = format!("[data-probe={}]", js_string(text));
            let marked = tab
                .evaluate(&format!(
                    "(() => {{ const e = [...document.querySelectorAll('.case-body *')].find(e => \
                     e.children.length === 0 && e.textContent.includes({})); \
                     if (e) e.setAttribute('data-probe', {}); return !!e; }})()",
                    js_string(text),
                    js_string(text)
                ))
                .expect("find the text");
            assert_eq!(marked, Value::Bool(true), "{what}: the text {text} is missing");
            tab.click(&selector).expect("click the text");
        }
        std::thread::sleep(Duration::from_millis(200));
        let state = tab
            .evaluate(
                "({ pwned: typeof window.__pwned === 'undefined' ? null : String(window.__pwned), \
                   url: location.href, \
                   javascriptLinks: [...document.querySelectorAll('a[href]')].map(a => a.href) \
                       .filter(h => !/^(https?|file|mailto|tel):/i.test(h)), \
                   active: [...document.querySelectorAll('main :is(script, img, iframe, svg, object, embed, form, [style], \
                       [onerror], [onload], [onmouseover], [onclick])')].map(e => e.outerHTML.slice(0, 80)), \
                   title: document.querySelector('h1').textContent })",
            )
            .expect("read the page state");
        assert_eq!(state["pwned"], Value::Null, "{what}: script ran: {state}");
        assert_eq!(
            state["url"].as_str(),
            Some(env().site.url(hosting, &page).as_str()),
            "{what}: a click navigated away"
        );
        assert_eq!(state["javascriptLinks"], serde_json::json!([]), "{what}: {state}");
        assert_eq!(
            state["active"],
            serde_json::json!([]),
            "{what}: active content survived: {state}"
        );
        let title = state["title"].as_str().unwrap_or_default();
        assert!(
            title.contains("<script>"),
            "{what}: the title should show its markup as text: {title}"
        );
        tab.assert_clean(&what)
            .expect("no CSP violation: nothing blocked, nothing there to block");
    }
}

/// Clicks the first element matching `selector`, waits for the new page
/// and checks it is a styled page whose URL matches `expected` (a
/// substring of the percent-decoded URL).
fn follow(tab: &mut Tab, hosting: Hosting, selector: &str, expected: &str) -> String {
    let url = tab
        .expect_navigation(|tab| tab.click(selector))
        .unwrap_or_else(|e| panic!("{hosting:?}: following {selector}: {e}"));
    let decoded = percent_encoding::percent_decode_str(&url)
        .decode_utf8_lossy()
        .into_owned();
    assert!(
        decoded.contains(expected),
        "{hosting:?}: {selector} led to {decoded}, not {expected}"
    );
    assert!(
        url.starts_with(&env().site.base(hosting)),
        "{hosting:?}: left the site: {url}"
    );
    assert_styled(tab, &decoded);
    url
}

#[test]
fn links_lead_from_home_to_a_category_to_a_case_and_back() {
    let mut tab = tab();
    for hosting in Hosting::BOTH {
        tab.clear_logs().expect("clear logs");
        open(&mut tab, hosting, "index.html");
        let home = tab.url().expect("url");
        let category = follow(&mut tab, hosting, ".facet-counts a[href^='category/']", "/category/");
        let case = follow(&mut tab, hosting, ".case-table tbody a", "/cases/");
        assert!(case.ends_with("/index.html"), "{hosting:?}: {case}");
        assert_eq!(tab.back().expect("back to the category"), category, "{hosting:?}");
        assert_styled(&mut tab, "back on the category page");
        assert_eq!(tab.back().expect("back home"), home, "{hosting:?}");
        assert_styled(&mut tab, "back home");
        // Forward again along other links: the all-cases table, a case, its breadcrumb home.
        follow(&mut tab, hosting, ".more a[href='all/index.html']", "/all/index.html");
        follow(&mut tab, hosting, ".case-table tbody tr:last-child a", "/cases/");
        follow(&mut tab, hosting, ".breadcrumbs a", "/index.html");
        assert_eq!(tab.url().expect("url"), home, "{hosting:?}: the breadcrumb leads home");
        tab.assert_clean(&format!("{hosting:?} navigation"))
            .expect("clean pages");
    }
}

#[test]
fn a_missing_page_at_any_depth_shows_the_styled_404_page() {
    let mut tab = tab();
    let status = tab.open(&env().site.server.url(MISSING)).expect("open a missing page");
    assert_eq!(status, Some(404));
    assert_styled(&mut tab, "the 404 page");
    let csp = tab.logs().expect("logs").csp_violations().len();
    assert_eq!(csp, 0, "CSP violations on the 404 page");
    follow(&mut tab, Hosting::Http, ".brand", "/portal/dx/index.html");
}

#[test]
fn all_cases_table_pages_are_sorted() {
    let site = &env().site;
    let ids = site.case_ids();
    let mut tab = tab();
    // The default order: by prefecture, north to south.
    open(&mut tab, Hosting::Http, "all/index.html");
    let organizations = tab
        .evaluate("[...document.querySelectorAll('.case-table tbody tr')].map(r => r.cells[1].textContent)")
        .expect("read the table");
    let ranks: Vec<usize> = organizations
        .as_array()
        .expect("rows")
        .iter()
        .map(|o| {
            let o = o.as_str().unwrap_or_default();
            // North to south, in the order of the prefecture codes.
            jirei::case::place::Prefecture::all_names()
                .position(|p| o.starts_with(p))
                .unwrap_or_else(|| panic!("no prefecture in {o}"))
        })
        .collect();
    assert_eq!(ranks.len(), ids.len(), "every case is in the table");
    assert!(ranks.is_sorted(), "not north to south: {organizations}");

    for (slug, attribute) in [
        ("population", "population"),
        ("initial-cost", "initialCost"),
        ("running-cost", "runningCost"),
        ("lead-time", "leadTime"),
    ] {
        for descending in [false, true] {
            let page = format!("all/{slug}-{}/index.html", if descending { "desc" } else { "asc" });
            open(&mut tab, Hosting::Http, &page);
            let rows = tab
                .evaluate(&format!(
                    "[...document.querySelectorAll('.case-table tbody tr')].map(r => [r.dataset.id, r.dataset.{attribute}])"
                ))
                .expect("read the table");
            let rows: Vec<(String, Option<u64>)> = rows
                .as_array()
                .expect("rows")
                .iter()
                .map(|r| {
                    let id = r[0].as_str().unwrap_or_default().to_string();
                    (id, r[1].as_str().and_then(|v| v.parse().ok()))
                })
                .collect();
            let mut seen: Vec<String> = rows.iter().map(|(id, _)| id.clone()).collect();
            seen.sort();
            assert_eq!(seen, ids, "{page}: every case exactly once");
            let values: Vec<Option<u64>> = rows.iter().map(|(_, v)| *v).collect();
            let known = values.iter().take_while(|v| v.is_some()).count();
            assert!(
                values[known..].iter().all(Option::is_none),
                "{page}: cases without a value come last"
            );
            let mut numbers: Vec<u64> = values[..known].iter().flatten().copied().collect();
            if descending {
                numbers.reverse();
            }
            assert!(numbers.is_sorted(), "{page}: not sorted: {values:?}");
            assert!(known > 0, "{page}: no case has a value to sort by");
            let header = tab
                .evaluate("document.querySelector('.case-table th[aria-sort]')?.getAttribute('aria-sort')")
                .expect("aria-sort");
            let expected = if descending { "descending" } else { "ascending" };
            assert_eq!(header.as_str(), Some(expected), "{page}: aria-sort");
        }
    }
    // The column headers link to the sort pages.
    open(&mut tab, Hosting::Http, "all/index.html");
    follow(&mut tab, Hosting::Http, "th.col-population a", "/all/population-");
}

#[test]
fn page_weights_are_small() {
    let site = &env().site;
    let mut report = Vec::new();
    for page in ["index.html", RICH_CASE, "all/index.html"] {
        let transfer = Transfer::measure(&env().browser, &site.url(Hosting::Http, page), None).expect("measure");
        report.push(transfer.report());
        // Generous ceilings: a page of the site is HTML and two stylesheets.
        assert!(
            transfer.total_bytes < 200 * 1024,
            "{page} is heavy:\n{}",
            transfer.report()
        );
        assert!(
            transfer.requests.len() <= 4,
            "{page} makes many requests:\n{}",
            transfer.report()
        );
    }
    println!("transfer sizes (HTTP, cache off):\n{}", report.join("\n"));
}

#[test]
fn the_tab_types_presses_keys_clicks_and_waits_with_a_timeout() {
    // The helpers the search page's tests will use, on a page made here.
    let mut tab = tab();
    tab.evaluate(
        "document.body.innerHTML = '<input id=q><button id=b type=button>go</button><p id=out></p>'; \
         const [q, b, out] = ['q', 'b', 'out'].map(id => document.getElementById(id)); \
         q.addEventListener('keydown', e => { if (e.key === 'Enter') out.textContent = 'enter:' + q.value; }); \
         b.addEventListener('click', () => setTimeout(() => out.dataset.state = 'ready', 100)); true",
    )
    .expect("set up the page");
    tab.type_text("#q", "書かない窓口").expect("type");
    tab.press_key("Enter").expect("press Enter");
    tab.wait_until("document.getElementById('out').textContent === 'enter:書かない窓口'")
        .expect("the typed text and Enter arrive");
    tab.click("#b").expect("click");
    tab.wait_for_selector("[data-state='ready']")
        .expect("the delayed state appears");
    tab.set_timeout(Duration::from_millis(300));
    let error = tab
        .wait_for_selector("#never")
        .expect_err("waiting for nothing times out");
    assert!(error.to_string().contains("timed out after 0.3 s"), "{error}");
}
