//! Browser-test infrastructure shared by the `tests/browser_*.rs` test
//! binaries: a minimal Chrome DevTools Protocol client driving Debian's
//! headless Chromium, a static HTTP server that publishes the site below a
//! sub-path, the site built once by the real `jirei build`, axe-core
//! accessibility checks and transfer-size measurements.
//!
//! ```ignore
//! mod browser;
//! use browser::{Hosting, env};
//!
//! #[test]
//! fn home_page_loads() {
//!     let env = env();
//!     let mut tab = env.browser.new_tab().expect("tab");
//!     tab.navigate(&env.site.url(Hosting::Http, "index.html")).expect("load");
//!     tab.assert_clean("home").expect("no console errors");
//! }
//! ```
//!
//! One Chromium, one server and one site per test binary ([`env`]); each
//! test opens its own [`Tab`], in its own browser context, so tests can run
//! in parallel and share no cache or storage.
//!
//! Needs `chromium` (`apt-get install chromium`) and, for the accessibility
//! tests, axe-core (`npm ci --prefix tests/browser`); `.ci/run` installs both.
// Each test binary uses part of this module.
#![allow(dead_code, unused_imports)]

pub mod axe;
pub mod chromium;
pub mod connection;
pub mod logs;
pub mod search_page;
pub mod server;
pub mod site;
pub mod tab;
pub mod transfer;

use std::fmt;
use std::path::PathBuf;
use std::sync::OnceLock;

pub use chromium::Browser;
pub use logs::{ConsoleMessage, Logs, NetworkLog, Request};
pub use server::StaticServer;
pub use site::{Hosting, Site};
pub use tab::Tab;

/// A browser-test failure, with a message meant for the person reading the
/// test output (its `Debug` is the plain message, so `expect` prints it
/// readably).
pub struct Error(String);

impl Error {
    pub fn new(message: impl Into<String>) -> Error {
        Error(message.into())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;

/// What every browser test of one binary shares.
pub struct Env {
    pub browser: Browser,
    pub site: Site,
}

/// The shared Chromium and site, started on first use. Panics with the
/// reason (such as how to install Chromium) if the browser cannot start.
pub fn env() -> &'static Env {
    static ENV: OnceLock<std::result::Result<Env, String>> = OnceLock::new();
    let env = ENV.get_or_init(|| {
        let site = Site::build(&scratch_dir("site"));
        let browser = Browser::launch().map_err(|e| e.to_string())?;
        Ok(Env { browser, site })
    });
    match env {
        Ok(env) => env,
        Err(message) => panic!("{message}"),
    }
}

/// A folder for this test binary's files under Cargo's temporary target
/// folder: kept between runs for inspection, replaced by the next run.
pub fn scratch_dir(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("browser-{}", env!("CARGO_CRATE_NAME")))
        .join(name)
}

/// Writes a screenshot under [`scratch_dir`]`("screenshots")` and returns
/// its path; checks that it is a PNG.
pub fn save_screenshot(name: &str, png: &[u8]) -> PathBuf {
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "{name}: not a PNG");
    let dir = scratch_dir("screenshots");
    std::fs::create_dir_all(&dir).expect("create the screenshot folder");
    let path = dir.join(format!("{name}.png"));
    std::fs::write(&path, png).expect("write the screenshot");
    path
}
