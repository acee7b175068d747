//! The site model: plans in site order, and the unit and category views that join
//! tasks across plans. Built once from the parsed plans and the config.

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::model::{Block, Category, Plan, Section, TaskRef, Unit};
use crate::slug::{fingerprint, slugify};
use crate::text::{category_display, category_key, strip_annotations, to_simplified, unit_key};
use std::collections::{BTreeMap, HashMap};

/// Everything the renderers need.
pub struct Site {
    /// The site config.
    pub config: Config,
    /// Plans, newest first (year, then publication date, then slug).
    pub plans: Vec<Plan>,
    /// Units, sorted by jurisdiction and name slug.
    pub units: Vec<Unit>,
    /// Categories that hold tasks, sorted by slug.
    pub categories: Vec<Category>,
    /// Unit page URL by (jurisdiction key, unit key).
    unit_urls: HashMap<(String, String), String>,
}

impl Site {
    /// Joins parsed plans into a site. Returns warnings about URL collisions.
    pub fn new(config: Config, mut plans: Vec<Plan>) -> (Site, Vec<Diagnostic>) {
        plans.sort_by(|a, b| {
            (b.meta.year, &b.meta.published)
                .cmp(&(a.meta.year, &a.meta.published))
                .then_with(|| a.slug.cmp(&b.slug))
        });
        let mut warnings = Vec::new();
        let (units, unit_urls) = collect_units(&plans, &mut warnings);
        let categories = collect_categories(&config, &mut plans, &mut warnings);
        (
            Site {
                config,
                plans,
                units,
                categories,
                unit_urls,
            },
            warnings,
        )
    }

    /// The URL of the page of a unit named in a plan of the given jurisdiction.
    pub fn unit_url(&self, jurisdiction: &str, name: &str) -> Option<&str> {
        self.unit_urls
            .get(&(to_simplified(jurisdiction), unit_key(name)))
            .map(String::as_str)
    }

    /// Number of tasks in all plans.
    pub fn task_count(&self) -> usize {
        self.plans.iter().map(|p| p.tasks().len()).sum()
    }
}

/// Resolves slug collisions: every key whose slug is shared gets a fingerprint suffix.
fn unique_slugs<K: Ord + Clone>(
    wanted: Vec<(K, String, String)>,
    what: &str,
    warnings: &mut Vec<Diagnostic>,
) -> BTreeMap<K, String> {
    let mut by_slug: BTreeMap<String, Vec<(K, String)>> = BTreeMap::new();
    for (key, slug, name) in wanted {
        by_slug.entry(slug).or_default().push((key, name));
    }
    let mut out = BTreeMap::new();
    for (slug, keys) in by_slug {
        if keys.len() > 1 {
            let names: Vec<&str> = keys.iter().map(|(_, n)| n.as_str()).collect();
            warnings.push(Diagnostic {
                severity: crate::diagnostics::Severity::Warning,
                ..Diagnostic::global(format!(
                    "{what} {} share the URL slug `{slug}`; a suffix tells them apart",
                    names.join("、")
                ))
            });
        }
        let shared = keys.len() > 1;
        for (key, name) in keys {
            let s = if shared {
                format!("{slug}-{}", fingerprint(&name))
            } else {
                slug.clone()
            };
            out.insert(key, s);
        }
    }
    out
}

type UnitKey = (String, String);

fn collect_units(
    plans: &[Plan],
    warnings: &mut Vec<Diagnostic>,
) -> (Vec<Unit>, HashMap<UnitKey, String>) {
    let mut found: BTreeMap<UnitKey, Unit> = BTreeMap::new();
    for (pi, plan) in plans.iter().enumerate() {
        let jurisdiction = &plan.meta.jurisdiction;
        let jurisdiction_key = to_simplified(jurisdiction);
        for (ti, task) in plan.tasks().into_iter().enumerate() {
            for (role, name) in task.units.iter() {
                let key = (jurisdiction_key.clone(), unit_key(name));
                let unit = found.entry(key).or_insert_with(|| Unit {
                    name: strip_annotations(name),
                    jurisdiction: jurisdiction.clone(),
                    url: String::new(),
                    tasks: Vec::new(),
                });
                unit.tasks.push(TaskRef {
                    plan: pi,
                    task: ti,
                    role: Some(role),
                });
            }
        }
    }
    let mut jurisdictions: BTreeMap<String, String> = BTreeMap::new();
    for unit in found.values() {
        jurisdictions
            .entry(to_simplified(&unit.jurisdiction))
            .or_insert_with(|| unit.jurisdiction.clone());
    }
    let jurisdiction_slugs = unique_slugs(
        jurisdictions
            .into_iter()
            .map(|(k, n)| (k, slugify(&n), n))
            .collect(),
        "jurisdictions",
        warnings,
    );
    let mut by_jurisdiction: BTreeMap<String, Vec<(UnitKey, String, String)>> = BTreeMap::new();
    for (key, unit) in &found {
        by_jurisdiction.entry(key.0.clone()).or_default().push((
            key.clone(),
            slugify(&unit.name),
            unit.name.clone(),
        ));
    }
    let mut urls = HashMap::new();
    for (jurisdiction, wanted) in by_jurisdiction {
        let slugs = unique_slugs(wanted, "units", warnings);
        for (key, slug) in slugs {
            let url = format!("units/{}/{}/", jurisdiction_slugs[&jurisdiction], slug);
            found.get_mut(&key).expect("key from found").url = url.clone();
            urls.insert(key, url);
        }
    }
    let mut units: Vec<Unit> = found.into_values().collect();
    units.sort_by(|a, b| a.url.cmp(&b.url));
    (units, urls)
}

