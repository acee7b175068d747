//! Open-data exports: every task as JSON and CSV.

use crate::layout::EXPORT_FILES;
use crate::output::OutputFile;
use crate::site::Site;
use serde::Serialize;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

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
    /// Deadline as printed, if any.
    pub deadline: Option<&'a str>,
    /// The date the deadline sets (`YYYY-MM-DD`), if it sets one.
    pub due: Option<&'a str>,
    /// Site-relative URL of the task (`/plans/SLUG/#task-N`).
    pub url: String,
}

/// One office or group in `data/units.json`.
#[derive(Serialize)]
pub struct UnitRecord<'a> {
    /// The name as printed most often.
    pub name: &'a str,
    /// Whose unit it is.
    pub jurisdiction: &'a str,
    /// `office` or `group`.
    pub kind: crate::model::UnitKind,
    /// Every other name seen or declared.
    pub aliases: &'a [String],
    /// A group's declared members, by name.
    pub members: Vec<&'a str>,
    /// Site-relative URL of its page (`/units/…/`).
    pub url: String,
    /// Its tasks.
    pub tasks: Vec<UnitTaskRecord<'a>>,
}

/// One task of a unit in `data/units.json`.
#[derive(Serialize)]
pub struct UnitTaskRecord<'a> {
    /// Plan slug.
    pub plan: &'a str,
    /// Task number as printed.
    pub number: &'a str,
    /// `lead`, `responsible`, `cooperating`, or `shared` (through a group).
    pub role: &'static str,
    /// For shared tasks, the group's name.
    pub via: Option<&'a str>,
}

/// `data/units.json`: every office and group with its tasks.
pub fn units_json(site: &Site) -> OutputFile {
    use crate::model::Role;
    let records: Vec<UnitRecord> = site
        .units
        .iter()
        .map(|u| UnitRecord {
            name: &u.name,
            jurisdiction: &u.jurisdiction,
            kind: u.kind,
            aliases: &u.aliases,
            members: u
                .members
                .iter()
                .map(|&m| site.units[m].name.as_str())
                .collect(),
            url: format!("/{}", u.url),
            tasks: u
                .tasks
                .iter()
                .map(|r| UnitTaskRecord {
                    plan: &site.plans[r.plan].slug,
                    number: &site.plans[r.plan].tasks()[r.task].number,
                    role: match (r.via, r.role) {
                        (Some(_), _) => "shared",
                        (None, Some(Role::Lead)) => "lead",
                        (None, Some(Role::Responsible)) => "responsible",
                        (None, _) => "cooperating",
                    },
                    via: r.via.map(|g| site.units[g].name.as_str()),
                })
                .collect(),
        })
        .collect();
    OutputFile {
        path: crate::layout::UNITS_FILE.into(),
        bytes: serde_json::to_vec_pretty(&records).expect("unit records serialize"),
    }
}

/// The tasks of one plan, in document order.
pub fn plan_records(site: &Site, plan: usize) -> Vec<TaskRecord<'_>> {
    let plan = &site.plans[plan];
    plan.tasks()
        .iter()
        .map(|t| TaskRecord {
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
            due: t.due.as_deref(),
            url: format!("/{}", crate::layout::task_url(&plan.slug, &t.anchor)),
        })
        .collect()
}

/// The columns of `data/tasks.csv` (the keys of `data/tasks.json`).
const COLUMNS: [&str; 15] = [
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
    "due",
];

/// One plan's share of the exports, so that a preview rebuild re-serializes only
/// the plans that changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanExport {
    /// Its tasks as pretty-printed JSON objects, array-indented, joined by `,\n`.
    json: String,
    /// Its tasks as CSV rows.
    csv: Vec<u8>,
}

/// Serializes the tasks of one plan of the site.
pub fn plan_export(site: &Site, plan: usize) -> PlanExport {
    let records = plan_records(site, plan);
    let mut json = String::new();
    for (i, r) in records.iter().enumerate() {
        if i > 0 {
            json.push_str(",\n");
        }
        let object = serde_json::to_string_pretty(r).expect("task records serialize");
        for (j, line) in object.lines().enumerate() {
            if j > 0 {
                json.push('\n');
            }
            json.push_str("  ");
            json.push_str(line);
        }
    }
    let mut csv = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    for r in &records {
        let cells = [
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
            r.due.unwrap_or(""),
        ];
        csv.write_record(
            cells
                .map(crate::text::to_spreadsheet_cell)
                .iter()
                .map(|c| c.as_bytes()),
        )
        .expect("writing to memory");
    }
    PlanExport {
        json,
        csv: csv.into_inner().expect("flushing to memory"),
    }
}

/// Writes `data/tasks.json` and `data/tasks.csv` one plan's share at a time.
pub struct ExportWriter<J: Write, C: Write> {
    json: J,
    csv: C,
    /// True until a task has been written to the JSON array.
    empty: bool,
}

impl ExportWriter<BufWriter<File>, BufWriter<File>> {
    /// Starts the two files at these paths (their folder made if missing), each
    /// written through a 1 MB buffer.
    pub fn create(json: &Path, csv: &Path) -> std::io::Result<Self> {
        let create = |path: &Path| -> std::io::Result<BufWriter<File>> {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            Ok(BufWriter::with_capacity(1 << 20, File::create(path)?))
        };
        Self::new(create(json)?, create(csv)?)
    }
}

impl<J: Write, C: Write> ExportWriter<J, C> {
    /// Starts both files: the JSON array, the CSV byte-order mark and header.
    pub fn new(mut json: J, mut csv: C) -> std::io::Result<Self> {
        json.write_all(b"[")?;
        // BOM: spreadsheet programs then read the file as UTF-8.
        csv.write_all(&[0xEF, 0xBB, 0xBF])?;
        csv.write_all(COLUMNS.join(",").as_bytes())?;
        csv.write_all(b"\n")?;
        Ok(ExportWriter {
            json,
            csv,
            empty: true,
        })
    }

    /// Appends the next plan's share (plans in site order).
    pub fn push(&mut self, part: &PlanExport) -> std::io::Result<()> {
        self.csv.write_all(&part.csv)?;
        if part.json.is_empty() {
            return Ok(());
        }
        self.json
            .write_all(if self.empty { b"\n" } else { b",\n" })?;
        self.empty = false;
        self.json.write_all(part.json.as_bytes())
    }

    /// Closes the JSON array and flushes both files.
    pub fn finish(mut self) -> std::io::Result<()> {
        self.json
            .write_all(if self.empty { b"]" } else { b"\n]" })?;
        self.json.flush()?;
        self.csv.flush()
    }
}

/// Writes `data/tasks.json` and `data/tasks.csv` under `dir` (a new output), the
/// plans serialized in parallel a few at a time: memory holds a few plans' shares,
/// not the whole files.
pub fn write_exports(site: &Site, dir: &Path) -> std::io::Result<()> {
    use rayon::prelude::*;
    let mut out = ExportWriter::create(&dir.join(EXPORT_FILES[0]), &dir.join(EXPORT_FILES[1]))?;
    let plans: Vec<usize> = (0..site.plans.len()).collect();
    for chunk in plans.chunks(64) {
        let parts: Vec<PlanExport> = chunk.par_iter().map(|&i| plan_export(site, i)).collect();
        for part in &parts {
            out.push(part)?;
        }
    }
    out.finish()
}
