//! `jirei.toml`: the collection's settings (site title, base URL, language,
//! facets, population band scheme). A missing file means the defaults.
//!
//! ```toml
//! title = "自治体DX事例ナビ"
//! base_url = "/dx-jirei/"
//! facets = ["band", "category", "prefecture", "tags"]
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::case::band::{BandScheme, PopulationBand};
use crate::diagnostic::{Diagnostic, did_you_mean, explain_serde_message, line_column};

pub const CONFIG_FILE: &str = "jirei.toml";

/// Fields a site may offer as search facets.
pub const FACET_FIELDS: [&str; 8] = [
    "band",
    "category",
    "section",
    "prefecture",
    "region",
    "tags",
    "vendors",
    "operation_mode",
];

/// The settings of one collection.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Where the site is published: `/` or a sub-path such as `/dx/`, or a full URL.
    pub base_url: String,
    pub language: String,
    pub facets: Vec<String>,
    pub bands: BandScheme,
    /// Where the file was read from, if it exists.
    pub path: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "自治体DX事例集".to_string(),
            description: "自治体のDX推進事例を、分野と人口規模から探せるナレッジベース".to_string(),
            base_url: "/".to_string(),
            language: "ja".to_string(),
            facets: FACET_FIELDS.iter().map(|f| f.to_string()).collect(),
            bands: BandScheme::mic(),
            path: None,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Option<String>,
    description: Option<String>,
    base_url: Option<String>,
    language: Option<String>,
    facets: Option<Vec<String>>,
    bands: Option<Vec<PopulationBand>>,
}

impl Config {
    /// Reads `root/jirei.toml`, or the defaults when there is none.
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join(CONFIG_FILE);
        if !path.exists() {
            return Ok(Config::default());
        }
        let bytes = std::fs::read(&path).map_err(|e| Diagnostic::error(&path, 0, 0, format!("cannot read: {e}")))?;
        let text = crate::corpus::decode(&path, &bytes)?;
        Config::parse(&path, &text)
    }

    /// Parses the text of a `jirei.toml` found at `path`.
    pub fn parse(path: &Path, text: &str) -> Result<Config, Diagnostic> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| toml_diagnostic(path, text, &e))?;
        let defaults = Config::default();
        let at_key = |key: &str| key_position(text, key);
        let facets = match raw.facets {
            Some(facets) => check_facets(path, facets, at_key("facets"))?,
            None => defaults.facets,
        };
        let bands = match raw.bands {
            Some(bands) => BandScheme::new(bands).map_err(|msg| {
                let (line, column) = at_key("[[bands]]");
                Diagnostic::error(path, line, column, format!("invalid band scheme: {msg}"))
            })?,
            None => defaults.bands,
        };
        let base_url = raw.base_url.unwrap_or(defaults.base_url);
        if !(base_url.starts_with('/') || base_url.starts_with("http://") || base_url.starts_with("https://")) {
            let (line, column) = at_key("base_url");
            return Err(Diagnostic::error(
                path,
                line,
                column,
                format!("base_url `{base_url}` must start with `/` or http(s)://"),
            )
            .with_help("use \"/\" for a site at the server root, \"/dx/\" for a sub-path"));
        }
        Ok(Config {
            title: raw.title.unwrap_or(defaults.title),
            description: raw.description.unwrap_or(defaults.description),
            base_url,
            language: raw.language.unwrap_or(defaults.language),
            facets,
            bands,
            path: Some(path.to_path_buf()),
        })
    }
}

fn check_facets(path: &Path, facets: Vec<String>, at: (usize, usize)) -> Result<Vec<String>, Diagnostic> {
    for facet in &facets {
        if !FACET_FIELDS.contains(&facet.as_str()) {
            let help = match did_you_mean(facet, FACET_FIELDS) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("facets can be: {}", FACET_FIELDS.join(", ")),
            };
            return Err(Diagnostic::error(path, at.0, at.1, format!("`{facet}` is not a facet field")).with_help(help));
        }
    }
    Ok(facets)
}

/// Line and column of the first line starting with `key`, for errors found
/// after parsing.
fn key_position(text: &str, key: &str) -> (usize, usize) {
    text.lines()
        .position(|l| l.trim_start().starts_with(key))
        .map_or((0, 0), |i| (i + 1, 1))
}

fn toml_diagnostic(path: &Path, text: &str, err: &toml::de::Error) -> Diagnostic {
    let (line, column) = err.span().map_or((0, 0), |span| line_column(text, span.start));
    let (message, help) = explain_serde_message(err.message().trim());
    let d = Diagnostic::error(path, line, column, message);
    match help {
        Some(h) => d.with_help(h),
        None => d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Diagnostic> {
        Config::parse(Path::new("jirei.toml"), text)
    }

    #[test]
    fn empty_file_gives_the_defaults() {
        let config = parse("").expect("valid");
        assert_eq!(config.base_url, "/");
        assert_eq!(config.bands.bands().len(), 6);
    }

    #[test]
    fn unknown_key_is_reported_with_position_and_hint() {
        let d = parse("title = \"x\"\nbase_ur = \"/\"\n").unwrap_err();
        assert_eq!((d.line, d.message.as_str()), (2, "unknown key `base_ur`"));
        assert_eq!(d.help.as_deref(), Some("did you mean `base_url`?"));
    }

    #[test]
    fn unknown_facet_suggests_the_closest() {
        let d = parse("facets = [\"band\", \"vendor\"]\n").unwrap_err();
        assert_eq!(d.help.as_deref(), Some("did you mean `vendors`?"));
    }

    #[test]
    fn a_finer_band_scheme_can_be_configured() {
        let text = "[[bands]]\nid = \"small\"\nlabel = \"5千人未満\"\nmax = 5000\n\n[[bands]]\nid = \"rest\"\nlabel = \"5千人以上\"\nmin = 5000\n";
        let config = parse(text).expect("valid");
        assert_eq!(
            config.bands.for_population(4_000, false).map(|b| b.id.as_str()),
            Some("small")
        );
    }

    #[test]
    fn broken_band_schemes_and_syntax_are_errors() {
        assert!(
            parse("[[bands]]\nid = \"a\"\nlabel = \"a\"\nmax = 10\n")
                .unwrap_err()
                .message
                .contains("band scheme")
        );
        let d = parse("title = \"unterminated\n").unwrap_err();
        assert_eq!(d.line, 1);
        assert!(parse("base_url = \"dx\"\n").unwrap_err().message.contains("must start"));
    }
}
