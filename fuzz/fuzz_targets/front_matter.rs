//! A whole case file, as bytes, through what `jirei check` does with it:
//! decode, split the front matter, read the YAML, validate, render the
//! diagnostics. Every diagnostic must point into the file.
#![no_main]

use std::path::Path;

use jirei::case::band::BandScheme;
use jirei_fuzz::assert_points_into;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let path = Path::new("cases/fuzz.md");
    let text = match jirei::corpus::decode(path, bytes) {
        Ok(text) => text,
        Err(d) => {
            // The position of a bad byte is computed on the valid prefix.
            let valid = String::from_utf8_lossy(bytes);
            assert_points_into(&valid, &d);
            return;
        }
    };
    let diagnostics = match jirei::case::parse(path, &text, &BandScheme::mic()) {
        Ok(case) => {
            assert!(!case.id.is_empty(), "a valid case has an id");
            std::hint::black_box(jirei::case::plain_text::markdown_to_text(&case.body));
            case.warnings
        }
        Err(diagnostics) => {
            assert!(!diagnostics.is_empty(), "an invalid case comes with a reason");
            diagnostics
        }
    };
    for d in &diagnostics {
        assert_points_into(&text, d);
    }
});
