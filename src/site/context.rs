//! The tera context of each page: what a template can use.
//!
//! Every page has `site` (title, description, navigation, counts), `root`
//! (the prefix to the output root, to put before every `href`), `page`
//! (title, kind, breadcrumbs) and the data of its kind:
//!
//! | kind | variables |
//! |---|---|
//! | home | `newest`, `bands`, `categories`, `regions` (each `{name, href, count}`) |
//! | case | `case` (a [`CaseView`](super::model::CaseView)), `body_html`, `similar`, `page_url` (the page's address, for print) and `page_url_absolute` |
//! | table | `cases`, `case_rows`, `order` and `orders` (`{key, label, href, current, descending}`) |
//! | facet index | `facet` (`{kind, label}`), `values` (`{name, href, count, children}`) |
//! | facet value | `facet`, `value` (`{name, count}`), `children`, `cases`, `case_rows` |
//! | search | `sorts` (`[value, label]`); results are drawn by `search.js` |
//!
//! Case rows (`cases`, `newest`, `similar`) are [`CaseRow`](super::model::CaseRow) values,
//! converted to tera values once and shared by every page that lists them.
//! `case_rows` is the HTML of the table's rows (`cases`, in order), each
//! drawn once per case by `partials/case_row.html` ([`RenderedRows`]). It
//! follows the `cases` given to the page: a template that changes `cases`
//! (`{% set %}`) must draw the rows itself; the built-in
//! `partials/case_table.html` does so on pages without `case_rows`.

use std::borrow::Cow;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Value};

use super::collection::{Collection, NEWEST_ON_HOME};
use super::facets::{FacetKind, FacetValue};
use super::pages::{Page, PageContent, SortKey, SortOrder};
use super::route::Route;
use super::rows::RenderedRows;

/// A link in navigation, breadcrumbs and counts; `href` from the root.
#[derive(Debug, Clone, Serialize)]
pub struct NavLink {
    pub name: String,
    pub href: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<usize>,
}

impl NavLink {
    fn new(name: impl Into<String>, route: &Route) -> NavLink {
        NavLink {
            name: name.into(),
            href: route.href(),
            count: None,
        }
    }
}

#[derive(Serialize)]
struct SiteGlobals<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    case_count: usize,
    drafts: bool,
    nav: Vec<NavLink>,
    /// The search page, once the site has one; the search form is shown
    /// only when this is set.
    search_href: Option<String>,
}

#[derive(Serialize)]
struct PageInfo {
    title: String,
    kind: &'static str,
    breadcrumbs: Vec<NavLink>,
}

#[derive(Serialize)]
struct FacetInfo {
    kind: FacetKind,
    label: &'static str,
    href: String,
}

#[derive(Serialize)]
struct ValueInfo {
    name: String,
    href: String,
    count: usize,
    children: Vec<ValueInfo>,
}

impl ValueInfo {
    fn of(value: &FacetValue) -> ValueInfo {
        ValueInfo {
            name: value.name.clone(),
            href: value.route.href(),
            count: value.cases.len(),
            children: value.children.iter().map(ValueInfo::of).collect(),
        }
    }
}

/// A column heading of a case table; sortable on the all-cases pages.
#[derive(Serialize)]
struct Column {
    key: SortKey,
    label: &'static str,
    /// The page sorted by this column (the other direction when it is
    /// the current one).
    href: Option<String>,
    /// `ascending` or `descending` on the current column (for aria-sort).
    sort: Option<&'static str>,
}

fn columns(current: Option<SortOrder>) -> Vec<Column> {
    SortKey::ALL
        .iter()
        .map(|&key| {
            let active = current.filter(|o| o.key == key);
            let next = match active {
                _ if key == SortKey::Organization => SortOrder::DEFAULT,
                Some(o) => SortOrder {
                    key,
                    descending: !o.descending,
                },
                None => SortOrder { key, descending: false },
            };
            Column {
                key,
                label: key.column_label(),
                href: current.map(|_| next.route().href()),
                sort: active.map(|o| if o.descending { "descending" } else { "ascending" }),
            }
        })
        .collect()
}

#[derive(Serialize)]
struct OrderLink {
    key: SortKey,
    label: String,
    href: String,
    current: bool,
    descending: bool,
}

