//! The search page in headless Chromium, over HTTP below a sub-path and
//! from `file://`: facet clicks and range filters against `jirei search
//! --json`, the CSV download, back/forward and URL state, keyboard use,
//! axe-core, the network log, an unknown facet value in the URL, and the
//! bytes a first search transfers. Infrastructure: `tests/browser/`
//! (the page helpers are in `tests/browser/search_page.rs`).

mod browser;

use std::time::Duration;

use browser::search_page::{
    self as page, Shown, after, assert_agrees, cli, cli_ids, click_facet, downloaded, focus, tab_until,
};
use browser::transfer::first_searches;
use browser::{Browser, Hosting, Tab, axe, env, scratch_dir};

/// True once every open facet shows its counts (none is still loading).
const LOADED: &str =
    "![...document.querySelectorAll('#facets details[open] li.none')].some(l => l.textContent === '読み込み中…')";

fn tab() -> Tab<'static> {
    env().browser.new_tab().expect("open a tab")
}

fn open(tab: &mut Tab, hosting: Hosting, params: page::Params) -> Shown {
    page::open(tab, hosting, params).unwrap_or_else(|e| panic!("{hosting:?} {params:?}: {e}"))
}

/// The values of `facet` with fewer cases than `total`, most cases first.
fn narrowing(shown: &Shown, facet: &str) -> Vec<(String, u64)> {
    let total = shown.total().expect("a count");
    let mut values: Vec<(String, u64)> = shown.facets[facet]
        .iter()
        .filter(|(_, n)| **n > 0 && **n < total)
        .map(|(v, n)| (v.clone(), *n))
        .collect();
    values.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    values
}

#[test]
fn facet_clicks_narrow_the_results_and_update_counts_as_the_cli_does() {
    for hosting in Hosting::BOTH {
        let mut tab = tab();
        let what = |step: &str| format!("{hosting:?} {step}");
        let start = open(&mut tab, hosting, &[("q", "窓口")]);
        assert_agrees(&start, &[("q", "窓口")], &what("q=窓口"));
        let bands = narrowing(&start, "band");
        assert!(bands.len() >= 2, "too few bands to narrow by: {:?}", start.facets);
        let (a, b) = (&bands[0], &bands[1]);

        let one = click_facet(&mut tab, "band", &a.0).expect("click a band");
        let params = [("q", "窓口"), ("band", a.0.as_str())];
        assert_agrees(&one, &params, &what("one band"));
        assert_eq!(one.total(), Some(a.1), "the count beside the box predicted the results");
        assert_eq!(one.checked, [format!("band={}", a.0)]);
        assert!(one.search.contains(&format!("band={}", a.0)), "URL: {}", one.search);
        // Disjunctive: a facet's own counts ignore its selection.
        assert_eq!(
            one.facets["band"], start.facets["band"],
            "band counts after choosing a band"
        );
        assert_ne!(
            one.facets["category"], start.facets["category"],
            "category counts did not follow"
        );

        // OR within a facet.
        let two = click_facet(&mut tab, "band", &b.0).expect("click a second band");
        let params = [("q", "窓口"), ("band", a.0.as_str()), ("band", b.0.as_str())];
        assert_agrees(&two, &params, &what("two bands"));
        assert_eq!(two.total(), Some(a.1 + b.1), "two bands give the cases of either");

        // AND across facets.
        let categories = narrowing(&two, "category");
        let c = categories.first().expect("a category that narrows");
        let three = click_facet(&mut tab, "category", &c.0).expect("click a category");
        let mut params = params.to_vec();
        params.push(("category", c.0.as_str()));
        assert_agrees(&three, &params, &what("two bands and a category"));
        assert_eq!(three.total(), Some(c.1), "the category's count predicted the results");
        assert!(three.total() < two.total(), "a category narrows");

        // Unchecking gives the wider search back.
        let back = click_facet(&mut tab, "category", &c.0).expect("uncheck the category");
        assert_eq!(back.ids, two.ids);
        assert_eq!(back.total(), two.total());
        tab.assert_clean(&what("facet clicks")).expect("no console errors");
    }
}

