//! Mapping a [`Case`] to a tantivy document, and the summary stored with it.

use serde::{Deserialize, Serialize};
use tantivy::TantivyDocument;
use tantivy::schema::Facet;

use super::schema::Fields;
use crate::case::Case;
use crate::case::plain_text::markdown_to_text;

/// What a search hit shows without opening the case file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseSummary {
    pub id: String,
    pub title: String,
    /// 岡山県鏡野町.
    pub organization: String,
    pub prefecture: String,
    pub region: String,
    pub population: Option<u64>,
    pub band: Option<String>,
    pub category: String,
    pub section: Option<String>,
    pub tags: Vec<String>,
    pub vendors: Vec<String>,
    /// 千円, when a figure is known.
    pub initial_cost: Option<u64>,
    /// `約13,400千円`, `非公表`, `－`.
    pub initial_cost_label: Option<String>,
    pub running_cost: Option<u64>,
    pub running_cost_label: Option<String>,
    pub lead_time_months: Option<u32>,
    pub point: Option<String>,
}

impl CaseSummary {
    pub fn of(case: &Case) -> CaseSummary {
        let costs = case.front.cost.as_ref();
        CaseSummary {
            id: case.id.clone(),
            title: case.front.title.clone(),
            organization: case.full_organization_name(),
            prefecture: case.prefecture.name().to_string(),
            region: case.region().to_string(),
            population: case.population(),
            band: case.band.clone(),
            category: case.front.category.clone(),
            section: case.front.section.clone(),
            tags: case.front.tags.clone(),
            vendors: case.front.vendors.iter().map(|v| v.name.clone()).collect(),
            initial_cost: case.initial_cost(),
            initial_cost_label: costs.and_then(|c| c.initial_amount()).map(|a| a.to_string()),
            running_cost: case.running_cost(),
            running_cost_label: costs.and_then(|c| c.running_amount()).map(|a| a.to_string()),
            lead_time_months: case.lead_time_months(),
            point: case.front.point.clone().filter(|p| !p.is_empty()),
        }
    }
}

/// The facet values of a case, per dimension (see [`super::schema::FACETS`]).
pub fn facet_values(case: &Case) -> [Vec<String>; 8] {
    let front = &case.front;
    [
        case.band.iter().cloned().collect(),
        vec![front.category.clone()],
        front.section.iter().cloned().collect(),
        vec![case.prefecture.name().to_string()],
        vec![case.region().to_string()],
        front.tags.clone(),
        front.vendors.iter().map(|v| v.name.clone()).collect(),
        front
            .operation_mode
            .as_ref()
            .and_then(|m| m.label())
            .into_iter()
            .collect(),
    ]
}

/// Names people search for: organisation, section, vendors, services, participants.
fn names_text(case: &Case) -> String {
    let front = &case.front;
    let mut parts = vec![case.full_organization_name()];
    parts.extend(front.section.iter().cloned());
    for vendor in &front.vendors {
        parts.push(vendor.name.clone());
        parts.extend(vendor.services.iter().cloned());
    }
    parts.extend(front.participants.iter().cloned());
    parts.join("\n")
}

/// Everything searchable in the body: Markdown text plus the effects
/// ([`FieldTexts::body`]).
pub fn body_text(case: &Case) -> String {
    let mut text = markdown_to_text(&case.body);
    for effect in &case.front.effects {
        text.push_str(&effect.text);
        text.push('\n');
    }
    text
}

/// The texts of the analysed fields of a case, as the index receives them.
/// Multi-valued fields list their values in indexing order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldTexts {
    pub title: String,
    pub point: String,
    /// Tags, one per line.
    pub tags: String,
    /// Organisation, section, vendors, services, participants, one per line.
    pub names: String,
    /// Markdown body as plain text, then the effects.
    pub body: String,
}

impl FieldTexts {
    pub fn of(case: &Case) -> FieldTexts {
        FieldTexts {
            title: case.front.title.clone(),
            point: case.front.point.clone().unwrap_or_default(),
            tags: case.front.tags.join("\n"),
            names: names_text(case),
            body: body_text(case),
        }
    }

    /// The values of the reading field: title, point, tags, names.
    pub fn reading_values(&self) -> [&str; 4] {
        [&self.title, &self.point, &self.tags, &self.names]
    }

    /// Every text, in field order: title, point, tags, names, body.
    pub fn all(&self) -> [&str; 5] {
        [&self.title, &self.point, &self.tags, &self.names, &self.body]
    }

    /// The values of the n-gram field: title, point, tags, names, body.
    pub fn ngram_values(&self) -> [&str; 5] {
        self.all()
    }
}

/// The tantivy document of `case`; `id_rank` is the position of its id in
/// the sorted ids of the collection.
pub fn to_document(case: &Case, id_rank: u64, fields: &Fields) -> tantivy::Result<TantivyDocument> {
    let mut doc = TantivyDocument::default();
    let summary = CaseSummary::of(case);
    let json = serde_json::to_string(&summary).map_err(|e| tantivy::TantivyError::InternalError(e.to_string()))?;
    let texts = FieldTexts::of(case);
    doc.add_text(fields.id, &case.id);
    doc.add_u64(fields.id_rank, id_rank);
    doc.add_text(fields.summary, &json);
    doc.add_text(fields.title, &texts.title);
    doc.add_text(fields.point, &texts.point);
    doc.add_text(fields.tags, &texts.tags);
    doc.add_text(fields.names, &texts.names);
    doc.add_text(fields.body, &texts.body);
    for value in texts.reading_values() {
        doc.add_text(fields.reading, value);
    }
    for value in texts.ngram_values() {
        doc.add_text(fields.ngram, value);
    }
    doc.add_text(fields.body_text, &texts.body);
    let numbers = [
        (fields.population, summary.population),
        (fields.initial_cost, summary.initial_cost),
        (fields.running_cost, summary.running_cost),
        (fields.lead_time, summary.lead_time_months.map(u64::from)),
    ];
    for (field, value) in numbers {
        if let Some(v) = value {
            doc.add_u64(field, v);
        }
    }
    for (field, values) in fields.facets.iter().zip(facet_values(case)) {
        for value in values {
            doc.add_facet(*field, Facet::from_path([value.as_str()]));
        }
    }
    Ok(doc)
}
