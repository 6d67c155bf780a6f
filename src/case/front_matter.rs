//! The typed front matter of a case file: every key an editor may write,
//! and nothing else (unknown keys are errors).
//!
//! Values that can be checked on their own (dates, amounts, codes, e-mail
//! addresses, URLs) check themselves while the YAML is read, so errors point
//! at the offending value. Checks that relate several fields live in
//! [`super::validate`].

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use super::era::EraSpan;
use super::money::Amount;
use super::place::LocalGovCode;
use super::shorthand::{CostItem, Effect, LeadTime, Population, Vendor};
use super::text::{Email, HttpUrl, IsoDate, Parsed, Phone};

/// Everything between the `---` lines of a case file.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// Stable id used in URLs; defaults to the file name without `.md`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Spanned<String>>,
    pub title: String,
    /// One-line summary (Point).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub point: Option<String>,
    pub organization: Organization,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub population: Option<Spanned<Population>>,
    /// Population band id (`10k-50k` …); derived from the population when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub band: Option<Spanned<String>>,
    /// Chapter of the collection, e.g. 内部DX.
    pub category: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Marked 新規 in the publication.
    #[serde(default, skip_serializing_if = "is_false")]
    pub new: bool,
    /// Drafts are left out of the site unless `--drafts` is given.
    #[serde(default, skip_serializing_if = "is_false")]
    pub draft: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<Costs>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<Schedule>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vendors: Vec<Vendor>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation_mode: Option<OperationMode>,
    /// Other participants (その他参画主体).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub participants: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub effects: Vec<Effect>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub awards: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// Last substantive update of this case file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<Parsed<IsoDate>>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// The body the case is about.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Organization {
    /// Full prefecture name, e.g. 岡山県.
    pub prefecture: Spanned<String>,
    /// Municipality name (鏡野町); absent for a prefecture itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Derived from the name's last character when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<OrgKind>,
    /// 全国地方公共団体コード, six digits with check digit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<Spanned<Parsed<LocalGovCode>>>,
}

/// 団体区分.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub enum OrgKind {
    #[serde(rename = "都道府県")]
    Prefecture,
    #[serde(rename = "市")]
    City,
    #[serde(rename = "区")]
    Ward,
    #[serde(rename = "町")]
    Town,
    #[serde(rename = "村")]
    Village,
    /// 一部事務組合・広域連合 and other bodies.
    #[serde(rename = "その他")]
    Other,
}

impl OrgKind {
    pub fn label(&self) -> &'static str {
        match self {
            OrgKind::Prefecture => "都道府県",
            OrgKind::City => "市",
            OrgKind::Ward => "区",
            OrgKind::Town => "町",
            OrgKind::Village => "村",
            OrgKind::Other => "その他",
        }
    }

    /// The kind implied by a municipality name (`鏡野町` → 町); `None` name → 都道府県.
    pub fn from_name(name: Option<&str>) -> OrgKind {
        match name.and_then(|n| n.trim().chars().last()) {
            None => OrgKind::Prefecture,
            Some('市') => OrgKind::City,
            Some('区') => OrgKind::Ward,
            Some('町') => OrgKind::Town,
            Some('村') => OrgKind::Village,
            Some(_) => OrgKind::Other,
        }
    }
}

/// Initial and running cost (イニシャルコスト / ランニングコスト).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Costs {
    /// Tax treatment of both amounts unless an amount says otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax: Option<Tax>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial: Option<CostItem>,
    /// Per year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub running: Option<CostItem>,
}

impl Costs {
    pub fn initial_amount(&self) -> Option<&Amount> {
        self.initial.as_ref().map(|c| &c.amount)
    }
    pub fn running_amount(&self) -> Option<&Amount> {
        self.running.as_ref().map(|c| &c.amount)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum Tax {
    #[serde(rename = "税込")]
    Included,
    #[serde(rename = "税抜")]
    Excluded,
}

impl Tax {
    pub fn label(&self) -> &'static str {
        match self {
            Tax::Included => "税込",
            Tax::Excluded => "税抜",
        }
    }
}

/// One line of a cost breakdown (内訳).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BreakdownLine {
    pub item: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Amount>,
}

/// 検討開始から導入までの期間 and milestones (スケジュールの内訳).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    /// Months from the start of the study to launch (`13` or `1年1か月`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_time: Option<LeadTime>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub milestones: Vec<Milestone>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    /// Era date or range as printed: `R2.8`, `令和3年9月`, `R5.2~4`.
    pub date: Parsed<EraSpan>,
    pub event: String,
}

/// 運用形態: package or custom-built, cloud or on-premises.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OperationMode {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery: Option<Delivery>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hosting: Option<Hosting>,
}

impl OperationMode {
    /// `パッケージ／クラウド`, the facet value.
    pub fn label(&self) -> Option<String> {
        let parts: Vec<&str> = [self.delivery.map(|d| d.label()), self.hosting.map(|h| h.label())]
            .into_iter()
            .flatten()
            .collect();
        (!parts.is_empty()).then(|| parts.join("／"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum Delivery {
    #[serde(rename = "パッケージ")]
    Package,
    #[serde(rename = "個別開発")]
    Custom,
}

impl Delivery {
    pub fn label(&self) -> &'static str {
        match self {
            Delivery::Package => "パッケージ",
            Delivery::Custom => "個別開発",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum Hosting {
    #[serde(rename = "クラウド")]
    Cloud,
    #[serde(rename = "オンプレミス")]
    OnPremises,
}

impl Hosting {
    pub fn label(&self) -> &'static str {
        match self {
            Hosting::Cloud => "クラウド",
            Hosting::OnPremises => "オンプレミス",
        }
    }
}

/// 担当部署 and how to reach it.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub department: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<Parsed<Phone>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<Parsed<Email>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<Parsed<HttpUrl>>,
}

/// A related web page (関連URL).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub title: String,
    pub url: Parsed<HttpUrl>,
}

/// Where the case comes from, for the 出典 line the government terms of use require.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// 総務省, 川西市 …
    pub publisher: String,
    /// Title of the publication.
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chapter: Option<String>,
    /// Case number within the chapter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<Parsed<IsoDate>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<Parsed<HttpUrl>>,
    /// The case was edited from the source (「…を加工して作成」).
    #[serde(default, skip_serializing_if = "is_false")]
    pub edited: bool,
}

impl Source {
    /// 出典：総務省『自治体DX推進参考事例集【第2.0版】』を加工して作成
    pub fn credit_line(&self) -> String {
        let suffix = if self.edited { "を加工して作成" } else { "" };
        format!("出典：{}『{}』{}", self.publisher, self.title, suffix)
    }
}
