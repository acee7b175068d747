//! Pages: the site model → view structs → tera templates → HTML and XML files.

use crate::diagnostics::Diagnostic;
use crate::model::{Block, Category, Plan, Section, Task, TaskRef, Unit};
use crate::model::Role;
use crate::site::Site;
use crate::theme::Theme;
use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the output folder, with `/` separators.
    pub path: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// A plan as listed on the home, unit and category pages.
#[derive(Serialize, Clone)]
struct PlanSummary<'a> {
    slug: &'a str,
    href: String,
    url: String,
    title: &'a str,
    issuer: &'a str,
    jurisdiction: &'a str,
    year: i32,
    published: Option<&'a str>,
    doc_number: Option<&'a str>,
    source: Option<&'a str>,
    lang: &'a str,
    task_count: usize,
    unit_count: usize,
    /// RFC 3339 time for the feed.
    updated: String,
}

#[derive(Serialize, Clone)]
struct UnitLinkView {
    name: String,
    href: String,
}

#[derive(Serialize, Clone)]
struct RoleView {
    role: Role,
    label: &'static str,
    units: Vec<UnitLinkView>,
}

/// A task ready for templates.
#[derive(Serialize, Clone)]
struct TaskView<'a> {
    number: &'a str,
    anchor: &'a str,
    plan_slug: &'a str,
    href: String,
    text: &'a str,
    text_html: &'a str,
    requirement_html: Option<&'a str>,
    deadline: Option<&'a str>,
    category: &'a [String],
    roles: Vec<RoleView>,
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
enum BlockView<'a> {
    Prose { html: &'a str },
    Tasks { tasks: Vec<TaskView<'a>> },
}

#[derive(Serialize)]
struct SectionView<'a> {
    title: &'a str,
    level: u8,
    anchor: &'a str,
    category_href: Option<String>,
    blocks: Vec<BlockView<'a>>,
    children: Vec<SectionView<'a>>,
}

/// Renders every page of the site with the theme's templates.
pub struct Renderer<'a> {
    site: &'a Site,
    tera: Tera,
    base: String,
    common: Context,
    /// Each plan's summary, made when a page first needs it.
    summaries: Vec<std::sync::OnceLock<PlanSummary<'a>>>,
    /// Each plan's task views, made when a page first needs them.
    tasks: Vec<std::sync::OnceLock<Vec<TaskView<'a>>>>,
}

/// What one page is (indices into the site's plans, units and categories).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Page {
    /// The home page.
    Home,
    /// A plan page.
    Plan(usize),
    /// The units index.
    UnitIndex,
    /// A unit page.
    Unit(usize),
    /// The categories index.
    CategoryIndex,
    /// A category page.
    Category(usize),
    /// The search page.
    Search,
    /// The 404 page.
    NotFound,
    /// `sitemap.xml`.
    Sitemap,
    /// `feed.xml`.
    Feed,
}

/// Pages that list the whole site; they change with any content change.
pub const GLOBAL_PAGES: [Page; 7] = [
    Page::Home,
    Page::UnitIndex,
    Page::CategoryIndex,
    Page::Search,
    Page::NotFound,
    Page::Sitemap,
    Page::Feed,
];

/// Every page of a site.
pub fn all_pages(site: &Site) -> Vec<Page> {
    let mut pages = GLOBAL_PAGES.to_vec();
    pages.extend((0..site.plans.len()).map(Page::Plan));
    pages.extend((0..site.units.len()).map(Page::Unit));
    pages.extend((0..site.categories.len()).map(Page::Category));
    pages
}

