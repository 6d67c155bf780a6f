//! The fast path of a rebuild: one edited case that keeps its place in
//! the site.
//!
//! A full build renders every page (at 10,000 cases, seconds). But other
//! pages show a case only through its row
//! ([`CaseRow`](crate::site::model::CaseRow): title, point,
//! organisation, population, costs, lead time, dates) and through its
//! *place*: the facet values it is listed under and the inputs of the
//! similar-case scores and of the orders (category, section, tags, vendors,
//! band, population, prefecture, organisation, updated). When an edited
//! case keeps its id, draft flag and place, serve updates the kept
//! [`Collection`] in place and rewrites:
//! - if the row is unchanged too (the body, contact, effects, notes, links:
//!   most edits), only the case's page;
//! - otherwise the pages that show the row: the case's page, the pages
//!   listing it as similar, the home page if it is among the newest, the
//!   all-cases tables and the pages of its facet values;
//! - then, after the browsers were told to reload, `cases.json` and
//!   `cases.csv`, which carry every field ([`SiteModel::write_exports`]).
//!
//! Any other change of cases (a new, removed or renamed case, a changed
//! tag, band or population, several files at once) takes
//! [`SiteModel::rebuild`]: the model is derived again from every case
//! (keeping the rendered bodies of untouched cases), every page is rendered
//! and only those whose HTML changed are written; the exports and search
//! data follow after the reload, as above. Only the theme and the config
//! take the full build. `tests/serve_incremental.rs` checks that both paths
//! write exactly the files a full build would: a new output of
//! `site::build` must be added here too, or that test fails.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::body::Bytes;
use rayon::prelude::*;
use serde_json::{Value, json};

use crate::case::Case;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::site::BuildError;
use crate::site::collection::{Collection, NEWEST_ON_HOME, Settings};
use crate::site::context::{ContextBuilder, row_values};
use crate::site::model::CaseView;
use crate::site::output::OutputError;
use crate::site::output::holds;
use crate::site::pages::{self, Page, PageContent};
use crate::site::render::Renderer;
use crate::site::rows::RenderedRows;
use crate::site::search_index::Coordination;
use crate::site::theme::Theme;
use crate::site::{BuildOptions, export, markdown};

/// The base URL of the preview: the site is served from `/`.
pub const BASE_URL: &str = "/";

/// How serve builds the whole site of `root` into `out`.
pub fn site_options(root: &Path, out: &Path, drafts: bool) -> BuildOptions {
    BuildOptions {
        base_url: Some(BASE_URL.to_string()),
        drafts,
        ..BuildOptions::new(root, out)
    }
}

/// What a full build computed, kept for fast rebuilds.
pub struct SiteModel {
    pub collection: Collection,
    theme: Theme,
    renderer: Renderer,
    pages: Vec<Page>,
    /// The tera value of each of `collection.rows`, kept with them.
    row_values: Vec<tera::Value>,
    /// The table rows' HTML, kept with `row_values`.
    rendered: RenderedRows,
    /// Case id → index in `collection.cases`.
    positions: HashMap<String, usize>,
    /// The exports on disk are older than the model.
    exports_stale: bool,
}

/// Why the fast path does not apply.
#[derive(Debug)]
pub enum NotFast {
    /// The edit changes more than the case's page: build everything.
    Shape,
    /// The templates failed (should not happen with templates that built).
    Template(Diagnostic),
    Io(std::io::Error),
    Export(String),
    /// The search data was left for later (a newer save is waiting); no
    /// file was written.
    Interrupted,
}

impl SiteModel {
    /// Derives the model of `cases` (sorted by id) as a full build does.
    pub fn new(root: &Path, cases: &[Case], config: &Config, drafts: bool) -> Result<SiteModel, Diagnostic> {
        let settings = Settings::new(config, Some(BASE_URL), drafts)
            .map_err(|m| Diagnostic::error(root.join(crate::config::CONFIG_FILE), 0, 0, m))?;
        let theme = Theme::load(root)?;
        let collection = Collection::build(cases, config, settings);
        let row_values = row_values(&collection);
        let renderer = Renderer::new(&theme, ContextBuilder::with_rows(&collection, &row_values).globals())?;
        let pages = pages::plan(&collection);
        let rendered = RenderedRows::render(&renderer, &row_values, &pages)?;
        let positions = positions(&collection);
        Ok(SiteModel {
            collection,
            theme,
            renderer,
            pages,
            row_values,
            rendered,
            positions,
            exports_stale: false,
        })
    }

