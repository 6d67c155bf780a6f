//! Which pages the site has, where each lives and which template renders it.
//!
//! | page | file |
//! |---|---|
//! | home | `index.html` |
//! | case | `cases/<id>/index.html` |
//! | all cases, one page per sort order | `all/index.html`, `all/<order>/index.html` |
//! | facet index | `category/index.html`, `band/…`, `region/…`, `prefecture/…`, `tag/…`, `vendor/…` |
//! | facet value | `category/<分類>/index.html`, `category/<分類>/<節>/index.html`, `band/<band-id>/…`, `region/<地方>/…`, `prefecture/<都道府県>/…`, `tag/<タグ>/…`, `vendor/<事業者>/…` |
//! | search | `search/index.html` (its data under `search/`, see [`super::search_index`]) |
//! | not found | `404.html` (links from the base URL's path, since it is served at any depth) |
//!
//! A new kind of page (the search page) is one more [`PageContent`]
//! variant, one more entry in [`plan`] and one more template.

use std::cmp::Ordering;
use std::path::PathBuf;

use serde::Serialize;

use super::collection::Collection;
use super::facets::FacetKind;
use super::model::{CaseRow, case_route};
use super::route::Route;

/// What a page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageContent {
    Home,
    /// A case, by index into the collection.
    Case(usize),
    /// All cases in one table.
    Table(SortOrder),
    /// The values of one facet.
    FacetIndex(FacetKind),
    /// The cases of one facet value: `child` is a section of a category or
    /// a prefecture of a region.
    FacetValue {
        kind: FacetKind,
        value: usize,
        child: Option<usize>,
    },
    /// The search page.
    Search,
    NotFound,
}

/// One page to render.
#[derive(Debug, Clone)]
pub struct Page {
    pub content: PageContent,
    /// Output file, relative to the output root.
    pub file: PathBuf,
    /// Link to the page from the output root (percent-encoded).
    pub href: String,
    /// Prefix from this page to the output root (`../../`), or the base
    /// URL's path for the 404 page.
    pub root: String,
    pub template: &'static str,
}

impl Page {
    fn at(route: &Route, template: &'static str, content: PageContent) -> Page {
        Page {
            content,
            file: route.file(),
            href: route.href(),
            root: route.root_prefix(),
            template,
        }
    }
}

/// Every page of the site, in a fixed order.
pub fn plan(collection: &Collection) -> Vec<Page> {
    let mut pages = vec![Page::at(&Route::root(), "index.html", PageContent::Home)];
    for (i, case) in collection.cases.iter().enumerate() {
        pages.push(Page::at(&case_route(&case.id), "case.html", PageContent::Case(i)));
    }
    for order in SortOrder::all() {
        pages.push(Page::at(&order.route(), "table.html", PageContent::Table(order)));
    }
    for kind in FacetKind::ALL {
        pages.push(Page::at(
            &kind.index_route(),
            "facet_index.html",
            PageContent::FacetIndex(kind),
        ));
        for (v, value) in collection.facets.values(kind).iter().enumerate() {
            let content = |child| PageContent::FacetValue { kind, value: v, child };
            pages.push(Page::at(&value.route, "facet_value.html", content(None)));
            // A region's prefectures have their own pages under prefecture/.
            if kind == FacetKind::Category {
                for (c, child) in value.children.iter().enumerate() {
                    pages.push(Page::at(&child.route, "facet_value.html", content(Some(c))));
                }
            }
        }
    }
    pages.push(Page::at(&search_route(), "search.html", PageContent::Search));
    pages.push(Page {
        content: PageContent::NotFound,
        file: PathBuf::from("404.html"),
        href: "404.html".to_string(),
        root: collection.settings.base_path.clone(),
        template: "404.html",
    });
    pages
}

/// Where the search page lives.
pub fn search_route() -> Route {
    Route::new([super::search_index::SEARCH_DIR])
}

/// A column of the all-cases table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SortKey {
    /// Prefecture (north to south), then organisation.
    Organization,
    Population,
    InitialCost,
    RunningCost,
    LeadTime,
}

impl SortKey {
    pub const ALL: [SortKey; 5] = [
        SortKey::Organization,
        SortKey::Population,
        SortKey::InitialCost,
        SortKey::RunningCost,
        SortKey::LeadTime,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            SortKey::Organization => "organization",
            SortKey::Population => "population",
            SortKey::InitialCost => "initial-cost",
            SortKey::RunningCost => "running-cost",
            SortKey::LeadTime => "lead-time",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SortKey::Organization => "団体",
            SortKey::Population => "人口",
            SortKey::InitialCost => "イニシャルコスト",
            SortKey::RunningCost => "ランニングコスト",
            SortKey::LeadTime => "導入までの期間",
        }
    }

    /// The heading of the table column.
    pub fn column_label(self) -> &'static str {
        match self {
            SortKey::RunningCost => "ランニングコスト（年）",
            key => key.label(),
        }
    }

    fn value(self, case: &CaseRow) -> Option<u64> {
        match self {
            SortKey::Organization => None,
            SortKey::Population => case.population,
            SortKey::InitialCost => case.initial_cost,
            SortKey::RunningCost => case.running_cost,
            SortKey::LeadTime => case.lead_time_months.map(u64::from),
        }
    }
}

/// One order of the all-cases table; each has its own page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SortOrder {
    pub key: SortKey,
    pub descending: bool,
}

impl SortOrder {
    /// The default order (by organisation) and both directions of each
    /// numeric column.
    pub fn all() -> Vec<SortOrder> {
        let mut orders = vec![SortOrder::DEFAULT];
        for key in SortKey::ALL.into_iter().skip(1) {
            for descending in [false, true] {
                orders.push(SortOrder { key, descending });
            }
        }
        orders
    }

    pub const DEFAULT: SortOrder = SortOrder {
        key: SortKey::Organization,
        descending: false,
    };

    /// `all/` for the default order, `all/population-desc/` for the others.
    pub fn route(self) -> Route {
        let base = Route::new(["all"]);
        if self == SortOrder::DEFAULT {
            return base;
        }
        let direction = if self.descending { "desc" } else { "asc" };
        base.join(format!("{}-{direction}", self.key.slug()))
    }

    /// 人口（多い順）
    pub fn label(self) -> String {
        let direction = match (self.key, self.descending) {
            (SortKey::Organization, _) => return "団体順（北から）".to_string(),
            (SortKey::Population, false) => "少ない順",
            (SortKey::Population, true) => "多い順",
            (SortKey::LeadTime, false) => "短い順",
            (SortKey::LeadTime, true) => "長い順",
            (_, false) => "安い順",
            (_, true) => "高い順",
        };
        format!("{}（{direction}）", self.key.label())
    }

    /// Sorts case indices: cases without the value come last in both
    /// directions; ties keep the default order.
    pub fn sort(self, indices: &mut [usize], rows: &[CaseRow], default_rank: &[usize]) {
        indices.sort_by(|&a, &b| {
            let (va, vb) = (self.key.value(&rows[a]), self.key.value(&rows[b]));
            let by_value = match (va, vb) {
                (Some(x), Some(y)) if self.descending => y.cmp(&x),
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            };
            by_value.then(default_rank[a].cmp(&default_rank[b]))
        });
    }
}
