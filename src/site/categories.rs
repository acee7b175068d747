//! Categories across plans: sections merged by normalized title (or a synonym
//! group of the config) into one page each.

use super::with_index;
use crate::diagnostics::Diagnostic;
use crate::lock::UrlLock;
use crate::model::{Block, Category, Plan, Section, TaskRef};
use crate::slug::slugify;
use crate::text::{category_display, category_key, is_traditional};
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeMap;

/// One plan's share of one category: its printed headings and tasks.
#[derive(Default)]
pub(super) struct CategoryShare {
    /// The printed headings merged into the category.
    pub(super) headings: Vec<String>,
    /// (task index, role: none), in join order.
    pub(super) tasks: Vec<(usize, Option<crate::model::Role>)>,
}

impl CategoryShare {
    pub(super) fn refs(&self, plan: usize) -> Vec<TaskRef> {
        self.tasks
            .iter()
            .map(|&(task, role)| TaskRef {
                plan,
                task,
                role,
                via: None,
                note: None,
            })
            .collect()
    }
}

/// A merged category's title: the config's for a synonym group; else its first
/// heading printed in simplified characters (a site read in simplified Chinese
/// shows simplified titles), else its first heading.
pub(super) fn category_title(
    synonyms: &HashMap<String, (String, String)>,
    key: &str,
    headings: &[(usize, String)],
) -> String {
    if let Some((_, title)) = synonyms.get(key) {
        return title.clone();
    }
    let first = headings
        .iter()
        .find(|(_, h)| !is_traditional(h))
        .or_else(|| headings.first())
        .map(|(_, h)| h.as_str())
        .unwrap_or("");
    category_display(first)
}

/// Category synonym groups from the config: every member's key maps to the first
/// member's key and display title.
pub(super) fn synonyms(config: &crate::config::Config) -> HashMap<String, (String, String)> {
    let mut synonyms = HashMap::default();
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
    synonyms
}

/// A plan's share of the category join.
pub(super) struct PlanCategories {
    /// Category keys in order of first appearance, with the plan's share.
    pub(super) joins: Vec<(String, CategoryShare)>,
    /// The sections that hold tasks, by path, with their category key.
    pub(super) marks: Vec<(Vec<usize>, String)>,
}

/// Which categories a plan's sections join. A section holding tasks (its own or its
/// sub-sections') joins the category of its normalized title (or synonym group),
/// with all of its subtree's tasks; sections are visited depth-first, children first.
pub(super) fn plan_categories(
    synonyms: &HashMap<String, (String, String)>,
    plan: &Plan,
) -> PlanCategories {
    let mut out = PlanCategories {
        joins: Vec::new(),
        marks: Vec::new(),
    };
    walk_sections(
        &plan.sections,
        &mut Vec::new(),
        &mut 0,
        &mut |path, section, task_range| {
            if task_range.is_empty() {
                return;
            }
            let own_key = category_key(&section.title);
            let key = synonyms
                .get(&own_key)
                .map(|(k, _)| k.clone())
                .unwrap_or(own_key);
            if key.is_empty() {
                return;
            }
            let i = match out.joins.iter().position(|(k, _)| *k == key) {
                Some(i) => i,
                None => {
                    out.joins.push((key.clone(), CategoryShare::default()));
                    out.joins.len() - 1
                }
            };
            let joined = &mut out.joins[i].1;
            joined.headings.push(section.title.clone());
            for ti in task_range {
                if !joined.tasks.iter().any(|&(t, _)| t == ti) {
                    joined.tasks.push((ti, None));
                }
            }
            out.marks.push((path.to_vec(), key));
        },
    );
    out
}

pub(super) fn collect_categories(
    synonyms: &HashMap<String, (String, String)>,
    plans: &mut [Plan],
    lock: &mut UrlLock,
    warnings: &mut Vec<Diagnostic>,
) -> (Vec<Category>, HashMap<String, usize>) {
    let shares: Vec<PlanCategories> = {
        use rayon::prelude::*;
        plans
            .par_iter()
            .map(|p| plan_categories(synonyms, p))
            .collect()
    };
    let mut found: BTreeMap<String, Category> = BTreeMap::new();
    for (pi, share) in shares.iter().enumerate() {
        for (key, joined) in &share.joins {
            let cat = found.entry(key.clone()).or_insert_with(|| Category {
                title: String::new(),
                slug: String::new(),
                url: String::new(),
                headings: Vec::new(),
                tasks: Vec::new(),
            });
            cat.headings
                .extend(joined.headings.iter().map(|h| (pi, h.clone())));
            cat.tasks.extend(joined.refs(pi));
        }
    }
    for (key, cat) in found.iter_mut() {
        cat.title = category_title(synonyms, key, &cat.headings);
    }
    let slugs = crate::lock::assign(
        &mut lock.categories,
        found
            .iter()
            .map(|(k, c)| (k.clone(), (slugify(k), c.title.clone())))
            .collect(),
        &crate::t!("noun-category"),
        warnings,
    );
    for (key, cat) in found.iter_mut() {
        cat.slug = slugs[key].clone();
        cat.url = crate::layout::category_url(&cat.slug);
    }
    for (plan, share) in plans.iter_mut().zip(shares) {
        clear_categories(&mut plan.sections);
        for (path, key) in share.marks {
            section_at(&mut plan.sections, &path).category = Some(found[&key].url.clone());
        }
    }
    let mut categories: Vec<(String, Category)> = found.into_iter().collect();
    categories.sort_by(|a, b| a.1.slug.cmp(&b.1.slug));
    with_index(categories)
}

/// Forgets which category pages sections link to (before they are joined again).
pub(super) fn clear_categories(sections: &mut [Section]) {
    for s in sections {
        s.category = None;
        clear_categories(&mut s.children);
    }
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

pub(super) fn section_at<'a>(sections: &'a mut [Section], path: &[usize]) -> &'a mut Section {
    let (first, rest) = path.split_first().expect("non-empty path");
    let s = &mut sections[*first];
    if rest.is_empty() {
        s
    } else {
        section_at(&mut s.children, rest)
    }
}
