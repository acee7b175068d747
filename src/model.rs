//! The parsed content: plans with their sections and tasks, and the site-wide views
//! built from them (units across plans, categories across plans).

use crate::parse::units::{Role, Units};
use serde::Serialize;
use std::path::PathBuf;

/// Front-matter metadata of one plan.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub struct PlanMeta {
    /// The plan's title as printed.
    pub title: String,
    /// Who issued it.
    pub issuer: String,
    /// The plan's year.
    pub year: i32,
    /// 文号, if any.
    pub doc_number: Option<String>,
    /// Publication date, `YYYY-MM-DD`.
    pub published: Option<String>,
    /// Where it was published.
    pub source: Option<String>,
    /// Whose units these are (defaults to the issuer).
    pub jurisdiction: String,
}

/// One plan file.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    /// URL slug, from the file name.
    pub slug: String,
    /// The file, relative to the site root.
    pub path: PathBuf,
    /// Metadata from the front matter.
    pub meta: PlanMeta,
    /// `zh-CN` or `zh-Hant`, from the script of the text.
    pub lang: &'static str,
    /// Sanitized HTML of the text before the first heading.
    pub preamble_html: String,
    /// Top-level sections (`##`), in document order.
    pub sections: Vec<Section>,
}

impl Plan {
    /// All tasks of the plan in document order.
    pub fn tasks(&self) -> Vec<&Task> {
        fn walk<'a>(sections: &'a [Section], out: &mut Vec<&'a Task>) {
            for s in sections {
                for b in &s.blocks {
                    if let Block::Task(t) = b {
                        out.push(t);
                    }
                }
                walk(&s.children, out);
            }
        }
        let mut out = Vec::new();
        walk(&self.sections, &mut out);
        out
    }
}

/// A heading and what follows it up to the next heading of the same or a higher level.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// The heading as printed (`三、做好财政信息公开。`).
    pub title: String,
    /// 2 for `##`, 3 for `###`.
    pub level: u8,
    /// Anchor id on the plan page.
    pub anchor: String,
    /// Slug of the merged category page, or `None` for a prose section without tasks.
    pub category: Option<String>,
    /// Prose and tasks directly under the heading, in order.
    pub blocks: Vec<Block>,
    /// Sub-sections (`###`).
    pub children: Vec<Section>,
}

impl Section {
    /// True when this section or a sub-section holds a task.
    pub fn has_tasks(&self) -> bool {
        self.blocks.iter().any(|b| matches!(b, Block::Task(_)))
            || self.children.iter().any(Section::has_tasks)
    }
}

/// A piece of a section.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Block {
    /// Sanitized HTML of prose.
    Prose {
        /// The HTML.
        html: String,
    },
    /// A numbered task.
    Task(Box<Task>),
}

/// One numbered task.
#[derive(Debug, Clone, Serialize)]
pub struct Task {
    /// The number as printed.
    pub number: String,
    /// Anchor id on the plan page (`task-7`).
    pub anchor: String,
    /// The task text, plain.
    pub text: String,
    /// The task text as sanitized HTML.
    pub text_html: String,
    /// The requirement (further paragraphs), plain.
    pub requirement: Option<String>,
    /// The requirement as sanitized HTML.
    pub requirement_html: Option<String>,
    /// Units by role, names as printed.
    pub units: Units,
    /// 完成时限, if given.
    pub deadline: Option<String>,
    /// Printed headings above the task, outermost first.
    pub category: Vec<String>,
    /// 1-based line of the task in its file.
    pub line: usize,
}

/// One unit (an office of one jurisdiction) across all plans.
#[derive(Debug, Clone, Serialize)]
pub struct Unit {
    /// Display name (annotations removed).
    pub name: String,
    /// Whose unit it is.
    pub jurisdiction: String,
    /// Site-relative URL (`units/kai-ping/cai-zheng-ban/`).
    pub url: String,
    /// The tasks it has a role in, by plan in site order.
    pub tasks: Vec<TaskRef>,
}

/// A task seen from a unit or category page.
#[derive(Debug, Clone, Serialize)]
pub struct TaskRef {
    /// Index of the plan in `Site::plans`.
    pub plan: usize,
    /// Index of the task in the plan's `tasks()`.
    pub task: usize,
    /// The unit's role, on unit pages.
    pub role: Option<Role>,
}

/// Categories merged across plans.
#[derive(Debug, Clone, Serialize)]
pub struct Category {
    /// Display title.
    pub title: String,
    /// Slug of the page.
    pub slug: String,
    /// Site-relative URL.
    pub url: String,
    /// The printed headings merged here, as (plan index, printed title).
    pub headings: Vec<(usize, String)>,
    /// The tasks under those headings (sub-sections included).
    pub tasks: Vec<TaskRef>,
}
