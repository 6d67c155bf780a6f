//! The browser search agrees with `jirei search`: the bundled site is built
//! with the real binary, then every judged query of
//! `tests/relevance/queries.toml` (with its filters) and the extra queries
//! below run through the page's engine under node and through the CLI. The
//! top 10 must be the same cases in the same order with the same scores,
//! and totals and disjunctive facet counts must be equal; a query the CLI
//! refuses must be refused by the page too.

#[path = "client/common.rs"]
mod client;

use client::*;
use serde_json::Value;

#[path = "relevance/judgments.rs"]
mod judgments;

fn judged_requests() -> Vec<Request> {
    judgments::load()
        .iter()
        .map(|j| {
            let mut r = Request::query(&j.q);
            for (name, values) in j.facets() {
                r.facets.push((name.to_string(), values.clone()));
            }
            if let Some(p) = &j.population {
                let (lo, hi) = p.split_once("..").expect("range");
                r = r.range("population", lo.parse().ok(), hi.parse().ok());
            }
            r
        })
        .collect()
}

/// Queries beyond the judged set: other words, particles, widths, kana,
/// synonyms, several groups, phrases, every filter, sort and peers.
fn extra_requests() -> Vec<Request> {
    let words = [
        "電子申請 マイナンバーカード",
        "議会のタブレット",
        "オンライン会議",
        "ＡＩ　ＯＣＲ",
        "チャットボット",
        "窓口 キャッシュレス 決済",
        "「電子決裁」",
        "\"オンライン 申請\"",
        "でじたる",
        "ドローン 点検 橋梁",
        "テレワーク 研修",
        "スマートフォン",
        "デジタル人材",
        "LINE",
        "RPA 財務会計",
        "生成AI",
        "住民票 コンビニ交付",
        "職員の負担軽減",
        "業務改革",
        "情報システム標準化",
        "ガバメントクラウド",
        "防災 アプリ",
        "子育て支援",
        "ノーコードツール",
        "kintone",
        "ｷｬｯｼｭﾚｽ決済",
        "メタバース空間",
        "書かない",
        "まどぐち",
        "働き方改革",
        "観光 DX",
        "人材育成 研修 職員",
        "地域おこし協力隊",
        "AI 議事録",
        "押印廃止",
        "庁内 ネットワーク 無線LAN",
        "オープンデータ",
        "の",
        "「窓口",
        "🙂",
        "窓口。RPA",
        "マイナカード申請",
    ];
    let mut out: Vec<Request> = words.iter().map(|q| Request::query(q)).collect();
    out.extend([
        Request::query("窓口").facet("tags", &["窓口改革"]),
        Request::query("DX").facet("prefecture", &["北海道", "大阪府"]),
        Request::query("")
            .facet("region", &["関東"])
            .facet("category", &["内部DX"]),
        Request::query("システム").range("initial_cost", Some(1000), Some(50_000)),
        Request::query("").range("lead_time", None, Some(12)).sort("lead-time"),
        Request::query("研修").sort("population"),
        Request::query("電子").sort("initial-cost"),
        Request::query("")
            .sort("population")
            .facet("band", &["under-10k", "10k-50k"]),
        Request::query("窓口").near(20_000),
        Request::query("").near(50_000),
        Request::query("").near(300_000).facet("band", &["over-300k"]),
        Request::query("オンライン").range("running_cost", Some(1), None),
        Request::query("").facet("operation_mode", &["パッケージ／クラウド"]),
        Request::query("AI")
            .facet("vendors", &["NTTデータ"])
            .range("population", Some(100_000), None),
    ]);
    out
}

fn ids(v: &Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|h| h["id"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn scores(v: &Value) -> Vec<f64> {
    v["hits"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|h| h["score"].as_f64().unwrap_or(f64::NAN))
        .collect()
}

#[test]
fn browser_and_cli_give_the_same_top_10_totals_and_facets() {
    let collection = bundled_collection();
    let site = build_site(collection.path(), &[]);
    let judged = judged_requests();
    assert!(judged.len() >= 50, "the judged set has {} queries", judged.len());
    let requests: Vec<Request> = judged.iter().cloned().chain(extra_requests()).collect();
    let engine_requests: Vec<Value> = requests.iter().map(|r| r.to_engine(10)).collect();
    let answers = browser_search(&site, &engine_requests);
    let mut failures = Vec::new();
    let mut same_set = 0;
    for (request, browser) in requests.iter().zip(&answers) {
        let label = format!("{:?} {:?}", request.query, request.to_cli(10));
        match cli_search(collection.path(), request, 10) {
            Err(message) => {
                if browser.get("error").is_none() {
                    failures.push(format!(
                        "{label}: the CLI refuses ({}) but the page answers",
                        message.trim()
                    ));
                }
            }
            Ok(cli) => {
                if let Some(error) = browser.get("error") {
                    failures.push(format!("{label}: the page refuses ({error}) but the CLI answers"));
                    continue;
                }
                let browser_ids: Vec<String> = browser["ids"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|v| v.as_str().unwrap_or_default().to_string())
                    .collect();
                let mut a = ids(&cli);
                let mut b = browser_ids.clone();
                if a == b
                    && scores(&cli)
                        == browser["scores"].as_array().map_or(vec![], |s| {
                            s.iter().map(|x| x.as_f64().unwrap_or(f64::NAN)).collect::<Vec<_>>()
                        })
                {
                    same_set += 1;
                } else {
                    a.sort();
                    b.sort();
                    if a == b {
                        same_set += 1;
                    }
                    failures.push(format!(
                        "{label}: top 10 differ\n  cli  {:?} {:?}\n  page {browser_ids:?} {}",
                        ids(&cli),
                        scores(&cli),
                        browser["scores"]
                    ));
                }
                if cli["total"] != browser["total"] {
                    failures.push(format!("{label}: total {} vs {}", cli["total"], browser["total"]));
                }
                if cli["facets"] != browser["facets"] {
                    failures.push(format!(
                        "{label}: facet counts differ\n  cli  {}\n  page {}",
                        cli["facets"], browser["facets"]
                    ));
                }
            }
        }
    }
    println!(
        "{} of {} requests ({} judged) agree; {same_set} with the same top-10 set",
        requests.len() - failures.len(),
        requests.len(),
        judged.len()
    );
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
