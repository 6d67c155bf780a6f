//! Cost strings (`約13,400千円`, `1.2億円`, `非公表`, `－`), lead times
//! (`1年1か月`) and population shorthands (`12,000`): no panic, and a
//! parsed amount or lead time shown and read again is the same value.
#![no_main]

use jirei::case::money::{Amount, AmountKind};
use jirei::case::shorthand::{LeadTime, Population};
use libfuzzer_sys::fuzz_target;
use serde::Deserialize;
use serde::de::value::{Error, StrDeserializer};

fuzz_target!(|text: &str| {
    if let Ok(amount) = text.parse::<Amount>() {
        let has_figure = matches!(amount.kind, AmountKind::Exact | AmountKind::Approximate);
        assert_eq!(amount.thousand_yen.is_some(), has_figure, "{text:?} → {amount:?}");
        std::hint::black_box(amount.yen());
        let shown = amount.to_string();
        assert_eq!(shown.parse::<Amount>(), Ok(amount), "{text:?} → {shown}");
    }
    if let Ok(lead) = text.parse::<LeadTime>() {
        let label = lead.label();
        assert_eq!(label.parse::<LeadTime>(), Ok(lead), "{text:?} → {label}");
    }
    let population = Population::deserialize(StrDeserializer::<Error>::new(text));
    std::hint::black_box(population.ok());
});
