//! The views templates see: plans, tasks, units and categories as plain structs
//! (serialized into tera contexts), made from the site model.

use crate::layout;
use crate::model::{Category, Plan, Role, Task, TaskRef, Unit, UnitKind};
use crate::site::Site;
use serde::Serialize;

/// A plan as listed on the home, unit and category pages.
#[derive(Serialize, Clone)]
pub(crate) struct PlanSummary<'a> {
    pub(crate) slug: &'a str,
    pub(crate) href: String,
    pub(crate) url: String,
    pub(crate) title: &'a str,
    pub(crate) issuer: &'a str,
    pub(crate) jurisdiction: &'a str,
    pub(crate) year: i32,
    pub(crate) published: Option<&'a str>,
    pub(crate) doc_number: Option<&'a str>,
    pub(crate) source: Option<&'a str>,
    pub(crate) lang: &'a str,
    pub(crate) task_count: usize,
    pub(crate) unit_count: usize,
    /// RFC 3339 time for the feed.
    pub(crate) updated: String,
}

/// A unit as named on a task card: its name as printed, its page, a remark.
#[derive(Serialize, Clone)]
pub(crate) struct UnitLinkView {
    pub(crate) name: String,
    pub(crate) href: String,
    /// A remark printed with the name (`负责区政府规章`).
    pub(crate) note: Option<String>,
    /// True for a group label (shown as a group).
    pub(crate) group: bool,
}

#[derive(Serialize, Clone)]
pub(crate) struct RoleView {
    pub(crate) role: Role,
    pub(crate) label: &'static str,
    pub(crate) units: Vec<UnitLinkView>,
}

/// A task ready for templates.
#[derive(Serialize, Clone)]
pub(crate) struct TaskView<'a> {
    pub(crate) number: &'a str,
    pub(crate) anchor: &'a str,
    pub(crate) plan_slug: &'a str,
    pub(crate) href: String,
    pub(crate) text: &'a str,
    pub(crate) text_html: std::borrow::Cow<'a, str>,
    pub(crate) requirement_html: Option<&'a str>,
    pub(crate) deadline: Option<&'a str>,
    /// The date the deadline sets.
    pub(crate) due: Option<&'a str>,
    pub(crate) category: &'a [String],
    /// Its units by role and its deadline, rendered once by `task_units.html`
    /// (the same on every page that shows the task).
    pub(crate) units_html: String,
    /// On a unit's page: the remark printed with its name for this task.
    pub(crate) note: Option<String>,
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub(crate) enum BlockView<'a> {
    Prose {
        html: &'a str,
    },
    /// A list of tasks: their cards (`task.html`), rendered.
    Tasks {
        cards: Vec<String>,
    },
}

#[derive(Serialize)]
pub(crate) struct SectionView<'a> {
    pub(crate) title: &'a str,
    pub(crate) level: u8,
    pub(crate) anchor: &'a str,
    pub(crate) category_href: Option<String>,
    /// How many plans the merged category holds (its link shows when more than one).
    pub(crate) category_plans: usize,
    pub(crate) blocks: Vec<BlockView<'a>>,
    pub(crate) children: Vec<SectionView<'a>>,
}

#[derive(Serialize)]
pub(crate) struct SiteView<'a> {
    pub(crate) title: &'a str,
    pub(crate) description: &'a str,
}

#[derive(Serialize)]
pub(crate) struct PlanView<'a> {
    #[serde(flatten)]
    pub(crate) summary: PlanSummary<'a>,
    pub(crate) preamble_html: &'a str,
    pub(crate) sections: Vec<SectionView<'a>>,
}

/// A unit at the head of its page.
#[derive(Serialize)]
pub(crate) struct UnitSummary<'a> {
    /// Its row in the list of all units.
    #[serde(flatten)]
    pub(crate) row: UnitRow<'a>,
    pub(crate) jurisdiction: &'a str,
    /// Other names it is printed with.
    pub(crate) aliases: &'a [String],
    /// The URL of its ledger as CSV.
    pub(crate) csv_href: String,
    /// A group's members; an office's groups.
    pub(crate) members: Vec<UnitLinkView>,
    pub(crate) groups: Vec<UnitLinkView>,
}

