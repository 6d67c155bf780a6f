//! The tantivy schema: which fields exist, how each is analysed, and the
//! weight of each text field in ranking.

use tantivy::schema::{
    FAST, FacetOptions, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use crate::analysis::TermField;

/// A text field that queries search, with its ranking weight.
#[derive(Debug, Clone, Copy)]
pub struct WeightedField {
    pub field: Field,
    pub weight: f32,
    pub stream: TermField,
}

/// Handles to every field of the index.
#[derive(Debug, Clone)]
pub struct Fields {
    pub id: Field,
    /// JSON of [`super::CaseSummary`], for displaying results without the case files.
    pub summary: Field,
    /// The Markdown body as plain text, for snippets.
    pub body_text: Field,
    pub title: Field,
    pub point: Field,
    pub tags: Field,
    /// Organisation, section, vendors and services: names people search for.
    pub names: Field,
    pub body: Field,
    /// Katakana-reading bigrams of title, point, tags and names.
    pub reading: Field,
    /// Character bigrams of everything, for partial words.
    pub ngram: Field,
    pub population: Field,
    pub initial_cost: Field,
    pub running_cost: Field,
    pub lead_time: Field,
    /// Rank of the id among all ids, for cheap deterministic tie-breaks.
    pub id_rank: Field,
    /// One facet field per facet dimension, in [`FACETS`] order.
    pub facets: Vec<Field>,
}

/// Facet dimensions: the name used in filters, JSON and `jirei.toml`.
pub use crate::config::FACET_FIELDS as FACETS;

/// Weights of the word fields: title > point > tags > names > body.
pub const WORD_WEIGHTS: [(&str, f32); 5] = [
    ("title", 5.0),
    ("point", 3.0),
    ("tags", 2.5),
    ("names", 2.0),
    ("body", 1.0),
];
/// Readings match kana queries; bigrams match partial words. Both rank below words.
pub const READING_WEIGHT: f32 = 0.8;
pub const NGRAM_WEIGHT: f32 = 0.3;

fn text_options(stream: TermField) -> TextOptions {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(stream.tokenizer_name())
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    TextOptions::default().set_indexing_options(indexing)
}

impl Fields {
    /// Builds the schema and the field handles.
    pub fn schema() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let words = text_options(TermField::Main);
        let fields = Fields {
            id: b.add_text_field("id", STRING | STORED),
            summary: b.add_text_field("summary", STORED),
            body_text: b.add_text_field("body_text", STORED),
            title: b.add_text_field("title", words.clone()),
            point: b.add_text_field("point", words.clone()),
            tags: b.add_text_field("tags", words.clone()),
            names: b.add_text_field("names", words.clone()),
            body: b.add_text_field("body", words),
            reading: b.add_text_field("reading", text_options(TermField::Reading)),
            ngram: b.add_text_field("ngram", text_options(TermField::Ngram)),
            population: b.add_u64_field("population", INDEXED | FAST),
            initial_cost: b.add_u64_field("initial_cost", INDEXED | FAST),
            running_cost: b.add_u64_field("running_cost", INDEXED | FAST),
            lead_time: b.add_u64_field("lead_time", INDEXED | FAST),
            id_rank: b.add_u64_field("id_rank", FAST),
            facets: FACETS
                .iter()
                .map(|name| b.add_facet_field(&format!("facet_{name}"), FacetOptions::default()))
                .collect(),
        };
        (b.build(), fields)
    }

    /// The word fields with their weights.
    pub fn word_fields(&self) -> [WeightedField; 5] {
        let f = |field, i: usize| WeightedField {
            field,
            weight: WORD_WEIGHTS[i].1,
            stream: TermField::Main,
        };
        [
            f(self.title, 0),
            f(self.point, 1),
            f(self.tags, 2),
            f(self.names, 3),
            f(self.body, 4),
        ]
    }

    pub fn reading_field(&self) -> WeightedField {
        WeightedField {
            field: self.reading,
            weight: READING_WEIGHT,
            stream: TermField::Reading,
        }
    }

    pub fn ngram_field(&self) -> WeightedField {
        WeightedField {
            field: self.ngram,
            weight: NGRAM_WEIGHT,
            stream: TermField::Ngram,
        }
    }

    /// The facet field of a dimension name.
    pub fn facet(&self, name: &str) -> Option<Field> {
        FACETS.iter().position(|f| *f == name).map(|i| self.facets[i])
    }
}
