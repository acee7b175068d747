//! The site model: plans in site order, and the unit and category views that join
//! tasks across plans. Built once from the parsed plans and the config, then
//! patched plan by plan while previewing ([`Site::patch`]).

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::model::Role;
use crate::model::{Block, Category, Plan, Section, Task, TaskRef, Unit};
use crate::slug::{fingerprint, slugify};
use crate::text::{category_display, category_key, strip_annotations, to_simplified, unit_key};
use std::collections::{BTreeMap, BTreeSet, HashMap};

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
    /// Index in `units` by (jurisdiction key, unit key).
    unit_index: HashMap<UnitKey, usize>,
    /// Index in `categories` by category key.
    category_index: HashMap<String, usize>,
    /// Category synonyms from the config: member key → (group key, display title).
    synonyms: HashMap<String, (String, String)>,
}

/// What [`Site::patch`] changed: the pages that show something of the new plan.
#[derive(Debug, Default)]
pub struct Patch {
    /// The plan's index in `Site::plans`.
    pub plan: usize,
    /// Units whose pages show a task (or the summary) that changed.
    pub units: BTreeSet<usize>,
    /// Categories whose pages show a task, heading (or the summary) that changed.
    pub categories: BTreeSet<usize>,
    /// True when what the site-wide pages list changed: the plan's summary, or the
    /// tasks (and roles) of a unit or category.
    pub listing_changed: bool,
}

impl Site {
    /// Joins parsed plans into a site. Returns warnings about URL collisions.
    pub fn new(config: Config, mut plans: Vec<Plan>) -> (Site, Vec<Diagnostic>) {
        plans.sort_by(|a, b| {
            (b.meta.year, &b.meta.published)
                .cmp(&(a.meta.year, &a.meta.published))
                .then_with(|| a.slug.cmp(&b.slug))
        });
        let synonyms = synonyms(&config);
        let mut warnings = Vec::new();
        let (units, unit_index) = collect_units(&plans, &mut warnings);
        let (categories, category_index) = collect_categories(&synonyms, &mut plans, &mut warnings);
        (
            Site {
                config,
                plans,
                units,
                categories,
                unit_index,
                category_index,
                synonyms,
            },
            warnings,
        )
    }

    /// The plans, taken back (to build a new site from them).
    pub fn into_plans(self) -> Vec<Plan> {
        self.plans
    }

    /// The URL of the page of a unit named in a plan of the given jurisdiction.
    pub fn unit_url(&self, jurisdiction: &str, name: &str) -> Option<&str> {
        self.unit_index
            .get(&(to_simplified(jurisdiction), unit_key(name)))
            .map(|&i| self.units[i].url.as_str())
    }

    /// Number of tasks in all plans.
    pub fn task_count(&self) -> usize {
        self.plans.iter().map(|p| p.tasks().len()).sum()
    }

    /// For each task of a plan (in `Plan::tasks` order), the titles of the merged
    /// categories it is listed under, in category order.
    pub fn task_categories(&self, plan: usize) -> Vec<Vec<&str>> {
        let plan = &self.plans[plan];
        let mut out: Vec<Vec<usize>> = vec![Vec::new(); plan.tasks().len()];
        for (key, joined) in plan_categories(&self.synonyms, plan).joins {
            let c = self.category_index[&key];
            for (t, _) in joined.tasks {
                out[t].push(c);
            }
        }
        out.into_iter()
            .map(|mut cats| {
                cats.sort_unstable();
                cats.dedup();
                cats.into_iter()
                    .map(|c| self.categories[c].title.as_str())
                    .collect()
            })
            .collect()
    }

    /// The unit and category page URLs a plan's tasks appear on.
    pub fn plan_touches(&self, plan: usize) -> BTreeSet<String> {
        let p = &self.plans[plan];
        let mut out: BTreeSet<String> = plan_units(p)
            .into_iter()
            .map(|(key, _)| self.units[self.unit_index[&key]].url.clone())
            .collect();
        out.extend(
            plan_categories(&self.synonyms, p)
                .joins
                .into_iter()
                .map(|(key, _)| self.categories[self.category_index[&key]].url.clone()),
        );
        out
    }

