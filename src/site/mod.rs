//! The static site: case pages, listings by facet, the all-cases table,
//! exports, built from validated cases with a tera theme.
//!
//! The site works without a server and without JavaScript: every link is
//! relative and names `index.html`, so it can be opened from `file://`, a
//! file share or any sub-path of any static server, and it makes no
//! request to another host (a `Content-Security-Policy: default-src 'self'`
//! meta tag on every page enforces it).
//!
//! Modules, in the order a build uses them:
//! [`collection`] (published cases and everything derived from them, via
//! [`model`], [`facets`], [`markdown`], [`similar`]) → [`pages`] (which
//! pages exist, [`route`]s) → [`context`] + [`render`] (tera, with the
//! [`theme`]; table rows rendered once by [`rows`]) → [`export`] (CSV, JSON, sitemap) → [`output`] (atomic swap).
//!
//! The search page (`PageContent::Search`, `search/index.html`, template
//! `search.html`, scripts `assets/search-engine.js` and
//! `assets/search-ui.js`) is linked from the header and home forms through
//! `search_href` (set in [`context::ContextBuilder::globals`]); its data is
//! written by [`search_index`] under `search/`. Pages opened from
//! `file://` cannot `fetch()` files, so the data is loaded with
//! `<script src>`, and the CSP allows no inline script.
//!
//! ```no_run
//! use jirei::{config::Config, corpus, site};
//! let root = std::path::Path::new(".");
//! let config = Config::load(root).unwrap();
//! let corpus = corpus::load(&root.join("cases"), &config.bands);
//! let options = site::BuildOptions::new(root, &root.join("public"));
//! let report = site::build(&corpus.cases, &config, &options).unwrap();
//! println!("{} pages", report.pages);
//! ```

pub mod collection;
pub mod context;
pub mod export;
pub mod facets;
pub mod markdown;
pub mod model;
pub mod output;
pub mod pages;
pub mod render;
pub mod route;
pub mod rows;
pub mod search_index;
pub mod similar;
pub mod theme;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::analysis::{Analyzer, Handoff, Synonyms};
use crate::case::Case;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::timing::Phases;
use collection::{Collection, Settings};
use context::ContextBuilder;
use output::{OutputError, Staging};
use render::Renderer;
use rows::RenderedRows;
use theme::Theme;

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The collection's root: theme overrides are read from
    /// `<root>/themes/default/`.
    pub root: PathBuf,
    /// The output folder, replaced as a whole on success.
    pub out: PathBuf,
    /// Overrides `base_url` from `jirei.toml`.
    pub base_url: Option<String>,
    /// Include cases marked `draft: true`.
    pub drafts: bool,
    /// Where to offer the search data's segmentations to a search index
    /// built at the same time (see [`Handoff`]).
    pub handoff: Option<Arc<Handoff>>,
}

impl BuildOptions {
    pub fn new(root: &Path, out: &Path) -> BuildOptions {
        BuildOptions {
            root: root.to_path_buf(),
            out: out.to_path_buf(),
            base_url: None,
            drafts: false,
            handoff: None,
        }
    }
}

/// What a successful build wrote.
#[derive(Debug)]
pub struct BuildReport {
    pub out: PathBuf,
    /// Published cases (drafts included with `--drafts`).
    pub cases: usize,
    /// Drafts left out.
    pub drafts_skipped: usize,
    /// HTML pages written.
    pub pages: usize,
    /// Whether `sitemap.xml` was written (only with an absolute base URL).
    pub sitemap: bool,
    /// The removal of the output this build replaced, still running: keep
    /// the report while doing other work (the search index), drop it to wait.
    pub replaced: output::Removal,
}

