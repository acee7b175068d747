//! Importing the five published documents of ../shared/seeds yields the plans in
//! content/: same tasks, texts, requirements, units and roles, categories. The few
//! differences are listed and justified below; small fixtures cover single rules.

mod common;

use common::*;
use gongkai::model::Plan;
use std::path::{Path, PathBuf};

fn seeds() -> PathBuf {
    repo_root().join("../shared/seeds")
}

fn parse(markdown: &str, name: &str) -> Plan {
    let p = gongkai::parse::parse_plan(Path::new(name), "x", markdown);
    p.plan.unwrap_or_else(|| panic!("{name} does not parse: {:?}\n{markdown}", p.diagnostics))
}

fn import_seed(prefix: &str) -> (Plan, gongkai::import::Imported) {
    let file = std::fs::read_dir(seeds()).unwrap().map(|e| e.unwrap().path()).find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix)).unwrap();
    let imported = gongkai::import::import(&std::fs::read_to_string(&file).unwrap());
    (parse(&imported.markdown, prefix), imported)
}

fn content_plan(file: &str) -> Plan {
    parse(&std::fs::read_to_string(repo_root().join("content/plans").join(file)).unwrap(), file)
}

/// Text as compared: no white space (the seeds wrap lines and pad cells).
fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Compares every task; returns the differences as readable lines.
fn differences(imported: &Plan, expected: &Plan) -> Vec<String> {
    let (a, b) = (imported.tasks(), expected.tasks());
    let mut out = Vec::new();
    if a.len() != b.len() {
        out.push(format!("{} tasks imported, {} expected", a.len(), b.len()));
    }
    for (x, y) in a.iter().zip(&b) {
        let n = &y.number;
        if x.number != y.number {
            out.push(format!("task {n}: number {}", x.number));
        }
        if squash(&x.text) != squash(&y.text) {
            out.push(format!("task {n}: text {:?} vs {:?}", x.text, y.text));
        }
        if x.requirement.as_deref().map(squash) != y.requirement.as_deref().map(squash) {
            out.push(format!("task {n}: requirement {:?} vs {:?}", x.requirement, y.requirement));
        }
        if x.units != y.units {
            out.push(format!("task {n}: units {:?} vs {:?}", x.units, y.units));
        }
        if x.category.iter().map(|c| squash(c)).collect::<Vec<_>>() != y.category.iter().map(|c| squash(c)).collect::<Vec<_>>() {
            out.push(format!("task {n}: category {:?} vs {:?}", x.category, y.category));
        }
    }
    out
}

fn check(prefix: &str, content: &str, justified: &[&str]) {
    let (plan, imported) = import_seed(prefix);
    let expected = content_plan(content);
    let diffs = differences(&plan, &expected);
    let unexplained: Vec<&String> = diffs.iter().filter(|d| !justified.iter().any(|j| d.contains(j))).collect();
    assert!(unexplained.is_empty(), "{prefix}: {} differences:\n{}\n\nwarnings: {:?}", unexplained.len(), unexplained.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n"), imported.warnings);
}

#[test]
fn imports_000_tab_separated_table() {
    check("000", "2021-kaiping-changsha.md", &[]);
}

#[test]
fn imports_001_prose_with_units_in_parentheses() {
    check("001", "2021-baicheng-gongyeyuanqu.md", &[]);
}

#[test]
fn imports_002_one_cell_per_line_with_two_unit_columns() {
    // The content separates units that the source runs together in one cell
    // (`区发改局区商务局` → 区发改局、区商务局); the importer cannot know where one
    // name ends, so it keeps the cell as printed and warns.
    check("002", "2021-fuzhou-cangshan.md", &["task 3: units"]);
}

#[test]
fn imports_003_blank_cells_merged_with_the_row_above() {
    check("003", "2021-huadu-yingji.md", &[]);
}

#[test]
fn imports_004_html_page_with_units_after_their_tasks() {
    // Task 13's mojibake (`“六?!比蝿?`) was repaired by hand in content/ to
    // `“六保”任務`; no general rule can recover the lost characters.
    check("004", "2021-zhongshan.md", &["task 13: text"]);
    let (plan, _) = import_seed("004");
    assert_eq!(plan.meta.doc_number.as_deref(), Some("中府辦函〔2021〕91號"));
    assert_eq!(plan.meta.published.as_deref(), Some("2021-07-05"));
}
