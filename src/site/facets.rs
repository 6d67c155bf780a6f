//! The browsing facets: which categories, sections, population bands,
//! regions, prefectures, tags and vendors occur, which cases carry each
//! value, and the page ([`Route`]) of each value.
//!
//! Computed once from the published cases; templates see it through
//! [`super::model`].

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::route::{Route, allocate_segments, segment};
use crate::case::Case;
use crate::case::band::BandScheme;
use crate::case::place::REGIONS;

/// A dimension cases can be browsed by. The ASCII name is the first path
/// segment of its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FacetKind {
    Category,
    Band,
    Region,
    Prefecture,
    Tag,
    Vendor,
}

impl FacetKind {
    pub const ALL: [FacetKind; 6] = [
        FacetKind::Category,
        FacetKind::Band,
        FacetKind::Region,
        FacetKind::Prefecture,
        FacetKind::Tag,
        FacetKind::Vendor,
    ];

    /// First path segment of the facet's pages.
    pub fn dir(self) -> &'static str {
        match self {
            FacetKind::Category => "category",
            FacetKind::Band => "band",
            FacetKind::Region => "region",
            FacetKind::Prefecture => "prefecture",
            FacetKind::Tag => "tag",
            FacetKind::Vendor => "vendor",
        }
    }

    /// Japanese name shown in headings and navigation.
    pub fn label(self) -> &'static str {
        match self {
            FacetKind::Category => "分類",
            FacetKind::Band => "人口規模",
            FacetKind::Region => "地方",
            FacetKind::Prefecture => "都道府県",
            FacetKind::Tag => "タグ",
            FacetKind::Vendor => "事業者",
        }
    }

    /// The facet's index page.
    pub fn index_route(self) -> Route {
        Route::new([self.dir()])
    }
}

/// One value of a facet and the cases that carry it.
#[derive(Debug, Clone)]
pub struct FacetValue {
    /// The value as shown: 内部DX, 1万人以上5万人未満, 岡山県 …
    pub name: String,
    pub route: Route,
    /// Indices into the published cases, in case order.
    pub cases: Vec<usize>,
    /// Sections of a category; prefectures of a region.
    pub children: Vec<FacetValue>,
}

/// Every facet of the published cases.
#[derive(Debug, Clone)]
pub struct Facets {
    by_kind: BTreeMap<FacetKind, Vec<FacetValue>>,
    /// (kind, value) → route, for linking from case pages. Sections are
    /// keyed as `category\u{0}section` under [`FacetKind::Category`].
    routes: HashMap<(FacetKind, String), Route>,
}

impl Facets {
    /// Groups `cases` by every facet.
    pub fn build(cases: &[&Case], bands: &BandScheme) -> Facets {
        let mut by_kind = BTreeMap::new();
        by_kind.insert(FacetKind::Category, categories(cases));
        by_kind.insert(FacetKind::Band, band_values(cases, bands));
        by_kind.insert(FacetKind::Region, regions(cases));
        by_kind.insert(FacetKind::Prefecture, prefectures(cases));
        by_kind.insert(FacetKind::Tag, simple(cases, FacetKind::Tag, |c| c.front.tags.clone()));
        by_kind.insert(
            FacetKind::Vendor,
            simple(cases, FacetKind::Vendor, |c| {
                c.front.vendors.iter().map(|v| v.name.clone()).collect()
            }),
        );
        let mut routes = HashMap::new();
        for (kind, values) in &by_kind {
            for value in values {
                routes.insert((*kind, value.name.clone()), value.route.clone());
                for child in &value.children {
                    let key = match kind {
                        FacetKind::Category => section_key(&value.name, &child.name),
                        _ => child.name.clone(),
                    };
                    let child_kind = match kind {
                        FacetKind::Region => FacetKind::Prefecture,
                        k => *k,
                    };
                    routes.insert((child_kind, key), child.route.clone());
                }
            }
        }
        Facets { by_kind, routes }
    }

    /// The values of one facet, in display order.
    pub fn values(&self, kind: FacetKind) -> &[FacetValue] {
        self.by_kind.get(&kind).map(Vec::as_slice).unwrap_or_default()
    }

    /// The page of a value, if any published case carries it.
    pub fn route(&self, kind: FacetKind, value: &str) -> Option<&Route> {
        self.routes.get(&(kind, value.to_string()))
    }

