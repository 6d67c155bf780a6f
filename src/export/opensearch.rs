//! OpenSearch / Elasticsearch: the index mapping and the bulk NDJSON.
//!
//! - Japanese text (title, point, body, effects, notes…) uses the `ja`
//!   analyser: the `kuromoji_tokenizer` of the `analysis-kuromoji` plugin
//!   (`bin/opensearch-plugin install analysis-kuromoji`) with base forms,
//!   part-of-speech and stop-word filtering, width folding and katakana
//!   stemming. The `analysis-sudachi` plugin works as well: replace the
//!   tokenizer and filters of `ja` with `sudachi_tokenizer` and its filters.
//!   Titles also keep a `.keyword` sub-field for sorting and exact matches.
//! - Facets (band, category, section, prefecture, region, tags, vendors,
//!   operation mode…) are `keyword` fields, for filters and aggregations.
//! - Numbers are `long`: population (persons), costs (千円), lead time
//!   (months), source number and page.
//! - Dates are `date`: population reference date, updated, published, and
//!   each milestone's start (`R2.8` → `2020-08`; a fiscal year `R5年度`
//!   starts in April: `2023-04`). Milestones are `nested`, so a date and its
//!   event stay together in queries.
//!
//! The mapping is `dynamic: strict`: a document with a field the mapping
//! does not declare is rejected instead of being guessed.

use serde::Serialize;
use serde_json::{Value, json};

use crate::case::Case;
use crate::case::plain_text::markdown_to_text;
use crate::config::Config;
use crate::site::facets::Facets;
use crate::site::model::{CaseView, CostItemView};

