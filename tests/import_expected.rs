//! Field-level accuracy against hand-written expectations
//! (tests/fixtures/mic/expected.toml) for cases from all three chapters.

use std::path::Path;

use jirei::case::Case;
use jirei::case::band::BandScheme;
use jirei::case::money::{Amount, AmountKind};
use jirei::import::mic;
use toml::Value;

const SEED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seeds/003_b7b77d4349d817ea.txt");
const EXPECTED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/mic/expected.toml");

fn kind_name(kind: AmountKind) -> &'static str {
    match kind {
        AmountKind::Exact => "exact",
        AmountKind::Approximate => "approximate",
        AmountKind::Undisclosed => "undisclosed",
        AmountKind::None => "none",
        AmountKind::NotCalculable => "not-calculable",
    }
}

/// The value of `key` in the parsed case, in the expectation's terms.
fn actual(case: &Case, key: &str) -> Option<Value> {
    let f = &case.front;
    let amount = |a: Option<&Amount>| a.copied();
    let initial = f.cost.as_ref().and_then(|c| amount(c.initial_amount()));
    let running = f.cost.as_ref().and_then(|c| amount(c.running_amount()));
    let string = |s: &str| Some(Value::String(s.to_string()));
    let int = |n: u64| Some(Value::Integer(n as i64));
    match key {
        "prefecture" => string(case.prefecture.name()),
        "municipality" => f.organization.name.as_deref().and_then(string),
        "population" => case.population().and_then(int),
        "population_as_of" => f
            .population
            .as_ref()?
            .value
            .as_of
            .as_ref()
            .and_then(|d| string(&d.text)),
        "band" => case.band.as_deref().and_then(string),
        "cost" => f.cost.as_ref().map(|_| Value::String("present".into())),
        "initial_cost" => initial?.thousand_yen.and_then(int),
        "running_cost" => running?.thousand_yen.and_then(int),
        "initial_kind" => string(kind_name(initial?.kind)),
        "running_kind" => string(kind_name(running?.kind)),
        "tax" => f.cost.as_ref()?.tax.and_then(|t| string(t.label())),
        "initial_breakdown" => int(f.cost.as_ref()?.initial.as_ref()?.breakdown.len() as u64),
        "lead_time_months" => case.lead_time_months().map(|m| Value::Integer(i64::from(m))),
        "milestones" => {
            let m = &f.schedule.as_ref()?.milestones;
            Some(Value::Array(
                m.iter().map(|m| Value::String(m.date.text.clone())).collect(),
            ))
        }
        "vendors" => Some(Value::Array(
            f.vendors.iter().map(|v| Value::String(v.name.clone())).collect(),
        )),
        "participants" => int(f.participants.len() as u64),
        "delivery" => f.operation_mode.as_ref()?.delivery.and_then(|d| string(d.label())),
        "hosting" => f.operation_mode.as_ref()?.hosting.and_then(|h| string(h.label())),
        "phone" => f.contact.as_ref()?.phone.as_ref().and_then(|p| string(&p.text)),
        "email" => f.contact.as_ref()?.email.as_ref().and_then(|e| string(&e.text)),
        "section" => f.section.as_deref().and_then(string),
        "tags" => Some(Value::Array(f.tags.iter().map(|t| Value::String(t.clone())).collect())),
        "page" => int(u64::from(f.source.as_ref()?.page?)),
        other => panic!("unknown expectation key `{other}`"),
    }
}

#[test]
fn imported_fields_match_the_hand_written_expectations() {
    let text =
        std::fs::read_to_string(SEED).expect("the seed documents must be in ../shared/seeds beside the repository");
    let expected: toml::Table = std::fs::read_to_string(EXPECTED)
        .expect("fixture")
        .parse()
        .expect("valid TOML");
    let cases = expected
        .get("case")
        .and_then(Value::as_array)
        .expect("[[case]] entries");
    assert!(cases.len() >= 15, "at least 15 cases are specified");
    let import = mic::import(&text).expect("import");
    let mut checked = 0;
    let mut failures = Vec::new();
    for spec in cases {
        let spec = spec.as_table().expect("table");
        let file = spec.get("file").and_then(Value::as_str).expect("file");
        let generated = import
            .cases
            .iter()
            .find(|c| c.file_name == file)
            .unwrap_or_else(|| panic!("{file} not generated"));
        let case = jirei::case::parse(Path::new(file), &generated.text, &BandScheme::mic()).expect("valid case");
        for (key, want) in spec.iter().filter(|(k, _)| *k != "file") {
            checked += 1;
            let got = actual(&case, key);
            let ok = match want.as_str() {
                Some("absent") => got.is_none(),
                _ => got.as_ref() == Some(want) || (want.as_array().is_some_and(|a| a.is_empty()) && got.is_none()),
            };
            if !ok {
                failures.push(format!("{file}: {key}: expected {want}, got {got:?}"));
            }
        }
    }
    assert!(checked > 150, "only {checked} fields checked");
    assert!(
        failures.is_empty(),
        "{} of {checked} fields differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
