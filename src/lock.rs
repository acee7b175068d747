//! `gongkai.lock`: the URLs the site has published, kept beside `content/` (like
//! `Cargo.lock`, it belongs in version control). A unit, jurisdiction or
//! category keeps the URL it was first published under; when a newcomer's slug
//! collides with a published one, only the newcomer gets a suffix. A key that no
//! longer names anything keeps its entry, so that its old URL can redirect.

use crate::diagnostics::Diagnostic;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

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
    /// Reads the site's lock file (none: empty).
    pub fn load(site_root: &Path) -> Result<UrlLock, Diagnostic> {
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
        toml::from_str(&text).map_err(|e| {
            Diagnostic::global(crate::t!(
                "lock-damaged",
                file = LOCK_FILE,
                detail = e.message().trim().to_string()
            ))
            .with_hint(crate::t!("lock-damaged-hint"))
        })
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
