//! Helpers of the browser-search tests: a copy of the bundled collection,
//! `jirei build` and `jirei search` as the real binary, and the browser
//! engine run under node (`tests/client/harness.js`).
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{Value, json};

/// One search: what the page sends to the engine and `jirei search` gets as flags.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub query: String,
    /// Facet name (as in `jirei.toml`) → values.
    pub facets: Vec<(String, Vec<String>)>,
    /// Number name (`population`, `initial_cost`, …) → (min, max).
    pub ranges: Vec<(String, Option<u64>, Option<u64>)>,
    pub sort: Option<String>,
    pub near: Option<u64>,
}

impl Request {
    pub fn query(query: &str) -> Request {
        Request {
            query: query.to_string(),
            ..Request::default()
        }
    }

    pub fn facet(mut self, name: &str, values: &[&str]) -> Request {
        self.facets
            .push((name.to_string(), values.iter().map(|v| v.to_string()).collect()));
        self
    }

    pub fn range(mut self, name: &str, min: Option<u64>, max: Option<u64>) -> Request {
        self.ranges.push((name.to_string(), min, max));
        self
    }

    pub fn sort(mut self, sort: &str) -> Request {
        self.sort = Some(sort.to_string());
        self
    }

    pub fn near(mut self, population: u64) -> Request {
        self.near = Some(population);
        self
    }

    /// The request as the engine takes it.
    pub fn to_engine(&self, limit: usize) -> Value {
        let facets: serde_json::Map<String, Value> = self.facets.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
        let ranges: serde_json::Map<String, Value> = self
            .ranges
            .iter()
            .map(|(k, lo, hi)| (k.clone(), json!([lo, hi])))
            .collect();
        json!({
            "query": self.query, "facets": facets, "ranges": ranges,
            "sort": self.sort.clone().unwrap_or_else(|| "relevance".into()),
            "near": self.near, "limit": limit,
        })
    }

    /// The same request as `jirei search` flags.
    pub fn to_cli(&self, limit: usize) -> Vec<String> {
        let mut args = vec![
            "search".to_string(),
            "--json".into(),
            "--limit".into(),
            limit.to_string(),
        ];
        for (name, values) in &self.facets {
            let flag = match name.as_str() {
                "tags" => "tag".to_string(),
                "vendors" => "vendor".to_string(),
                other => other.replace('_', "-"),
            };
            for v in values {
                args.push(format!("--{flag}={v}"));
            }
        }
        for (name, lo, hi) in &self.ranges {
            let range = format!(
                "{}..{}",
                lo.map(|v| v.to_string()).unwrap_or_default(),
                hi.map(|v| v.to_string()).unwrap_or_default()
            );
            args.push(format!("--{}={range}", name.replace('_', "-")));
        }
        if let Some(sort) = &self.sort {
            args.push(format!("--sort={sort}"));
        }
        if let Some(near) = self.near {
            args.push(format!("--near-population={near}"));
        }
        args.push("--".into());
        args.push(self.query.clone());
        args
    }
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of the bundled collection (cases, synonyms), so `jirei search`
/// can write its index cache without touching the repository.
pub fn bundled_collection() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases = dir.path().join("cases");
    std::fs::create_dir(&cases).expect("mkdir");
    for entry in std::fs::read_dir(repo().join("cases")).expect("cases") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, cases.join(path.file_name().expect("name"))).expect("copy");
    }
    for file in ["synonyms.toml", "jirei.toml"] {
        if repo().join(file).exists() {
            std::fs::copy(repo().join(file), dir.path().join(file)).expect("copy");
        }
    }
    dir
}

/// Runs `jirei build --root root --out root/public` with `extra` flags.
pub fn build_site(root: &Path, extra: &[&str]) -> PathBuf {
    let out = root.join("public");
    let output = Command::new(env!("CARGO_BIN_EXE_jirei"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--out")
        .arg(&out)
        .args(extra)
        .output()
        .expect("run jirei build");
    assert!(
        output.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    out
}

/// `jirei search` as JSON, or its error message.
pub fn cli_search(root: &Path, request: &Request, limit: usize) -> Result<Value, String> {
    let output = Command::new(env!("CARGO_BIN_EXE_jirei"))
        .arg("--root")
        .arg(root)
        .args(request.to_cli(limit))
        .output()
        .expect("run jirei search");
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).to_string());
    }
    serde_json::from_slice(&output.stdout).map_err(|e| e.to_string())
}

/// The node executable (`$NODE`, else `node` on the PATH).
pub fn node() -> String {
    std::env::var("NODE").unwrap_or_else(|_| "node".to_string())
}

/// Runs every request through the browser engine under node, each as a
/// first search; answers carry `total`, `ids`, `scores`, `facets`, `bytes`
/// or `error`.
pub fn browser_search(site: &Path, requests: &[Value]) -> Vec<Value> {
    let harness = repo().join("tests/client/harness.js");
    let mut child = Command::new(node())
        .arg(harness)
        .arg(site)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node must be installed to test the search page (set NODE to its path)");
    let input = serde_json::to_vec(requests).expect("json");
    child.stdin.take().expect("stdin").write_all(&input).expect("write");
    let output = child.wait_with_output().expect("node runs");
    assert!(
        output.status.success(),
        "harness failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("harness JSON")
}
