//! What the HTTP handlers share: the current snapshot of the collection
//! (index, config, case records), the build status, the live-reload event
//! channel, the search admission limits and a small response cache.
//!
//! The rebuild thread publishes a new [`Snapshot`] after each successful
//! rebuild and an [`Event`] for the browsers; handlers only read.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use axum::body::Bytes;
use serde::Serialize;
use tokio::sync::{OnceCell, OwnedSemaphorePermit, Semaphore, broadcast};

use super::params::Limits;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::index::SearchIndex;
use crate::site::BuildError;

/// The collection as last built successfully.
pub struct Snapshot {
    pub index: Arc<SearchIndex>,
    pub config: Arc<Config>,
    /// Case id → JSON of every structured field (the entry of `cases.json`).
    pub cases: Arc<HashMap<String, Bytes>>,
}

/// A problem shown in the browser's overlay.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ShownDiagnostic {
    /// `cases/x.md:3:5`
    pub location: String,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub severity: &'static str,
    pub message: String,
    pub help: Option<String>,
    /// The source line, when known.
    pub source_line: Option<String>,
}

impl ShownDiagnostic {
    /// `d` with its path relative to `root` and the source line from `source`.
    pub fn of(d: &Diagnostic, root: &Path, source: Option<&str>) -> ShownDiagnostic {
        let file = crate::diagnostic::display_path(root, &d.path).display().to_string();
        let location = match (d.line, d.column) {
            (0, _) => file.clone(),
            (l, 0) => format!("{file}:{l}"),
            (l, c) => format!("{file}:{l}:{c}"),
        };
        let source_line = source
            .and_then(|s| s.lines().nth(d.line.checked_sub(1)?))
            .map(str::to_string);
        ShownDiagnostic {
            location,
            file,
            line: d.line,
            column: d.column,
            severity: d.severity.label(),
            message: d.message.clone(),
            help: d.help.clone(),
            source_line,
        }
    }

    /// A failed site build into `out`: a theme error with its template's
    /// source line, anything else at the output folder.
    pub fn of_build_error(error: BuildError, root: &Path, out: &Path) -> ShownDiagnostic {
        match error {
            BuildError::Template {
                diagnostic,
                template_source,
            } => ShownDiagnostic::of(&diagnostic, root, template_source.as_deref()),
            e => ShownDiagnostic::of(&Diagnostic::error(out, 0, 0, e.to_string()), root, None),
        }
    }
}

/// The outcome of the latest rebuild.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Status {
    /// Increases with every change that was published.
    pub generation: u64,
    /// Errors that keep the latest edits from being published; empty when
    /// the site is current.
    pub errors: Vec<ShownDiagnostic>,
}

/// What the browsers are told.
#[derive(Debug, Clone)]
pub enum Event {
    /// The site changed: reload.
    Reload { generation: u64, changed: Vec<String> },
    /// The latest edits have errors; the previous site is still served.
    Failed(Status),
}

/// The answer to a search, shared by identical requests.
#[derive(Debug, Clone)]
pub enum Answer {
    /// The JSON body.
    Found(Bytes),
    /// A mistake in the request (400).
    Refused(String),
    /// A broken index or similar (500).
    Failed(String),
}

/// Everything the handlers share.
pub struct AppState {
    pub site_dir: PathBuf,
    pub limits: Limits,
    /// Answer only requests addressed to a loopback name (see
    /// [`StateOptions::local_hosts_only`]).
    pub local_hosts_only: bool,
    snapshot: RwLock<Arc<Snapshot>>,
    status: RwLock<Status>,
    events: broadcast::Sender<Event>,
    /// Admission: searches running or waiting; beyond it, 503.
    admitted: Arc<Semaphore>,
    /// Searches running at once (about the number of cores).
    running: Arc<Semaphore>,
    cache: Mutex<Cache>,
    cache_capacity: usize,
    /// Searches being computed, by generation and key: identical requests
    /// arriving meanwhile wait for the same answer instead of computing it
    /// again (no thundering herd on a cold cache).
    inflight: Mutex<HashMap<String, Arc<OnceCell<Answer>>>>,
    generation: AtomicU64,
}

#[derive(Default)]
struct Cache {
    generation: u64,
    entries: HashMap<String, Bytes>,
}

