//! `data/tasks.csv` of a built site back to a plan: the open-data export is a
//! document the importer reads too (a round trip, and a way to move plans
//! between sites).

use super::meta::Meta;
use super::{DraftSection, DraftTask, ImportError};

/// The export's header line.
const HEADER: &str = "plan,plan_title,issuer,jurisdiction,year,number,category,text,requirement,lead,responsible,cooperating,deadline,url";
// (Newer exports add columns after `url`, such as `due`; they are read from the header above.)

/// True when the text is a `tasks.csv` export.
pub(super) fn is_tasks_csv(text: &str) -> bool {
    text.trim_start_matches('\u{feff}').starts_with(HEADER)
}

/// The plan `slug` of the export (the only one when `None`): its metadata and
/// sections.
pub(super) fn read(
    text: &str,
    slug: Option<&str>,
) -> Result<(Meta, Vec<DraftSection>), ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let mut rows: Vec<csv::StringRecord> = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| ImportError {
            message: crate::t!("import-csv-row", row = i + 2, error = e.to_string()),
            hint: crate::t!("import-csv-hint"),
        })?;
        if record.len() < 13 {
            return Err(ImportError {
                message: crate::t!("import-csv-columns", row = i + 2, columns = record.len()),
                hint: crate::t!("import-csv-hint"),
            });
        }
        rows.push(
            record
                .iter()
                .map(crate::text::from_spreadsheet_cell)
                .collect(),
        );
    }
    let mut plans: Vec<&str> = Vec::new();
    for r in &rows {
        if !plans.contains(&&r[0]) {
            plans.push(&r[0]);
        }
    }
    let chosen = match (slug, plans.as_slice()) {
        (Some(s), _) if plans.contains(&s) => s.to_string(),
        (None, [only]) => only.to_string(),
        _ => {
            return Err(ImportError {
                message: crate::t!(
                    "import-csv-plans",
                    count = plans.len(),
                    plans = plans.join(", ")
                ),
                hint: crate::t!("import-csv-plans-hint"),
            });
        }
    };
    let mine: Vec<&csv::StringRecord> = rows.iter().filter(|r| r[0] == *chosen).collect();
    let first = mine[0];
    let meta = Meta {
        title: Some(first[1].to_string()),
        issuer: Some(first[2].to_string()),
        year: first[4].parse().ok(),
        jurisdiction: (first[3] != first[2]).then(|| first[3].to_string()),
        ..Meta::default()
    };
    let mut sections: Vec<DraftSection> = Vec::new();
    let mut path: Vec<String> = Vec::new();
    for (i, r) in mine.iter().enumerate() {
        let category: Vec<String> = r[6]
            .split(" > ")
            .map(str::to_string)
            .filter(|c| !c.is_empty())
            .collect();
        if category != path || sections.is_empty() {
            // Open the headings that differ from the previous task's.
            let same = category
                .iter()
                .zip(&path)
                .take_while(|(a, b)| a == b)
                .count();
            for (level, title) in category.iter().enumerate().skip(same) {
                sections.push(DraftSection {
                    title: title.clone(),
                    level: (level + 1).min(2) as u8,
                    ..Default::default()
                });
            }
            if sections.is_empty() {
                sections.push(DraftSection {
                    title: "工作任务".into(),
                    level: 1,
                    ..Default::default()
                });
            }
            path = category;
        }
        let keyed: Vec<String> = [
            ("牵头单位", &r[9]),
            ("责任单位", &r[10]),
            ("配合单位", &r[11]),
        ]
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}：{v}"))
        .collect();
        let task = DraftTask {
            line: i + 2,
            number: r[5].to_string(),
            text: r[7].to_string(),
            requirement: r[8]
                .split('\n')
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect(),
            units: (!keyed.is_empty())
                .then(|| keyed.join("；"))
                .into_iter()
                .map(Some)
                .collect(),
            deadline: (!r[12].is_empty()).then(|| r[12].to_string()),
            ..Default::default()
        };
        sections.last_mut().expect("a section").tasks.push(task);
    }
    Ok((meta, sections))
}
