//! Synthetic corpus generator for benchmarks: N case files shaped like the
//! MIC cases (every front-matter field, Japanese bodies of a few KB).
//!
//! Body sentences are sampled from the real cases in `--from` (default
//! `cases/`), so token distributions resemble real text; everything else is
//! drawn from small pools with a seeded generator, so the same `--seed`
//! gives byte-identical output.
//!
//! ```sh
//! cargo run --release --example gen_corpus -- --n 10000 --seed 1 --out bench/out/10k
//! ```

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// SplitMix64: tiny, seedable, good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const NAME_PARTS: [&str; 16] = [
    "北", "南", "東", "西", "山", "川", "田", "野", "森", "浜", "沢", "原", "宮", "島", "松", "桜",
];
const CATEGORIES: [(&str, &[&str]); 3] = [
    ("体制整備", &["①推進体制", "②計画策定", "③広域連携"]),
    (
        "人材確保・育成",
        &["①外部人材の確保", "②職員の育成", "③人材シェアリング"],
    ),
    (
        "内部DX",
        &["①オンライン行政サービス", "②窓口改革", "③業務効率化", "④テレワーク"],
    ),
];
const TAGS: [&str; 14] = [
    "オンライン申請",
    "窓口改革",
    "AI・RPAの活用",
    "書かない窓口",
    "キャッシュレス決済",
    "電子契約",
    "テレワーク",
    "ペーパーレス",
    "デジタル人材",
    "データ利活用",
    "生成AI",
    "ローコード・ノーコードツール",
    "マイナンバーカード",
    "LGWAN",
];
const VENDORS: [&str; 10] = [
    "株式会社サンプルシステムズ",
    "東日本計算センター株式会社",
    "テクノ・マインド株式会社",
    "株式会社トラストバンク",
    "富士通Japan株式会社",
    "株式会社NTTデータ",
    "日本電気株式会社",
    "株式会社アイネス",
    "株式会社グラファー",
    "サイボウズ株式会社",
];
const SERVICES: [&str; 8] = [
    "LoGoフォーム",
    "kintone",
    "AI-OCR",
    "RPAツール",
    "電子申請システム",
    "窓口支援システム",
    "議事録作成AI",
    "Zoom",
];
const EVENTS: [&str; 6] = [
    "検討開始",
    "予算確保",
    "事業者選定",
    "契約締結",
    "試行運用",
    "本格運用開始",
];
const FALLBACK_SENTENCES: [&str; 6] = [
    "住民の利便性向上と職員の業務負担軽減を目的として、オンライン申請の拡充に取り組んだ。",
    "窓口での手続時間が短縮され、申請書の記入が不要となった。",
    "AI-OCRとRPAを組み合わせることで、入力作業を自動化した。",
    "庁内の推進体制を整備し、各課のDX推進員を任命した。",
    "ローコードツールを活用し、職員自らが業務アプリを作成した。",
    "導入後のアンケートでは、利用者の9割が満足と回答した。",
];

struct Args {
    n: usize,
    seed: u64,
    out: PathBuf,
    from: PathBuf,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        n: 1000,
        seed: 1,
        out: PathBuf::from("bench/out/corpus"),
        from: PathBuf::from("cases"),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--n" => args.n = value.parse().map_err(|_| format!("--n {value}: not a number"))?,
            "--seed" => args.seed = value.parse().map_err(|_| format!("--seed {value}: not a number"))?,
            "--out" => args.out = PathBuf::from(value),
            "--from" => args.from = PathBuf::from(value),
            _ => {
                return Err(format!(
                    "unknown option {flag}; options: --n N --seed S --out DIR --from DIR"
                ));
            }
        }
    }
    Ok(args)
}

/// Sentences of the real case bodies, for realistic text.
fn sample_sentences(dir: &Path) -> Vec<String> {
    let mut sentences = Vec::new();
    let mut paths: Vec<PathBuf> = walk(dir);
    paths.sort();
    for path in paths {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let body = text.split("\n---\n").nth(1).unwrap_or_default();
        for line in body
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with('|') && !l.trim().is_empty())
        {
            sentences.extend(
                line.split_inclusive('。')
                    .map(|s| s.trim().to_string())
                    .filter(|s| s.chars().count() > 8),
            );
        }
    }
    if sentences.is_empty() {
        sentences = FALLBACK_SENTENCES.iter().map(|s| s.to_string()).collect();
    }
    sentences
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
    out
}

/// A YAML double-quoted string (JSON strings are valid YAML).
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_string())
}

fn population(rng: &mut Rng) -> u64 {
    // Log-uniform from 1,000 to 3,000,000 persons, like Japan's municipalities.
    let exp = 3.0 + (rng.next() % 10_000) as f64 / 10_000.0 * 3.5;
    10f64.powf(exp).round() as u64
}

