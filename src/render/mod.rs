//! Pages: the site model → views (`views`) → tera templates → HTML and XML
//! files. [`Renderer`] compiles the templates once and renders any set of pages
//! (the page table is [`crate::layout`]); `page` builds each kind's context.

mod ledger_csv;
mod page;
mod views;

use crate::diagnostics::Diagnostic;
use crate::layout::{PAGES, Page};
use crate::output::OutputFile;
use crate::site::Site;
use crate::theme::Theme;
use rayon::prelude::*;
use std::sync::{Arc, OnceLock};
use tera::{Context, Tera};
use views::{PlanSummary, SiteView, TaskView, summarize, task_units, task_view};

/// The template of a task's card: rendered once per task for its plan's page and
/// once for the category and unit pages that list it.
pub const TASK_TEMPLATE: &str = "task.html";

/// The template of a task's units and deadline, rendered once per task (its cards
/// show it).
pub const TASK_UNITS_TEMPLATE: &str = "task_units.html";

/// Which card of a task a page shows.
#[derive(Clone, Copy)]
enum Card<'n> {
    /// On its plan's page: the full text and the requirement.
    InPlan,
    /// On category and unit pages: the text, its headings and a link into the plan.
    Linked,
    /// A linked card with a remark on the unit whose page shows it.
    LinkedWithNote(&'n str),
}

/// What is kept of a task between the pages that show it. Its view (text, units,
/// headings) is made for a page and dropped after it (a view of every task kept
/// from its plan's page to its category page took ~100 MB at 50k); kept,
/// LZ4-compressed: the linked card, made with the first card, for the category and
/// unit pages (every task's, until the last of those pages: at 200,000 tasks
/// ~200 MB of HTML, a third of that compressed), and its units rendered
/// (`task_units.html`) when such a page came before the plan's page, which takes
/// them instead of rendering them again.
#[derive(Default)]
struct TaskCards {
    slot: std::sync::Mutex<CardSlot>,
}

/// The compressed HTML kept of a task.
#[derive(Default)]
struct CardSlot {
    /// The linked card, once made.
    linked: Option<Vec<u8>>,
    /// The units, from the first page that showed the task until its plan's page.
    units: Option<Vec<u8>>,
}

/// A theme's templates, compiled, with the ones gongkai needs checked present.
pub struct Templates {
    tera: Tera,
}

impl Templates {
    /// Compiles the theme's templates.
    pub fn compile(theme: &Theme) -> Result<Templates, Diagnostic> {
        let mut tera = Tera::new();
        tera.set_escape_fn(crate::text::write_escaped_html);
        tera.add_raw_templates(
            theme
                .templates
                .iter()
                .map(|(n, s)| (n.as_str(), s.as_str())),
        )
        .map_err(|e| template_error(&crate::t!("render-compile"), &e))?;
        for required in PAGES
            .iter()
            .map(|p| p.template)
            .filter(|t| !t.is_empty())
            .chain([TASK_TEMPLATE, TASK_UNITS_TEMPLATE])
        {
            if !theme.templates.contains_key(required) {
                return Err(
                    Diagnostic::global(crate::t!("render-no-template", name = required))
                        .with_hint(crate::t!("render-no-template-hint")),
                );
            }
        }
        Ok(Templates { tera })
    }

    /// A template rendered to a string (a task's card or units), through a buffer
    /// each thread keeps.
    fn render_string(&self, name: &str, context: &Context) -> Result<String, tera::Error> {
        with_scratch(|buffer| {
            self.tera.render_to(name, context, &mut *buffer)?;
            Ok(utf8_string(buffer))
        })
    }
}

/// Calls `f` with this thread's scratch buffer, emptied: cards and units HTML are
/// made there before they are copied out at their size. `f` must not call it again.
fn with_scratch<T>(f: impl FnOnce(&mut Vec<u8>) -> T) -> T {
    thread_local! {
        static SCRATCH: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    SCRATCH.with_borrow_mut(|buffer| {
        buffer.clear();
        f(buffer)
    })
}

/// Bytes that are UTF-8 (tera writes strings; [`unpack`] gives back what [`pack`]
/// took from one) as a string, checked with SIMD (the standard check was 3 % of a
/// build's instructions: every card is checked on each page that shows it).
fn utf8_string(bytes: &[u8]) -> String {
    simdutf8::basic::from_utf8(bytes)
        .expect("bytes written from strings")
        .to_owned()
}

impl std::ops::Deref for Templates {
    type Target = Tera;
    fn deref(&self) -> &Tera {
        &self.tera
    }
}

/// Renders every page of the site with the theme's templates.
pub struct Renderer<'a> {
    site: &'a Site,
    templates: Arc<Templates>,
    base: String,
    common: Context,
    /// Each plan's summary, made when a page first needs it.
    summaries: Vec<OnceLock<PlanSummary<'a>>>,
    /// Each plan's task cards, each made when a page first needs it (a category
    /// page shows a few tasks of many plans; a unit's, tasks of several).
    tasks: Vec<OnceLock<Vec<TaskCards>>>,
    /// Each category page's URL → how many plans it holds.
    category_plans: std::collections::HashMap<&'a str, usize>,
}

impl<'a> Renderer<'a> {
    /// Compiles the templates and prepares the views shared by all pages.
    pub fn new(site: &'a Site, theme: &Theme) -> Result<Self, Diagnostic> {
        Ok(Self::with_templates(
            site,
            theme,
            Arc::new(Templates::compile(theme)?),
        ))
    }