impl<'a> Renderer<'a> {
    /// Compiles the templates and prepares the views shared by all pages.
    pub fn new(site: &'a Site, theme: &Theme) -> Result<Self, Diagnostic> {
        let mut tera = Tera::default();
        tera.set_escape_fn(crate::text::escape_html);
        tera.add_raw_templates(
            theme
                .templates
                .iter()
                .map(|(n, s)| (n.as_str(), s.as_str())),
        )
        .map_err(|e| template_error("cannot compile the templates", &e))?;
        for required in [
            "index.html",
            "plan.html",
            "unit.html",
            "units.html",
            "category.html",
            "categories.html",
        ] {
            if !theme.templates.contains_key(required) {
                return Err(
                    Diagnostic::global(format!("the theme has no template `{required}`"))
                        .with_hint("copy it from themes/default/templates/"),
                );
            }
        }
        let base = site.config.base_path();
        // Changes whenever a static file does, so browsers fetch the new one.
        let asset_version = {
            use std::hash::{Hash, Hasher};
            let mut h = rustc_hash::FxHasher::default();
            theme.statics.hash(&mut h);
            format!("{:06x}", h.finish() & 0xff_ffff)
        };
        let mut common = Context::new();
        common.insert(
            "site",
            &SiteView {
                title: &site.config.title,
                description: &site.config.description,
            },
        );
        common.insert("base", &base);
        common.insert("absolute_base", &site.config.absolute_base());
        common.insert("asset_version", &asset_version);
        common.insert("lang", "zh-CN");

        let summaries = site
            .plans
            .iter()
            .map(|_| std::sync::OnceLock::new())
            .collect();
        let tasks = site
            .plans
            .iter()
            .map(|_| std::sync::OnceLock::new())
            .collect();
        Ok(Renderer {
            site,
            tera,
            base,
            common,
            summaries,
            tasks,
        })
    }

    /// Renders the given pages, in parallel. The result is sorted by path.
    pub fn render_pages(&self, pages: &[Page]) -> Result<Vec<OutputFile>, Diagnostic> {
        let mut files: Vec<OutputFile> = pages
            .par_iter()
            .map(|p| self.render(*p))
            .collect::<Result<_, _>>()?;
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }

    /// The view of one task (the plan's views are made on first use).
    fn summary(&self, plan: usize) -> &PlanSummary<'a> {
        self.summaries[plan].get_or_init(|| summarize(&self.site.plans[plan], &self.base))
    }

    /// Every plan's summary, in site order.
    fn all_summaries(&self) -> Vec<&PlanSummary<'a>> {
        (0..self.site.plans.len())
            .map(|i| self.summary(i))
            .collect()
    }

    fn task(&self, plan: usize, task: usize) -> TaskView<'a> {
        let views = self.tasks[plan].get_or_init(|| {
            let p = &self.site.plans[plan];
            p.tasks()
                .into_iter()
                .map(|t| task_view(self.site, p, t, &self.base))
                .collect()
        });
        views[task].clone()
    }

    /// The output path of a page (relative to the output folder).
    pub fn page_path(&self, page: Page) -> String {
        let site = self.site;
        match page {
            Page::Home => "index.html".to_string(),
            Page::Plan(i) => format!("plans/{}/index.html", site.plans[i].slug),
            Page::UnitIndex => "units/index.html".to_string(),
            Page::Unit(i) => format!("{}index.html", site.units[i].url),
            Page::CategoryIndex => "categories/index.html".to_string(),
            Page::Category(i) => format!("{}index.html", site.categories[i].url),
            Page::Search => "search/index.html".to_string(),
            Page::NotFound => "404.html".to_string(),
            Page::Sitemap => "sitemap.xml".to_string(),
            Page::Feed => "feed.xml".to_string(),
        }
    }

    fn render(&self, page: Page) -> Result<OutputFile, Diagnostic> {
        let mut ctx = self.common.clone();
        let site = self.site;
        let path = self.page_path(page);
        let template = match page {
            Page::Home => {
                ctx.insert("kind", "home");
                ctx.insert("plans", &self.all_summaries());
                ctx.insert("task_count", &site.task_count());
                ctx.insert("unit_count", &site.units.len());
                ctx.insert("category_count", &site.categories.len());
                "index.html"
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
                "plan.html"
            }
            Page::UnitIndex => {
                ctx.insert("kind", "units");
                ctx.insert("unit_count", &site.units.len());
                ctx.insert("jurisdictions", &self.jurisdictions());
                "units.html"
            }
            Page::Unit(i) => {
                let unit = &site.units[i];
                ctx.insert("kind", "units");
                ctx.insert("lang", self.summary(unit.tasks[0].plan).lang);
                ctx.insert("unit", &unit_summary(unit, &self.base));
                ctx.insert("groups", &self.unit_groups(unit));
                "unit.html"
            }
            Page::CategoryIndex => {
                ctx.insert("kind", "categories");
                let list: Vec<CategorySummary> = site
                    .categories
                    .iter()
                    .map(|c| category_summary(c, &self.base))
                    .collect();
                ctx.insert("categories", &list);
                "categories.html"
            }
            Page::Category(i) => {
                let cat = &site.categories[i];
                ctx.insert("kind", "categories");
                ctx.insert("category", &category_summary(cat, &self.base));
                ctx.insert("groups", &self.category_groups(cat));
                "category.html"
            }
            Page::Search => {
                ctx.insert("kind", "search");
                "search.html"
            }
            Page::NotFound => {
                ctx.insert("kind", "404");
                "404.html"
            }
            Page::Sitemap => {
                let mut urls = vec![String::new(), "units/".into(), "categories/".into()];
                urls.extend(site.plans.iter().map(|p| format!("plans/{}/", p.slug)));
                urls.extend(site.units.iter().map(|u| u.url.clone()));
                urls.extend(site.categories.iter().map(|c| c.url.clone()));
                ctx.insert("urls", &urls);
                "sitemap.xml"
            }
            Page::Feed => {
                let summaries = self.all_summaries();
                let updated = summaries
                    .iter()
                    .map(|p| p.updated.as_str())
                    .max()
                    .unwrap_or("1970-01-01T00:00:00Z");
                ctx.insert("updated", updated);
                ctx.insert("plans", &self.all_summaries());
                "atom.xml"
            }
        };
        if !self.tera.get_template_names().any(|n| n == template) {
            return Err(Diagnostic::global(format!(
                "the theme has no template `{template}`"
            )));
        }
        let html = self
            .tera
            .render(template, &ctx)
            .map_err(|e| template_error(&format!("cannot render {path}"), &e))?;
        Ok(OutputFile {
            path,
            bytes: html.into_bytes(),
        })
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

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
}

