//! Publishing the site and refreshing its search index in one pass: when
//! the cached tantivy index is stale, it is built on a second thread while
//! the site is built, from the segmentations the site's search data makes
//! (see [`Handoff`]), so each text goes through the dictionary once.
//!
//! Used by `jirei build` and by the first build of `jirei serve`. This
//! module sits above [`crate::index`] and [`crate::site`], which know
//! nothing of each other.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::analysis::{Analyzer, Handoff};
use crate::case::Case;
use crate::config::Config;
use crate::index::{self, Fingerprint, IndexError, SearchIndex};
use crate::site::{self, BuildError, BuildOptions, BuildReport};

/// A stale search index to rebuild beside the site.
pub struct IndexBeside<'a> {
    root: &'a Path,
    analyzer: &'a Analyzer,
    fingerprint: Fingerprint,
    handoff: Arc<Handoff>,
}

impl<'a> IndexBeside<'a> {
    /// The index of `root` to rebuild beside the site, or `None` when the
    /// cached one is current. `fingerprint` is the collection's, taken
    /// before its cases were read (see [`index::ensure_at`]).
    pub fn if_stale(root: &'a Path, analyzer: &'a Analyzer, fingerprint: &Fingerprint) -> Option<IndexBeside<'a>> {
        (!index::is_current(root, fingerprint)).then(|| IndexBeside {
            root,
            analyzer,
            fingerprint: fingerprint.clone(),
            handoff: Arc::new(Handoff::new()),
        })
    }

    /// How many texts the index took from the site and how many it had to
    /// segment again.
    pub fn stats(&self) -> crate::analysis::HandoffStats {
        self.handoff.stats()
    }
}

/// The index built beside the site: the result and how long it took, or
/// the panic that stopped its thread.
pub type IndexBuilt = std::thread::Result<(Result<SearchIndex, IndexError>, Duration)>;

/// Builds the site and, with `beside`, the search index on a second thread
/// at the same time, the site offering its segmentations to the index
/// (`options.handoff` is set to do so). If the site build fails, the index
/// is not replaced (its build is cancelled).
pub fn site_and_index(
    cases: &[Case],
    config: &Config,
    options: &BuildOptions,
    beside: Option<&IndexBeside<'_>>,
) -> (Result<BuildReport, BuildError>, Option<IndexBuilt>) {
    let options = BuildOptions {
        handoff: beside.map(|b| Arc::clone(&b.handoff)),
        ..options.clone()
    };
    std::thread::scope(|scope| {
        let index = beside.map(|b| {
            scope.spawn(move || {
                let started = Instant::now();
                let index = index::rebuild_alongside(b.root, b.analyzer, cases, &b.fingerprint, &b.handoff);
                (index, started.elapsed())
            })
        });
        // Closed however the site build ends (an error or a panic too), so
        // the index never waits for offers that will not come.
        let closing = beside.map(|b| b.handoff.closing());
        let site = site::build(cases, config, &options);
        if let (Err(_), Some(b)) = (&site, beside) {
            // The build fails: as before, the index is left as it was.
            b.handoff.cancel();
        }
        drop(closing);
        (site, index.map(|job| job.join()))
    })
}

/// The index of an [`IndexBuilt`], or what went wrong as one sentence.
pub fn built_index(built: IndexBuilt) -> Result<(SearchIndex, Duration), String> {
    match built {
        Ok((Ok(index), took)) => Ok((index, took)),
        Ok((Err(e), _)) => Err(format!("the search index failed: {e}")),
        Err(_) => Err("building the search index stopped unexpectedly".to_string()),
    }
}
