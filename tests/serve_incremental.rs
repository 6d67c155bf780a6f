//! Serve's rebuilds write exactly what a full `jirei build` would: after a
//! body edit (the fast path, which rewrites only the case page, then the
//! exports), a title edit (the pages showing the case), edits that move
//! cases (a new tag, a new and a removed case, a tag no case has any more:
//! the model from every case, only changed pages written) and a config
//! change (a full build), every file of the served site equals a fresh
//! build of the same cases. If `site::build` gains an output these paths do
//! not update, the first check fails.
//!
//! An ignored test measures the rebuild after one edit at 10,000 cases:
//! `cargo test --release --test serve_incremental -- --ignored --nocapture`.

#[path = "serve_common.rs"]
mod common;
#[path = "site_common.rs"]
mod site_common;

use std::path::{Path, PathBuf};
use std::time::Instant;

use jirei::config::Config;
use jirei::serve::workspace::{Changes, Outcome, Scope, Workspace};
use jirei::site::{self, BuildOptions};

const CASE: &str = "cases/kagamino-kakanai-madoguchi.md";

fn changed(path: PathBuf) -> Changes {
    changed_files([path])
}

fn changed_files(paths: impl IntoIterator<Item = PathBuf>) -> Changes {
    Changes {
        cases: paths.into_iter().collect(),
        ..Changes::default()
    }
}

/// Applies `changes` expecting `scope`, lets the search data and exports
/// follow, and compares every file with a fresh build.
fn publish_and_compare(workspace: &mut Workspace, changes: &Changes, scope: Scope, root: &Path, out: &Path) {
    match workspace.apply(changes) {
        Outcome::Published { scope: took, .. } => assert_eq!(took, scope),
        other => panic!("{other:?}"),
    }
    workspace.finish();
    assert_same_as_full_build(root, out);
}

/// Builds `root` from scratch with serve's settings and compares every file.
fn assert_same_as_full_build(root: &Path, served: &Path) {
    let config = Config::load(root).expect("config");
    let corpus = jirei::corpus::load(&root.join("cases"), &config.bands);
    assert!(!corpus.has_errors());
    let fresh = tempfile::tempdir().expect("tempdir");
    let out = fresh.path().join("site");
    let options = BuildOptions {
        base_url: Some("/".to_string()),
        ..BuildOptions::new(root, &out)
    };
    site::build(&corpus.cases, &config, &options).expect("builds");
    let expected = site_common::snapshot(&out);
    let actual = site_common::snapshot(served);
    let names = |m: &std::collections::BTreeMap<PathBuf, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&actual), names(&expected), "the same files");
    for (path, bytes) in &expected {
        assert!(actual[path] == *bytes, "{} differs from a full build", path.display());
    }
}

/// A copy of the site fixture served: (its folder, root, output, workspace).
fn open_fixture() -> (tempfile::TempDir, PathBuf, PathBuf, Workspace) {
    let tmp = common::copy_collection(&common::repo().join("tests/fixtures/site"));
    let root = std::fs::canonicalize(tmp.path()).expect("canonical");
    let out = jirei::serve::default_out(&root);
    let workspace = Workspace::open(&root, &out, false).expect("opens");
    (tmp, root, out, workspace)
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "{from} in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).expect("write");
}

