//! Watching the collection: `cases/`, `themes/`, `jirei.toml` and
//! `synonyms.toml`, with notify's debouncer, turned into [`Changes`] for
//! the rebuild thread.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
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

/// Starts watching `root` (canonical); each batch of changes is sent to
/// `tx`, then `arrived` is set, so long work on the rebuild thread can
/// stop for it (the rebuild thread clears it before looking at `tx`).
pub fn start(
    root: &Path,
    tx: Sender<Changes>,
    arrived: Arc<AtomicBool>,
) -> Result<Watcher, notify_debouncer_full::notify::Error> {
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
        if !changes.is_empty() && tx.send(changes).is_ok() {
            arrived.store(true, Ordering::SeqCst);
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
