//! Writing the output atomically: everything is written into a staging
//! folder next to the output (`.public.staging-<pid>/`), and only a
//! complete build replaces the output, by renaming.
//!
//! - On any error the staging folder is removed and the previous output is
//!   untouched.
//! - A crash while writing leaves only the hidden staging folder behind;
//!   the previous output is untouched, and the next build removes it.
//! - Files that did not change are hard-linked from the previous output
//!   rather than written again ([`Staging::write`]): a rebuild of 10,000
//!   cases then creates few of its 165,000 files, and creating files is
//!   most of what it would cost the file system.
//! - The swap is two renames (output → `.public.previous-<pid>`, staging →
//!   output) and then removing the previous output, in the background
//!   ([`Removal`]). Only a crash between the two renames can leave no
//!   `public/`; the previous build is then in the `.previous` folder beside
//!   it (the next build removes such folders once their process is gone).
//!
//! An existing output folder is only replaced if jirei made it (it holds
//! the [`MARKER`] file) or it is empty, so `--out .` or `--out cases` can
//! never delete someone's files.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

/// A file jirei writes into every output folder it makes.
pub const MARKER: &str = ".jirei-build";

/// Why the output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("{path} exists and was not made by `jirei build` (no {MARKER} file): refusing to replace it")]
    NotOurs { path: PathBuf },
    #[error("the output folder {path} would contain the collection itself")]
    ContainsRoot { path: PathBuf },
    /// The work was stopped before anything was written (see
    /// [`search_index::Coordination`](super::search_index::Coordination)).
    #[error("stopped before anything was written: newer work came first")]
    Interrupted,
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A staging folder that becomes the output on [`Staging::commit`] and is
/// removed if dropped before that.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    out: PathBuf,
    /// Whether `out` holds a previous build to take unchanged files from.
    previous: bool,
    committed: bool,
    /// Folders made so far: creating one again for every file cost two
    /// system calls each (100,000 files at 10,000 cases).
    made: Mutex<HashSet<PathBuf>>,
}

