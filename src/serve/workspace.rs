//! The collection as `jirei serve` holds it between rebuilds, and the
//! rebuild itself (synchronous; it runs on its own thread).
//!
//! Serve keeps the latest parse of every case file and the set of cases the
//! served site was built from. On a change only the changed files are read
//! and parsed again. While any case is invalid (or two share an id) nothing
//! is published: the previous site and index keep being served and the
//! errors go to the browsers' overlay. Once every case is valid again, the
//! difference to the built set is applied: one edited case through the
//! [`fast`](super::fast) path when it can, other edits of cases through
//! [`SiteModel::rebuild`], the theme and the config by a full site build; the
//! search index is updated in place ([`index_update`](super::index_update)),
//! or rebuilt when `jirei.toml` or `synonyms.toml` changed.
//!
//! Each rebuild holds the collection's [`BuildLock`], so a `jirei build`
//! started meanwhile waits for it (and the other way round).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;

use super::fast::{NotFast, SiteModel, site_options};
use super::index_update;
use super::scan::{Parsed, differs, rescan, scan, valid_cases};
use super::state::{ShownDiagnostic, Snapshot};
use crate::analysis::Analyzer;
use crate::case::Case;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::index::{self, Fingerprint, SearchIndex};
use crate::lock::BuildLock;
use crate::publish::{self, IndexBeside};
use crate::site;
use crate::timing::Phases;

/// How long a rebuild waits for another process's build.
const LOCK_WAIT: Duration = Duration::from_secs(600);

/// What changed on disk, as the watcher reports it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Files or folders below `cases/`.
    pub cases: BTreeSet<PathBuf>,
    /// `jirei.toml` or `synonyms.toml`.
    pub config: bool,
    /// Anything below `themes/`.
    pub theme: bool,
    /// Events were lost: read every case again.
    pub everything: bool,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.cases.is_empty() && !self.config && !self.theme && !self.everything
    }
}

/// The result of applying changes.
#[derive(Debug)]
pub enum Outcome {
    /// Nothing to publish (a file was saved unchanged).
    Unchanged,
    /// The site and index were updated.
    Published {
        changed: Vec<String>,
        /// How the site was brought up to date.
        scope: Scope,
        /// Pages written (those whose HTML changed).
        pages: usize,
        elapsed: Duration,
    },
    /// The edits cannot be published; the previous site stays.
    Failed(Vec<ShownDiagnostic>),
}

/// How much of the site a rebuild derived again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// One edited case that kept its place: the pages showing it
    /// ([`SiteModel::apply`]).
    Case,
    /// Cases that moved, appeared or went: the model from every case, the
    /// pages whose HTML changed ([`SiteModel::rebuild`]).
    Cases,
    /// The theme or the config changed: a full site build.
    Site,
}

/// The collection, its served site and its index.
pub struct Workspace {
    root: PathBuf,
    out: PathBuf,
    drafts: bool,
    config: Config,
    analyzer: Analyzer,
    disk: BTreeMap<PathBuf, Parsed>,
    /// What the served site and index were built from: path → (case, text).
    built: BTreeMap<PathBuf, (Arc<Case>, Arc<str>)>,
    model: Option<SiteModel>,
    index: Arc<SearchIndex>,
    records: Arc<HashMap<String, Bytes>>,
    /// Pages of the last full build.
    page_count: usize,
    /// Files read since the last published rebuild.
    pending: BTreeSet<PathBuf>,
    /// A build failed (theme, config): the next rebuild must be full.
    stale: bool,
}

