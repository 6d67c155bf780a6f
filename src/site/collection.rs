//! The published collection: the cases chosen for this build (drafts only
//! on request) and everything derived from them — views, rendered bodies,
//! facets, similar cases, orderings — computed once, in parallel where it
//! pays, before any page is rendered.

use rayon::prelude::*;

use super::facets::Facets;
use super::markdown;
use super::model::{CaseRow, CaseView};
use super::similar::similar_cases;
use crate::case::Case;
use crate::config::Config;
use crate::timing::Phases;

/// How many cases the home page lists as newest.
pub const NEWEST_ON_HOME: usize = 10;

/// Site-wide settings for one build.
#[derive(Debug, Clone)]
pub struct Settings {
    pub title: String,
    pub description: String,
    pub language: String,
    /// Ends with `/`: `/`, `/dx/` or `https://portal.example.lg.jp/dx/`.
    pub base_url: String,
    /// The path part of `base_url`, ending with `/`: used where relative
    /// links cannot work (the 404 page).
    pub base_path: String,
    pub drafts: bool,
}

impl Settings {
    /// Settings from `jirei.toml`, with `--base-url` and `--drafts` applied.
    /// `base_url` must start with `/`, `http://` or `https://`.
    pub fn new(config: &Config, base_url: Option<&str>, drafts: bool) -> Result<Settings, String> {
        let base_url = normalise_base_url(base_url.unwrap_or(&config.base_url))?;
        Ok(Settings {
            title: config.title.clone(),
            description: config.description.clone(),
            language: config.language.clone(),
            base_path: base_path(&base_url),
            base_url,
            drafts,
        })
    }

    /// Whether `base_url` names a host, so absolute URLs can be written.
    pub fn is_absolute(&self) -> bool {
        self.base_url.starts_with("http://") || self.base_url.starts_with("https://")
    }

    /// The address of the page at `href` (from the output root) as a web
    /// server publishes it: `index.html` dropped, below `base_url`, so
    /// absolute only when the base URL is.
    pub fn page_url(&self, href: &str) -> String {
        let href = href.strip_suffix("index.html").unwrap_or(href);
        format!("{}{href}", self.base_url)
    }
}

fn normalise_base_url(url: &str) -> Result<String, String> {
    let url = url.trim();
    let valid = url.starts_with('/') || url.starts_with("http://") || url.starts_with("https://");
    if !valid || url.contains(['"', '<', '>', '\\', ' ']) || url.chars().any(char::is_control) {
        return Err(format!(
            "the base URL `{url}` must be a path such as `/` or `/dx/`, or a full http(s):// address"
        ));
    }
    Ok(if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    })
}

fn base_path(base_url: &str) -> String {
    let Some(rest) = base_url.split_once("://").map(|(_, rest)| rest) else {
        return base_url.to_string();
    };
    match rest.find('/') {
        Some(slash) => rest[slash..].to_string(),
        None => "/".to_string(),
    }
}

/// Everything the pages and exports are made from.
#[derive(Debug)]
pub struct Collection {
    pub settings: Settings,
    /// Published cases, sorted by id.
    pub cases: Vec<CaseView>,
    /// Sanitised HTML of each case body, same order.
    pub bodies: Vec<String>,
    pub rows: Vec<CaseRow>,
    pub facets: Facets,
    /// For each case, its similar cases (indices), best first.
    pub similar: Vec<Vec<usize>>,
    /// Case indices in the default order: prefecture (north to south),
    /// organisation name, id.
    pub default_order: Vec<usize>,
    /// Position of each case in `default_order`.
    pub default_rank: Vec<usize>,
    /// Case indices, most recently updated first (then by id).
    pub newest: Vec<usize>,
}

impl Collection {
    /// Selects the published cases (drafts only when `settings.drafts`) and
    /// derives everything from them. `cases` are sorted by id (as
    /// [`crate::corpus::load`] returns them).
    pub fn build(cases: &[Case], config: &Config, settings: Settings) -> Collection {
        Collection::build_with(cases, config, settings, |case| markdown::render(&case.body))
    }

    /// [`Collection::build`] with the bodies' HTML from `body` (serve keeps
    /// the bodies of cases an edit did not touch).
    pub fn build_with(
        cases: &[Case],
        config: &Config,
        settings: Settings,
        body: impl Fn(&Case) -> String + Sync,
    ) -> Collection {
        let mut phases = Phases::start();
        let published = published(cases, settings.drafts);
        let facets = Facets::build(&published, &config.bands);
        phases.mark("facets");
        let (views, bodies): (Vec<CaseView>, Vec<String>) = published
            .par_iter()
            .map(|case| (CaseView::build(case, &facets, &config.bands), body(case)))
            .unzip();
        phases.mark("views and bodies");
        let rows: Vec<CaseRow> = views.iter().map(CaseView::row).collect();
        phases.mark("rows");
        let similar = similar_cases(&published);
        phases.mark("similar");
        let default_order = default_order(&published);
        let mut default_rank = vec![0; published.len()];
        for (rank, &i) in default_order.iter().enumerate() {
            default_rank[i] = rank;
        }
        let newest = newest(&views);
        phases.mark("orders");
        phases.report("collection");
        Collection {
            settings,
            cases: views,
            bodies,
            rows,
            facets,
            similar,
            default_order,
            default_rank,
            newest,
        }
    }
}

/// The cases a build publishes: drafts only when `drafts` is set.
pub fn published(cases: &[Case], drafts: bool) -> Vec<&Case> {
    cases.iter().filter(|c| drafts || !c.front.draft).collect()
}

fn default_order(cases: &[&Case]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..cases.len()).collect();
    order.sort_by(|&a, &b| {
        let key = |c: &Case| {
            (
                c.prefecture.code(),
                c.kind == crate::case::front_matter::OrgKind::Prefecture,
            )
        };
        let (ca, cb) = (cases[a], cases[b]);
        // The prefecture itself before its municipalities.
        key(ca)
            .0
            .cmp(&key(cb).0)
            .then(key(cb).1.cmp(&key(ca).1))
            .then_with(|| ca.organization_name().cmp(cb.organization_name()))
            .then(a.cmp(&b))
    });
    order
}

fn newest(views: &[CaseView]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..views.len()).collect();
    order.sort_by(|&a, &b| views[b].updated.cmp(&views[a].updated).then(a.cmp(&b)));
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_get_a_trailing_slash_and_a_path() {
        let settings = |url| Settings::new(&Config::default(), Some(url), false);
        let s = settings("/dx").expect("valid");
        assert_eq!((s.base_url.as_str(), s.base_path.as_str()), ("/dx/", "/dx/"));
        let s = settings("https://portal.example.lg.jp/dx").expect("valid");
        assert_eq!(s.base_path, "/dx/");
        assert!(s.is_absolute());
        assert_eq!(settings("https://portal.example.lg.jp").expect("valid").base_path, "/");
        assert!(settings("dx/").is_err());
        assert!(settings("/a\"b").is_err());
    }

    #[test]
    fn page_urls_are_folders_below_the_base_url() {
        let settings = |url| Settings::new(&Config::default(), Some(url), false).expect("valid");
        let href = "cases/3-15-mitaka/index.html";
        assert_eq!(settings("/dx").page_url(href), "/dx/cases/3-15-mitaka/");
        assert_eq!(
            settings("https://portal.example.lg.jp/dx/").page_url(href),
            "https://portal.example.lg.jp/dx/cases/3-15-mitaka/"
        );
        assert_eq!(settings("/").page_url("cases.csv"), "/cases.csv");
    }
}
