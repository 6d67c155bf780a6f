//! The built site hangs together and stays on its own host: every internal
//! link resolves to a file of the output, nothing loads from another host,
//! and every page carries the Content-Security-Policy.

#[path = "site_common.rs"]
mod common;

use std::path::{Path, PathBuf};

use common::*;

const CSP: &str = r#"<meta http-equiv="Content-Security-Policy" content="default-src 'self';"#;

/// Checks every `href`/`src`/`action` of every page; returns the problems.
fn broken_links(out: &Path, base_path: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for (page, html) in html_pages(out) {
        for attr in url_attributes(&html) {
            let url = &attr.value;
            if url.is_empty() {
                problems.push(format!("{}: empty {} on <{}>", page.display(), attr.name, attr.tag));
                continue;
            }
            if is_external(url) || url.starts_with('#') {
                continue;
            }
            let target = if let Some(from_base) = url.strip_prefix(base_path) {
                // Only the 404 page links from the base path.
                if page != Path::new("404.html") {
                    problems.push(format!("{}: root-relative link {url}", page.display()));
                }
                resolve(Path::new("index.html"), from_base)
            } else if url.starts_with('/') {
                problems.push(format!("{}: link {url} outside the base path", page.display()));
                continue;
            } else {
                resolve(&page, url)
            };
            if !out.join(&target).is_file() {
                problems.push(format!(
                    "{}: {url} → {} does not exist",
                    page.display(),
                    target.display()
                ));
            }
            if !url.split(['#', '?']).next().unwrap_or_default().ends_with(".html")
                && !url.ends_with(".css")
                && !url.ends_with(".csv")
                && !url.ends_with(".json")
                && !url.ends_with(".js")
                && !url.ends_with(".svg")
            {
                problems.push(format!(
                    "{}: {url} does not name a file (breaks on file://)",
                    page.display()
                ));
            }
        }
    }
    problems
}

/// ` onclick=`, ` onerror=` …
fn has_event_handler(html: &str) -> bool {
    html.match_indices(" on").any(|(at, _)| {
        let rest = &html[at + 3..];
        let name_len = rest.bytes().take_while(u8::is_ascii_lowercase).count();
        name_len > 0 && rest[name_len..].starts_with('=')
    })
}

#[test]
fn every_internal_link_resolves_in_the_rich_fixture() {
    for extra in [&[][..], &["--drafts"][..]] {
        let (_tmp, out) = built(&site_fixture(), extra);
        let problems = broken_links(&out, "/dx-jirei/");
        assert!(problems.is_empty(), "{extra:?}:\n{}", problems.join("\n"));
    }
}

#[test]
fn every_internal_link_resolves_in_the_check_fixture() {
    let (_tmp, out) = built(&fixture("check/valid"), &[]);
    let problems = broken_links(&out, "/");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(out.join("cases/kagamino-kakanai-madoguchi/index.html").is_file());
}

#[test]
fn the_link_checker_notices_a_missing_page() {
    let (_tmp, out) = built(&site_fixture(), &[]);
    std::fs::remove_file(out.join("tag/RPA/index.html")).expect("remove");
    let problems = broken_links(&out, "/dx-jirei/");
    assert!(problems.iter().any(|p| p.contains("tag/RPA")), "{problems:?}");
}

#[test]
fn no_page_loads_anything_from_another_host() {
    let (_tmp, out) = built(&site_fixture(), &["--drafts"]);
    for (page, html) in html_pages(&out) {
        for attr in url_attributes(&html) {
            let loads = !(attr.tag == "a" && attr.name == "href");
            assert!(
                !(loads && is_external(&attr.value)),
                "{}: <{} {}=\"{}\"> loads from another host",
                page.display(),
                attr.tag,
                attr.name,
                attr.value
            );
        }
        let lower = html.to_ascii_lowercase();
        for tag in ["<iframe", "<img", "<object", "<embed", "<style", "@import", "url("] {
            assert!(!lower.contains(tag), "{}: contains {tag}", page.display());
        }
        // Scripts (the search page's) are local files, never inline code.
        for (at, _) in lower.match_indices("<script") {
            let tag = &html[at..at + html[at..].find("</script>").unwrap_or(0)];
            assert!(
                tag.starts_with("<script src=\"") && tag.ends_with("\" defer>"),
                "{}: inline or unusual script {tag}",
                page.display()
            );
        }
    }
    for css in ["assets/style.css", "assets/print.css"] {
        let text = read(&out, css);
        assert!(
            !text.contains("url(") && !text.contains("@import"),
            "{css} loads something"
        );
    }
}

#[test]
fn every_page_has_the_content_security_policy() {
    let (_tmp, out) = built(&site_fixture(), &["--drafts"]);
    let pages = html_pages(&out);
    assert!(pages.len() > 50, "{} pages", pages.len());
    for (page, html) in &pages {
        assert!(html.contains(CSP), "{} has no CSP meta tag", page.display());
        assert!(
            html.find(CSP) < html.find("<link"),
            "{}: the CSP must come before the stylesheets",
            page.display()
        );
        assert!(!html.contains(" style=\""), "{}: inline style", page.display());
        assert!(!has_event_handler(html), "{}: event handler attribute", page.display());
    }
}

#[test]
fn links_name_index_html_so_file_urls_work() {
    let (_tmp, out) = built(&site_fixture(), &[]);
    let home = read(&out, "index.html");
    let hrefs: Vec<String> = url_attributes(&home).into_iter().map(|a| a.value).collect();
    assert!(hrefs.contains(&"all/index.html".to_string()), "{hrefs:?}");
    assert!(
        hrefs
            .iter()
            .any(|h| h.starts_with("band/") && h.ends_with("/index.html"))
    );
    let case = read(&out, "cases/kagamino-kakanai-madoguchi/index.html");
    assert!(case.contains("href=\"../../assets/style.css\""));
    assert!(case.contains("href=\"../../index.html\""));
    let deep: PathBuf = ["category", "内部DX", "②窓口改革", "index.html"].iter().collect();
    assert!(out.join(&deep).is_file());
    assert!(read(&out, &deep.to_string_lossy()).contains("href=\"../../../assets/style.css\""));
}
