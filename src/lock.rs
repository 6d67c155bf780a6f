//! The build lock: one writer of a collection's outputs at a time.
//!
//! `jirei build` and the rebuilds of `jirei serve` write `public/` and the
//! index cache, and `jirei index` and `jirei search` rewrite the index cache
//! when it is stale; two of them at once on the same root would race on the
//! atomic swaps. Each takes `<root>/.jirei-cache/build.lock` first (a search
//! over a current index takes nothing):
//!
//! - the file holds the holder's pid and command, for the message a second
//!   process prints while it waits (`waiting for jirei build (pid 1234)…`);
//! - exclusion is an advisory lock on the file (`flock` on Unix,
//!   `LockFileEx` on Windows), which the operating system drops when the
//!   holder exits or is killed. A lock file left behind by a dead process
//!   is therefore stale by construction and simply taken over, with no race
//!   between two processes taking it over at once.
//!
//! A waiter polls until its deadline and then fails with a message that
//! names the holder.
//!
//! The same kind of lock, in another file, keeps two `jirei serve` from
//! previewing into one folder ([`BuildLock::acquire_file`]).

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fs4::fs_std::FileExt;

/// The lock file, relative to the collection's root.
pub const LOCK_FILE: &str = ".jirei-cache/build.lock";

/// How often a waiting process tries again.
const POLL: Duration = Duration::from_millis(50);

/// Why the lock could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error(
        "another jirei process ({holder}) is building this collection; gave up after waiting {waited:.0} s (lock file {path})"
    )]
    Busy { holder: String, waited: f64, path: PathBuf },
    #[error("cannot use the lock file {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
}

/// A held build lock; released when dropped (or when the process dies).
#[derive(Debug)]
pub struct BuildLock {
    file: File,
    path: PathBuf,
}

impl BuildLock {
    /// Takes the lock of `root`, waiting up to `wait` for another holder.
    /// `on_wait` is called once, with the holder's description, if the
    /// lock is busy at first (to tell the user why nothing happens).
    pub fn acquire(
        root: &Path,
        what: &str,
        wait: Duration,
        on_wait: impl FnOnce(&str),
    ) -> Result<BuildLock, LockError> {
        Self::acquire_file(root.join(LOCK_FILE), what, wait, on_wait)
    }

    /// Takes the lock held in file `path` (made if missing), as
    /// [`acquire`](Self::acquire) does for the build lock.
    pub fn acquire_file(
        path: PathBuf,
        what: &str,
        wait: Duration,
        on_wait: impl FnOnce(&str),
    ) -> Result<BuildLock, LockError> {
        let io = |source| LockError::Io {
            path: path.clone(),
            source,
        };
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io)?;
        }
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        let started = Instant::now();
        let mut on_wait = Some(on_wait);
        loop {
            if file.try_lock_exclusive().map_err(io)? {
                let mut lock = BuildLock {
                    file,
                    path: path.clone(),
                };
                lock.write_holder(what).map_err(io)?;
                return Ok(lock);
            }
            let holder = holder_of(&path);
            if let Some(tell) = on_wait.take() {
                tell(&holder);
            }
            if started.elapsed() >= wait {
                return Err(LockError::Busy {
                    holder,
                    waited: started.elapsed().as_secs_f64(),
                    path,
                });
            }
            std::thread::sleep(
                POLL.min(wait.saturating_sub(started.elapsed()))
                    .max(Duration::from_millis(1)),
            );
        }
    }

    /// The lock file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn write_holder(&mut self, what: &str) -> std::io::Result<()> {
        self.file.set_len(0)?;
        self.file.seek(SeekFrom::Start(0))?;
        writeln!(self.file, "{}\n{what}", std::process::id())?;
        self.file.flush()
    }
}

impl Drop for BuildLock {
    fn drop(&mut self) {
        // Leave the file (removing it would race with a waiter that has it
        // open); empty it so nobody reads a finished holder's pid.
        let _ = self.file.set_len(0);
        let _ = FileExt::unlock(&self.file);
    }
}

/// `jirei build, pid 1234` from the lock file, as well as can be read.
fn holder_of(path: &Path) -> String {
    let mut text = String::new();
    let _ = File::open(path).and_then(|f| f.take(4096).read_to_string(&mut text));
    let mut lines = text.lines();
    match (lines.next().and_then(|l| l.trim().parse::<u32>().ok()), lines.next()) {
        (Some(pid), Some(what)) => format!("{what}, pid {pid}"),
        (Some(pid), None) => format!("pid {pid}"),
        _ => "unknown".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_waits_then_gives_up_naming_the_first() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let first = BuildLock::acquire(tmp.path(), "jirei build", Duration::ZERO, |_| {}).expect("free");
        let mut told = String::new();
        let err = BuildLock::acquire(tmp.path(), "jirei serve", Duration::from_millis(120), |h| {
            told = h.to_string()
        })
        .expect_err("busy");
        let pid = std::process::id().to_string();
        assert!(told.contains(&pid), "{told}");
        assert!(err.to_string().contains(&format!("jirei build, pid {pid}")), "{err}");
        drop(first);
        BuildLock::acquire(tmp.path(), "jirei serve", Duration::ZERO, |_| {}).expect("released");
    }

    #[test]
    fn a_lock_file_left_by_a_dead_process_is_taken_over() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let path = tmp.path().join(LOCK_FILE);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        // Process ids are below 2^22 on Linux, so this one is not running.
        fs::write(&path, "4294967\njirei build\n").expect("write");
        let lock = BuildLock::acquire(tmp.path(), "jirei build", Duration::ZERO, |_| {}).expect("taken over");
        let text = fs::read_to_string(lock.path()).expect("read");
        assert!(text.starts_with(&std::process::id().to_string()), "{text}");
    }
}