/// A unit in the list of all units (`units.html`): its name, link and counts. Kept
/// small, as the list holds every unit of the site (a template's context is
/// copied into JSON values: the whole summary of 18,000 units took 50 MB).
#[derive(Serialize)]
pub(crate) struct UnitRow<'a> {
    pub(crate) name: &'a str,
    /// `office` or `group`.
    pub(crate) kind: UnitKind,
    pub(crate) href: String,
    pub(crate) task_count: usize,
    pub(crate) lead: usize,
    pub(crate) responsible: usize,
    pub(crate) cooperating: usize,
    /// Tasks shared through its groups.
    pub(crate) shared: usize,
}

/// One row of a ledger (台账): a task as an office (or a plan) must do it.
#[derive(Serialize)]
pub(crate) struct LedgerRow<'a> {
    pub(crate) number: &'a str,
    pub(crate) text: &'a str,
    pub(crate) href: String,
    /// `lead`, `responsible`, `cooperating` or `shared` (unit ledgers).
    pub(crate) role: &'static str,
    /// 牵头 / 负责 / 配合 / 共同（组名）, or every unit by role (plan ledgers).
    pub(crate) role_label: String,
    pub(crate) deadline: Option<&'a str>,
    pub(crate) due: Option<&'a str>,
    pub(crate) plan_title: &'a str,
    pub(crate) plan_href: String,
    pub(crate) year: i32,
    pub(crate) category: String,
}

#[derive(Serialize)]
pub(crate) struct JurisdictionView<'a> {
    pub(crate) name: &'a str,
    pub(crate) lang: &'a str,
    pub(crate) units: Vec<UnitRow<'a>>,
}

/// A unit's tasks in one plan with one role (or shared through one group).
#[derive(Serialize)]
pub(crate) struct RoleGroup {
    /// Lead, responsible, cooperating, then each group.
    #[serde(skip)]
    pub(crate) order: usize,
    /// True for tasks shared through a group.
    pub(crate) shared: bool,
    pub(crate) heading: String,
    /// The tasks' cards (`task.html`), rendered.
    pub(crate) cards: Vec<String>,
}

#[derive(Serialize)]
pub(crate) struct UnitGroup<'a> {
    pub(crate) plan: PlanSummary<'a>,
    pub(crate) roles: Vec<RoleGroup>,
}

#[derive(Serialize)]
pub(crate) struct CategorySummary<'a> {
    pub(crate) title: &'a str,
    pub(crate) href: String,
    pub(crate) plan_count: usize,
    pub(crate) task_count: usize,
}

#[derive(Serialize)]
pub(crate) struct CategoryGroup<'a> {
    pub(crate) plan: PlanSummary<'a>,
    pub(crate) headings: Vec<&'a str>,
    /// The tasks' cards (`task.html`), rendered.
    pub(crate) cards: Vec<String>,
}

pub(crate) fn summarize<'a>(site: &Site, plan: &'a Plan, base: &str) -> PlanSummary<'a> {
    let tasks = plan.tasks();
    let mut units = std::collections::BTreeSet::new();
    for t in tasks {
        for (_, name) in t.units.iter() {
            units.extend(site.unit_index(&plan.meta.jurisdiction, name));
        }
    }
    let date = plan
        .meta
        .published
        .clone()
        .unwrap_or_else(|| format!("{:04}-01-01", plan.meta.year));
    PlanSummary {
        slug: &plan.slug,
        href: [base, &layout::plan_url(&plan.slug)].concat(),
        url: layout::plan_url(&plan.slug),
        title: &plan.meta.title,
        issuer: &plan.meta.issuer,
        jurisdiction: &plan.meta.jurisdiction,
        year: plan.meta.year,
        published: plan.meta.published.as_deref(),
        doc_number: plan.meta.doc_number.as_deref(),
        source: plan.meta.source.as_deref(),
        lang: plan.lang,
        task_count: tasks.len(),
        unit_count: units.len(),
        updated: format!("{date}T00:00:00Z"),
    }
}

/// What `task_units.html` shows of a task: its units by role and its deadline.
#[derive(Serialize)]
pub(crate) struct TaskUnitsView<'a> {
    pub(crate) roles: Vec<RoleView>,
    pub(crate) deadline: Option<&'a str>,
    /// The date the deadline sets.
    pub(crate) due: Option<&'a str>,
}

