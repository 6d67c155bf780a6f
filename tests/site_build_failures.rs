//! `jirei build`, run as the real binary, when something is wrong: an
//! invalid case or template fails the build and leaves the previous output
//! alone, a folder jirei did not make is never replaced; and a template
//! overridden in the collection is used (the case-table row included).

#[path = "site_common.rs"]
mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::*;

/// A copy of the rich fixture in a temporary folder, to break things in.
fn copy_fixture(into: &Path) {
    for entry in walkdir::WalkDir::new(site_fixture()) {
        let entry = entry.expect("walk");
        let target = into.join(entry.path().strip_prefix(site_fixture()).expect("below"));
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).expect("mkdir");
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Overrides theme template `name` in the collection at `root`.
fn override_template(root: &Path, name: &str, text: &str) {
    let path = root.join("themes/default/templates").join(name);
    fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
    fs::write(path, text).expect("write");
}

/// A copy of the fixture built once: (its temporary folder, the
/// collection, the output).
fn built_copy() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("collection");
    copy_fixture(&root);
    let out = tmp.path().join("public");
    assert!(build(&root, &out, &[]).status.success());
    (tmp, root, out)
}

#[test]
fn an_invalid_case_fails_like_check_and_leaves_the_output_alone() {
    let (tmp, root, out) = built_copy();
    let before = snapshot(&out);

    fs::write(
        root.join("cases/broken.md"),
        "---\ntitle: 壊れた事例\norganization: {prefecture: 岡山県, name: 鏡野町}\npopulation: 約1.2万\ncategory: 内部DX\n---\n",
    )
    .expect("write");
    let failed = build(&root, &out, &[]);
    assert_eq!(failed.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&failed.stdout);
    let check = jirei(&["check", "--root", root.to_str().expect("utf-8")]);
    let check_stdout = String::from_utf8_lossy(&check.stdout);
    let errors = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| l.contains(": error: "))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(errors(&stdout), errors(&check_stdout));
    assert!(stdout.contains("cases/broken.md:4:13: error:"), "{stdout}");
    assert!(String::from_utf8_lossy(&failed.stderr).contains("output was not changed"));
    assert_eq!(snapshot(&out), before, "public/ changed");
    let leftovers: Vec<_> = fs::read_dir(tmp.path())
        .expect("ls")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(leftovers.len(), 2, "no staging folder left: {leftovers:?}");
}

#[test]
fn a_template_error_names_the_file_and_line_and_leaves_the_output_alone() {
    let (_tmp, root, out) = built_copy();
    let before = snapshot(&out);

    let templates = root.join("themes/default/templates");
    fs::create_dir_all(&templates).expect("mkdir");
    // Builds with `case.html` overridden by `template`; returns stdout.
    let fails_with = |template: &str| {
        fs::write(templates.join("case.html"), template).expect("write");
        let failed = build(&root, &out, &[]);
        assert_eq!(failed.status.code(), Some(1));
        assert_eq!(snapshot(&out), before, "public/ changed");
        String::from_utf8_lossy(&failed.stdout).into_owned()
    };
    let stdout =
        fails_with("{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ case.title }</h1>\n{% endblock main %}\n");
    assert!(stdout.contains("themes/default/templates/case.html:3:"), "{stdout}");
    assert!(stdout.contains("template error"), "{stdout}");

    // An error found only while rendering (an unknown variable) too.
    let stdout = fails_with(
        "{% extends \"base.html\" %}\n{% block main %}\n\n<h1>{{ case.no_such_field }}</h1>\n{% endblock main %}\n",
    );
    assert!(stdout.contains("themes/default/templates/case.html:4:"), "{stdout}");
}

#[test]
fn a_failed_build_leaves_the_search_index_as_it_was() {
    let (_tmp, root, out) = built_copy();
    assert!(build(&root, &out, &["--index"]).status.success());
    let cache = root.join(".jirei-cache");
    let fingerprint = cache.join("index/jirei-fingerprint");
    let before = fs::read(&fingerprint).expect("the build made the index");
    // An edited case makes the index stale, so the build starts rebuilding
    // it beside the site; a broken template then fails the site.
    let case = root.join("cases/bizen-kouiki.md");
    let text = fs::read_to_string(&case).expect("case");
    fs::write(&case, format!("{text}\n追記した段落。\n")).expect("edit");
    override_template(&root, "case.html", "{% extends \"base.html\" %}\n{{ case.title }\n");
    let failed = build(&root, &out, &[]);
    assert_eq!(
        failed.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&failed.stderr)
    );
    assert_eq!(
        fs::read(&fingerprint).expect("index"),
        before,
        "the index was not replaced"
    );
    let leftovers: Vec<_> = fs::read_dir(&cache)
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".index-building"))
        .collect();
    assert!(leftovers.is_empty(), "no half-built index left: {leftovers:?}");
}

