//! Units across plans: one page per office (all its spellings in one
//! jurisdiction) and per group label, with the tasks that name it; a group's
//! declared members share its tasks ([`crate::office`] reads the names).

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::lock::UrlLock;
use crate::model::{Plan, Role, TaskRef, Unit, UnitKind};
use crate::office::{jurisdiction_key, read_name};
use crate::slug::slugify;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::{BTreeMap, BTreeSet};

/// (jurisdiction key, unit key).
pub(super) type UnitKey = (String, String);

/// How printed names resolve to units, for the whole site: the config's aliases,
/// names kept apart, group members, and the parenthesized second names printed in
/// the plans.
pub(super) struct Naming {
    /// Config aliases: jurisdiction → alias key → office key.
    aliases: ByJurisdiction<String>,
    /// Config: jurisdiction → folded names kept apart.
    separate: HashMap<String, HashSet<String>>,
    /// Printed second names: jurisdiction → alias key → office key.
    learned: ByJurisdiction<String>,
    /// Config groups: (jurisdiction, group key) → members' (key, name).
    members: HashMap<UnitKey, Vec<(String, String)>>,
    /// Config: (jurisdiction, office key) → every name declared for it.
    declared: HashMap<UnitKey, Vec<String>>,
    /// Every name the plans print, read once: jurisdiction → printed name → reading
    /// (reading a name folds it and asks jieba; a site prints few distinct names
    /// many times).
    readings: HashMap<String, HashMap<String, Reading>>,
}

/// Keys by jurisdiction, then by a key within it (looked up without copying either).
type ByJurisdiction<V> = HashMap<String, HashMap<String, V>>;

/// A printed name read without the site's aliases: what [`Naming::resolve`] starts from.
struct Reading {
    /// The jurisdiction's key.
    jurisdiction: String,
    /// The name, read.
    read: crate::office::ReadName,
    /// The folded spelling (the key when the name is kept apart).
    folded: String,
}

impl Reading {
    fn new(jurisdiction: &str, printed: &str) -> Reading {
        let read = read_name(jurisdiction, printed);
        Reading {
            jurisdiction: jurisdiction_key(jurisdiction),
            folded: jurisdiction_key(&read.spelling),
            read,
        }
    }
}

/// Every (jurisdiction, printed name) of the plans, read once, in parallel.
fn read_all(plans: &[Plan]) -> HashMap<String, HashMap<String, Reading>> {
    use rayon::prelude::*;
    let mut names: BTreeSet<(&str, &str)> = BTreeSet::new();
    for plan in plans {
        for task in plan.tasks() {
            for (_, name) in task.units.iter() {
                names.insert((plan.meta.jurisdiction.as_str(), name.as_str()));
            }
        }
    }
    let read: Vec<((&str, &str), Reading)> = names
        .into_par_iter()
        .map(|(j, n)| ((j, n), Reading::new(j, n)))
        .collect();
    let mut out: HashMap<String, HashMap<String, Reading>> = HashMap::default();
    for ((j, n), r) in read {
        out.entry(j.to_string())
            .or_default()
            .insert(n.to_string(), r);
    }
    out
}

/// A printed name, resolved.
pub(super) struct Resolved {
    /// The unit.
    pub(super) key: UnitKey,
    /// The name as printed, without a parenthesized part.
    pub(super) spelling: String,
    /// A printed second name.
    pub(super) alias: Option<String>,
    /// A remark on this assignment.
    pub(super) note: Option<String>,
    /// True for a group label.
    pub(super) group: bool,
}

