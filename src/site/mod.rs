//! The site model: plans in site order, and the unit and category views that join
//! tasks across plans. Built once from the parsed plans, the config and the lock
//! of published URLs, then patched plan by plan while previewing
//! ([`Site::patch`]).

mod categories;
mod units;

pub use units::likely_duplicates;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::lock::UrlLock;
use crate::model::{Category, Plan, Task, TaskRef, Unit};
use categories::{
    CategoryShare, PlanCategories, category_title, clear_categories, collect_categories,
    plan_categories, section_at, synonyms,
};
use rustc_hash::FxHashMap as HashMap;
use std::collections::{BTreeMap, BTreeSet};
use units::{Naming, UnitKey, display_name, learned_aliases, other_names, plan_units, to_ref};

/// Everything the renderers need.
pub struct Site {
    /// The site config.
    pub config: Config,
    /// Plans, newest first (year, then publication date, then slug).
    pub plans: Vec<Plan>,
    /// Units (offices and groups), sorted by URL.
    pub units: Vec<Unit>,
    /// Categories that hold tasks, sorted by slug.
    pub categories: Vec<Category>,
    /// Pages that moved: (old URL, new URL), site-relative, sorted.
    pub redirects: Vec<(String, String)>,
    /// How printed unit names resolve.
    naming: Naming,
    /// Index in `units` by (jurisdiction key, unit key).
    unit_index: HashMap<UnitKey, usize>,
    /// Per unit: how often each spelling is printed.
    unit_spellings: Vec<BTreeMap<String, usize>>,
    /// Per unit: how often each second name is printed.
    unit_aliases: Vec<BTreeMap<String, usize>>,
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
    /// Joins parsed plans into a site. URLs published before are taken from `lock`,
    /// new ones added to it. Returns warnings about URL collisions.
    pub fn new(
        config: Config,
        mut plans: Vec<Plan>,
        lock: &mut UrlLock,
    ) -> (Site, Vec<Diagnostic>) {
        plans.sort_by(|a, b| {
            (b.meta.year, &b.meta.published)
                .cmp(&(a.meta.year, &a.meta.published))
                .then_with(|| a.slug.cmp(&b.slug))
        });
        let synonyms = synonyms(&config);
        let naming = Naming::new(&config, &plans);
        let mut warnings = Vec::new();
        let joined = units::collect_units(&plans, &naming, lock, &mut warnings);
        let (categories, category_index) =
            collect_categories(&synonyms, &mut plans, lock, &mut warnings);
        let mut site = Site {
            config,
            plans,
            units: joined.units,
            categories,
            redirects: Vec::new(),
            naming,
            unit_index: joined.index,
            unit_spellings: joined.spellings,
            unit_aliases: joined.aliases,
            category_index,
            synonyms,
        };
        site.redirects = site.moved_pages(lock);
        (site, warnings)
    }

    /// The plans, taken back (to build a new site from them).
    pub fn into_plans(self) -> Vec<Plan> {
        self.plans
    }

    /// The unit a name printed in a plan of `jurisdiction` denotes.
    pub fn unit_index(&self, jurisdiction: &str, name: &str) -> Option<usize> {
        self.unit_index
            .get(&self.naming.resolve_key(jurisdiction, name))
            .copied()
    }

    /// The URL of the page of a unit named in a plan of the given jurisdiction.
    pub fn unit_url(&self, jurisdiction: &str, name: &str) -> Option<&str> {
        self.unit_index(jurisdiction, name)
            .map(|i| self.units[i].url.as_str())
    }