/// The fixture built with theme template `name` overridden by `text`:
/// (its temporary folder, the output, how many cases it has).
fn built_with_template(name: &str, text: &str) -> (tempfile::TempDir, PathBuf, usize) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("collection");
    copy_fixture(&root);
    override_template(&root, name, text);
    let out = tmp.path().join("public");
    assert!(build(&root, &out, &[]).status.success());
    let cases = fs::read_dir(out.join("cases")).expect("case pages").count();
    (tmp, out, cases)
}

#[test]
fn an_overridden_template_is_used() {
    let (_tmp, out, _) = built_with_template(
        "404.html",
        "{% extends \"base.html\" %}{% block main %}<p>独自の404</p>{% endblock main %}",
    );
    assert!(read(&out, "404.html").contains("独自の404"));
}

/// The rows `<tr class="mine" …>` of `html`, as `(id, root)`.
fn own_rows(html: &str) -> Vec<(String, String)> {
    html.split("<tr class=\"mine\" data-id=\"")
        .skip(1)
        .map(|rest| {
            let (id, rest) = rest.split_once('"').expect("id");
            let root = rest
                .split("<td>")
                .nth(1)
                .and_then(|r| r.split_once("</td>"))
                .expect("root")
                .0;
            (id.to_string(), root.to_string())
        })
        .collect()
}

#[test]
fn an_overridden_row_template_draws_the_rows_of_every_case_table() {
    let (_tmp, out, cases) = built_with_template(
        "partials/case_row.html",
        "<tr class=\"mine\" data-id=\"{{ c.id }}\"><td>{{ root }}</td><td>{{ c.title }}</td></tr>\n",
    );
    let table = own_rows(&read(&out, "all/index.html"));
    assert_eq!(table.len(), cases, "one row per case");
    assert!(table.iter().all(|(_, r)| r == "../"), "{table:?}");
    let sorted = own_rows(&read(&out, "all/population-desc/index.html"));
    assert!(sorted.iter().all(|(_, r)| r == "../../"), "{sorted:?}");
    assert_ne!(sorted, table, "the sorted table has its own order");
    let facet = own_rows(&read(&out, "category/内部DX/index.html"));
    assert!(
        !facet.is_empty() && facet.iter().all(|(_, r)| r == "../../"),
        "{facet:?}"
    );
}

#[test]
fn a_table_template_written_as_a_loop_over_cases_still_works() {
    let (_tmp, out, cases) = built_with_template(
        "partials/case_table.html",
        "<table>{% for c in cases %}<tr class=\"mine\" data-id=\"{{ c.id }}\"><td>{{ root }}</td></tr>{% endfor %}</table>",
    );
    assert_eq!(own_rows(&read(&out, "all/index.html")).len(), cases);
}

#[test]
fn the_built_in_case_table_draws_its_rows_on_a_page_without_case_rows() {
    // The home page has no `case_rows`: the partial loops over `cases`.
    let (_tmp, out, _) = built_with_template(
        "index.html",
        "{% extends \"base.html\" %}{% block main %}{% set cases = newest %}{% set columns = [] %}{% include \"partials/case_table.html\" %}{% endblock main %}",
    );
    let home = read(&out, "index.html");
    let rows = home.matches("<tr data-id=").count();
    assert!(rows > 0, "{home}");
    assert!(home.contains("href=\"cases/"), "rows link with the home page's root");
}

#[test]
fn an_error_in_the_row_template_names_that_file() {
    let (_tmp, root, out) = built_copy();
    let before = snapshot(&out);
    override_template(
        &root,
        "partials/case_row.html",
        "<tr>\n<td>{{ c.no_such_field }}</td></tr>\n",
    );
    let failed = build(&root, &out, &[]);
    assert_eq!(failed.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&failed.stdout);
    assert!(
        stdout.contains("themes/default/templates/partials/case_row.html:2:"),
        "{stdout}"
    );
    assert_eq!(snapshot(&out), before, "public/ changed");
}

#[test]
fn a_folder_jirei_did_not_make_is_never_replaced() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("docs");
    fs::create_dir(&out).expect("mkdir");
    fs::write(out.join("important.txt"), "keep me").expect("write");
    let refused = build(&site_fixture(), &out, &[]);
    assert_eq!(refused.status.code(), Some(2));
    assert_eq!(read(&out, "important.txt"), "keep me");
    let root_as_out = build(&site_fixture(), &site_fixture(), &[]);
    assert_eq!(root_as_out.status.code(), Some(2));
    assert!(site_fixture().join("cases").is_dir());
}
