//! Accessibility checks with axe-core, injected into the page under test.
//!
//! axe-core comes from npm into a git-ignored folder:
//! `npm ci --prefix tests/browser` (pinned by `tests/browser/package-lock.json`;
//! `.ci/run` runs it). Without it the checks fail and say so.

use std::fmt;
use std::path::PathBuf;
use std::sync::OnceLock;

use serde_json::Value;

use super::tab::Tab;
use super::{Error, Result};

/// The command that installs axe-core for the tests.
pub const INSTALL: &str = "npm ci --prefix tests/browser";

/// One rule that failed, with the elements that fail it.
#[derive(Debug, Clone)]
pub struct Violation {
    pub id: String,
    /// `minor`, `moderate`, `serious` or `critical`.
    pub impact: String,
    pub help: String,
    pub help_url: String,
    /// CSS selector and HTML of each failing element, and axe's summary.
    pub nodes: Vec<String>,
}

impl Violation {
    /// Whether it blocks or seriously hinders some users.
    pub fn is_serious(&self) -> bool {
        matches!(self.impact.as_str(), "serious" | "critical")
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "[{}] {}: {} ({})", self.impact, self.id, self.help, self.help_url)?;
        for node in &self.nodes {
            writeln!(f, "    {node}")?;
        }
        Ok(())
    }
}

/// Where `npm ci --prefix tests/browser` puts axe-core.
pub fn axe_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/browser/node_modules/axe-core/axe.min.js")
}

/// axe-core's script, read once.
fn source() -> Result<&'static str> {
    static SOURCE: OnceLock<std::result::Result<String, String>> = OnceLock::new();
    SOURCE
        .get_or_init(|| {
            std::fs::read_to_string(axe_path()).map_err(|e| {
                format!(
                    "axe-core is missing ({}: {e}); install it with `{INSTALL}` from the repository root",
                    axe_path().display()
                )
            })
        })
        .as_deref()
        .map_err(|e| Error::new(e.clone()))
}

/// Runs every axe-core rule (WCAG 2.x A/AA and best practices) on the
/// tab's current page and returns the violations.
pub fn check(tab: &mut Tab) -> Result<Vec<Violation>> {
    let script = source()?;
    // Evaluated through DevTools, so the page's CSP does not apply.
    tab.evaluate(&format!("if (!window.axe) {{ {script}\n }} true"))?;
    let result = tab.evaluate(
        "axe.run(document, { resultTypes: ['violations'] }).then(r => r.violations.map(v => ({ \
         id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl, \
         nodes: v.nodes.map(n => n.target.join(' ') + '  ' + n.html.slice(0, 160) + \
         (n.failureSummary ? '  — ' + n.failureSummary.replace(/\\s+/g, ' ') : '')) })))",
    )?;
    let list = result
        .as_array()
        .ok_or_else(|| Error::new(format!("axe.run returned {result}")))?;
    Ok(list
        .iter()
        .map(|v| {
            let text = |key: &str| v.get(key).and_then(Value::as_str).unwrap_or_default().to_string();
            Violation {
                id: text("id"),
                impact: text("impact"),
                help: text("help"),
                help_url: text("helpUrl"),
                nodes: v
                    .get("nodes")
                    .and_then(Value::as_array)
                    .map(|n| n.iter().filter_map(Value::as_str).map(str::to_string).collect())
                    .unwrap_or_default(),
            }
        })
        .collect())
}
