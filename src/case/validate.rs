//! Checks that relate several front-matter fields (population against band,
//! code against prefecture …) and derive the fields an editor may omit.

use std::path::Path;

use serde_saphyr::Spanned;

use super::Case;
use super::band::BandScheme;
use super::front_matter::{FrontMatter, OrgKind};
use super::place::Prefecture;
use crate::diagnostic::{Diagnostic, did_you_mean};

/// Collects diagnostics for one file; YAML line 1 is file line `yaml_line`.
struct Checker<'a> {
    path: &'a Path,
    yaml_line: usize,
    diagnostics: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn at<T>(&self, spanned: &Spanned<T>) -> (usize, usize) {
        let loc = spanned.referenced;
        if loc.line() == 0 {
            (self.yaml_line, 0)
        } else {
            (self.yaml_line + loc.line() as usize - 1, loc.column() as usize)
        }
    }

    fn error_at<T>(&mut self, spanned: &Spanned<T>, message: String, help: Option<String>) {
        let (line, column) = self.at(spanned);
        let d = Diagnostic::error(self.path, line, column, message);
        self.diagnostics.push(match help {
            Some(h) => d.with_help(h),
            None => d,
        });
    }

    fn error(&mut self, message: impl Into<String>, help: impl Into<String>) {
        self.diagnostics
            .push(Diagnostic::error(self.path, self.yaml_line, 0, message).with_help(help));
    }

    fn warning(&mut self, message: impl Into<String>, help: impl Into<String>) {
        self.diagnostics
            .push(Diagnostic::warning(self.path, self.yaml_line, 0, message).with_help(help));
    }
}

pub(super) fn validate(
    path: &Path,
    front: FrontMatter,
    body: &str,
    body_line: usize,
    bands: &BandScheme,
) -> Result<Case, Vec<Diagnostic>> {
    // Front matter always starts on line 2, after the opening `---`.
    let mut checker = Checker {
        path,
        yaml_line: 2,
        diagnostics: Vec::new(),
    };
    let id = check_id(&mut checker, &front, path);
    check_text_fields(&mut checker, &front);
    let prefecture = check_prefecture(&mut checker, &front);
    let kind = check_kind(&mut checker, &front, prefecture);
    if let Some(prefecture) = prefecture {
        check_code(&mut checker, &front, prefecture, kind);
    }
    let band = check_band(&mut checker, &front, kind, bands);
    check_costs(&mut checker, &front);
    check_schedule(&mut checker, &front);
    if front.source.is_none() {
        checker.warning(
            "no `source:`: the case page will have no 出典 line",
            "add `source: {publisher: …, title: …}`; the government terms of use require crediting the source",
        );
    }
    let has_errors = checker.diagnostics.iter().any(Diagnostic::is_error);
    match (id, prefecture) {
        (Some(id), Some(prefecture)) if !has_errors => Ok(Case {
            id,
            path: path.to_path_buf(),
            front,
            body: body.to_string(),
            body_line,
            prefecture,
            kind,
            band,
            warnings: checker.diagnostics,
        }),
        _ => Err(checker.diagnostics),
    }
}