    /// Replaces the plan of the same slug by `plan` in place, when that keeps every
    /// URL and the site order: the plan keeps its place (year, date) and jurisdiction,
    /// and every unit and category it joins already exists, keeps a task and keeps its
    /// name. The result equals `Site::new` over the new set of plans. Otherwise the
    /// site is left as it was and the plan is handed back.
    pub fn patch(&mut self, mut plan: Plan) -> Result<Patch, Box<Plan>> {
        let Some(pi) = self.plans.iter().position(|p| p.slug == plan.slug) else {
            return Err(Box::new(plan));
        };
        let old = &self.plans[pi];
        if (old.meta.year, &old.meta.published, &old.meta.jurisdiction)
            != (
                plan.meta.year,
                &plan.meta.published,
                &plan.meta.jurisdiction,
            )
        {
            return Err(Box::new(plan));
        }
        let Some(units) = self.unit_splices(pi, &plan) else {
            return Err(Box::new(plan));
        };
        let new_categories = plan_categories(&self.synonyms, &plan);
        let Some(categories) = self.category_splices(pi, &new_categories) else {
            return Err(Box::new(plan));
        };

        // What the pages show: tasks that differ (by index), and the plan's summary.
        let old = &self.plans[pi];
        let (old_tasks, new_tasks) = (old.tasks(), plan.tasks());
        let changed_task = |t: usize| match (old_tasks.get(t), new_tasks.get(t)) {
            (Some(a), Some(b)) => !same_shown(a, b),
            _ => true,
        };
        let summary_changed = old.meta != plan.meta
            || old.lang != plan.lang
            || old_tasks.len() != new_tasks.len()
            || unit_keys_of(old_tasks) != unit_keys_of(new_tasks);
        let mut patch = Patch {
            plan: pi,
            listing_changed: summary_changed,
            ..Patch::default()
        };
        for s in &units {
            let old_refs = &self.units[s.unit].tasks[s.range.clone()];
            let shows_change = old_refs.iter().chain(&s.refs).any(|r| changed_task(r.task));
            if summary_changed || shows_change || !same_refs(old_refs, &s.refs) {
                patch.units.insert(s.unit);
            }
            patch.listing_changed |= !same_refs(old_refs, &s.refs);
        }
        for s in &categories {
            let cat = &self.categories[s.category];
            let old_refs = &cat.tasks[s.tasks.clone()];
            let old_headings = &cat.headings[s.headings.clone()];
            let shows_change = old_refs.iter().chain(&s.refs).any(|r| changed_task(r.task));
            let moved = !same_refs(old_refs, &s.refs) || *old_headings != s.new_headings[..];
            if summary_changed || shows_change || moved {
                patch.categories.insert(s.category);
            }
            patch.listing_changed |= moved;
        }

        // Splice the plan's share into each join, then swap the plan in.
        for s in units {
            self.units[s.unit].tasks.splice(s.range, s.refs);
        }
        for s in categories {
            let cat = &mut self.categories[s.category];
            cat.tasks.splice(s.tasks, s.refs);
            cat.headings.splice(s.headings, s.new_headings);
        }
        clear_categories(&mut plan.sections);
        for (path, key) in &new_categories.marks {
            let url = self.categories[self.category_index[key]].url.clone();
            section_at(&mut plan.sections, path).category = Some(url);
        }
        self.plans[pi] = plan;
        Ok(patch)
    }

    /// For each unit the old or new plan `pi` joins: the range of its task list that
    /// holds the plan's tasks, and what replaces it. `None` when a unit would appear,
    /// disappear or change its displayed name.
    fn unit_splices(&self, pi: usize, plan: &Plan) -> Option<Vec<UnitSplice>> {
        let mut new: BTreeMap<usize, (String, Vec<TaskRef>)> = BTreeMap::new();
        let shares = plan_units(plan);
        for (key, joined) in &shares {
            let u = *self.unit_index.get(key)?;
            new.insert(u, (joined.first_name.clone(), joined.refs(pi)));
        }
        let mut affected: BTreeMap<usize, String> = BTreeMap::new();
        for (key, _) in shares.into_iter().chain(plan_units(&self.plans[pi])) {
            affected.insert(self.unit_index[&key], key.1);
        }
        let mut out = Vec::new();
        for (u, key) in affected {
            let unit = &self.units[u];
            let start = unit.tasks.partition_point(|r| r.plan < pi);
            let end = unit.tasks.partition_point(|r| r.plan <= pi);
            let (first_name, refs) = new.remove(&u).unwrap_or_default();
            if start == 0 {
                // The unit's name and jurisdiction come from its first task.
                let (name, jurisdiction) = if !refs.is_empty() {
                    (first_name, &plan.meta.jurisdiction)
                } else {
                    let first = unit.tasks.get(end)?;
                    let p = &self.plans[first.plan];
                    let name = p.tasks()[first.task]
                        .units
                        .iter()
                        .map(|(_, n)| n)
                        .find(|n| unit_key(n) == key)?
                        .clone();
                    (name, &p.meta.jurisdiction)
                };
                if strip_annotations(&name) != unit.name || *jurisdiction != unit.jurisdiction {
                    return None;
                }
            }
            out.push(UnitSplice {
                unit: u,
                range: start..end,
                refs,
            });
        }
        Some(out)
    }

