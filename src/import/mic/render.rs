//! Writes a case file from [`CaseFacts`]: the YAML front matter (through
//! the small emitter in [`crate::import::yaml`]) and the Markdown body.

use super::cost::{CostFact, CostSide};
use super::extract::CaseFacts;
use super::markdown::markdown_table;
use crate::case::front_matter::{Delivery, Hosting, Tax};
use crate::case::money::AmountKind;
use crate::import::yaml::{Value, to_yaml};

/// The publication a case comes from.
#[derive(Debug, Clone)]
pub struct Publication {
    pub publisher: String,
    pub title: String,
    /// `2024-04-24`.
    pub published: Option<String>,
}

impl Publication {
    pub fn credit_line(&self) -> String {
        format!("出典：{}『{}』を加工して作成", self.publisher, self.title)
    }
}

/// Maps a garbled TOC population label to a band id.
pub fn band_for_label(label: &str) -> Option<&'static str> {
    match label {
        "①" => Some("under-10k"),
        "⑤" => Some("10k-50k"),
        "⑩" => Some("50k-100k"),
        "③⑩" | "③①" => Some("100k-300k"),
        _ => None,
    }
}

/// The whole file text.
pub fn render(id: &str, facts: &CaseFacts, publication: &Publication) -> String {
    format!(
        "---\n{}---\n{}",
        to_yaml(&front_matter(id, facts, publication)),
        body(facts, publication)
    )
}

fn s(text: impl Into<String>) -> Value {
    Value::str(text)
}

fn front_matter(id: &str, f: &CaseFacts, publication: &Publication) -> Value {
    let mut root = Value::map();
    root.push("id", s(id));
    root.push("title", s(&f.title));
    root.push_opt("point", f.point.as_ref().map(s));
    let mut org = Value::map();
    org.push("prefecture", s(f.prefecture.name()));
    org.push_opt("name", f.municipality.as_ref().map(s));
    root.push("organization", org);
    if let Some(p) = &f.population {
        let mut pop = Value::map();
        pop.push("count", Value::Int(p.count));
        pop.push_opt("as_of", p.as_of.as_ref().map(s));
        root.push("population", pop);
    } else if f.municipality.is_some()
        && let Some(band) = f.toc.as_ref().and_then(|t| band_for_label(&t.label))
    {
        root.push("band", s(band));
    }
    root.push("category", s(&f.chapter_name));
    root.push_opt("section", f.toc.as_ref().map(|t| s(&t.section)));
    if !f.tags.is_empty() {
        root.push("tags", Value::Seq(f.tags.iter().map(s).collect()));
    }
    root.push_opt("cost", f.cost.as_ref().and_then(cost_value));
    root.push_opt("schedule", schedule_value(f));
    push_vendors(&mut root, f);
    root.push_opt("contact", contact_value(f));
    if !f.effects.is_empty() {
        root.push("effects", Value::Seq(f.effects.iter().map(s).collect()));
    }
    if !f.links.is_empty() {
        let links = f
            .links
            .iter()
            .map(|l| Value::Map(vec![("title".into(), s(&l.title)), ("url".into(), s(&l.url))]));
        root.push("links", Value::Seq(links.collect()));
    }
    if !f.awards.is_empty() {
        root.push("awards", Value::Seq(f.awards.iter().map(s).collect()));
    }
    root.push("source", source_value(f, publication));
    root
}

fn source_value(f: &CaseFacts, publication: &Publication) -> Value {
    let mut source = Value::map();
    source.push("publisher", s(&publication.publisher));
    source.push("title", s(&publication.title));
    source.push("chapter", s(format!("{}. {}", f.chapter_number, f.chapter_name)));
    source.push("number", Value::Int(u64::from(f.number)));
    source.push_opt("page", f.toc.as_ref().map(|t| Value::Int(u64::from(t.page))));
    source.push_opt("published", publication.published.as_ref().map(s));
    source.push("edited", Value::Bool(true));
    source
}

