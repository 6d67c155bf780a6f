//! Era dates and spans (`R2.8`, `令和3年9月`, `R5.2~4`, `R3.9～` …): no
//! panic, only real dates come out, and a parsed date written back in its
//! plain Japanese form (`2023年4月17日`, `2023年度`) reads as the same date.
#![no_main]

use jirei::case::era::{EraDate, EraSpan};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(date) = text.parse::<EraDate>() {
        check_date(&date);
        assert_eq!(
            written(&date).parse::<EraDate>(),
            Ok(date),
            "{text:?} → {}",
            written(&date)
        );
        if date.month.is_some() && date.day.is_none() {
            // `2023-04`, the ISO form, reads back too.
            assert_eq!(date.to_iso().parse::<EraDate>(), Ok(date), "{text:?}");
        }
    }
    if let Ok(span) = text.parse::<EraSpan>() {
        check_date(&span.start);
        std::hint::black_box(span.to_iso());
        let mut again = written(&span.start);
        if let Some(end) = &span.end {
            check_date(end);
            assert!(
                end.month_index() >= span.start.month_index(),
                "{text:?} ends before it starts"
            );
            assert!(!span.ongoing, "{text:?} has an end and is ongoing");
            again = format!("{again}~{}", written(end));
        } else if span.ongoing {
            again.push('~');
        }
        assert_eq!(again.parse::<EraSpan>(), Ok(span), "{text:?} → {again}");
    }
});

/// The date in full Japanese: `2023年4月17日`, `2023年4月`, `2023年度`, `2023年`.
fn written(d: &EraDate) -> String {
    match (d.month, d.day, d.fiscal) {
        (Some(m), Some(day), _) => format!("{}年{m}月{day}日", d.year),
        (Some(m), None, _) => format!("{}年{m}月", d.year),
        (None, _, true) => format!("{}年度", d.year),
        (None, _, false) => format!("{}年", d.year),
    }
}

fn check_date(d: &EraDate) {
    assert!((1000..=9999).contains(&d.year), "year {} out of range: {d:?}", d.year);
    match d.month {
        Some(m) => {
            assert!((1..=12).contains(&m), "{d:?}");
            assert!(!d.fiscal, "a fiscal year with a month: {d:?}");
        }
        None => assert!(d.day.is_none(), "a day without a month: {d:?}"),
    }
    if let Some(day) = d.day {
        assert!((1..=31).contains(&day), "{d:?}");
    }
}
