//! The view model: what templates and exports see of a case, with every
//! value already formatted (千円 amounts, 人 counts, era dates with their
//! ISO form) and every link already computed, so templates stay simple and
//! user-edited themes cannot get the formatting wrong.
//!
//! Built once per build from the published cases. Links (`href`) are
//! relative to the output root; templates prefix them with the page's
//! `root` (`../../`).

use serde::Serialize;

use super::facets::{FacetKind, Facets};
use super::route::Route;
use crate::case::Case;
use crate::case::band::BandScheme;
use crate::case::front_matter::{Contact, Costs, Schedule, Source};
use crate::case::money::{Amount, AmountKind, group_digits};
use crate::case::shorthand::{CostItem, Effect};

/// A value with the page listing its cases.
#[derive(Debug, Clone, Serialize)]
pub struct FacetLink {
    pub name: String,
    pub href: Option<String>,
}

/// Every structured field of one case, ready to display or export.
#[derive(Debug, Clone, Serialize)]
pub struct CaseView {
    pub id: String,
    pub href: String,
    pub title: String,
    pub point: Option<String>,
    pub new: bool,
    pub draft: bool,
    pub organization: OrganizationView,
    pub population: Option<PopulationView>,
    pub band: Option<BandView>,
    pub category: FacetLink,
    pub section: Option<FacetLink>,
    pub tags: Vec<FacetLink>,
    pub cost: Option<CostView>,
    pub schedule: Option<ScheduleView>,
    pub vendors: Vec<VendorView>,
    pub operation_mode: Option<String>,
    pub participants: Vec<String>,
    pub contact: Option<ContactView>,
    pub effects: Vec<EffectView>,
    pub links: Vec<LinkView>,
    pub awards: Vec<String>,
    pub source: Option<SourceView>,
    /// `YYYY-MM-DD`.
    pub updated: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OrganizationView {
    /// 鏡野町
    pub name: String,
    /// 岡山県鏡野町
    pub full_name: String,
    /// 町, 市, 都道府県 …
    pub kind: String,
    /// 全国地方公共団体コード.
    pub code: Option<String>,
    pub prefecture: FacetLink,
    pub region: FacetLink,
}

#[derive(Debug, Clone, Serialize)]
pub struct PopulationView {
    pub count: u64,
    /// 12,000人
    pub label: String,
    pub as_of: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BandView {
    pub id: String,
    pub name: String,
    pub href: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CostView {
    pub initial: Option<CostItemView>,
    /// Per year.
    pub running: Option<CostItemView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CostItemView {
    /// 26,700千円, 約13,400千円, 非公表, －
    pub label: String,
    pub thousand_yen: Option<u64>,
    pub kind: AmountKind,
    /// 税込 or 税抜, from the item or the whole cost block.
    pub tax: Option<String>,
    pub breakdown: Vec<BreakdownView>,
    /// 備考
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BreakdownView {
    pub item: String,
    pub label: Option<String>,
    pub thousand_yen: Option<u64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScheduleView {
    pub lead_time_months: Option<u32>,
    /// 1年1か月
    pub lead_time: Option<String>,
    pub milestones: Vec<MilestoneView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MilestoneView {
    /// As written: R2.8, 令和3年9月, R5.2~4.
    pub date: String,
    /// 2020-08, FY2021, 2023-02/2023-04.
    pub iso: String,
    pub event: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct VendorView {
    pub name: String,
    pub href: Option<String>,
    pub services: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContactView {
    pub department: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EffectView {
    pub text: String,
    pub value: Option<f64>,
    pub unit: Option<String>,
    /// 500時間/年
    pub figure: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    /// 出典：総務省『…』を加工して作成
    pub credit: String,
    pub publisher: String,
    pub title: String,
    pub chapter: Option<String>,
    pub number: Option<u32>,
    pub page: Option<u32>,
    pub published: Option<String>,
    pub url: Option<String>,
    pub edited: bool,
}

/// One row of a case list or table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseRow {
    pub id: String,
    pub href: String,
    pub title: String,
    pub point: Option<String>,
    pub organization: String,
    pub prefecture: String,
    pub population: Option<u64>,
    pub population_label: Option<String>,
    pub band: Option<String>,
    pub category: String,
    pub initial_cost: Option<u64>,
    pub initial_cost_label: Option<String>,
    pub running_cost: Option<u64>,
    pub running_cost_label: Option<String>,
    pub lead_time_months: Option<u32>,
    pub lead_time: Option<String>,
    pub updated: Option<String>,
    pub new: bool,
    pub draft: bool,
}

/// The route of a case page: `cases/<id>/`.
pub fn case_route(id: &str) -> Route {
    Route::new(["cases", id])
}

impl CaseView {
    /// Builds the view of `case`, linking facet values through `facets`.
    pub fn build(case: &Case, facets: &Facets, bands: &BandScheme) -> CaseView {
        let front = &case.front;
        let link = |kind, name: &str| FacetLink {
            name: name.to_string(),
            href: facets.route(kind, name).map(Route::href),
        };
        CaseView {
            id: case.id.clone(),
            href: case_route(&case.id).href(),
            title: front.title.clone(),
            point: front.point.clone().filter(|p| !p.trim().is_empty()),
            new: front.new,
            draft: front.draft,
            organization: OrganizationView {
                name: case.organization_name().to_string(),
                full_name: case.full_organization_name(),
                kind: case.kind.label().to_string(),
                code: front.organization.code.as_ref().map(|c| c.value.text.clone()),
                prefecture: link(FacetKind::Prefecture, case.prefecture.name()),
                region: link(FacetKind::Region, case.region()),
            },
            population: front.population.as_ref().map(|p| PopulationView {
                count: p.value.count,
                label: format!("{}人", group_digits(p.value.count)),
                as_of: p.value.as_of.as_ref().map(|d| d.text.clone()),
            }),
            band: case.band.as_ref().and_then(|id| {
                let band = bands.get(id)?;
                Some(BandView {
                    id: id.clone(),
                    name: band.label.clone(),
                    href: FacetKind::Band.index_route().join(id.clone()).href(),
                })
            }),
            category: link(FacetKind::Category, &front.category),
            section: front.section.as_ref().map(|s| FacetLink {
                name: s.clone(),
                href: facets.section_route(&front.category, s).map(Route::href),
            }),
            tags: front.tags.iter().map(|t| link(FacetKind::Tag, t)).collect(),
            cost: front.cost.as_ref().map(cost_view),
            schedule: front.schedule.as_ref().map(schedule_view),
            vendors: front
                .vendors
                .iter()
                .map(|v| VendorView {
                    name: v.name.clone(),
                    href: facets.route(FacetKind::Vendor, &v.name).map(Route::href),
                    services: v.services.clone(),
                })
                .collect(),
            operation_mode: front.operation_mode.as_ref().and_then(|m| m.label()),
            participants: front.participants.clone(),
            contact: front.contact.as_ref().map(contact_view),
            effects: front.effects.iter().map(effect_view).collect(),
            links: front
                .links
                .iter()
                .map(|l| LinkView {
                    title: l.title.clone(),
                    url: l.url.text.clone(),
                })
                .collect(),
            awards: front.awards.clone(),
            source: front.source.as_ref().map(source_view),
            updated: front.updated.as_ref().map(|d| d.value.to_string()),
        }
    }

    /// The row of this case in lists and tables.
    pub fn row(&self) -> CaseRow {
        let initial = self.cost.as_ref().and_then(|c| c.initial.as_ref());
        let running = self.cost.as_ref().and_then(|c| c.running.as_ref());
        let schedule = self.schedule.as_ref();
        CaseRow {
            id: self.id.clone(),
            href: self.href.clone(),
            title: self.title.clone(),
            point: self.point.clone(),
            organization: self.organization.full_name.clone(),
            prefecture: self.organization.prefecture.name.clone(),
            population: self.population.as_ref().map(|p| p.count),
            population_label: self.population.as_ref().map(|p| p.label.clone()),
            band: self.band.as_ref().map(|b| b.name.clone()),
            category: self.category.name.clone(),
            initial_cost: initial.and_then(|c| c.thousand_yen),
            initial_cost_label: initial.map(|c| c.label.clone()),
            running_cost: running.and_then(|c| c.thousand_yen),
            running_cost_label: running.map(|c| c.label.clone()),
            lead_time_months: schedule.and_then(|s| s.lead_time_months),
            lead_time: schedule.and_then(|s| s.lead_time.clone()),
            updated: self.updated.clone(),
            new: self.new,
            draft: self.draft,
        }
    }
}

fn cost_view(costs: &Costs) -> CostView {
    let item = |item: &CostItem| {
        let tax = item.tax.or(costs.tax).map(|t| t.label().to_string());
        CostItemView {
            label: item.amount.to_string(),
            thousand_yen: item.amount.thousand_yen,
            kind: item.amount.kind,
            tax,
            breakdown: item
                .breakdown
                .iter()
                .map(|line| BreakdownView {
                    item: line.item.clone(),
                    label: line.amount.as_ref().map(Amount::to_string),
                    thousand_yen: line.amount.and_then(|a| a.thousand_yen),
                })
                .collect(),
            notes: item.notes.clone(),
        }
    };
    CostView {
        initial: costs.initial.as_ref().map(item),
        running: costs.running.as_ref().map(item),
    }
}

fn schedule_view(schedule: &Schedule) -> ScheduleView {
    ScheduleView {
        lead_time_months: schedule.lead_time.map(|l| l.months),
        lead_time: schedule.lead_time.map(|l| l.label()),
        milestones: schedule
            .milestones
            .iter()
            .map(|m| MilestoneView {
                date: m.date.text.clone(),
                iso: m.date.value.to_iso(),
                event: m.event.clone(),
            })
            .collect(),
    }
}

fn contact_view(contact: &Contact) -> ContactView {
    ContactView {
        department: contact.department.clone(),
        phone: contact.phone.as_ref().map(|p| p.text.clone()),
        email: contact.email.as_ref().map(|e| e.text.clone()),
        url: contact.url.as_ref().map(|u| u.text.clone()),
    }
}

fn effect_view(effect: &Effect) -> EffectView {
    let figure = effect.value.map(|v| {
        let number = if v.fract() == 0.0 && v.abs() < 1e15 {
            let whole = v.abs() as u64;
            let sign = if v < 0.0 { "-" } else { "" };
            format!("{sign}{}", group_digits(whole))
        } else {
            v.to_string()
        };
        format!("{number}{}", effect.unit.as_deref().unwrap_or(""))
    });
    EffectView {
        text: effect.text.clone(),
        value: effect.value,
        unit: effect.unit.clone(),
        figure,
    }
}

fn source_view(source: &Source) -> SourceView {
    SourceView {
        credit: source.credit_line(),
        publisher: source.publisher.clone(),
        title: source.title.clone(),
        chapter: source.chapter.clone(),
        number: source.number,
        page: source.page,
        published: source.published.as_ref().map(|d| d.text.clone()),
        url: source.url.as_ref().map(|u| u.text.clone()),
        edited: source.edited,
    }
}