fn collect_categories(
    config: &Config,
    plans: &mut [Plan],
    warnings: &mut Vec<Diagnostic>,
) -> Vec<Category> {
    // Synonym groups from the config: every member's key maps to the first member.
    let mut synonyms: HashMap<String, (String, String)> = HashMap::new();
    for group in &config.categories.merge {
        if let Some(first) = group.first() {
            for member in group {
                synonyms.insert(
                    category_key(member),
                    (category_key(first), category_display(first)),
                );
            }
        }
    }
    let mut found: BTreeMap<String, Category> = BTreeMap::new();
    let mut assigned: Vec<Vec<(Vec<usize>, String)>> = Vec::new();
    for (pi, plan) in plans.iter().enumerate() {
        let mut next_task = 0usize;
        let mut marks = Vec::new();
        walk_sections(
            &plan.sections,
            &mut Vec::new(),
            &mut next_task,
            &mut |path, section, task_range| {
                if task_range.is_empty() {
                    return;
                }
                let own_key = category_key(&section.title);
                let (key, title) = synonyms
                    .get(&own_key)
                    .cloned()
                    .unwrap_or_else(|| (own_key, category_display(&section.title)));
                if key.is_empty() {
                    return;
                }
                let cat = found.entry(key.clone()).or_insert_with(|| Category {
                    title,
                    slug: String::new(),
                    url: String::new(),
                    headings: Vec::new(),
                    tasks: Vec::new(),
                });
                cat.headings.push((pi, section.title.clone()));
                for ti in task_range {
                    if !cat.tasks.iter().any(|t| t.plan == pi && t.task == ti) {
                        cat.tasks.push(TaskRef {
                            plan: pi,
                            task: ti,
                            role: None,
                        });
                    }
                }
                marks.push((path.to_vec(), key));
            },
        );
        assigned.push(marks);
    }
    let slugs = unique_slugs(
        found
            .iter()
            .map(|(k, c)| (k.clone(), slugify(k), c.title.clone()))
            .collect(),
        "categories",
        warnings,
    );
    for (key, cat) in found.iter_mut() {
        cat.slug = slugs[key].clone();
        cat.url = format!("categories/{}/", cat.slug);
    }
    for (plan, marks) in plans.iter_mut().zip(assigned) {
        for (path, key) in marks {
            section_at(&mut plan.sections, &path).category = Some(found[&key].url.clone());
        }
    }
    let mut categories: Vec<Category> = found.into_values().collect();
    categories.sort_by(|a, b| a.slug.cmp(&b.slug));
    categories
}

/// Called with a section's path, the section, and its subtree's task range.
type SectionVisitor<'v> = dyn FnMut(&[usize], &Section, std::ops::Range<usize>) + 'v;

/// Visits sections depth-first in document order with their path (child indices)
/// and the range of task indices (in `Plan::tasks` order) their subtree holds.
fn walk_sections(
    sections: &[Section],
    path: &mut Vec<usize>,
    next_task: &mut usize,
    f: &mut SectionVisitor,
) {
    for (i, s) in sections.iter().enumerate() {
        path.push(i);
        let start = *next_task;
        *next_task += s
            .blocks
            .iter()
            .filter(|b| matches!(b, Block::Task(_)))
            .count();
        walk_sections(&s.children, path, next_task, f);
        f(path, s, start..*next_task);
        path.pop();
    }
}

fn section_at<'a>(sections: &'a mut [Section], path: &[usize]) -> &'a mut Section {
    let (first, rest) = path.split_first().expect("non-empty path");
    let s = &mut sections[*first];
    if rest.is_empty() {
        s
    } else {
        section_at(&mut s.children, rest)
    }
}
