//! The search index: a tantivy index of the valid cases, kept in a cache
//! folder and rebuilt only when the cases, the config or the synonyms change.
//!
//! Text fields are analysed by [`crate::analysis`] (registered as tantivy
//! tokenizers), so documents and queries share one pipeline. Facets are
//! tantivy facet fields; numbers are fast fields for ranges and sorting.

pub mod document;
mod fingerprint;
pub mod schema;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::{Index, IndexReader, ReloadPolicy};

use crate::analysis::{Analyzer, Handoff, register_tokenizers};
use crate::case::Case;
pub use document::CaseSummary;
pub use fingerprint::Fingerprint;
use schema::Fields;

/// Where the index lives below a collection's root.
pub const CACHE_DIR: &str = ".jirei-cache/index";

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("search index folder {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("the search index at {0} was written by another version of jirei; run `jirei index` to rebuild it")]
    Incompatible(PathBuf),
    /// The pass the index was built beside failed (see [`rebuild_alongside`]).
    #[error("the search index was not rebuilt because the site build failed")]
    Cancelled,
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> IndexError + '_ {
    move |source| IndexError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// An open index with its analyser.
pub struct SearchIndex {
    pub index: Index,
    pub reader: IndexReader,
    pub fields: Fields,
    pub analyzer: Analyzer,
}

impl SearchIndex {
    /// Opens the index in `dir`.
    pub fn open(dir: &Path, analyzer: &Analyzer) -> Result<SearchIndex, IndexError> {
        let index = Index::open_in_dir(dir)?;
        let (schema, fields) = Fields::schema();
        if index.schema() != schema {
            return Err(IndexError::Incompatible(dir.to_path_buf()));
        }
        SearchIndex::wrap(index, fields, analyzer)
    }

    /// Builds an index of `cases` in memory (for tests and one-off searches).
    pub fn in_memory(cases: &[Case], analyzer: &Analyzer) -> Result<SearchIndex, IndexError> {
        let (schema, fields) = Fields::schema();
        let index = Index::create_in_ram(schema);
        let all: Vec<&Case> = cases.iter().collect();
        fill(&index, &fields, &all, analyzer, None)?;
        SearchIndex::wrap(index, fields, analyzer)
    }

    fn wrap(index: Index, fields: Fields, analyzer: &Analyzer) -> Result<SearchIndex, IndexError> {
        register_tokenizers(index.tokenizers(), analyzer);
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(SearchIndex {
            index,
            reader,
            fields,
            analyzer: analyzer.clone(),
        })
    }

    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }
}

/// The memory tantivy may fill with postings before it writes a segment,
/// shared by its indexing threads.
const INDEXING_MEMORY: usize = 800_000_000;

/// The same, for an index built beside the site's search data: both hold
/// their data at once, and together they stay under 4 GB at 100,000 cases.
const INDEXING_MEMORY_ALONGSIDE: usize = 300_000_000;

fn fill(
    index: &Index,
    fields: &Fields,
    cases: &[&Case],
    analyzer: &Analyzer,
    handoff: Option<&Arc<Handoff>>,
) -> Result<(), IndexError> {
    match handoff {
        Some(handoff) => register_tokenizers(index.tokenizers(), &analyzer.taking_from(Arc::clone(handoff))),
        None => register_tokenizers(index.tokenizers(), analyzer),
    }
    // One budget for all threads: fewer, larger segments leave less to
    // merge (100,000 cases: 69 -> 63 s, 5 segments instead of 7); the
    // memory is only taken as the segments fill. Built alone, the site's
    // search data needed more at its peak; built beside it, it adds to it.
    // Beside the site, whose search data keeps every core busy, one
    // indexing thread does the same work with fewer cache misses than two
    // taking turns with it (10,000 cases: 12.3–12.6 s -> 11.5–11.8 s).
    let (threads, budget) = if handoff.is_some() {
        (1, INDEXING_MEMORY_ALONGSIDE)
    } else {
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 8);
        (threads, INDEXING_MEMORY)
    };
    let mut writer = index.writer_with_num_threads::<tantivy::TantivyDocument>(threads, budget)?;
    let mut ids: Vec<&str> = cases.iter().map(|c| c.id.as_str()).collect();
    ids.sort_unstable();
    for (doc, case) in cases.iter().enumerate() {
        if let Some(handoff) = handoff {
            handoff.wait_for(doc);
            if handoff.is_cancelled() {
                return Err(IndexError::Cancelled);
            }
        }
        let rank = ids.binary_search(&case.id.as_str()).unwrap_or(0) as u64;
        writer.add_document(document::to_document(case, rank, fields)?)?;
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    Ok(())
}