impl Staging {
    /// Checks that `out` may be replaced and creates the staging folder
    /// beside it. `root` is the collection, which `out` must not contain.
    pub fn create(out: &Path, root: &Path) -> Result<Staging, OutputError> {
        let out = absolute(out)?;
        let root = absolute(root)?;
        if root.starts_with(&out) {
            return Err(OutputError::ContainsRoot { path: out });
        }
        check_replaceable(&out)?;
        let parent = out.parent().unwrap_or(Path::new("/")).to_path_buf();
        fs::create_dir_all(&parent).map_err(io_error(&parent))?;
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        remove_stale_staging(&parent, &name);
        let dir = parent.join(format!(".{name}.staging-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(io_error(&dir))?;
        }
        fs::create_dir(&dir).map_err(io_error(&dir))?;
        fs::write(
            dir.join(MARKER),
            "made by jirei build; the folder is replaced on every build\n",
        )
        .map_err(io_error(&dir))?;
        Ok(Staging {
            dir,
            previous: out.join(MARKER).is_file(),
            out,
            committed: false,
            made: Mutex::default(),
        })
    }

    /// The staging folder, to write into.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes `bytes` to `relative` inside the staging folder, creating
    /// folders as needed. A file the previous output has with the same
    /// bytes is hard-linked instead: no new inode, no data written.
    pub fn write(&self, relative: &Path, bytes: &[u8]) -> Result<(), OutputError> {
        let path = self.dir.join(relative);
        if let Some(parent) = path.parent() {
            self.make_folder(parent)?;
        }
        if self.previous && self.link_unchanged(relative, &path, bytes) {
            return Ok(());
        }
        fs::write(&path, bytes).map_err(io_error(&path))
    }

    /// Creates `folder` (and its parents) unless this staging made it already.
    fn make_folder(&self, folder: &Path) -> Result<(), OutputError> {
        if self
            .made
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains(folder)
        {
            return Ok(());
        }
        fs::create_dir_all(folder).map_err(io_error(folder))?;
        self.made
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(folder.to_path_buf());
        Ok(())
    }

    /// Hard-links the previous output's `relative` to `path` if it is a
    /// regular file holding `bytes`; says whether it did. Both outputs stay
    /// whole: a file is shared only while its content is the same, and the
    /// previous output is never written to.
    fn link_unchanged(&self, relative: &Path, path: &Path, bytes: &[u8]) -> bool {
        let old = self.out.join(relative);
        holds(&old, bytes) && fs::hard_link(&old, path).is_ok()
    }

    /// Replaces the output with the staging folder. The previous output is
    /// removed in the background (at 10,000 cases it has over 100,000
    /// files); the returned [`Removal`] waits for that when dropped.
    pub fn commit(mut self) -> Result<(PathBuf, Removal), OutputError> {
        let previous = self.out.with_file_name(format!(
            ".{}.previous-{}",
            self.out
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            std::process::id()
        ));
        let had_output = self.out.exists();
        if had_output {
            fs::rename(&self.out, &previous).map_err(io_error(&self.out))?;
        }
        if let Err(source) = fs::rename(&self.dir, &self.out) {
            if had_output {
                // Put the previous output back; the staging folder is removed on drop.
                let _ = fs::rename(&previous, &self.out);
            }
            return Err(OutputError::Io {
                path: self.out.clone(),
                source,
            });
        }
        self.committed = true;
        let removal = if had_output {
            Removal::start(previous)
        } else {
            Removal(None)
        };
        Ok((self.out.clone(), removal))
    }
}

/// The removal of a replaced output, running on its own thread; dropping
/// this waits for it to end. If the process dies first, the next build
/// removes the leftover `.previous-<pid>` folder.
pub struct Removal(Option<std::thread::JoinHandle<()>>);

impl Removal {
    fn start(previous: PathBuf) -> Removal {
        let remove = move || {
            if let Err(e) = fs::remove_dir_all(&previous) {
                eprintln!(
                    "jirei: warning: cannot remove the previous output {}: {e}",
                    previous.display()
                );
            }
        };
        match std::thread::Builder::new()
            .name("remove previous output".into())
            .spawn(remove.clone())
        {
            Ok(handle) => Removal(Some(handle)),
            Err(_) => {
                remove();
                Removal(None)
            }
        }
    }
}

impl Drop for Removal {
    fn drop(&mut self) {
        if let Some(handle) = self.0.take() {
            let _ = handle.join();
        }
    }
}

impl std::fmt::Debug for Removal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Removal(running)"
        } else {
            "Removal(none)"
        })
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Removes staging and previous-output folders that builds which were
/// killed left behind, where it can tell (Linux: their process no longer
/// exists).
fn remove_stale_staging(parent: &Path, name: &str) {
    let proc = Path::new("/proc");
    if !proc.is_dir() {
        return;
    }
    let prefixes = [format!(".{name}.staging-"), format!(".{name}.previous-")];
    let Ok(entries) = fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = prefixes.iter().find_map(|p| file_name.strip_prefix(p.as_str())) else {
            continue;
        };
        if pid.parse::<u32>().is_ok() && !proc.join(pid).exists() {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// Whether `path` is a regular file holding exactly `bytes` (its size is
/// compared first, so most changed files are not read).
pub fn holds(path: &Path, bytes: &[u8]) -> bool {
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => fs::read(path).is_ok_and(|b| b == bytes),
        _ => false,
    }
}

fn absolute(path: &Path) -> Result<PathBuf, OutputError> {
    let path = std::path::absolute(path).map_err(io_error(path))?;
    // Resolve symbolic links where the path exists, so `root` inside `out`
    // is recognised through them too.
    Ok(fs::canonicalize(&path).unwrap_or(path))
}

/// The output may be replaced if it does not exist, is empty, or was made
/// by jirei.
fn check_replaceable(out: &Path) -> Result<(), OutputError> {
    match fs::symlink_metadata(out) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(OutputError::Io {
            path: out.to_path_buf(),
            source,
        }),
        Ok(meta) if !meta.is_dir() => Err(OutputError::NotOurs {
            path: out.to_path_buf(),
        }),
        Ok(_) => {
            let empty = fs::read_dir(out).map_err(io_error(out))?.next().is_none();
            if empty || out.join(MARKER).is_file() {
                Ok(())
            } else {
                Err(OutputError::NotOurs {
                    path: out.to_path_buf(),
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dropped_staging_leaves_the_output_alone() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("public");
        fs::create_dir(&out).expect("mkdir");
        fs::write(out.join(MARKER), "").expect("marker");
        fs::write(out.join("index.html"), "old").expect("write");
        {
            let staging = Staging::create(&out, &tmp.path().join("root")).expect("staging");
            staging.write(Path::new("index.html"), b"new").expect("write");
        }
        assert_eq!(fs::read_to_string(out.join("index.html")).expect("read"), "old");
        assert_eq!(fs::read_dir(tmp.path()).expect("ls").count(), 1, "staging removed");
    }

    #[test]
    fn commit_replaces_the_output() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("public");
        for content in ["first", "second"] {
            let staging = Staging::create(&out, &tmp.path().join("root")).expect("staging");
            staging
                .write(Path::new("a/index.html"), content.as_bytes())
                .expect("write");
            staging.commit().expect("commit");
            assert_eq!(fs::read_to_string(out.join("a/index.html")).expect("read"), content);
        }
        assert_eq!(fs::read_dir(tmp.path()).expect("ls").count(), 1, "no leftovers");
    }

    #[test]
    fn staging_and_previous_output_left_by_a_killed_build_are_removed() {
        let tmp = tempfile::tempdir().expect("tempdir");
        // Process ids are below 2^22 on Linux, so this one is not running.
        let stale = tmp.path().join(".public.staging-4294967");
        let previous = tmp.path().join(".public.previous-4294967");
        let other = tmp.path().join(".docs.previous-4294967");
        for dir in [&stale, &previous, &other] {
            fs::create_dir(dir).expect("mkdir");
        }
        let staging = Staging::create(&tmp.path().join("public"), &tmp.path().join("root")).expect("staging");
        staging.commit().expect("commit");
        if Path::new("/proc").is_dir() {
            assert!(!stale.exists() && !previous.exists());
        }
        assert!(other.exists(), "another output's folder is left alone");
    }

    #[test]
    fn unchanged_files_are_shared_with_the_previous_output_and_changed_ones_are_not() {
        use std::os::unix::fs::MetadataExt;
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("public");
        let build = |same: &[u8], changed: &[u8]| {
            let staging = Staging::create(&out, &tmp.path().join("root")).expect("staging");
            staging.write(Path::new("a/same.js"), same).expect("write");
            staging.write(Path::new("a/changed.js"), changed).expect("write");
            let kept = fs::metadata(out.join("a/changed.js")).ok();
            let (_, removal) = staging.commit().expect("commit");
            (kept, removal)
        };
        drop(build(b"same", b"old"));
        let before = fs::metadata(out.join("a/same.js")).expect("stat");
        let (old_changed, removal) = build(b"same", b"new!");
        drop(removal);
        let after = fs::metadata(out.join("a/same.js")).expect("stat");
        assert_eq!(before.ino(), after.ino(), "the unchanged file was linked");
        assert_eq!(fs::read(out.join("a/changed.js")).expect("read"), b"new!");
        let old_changed = old_changed.expect("the first build wrote it");
        let new_changed = fs::metadata(out.join("a/changed.js")).expect("stat");
        assert_ne!(old_changed.ino(), new_changed.ino(), "the changed file is a new one");
    }

    #[test]
    fn the_replaced_output_is_gone_once_the_removal_is_dropped() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("public");
        for n in 0..2 {
            let staging = Staging::create(&out, &tmp.path().join("root")).expect("staging");
            staging
                .write(Path::new(&format!("{n}/index.html")), b"x")
                .expect("write");
            let (_, removal) = staging.commit().expect("commit");
            drop(removal);
        }
        let names: Vec<_> = fs::read_dir(tmp.path())
            .expect("ls")
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, ["public"]);
        assert!(out.join("1/index.html").exists() && !out.join("0").exists());
    }

    #[test]
    fn foreign_folders_and_the_root_are_never_replaced() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("docs");
        fs::create_dir(&out).expect("mkdir");
        fs::write(out.join("notes.txt"), "mine").expect("write");
        let err = Staging::create(&out, &tmp.path().join("root")).expect_err("refused");
        assert!(matches!(err, OutputError::NotOurs { .. }), "{err}");
        let err = Staging::create(tmp.path(), &tmp.path().join("root")).expect_err("refused");
        assert!(matches!(err, OutputError::ContainsRoot { .. }), "{err}");
    }
}