#[test]
fn range_inputs_narrow_the_results_as_the_cli_does() {
    for hosting in Hosting::BOTH {
        let mut tab = tab();
        let start = open(&mut tab, hosting, &[("q", "システム")]);
        tab.click("#ranges-box summary").expect("open the number filters");
        tab.type_text("input[name='population-min']", "10000").expect("type");
        tab.type_text("input[name='population-max']", "100000").expect("type");
        let population = after(&mut tab, |t| t.press_key("Enter")).expect("Enter submits the ranges");
        let params = [
            ("q", "システム"),
            ("population-min", "10000"),
            ("population-max", "100000"),
        ];
        assert_agrees(&population, &params, &format!("{hosting:?} population range"));
        assert!(population.total() < start.total(), "the population range narrows");
        assert!(population.search.contains("population-min=10000&population-max=100000"));

        tab.type_text("input[name='initial-cost-max']", "5000").expect("type");
        let cost = after(&mut tab, |t| t.click("#ranges-box button[type=submit]")).expect("the filter button");
        let mut params = params.to_vec();
        params.push(("initial-cost-max", "5000"));
        assert_agrees(&cost, &params, &format!("{hosting:?} population and cost ranges"));
        assert!(cost.total() < population.total(), "the cost range narrows further");
        assert!(cost.total() > Some(0), "an empty answer would prove little");
    }
}