/// Ids become URLs and file names on any server: lowercase ASCII only.
pub fn is_valid_id(id: &str) -> bool {
    let mut bytes = id.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && id.len() <= 100
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

fn check_id(c: &mut Checker, front: &FrontMatter, path: &Path) -> Option<String> {
    let help = "ids appear in web addresses: use lowercase ASCII letters, digits, `-` and `_`, e.g. `3-01-kagamino`";
    if let Some(id) = &front.id {
        if is_valid_id(&id.value) {
            return Some(id.value.clone());
        }
        c.error_at(id, format!("`{}` is not a valid id", id.value), Some(help.to_string()));
        return None;
    }
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    if is_valid_id(stem) {
        return Some(stem.to_string());
    }
    c.diagnostics.push(
        Diagnostic::error(
            path,
            0,
            0,
            format!("the file name `{stem}` cannot serve as the case id"),
        )
        .with_help(format!(
            "add an `id:` line to the front matter or rename the file; {help}"
        )),
    );
    None
}

fn check_text_fields(c: &mut Checker, front: &FrontMatter) {
    if front.title.trim().is_empty() {
        c.error(
            "`title` is empty",
            "write the case title as printed, e.g. 書かない窓口の導入",
        );
    }
    if front.category.trim().is_empty() {
        c.error(
            "`category` is empty",
            "write the chapter, e.g. 体制整備, 人材確保・育成 or 内部DX",
        );
    }
    if front.tags.iter().any(|t| t.trim().is_empty()) {
        c.error("`tags` contains an empty tag", "remove the empty entry");
    }
    let mut seen = std::collections::HashSet::new();
    for tag in &front.tags {
        if !seen.insert(tag.as_str()) {
            c.warning(format!("tag `{tag}` is listed twice"), "remove the repetition");
        }
    }
}

fn check_prefecture(c: &mut Checker, front: &FrontMatter) -> Option<Prefecture> {
    let given = &front.organization.prefecture;
    let found = Prefecture::from_name(&given.value);
    if found.is_none() {
        let help = match did_you_mean(given.value.trim(), Prefecture::all_names()) {
            Some(best) => format!("did you mean `{best}`?"),
            None => "write the full prefecture name, e.g. 岡山県, 東京都, 北海道".to_string(),
        };
        c.error_at(given, format!("`{}` is not a prefecture", given.value), Some(help));
    }
    found
}

fn check_kind(c: &mut Checker, front: &FrontMatter, prefecture: Option<Prefecture>) -> OrgKind {
    let name = front.organization.name.as_deref();
    let derived = OrgKind::from_name(name);
    let kind = front.organization.kind.unwrap_or(derived);
    if kind == OrgKind::Prefecture
        && let (Some(name), Some(pref)) = (name, prefecture)
        && name != pref.name()
    {
        c.error(
            format!(
                "`kind: 都道府県` but `name: {name}` is not the prefecture {}",
                pref.name()
            ),
            "for a prefecture leave out `name:`; for a municipality set the right kind",
        );
    }
    kind
}

fn check_code(c: &mut Checker, front: &FrontMatter, prefecture: Prefecture, kind: OrgKind) {
    let Some(code) = &front.organization.code else { return };
    if code.value.value.prefecture() != Some(prefecture) {
        let message = format!(
            "code {} belongs to another prefecture than {}",
            code.value.text,
            prefecture.name()
        );
        c.error_at(
            code,
            message,
            Some(format!(
                "codes in {} start with {:02}",
                prefecture.name(),
                prefecture.code()
            )),
        );
    }
    let is_prefecture_code = code.value.text.get(2..5) == Some("000");
    if is_prefecture_code != (kind == OrgKind::Prefecture) {
        let message = format!("code {} does not fit the kind {}", code.value.text, kind.label());
        c.error_at(
            code,
            message,
            Some("prefecture codes end in 000 plus the check digit".to_string()),
        );
    }
}

fn check_band(c: &mut Checker, front: &FrontMatter, kind: OrgKind, bands: &BandScheme) -> Option<String> {
    let population = front.population.as_ref().map(|p| p.value.count);
    let is_prefecture = kind == OrgKind::Prefecture;
    let derived = population
        .map(|p| bands.for_population(p, is_prefecture))
        .unwrap_or_else(|| {
            is_prefecture
                .then(|| bands.bands().iter().find(|b| b.prefecture))
                .flatten()
        });
    let Some(given) = &front.band else {
        if derived.is_none() {
            c.warning(
                "no `population:` or `band:`: the case will not show up when users filter by population",
                "add `population: 12000` (persons) or `band:` with the band id",
            );
        }
        return derived.map(|b| b.id.clone());
    };
    let Some(band) = bands.get(&given.value) else {
        let help = match did_you_mean(&given.value, bands.bands().iter().map(|b| b.id.as_str())) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("the bands are {}", bands.ids()),
        };
        c.error_at(given, format!("`{}` is not a population band", given.value), Some(help));
        return None;
    };
    if let Some(expected) = derived
        && expected.id != band.id
    {
        let reason = match population {
            Some(p) => format!("a population of {p} falls in `{}` ({})", expected.id, expected.label),
            None => format!("a {} belongs to `{}`", kind.label(), expected.id),
        };
        c.error_at(
            given,
            format!("band `{}` contradicts the population: {reason}", band.id),
            Some("correct the population or the band, or leave `band:` out to derive it".to_string()),
        );
    }
    Some(band.id.clone())
}

fn check_costs(c: &mut Checker, front: &FrontMatter) {
    let Some(costs) = &front.cost else { return };
    for (label, item) in [("initial", &costs.initial), ("running", &costs.running)] {
        let Some(item) = item else { continue };
        let (Some(total), Some(parts)) = (
            item.amount.thousand_yen,
            item.breakdown
                .iter()
                .map(|l| l.amount.and_then(|a| a.thousand_yen))
                .sum::<Option<u64>>(),
        ) else {
            continue;
        };
        if !item.breakdown.is_empty() && parts > total {
            c.warning(
                format!("the {label} cost breakdown adds up to {parts}千円, more than the total {total}千円"),
                "check the figures against the source",
            );
        }
    }
}

fn check_schedule(c: &mut Checker, front: &FrontMatter) {
    let Some(schedule) = &front.schedule else { return };
    let starts: Vec<i64> = schedule
        .milestones
        .iter()
        .map(|m| m.date.value.start.month_index())
        .collect();
    if starts.windows(2).any(|w| w[1] < w[0]) {
        c.warning(
            "the milestones are not in chronological order",
            "list them from the earliest to the latest",
        );
    }
}
