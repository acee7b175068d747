//! The ledgers as CSV (`tasks.csv` beside each plan and unit page): open data with
//! the columns of the page's ledger table, written without a template.

use super::Renderer;
use crate::layout::Page;
use crate::output::OutputFile;

impl Renderer<'_> {
    /// The `tasks.csv` of a plan's or a unit's ledger page: UTF-8 with a BOM (so
    /// spreadsheet programs read it as such), one row per ledger row.
    pub(super) fn ledger_csv(&self, page: Page) -> OutputFile {
        let (role_column, rows) = match page {
            Page::PlanLedger(i) => ("责任单位", self.plan_ledger(i)),
            Page::UnitLedger(i) => ("角色", self.unit_ledger(&self.site.units[i])),
            _ => unreachable!("only ledger pages are CSV files"),
        };
        let absolute_base = self.site.config.absolute_base();
        let mut csv = csv::WriterBuilder::new().from_writer(vec![0xEF, 0xBB, 0xBF]);
        let mut write = |record: [&str; 9]| {
            csv.write_record(
                record
                    .map(crate::text::to_spreadsheet_cell)
                    .iter()
                    .map(|c| c.as_bytes()),
            )
            .expect("writing to memory")
        };
        write([
            "序号",
            "任务",
            role_column,
            "完成时限",
            "到期日期",
            "计划",
            "年度",
            "类别",
            "网址",
        ]);
        for r in &rows {
            let url = format!(
                "{absolute_base}{}",
                r.href.strip_prefix(self.base.as_str()).unwrap_or(&r.href)
            );
            write([
                r.number,
                r.text,
                &r.role_label,
                r.deadline.unwrap_or("未列明"),
                r.due.unwrap_or(""),
                r.plan_title,
                &r.year.to_string(),
                &r.category,
                &url,
            ]);
        }
        OutputFile {
            path: page.path(self.site),
            bytes: csv.into_inner().expect("flushing to memory"),
        }
    }
}
