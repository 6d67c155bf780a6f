//! Exports of the collection for other search engines.
//!
//! `jirei export --format opensearch` writes what a portal that already
//! runs OpenSearch (or Elasticsearch) needs to host the collection there:
//! an index definition ([`opensearch::mapping`]: Japanese text analysed by
//! kuromoji, facets as keywords, numbers as longs, dates as dates) and the
//! documents as a bulk NDJSON file ([`opensearch::bulk`]), one document per
//! valid case. The static site stays the simple default; see the README
//! for when an external engine is worth it.

pub mod opensearch;

use std::path::{Path, PathBuf};

use crate::case::Case;
use crate::config::Config;

/// Why an export could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("cannot serialise the documents: {0}")]
    Json(#[from] serde_json::Error),
}

/// The files an export wrote.
#[derive(Debug, Clone)]
pub struct ExportReport {
    pub documents: usize,
    pub files: Vec<PathBuf>,
}

/// Writes the OpenSearch files for `cases` into `out`: `mapping.json` and
/// `cases.ndjson`, for the index `index_name`.
pub fn write_opensearch(
    cases: &[Case],
    config: &Config,
    out: &Path,
    index_name: &str,
) -> Result<ExportReport, ExportError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ExportError::Io { path, source }
    };
    std::fs::create_dir_all(out).map_err(io(out))?;
    let documents = opensearch::documents(cases, config);
    let mut mapping = serde_json::to_vec_pretty(&opensearch::mapping())?;
    mapping.push(b'\n');
    let bulk = opensearch::bulk(&documents, index_name)?;
    let mapping_path = out.join("mapping.json");
    let bulk_path = out.join("cases.ndjson");
    std::fs::write(&mapping_path, mapping).map_err(io(&mapping_path))?;
    std::fs::write(&bulk_path, bulk).map_err(io(&bulk_path))?;
    Ok(ExportReport {
        documents: documents.len(),
        files: vec![mapping_path, bulk_path],
    })
}