/// Why a build failed. The previous output is untouched in every case.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// An option is unusable (the base URL).
    #[error("{0}")]
    Usage(String),
    /// A theme template does not compile or render; `template_source` is the
    /// template's text, for the snippet under the diagnostic.
    #[error("{}", .diagnostic.message)]
    Template {
        diagnostic: Box<Diagnostic>,
        template_source: Option<String>,
    },
    #[error(transparent)]
    Output(#[from] OutputError),
    #[error("cannot write cases.csv: {0}")]
    Csv(#[from] csv::Error),
    #[error("cannot write cases.json: {0}")]
    Json(#[from] serde_json::Error),
    /// The synonym list of the collection cannot be read or compiled.
    #[error("search index: {0}")]
    Search(String),
}

/// Builds the site from `cases` (valid, sorted by id, as
/// [`crate::corpus::load`] returns them) into `options.out`.
pub fn build(cases: &[Case], config: &Config, options: &BuildOptions) -> Result<BuildReport, BuildError> {
    let mut phases = Phases::start();
    let settings = Settings::new(config, options.base_url.as_deref(), options.drafts).map_err(BuildError::Usage)?;
    let theme = Theme::load(&options.root).map_err(|d| BuildError::Template {
        diagnostic: Box::new(d),
        template_source: None,
    })?;
    let mut collection = Collection::build(cases, config, settings);
    phases.mark("collection");
    let contexts = ContextBuilder::new(&collection);
    let renderer = Renderer::new(&theme, contexts.globals()).map_err(|d| template_error(&theme, d))?;
    let pages = pages::plan(&collection);
    let staging = Staging::create(&options.out, &options.root)?;
    phases.mark("plan");
    let rendered =
        RenderedRows::render(&renderer, contexts.row_values(), &pages).map_err(|d| template_error(&theme, d))?;
    let contexts = contexts.with_rendered_rows(&rendered);
    phases.mark("rows");
    pages.par_iter().try_for_each(|page| {
        let html = renderer
            .render(page.template, &contexts.page(page))
            .map_err(|d| template_error(&theme, d))?;
        staging.write(&page.file, html.as_bytes()).map_err(BuildError::from)
    })?;
    phases.mark("pages");
    // Only the pages show the rendered bodies: free them before the search
    // data, the part of a build that needs the most memory.
    drop(contexts);
    drop(rendered);
    collection.bodies = Vec::new();
    // The assets and exports are written one after the other, so they run
    // beside the search data, which keeps the other core busy.
    let (exports, search_data) = rayon::join(
        || write_assets_and_exports(&theme, &collection, &staging),
        || write_search_index(cases, &collection, config, options, &staging),
    );
    exports?;
    search_data?;
    phases.mark("search data and exports");
    let hrefs = pages
        .iter()
        .filter(|p| p.content != pages::PageContent::NotFound)
        .map(|p| p.href.as_str());
    let sitemap = export::sitemap(&collection, hrefs);
    if let Some(xml) = &sitemap {
        staging.write(Path::new("sitemap.xml"), xml)?;
    }
    let (out, replaced) = staging.commit()?;
    phases.mark("commit");
    phases.report("build");
    Ok(BuildReport {
        out,
        cases: collection.cases.len(),
        drafts_skipped: cases.len() - collection.cases.len(),
        pages: pages.len(),
        sitemap: sitemap.is_some(),
        replaced,
    })
}

/// Writes the theme's assets and the collection's CSV and JSON exports.
fn write_assets_and_exports(theme: &Theme, collection: &Collection, staging: &Staging) -> Result<(), BuildError> {
    for asset in &theme.assets {
        let path = Path::new(theme::ASSETS_DIR).join(&asset.name);
        if search_index::SCRIPTS.contains(&asset.name.as_str()) {
            staging.write(&path, &search_index::compact_script(&asset.content))?;
        } else {
            staging.write(&path, &asset.content)?;
        }
    }
    staging.write(Path::new("cases.csv"), &export::csv(collection)?)?;
    staging.write(Path::new("cases.json"), &export::json(collection)?)?;
    Ok(())
}

/// Writes the search page's data for the published cases of `collection`,
/// each file through `sink(path below [`search_index::SEARCH_DIR`], bytes)`.
pub fn write_search_data(
    cases: &[Case],
    collection: &Collection,
    config: &Config,
    root: &Path,
    coordination: search_index::Coordination<'_>,
    sink: &search_index::Sink<'_>,
) -> Result<(), BuildError> {
    let synonyms = Synonyms::for_collection(root).map_err(|e| BuildError::Search(e.to_string()))?;
    let analyzer = Analyzer::new(synonyms.clone()).map_err(|e| BuildError::Search(e.to_string()))?;
    let published = collection::published(cases, collection.settings.drafts);
    search_index::build(&published, collection, config, &synonyms, &analyzer, coordination, sink)?;
    Ok(())
}

/// Writes the search page's data (see [`search_index`]) into the staging folder.
fn write_search_index(
    cases: &[Case],
    collection: &Collection,
    config: &Config,
    options: &BuildOptions,
    staging: &Staging,
) -> Result<(), BuildError> {
    let dir = Path::new(search_index::SEARCH_DIR);
    let sink = |name: &str, bytes: &[u8]| staging.write(&dir.join(name), bytes);
    write_search_data(
        cases,
        collection,
        config,
        &options.root,
        search_index::Coordination {
            handoff: options.handoff.as_deref(),
            interrupt: None,
        },
        &sink,
    )
}

fn template_error(theme: &Theme, diagnostic: Diagnostic) -> BuildError {
    let template_source = render::template_source(theme, &diagnostic);
    BuildError::Template {
        diagnostic: Box::new(diagnostic),
        template_source,
    }
}
