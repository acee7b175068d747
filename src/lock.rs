//! `gongkai.lock`: the URLs the site has published, kept beside `content/` (like
//! `Cargo.lock`, it belongs in version control). A unit, jurisdiction or
//! category keeps the URL it was first published under; when a newcomer's slug
//! collides with a published one, only the newcomer gets a suffix. A key that no
//! longer names anything keeps its entry, so that its old URL can redirect.

use crate::diagnostics::Diagnostic;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The lock file's name, in the site folder.
pub const LOCK_FILE: &str = "gongkai.lock";

/// The published URLs, by key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UrlLock {
    /// Jurisdiction key → its slug.
    #[serde(default)]
    pub jurisdictions: BTreeMap<String, String>,
    /// `jurisdiction key/unit key` → the unit's URL path after `units/`.
    #[serde(default)]
    pub units: BTreeMap<String, String>,
    /// Category key → its slug.
    #[serde(default)]
    pub categories: BTreeMap<String, String>,
}

/// The lock file as written, each value with its place (to point at a bad one).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLock {
    #[serde(default)]
    jurisdictions: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    units: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    categories: BTreeMap<String, Spanned<String>>,
}

/// Longest slug the lock may record: a slug and the suffix [`assign`] gives.
const MAX_LOCKED_SLUG: usize = crate::slug::MAX_SLUG + 7;