impl Workspace {
    /// Loads the collection of `root` (canonical), builds the site into
    /// `out` and opens (or builds) the index. Invalid cases are left out,
    /// and reported by [`Workspace::errors`].
    pub fn open(root: &Path, out: &Path, drafts: bool) -> Result<Workspace, Box<ShownDiagnostic>> {
        let shown = |d: &Diagnostic| Box::new(ShownDiagnostic::of(d, root, None));
        // Taken before any file is read (see `apply`), once for the check
        // and the refresh.
        let fingerprint = Fingerprint::of_collection(root, drafts);
        let config = Config::load(root).map_err(|d| shown(&d))?;
        let analyzer = Analyzer::for_collection(root)
            .map_err(|e| shown(&Diagnostic::error(root.join("synonyms.toml"), 0, 0, e.to_string())))?;
        let _lock = lock(root)?;
        let (disk, _) = scan(
            &root.join("cases"),
            &config.bands,
            BTreeMap::new(),
            &BTreeSet::new(),
            true,
        );
        let cases = valid_cases(&disk);
        // A stale index is built beside the first site build, from its
        // segmentations (see `publish`).
        let beside = IndexBeside::if_stale(root, &analyzer, &fingerprint);
        let options = site_options(root, out, drafts);
        let (site, built) = publish::site_and_index(&cases, &config, &options, beside.as_ref());
        let page_count = site
            .map_err(|e| Box::new(ShownDiagnostic::of_build_error(e, root, out)))?
            .pages;
        let index = match built {
            Some(built) => publish::built_index(built).map(|(index, _)| index),
            None => index::ensure_at(root, &analyzer, &fingerprint, || cases.clone())
                .map(|(index, _)| index)
                .map_err(|e| e.to_string()),
        }
        .map_err(|e| shown(&Diagnostic::error(root.join(index::CACHE_DIR), 0, 0, e)))?;
        let mut workspace = Workspace {
            root: root.to_path_buf(),
            out: out.to_path_buf(),
            drafts,
            config,
            analyzer,
            disk,
            built: BTreeMap::new(),
            model: None,
            index: Arc::new(index),
            records: Arc::new(HashMap::new()),
            pending: BTreeSet::new(),
            page_count,
            stale: false,
        };
        workspace.remodel(&cases)?;
        workspace.built = workspace.valid_built();
        Ok(workspace)
    }

    /// The collection's root (canonical).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// How many cases the served site was built from.
    pub fn case_count(&self) -> usize {
        self.built.len()
    }