/// Writes a fresh index of `cases` into `dir`: built next to it, then
/// swapped in, so a failure leaves the previous index intact. Drafts are
/// left out unless `fingerprint` says the index includes them, so by
/// default `jirei search` searches what the site publishes.
pub fn build(
    dir: &Path,
    cases: &[Case],
    analyzer: &Analyzer,
    fingerprint: &Fingerprint,
    handoff: Option<&Arc<Handoff>>,
) -> Result<SearchIndex, IndexError> {
    let parent = dir.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(io_error(parent))?;
    let staging = parent.join(format!(".index-building-{}", std::process::id()));
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(io_error(&staging))?;
    }
    fs::create_dir_all(&staging).map_err(io_error(&staging))?;
    let (schema, fields) = Fields::schema();
    let index = Index::create_in_dir(&staging, schema)?;
    let held: Vec<&Case> = cases.iter().filter(|c| fingerprint.holds(c)).collect();
    if let Err(e) = fill(&index, &fields, &held, analyzer, handoff) {
        drop(index);
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    drop(index);
    fingerprint.write(&staging).map_err(io_error(&staging))?;
    swap_into_place(&staging, dir)?;
    SearchIndex::open(dir, analyzer)
}

fn swap_into_place(staging: &Path, dir: &Path) -> Result<(), IndexError> {
    let old = dir.with_extension(format!("old-{}", std::process::id()));
    if dir.exists() {
        fs::rename(dir, &old).map_err(io_error(dir))?;
    }
    fs::rename(staging, dir).map_err(io_error(dir))?;
    if old.exists() {
        fs::remove_dir_all(&old).map_err(io_error(&old))?;
    }
    Ok(())
}

/// Whether an index was reused or rebuilt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    Reused,
    Rebuilt,
}

/// The cached index of `root` if it is current (reading it needs no lock).
pub fn open_current(root: &Path, analyzer: &Analyzer, drafts: bool) -> Option<SearchIndex> {
    if !is_current(root, &Fingerprint::of_collection(root, drafts)) {
        return None;
    }
    SearchIndex::open(&root.join(CACHE_DIR), analyzer).ok()
}

/// Opens the cached index of `root` if it is current, else rebuilds it
/// from `load_cases` (called only when needed). A caller that may rebuild
/// holds the build lock ([`crate::lock::BuildLock`]).
pub fn ensure<F>(
    root: &Path,
    analyzer: &Analyzer,
    drafts: bool,
    load_cases: F,
) -> Result<(SearchIndex, Freshness), IndexError>
where
    F: FnOnce() -> Vec<Case>,
{
    ensure_at(root, analyzer, &Fingerprint::of_collection(root, drafts), load_cases)
}

/// [`ensure`] against `fingerprint`, the collection's as the caller took
/// it before reading any case file: a file saved since then leaves the
/// index stale (rebuilt by the next search), never wrongly current.
pub fn ensure_at<F>(
    root: &Path,
    analyzer: &Analyzer,
    fingerprint: &Fingerprint,
    load_cases: F,
) -> Result<(SearchIndex, Freshness), IndexError>
where
    F: FnOnce() -> Vec<Case>,
{
    let dir = root.join(CACHE_DIR);
    if is_current(root, fingerprint)
        && let Ok(index) = SearchIndex::open(&dir, analyzer)
    {
        return Ok((index, Freshness::Reused));
    }
    let cases = load_cases();
    Ok((build(&dir, &cases, analyzer, fingerprint, None)?, Freshness::Rebuilt))
}

/// Rebuilds the cached index of `root` from `load_cases`, current or not.
pub fn rebuild<F>(root: &Path, analyzer: &Analyzer, drafts: bool, load_cases: F) -> Result<SearchIndex, IndexError>
where
    F: FnOnce() -> Vec<Case>,
{
    // Taken before the files are read (see `ensure_at`).
    let fingerprint = Fingerprint::of_collection(root, drafts);
    build(&root.join(CACHE_DIR), &load_cases(), analyzer, &fingerprint, None)
}

/// Like [`rebuild`], beside another pass over the same cases that offers
/// their segmentations in `handoff` in the same order (the site's search
/// data): document `i` is added once that pass has offered it, and its
/// texts are taken from the handoff rather than segmented again. The
/// index is the same either way. If the handoff is cancelled, nothing is
/// written and the result is [`IndexError::Cancelled`].
/// `fingerprint` is the collection's, taken before the cases were read.
pub fn rebuild_alongside(
    root: &Path,
    analyzer: &Analyzer,
    cases: &[Case],
    fingerprint: &Fingerprint,
    handoff: &Arc<Handoff>,
) -> Result<SearchIndex, IndexError> {
    build(&root.join(CACHE_DIR), cases, analyzer, fingerprint, Some(handoff))
}

/// Whether `root` has a search index at all, current or not: one whose
/// fingerprint was written (see [`is_current`]).
pub fn exists(root: &Path) -> bool {
    Fingerprint::read(&root.join(CACHE_DIR)).is_some()
}

/// Whether the cached index of `root` was built for the collection as
/// `fingerprint` describes it.
pub fn is_current(root: &Path, fingerprint: &Fingerprint) -> bool {
    Fingerprint::read(&root.join(CACHE_DIR)).as_ref() == Some(fingerprint)
}
