//! The views templates see: plans, tasks, units and categories as plain structs
//! (serialized into tera contexts), made from the site model.

use crate::layout;
use crate::model::{Category, Plan, Role, Task, Unit};
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

#[derive(Serialize, Clone)]
pub(crate) struct UnitLinkView {
    pub(crate) name: String,
    pub(crate) href: String,
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
    pub(crate) text_html: &'a str,
    pub(crate) requirement_html: Option<&'a str>,
    pub(crate) deadline: Option<&'a str>,
    pub(crate) category: &'a [String],
    pub(crate) roles: Vec<RoleView>,
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub(crate) enum BlockView<'a> {
    Prose { html: &'a str },
    Tasks { tasks: Vec<TaskView<'a>> },
}

#[derive(Serialize)]
pub(crate) struct SectionView<'a> {
    pub(crate) title: &'a str,
    pub(crate) level: u8,
    pub(crate) anchor: &'a str,
    pub(crate) category_href: Option<String>,
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

#[derive(Serialize)]
pub(crate) struct UnitSummary<'a> {
    pub(crate) name: &'a str,
    pub(crate) jurisdiction: &'a str,
    pub(crate) href: String,
    pub(crate) task_count: usize,
    pub(crate) lead: usize,
    pub(crate) responsible: usize,
    pub(crate) cooperating: usize,
}

#[derive(Serialize)]
pub(crate) struct JurisdictionView<'a> {
    pub(crate) name: &'a str,
    pub(crate) lang: &'a str,
    pub(crate) units: Vec<UnitSummary<'a>>,
}

#[derive(Serialize)]
pub(crate) struct RoleGroup<'a> {
    pub(crate) role: Role,
    pub(crate) heading: &'static str,
    pub(crate) tasks: Vec<TaskView<'a>>,
}

#[derive(Serialize)]
pub(crate) struct UnitGroup<'a> {
    pub(crate) plan: PlanSummary<'a>,
    pub(crate) roles: Vec<RoleGroup<'a>>,
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
    pub(crate) tasks: Vec<TaskView<'a>>,
}

pub(crate) fn summarize<'a>(plan: &'a Plan, base: &str) -> PlanSummary<'a> {
    let tasks = plan.tasks();
    let mut units = std::collections::BTreeSet::new();
    for t in tasks {
        for (_, name) in t.units.iter() {
            units.insert(crate::text::unit_key(name));
        }
    }
    let date = plan
        .meta
        .published
        .clone()
        .unwrap_or_else(|| format!("{:04}-01-01", plan.meta.year));
    PlanSummary {
        slug: &plan.slug,
        href: format!("{base}{}", layout::plan_url(&plan.slug)),
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

pub(crate) fn task_view<'a>(
    site: &Site,
    plan: &'a Plan,
    task: &'a Task,
    base: &str,
) -> TaskView<'a> {
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
                .map(|name| UnitLinkView {
                    name: name.clone(),
                    href: format!(
                        "{base}{}",
                        site.unit_url(&plan.meta.jurisdiction, name)
                            .unwrap_or("units/")
                    ),
                })
                .collect(),
        })
        .collect();
    TaskView {
        number: &task.number,
        anchor: &task.anchor,
        plan_slug: &plan.slug,
        href: format!("{base}{}", layout::task_url(&plan.slug, &task.anchor)),
        text: &task.text,
        text_html: &task.text_html,
        requirement_html: task.requirement_html.as_deref(),
        deadline: task.deadline.as_deref(),
        category: &task.category,
        roles,
    }
}

pub(crate) fn unit_summary<'a>(unit: &'a Unit, base: &str) -> UnitSummary<'a> {
    let count = |role| unit.tasks.iter().filter(|t| t.role == Some(role)).count();
    let mut distinct: Vec<(usize, usize)> = unit.tasks.iter().map(|t| (t.plan, t.task)).collect();
    distinct.sort_unstable();
    distinct.dedup();
    UnitSummary {
        name: &unit.name,
        jurisdiction: &unit.jurisdiction,
        href: format!("{base}{}", unit.url),
        task_count: distinct.len(),
        lead: count(Role::Lead),
        responsible: count(Role::Responsible),
        cooperating: count(Role::Cooperating),
    }
}

pub(crate) fn category_summary<'a>(cat: &'a Category, base: &str) -> CategorySummary<'a> {
    let mut plans: Vec<usize> = cat.tasks.iter().map(|t| t.plan).collect();
    plans.sort_unstable();
    plans.dedup();
    CategorySummary {
        title: &cat.title,
        href: format!("{base}{}", cat.url),
        plan_count: plans.len(),
        task_count: cat.tasks.len(),
    }
}
