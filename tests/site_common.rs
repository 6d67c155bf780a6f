//! Helpers shared by the `site_*` integration tests: running `jirei build`
//! on a fixture, reading the output, and pulling links out of HTML.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn jirei(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jirei"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run jirei")
}

pub fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(path)
}

/// The rich site fixture.
pub fn site_fixture() -> PathBuf {
    fixture("site")
}

/// Runs `jirei build --root root --out out` with extra arguments.
pub fn build(root: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "build",
        "--root",
        root.to_str().expect("utf-8 path"),
        "--out",
        out.to_str().expect("utf-8 path"),
    ];
    args.extend_from_slice(extra);
    jirei(&args)
}

/// Builds `root` into a new temporary folder and returns it with the output path.
pub fn built(root: &Path, extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("public");
    let output = build(root, &out, extra);
    assert!(
        output.status.success(),
        "build failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (tmp, out)
}

/// Every file below `dir`, relative path → bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    per_file(dir, |e| fs::read(e.path()).expect("read"))
}

/// Every file below `dir`, relative path → `value(file)`.
pub fn per_file<T>(dir: &Path, value: impl Fn(&walkdir::DirEntry) -> T) -> BTreeMap<PathBuf, T> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e.path().strip_prefix(dir).expect("below dir").to_path_buf();
            (relative, value(&e))
        })
        .collect()
}

/// Every HTML file of the output: relative path → text.
pub fn html_pages(out: &Path) -> BTreeMap<PathBuf, String> {
    snapshot(out)
        .into_iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "html"))
        .map(|(p, bytes)| (p, String::from_utf8(bytes).expect("UTF-8 HTML")))
        .collect()
}

pub fn read(out: &Path, relative: &str) -> String {
    fs::read_to_string(out.join(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// One tag's attribute value: (tag name, attribute, value, entity-decoded).
#[derive(Debug, Clone)]
pub struct Attr {
    pub tag: String,
    pub name: String,
    pub value: String,
}

/// The `href`, `src`, `action` and `srcset` attributes of every tag.
pub fn url_attributes(html: &str) -> Vec<Attr> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag_text = &rest[..end];
        rest = &rest[end..];
        let tag: String = tag_text
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if tag.is_empty() {
            continue;
        }
        for name in ["href", "src", "action", "srcset", "poster", "data"] {
            let needle = format!(" {name}=\"");
            let mut text = tag_text;
            while let Some(at) = text.find(&needle) {
                let value_start = &text[at + needle.len()..];
                let value_end = value_start.find('"').unwrap_or(value_start.len());
                found.push(Attr {
                    tag: tag.clone(),
                    name: name.to_string(),
                    value: decode_entities(&value_start[..value_end]),
                });
                text = &value_start[value_end..];
            }
        }
    }
    found
}

pub fn decode_entities(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Whether a URL leaves the site: it has a scheme or starts with `//`.
pub fn is_external(url: &str) -> bool {
    let scheme_end = url.find(':');
    let path_start = url.find(['/', '?', '#']).unwrap_or(url.len());
    url.starts_with("//") || scheme_end.is_some_and(|c| c < path_start)
}

/// The file a relative link from `page` (relative to the output root)
/// points at, percent-decoded, without query or fragment.
pub fn resolve(page: &Path, url: &str) -> PathBuf {
    let path = url.split(['#', '?']).next().unwrap_or_default();
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .expect("UTF-8 link")
        .into_owned();
    let mut target: Vec<String> = page
        .parent()
        .map(|p| {
            p.components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                assert!(target.pop().is_some(), "{url} from {} leaves the site", page.display());
            }
            s => target.push(s.to_string()),
        }
    }
    target.iter().collect()
}

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
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// Writes a plausible synthetic case `case-<i>.md` into `dir`.
pub fn write_case(dir: &Path, i: usize, rng: &mut Lcg) {
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
