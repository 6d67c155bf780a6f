//! Writes generated case files so that `cases/` is never left half
//! written: the complete new directory is built next to it, then swapped
//! in with two renames. Existing files are only replaced with `force`.

use std::fs;
use std::path::{Path, PathBuf};

use super::ImportError;

/// What [`write_cases`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// Files that did not exist before.
    pub created: Vec<PathBuf>,
    /// Files that existed with other content and were replaced (`force`).
    pub replaced: Vec<PathBuf>,
    /// Files that existed with the same content.
    pub unchanged: Vec<PathBuf>,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ImportError + '_ {
    move |source| ImportError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes `files` (name, text) into `out_dir`.
///
/// Files whose current content differs are refused unless `force` is set;
/// the error names them and nothing is written. Other files already in
/// `out_dir` are kept.
pub fn write_cases(out_dir: &Path, files: &[(String, String)], force: bool) -> Result<WriteReport, ImportError> {
    for (name, _) in files {
        if !is_plain_name(name) {
            return Err(ImportError::BadFileName(name.clone()));
        }
    }
    let mut report = WriteReport::default();
    for (name, text) in files {
        let target = out_dir.join(name);
        match fs::read(&target) {
            Ok(existing) if existing == text.as_bytes() => report.unchanged.push(target),
            Ok(_) => report.replaced.push(target),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => report.created.push(target),
            Err(e) => {
                return Err(ImportError::Io {
                    path: target,
                    source: e,
                });
            }
        }
    }
    if !report.replaced.is_empty() && !force {
        return Err(ImportError::WouldOverwrite { files: report.replaced });
    }
    if report.created.is_empty() && report.replaced.is_empty() {
        return Ok(report);
    }
    let staging = sibling(out_dir, "import-new")?;
    let result = stage(out_dir, &staging, files).and_then(|()| swap(out_dir, &staging));
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result.map(|()| report)
}

fn is_plain_name(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.starts_with('.') && !name.contains(['/', '\\', '\0'])
}

/// `cases` → `.cases.import-new` in the same parent directory (same file
/// system, so renames are atomic). A leftover from a crashed run is removed.
fn sibling(out_dir: &Path, suffix: &str) -> Result<PathBuf, ImportError> {
    let name = out_dir.file_name().and_then(|n| n.to_str()).unwrap_or("cases");
    let parent = out_dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let path = parent.join(format!(".{name}.{suffix}"));
    if path.exists() {
        fs::remove_dir_all(&path).map_err(io(&path))?;
    }
    Ok(path)
}

/// Builds the complete new directory: a copy of `out_dir` plus `files`.
fn stage(out_dir: &Path, staging: &Path, files: &[(String, String)]) -> Result<(), ImportError> {
    if out_dir.is_dir() {
        copy_tree(out_dir, staging)?;
    } else {
        fs::create_dir_all(staging).map_err(io(staging))?;
    }
    for (name, text) in files {
        let path = staging.join(name);
        fs::write(&path, text).map_err(io(&path))?;
    }
    Ok(())
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), ImportError> {
    fs::create_dir_all(to).map_err(io(to))?;
    for entry in fs::read_dir(from).map_err(io(from))? {
        let entry = entry.map_err(io(from))?;
        let source = entry.path();
        let target = to.join(entry.file_name());
        if entry.file_type().map_err(io(&source))?.is_dir() {
            copy_tree(&source, &target)?;
        } else {
            fs::copy(&source, &target).map_err(io(&source))?;
        }
    }
    Ok(())
}

/// Moves the old directory aside, the new one into place, then removes
/// the old one; if the second rename fails the old one is put back.
fn swap(out_dir: &Path, staging: &Path) -> Result<(), ImportError> {
    if !out_dir.exists() {
        if let Some(parent) = out_dir.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent).map_err(io(parent))?;
        }
        return fs::rename(staging, out_dir).map_err(io(out_dir));
    }
    let old = sibling(out_dir, "import-old")?;
    fs::rename(out_dir, &old).map_err(io(out_dir))?;
    if let Err(source) = fs::rename(staging, out_dir) {
        let _ = fs::rename(&old, out_dir);
        return Err(ImportError::Io {
            path: out_dir.to_path_buf(),
            source,
        });
    }
    fs::remove_dir_all(&old).map_err(io(&old))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect()
    }

    #[test]
    fn writes_into_a_new_directory() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("cases");
        let report = write_cases(&out, &files(&[("a.md", "A"), ("b.md", "B")]), false).expect("written");
        assert_eq!(report.created.len(), 2);
        assert_eq!(fs::read_to_string(out.join("a.md")).ok().as_deref(), Some("A"));
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("cases")]);
    }

    #[test]
    fn refuses_to_overwrite_changed_files_without_force_and_names_them() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("cases");
        write_cases(&out, &files(&[("a.md", "A"), ("keep.md", "K")]), false).expect("first write");
        let err = write_cases(&out, &files(&[("a.md", "A2"), ("c.md", "C")]), false).expect_err("refused");
        assert!(err.to_string().contains("a.md"), "{err}");
        assert!(!out.join("c.md").exists(), "nothing is written when refused");
        let report = write_cases(&out, &files(&[("a.md", "A2"), ("c.md", "C")]), true).expect("forced");
        assert_eq!((report.replaced.len(), report.created.len()), (1, 1));
        assert_eq!(fs::read_to_string(out.join("a.md")).ok().as_deref(), Some("A2"));
        assert_eq!(
            fs::read_to_string(out.join("keep.md")).ok().as_deref(),
            Some("K"),
            "other files are kept"
        );
    }

    #[test]
    fn identical_content_is_not_an_overwrite() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("cases");
        write_cases(&out, &files(&[("a.md", "A")]), false).expect("first write");
        let report = write_cases(&out, &files(&[("a.md", "A")]), false).expect("second write");
        assert_eq!(report.unchanged.len(), 1);
    }

    #[test]
    fn file_names_with_paths_are_rejected() {
        let dir = tempfile::tempdir().expect("tempdir");
        let err = write_cases(&dir.path().join("cases"), &files(&[("../x.md", "X")]), false).expect_err("rejected");
        assert!(matches!(err, ImportError::BadFileName(_)));
    }
}
