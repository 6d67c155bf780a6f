//! The corpus: every case file under `cases/`, read in parallel, decoded,
//! parsed, and checked against each other (duplicate ids).
//!
//! Loading never stops at the first bad file: it returns the cases that
//! parsed and the diagnostics for all the others, so `jirei check` can report
//! every problem in one run.

use std::collections::HashMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::case::{self, Case, band::BandScheme};
use crate::diagnostic::{Diagnostic, line_column};

/// Larger files are refused unread: no case study is a megabyte of text.
pub const MAX_CASE_BYTES: u64 = 1024 * 1024;

/// One file's text, kept for rendering snippets under diagnostics.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
}

/// The result of loading `cases/`.
#[derive(Debug, Default)]
pub struct Corpus {
    /// Valid cases, sorted by id.
    pub cases: Vec<Case>,
    /// Errors and warnings, sorted by path and line.
    pub diagnostics: Vec<Diagnostic>,
    /// Decoded text of the files that have diagnostics, by path.
    pub sources: HashMap<PathBuf, String>,
    /// How many case files were found.
    pub files: usize,
}

impl Corpus {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    pub fn source(&self, path: &Path) -> Option<&str> {
        self.sources.get(path).map(String::as_str)
    }
}

/// Loads every `*.md` file below `dir`. Paths in diagnostics are as found
/// under `dir` (pass a relative `dir` for relative paths).
pub fn load(dir: &Path, bands: &BandScheme) -> Corpus {
    let (paths, mut diagnostics) = find_case_files(dir);
    let results: Vec<FileResult> = paths.par_iter().map(|path| load_file(path, bands)).collect();
    let mut corpus = Corpus {
        files: paths.len(),
        ..Corpus::default()
    };
    for result in results {
        if let Some(text) = result.text {
            corpus.sources.insert(result.path.clone(), text);
        }
        match result.case {
            Ok(case) => {
                diagnostics.extend(case.warnings.iter().cloned());
                corpus.cases.push(case);
            }
            Err(found) => diagnostics.extend(found),
        }
    }
    diagnostics.extend(duplicate_ids(dir, &mut corpus.cases));
    keep_sources_of(&diagnostics, &mut corpus.sources);
    corpus.cases.sort_by(|a, b| a.id.cmp(&b.id));
    diagnostics.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    corpus.diagnostics = diagnostics;
    corpus
}

/// Reads again the files that a diagnostic found after parsing (a
/// duplicate id) points into, for its snippet (a file saved in between
/// shows its new text under the old position: rare, and only cosmetic).
fn keep_sources_of(diagnostics: &[Diagnostic], sources: &mut HashMap<PathBuf, String>) {
    for d in diagnostics.iter().filter(|d| d.line > 0) {
        if !sources.contains_key(&d.path)
            && let Ok(text) = read_case_text(&d.path)
        {
            sources.insert(d.path.clone(), text);
        }
    }
}

/// Markdown files below `dir`, sorted; hidden files and folders are skipped.
fn find_case_files(dir: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut paths = Vec::new();
    let mut diagnostics = Vec::new();
    if !dir.is_dir() {
        diagnostics.push(
            Diagnostic::error(dir, 0, 0, "the cases folder does not exist")
                .with_help("create it, or run the command from the collection's root (or pass --root)"),
        );
        return (paths, diagnostics);
    }
    let walker = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md") => {
                paths.push(e.into_path());
            }
            Ok(_) => {}
            Err(err) => {
                let path = err.path().map(Path::to_path_buf).unwrap_or_else(|| dir.to_path_buf());
                diagnostics.push(Diagnostic::error(path, 0, 0, format!("cannot read: {err}")));
            }
        }
    }
    (paths, diagnostics)
}

struct FileResult {
    path: PathBuf,
    text: Option<String>,
    case: Result<Case, Vec<Diagnostic>>,
}

fn load_file(path: &Path, bands: &BandScheme) -> FileResult {
    match read_case_text(path) {
        Ok(text) => {
            let case = case::parse(path, &text, bands);
            // The text only serves snippets under diagnostics: held for
            // every file, it would take about 500 MB at 100,000 cases.
            let shown = match &case {
                Ok(c) => !c.warnings.is_empty(),
                Err(_) => true,
            };
            FileResult {
                path: path.to_path_buf(),
                text: shown.then_some(text),
                case,
            }
        }
        Err(d) => FileResult {
            path: path.to_path_buf(),
            text: None,
            case: Err(vec![d]),
        },
    }
}