    /// What the handlers serve now.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            index: self.index.clone(),
            config: Arc::new(self.config.clone()),
            cases: self.records.clone(),
        }
    }

    /// Invalid cases and duplicate ids, as the overlay shows them.
    pub fn errors(&self) -> Vec<ShownDiagnostic> {
        let mut errors = Vec::new();
        let mut first: HashMap<&str, &Path> = HashMap::new();
        for (path, parsed) in &self.disk {
            match parsed {
                Parsed::Invalid { diagnostics, text } => errors.extend(
                    diagnostics
                        .iter()
                        .filter(|d| d.is_error())
                        .map(|d| ShownDiagnostic::of(d, &self.root, text.as_deref())),
                ),
                Parsed::Valid { case, .. } => match first.get(case.id.as_str()) {
                    Some(other) => {
                        let other = crate::diagnostic::display_path(&self.root, other);
                        let d = Diagnostic::error(
                            path,
                            0,
                            0,
                            format!("the id `{}` is already used by {}", case.id, other.display()),
                        )
                        .with_help("every case needs its own id: change `id:` or the file name");
                        errors.push(ShownDiagnostic::of(&d, &self.root, None));
                    }
                    None => {
                        first.insert(&case.id, path);
                    }
                },
            }
        }
        errors
    }

    /// Applies what changed on disk.
    pub fn apply(&mut self, changes: &Changes) -> Outcome {
        let started = Instant::now();
        // Taken before any file is read (on another thread, while they are):
        // if a file changes after this, the fingerprint is stale and the CLI
        // rebuilds the index (never the reverse).
        let (root, drafts) = (self.root.clone(), self.drafts);
        let fingerprint = std::thread::spawn(move || Fingerprint::of_collection(&root, drafts));
        let mut phases = Phases::since(started);
        let mut full = self.stale || changes.theme;
        let mut reindex = false;
        if changes.config {
            let config = Config::load(&self.root);
            let analyzer = Analyzer::for_collection(&self.root).map_err(|e| e.to_string());
            match (config, analyzer) {
                (Ok(config), Ok(analyzer)) => {
                    self.config = config;
                    self.analyzer = analyzer;
                }
                (Err(d), _) => return Outcome::Failed(vec![ShownDiagnostic::of(&d, &self.root, None)]),
                (_, Err(m)) => {
                    let d = Diagnostic::error(self.root.join("synonyms.toml"), 0, 0, m);
                    return Outcome::Failed(vec![ShownDiagnostic::of(&d, &self.root, None)]);
                }
            }
            full = true;
            reindex = true;
        }
        let touched = self.rescan(&changes.cases, changes.config || changes.everything);
        self.pending.extend(touched);
        phases.mark("read");
        let errors = self.errors();
        phases.mark("check");
        if !errors.is_empty() {
            return Outcome::Failed(errors);
        }
        let changed: Vec<PathBuf> = self
            .pending
            .iter()
            .filter(|p| differs(self.disk.get(*p), self.built.get(*p)))
            .cloned()
            .collect();
        if changed.is_empty() && !full {
            self.pending.clear();
            return Outcome::Unchanged;
        }
        let shown_paths: Vec<String> = changed
            .iter()
            .map(|p| crate::diagnostic::display_path(&self.root, p).display().to_string())
            .collect();
        let _lock = match lock(&self.root) {
            Ok(lock) => lock,
            Err(e) => return Outcome::Failed(vec![*e]),
        };
        let mut rewritten = None;
        if !full && let [path] = changed.as_slice() {
            rewritten = self.try_fast(path).map(|pages| (Scope::Case, pages));
        }
        if !full && rewritten.is_none() {
            rewritten = self.try_rebuild(&changed).map(|pages| (Scope::Cases, pages));
        }
        let (scope, pages) = rewritten.unwrap_or((Scope::Site, self.page_count));
        if scope == Scope::Site
            && let Err(errors) = self.full_site(&valid_cases(&self.disk))
        {
            self.stale = true;
            return Outcome::Failed(errors);
        }
        phases.mark(match scope {
            Scope::Case => "page",
            Scope::Cases => "changed pages",
            Scope::Site => "site",
        });
        let fingerprint = fingerprint
            .join()
            .unwrap_or_else(|_| Fingerprint::of_collection(&self.root, self.drafts));
        if let Err(e) = self.update_index(&changed, reindex, &fingerprint) {
            let d = Diagnostic::error(self.root.join(index::CACHE_DIR), 0, 0, e);
            self.stale = true;
            return Outcome::Failed(vec![ShownDiagnostic::of(&d, &self.root, None)]);
        }
        phases.mark("index");
        if scope != Scope::Case {
            self.built = self.valid_built();
        } else {
            for path in &changed {
                match self.disk.get(path) {
                    Some(Parsed::Valid { case, text }) => {
                        self.built.insert(path.clone(), (case.clone(), text.clone()));
                    }
                    _ => {
                        self.built.remove(path);
                    }
                }
            }
        }
        self.pending.clear();
        self.stale = false;
        phases.report("rebuild");
        Outcome::Published {
            changed: shown_paths,
            scope,
            pages,
            elapsed: started.elapsed(),
        }
    }

    /// Work left after publishing a partial rebuild: the search page's
    /// data and the exports (`cases.json`, `cases.csv`), made from the
    /// cases the served site was built from (the files on disk may have
    /// become invalid since). Returns how long it took, `None` when there
    /// was nothing to do.
    pub fn finish(&mut self) -> Option<Duration> {
        self.finish_unless(&|| false)
    }

    /// Like [`finish`](Self::finish), but the search data, the long part,
    /// is left for later as soon as `newer_work` says so (a save is
    /// waiting): nothing is written then, and a later `finish` does it.
    pub fn finish_unless(&mut self, newer_work: &(dyn Fn() -> bool + Sync)) -> Option<Duration> {
        let started = Instant::now();
        let model = self.model.as_mut().filter(|m| m.exports_stale())?;
        let mut cases: Vec<Case> = self.built.values().map(|(case, _)| (**case).clone()).collect();
        cases.sort_by(|a, b| a.id.cmp(&b.id));
        match model.write_exports(&self.out, &cases, &self.config, &self.root, newer_work) {
            Ok(true) => Some(started.elapsed()),
            Ok(false) | Err(NotFast::Interrupted) => None,
            Err(e) => {
                eprintln!("jirei: writing the exports failed ({e:?}); the next rebuild is full");
                self.stale = true;
                None
            }
        }
    }

    /// The fast path for one edited file: the pages rewritten, or `None`
    /// when it does not apply.
    fn try_fast(&mut self, path: &Path) -> Option<usize> {
        let (Some((old, _)), Some(Parsed::Valid { case: new, .. }), Some(model)) =
            (self.built.get(path), self.disk.get(path), self.model.as_mut())
        else {
            return None;
        };
        if old.id == new.id && old.front.draft == new.front.draft && !model.publishes(&new.id) {
            // An unpublished draft: only the index changes.
            return Some(0);
        }
        match model.apply(old, new, &self.config, &self.out) {
            Ok((record, pages)) => {
                let mut records = (*self.records).clone();
                records.insert(
                    new.id.clone(),
                    Bytes::from(serde_json::to_vec(&record).unwrap_or_default()),
                );
                self.records = Arc::new(records);
                Some(pages)
            }
            Err(NotFast::Shape) => None,
            Err(_) => {
                self.model = None;
                None
            }
        }
    }

    /// The path for edits that move cases (see [`SiteModel::rebuild`]): the
    /// pages written, or `None` when there is no model or it failed (the
    /// whole site is then built).
    fn try_rebuild(&mut self, changed: &[PathBuf]) -> Option<usize> {
        let cases = valid_cases(&self.disk);
        let edited: HashSet<&str> = changed
            .iter()
            .flat_map(|path| {
                let before = self.built.get(path).map(|(case, _)| case.id.as_str());
                let now = match self.disk.get(path) {
                    Some(Parsed::Valid { case, .. }) => Some(case.id.as_str()),
                    _ => None,
                };
                [before, now]
            })
            .flatten()
            .collect();
        let model = self.model.as_mut()?;
        match model.rebuild(&cases, &edited, &self.config, &self.out) {
            Ok(pages) => {
                self.page_count = model.page_count();
                self.records = Arc::new(model.records());
                Some(pages)
            }
            Err(e) => {
                eprintln!("jirei: updating the changed pages failed ({e:?}); building the whole site");
                self.model = None;
                None
            }
        }
    }

    /// Builds the whole site into the served folder and the model for
    /// later fast rebuilds.
    fn full_site(&mut self, cases: &[Case]) -> Result<(), Vec<ShownDiagnostic>> {
        let options = site_options(&self.root, &self.out, self.drafts);
        match site::build(cases, &self.config, &options) {
            Ok(report) => self.page_count = report.pages,
            Err(e) => return Err(vec![ShownDiagnostic::of_build_error(e, &self.root, &self.out)]),
        }
        self.remodel(cases).map_err(|d| vec![*d])
    }

    /// The model for later fast rebuilds, and the records the API serves,
    /// of the cases the site was just built from.
    fn remodel(&mut self, cases: &[Case]) -> Result<(), Box<ShownDiagnostic>> {
        let model = SiteModel::new(&self.root, cases, &self.config, self.drafts)
            .map_err(|d| Box::new(ShownDiagnostic::of(&d, &self.root, None)))?;
        self.records = Arc::new(model.records());
        self.model = Some(model);
        Ok(())
    }

    fn update_index(&mut self, changed: &[PathBuf], reindex: bool, fingerprint: &Fingerprint) -> Result<(), String> {
        if !reindex && changed.is_empty() {
            return Ok(());
        }
        if !reindex {
            let removed: Vec<String> = changed
                .iter()
                .filter_map(|p| self.built.get(p))
                .map(|(c, _)| c.id.clone())
                .collect();
            let upserts: Vec<&Case> = changed
                .iter()
                .filter_map(|p| match self.disk.get(p) {
                    Some(Parsed::Valid { case, .. }) => Some(&**case),
                    _ => None,
                })
                .collect();
            let mut ids: Vec<&str> = self
                .disk
                .values()
                .filter_map(|p| match p {
                    Parsed::Valid { case, .. } => Some(case.id.as_str()),
                    Parsed::Invalid { .. } => None,
                })
                .collect();
            ids.sort_unstable();
            match index_update::update(&self.root, &self.index, &removed, &upserts, &ids, fingerprint) {
                Ok(()) => return Ok(()),
                Err(e) => eprintln!("jirei: updating the index failed ({e}); rebuilding it"),
            }
        }
        let cases = valid_cases(&self.disk);
        let dir = self.root.join(index::CACHE_DIR);
        let index = index::build(&dir, &cases, &self.analyzer, fingerprint, None).map_err(|e| e.to_string())?;
        self.index = Arc::new(index);
        Ok(())
    }

    /// Reads again what changed (see [`rescan`]).
    fn rescan(&mut self, changed: &BTreeSet<PathBuf>, everything: bool) -> Vec<PathBuf> {
        rescan(
            &mut self.disk,
            &self.root.join("cases"),
            &self.config.bands,
            changed,
            everything,
        )
    }

    fn valid_built(&self) -> BTreeMap<PathBuf, (Arc<Case>, Arc<str>)> {
        self.disk
            .iter()
            .filter_map(|(path, parsed)| match parsed {
                Parsed::Valid { case, text } => Some((path.clone(), (case.clone(), text.clone()))),
                Parsed::Invalid { .. } => None,
            })
            .collect()
    }
}

fn lock(root: &Path) -> Result<BuildLock, Box<ShownDiagnostic>> {
    BuildLock::acquire(root, "jirei serve", LOCK_WAIT, |holder| {
        eprintln!("jirei: waiting for another jirei process ({holder}) building this collection…")
    })
    .map_err(|e| {
        let d = Diagnostic::error(root.join(crate::lock::LOCK_FILE), 0, 0, e.to_string());
        Box::new(ShownDiagnostic::of(&d, root, None))
    })
}