#[derive(Serialize)]
struct PlanView<'a> {
    #[serde(flatten)]
    summary: PlanSummary<'a>,
    preamble_html: &'a str,
    sections: Vec<SectionView<'a>>,
}

#[derive(Serialize)]
struct UnitSummary<'a> {
    name: &'a str,
    jurisdiction: &'a str,
    href: String,
    task_count: usize,
    lead: usize,
    responsible: usize,
    cooperating: usize,
}

#[derive(Serialize)]
struct JurisdictionView<'a> {
    name: &'a str,
    lang: &'a str,
    units: Vec<UnitSummary<'a>>,
}

#[derive(Serialize)]
struct RoleGroup<'a> {
    role: Role,
    heading: &'static str,
    tasks: Vec<TaskView<'a>>,
}

#[derive(Serialize)]
struct UnitGroup<'a> {
    plan: PlanSummary<'a>,
    roles: Vec<RoleGroup<'a>>,
}

#[derive(Serialize)]
struct CategorySummary<'a> {
    title: &'a str,
    href: String,
    plan_count: usize,
    task_count: usize,
}

#[derive(Serialize)]
struct CategoryGroup<'a> {
    plan: PlanSummary<'a>,
    headings: Vec<&'a str>,
    tasks: Vec<TaskView<'a>>,
}

fn summarize<'a>(plan: &'a Plan, base: &str) -> PlanSummary<'a> {
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
        href: format!("{base}plans/{}/", plan.slug),
        url: format!("plans/{}/", plan.slug),
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

fn task_view<'a>(site: &Site, plan: &'a Plan, task: &'a Task, base: &str) -> TaskView<'a> {
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
        href: format!("{base}plans/{}/#{}", plan.slug, task.anchor),
        text: &task.text,
        text_html: &task.text_html,
        requirement_html: task.requirement_html.as_deref(),
        deadline: task.deadline.as_deref(),
        category: &task.category,
        roles,
    }
}

fn unit_summary<'a>(unit: &'a Unit, base: &str) -> UnitSummary<'a> {
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

fn category_summary<'a>(cat: &'a Category, base: &str) -> CategorySummary<'a> {
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

/// A template error with its whole cause chain (tera puts the useful part last).
fn template_error(what: &str, e: &tera::Error) -> Diagnostic {
    let mut message = format!("{what}: {e}");
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(&format!("\n  caused by: {s}"));
        source = s.source();
    }
    Diagnostic::global(message)
        .with_hint("check the template named above (themes/…/templates/ or the site's templates/)")
}
