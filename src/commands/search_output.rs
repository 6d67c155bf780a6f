//! Terminal output of `jirei search`: ranked results with organisation,
//! band, cost, lead time and a highlighted snippet, then facet counts.

use std::fmt::Write as _;

use crate::case::shorthand::LeadTime;
use crate::config::Config;
use crate::search::SearchResponse;

/// `12000` → `1.2万人`, `5400` → `5,400人`.
pub fn population_label(n: u64) -> String {
    if n >= 10_000 {
        let man = n as f64 / 10_000.0;
        let text = format!("{man:.1}");
        format!("{}万人", text.trim_end_matches(".0"))
    } else {
        format!("{}人", crate::case::money::group_digits(n))
    }
}

const FACET_LABELS: [(&str, &str); 8] = [
    ("band", "人口規模"),
    ("category", "分類"),
    ("section", "節"),
    ("prefecture", "都道府県"),
    ("region", "地方"),
    ("tags", "タグ"),
    ("vendors", "事業者"),
    ("operation_mode", "運用形態"),
];

pub fn render(response: &SearchResponse, config: &Config, color: bool) -> String {
    let bold = |s: &str| {
        if color {
            format!("\x1b[1m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    let mut out = String::new();
    let _ = writeln!(out, "{}件の事例", response.total);
    for (rank, hit) in response.hits.iter().enumerate() {
        let s = &hit.summary;
        let _ = writeln!(out, "\n{:>2}. {}  [{}]", rank + 1, bold(&s.title), s.id);
        let band = s
            .band
            .as_deref()
            .and_then(|b| config.bands.get(b))
            .map(|b| b.label.as_str());
        let population = match (s.population, band) {
            (Some(p), Some(b)) => format!("人口 {}（{b}）", population_label(p)),
            (Some(p), None) => format!("人口 {}", population_label(p)),
            (None, Some(b)) => b.to_string(),
            (None, None) => "人口 不明".to_string(),
        };
        let _ = writeln!(out, "    {} ・ {} ・ {}", s.organization, population, s.category);
        let mut facts = Vec::new();
        if let Some(c) = &s.initial_cost_label {
            facts.push(format!("イニシャル {c}"));
        }
        if let Some(c) = &s.running_cost_label {
            facts.push(format!("ランニング {c}/年"));
        }
        if let Some(m) = s.lead_time_months {
            facts.push(format!("導入まで {}", LeadTime { months: m }.label()));
        }
        if !facts.is_empty() {
            let _ = writeln!(out, "    {}", facts.join(" ・ "));
        }
        let (open, close) = if color {
            ("\x1b[1;33m", "\x1b[0m")
        } else {
            ("【", "】")
        };
        let snippet = hit.snippet_parts.render(|t| t.to_string(), open, close);
        if !snippet.is_empty() {
            let _ = writeln!(out, "    {snippet}");
        }
    }
    for (facet, counts) in &response.facets {
        if counts.is_empty() {
            continue;
        }
        let label = FACET_LABELS
            .iter()
            .find(|(f, _)| f == facet)
            .map_or(facet.as_str(), |(_, l)| l);
        let mut sorted: Vec<(&String, &u64)> = counts.iter().collect();
        sorted.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let shown: Vec<String> = sorted.iter().take(8).map(|(v, c)| format!("{v} ({c})")).collect();
        let more = if sorted.len() > 8 {
            format!(" ほか{}件", sorted.len() - 8)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "{}{label}: {}{more}",
            if out.ends_with("\n\n") { "" } else { "\n" },
            shown.join("  ")
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn populations_read_like_the_publication() {
        assert_eq!(population_label(12_000), "1.2万人");
        assert_eq!(population_label(1_819_000), "181.9万人");
        assert_eq!(population_label(50_000), "5万人");
        assert_eq!(population_label(5_400), "5,400人");
    }
}
