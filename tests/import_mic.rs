//! Imports the real publication (../shared/seeds/003_…, beside the repository) and checks the
//! generated files: every file parses with the case model, nothing of the
//! source text is lost, and the output is deterministic.

use std::collections::BTreeSet;
use std::path::Path;

use jirei::case::band::BandScheme;
use jirei::import::mic;

const SEED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seeds/003_b7b77d4349d817ea.txt");

fn seed_text() -> String {
    std::fs::read_to_string(SEED).expect("the seed documents must be in ../shared/seeds beside the repository")
}

/// Labels the importer turns into structure (front matter keys, table
/// headings) rather than copying.
const LABELS: [&str; 14] = [
    "検討開始から導入までの期間",
    "スケジュールの内訳",
    "スケジュールの内容",
    "サービス提供事業者",
    "サービス名",
    "運用形態",
    "その他参画主体",
    "イニシャルコスト",
    "ランニングコスト1年あたり",
    "※税抜",
    "※税込",
    "担当部署",
    "電話",
    "メール",
];

/// Text reduced to what must survive: no spaces, markup, list markers or
/// structural labels.
fn fingerprint(text: &str) -> String {
    let text = text
        .replace("**", "")
        .replace("<br>", "")
        .replace("\\|", "")
        .replace("\\", "");
    let mut text: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && !"|-・*<>()（）#:：、➤▶～~".contains(*c))
        .collect();
    for label in LABELS {
        text = text.replace(label, "");
    }
    text
}

/// The fragments of a source line that must appear in some output file.
fn fragments(line: &str) -> Vec<String> {
    let stripped = strip_tags(line);
    stripped
        .split(['\t', '\n'])
        .map(|f| f.trim())
        .map(|f| f.trim_start_matches("(内訳)").trim_start_matches("(備考)").trim())
        .map(fingerprint)
        .filter(|f| f.chars().count() >= 6)
        .collect()
}

fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' if !in_tag => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push('\n');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// `JIREI_IMPORT_OUT=cases cargo test --test import_mic write_cases_when_asked`
/// writes the generated files (with `JIREI_IMPORT_FORCE=1` to overwrite),
/// until the CLI's `jirei import mic` is wired to the library.
#[test]
fn write_cases_when_asked() {
    // Writes the cases only when asked (JIREI_IMPORT_OUT=cases); otherwise nothing to do.
    let Ok(out) = std::env::var("JIREI_IMPORT_OUT") else {
        return;
    };
    let text = seed_text();
    let result = mic::import(&text).expect("import");
    let force = std::env::var("JIREI_IMPORT_FORCE").is_ok_and(|v| v == "1");
    let written = jirei::import::write_cases(Path::new(&out), &result.files(), force).expect("write");
    println!("{}", jirei::import::summary::render(&result, Some(&written)));
}

#[test]
fn all_82_cases_are_imported_and_parse_with_the_case_model() {
    let text = seed_text();
    let result = mic::import(&text).expect("import");
    assert_eq!(result.cases.len(), 82);
    let per_chapter = |c: &str| result.cases.iter().filter(|f| f.file_name.starts_with(c)).count();
    assert_eq!((per_chapter("1-"), per_chapter("2-"), per_chapter("3-")), (13, 22, 47));
    let names: BTreeSet<&str> = result.cases.iter().map(|c| c.file_name.as_str()).collect();
    assert_eq!(names.len(), 82, "file names are unique");
    for case in &result.cases {
        let path = Path::new("cases").join(&case.file_name);
        let parsed = jirei::case::parse(&path, &case.text, &BandScheme::mic())
            .unwrap_or_else(|d| panic!("{}: {d:?}", case.file_name));
        for warning in &parsed.warnings {
            // The only check warning allowed: a population the text lacks.
            assert!(
                warning.message.contains("population"),
                "{}: {}",
                case.file_name,
                warning.message
            );
            assert!(!case.text.contains("\npopulation:"), "{}", case.file_name);
        }
    }
}

#[test]
fn the_import_is_deterministic() {
    let text = seed_text();
    let a = mic::import(&text).expect("import").files();
    let b = mic::import(&text).expect("import").files();
    assert_eq!(a, b);
}

#[test]
fn no_sentence_of_the_source_is_lost() {
    let text = seed_text();
    let result = mic::import(&text).expect("import");
    let output: String = result.cases.iter().map(|c| fingerprint(&c.text)).collect();
    let first_case = text.find("\n1 「山口県デジタル・ガバメント構築連携会議」").unwrap_or(0);
    let mut lost = Vec::new();
    let mut skipping = false;
    for line in text[first_case..].lines() {
        let t = line.trim();
        // Chapter title, TOC and layout pages are not case text.
        if t.starts_with("自治体DX推進参考事例集") || t.contains("参考事例集 目次") || t.ends_with("参考事例集の構成")
        {
            skipping = true;
        }
        if skipping {
            if jirei_title_number(t) == Some(1) {
                skipping = false;
            } else {
                continue;
            }
        }
        if jirei_title_number(t).is_some() {
            continue;
        }
        for fragment in fragments(t) {
            if !output.contains(&fragment) {
                lost.push(fragment);
            }
        }
    }
    assert!(
        lost.is_empty(),
        "{} fragments lost, e.g.:\n{}",
        lost.len(),
        lost.iter().take(40).cloned().collect::<Vec<_>>().join("\n")
    );
}

fn jirei_title_number(line: &str) -> Option<u32> {
    if !line.ends_with('】') || !line.contains('【') {
        return None;
    }
    line.split_whitespace().next()?.parse().ok()
}

#[test]
fn every_file_in_cases_parses_including_the_hand_written_ones() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("cases");
    let Ok(entries) = std::fs::read_dir(&dir) else { return };
    let mut hand_written = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        let text = std::fs::read_to_string(&path).expect("UTF-8 case file");
        let case = jirei::case::parse(&path, &text, &BandScheme::mic())
            .unwrap_or_else(|d| panic!("{}: {d:?}", path.display()));
        assert!(
            case.front.source.as_ref().is_some_and(|s| s.edited),
            "{}: source with edited: true",
            path.display()
        );
        if case.id.starts_with("x-") {
            hand_written += 1;
        }
    }
    assert!(hand_written >= 3, "three hand-written cases");
}
