//! `jirei build`, run as the real binary on the site fixtures: pages,
//! sorting, exports, safety of case content, drafts and base-URL handling
//! (failures and theme overrides: `site_build_failures.rs`).

#[path = "site_common.rs"]
mod common;

use std::fs;
use std::path::Path;

use common::*;

fn json(out: &Path) -> serde_json::Value {
    serde_json::from_str(&read(out, "cases.json")).expect("cases.json parses")
}

fn ids(json: &serde_json::Value) -> Vec<String> {
    json["cases"]
        .as_array()
        .expect("cases array")
        .iter()
        .map(|c| c["id"].as_str().expect("id").to_string())
        .collect()
}

#[test]
fn every_case_and_every_listing_has_a_page() {
    let (_tmp, out) = built(&site_fixture(), &[]);
    let data = json(&out);
    assert_eq!(data["count"], 8);
    for case in data["cases"].as_array().expect("cases") {
        let href = case["href"].as_str().expect("href");
        assert!(out.join(resolve(Path::new("index.html"), href)).is_file(), "{href}");
        let mut links = vec![
            &case["category"]["href"],
            &case["organization"]["prefecture"]["href"],
            &case["organization"]["region"]["href"],
        ];
        links.extend(case["tags"].as_array().into_iter().flatten().map(|t| &t["href"]));
        links.extend(case["vendors"].as_array().into_iter().flatten().map(|v| &v["href"]));
        links.extend([&case["band"]["href"], &case["section"]["href"]]);
        for link in links.into_iter().filter_map(|l| l.as_str()) {
            assert!(out.join(resolve(Path::new("index.html"), link)).is_file(), "{link}");
        }
    }
    for page in [
        "index.html",
        "404.html",
        "all/index.html",
        "category/index.html",
        "band/index.html",
        "region/index.html",
        "prefecture/index.html",
        "tag/index.html",
        "vendor/index.html",
        "band/10k-50k/index.html",
        "band/prefecture/index.html",
        "prefecture/岡山県/index.html",
        "region/中国/index.html",
        "category/内部DX/②窓口改革/index.html",
        "tag/書かない窓口/index.html",
        "tag/AI／RPA/index.html",
        "vendor/株式会社サンプル情報システム/index.html",
        "assets/style.css",
        "assets/print.css",
    ] {
        assert!(out.join(page).is_file(), "{page} missing");
    }
    let tag_page = read(&out, "tag/マイナンバーカード/index.html");
    assert!(tag_page.contains("書かない窓口の導入") && tag_page.contains("電子申請の拡充"));
}

#[test]
fn the_case_page_shows_every_structured_field() {
    let (_tmp, out) = built(&site_fixture(), &[]);
    let page = read(&out, "cases/kagamino-kakanai-madoguchi/index.html");
    for expected in [
        "岡山県鏡野町（町）",
        "団体コード 336068",
        "12,062人",
        "2023-01-01 現在",
        "1万人以上5万人未満",
        ">内部DX<",
        "②窓口改革",
        "マイナンバーカード",
        "約13,400千円",
        "（税込）",
        "システム導入費：9,800千円",
        "デジタル田園都市国家構想交付金",
        "2,400千円",
        "1年1か月",
        "R2.10~12",
        "（2020-10/2020-12）",
        "令和3年9月",
        "（2021-09）",
        "株式会社サンプル情報システム",
        "書かない窓口システム",
        "パッケージ／クラウド",
        "岡山県デジタル推進課",
        "総務課 情報政策係",
        "0868-54-2111",
        "mailto:joho@town.kagamino.example.lg.jp",
        "1,200時間/年",
        "鏡野町 書かない窓口のご案内",
        "令和4年度 自治体DX推進優良事例",
        "出典：総務省『自治体DX推進参考事例集【第2.0版】』を加工して作成",
        "類似事例",
        "<table>",
    ] {
        assert!(page.contains(expected), "case page lacks {expected}");
    }
}

#[test]
fn similar_cases_prefer_the_same_section_and_tags() {
    let (_tmp, out) = built(&site_fixture(), &[]);
    let page = read(&out, "cases/kurashiki-denshi-shinsei/index.html");
    let similar = &page[page.find("類似事例").expect("similar section")..];
    let minato = similar.find("cases/minato-unsafe-html/").expect("same section and tag");
    let kagamino = similar
        .find("cases/kagamino-kakanai-madoguchi/")
        .expect("shared tag and vendor");
    let kawanishi = similar.find("cases/kawanishi-rpa/").unwrap_or(usize::MAX);
    assert!(minato < kawanishi && kagamino < kawanishi, "{similar}");
    assert!(
        !similar.contains("cases/kurashiki-denshi-shinsei/"),
        "not similar to itself"
    );
}