    /// The page of a section within its category.
    pub fn section_route(&self, category: &str, section: &str) -> Option<&Route> {
        self.routes.get(&(FacetKind::Category, section_key(category, section)))
    }
}

fn section_key(category: &str, section: &str) -> String {
    format!("{category}\u{0}{section}")
}

/// Values ordered by the number of cases (most first), then by name.
fn by_count(mut values: Vec<FacetValue>) -> Vec<FacetValue> {
    values.sort_by(|a, b| b.cases.len().cmp(&a.cases.len()).then_with(|| a.name.cmp(&b.name)));
    values
}

/// Groups case indices by the values `key` gives each case.
fn group(cases: &[&Case], key: impl Fn(&Case) -> Vec<String>) -> BTreeMap<String, Vec<usize>> {
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, case) in cases.iter().enumerate() {
        let mut values = key(case);
        values.sort();
        values.dedup();
        for value in values {
            groups.entry(value).or_default().push(i);
        }
    }
    groups
}

/// A facet whose values are free text (tags, vendors).
fn simple(cases: &[&Case], kind: FacetKind, key: impl Fn(&Case) -> Vec<String>) -> Vec<FacetValue> {
    let groups = group(cases, key);
    let names = allocate_segments(groups.keys().map(String::as_str));
    let base = kind.index_route();
    by_count(
        groups
            .into_iter()
            .map(|(name, cases)| FacetValue {
                route: base.join(names[&name].clone()),
                name,
                cases,
                children: Vec::new(),
            })
            .collect(),
    )
}

fn categories(cases: &[&Case]) -> Vec<FacetValue> {
    let mut values = simple(cases, FacetKind::Category, |c| vec![c.front.category.clone()]);
    for value in &mut values {
        let members: Vec<&Case> = value.cases.iter().map(|&i| cases[i]).collect();
        let sections = group(&members, |c| c.front.section.iter().cloned().collect());
        let names = allocate_segments(sections.keys().map(String::as_str));
        value.children = sections
            .into_iter()
            .map(|(name, local)| FacetValue {
                route: value.route.join(names[&name].clone()),
                name,
                cases: local.into_iter().map(|i| value.cases[i]).collect(),
                children: Vec::new(),
            })
            .collect();
    }
    values
}

/// Every band of the scheme, in scheme order, even without cases.
fn band_values(cases: &[&Case], bands: &BandScheme) -> Vec<FacetValue> {
    let groups = group(cases, |c| c.band.iter().cloned().collect());
    bands
        .bands()
        .iter()
        .map(|band| FacetValue {
            name: band.label.clone(),
            route: FacetKind::Band.index_route().join(band.id.clone()),
            cases: groups.get(&band.id).cloned().unwrap_or_default(),
            children: Vec::new(),
        })
        .collect()
}

/// Prefectures with cases, north to south (JIS code order).
fn prefectures(cases: &[&Case]) -> Vec<FacetValue> {
    let mut groups: BTreeMap<u8, (String, Vec<usize>)> = BTreeMap::new();
    for (i, case) in cases.iter().enumerate() {
        let entry = groups
            .entry(case.prefecture.code())
            .or_insert_with(|| (case.prefecture.name().to_string(), Vec::new()));
        entry.1.push(i);
    }
    groups
        .into_values()
        .map(|(name, cases)| FacetValue {
            route: FacetKind::Prefecture.index_route().join(segment(&name)),
            name,
            cases,
            children: Vec::new(),
        })
        .collect()
}

/// All eight regions in their customary order, each with its prefectures.
fn regions(cases: &[&Case]) -> Vec<FacetValue> {
    let prefectures = prefectures(cases);
    REGIONS
        .iter()
        .map(|region| {
            let children: Vec<FacetValue> = prefectures
                .iter()
                .filter(|p| p.cases.first().is_some_and(|&i| cases[i].region() == *region))
                .cloned()
                .collect();
            let mut members: Vec<usize> = children.iter().flat_map(|p| p.cases.iter().copied()).collect();
            members.sort_unstable();
            FacetValue {
                name: region.to_string(),
                route: FacetKind::Region.index_route().join(segment(region)),
                cases: members,
                children,
            }
        })
        .collect()
}