/// Builds page contexts from the collection.
pub struct ContextBuilder<'a> {
    collection: &'a Collection,
    /// One tera value per case row, in case order ([`row_values`]).
    rows: Cow<'a, [Value]>,
    /// The HTML of the rows, for `case_rows` ([`with_rendered_rows`](Self::with_rendered_rows)).
    rendered: Option<&'a RenderedRows>,
}

/// The tera value of every case row of `collection`, in case order.
pub fn row_values(collection: &Collection) -> Vec<Value> {
    collection.rows.par_iter().map(Value::from_serializable).collect()
}

impl<'a> ContextBuilder<'a> {
    pub fn new(collection: &'a Collection) -> Self {
        ContextBuilder {
            collection,
            rows: Cow::Owned(row_values(collection)),
            rendered: None,
        }
    }

    /// Like [`new`](Self::new), with the rows' values made earlier by
    /// [`row_values`] and kept equal to the collection's rows since (at
    /// 10,000 cases, making them takes tens of milliseconds).
    pub fn with_rows(collection: &'a Collection, rows: &'a [Value]) -> Self {
        debug_assert_eq!(rows.len(), collection.rows.len());
        ContextBuilder {
            collection,
            rows: Cow::Borrowed(rows),
            rendered: None,
        }
    }

    /// Gives pages with a case table their rows' HTML (`case_rows`),
    /// rendered with the templates the pages are rendered with. Pages
    /// listing cases need it.
    pub fn with_rendered_rows(self, rendered: &'a RenderedRows) -> Self {
        ContextBuilder {
            rendered: Some(rendered),
            ..self
        }
    }

    /// The case row values (in case order), for [`RenderedRows::render`].
    pub fn row_values(&self) -> &[Value] {
        &self.rows
    }

    /// Variables shared by every page (tera's global context).
    pub fn globals(&self) -> Context {
        let settings = &self.collection.settings;
        let mut nav = vec![NavLink::new("すべての事例", &SortOrder::DEFAULT.route())];
        nav.extend(FacetKind::ALL.iter().map(|k| NavLink::new(k.label(), &k.index_route())));
        let site = SiteGlobals {
            title: &settings.title,
            description: &settings.description,
            language: &settings.language,
            case_count: self.collection.cases.len(),
            drafts: settings.drafts,
            nav,
            search_href: Some(super::pages::search_route().href()),
        };
        let mut context = Context::new();
        context.insert("site", &site);
        context
    }

    /// The context of one page.
    pub fn page(&self, page: &Page) -> Context {
        let mut context = Context::new();
        context.insert("root", &page.root);
        let info = match &page.content {
            PageContent::Home => self.home(&mut context),
            PageContent::Case(i) => self.case(&mut context, *i),
            PageContent::Table(order) => self.table(&mut context, *order, &page.root),
            PageContent::FacetIndex(kind) => self.facet_index(&mut context, *kind),
            PageContent::FacetValue { kind, value, child } => {
                self.facet_value(&mut context, *kind, *value, *child, &page.root)
            }
            PageContent::Search => self.search(&mut context),
            PageContent::NotFound => PageInfo {
                title: "ページが見つかりません".to_string(),
                kind: "not-found",
                breadcrumbs: Vec::new(),
            },
        };
        context.insert("page", &info);
        context
    }

    fn rows(&self, indices: impl IntoIterator<Item = usize>) -> Value {
        Value::from(indices.into_iter().map(|i| self.rows[i].clone()).collect::<Vec<_>>())
    }

    /// `cases` and `case_rows` of a page with prefix `root` listing `indices`.
    fn insert_table(&self, context: &mut Context, indices: &[usize], root: &str) {
        context.insert_value("cases", self.rows(indices.iter().copied()));
        if let Some(html) = self.rendered.and_then(|r| r.joined(root, indices)) {
            context.insert_value("case_rows", Value::safe_string(&html));
        }
    }

    fn home(&self, context: &mut Context) -> PageInfo {
        let counts = |kind: FacetKind| -> Vec<NavLink> {
            self.collection
                .facets
                .values(kind)
                .iter()
                .map(|v| NavLink {
                    count: Some(v.cases.len()),
                    ..NavLink::new(&v.name, &v.route)
                })
                .collect()
        };
        context.insert("bands", &counts(FacetKind::Band));
        context.insert("categories", &counts(FacetKind::Category));
        context.insert("regions", &counts(FacetKind::Region));
        let newest = self.collection.newest.iter().copied().take(NEWEST_ON_HOME);
        context.insert_value("newest", self.rows(newest));
        PageInfo {
            title: self.collection.settings.title.clone(),
            kind: "home",
            breadcrumbs: Vec::new(),
        }
    }

