//! The context of each kind of page: what its template sees.

use super::views::*;
use super::{Card, Renderer};
use crate::diagnostics::Diagnostic;
use crate::layout::{self, Page, PageKind};
use crate::model::{Block, Category, Role, Section, TaskRef, Unit};
use rayon::prelude::*;
use tera::Context;

/// The distinct years, newest first.
fn years(years: impl Iterator<Item = i32>) -> Vec<i32> {
    let mut out: Vec<i32> = years.collect();
    out.sort_unstable_by(|a, b| b.cmp(a));
    out.dedup();
    out
}

impl<'a> Renderer<'a> {
    /// Puts what the page's template shows into its context.
    pub(super) fn fill_context(&self, page: Page, ctx: &mut Context) -> Result<(), Diagnostic> {
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
                        sections: self.sections(i, &plan.sections)?,
                    },
                );
                ctx.insert("ledger", &self.plan_ledger(i));
                ctx.insert(
                    "csv_href",
                    &format!(
                        "{}{}",
                        self.base,
                        layout::ledger_file(&layout::plan_url(&plan.slug))
                    ),
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
                ctx.insert("unit", &unit_summary(site, unit, &self.base));
                ctx.insert("groups", &self.unit_groups(unit)?);
                ctx.insert("ledger", &self.unit_ledger(unit));
                ctx.insert(
                    "years",
                    &years(unit.tasks.iter().map(|r| site.plans[r.plan].meta.year)),
                );
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
                ctx.insert("groups", &self.category_groups(cat)?);
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
            Page::Redirect(i) => {
                let (_, to) = &site.redirects[i];
                ctx.insert("kind", "redirect");
                ctx.insert("target", &format!("{}{to}", self.base));
                ctx.insert(
                    "absolute_target",
                    &format!("{}{to}", site.config.absolute_base()),
                );
            }
            Page::Single(PageKind::UnitsData) | Page::PlanLedger(_) | Page::UnitLedger(_) => {
                unreachable!("written without a template")
            }
            Page::Single(PageKind::Redirects) => {
                ctx.insert("redirects", &site.redirects);
            }
            Page::Single(
                PageKind::Plan
                | PageKind::Unit
                | PageKind::Category
                | PageKind::PlanLedger
                | PageKind::UnitLedger
                | PageKind::Redirect,
            ) => {
                unreachable!("these kinds have one page per plan, unit, category or redirect")
            }
        }
        Ok(())
    }

    fn sections(
        &self,
        plan: usize,
        sections: &'a [Section],
    ) -> Result<Vec<SectionView<'a>>, Diagnostic> {
        sections
            .iter()
            .map(|s| {
                let mut blocks: Vec<BlockView> = Vec::new();
                for b in &s.blocks {
                    match b {
                        Block::Prose { html } => blocks.push(BlockView::Prose { html }),
                        &Block::Task(t) => {
                            let card = self.card(plan, t, Card::InPlan)?;
                            match blocks.last_mut() {
                                Some(BlockView::Tasks { cards }) => cards.push(card),
                                _ => blocks.push(BlockView::Tasks { cards: vec![card] }),
                            }
                        }
                    }
                }
                Ok(SectionView {
                    title: &s.title,
                    level: s.level,
                    anchor: &s.anchor,
                    category_href: s.category.as_ref().map(|u| format!("{}{u}", self.base)),
                    category_plans: s
                        .category
                        .as_ref()
                        .and_then(|u| self.category_plans.get(u.as_str()))
                        .copied()
                        .unwrap_or(0),
                    blocks,
                    children: self.sections(plan, &s.children)?,
                })
            })
            .collect()
    }

    fn jurisdictions(&self) -> Vec<JurisdictionView<'_>> {
        let mut out: Vec<JurisdictionView> = Vec::new();
        for unit in &self.site.units {
            let row = unit_row(unit, &self.base);
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

    fn unit_groups(&self, unit: &Unit) -> Result<Vec<UnitGroup<'_>>, Diagnostic> {
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
            let (order, heading) = match (r.via, role) {
                (Some(g), _) => (3 + g, format!("共同任务（{}）", self.site.units[g].name)),
                (None, Role::Lead) => (0, "牵头的任务".to_string()),
                (None, Role::Responsible) => (1, "负责落实的任务".to_string()),
                (None, Role::Cooperating) => (2, "配合的任务".to_string()),
            };
            let card = match &r.note {
                Some(note) => Card::LinkedWithNote(note),
                None => Card::Linked,
            };
            let card = self.card(r.plan, r.task, card)?;
            match group.roles.iter_mut().find(|g| g.order == order) {
                Some(g) => g.cards.push(card),
                None => group.roles.push(RoleGroup {
                    order,
                    shared: r.via.is_some(),
                    heading,
                    cards: vec![card],
                }),
            }
        }
        for g in &mut groups {
            g.roles.sort_by_key(|r| r.order);
        }
        Ok(groups)
    }

    /// A unit's ledger: every task it is named in or shares, in site order.
    pub(super) fn unit_ledger(&self, unit: &Unit) -> Vec<LedgerRow<'a>> {
        let site = self.site;
        unit.tasks
            .iter()
            .map(|r| {
                let (role, role_label) = ledger_role(site, r);
                self.ledger_row(r.plan, r.task, role, role_label)
            })
            .collect()
    }

    /// A plan's ledger: every task with its units by role.
    pub(super) fn plan_ledger(&self, plan: usize) -> Vec<LedgerRow<'a>> {
        let site = self.site;
        site.plans[plan]
            .tasks()
            .iter()
            .enumerate()
            .map(|(t, task)| {
                let label = Role::ALL
                    .iter()
                    .filter(|r| !task.units.get(**r).is_empty())
                    .map(|r| format!("{}：{}", r.label(), task.units.get(*r).join("、")))
                    .collect::<Vec<_>>()
                    .join("；");
                self.ledger_row(plan, t, "", label)
            })
            .collect()
    }

    fn ledger_row(
        &self,
        plan: usize,
        task: usize,
        role: &'static str,
        role_label: String,
    ) -> LedgerRow<'a> {
        let p = &self.site.plans[plan];
        let t = &p.tasks()[task];
        LedgerRow {
            number: &t.number,
            text: &t.text,
            href: [&*self.base, &layout::task_url(&p.slug, &t.anchor)].concat(),
            role,
            role_label,
            deadline: t.deadline.as_deref(),
            due: t.due.as_deref(),
            plan_title: &p.meta.title,
            plan_href: [&*self.base, &layout::plan_url(&p.slug)].concat(),
            year: p.meta.year,
            category: t.category.join(" › "),
        }
    }

    fn category_groups<'s>(
        &'s self,
        cat: &'s Category,
    ) -> Result<Vec<CategoryGroup<'s>>, Diagnostic> {
        let mut groups: Vec<CategoryGroup> = Vec::new();
        let mut refs: Vec<&TaskRef> = cat.tasks.iter().collect();
        refs.sort_by_key(|r| (r.plan, r.task));
        // A category page lists tasks of many plans: their cards, made in parallel.
        let cards: Vec<String> = refs
            .par_iter()
            .map(|r| self.card(r.plan, r.task, Card::Linked))
            .collect::<Result<_, _>>()?;
        for (r, card) in refs.into_iter().zip(cards) {
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
                    cards: Vec::new(),
                });
            }
            groups.last_mut().expect("just pushed").cards.push(card);
        }
        Ok(groups)
    }
}
