//! `jirei.toml`: no panic, and every diagnostic points into the file.
#![no_main]

use std::path::Path;

use jirei::config::Config;
use jirei_fuzz::assert_points_into;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Err(d) = Config::parse(Path::new("jirei.toml"), text) {
        assert_points_into(text, &d);
    }
});