    /// Whether `case` is published in this site.
    pub fn publishes(&self, id: &str) -> bool {
        self.positions.contains_key(id)
    }

    /// The API record of every case as served: its `cases.json` entry, as
    /// JSON bytes.
    pub fn records(&self) -> HashMap<String, Bytes> {
        self.collection
            .cases
            .par_iter()
            .map(|view| {
                (
                    view.id.clone(),
                    Bytes::from(serde_json::to_vec(&record(view)).unwrap_or_default()),
                )
            })
            .collect()
    }

    /// Applies an edit of `old` into `new` (same id) to the site in `out`,
    /// if the case keeps its place in the site. Returns the case's new
    /// record and how many pages were written (those whose HTML changed).
    pub fn apply(&mut self, old: &Case, new: &Case, config: &Config, out: &Path) -> Result<(Value, usize), NotFast> {
        if old.id != new.id || old.front.draft != new.front.draft {
            return Err(NotFast::Shape);
        }
        let Some(&i) = self.positions.get(&new.id) else {
            return Err(NotFast::Shape);
        };
        let view = CaseView::build(new, &self.collection.facets, &config.bands);
        if place(old, &self.collection.cases[i]) != place(new, &view) {
            return Err(NotFast::Shape);
        }
        let row = view.row();
        let row_value = tera::Value::from_serializable(&row);
        let (pages, previous_html) = if row == self.collection.rows[i] {
            (self.pages_of(|content| *content == PageContent::Case(i)), None)
        } else {
            let replaced = self.rendered.update(&self.renderer, i, &row_value);
            (self.pages_showing(i), Some(replaced.map_err(NotFast::Template)?))
        };
        let previous = (
            std::mem::replace(&mut self.collection.cases[i], view),
            std::mem::replace(&mut self.collection.bodies[i], markdown::render(&new.body)),
            std::mem::replace(&mut self.collection.rows[i], row),
            std::mem::replace(&mut self.row_values[i], row_value),
        );
        let written = self.write_pages(&pages, out);
        if written.is_err() {
            // Keep the model equal to what is served.
            (
                self.collection.cases[i],
                self.collection.bodies[i],
                self.collection.rows[i],
                self.row_values[i],
            ) = previous;
            if let Some(html) = previous_html {
                self.rendered.restore(i, html);
            }
        }
        Ok((record(&self.collection.cases[i]), written?))
    }

    /// Derives the model again from `cases` (every valid case, sorted by
    /// id) after edits that move cases, keeping the rendered bodies of the
    /// cases whose id is not in `edited`, and brings the site in `out` up
    /// to date: pages whose HTML changed are written, pages no longer in the
    /// site removed. Returns how many pages were written.
    ///
    /// On an error the site may be half updated: drop the model and build
    /// the whole site.
    pub fn rebuild(
        &mut self,
        cases: &[Case],
        edited: &HashSet<&str>,
        config: &Config,
        out: &Path,
    ) -> Result<usize, NotFast> {
        let kept_bodies: HashMap<&str, &String> = self
            .collection
            .cases
            .iter()
            .zip(&self.collection.bodies)
            .filter(|(view, _)| !edited.contains(view.id.as_str()))
            .map(|(view, body)| (view.id.as_str(), body))
            .collect();
        let settings = self.collection.settings.clone();
        let collection = Collection::build_with(cases, config, settings, |case| {
            match kept_bodies.get(case.id.as_str()) {
                Some(body) => (*body).clone(),
                None => markdown::render(&case.body),
            }
        });
        let row_values = row_values(&collection);
        let contexts = ContextBuilder::with_rows(&collection, &row_values);
        let renderer = Renderer::new(&self.theme, contexts.globals()).map_err(NotFast::Template)?;
        let pages = pages::plan(&collection);
        let rendered = RenderedRows::render(&renderer, &row_values, &pages).map_err(NotFast::Template)?;
        let contexts = contexts.with_rendered_rows(&rendered);
        let written = write_changed(&pages, &contexts, &renderer, out)?;
        let planned: HashSet<&Path> = pages.iter().map(|p| p.file.as_path()).collect();
        for gone in self.pages.iter().filter(|p| !planned.contains(p.file.as_path())) {
            remove_page(out, &gone.file).map_err(NotFast::Io)?;
        }
        drop(contexts);
        self.positions = positions(&collection);
        self.collection = collection;
        self.renderer = renderer;
        self.pages = pages;
        self.row_values = row_values;
        self.rendered = rendered;
        self.exports_stale = true;
        Ok(written)
    }

