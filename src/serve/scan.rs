//! Reading `cases/` for serve: which files there are, their latest parse,
//! and what differs from what was built.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::case::band::BandScheme;
use crate::case::{self, Case};
use crate::corpus;
use crate::diagnostic::Diagnostic;

/// The latest parse of one case file.
pub enum Parsed {
    Valid {
        case: Arc<Case>,
        text: Arc<str>,
    },
    Invalid {
        diagnostics: Vec<Diagnostic>,
        text: Option<String>,
    },
}

/// The case files below `dir`, parsed again where they are new, changed
/// (below a path of `changed`) or `everything` is asked; the others keep
/// their parse from `previous`.
pub fn scan(
    dir: &Path,
    bands: &BandScheme,
    mut previous: BTreeMap<PathBuf, Parsed>,
    changed: &BTreeSet<PathBuf>,
    everything: bool,
) -> (BTreeMap<PathBuf, Parsed>, Vec<PathBuf>) {
    let found = case_files(dir);
    let (to_read, kept): (Vec<PathBuf>, Vec<PathBuf>) = found
        .into_iter()
        .partition(|p| everything || !previous.contains_key(p) || changed.contains(p));
    let read = to_read.clone();
    let mut disk: BTreeMap<PathBuf, Parsed> = to_read
        .into_par_iter()
        .map(|p| {
            let parsed = parse(&p, bands);
            (p, parsed)
        })
        .collect();
    for path in kept {
        if let Some(parsed) = previous.remove(&path) {
            disk.insert(path, parsed);
        }
    }
    (disk, read)
}

/// Whether `path` names a case file below `dir` (a visible `*.md`).
pub fn is_case_path(dir: &Path, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(dir) else {
        return false;
    };
    path.extension().is_some_and(|x| x == "md")
        && relative
            .components()
            .all(|c| !c.as_os_str().to_string_lossy().starts_with('.'))
}

/// Whether the parse on disk differs from what was built.
pub fn differs(disk: Option<&Parsed>, built: Option<&(Arc<Case>, Arc<str>)>) -> bool {
    match (disk, built) {
        (Some(Parsed::Valid { text, .. }), Some((_, built))) => !Arc::ptr_eq(text, built) && text != built,
        (Some(Parsed::Valid { .. }), None) | (None, Some(_)) => true,
        _ => false,
    }
}

/// The valid cases, sorted by id, first of each id only.
pub fn valid_cases(disk: &BTreeMap<PathBuf, Parsed>) -> Vec<Case> {
    let mut seen = HashSet::new();
    let mut cases: Vec<Case> = disk
        .values()
        .filter_map(|p| match p {
            Parsed::Valid { case, .. } if seen.insert(case.id.clone()) => Some((**case).clone()),
            _ => None,
        })
        .collect();
    cases.sort_by(|a, b| a.id.cmp(&b.id));
    cases
}

pub fn parse(path: &Path, bands: &BandScheme) -> Parsed {
    match corpus::read_case_text(path) {
        Ok(text) => match case::parse(path, &text, bands) {
            Ok(case) => Parsed::Valid {
                case: Arc::new(case),
                text: Arc::from(text),
            },
            Err(diagnostics) => Parsed::Invalid {
                diagnostics,
                text: Some(text),
            },
        },
        Err(d) => Parsed::Invalid {
            diagnostics: vec![d],
            text: None,
        },
    }
}

/// Markdown files below `dir`, hidden files and folders skipped (as the
/// corpus does).
pub fn case_files(dir: &Path) -> BTreeSet<PathBuf> {
    WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect()
}

/// Reads again the case files in `changed` (or all with `everything`),
/// notices files that appeared or disappeared, and returns the paths
/// whose parse was replaced or removed.
pub fn rescan(
    disk: &mut BTreeMap<PathBuf, Parsed>,
    dir: &Path,
    bands: &BandScheme,
    changed: &BTreeSet<PathBuf>,
    everything: bool,
) -> Vec<PathBuf> {
    let only_case_files = !everything && changed.iter().all(|p| is_case_path(dir, p) && !p.is_dir());
    if only_case_files {
        // The common case: saved files, nothing else; no need to list the folder.
        let read: Vec<(PathBuf, Option<Parsed>)> = changed
            .par_iter()
            .map(|p| (p.clone(), p.is_file().then(|| parse(p, bands))))
            .collect();
        let touched = read.iter().map(|(p, _)| p.clone()).collect();
        for (path, parsed) in read {
            match parsed {
                Some(parsed) => disk.insert(path, parsed),
                None => disk.remove(&path),
            };
        }
        return touched;
    }
    let previous = std::mem::take(disk);
    let before: BTreeSet<PathBuf> = previous.keys().cloned().collect();
    let (now, mut touched) = scan(dir, bands, previous, changed, everything);
    *disk = now;
    touched.extend(before.into_iter().filter(|p| !disk.contains_key(p)));
    touched
}