impl Naming {
    /// The naming of a site: the config, and the second names all plans print.
    pub(super) fn new(config: &Config, plans: &[Plan]) -> Naming {
        let mut naming = Naming {
            aliases: HashMap::default(),
            separate: HashMap::default(),
            learned: HashMap::default(),
            members: HashMap::default(),
            declared: HashMap::default(),
            readings: read_all(plans),
        };
        for ((j, alias), target) in config.units.alias_keys() {
            naming.aliases.entry(j).or_default().insert(alias, target);
        }
        for (j, name) in config.units.separate_names() {
            naming.separate.entry(j).or_default().insert(name);
        }
        for a in &config.units.alias {
            let key = naming.resolve_key(&a.jurisdiction, &a.name);
            let names = naming.declared.entry(key).or_default();
            names.push(a.name.clone());
            names.extend(a.aliases.iter().cloned());
        }
        for g in &config.units.group {
            let key = naming.resolve_key(&g.jurisdiction, &g.name);
            let members: Vec<(String, String)> = g
                .members
                .iter()
                .map(|m| (naming.resolve_key(&g.jurisdiction, m).1, m.clone()))
                .collect();
            naming.members.insert(key, members);
        }
        for plan in plans {
            for ((j, alias), target) in learned_aliases(&naming, plan) {
                naming
                    .learned
                    .entry(j)
                    .or_default()
                    .entry(alias)
                    .or_insert(target);
            }
        }
        naming
    }

    /// Resolves a name printed in a plan of `jurisdiction`.
    pub(super) fn resolve(&self, jurisdiction: &str, printed: &str) -> Resolved {
        self.with_reading(jurisdiction, printed, |reading| Resolved {
            key: self.key_of(reading),
            spelling: reading.read.spelling.clone(),
            alias: reading.read.alias.clone(),
            note: reading.read.note.clone(),
            group: reading.read.group,
        })
    }

    /// The key of the unit a name printed in a plan of `jurisdiction` denotes
    /// ([`Naming::resolve`]'s key, without the rest).
    pub(super) fn resolve_key(&self, jurisdiction: &str, printed: &str) -> UnitKey {
        self.with_reading(jurisdiction, printed, |reading| self.key_of(reading))
    }

    /// Calls `f` with the reading of a printed name: the one kept, else made now.
    fn with_reading<T>(
        &self,
        jurisdiction: &str,
        printed: &str,
        f: impl FnOnce(&Reading) -> T,
    ) -> T {
        match self.readings.get(jurisdiction).and_then(|m| m.get(printed)) {
            Some(reading) => f(reading),
            None => f(&Reading::new(jurisdiction, printed)),
        }
    }

    /// A reading's unit key, after the names kept apart and the aliases.
    fn key_of(&self, reading: &Reading) -> UnitKey {
        let j = &reading.jurisdiction;
        let kept_apart = self
            .separate
            .get(j)
            .is_some_and(|names| names.contains(&reading.folded));
        let mut key = if kept_apart {
            &reading.folded
        } else {
            &reading.read.key
        };
        for map in [&self.aliases, &self.learned] {
            if let Some(target) = map.get(j).and_then(|m| m.get(key)) {
                key = target;
            }
        }
        (j.clone(), key.clone())
    }

    /// The names declared for an office in the config.
    pub(super) fn declared_names(&self, key: &UnitKey) -> &[String] {
        self.declared.get(key).map_or(&[], Vec::as_slice)
    }

    /// The members declared for a group.
    pub(super) fn members_of(&self, group: &UnitKey) -> &[(String, String)] {
        self.members.get(group).map_or(&[], Vec::as_slice)
    }
}