/// One case as an OpenSearch document.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    pub id: String,
    /// The case page, from the site's root.
    pub url: String,
    pub title: String,
    pub point: Option<String>,
    /// The Markdown body as plain text.
    pub body: String,
    pub organization: Organization,
    pub population: Option<u64>,
    pub population_as_of: Option<String>,
    pub band: Option<String>,
    pub band_label: Option<String>,
    pub category: String,
    pub section: Option<String>,
    pub tags: Vec<String>,
    pub vendors: Vec<String>,
    pub services: Vec<String>,
    pub operation_mode: Option<String>,
    pub participants: Vec<String>,
    pub initial_cost: Option<Cost>,
    pub running_cost: Option<Cost>,
    pub lead_time_months: Option<u32>,
    pub lead_time: Option<String>,
    pub milestones: Vec<Milestone>,
    pub contact: Option<Contact>,
    pub effects: Vec<String>,
    pub links: Vec<Link>,
    pub awards: Vec<String>,
    pub source: Option<Source>,
    pub updated: Option<String>,
    pub new: bool,
    pub draft: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Organization {
    pub name: String,
    pub full_name: String,
    pub kind: String,
    pub code: Option<String>,
    pub prefecture: String,
    pub region: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Cost {
    /// 千円 when a figure is known.
    pub thousand_yen: Option<u64>,
    /// `約13,400千円`, `非公表`, `－`.
    pub label: String,
    pub tax: Option<String>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Milestone {
    /// As written: `R2.8`.
    pub label: String,
    /// Start as a date (`2020-08`), when it has one.
    pub date: Option<String>,
    pub event: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Contact {
    pub department: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Source {
    pub publisher: String,
    pub title: String,
    pub chapter: Option<String>,
    pub number: Option<u32>,
    pub page: Option<u32>,
    pub published: Option<String>,
    pub url: Option<String>,
    pub edited: bool,
}

/// The documents of every case (drafts included, marked `draft`).
pub fn documents(cases: &[Case], config: &Config) -> Vec<Document> {
    let refs: Vec<&Case> = cases.iter().collect();
    let facets = Facets::build(&refs, &config.bands);
    cases
        .iter()
        .map(|case| document(case, &CaseView::build(case, &facets, &config.bands)))
        .collect()
}

fn cost(item: Option<&CostItemView>) -> Option<Cost> {
    item.map(|c| Cost {
        thousand_yen: c.thousand_yen,
        label: c.label.clone(),
        tax: c.tax.clone(),
        notes: c.notes.clone(),
    })
}

/// The start of an ISO date or interval as an OpenSearch date: `2023-02`
/// from `2023-02/2023-04`, `2023-04` from the fiscal year `FY2023`.
pub fn start_date(iso: &str) -> Option<String> {
    let start = iso.split('/').next().unwrap_or_default();
    if let Some(year) = start.strip_prefix("FY") {
        return year.parse::<u32>().ok().map(|y| format!("{y:04}-04"));
    }
    let shape_ok = matches!(start.len(), 4 | 7 | 10) && start.chars().all(|c| c.is_ascii_digit() || c == '-');
    shape_ok.then(|| start.to_string())
}

fn document(case: &Case, view: &CaseView) -> Document {
    let front = &case.front;
    let cost_view = view.cost.as_ref();
    Document {
        id: view.id.clone(),
        url: view.href.clone(),
        title: view.title.clone(),
        point: view.point.clone(),
        body: markdown_to_text(&case.body),
        organization: Organization {
            name: view.organization.name.clone(),
            full_name: view.organization.full_name.clone(),
            kind: view.organization.kind.clone(),
            code: view.organization.code.clone(),
            prefecture: view.organization.prefecture.name.clone(),
            region: view.organization.region.name.clone(),
        },
        population: case.population(),
        population_as_of: front
            .population
            .as_ref()
            .and_then(|p| p.value.as_of.as_ref())
            .map(|d| d.value.to_string()),
        band: case.band.clone(),
        band_label: view.band.as_ref().map(|b| b.name.clone()),
        category: front.category.clone(),
        section: front.section.clone(),
        tags: front.tags.clone(),
        vendors: view.vendors.iter().map(|v| v.name.clone()).collect(),
        services: view.vendors.iter().flat_map(|v| v.services.iter().cloned()).collect(),
        operation_mode: view.operation_mode.clone(),
        participants: view.participants.clone(),
        initial_cost: cost(cost_view.and_then(|c| c.initial.as_ref())),
        running_cost: cost(cost_view.and_then(|c| c.running.as_ref())),
        lead_time_months: view.schedule.as_ref().and_then(|s| s.lead_time_months),
        lead_time: view.schedule.as_ref().and_then(|s| s.lead_time.clone()),
        milestones: view
            .schedule
            .iter()
            .flat_map(|s| &s.milestones)
            .map(|m| Milestone {
                label: m.date.clone(),
                date: start_date(&m.iso),
                event: m.event.clone(),
            })
            .collect(),
        contact: view.contact.as_ref().map(|c| Contact {
            department: c.department.clone(),
            phone: c.phone.clone(),
            email: c.email.clone(),
            url: c.url.clone(),
        }),
        effects: view.effects.iter().map(|e| e.text.clone()).collect(),
        links: view
            .links
            .iter()
            .map(|l| Link {
                title: l.title.clone(),
                url: l.url.clone(),
            })
            .collect(),
        awards: view.awards.clone(),
        source: front.source.as_ref().map(|s| Source {
            publisher: s.publisher.clone(),
            title: s.title.clone(),
            chapter: s.chapter.clone(),
            number: s.number,
            page: s.page,
            published: s.published.as_ref().map(|d| d.value.to_string()),
            url: s.url.as_ref().map(|u| u.text.clone()),
            edited: s.edited,
        }),
        updated: front.updated.as_ref().map(|d| d.value.to_string()),
        new: front.new,
        draft: front.draft,
    }
}

/// Bulk NDJSON: an `index` action line, then the document, per case; the
/// file ends with a newline, as the `_bulk` API requires.
pub fn bulk(documents: &[Document], index_name: &str) -> serde_json::Result<Vec<u8>> {
    let mut out = Vec::new();
    for doc in documents {
        serde_json::to_writer(&mut out, &json!({"index": {"_index": index_name, "_id": doc.id}}))?;
        out.push(b'\n');
        serde_json::to_writer(&mut out, doc)?;
        out.push(b'\n');
    }
    Ok(out)
}

fn text() -> Value {
    json!({"type": "text", "analyzer": "ja"})
}

fn keyword() -> Value {
    json!({"type": "keyword"})
}

fn long() -> Value {
    json!({"type": "long"})
}

fn date() -> Value {
    json!({"type": "date", "format": "yyyy-MM-dd||yyyy-MM||yyyy"})
}

fn boolean() -> Value {
    json!({"type": "boolean"})
}

fn object(properties: Value) -> Value {
    json!({"type": "object", "properties": properties})
}

fn cost_mapping() -> Value {
    object(json!({"thousand_yen": long(), "label": keyword(), "tax": keyword(), "notes": text()}))
}

/// The index definition: settings with the `ja` analyser, and mappings.
pub fn mapping() -> Value {
    json!({
        "settings": {
            "analysis": {
                "filter": {
                    "ja_pos": {"type": "kuromoji_part_of_speech"},
                    "ja_stopwords": {"type": "ja_stop", "stopwords": "_japanese_"}
                },
                "analyzer": {
                    "ja": {
                        "type": "custom",
                        "tokenizer": "kuromoji_tokenizer",
                        "filter": ["cjk_width", "kuromoji_baseform", "ja_pos", "ja_stopwords", "kuromoji_stemmer", "lowercase"]
                    }
                }
            }
        },
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "id": keyword(),
                "url": keyword(),
                "title": {"type": "text", "analyzer": "ja", "fields": {"keyword": keyword()}},
                "point": text(),
                "body": text(),
                "organization": object(json!({
                    "name": keyword(), "full_name": keyword(), "kind": keyword(), "code": keyword(),
                    "prefecture": keyword(), "region": keyword()
                })),
                "population": long(),
                "population_as_of": date(),
                "band": keyword(),
                "band_label": keyword(),
                "category": keyword(),
                "section": keyword(),
                "tags": keyword(),
                "vendors": keyword(),
                "services": keyword(),
                "operation_mode": keyword(),
                "participants": keyword(),
                "initial_cost": cost_mapping(),
                "running_cost": cost_mapping(),
                "lead_time_months": long(),
                "lead_time": keyword(),
                "milestones": {"type": "nested", "properties": {"label": keyword(), "date": date(), "event": text()}},
                "contact": object(json!({"department": keyword(), "phone": keyword(), "email": keyword(), "url": keyword()})),
                "effects": text(),
                "links": object(json!({"title": text(), "url": keyword()})),
                "awards": keyword(),
                "source": object(json!({
                    "publisher": keyword(), "title": keyword(), "chapter": keyword(), "number": long(),
                    "page": long(), "published": date(), "url": keyword(), "edited": boolean()
                })),
                "updated": date(),
                "new": boolean(),
                "draft": boolean()
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_starts_become_dates() {
        assert_eq!(start_date("2023-02/2023-04").as_deref(), Some("2023-02"));
        assert_eq!(start_date("FY2023").as_deref(), Some("2023-04"));
        assert_eq!(start_date("2021-09/..").as_deref(), Some("2021-09"));
        assert_eq!(start_date("2015").as_deref(), Some("2015"));
        assert_eq!(start_date("soon"), None);
    }
}
