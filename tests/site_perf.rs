//! Build time on a large synthetic collection. Ignored by default; run with
//! `cargo test --release --test site_perf -- --ignored --nocapture`
//! (`JIREI_PERF_CASES` sets the number of cases, 10,000 by default).

#[path = "site_common.rs"]
mod common;

use std::fs;
use std::time::Instant;

use common::{Lcg, write_case};

#[test]
#[ignore]
fn a_large_collection_builds_quickly() {
    let count: usize = std::env::var("JIREI_PERF_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let tmp = tempfile::tempdir().expect("tempdir");
    let cases = tmp.path().join("cases");
    fs::create_dir(&cases).expect("mkdir");
    let mut rng = Lcg(42);
    for i in 0..count {
        write_case(&cases, i, &mut rng);
    }
    let out = tmp.path().join("public");
    let started = Instant::now();
    let output = common::build(tmp.path(), &out, &[]);
    let elapsed = started.elapsed();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let pages = common::html_pages(&out).len();
    let bytes: u64 = walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum();
    println!(
        "{count} cases: {pages} pages, {:.1} MB, built in {:.2} s",
        bytes as f64 / 1e6,
        elapsed.as_secs_f64()
    );
    println!("{}", String::from_utf8_lossy(&output.stdout));
}