    /// Whether the search data and exports are older than the pages.
    pub fn exports_stale(&self) -> bool {
        self.exports_stale
    }

    /// How many pages the site has.
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    fn pages_of(&self, wanted: impl Fn(&PageContent) -> bool) -> Vec<Page> {
        self.pages.iter().filter(|p| wanted(&p.content)).cloned().collect()
    }

    /// Every page that shows case `i`'s row: its own page, the pages of
    /// cases listing it as similar, the home page if it is among the
    /// newest, the tables, and the pages of its facet values.
    fn pages_showing(&self, i: usize) -> Vec<Page> {
        let c = &self.collection;
        let newest = &c.newest[..c.newest.len().min(NEWEST_ON_HOME)];
        self.pages_of(|content| match content {
            PageContent::Home => newest.contains(&i),
            PageContent::Case(j) => *j == i || c.similar[*j].contains(&i),
            PageContent::Table(_) => true,
            // The search page shows no case; its data is rewritten with the exports.
            PageContent::FacetIndex(_) | PageContent::NotFound | PageContent::Search => false,
            PageContent::FacetValue { kind, value, child } => {
                let value = &c.facets.values(*kind)[*value];
                let value = child.map_or(value, |ch| &value.children[ch]);
                value.cases.contains(&i)
            }
        })
    }

    /// Writes those of `pages` whose HTML changed; returns how many.
    fn write_pages(&mut self, pages: &[Page], out: &Path) -> Result<usize, NotFast> {
        let contexts = ContextBuilder::with_rows(&self.collection, &self.row_values).with_rendered_rows(&self.rendered);
        let written = write_changed(pages, &contexts, &self.renderer, out)?;
        self.exports_stale = true;
        Ok(written)
    }

    /// Rewrites `cases.json`, `cases.csv` and the search page's data after
    /// fast rebuilds (they cover every case: at 10,000 cases this is most
    /// of a fast rebuild's work, so it is done after the browsers were told
    /// to reload). `cases` are the valid cases the site was built from.
    /// Returns whether they were brought up to date (false: they were
    /// already). `interrupt` is asked while the
    /// search data is computed; when it says stop, nothing is written and
    /// the exports stay stale ([`NotFast::Interrupted`]).
    pub fn write_exports(
        &mut self,
        out: &Path,
        cases: &[Case],
        config: &Config,
        root: &Path,
        interrupt: &(dyn Fn() -> bool + Sync),
    ) -> Result<bool, NotFast> {
        if !self.exports_stale {
            return Ok(false);
        }
        self.write_search_data(out, cases, config, root, interrupt)?;
        let (json, csv) = rayon::join(|| export::json(&self.collection), || export::csv(&self.collection));
        let json = json.map_err(|e| NotFast::Export(e.to_string()))?;
        let csv = csv.map_err(|e| NotFast::Export(e.to_string()))?;
        write_atomically(&out.join("cases.json"), &json).map_err(NotFast::Io)?;
        write_atomically(&out.join("cases.csv"), &csv).map_err(NotFast::Io)?;
        self.exports_stale = false;
        Ok(true)
    }
}