/// The `data-*` values of the table rows, in order.
fn column(html: &str, attribute: &str) -> Vec<Option<u64>> {
    let needle = format!(" {attribute}=\"");
    html.lines()
        .filter(|l| l.starts_with("<tr data-id="))
        .map(|l| {
            let start = l.find(&needle).expect("attribute") + needle.len();
            let value = &l[start..start + l[start..].find('"').expect("quote")];
            value.parse().ok()
        })
        .collect()
}

#[test]
fn the_all_cases_table_is_sorted_per_order() {
    let (_tmp, out) = built(&site_fixture(), &[]);
    for (slug, attribute) in [
        ("population", "data-population"),
        ("initial-cost", "data-initial-cost"),
        ("running-cost", "data-running-cost"),
        ("lead-time", "data-lead-time"),
    ] {
        for descending in [false, true] {
            let page = format!("all/{slug}-{}/index.html", if descending { "desc" } else { "asc" });
            let values = column(&read(&out, &page), attribute);
            assert_eq!(values.len(), 8, "{page}: every case is a row");
            let known: Vec<u64> = values.iter().map_while(|v| *v).collect();
            assert!(
                values[known.len()..].iter().all(Option::is_none),
                "{page}: unknown values last: {values:?}"
            );
            let mut sorted = known.clone();
            sorted.sort_unstable();
            if descending {
                sorted.reverse();
            }
            assert_eq!(known, sorted, "{page}");
            assert!(known.len() >= 3, "{page}: the fixture has figures to sort");
        }
    }
    let default = read(&out, "all/index.html");
    let rows: Vec<&str> = default.lines().filter(|l| l.starts_with("<tr data-id=")).collect();
    assert!(rows[0].contains("sarabetsu-cdo"), "北海道 first: {rows:?}");
    let population_desc = read(&out, "all/population-desc/index.html");
    assert!(population_desc.contains("aria-sort=\"descending\""));
    assert!(population_desc.contains("<strong aria-current=\"page\">人口（多い順）</strong>"));
}

#[test]
fn the_csv_opens_in_excel_and_has_one_row_per_case() {
    let (_tmp, out) = built(&site_fixture(), &[]);
    let bytes = fs::read(out.join("cases.csv")).expect("cases.csv");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM");
    assert!(String::from_utf8_lossy(&bytes).contains("\r\n"), "CRLF line ends");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header = reader.headers().expect("header").clone();
    assert_eq!(header.get(0), Some("ID"));
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 8);
    assert!(rows.iter().all(|r| r.len() == header.len()));
    let column = |name: &str| header.iter().position(|h| h == name).expect(name);
    let kagamino = rows
        .iter()
        .find(|r| &r[0] == "kagamino-kakanai-madoguchi")
        .expect("row");
    assert_eq!(&kagamino[column("人口")], "12062");
    assert_eq!(&kagamino[column("イニシャルコスト（千円）")], "13400");
    assert_eq!(&kagamino[column("イニシャルコスト")], "約13,400千円");
    assert_eq!(&kagamino[column("タグ")], "書かない窓口、窓口改革、マイナンバーカード");
    assert_eq!(&kagamino[column("検討開始から導入までの期間（月）")], "13");
    let minato = rows.iter().find(|r| &r[0] == "minato-unsafe-html").expect("row");
    assert_eq!(&minato[column("タイトル")], "区民ポータルの刷新 <b>太字</b> & \"引用\"");
}

#[test]
fn the_json_export_has_the_structured_fields() {
    let (_tmp, out) = built(&site_fixture(), &[]);
    let data = json(&out);
    let kagamino = &data["cases"][ids(&data)
        .iter()
        .position(|i| i == "kagamino-kakanai-madoguchi")
        .expect("case")];
    assert_eq!(kagamino["population"]["count"], 12062);
    assert_eq!(kagamino["cost"]["initial"]["thousand_yen"], 13400);
    assert_eq!(kagamino["cost"]["initial"]["kind"], "approximate");
    assert_eq!(kagamino["schedule"]["lead_time_months"], 13);
    assert_eq!(kagamino["schedule"]["milestones"][0]["iso"], "2020-08");
    assert_eq!(kagamino["url"], "/dx-jirei/cases/kagamino-kakanai-madoguchi/index.html");
    assert!(kagamino.get("body_html").is_none());
}

