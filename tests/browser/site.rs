//! The site under test: the bundled `cases/` plus one hostile case and the
//! cases of `tests/fixtures/print/` (a summary with every field at its
//! longest), built by the real `jirei build` once per test binary, and the
//! two ways it is opened: over HTTP below a sub-path (the portal's
//! `base_url`), and from `file://`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::server::StaticServer;

/// The sub-path the test server publishes the site at.
pub const SUB_PATH: &str = "/portal/dx/";

/// The id of the case whose body tries to run script.
pub const HOSTILE_ID: &str = "9-99-hostile";

/// The id of the case whose summary has every field at its longest
/// (`tests/fixtures/print/`).
pub const LONGEST_ID: &str = "9-98-longest-summary";

/// Everything the hostile body tries; each one would set `window.__pwned`.
pub const HOSTILE_BODY: &str = r#"## 事業の概要

本文にスクリプトを書いた事例です。<script>window.__pwned = 'script'</script>

<img src=x onerror="window.__pwned = 'img'">

<svg onload="window.__pwned = 'svg'"><circle r="1"/></svg>

<iframe srcdoc="<script>parent.__pwned = 'iframe'</script>"></iframe>

<div onmouseover="window.__pwned = 'hover'" style="background:url(https://example.jp/x.png)">上を通ると実行</div>

[マークダウンのリンク](javascript:window.__pwned='markdown')

<a href="javascript:window.__pwned='html'" id="raw-js-link">HTML のリンク</a>

<a href="jav&#x09;ascript:window.__pwned='tab'">タブ入りのリンク</a>

<form action="https://example.jp/steal"><button>送信</button></form>

![外部の画像](https://example.jp/photo.png)
"#;

/// Which way a page is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hosting {
    /// From the test server, below [`SUB_PATH`].
    Http,
    /// From the output folder with `file://` URLs.
    File,
}

impl Hosting {
    pub const BOTH: [Hosting; 2] = [Hosting::Http, Hosting::File];
}

/// A built site and the server publishing it.
pub struct Site {
    /// The output folder of `jirei build`.
    pub out: PathBuf,
    pub server: StaticServer,
}

impl Site {
    /// Builds the site into `dir` (emptied first) and starts serving it.
    pub fn build(dir: &Path) -> Site {
        if dir.exists() {
            fs::remove_dir_all(dir).unwrap_or_else(|e| panic!("cannot empty {}: {e}", dir.display()));
        }
        let root = dir.join("root");
        let cases = root.join("cases");
        fs::create_dir_all(&cases).expect("create the collection folder");
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        copy_cases(&manifest.join("cases"), &cases);
        copy_cases(&manifest.join("tests/fixtures/print"), &cases);
        fs::write(cases.join(format!("{HOSTILE_ID}.md")), hostile_case()).expect("write the hostile case");
        let out = dir.join("public");
        let output = Command::new(env!("CARGO_BIN_EXE_jirei"))
            .args(["build", "--root"])
            .arg(&root)
            .arg("--out")
            .arg(&out)
            // The 404 page (served at any depth) and the address printed on case pages use it.
            .args(["--base-url", SUB_PATH])
            .env("NO_COLOR", "1")
            .output()
            .expect("run jirei build");
        assert!(
            output.status.success(),
            "jirei build failed:\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        let server = StaticServer::start(&out, SUB_PATH).expect("start the test server");
        Site { out, server }
    }

    /// The URL of `relative` (a path in the output, such as
    /// `cases/1-05-funagata/index.html`) for `hosting`.
    pub fn url(&self, hosting: Hosting, relative: &str) -> String {
        match hosting {
            Hosting::Http => self.server.url(&encode_path(relative)),
            Hosting::File => file_url(&self.out.join(relative)),
        }
    }

    /// Where every URL of the site starts for `hosting`.
    pub fn base(&self, hosting: Hosting) -> String {
        match hosting {
            Hosting::Http => self.server.url(""),
            Hosting::File => file_url(&self.out) + "/",
        }
    }

    /// The collection folder the site was built from (its `cases/`).
    pub fn root(&self) -> PathBuf {
        self.out.with_file_name("root")
    }

    /// The ids of the published cases, from the case folders.
    pub fn case_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = fs::read_dir(self.out.join("cases"))
            .expect("read public/cases")
            .map(|e| e.expect("list public/cases").file_name().to_string_lossy().into_owned())
            .collect();
        ids.sort();
        ids
    }
}

/// Copies the case files (`*.md`) of `from` into `to`.
fn copy_cases(from: &Path, to: &Path) {
    let entries = fs::read_dir(from).unwrap_or_else(|e| panic!("cannot read {}: {e}", from.display()));
    for entry in entries {
        let path = entry.expect("list a case folder").path();
        if path.extension().is_some_and(|e| e == "md") {
            let name = path.file_name().expect("file name");
            fs::copy(&path, to.join(name)).expect("copy a case");
        }
    }
}

/// The hostile case: valid front matter, a body full of script.
fn hostile_case() -> String {
    format!(
        "---\nid: {HOSTILE_ID}\ntitle: \"<script>window.__pwned='title'</script>スクリプトを含む事例\"\n\
         point: \"<img src=x onerror=\\\"window.__pwned='point'\\\">要点\"\n\
         organization:\n  prefecture: 岡山県\n  name: 鏡野町\npopulation: 12000\ncategory: 内部DX\n\
         tags: [\"<b onclick=x()>タグ</b>\"]\nvendors: [\"<script>x()</script>株式会社\"]\n---\n{HOSTILE_BODY}"
    )
}

/// Characters kept as they are in a URL path: unreserved ones and `/`.
const PATH: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'/')
    .remove(b'%');

/// Percent-encodes what a relative path needs (keeps existing escapes).
fn encode_path(relative: &str) -> String {
    utf8_percent_encode(relative, PATH).to_string()
}

/// `file:///…` for an absolute path.
pub fn file_url(path: &Path) -> String {
    let text = path.to_str().expect("a UTF-8 path");
    format!("file://{}", utf8_percent_encode(text, PATH))
}