/// The common tax treatment, when both sides agree.
fn common_tax(cost: &CostFact) -> Option<Tax> {
    let taxes: Vec<Option<Tax>> = [&cost.initial, &cost.running]
        .iter()
        .filter_map(|s| s.as_ref())
        .map(|s| s.tax)
        .collect();
    let first = *taxes.first()?;
    taxes.iter().all(|t| *t == first).then_some(first).flatten()
}

fn cost_value(cost: &CostFact) -> Option<Value> {
    let common = common_tax(cost);
    let mut map = Value::map();
    map.push_opt("tax", common.map(|t| s(t.label())));
    let mut any = false;
    for (key, side) in [("initial", &cost.initial), ("running", &cost.running)] {
        let Some(side) = side else { continue };
        let Some(amount) = side.amount else { continue };
        any = true;
        let mut item = Value::map();
        item.push("amount", amount_value(&amount));
        if common.is_none() {
            item.push_opt("tax", side.tax.map(|t| s(t.label())));
        }
        let lines: Vec<Value> = side
            .breakdown
            .iter()
            .map(|b| {
                let mut line = Value::map();
                line.push("item", s(&b.item));
                line.push_opt("amount", b.amount.as_ref().map(amount_value));
                line
            })
            .collect();
        if !lines.is_empty() {
            item.push("breakdown", Value::Seq(lines));
        }
        if !side.notes.is_empty() {
            item.push("notes", s(side.notes.join(" ")));
        }
        map.push(key, item);
    }
    any.then_some(map)
}

fn amount_value(amount: &crate::case::money::Amount) -> Value {
    match (amount.kind, amount.thousand_yen) {
        (AmountKind::Exact, Some(k)) => Value::Int(k),
        _ => s(amount.to_string()),
    }
}

fn schedule_value(f: &CaseFacts) -> Option<Value> {
    let schedule = f.schedule.as_ref()?;
    let mut map = Value::map();
    map.push_opt("lead_time", schedule.lead_time.map(|l| s(l.label())));
    if !schedule.milestones.is_empty() {
        let items = schedule
            .milestones
            .iter()
            .map(|m| Value::Map(vec![("date".into(), s(&m.date)), ("event".into(), s(&m.event))]));
        map.push("milestones", Value::Seq(items.collect()));
    }
    matches!(&map, Value::Map(e) if !e.is_empty()).then_some(map)
}

fn push_vendors(root: &mut Value, f: &CaseFacts) {
    let Some(v) = &f.vendor else { return };
    if !v.vendors.is_empty() {
        let items: Vec<Value> = if v.vendors.len() == 1 && !v.services.is_empty() {
            let services = Value::Seq(v.services.iter().map(s).collect());
            vec![Value::Map(vec![
                ("name".into(), s(&v.vendors[0])),
                ("services".into(), services),
            ])]
        } else {
            v.vendors.iter().map(s).collect()
        };
        root.push("vendors", Value::Seq(items));
    }
    if v.delivery.is_some() || v.hosting.is_some() {
        let mut mode = Value::map();
        mode.push_opt("delivery", v.delivery.map(|d: Delivery| s(d.label())));
        mode.push_opt("hosting", v.hosting.map(|h: Hosting| s(h.label())));
        root.push("operation_mode", mode);
    }
    if !v.participants.is_empty() {
        root.push("participants", Value::Seq(v.participants.iter().map(s).collect()));
    }
}

fn contact_value(f: &CaseFacts) -> Option<Value> {
    let c = f.contact.as_ref()?;
    let department = c.department.as_ref()?;
    let mut map = Value::map();
    map.push("department", s(department));
    map.push_opt("phone", c.phone.as_ref().map(s));
    map.push_opt("email", c.email.as_ref().map(s));
    Some(map)
}

// ------------------------------------------------------------------ body

