//! Printing case pages (`print.css`) in headless Chromium: every published
//! case — the bundled ones, the hostile one and a synthetic case with every
//! summary field at about twice the longest bundled value — prints on
//! exactly one A4 page with its summary, source and the page's address,
//! and without navigation, search, the body text, footer or similar cases.
//! Lists longer than the template's print limits end in 「ほかN件」.
//! The PDFs are kept in `target/tmp/browser-browser_print/pdf/`.
//! Infrastructure: `tests/browser/`.

mod browser;

use std::collections::BTreeMap;

use browser::site::{LONGEST_ID, SUB_PATH};
use browser::{Hosting, Tab, env};
use serde_json::Value;

/// The summary labels every printout shows (a field without a value shows "—").
const SUMMARY_LABELS: [&str; 12] = [
    "団体",
    "人口と区分",
    "分類",
    "タグ",
    "イニシャルコスト",
    "ランニングコスト",
    "検討開始から導入までの期間",
    "マイルストーン",
    "事業者・サービス",
    "運用形態",
    "担当部署と連絡先",
    "効果",
];

/// Parts of the screen page that paper leaves out.
const SCREEN_ONLY: [&str; 9] = [
    ".skip-link",
    ".site-header",
    ".site-nav",
    ".header-search",
    ".breadcrumbs",
    ".case-body",
    ".similar",
    ".site-footer",
    "#summary-heading",
];

/// Text of the screen-only parts that must not reach the paper.
const SCREEN_ONLY_TEXT: [&str; 4] = ["本文へ移動", "キーワード", "類似事例", "cases.csv"];

/// What one case page looks like on paper.
struct Printout {
    pages: usize,
    /// The page's text as rendered for print (hidden parts left out).
    text: String,
    title: String,
    has_source: bool,
    /// Selectors of [`SCREEN_ONLY`] that are still visible in print.
    visible_screen_parts: Vec<String>,
}

/// Opens a case page over HTTP, prints it to an A4 PDF (kept under the
/// scratch folder) and reads what the print layout shows.
fn print_case(tab: &mut Tab, id: &str) -> Printout {
    let page = format!("cases/{id}/index.html");
    tab.navigate(&env().site.url(Hosting::Http, &page))
        .unwrap_or_else(|e| panic!("{page}: {e}"));
    tab.emulate_media("print").expect("emulate print");
    let selectors = serde_json::to_string(&SCREEN_ONLY).expect("selectors as JSON");
    let state = tab
        .evaluate(&format!(
            "(() => {{ const shown = e => !!e && getComputedStyle(e).display !== 'none' && e.getBoundingClientRect().height > 0; \
             return {{ text: document.body.innerText, title: document.querySelector('.case-header h1')?.innerText ?? '', \
             hasSource: !!document.querySelector('.case-footer .credit'), \
             visible: {selectors}.filter(s => [...document.querySelectorAll(s)].some(shown)) }}; }})()"
        ))
        .expect("read the print layout");
    let pdf = tab.print_to_pdf().expect("print to PDF");
    tab.emulate_media("").expect("back to screen");
    let path = browser::scratch_dir("pdf").join(format!("{id}.pdf"));
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(&path, &pdf).expect("write the PDF");
    let text = |key: &str| state[key].as_str().unwrap_or_default().to_string();
    Printout {
        pages: pdf_pages(&pdf),
        text: text("text"),
        title: text("title"),
        has_source: state["hasSource"].as_bool().unwrap_or(false),
        visible_screen_parts: strings(&state["visible"]),
    }
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
        .unwrap_or_default()
}

/// Pages of a PDF: `/Type /Page` objects (not `/Type /Pages`).
fn pdf_pages(pdf: &[u8]) -> usize {
    let needle = b"/Type /Page";
    pdf.windows(needle.len() + 1)
        .filter(|w| w.starts_with(needle) && w[needle.len()] != b's')
        .count()
}

