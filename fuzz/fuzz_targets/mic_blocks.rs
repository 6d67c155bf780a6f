//! The MIC importer on arbitrary text: every block parser on the raw lines
//! (header, cost table, schedule, vendor table, contact, interview,
//! references, TOC, Markdown conversion), then the whole importer on the
//! text placed in chapter 3 of a publication. The importer checks every
//! file it renders with the case model; a rendered file that does not
//! pass is an importer bug.
#![no_main]

use jirei::import::ImportError;
use jirei::import::mic::{fuzzing, import};
use libfuzzer_sys::fuzz_target;

/// The first page of the publication and the heading of chapter 3.
const HEADER: &str = "自治体DX推進参考事例集【第2.0版】\n総務省\n令和6年4月24日\n【3. 内部DX】\n";

fuzz_target!(|text: &str| {
    fuzzing::extractors(text);
    match import(&format!("{HEADER}{text}")) {
        Ok(imported) => {
            for case in &imported.cases {
                assert!(case.file_name.ends_with(".md"), "{}", case.file_name);
                assert!(!case.text.is_empty());
            }
        }
        Err(e @ ImportError::InvalidOutput { .. }) => panic!("{e}"),
        Err(_) => {}
    }
});