fn case_text(i: usize, rng: &mut Rng, sentences: &[String]) -> String {
    let prefectures: Vec<&str> = jirei::case::place::Prefecture::all_names().collect();
    let prefecture = *rng.pick(&prefectures);
    let is_prefecture = rng.chance(8);
    let suffix = *rng.pick(&["市", "町", "村", "市", "町"]);
    let name = format!("{}{}{}", rng.pick(&NAME_PARTS), rng.pick(&NAME_PARTS), suffix);
    let (category, sections) = *rng.pick(&CATEGORIES);
    let mut s = String::with_capacity(6_000);
    let _ = writeln!(s, "---\nid: syn-{i:06}");
    let title_tag = *rng.pick(&TAGS);
    let _ = writeln!(s, "title: {}による業務改革の取組{}", title_tag, i);
    let _ = writeln!(s, "point: {}", quoted(rng.pick(sentences).as_str()));
    let _ = writeln!(s, "organization:\n  prefecture: {prefecture}");
    if !is_prefecture {
        let _ = writeln!(s, "  name: {name}");
    }
    let count = if is_prefecture {
        500_000 + rng.below(9_000_000) as u64
    } else {
        population(rng)
    };
    let _ = writeln!(s, "population:\n  count: {count}\n  as_of: 2023-01-01");
    let _ = writeln!(s, "category: {category}\nsection: {}", rng.pick(sections));
    let tags: Vec<&str> = (0..1 + rng.below(3))
        .map(|_| *rng.pick(&TAGS))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let _ = writeln!(s, "tags: [{}]", tags.join(", "));
    let initial = match rng.below(10) {
        0 => "非公表".to_string(),
        1 => "－".to_string(),
        2 => format!("約{}千円", 1_000 + rng.below(50_000)),
        _ => (100 + rng.below(80_000)).to_string(),
    };
    let _ = writeln!(
        s,
        "cost:\n  tax: {}\n  initial: {initial}\n  running: {}",
        rng.pick(&["税込", "税抜"]),
        50 + rng.below(10_000)
    );
    let _ = writeln!(s, "schedule:\n  lead_time: {}\n  milestones:", 1 + rng.below(36));
    // Months since 令和2年1月, increasing, so milestones are chronological.
    let mut month = rng.below(48);
    for event in EVENTS.iter().take(2 + rng.below(4)) {
        let _ = writeln!(
            s,
            "    - {{date: R{}.{}, event: {event}}}",
            2 + month / 12,
            1 + month % 12
        );
        month += 1 + rng.below(5);
    }
    let _ = writeln!(
        s,
        "vendors:\n  - {{name: {}, services: [{}]}}",
        rng.pick(&VENDORS),
        rng.pick(&SERVICES)
    );
    let _ = writeln!(
        s,
        "operation_mode: {{delivery: {}, hosting: {}}}",
        rng.pick(&["パッケージ", "個別開発"]),
        rng.pick(&["クラウド", "オンプレミス"])
    );
    let _ = writeln!(
        s,
        "contact:\n  department: 企画課DX推進係\n  phone: 0{}-{}-{}\n  email: dx{i}@city.example.lg.jp",
        10 + rng.below(89),
        100 + rng.below(899),
        1000 + rng.below(8999)
    );
    let _ = writeln!(
        s,
        "effects:\n  - {}\n  - {{text: 業務時間の削減, value: {}, unit: 時間/年}}",
        quoted(rng.pick(sentences).as_str()),
        10 + rng.below(5000)
    );
    let _ = writeln!(
        s,
        "source:\n  publisher: 合成データ\n  title: ベンチマーク用合成事例\n  edited: true\n---"
    );
    for heading in ["事業の概要", "事業効果", "インタビュー"] {
        let _ = writeln!(s, "## {heading}\n");
        for _ in 0..(6 + rng.below(10)) {
            let _ = writeln!(s, "- {}", rng.pick(sentences));
        }
        s.push('\n');
    }
    s
}

fn main() -> std::process::ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("gen_corpus: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let sentences = sample_sentences(&args.from);
    let cases = args.out.join("cases");
    if let Err(e) = std::fs::create_dir_all(&cases) {
        eprintln!("gen_corpus: cannot create {}: {e}", cases.display());
        return std::process::ExitCode::from(1);
    }
    let mut rng = Rng(args.seed);
    let mut bytes = 0;
    for i in 0..args.n {
        let text = case_text(i, &mut rng, &sentences);
        bytes += text.len();
        if let Err(e) = std::fs::write(cases.join(format!("syn-{i:06}.md")), text) {
            eprintln!("gen_corpus: {e}");
            return std::process::ExitCode::from(1);
        }
    }
    println!(
        "wrote {} cases ({:.1} MB) to {} from {} sample sentences",
        args.n,
        bytes as f64 / 1e6,
        cases.display(),
        sentences.len()
    );
    std::process::ExitCode::SUCCESS
}
