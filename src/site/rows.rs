//! Case-table rows rendered once: the `<tr>` of each case, as the theme's
//! [`ROW_TEMPLATE`] draws it, for each `root` prefix of the pages that
//! list cases in a table.
//!
//! A case appears in the nine all-cases tables and in the tables of each
//! of its facet values: at 10,000 cases a build would otherwise render
//! some 200,000 rows through tera (each a dozen attribute lookups), and a
//! title edit in `jirei serve` some 100,000 for one changed row. With the
//! rows rendered once per prefix, a table is the concatenation of its
//! rows ([`RenderedRows::joined`]), given to templates as `case_rows`;
//! an edit renders only the edited case's rows again
//! ([`RenderedRows::update`]).
//!
//! A row is a function of the case's row value `c` and `root` only (and
//! of the global `site`), so the concatenation is the same HTML a loop in
//! the table template would write. The cost is memory: one string per case
//! and prefix (three prefixes in the built-in routes; about 20 MB at
//! 10,000 cases, kept by `jirei serve`).

use rayon::prelude::*;
use tera::{Context, Value};

use super::pages::{Page, PageContent};
use super::render::Renderer;
use crate::diagnostic::Diagnostic;

/// The template of one case-table row (variables `c`, a case row, and
/// `root`).
pub const ROW_TEMPLATE: &str = "partials/case_row.html";

/// The rendered rows of every case, per `root` prefix.
#[derive(Debug, Default)]
pub struct RenderedRows {
    /// `(root, rows in case order)`, one entry per prefix.
    by_root: Vec<(String, Vec<String>)>,
}

/// Whether `page` shows a case table (and so gets `case_rows`).
pub fn lists_cases(page: &Page) -> bool {
    matches!(page.content, PageContent::Table(_) | PageContent::FacetValue { .. })
}

impl RenderedRows {
    /// Renders every row of `rows` (tera values in case order) for each
    /// distinct `root` of the `pages` that list cases.
    pub fn render(renderer: &Renderer, rows: &[Value], pages: &[Page]) -> Result<RenderedRows, Diagnostic> {
        let mut roots: Vec<&str> = pages
            .iter()
            .filter(|p| lists_cases(p))
            .map(|p| p.root.as_str())
            .collect();
        roots.sort_unstable();
        roots.dedup();
        let by_root = roots
            .into_iter()
            .map(|root| {
                let html = rows
                    .par_iter()
                    .map(|row| render_row(renderer, row, root))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok((root.to_string(), html))
            })
            .collect::<Result<_, Diagnostic>>()?;
        Ok(RenderedRows { by_root })
    }

    /// Renders the rows of case `i` again from its new value `row` and
    /// returns the ones they replace, for [`restore`](Self::restore). On an
    /// error nothing is changed.
    pub fn update(&mut self, renderer: &Renderer, i: usize, row: &Value) -> Result<Vec<String>, Diagnostic> {
        let fresh = self
            .by_root
            .iter()
            .map(|(root, _)| render_row(renderer, row, root))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(self.restore(i, fresh))
    }

    /// Puts back the rows of case `i` that [`update`](Self::update)
    /// returned; returns the ones they replace.
    pub fn restore(&mut self, i: usize, html: Vec<String>) -> Vec<String> {
        self.by_root
            .iter_mut()
            .zip(html)
            .map(|((_, rows), html)| std::mem::replace(&mut rows[i], html))
            .collect()
    }

    /// The rows of the cases `indices`, in that order, as seen from a page
    /// whose prefix is `root`; `None` if no page with that prefix lists
    /// cases.
    pub fn joined(&self, root: &str, indices: &[usize]) -> Option<String> {
        let (_, rows) = self.by_root.iter().find(|(r, _)| r == root)?;
        let mut html = String::with_capacity(indices.iter().map(|&i| rows[i].len()).sum());
        for &i in indices {
            html.push_str(&rows[i]);
        }
        Some(html)
    }
}

fn render_row(renderer: &Renderer, row: &Value, root: &str) -> Result<String, Diagnostic> {
    let mut context = Context::new();
    context.insert_value("c", row.clone());
    context.insert("root", root);
    renderer.render(ROW_TEMPLATE, &context)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::model::CaseRow;
    use crate::site::theme::Theme;

    fn renderer() -> Renderer {
        Renderer::new(&Theme::builtin(), Context::new()).expect("the built-in theme compiles")
    }

    fn row(id: &str, title: &str) -> Value {
        Value::from_serializable(&CaseRow {
            id: id.into(),
            href: format!("cases/{id}/"),
            title: title.into(),
            point: None,
            organization: "岡山県鏡野町".into(),
            prefecture: "岡山県".into(),
            population: Some(12_000),
            population_label: Some("1.2万人".into()),
            band: None,
            category: "内部DX".into(),
            initial_cost: None,
            initial_cost_label: None,
            running_cost: Some(300),
            running_cost_label: Some("300千円".into()),
            lead_time_months: None,
            lead_time: None,
            updated: None,
            new: false,
            draft: false,
        })
    }

    fn page(root: &str, content: PageContent) -> Page {
        Page {
            content,
            file: "x/index.html".into(),
            href: "x/".into(),
            root: root.into(),
            template: "table.html",
        }
    }

    #[test]
    fn joined_rows_follow_the_given_order_and_the_page_prefix() {
        let rows = [row("a", "甲"), row("b", "乙")];
        let pages = [
            page("../", PageContent::Table(crate::site::pages::SortOrder::DEFAULT)),
            page("../../../", PageContent::Home),
        ];
        let rendered = RenderedRows::render(&renderer(), &rows, &pages).expect("renders");
        let html = rendered.joined("../", &[1, 0]).expect("a table page has this prefix");
        let (b, a) = (html.find("乙").expect("row b"), html.find("甲").expect("row a"));
        assert!(b < a, "{html}");
        assert!(html.contains("href=\"../cases/a/\""), "{html}");
        assert_eq!(rendered.joined("../../../", &[0]), None, "the home page lists no table");
    }

    #[test]
    fn an_updated_row_is_rendered_again_for_every_prefix_and_can_be_put_back() {
        let rows = [row("a", "甲"), row("b", "乙")];
        let pages = [
            page("../", PageContent::Table(crate::site::pages::SortOrder::DEFAULT)),
            page("../../", PageContent::Table(crate::site::pages::SortOrder::DEFAULT)),
        ];
        let renderer = renderer();
        let mut rendered = RenderedRows::render(&renderer, &rows, &pages).expect("renders");
        let before = rendered.update(&renderer, 0, &row("a", "丙")).expect("renders");
        for root in ["../", "../../"] {
            let html = rendered.joined(root, &[0, 1]).expect("listed");
            assert!(
                html.contains("丙") && !html.contains("甲") && html.contains("乙"),
                "{html}"
            );
        }
        rendered.restore(0, before);
        let html = rendered.joined("../../", &[0]).expect("listed");
        assert!(html.contains("甲") && !html.contains("丙"), "{html}");
    }

    #[test]
    fn text_in_a_row_is_escaped() {
        let rows = [row("a", "<script>x</script>")];
        let pages = [page("../", PageContent::Table(crate::site::pages::SortOrder::DEFAULT))];
        let rendered = RenderedRows::render(&renderer(), &rows, &pages).expect("renders");
        let html = rendered.joined("../", &[0]).expect("listed");
        assert!(html.contains("&lt;script&gt;") && !html.contains("<script>"), "{html}");
    }
}