    fn case(&self, context: &mut Context, i: usize) -> PageInfo {
        let case = &self.collection.cases[i];
        context.insert("case", case);
        context.insert_value("body_html", Value::safe_string(&self.collection.bodies[i]));
        context.insert_value("similar", self.rows(self.collection.similar[i].iter().copied()));
        let settings = &self.collection.settings;
        context.insert("page_url", &settings.page_url(&case.href));
        context.insert("page_url_absolute", &settings.is_absolute());
        let mut breadcrumbs = Vec::new();
        if let Some(href) = &case.category.href {
            breadcrumbs.push(NavLink {
                name: case.category.name.clone(),
                href: href.clone(),
                count: None,
            });
        }
        PageInfo {
            title: case.title.clone(),
            kind: "case",
            breadcrumbs,
        }
    }

    fn table(&self, context: &mut Context, order: SortOrder, root: &str) -> PageInfo {
        let mut indices = self.collection.default_order.clone();
        order.sort(&mut indices, &self.collection.rows, &self.collection.default_rank);
        self.insert_table(context, &indices, root);
        context.insert("columns", &columns(Some(order)));
        let orders: Vec<OrderLink> = SortOrder::all()
            .into_iter()
            .map(|o| OrderLink {
                key: o.key,
                label: o.label(),
                href: o.route().href(),
                current: o == order,
                descending: o.descending,
            })
            .collect();
        context.insert("orders", &orders);
        context.insert(
            "order",
            &OrderLink {
                key: order.key,
                label: order.label(),
                href: order.route().href(),
                current: true,
                descending: order.descending,
            },
        );
        PageInfo {
            title: format!("すべての事例（{}）", order.label()),
            kind: "table",
            breadcrumbs: vec![NavLink::new("すべての事例", &SortOrder::DEFAULT.route())],
        }
    }

    fn search(&self, context: &mut Context) -> PageInfo {
        let sorts = [
            ("relevance", "関連度順"),
            ("population", "人口の少ない順"),
            ("initial-cost", "イニシャルコストの安い順"),
            ("lead-time", "導入までの期間の短い順"),
        ];
        context.insert("sorts", &sorts);
        PageInfo {
            title: "事例を検索".to_string(),
            kind: "search",
            breadcrumbs: Vec::new(),
        }
    }

    fn facet_info(kind: FacetKind) -> FacetInfo {
        FacetInfo {
            kind,
            label: kind.label(),
            href: kind.index_route().href(),
        }
    }

    fn facet_index(&self, context: &mut Context, kind: FacetKind) -> PageInfo {
        let values: Vec<ValueInfo> = self.collection.facets.values(kind).iter().map(ValueInfo::of).collect();
        context.insert("facet", &Self::facet_info(kind));
        context.insert("values", &values);
        PageInfo {
            title: format!("{}から探す", kind.label()),
            kind: "facet-index",
            breadcrumbs: Vec::new(),
        }
    }

    fn facet_value(
        &self,
        context: &mut Context,
        kind: FacetKind,
        v: usize,
        child: Option<usize>,
        root: &str,
    ) -> PageInfo {
        let parent = &self.collection.facets.values(kind)[v];
        let mut breadcrumbs = vec![NavLink::new(kind.label(), &kind.index_route())];
        let value = match child {
            Some(c) => {
                breadcrumbs.push(NavLink::new(&parent.name, &parent.route));
                &parent.children[c]
            }
            None => parent,
        };
        context.insert("facet", &Self::facet_info(kind));
        context.insert("value", &ValueInfo::of(value));
        let mut indices = value.cases.clone();
        indices.sort_by_key(|&i| self.collection.default_rank[i]);
        self.insert_table(context, &indices, root);
        context.insert("columns", &columns(None));
        let title = match child {
            Some(_) => format!("{} ／ {}", parent.name, value.name),
            None => value.name.clone(),
        };
        PageInfo {
            title,
            kind: "facet-value",
            breadcrumbs,
        }
    }
}