    /// For each category the old or new plan `pi` joins: the ranges of its task and
    /// heading lists that hold the plan's share, and what replaces them. `None` when
    /// a category would appear, disappear or change its title.
    fn category_splices(&self, pi: usize, new: &PlanCategories) -> Option<Vec<CategorySplice>> {
        let mut by_category: BTreeMap<usize, &Joined> = BTreeMap::new();
        for (key, joined) in &new.joins {
            by_category.insert(*self.category_index.get(key)?, joined);
        }
        let mut affected: BTreeSet<usize> = by_category.keys().copied().collect();
        for (key, _) in plan_categories(&self.synonyms, &self.plans[pi]).joins {
            affected.insert(self.category_index[&key]);
        }
        let mut out = Vec::new();
        for c in affected {
            let cat = &self.categories[c];
            let tasks = cat.tasks.partition_point(|r| r.plan < pi)
                ..cat.tasks.partition_point(|r| r.plan <= pi);
            let headings = cat.headings.partition_point(|(p, _)| *p < pi)
                ..cat.headings.partition_point(|(p, _)| *p <= pi);
            let joined = by_category.get(&c);
            if headings.start == 0 {
                // The title comes from the first heading merged here.
                let first = match joined {
                    Some(j) => &j.headings[0],
                    None => &cat.headings.get(headings.end)?.1,
                };
                let key = category_key(first);
                let title = match self.synonyms.get(&key) {
                    Some((_, title)) => title.clone(),
                    None => category_display(first),
                };
                if title != cat.title {
                    return None;
                }
            }
            if joined.is_none() && tasks.len() == cat.tasks.len() {
                return None;
            }
            out.push(CategorySplice {
                category: c,
                tasks,
                headings,
                refs: joined.map(|j| j.refs(pi)).unwrap_or_default(),
                new_headings: joined
                    .map(|j| j.headings.iter().map(|h| (pi, h.clone())).collect())
                    .unwrap_or_default(),
            });
        }
        Some(out)
    }
}

/// Where a unit's task list changes in a patch.
struct UnitSplice {
    unit: usize,
    range: std::ops::Range<usize>,
    refs: Vec<TaskRef>,
}

/// Where a category's task and heading lists change in a patch.
struct CategorySplice {
    category: usize,
    tasks: std::ops::Range<usize>,
    headings: std::ops::Range<usize>,
    refs: Vec<TaskRef>,
    new_headings: Vec<(usize, String)>,
}

/// True when two tasks show the same on unit and category pages (the line they
/// were written on aside). Destructured without `..`: a field added to the model
/// must be decided on here.
fn same_shown(a: &Task, b: &Task) -> bool {
    let Task {
        number,
        anchor,
        text,
        text_html,
        requirement,
        requirement_html,
        units,
        deadline,
        due,
        category,
        line: _,
    } = a;
    (
        number,
        anchor,
        text,
        text_html,
        requirement,
        requirement_html,
        units,
        (deadline, due),
        category,
    ) == (
        &b.number,
        &b.anchor,
        &b.text,
        &b.text_html,
        &b.requirement,
        &b.requirement_html,
        &b.units,
        (&b.deadline, &b.due),
        &b.category,
    )
}

fn same_refs(a: &[TaskRef], b: &[TaskRef]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| (x.plan, x.task, x.role) == (y.plan, y.task, y.role))
}

/// The distinct unit keys of a plan's tasks.
fn unit_keys_of(tasks: &[Task]) -> BTreeSet<String> {
    tasks
        .iter()
        .flat_map(|t| t.units.iter().map(|(_, n)| unit_key(n)))
        .collect()
}