/// What is wrong with the printout of case `id`, if anything.
fn problems(id: &str, printout: &Printout) -> Vec<String> {
    let mut problems = Vec::new();
    if printout.pages != 1 {
        problems.push(format!("{} pages", printout.pages));
    }
    if printout.title.trim().is_empty() || !printout.text.contains(printout.title.trim()) {
        problems.push("no title".to_string());
    }
    let missing: Vec<&str> = SUMMARY_LABELS
        .into_iter()
        .filter(|label| !printout.text.contains(label))
        .collect();
    if !missing.is_empty() {
        problems.push(format!("summary labels missing: {missing:?}"));
    }
    if printout.has_source && !printout.text.contains("出典") {
        problems.push("no 出典".to_string());
    }
    // The test site is published below SUB_PATH, a path without a host.
    let address = format!("{SUB_PATH}cases/{id}/");
    let line = printout.text.lines().find(|l| l.starts_with("本文・詳細は"));
    if !line.is_some_and(|l| l.ends_with(&format!("を参照：{address}"))) {
        problems.push(format!("no line pointing to {address}: {line:?}"));
    }
    if !printout.visible_screen_parts.is_empty() {
        problems.push(format!("screen parts printed: {:?}", printout.visible_screen_parts));
    }
    let leaked: Vec<&str> = SCREEN_ONLY_TEXT
        .into_iter()
        .filter(|t| printout.text.contains(t))
        .collect();
    if !leaked.is_empty() {
        problems.push(format!("screen text printed: {leaked:?}"));
    }
    problems
}

#[test]
fn every_case_prints_as_one_a4_summary_with_its_address() {
    let ids = env().site.case_ids();
    assert!(ids.len() > 80, "the bundled cases are missing: {ids:?}");
    assert!(
        ids.iter().any(|id| id == LONGEST_ID),
        "the longest summary is not published"
    );
    let mut tab = env().browser.new_tab().expect("open a tab");
    let mut by_pages: BTreeMap<usize, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    for id in &ids {
        let printout = print_case(&mut tab, id);
        *by_pages.entry(printout.pages).or_default() += 1;
        let problems = problems(id, &printout);
        if !problems.is_empty() {
            failures.push(format!("{id}: {}", problems.join("; ")));
        }
    }
    println!("{} case pages printed; pages → cases: {by_pages:?}", ids.len());
    assert!(
        failures.is_empty(),
        "{} of {} cases do not print as one clean A4 summary (PDFs in {}):\n{}",
        failures.len(),
        ids.len(),
        browser::scratch_dir("pdf").display(),
        failures.join("\n")
    );
}

#[test]
fn lists_beyond_the_print_limits_end_with_how_many_more_the_web_page_has() {
    let mut tab = env().browser.new_tab().expect("open a tab");
    let printout = print_case(&mut tab, LONGEST_ID);
    assert_eq!(printout.pages, 1, "the longest summary prints on one page");
    // The fixture has 13 milestones, 11 vendors, 9 effects and 6 links;
    // case.html prints 10, 8, 6 and 4 of them.
    tab.emulate_media("print").expect("emulate print");
    for (selector, note) in [
        (".milestones", "ほか3件"),
        (".vendors", "ほか3件"),
        (".effects", "ほか3件"),
        (".related-links", "ほか2件"),
    ] {
        let notes = tab
            .evaluate(&format!(
                "[...document.querySelectorAll('{selector} .print-more')].map(e => e.innerText)"
            ))
            .expect("read the notes");
        assert_eq!(strings(&notes), [note], "{selector}: the note on paper");
    }
    tab.emulate_media("").expect("back to screen");
    assert!(
        !printout.text.contains("印刷されない"),
        "items beyond the limits are printed:\n{}",
        printout.text
    );
    for last_printed in [
        "R4.10~12",
        "一般社団法人地域情報化推進協会",
        "「早くなった」",
        "札幌市 行政手続改革",
    ] {
        assert!(printout.text.contains(last_printed), "{last_printed} is not printed");
    }
    // On screen every item is shown and the notes are not.
    let screen = tab.evaluate("document.body.innerText").expect("screen text");
    let screen = screen.as_str().unwrap_or_default();
    assert_eq!(
        screen.matches("印刷されない").count(),
        4,
        "every item on screen:\n{screen}"
    );
    assert!(!screen.contains("ほか3件"), "the print notes show on screen");
}
