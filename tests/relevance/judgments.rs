//! The judged queries of `tests/relevance/queries.toml`, shared by the
//! relevance test and the browser–CLI agreement test.

use std::path::Path;

use serde::Deserialize;

#[derive(Deserialize)]
struct JudgmentFile {
    query: Vec<Judged>,
}

/// One judged query with its filters and the cases judged relevant.
#[derive(Deserialize)]
// Each test reads the fields it needs; the agreement test ignores the judgments.
#[allow(dead_code)]
pub struct Judged {
    pub q: String,
    pub kind: String,
    pub relevant: Vec<String>,
    #[serde(default)]
    pub band: Vec<String>,
    #[serde(default)]
    pub category: Vec<String>,
    #[serde(default)]
    pub region: Vec<String>,
    /// `MIN..MAX`, as on the command line.
    #[serde(default)]
    pub population: Option<String>,
}

impl Judged {
    /// The facet filters that are set, as (facet name, values).
    pub fn facets(&self) -> Vec<(&'static str, &Vec<String>)> {
        [
            ("band", &self.band),
            ("category", &self.category),
            ("region", &self.region),
        ]
        .into_iter()
        .filter(|(_, values)| !values.is_empty())
        .collect()
    }
}

/// Every judged query of the repository's set.
pub fn load() -> Vec<Judged> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/relevance/queries.toml");
    let text = std::fs::read_to_string(path).expect("tests/relevance/queries.toml");
    toml::from_str::<JudgmentFile>(&text).expect("valid judgments").query
}