/// The printed second names of a plan: (jurisdiction, alias key) → office key.
pub(super) fn learned_aliases(naming: &Naming, plan: &Plan) -> Vec<(UnitKey, String)> {
    let mut out = Vec::new();
    for task in plan.tasks() {
        for (_, name) in task.units.iter() {
            let r = naming.resolve(&plan.meta.jurisdiction, name);
            if let Some(alias) = &r.alias {
                let alias_key = read_name(&plan.meta.jurisdiction, alias).key;
                if alias_key != r.key.1 {
                    out.push(((r.key.0.clone(), alias_key), r.key.1.clone()));
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// One assignment of a task to a unit in a plan's share.
pub(super) struct Assignment {
    /// The task's index in its plan.
    pub(super) task: usize,
    /// The unit's role.
    pub(super) role: Role,
    /// For a member's share of a group's task: the group.
    pub(super) via: Option<UnitKey>,
    /// A remark printed with the name.
    pub(super) note: Option<String>,
}

/// One plan's share of one unit.
#[derive(Default)]
pub(super) struct UnitShare {
    /// Each time the plan prints the unit: the spelling (for the display name).
    pub(super) spellings: Vec<String>,
    /// Second names printed in parentheses.
    pub(super) aliases: Vec<String>,
    /// True for a group label.
    pub(super) group: bool,
    /// Its tasks, in order.
    pub(super) assignments: Vec<Assignment>,
}

/// A plan's share of the unit join, units in order of first appearance. A group
/// with declared members gives each member the group's tasks (`via` the group).
pub(super) fn plan_units(plan: &Plan, naming: &Naming) -> Vec<(UnitKey, UnitShare)> {
    let mut out: Vec<(UnitKey, UnitShare)> = Vec::new();
    let mut at: HashMap<UnitKey, usize> = HashMap::default();
    let mut slot = |out: &mut Vec<(UnitKey, UnitShare)>, key: &UnitKey| -> usize {
        *at.entry(key.clone()).or_insert_with(|| {
            out.push((key.clone(), UnitShare::default()));
            out.len() - 1
        })
    };
    for (ti, task) in plan.tasks().iter().enumerate() {
        for (role, name) in task.units.iter() {
            let r = naming.resolve(&plan.meta.jurisdiction, name);
            let i = slot(&mut out, &r.key);
            let share = &mut out[i].1;
            share.spellings.push(r.spelling.clone());
            share.aliases.extend(r.alias.clone());
            share.group = r.group;
            if share
                .assignments
                .iter()
                .any(|a| a.task == ti && a.via.is_none() && a.role == role)
            {
                continue;
            }
            // Named in the task itself: not also a member sharing it through a
            // group named before it.
            share
                .assignments
                .retain(|a| !(a.task == ti && a.via.is_some()));
            share.assignments.push(Assignment {
                task: ti,
                role,
                via: None,
                note: r.note.clone(),
            });
            for (member, _) in naming.members_of(&r.key) {
                let key = (r.key.0.clone(), member.clone());
                let i = slot(&mut out, &key);
                let share = &mut out[i].1;
                if !share.assignments.iter().any(|a| a.task == ti) {
                    share.assignments.push(Assignment {
                        task: ti,
                        role,
                        via: Some(r.key.clone()),
                        note: None,
                    });
                }
            }
        }
    }
    out
}

/// The name a unit is shown with: the spelling printed most often; among equals
/// the longest (the most complete), then the first in character order.
pub(super) fn display_name(counts: &BTreeMap<String, usize>) -> Option<&str> {
    counts
        .iter()
        .filter(|(_, n)| **n > 0)
        .max_by(|a, b| {
            a.1.cmp(b.1)
                .then_with(|| a.0.chars().count().cmp(&b.0.chars().count()))
                .then_with(|| b.0.cmp(a.0))
        })
        .map(|(s, _)| s.as_str())
}

/// A unit's other names: every other spelling printed, second names printed in
/// parentheses, and names declared in the config; sorted, each once.
pub(super) fn other_names(
    display: &str,
    counts: &BTreeMap<String, usize>,
    printed_aliases: &BTreeMap<String, usize>,
    declared: &[String],
) -> Vec<String> {
    let mut names: BTreeSet<&str> = counts
        .iter()
        .chain(printed_aliases)
        .filter(|(_, n)| **n > 0)
        .map(|(s, _)| s.as_str())
        .collect();
    names.extend(declared.iter().map(String::as_str));
    names.remove(display);
    names.into_iter().map(str::to_string).collect()
}

/// The joined units, with what the preview needs to patch them.
pub(super) struct Units {
    /// Units sorted by URL.
    pub(super) units: Vec<Unit>,
    /// Index in `units` by key.
    pub(super) index: HashMap<UnitKey, usize>,
    /// Per unit: how often each spelling is printed.
    pub(super) spellings: Vec<BTreeMap<String, usize>>,
    /// Per unit: how often each second name is printed.
    pub(super) aliases: Vec<BTreeMap<String, usize>>,
}

/// One unit being joined.
struct Building {
    jurisdiction: String,
    kind: UnitKind,
    spellings: BTreeMap<String, usize>,
    aliases: BTreeMap<String, usize>,
    refs: Vec<(usize, Assignment)>,
    /// A member office no plan names: its name from the config.
    declared_name: Option<String>,
}

/// A unit joined: its key, the unit (its tasks not yet referenced), its spelling
/// and second-name counts, and its assignments by plan.
type Built = (
    UnitKey,
    Unit,
    BTreeMap<String, usize>,
    BTreeMap<String, usize>,
    Vec<(usize, Assignment)>,
);

/// Joins the units of all plans; URLs from the lock (new ones added to it).
pub(super) fn collect_units(
    plans: &[Plan],
    naming: &Naming,
    lock: &mut UrlLock,
    warnings: &mut Vec<Diagnostic>,
) -> Units {
    let shares: Vec<Vec<(UnitKey, UnitShare)>> = {
        use rayon::prelude::*;
        plans.par_iter().map(|p| plan_units(p, naming)).collect()
    };
    let mut found: BTreeMap<UnitKey, Building> = BTreeMap::new();
    for (pi, (plan, share)) in plans.iter().zip(shares).enumerate() {
        for (key, s) in share {
            let b = found.entry(key.clone()).or_insert_with(|| Building {
                jurisdiction: plan.meta.jurisdiction.clone(),
                kind: UnitKind::Office,
                spellings: BTreeMap::new(),
                aliases: BTreeMap::new(),
                refs: Vec::new(),
                declared_name: None,
            });
            if s.group {
                b.kind = UnitKind::Group;
            }
            for sp in s.spellings {
                *b.spellings.entry(sp).or_insert(0) += 1;
            }
            for a in s.aliases {
                *b.aliases.entry(a).or_insert(0) += 1;
            }
            if b.spellings.is_empty() && b.declared_name.is_none() {
                b.declared_name = naming
                    .members
                    .values()
                    .flatten()
                    .find(|(k, _)| *k == key.1)
                    .map(|(_, n)| n.clone());
            }
            b.refs.extend(s.assignments.into_iter().map(|a| (pi, a)));
        }
    }
    // Names and URLs.
    let mut names: BTreeMap<UnitKey, String> = BTreeMap::new();
    for (key, b) in &found {
        let name = display_name(&b.spellings)
            .map(str::to_string)
            .or_else(|| b.declared_name.clone())
            .unwrap_or_else(|| key.1.clone());
        names.insert(key.clone(), name);
    }
    let mut jurisdictions: BTreeMap<String, (String, String)> = BTreeMap::new();
    for b in found.values() {
        let j = jurisdiction_key(&b.jurisdiction);
        jurisdictions
            .entry(j)
            .or_insert_with(|| (slugify(&b.jurisdiction), b.jurisdiction.clone()));
    }
    let jurisdiction_slugs = crate::lock::assign(
        &mut lock.jurisdictions,
        jurisdictions,
        &crate::t!("noun-jurisdiction"),
        warnings,
    );
    let wanted: BTreeMap<String, (String, String)> = names
        .iter()
        .map(|(key, name)| {
            (
                format!("{}/{}", key.0, key.1),
                (
                    format!("{}/{}", jurisdiction_slugs[&key.0], slugify(name)),
                    name.clone(),
                ),
            )
        })
        .collect();
    let paths = crate::lock::assign(&mut lock.units, wanted, &crate::t!("noun-unit"), warnings);
    let mut built: Vec<Built> = Vec::new();
    for (key, b) in found {
        let name = names[&key].clone();
        let declared = naming.declared.get(&key).map_or(&[][..], Vec::as_slice);
        let unit = Unit {
            aliases: other_names(&name, &b.spellings, &b.aliases, declared),
            name,
            jurisdiction: b.jurisdiction,
            kind: b.kind,
            members: Vec::new(),
            groups: Vec::new(),
            url: format!("units/{}/", paths[&format!("{}/{}", key.0, key.1)]),
            tasks: Vec::new(),
        };
        built.push((key, unit, b.spellings, b.aliases, b.refs));
    }
    built.sort_by(|a, b| a.1.url.cmp(&b.1.url));
    let index: HashMap<UnitKey, usize> = built
        .iter()
        .enumerate()
        .map(|(i, (k, ..))| (k.clone(), i))
        .collect();
    let mut units = Vec::with_capacity(built.len());
    let mut spellings = Vec::with_capacity(built.len());
    let mut aliases = Vec::with_capacity(built.len());
    for (_, mut unit, s, a, refs) in built {
        unit.tasks = refs
            .into_iter()
            .map(|(plan, a)| to_ref(plan, a, &index))
            .collect();
        units.push(unit);
        spellings.push(s);
        aliases.push(a);
    }
    link_groups(&mut units, naming, &index);
    Units {
        units,
        index,
        spellings,
        aliases,
    }
}

/// An assignment as a task reference (its group by index).
pub(super) fn to_ref(plan: usize, a: Assignment, index: &HashMap<UnitKey, usize>) -> TaskRef {
    TaskRef {
        plan,
        task: a.task,
        role: Some(a.role),
        via: a.via.and_then(|g| index.get(&g).copied()),
        note: a.note,
    }
}

/// Records each group's members and each member's groups.
fn link_groups(units: &mut [Unit], naming: &Naming, index: &HashMap<UnitKey, usize>) {
    for (group, members) in &naming.members {
        let Some(&g) = index.get(group) else {
            continue;
        };
        for (member, _) in members {
            if let Some(&m) = index.get(&(group.0.clone(), member.clone())) {
                units[g].members.push(m);
                units[m].groups.push(g);
            }
        }
    }
    for u in units.iter_mut() {
        u.members.sort_unstable();
        u.members.dedup();
        u.groups.sort_unstable();
        u.groups.dedup();
    }
}

/// Pairs of units of one jurisdiction that are likely one office the rules did
/// not merge (one name contains the other, or they are one character apart), with
/// the line to add to `gongkai.toml` if they are.
pub fn likely_duplicates(units: &[Unit]) -> Vec<(usize, usize, String)> {
    // Offices by jurisdiction, each with its simplified name's characters: pairs
    // are compared within a jurisdiction only.
    let mut by_jurisdiction: BTreeMap<String, Vec<(usize, Vec<char>)>> = BTreeMap::new();
    for (i, u) in units.iter().enumerate() {
        if u.kind == UnitKind::Office {
            by_jurisdiction
                .entry(jurisdiction_key(&u.jurisdiction))
                .or_default()
                .push((i, crate::text::to_simplified(&u.name).chars().collect()));
        }
    }
    let mut out = Vec::new();
    for offices in by_jurisdiction.values() {
        for (x, (i, na)) in offices.iter().enumerate() {
            for (j, nb) in offices.iter().skip(x + 1) {
                let (short, long) = if na.len() <= nb.len() {
                    (na, nb)
                } else {
                    (nb, na)
                };
                let contained =
                    short.len() >= 3 && long.windows(short.len()).any(|w| w == &short[..]);
                let one_apart = na.len() == nb.len()
                    && na.len() >= 4
                    && na.iter().zip(nb).filter(|(p, q)| p != q).count() == 1;
                if contained || one_apart {
                    let (a, b) = (&units[*i], &units[*j]);
                    let line = format!(
                        "[[units.alias]]\njurisdiction = {:?}\nname = {:?}\naliases = [{:?}]",
                        a.jurisdiction, a.name, b.name
                    );
                    out.push((*i, *j, line));
                }
            }
        }
    }
    out.sort_by_key(|(i, j, _)| (*i, *j));
    out
}