/// Reads a case file, refusing oversized files before reading them.
pub fn read_case_text(path: &Path) -> Result<String, Diagnostic> {
    let io_error = |e: std::io::Error| Diagnostic::error(path, 0, 0, format!("cannot read the file: {e}"));
    let file = fs::File::open(path).map_err(io_error)?;
    let size = file.metadata().map_err(io_error)?.len();
    if size > MAX_CASE_BYTES {
        return Err(Diagnostic::error(
            path,
            0,
            0,
            format!(
                "the file is {:.1} MB; a case file may be at most 1 MB",
                size as f64 / 1_000_000.0
            ),
        )
        .with_help("is this really a case study? Move attachments out of cases/ and link to them"));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(MAX_CASE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    decode_owned(path, bytes)
}

/// Decodes a case file: UTF-8, with or without BOM, `\r\n` or `\n` line ends.
/// Binary and non-UTF-8 files (Shift_JIS from an old editor) are errors that
/// say where the first bad byte is.
pub fn decode(path: &Path, bytes: &[u8]) -> Result<String, Diagnostic> {
    decode_owned(path, bytes.to_vec())
}

/// [`decode`], taking the bytes (valid UTF-8 without a BOM or `\r`
/// becomes the text without a copy).
pub fn decode_owned(path: &Path, mut bytes: Vec<u8>) -> Result<String, Diagnostic> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(Diagnostic::error(path, 0, 0, "the file is UTF-16")
            .with_help("save it as UTF-8 (in Notepad: 名前を付けて保存 → 文字コード UTF-8)"));
    }
    if let Some(offset) = bytes.iter().position(|b| *b == 0) {
        return Err(Diagnostic::error(
            path,
            0,
            0,
            format!("this looks like a binary file (a NUL byte at offset {offset})"),
        )
        .with_help("case files are UTF-8 Markdown text; remove this file from cases/"));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let (bytes, e) = (e.as_bytes(), e.utf8_error());
        let valid = e.valid_up_to();
        // The prefix up to `valid` is UTF-8, so its line and column are exact.
        let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
        let (line, column) = line_column(prefix, valid);
        Diagnostic::error(path, line, column, format!("the file is not valid UTF-8 (byte offset {valid})"))
            .with_help("save the file as UTF-8; Shift_JIS files from older editors must be converted (e.g. `iconv -f SHIFT_JIS -t UTF-8`)")
    })?;
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    })
}

/// Reports every case whose id another case already uses; only the first
/// (by path) is kept.
fn duplicate_ids(dir: &Path, cases: &mut Vec<Case>) -> Vec<Diagnostic> {
    cases.sort_by(|a, b| a.path.cmp(&b.path));
    let mut first_path: HashMap<String, PathBuf> = HashMap::new();
    let mut diagnostics = Vec::new();
    cases.retain(|case| match first_path.get(&case.id) {
        Some(first) => {
            let (line, column) = id_position(case);
            let first = first.strip_prefix(dir).unwrap_or(first);
            diagnostics.push(
                Diagnostic::error(
                    &case.path,
                    line,
                    column,
                    format!("the id `{}` is already used by {}", case.id, first.display()),
                )
                .with_help("every case needs its own id: change `id:` or the file name"),
            );
            false
        }
        None => {
            first_path.insert(case.id.clone(), case.path.clone());
            true
        }
    });
    diagnostics
}

/// Where `id:` is written (the front matter starts on line 2), or the whole
/// file when the id comes from the file name.
fn id_position(case: &Case) -> (usize, usize) {
    case.front.id.as_ref().map_or((0, 0), |id| {
        (1 + id.referenced.line() as usize, id.referenced.column() as usize)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf_are_accepted() {
        let text = decode(Path::new("a.md"), b"\xEF\xBB\xBF---\r\ntitle: x\r\n---\r\n").expect("decodes");
        assert_eq!(text, "---\ntitle: x\n---\n");
    }

    #[test]
    fn invalid_utf8_reports_the_byte_offset_and_position() {
        // 「日本」 in Shift_JIS on line 2.
        let d = decode(Path::new("a.md"), b"---\ntitle: \x93\xfa\x96\x7b\n").unwrap_err();
        assert!(d.message.contains("byte offset 11"), "{}", d.message);
        assert_eq!((d.line, d.column), (2, 8));
        assert!(d.help.unwrap_or_default().contains("Shift_JIS"));
    }

    #[test]
    fn only_files_with_diagnostics_keep_their_text() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site/cases");
        let valid = fs::read(fixture.join("kagamino-kakanai-madoguchi.md")).expect("fixture");
        fs::write(tmp.path().join("a.md"), &valid).expect("write");
        fs::write(tmp.path().join("b.md"), &valid).expect("write"); // the same id
        fs::write(tmp.path().join("c.md"), "---\ntitle: [\n---\n").expect("write");
        let corpus = load(tmp.path(), &BandScheme::default());
        let kept: Vec<&str> = {
            let mut kept: Vec<&str> = corpus.sources.keys().filter_map(|p| p.file_name()?.to_str()).collect();
            kept.sort_unstable();
            kept
        };
        let duplicate = corpus.diagnostics.iter().find(|d| d.message.contains("already used"));
        assert!(
            duplicate.is_some_and(|d| d.path.ends_with("b.md")),
            "{:?}",
            corpus.diagnostics
        );
        assert_eq!(
            kept,
            ["b.md", "c.md"],
            "the duplicate and the broken file, not the valid one"
        );
    }

    #[test]
    fn binary_files_are_recognised() {
        let d = decode(Path::new("a.md"), b"\x89PNG\r\n\x1a\n\0\0").unwrap_err();
        assert!(d.message.contains("binary"), "{}", d.message);
    }
}
