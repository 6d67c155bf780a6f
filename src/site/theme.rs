//! The theme: tera templates and static files (CSS, the search page's JS).
//!
//! The default theme (`themes/default/` in the jirei repository) is built
//! into the binary, so `jirei build` works in any collection. A collection
//! can override any file by putting its own copy at the same place under
//! `<root>/themes/default/` (`templates/case.html`, `static/style.css`);
//! files that are not overridden come from the built-in theme.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostic::Diagnostic;

/// Where a collection keeps its theme overrides, relative to its root.
pub const THEME_DIR: &str = "themes/default";

/// Output folder of the static files, relative to the output root.
pub const ASSETS_DIR: &str = "assets";

macro_rules! builtin {
    ($($name:literal),* $(,)?) => {
        [$(($name, include_str!(concat!("../../themes/default/", $name)))),*]
    };
}

/// The built-in theme, by path below `themes/default/`.
const BUILTIN: [(&str, &str); 19] = builtin![
    "templates/base.html",
    "templates/index.html",
    "templates/case.html",
    "templates/table.html",
    "templates/facet_index.html",
    "templates/facet_value.html",
    "templates/404.html",
    "templates/search.html",
    "templates/partials/case_list.html",
    "templates/partials/case_table.html",
    "templates/partials/case_row.html",
    "templates/partials/cost_item.html",
    "templates/partials/print_more.html",
    "static/style.css",
    "static/print.css",
    "static/favicon.svg",
    "static/search-query.js",
    "static/search-engine.js",
    "static/search-ui.js",
];

/// One file of the theme.
#[derive(Debug, Clone)]
pub struct ThemeFile {
    /// Path below the templates or static folder: `case.html`, `style.css`.
    pub name: String,
    /// Where it comes from, for diagnostics: a real path for an override,
    /// `themes/default/…` (built in) otherwise.
    pub origin: PathBuf,
    /// The bytes as stored; templates are decoded when they are compiled.
    pub content: Vec<u8>,
}

/// The templates and static files of one build.
#[derive(Debug, Clone)]
pub struct Theme {
    pub templates: Vec<ThemeFile>,
    pub assets: Vec<ThemeFile>,
}

impl Theme {
    /// The built-in theme with the overrides found under `root`.
    pub fn load(root: &Path) -> Result<Theme, Diagnostic> {
        let mut theme = Theme::builtin();
        let dir = root.join(THEME_DIR);
        if dir.is_dir() {
            theme.apply_overrides(&dir)?;
        }
        Ok(theme)
    }

    /// The theme compiled into the binary.
    pub fn builtin() -> Theme {
        let mut theme = Theme {
            templates: Vec::new(),
            assets: Vec::new(),
        };
        for (path, content) in BUILTIN {
            theme.insert(path, PathBuf::from(THEME_DIR).join(path), content.as_bytes().to_vec());
        }
        theme
    }

    fn apply_overrides(&mut self, dir: &Path) -> Result<(), Diagnostic> {
        let walker = WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walker {
            let entry = entry.map_err(|e| Diagnostic::error(dir, 0, 0, format!("cannot read the theme: {e}")))?;
            if !entry.file_type().is_file() {
                continue;
            }
            let Ok(relative) = entry.path().strip_prefix(dir) else {
                continue;
            };
            let relative = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let bytes = std::fs::read(entry.path())
                .map_err(|e| Diagnostic::error(entry.path(), 0, 0, format!("cannot read: {e}")))?;
            self.insert(&relative, entry.path().to_path_buf(), bytes);
        }
        Ok(())
    }

    /// Adds or replaces the file at `path` (below the theme folder).
    fn insert(&mut self, path: &str, origin: PathBuf, content: Vec<u8>) {
        let (list, name) = if let Some(name) = path.strip_prefix("templates/") {
            (&mut self.templates, name)
        } else if let Some(name) = path.strip_prefix("static/") {
            (&mut self.assets, name)
        } else {
            return;
        };
        let file = ThemeFile {
            name: name.to_string(),
            origin,
            content,
        };
        match list.iter_mut().find(|f| f.name == file.name) {
            Some(existing) => *existing = file,
            None => list.push(file),
        }
    }

    /// The template called `name`, if the theme has one.
    pub fn template(&self, name: &str) -> Option<&ThemeFile> {
        self.templates.iter().find(|t| t.name == name)
    }
}
