//! Themes: tera templates and static assets. A theme lives in `themes/NAME/`
//! (`templates/`, `static/`); the default theme is also built into the binary, so
//! a site without a `themes/` folder still builds. Files in the site's own
//! `templates/` and `static/` folders override the theme's one by one.

use crate::diagnostics::Diagnostic;
use std::collections::BTreeMap;
use std::path::Path;

/// The default theme's files (`themes/default/`), built into the binary.
static DEFAULT_THEME: include_dir::Dir =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// A theme's files in memory: templates by name and static files by path.
pub struct Theme {
    /// Template name → source.
    pub templates: BTreeMap<String, String>,
    /// Static file path (relative to `static/`) → bytes.
    pub statics: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    /// Loads the named theme for the site at `root`, with the site's overrides.
    pub fn load(root: &Path, name: &str) -> Result<Theme, Diagnostic> {
        let mut theme = Theme {
            templates: BTreeMap::new(),
            statics: BTreeMap::new(),
        };
        let dir = root.join("themes").join(name);
        if dir.is_dir() {
            theme.read_dir(&dir)?;
        } else if name == "default" {
            for file in embedded_files(&DEFAULT_THEME) {
                let path = file.path().to_string_lossy().replace('\\', "/");
                theme.insert(&path, file.contents().to_vec())?;
            }
        } else {
            return Err(Diagnostic::global(crate::t!(
                "theme-missing",
                name = name,
                path = dir.display().to_string()
            ))
            .with_hint(crate::t!("theme-missing-hint")));
        }
        theme.read_dir(root)?;
        Ok(theme)
    }

    /// Reads `templates/` and `static/` under `dir`, replacing files of the same name.
    fn read_dir(&mut self, dir: &Path) -> Result<(), Diagnostic> {
        for sub in ["templates", "static"] {
            let base = dir.join(sub);
            if !base.is_dir() {
                continue;
            }
            for entry in walkdir::WalkDir::new(&base).sort_by_file_name() {
                let entry = entry.map_err(|e| {
                    Diagnostic::global(crate::t!(
                        "io-list",
                        path = base.display().to_string(),
                        error = e.to_string()
                    ))
                })?;
                if !entry.file_type().is_file() {
                    continue;
                }
                let rel = entry.path().strip_prefix(dir).expect("under dir");
                let bytes = std::fs::read(entry.path()).map_err(|e| {
                    Diagnostic::global(crate::t!(
                        "io-read",
                        path = entry.path().display().to_string(),
                        error = e.to_string()
                    ))
                })?;
                self.insert(&rel.to_string_lossy().replace('\\', "/"), bytes)?;
            }
        }
        Ok(())
    }

    fn insert(&mut self, path: &str, bytes: Vec<u8>) -> Result<(), Diagnostic> {
        if let Some(name) = path.strip_prefix("templates/") {
            let text = String::from_utf8(bytes)
                .map_err(|_| Diagnostic::global(crate::t!("theme-utf8", path = path)))?;
            self.templates.insert(name.to_string(), text);
        } else if let Some(name) = path.strip_prefix("static/") {
            self.statics.insert(name.to_string(), bytes);
        }
        Ok(())
    }
}

/// Every file under an embedded folder, sorted by path.
fn embedded_files<'d>(dir: &'d include_dir::Dir<'d>) -> Vec<&'d include_dir::File<'d>> {
    let mut files: Vec<&include_dir::File> = dir.files().collect();
    for sub in dir.dirs() {
        files.extend(embedded_files(sub));
    }
    files.sort_by_key(|f| f.path());
    files
}