#[test]
fn fast_and_full_rebuilds_equal_a_fresh_build() {
    let (_tmp, root, out, mut workspace) = open_fixture();
    let path = root.join(CASE);

    // Body only: the fast path.
    edit(&path, "## ", "## 追記した見出し\n\n本文を追記。\n\n## ");
    match workspace.apply(&changed(path.clone())) {
        Outcome::Published { scope, pages, .. } => {
            assert!(scope == Scope::Case && pages == 1, "a body edit rewrites one page")
        }
        other => panic!("{other:?}"),
    }
    assert!(workspace.finish().is_some(), "the exports follow");
    assert_same_as_full_build(&root, &out);
    let record = workspace.snapshot().cases["kagamino-kakanai-madoguchi"].clone();
    assert!(String::from_utf8_lossy(&record).contains("書かない窓口"));

    // The title shows on other pages: they are rewritten too.
    edit(&path, "title: 書かない窓口の導入", "title: 書かない窓口の全面導入");
    match workspace.apply(&changed(path.clone())) {
        Outcome::Published { scope, pages, .. } => assert!(scope == Scope::Case && pages > 5, "{pages} pages"),
        other => panic!("{other:?}"),
    }
    workspace.finish();
    assert_same_as_full_build(&root, &out);

    // A new tag changes the facets: the model from every case, and the
    // pages that changed, among them the new tag's.
    edit(&path, "tags: [書かない窓口,", "tags: [新しいタグ, 書かない窓口,");
    let pages_before = count_files(&out);
    match workspace.apply(&changed(path.clone())) {
        Outcome::Published { scope, pages, .. } => {
            assert_eq!(scope, Scope::Cases, "a tag edit derives the model again");
            assert!(
                pages > 1 && pages < pages_before,
                "{pages} of {pages_before} pages written"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(workspace.finish().is_some(), "the search data and exports follow");
    assert_same_as_full_build(&root, &out);

    // Saved without a change: nothing to do.
    std::fs::write(&path, std::fs::read(&path).expect("read")).expect("write");
    assert!(matches!(workspace.apply(&changed(path.clone())), Outcome::Unchanged));

    // A new case and a removed one.
    std::fs::copy(&path, root.join("cases/kagamino-copy.md")).expect("copy");
    edit(
        &root.join("cases/kagamino-copy.md"),
        "id: kagamino-kakanai-madoguchi",
        "id: kagamino-copy",
    );
    std::fs::remove_file(root.join("cases/bizen-kouiki.md")).expect("remove");
    let both = changed_files([root.join("cases/kagamino-copy.md"), root.join("cases/bizen-kouiki.md")]);
    publish_and_compare(&mut workspace, &both, Scope::Cases, &root, &out);
    let snapshot = workspace.snapshot();
    assert!(snapshot.cases.contains_key("kagamino-copy"));
    assert!(!snapshot.cases.contains_key("bizen-kouiki"));

    // The new tag is dropped from both cases: its pages go.
    for case in [path.clone(), root.join("cases/kagamino-copy.md")] {
        edit(&case, "tags: [新しいタグ, ", "tags: [");
    }
    let both = changed_files([path.clone(), root.join("cases/kagamino-copy.md")]);
    publish_and_compare(&mut workspace, &both, Scope::Cases, &root, &out);

    // The config: a full build.
    let config = root.join("jirei.toml");
    let text = std::fs::read_to_string(&config).expect("config");
    std::fs::write(&config, text.replacen("title = \"", "title = \"改 ", 1)).expect("write");
    let config_changed = Changes {
        config: true,
        ..Changes::default()
    };
    publish_and_compare(&mut workspace, &config_changed, Scope::Site, &root, &out);
}

/// How many files are below `dir`.
fn count_files(dir: &Path) -> usize {
    site_common::snapshot(dir).len()
}

#[test]
fn search_data_left_for_later_is_made_from_the_served_cases_even_after_a_bad_save() {
    let (_tmp, root, out, mut workspace) = open_fixture();
    let path = root.join(CASE);
    // A tag edit is published; its search data and exports wait (as when
    // another save is already queued).
    edit(&path, "tags: [書かない窓口,", "tags: [新しいタグ, 書かない窓口,");
    assert!(matches!(
        workspace.apply(&changed(path.clone())),
        Outcome::Published {
            scope: Scope::Cases,
            ..
        }
    ));
    // The next save is invalid: nothing is published, but the waiting work
    // is done for the cases the served site shows.
    edit(&path, "population:\n  count: 12062", "population:\n  count: many");
    assert!(matches!(workspace.apply(&changed(path.clone())), Outcome::Failed(_)));
    assert!(
        workspace.finish().is_some(),
        "the waiting search data and exports are written"
    );
    assert!(workspace.finish().is_none(), "once");
    // Fixed back to what is served: every file equals a fresh build.
    edit(&path, "count: many", "count: 12062");
    assert!(matches!(workspace.apply(&changed(path.clone())), Outcome::Unchanged));
    assert_same_as_full_build(&root, &out);
}

/// The inode of every file below `dir`, by path below it.
fn inodes(dir: &Path) -> std::collections::BTreeMap<PathBuf, u64> {
    use std::os::unix::fs::MetadataExt;
    site_common::per_file(dir, |e| e.metadata().expect("metadata").ino())
}

#[test]
fn search_data_the_edit_leaves_as_it_was_is_not_rewritten() {
    let (_tmp, root, out, mut workspace) = open_fixture();
    let search = out.join("search");
    let (bytes_before, inodes_before) = (site_common::snapshot(&search), inodes(&search));
    let path = root.join(CASE);
    edit(&path, "## ", "## 追記した見出し\n\n本文を追記。\n\n## ");
    assert!(matches!(
        workspace.apply(&changed(path.clone())),
        Outcome::Published { .. }
    ));
    assert!(workspace.finish().is_some(), "the search data follows");
    let (bytes_after, inodes_after) = (site_common::snapshot(&search), inodes(&search));
    let same: Vec<&PathBuf> = bytes_after
        .iter()
        .filter(|(file, bytes)| bytes_before.get(*file) == Some(*bytes))
        .map(|(file, _)| file)
        .collect();
    assert!(same.len() < bytes_after.len(), "the edit changed some search data");
    assert!(!same.is_empty(), "and left some as it was");
    for file in same {
        assert_eq!(
            inodes_after[file],
            inodes_before[file],
            "{} was rewritten",
            file.display()
        );
    }
    assert_same_as_full_build(&root, &out);
}

#[test]
fn search_data_interrupted_by_a_newer_save_writes_nothing_and_is_made_later() {
    let (_tmp, root, out, mut workspace) = open_fixture();
    let before = site_common::snapshot(&out.join("search"));
    let path = root.join(CASE);
    edit(&path, "## ", "## 追記した見出し\n\n本文を追記。\n\n## ");
    assert!(matches!(
        workspace.apply(&changed(path.clone())),
        Outcome::Published { .. }
    ));
    let asked = std::sync::atomic::AtomicUsize::new(0);
    let newer_save = || {
        asked.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        true
    };
    assert_eq!(workspace.finish_unless(&newer_save), None, "left for later");
    assert!(asked.into_inner() > 0, "the interruption was asked for");
    assert!(
        site_common::snapshot(&out.join("search")) == before,
        "no search data was written"
    );
    // The newer save takes the fast path (the interruption is no failure
    // that would make the next rebuild full), and the search data follows.
    edit(&path, "本文を追記。", "本文をもう一度追記。");
    match workspace.apply(&changed(path.clone())) {
        Outcome::Published { scope, pages, .. } => assert!(scope == Scope::Case && pages == 1, "{scope:?} {pages}"),
        other => panic!("{other:?}"),
    }
    assert!(workspace.finish().is_some(), "the search data is still to do, and done");
    assert_same_as_full_build(&root, &out);
}

#[test]
fn invalid_edits_and_duplicate_ids_publish_nothing() {
    let (_tmp, root, out, mut workspace) = open_fixture();
    let before = site_common::snapshot(&out);
    let path = root.join(CASE);
    edit(&path, "population:\n  count: 12062", "population:\n  count: many");
    match workspace.apply(&changed(path.clone())) {
        Outcome::Failed(errors) => {
            assert!(errors[0].location.starts_with(&format!("{CASE}:")), "{errors:?}");
            assert!(errors[0].line > 0 && errors[0].column > 0, "{errors:?}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(site_common::snapshot(&out), before, "the served site is unchanged");
    edit(&path, "count: many", "count: 12062");
    std::fs::copy(&path, root.join("cases/zz-dup.md")).expect("copy");
    let both = changed_files([path.clone(), root.join("cases/zz-dup.md")]);
    match workspace.apply(&both) {
        Outcome::Failed(errors) => assert!(errors[0].message.contains("already used"), "{errors:?}"),
        other => panic!("{other:?}"),
    }
}

#[test]
#[ignore]
fn one_edit_at_ten_thousand_cases_is_fast() {
    let count: usize = std::env::var("JIREI_PERF_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = std::fs::canonicalize(tmp.path()).expect("canonical");
    std::fs::create_dir(root.join("cases")).expect("mkdir");
    let mut rng = site_common::Lcg(7);
    for i in 0..count {
        site_common::write_case(&root.join("cases"), i, &mut rng);
    }
    let started = Instant::now();
    let out = jirei::serve::default_out(&root);
    let mut workspace = Workspace::open(&root, &out, false).expect("opens");
    println!(
        "{count} cases: first build (site and index) {:.2} s",
        started.elapsed().as_secs_f64()
    );
    let path = root.join("cases/case-04321.md");
    for round in 0..3 {
        edit(&path, "## 事業効果", &format!("追記{round}。\n\n## 事業効果"));
        let started = Instant::now();
        let outcome = workspace.apply(&changed(path.clone()));
        let page = started.elapsed();
        let exports = workspace.finish();
        println!(
            "body edit {round}: {} in {} ms, then exports in {:?}",
            outcome_kind(&outcome),
            page.as_millis(),
            exports
        );
    }
    edit(&path, "title: 事例4321", "title: 改題した事例4321");
    let started = Instant::now();
    let outcome = workspace.apply(&changed(path.clone()));
    println!(
        "title edit: {} in {} ms",
        outcome_kind(&outcome),
        started.elapsed().as_millis()
    );
    workspace.finish();
    edit(&path, "tags: [", "tags: [新しいタグ, ");
    let started = Instant::now();
    let outcome = workspace.apply(&changed(path.clone()));
    println!(
        "tag edit: {} in {} ms",
        outcome_kind(&outcome),
        started.elapsed().as_millis()
    );
}

fn outcome_kind(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Published { scope: Scope::Case, .. } => "the case's pages",
        Outcome::Published {
            scope: Scope::Cases, ..
        } => "changed pages",
        Outcome::Published { scope: Scope::Site, .. } => "full",
        Outcome::Unchanged => "unchanged",
        Outcome::Failed(_) => "failed",
    }
}
