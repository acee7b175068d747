//! The site model follows the files: changed plans are patched in one by one
//! when no URL or order moves ([`Site::patch`]), else the whole site is joined
//! again.

use super::sources::Sources;
use crate::build::Outcome;
use crate::config::Config;
use crate::model::Plan;
use crate::site::{Patch, Site};
use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

/// The site model of the current plan files, and what it was joined from.
pub(super) struct JoinedSite {
    /// The site.
    pub(super) site: Site,
    /// Plan file → hash of the text its plan was parsed from.
    pub(super) hashes: HashMap<PathBuf, u64>,
    /// Hash of the config text the site was joined with.
    pub(super) config: u64,
}

/// How the site model followed the changed plans.
pub(super) enum Change {
    /// Plans patched in place.
    Patched(Vec<Patch>),
    /// The site was joined again; the slugs of the plans changed, added or removed.
    Rejoined(BTreeSet<String>),
}

/// Brings the joined site up to date with the files: plan by plan when each
/// changed plan can be patched in, else by joining all plans again.
pub(super) fn join(
    joined: &mut Option<JoinedSite>,
    sources: &mut Sources,
    lock: &mut crate::lock::UrlLock,
    config: Config,
    config_hash: u64,
    present: &[(PathBuf, String)],
    outcome: &mut Outcome,
) -> Change {
    let hashes: HashMap<PathBuf, u64> = present
        .iter()
        .map(|(path, _)| (path.clone(), sources.files[path].hash))
        .collect();
    let old = joined.take();
    let mut new_plans: Vec<Plan> = Vec::new();
    for (path, _) in present {
        if old
            .as_ref()
            .is_none_or(|m| m.hashes.get(path) != Some(&hashes[path]))
        {
            new_plans.extend(sources.files.get_mut(path).and_then(|s| s.parsed.take()));
        }
    }
    let same_files = old.as_ref().is_some_and(|m| {
        m.config == config_hash
            && m.hashes.len() == hashes.len()
            && m.hashes.keys().all(|p| hashes.contains_key(p))
    });
    let (old_site, mut changed) = match old {
        Some(mut m) if same_files => {
            let mut patches = Vec::new();
            let mut left = Vec::new();
            for plan in new_plans {
                match m.site.patch(plan) {
                    Ok(p) => patches.push(p),
                    Err(plan) => left.push(*plan),
                }
            }
            if left.is_empty() {
                *joined = Some(JoinedSite {
                    site: m.site,
                    hashes,
                    config: config_hash,
                });
                return Change::Patched(patches);
            }
            new_plans = left;
            let patched: BTreeSet<String> = patches
                .iter()
                .map(|p| m.site.plans[p.plan].slug.clone())
                .collect();
            (Some(m.site), patched)
        }
        other => (other.map(|m| m.site), BTreeSet::new()),
    };
    // Join again: the old model's plans that are still there and unchanged, and
    // the new parses.
    let present_slugs: BTreeSet<&str> = present.iter().map(|(_, s)| s.as_str()).collect();
    let replaced: BTreeSet<String> = new_plans.iter().map(|p| p.slug.clone()).collect();
    let mut plans = Vec::new();
    for p in old_site.map(Site::into_plans).unwrap_or_default() {
        if !present_slugs.contains(p.slug.as_str()) {
            changed.insert(p.slug);
        } else if !replaced.contains(&p.slug) {
            plans.push(p);
        }
    }
    changed.extend(replaced);
    plans.extend(new_plans);
    let (site, warnings) = Site::new(config, plans, lock);
    outcome.diagnostics.extend(warnings);
    *joined = Some(JoinedSite {
        site,
        hashes,
        config: config_hash,
    });
    Change::Rejoined(changed)
}
