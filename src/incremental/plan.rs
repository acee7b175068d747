//! What an update must render: the pages that show what changed, decided from the
//! change, the theme and config inputs, and what the output holds.

use super::join::Change;
use super::sources::hash;
use crate::layout::{Page, all_pages, listing_pages, pages_of_template};
use crate::model::{Category, PlanMeta, TaskRef, Unit};
use crate::site::Site;
use crate::theme::Theme;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// What the output holds, as of the last good update.
pub(super) struct Published {
    pub(super) inputs: Inputs,
    /// Plan slug → unit and category URLs its tasks appear on.
    pub(super) touches: BTreeMap<String, BTreeSet<String>>,
    /// What the site-wide pages list (plans, units, categories and their counts).
    pub(super) listing: u64,
    /// Category URL → how many plans it holds (plan pages show it).
    pub(super) category_plans: BTreeMap<String, usize>,
}

/// The pages one update renders, and what it learned deciding them.
pub(super) struct RenderPlan {
    /// The pages to render, sorted, each once.
    pub(super) pages: Vec<Page>,
    /// True when every page is rendered.
    pub(super) full: bool,
    /// After a join: each plan's unit and category URLs, found again.
    pub(super) rejoined_touches: Option<BTreeMap<String, BTreeSet<String>>>,
    /// The fingerprint of what the site-wide pages list.
    pub(super) listing: u64,
    /// Slugs of the plans whose pages and exports changed (`None`: all of them).
    pub(super) changed_plans: Option<BTreeSet<String>>,
    /// Category URL → how many plans it holds.
    pub(super) category_plans: BTreeMap<String, usize>,
}

impl RenderPlan {
    /// Decides the pages: everything when the output is behind, when a change of
    /// theme or config touches more than page templates, or when a join moved the
    /// URLs of unchanged plans' units or categories; else the changed plans' pages,
    /// the unit and category pages that show their tasks, the pages of changed
    /// templates and, when the listing changed, the site-wide pages.
    pub(super) fn decide(
        site: &Site,
        change: &Change,
        was_behind: bool,
        inputs: &Inputs,
        published: Option<&Published>,
    ) -> RenderPlan {
        // A changed page template re-renders the pages made with it; any other change
        // of theme or config (base layout, components, assets, settings) everything.
        let template_pages: Option<Vec<Page>> = match published {
            Some(p) if p.inputs.settings == inputs.settings => inputs
                .templates
                .iter()
                .filter(|(n, h)| p.inputs.templates.get(*n) != Some(h))
                .map(|(n, _)| pages_of_template(n, site))
                .collect::<Option<Vec<_>>>()
                .map(|v| v.concat()),
            _ => None,
        };
        // After a patch the plans' touches are updated at the end; after a join all
        // are found again, and a change that moved URLs of unchanged plans' units or
        // categories renders everything.
        let rejoined_touches = match change {
            Change::Patched(_) => None,
            Change::Rejoined(_) => Some(all_touches(site)),
        };
        let moved = match (change, &rejoined_touches, published) {
            (Change::Rejoined(changed), Some(touches), Some(p)) => touches
                .iter()
                .any(|(slug, urls)| !changed.contains(slug) && p.touches.get(slug) != Some(urls)),
            _ => false,
        };
        let listing = match (change, published) {
            (Change::Patched(patches), Some(p)) if !patches.iter().any(|p| p.listing_changed) => {
                p.listing
            }
            _ => listing_fingerprint(site),
        };
        let full = was_behind || moved || template_pages.is_none();
        let category_plans: Vec<usize> = site
            .categories
            .iter()
            .map(|c| {
                let mut plans: Vec<usize> = c.tasks.iter().map(|t| t.plan).collect();
                plans.dedup();
                plans.len()
            })
            .collect();
        let mut pages: Vec<Page> = match (template_pages, published) {
            (Some(template_pages), Some(previous)) if !full => {
                let mut pages = template_pages;
                if previous.listing != listing {
                    pages.extend(listing_pages(site));
                }
                let after = rejoined_touches.as_ref().unwrap_or(&previous.touches);
                pages.extend(changed_pages(site, change, &previous.touches, after));
                // A plan page shows how many plans each of its categories holds.
                for (c, cat) in site.categories.iter().enumerate() {
                    if previous.category_plans.get(&cat.url) != Some(&category_plans[c]) {
                        let mut plans: Vec<usize> = cat.tasks.iter().map(|t| t.plan).collect();
                        plans.dedup();
                        pages.extend(plans.into_iter().map(Page::Plan));
                    }
                }
                pages
            }
            _ => all_pages(site),
        };
        pages.sort_unstable();
        pages.dedup();
        let changed_plans = match change {
            _ if full => None,
            Change::Patched(p) => Some(p.iter().map(|p| site.plans[p.plan].slug.clone()).collect()),
            Change::Rejoined(slugs) => Some(slugs.clone()),
        };
        RenderPlan {
            pages,
            full,
            rejoined_touches,
            listing,
            changed_plans,
            category_plans: site
                .categories
                .iter()
                .zip(category_plans)
                .map(|(c, n)| (c.url.clone(), n))
                .collect(),
        }
    }
}

