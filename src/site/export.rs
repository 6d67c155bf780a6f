//! Exports for people and portals: `cases.csv` (Excel), `cases.json`, and
//! `sitemap.xml`.
//!
//! - CSV: UTF-8 with a BOM (Excel then reads Japanese correctly), CRLF line
//!   ends and RFC 4180 quoting, one row per case, every structured field;
//!   lists are joined with `、`. Text cells starting with `=`, `+`, `-` or
//!   `@` get a leading `'` so Excel does not run them as formulas.
//! - JSON: `{site, count, cases: [...]}` with every structured field of
//!   [`CaseView`] plus `url`.
//! - sitemap.xml: only when the base URL is absolute (the sitemap protocol
//!   needs absolute URLs); otherwise it is skipped and the build says so.

use serde::Serialize;

use super::collection::Collection;
use super::model::CaseView;

/// The byte-order mark Excel needs to read UTF-8.
pub const BOM: &str = "\u{feff}";

const LIST_SEPARATOR: &str = "、";

/// The CSV column headings, in order.
pub const CSV_HEADER: [&str; 44] = [
    "ID",
    "タイトル",
    "ポイント",
    "新規",
    "下書き",
    "団体",
    "都道府県",
    "市区町村",
    "団体区分",
    "団体コード",
    "地方",
    "人口",
    "人口基準日",
    "人口規模",
    "分類",
    "節",
    "タグ",
    "イニシャルコスト（千円）",
    "イニシャルコスト",
    "イニシャルコスト税区分",
    "イニシャルコスト内訳",
    "イニシャルコスト備考",
    "ランニングコスト（千円/年）",
    "ランニングコスト",
    "ランニングコスト税区分",
    "ランニングコスト内訳",
    "ランニングコスト備考",
    "検討開始から導入までの期間（月）",
    "検討開始から導入までの期間",
    "マイルストーン",
    "事業者",
    "サービス",
    "運用形態",
    "その他参画主体",
    "担当部署",
    "電話",
    "メール",
    "問い合わせURL",
    "効果",
    "関連URL",
    "受賞",
    "出典",
    "更新日",
    "URL",
];

/// `cases.csv`, BOM included.
pub fn csv(collection: &Collection) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(BOM.as_bytes().to_vec());
    writer.write_record(CSV_HEADER)?;
    for case in &collection.cases {
        writer.write_record(csv_row(case, &collection.settings.base_url))?;
    }
    writer.into_inner().map_err(|e| e.into_error().into())
}

