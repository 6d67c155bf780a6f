//! tera: compiling the theme's templates and rendering one page.
//!
//! Templates get HTML autoescaping (every template name ends in `.html`),
//! so front-matter text is always escaped; only values a template marks
//! `| safe` (the sanitised body) are written as HTML. Case text is only ever
//! a value in the context, never template source, so `{{ }}` in a case is
//! printed as written.
//!
//! Template errors become [`Diagnostic`]s naming the template file (the
//! override under `themes/default/templates/` or the built-in one) with the
//! line and column tera reports.

use std::collections::HashMap;
use std::path::PathBuf;

use tera::{Context, ErrorKind, Tera};

use super::theme::Theme;
use crate::diagnostic::Diagnostic;

/// The compiled templates of a theme.
pub struct Renderer {
    tera: Tera,
    /// Template name → (file, source), for diagnostics.
    origins: HashMap<String, (PathBuf, String)>,
}

impl Renderer {
    /// Compiles every template of `theme`; `globals` is visible to every page.
    pub fn new(theme: &Theme, globals: Context) -> Result<Renderer, Diagnostic> {
        let mut origins = HashMap::new();
        let mut sources = Vec::new();
        for file in &theme.templates {
            let text = crate::corpus::decode(&file.origin, &file.content)?;
            origins.insert(file.name.clone(), (file.origin.clone(), text.clone()));
            sources.push((file.name.clone(), text));
        }
        let mut tera = Tera::default();
        tera.autoescape_on([".html", ".xml"]);
        let renderer_origins = origins;
        tera.add_raw_templates(sources)
            .map_err(|e| diagnostic(&e, &renderer_origins))?;
        tera.global_context().extend(globals);
        Ok(Renderer {
            tera,
            origins: renderer_origins,
        })
    }

    /// Renders the template `name` with `context`.
    pub fn render(&self, name: &str, context: &Context) -> Result<String, Diagnostic> {
        self.tera
            .render(name, context)
            .map_err(|e| diagnostic(&e, &self.origins))
    }
}

/// A diagnostic at the template file and line tera reports.
fn diagnostic(error: &tera::Error, origins: &HashMap<String, (PathBuf, String)>) -> Diagnostic {
    let (name, line, column, message) = match error.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => (
            report.filename().to_string(),
            report.span().start_line,
            report.span().start_col + 1,
            report.message().to_string(),
        ),
        ErrorKind::MissingParent { current, parent } => (
            current.clone(),
            0,
            0,
            format!("`{{% extends \"{parent}\" %}}` names a template the theme does not have"),
        ),
        ErrorKind::CircularExtend { tpl, .. } | ErrorKind::CircularInclude { tpl, .. } => {
            (tpl.clone(), 0, 0, error.to_string())
        }
        _ => locate_in_report(&error.to_string()),
    };
    let path = origins
        .get(&name)
        .map(|(path, _)| path.clone())
        .unwrap_or_else(|| PathBuf::from(super::theme::THEME_DIR).join("templates").join(&name));
    Diagnostic::error(path, line, column, format!("template error: {message}"))
        .with_help("fix the template under themes/default/templates/, or delete it to use the built-in one")
}

/// Finds `--> name:line:col` in a tera report made of several errors
/// (unknown filters, missing includes), keeping its first message.
fn locate_in_report(report: &str) -> (String, usize, usize, String) {
    let message = report
        .lines()
        .find_map(|l| l.strip_prefix("error: "))
        .unwrap_or(report)
        .to_string();
    let location = report.lines().find_map(|l| l.trim_start().strip_prefix("--> "));
    let Some(location) = location else {
        return (String::new(), 0, 0, message);
    };
    let mut parts = location.rsplitn(3, ':');
    let column = parts.next().and_then(|c| c.parse().ok()).unwrap_or(0);
    let line = parts.next().and_then(|l| l.parse().ok()).unwrap_or(0);
    let name = parts.next().unwrap_or_default().to_string();
    (name, line, column, message)
}

/// The source of a template, for the snippet under a diagnostic.
pub fn template_source(theme: &Theme, diagnostic: &Diagnostic) -> Option<String> {
    let file = theme.templates.iter().find(|t| t.origin == diagnostic.path)?;
    String::from_utf8(file.content.clone()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn theme_with(name: &str, source: &str) -> Theme {
        let mut theme = Theme::builtin();
        theme.templates.retain(|t| t.name != name);
        theme.templates.push(super::super::theme::ThemeFile {
            name: name.to_string(),
            origin: PathBuf::from("themes/default/templates").join(name),
            content: source.as_bytes().to_vec(),
        });
        theme
    }

    #[test]
    fn syntax_errors_name_the_file_and_line() {
        let theme = theme_with(
            "case.html",
            "{% extends \"base.html\" %}\n{% block main %}\n{{ case.title \n{% endblock main %}\n",
        );
        let d = Renderer::new(&theme, Context::new()).err().expect("an error");
        assert_eq!(d.path, PathBuf::from("themes/default/templates/case.html"));
        assert!(d.line >= 3, "{d:?}");
    }

    #[test]
    fn unknown_filters_are_located() {
        let theme = theme_with("404.html", "<p>\n{{ x | nosuchfilter }}</p>\n");
        let d = Renderer::new(&theme, Context::new()).err().expect("an error");
        assert_eq!(d.path, PathBuf::from("themes/default/templates/404.html"), "{d:?}");
        assert_eq!(d.line, 2, "{d:?}");
        assert!(d.message.contains("nosuchfilter"), "{d:?}");
    }

    #[test]
    fn rendering_errors_name_the_file() {
        let theme = theme_with("404.html", "<p>\n{{ undefined_thing }}</p>\n");
        let renderer = Renderer::new(&theme, Context::new()).expect("compiles");
        let d = renderer.render("404.html", &Context::new()).expect_err("an error");
        assert_eq!((d.line, d.path.ends_with("404.html")), (2, true), "{d:?}");
    }
}
