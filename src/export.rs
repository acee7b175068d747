//! Open-data exports: every task as JSON and CSV.

use crate::render::OutputFile;
use crate::site::Site;
use serde::Serialize;

/// One task in `data/tasks.json` (the keys are a published schema: change with care).
#[derive(Serialize)]
pub struct TaskRecord<'a> {
    /// Plan slug.
    pub plan: &'a str,
    /// Plan title.
    pub plan_title: &'a str,
    /// Issuer.
    pub issuer: &'a str,
    /// Jurisdiction.
    pub jurisdiction: &'a str,
    /// Year.
    pub year: i32,
    /// Task number as printed.
    pub number: &'a str,
    /// Printed headings, outermost first.
    pub category: &'a [String],
    /// Task text.
    pub text: &'a str,
    /// Requirement, if any.
    pub requirement: Option<&'a str>,
    /// Lead units as printed.
    pub lead: &'a [String],
    /// Responsible units as printed.
    pub responsible: &'a [String],
    /// Cooperating units as printed.
    pub cooperating: &'a [String],
    /// Deadline, if any.
    pub deadline: Option<&'a str>,
    /// Site-relative URL of the task (`/plans/SLUG/#task-N`).
    pub url: String,
}

/// All tasks of the site, plans in site order, tasks in document order.
pub fn task_records(site: &Site) -> Vec<TaskRecord<'_>> {
    let mut out = Vec::with_capacity(site.task_count());
    for plan in &site.plans {
        for t in plan.tasks() {
            out.push(TaskRecord {
                plan: &plan.slug,
                plan_title: &plan.meta.title,
                issuer: &plan.meta.issuer,
                jurisdiction: &plan.meta.jurisdiction,
                year: plan.meta.year,
                number: &t.number,
                category: &t.category,
                text: &t.text,
                requirement: t.requirement.as_deref(),
                lead: &t.units.lead,
                responsible: &t.units.responsible,
                cooperating: &t.units.cooperating,
                deadline: t.deadline.as_deref(),
                url: format!("/plans/{}/#{}", plan.slug, t.anchor),
            });
        }
    }
    out
}

/// `data/tasks.json` and `data/tasks.csv`.
pub fn export(site: &Site) -> Vec<OutputFile> {
    let records = task_records(site);
    let json = serde_json::to_vec_pretty(&records).expect("task records serialize");
    let mut csv = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]); // BOM: spreadsheet programs then read UTF-8
    csv.write_record([
        "plan",
        "plan_title",
        "issuer",
        "jurisdiction",
        "year",
        "number",
        "category",
        "text",
        "requirement",
        "lead",
        "responsible",
        "cooperating",
        "deadline",
        "url",
    ])
    .expect("writing to memory");
    for r in &records {
        csv.write_record([
            r.plan,
            r.plan_title,
            r.issuer,
            r.jurisdiction,
            &r.year.to_string(),
            r.number,
            &r.category.join(" > "),
            r.text,
            r.requirement.unwrap_or(""),
            &r.lead.join("、"),
            &r.responsible.join("、"),
            &r.cooperating.join("、"),
            r.deadline.unwrap_or(""),
            &r.url,
        ])
        .expect("writing to memory");
    }
    let csv = csv.into_inner().expect("flushing to memory");
    vec![
        OutputFile {
            path: "data/tasks.json".into(),
            bytes: json,
        },
        OutputFile {
            path: "data/tasks.csv".into(),
            bytes: csv,
        },
    ]
}
