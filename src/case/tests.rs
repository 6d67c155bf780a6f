//! Tests of [`super::parse`] on whole case texts.

use super::*;

const GOOD: &str = "---
id: 3-01-kagamino
title: 書かない窓口の導入
point: 申請書を書かずに手続きできる窓口
organization:
  prefecture: 岡山県
  name: 鏡野町
  code: \"336068\"
population:
  count: 12000
  as_of: 2023-01-01
category: 内部DX
section: ②窓口改革
tags: [窓口改革, 書かない窓口]
cost:
  tax: 税込
  initial: 約13,400千円
  running:
    amount: 2400
    breakdown:
      - {item: 保守費, amount: 2400}
schedule:
  lead_time: 1年1か月
  milestones:
    - {date: R2.8, event: 予算確保}
    - {date: R3.9, event: 運用開始}
vendors:
  - {name: 株式会社サンプル, services: [窓口支援システム]}
operation_mode: {delivery: パッケージ, hosting: クラウド}
contact:
  department: 総務課
  phone: 0868-54-2111
  email: soumu@town.kagamino.lg.jp
effects:
  - 窓口の待ち時間が半減
  - {text: 年間の作業時間を削減, value: 500, unit: 時間/年}
links:
  - {title: 町のページ, url: \"https://www.town.kagamino.lg.jp/\"}
source:
  publisher: 総務省
  title: 自治体DX推進参考事例集【第2.0版】
  chapter: 3. 内部DX
  number: 1
  page: 120
  published: 2024-04-24
  edited: true
---
## 事業の概要
本文
";

fn parse_str(text: &str) -> Result<Case, Vec<Diagnostic>> {
    parse(Path::new("cases/x.md"), text, &BandScheme::mic())
}

fn first_error(text: &str) -> Diagnostic {
    match parse_str(text) {
        Ok(case) => panic!("expected an error, parsed {}", case.id),
        Err(diagnostics) => diagnostics.into_iter().find(Diagnostic::is_error).expect("an error"),
    }
}

fn replace(from: &str, to: &str) -> String {
    assert!(GOOD.contains(from), "{from}");
    GOOD.replacen(from, to, 1)
}

#[test]
fn a_complete_case_parses_with_every_field() {
    let case = parse_str(GOOD).expect("valid case");
    assert_eq!(case.id, "3-01-kagamino");
    assert_eq!(case.full_organization_name(), "岡山県鏡野町");
    assert_eq!(case.region(), "中国");
    assert_eq!(case.band.as_deref(), Some("10k-50k"));
    assert_eq!(case.kind, OrgKind::Town);
    assert_eq!(case.initial_cost(), Some(13_400));
    assert_eq!(case.running_cost(), Some(2_400));
    assert_eq!(case.lead_time_months(), Some(13));
    let schedule = case.front.schedule.as_ref().expect("schedule");
    assert_eq!(schedule.milestones[0].date.value.to_iso(), "2020-08");
    assert_eq!(case.front.effects[1].value, Some(500.0));
    assert_eq!(
        case.front.source.as_ref().map(|s| s.credit_line()).as_deref(),
        Some("出典：総務省『自治体DX推進参考事例集【第2.0版】』を加工して作成")
    );
    assert_eq!(case.body, "## 事業の概要\n本文\n");
    assert_eq!(case.body_line, 48);
    assert!(case.warnings.is_empty(), "{:?}", case.warnings);
}

#[test]
fn unknown_key_is_an_error_with_a_suggestion() {
    let d = first_error(&replace("vendors:", "vendr:"));
    assert_eq!(d.message, "unknown key `vendr`");
    assert_eq!(d.help.as_deref(), Some("did you mean `vendors`?"));
    assert_eq!((d.line, d.column), (27, 1));
}

#[test]
fn unknown_nested_key_is_reported_at_its_line() {
    let d = first_error(&replace("  department: 総務課", "  departmnt: 総務課"));
    assert_eq!(d.help.as_deref(), Some("did you mean `department`?"));
    assert_eq!(d.line, 31);
}

#[test]
fn population_in_man_units_is_a_type_error_with_the_conversion() {
    let d = first_error(&replace(
        "population:\n  count: 12000\n  as_of: 2023-01-01",
        "population: 約1.2万",
    ));
    assert!(d.message.contains("population: 12000"), "{}", d.message);
    assert_eq!(d.line, 9);
}

#[test]
fn band_contradicting_population_is_an_error_at_the_band() {
    let d = first_error(&replace("category: 内部DX", "band: over-300k\ncategory: 内部DX"));
    assert!(d.message.contains("contradicts"), "{}", d.message);
    assert!(d.message.contains("10k-50k"), "{}", d.message);
    assert_eq!((d.line, d.column), (12, 7));
}

#[test]
fn unknown_band_suggests_the_closest_id() {
    let d = first_error(&replace("category: 内部DX", "band: 10k-50K\ncategory: 内部DX"));
    assert_eq!(d.help.as_deref(), Some("did you mean `10k-50k`?"));
}

#[test]
fn malformed_era_date_is_reported_at_the_milestone() {
    let d = first_error(&replace("R3.9", "H31.9"));
    assert!(d.message.contains("does not exist"), "{}", d.message);
    assert_eq!(d.line, 26);
}

#[test]
fn bad_amount_email_url_and_code_are_errors() {
    assert!(
        first_error(&replace("約13,400千円", "たくさん"))
            .message
            .contains("not an amount")
    );
    assert!(first_error(&replace("soumu@", "soumu＠")).message.contains("e-mail"));
    assert!(
        first_error(&replace("\"https://www.town.kagamino.lg.jp/\"", "javascript:alert(1)"))
            .message
            .contains("web address")
    );
    assert!(
        first_error(&replace("336068", "336061"))
            .message
            .contains("check digit")
    );
    assert!(
        first_error(&replace("336068", "131148"))
            .message
            .contains("another prefecture")
    );
}

#[test]
fn unquoted_code_with_leading_zero_stays_text() {
    let text = replace(
        "prefecture: 岡山県\n  name: 鏡野町\n  code: \"336068\"",
        "prefecture: 福島県\n  code: 070009",
    );
    let text = text.replace("population:\n  count: 12000", "population:\n  count: 1819000");
    let case = parse_str(&text).expect("valid");
    assert_eq!(case.kind, OrgKind::Prefecture);
    assert_eq!(case.band.as_deref(), Some("prefecture"));
}

#[test]
fn misspelt_prefecture_gets_a_suggestion() {
    let d = first_error(&replace("岡山県", "岡山件"));
    assert_eq!(d.help.as_deref(), Some("did you mean `岡山県`?"));
}

#[test]
fn missing_fences_and_empty_files_are_explained() {
    assert!(first_error("").message.contains("empty"));
    assert!(first_error("title: x\n").message.contains("does not start with `---`"));
    assert!(first_error("---\ntitle: x\n").message.contains("not closed"));
    assert!(first_error("---\n---\n").message.contains("front matter is empty"));
    assert!(
        first_error("---\njust text\n---\n")
            .help
            .unwrap_or_default()
            .contains("key: value"),
        "{:?}",
        first_error("---\njust text\n---\n")
    );
}

#[test]
fn malformed_yaml_points_at_the_line() {
    let d = first_error(&replace(
        "tags: [窓口改革, 書かない窓口]",
        "tags: [窓口改革, 書かない窓口",
    ));
    assert!(d.line >= 15, "{d:?}");
}

#[test]
fn file_names_that_cannot_be_ids_are_errors() {
    let text = GOOD.replace("id: 3-01-kagamino\n", "");
    let result = parse(Path::new("cases/書かない 窓口.md"), &text, &BandScheme::mic());
    let errors = result.err().unwrap_or_default();
    assert!(
        errors.iter().any(|d| d.message.contains("cannot serve as the case id")),
        "{errors:?}"
    );
}

#[test]
fn missing_population_and_source_are_warnings_not_errors() {
    let text = replace("population:\n  count: 12000\n  as_of: 2023-01-01\n", "");
    let cut = text.find("source:").unwrap_or(text.len());
    let end = text.find("---\n## ").unwrap_or(text.len());
    let text = format!("{}{}", &text[..cut], &text[end..]);
    let case = parse_str(&text).expect("warnings only");
    assert_eq!(case.band, None);
    assert_eq!(case.warnings.len(), 2, "{:?}", case.warnings);
}