/// Category synonym groups from the config: every member's key maps to the first
/// member's key and display title.
fn synonyms(config: &Config) -> HashMap<String, (String, String)> {
    let mut synonyms = HashMap::new();
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

/// (jurisdiction key, unit key).
type UnitKey = (String, String);

/// One plan's share of one unit or category: its tasks in join order.
#[derive(Default)]
struct Joined {
    /// The first name the unit is printed with in the plan (units only).
    first_name: String,
    /// The printed headings merged into the category (categories only).
    headings: Vec<String>,
    /// (task index, role), in join order.
    tasks: Vec<(usize, Option<Role>)>,
}

impl Joined {
    fn refs(&self, plan: usize) -> Vec<TaskRef> {
        self.tasks
            .iter()
            .map(|&(task, role)| TaskRef { plan, task, role })
            .collect()
    }
}

/// A plan's share of the unit join, units in order of first appearance.
fn plan_units(plan: &Plan) -> Vec<(UnitKey, Joined)> {
    let jurisdiction = to_simplified(&plan.meta.jurisdiction);
    let mut out: Vec<(UnitKey, Joined)> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    for (ti, task) in plan.tasks().iter().enumerate() {
        for (role, name) in task.units.iter() {
            let key = unit_key(name);
            let i = *at.entry(key.clone()).or_insert_with(|| {
                out.push((
                    (jurisdiction.clone(), key),
                    Joined {
                        first_name: name.clone(),
                        ..Joined::default()
                    },
                ));
                out.len() - 1
            });
            out[i].1.tasks.push((ti, Some(role)));
        }
    }
    out
}

fn collect_units(
    plans: &[Plan],
    warnings: &mut Vec<Diagnostic>,
) -> (Vec<Unit>, HashMap<UnitKey, usize>) {
    let shares: Vec<Vec<(UnitKey, Joined)>> = {
        use rayon::prelude::*;
        plans.par_iter().map(plan_units).collect()
    };
    let mut found: BTreeMap<UnitKey, Unit> = BTreeMap::new();
    for (pi, (plan, share)) in plans.iter().zip(shares).enumerate() {
        for (key, joined) in share {
            let unit = found.entry(key).or_insert_with(|| Unit {
                name: strip_annotations(&joined.first_name),
                jurisdiction: plan.meta.jurisdiction.clone(),
                url: String::new(),
                tasks: Vec::new(),
            });
            unit.tasks.extend(joined.refs(pi));
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
    for (jurisdiction, wanted) in by_jurisdiction {
        let slugs = unique_slugs(wanted, "units", warnings);
        for (key, slug) in slugs {
            found.get_mut(&key).expect("key from found").url =
                crate::layout::unit_url(&jurisdiction_slugs[&jurisdiction], &slug);
        }
    }
    let mut units: Vec<(UnitKey, Unit)> = found.into_iter().collect();
    units.sort_by(|a, b| a.1.url.cmp(&b.1.url));
    with_index(units)
}

/// The values of sorted (key, value) pairs, and each key's position among them.
fn with_index<K: Eq + std::hash::Hash, V>(sorted: Vec<(K, V)>) -> (Vec<V>, HashMap<K, usize>) {
    let mut index = HashMap::with_capacity(sorted.len());
    let values = sorted
        .into_iter()
        .enumerate()
        .map(|(i, (key, value))| {
            index.insert(key, i);
            value
        })
        .collect();
    (values, index)
}

/// A plan's share of the category join.
struct PlanCategories {
    /// Category keys in order of first appearance, with the plan's share.
    joins: Vec<(String, Joined)>,
    /// The sections that hold tasks, by path, with their category key.
    marks: Vec<(Vec<usize>, String)>,
}

/// Which categories a plan's sections join. A section holding tasks (its own or its
/// sub-sections') joins the category of its normalized title (or synonym group),
/// with all of its subtree's tasks; sections are visited depth-first, children first.
fn plan_categories(synonyms: &HashMap<String, (String, String)>, plan: &Plan) -> PlanCategories {
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
                    out.joins.push((key.clone(), Joined::default()));
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

fn collect_categories(
    synonyms: &HashMap<String, (String, String)>,
    plans: &mut [Plan],
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
                title: match synonyms.get(key) {
                    Some((_, title)) => title.clone(),
                    None => category_display(&joined.headings[0]),
                },
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
fn clear_categories(sections: &mut [Section]) {
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

fn section_at<'a>(sections: &'a mut [Section], path: &[usize]) -> &'a mut Section {
    let (first, rest) = path.split_first().expect("non-empty path");
    let s = &mut sections[*first];
    if rest.is_empty() {
        s
    } else {
        section_at(&mut s.children, rest)
    }
}
