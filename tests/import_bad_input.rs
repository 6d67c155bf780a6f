//! Bad input gives a clear error, never a panic and never a half-written
//! cases/ directory.

use jirei::import::{ImportError, mic, write_cases};

const SEED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seeds/003_b7b77d4349d817ea.txt");
const OTHER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seeds/001_f432d9fa93d6ee36.txt");

#[test]
fn empty_input_is_an_error() {
    assert!(matches!(mic::import(""), Err(ImportError::Empty)));
    assert!(matches!(mic::import("  \n\n"), Err(ImportError::Empty)));
    assert!(matches!(mic::import_bytes(b""), Err(ImportError::Empty)));
}

#[test]
fn shift_jis_bytes_are_rejected_with_a_conversion_hint() {
    // 「自治体」 in Shift_JIS.
    let bytes = [0x8E, 0xA9, 0x8E, 0xA1, 0x91, 0xCC, b'\n'];
    let err = mic::import_bytes(&bytes).expect_err("not UTF-8");
    assert!(matches!(err, ImportError::NotUtf8 { offset: 0 }), "{err:?}");
    assert!(err.to_string().contains("iconv"), "{err}");
}

#[test]
fn another_publication_is_not_imported() {
    let text =
        std::fs::read_to_string(OTHER).expect("the seed documents must be in ../shared/seeds beside the repository");
    let err = mic::import(&text).expect_err("not the MIC collection");
    assert!(matches!(err, ImportError::NotMic { .. }), "{err:?}");
    assert!(err.to_string().contains("自治体DX推進参考事例集"), "{err}");
}

#[test]
fn random_text_is_not_imported() {
    let err = mic::import("こんにちは\n世界\n").expect_err("not the MIC collection");
    assert!(matches!(err, ImportError::NotMic { .. }), "{err:?}");
}

#[test]
fn a_file_cut_in_the_middle_reports_the_missing_cases() {
    let text =
        std::fs::read_to_string(SEED).expect("the seed documents must be in ../shared/seeds beside the repository");
    let cut = text.find("\n21 77業務にRPA").expect("case 3-21 in the seed");
    let err = mic::import(&text[..cut]).expect_err("truncated");
    let message = err.to_string();
    assert!(matches!(err, ImportError::Truncated { .. }), "{err:?}");
    assert!(message.contains("3-21"), "{message}");
    assert!(message.contains("and 22 more"), "{message}");
}

#[test]
fn a_file_cut_inside_the_last_case_is_truncated_too() {
    let text =
        std::fs::read_to_string(SEED).expect("the seed documents must be in ../shared/seeds beside the repository");
    let start = text
        .find("\n47 Web会議で移動時間を大幅削減し行政サービスを向上【")
        .expect("case 3-47");
    let cut = start + text[start..].find("事業の概要").expect("overview");
    let err = mic::import(&text[..cut]).expect_err("truncated");
    assert!(err.to_string().contains("stops before"), "{err}");
}

#[test]
fn every_prefix_of_the_document_is_handled_without_panicking() {
    let text =
        std::fs::read_to_string(SEED).expect("the seed documents must be in ../shared/seeds beside the repository");
    let mut cut = 0;
    while cut < text.len() {
        let end = (0..4)
            .map(|k| cut + k)
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(text.len());
        let _ = mic::import(&text[..end]);
        cut += 7919; // a prime step through the file
    }
}

#[test]
fn a_failed_import_leaves_the_cases_directory_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("cases");
    write_cases(&out, &[("x-hand.md".into(), "hand written".into())], false).expect("seed dir");
    let result = mic::import("not a publication");
    assert!(result.is_err());
    // The CLI only writes on success; the directory is as it was.
    let names: Vec<_> = std::fs::read_dir(&out)
        .expect("dir")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("x-hand.md")]);
}

#[test]
fn existing_cases_are_not_overwritten_without_force() {
    let text =
        std::fs::read_to_string(SEED).expect("the seed documents must be in ../shared/seeds beside the repository");
    let files = mic::import(&text).expect("import").files();
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("cases");
    write_cases(&out, &files, false).expect("first import");
    let mut changed = files.clone();
    changed[0].1.push_str("\nedited by hand\n");
    std::fs::write(out.join(&changed[0].0), &changed[0].1).expect("hand edit");
    let err = write_cases(&out, &files, false).expect_err("refused");
    assert!(err.to_string().contains(&files[0].0), "{err}");
    assert!(
        std::fs::read_to_string(out.join(&files[0].0))
            .expect("read")
            .ends_with("edited by hand\n")
    );
    let report = write_cases(&out, &files, true).expect("forced");
    assert_eq!((report.replaced.len(), report.unchanged.len()), (1, 81));
}