#[test]
fn scripts_and_javascript_links_in_case_bodies_do_not_survive() {
    let (_tmp, out) = built(&site_fixture(), &[]);
    let page = read(&out, "cases/minato-unsafe-html/index.html");
    let lower = page.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "script tag survived");
    assert!(!lower.contains("javascript:"), "javascript: URL survived");
    assert!(!lower.contains("onerror") && !lower.contains("onclick"));
    assert!(!lower.contains("tracker.example.com/pixel"), "remote image survived");
    assert!(
        page.contains("危険なリンク") && page.contains("生のリンク"),
        "link text is kept"
    );
    assert!(page.contains("href=\"https://www.city.minato.example.lg.jp/\""));
    // Front-matter text is escaped, not interpreted.
    assert!(page.contains("<h1>区民ポータルの刷新 &lt;b&gt;太字&lt;/b&gt; &amp; &quot;引用&quot;</h1>"));
    assert!(page.contains("&lt;script&gt;alert(&quot;point&quot;)&lt;/script&gt;"));
    for (path, html) in html_pages(&out) {
        assert!(!html.to_ascii_lowercase().contains("javascript:"), "{}", path.display());
    }
}

#[test]
fn template_syntax_in_cases_is_printed_literally() {
    let (_tmp, out) = built(&site_fixture(), &[]);
    let page = read(&out, "cases/munakata-template-syntax/index.html");
    for literal in [
        "<h1>{{ site.title }} と {% if true %}テンプレート構文{% endif %}を含む事例</h1>",
        "要約にも {{ case.id }} を書く",
        "本文の {{ body }} と {% for x in cases %}繰り返し{% endfor %} はそのまま表示される。",
        "{# コメント構文 #}",
        "効果 {{ 1 + 1 }}",
        "出典：テスト『出典 {{ source }}』",
        ">{{ category }}</a>",
    ] {
        assert!(page.contains(literal), "not literal: {literal}");
    }
    assert!(!page.contains("効果 2"));
    let category: std::path::PathBuf = ["category", "{{_category_}}", "index.html"].iter().collect();
    assert!(out.join(category).is_file());
}

#[test]
fn drafts_are_published_only_with_the_flag() {
    let (_tmp, out) = built(&site_fixture(), &[]);
    assert!(!out.join("cases/chatan-draft").exists());
    assert!(!ids(&json(&out)).contains(&"chatan-draft".to_string()));
    assert!(!read(&out, "cases.csv").contains("chatan-draft"));
    assert!(!out.join("tag/観光DX").exists());
    assert!(!read(&out, "index.html").contains("下書き"));

    let (_tmp2, with_drafts) = built(&site_fixture(), &["--drafts"]);
    let page = read(&with_drafts, "cases/chatan-draft/index.html");
    assert!(page.contains("badge-draft") && page.contains("draft-banner"));
    assert_eq!(json(&with_drafts)["count"], 9);
    assert!(with_drafts.join("tag/観光DX/index.html").is_file());
}

