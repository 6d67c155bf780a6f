//! Updating the cached search index in place after an edit, instead of
//! rebuilding it: the documents of the changed and removed cases are
//! deleted by id, the changed and new cases added, and the commit is
//! picked up by the open reader. The fingerprint is rewritten, so
//! `jirei search` keeps using the updated index.
//!
//! The tie-break rank of a new id is its position among the ids at the
//! time; ranks of other cases are not shifted, so two cases may share a
//! rank until the next full rebuild (`jirei index --force`), which only
//! matters for hits of exactly equal score.

use std::path::Path;

use tantivy::{TantivyDocument, Term};

use crate::case::Case;
use crate::index::{self, Fingerprint, IndexError, SearchIndex, document};

/// Memory for the writer of one small update (tantivy's minimum is 15 MB).
const WRITER_MEMORY: usize = 20_000_000;

/// Replaces the documents of `removed` ids and `upserts` in `index`, whose
/// folder is `root`'s cache. `sorted_ids` are all ids after the change;
/// `fingerprint` is the collection's, taken before the files were read.
pub fn update(
    root: &Path,
    index: &SearchIndex,
    removed: &[String],
    upserts: &[&Case],
    sorted_ids: &[&str],
    fingerprint: &Fingerprint,
) -> Result<(), IndexError> {
    let mut writer = index
        .index
        .writer_with_num_threads::<TantivyDocument>(1, WRITER_MEMORY)?;
    for id in removed
        .iter()
        .map(String::as_str)
        .chain(upserts.iter().map(|c| c.id.as_str()))
    {
        writer.delete_term(Term::from_field_text(index.fields.id, id));
    }
    for case in upserts.iter().filter(|c| fingerprint.holds(c)) {
        let rank = sorted_ids.binary_search(&case.id.as_str()).unwrap_or_else(|at| at) as u64;
        writer.add_document(document::to_document(case, rank, &index.fields)?)?;
    }
    writer.commit()?;
    drop(writer);
    index.reader.reload()?;
    let dir = root.join(index::CACHE_DIR);
    fingerprint
        .write(&dir)
        .map_err(|source| IndexError::Io { path: dir, source })
}
