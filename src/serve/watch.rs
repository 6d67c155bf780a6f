//! Watching the collection: `cases/`, `themes/`, `jirei.toml` and
//! `synonyms.toml`, with notify's debouncer, turned into [`Changes`] for
//! the rebuild thread.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, TryRecvError};
use std::time::Duration;

use notify_debouncer_full::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use super::workspace::Changes;
use crate::config::CONFIG_FILE;
use crate::site::theme::THEME_DIR;

/// Events closer than this are one change (editors save in several steps).
const DEBOUNCE: Duration = Duration::from_millis(50);

/// A running watcher; watching stops when it is dropped.
pub type Watcher = Debouncer<RecommendedWatcher, RecommendedCache>;

/// What a changed path means for the rebuild, if anything.
pub fn classify(root: &Path, path: &Path, changes: &mut Changes) {
    let Ok(relative) = path.strip_prefix(root) else { return };
    let mut parts = relative.components();
    let first = parts.next().map(|c| c.as_os_str().to_string_lossy().into_owned());
    match first.as_deref() {
        Some("cases") => {
            changes.cases.insert(path.to_path_buf());
        }
        Some(CONFIG_FILE) | Some("synonyms.toml") if parts.next().is_none() => changes.config = true,
        Some(_) if relative.starts_with(THEME_DIR) || relative == Path::new("themes") => changes.theme = true,
        _ => {}
    }
}

/// The rebuild thread's queue of changes, which also tells long work on
/// that thread whether a batch is waiting ([`ChangeQueue::waiting`]).
pub struct ChangeQueue {
    rx: Receiver<Changes>,
    /// Batches sent and not yet received: counted up before a send, down
    /// after a receive, so it is never zero while a batch is in the queue.
    queued: Arc<AtomicUsize>,
}

/// The watcher's end of a [`ChangeQueue`].
#[derive(Clone)]
pub struct ChangeSender {
    tx: Sender<Changes>,
    queued: Arc<AtomicUsize>,
}

/// A new queue of changes.
pub fn queue() -> (ChangeSender, ChangeQueue) {
    let (tx, rx) = std::sync::mpsc::channel();
    let queued = Arc::new(AtomicUsize::new(0));
    (
        ChangeSender {
            tx,
            queued: queued.clone(),
        },
        ChangeQueue { rx, queued },
    )
}

impl ChangeSender {
    /// Queues `changes`; false when the rebuild thread is gone.
    pub fn send(&self, changes: Changes) -> bool {
        self.queued.fetch_add(1, Ordering::SeqCst);
        let sent = self.tx.send(changes).is_ok();
        if !sent {
            self.queued.fetch_sub(1, Ordering::SeqCst);
        }
        sent
    }
}

impl ChangeQueue {
    /// The next batch, waiting for one; `None` when the watcher is gone.
    pub fn recv(&self) -> Option<Changes> {
        let changes = self.rx.recv().ok()?;
        self.queued.fetch_sub(1, Ordering::SeqCst);
        Some(changes)
    }

    /// The next batch if one is queued; `Err(Disconnected)` when the
    /// watcher is gone.
    pub fn try_recv(&self) -> Result<Changes, TryRecvError> {
        let changes = self.rx.try_recv()?;
        self.queued.fetch_sub(1, Ordering::SeqCst);
        Ok(changes)
    }

    /// Says, when called, whether a batch has been sent that is not
    /// received yet (for work on other threads).
    pub fn waiting(&self) -> impl Fn() -> bool + Sync + use<> {
        let queued = self.queued.clone();
        move || queued.load(Ordering::SeqCst) > 0
    }
}

/// Starts watching `root` (canonical); each batch of changes is sent to
/// `changes_out`.
pub fn start(root: &Path, changes_out: ChangeSender) -> Result<Watcher, notify_debouncer_full::notify::Error> {
    let owned_root: PathBuf = root.to_path_buf();
    let mut debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
        let mut changes = Changes::default();
        match result {
            Ok(events) => {
                // Reading files (ours included: every rebuild reads the
                // cases) is no change; only creations, writes, renames
                // and removals are.
                for event in events.iter().filter(|e| !e.kind.is_access()) {
                    for path in &event.paths {
                        classify(&owned_root, path, &mut changes);
                    }
                }
            }
            Err(errors) => {
                for e in errors {
                    eprintln!("jirei: watching: {e}");
                }
                // Something may have been missed: read everything again.
                changes.everything = true;
            }
        }
        if !changes.is_empty() {
            changes_out.send(changes);
        }
    })?;
    // The root itself (not recursive) sees jirei.toml, synonyms.toml and
    // cases/ or themes/ being created or replaced.
    debouncer.watch(root, RecursiveMode::NonRecursive)?;
    for dir in ["cases", "themes"] {
        let path = root.join(dir);
        if path.is_dir() {
            debouncer.watch(&path, RecursiveMode::Recursive)?;
        }
    }
    Ok(debouncer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_is_waiting_from_before_it_is_sent_until_it_is_received() {
        let (tx, rx) = queue();
        let waiting = rx.waiting();
        assert!(!waiting());
        let batch = || Changes {
            config: true,
            ..Changes::default()
        };
        assert!(tx.send(batch()) && tx.send(batch()));
        assert!(waiting());
        assert!(rx.recv().is_some_and(|c| c.config));
        assert!(waiting(), "one more is queued");
        assert!(rx.try_recv().is_ok());
        assert!(!waiting());
        assert!(rx.try_recv().is_err());
        drop(rx);
        assert!(!tx.send(batch()), "no rebuild thread");
        assert!(!waiting());
    }

    #[test]
    fn paths_are_sorted_into_kinds_of_change() {
        let root = Path::new("/c");
        let mut changes = Changes::default();
        classify(root, Path::new("/c/cases/a.md"), &mut changes);
        classify(root, Path::new("/c/themes/default/templates/case.html"), &mut changes);
        classify(root, Path::new("/c/public/index.html"), &mut changes);
        classify(root, Path::new("/c/.jirei-cache/index/meta.json"), &mut changes);
        assert_eq!(changes.cases.len(), 1);
        assert!(changes.theme && !changes.config);
        classify(root, Path::new("/c/jirei.toml"), &mut changes);
        assert!(changes.config);
    }
}
