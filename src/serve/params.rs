//! Query strings of the JSON API: `GET /api/search?q=…&band=…&population=MIN..MAX`.
//!
//! Parameter names are the long flags of `jirei search` (`q` is the query
//! words; `operation-mode` may also be written `operation_mode`); facet
//! parameters repeat (`band=under-10k&band=10k-50k`). Anything unknown,
//! repeated where it cannot be, malformed or too large is rejected before
//! the index is touched.

use std::collections::BTreeMap;

use clap::ValueEnum;

use crate::diagnostic::did_you_mean;
use crate::search::filter::parse_count;
use crate::search::{Filters, Range, SearchRequest, SortOrder};

/// Size limits of one request.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Longest accepted query string in bytes (longer: 414).
    pub max_query_bytes: usize,
    /// Most parameters in one query string (more: 400).
    pub max_params: usize,
    /// Longest accepted `q`, in characters (longer: 400).
    pub max_words_chars: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_query_bytes: 2048,
            max_params: 32,
            max_words_chars: 200,
        }
    }
}

/// Why a query string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParamError {
    /// The whole query string is too long: 414 URI Too Long.
    #[error("the query string is {0} bytes; at most {1} are accepted")]
    TooLong(usize, usize),
    /// Anything else: 400 Bad Request.
    #[error("{0}")]
    Bad(String),
}

/// The facet parameters and the facet dimension each filters.
const FACET_PARAMS: [(&str, &str); 8] = [
    ("band", "band"),
    ("category", "category"),
    ("section", "section"),
    ("prefecture", "prefecture"),
    ("region", "region"),
    ("tag", "tags"),
    ("vendor", "vendors"),
    ("operation-mode", "operation_mode"),
];

/// Every parameter name `/api/search` knows.
pub const PARAMS: [&str; 16] = [
    "q",
    "band",
    "category",
    "section",
    "prefecture",
    "region",
    "tag",
    "vendor",
    "operation-mode",
    "population",
    "initial-cost",
    "running-cost",
    "lead-time",
    "near-population",
    "sort",
    "limit",
];

/// Splits a raw query string into decoded pairs, enforcing the limits.
pub fn pairs(raw: Option<&str>, limits: &Limits) -> Result<Vec<(String, String)>, ParamError> {
    let raw = raw.unwrap_or_default();
    if raw.len() > limits.max_query_bytes {
        return Err(ParamError::TooLong(raw.len(), limits.max_query_bytes));
    }
    let count = raw.split('&').filter(|p| !p.is_empty()).count();
    if count > limits.max_params {
        return Err(ParamError::Bad(format!(
            "{count} parameters; at most {} are accepted",
            limits.max_params
        )));
    }
    let mut out = Vec::with_capacity(count);
    for (name, value) in form_urlencoded::parse(raw.as_bytes()) {
        if value.contains('\0') || name.contains('\0') {
            return Err(ParamError::Bad("parameters may not contain NUL".to_string()));
        }
        out.push((name.into_owned(), value.into_owned()));
    }
    Ok(out)
}

/// The search a query string asks for.
pub fn search_request(raw: Option<&str>, limits: &Limits) -> Result<SearchRequest, ParamError> {
    let mut request = SearchRequest {
        limit: 10,
        ..SearchRequest::default()
    };
    let mut facets: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut seen: Vec<String> = Vec::new();
    for (name, value) in pairs(raw, limits)? {
        let name = name.replace('_', "-");
        if let Some((_, facet)) = FACET_PARAMS.iter().find(|(p, _)| *p == name) {
            if value.chars().count() > limits.max_words_chars {
                return Err(bad(&name, "is too long"));
            }
            facets.entry(facet.to_string()).or_default().push(value);
            continue;
        }
        if seen.contains(&name) {
            return Err(ParamError::Bad(format!("`{name}` is given twice")));
        }
        seen.push(name.clone());
        match name.as_str() {
            "q" => {
                let chars = value.chars().count();
                if chars > limits.max_words_chars {
                    return Err(ParamError::Bad(format!(
                        "`q` is {chars} characters; at most {} are accepted",
                        limits.max_words_chars
                    )));
                }
                request.query = value;
            }
            "population" => request.filters.population = range(&name, &value)?,
            "initial-cost" => request.filters.initial_cost = range(&name, &value)?,
            "running-cost" => request.filters.running_cost = range(&name, &value)?,
            "lead-time" => request.filters.lead_time = range(&name, &value)?,
            "near-population" => {
                let n = parse_count(&value).filter(|n| *n > 0);
                request.near_population = Some(n.ok_or_else(|| bad(&name, "is not a population (e.g. 20000 or 2万)"))?);
            }
            "sort" => {
                request.sort = SortOrder::from_str(&value, true).map_err(|_| {
                    let names: Vec<String> = SortOrder::value_variants()
                        .iter()
                        .filter_map(|v| v.to_possible_value().map(|p| p.get_name().to_string()))
                        .collect();
                    bad(&name, &format!("must be one of {}", names.join(", ")))
                })?;
            }
            "limit" => {
                request.limit = value
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=1000).contains(n))
                    .ok_or_else(|| bad(&name, "must be a number from 1 to 1000"))?;
            }
            _ => {
                let message = match did_you_mean(&name, PARAMS) {
                    Some(s) => format!("unknown parameter `{name}` (did you mean `{s}`?)"),
                    None => format!("unknown parameter `{name}`; known: {}", PARAMS.join(", ")),
                };
                return Err(ParamError::Bad(message));
            }
        }
    }
    request.filters = Filters {
        facets,
        ..request.filters
    };
    Ok(request)
}

fn bad(name: &str, what: &str) -> ParamError {
    ParamError::Bad(format!("`{name}` {what}"))
}

fn range(name: &str, value: &str) -> Result<Range, ParamError> {
    value
        .parse::<Range>()
        .map_err(|e| ParamError::Bad(format!("`{name}`: {e}")))
}

/// A key that is equal for equal searches (after filters are normalised).
pub fn cache_key(request: &SearchRequest) -> String {
    format!(
        "{:?}|{:?}|{:?}|{:?}|{}",
        request.query, request.filters, request.sort, request.near_population, request.limit
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(q: &str) -> Result<SearchRequest, ParamError> {
        search_request(Some(q), &Limits::default())
    }

    #[test]
    fn cli_flag_names_are_accepted() {
        let r = parse("q=%E6%9B%B8%E3%81%8B%E3%81%AA%E3%81%84&band=10k-50k&band=under-10k&population=1%E4%B8%87..5%E4%B8%87&operation_mode=x&sort=population&limit=5").expect("valid");
        assert_eq!(r.query, "書かない");
        assert_eq!(r.filters.facets["band"], ["10k-50k", "under-10k"]);
        assert_eq!(r.filters.facets["operation_mode"], ["x"]);
        assert_eq!(r.filters.population.min, Some(10_000));
        assert_eq!((r.sort, r.limit), (SortOrder::Population, 5));
    }

    #[test]
    fn bad_parameters_are_explained() {
        let msg = |q: &str| parse(q).expect_err("refused").to_string();
        assert!(msg("bnad=x").contains("did you mean `band`"), "{}", msg("bnad=x"));
        assert!(msg("population=5..1").contains("reversed"));
        assert!(msg("limit=0").contains("1 to 1000"));
        assert!(msg("sort=best").contains("relevance"));
        assert!(msg("q=a&q=b").contains("twice"));
        assert!(msg(&"a=1&".repeat(40)).contains("at most 32"));
        assert!(matches!(parse(&"x".repeat(3000)), Err(ParamError::TooLong(3000, 2048))));
    }
}
