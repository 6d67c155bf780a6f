//! Tests of the cost table reader on the shapes found in the publication.

use super::*;
use crate::case::money::AmountKind;

fn thousand(side: &Option<CostSide>) -> Option<u64> {
    side.as_ref()?.amount?.thousand_yen
}

#[test]
fn two_column_table_with_breakdown_and_notes() {
    let lines = [
        "※主にシステム導入等",
        "に係るコストを記載",
        "イニシャルコスト ※税抜\t26,700千円\tランニングコスト(1年あたり) ※税抜\t875千円",
        "(内訳) ・システム製作費\t20,927千円\t(内訳) ・保守費用\t840千円",
        "・タブレット端末・プリンター他\t273千円\t・SSL証明書\t35千円",
        "3式導入費\t\t\t",
        "・グループウェア改修費\t5,500千円\t\t",
        "(備考) 新型コロナウイルス感染症対応地方創生臨時交付金による補助額：12,489千円\t\t(備考)\t",
    ];
    let cost = parse(&lines).expect("cost");
    let initial = cost.initial.as_ref().expect("initial");
    assert_eq!(thousand(&cost.initial), Some(26_700));
    assert_eq!(thousand(&cost.running), Some(875));
    assert_eq!(initial.tax, Some(Tax::Excluded));
    let items: Vec<(&str, Option<u64>)> = initial
        .breakdown
        .iter()
        .map(|b| (b.item.as_str(), b.amount.and_then(|a| a.thousand_yen)))
        .collect();
    assert_eq!(
        items,
        [
            ("システム製作費", Some(20_927)),
            ("タブレット端末・プリンター他3式導入費", Some(273)),
            ("グループウェア改修費", Some(5_500))
        ]
    );
    assert_eq!(
        initial.notes,
        ["新型コロナウイルス感染症対応地方創生臨時交付金による補助額：12,489千円"]
    );
    assert_eq!(cost.running.as_ref().map(|r| r.breakdown.len()), Some(2));
}

#[test]
fn undisclosed_and_none_are_kinds_not_numbers() {
    let cost = parse(&["イニシャルコスト ※税抜\t－円\tランニングコスト(1年あたり) ※税抜\t(非公表)"]).expect("cost");
    assert_eq!(
        cost.initial.and_then(|s| s.amount).map(|a| a.kind),
        Some(AmountKind::None)
    );
    assert_eq!(
        cost.running.and_then(|s| s.amount).map(|a| a.kind),
        Some(AmountKind::Undisclosed)
    );
}

#[test]
fn one_cell_per_line_with_both_headers_first() {
    let lines = [
        "イニシャルコスト ※税抜",
        "－円",
        "ランニングコスト(1年あたり) ※税抜",
        "(非公表)",
        "(内訳)",
        "－円",
        "(内訳)",
        "(備考)",
        "(備考)",
    ];
    let cost = parse(&lines).expect("cost");
    assert_eq!(
        cost.initial.as_ref().and_then(|s| s.amount).map(|a| a.kind),
        Some(AmountKind::None)
    );
    assert_eq!(
        cost.running.as_ref().and_then(|s| s.amount).map(|a| a.kind),
        Some(AmountKind::Undisclosed)
    );
    assert!(cost.initial.as_ref().is_some_and(|s| s.breakdown.is_empty()));
}

#[test]
fn one_column_after_the_other_with_approximate_amounts() {
    let lines = [
        "イニシャルコスト ※税抜 約13,400千円",
        "(内訳) ・WinActor/AI-OCR導入費 約8,800千円",
        " ・BizRobo!Basic導入費 約4,600千円",
        "(備考)",
        "ランニングコスト(1年あたり) ※税抜 約14,100千円",
        "(内訳) ・WinActor/AI-OCR運用費 約8,900千円",
    ];
    let cost = parse(&lines).expect("cost");
    let initial = cost.initial.as_ref().expect("initial");
    assert_eq!(
        initial.amount.map(|a| (a.kind, a.thousand_yen)),
        Some((AmountKind::Approximate, Some(13_400)))
    );
    assert_eq!(initial.breakdown.len(), 2);
    assert_eq!(initial.breakdown[1].item, "BizRobo!Basic導入費");
    assert_eq!(thousand(&cost.running), Some(14_100));
}

#[test]
fn item_and_amount_on_separate_lines_are_joined() {
    let lines = [
        "イニシャルコスト ※税抜 110千円",
        "(内訳) ・チャットツール連携費用",
        "(初期費用)",
        "110千円",
        "(備考)",
    ];
    let cost = parse(&lines).expect("cost");
    let initial = cost.initial.expect("initial");
    assert_eq!(initial.breakdown.len(), 1);
    assert_eq!(initial.breakdown[0].item, "チャットツール連携費用(初期費用)");
    assert_eq!(initial.breakdown[0].amount.and_then(|a| a.thousand_yen), Some(110));
}

#[test]
fn amounts_that_cannot_be_calculated_are_kept_as_such() {
    let cost =
        parse(&["イニシャルコスト ※税抜\t約160,000千円\tランニングコスト(1年あたり) ※税抜\t(算定不可)"]).expect("cost");
    let running = cost.running.expect("running");
    assert_eq!(running.amount, Some(Amount::NOT_CALCULABLE));
    assert_eq!(running.printed, "(算定不可)");
}

#[test]
fn headers_without_amounts_take_the_next_row() {
    let lines = [
        "イニシャルコスト ※税抜\tランニングコスト(1年あたり) ※税抜",
        "－円\t2,109千円",
        "(内訳)\t(内訳)",
        "－円\t・スマホ市役所利用料 (150千円/月) 1,800千円",
    ];
    let cost = parse(&lines).expect("cost");
    assert_eq!(thousand(&cost.running), Some(2_109));
    let running = cost.running.expect("running");
    assert_eq!(running.breakdown[0].item, "スマホ市役所利用料 (150千円/月)");
}

#[test]
fn a_note_that_mentions_running_costs_is_not_a_header() {
    let lines = [
        "イニシャルコスト ※税込\t42,250千円\tランニングコスト(1年あたり) ※税込\t58,000千円",
        "(備考) 交付金による補助額：37,379千円(初年度ランニング含む)\t\t(備考)\t",
    ];
    let cost = parse(&lines).expect("cost");
    assert_eq!(cost.running.as_ref().and_then(|r| r.tax), Some(Tax::Included));
    assert_eq!(thousand(&cost.running), Some(58_000));
    assert_eq!(
        cost.initial.map(|i| i.notes),
        Some(vec!["交付金による補助額：37,379千円(初年度ランニング含む)".to_string()])
    );
}

#[test]
fn several_items_in_one_cell_or_html_list_are_split() {
    let lines = [
        "イニシャルコスト ※税抜\t－円\tランニングコスト(1年あたり) ※税抜\t7,527千円",
        "(内訳)\t－円\t(内訳)\t<ul style=\"list-style-type: none\"> ・RPA運用支援、ライセンス 6,809千円 ・kintone（20アカウント） 208千円",
    ];
    let running = parse(&lines).and_then(|c| c.running).expect("running");
    let items: Vec<(&str, Option<u64>)> = running
        .breakdown
        .iter()
        .map(|b| (b.item.as_str(), b.amount.and_then(|a| a.thousand_yen)))
        .collect();
    assert_eq!(
        items,
        [
            ("RPA運用支援、ライセンス", Some(6_809)),
            ("kintone（20アカウント）", Some(208))
        ]
    );
    assert_eq!(
        split_items("・AWS・ETLサーバー構築 6,750千円"),
        ["・AWS・ETLサーバー構築 6,750千円"]
    );
}