    /// A renderer with templates compiled earlier (the preview keeps them while
    /// the theme's templates do not change).
    pub fn with_templates(site: &'a Site, theme: &Theme, templates: Arc<Templates>) -> Self {
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

        let summaries = site.plans.iter().map(|_| OnceLock::new()).collect();
        let tasks = site.plans.iter().map(|_| OnceLock::new()).collect();
        let category_plans = site
            .categories
            .iter()
            .map(|c| {
                let mut plans: Vec<usize> = c.tasks.iter().map(|t| t.plan).collect();
                plans.dedup();
                (c.url.as_str(), plans.len())
            })
            .collect();
        Renderer {
            site,
            templates,
            base,
            common,
            summaries,
            tasks,
            category_plans,
        }
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

    /// Renders pages in parallel and hands each file to `write` as soon as it is
    /// made, so a build never holds more than a few pages in memory.
    pub fn write_pages(
        &self,
        pages: &[Page],
        write: impl Fn(&OutputFile) -> Result<(), Diagnostic> + Sync,
    ) -> Result<(), Diagnostic> {
        pages.par_iter().try_for_each(|p| write(&self.render(*p)?))
    }

    /// A plan's summary (made on first use).
    fn summary(&self, plan: usize) -> &PlanSummary<'a> {
        self.summaries[plan]
            .get_or_init(|| summarize(self.site, &self.site.plans[plan], &self.base))
    }

    /// Every plan's summary, in site order.
    fn all_summaries(&self) -> Vec<&PlanSummary<'a>> {
        (0..self.site.plans.len())
            .map(|i| self.summary(i))
            .collect()
    }

    /// A task's card as a page shows it, rendered when a page first needs it.
    fn card(&self, plan: usize, task: usize, card: Card) -> Result<String, Diagnostic> {
        let p = &self.site.plans[plan];
        let cards = &self.tasks[plan]
            .get_or_init(|| p.tasks().iter().map(|_| TaskCards::default()).collect())[task];
        let t = &p.tasks()[task];
        let failed = |template: &str, e: tera::Error| {
            let at = crate::layout::task_url(&p.slug, &t.anchor);
            template_error(
                &crate::t!("render-page", path = format!("{template} ({at})")),
                &e,
            )
        };
        let render_units = || {
            let mut ctx = Context::new();
            ctx.insert("task", &task_units(self.site, p, t, &self.base));
            self.templates
                .render_string(TASK_UNITS_TEMPLATE, &ctx)
                .map_err(|e| failed(TASK_UNITS_TEMPLATE, e))
        };
        let render = |view: &TaskView, link: bool| {
            let mut ctx = Context::new();
            ctx.insert("task", view);
            ctx.insert("link", &link);
            self.templates
                .render_string(TASK_TEMPLATE, &ctx)
                .map_err(|e| failed(TASK_TEMPLATE, e))
        };
        let mut slot = cards.slot.lock().expect("a card slot is never poisoned");
        if let (Card::Linked, Some(packed)) = (card, &slot.linked) {
            return Ok(unpack(packed));
        }
        let kept_units = match card {
            Card::InPlan => slot.units.take(),
            _ => None,
        };
        let units_html = match kept_units {
            Some(packed) => unpack(&packed),
            None => render_units()?,
        };
        let mut view = task_view(p, t, &self.base, units_html);
        match card {
            Card::InPlan => {
                if slot.linked.is_none() {
                    slot.linked = Some(pack(&render(&view, true)?));
                }
                render(&view, false)
            }
            Card::Linked => {
                let html = render(&view, true)?;
                slot.linked = Some(pack(&html));
                // No page made the linked card yet, so the plan's page is still to
                // come: it takes these units instead of rendering them again.
                slot.units = Some(pack(&view.units_html));
                Ok(html)
            }
            Card::LinkedWithNote(note) => {
                view.note = Some(note.to_string());
                render(&view, true)
            }
        }
    }

    fn render(&self, page: Page) -> Result<OutputFile, Diagnostic> {
        match page {
            Page::Single(crate::layout::PageKind::UnitsData) => {
                return Ok(crate::export::units_json(self.site));
            }
            Page::PlanLedger(_) | Page::UnitLedger(_) => return Ok(self.ledger_csv(page)),
            _ => {}
        }
        let mut ctx = self.common.clone();
        self.fill_context(page, &mut ctx)?;
        let path = page.path(self.site);
        // Present: `Templates::compile` checked every page kind's template.
        let template = page.kind().spec().template;
        // Rendered straight into the file's bytes (`render` would check the whole
        // page is UTF-8 once more to make a String of it).
        let mut bytes = Vec::new();
        self.templates
            .render_to(template, &ctx, &mut bytes)
            .map_err(|e| template_error(&crate::t!("render-page", path = path.as_str()), &e))?;
        Ok(OutputFile { path, bytes })
    }
}

/// HTML (a linked card, a task's units), compressed to be kept.
fn pack(html: &str) -> Vec<u8> {
    lz4_flex::compress_prepend_size(html.as_bytes())
}

/// Kept HTML, as HTML again (decompressed into the thread's scratch buffer).
fn unpack(packed: &[u8]) -> String {
    with_scratch(|buffer| {
        let (size, compressed) =
            lz4_flex::block::uncompressed_size(packed).expect("HTML compressed by pack");
        buffer.resize(size, 0);
        let written =
            lz4_flex::block::decompress_into(compressed, buffer).expect("HTML compressed by pack");
        utf8_string(&buffer[..written])
    })
}

/// A template error (tera's report points at the template's line) with its causes.
fn template_error(what: &str, e: &tera::Error) -> Diagnostic {
    let mut message = format!("{what}: {e}");
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(&format!(
            "\n  {}",
            crate::t!("render-cause", cause = s.to_string())
        ));
        source = s.source();
    }
    Diagnostic::global(message).with_hint(crate::t!("render-template-hint"))
}