/// The pages that show what changed: the changed plans' pages and, after a patch,
/// the unit and category pages it names; after a join, every unit and category
/// page a changed plan appears on, before or after.
fn changed_pages(
    site: &Site,
    change: &Change,
    before: &BTreeMap<String, BTreeSet<String>>,
    after: &BTreeMap<String, BTreeSet<String>>,
) -> Vec<Page> {
    let mut pages = Vec::new();
    match change {
        Change::Patched(patches) => {
            for p in patches {
                pages.extend(crate::layout::plan_pages(p.plan));
                pages.extend(p.units.iter().flat_map(|&u| crate::layout::unit_pages(u)));
                pages.extend(p.categories.iter().map(|&c| Page::Category(c)));
            }
        }
        Change::Rejoined(changed) => {
            let mut urls: BTreeSet<&String> = BTreeSet::new();
            for slug in changed {
                urls.extend(before.get(slug).into_iter().flatten());
                urls.extend(after.get(slug).into_iter().flatten());
            }
            pages.extend(
                (0..site.plans.len())
                    .filter(|&i| changed.contains(&site.plans[i].slug))
                    .flat_map(crate::layout::plan_pages),
            );
            pages.extend(
                (0..site.units.len())
                    .filter(|&i| urls.contains(&site.units[i].url))
                    .flat_map(crate::layout::unit_pages),
            );
            pages.extend(
                (0..site.categories.len())
                    .filter(|&i| urls.contains(&site.categories[i].url))
                    .map(Page::Category),
            );
        }
    }
    pages
}

/// A hash of everything the site-wide pages show: each plan's summary, each unit's
/// name, URL and tasks by role, each category's title, URL and tasks. Destructured
/// without `..`: a field added to the model must be decided on here.
pub(super) fn listing_fingerprint(site: &Site) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    for p in &site.plans {
        let PlanMeta {
            title,
            issuer,
            year,
            doc_number,
            published,
            source,
            jurisdiction,
        } = &p.meta;
        (
            &p.slug,
            title,
            issuer,
            year,
            doc_number,
            published,
            source,
            jurisdiction,
        )
            .hash(&mut h);
        (p.lang, p.tasks().len()).hash(&mut h);
    }
    for u in &site.units {
        let Unit {
            name,
            jurisdiction,
            kind,
            aliases,
            members,
            groups,
            url,
            tasks,
        } = u;
        (name, jurisdiction, kind, aliases, members, groups, url).hash(&mut h);
        for TaskRef {
            plan,
            task,
            role,
            via,
            note,
        } in tasks
        {
            (plan, task, role.map(|r| r as u8), via, note).hash(&mut h);
        }
    }
    site.redirects.hash(&mut h);
    for c in &site.categories {
        let Category {
            title,
            slug,
            url,
            headings,
            tasks,
        } = c;
        (title, slug, url, headings).hash(&mut h);
        for TaskRef {
            plan,
            task,
            role: _,
            via: _,
            note: _,
        } in tasks
        {
            (plan, task).hash(&mut h);
        }
    }
    h.finish()
}

/// For each plan, the unit and category URLs its tasks appear on.
pub(super) fn all_touches(site: &Site) -> BTreeMap<String, BTreeSet<String>> {
    (0..site.plans.len())
        .into_par_iter()
        .map(|i| (site.plans[i].slug.clone(), site.plan_touches(i)))
        .collect()
}

/// The theme and config a build used: one hash for config, assets and the set of
/// template names, and one per template.
pub(super) struct Inputs {
    /// The config, the static files and the set of template names.
    pub(super) settings: u64,
    /// Each template's text, by name.
    pub(super) templates: BTreeMap<String, u64>,
}

impl Inputs {
    /// The inputs of a theme and config text.
    pub(super) fn of(theme: &Theme, config: Option<&str>) -> Inputs {
        let mut bytes: Vec<u8> = config.unwrap_or("").as_bytes().to_vec();
        for name in theme.templates.keys() {
            bytes.extend(name.as_bytes());
        }
        for (name, data) in &theme.statics {
            bytes.extend(name.as_bytes());
            bytes.extend(data);
        }
        let templates = theme
            .templates
            .iter()
            .map(|(n, t)| (n.clone(), hash(t.as_bytes())))
            .collect();
        Inputs {
            settings: hash(&bytes),
            templates,
        }
    }
}