impl SiteModel {
    /// Replaces the files of the search page's data folder with a fresh set
    /// (shard names depend on the content, so stale ones are removed),
    /// writing only the files whose content changed.
    fn write_search_data(
        &self,
        out: &Path,
        cases: &[Case],
        config: &Config,
        root: &Path,
        interrupt: &(dyn Fn() -> bool + Sync),
    ) -> Result<(), NotFast> {
        let dir = out.join(crate::site::search_index::SEARCH_DIR);
        let written = std::sync::Mutex::new(std::collections::HashSet::new());
        let sink = |name: &str, bytes: &[u8]| {
            let path = dir.join(name);
            let io = |source| crate::site::output::OutputError::Io {
                path: path.clone(),
                source,
            };
            // After an edit most files come out as they were: reading one
            // is far cheaper than replacing it.
            if !holds(&path, bytes) {
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent).map_err(io)?;
                }
                write_atomically(&path, bytes).map_err(io)?;
            }
            if let Ok(mut written) = written.lock() {
                written.insert(path.clone());
            }
            Ok(())
        };
        let coordination = Coordination {
            handoff: None,
            interrupt: Some(interrupt),
        };
        crate::site::write_search_data(cases, &self.collection, config, root, coordination, &sink).map_err(
            |e| match e {
                BuildError::Output(OutputError::Interrupted) => NotFast::Interrupted,
                e => NotFast::Export(e.to_string()),
            },
        )?;
        let written = written.into_inner().unwrap_or_default();
        let page = dir.join("index.html");
        for entry in walkdir::WalkDir::new(&dir)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
        {
            if entry.path() != page && !written.contains(entry.path()) {
                std::fs::remove_file(entry.path()).map_err(NotFast::Io)?;
            }
        }
        Ok(())
    }
}

/// Renders `pages` and writes those whose HTML differs from their file in
/// `out` (atomically, creating folders). Returns how many were written.
fn write_changed(
    pages: &[Page],
    contexts: &ContextBuilder<'_>,
    renderer: &Renderer,
    out: &Path,
) -> Result<usize, NotFast> {
    let written = AtomicUsize::new(0);
    pages.par_iter().try_for_each(|page| {
        let html = renderer
            .render(page.template, &contexts.page(page))
            .map_err(NotFast::Template)?;
        let path = out.join(&page.file);
        if holds(&path, html.as_bytes()) {
            return Ok(());
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(NotFast::Io)?;
        }
        write_atomically(&path, html.as_bytes()).map_err(NotFast::Io)?;
        written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    })?;
    Ok(written.into_inner())
}

/// Case id → index in `collection.cases`.
fn positions(collection: &Collection) -> HashMap<String, usize> {
    collection
        .cases
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.clone(), i))
        .collect()
}

/// Removes the page `file` (relative to `out`), then its folders up to
/// `out` as long as they are empty (a facet value no case has any more).
fn remove_page(out: &Path, file: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(out.join(file)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    for folder in file.ancestors().skip(1).filter(|f| !f.as_os_str().is_empty()) {
        if std::fs::remove_dir(out.join(folder)).is_err() {
            break; // not empty (or already gone)
        }
    }
    Ok(())
}

/// The `cases.json` entry of a case (with the preview's base URL).
pub fn record(view: &CaseView) -> Value {
    let mut value = serde_json::to_value(view).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut value {
        map.insert("url".to_string(), Value::String(format!("{BASE_URL}{}", view.href)));
    }
    value
}

/// What of a case decides its place in the site (facet values,
/// similar-case scores, orders): a change rebuilds the site. (A change of
/// its row, shown in lists, rewrites the pages listing it.)
fn place(case: &Case, view: &CaseView) -> Value {
    json!({
        "category": view.category.name,
        "section": view.section.as_ref().map(|s| &s.name),
        "tags": view.tags.iter().map(|t| &t.name).collect::<Vec<_>>(),
        "vendors": view.vendors.iter().map(|v| &v.name).collect::<Vec<_>>(),
        "band": case.band,
        "population": case.population(),
        "prefecture": case.prefecture.name(),
        "kind": case.kind.label(),
        "organization": case.full_organization_name(),
        "updated": view.updated,
        "draft": case.front.draft,
    })
}

/// Writes `bytes` to a temporary file beside `path`, then renames it, so a
/// reader sees the old or the new file, never a partial one.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    std::fs::write(&temp, bytes)?;
    std::fs::rename(&temp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temp);
    })
}