pub(crate) fn task_units<'a>(
    site: &Site,
    plan: &'a Plan,
    task: &'a Task,
    base: &str,
) -> TaskUnitsView<'a> {
    let roles = Role::ALL
        .into_iter()
        .filter(|r| !task.units.get(*r).is_empty())
        .map(|role| RoleView {
            role,
            label: role.label(),
            units: task
                .units
                .get(role)
                .iter()
                .map(|name| {
                    let unit = site.unit_index(&plan.meta.jurisdiction, name);
                    UnitLinkView {
                        name: crate::text::strip_annotations(name),
                        href: format!(
                            "{base}{}",
                            unit.map_or("units/", |u| site.units[u].url.as_str())
                        ),
                        note: site.unit_note(&plan.meta.jurisdiction, name),
                        group: unit.is_some_and(|u| site.units[u].kind == UnitKind::Group),
                    }
                })
                .collect(),
        })
        .collect();
    TaskUnitsView {
        roles,
        deadline: task.deadline.as_deref(),
        due: task.due.as_deref(),
    }
}

/// A task's view, with its units already rendered.
pub(crate) fn task_view<'a>(
    plan: &'a Plan,
    task: &'a Task,
    base: &str,
    units_html: String,
) -> TaskView<'a> {
    TaskView {
        number: &task.number,
        anchor: &task.anchor,
        plan_slug: &plan.slug,
        href: [base, &layout::task_url(&plan.slug, &task.anchor)].concat(),
        text: &task.text,
        text_html: task.text_html(),
        requirement_html: task.requirement_html.as_deref(),
        deadline: task.deadline.as_deref(),
        due: task.due.as_deref(),
        category: &task.category,
        units_html,
        note: None,
    }
}

/// A link to a unit's page, by index.
pub(crate) fn unit_link(site: &Site, u: usize, base: &str) -> UnitLinkView {
    let unit = &site.units[u];
    UnitLinkView {
        name: unit.name.clone(),
        href: [base, &unit.url].concat(),
        note: None,
        group: unit.kind == UnitKind::Group,
    }
}

/// The role of a task on a unit's ledger: its machine name and its label.
pub(crate) fn ledger_role(site: &Site, r: &TaskRef) -> (&'static str, String) {
    match (r.via, r.role) {
        (Some(g), _) => ("shared", format!("共同（{}）", site.units[g].name)),
        (None, Some(Role::Lead)) => ("lead", "牵头".into()),
        (None, Some(Role::Responsible)) => ("responsible", "负责".into()),
        (None, Some(Role::Cooperating)) => ("cooperating", "配合".into()),
        (None, None) => ("", String::new()),
    }
}

pub(crate) fn unit_summary<'a>(site: &Site, unit: &'a Unit, base: &str) -> UnitSummary<'a> {
    UnitSummary {
        row: unit_row(unit, base),
        jurisdiction: &unit.jurisdiction,
        aliases: &unit.aliases,
        csv_href: [base, &layout::ledger_file(&unit.url)].concat(),
        members: unit
            .members
            .iter()
            .map(|&m| unit_link(site, m, base))
            .collect(),
        groups: unit
            .groups
            .iter()
            .map(|&g| unit_link(site, g, base))
            .collect(),
    }
}

/// A unit's row in the list of all units.
pub(crate) fn unit_row<'a>(unit: &'a Unit, base: &str) -> UnitRow<'a> {
    let count = |role| {
        unit.tasks
            .iter()
            .filter(|t| t.role == Some(role) && t.via.is_none())
            .count()
    };
    let mut distinct: Vec<(usize, usize)> = unit.tasks.iter().map(|t| (t.plan, t.task)).collect();
    distinct.sort_unstable();
    distinct.dedup();
    UnitRow {
        name: &unit.name,
        kind: unit.kind,
        href: [base, &unit.url].concat(),
        task_count: distinct.len(),
        lead: count(Role::Lead),
        responsible: count(Role::Responsible),
        cooperating: count(Role::Cooperating),
        shared: unit.tasks.iter().filter(|t| t.via.is_some()).count(),
    }
}

pub(crate) fn category_summary<'a>(cat: &'a Category, base: &str) -> CategorySummary<'a> {
    let mut plans: Vec<usize> = cat.tasks.iter().map(|t| t.plan).collect();
    plans.sort_unstable();
    plans.dedup();
    CategorySummary {
        title: &cat.title,
        href: [base, &cat.url].concat(),
        plan_count: plans.len(),
        task_count: cat.tasks.len(),
    }
}
