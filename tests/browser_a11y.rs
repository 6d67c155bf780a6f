//! Accessibility of the built site: axe-core (WCAG 2.x A/AA and best
//! practices) on the home page, case pages, the all-cases table and a
//! listing, over HTTP below a sub-path. Fails on `serious` or `critical`
//! violations and prints every violation found. axe-core is installed by
//! `npm ci --prefix tests/browser` (`.ci/run` does it).

mod browser;

use browser::{Hosting, axe, env};

/// Loads each page, runs axe-core on it, prints what it found and fails
/// on serious or critical violations.
fn check(pages: &[&str]) {
    let mut tab = env().browser.new_tab().expect("open a tab");
    let mut serious = Vec::new();
    for page in pages {
        tab.navigate(&env().site.url(Hosting::Http, page))
            .unwrap_or_else(|e| panic!("{page}: {e}"));
        let violations = axe::check(&mut tab).unwrap_or_else(|e| panic!("{page}: {e}"));
        let report: String = violations.iter().map(|v| v.to_string()).collect();
        println!("{page}: {} axe-core violation(s)\n{report}", violations.len());
        serious.extend(
            violations
                .iter()
                .filter(|v| v.is_serious())
                .map(|v| format!("{page}: {v}")),
        );
    }
    assert!(
        serious.is_empty(),
        "serious or critical accessibility violations:\n{}",
        serious.join("\n")
    );
}

#[test]
fn home_page_has_no_serious_accessibility_violations() {
    check(&["index.html"]);
}

#[test]
fn case_pages_have_no_serious_accessibility_violations() {
    check(&[
        "cases/3-01-kagamino/index.html",
        "cases/1-05-funagata/index.html",
        &format!("cases/{}/index.html", browser::site::HOSTILE_ID),
    ]);
}

#[test]
fn listings_have_no_serious_accessibility_violations() {
    check(&[
        "all/index.html",
        "all/population-desc/index.html",
        "category/index.html",
        "category/%E5%86%85%E9%83%A8DX/index.html",
        "tag/index.html",
    ]);
}

#[test]
fn axe_core_finds_violations_planted_in_a_page() {
    // Guards against a harness that passes because axe checked nothing.
    let mut tab = env().browser.new_tab().expect("open a tab");
    tab.evaluate("document.body.innerHTML = '<main><img src=\\'x.png\\'><button></button></main>'")
        .expect("plant violations");
    let violations = axe::check(&mut tab).expect("run axe-core");
    let ids: Vec<&str> = violations
        .iter()
        .filter(|v| v.is_serious())
        .map(|v| v.id.as_str())
        .collect();
    for expected in ["image-alt", "button-name"] {
        assert!(ids.contains(&expected), "axe-core missed {expected}: found {ids:?}");
    }
}

#[test]
fn axe_core_is_installed() {
    let path = axe::axe_path();
    assert!(
        path.is_file(),
        "axe-core is missing at {}: run `{}` from the repository root",
        path.display(),
        axe::INSTALL
    );
}