#[test]
fn the_csv_download_has_a_bom_a_header_and_every_current_result_in_japanese() {
    let params = [("q", "システム"), ("category", "内部DX")];
    let answer = cli(&params, 1000).expect("the CLI answers");
    let expected = cli_ids(&answer);
    assert!(expected.len() > 10, "the download must hold more than the first page");
    for hosting in Hosting::BOTH {
        let dir = scratch_dir(&format!("csv-{hosting:?}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create the download folder");
        let mut tab = tab();
        tab.allow_downloads(&dir).expect("allow downloads");
        let shown = open(&mut tab, hosting, &params);
        assert_eq!(shown.ids.len(), 10, "one page shown");
        tab.click("#csv").expect("click the CSV button");
        let bytes = downloaded(&dir, "jirei-search.csv");

        let text = bytes.strip_prefix(b"\xEF\xBB\xBF").expect("a UTF-8 BOM for Excel");
        let text = std::str::from_utf8(text).expect("UTF-8");
        let rows = page::parse_csv(text).unwrap_or_else(|e| panic!("{hosting:?}: {e}\n{text}"));
        let header = &rows[0];
        let column = |name: &str| {
            header
                .iter()
                .position(|h| h == name)
                .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
        };
        let export = std::fs::read_to_string(env().site.out.join("cases.csv")).expect("read cases.csv");
        let export_header = page::parse_csv(export.trim_start_matches('\u{feff}')).expect("cases.csv")[0].clone();
        assert_eq!(header, &export_header, "the same columns as cases.csv");
        let (id, title, org) = (column("ID"), column("タイトル"), column("団体"));
        let ids: Vec<&str> = rows[1..].iter().map(|r| r[id].as_str()).collect();
        assert_eq!(ids, expected, "{hosting:?}: one row per result, in the page's order");
        for (row, hit) in rows[1..].iter().zip(answer["hits"].as_array().expect("hits")) {
            assert_eq!(row.len(), header.len(), "{hosting:?}: ragged row {row:?}");
            assert_eq!(
                row[title],
                hit["title"].as_str().expect("title"),
                "{hosting:?}: title intact"
            );
            let name = hit["organization"].as_str().expect("organization");
            assert!(
                row[org].contains(name),
                "{hosting:?}: organization {:?} ≠ {name}",
                row[org]
            );
        }
        assert!(text.contains("\r\n") && text.ends_with("\r\n"), "CRLF line ends");
    }
}

#[test]
fn back_and_forward_restore_earlier_searches_with_their_inputs() {
    for hosting in Hosting::BOTH {
        let mut tab = tab();
        let first = open(&mut tab, hosting, &[("q", "窓口")]);
        let second = after(&mut tab, |t| {
            t.evaluate("document.getElementById('q').value = ''")?;
            t.type_text("#q", "RPA")?;
            t.press_key("Enter")
        })
        .expect("a second search");
        assert_agrees(&second, &[("q", "RPA")], &format!("{hosting:?} second search"));
        assert_eq!(second.search, "?q=RPA");
        let band = narrowing(&second, "band").remove(0).0;
        let third = click_facet(&mut tab, "band", &band).expect("a third search");

        let back = after(&mut tab, |t| t.evaluate("history.back()").map(drop)).expect("back");
        assert_eq!(
            (back.query.as_str(), &back.ids, back.checked.len()),
            ("RPA", &second.ids, 0)
        );
        assert_eq!(back.search, second.search);
        let back = after(&mut tab, |t| t.evaluate("history.back()").map(drop)).expect("back again");
        assert_eq!((back.query.as_str(), &back.ids), ("窓口", &first.ids), "{hosting:?}");
        assert_eq!(back.search, "?q=窓口");
        assert_agrees(&back, &[("q", "窓口")], &format!("{hosting:?} after going back"));
        let forward = after(&mut tab, |t| t.evaluate("history.forward()").map(drop)).expect("forward");
        assert_eq!((forward.query.as_str(), &forward.ids), ("RPA", &second.ids));
        let forward = after(&mut tab, |t| t.evaluate("history.forward()").map(drop)).expect("forward");
        assert_eq!((&forward.ids, &forward.checked), (&third.ids, &third.checked));
    }
}

#[test]
fn url_state_fills_the_form_and_round_trips_unchanged() {
    let params = [
        ("q", "電子申請"),
        ("band", "10k-50k"),
        ("band", "50k-100k"),
        ("population-min", "20000"),
        ("sort", "population"),
    ];
    for hosting in Hosting::BOTH {
        let mut tab = tab();
        let shown = open(&mut tab, hosting, &params);
        assert_agrees(&shown, &params, &format!("{hosting:?} state from the URL"));
        assert_eq!(shown.query, "電子申請");
        assert_eq!(shown.checked, ["band=10k-50k", "band=50k-100k"]);
        let form = tab
            .evaluate("[...new FormData(document.getElementById('search'))].filter(([, v]) => v !== '').map(p => p.join('='))")
            .expect("read the form");
        let expected: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let mut form: Vec<String> = serde_json::from_value(form).expect("pairs");
        let mut sorted = expected.clone();
        form.sort();
        sorted.sort();
        assert_eq!(form, sorted, "{hosting:?}: the form holds the URL's state");
        // Submitting the form as it is changes nothing.
        let again = after(&mut tab, |t| t.click(".search-box button[type=submit]")).expect("submit");
        assert_eq!(
            again.search,
            format!("?{}", expected.join("&")),
            "{hosting:?}: the URL round-trips"
        );
        assert_eq!(again.ids, shown.ids);
    }
}

#[test]
fn the_keyboard_reaches_and_operates_the_search_box_facets_and_results() {
    let mut tab = tab();
    open(&mut tab, Hosting::Http, &[("q", "窓口")]);
    let stops = tab_until(&mut tab, |f| f == "result");
    let names: Vec<&str> = stops.iter().map(|(f, _)| f.as_str()).collect();
    let at = |what: &str| names.iter().position(|f| f.starts_with(what));
    let (q, facet, result) = (at("#q"), at("facet:band="), at("result"));
    assert!(q < facet && facet < result && q.is_some(), "Tab order: {names:?}");
    for name in ["#sort", "#csv", "summary:ranges-box", "summary:near-box"] {
        assert!(at(name).is_some(), "Tab skips {name}: {names:?}");
    }
    let hidden: Vec<&String> = stops.iter().filter(|(_, v)| !v).map(|(f, _)| f).collect();
    assert!(hidden.is_empty(), "focus is not visible on {hidden:?}");

    // Space on a focused facet box runs the search and keeps the focus there.
    tab.evaluate("document.getElementById('q').focus()")
        .expect("focus the box");
    let box_name = tab_until(&mut tab, |f| f.starts_with("facet:band="))
        .pop()
        .expect("a stop")
        .0;
    let band = box_name.trim_start_matches("facet:band=").to_string();
    let checked = after(&mut tab, |t| t.press_key("Space")).expect("Space checks the box");
    assert_eq!(checked.checked, [format!("band={band}")]);
    assert_agrees(&checked, &[("q", "窓口"), ("band", &band)], "checked with Space");
    assert_eq!(
        focus(&mut tab),
        (box_name, true),
        "the focus stays on the box it was on"
    );

    // Enter in the search box searches (within the band still checked);
    // the count is announced politely.
    let typed = after(&mut tab, |t| {
        t.evaluate("document.getElementById('q').value = ''")?;
        t.type_text("#q", "システム")?;
        t.press_key("Enter")
    })
    .expect("Enter searches");
    assert_agrees(&typed, &[("q", "システム"), ("band", &band)], "searched with Enter");
    let live = tab
        .evaluate("(s => [s.getAttribute('role'), s.getAttribute('aria-live'), s.textContent])(document.getElementById('status'))")
        .expect("status");
    assert_eq!((&live[0], &live[1]), (&"status".into(), &"polite".into()), "{live}");
    assert!(
        typed
            .status
            .contains(&format!("{}件の事例", typed.total().unwrap_or(0))),
        "{live}"
    );
    assert!(typed.total() > Some(0));

    // Enter on a focused result opens its case.
    let first = typed.ids[0].clone();
    tab_until(&mut tab, |f| f == "result");
    let url = tab
        .expect_navigation(|t| t.press_key("Enter"))
        .expect("Enter follows the link");
    assert!(url.contains(&format!("cases/{first}/")), "{url}");
}

#[test]
fn the_search_page_with_results_and_facets_has_no_serious_accessibility_violations() {
    let mut tab = tab();
    let mut serious = Vec::new();
    for params in [
        &[
            ("q", "窓口"),
            ("band", "10k-50k"),
            ("population-min", "1000"),
            ("near", "20000"),
        ][..],
        &[("band", "nonsense")][..],
    ] {
        let shown = open(&mut tab, Hosting::Http, params);
        if shown.state == "ready" {
            assert!(!shown.ids.is_empty() && shown.facets.len() >= 2, "{shown:?}");
            // Open every facet, so its values are checked too.
            tab.evaluate("document.querySelectorAll('#facets details').forEach(d => { d.open = true; })")
                .expect("open the facets");
            tab.wait_until(LOADED).expect("counts");
        }
        let violations = axe::check(&mut tab).expect("run axe-core");
        let report: String = violations.iter().map(|v| v.to_string()).collect();
        println!(
            "search page {params:?}: {} axe-core violation(s)\n{report}",
            violations.len()
        );
        serious.extend(violations.into_iter().filter(|v| v.is_serious()).map(|v| v.to_string()));
    }
    assert!(
        serious.is_empty(),
        "serious or critical violations:\n{}",
        serious.join("\n")
    );
}

#[test]
fn searching_requests_nothing_outside_the_site() {
    for hosting in Hosting::BOTH {
        let base = env().site.base(hosting);
        let mut tab = tab();
        let shown = open(&mut tab, hosting, &[("q", "書かない窓口")]);
        let band = narrowing(&shown, "band").remove(0).0;
        click_facet(&mut tab, "band", &band).expect("click a band");
        tab.click("#ranges-box summary").expect("open the number filters");
        tab.type_text("input[name='lead-time-max']", "24").expect("type");
        after(&mut tab, |t| t.press_key("Enter")).expect("a range search");
        tab.click("#facets details[data-facet='prefecture'] summary")
            .expect("open a facet");
        tab.wait_until(LOADED).expect("its counts");
        tab.wait_for_network_idle(Duration::from_millis(200)).expect("idle");
        let network = &tab.logs().expect("logs").network;
        assert!(network.requests.len() > 3, "the log is empty:\n{}", network.describe());
        let outside = network.outside(&base);
        assert!(outside.is_empty(), "{hosting:?}: outside {base}: {outside:?}");
        let failed = network.failed();
        assert!(failed.is_empty(), "{hosting:?}: failed requests {failed:?}");
        tab.assert_clean(&format!("{hosting:?} searching"))
            .expect("no console errors");
    }
}

#[test]
fn an_unknown_facet_value_in_the_url_is_an_error_with_the_clis_suggestion() {
    for hosting in Hosting::BOTH {
        let mut tab = tab();
        let (code, _) = cli(&[("band", "nonsense")], 10).expect_err("the CLI refuses");
        assert_eq!(code, 2);
        let shown = open(&mut tab, hosting, &[("q", "窓口"), ("band", "nonsense")]);
        assert_eq!(shown.state, "error", "{shown:?}");
        assert!(shown.ids.is_empty());
        assert!(
            shown.status.contains("「nonsense」に当たる事例はありません"),
            "{}",
            shown.status
        );
        assert!(!shown.status.contains("もしかして"), "nothing is near «nonsense»");
        let dropped = after(&mut tab, |t| t.click("#status a")).expect("drop the condition");
        assert_agrees(
            &dropped,
            &[("q", "窓口")],
            &format!("{hosting:?} without the bad value"),
        );
        assert_eq!(dropped.search, "?q=窓口");

        // A typo: the page suggests what the CLI suggests, and one click fixes it.
        let typo = [("q", "窓口"), ("band", "10k-5k")];
        let (_, message) = cli(&typo, 10).expect_err("the CLI refuses the typo");
        let suggestion = message
            .split("did you mean `")
            .nth(1)
            .and_then(|s| s.split('`').next())
            .unwrap_or_else(|| panic!("no suggestion in {message}"))
            .to_string();
        let shown = open(&mut tab, hosting, &typo);
        assert!(
            shown.status.contains(&format!("もしかして：{suggestion}")),
            "{}",
            shown.status
        );
        let fixed = after(&mut tab, |t| t.click("#status a")).expect("follow the suggestion");
        assert_agrees(
            &fixed,
            &[("q", "窓口"), ("band", &suggestion)],
            &format!("{hosting:?} fixed"),
        );
        assert_eq!(fixed.checked, [format!("band={suggestion}")]);
        tab.assert_clean(&format!("{hosting:?} unknown value"))
            .expect("no console errors");
    }
}

/// Typical first searches: words, a phrase, no words, filters, sorting, peers.
const TYPICAL: &[&[(&str, &str)]] = &[
    &[("q", "窓口")],
    &[("q", "書かない窓口")],
    &[("q", "RPA")],
    &[("q", "AI 議事録")],
    &[("q", "電子申請 マイナンバーカード")],
    &[("q", "「電子決裁」")],
    &[("q", "チャットボット"), ("band", "10k-50k")],
    &[
        ("q", "オンライン"),
        ("population-min", "10000"),
        ("sort", "initial-cost"),
    ],
    &[("q", "窓口"), ("near", "20000")],
    &[],
];

#[test]
fn a_first_search_on_the_bundled_site_transfers_at_most_100_kb_in_chromium() {
    let searches: Vec<(String, String)> = TYPICAL
        .iter()
        .map(|p| (format!("{p:?}"), page::url(Hosting::Http, p)))
        .collect();
    let scripts = first_searches(&env().browser, &searches, "on the bundled site").expect("measure");
    let max = scripts.iter().max().copied().unwrap_or(u64::MAX);
    assert!(
        max <= 100_000,
        "a first search transfers {max} B of JS and data > 100 KB"
    );
}

/// 10,000 synthetic cases from `bench/gen_corpus.rs`, built by the `jirei`
/// under test (or the built site in `JIREI_BENCH_SITE`):
/// `cargo test --release --test browser_search -- --ignored`.
#[test]
#[ignore = "generates and builds 10,000 cases (minutes)"]
fn a_first_search_on_10000_cases_transfers_at_most_200_kb_in_chromium() {
    let out = page::synthetic_site(10_000);
    let server = browser::StaticServer::start(&out, browser::site::SUB_PATH).expect("serve the site");
    let browser = Browser::launch().expect("start Chromium");
    let searches: Vec<(String, String)> = TYPICAL
        .iter()
        .map(|p| (format!("{p:?}"), page::url_at(&server.url(page::PAGE), p)))
        .collect();
    let site = match std::env::var("JIREI_BENCH_SITE") {
        Ok(site) => format!("on {site}"),
        Err(_) => "on 10,000 cases".to_string(),
    };
    let scripts = first_searches(&browser, &searches, &site).expect("measure");
    let max = scripts.iter().max().copied().unwrap_or(u64::MAX);
    assert!(
        max <= 200_000,
        "a first search transfers {max} B of JS and data > 200 KB"
    );
}
