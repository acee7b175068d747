//! The parsed content: plans with their sections and tasks, and the site-wide views
//! built from them (units across plans, categories across plans).

use serde::Serialize;
use std::path::PathBuf;

/// What a unit does for a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// 牵头: leads the task.
    Lead,
    /// 负责 / 落实: responsible for carrying it out.
    Responsible,
    /// 配合: cooperates.
    Cooperating,
}

impl Role {
    /// All roles in display order.
    pub const ALL: [Role; 3] = [Role::Lead, Role::Responsible, Role::Cooperating];

    /// The Chinese label shown to citizens.
    pub fn label(self) -> &'static str {
        match self {
            Role::Lead => "牵头",
            Role::Responsible => "负责",
            Role::Cooperating => "配合",
        }
    }
}

/// The units of one task, by role, as printed, in order, without duplicates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Units {
    /// Lead units (牵头).
    pub lead: Vec<String>,
    /// Responsible units (负责, 落实).
    pub responsible: Vec<String>,
    /// Cooperating units (配合).
    pub cooperating: Vec<String>,
}

impl Units {
    /// The list for one role.
    pub fn get(&self, role: Role) -> &[String] {
        match role {
            Role::Lead => &self.lead,
            Role::Responsible => &self.responsible,
            Role::Cooperating => &self.cooperating,
        }
    }

    /// Adds a unit under a role unless it is already listed there.
    pub fn push(&mut self, role: Role, name: String) {
        let list = match role {
            Role::Lead => &mut self.lead,
            Role::Responsible => &mut self.responsible,
            Role::Cooperating => &mut self.cooperating,
        };
        if !list.contains(&name) {
            list.push(name);
        }
    }

    /// Adds all units of another set.
    pub fn extend(&mut self, other: Units) {
        for role in Role::ALL {
            for name in other.get(role) {
                self.push(role, name.clone());
            }
        }
    }

    /// True when no unit has any role.
    pub fn is_empty(&self) -> bool {
        self.lead.is_empty() && self.responsible.is_empty() && self.cooperating.is_empty()
    }

    /// Every (role, unit) pair.
    pub fn iter(&self) -> impl Iterator<Item = (Role, &String)> {
        Role::ALL
            .into_iter()
            .flat_map(move |r| self.get(r).iter().map(move |n| (r, n)))
    }
}

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
    /// Every task of the plan in document order; sections refer to them by index.
    pub(crate) tasks: Vec<Task>,
}

impl Plan {
    /// All tasks of the plan in document order. A task's index here is its
    /// identity within the plan ([`TaskRef::task`], [`Block::Task`]).
    pub fn tasks(&self) -> &[Task] {
        &self.tasks
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
#[serde(tag = "kind", content = "value", rename_all = "lowercase")]
pub enum Block {
    /// Sanitized HTML of prose.
    Prose {
        /// The HTML.
        html: String,
    },
    /// A numbered task: its index in [`Plan::tasks`].
    Task(usize),
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
    /// The task text as sanitized HTML, when that is more than the plain text
    /// escaped (emphasis, links, code, spacing); `None` for most tasks, which
    /// saves a second copy of every text ([`Task::text_html`] gives either).
    pub text_markup: Option<String>,
    /// The requirement (further paragraphs), plain.
    pub requirement: Option<String>,
    /// The requirement as sanitized HTML.
    pub requirement_html: Option<String>,
    /// Units by role, names as printed.
    pub units: Units,
    /// 完成时限 as printed (from a `完成时限：` line, else a deadline phrase in the
    /// task's text), if any.
    pub deadline: Option<String>,
    /// The date the deadline sets (`YYYY-MM-DD`), when it sets one.
    pub due: Option<String>,
    /// Printed headings above the task, outermost first.
    pub category: Vec<String>,
    /// 1-based line of the task in its file.
    pub line: usize,
}

impl Task {
    /// The task text as sanitized HTML.
    pub fn text_html(&self) -> std::borrow::Cow<'_, str> {
        match &self.text_markup {
            Some(html) => std::borrow::Cow::Borrowed(html),
            None => std::borrow::Cow::Owned(crate::text::escape_html(&self.text)),
        }
    }
}

/// An office, or a label that names a set of offices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UnitKind {
    /// One office (its spellings in one jurisdiction).
    Office,
    /// A group label (`市直各部门`, `各镇街`).
    Group,
}

/// One unit (an office of one jurisdiction, or a group) across all plans.
#[derive(Debug, Clone, Serialize)]
pub struct Unit {
    /// Display name: the spelling printed most often.
    pub name: String,
    /// Whose unit it is.
    pub jurisdiction: String,
    /// An office or a group.
    pub kind: UnitKind,
    /// Its other names: spellings printed, second names, names declared.
    pub aliases: Vec<String>,
    /// A group's declared members (indices in `Site::units`).
    pub members: Vec<usize>,
    /// The groups an office is a declared member of (indices in `Site::units`).
    pub groups: Vec<usize>,
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
    /// Index of the task in the plan's [`Plan::tasks`].
    pub task: usize,
    /// The unit's role, on unit pages.
    pub role: Option<Role>,
    /// On a member's page, the group whose task it shares (index in `Site::units`).
    pub via: Option<usize>,
    /// A remark printed with the unit's name (`负责区政府规章`).
    pub note: Option<String>,
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