/// How the state is set up.
#[derive(Debug, Clone)]
pub struct StateOptions {
    pub site_dir: PathBuf,
    pub limits: Limits,
    /// Refuse requests whose `Host` is not `localhost`, `127.0.0.1` or
    /// `[::1]` (set when serving on loopback): a web page elsewhere cannot
    /// then read the preview through DNS rebinding.
    pub local_hosts_only: bool,
    pub max_searches: usize,
    pub search_threads: usize,
    /// Cached search responses (0 turns the cache off).
    pub cache_entries: usize,
}

impl AppState {
    pub fn new(options: StateOptions, snapshot: Snapshot) -> Arc<AppState> {
        let (events, _) = broadcast::channel(64);
        Arc::new(AppState {
            site_dir: options.site_dir,
            limits: options.limits,
            local_hosts_only: options.local_hosts_only,
            snapshot: RwLock::new(Arc::new(snapshot)),
            status: RwLock::new(Status {
                generation: 0,
                errors: Vec::new(),
            }),
            events,
            admitted: Arc::new(Semaphore::new(options.max_searches.max(1))),
            running: Arc::new(Semaphore::new(options.search_threads.max(1))),
            cache: Mutex::new(Cache::default()),
            cache_capacity: options.cache_entries,
            inflight: Mutex::new(HashMap::new()),
            generation: AtomicU64::new(0),
        })
    }

    /// The current snapshot.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        match self.snapshot.read() {
            Ok(s) => s.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    pub fn status(&self) -> Status {
        match self.status.read() {
            Ok(s) => s.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.events.subscribe()
    }

    /// Publishes a rebuilt collection (or only a new generation, with
    /// `snapshot` `None`) and tells the browsers to reload.
    pub fn publish(&self, snapshot: Option<Snapshot>, changed: Vec<String>) -> u64 {
        if let Some(snapshot) = snapshot {
            let mut slot = self.snapshot.write().unwrap_or_else(|p| p.into_inner());
            *slot = Arc::new(snapshot);
        }
        let generation = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        {
            let mut status = self.status.write().unwrap_or_else(|p| p.into_inner());
            *status = Status {
                generation,
                errors: Vec::new(),
            };
        }
        let _ = self.events.send(Event::Reload { generation, changed });
        generation
    }

    /// Reports edits that cannot be published.
    pub fn fail(&self, errors: Vec<ShownDiagnostic>) {
        let status = {
            let mut status = self.status.write().unwrap_or_else(|p| p.into_inner());
            status.errors = errors;
            status.clone()
        };
        let _ = self.events.send(Event::Failed(status));
    }

    /// Admits one search, or `None` when too many are running or waiting.
    pub fn admit_search(&self) -> Option<OwnedSemaphorePermit> {
        self.admitted.clone().try_acquire_owned().ok()
    }

    /// Waits for a search thread.
    pub async fn run_slot(&self) -> Option<OwnedSemaphorePermit> {
        self.running.clone().acquire_owned().await.ok()
    }

    /// The computation of `key` at `generation`, joined if already running.
    pub fn flight(&self, generation: u64, key: &str) -> Arc<OnceCell<Answer>> {
        let mut inflight = self.inflight.lock().unwrap_or_else(|p| p.into_inner());
        inflight
            .entry(format!("{generation}|{key}"))
            .or_insert_with(|| Arc::new(OnceCell::new()))
            .clone()
    }

    /// Forgets a finished computation (later requests use the cache).
    pub fn landed(&self, generation: u64, key: &str, cell: &Arc<OnceCell<Answer>>) {
        let mut inflight = self.inflight.lock().unwrap_or_else(|p| p.into_inner());
        let full = format!("{generation}|{key}");
        if inflight.get(&full).is_some_and(|c| Arc::ptr_eq(c, cell)) {
            inflight.remove(&full);
        }
    }

    /// A cached response of the current generation.
    pub fn cached(&self, key: &str) -> Option<Bytes> {
        let cache = self.cache.lock().ok()?;
        (cache.generation == self.generation())
            .then(|| cache.entries.get(key).cloned())
            .flatten()
    }

    /// Remembers a response computed at `generation`.
    pub fn remember(&self, generation: u64, key: String, body: Bytes) {
        if self.cache_capacity == 0 {
            return;
        }
        let Ok(mut cache) = self.cache.lock() else { return };
        if cache.generation != generation {
            if generation < cache.generation {
                return;
            }
            cache.generation = generation;
            cache.entries.clear();
        }
        if cache.entries.len() >= self.cache_capacity {
            // Cheap bounded eviction: start over (popular queries come back at once).
            cache.entries.clear();
        }
        cache.entries.insert(key, body);
    }
}