pub(crate) fn csv_row(case: &CaseView, base_url: &str) -> Vec<String> {
    let text = |s: &str| neutralise_formula(s);
    let opt = |s: Option<&String>| s.map(|s| text(s)).unwrap_or_default();
    let num = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_default();
    let join = |items: Vec<String>| text(&items.join(LIST_SEPARATOR));
    let flag = |b: bool| if b { "1" } else { "" }.to_string();
    let cost = case.cost.as_ref();
    let item_columns = |item: Option<&super::model::CostItemView>| -> [String; 5] {
        let Some(item) = item else { return Default::default() };
        let breakdown = item
            .breakdown
            .iter()
            .map(|b| match &b.label {
                Some(label) => format!("{} {label}", b.item),
                None => b.item.clone(),
            })
            .collect();
        [
            num(item.thousand_yen),
            text(&item.label),
            opt(item.tax.as_ref()),
            join(breakdown),
            opt(item.notes.as_ref()),
        ]
    };
    let schedule = case.schedule.as_ref();
    let org = &case.organization;
    let contact = case.contact.as_ref();
    let mut row = vec![
        case.id.clone(),
        text(&case.title),
        opt(case.point.as_ref()),
        flag(case.new),
        flag(case.draft),
        text(&org.full_name),
        org.prefecture.name.clone(),
        if org.kind == "都道府県" {
            String::new()
        } else {
            text(&org.name)
        },
        org.kind.clone(),
        opt(org.code.as_ref()),
        org.region.name.clone(),
        num(case.population.as_ref().map(|p| p.count)),
        opt(case.population.as_ref().and_then(|p| p.as_of.as_ref())),
        opt(case.band.as_ref().map(|b| &b.name)),
        text(&case.category.name),
        opt(case.section.as_ref().map(|s| &s.name)),
        join(case.tags.iter().map(|t| t.name.clone()).collect()),
    ];
    row.extend(item_columns(cost.and_then(|c| c.initial.as_ref())));
    row.extend(item_columns(cost.and_then(|c| c.running.as_ref())));
    row.extend([
        num(schedule.and_then(|s| s.lead_time_months).map(u64::from)),
        opt(schedule.and_then(|s| s.lead_time.as_ref())),
        join(
            schedule
                .map(|s| &s.milestones[..])
                .unwrap_or_default()
                .iter()
                .map(|m| format!("{}（{}） {}", m.date, m.iso, m.event))
                .collect(),
        ),
        join(case.vendors.iter().map(|v| v.name.clone()).collect()),
        join(case.vendors.iter().flat_map(|v| v.services.clone()).collect()),
        opt(case.operation_mode.as_ref()),
        join(case.participants.clone()),
        opt(contact.map(|c| &c.department)),
        opt(contact.and_then(|c| c.phone.as_ref())),
        opt(contact.and_then(|c| c.email.as_ref())),
        opt(contact.and_then(|c| c.url.as_ref())),
        join(
            case.effects
                .iter()
                .map(|e| match &e.figure {
                    Some(figure) => format!("{}（{figure}）", e.text),
                    None => e.text.clone(),
                })
                .collect(),
        ),
        join(case.links.iter().map(|l| format!("{} {}", l.title, l.url)).collect()),
        join(case.awards.clone()),
        opt(case.source.as_ref().map(|s| &s.credit)),
        opt(case.updated.as_ref()),
        format!("{base_url}{}", case.href),
    ]);
    row
}

/// Prefixes `'` to text Excel would take for a formula.
fn neutralise_formula(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

#[derive(Serialize)]
struct JsonExport<'a> {
    site: JsonSite<'a>,
    count: usize,
    cases: Vec<JsonCase<'a>>,
}

#[derive(Serialize)]
struct JsonSite<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
}

#[derive(Serialize)]
struct JsonCase<'a> {
    /// The case page: absolute when the base URL is, else from the site root.
    url: String,
    #[serde(flatten)]
    case: &'a CaseView,
}

/// `cases.json`, pretty-printed so it diffs well.
pub fn json(collection: &Collection) -> serde_json::Result<Vec<u8>> {
    let settings = &collection.settings;
    let export = JsonExport {
        site: JsonSite {
            title: &settings.title,
            description: &settings.description,
            base_url: &settings.base_url,
        },
        count: collection.cases.len(),
        cases: collection
            .cases
            .iter()
            .map(|case| JsonCase {
                url: format!("{}{}", settings.base_url, case.href),
                case,
            })
            .collect(),
    };
    let mut bytes = serde_json::to_vec_pretty(&export)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// `sitemap.xml` for the given page hrefs, or `None` when the base URL is
/// not absolute.
pub fn sitemap<'a>(collection: &Collection, hrefs: impl IntoIterator<Item = &'a str>) -> Option<Vec<u8>> {
    let settings = &collection.settings;
    if !settings.is_absolute() {
        return None;
    }
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for href in hrefs {
        // Directory URLs are the canonical form on a web server.
        xml.push_str("  <url><loc>");
        xml.push_str(&escape_xml(&settings.page_url(href)));
        xml.push_str("</loc></url>\n");
    }
    xml.push_str("</urlset>\n");
    Some(xml.into_bytes())
}

fn escape_xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(neutralise_formula("=1+1"), "'=1+1");
        assert_eq!(neutralise_formula("-"), "'-");
        assert_eq!(neutralise_formula("－"), "－");
        assert_eq!(neutralise_formula("書かない窓口"), "書かない窓口");
    }
}
