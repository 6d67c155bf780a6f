//! `jirei serve`: a preview server with live reload and a JSON search API.
//!
//! The only asynchronous part of jirei. It builds the site into
//! `<root>/.jirei-cache/serve/site` (never touching `public/`), serves it
//! with axum on tokio, watches the collection and rebuilds on every change
//! on a thread of its own; searches, which are synchronous tantivy work,
//! run on tokio's blocking threads. The rest of the library stays
//! synchronous.
//!
//! Modules: [`workspace`] (the collection between rebuilds, and the
//! rebuild) with [`scan`] (reading `cases/`), [`fast`] (one edited case)
//! and [`index_update`];
//! [`watch`] (file events); [`state`] (what handlers share); [`router`]
//! with [`api`] (JSON), [`params`] (query strings), [`files`] (the site's
//! files, safely) and [`live`] (Server-Sent Events and the overlay).

pub mod api;
pub mod fast;
pub mod files;
pub mod index_update;
pub mod live;
pub mod params;
pub mod router;
pub mod scan;
pub mod state;
pub mod watch;
pub mod workspace;

use std::future::IntoFuture;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use crate::lock::{BuildLock, LockError};

pub use router::router;
use state::{AppState, StateOptions};
use watch::ChangeQueue;
use workspace::{Changes, Outcome, Workspace};

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// The built site [default: `<root>/.jirei-cache/serve/site`].
    pub out: Option<PathBuf>,
    pub drafts: bool,
    /// Searches running or waiting at once; more get 503.
    pub max_searches: usize,
    /// Cached search responses per generation (0: no cache).
    pub cache_entries: usize,
}

/// Why serving failed.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("the collection folder {path}: {source}")]
    Root { path: PathBuf, source: std::io::Error },
    #[error("the site could not be built: {0}")]
    Startup(String),
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("cannot watch the collection: {0}")]
    Watch(#[from] notify_debouncer_full::notify::Error),
    #[error(
        "another jirei serve ({holder}) is already previewing into {}; stop it, or pass --out DIR to preview into another folder",
        out.display()
    )]
    OutputInUse { out: PathBuf, holder: String },
    #[error("{0}")]
    Lock(LockError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Where serve builds the site unless told otherwise.
pub fn default_out(root: &Path) -> PathBuf {
    root.join(".jirei-cache").join("serve").join("site")
}

/// The lock of the preview folder `out`: a hidden file beside it.
fn preview_lock(out: &Path) -> Result<BuildLock, ServeError> {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let path = out.with_file_name(format!(".{name}.serve-lock"));
    BuildLock::acquire_file(path, "jirei serve", Duration::ZERO, |_| {}).map_err(|e| match e {
        LockError::Busy { holder, .. } => ServeError::OutputInUse {
            out: out.to_path_buf(),
            holder,
        },
        e @ LockError::Io { .. } => ServeError::Lock(e),
    })
}

/// Reports what serve does, for the command line to print.
pub trait Reporter: Send + 'static {
    /// The server listens at `addr`.
    fn ready(&mut self, addr: SocketAddr, cases: usize);
    /// A rebuild finished.
    fn outcome(&mut self, outcome: &Outcome);
    /// The search data and exports were brought up to date after a partial
    /// rebuild.
    fn exports(&mut self, _took: std::time::Duration) {}
}

/// Builds, serves and watches until interrupted (Ctrl-C).
pub fn run(options: ServeOptions, mut reporter: impl Reporter) -> Result<(), ServeError> {
    let root = std::fs::canonicalize(&options.root).map_err(|source| ServeError::Root {
        path: options.root.clone(),
        source,
    })?;
    let out = options.out.clone().unwrap_or_else(|| default_out(&root));
    // Held until serve stops: two servers rewriting one folder would
    // remove each other's files (the search data is replaced as a set).
    let _preview = preview_lock(&out)?;
    let workspace = Workspace::open(&root, &out, options.drafts)
        .map_err(|d| ServeError::Startup(format!("{}: {}", d.location, d.message)))?;
    let search_threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let state = AppState::new(
        StateOptions {
            site_dir: out,
            limits: params::Limits::default(),
            local_hosts_only: options.bind.is_loopback(),
            max_searches: options.max_searches,
            search_threads,
            cache_entries: options.cache_entries,
        },
        workspace.snapshot(),
    );
    let errors = workspace.errors();
    let cases = workspace.case_count();
    if !errors.is_empty() {
        reporter.outcome(&Outcome::Failed(errors.clone()));
        state.fail(errors);
    }
    let (changes_out, changes_in) = watch::queue();
    let watcher = watch::start(&root, changes_out)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(search_threads.clamp(1, 4))
        .enable_all()
        .build()?;
    let addr = SocketAddr::new(options.bind, options.port);
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(addr))
        .map_err(|source| ServeError::Bind { addr, source })?;
    let bound = listener.local_addr()?;
    reporter.ready(bound, cases);
    let rebuild_state = state.clone();
    std::thread::Builder::new()
        .name("jirei-rebuild".to_string())
        .spawn(move || rebuild_loop(workspace, changes_in, rebuild_state, reporter))?;
    let app = router(state);
    // No graceful shutdown: open event streams would keep it waiting.
    let served = runtime.block_on(async move {
        tokio::select! {
            served = axum::serve(listener, app).into_future() => served,
            _ = tokio::signal::ctrl_c() => Ok(()),
        }
    });
    drop(watcher);
    runtime.shutdown_timeout(std::time::Duration::from_millis(200));
    served.map_err(ServeError::Io)
}

/// Applies batches of changes as they come, merging those that queued up
/// during a rebuild, and publishes each outcome. The search data and
/// exports (seconds at 10,000 cases, minutes at 100,000) are brought up to
/// date only when no change is waiting, and their computation stops when
/// one arrives, so a quick series of saves is published save by save.
fn rebuild_loop(mut workspace: Workspace, rx: ChangeQueue, state: Arc<AppState>, mut reporter: impl Reporter) {
    let mut waiting: Option<Changes> = None;
    loop {
        let Some(mut changes) = waiting.take().or_else(|| rx.recv()) else {
            return;
        };
        while let Ok(more) = rx.try_recv() {
            merge(&mut changes, more);
        }
        let outcome = workspace.apply(&changes);
        match &outcome {
            Outcome::Published { changed, .. } => {
                state.publish(Some(workspace.snapshot()), changed.clone());
            }
            Outcome::Failed(errors) => state.fail(errors.clone()),
            Outcome::Unchanged => {
                if !state.status().errors.is_empty() {
                    // Fixed back to what is served: clear the overlay.
                    state.publish(None, Vec::new());
                }
            }
        }
        reporter.outcome(&outcome);
        match rx.try_recv() {
            Ok(more) => waiting = Some(more),
            Err(mpsc::TryRecvError::Empty) => {
                if let Some(took) = workspace.finish_unless(&rx.waiting()) {
                    reporter.exports(took);
                }
            }
            Err(mpsc::TryRecvError::Disconnected) => return,
        }
    }
}

/// Adds `more` to `changes`.
fn merge(changes: &mut Changes, more: Changes) {
    changes.cases.extend(more.cases);
    changes.config |= more.config;
    changes.theme |= more.theme;
    changes.everything |= more.everything;
}

/// Opens `url` in the desktop's browser, if there is one.
pub fn open_browser(url: &str) -> std::io::Result<()> {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    std::process::Command::new(program)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(|_| ())
}