#[test]
fn a_sub_path_needs_no_change_and_an_absolute_base_url_gets_a_sitemap() {
    let (_tmp, relative) = built(&site_fixture(), &[]);
    assert!(!relative.join("sitemap.xml").exists());
    // The 404 page is served at any depth, so it links from the base path.
    let not_found = read(&relative, "404.html");
    assert!(not_found.contains("href=\"/dx-jirei/assets/style.css\""), "{not_found}");

    let (_tmp2, out) = built(&site_fixture(), &["--base-url", "https://portal.example.lg.jp/dx"]);
    let sitemap = read(&out, "sitemap.xml");
    let locs: Vec<&str> = sitemap
        .split("<loc>")
        .skip(1)
        .map(|s| &s[..s.find("</loc>").expect("closed")])
        .collect();
    assert!(locs.contains(&"https://portal.example.lg.jp/dx/"));
    assert!(locs.contains(&"https://portal.example.lg.jp/dx/cases/kawanishi-rpa/"));
    assert!(locs.iter().all(|l| l.starts_with("https://portal.example.lg.jp/dx/")));
    assert!(
        locs.iter().any(|l| l.contains("%E5%86%85%E9%83%A8DX")),
        "Japanese segments are encoded"
    );
    assert!(!sitemap.contains("404"));
    assert!(read(&out, "404.html").contains("href=\"/dx/assets/style.css\""));
    assert!(read(&out, "cases.json").contains("\"url\": \"https://portal.example.lg.jp/dx/cases/"));
    // Other pages only use relative links: the base URL changes nothing on
    // them but the address a case page prints.
    let without_address = |out: &Path| -> String {
        let page = read(out, "cases/kawanishi-rpa/index.html");
        page.lines()
            .filter(|l| !l.contains("本文・詳細は"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(without_address(&out), without_address(&relative));

    let bad = build(&site_fixture(), &out, &["--base-url", "dx"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn builds_are_reproducible() {
    let (_tmp, first) = built(&site_fixture(), &[]);
    let (_tmp2, second) = built(&site_fixture(), &[]);
    assert_eq!(snapshot(&first), snapshot(&second));
}

#[test]
fn the_home_page_counts_cases_and_lists_the_newest_first() {
    let (_tmp, out) = built(&site_fixture(), &[]);
    let home = read(&out, "index.html");
    assert!(home.contains("<strong>8件</strong>"));
    let count_of = |href: &str| {
        let at = home
            .find(&format!("href=\"{href}\""))
            .unwrap_or_else(|| panic!("{href} on home"));
        let rest = &home[at..];
        let start = rest.find("<span class=\"count\">").expect("count") + "<span class=\"count\">".len();
        rest[start..start + rest[start..].find('件').expect("件")].to_string()
    };
    assert_eq!(count_of("band/100k-300k/index.html"), "2");
    assert_eq!(count_of("band/prefecture/index.html"), "1");
    assert_eq!(count_of("category/%E5%86%85%E9%83%A8DX/index.html"), "4");
    assert_eq!(count_of("region/%E4%B8%AD%E5%9B%BD/index.html"), "4");
    assert_eq!(count_of("region/%E6%9D%B1%E5%8C%97/index.html"), "0");
    // Newest by `updated`, then by id.
    let newest = &home[home.find("新着").expect("newest section")..];
    let order: Vec<usize> = [
        "cases/kagamino-kakanai-madoguchi/",
        "cases/yamaguchi-dx-jinzai/",
        "cases/kurashiki-denshi-shinsei/",
        "cases/kawanishi-rpa/",
    ]
    .iter()
    .map(|href| newest.find(href).unwrap_or_else(|| panic!("{href} in newest")))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    // The site has a search page, so the home and header search forms show.
    assert!(home.contains(r#"<form class="search-box" action="search/index.html""#));
    assert!(home.contains(r#"<form class="header-search" action="search/index.html""#));
}

#[test]
fn region_pages_list_their_prefectures_and_the_case_page_prints() {
    let (_tmp, out) = built(&site_fixture(), &[]);
    let region = read(&out, "region/中国/index.html");
    assert!(region.contains("href=\"../../prefecture/%E5%B2%A1%E5%B1%B1%E7%9C%8C/index.html\">岡山県</a>"));
    assert!(region.contains("href=\"../../prefecture/%E5%B1%B1%E5%8F%A3%E7%9C%8C/index.html\">山口県</a>"));
    let category = read(&out, "category/内部DX/index.html");
    assert!(category.contains("②窓口改革</a>"), "sections are listed");
    let case = read(&out, "cases/kawanishi-rpa/index.html");
    assert!(case.contains("<link rel=\"stylesheet\" href=\"../../assets/print.css\" media=\"print\">"));
    let print = read(&out, "assets/print.css");
    assert!(print.contains("size: A4") && print.contains(".case-body"));
}

#[test]
fn case_pages_print_their_address_absolute_when_the_base_url_is() {
    let marker = "本文・詳細は";
    let (_tmp, out) = built(&site_fixture(), &["--base-url", "https://portal.example.lg.jp/dx/"]);
    let case = read(&out, "cases/kawanishi-rpa/index.html");
    assert!(
        case.contains("本文・詳細は次のURLを参照：<span class=\"external\">https://portal.example.lg.jp/dx/cases/kawanishi-rpa/</span>"),
        "absolute address:\n{case}"
    );
    // With a path only (the fixture's "/dx-jirei/"), the site's title says where the path is.
    let (_tmp, out) = built(&site_fixture(), &[]);
    let case = read(&out, "cases/kawanishi-rpa/index.html");
    let line = case.lines().find(|l| l.contains(marker)).expect("the address line");
    assert!(
        line.contains(
            "「自治体DX事例ナビ」の次のページを参照：<span class=\"external\">/dx-jirei/cases/kawanishi-rpa/</span>"
        ),
        "{line}"
    );
}
