//! The context of each kind of page: what its template sees.

use super::Renderer;
use super::views::*;
use crate::layout::{self, Page, PageKind};
use crate::model::{Block, Category, Role, Section, TaskRef, Unit};
use tera::Context;

impl<'a> Renderer<'a> {
    /// Puts what the page's template shows into its context.
    pub(super) fn fill_context(&self, page: Page, ctx: &mut Context) {
        let site = self.site;
        match page {
            Page::Single(PageKind::Home) => {
                ctx.insert("kind", "home");
                ctx.insert("plans", &self.all_summaries());
                ctx.insert("task_count", &site.task_count());
                ctx.insert("unit_count", &site.units.len());
                ctx.insert("category_count", &site.categories.len());
            }
            Page::Plan(i) => {
                let plan = &site.plans[i];
                ctx.insert("kind", "plan");
                ctx.insert("lang", plan.lang);
                ctx.insert(
                    "plan",
                    &PlanView {
                        summary: self.summary(i).clone(),
                        preamble_html: &plan.preamble_html,
                        sections: self.sections(i, &plan.sections),
                    },
                );
            }
            Page::Single(PageKind::UnitIndex) => {
                ctx.insert("kind", "units");
                ctx.insert("unit_count", &site.units.len());
                ctx.insert("jurisdictions", &self.jurisdictions());
            }
            Page::Unit(i) => {
                let unit = &site.units[i];
                ctx.insert("kind", "units");
                ctx.insert("lang", self.summary(unit.tasks[0].plan).lang);
                ctx.insert("unit", &unit_summary(unit, &self.base));
                ctx.insert("groups", &self.unit_groups(unit));
            }
            Page::Single(PageKind::CategoryIndex) => {
                ctx.insert("kind", "categories");
                let list: Vec<CategorySummary> = site
                    .categories
                    .iter()
                    .map(|c| category_summary(c, &self.base))
                    .collect();
                ctx.insert("categories", &list);
            }
            Page::Category(i) => {
                let cat = &site.categories[i];
                ctx.insert("kind", "categories");
                ctx.insert("category", &category_summary(cat, &self.base));
                ctx.insert("groups", &self.category_groups(cat));
            }
            Page::Single(PageKind::Search) => {
                ctx.insert("kind", "search");
            }
            Page::Single(PageKind::NotFound) => {
                ctx.insert("kind", "404");
            }
            Page::Single(PageKind::Sitemap) => {
                let mut urls: Vec<String> =
                    [PageKind::Home, PageKind::UnitIndex, PageKind::CategoryIndex]
                        .iter()
                        .map(|k| layout::folder_url(k.spec().path.unwrap_or_default()).to_string())
                        .collect();
                urls.extend(site.plans.iter().map(|p| layout::plan_url(&p.slug)));
                urls.extend(site.units.iter().map(|u| u.url.clone()));
                urls.extend(site.categories.iter().map(|c| c.url.clone()));
                ctx.insert("urls", &urls);
            }
            Page::Single(PageKind::Feed) => {
                let summaries = self.all_summaries();
                let updated = summaries
                    .iter()
                    .map(|p| p.updated.as_str())
                    .max()
                    .unwrap_or("1970-01-01T00:00:00Z");
                ctx.insert("updated", updated);
                ctx.insert("plans", &self.all_summaries());
            }
            Page::Single(PageKind::Plan | PageKind::Unit | PageKind::Category) => {
                unreachable!("plans, units and categories have one page each")
            }
        }
    }

    fn sections(&self, plan: usize, sections: &'a [Section]) -> Vec<SectionView<'a>> {
        sections
            .iter()
            .map(|s| {
                let mut blocks: Vec<BlockView> = Vec::new();
                for b in &s.blocks {
                    match b {
                        Block::Prose { html } => blocks.push(BlockView::Prose { html }),
                        &Block::Task(t) => {
                            let view = self.task(plan, t);
                            match blocks.last_mut() {
                                Some(BlockView::Tasks { tasks }) => tasks.push(view),
                                _ => blocks.push(BlockView::Tasks { tasks: vec![view] }),
                            }
                        }
                    }
                }
                SectionView {
                    title: &s.title,
                    level: s.level,
                    anchor: &s.anchor,
                    category_href: s.category.as_ref().map(|u| format!("{}{u}", self.base)),
                    blocks,
                    children: self.sections(plan, &s.children),
                }
            })
            .collect()
    }

    fn jurisdictions(&self) -> Vec<JurisdictionView<'_>> {
        let mut out: Vec<JurisdictionView> = Vec::new();
        for unit in &self.site.units {
            let row = unit_summary(unit, &self.base);
            match out.last_mut() {
                Some(j) if j.name == unit.jurisdiction => j.units.push(row),
                _ => out.push(JurisdictionView {
                    name: &unit.jurisdiction,
                    lang: self.summary(unit.tasks[0].plan).lang,
                    units: vec![row],
                }),
            }
        }
        out
    }

    fn unit_groups(&self, unit: &Unit) -> Vec<UnitGroup<'_>> {
        let mut groups: Vec<UnitGroup> = Vec::new();
        for r in &unit.tasks {
            if groups
                .last()
                .is_none_or(|g| g.plan.slug != self.site.plans[r.plan].slug)
            {
                groups.push(UnitGroup {
                    plan: self.summary(r.plan).clone(),
                    roles: Vec::new(),
                });
            }
            let group = groups.last_mut().expect("just pushed");
            let role = r.role.expect("unit task refs carry a role");
            let heading = match role {
                Role::Lead => "牵头的任务",
                Role::Responsible => "负责落实的任务",
                Role::Cooperating => "配合的任务",
            };
            let view = self.task(r.plan, r.task);
            match group.roles.iter_mut().find(|g| g.role == role) {
                Some(g) => g.tasks.push(view),
                None => group.roles.push(RoleGroup {
                    role,
                    heading,
                    tasks: vec![view],
                }),
            }
        }
        for g in &mut groups {
            g.roles
                .sort_by_key(|r| Role::ALL.iter().position(|x| *x == r.role));
        }
        groups
    }

    fn category_groups<'s>(&'s self, cat: &'s Category) -> Vec<CategoryGroup<'s>> {
        let mut groups: Vec<CategoryGroup> = Vec::new();
        let mut refs: Vec<&TaskRef> = cat.tasks.iter().collect();
        refs.sort_by_key(|r| (r.plan, r.task));
        for r in refs {
            if groups
                .last()
                .is_none_or(|g| g.plan.slug != self.site.plans[r.plan].slug)
            {
                let headings = cat
                    .headings
                    .iter()
                    .filter(|(p, _)| *p == r.plan)
                    .map(|(_, h)| h.as_str())
                    .collect();
                groups.push(CategoryGroup {
                    plan: self.summary(r.plan).clone(),
                    headings,
                    tasks: Vec::new(),
                });
            }
            groups
                .last_mut()
                .expect("just pushed")
                .tasks
                .push(self.task(r.plan, r.task));
        }
        groups
    }
}
