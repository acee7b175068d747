//! The site configuration file, `gongkai.toml` at the site root.

use crate::diagnostics::Diagnostic;
use serde::Deserialize;
use std::path::Path;

/// The name of the configuration file.
pub const CONFIG_FILE: &str = "gongkai.toml";

/// Site-wide settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The site's title, shown in the header and the feed.
    #[serde(default = "default_title")]
    pub title: String,
    /// A line under the title on the home page.
    #[serde(default)]
    pub description: String,
    /// Where the site is published, e.g. `https://www.example.gov.cn/gongkai/`.
    /// Its path is the prefix of every link, so the site works from a sub-path.
    #[serde(default = "default_base_url")]
    pub base_url: String,
    /// The theme under `themes/` (the built-in `default` if that folder is absent).
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Category merges beyond title normalization.
    #[serde(default)]
    pub categories: CategoryConfig,
    /// Unit aliases, names kept apart, and groups' members.
    #[serde(default)]
    pub units: crate::office::UnitConfig,
}

/// `[categories]` in the config.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryConfig {
    /// Groups of titles that mean the same category; the first names the page.
    #[serde(default)]
    pub merge: Vec<Vec<String>>,
}

fn default_title() -> String {
    "政务公开工作要点".to_string()
}
fn default_base_url() -> String {
    "/".to_string()
}
fn default_theme() -> String {
    "default".to_string()
}

impl Default for Config {
    fn default() -> Self {
        toml::from_str("").expect("all keys have defaults")
    }
}

impl Config {
    /// Reads `gongkai.toml` from the site root; a missing file means all defaults.
    /// Returns the config and the file's text (for error reports).
    pub fn load(root: &Path) -> Result<(Config, Option<String>), Diagnostic> {
        let path = root.join(CONFIG_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok((Config::default(), None));
            }
            Err(e) => {
                return Err(Diagnostic::global(crate::t!(
                    "io-read",
                    path = path.display().to_string(),
                    error = e.to_string()
                )));
            }
        };
        let config: Config = toml::from_str(&text).map_err(|e| {
            Diagnostic::error(
                Path::new(CONFIG_FILE),
                e.span().unwrap_or(0..0),
                crate::t!("config-invalid", detail = e.message().trim().to_string()),
            )
            .with_hint(crate::t!("config-keys"))
        })?;
        let base = config.base_url.trim();
        let is_path = base.starts_with('/') && !base.starts_with("//");
        if !is_path && crate::parse::frontmatter::web_url(base).is_none() {
            let at = text.find("base_url").unwrap_or(0);
            let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
            return Err(Diagnostic::error(
                Path::new(CONFIG_FILE),
                at..end,
                crate::t!("config-base-url"),
            )
            .with_hint(crate::t!("config-base-url-hint")));
        }
        Ok((config, Some(text)))
    }

    /// The path part of the base URL, always starting and ending with `/`.
    pub fn base_path(&self) -> String {
        let url = self.base_url.trim();
        let path = match url.find("://") {
            Some(i) => url[i + 3..].find('/').map_or("/", |j| &url[i + 3 + j..]),
            None => url,
        };
        let trimmed = path.trim_matches('/');
        if trimmed.is_empty() {
            "/".to_string()
        } else {
            format!("/{trimmed}/")
        }
    }

    /// The base URL with a trailing slash, for absolute links (sitemap, feed).
    pub fn absolute_base(&self) -> String {
        let url = self.base_url.trim().trim_end_matches('/');
        format!("{url}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths() {
        let mut c = Config::default();
        assert_eq!(c.base_path(), "/");
        c.base_url = "https://www.example.gov.cn/gongkai".into();
        assert_eq!(c.base_path(), "/gongkai/");
        assert_eq!(c.absolute_base(), "https://www.example.gov.cn/gongkai/");
        c.base_url = "http://[::1]:8000".into();
        assert_eq!(c.base_path(), "/");
    }
}
