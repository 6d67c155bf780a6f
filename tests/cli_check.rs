//! `jirei check` and `jirei new`, run as the real binary on real files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn jirei(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jirei"))
        .args(args)
        .output()
        .expect("run jirei")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/check")
        .join(name)
}

fn check_json(root: &Path) -> (i32, serde_json::Value) {
    let out = jirei(&["check", "--root", &root.to_string_lossy(), "--format", "json"]);
    let json = serde_json::from_slice(&out.stdout).expect("JSON report");
    (out.status.code().unwrap_or(-1), json)
}

/// (path, line, message) of every error in a JSON report.
fn errors(report: &serde_json::Value) -> Vec<(String, u64, String)> {
    report["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            let text = |k: &str| d[k].as_str().unwrap_or_default().to_string();
            (text("path"), d["line"].as_u64().unwrap_or(0), text("message"))
        })
        .collect()
}

#[test]
fn check_reports_every_broken_file_in_one_run_and_exits_1() {
    let (code, report) = check_json(&fixture("broken"));
    assert_eq!(code, 1);
    let errors = errors(&report);
    let expect = [
        ("jirei.toml", 1, "unknown key `titel`"),
        ("cases/unknown-key.md", 9, "unknown key `vendr`"),
        ("cases/malformed-yaml.md", 9, "unclosed bracket"),
        ("cases/missing-fence.md", 1, "does not start with `---`"),
        ("cases/unclosed-fence.md", 1, "not closed"),
        ("cases/population-as-text.md", 6, "population: 12000"),
        ("cases/band-contradiction.md", 9, "contradicts the population"),
        ("cases/impossible-era-date.md", 11, "平成31年5月 does not exist"),
        ("cases/bad-cost.md", 10, "is not an amount"),
        ("cases/full-width-email.md", 11, "full-width ＠"),
        ("cases/javascript-url.md", 10, "must start with https://"),
        ("cases/wrong-check-digit.md", 6, "check digit"),
        ("cases/duplicate-b.md", 9, "already used by duplicate-a.md"),
        ("cases/empty.md", 1, "empty"),
        ("cases/binary-image.md", 0, "binary file"),
        ("cases/shift-jis.md", 2, "not valid UTF-8 (byte offset 11)"),
        ("cases/書かない 窓口.md", 0, "cannot serve as the case id"),
        ("cases/misspelt-prefecture.md", 4, "is not a prefecture"),
        ("cases/missing-title.md", 7, "required key `title`"),
        ("cases/bad-lead-time.md", 10, "not a duration"),
        ("cases/bad-indentation.md", 6, "not a number of persons"),
    ];
    for (path, line, message) in expect {
        assert!(
            errors
                .iter()
                .any(|(p, l, m)| p == path && *l == line && m.contains(message)),
            "no error `{message}` at {path}:{line} in {errors:#?}"
        );
    }
    assert_eq!(errors.len(), expect.len(), "{errors:#?}");
    assert_eq!(report["cases"], 1, "only duplicate-a.md is valid");
}

#[test]
fn human_output_has_location_snippet_caret_and_hint() {
    let out = jirei(&[
        "check",
        "--root",
        &fixture("broken").to_string_lossy(),
        "--color",
        "never",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("cases/unknown-key.md:9:1: error: unknown key `vendr`\n  |\n9 | vendr: [株式会社サンプル]\n  | ^\n  = help: did you mean `vendors`?"),
        "{text}"
    );
    assert!(
        text.contains("checked 21 case files: 1 valid, 21 errors, 0 warnings"),
        "{text}"
    );
    assert!(!text.contains('\x1b'));
    let coloured = jirei(&[
        "check",
        "--root",
        &fixture("broken").to_string_lossy(),
        "--color",
        "always",
    ]);
    assert!(String::from_utf8_lossy(&coloured.stdout).contains("\x1b[1;31merror"));
}

#[test]
fn valid_collection_with_bom_and_crlf_passes() {
    let (code, report) = check_json(&fixture("valid"));
    assert_eq!(
        (code, report["cases"].as_u64(), report["errors"].as_u64()),
        (0, Some(3), Some(0)),
        "{report:#}"
    );
}

#[test]
fn oversized_file_is_refused_without_being_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("cases")).expect("mkdir");
    let big = std::fs::File::create(dir.path().join("cases/huge.md")).expect("create");
    big.set_len(50 * 1024 * 1024).expect("50 MB sparse file");
    let (code, report) = check_json(dir.path());
    assert_eq!(code, 1);
    assert!(errors(&report)[0].2.contains("at most 1 MB"), "{report:#}");
}

#[test]
fn missing_cases_folder_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (code, report) = check_json(dir.path());
    assert_eq!(code, 1);
    assert!(errors(&report)[0].2.contains("does not exist"));
}

#[test]
fn new_writes_a_checkable_case_and_never_overwrites() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().to_string_lossy().to_string();
    let args = [
        "new",
        "書かない窓口の導入",
        "--prefecture",
        "岡山県",
        "--municipality",
        "鏡野町",
        "--root",
        &root,
    ];
    let out = jirei(&[&args[..], &["--id", "kagamino"]].concat());
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let path = dir.path().join("cases/kagamino.md");
    let written = std::fs::read_to_string(&path).expect("written");
    assert!(written.contains("title: \"書かない窓口の導入\""));
    let (code, report) = check_json(dir.path());
    assert_eq!(code, 0, "{report:#}");

    std::fs::write(&path, "edited by hand").expect("edit");
    let again = jirei(&[&args[..], &["--id", "kagamino"]].concat());
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    assert_eq!(std::fs::read_to_string(&path).expect("kept"), "edited by hand");

    let generated = jirei(&args);
    assert_eq!(generated.status.code(), Some(0));
    let second = jirei(&args);
    assert_eq!(second.status.code(), Some(0));
    let files = std::fs::read_dir(dir.path().join("cases")).expect("dir").count();
    assert_eq!(files, 3, "two generated ids must differ");
}

#[test]
fn new_rejects_an_unknown_prefecture_with_a_suggestion() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = jirei(&[
        "new",
        "題",
        "--prefecture",
        "岡山件",
        "--root",
        &dir.path().to_string_lossy(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean 岡山県?"));
    assert!(
        !dir.path().join("cases").exists()
            || std::fs::read_dir(dir.path().join("cases"))
                .map(|d| d.count())
                .unwrap_or(0)
                == 0
    );
}

#[test]
fn a_reader_that_stops_early_does_not_make_check_panic() {
    use std::io::Read;
    // Far more output than a pipe buffers (64 KiB), so writing must hit the closed pipe.
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("cases")).expect("mkdir");
    for i in 0..1500 {
        std::fs::write(
            dir.path().join(format!("cases/c{i}.md")),
            "---\ntitle: x\nvendr: y\n---\n",
        )
        .expect("write");
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_jirei"))
        .args(["check", "--root", &dir.path().to_string_lossy()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut first = [0u8; 16];
    child
        .stdout
        .take()
        .expect("stdout")
        .read_exact(&mut first)
        .expect("some output");
    // The pipe is closed here, like `jirei check | head -1`.
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}