    /// A remark printed with a unit's name (`区司法局（负责区政府规章）` → its note).
    pub fn unit_note(&self, jurisdiction: &str, name: &str) -> Option<String> {
        self.naming.resolve(jurisdiction, name).note
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
        let mut out: BTreeSet<String> = plan_units(p, &self.naming)
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

    /// Pages that moved: each unit's spellings under the URLs of earlier versions
    /// (character-by-character pinyin) and under URLs recorded in the lock for keys
    /// that now name another unit; each category under its earlier slug. A URL
    /// that is a page of the site is never redirected.
    fn moved_pages(&self, lock: &UrlLock) -> Vec<(String, String)> {
        use crate::slug::legacy_slug;
        let mut taken: BTreeSet<String> = self.units.iter().map(|u| u.url.clone()).collect();
        taken.extend(self.categories.iter().map(|c| c.url.clone()));
        taken.extend(self.plans.iter().map(|p| crate::layout::plan_url(&p.slug)));
        let mut moved: BTreeMap<String, String> = BTreeMap::new();
        for u in &self.units {
            let j = legacy_slug(&u.jurisdiction);
            for name in std::iter::once(&u.name).chain(&u.aliases) {
                let old = crate::layout::unit_url(
                    &j,
                    &legacy_slug(&crate::text::strip_annotations(name)),
                );
                moved.entry(old).or_insert_with(|| u.url.clone());
            }
        }
        for (key, path) in &lock.units {
            let Some((j, name)) = key.split_once('/') else {
                continue;
            };
            let Some(&i) = self
                .unit_index
                .get(&(j.to_string(), name.to_string()))
                .or_else(|| self.unit_index.get(&self.naming.resolve_key(j, name)))
            else {
                continue;
            };
            moved
                .entry(format!("units/{path}/"))
                .or_insert_with(|| self.units[i].url.clone());
        }
        for c in &self.categories {
            let key = crate::text::category_key(&c.title);
            moved
                .entry(crate::layout::category_url(&legacy_slug(&key)))
                .or_insert_with(|| c.url.clone());
        }
        moved
            .into_iter()
            .filter(|(from, to)| from != to && !taken.contains(from))
            .collect()
    }

    /// Replaces the plan of the same slug by `plan` in place, when that keeps every
    /// URL and the site order: the plan keeps its place (year, date) and jurisdiction,
    /// and every unit and category it joins already exists, keeps a task and keeps its
    /// names. The result equals `Site::new` over the new set of plans. Otherwise the
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
            || learned_aliases(&self.naming, old) != learned_aliases(&self.naming, &plan)
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
            || self.unit_set(old) != self.unit_set(&plan);
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
            self.unit_spellings[s.unit] = s.spellings;
            self.unit_aliases[s.unit] = s.aliases;
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

    /// The units a plan names (for its summary's unit count).
    fn unit_set(&self, plan: &Plan) -> BTreeSet<UnitKey> {
        plan_units(plan, &self.naming)
            .into_iter()
            .filter(|(_, s)| !s.spellings.is_empty())
            .map(|(k, _)| k)
            .collect()
    }

    /// For each unit the old or new plan `pi` joins: the range of its task list that
    /// holds the plan's tasks, and what replaces it. `None` when a unit would appear,
    /// disappear, change its name or other names, or its jurisdiction's name.
    fn unit_splices(&self, pi: usize, plan: &Plan) -> Option<Vec<UnitSplice>> {
        let mut new: BTreeMap<usize, units::UnitShare> = BTreeMap::new();
        let shares = plan_units(plan, &self.naming);
        for (key, share) in shares {
            new.insert(*self.unit_index.get(&key)?, share);
        }
        let mut old: BTreeMap<usize, units::UnitShare> = BTreeMap::new();
        for (key, share) in plan_units(&self.plans[pi], &self.naming) {
            old.insert(self.unit_index[&key], share);
        }
        let affected: BTreeSet<usize> = new.keys().chain(old.keys()).copied().collect();
        let mut out = Vec::new();
        for u in affected {
            let unit = &self.units[u];
            let start = unit.tasks.partition_point(|r| r.plan < pi);
            let end = unit.tasks.partition_point(|r| r.plan <= pi);
            let share = new.remove(&u).unwrap_or_default();
            let before = old.remove(&u).unwrap_or_default();
            // Spelling counts without the old plan's, with the new plan's.
            let mut spellings = self.unit_spellings[u].clone();
            let mut aliases = self.unit_aliases[u].clone();
            for (counts, minus, plus) in [
                (&mut spellings, &before.spellings, &share.spellings),
                (&mut aliases, &before.aliases, &share.aliases),
            ] {
                for s in minus {
                    if let Some(n) = counts.get_mut(s) {
                        *n -= 1;
                    }
                }
                for s in plus {
                    *counts.entry(s.clone()).or_insert(0) += 1;
                }
                counts.retain(|_, n| *n > 0);
            }
            let remaining = unit.tasks.len() - (end - start) + share.assignments.len();
            if remaining == 0 {
                return None;
            }
            let name = display_name(&spellings).map(str::to_string);
            if name.as_ref().is_some_and(|n| *n != unit.name)
                || (name.is_none() && !self.unit_spellings[u].is_empty())
            {
                return None;
            }
            let declared = self.naming.declared_names(&self.unit_index_key(u)).to_vec();
            if other_names(&unit.name, &spellings, &aliases, &declared) != unit.aliases {
                return None;
            }
            if start == 0 {
                // The jurisdiction's printed name comes from the unit's first plan.
                let jurisdiction = if share.assignments.is_empty() {
                    &self.plans[unit.tasks.get(end)?.plan].meta.jurisdiction
                } else {
                    &plan.meta.jurisdiction
                };
                if *jurisdiction != unit.jurisdiction {
                    return None;
                }
            }
            let refs = share
                .assignments
                .into_iter()
                .map(|a| to_ref(pi, a, &self.unit_index))
                .collect();
            out.push(UnitSplice {
                unit: u,
                range: start..end,
                refs,
                spellings,
                aliases,
            });
        }
        Some(out)
    }

    /// The key of unit `u`.
    fn unit_index_key(&self, u: usize) -> UnitKey {
        self.unit_index
            .iter()
            .find(|(_, i)| **i == u)
            .map(|(k, _)| k.clone())
            .unwrap_or_default()
    }

    /// For each category the old or new plan `pi` joins: the ranges of its task and
    /// heading lists that hold the plan's share, and what replaces them. `None` when
    /// a category would appear, disappear or change its title.
    fn category_splices(&self, pi: usize, new: &PlanCategories) -> Option<Vec<CategorySplice>> {
        let mut by_category: BTreeMap<usize, (&String, &CategoryShare)> = BTreeMap::new();
        for (key, joined) in &new.joins {
            by_category.insert(*self.category_index.get(key)?, (key, joined));
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
            let joined = by_category.get(&c).map(|(_, j)| *j);
            let new_headings: Vec<(usize, String)> = joined
                .map(|j| j.headings.iter().map(|h| (pi, h.clone())).collect())
                .unwrap_or_default();
            // The title after the splice must be the title before.
            let mut all = cat.headings.clone();
            all.splice(headings.clone(), new_headings.clone());
            let key = crate::text::category_key(&cat.title);
            let key = self.synonyms.get(&key).map_or(key, |(k, _)| k.clone());
            if all.is_empty() || category_title(&self.synonyms, &key, &all) != cat.title {
                return None;
            }
            if joined.is_none() && tasks.len() == cat.tasks.len() {
                return None;
            }
            out.push(CategorySplice {
                category: c,
                tasks,
                headings,
                refs: joined.map(|j| j.refs(pi)).unwrap_or_default(),
                new_headings,
            });
        }
        Some(out)
    }
}

/// Where a unit's task list changes in a patch, and its spelling counts after.
struct UnitSplice {
    unit: usize,
    range: std::ops::Range<usize>,
    refs: Vec<TaskRef>,
    spellings: BTreeMap<String, usize>,
    aliases: BTreeMap<String, usize>,
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
        text_markup,
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
        text_markup,
        requirement,
        requirement_html,
        units,
        (deadline, due),
        category,
    ) == (
        &b.number,
        &b.anchor,
        &b.text,
        &b.text_markup,
        &b.requirement,
        &b.requirement_html,
        &b.units,
        (&b.deadline, &b.due),
        &b.category,
    )
}

fn same_refs(a: &[TaskRef], b: &[TaskRef]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            (x.plan, x.task, x.role, x.via, &x.note) == (y.plan, y.task, y.role, y.via, &y.note)
        })
}

/// The values of sorted (key, value) pairs, and each key's position among them.
pub(super) fn with_index<K: Eq + std::hash::Hash, V>(
    sorted: Vec<(K, V)>,
) -> (Vec<V>, HashMap<K, usize>) {
    let mut index = HashMap::with_capacity_and_hasher(sorted.len(), Default::default());
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
