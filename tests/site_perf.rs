//! Build time on a large synthetic collection. Ignored by default; run with
//! `cargo test --release --test site_perf -- --ignored --nocapture`
//! (`JIREI_PERF_CASES` sets the number of cases, 10,000 by default).

#[path = "site_common.rs"]
mod common;

use std::fs;
use std::path::Path;
use std::time::Instant;

const PREFECTURES: [&str; 12] = [
    "北海道",
    "宮城県",
    "東京都",
    "神奈川県",
    "新潟県",
    "愛知県",
    "大阪府",
    "兵庫県",
    "岡山県",
    "広島県",
    "福岡県",
    "沖縄県",
];
const CATEGORIES: [&str; 6] = [
    "体制整備",
    "人材確保・育成",
    "内部DX",
    "地域社会のDX",
    "情報セキュリティ",
    "データ利活用",
];
const KINDS: [&str; 3] = ["市", "町", "村"];

/// A small deterministic pseudo-random sequence (no dependency needed).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

fn write_case(dir: &Path, i: usize, rng: &mut Lcg) {
    let prefecture = PREFECTURES[rng.next(PREFECTURES.len())];
    let category = CATEGORIES[rng.next(CATEGORIES.len())];
    let kind = KINDS[rng.next(KINDS.len())];
    let population = [2_000, 15_000, 60_000, 150_000, 500_000][rng.next(5)] + rng.next(5_000);
    let tags: Vec<String> = (0..3).map(|_| format!("タグ{}", rng.next(300))).collect();
    let vendor = format!("株式会社ベンダー{}", rng.next(500));
    let paragraph = "住民サービスの向上と業務の効率化を目的として、庁内の業務フローを見直し、\
                     クラウド型のシステムを導入した。導入にあたっては職員向けの研修を行い、"
        .repeat(4);
    let text = format!(
        "---\ntitle: 事例{i}の取組（{category}）\npoint: 要約{i}\norganization: {{prefecture: {prefecture}, name: 第{i}{kind}}}\n\
         population: {population}\ncategory: {category}\nsection: 節{}\ntags: [{}]\n\
         cost: {{initial: {}, running: {}}}\nschedule: {{lead_time: {}}}\nvendors: [{vendor}]\n\
         source: {{publisher: 総務省, title: 自治体DX推進参考事例集}}\nupdated: 2024-{:02}-{:02}\n---\n\
         ## 事業の概要\n\n{paragraph}\n\n## 事業効果\n\n- 効果一\n- 効果二\n\n## インタビュー\n\n{paragraph}\n",
        rng.next(4) + 1,
        tags.join(", "),
        rng.next(50_000),
        rng.next(5_000),
        rng.next(24) + 1,
        rng.next(12) + 1,
        rng.next(28) + 1,
    );
    fs::write(dir.join(format!("case-{i:05}.md")), text).expect("write case");
}

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