fn body(f: &CaseFacts, publication: &Publication) -> String {
    let mut sections: Vec<(String, String)> = Vec::new();
    let mut push = |heading: &str, text: String| {
        if !text.trim().is_empty() {
            sections.push((heading.to_string(), text.trim_end().to_string()));
        }
    };
    let point = [f.point.clone().unwrap_or_default(), f.lead.clone()]
        .iter()
        .filter(|t| !t.trim().is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join("\n\n");
    push("Point", point);
    push("事業の概要", f.overview.clone());
    push("事業効果", f.effects_text.clone());
    push("コスト", f.cost.as_ref().map(cost_text).unwrap_or_default());
    push("スケジュール", schedule_text(f));
    push("サービス提供事業者等", vendor_text(f));
    push("担当部署", f.contact_text.join("\n\n"));
    push("インタビュー", interview_text(f));
    push("参考情報", f.reference_text.clone());
    push("関連URL", f.links_text.clone());
    push("参考資料", f.appendix.clone());
    let mut out = String::new();
    for (heading, text) in sections {
        out.push_str(&format!("## {heading}\n\n{text}\n\n"));
    }
    out.push_str(&publication.credit_line());
    out.push('\n');
    out
}

fn cost_text(cost: &CostFact) -> String {
    let mut rows = vec![vec![
        "区分".to_string(),
        "金額".to_string(),
        "内訳".to_string(),
        "備考".to_string(),
    ]];
    for (label, side) in [
        ("イニシャルコスト", &cost.initial),
        ("ランニングコスト（1年あたり）", &cost.running),
    ] {
        let Some(side) = side else { continue };
        rows.push(side_row(label, side));
    }
    format!("※主にシステム導入等に係るコストを記載\n\n{}", markdown_table(&rows))
}

fn side_row(label: &str, side: &CostSide) -> Vec<String> {
    let tax = side.tax.map(|t| format!(" ※{}", t.label())).unwrap_or_default();
    let breakdown = side
        .breakdown
        .iter()
        .map(|b| match &b.amount {
            Some(a) => format!("{} {}", b.item, a),
            None => b.item.clone(),
        })
        .collect::<Vec<_>>()
        .join("<br>");
    let cell = |t: &str| t.replace('|', "\\|");
    vec![
        format!("{label}{tax}"),
        cell(&side.printed),
        cell(&breakdown),
        cell(&side.notes.join(" ")),
    ]
}

fn schedule_text(f: &CaseFacts) -> String {
    let Some(schedule) = &f.schedule else {
        return String::new();
    };
    let mut parts = Vec::new();
    if let Some(printed) = &schedule.lead_time_printed {
        parts.push(format!("検討開始から導入までの期間：{printed}"));
    }
    if !schedule.milestones.is_empty() {
        let mut rows = vec![vec!["時期".to_string(), "内容".to_string()]];
        rows.extend(
            schedule
                .milestones
                .iter()
                .map(|m| vec![m.printed.clone(), m.event.replace('|', "\\|")]),
        );
        parts.push(markdown_table(&rows));
    }
    parts.extend(schedule.other_lines.iter().cloned());
    parts.join("\n\n")
}

fn vendor_text(f: &CaseFacts) -> String {
    let Some(v) = &f.vendor else { return String::new() };
    let line =
        |label: &str, values: &[String]| (!values.is_empty()).then(|| format!("- {label}：{}", values.join(" ")));
    [
        line("サービス提供事業者", &v.vendors_printed),
        line("サービス名", &v.services_printed),
        line("運用形態", &v.mode_printed),
        line("その他参画主体", &v.participants_printed),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join("\n")
}

fn interview_text(f: &CaseFacts) -> String {
    f.interview
        .iter()
        .map(|e| {
            if e.question.is_empty() {
                e.answer.trim_end().to_string()
            } else {
                format!("### {}\n\n{}", e.question, e.answer.trim_end())
            }
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}
