//! `jirei search` and `jirei index` as the real binary on a copy of the
//! bundled cases: JSON shape, filters, facets, sorting and bad input.

use std::path::Path;
use std::process::{Command, Output};

/// A collection in a temporary folder with the bundled cases.
fn copy_collection() -> tempfile::TempDir {
    copy_cases("cases")
}

/// A collection in a temporary folder with the cases of `source` (relative
/// to the repository).
fn copy_cases(source: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases = dir.path().join("cases");
    std::fs::create_dir(&cases).expect("mkdir");
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join(source);
    for entry in std::fs::read_dir(source).expect("cases") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, cases.join(path.file_name().expect("name"))).expect("copy");
    }
    dir
}

fn jirei(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jirei"))
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .expect("run jirei")
}

fn json(root: &Path, args: &[&str]) -> serde_json::Value {
    let out = jirei(root, &[&["search", "--json"], args].concat());
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn ids(v: &serde_json::Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|h| h["id"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn search_answers_with_the_documented_json_and_disjunctive_facets() {
    let root = copy_collection();
    let index = jirei(root.path(), &["index"]);
    assert!(String::from_utf8_lossy(&index.stdout).contains("indexed 85 cases"));
    let again = jirei(root.path(), &["index"]);
    assert!(
        String::from_utf8_lossy(&again.stdout).contains("index is current"),
        "the cache is reused"
    );
    let forced = jirei(root.path(), &["index", "--force"]);
    assert!(
        String::from_utf8_lossy(&forced.stdout).contains("indexed 85 cases"),
        "--force rebuilds a current index"
    );

    let all = json(root.path(), &["書かない窓口"]);
    let hit = &all["hits"][0];
    for key in [
        "id",
        "title",
        "organization",
        "prefecture",
        "population",
        "band",
        "initial_cost",
        "running_cost",
        "lead_time_months",
        "score",
        "snippet",
    ] {
        assert!(hit.get(key).is_some(), "hit has {key}: {hit}");
    }
    assert!(hit["snippet"].as_str().unwrap_or_default().contains("<mark>"));

    // Picking a band narrows the hits but not the band counts (disjunctive).
    let narrowed = json(root.path(), &["書かない窓口", "--band", "over-300k"]);
    assert!(narrowed["total"].as_u64() < all["total"].as_u64());
    assert_eq!(narrowed["facets"]["band"], all["facets"]["band"]);
    assert_eq!(narrowed["total"], all["facets"]["band"]["over-300k"]);
    assert!(
        narrowed["facets"]["region"] != all["facets"]["region"],
        "other facets follow the band filter"
    );

    // Two bands are OR'ed; band and region are AND'ed.
    let two = json(root.path(), &["", "--band", "under-10k", "--band", "10k-50k"]);
    let one = json(root.path(), &["", "--band", "under-10k"]);
    assert!(two["total"].as_u64() > one["total"].as_u64());
    let both = json(root.path(), &["", "--band", "under-10k", "--region", "東北"]);
    assert!(both["total"].as_u64() < one["total"].as_u64());

    // Empty query browses; sorting by population is ascending with unknowns last.
    let browse = json(root.path(), &["", "--sort", "population", "--limit", "1000"]);
    assert_eq!(browse["total"], 85);
    let pops: Vec<Option<u64>> = browse["hits"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|h| h["population"].as_u64())
        .collect();
    let known: Vec<u64> = pops.iter().flatten().copied().collect();
    assert!(known.windows(2).all(|w| w[0] <= w[1]));
    assert!(pops.iter().skip_while(|p| p.is_some()).all(|p| p.is_none()));

    // Ranges and peers.
    let ranged = json(root.path(), &["", "--population", "1万..5万", "--limit", "1000"]);
    assert!(
        ranged["hits"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|h| (10_000..=50_000).contains(&h["population"].as_u64().unwrap_or(0)))
    );
    let peers = json(root.path(), &["窓口", "--near-population", "4.6万"]);
    assert_eq!(ids(&peers)[0], "3-13-shima", "志摩市 (4.6万) is the closest peer");
    let prefecture = json(root.path(), &["", "--prefecture", "大阪"]);
    assert!(
        ids(&prefecture).contains(&"2-06-osaka-pref".to_string()),
        "short prefecture names are accepted"
    );
}

#[test]
fn bad_queries_and_filters_exit_2_with_a_message() {
    let root = copy_collection();
    let long = "あ".repeat(10_000);
    let cases: [(&[&str], &str); 10] = [
        (&["の"], "no words to search for"),
        (&[&long], "at most 500"),
        (&["\"書かない窓口"], "without a closing one"),
        (&["😀🎉"], "no words to search for"),
        (&["窓口\u{1b}[31m"], "control characters"),
        (&["", "--band", "10k-50K"], "did you mean `10k-50k`"),
        (&["", "--tag", "存在しないタグ"], "no case has tags"),
        (&["", "--population", "50000..10000"], "reversed"),
        (&["", "--initial-cost", "abc..100"], "not a whole number"),
        (&["", "--region", "関東地方"], "did you mean `関東`"),
    ];
    for (args, expected) in cases {
        let out = jirei(root.path(), &[&["search"], args].concat());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

#[test]
fn a_fresh_build_makes_no_index_and_search_makes_it_when_first_used() {
    let root = copy_collection();
    let out = jirei(root.path(), &["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("no search index: `jirei search` makes it when first used"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        !root.path().join(".jirei-cache/index").exists(),
        "the site does not need it"
    );
    let hits = json(root.path(), &["ドローン"]);
    assert!(ids(&hits).contains(&"3-34-kimitsu".to_string()));
    assert!(root.path().join(".jirei-cache/index/meta.json").is_file());
}

#[test]
fn build_keeps_an_existing_index_current_and_an_edit_invalidates_it() {
    let root = copy_collection();
    let out = jirei(root.path(), &["build", "--index"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("search index rebuilt: 85 cases"));
    let current = jirei(root.path(), &["index"]);
    assert!(String::from_utf8_lossy(&current.stdout).contains("index is current"));

    let path = root.path().join("cases/3-34-kimitsu.md");
    let text = std::fs::read_to_string(&path).expect("case");
    std::fs::write(
        &path,
        text.replacen("ドローン", "無人航空機（ドローン）と橋梁点検ロボット", 1),
    )
    .expect("edit");
    // The collection has an index now: the next build refreshes it
    // without being asked.
    let out = jirei(root.path(), &["build"]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("search index rebuilt: 85 cases"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let hits = json(root.path(), &["橋梁点検ロボット"]);
    assert_eq!(
        ids(&hits).first().map(String::as_str),
        Some("3-34-kimitsu"),
        "the edit is searchable at once"
    );
}

/// An editor saving a case while a build reads the collection: the index
/// made from what was read keeps the fingerprint taken before reading, so
/// it is stale afterwards and the next `jirei index` rebuilds it.
#[test]
fn an_index_made_from_cases_read_before_an_edit_is_left_stale() {
    use jirei::index::{self, Fingerprint, Freshness};
    let root = copy_collection();
    let fingerprint = Fingerprint::of_collection(root.path(), false);
    let config = jirei::config::Config::load(root.path()).expect("config");
    let cases = jirei::corpus::load(&root.path().join("cases"), &config.bands).cases;
    let path = root.path().join("cases/3-34-kimitsu.md");
    let text = std::fs::read_to_string(&path).expect("case");
    std::fs::write(&path, text.replacen("ドローン", "ドローンと橋梁点検ロボット", 1)).expect("edit");
    let analyzer = jirei::analysis::Analyzer::for_collection(root.path()).expect("analyzer");
    let (_, freshness) = index::ensure_at(root.path(), &analyzer, &fingerprint, || cases).expect("index");
    assert_eq!(freshness, Freshness::Rebuilt);
    assert!(
        !index::is_current(root.path(), &Fingerprint::of_collection(root.path(), false)),
        "the edit made after reading leaves the index stale"
    );
    let out = jirei(root.path(), &["index"]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("indexed 85 cases"),
        "jirei index rebuilds it: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(ids(&json(root.path(), &["橋梁点検ロボット"])), ["3-34-kimitsu"]);
}

#[test]
fn drafts_are_searchable_only_with_drafts_as_the_site_publishes_them() {
    let dir = copy_cases("tests/fixtures/site/cases");
    let published = json(dir.path(), &["下書き"]);
    assert!(
        !ids(&published).contains(&"chatan-draft".to_string()),
        "a draft is not searchable by default: {published}"
    );
    assert_eq!(published["total"], 0, "only the draft mentions 下書き");
    let with_drafts = json(dir.path(), &["下書き", "--drafts"]);
    assert_eq!(ids(&with_drafts), ["chatan-draft"], "--drafts indexes the draft");
    let again = json(dir.path(), &["下書き"]);
    assert_eq!(again["total"], 0, "the cached index follows the flag back");
    let out = jirei(dir.path(), &["index"]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("8 cases"),
        "jirei index counts the published cases: {}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn the_index_built_beside_the_site_answers_as_one_built_alone() {
    let root = copy_collection();
    let build = Command::new(env!("CARGO_BIN_EXE_jirei"))
        .arg("--root")
        .arg(root.path())
        .args(["build", "--index"])
        .env("JIREI_TIMING", "1")
        .output()
        .expect("run jirei");
    assert_eq!(
        build.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let stderr = String::from_utf8_lossy(&build.stderr);
    let taken: u64 = stderr
        .split("search index: ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("the build reports the texts it handed to the index: {stderr}"));
    assert!(taken >= 85, "the index took the site's segmentations: {stderr}");
    // Phrases, readings, partial words, filters and sorting.
    let queries: [&[&str]; 6] = [
        &["書かない窓口"],
        &["\"電子申請\""],
        &["ぎょうせい"],
        &["ノーコード"],
        &["AI", "--band", "10k-50k"],
        &["RPA", "--sort", "population"],
    ];
    let beside: Vec<_> = queries.iter().map(|q| json(root.path(), q)).collect();
    let alone = jirei(root.path(), &["index", "--force"]);
    assert_eq!(
        alone.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&alone.stderr)
    );
    for (query, beside) in queries.iter().zip(beside) {
        assert!(beside["total"].as_u64() > Some(0), "{query:?} finds something");
        assert_eq!(json(root.path(), query), beside, "{query:?}");
    }
}