/// True when `value` is `parts` slugs joined by `/`: each of lowercase ASCII
/// letters, digits and inner hyphens, at most [`MAX_LOCKED_SLUG`] bytes — what
/// gongkai writes, and nothing a path could climb out with.
fn is_slug_path(value: &str, parts: usize) -> bool {
    let pieces: Vec<&str> = value.split('/').collect();
    pieces.len() == parts
        && pieces.iter().all(|p| {
            !p.is_empty()
                && p.len() <= MAX_LOCKED_SLUG
                && !p.starts_with('-')
                && !p.ends_with('-')
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
}

const HEADER: &str = "# URLs this site has published, written by gongkai. Keep this file with the\n\
# site (in version control): a page keeps its URL when other content is added.\n\
# 本文件记录已发布的网址，请与站点内容一起保存，新增内容时已有页面的网址保持不变。\n\n";

/// The size and modification time of a site's lock file (`None` when there is
/// none): a lock kept in memory is read again only when these change.
pub fn file_stamp(site_root: &Path) -> Option<(u64, std::time::SystemTime)> {
    let meta = std::fs::metadata(site_root.join(LOCK_FILE)).ok()?;
    Some((meta.len(), meta.modified().ok()?))
}

impl UrlLock {
    /// Reads the site's lock file (none: empty). Every value must be a slug (a
    /// unit's: two, `jurisdiction/unit`), since it becomes a path in the output
    /// folder: a value like `../../x` is an error at its line, never a write
    /// outside it. On an error at a place, the file's text goes into `sources`.
    pub fn load(
        site_root: &Path,
        sources: &mut BTreeMap<PathBuf, String>,
    ) -> Result<UrlLock, Diagnostic> {
        let path = site_root.join(LOCK_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(UrlLock::default()),
            Err(e) => {
                return Err(Diagnostic::global(crate::t!(
                    "io-read",
                    path = path.display().to_string(),
                    error = e.to_string()
                )));
            }
        };
        let shown = Path::new(LOCK_FILE);
        let located = |span: Option<std::ops::Range<usize>>, message: String, hint: String| {
            let d = match span {
                Some(span) => Diagnostic::error(shown, span, message),
                None => Diagnostic::global(message),
            };
            d.with_hint(hint)
        };
        let raw: Result<RawLock, Diagnostic> = toml::from_str(&text).map_err(|e| {
            located(
                e.span(),
                crate::t!(
                    "lock-damaged",
                    file = LOCK_FILE,
                    detail = e.message().trim().to_string()
                ),
                crate::t!("lock-damaged-hint"),
            )
        });
        let checked = raw.and_then(|raw| {
            let slugs = |table: BTreeMap<String, Spanned<String>>, parts: usize| {
                table
                    .into_iter()
                    .map(|(key, value)| {
                        let span = value.span();
                        let value = value.into_inner();
                        if is_slug_path(&value, parts) {
                            Ok((key, value))
                        } else {
                            Err(located(
                                Some(span),
                                crate::t!(
                                    "lock-not-a-slug",
                                    key = key.as_str(),
                                    value = value.as_str()
                                ),
                                crate::t!("lock-not-a-slug-hint", parts = parts),
                            ))
                        }
                    })
                    .collect::<Result<BTreeMap<_, _>, _>>()
            };
            Ok(UrlLock {
                jurisdictions: slugs(raw.jurisdictions, 1)?,
                units: slugs(raw.units, 2)?,
                categories: slugs(raw.categories, 1)?,
            })
        });
        if checked.as_ref().is_err_and(|d| d.path.is_some()) {
            sources.insert(shown.to_path_buf(), text);
        }
        checked
    }

    /// How many URLs it records. Entries are only ever added ([`assign`]), so an
    /// unchanged count means an unchanged lock.
    pub fn entries(&self) -> usize {
        self.jurisdictions.len() + self.units.len() + self.categories.len()
    }

    /// Writes the lock file when it differs from what is on disk.
    pub fn save(&self, site_root: &Path) -> std::io::Result<()> {
        let text = format!(
            "{HEADER}{}",
            toml::to_string(self).expect("string maps serialize")
        );
        let path = site_root.join(LOCK_FILE);
        if std::fs::read_to_string(&path).is_ok_and(|old| old == text) {
            return Ok(());
        }
        crate::output::write_atomically(&path, text.as_bytes())
    }
}

/// Assigns slugs to keys: a key in `recorded` keeps its slug; a new key gets
/// `wanted` (key → (slug, name)), with the name's fingerprint appended when the
/// slug is taken. Returns each key's slug and the entries added to `recorded`.
pub fn assign(
    recorded: &mut BTreeMap<String, String>,
    wanted: BTreeMap<String, (String, String)>,
    what: &str,
    warnings: &mut Vec<Diagnostic>,
) -> BTreeMap<String, String> {
    let mut taken: BTreeSet<String> = recorded.values().cloned().collect();
    let mut out = BTreeMap::new();
    for (key, (slug, name)) in wanted {
        if let Some(s) = recorded.get(&key) {
            out.insert(key, s.clone());
            continue;
        }
        let slug = if taken.contains(&slug) {
            let suffixed = format!("{slug}-{}", crate::slug::fingerprint(&key));
            warnings.push(Diagnostic {
                severity: crate::diagnostics::Severity::Warning,
                ..Diagnostic::global(crate::t!(
                    "lock-taken",
                    what = what,
                    name = name.as_str(),
                    slug = slug.as_str(),
                    given = suffixed.as_str()
                ))
            });
            suffixed
        } else {
            slug
        };
        taken.insert(slug.clone());
        recorded.insert(key.clone(), slug.clone());
        out.insert(key, slug);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_slugs_are_locked_values() {
        for good in ["zhong-shan-shi", "a1", "jia-3f2a1b"] {
            assert!(is_slug_path(good, 1), "{good}");
        }
        assert!(is_slug_path("zhong-shan-shi/cai-zheng-ju", 2));
        for bad in [
            "../../../victim",
            "..",
            ".",
            "",
            "a/b",
            "-a",
            "A",
            "a b",
            "财政",
            "a\\b",
            "/abs",
        ] {
            assert!(!is_slug_path(bad, 1), "{bad}");
        }
        for bad in [
            "peng-zhuang-ju/../../../../x",
            "a",
            "a/b/c",
            "a/",
            "/b",
            "a//b",
        ] {
            assert!(!is_slug_path(bad, 2), "{bad}");
        }
        assert!(!is_slug_path(&"a".repeat(MAX_LOCKED_SLUG + 1), 1));
    }

    #[test]
    fn a_newcomer_gets_the_suffix_and_the_published_page_keeps_its_url() {
        let mut recorded = BTreeMap::from([("甲".to_string(), "jia".to_string())]);
        let mut warnings = Vec::new();
        let wanted = BTreeMap::from([
            ("甲".to_string(), ("jia".to_string(), "甲".to_string())),
            ("钾".to_string(), ("jia".to_string(), "钾".to_string())),
        ]);
        let slugs = assign(&mut recorded, wanted, "unit", &mut warnings);
        assert_eq!(slugs["甲"], "jia");
        assert!(slugs["钾"].starts_with("jia-"), "{}", slugs["钾"]);
        assert_eq!(recorded.len(), 2);
        assert_eq!(warnings.len(), 1);
    }
}
